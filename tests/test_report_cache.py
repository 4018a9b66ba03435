"""The night's digest draws the period's sections again only when what they show changed.

Real DuckDB warehouses (the two nights of tests/test_report.py) and real report files; a
"night" here is what the flow leaves in the warehouse: a run, its sources, maybe documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from minwatch.flows.report import PERIOD_CACHE_NAME, build_report, write_night_reports
from minwatch.warehouse import connect, finish_run, record_source_run
from minwatch.warehouse import start_run as start
from minwatch.warehouse.records import FetchErrorRow, SourceRunStats
from tests.test_report import NOW, RUN_2, build_warehouse, doc, line, load, notice, section

PERIOD_SECTIONS = ("top-suppliers", "procurement-chart", "export-control-timeline")


@dataclass(frozen=True)
class Night:
    db: Path
    reports: Path
    cache: Path
    first: Path  # run-2's report, drawn with an empty cache


def _stamp(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _period_sections(page: str) -> list[str]:
    return [section(page, name) for name in PERIOD_SECTIONS]


def _quiet_run(
    db: Path, run_id: str, started: datetime, *, status: str = "ok", error: str | None = None
) -> None:
    """A night that found nothing new: a run and its source's line, no document touched."""
    con = connect(db)
    try:
        start(con, run_id, mode="nightly", started_at=started)
        errors: tuple[FetchErrorRow, ...] = ()
        if error is not None:
            errors = (
                FetchErrorRow(
                    source="sam_gov",
                    url="https://api.sam.gov/opportunities/v2/search",
                    source_id=None,
                    http_status=503,
                    error=error,
                    message="service unavailable",
                    occurred_at=started,
                ),
            )
        record_source_run(
            con,
            SourceRunStats(
                run_id,
                "sam_gov",
                started,
                started + timedelta(minutes=1),
                failed=len(errors),
                status=status,
                errors=errors,
            ),
        )
        finish_run(con, run_id, status=status, finished_at=started + timedelta(minutes=2))
    finally:
        con.close()


@pytest.fixture
def night(tmp_path: Path) -> Night:
    db = tmp_path / "minwatch.duckdb"
    build_warehouse(db)
    first = write_night_reports(db, "run-2", now=NOW)
    reports = tmp_path / "reports"
    return Night(db, reports, reports / PERIOD_CACHE_NAME, first)


def test_a_night_with_nothing_new_leaves_the_period_untouched_and_reports_its_run(
    night: Night,
) -> None:
    cache_before = _stamp(night.cache)
    first_page = night.first.read_text(encoding="utf-8")
    _quiet_run(night.db, "run-3", RUN_2 + timedelta(days=1))

    written = write_night_reports(night.db, "run-3", now=NOW)

    assert _stamp(night.cache) == cache_before  # same bytes, never rewritten
    page = written.read_text(encoding="utf-8")
    assert (night.reports / "latest.html").read_bytes() == written.read_bytes()
    # The run's own facts are the new run's, never the last drawn ones.
    summary = section(page, "run-summary")
    assert "Run <strong>run-3</strong> (nightly)" in summary
    assert "started 2025-11-10 02:00 UTC" in summary
    assert "run-2" not in summary
    assert "No new export controls in this run." in section(page, "new-export-controls")
    assert "No new deals in this run." in section(page, "new-procurements")
    # The period's sections are the ones drawn the night before, byte for byte, and what a
    # report drawn from scratch shows.
    assert _period_sections(page) == _period_sections(first_page)
    con = duckdb.connect(str(night.db), read_only=True)
    try:
        fresh = build_report(con, run_id="run-3", now=NOW, plotly_src="plotly.js")
    finally:
        con.close()
    assert _period_sections(page) == _period_sections(fresh)
    assert "$300,000,000" in section(page, "top-suppliers")  # USAC: the $100M and $200M deals


def test_a_failed_night_with_nothing_new_is_reported_failed(night: Night) -> None:
    cache_before = _stamp(night.cache)
    _quiet_run(night.db, "run-3", RUN_2 + timedelta(days=1), status="failed", error="http_503")

    page = write_night_reports(night.db, "run-3", now=NOW).read_text(encoding="utf-8")

    assert _stamp(night.cache) == cache_before
    summary = section(page, "run-summary")
    assert '<span class="status-failed">failed</span>' in summary
    assert "http_503" in summary and "service unavailable" in summary


