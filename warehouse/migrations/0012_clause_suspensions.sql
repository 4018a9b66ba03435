-- A suspension of some clauses of an announcement, not of the whole. MOFCOM's notice of
-- 9 November 2025 suspends clause 2 of 2024 No. 46 (no gallium, germanium, antimony or
-- superhard exports to the US) until 27 November 2026, while clause 1 (no dual-use items to US
-- military users) stays in force; 0007 read every suspension as one of the whole announcement.
--
-- announcement.suspensions: what the spider parsed, per target, [{"announcement": "MOFCOM
-- 2024-46", "clauses": ["2"], "suspended_from": "2025-11-09", "suspended_until": "2026-11-27"}];
-- "clauses" [] is the whole announcement. NULL on rows loaded before this migration and from
-- spiders that do not parse clauses: each of `suspends` is then suspended whole over
-- suspended_from .. suspended_until, as before. `suspends` keeps every target either way.
-- announcement.numbered_clauses: the announcement's own top-level clause numbers ("一、" /
-- "I." lines: ["1", "2"] for 2024 No. 46), so a clause left in force has a row of its own.
-- Idempotent: columns are added if missing, views and macros replaced.

ALTER TABLE announcement ADD COLUMN IF NOT EXISTS suspensions JSON;
ALTER TABLE announcement ADD COLUMN IF NOT EXISTS numbered_clauses VARCHAR[];

-- The view gains the two columns at its end (analysts' column order is a contract).
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
    d.url,
    a.suspended_from,
    a.clauses,
    a.suspensions,
    a.numbered_clauses
FROM document AS d
LEFT JOIN announcement AS a ON a.doc_id = d.doc_id
LEFT JOIN export_control AS e ON e.doc_id = d.doc_id
WHERE a.doc_id IS NOT NULL OR e.doc_id IS NOT NULL;

-- Every suspension one official announcement orders, one row per target: the clauses it
-- suspends ([] = the whole) and its span. Of the documents of one suspending announcement, the
-- Chinese text's parse is read (as export_control_status reads its other fields).
CREATE OR REPLACE MACRO export_control_suspensions() AS TABLE
WITH suspending AS (
    SELECT *
    FROM export_controls
    WHERE kind = 'export_control' AND announcement_key IS NOT NULL AND len(suspends) > 0
    QUALIFY row_number() OVER (
        PARTITION BY announcement_key ORDER BY language <> 'zh', suspensions IS NULL, doc_id
    ) = 1
)
SELECT DISTINCT
    unnest(suspends) AS target,
    announcement_key AS suspended_by,
    []::VARCHAR[] AS clauses,
    coalesce(suspended_from, effective_on, issued_on) AS suspended_from,
    suspended_until
FROM suspending
WHERE suspensions IS NULL
UNION
SELECT
    json_extract_string(s, '$.announcement') AS target,
    announcement_key AS suspended_by,
    list_sort(coalesce(CAST(json_extract(s, '$.clauses') AS VARCHAR[]), []::VARCHAR[])),
    coalesce(
        CAST(json_extract_string(s, '$.suspended_from') AS DATE),
        suspended_from, effective_on, issued_on
    ),
    CAST(json_extract_string(s, '$.suspended_until') AS DATE)
FROM suspending, unnest(CAST(suspensions AS JSON[])) AS t(s)
WHERE suspensions IS NOT NULL;

-- 0007's statuses, and 'partly suspended': a suspension spanning `day` names some clauses of
-- the announcement (not all its numbered clauses); `suspended_clauses` lists them, and
-- suspended_by / suspended_until are that suspension's. An announcement suspended whole (or
-- in every numbered clause) is 'suspended' as before.
CREATE OR REPLACE MACRO export_control_status(day) AS TABLE
WITH official AS (
    SELECT
        announcement_key,
        arg_min(authority, language <> 'zh') AS authority,
        arg_min(number, language <> 'zh') AS number,
        arg_min(title, language <> 'zh') AS title,
        arg_min(issued_on, language <> 'zh') AS issued_on,
        arg_min(effective_on, language <> 'zh') AS effective_on,
        arg_min(coalesce(numbered_clauses, []::VARCHAR[]), language <> 'zh') AS numbered_clauses
    FROM export_controls
    WHERE kind = 'export_control' AND announcement_key IS NOT NULL
    GROUP BY announcement_key
),
spanning AS (
    SELECT *
    FROM export_control_suspensions()
    WHERE suspended_from <= CAST(day AS DATE)
      AND (suspended_until IS NULL OR suspended_until >= CAST(day AS DATE))
),
whole AS (
    SELECT target, suspended_by, suspended_until
    FROM spanning
    WHERE len(clauses) = 0
    QUALIFY row_number() OVER (
        PARTITION BY target ORDER BY suspended_until DESC NULLS FIRST, suspended_by
    ) = 1
),
part AS (
    SELECT
        target,
        -- the suspension lasting longest (no end: open) names the announcement
        arg_max(suspended_by, coalesce(suspended_until, DATE '9999-12-31')) AS suspended_by,
        max(coalesce(suspended_until, DATE '9999-12-31')) AS last_day,
        list_sort(list_distinct(flatten(list(clauses)))) AS suspended_clauses
    FROM spanning
    WHERE len(clauses) > 0
    GROUP BY target
)
SELECT
    o.announcement_key,
    o.authority,
    o.number,
    o.title,
    o.issued_on,
    o.effective_on,
    CASE
        WHEN o.effective_on > CAST(day AS DATE) THEN 'not yet in force'
        WHEN w.suspended_by IS NOT NULL THEN 'suspended'
        WHEN p.suspended_by IS NOT NULL
             AND len(o.numbered_clauses) > 0
             AND list_has_all(p.suspended_clauses, o.numbered_clauses) THEN 'suspended'
        WHEN p.suspended_by IS NOT NULL THEN 'partly suspended'
        ELSE 'in force'
    END AS status,
    CASE WHEN o.effective_on > CAST(day AS DATE) THEN NULL
         ELSE coalesce(w.suspended_by, p.suspended_by) END AS suspended_by,
    CASE WHEN o.effective_on > CAST(day AS DATE) THEN NULL
         WHEN w.suspended_by IS NOT NULL THEN w.suspended_until
         ELSE nullif(p.last_day, DATE '9999-12-31') END AS suspended_until,
    CASE WHEN o.effective_on > CAST(day AS DATE) OR w.suspended_by IS NOT NULL THEN NULL
         ELSE p.suspended_clauses END AS suspended_clauses
FROM official AS o
LEFT JOIN whole AS w ON w.target = o.announcement_key
LEFT JOIN part AS p ON p.target = o.announcement_key
ORDER BY o.announcement_key;

-- Per clause: one row per numbered clause of each official announcement and per clause a
-- suspension names (an announcement with neither has one row, clause NULL: the whole), with
-- its status on `day`: 'not yet in force', 'suspended' (a suspension spanning `day` names the
-- clause, a clause above it, or the whole announcement) or 'in force'.
CREATE OR REPLACE MACRO export_control_clause_status(day) AS TABLE
WITH official AS (
    SELECT
        announcement_key,
        arg_min(effective_on, language <> 'zh') AS effective_on,
        arg_min(coalesce(numbered_clauses, []::VARCHAR[]), language <> 'zh') AS numbered_clauses
    FROM export_controls
    WHERE kind = 'export_control' AND announcement_key IS NOT NULL
    GROUP BY announcement_key
),
named AS (
    SELECT s.target AS announcement_key, unnest(s.clauses) AS clause
    FROM export_control_suspensions() AS s
),
clause_list AS (
    SELECT
        o.announcement_key,
        o.effective_on,
        list_distinct(
            o.numbered_clauses
            || coalesce(
                (SELECT list(n.clause) FROM named AS n
                 WHERE n.announcement_key = o.announcement_key),
                []::VARCHAR[]
            )
        ) AS clauses
    FROM official AS o
),
clause_row AS (
    SELECT announcement_key, effective_on, unnest(clauses) AS clause
    FROM clause_list WHERE len(clauses) > 0
    UNION ALL
    SELECT announcement_key, effective_on, NULL AS clause
    FROM clause_list WHERE len(clauses) = 0
),
covering AS (
    SELECT
        c.announcement_key,
        c.clause,
        s.suspended_by,
        s.suspended_until
    FROM clause_row AS c
    JOIN export_control_suspensions() AS s
      ON s.target = c.announcement_key
     AND s.suspended_from <= CAST(day AS DATE)
     AND (s.suspended_until IS NULL OR s.suspended_until >= CAST(day AS DATE))
     AND (len(s.clauses) = 0
          OR list_has_any(s.clauses, [c.clause])
          OR list_has_any(s.clauses, [regexp_extract(c.clause, '^[^(]+')]))
    QUALIFY row_number() OVER (
        PARTITION BY c.announcement_key, c.clause
        ORDER BY s.suspended_until DESC NULLS FIRST, s.suspended_by
    ) = 1
)
SELECT
    c.announcement_key,
    c.clause,
    CASE
        WHEN c.effective_on > CAST(day AS DATE) THEN 'not yet in force'
        WHEN v.suspended_by IS NOT NULL THEN 'suspended'
        ELSE 'in force'
    END AS status,
    CASE WHEN c.effective_on > CAST(day AS DATE) THEN NULL ELSE v.suspended_by END
        AS suspended_by,
    CASE WHEN c.effective_on > CAST(day AS DATE) THEN NULL ELSE v.suspended_until END
        AS suspended_until
FROM clause_row AS c
LEFT JOIN covering AS v
  ON v.announcement_key = c.announcement_key AND v.clause IS NOT DISTINCT FROM c.clause
ORDER BY
    c.announcement_key,
    TRY_CAST(regexp_extract(c.clause, '^[0-9]+') AS INTEGER) NULLS FIRST,
    c.clause;

-- Today's answer: an announcement partly suspended still has measures in force, so it stays,
-- its suspended clauses named.
CREATE OR REPLACE VIEW export_controls_in_force AS
SELECT announcement_key, authority, number, title, issued_on, effective_on, suspended_clauses
FROM export_control_status(current_date)
WHERE status IN ('in force', 'partly suspended');
