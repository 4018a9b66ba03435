-- The clauses of an announcement that take effect on different dates ("from the date of
-- publication" for one, 1 December for the main measures) and the start of a suspension, as
-- the spiders parse them. `effective_on` stays the day all clauses are in force.

ALTER TABLE announcement ADD COLUMN suspended_from DATE;
ALTER TABLE announcement ADD COLUMN clauses JSON;  -- [{"clause": ..., "effective_on": ...}]

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
    a.clauses
FROM document AS d
LEFT JOIN announcement AS a ON a.doc_id = d.doc_id
LEFT JOIN export_control AS e ON e.doc_id = d.doc_id
WHERE a.doc_id IS NOT NULL OR e.doc_id IS NOT NULL;
