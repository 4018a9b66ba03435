-- Deals, suppliers and what is new since the last run (issue 14).
--
-- `procurements` has one row per line of each document, so one award reported by SAM.gov and
-- by four news sites is five rows, each dated by its own article, and the awardee appears under
-- every spelling the sources use. These views resolve both: a deal is one real-world
-- procurement of one mineral, a supplier is one company. They are computed from the base
-- tables on every query, so they always agree with the latest load. The match rules are
-- documented in docs/schema.md ("How deals and suppliers are resolved").

-- A company name with case, punctuation, a leading "The" and trailing legal forms removed:
-- 'United States Antimony Corp.' and 'UNITED STATES ANTIMONY CORPORATION' are both
-- 'united states antimony'. NULL when nothing is left ("the Company", "Inc.").
CREATE MACRO supplier_key(name) AS nullif(
    regexp_replace(
        trim(regexp_replace(
            ' ' || trim(regexp_replace(replace(lower(name), '&', ' and '), '[^\p{L}\p{N}]+', ' ', 'g')),
            '( (corp|corporation|inc|incorporated|llc|l l c|ltd|limited|co|company|plc|oy|oyj|ag|gmbh|sa|s a|nv|n v|bv|b v|ab|spa|s p a|pty|lp|llp|sarl|kk|pte|jsc|pjsc))+$',
            ''
        )),
        '^the( |$)',
        ''
    ),
    ''
);

-- Two amounts (dollars or tonnes) are the same figure when they differ by at most 2%: reports
-- round ("$245 million", "about 3,040 tonnes") and convert units.
CREATE MACRO amounts_agree(a, b) AS abs(a - b) <= 0.02 * greatest(abs(a), abs(b));

-- Every spelling of a supplier seen in the warehouse, with the company it resolves to.
-- Spellings with the same supplier_key are one company; so are a name and the alias the
-- extractor resolved it to within a document (mention.text -> mention.canonical, e.g. "USAC"),
-- and SAM.gov awardee names that share a UEI. Companies are the connected groups of names.
CREATE VIEW supplier_names AS
WITH RECURSIVE
sighting AS (
    SELECT unnest(p.suppliers) AS name, p.doc_id,
           CASE WHEN n.doc_id IS NULL THEN 'report' ELSE 'sam_line' END AS seen_as,
           NULL::VARCHAR AS uei
    FROM procurement_line AS p
    LEFT JOIN notice AS n ON n.doc_id = p.doc_id
    UNION ALL
    SELECT unnest(e.suppliers), e.doc_id, 'extraction', NULL FROM extraction AS e
    UNION ALL
    SELECT n.awardee_name, n.doc_id, 'sam_awardee', nullif(trim(n.awardee_uei), '')
    FROM notice AS n
    WHERE n.awardee_name IS NOT NULL
    UNION ALL
    SELECT coalesce(m.canonical, m.text), m.doc_id, 'mention', NULL
    FROM mention AS m
    WHERE m.kind = 'organization' AND m.role = 'supplier'
    UNION ALL
    SELECT m.text, m.doc_id, 'alias', NULL
    FROM mention AS m
    WHERE m.kind = 'organization' AND m.role = 'supplier' AND m.canonical IS NOT NULL
      AND m.text <> m.canonical
),
named AS (
    SELECT trim(name) AS name, supplier_key(name) AS name_key, doc_id, seen_as, uei
    FROM sighting
    WHERE supplier_key(name) IS NOT NULL
),
edge(a, b) AS (
    SELECT name_key, name_key FROM named
    UNION
    SELECT supplier_key(m.text), supplier_key(m.canonical)
    FROM mention AS m
    WHERE m.kind = 'organization' AND m.role = 'supplier'
      AND supplier_key(m.text) IS NOT NULL AND supplier_key(m.canonical) IS NOT NULL
    UNION
    -- a UEI is a node of its own, so every name filed under it joins one group
    SELECT name_key, 'uei:' || uei FROM named WHERE uei IS NOT NULL
),
link(a, b) AS (
    SELECT a, b FROM edge
    UNION
    SELECT b, a FROM edge
),
reach(node, other) AS (
    SELECT a, b FROM link
    UNION
    SELECT r.node, l.b FROM reach AS r JOIN link AS l ON l.a = r.other
),
component AS (
    -- keys lose ':' in normalisation, so 'uei:' nodes never collide with a name key
    SELECT node AS name_key, min(other) FILTER (WHERE other NOT LIKE 'uei:%') AS group_id
    FROM reach
    WHERE node NOT LIKE 'uei:%'
    GROUP BY node
),
spelling AS (
    SELECT
        n.name,
        c.group_id,
        n.name_key,
        list_sort(list_distinct(list(n.seen_as))) AS seen_as,
        count(DISTINCT n.doc_id) AS documents,
        max(n.uei) AS uei
    FROM named AS n
    JOIN component AS c USING (name_key)
    GROUP BY n.name, c.group_id, n.name_key
),
display AS (
    -- The company's name as SAM.gov running text writes the awardee, else as most documents
    -- write it; never a short form the extractor resolved to another name, nor all capitals,
    -- when another spelling exists. Its key is
    -- the company's supplier_id.
    SELECT group_id, name AS supplier_name, name_key AS supplier_id
    FROM spelling
    QUALIFY row_number() OVER (
        PARTITION BY group_id
        ORDER BY list_contains(seen_as, 'sam_line') DESC,
                 NOT list_contains(seen_as, 'alias') DESC,
                 name <> upper(name) DESC,
                 documents DESC,
                 length(name) DESC,
                 name
    ) = 1
)
SELECT s.name, d.supplier_id, d.supplier_name, s.name_key, s.seen_as, s.documents, s.uei
FROM spelling AS s
JOIN display AS d USING (group_id);

