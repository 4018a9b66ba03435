-- Export-control announcements as their issuing authority publishes them (MOFCOM in Chinese and
-- English, BIS rules in the Federal Register), parsed by the spiders. One row per document; the
-- same announcement in two languages shares `announcement_key`.

CREATE TABLE announcement (
    doc_id            VARCHAR PRIMARY KEY,
    -- The ministry's own numbering: MOFCOM-only and joint MOFCOM/GACC announcements share one
    -- sequence per year, so the key leaves the co-issuer out ("MOFCOM 2025-18").
    announcement_key  VARCHAR NOT NULL,
    authority         VARCHAR NOT NULL,
    number            VARCHAR NOT NULL,
    title             VARCHAR,
    language          VARCHAR,
    issued_on         DATE,
    effective_on      DATE,
    control_codes     VARCHAR[] NOT NULL,
    items             JSON NOT NULL,
    suspends          VARCHAR[] NOT NULL,  -- announcement keys
    amends            VARCHAR[] NOT NULL,  -- announcement keys
    suspended_until   DATE
);

CREATE INDEX announcement_by_key ON announcement (announcement_key);

-- The view keeps its contract columns first and appends the announcement's own fields. A
-- document appears when its spider parsed an announcement or the extractor found one in it
-- (e.g. a news report of a new control).
CREATE OR REPLACE VIEW export_controls AS
SELECT
    d.doc_id,
    coalesce(a.authority, e.authority) AS authority,
    coalesce(a.number, e.number) AS number,
    coalesce(a.title, e.title, d.title) AS title,
    coalesce(a.issued_on, e.issued_on) AS issued_on,
    coalesce(a.effective_on, e.effective_on) AS effective_on,
    coalesce(e.minerals, []::VARCHAR[]) AS minerals,
    coalesce(
        a.announcement_key,
        CASE WHEN e.authority IS NOT NULL AND e.number IS NOT NULL
             THEN split_part(e.authority, '/', 1) || ' ' || e.number END
    ) AS announcement_key,
    d.language,
    coalesce(a.control_codes, []::VARCHAR[]) AS control_codes,
    coalesce(a.suspends, []::VARCHAR[]) AS suspends,
    coalesce(a.amends, []::VARCHAR[]) AS amends,
    a.suspended_until,
    d.kind,
    d.source,
    d.url
FROM document AS d
LEFT JOIN announcement AS a ON a.doc_id = d.doc_id
LEFT JOIN export_control AS e ON e.doc_id = d.doc_id
WHERE a.doc_id IS NOT NULL OR e.doc_id IS NOT NULL;

-- How announcements refer to each other: a suspension or amendment names its targets, and the
-- same announcement published twice (Chinese and English, or a republication) is linked both
-- ways. target_doc_ids lists the documents of the target that are in the warehouse (maybe none).
CREATE VIEW export_control_links AS
WITH references_out AS (
    SELECT a.doc_id, a.announcement_key, 'suspends' AS relation, t.target AS target_key
    FROM announcement AS a, unnest(a.suspends) AS t(target)
    UNION ALL
    SELECT a.doc_id, a.announcement_key, 'amends', t.target
    FROM announcement AS a, unnest(a.amends) AS t(target)
    UNION ALL
    SELECT DISTINCT a.doc_id, a.announcement_key, 'same_announcement', a.announcement_key
    FROM announcement AS a
    JOIN announcement AS b ON b.announcement_key = a.announcement_key AND b.doc_id <> a.doc_id
)
SELECT
    r.doc_id,
    r.announcement_key,
    r.relation,
    r.target_key,
    coalesce(
        (SELECT list(b.doc_id ORDER BY b.doc_id) FROM announcement AS b
         WHERE b.announcement_key = r.target_key AND b.doc_id <> r.doc_id),
        []::VARCHAR[]
    ) AS target_doc_ids
FROM references_out AS r;
