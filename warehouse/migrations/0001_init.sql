-- Base tables. Every table has a primary key; list columns hold canonical names.
-- No FOREIGN KEYs on purpose: DuckDB implements ON CONFLICT DO UPDATE as delete + insert,
-- which a referenced parent row refuses. The loaders check references inside their transaction.

CREATE TABLE document (
    doc_id          VARCHAR PRIMARY KEY,          -- "<namespace>:<source id>"
    source          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    title           VARCHAR,
    published_at    TIMESTAMPTZ,
    language        VARCHAR NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,         -- when the current version was fetched
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    text            VARCHAR NOT NULL,
    content_hash    VARCHAR NOT NULL,
    version         INTEGER NOT NULL,
    first_run_id    VARCHAR NOT NULL,
    last_run_id     VARCHAR NOT NULL,
    version_run_id  VARCHAR NOT NULL,             -- the run that loaded the current version
    CHECK (kind IN ('procurement', 'export_control', 'regulation', 'news')),
    CHECK (version >= 1)
);

-- Superseded versions only; the current one lives in document.
CREATE TABLE document_version (
    doc_id        VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  VARCHAR NOT NULL,
    title         VARCHAR,
    text          VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,               -- the run that loaded this version
    superseded_by_run_id VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, version)
);

CREATE TABLE notice (
    doc_id               VARCHAR PRIMARY KEY,
    notice_id            VARCHAR NOT NULL,
    solicitation_number  VARCHAR,
    notice_type          VARCHAR,
    base_type            VARCHAR,
    posted_date          DATE,
    response_deadline    TIMESTAMPTZ,
    buyer_path           VARCHAR,                 -- SAM fullParentPathName, dot-joined
    office_code          VARCHAR,
    naics_code           VARCHAR,
    classification_code  VARCHAR,
    set_aside            VARCHAR,
    active               BOOLEAN,
    award_number         VARCHAR,
    award_date           DATE,
    award_amount         DOUBLE,                  -- US dollars
    awardee_name         VARCHAR,
    awardee_uei          VARCHAR,
    awardee_cage         VARCHAR,
    ui_link              VARCHAR
);

CREATE TABLE extraction (
    doc_id             VARCHAR PRIMARY KEY,
    extractor_version  VARCHAR NOT NULL,
    content_hash       VARCHAR NOT NULL,          -- document.content_hash the facts came from
    facts_hash         VARCHAR NOT NULL,
    extracted_at       TIMESTAMPTZ NOT NULL,
    minerals           VARCHAR[] NOT NULL,
    suppliers          VARCHAR[] NOT NULL
);

CREATE TABLE mention (
    doc_id             VARCHAR NOT NULL,
    seq                INTEGER NOT NULL,
    kind               VARCHAR NOT NULL,
    text               VARCHAR NOT NULL,
    canonical          VARCHAR,
    usd                DOUBLE,                    -- US dollars
    tonnes             DOUBLE,                    -- metric tonnes
    bound              VARCHAR,
    role               VARCHAR,
    sentence           VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,
    end_char           INTEGER NOT NULL,
    extractor_version  VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, seq),
    CHECK (kind IN ('mineral', 'money', 'quantity', 'organization'))
);

CREATE TABLE procurement_line (
    doc_id              VARCHAR NOT NULL,
    line_no             INTEGER NOT NULL,
    mineral             VARCHAR NOT NULL,
    usd                 DOUBLE,
    usd_is_upper_bound  BOOLEAN NOT NULL,
    tonnes              DOUBLE,
    suppliers           VARCHAR[] NOT NULL,
    extractor_version   VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, line_no)
);

CREATE TABLE export_control (
    doc_id             VARCHAR PRIMARY KEY,
    authority          VARCHAR,
    number             VARCHAR,
    title              VARCHAR,
    issued_on          DATE,
    effective_on       DATE,
    minerals           VARCHAR[] NOT NULL,
    extractor_version  VARCHAR NOT NULL
);

CREATE TABLE run (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    mode         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    CHECK (mode IN ('nightly', 'demo', 'reprocess')),
    CHECK (status IN ('running', 'ok', 'partial', 'failed'))
);

CREATE TABLE source_run (
    run_id         VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    fetched        INTEGER NOT NULL,
    new            INTEGER NOT NULL,
    updated        INTEGER NOT NULL,
    unchanged      INTEGER NOT NULL,
    failed         INTEGER NOT NULL,
    status         VARCHAR NOT NULL,
    error_summary  VARCHAR,
    PRIMARY KEY (run_id, source),
    CHECK (status IN ('ok', 'partial', 'failed'))
);

CREATE TABLE fetch_error (
    run_id       VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    url          VARCHAR NOT NULL,
    source_id    VARCHAR,
    http_status  INTEGER,
    error        VARCHAR NOT NULL,
    message      VARCHAR NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, source, seq)
);

CREATE TABLE source_state (
    source      VARCHAR PRIMARY KEY,
    watermark   VARCHAR,                          -- ISO date or date-time
    state       JSON NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
