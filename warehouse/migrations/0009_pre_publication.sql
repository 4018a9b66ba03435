-- Announcements filed on the Federal Register's public inspection desk before their
-- publication (the watcher's fast lane, flows/watch.py). The published document keeps the
-- same doc_id and becomes a new version of it, with these columns back to NULL.
-- Columns only, no view is redefined: the migration stays independent of the others.

ALTER TABLE announcement ADD COLUMN pre_publication BOOLEAN;  -- true while only filed
ALTER TABLE announcement ADD COLUMN scheduled_publication_date DATE;
ALTER TABLE announcement ADD COLUMN filed_at TIMESTAMPTZ;
ALTER TABLE announcement ADD COLUMN filing_type VARCHAR;  -- regular | special (expedited)

-- Runs of the watcher (`minwatch watch`) are recorded as mode 'watch'. DuckDB cannot alter a
-- CHECK constraint: the table is rebuilt with the same columns (views read it by name).
CREATE TABLE run_with_watch (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    mode         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    CHECK (mode IN ('nightly', 'demo', 'reprocess', 'watch')),
    CHECK (status IN ('running', 'ok', 'partial', 'failed'))
);
INSERT INTO run_with_watch SELECT run_id, started_at, finished_at, mode, status FROM run;
DROP TABLE run;
ALTER TABLE run_with_watch RENAME TO run;