def test_a_night_that_loads_a_deal_draws_the_period_again(night: Night) -> None:
    cache_before = _stamp(night.cache)
    started = RUN_2 + timedelta(days=1)
    con = connect(night.db)
    try:
        start(con, "run-3", mode="nightly", started_at=started)
        load(
            con,
            "run-3",
            [doc("sam:a4", started)],
            [notice("sam:a4", date(2025, 11, 9), "Award Notice")],
            [],
            [line("sam:a4", "germanium", 7_000_000, 3, ("Germanium Works Inc",))],
        )
        record_source_run(
            con, SourceRunStats("run-3", "sam_gov", started, started, fetched=1, new=1)
        )
        finish_run(con, "run-3", status="ok", finished_at=started + timedelta(minutes=2))
    finally:
        con.close()

    page = write_night_reports(night.db, "run-3", now=NOW).read_text(encoding="utf-8")

    assert night.cache.read_bytes() != cache_before[0]
    assert "Germanium Works Inc" in section(page, "top-suppliers")
    assert "germanium" in section(page, "procurement-chart")
    new_deals = section(page, "new-procurements")
    assert "germanium" in new_deals and "$7,000,000" in new_deals
    # And the next night with nothing new reuses what this one drew.
    cache_after = _stamp(night.cache)
    _quiet_run(night.db, "run-4", started + timedelta(days=1))
    quiet = write_night_reports(night.db, "run-4", now=NOW).read_text(encoding="utf-8")
    assert _stamp(night.cache) == cache_after
    assert "Germanium Works Inc" in section(quiet, "top-suppliers")
    assert "No new deals in this run." in section(quiet, "new-procurements")


def test_an_edited_fact_without_a_new_document_draws_the_period_again(night: Night) -> None:
    """A reprocess changes facts, not documents: the fingerprint covers the facts' tables."""
    cache_before = _stamp(night.cache)
    con = connect(night.db)
    try:
        con.execute("UPDATE procurement_line SET usd = 150000000 WHERE doc_id = 'sam:a1'")
    finally:
        con.close()
    _quiet_run(night.db, "run-3", RUN_2 + timedelta(days=1))

    page = write_night_reports(night.db, "run-3", now=NOW).read_text(encoding="utf-8")

    assert night.cache.read_bytes() != cache_before[0]
    assert "$350,000,000" in section(page, "top-suppliers")  # USAC: $150M + $200M


def test_the_next_day_draws_the_period_again(night: Night) -> None:
    cache_before = _stamp(night.cache)
    _quiet_run(night.db, "run-3", RUN_2 + timedelta(days=1))
    tomorrow = NOW + timedelta(days=1)

    page = write_night_reports(night.db, "run-3", now=tomorrow).read_text(encoding="utf-8")

    assert night.cache.read_bytes() != cache_before[0]
    assert "Period 2025-08-14 to 2025-11-11 (90 days, UTC)" in page
    assert "Top suppliers, 2025-08-14 to 2025-11-11" in section(page, "top-suppliers")


def test_a_damaged_cache_is_drawn_again(night: Night) -> None:
    expected = _period_sections(night.first.read_text(encoding="utf-8"))
    for damage in ("{not json", '{"key": 1}', ""):
        night.cache.write_text(damage, encoding="utf-8")
        page = write_night_reports(night.db, "run-2", now=NOW).read_text(encoding="utf-8")
        assert _period_sections(page) == expected
        assert night.cache.read_text(encoding="utf-8").startswith('{"key": "')


def test_the_cache_is_readable_like_the_warehouse_and_pruning_leaves_it(tmp_path: Path) -> None:
    db = tmp_path / "minwatch.duckdb"
    build_warehouse(db)
    db.chmod(0o640)
    try:
        write_night_reports(db, "run-1", now=NOW, keep=1)
        write_night_reports(db, "run-2", now=NOW, keep=1)
    finally:
        db.chmod(0o644)
    cache = tmp_path / "reports" / PERIOD_CACHE_NAME
    assert cache.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "reports").glob("minwatch-*.html")) == [
        "minwatch-run-2.html"
    ]
    assert not list((tmp_path / "reports").glob(".*.tmp"))


# The fingerprint leaves out the run bookkeeping tables and these columns: that is sound only
# while no view the period's sections read refers to them.
_LEFT_OUT = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:run|source_run|fetch_error|source_state|alert|alert_delivery)\b"
    r"|\blast_seen_at\b|\blast_run_id\b",
    re.IGNORECASE,
)


def test_the_views_the_period_reads_never_read_what_the_fingerprint_leaves_out(
    tmp_path: Path,
) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        views = dict(
            con.execute(
                "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND "
                "database_name = current_database()"
            ).fetchall()
        )
    finally:
        con.close()
    read: set[str] = set()
    todo = ["deals", "suppliers", "export_controls"]
    while todo:  # the three views and every view they read, transitively
        name = todo.pop()
        if name in read:
            continue
        read.add(name)
        todo += [v for v in views if v not in read and re.search(rf"\b{v}\b", views[name])]
    assert {"deals", "suppliers", "export_controls", "deal_evidence"} <= read
    offending = {name: _LEFT_OUT.findall(views[name]) for name in read}
    assert {name: found for name, found in offending.items() if found} == {}