-- Which deal every procurement line is evidence of. SAM.gov lines belong to the deal of their
-- procurement (solicitation number, else notice id) and mineral; the latest notice that has a
-- line of the mineral is the deal's canonical `notice`, earlier ones are `earlier notice`.
-- Every other line (news, DLA releases, Federal Register) is a `report`, matched in order:
--   1. to the SAM.gov deal of its mineral that it agrees with best, when it is dated from 30
--      days before the procurement's first notice to 365 days after its last, contradicts
--      neither its value nor its suppliers, and agrees on at least one of value, supplier or
--      tonnes (amounts within 2%, suppliers resolved as in `supplier_names`);
--   2. to the SAM.gov deal another line of the same report and mineral matched under 1, if it
--      contradicts neither its value nor its suppliers (the extractor may split one deal's
--      value and quantity into two lines);
--   3. to the deal of another report line of no SAM.gov deal (same rules as 1, within 365
--      days; a line of the same report needs no agreement): a line with a value to an earlier
--      line with a value, a line without to any line with a value or an earlier one without;
--   4. else it starts a deal of its own, known only from reports.
CREATE VIEW deal_evidence AS
WITH RECURSIVE
supplier_of AS MATERIALIZED (
    SELECT DISTINCT name_key, supplier_id FROM supplier_names
),
line_supplier AS (
    SELECT l.doc_id, l.line_no, list_sort(list_distinct(list(s.supplier_id))) AS supplier_ids
    FROM (SELECT doc_id, line_no, unnest(suppliers) AS name FROM procurement_line) AS l
    JOIN supplier_of AS s ON s.name_key = supplier_key(l.name)
    GROUP BY l.doc_id, l.line_no
),
sam_line AS MATERIALIZED (
    SELECT
        p.doc_id, p.line_no, p.mineral, p.usd, p.usd_is_upper_bound, p.tonnes, p.suppliers,
        coalesce(ls.supplier_ids, []::VARCHAR[]) AS supplier_ids,
        v.procurement_key, v.version_rank, n.posted_date,
        'sam:' || v.procurement_key || ':' || p.mineral AS deal_id,
        min(v.version_rank) OVER (PARTITION BY v.procurement_key, p.mineral) AS canonical_rank
    FROM procurement_line AS p
    JOIN procurement_notices AS v ON v.doc_id = p.doc_id
    JOIN notice AS n ON n.doc_id = p.doc_id
    LEFT JOIN line_supplier AS ls ON ls.doc_id = p.doc_id AND ls.line_no = p.line_no
),
procurement_window AS (
    SELECT v.procurement_key,
           min(least(n.posted_date, n.award_date)) AS first_date,
           max(greatest(n.posted_date, n.award_date)) AS last_date
    FROM procurement_notices AS v
    JOIN notice AS n ON n.doc_id = v.doc_id
    GROUP BY v.procurement_key
),
procurement_supplier AS (
    SELECT v.procurement_key, s.supplier_id
    FROM procurement_notices AS v
    JOIN notice AS n ON n.doc_id = v.doc_id
    JOIN supplier_of AS s ON s.name_key = supplier_key(n.awardee_name)
    UNION
    SELECT procurement_key, unnest(supplier_ids) FROM sam_line
),
sam_deal AS (
    SELECT
        l.deal_id, l.procurement_key, l.mineral,
        list(l.usd) FILTER (WHERE l.usd IS NOT NULL) AS usds,
        list(l.tonnes) FILTER (WHERE l.tonnes IS NOT NULL) AS tonnes_list,
        coalesce(
            (SELECT list_sort(list(s.supplier_id)) FROM procurement_supplier AS s
             WHERE s.procurement_key = l.procurement_key),
            []::VARCHAR[]
        ) AS supplier_ids,
        any_value(w.first_date) AS first_date,
        any_value(w.last_date) AS last_date
    FROM sam_line AS l
    JOIN procurement_window AS w ON w.procurement_key = l.procurement_key
    GROUP BY l.deal_id, l.procurement_key, l.mineral
),
news_line AS MATERIALIZED (
    SELECT
        p.doc_id, p.line_no, p.doc_id || '#' || p.line_no AS line_id, p.mineral, p.usd,
        p.usd_is_upper_bound, p.tonnes, p.suppliers,
        coalesce(ls.supplier_ids, []::VARCHAR[]) AS supplier_ids,
        -- in UTC, so the view does not depend on the session's TimeZone
        CAST(timezone('UTC', coalesce(d.published_at, d.fetched_at)) AS DATE) AS reported_on
    FROM procurement_line AS p
    JOIN document AS d ON d.doc_id = p.doc_id
    LEFT JOIN line_supplier AS ls ON ls.doc_id = p.doc_id AND ls.line_no = p.line_no
    WHERE p.doc_id NOT IN (SELECT doc_id FROM notice)
),
sam_pair AS (
    SELECT
        n.line_id, n.doc_id, n.mineral, f.deal_id, n.reported_on, f.first_date,
        n.usd IS NOT NULL
            AND coalesce(list_bool_or(list_transform(f.usds, lambda u: amounts_agree(u, n.usd))), false)
            AS usd_agrees,
        n.usd IS NOT NULL AND len(f.usds) > 0 AS usd_compared,
        len(list_intersect(n.supplier_ids, f.supplier_ids)) > 0 AS supplier_agrees,
        len(n.supplier_ids) > 0 AND len(f.supplier_ids) > 0 AS supplier_compared,
        n.tonnes IS NOT NULL
            AND coalesce(
                list_bool_or(list_transform(f.tonnes_list, lambda t: amounts_agree(t, n.tonnes))),
                false
            ) AS tonnes_agrees
    FROM news_line AS n
    JOIN sam_deal AS f
        ON f.mineral = n.mineral
       AND n.reported_on BETWEEN f.first_date - 30 AND f.last_date + 365
),
sam_fit AS MATERIALIZED (
    SELECT
        *,
        NOT (usd_compared AND NOT usd_agrees) AND NOT (supplier_compared AND NOT supplier_agrees)
            AS consistent,
        usd_agrees::INTEGER + supplier_agrees::INTEGER + tonnes_agrees::INTEGER AS agreements,
        list_filter(
            [CASE WHEN usd_agrees THEN 'usd' END,
             CASE WHEN supplier_agrees THEN 'supplier' END,
             CASE WHEN tonnes_agrees THEN 'tonnes' END],
            lambda x: x IS NOT NULL
        ) AS matched_on
    FROM sam_pair
),
sam_match AS MATERIALIZED (
    SELECT line_id, deal_id, matched_on
    FROM sam_fit
    WHERE consistent AND agreements > 0
    QUALIFY row_number() OVER (
        PARTITION BY line_id
        ORDER BY agreements DESC, abs(date_diff('day', first_date, reported_on)), deal_id
    ) = 1
),
sibling_match AS (
    SELECT f.line_id, f.deal_id, ['same report'] AS matched_on
    FROM sam_fit AS f
    JOIN news_line AS sib ON sib.doc_id = f.doc_id AND sib.mineral = f.mineral
                         AND sib.line_id <> f.line_id
    JOIN sam_match AS m ON m.line_id = sib.line_id AND m.deal_id = f.deal_id
    WHERE f.consistent AND f.line_id NOT IN (SELECT line_id FROM sam_match)
    QUALIFY row_number() OVER (PARTITION BY f.line_id ORDER BY f.deal_id) = 1
),
news_only AS (
    SELECT * FROM news_line
    WHERE line_id NOT IN (SELECT line_id FROM sam_match)
      AND line_id NOT IN (SELECT line_id FROM sibling_match)
),
news_pair AS (
    SELECT
        n.line_id, e.line_id AS parent_line_id, n.reported_on, e.reported_on AS parent_reported_on,
        e.doc_id = n.doc_id AS same_report,
        e.usd IS NOT NULL AS parent_has_usd,
        coalesce(amounts_agree(n.usd, e.usd), false) AS usd_agrees,
        n.usd IS NOT NULL AND e.usd IS NOT NULL AS usd_compared,
        len(list_intersect(n.supplier_ids, e.supplier_ids)) > 0 AS supplier_agrees,
        len(n.supplier_ids) > 0 AND len(e.supplier_ids) > 0 AS supplier_compared,
        coalesce(amounts_agree(n.tonnes, e.tonnes), false) AS tonnes_agrees
    FROM news_only AS n
    JOIN news_only AS e
        ON e.mineral = n.mineral
       AND e.line_id <> n.line_id
       AND abs(n.reported_on - e.reported_on) <= 365
       -- A line with a value follows only an earlier line with a value, so deals of different
       -- values never merge through a line that states none; a line without one may follow
       -- any line with a value, or an earlier one without. Parents never form a cycle.
       AND CASE WHEN n.usd IS NOT NULL
                THEN e.usd IS NOT NULL
                     AND (e.reported_on, e.doc_id, e.line_no) < (n.reported_on, n.doc_id, n.line_no)
                ELSE e.usd IS NOT NULL
                     OR (e.reported_on, e.doc_id, e.line_no) < (n.reported_on, n.doc_id, n.line_no)
           END
),
news_parent AS (
    SELECT
        line_id, parent_line_id, parent_has_usd,
        CASE WHEN same_report THEN ['same report'] ELSE list_filter(
            [CASE WHEN usd_agrees THEN 'usd' END,
             CASE WHEN supplier_agrees THEN 'supplier' END,
             CASE WHEN tonnes_agrees THEN 'tonnes' END],
            lambda x: x IS NOT NULL
        ) END AS matched_on
    FROM news_pair
    WHERE NOT (usd_compared AND NOT usd_agrees)
      AND NOT (supplier_compared AND NOT supplier_agrees)
      AND (same_report OR usd_agrees OR supplier_agrees OR tonnes_agrees)
    QUALIFY row_number() OVER (
        PARTITION BY line_id
        ORDER BY same_report DESC,
                 parent_has_usd DESC,
                 usd_agrees::INTEGER + supplier_agrees::INTEGER + tonnes_agrees::INTEGER DESC,
                 abs(reported_on - parent_reported_on),
                 parent_line_id
    ) = 1
),
choice AS MATERIALIZED (
    SELECT
        n.line_id,
        coalesce(sm.deal_id, sb.deal_id) AS sam_deal_id,
        np.parent_line_id,
        coalesce(sm.matched_on, sb.matched_on, np.matched_on, []::VARCHAR[]) AS matched_on,
        coalesce(sm.deal_id, sb.deal_id, np.parent_line_id) AS matched_to
    FROM news_line AS n
    LEFT JOIN sam_match AS sm ON sm.line_id = n.line_id
    LEFT JOIN sibling_match AS sb ON sb.line_id = n.line_id
    LEFT JOIN news_parent AS np ON np.line_id = n.line_id
),
walk(line_id, at_line, deal_id) AS (
    SELECT
        line_id,
        parent_line_id,
        CASE WHEN sam_deal_id IS NOT NULL THEN sam_deal_id
             WHEN parent_line_id IS NULL THEN 'news:' || line_id END
    FROM choice
    UNION ALL
    SELECT w.line_id, c.parent_line_id,
           CASE WHEN c.parent_line_id IS NULL THEN 'news:' || c.line_id END
    FROM walk AS w
    JOIN choice AS c ON c.line_id = w.at_line
    WHERE w.deal_id IS NULL
),
evidence AS (
    SELECT
        l.deal_id, l.doc_id, l.line_no, l.mineral,
        CASE WHEN l.version_rank = l.canonical_rank THEN 'notice' ELSE 'earlier notice' END
            AS relation,
        ['procurement_key'] AS matched_on,
        l.procurement_key AS matched_to,
        l.posted_date AS reported_on,
        l.usd, l.usd_is_upper_bound, l.tonnes, l.suppliers, l.supplier_ids
    FROM sam_line AS l
    UNION ALL
    SELECT
        w.deal_id, n.doc_id, n.line_no, n.mineral, 'report', c.matched_on, c.matched_to,
        n.reported_on, n.usd, n.usd_is_upper_bound, n.tonnes, n.suppliers, n.supplier_ids
    FROM walk AS w
    JOIN news_line AS n ON n.line_id = w.line_id
    JOIN choice AS c ON c.line_id = w.line_id
    WHERE w.deal_id IS NOT NULL
)
SELECT
    e.deal_id, e.doc_id, e.line_no, e.mineral, e.relation, e.matched_on, e.matched_to,
    e.reported_on, e.usd, e.usd_is_upper_bound, e.tonnes, e.suppliers, e.supplier_ids,
    d.source, d.url, d.title
