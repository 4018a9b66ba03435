-- Amendments and cancellations of one solicitation are versions of one procurement, not new
-- procurements: SAM.gov gives each its own noticeId but keeps the solicitation number. The
-- current version is the latest posted; `procurements` shows only its lines, so sums over the
-- view count each procurement once, at its latest terms.

CREATE VIEW procurement_notices AS
SELECT
    coalesce(nullif(trim(n.solicitation_number), ''), n.notice_id) AS procurement_key,
    n.doc_id,
    n.notice_id,
    n.notice_type,
    n.posted_date,
    n.active,
    row_number() OVER versions = 1 AS is_current,
    row_number() OVER versions AS version_rank,
    count(*) OVER (PARTITION BY coalesce(nullif(trim(n.solicitation_number), ''), n.notice_id))
        AS notice_versions
FROM notice AS n
JOIN document AS d ON d.doc_id = n.doc_id
WINDOW versions AS (
    PARTITION BY coalesce(nullif(trim(n.solicitation_number), ''), n.notice_id)
    ORDER BY n.posted_date DESC NULLS LAST, d.published_at DESC NULLS LAST, n.doc_id DESC
);

CREATE OR REPLACE VIEW procurements AS
SELECT
    p.doc_id,
    p.mineral,
    p.usd,
    p.tonnes,
    p.suppliers,
    CASE
        WHEN n.buyer_path IS NULL OR trim(n.buyer_path) = '' THEN NULL
        WHEN split_part(n.buyer_path, '.', 1) = 'DEPT OF DEFENSE'
             AND split_part(n.buyer_path, '.', 2) <> ''
            THEN split_part(n.buyer_path, '.', 2)
        ELSE split_part(n.buyer_path, '.', 1)
    END AS buyer,
    n.notice_id,
    n.notice_type,
    -- the date is taken in UTC so the view does not depend on the session's TimeZone
    coalesce(n.posted_date, CAST(timezone('UTC', d.published_at) AS DATE)) AS posted_date,
    p.usd_is_upper_bound,
    n.solicitation_number,
    n.award_amount,
    d.source,
    d.url,
    d.title,
    p.extractor_version,
    v.procurement_key,
    v.notice_versions,
    n.active AS notice_active
FROM procurement_line AS p
JOIN document AS d ON d.doc_id = p.doc_id
LEFT JOIN notice AS n ON n.doc_id = p.doc_id
LEFT JOIN procurement_notices AS v ON v.doc_id = p.doc_id
WHERE v.doc_id IS NULL OR v.is_current;

