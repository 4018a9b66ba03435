-- One document per MOFCOM page whatever the scheme of the link that reached it. The MOFCOM
-- spiders read a MOFCOM host's http:// as https:// (spiders/mofcom.py, mofcom_identity) since
-- issue 13; the export-control portal's and some bureau pages had landed before as
-- "web:http://...". Such a page is fetched again under its https identity (the crawl state's
-- seen keys were http too), so an existing warehouse would hold it twice, in every view.
--
-- A MOFCOM source's "web:http://<MOFCOM host>/..." document becomes "web:https://...":
-- - alone, it is renamed in every table keyed by doc_id (its history, facts and first
--   sighting kept), so the night that fetches it again finds it unchanged;
-- - beside its https twin (a night ran between the two changes), the twin stays as the page
--   stands now and takes the earlier first sighting; the http copy and its facts go (its
--   superseded versions too: they are older copies of the page the twin holds).
-- Watch-rule alerts name their document ("rule:<rule>:<doc_id>"): they are renamed with it,
-- unless the twin has its own already, so a rule never alerts twice on one page.
-- Documents of other sources keep their ids: their spiders keep the link's scheme.
-- Idempotent: a warehouse without such documents is left as it is.

CREATE TEMP TABLE mofcom_http_document AS
SELECT
    d.doc_id AS old_id,
    'web:https://' || substr(d.doc_id, 12) AS new_id,
    d.first_seen_at,
    d.first_run_id,
    EXISTS (
        SELECT 1 FROM document AS t WHERE t.doc_id = 'web:https://' || substr(d.doc_id, 12)
    ) AS has_twin
FROM document AS d
WHERE d.source LIKE 'mofcom%'
  AND d.doc_id LIKE 'web:http://%'
  AND (lower(regexp_extract(d.doc_id, '^web:http://([^/?#:]+)', 1)) = 'mofcom.gov.cn'
       OR lower(regexp_extract(d.doc_id, '^web:http://([^/?#:]+)', 1)) LIKE '%.mofcom.gov.cn');

-- Beside a twin: the earlier first sighting, then the http copy goes.
UPDATE document
SET first_seen_at = m.first_seen_at, first_run_id = m.first_run_id
FROM mofcom_http_document AS m
WHERE m.has_twin AND document.doc_id = m.new_id AND m.first_seen_at < document.first_seen_at;

DELETE FROM document_version WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM notice WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM extraction WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM mention WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM procurement_line WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM export_control WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM announcement WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);
DELETE FROM document WHERE doc_id IN (SELECT old_id FROM mofcom_http_document WHERE has_twin);

-- Alone: renamed everywhere (source_id too, which the spider now gives as https).
UPDATE document
SET doc_id = m.new_id,
    source_id = CASE WHEN document.source_id LIKE 'http://%'
                     THEN 'https://' || substr(document.source_id, 8)
                     ELSE document.source_id END
FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND document.doc_id = m.old_id;
UPDATE document_version SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND document_version.doc_id = m.old_id;
UPDATE notice SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND notice.doc_id = m.old_id;
UPDATE extraction SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND extraction.doc_id = m.old_id;
UPDATE mention SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND mention.doc_id = m.old_id;
UPDATE procurement_line SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND procurement_line.doc_id = m.old_id;
UPDATE export_control SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND export_control.doc_id = m.old_id;
UPDATE announcement SET doc_id = m.new_id FROM mofcom_http_document AS m
WHERE NOT m.has_twin AND announcement.doc_id = m.old_id;

-- Watch-rule alerts of a renamed or dropped http document, where the https one has none.
CREATE TEMP TABLE mofcom_http_alert AS
SELECT a.alert_key AS old_key, 'rule:' || a.rule_name || ':' || m.new_id AS new_key,
       m.old_id, m.new_id
FROM alert AS a
JOIN mofcom_http_document AS m ON a.alert_key = 'rule:' || a.rule_name || ':' || m.old_id
WHERE a.kind = 'watch_rule'
  AND NOT EXISTS (
      SELECT 1 FROM alert AS b WHERE b.alert_key = 'rule:' || a.rule_name || ':' || m.new_id
  );

UPDATE alert_delivery SET alert_key = k.new_key FROM mofcom_http_alert AS k
WHERE alert_delivery.alert_key = k.old_key;
UPDATE alert
SET alert_key = k.new_key,
    title = replace(alert.title, k.old_id, k.new_id),
    payload = replace(CAST(alert.payload AS VARCHAR), '"' || k.old_id || '"', '"' || k.new_id || '"')::JSON
FROM mofcom_http_alert AS k
WHERE alert.alert_key = k.old_key;

DROP TABLE mofcom_http_alert;
DROP TABLE mofcom_http_document;