FROM evidence AS e
JOIN document AS d ON d.doc_id = e.doc_id;

-- One row per deal: a SAM.gov procurement of one mineral, or a deal known only from reports.
CREATE VIEW deals AS
WITH
evidence AS MATERIALIZED (
    SELECT * FROM deal_evidence
),
names AS MATERIALIZED (
    SELECT * FROM supplier_names
),
display AS (
    SELECT DISTINCT supplier_id, supplier_name FROM names
),
sam_canonical AS (
    SELECT
        deal_id,
        any_value(mineral) AS mineral,
        any_value(doc_id) AS doc_id,
        sum(usd) AS usd,
        bool_or(usd_is_upper_bound) AS usd_is_upper_bound,
        sum(tonnes) AS tonnes
    FROM evidence
    WHERE relation = 'notice'
    GROUP BY deal_id
),
sam_deal AS (
    SELECT
        c.deal_id, c.mineral, c.doc_id, c.usd, c.usd_is_upper_bound, c.tonnes,
        v.procurement_key,
        award.award_date,
        award.awardee_uei,
        coalesce(award.award_date, award.posted_date,
                 (SELECT min(least(n2.posted_date, n2.award_date))
                  FROM procurement_notices AS v2 JOIN notice AS n2 ON n2.doc_id = v2.doc_id
                  WHERE v2.procurement_key = v.procurement_key)) AS deal_date,
        n.notice_id, n.notice_type,
        CASE
            WHEN n.buyer_path IS NULL OR trim(n.buyer_path) = '' THEN NULL
            WHEN split_part(n.buyer_path, '.', 1) = 'DEPT OF DEFENSE'
                 AND split_part(n.buyer_path, '.', 2) <> ''
                THEN split_part(n.buyer_path, '.', 2)
            ELSE split_part(n.buyer_path, '.', 1)
        END AS buyer
    FROM sam_canonical AS c
    JOIN procurement_notices AS v ON v.doc_id = c.doc_id
    JOIN notice AS n ON n.doc_id = c.doc_id
    LEFT JOIN (
        -- the procurement's latest award notice: its date and awardee are the deal's
        SELECT v3.procurement_key, n3.award_date, n3.posted_date,
               nullif(trim(n3.awardee_uei), '') AS awardee_uei
        FROM procurement_notices AS v3
        JOIN notice AS n3 ON n3.doc_id = v3.doc_id
        WHERE n3.notice_type = 'Award Notice' OR n3.award_date IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY v3.procurement_key ORDER BY v3.version_rank) = 1
    ) AS award ON award.procurement_key = v.procurement_key
),
news_lead AS (
    -- a report-only deal takes its figures from the line that states the most of value,
    -- supplier and tonnes, the earliest report first among equals
    SELECT deal_id, mineral, doc_id, usd, usd_is_upper_bound, tonnes
    FROM evidence
    WHERE deal_id LIKE 'news:%'
    QUALIFY row_number() OVER (
        PARTITION BY deal_id
        ORDER BY (usd IS NOT NULL)::INTEGER + (len(supplier_ids) > 0)::INTEGER
                 + (tonnes IS NOT NULL)::INTEGER DESC,
                 reported_on, doc_id, line_no
    ) = 1
),
base AS (
    SELECT deal_id, mineral, deal_date, usd, usd_is_upper_bound, tonnes, buyer,
           'sam_gov' AS basis, procurement_key, notice_id, notice_type, award_date, awardee_uei,
           doc_id
    FROM sam_deal
    UNION ALL
    SELECT l.deal_id, l.mineral,
           -- no event date is extracted yet: the earliest report's publication date
           (SELECT min(reported_on) FROM evidence AS e WHERE e.deal_id = l.deal_id),
           l.usd, l.usd_is_upper_bound, l.tonnes, NULL, 'news', NULL, NULL, NULL, NULL, NULL,
           l.doc_id
    FROM news_lead AS l
),
deal_supplier AS (
    -- SAM.gov names the supplier of its deals (none until awarded); reports name theirs
    SELECT DISTINCT e.deal_id, unnest(e.supplier_ids) AS supplier_id
    FROM evidence AS e
    WHERE e.relation IN ('notice', 'earlier notice') OR e.deal_id LIKE 'news:%'
    UNION
    SELECT b.deal_id, s.supplier_id
    FROM base AS b
    JOIN procurement_notices AS v ON v.procurement_key = b.procurement_key
    JOIN notice AS n ON n.doc_id = v.doc_id
    JOIN names AS s ON s.name = trim(n.awardee_name)
),
supplier_list AS (
    SELECT ds.deal_id,
           list(ds.supplier_id ORDER BY ds.supplier_id) AS supplier_ids,
           list(d.supplier_name ORDER BY ds.supplier_id) AS suppliers
    FROM deal_supplier AS ds
    JOIN display AS d USING (supplier_id)
    GROUP BY ds.deal_id
),
reports AS (
    SELECT
        e.deal_id,
        count(DISTINCT e.doc_id) AS reports,
        min(e.reported_on) AS first_reported,
        max(e.reported_on) AS last_reported
    FROM evidence AS e
    GROUP BY e.deal_id
),
evidence_docs AS (
    SELECT
        x.deal_id,
        list(x.doc_id ORDER BY x.reported_on, x.doc_id) AS evidence_doc_ids,
        list(x.url ORDER BY x.reported_on, x.doc_id) AS evidence_urls
    FROM (
        SELECT e.deal_id, e.doc_id, any_value(e.url) AS url, min(e.reported_on) AS reported_on
        FROM evidence AS e
        JOIN base AS b ON b.deal_id = e.deal_id AND e.doc_id <> b.doc_id
        GROUP BY e.deal_id, e.doc_id
    ) AS x
    GROUP BY x.deal_id
)
SELECT
    b.deal_id,
    b.mineral,
    b.deal_date,
    b.usd,
    b.usd_is_upper_bound,
    b.tonnes,
    coalesce(s.suppliers, []::VARCHAR[]) AS suppliers,
    b.buyer,
    b.basis,
    b.procurement_key,
    b.notice_id,
    b.notice_type,
    b.award_date,
    b.awardee_uei,
    b.doc_id,
    d.url,
    d.title,
    r.reports,
    coalesce(x.evidence_doc_ids, []::VARCHAR[]) AS evidence_doc_ids,
    coalesce(x.evidence_urls, []::VARCHAR[]) AS evidence_urls,
    r.first_reported,
    r.last_reported,
    coalesce(s.supplier_ids, []::VARCHAR[]) AS supplier_ids
