-- Alert outbox: every alert minwatch raised, and every attempt to deliver it to each target.
-- An alert is identified by what it is about, not by the run that found it, so the same
-- announcement seen again (another source, another language, a later night) is one row.

CREATE TABLE alert (
    -- "announcement:MOFCOM 2025-18" or "rule:<rule name>:<doc_id>"
    alert_key          VARCHAR PRIMARY KEY,
    kind               VARCHAR NOT NULL,
    rule_name          VARCHAR,                   -- watch-rule alerts only
    created_run_id     VARCHAR NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    title              VARCHAR NOT NULL,
    payload            JSON NOT NULL,             -- every field the alert reports, links included
    -- an amendment or suspension points at the alert of the announcement it changes
    related_alert_key  VARCHAR,
    -- links and fields are refreshed when later sources report the same announcement; a
    -- refresh never re-sends an alert already delivered
    updated_run_id     VARCHAR NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    CHECK (kind IN ('export_control', 'watch_rule'))
);

-- Targets are named by a hash of their apprise URL (`json:1a2b3c4d5e6f`): the URLs carry
-- tokens and passwords, which must never be stored.
CREATE TABLE alert_delivery (
    alert_key     VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    attempt       INTEGER NOT NULL,                -- 1, 2, … per alert and target
    run_id        VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,
    error         VARCHAR,                         -- failed attempts: why (secrets redacted)
    attempted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (alert_key, target, attempt),
    CHECK (status IN ('sent', 'failed')),
    CHECK (attempt >= 1)
);
