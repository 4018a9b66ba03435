-- "What changed since a run" also lists the documents whose text changed (a notice amended, an
-- article corrected): item 'updated document', dated by the run that loaded the new version. A
-- document first seen after the starting run is new, not updated. new_since_last_run reads the
-- macro, so it shows them too.
CREATE OR REPLACE MACRO new_since_run(since_run_id) AS TABLE
WITH
since AS (
    SELECT started_at FROM run WHERE run_id = since_run_id
),
first_seen AS (
    SELECT d.doc_id, d.first_run_id, d.first_seen_at, r.started_at AS run_started_at
    FROM document AS d
    JOIN run AS r ON r.run_id = d.first_run_id
),
item AS (
    SELECT f.first_run_id AS run_id, 'document' AS item, d.doc_id AS item_id, d.title,
           d.source, d.url, f.first_seen_at, f.run_started_at
    FROM document AS d
    JOIN first_seen AS f ON f.doc_id = d.doc_id
    UNION ALL
    SELECT arg_min(f.first_run_id, f.run_started_at), 'deal', e.deal_id, any_value(k.title),
           any_value(k.source), any_value(k.url), min(f.first_seen_at), min(f.run_started_at)
    FROM deal_evidence AS e
    JOIN first_seen AS f ON f.doc_id = e.doc_id
    JOIN deals AS dl ON dl.deal_id = e.deal_id
    JOIN document AS k ON k.doc_id = dl.doc_id
    GROUP BY e.deal_id
    UNION ALL
    -- described by its official text when one is loaded, else by its earliest report
    SELECT arg_min(f.first_run_id, f.run_started_at), 'announcement', x.announcement_key,
           arg_min(x.title, (x.kind <> 'export_control', f.first_seen_at, x.doc_id)),
           arg_min(x.source, (x.kind <> 'export_control', f.first_seen_at, x.doc_id)),
           arg_min(x.url, (x.kind <> 'export_control', f.first_seen_at, x.doc_id)),
           min(f.first_seen_at), min(f.run_started_at)
    FROM export_controls AS x
    JOIN first_seen AS f ON f.doc_id = x.doc_id
    WHERE x.announcement_key IS NOT NULL
    GROUP BY x.announcement_key
    UNION ALL
    -- a document seen before whose text changed: its current version's run
    SELECT d.version_run_id, 'updated document', d.doc_id, d.title, d.source, d.url,
           d.fetched_at, r.started_at
    FROM document AS d
    JOIN run AS r ON r.run_id = d.version_run_id
    JOIN first_seen AS f ON f.doc_id = d.doc_id
    WHERE d.version > 1
      AND f.run_started_at < (SELECT started_at FROM since)
)
SELECT i.run_id, i.item, i.item_id, i.title, i.source, i.url, i.first_seen_at
FROM item AS i
WHERE i.run_started_at >= (SELECT started_at FROM since)
ORDER BY i.item, i.first_seen_at, i.item_id;