FROM base AS b
JOIN document AS d ON d.doc_id = b.doc_id
JOIN reports AS r ON r.deal_id = b.deal_id
LEFT JOIN supplier_list AS s ON s.deal_id = b.deal_id
LEFT JOIN evidence_docs AS x ON x.deal_id = b.deal_id;

-- One row per company, with every spelling seen and its deals.
CREATE VIEW suppliers AS
WITH
company AS (
    SELECT
        supplier_id,
        any_value(supplier_name) AS name,
        list_sort(list(name) FILTER (WHERE name <> supplier_name)) AS aliases,
        -- several UEIs under one name group: the first in order (rare; see supplier_names)
        min(uei) AS uei,
        sum(documents) AS sightings
    FROM supplier_names
    GROUP BY supplier_id
),
deal_of AS (
    SELECT unnest(supplier_ids) AS supplier_id, deal_id, mineral, deal_date, usd,
           usd_is_upper_bound
    FROM deals
),
totals AS (
    SELECT
        supplier_id,
        count(*) AS deals,
        list(deal_id ORDER BY deal_date, deal_id) AS deal_ids,
        sum(usd) FILTER (WHERE NOT usd_is_upper_bound) AS firm_usd,
        sum(usd) FILTER (WHERE usd_is_upper_bound) AS ceiling_usd,
        list_sort(list_distinct(list(mineral))) AS minerals,
        min(deal_date) AS first_deal_date,
        max(deal_date) AS last_deal_date
    FROM deal_of
    GROUP BY supplier_id
)
SELECT
    c.supplier_id,
    c.name,
    coalesce(c.aliases, []::VARCHAR[]) AS aliases,
    c.uei,
    coalesce(t.deals, 0) AS deals,
    coalesce(t.deal_ids, []::VARCHAR[]) AS deal_ids,
    t.firm_usd,
    t.ceiling_usd,
    coalesce(t.minerals, []::VARCHAR[]) AS minerals,
    t.first_deal_date,
    t.last_deal_date
FROM company AS c
LEFT JOIN totals AS t ON t.supplier_id = c.supplier_id;

-- What runs since a given one brought: documents, deals and announcements first seen in that
-- run or a later one. A deal is first seen with its earliest document (a news-only deal that a
-- SAM.gov notice confirms tonight is not new); an announcement with its earliest document in
-- any language or source.
CREATE MACRO new_since_run(since_run_id) AS TABLE
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
)
SELECT i.run_id, i.item, i.item_id, i.title, i.source, i.url, i.first_seen_at
FROM item AS i
WHERE i.run_started_at >= (SELECT started_at FROM since)
ORDER BY i.item, i.first_seen_at, i.item_id;

-- Since last night: from the latest nightly or demo run on (a reprocess run after it adds
-- whatever it loaded first; a reprocess alone is not a night).
CREATE VIEW new_since_last_run AS
SELECT *
FROM new_since_run(
    (SELECT run_id FROM run WHERE mode <> 'reprocess' ORDER BY started_at DESC, run_id DESC LIMIT 1)
);
