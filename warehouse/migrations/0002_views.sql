-- Analyst-facing views: a contract. Columns may only be appended, never renamed or reordered.

CREATE VIEW documents AS
SELECT
    d.doc_id, d.source, d.kind, d.url, d.title, d.published_at, d.language, d.fetched_at,
    d.text, d.version, d.content_hash
FROM document AS d;

CREATE VIEW mentions AS
SELECT
    m.doc_id, m.kind, m.text, m.canonical, m.usd, m.tonnes, m.sentence,
    m.bound, m.role, m.extractor_version
FROM mention AS m;

-- buyer: SAM's path starts with the department; for DoD the agency (second segment,
-- e.g. DEFENSE LOGISTICS AGENCY) is what an analyst means by "the buyer".
CREATE VIEW procurements AS
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
    p.extractor_version
FROM procurement_line AS p
JOIN document AS d ON d.doc_id = p.doc_id
LEFT JOIN notice AS n ON n.doc_id = p.doc_id;

CREATE VIEW export_controls AS
SELECT e.doc_id, e.authority, e.number, e.title, e.issued_on, e.effective_on, e.minerals
FROM export_control AS e;

-- A run that died before any source reported still shows up, with source NULL.
CREATE VIEW runs AS
SELECT
    r.run_id,
    s.source,
    coalesce(s.started_at, r.started_at) AS started_at,
    coalesce(s.finished_at, r.finished_at) AS finished_at,
    coalesce(s.fetched, 0) AS fetched,
    coalesce(s.new, 0) AS new,
    coalesce(s.updated, 0) AS updated,
    coalesce(s.unchanged, 0) AS unchanged,
    coalesce(s.failed, 0) AS failed,
    coalesce(
        (SELECT to_json(list({'error': f.error, 'url': f.url, 'message': f.message}
                             ORDER BY f.seq))
         FROM fetch_error AS f
         WHERE f.run_id = r.run_id AND f.source = s.source),
        '[]'::JSON
    ) AS errors,
    coalesce(s.status, r.status) AS status,
    r.mode,
    r.status AS run_status
FROM run AS r
LEFT JOIN source_run AS s ON s.run_id = r.run_id;

CREATE VIEW fetch_errors AS
SELECT f.run_id, f.source, f.seq, f.url, f.source_id, f.http_status, f.error, f.message,
       f.occurred_at
FROM fetch_error AS f;
