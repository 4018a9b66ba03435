-- Which export controls are in force on a given day. MOFCOM suspends announcements by number
-- (No. 70 of 2025 suspends Nos. 55-58, 61 and 62 until 10 November 2026), so whether a measure
-- applies on a day depends on every later announcement: this resolves it once, for analysts.
--
-- export_control_status(day): one row per official announcement (the spiders' own texts, not
-- news reports of them), with its status on `day`:
--   'not yet in force'  its effective date is after `day`;
--   'suspended'         a suspension that names it spans `day` (from its start, else its
--                       effective or issue date, until its end, inclusive; no end: open);
--   'in force'          otherwise.
-- The Chinese text's fields win over a translation's when both are loaded.

CREATE MACRO export_control_status(day) AS TABLE
WITH official AS (
    SELECT
        announcement_key,
        arg_min(authority, language <> 'zh') AS authority,
        arg_min(number, language <> 'zh') AS number,
        arg_min(title, language <> 'zh') AS title,
        arg_min(issued_on, language <> 'zh') AS issued_on,
        arg_min(effective_on, language <> 'zh') AS effective_on
    FROM export_controls
    WHERE kind = 'export_control' AND announcement_key IS NOT NULL
    GROUP BY announcement_key
),
suspension AS (
    SELECT DISTINCT
        unnest(suspends) AS target,
        announcement_key AS suspended_by,
        coalesce(suspended_from, effective_on, issued_on) AS suspended_from,
        suspended_until
    FROM export_controls
    WHERE kind = 'export_control' AND len(suspends) > 0
),
spanning AS (
    SELECT target, suspended_by, suspended_until
    FROM suspension
    WHERE suspended_from <= CAST(day AS DATE)
      AND (suspended_until IS NULL OR suspended_until >= CAST(day AS DATE))
    QUALIFY row_number() OVER (
        PARTITION BY target ORDER BY suspended_until DESC NULLS FIRST, suspended_by
    ) = 1
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
        WHEN s.suspended_by IS NOT NULL THEN 'suspended'
        ELSE 'in force'
    END AS status,
    s.suspended_by,
    s.suspended_until
FROM official AS o
LEFT JOIN spanning AS s ON s.target = o.announcement_key
ORDER BY o.announcement_key;

-- Today's answer, by the warehouse's clock (UTC).
CREATE VIEW export_controls_in_force AS
SELECT announcement_key, authority, number, title, issued_on, effective_on
FROM export_control_status(current_date)
WHERE status = 'in force';
