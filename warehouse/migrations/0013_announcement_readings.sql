-- Which document of an announcement is read. MOFCOM publishes one announcement on several
-- pages (the policy list's page, the Security and Control Bureau's, a reprint), and two Chinese
-- pages may state a field differently or leave it out. 0007 and 0012 read each field with
-- arg_min(field, language <> 'zh'), which picks any one of the Chinese documents: a status
-- could change from one load to the next. Now each field is read from the Chinese document
-- that states it, the one seen first (the original publication; a later page is a copy),
-- then by doc_id; a translation fills only what no Chinese document states.
-- export_control_disagreements lists every field on which the Chinese documents of one
-- announcement differ, with the documents behind each value, so an analyst sees where the
-- answer came from and what else was published.
-- Idempotent: macros and views are replaced.

-- One row per official announcement, each field read as above.
CREATE OR REPLACE MACRO export_control_reading() AS TABLE
SELECT
    x.announcement_key,
    arg_min(x.authority, (x.language <> 'zh', x.authority IS NULL, d.first_seen_at, x.doc_id))
        AS authority,
    arg_min(x.number, (x.language <> 'zh', x.number IS NULL, d.first_seen_at, x.doc_id))
        AS number,
    arg_min(x.title, (x.language <> 'zh', x.title IS NULL, d.first_seen_at, x.doc_id))
        AS title,
    arg_min(x.issued_on, (x.language <> 'zh', x.issued_on IS NULL, d.first_seen_at, x.doc_id))
        AS issued_on,
    arg_min(
        x.effective_on, (x.language <> 'zh', x.effective_on IS NULL, d.first_seen_at, x.doc_id)
    ) AS effective_on,
    arg_min(
        coalesce(x.numbered_clauses, []::VARCHAR[]),
        (x.language <> 'zh', x.numbered_clauses IS NULL, d.first_seen_at, x.doc_id)
    ) AS numbered_clauses
FROM export_controls AS x
JOIN document AS d ON d.doc_id = x.doc_id
WHERE x.kind = 'export_control' AND x.announcement_key IS NOT NULL
GROUP BY x.announcement_key;

-- Every suspension one official announcement orders (as in 0012); of its documents, the
-- Chinese text's parse is read, the one seen first.
CREATE OR REPLACE MACRO export_control_suspensions() AS TABLE
WITH suspending AS (
    SELECT *
    FROM export_controls JOIN (SELECT doc_id, first_seen_at FROM document) USING (doc_id)
    WHERE kind = 'export_control' AND announcement_key IS NOT NULL AND len(suspends) > 0
    QUALIFY row_number() OVER (
        PARTITION BY announcement_key
        ORDER BY language <> 'zh', suspensions IS NULL, first_seen_at, doc_id
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

-- 0012's statuses, each field read by export_control_reading().
CREATE OR REPLACE MACRO export_control_status(day) AS TABLE
WITH official AS (
    SELECT * FROM export_control_reading()
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

-- 0012's clause statuses, read the same way.
CREATE OR REPLACE MACRO export_control_clause_status(day) AS TABLE
WITH official AS (
    SELECT announcement_key, effective_on, numbered_clauses FROM export_control_reading()
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

-- Today's answer, as in 0012.
CREATE OR REPLACE VIEW export_controls_in_force AS
SELECT announcement_key, authority, number, title, issued_on, effective_on, suspended_clauses
FROM export_control_status(current_date)
WHERE status IN ('in force', 'partly suspended');

-- Where the Chinese documents of one announcement disagree: one row per announcement, field
-- and stated value, with the documents stating it and whether it is the value read.
CREATE OR REPLACE VIEW export_control_disagreements AS
WITH stated AS (
    SELECT x.announcement_key, x.doc_id, d.first_seen_at, f.field, f.value
    FROM export_controls AS x
    JOIN document AS d ON d.doc_id = x.doc_id,
    unnest([
        {'field': 'number', 'value': x.number},
        {'field': 'issued_on', 'value': CAST(x.issued_on AS VARCHAR)},
        {'field': 'effective_on', 'value': CAST(x.effective_on AS VARCHAR)},
        {'field': 'suspends', 'value': CASE WHEN len(x.suspends) > 0
            THEN array_to_string(list_sort(x.suspends), ', ') END},
        {'field': 'suspended_from', 'value': CAST(x.suspended_from AS VARCHAR)},
        {'field': 'suspended_until', 'value': CAST(x.suspended_until AS VARCHAR)}
    ]) AS t(f)
    WHERE x.kind = 'export_control' AND x.announcement_key IS NOT NULL
      AND x.language = 'zh' AND f.value IS NOT NULL
),
grouped AS (
    SELECT
        announcement_key,
        field,
        value,
        list(doc_id ORDER BY first_seen_at, doc_id) AS doc_ids,
        min((first_seen_at, doc_id)) AS first_stated
    FROM stated
    GROUP BY announcement_key, field, value
)
SELECT
    announcement_key,
    field,
    value,
    doc_ids,
    first_stated = min(first_stated) OVER (PARTITION BY announcement_key, field) AS is_read
FROM grouped
QUALIFY count(*) OVER (PARTITION BY announcement_key, field) > 1
ORDER BY announcement_key, field, value;
