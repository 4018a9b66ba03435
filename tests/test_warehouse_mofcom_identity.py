"""Migration 0011: a MOFCOM page landed under an http:// identity is one document with its https
identity, in a warehouse made by real nights over the sample site.

Before issue 13's change of identity the export-control portal's pages landed as
"web:http://exportcontrol.mofcom.gov.cn/..." and the crawl state held http:// seen keys; the
spider now names them https://, so the next night fetches them again. The warehouses below are
the ones a real night makes (Prefect flow, crawl over the loopback sample site, real DuckDB
file), put back into the state the earlier code left: ids, seen keys and watch-rule alert keys
in http://, and the migration not yet applied.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.warehouse import applied_migrations, migrate
from minwatch.warehouse.alerts import WatchRule, evaluate_alerts
from minwatch.warehouse.snapshot import work_path
from tests.sample_night import sample_night

PORTAL = "exportcontrol.mofcom.gov.cn"
NO_33 = f"web:https://{PORTAL}/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"
NEWS = f"web:https://{PORTAL}/article/gndt/202505/1137.html"
MIGRATION = (11, "0011_mofcom_https_identity.sql")
RULE = WatchRule(name="portal", sources=("mofcom_exportcontrol",))
# Every table keyed by doc_id.
DOC_TABLES = (
    "document", "document_version", "notice", "extraction", "mention", "procurement_line",
    "export_control", "announcement",
)  # fmt: skip


def _http(value: str) -> str:
    return value.replace(f"https://{PORTAL}/", f"http://{PORTAL}/")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[Any]:
    return con.execute(sql, params or []).fetchall()


def _first_night(db: Path, server: SampleServer) -> str:
    sample_night(db, server, "2026-11-27", "mofcom_exportcontrol", send_alerts=False)
    con = duckdb.connect(str(db))
    try:
        ((run_id,),) = _rows(con, "SELECT run_id FROM run")
        evaluate_alerts(con, run_id, [RULE])
        assert sorted(k for (k,) in _rows(con, "SELECT alert_key FROM alert")) == [
            "announcement:MOFCOM 2024-33",
            f"rule:portal:{NEWS}",
            f"rule:portal:{NO_33}",
        ]
    finally:
        con.close()
    return str(run_id)


def _as_the_earlier_code_left_it(con: duckdb.DuckDBPyConnection, *, keep_https: bool) -> None:
    """The portal's documents under http:// ids; with `keep_https`, beside their https twins
    (a night of the current code ran before the migration existed), the http copies seen a
    day earlier."""
    like = f"web:https://{PORTAL}/%"
    old = f"replace(doc_id, 'web:https://{PORTAL}/', 'web:http://{PORTAL}/')"
    for table in DOC_TABLES:
        if keep_https:
            earlier = ", first_seen_at - INTERVAL 1 DAY AS first_seen_at"
            shift = earlier if table == "document" else ""
            con.execute(
                f"INSERT INTO {table} SELECT * REPLACE ({old} AS doc_id{shift}) "
                f"FROM {table} WHERE doc_id LIKE '{like}'"
            )
        else:
            con.execute(f"UPDATE {table} SET doc_id = {old} WHERE doc_id LIKE '{like}'")
    con.execute(
        f"UPDATE document SET source_id = replace(source_id, 'https://', 'http://') "
        f"WHERE doc_id LIKE 'web:http://{PORTAL}/%'"
    )
    if not keep_https:
        for table in ("alert", "alert_delivery"):
            con.execute(
                f"UPDATE {table} SET alert_key = replace(alert_key, 'https://{PORTAL}/', "
                f"'http://{PORTAL}/') WHERE alert_key LIKE 'rule:%'"
            )
        con.execute(
            f"UPDATE source_state SET state = replace(CAST(state AS VARCHAR), "
            f"'\"https://{PORTAL}/', '\"http://{PORTAL}/')::JSON "
            "WHERE source = 'mofcom_exportcontrol'"
        )
    con.execute(f"DELETE FROM schema_migrations WHERE version = {MIGRATION[0]}")


@pytest.mark.slow
def test_http_documents_are_renamed_and_the_next_night_finds_them_unchanged(
    prefect_harness: None, tmp_path: Path
) -> None:
    db = tmp_path / "minwatch.duckdb"
    with SampleServer() as server:
        first_run = _first_night(db, server)
        con = duckdb.connect(str(db))
        _as_the_earlier_code_left_it(con, keep_https=False)
        before = {
            _http(doc_id): row
            for doc_id, *row in _rows(
                con, "SELECT doc_id, content_hash, first_seen_at, version FROM document"
            )
        }
        facts = {t: _rows(con, f"SELECT count(*) FROM {t}") for t in DOC_TABLES}
        assert sorted(before) == sorted([_http(NEWS), _http(NO_33)])
        con.close()
        # The night's working file holds the warehouse as this code made it; the next night
        # starts again from the published one, the earlier code's.
        work_path(db).unlink()
        # The next night re-crawls the portal's window on demand (an operator's re-crawl, or
        # a re-dated row, fetches a page again): connecting applies 0011, and both pages are
        # fetched again and named https.
        sample_night(
            db,
            server,
            "2026-11-28",
            "mofcom_exportcontrol",
            send_alerts=False,
            from_date="2024-01-01",
            until_date="2026-11-28",
        )
        refetched = [r.path for r in server.requests if r.path.endswith(("1024.html", "1137.html"))]
    assert len(refetched) == 4  # each page on both nights
    con = duckdb.connect(str(db))
    try:
        assert MIGRATION in [(v, n) for v, n, _ in applied_migrations(con)]
        docs = _rows(
            con,
            "SELECT doc_id, source_id, content_hash, first_seen_at, version, first_run_id "
            "FROM document ORDER BY doc_id",
        )
        # One document per page, with the https id, its first sighting and no new version.
        assert [(d[0], d[1]) for d in docs] == [(NEWS, NEWS[4:]), (NO_33, NO_33[4:])]
        for doc_id, _, content_hash, first_seen, version, first_run_id in docs:
            assert [content_hash, first_seen, version] == list(before[_http(doc_id)])
            assert (version, first_run_id) == (1, first_run)
        assert {t: _rows(con, f"SELECT count(*) FROM {t}") for t in DOC_TABLES} == facts
        assert _rows(
            con,
            "SELECT announcement_key, count(*) FROM export_controls "
            "WHERE kind = 'export_control' GROUP BY ALL",
        ) == [("MOFCOM 2024-33", 1)]
        # The rule's alerts follow their documents: evaluating again raises none.
        ((second_run,),) = _rows(con, "SELECT run_id FROM run WHERE run_id <> ?", [first_run])
        assert evaluate_alerts(con, second_run, [RULE]) == []
        assert sorted(k for (k,) in _rows(con, "SELECT alert_key FROM alert")) == [
            "announcement:MOFCOM 2024-33",
            f"rule:portal:{NEWS}",
            f"rule:portal:{NO_33}",
        ]
        assert _rows(
            con,
            "SELECT json_extract_string(payload, '$.doc_id') FROM alert "
            f"WHERE alert_key = 'rule:portal:{NO_33}'",
        ) == [(NO_33,)]
    finally:
        con.close()


@pytest.mark.slow
def test_an_http_copy_beside_its_https_twin_goes_and_the_twin_keeps_the_first_sighting(
    prefect_harness: None, tmp_path: Path
) -> None:
    db = tmp_path / "minwatch.duckdb"
    with SampleServer() as server:
        _first_night(db, server)
    con = duckdb.connect(str(db))
    try:
        landed = dict(_rows(con, "SELECT doc_id, first_seen_at FROM document"))
        _as_the_earlier_code_left_it(con, keep_https=True)
        assert _rows(con, "SELECT count(*) FROM export_controls WHERE kind = 'export_control'") == [
            (2,)
        ]
        assert migrate(con) == [MIGRATION[1]]
        docs = dict(_rows(con, "SELECT doc_id, first_seen_at FROM document"))
        assert docs == {k: v - timedelta(days=1) for k, v in landed.items()}
        for table in DOC_TABLES:
            assert _rows(con, f"SELECT count(*) FROM {table} WHERE doc_id LIKE 'web:http://%'") == [
                (0,)
            ], table
        assert _rows(
            con,
            "SELECT doc_id, announcement_key FROM export_controls WHERE kind = 'export_control'",
        ) == [(NO_33, "MOFCOM 2024-33")]
        # Applied once: a second migrate changes nothing.
        assert migrate(con) == []
    finally:
        con.close()
