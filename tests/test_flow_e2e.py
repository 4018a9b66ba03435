"""The nightly flow end to end: real crawls over loopback HTTP, real spaCy, a real DuckDB file,
real Prefect flow runs (one temporary Prefect server for the session)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.flows.report import PERIOD_CACHE_NAME
from minwatch.sample_sources.server import SampleServer
from minwatch.warehouse.snapshot import work_path
from tests.sample_night import sample_sources

REPO = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((REPO / "sample_sources" / "MANIFEST.json").read_text(encoding="utf-8"))
CONTENT_TABLES = (
    "documents",
    "mentions",
    "procurements",
    "export_controls",
    "document",
    "document_version",
    "notice",
    "extraction",
    "mention",
    "procurement_line",
)


def _manifest_id(title_fragment: str) -> str:
    (doc,) = [d for d in MANIFEST["documents"] if title_fragment in d["title"]]
    return str(doc["id"])


# the three sources of the basic night: a notice API, a feed and a sitemap
NIGHT_SOURCES = ("sam_gov", "mining_com", "trade_atom")


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in CONTENT_TABLES
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_nights(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The same night run twice against the sample sources, with a sentinel SAM key."""
    from minwatch.flows.nightly import nightly

    key = "SENTINEL-KEY-5f1c9d2e7a"
    old_key = os.environ.get("SAM_GOV_API_KEY")
    os.environ["SAM_GOV_API_KEY"] = key
    root = tmp_path_factory.mktemp("e2e")
    db = root / "warehouse" / "minwatch.duckdb"
    try:
        with SampleServer() as server:
            first = nightly(
                db=str(db),
                sources=sample_sources(server.base_url, *NIGHT_SOURCES),
                night="2026-11-27",
            )
            counts_after_first = _counts(db)
            period_cache = db.parent / "reports" / PERIOD_CACHE_NAME
            cache_after_first = (period_cache.read_bytes(), period_cache.stat().st_mtime_ns)
            second = nightly(
                db=str(db),
                sources=sample_sources(server.base_url, *NIGHT_SOURCES),
                night="2026-11-27",
            )
            counts_after_second = _counts(db)
            requests = list(server.requests)
    finally:
        if old_key is None:
            os.environ.pop("SAM_GOV_API_KEY", None)
        else:
            os.environ["SAM_GOV_API_KEY"] = old_key
    yield {
        "db": db,
        "root": root,
        "key": key,
        "first": first,
        "second": second,
        "counts": (counts_after_first, counts_after_second),
        "period_cache": (period_cache, cache_after_first),
        "requests": requests,
    }


def test_first_night_lands_every_sample_document(two_nights: dict[str, Any]) -> None:
    first = two_nights["first"]
    by_source = {o.stats.source: o.stats for o in first.outcomes}
    expected = MANIFEST["counts"]
    assert {s: st.new for s, st in by_source.items()} == {
        "sam_gov": expected["sam_gov"]["expected_to_land"],
        "mining_com": expected["mining_com"]["expected_to_land"],
        "trade_atom": expected["trade_atom"]["expected_to_land"],
    }
    assert by_source["mining_com"].failed == 1
    assert by_source["mining_com"].errors[0].error == "http_404"
    assert by_source["sam_gov"].failed == 0
    assert first.status == "partial"  # one article page is missing on purpose
    counts = two_nights["counts"][0]
    assert counts["documents"] == sum(st.new for st in by_source.values()) == 38
    assert counts["notice"] == 19
    assert counts["mentions"] > 300
    assert counts["procurements"] > 20


def test_second_night_changes_no_row(two_nights: dict[str, Any]) -> None:
    first_counts, second_counts = two_nights["counts"]
    assert second_counts == first_counts
    second = two_nights["second"]
    for outcome in second.outcomes:
        assert outcome.stats.new == 0
        assert outcome.stats.updated == 0
        assert outcome.extracted == 0
    fetched = {o.stats.source: (o.stats.fetched, o.stats.unchanged) for o in second.outcomes}
    # SAM re-reads only the last few days before its watermark and nothing was posted then;
    # the feeds answer 304 (the missing page answered 404, which is not worth retrying, so
    # the feed's validators were kept).
    assert fetched == {"sam_gov": (0, 0), "mining_com": (0, 0), "trade_atom": (0, 0)}


def test_second_night_reports_its_run_and_leaves_the_period_sections_untouched(
    two_nights: dict[str, Any],
) -> None:
    """Nothing new: the period's sections (seconds of queries) are not drawn again, the run's
    are, and the summary names the second run and its report."""
    from minwatch.flows.summary import format_summary

    first, second = two_nights["first"], two_nights["second"]
    cache, stamp_after_first = two_nights["period_cache"]
    assert (cache.read_bytes(), cache.stat().st_mtime_ns) == stamp_after_first
    first_page = Path(first.report_path).read_text(encoding="utf-8")
    page = Path(second.report_path).read_text(encoding="utf-8")
    assert second.report_path != first.report_path
    assert (cache.parent / "latest.html").read_text(encoding="utf-8") == page
    assert f"Run <strong>{second.run_id}</strong> (nightly)" in page
    assert first.run_id not in page
    assert "No new deals in this run." in page and "No new export controls in this run." in page

    def period(text: str) -> str:
        return text[text.index('<section id="top-suppliers">') : text.index("</body>")]

    assert period(page) == period(first_page)
    assert "United States Antimony" in period(page)
    text = format_summary(second)
    assert f"run {second.run_id}: {second.status.upper()}" in text
    assert f"report:    {second.report_path}" in text
    assert f"(documents {two_nights['counts'][1]['documents']}," in text


def test_second_night_fetches_only_feeds_and_search_pages(two_nights: dict[str, Any]) -> None:
    """From the server's log: what the second night asked for (after its own robots.txt)."""
    requests = two_nights["requests"]
    second_start = max(
        i for i, r in enumerate(requests) if r.path == "/news/trade_atom.xml"
    )  # the feeds are asked for once a night, so the last ask is the second night's
    trade_requests = [r for r in requests[second_start:] if "/trade/" in r.path]
    assert trade_requests == []
    feed = requests[second_start]
    assert feed.status == 304
    second_night_paths = {r.path.split("?")[0] for r in requests[second_start:]}
    assert not any("noticedesc" in p for p in second_night_paths)


def test_runs_view_records_each_source_of_each_run(two_nights: dict[str, Any]) -> None:
    con = duckdb.connect(str(two_nights["db"]), read_only=True)
    rows = con.execute(
        "SELECT run_id, source, fetched, new, unchanged, failed, errors FROM runs "
        "ORDER BY started_at, source"
    ).fetchall()
    con.close()
    assert len(rows) == 6
    assert {r[0] for r in rows} == {two_nights["first"].run_id, two_nights["second"].run_id}
    first_mining = next(
        r for r in rows if r[0] == two_nights["first"].run_id and r[1] == "mining_com"
    )
    assert first_mining[2:6] == (11, 11, 0, 1)
    (error,) = json.loads(first_mining[6])
    assert error["error"] == "http_404"
    assert error["url"].endswith("/news/articles/brightwater-nickel-sulphate-plant-commissioning/")


def test_antimony_award_is_a_procurement_with_its_supplier(two_nights: dict[str, Any]) -> None:
    notice_id = _manifest_id("Antimony Metal Ingot")
    con = duckdb.connect(str(two_nights["db"]), read_only=True)
    rows = con.execute(
        "SELECT mineral, usd, suppliers, buyer, notice_type, posted_date::VARCHAR, "
        "solicitation_number FROM procurements WHERE notice_id = ?",
        [notice_id],
    ).fetchall()
    doc = con.execute(
        "SELECT kind, source, title FROM documents WHERE doc_id = ?", [f"sam:{notice_id}"]
    ).fetchone()
    con.close()
    assert doc == (
        "procurement",
        "sam_gov",
        "Antimony Metal Ingot for the National Defense Stockpile",
    )
    assert rows == [
        (
            "antimony",
            245_000_000.0,
            ["United States Antimony Corporation"],
            "DEFENSE LOGISTICS AGENCY",
            "Award Notice",
            "2025-09-23",
            "SP8000-25-R-0009",
        )
    ]


def test_amendments_and_cancellation_are_versions_of_one_procurement(
    two_nights: dict[str, Any],
) -> None:
    con = duckdb.connect(str(two_nights["db"]), read_only=True)
    versions = con.execute(
        "SELECT notice_type, posted_date::VARCHAR, active, is_current FROM procurement_notices "
        "WHERE procurement_key = 'SP8000-25-R-0021' ORDER BY version_rank"
    ).fetchall()
    lines = con.execute(
        "SELECT mineral, notice_versions, notice_active, posted_date::VARCHAR FROM procurements "
        "WHERE procurement_key = 'SP8000-25-R-0021'"
    ).fetchall()
    con.close()
    # original (7,480 t), Amendment 0004 (6,000 t), then the cancellation
    assert versions == [
        ("Solicitation", "2025-10-24", False, True),
        ("Solicitation", "2025-09-05", True, False),
        ("Solicitation", "2025-08-11", True, False),
    ]
    assert lines == [("cobalt", 3, False, "2025-10-24")]  # counted once, as cancelled


def test_mentions_carry_normalised_values_and_sentences(two_nights: dict[str, Any]) -> None:
    notice_id = _manifest_id("Antimony Metal Ingot")
    con = duckdb.connect(str(two_nights["db"]), read_only=True)
    money = con.execute(
        "SELECT usd, sentence FROM mentions WHERE doc_id = ? AND kind = 'money' ORDER BY usd DESC",
        [f"sam:{notice_id}"],
    ).fetchall()
    minerals = con.execute(
        "SELECT DISTINCT canonical FROM mentions WHERE doc_id = ? AND kind = 'mineral'",
        [f"sam:{notice_id}"],
    ).fetchall()
    mass = con.execute(
        "SELECT tonnes FROM mentions WHERE doc_id = ? AND kind = 'quantity'",
        [f"sam:{notice_id}"],
    ).fetchall()
    con.close()
    assert money[0][0] == 245_000_000.0
    assert "$245,000,000.00" in money[0][1]
    assert minerals == [("antimony",)]
    # "approximately 6.7 million pounds" of ingots
    assert [round(t, 1) for (t,) in mass] == [3039.1]


def test_the_api_key_reaches_no_log_landing_file_or_cell(two_nights: dict[str, Any]) -> None:
    key = two_nights["key"]
    files = [p for p in two_nights["root"].rglob("*") if p.is_file() and p.suffix != ".duckdb"]
    assert any(p.suffix == ".jsonl" for p in files) and any(p.suffix == ".log" for p in files)
    for path in files:
        assert key not in path.read_text(encoding="utf-8", errors="replace"), path
    con = duckdb.connect(str(two_nights["db"]), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    for table in tables:
        hits = con.execute(
            f"SELECT count(*) FROM {table} AS t WHERE CAST(t AS VARCHAR) LIKE ?", [f"%{key}%"]
        ).fetchone()
        assert hits == (0,), table
    con.close()
    # The server saw the key (so it was really sent) but its request log redacts it.
    assert any("noticedesc" in r.path for r in two_nights["requests"])
    assert all(key not in r.path for r in two_nights["requests"])


def test_reprocess_replaces_only_extraction_rows_and_twice_changes_nothing(
    two_nights: dict[str, Any],
) -> None:
    from minwatch.flows.reprocess import reprocess
    from minwatch.nlp import EXTRACTOR_VERSION

    db = two_nights["db"]
    con = duckdb.connect(str(work_path(db)))  # runs write the working file, then publish it
    documents_before = con.execute("SELECT * FROM document ORDER BY doc_id").fetchall()
    mentions_before = con.execute("SELECT count(*) FROM mention").fetchone()
    # An older extractor's output for one document, with a mention lost.
    victim = con.execute("SELECT min(doc_id) FROM procurement_line").fetchone()[0]  # type: ignore[index]
    con.execute(
        "UPDATE extraction SET extractor_version = '2000.1', facts_hash = 'older' WHERE doc_id = ?",
        [victim],
    )
    con.execute("DELETE FROM mention WHERE doc_id = ? AND seq = 1", [victim])
    con.close()

    first = reprocess(db=str(db))
    second = reprocess(db=str(db))

    assert first.documents == second.documents == 38
    assert first.changed == 1 and second.changed == 0
    assert first.missing_raw == 0 and first.unreadable == 0 and first.text_drift == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT * FROM document ORDER BY doc_id").fetchall() == documents_before
    assert con.execute("SELECT count(*) FROM mention").fetchone() == mentions_before
    versions = con.execute("SELECT DISTINCT extractor_version FROM extraction").fetchall()
    modes = con.execute("SELECT mode, count(*) FROM run GROUP BY mode ORDER BY mode").fetchall()
    con.close()
    assert versions == [(EXTRACTOR_VERSION,)]
    assert modes == [("nightly", 2), ("reprocess", 2)]


def test_minwatch_run_demo_prints_the_summary(tmp_path: Path) -> None:
    """The README's main job, as a user runs it: `minwatch run --demo` on a fresh warehouse."""
    db = tmp_path / "demo.duckdb"
    env = {**os.environ, "MINWATCH_DB": str(db)}
    env.pop("SAM_GOV_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "run", "--demo"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # 3: a partial night (the sample site has failing pages on purpose), documented exit status.
    assert done.returncode == 3, done.stderr[-3000:]
    out = done.stdout
    assert "minwatch demo run" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line[:1].isalpha()}
    counts = MANIFEST["counts"]
    for source, expected in counts.items():
        if source == "all":
            continue
        landed = str(expected["expected_to_land"])
        assert lines[source][2:4] == [landed, landed], source  # fetched, new
    assert lines["sam_gov"][1] == "ok"
    assert f"warehouse: {db} (documents {counts['all']['expected_to_land']}," in out
    report = db.parent / "reports" / "latest.html"
    assert f"report:    {db.parent / 'reports'}" in out and report.is_file()
    query = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "sql", "--format", "csv",
         "SELECT count(*) AS n FROM procurements WHERE mineral = 'antimony' AND usd = 245000000 "
         "AND source = 'sam_gov'"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == ["n", "1"]
    _schema_examples_answer_on_the_demo_warehouse(db)


def _schema_examples_answer_on_the_demo_warehouse(db: Path) -> None:
    """docs/schema.md's example questions, run on the demo warehouse so the docs cannot rot."""
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sql\n(.*?)```", text, re.S)
    con = duckdb.connect(str(db), read_only=True)
    try:
        results = [con.execute(sql).fetchall() for sql in examples]
    finally:
        con.close()
    awards, suspensions = results[-2], results[-1]
    assert [(r[0], r[1], r[2]) for r in awards] == [
        ("United States Antimony Corporation", 1, 245_000_000.0)
    ]
    no70 = [(r[2], r[3]) for r in suspensions if r[0] == "MOFCOM 2025-70"]
    assert no70 == [
        ("MOFCOM 2025-55", True),
        ("MOFCOM 2025-56", False),  # not in the sample site
        ("MOFCOM 2025-57", True),
        ("MOFCOM 2025-58", True),
        ("MOFCOM 2025-61", True),
        ("MOFCOM 2025-62", True),
    ]
    assert {r[4] for r in suspensions if r[0] == "MOFCOM 2025-70"} == {date(2026, 11, 10)}
    largest = results[2]  # the three largest procurements of each mineral
    assert ("antimony", 245_000_000.0) in [(r[0], r[1]) for r in largest]
    _announcement_dates_on_the_demo_warehouse(db)


def _announcement_dates_on_the_demo_warehouse(db: Path) -> None:
    """MOFCOM No. 61's clauses take effect on two dates (the later is its effective date);
    No. 70 suspends from its publication until 10 November 2026."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT announcement_key, effective_on, suspended_from, suspended_until, clauses
            FROM export_controls
            WHERE source = 'mofcom_zh' AND announcement_key IN ('MOFCOM 2025-61', 'MOFCOM 2025-70')
            ORDER BY 1
            """
        ).fetchall()
    finally:
        con.close()
    by_key = {r[0]: r for r in rows}
    no61, no70 = by_key["MOFCOM 2025-61"], by_key["MOFCOM 2025-70"]
    assert no61[1] == date(2025, 12, 1)
    assert sorted(c["effective_on"] for c in json.loads(no61[4])) == ["2025-10-09", "2025-12-01"]
    assert no70[3] == date(2026, 11, 10) and no70[2] is not None and no70[2] <= no70[3]
    _export_control_status_on_the_demo_warehouse(db)


def _export_control_status_on_the_demo_warehouse(db: Path) -> None:
    """No. 70 suspends Nos. 55, 57, 58, 61, 62 (those in the sample site) until 10 November
    2026; No. 61's measures take effect on 1 December 2025."""
    con = duckdb.connect(str(db), read_only=True)

    def status(day: str) -> dict[str, tuple[str, str | None]]:
        rows = con.execute(
            "SELECT announcement_key, status, suspended_by FROM export_control_status(?)",
            [date.fromisoformat(day)],
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    try:
        suspended = {"MOFCOM 2025-55", "MOFCOM 2025-57", "MOFCOM 2025-58", "MOFCOM 2025-61",
                     "MOFCOM 2025-62"}  # fmt: skip
        during = status("2026-01-15")
        assert {k for k, (s, _) in during.items() if s == "suspended"} == suspended
        assert {by for s, by in during.values() if s == "suspended"} == {"MOFCOM 2025-70"}
        assert during["MOFCOM 2025-18"] == ("in force", None)
        before = status("2025-11-01")
        assert before["MOFCOM 2025-61"] == ("not yet in force", None)
        after = status("2026-11-11")  # the day after the suspension ends
        # Only clause 2 of No. 46, suspended by the notice of 9 November 2025 until 27 November.
        assert {k: s for k, (s, _) in after.items() if s != "in force"} == {
            "MOFCOM 2024-46": "partly suspended"
        }
        # the view is the macro on today's date
        today = {
            r[0]
            for r in con.execute("SELECT announcement_key FROM export_controls_in_force").fetchall()
        }
        (current,) = con.execute("SELECT current_date").fetchone() or (None,)
        in_force = {
            k
            for k, (s, _) in status(current.isoformat()).items()
            if s in ("in force", "partly suspended")
        }
        assert today == in_force
    finally:
        con.close()


HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
"""


def test_an_analyst_holding_the_warehouse_open_never_blocks_the_night(
    prefect_harness: None, tmp_path: Path, sam_api_key: str
) -> None:
    """An analyst's open connection keeps its snapshot; the run publishes the next one."""
    from minwatch.flows.nightly import nightly

    db = tmp_path / "minwatch.duckdb"
    with SampleServer() as server:
        sources = sample_sources(server.base_url, *NIGHT_SOURCES)
        nightly(db=str(db), sources=[s for s in sources if s["name"] == "trade_atom"])
        analyst = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert analyst.stdout is not None and analyst.stdin is not None
            assert analyst.stdout.readline().strip() == "8"
            summary = nightly(db=str(db), sources=sources, night="2026-11-27")
            analyst.stdin.write("\n")
            analyst.stdin.flush()
            assert analyst.stdout.readline().strip() == "8"  # still its own consistent snapshot
        finally:
            analyst.stdin.close()  # type: ignore[union-attr]
            analyst.wait(timeout=30)
    assert analyst.returncode == 0
    assert summary.status == "partial"  # the one missing article page; nothing else failed
    assert summary.table_counts["documents"] == 38
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (38,)
    con.close()


def test_nightly_alerts_once_per_announcement_across_runs_and_languages(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real webhook receiver on loopback; it fails its first request, which is retried once
    by the next night."""
    from minwatch.flows.nightly import nightly
    from tests.alert_receiver import AlertReceiver

    db = tmp_path / "minwatch.duckdb"
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "gallium-news"\nkinds = ["news"]\nminerals = ["gallium"]\n')
    monkeypatch.setenv("MINWATCH_WATCH_RULES", str(rules))
    monkeypatch.chdir(tmp_path)  # no config/minwatch.toml here: URLs and rules come from env
    with SampleServer() as server, AlertReceiver(fail_first=1) as receiver:
        monkeypatch.setenv("MINWATCH_ALERT_URLS", receiver.url("/minwatch"))
        mofcom_zh, mofcom_en = sample_sources(server.base_url, "mofcom_zh", "mofcom_en")
        first = nightly(db=str(db), sources=[mofcom_zh], night="2026-11-27")
        after_first = [r for r in receiver.received]
        second = nightly(db=str(db), sources=[mofcom_zh, mofcom_en], night="2026-11-28")
        got = receiver.accepted()

    con = duckdb.connect(str(db), read_only=True)
    zh_keys = {
        k for (k,) in con.execute(
            "SELECT DISTINCT announcement_key FROM export_controls WHERE source = 'mofcom_zh'"
        ).fetchall()
    }  # fmt: skip
    all_keys = {
        k for (k,) in con.execute(
            "SELECT DISTINCT announcement_key FROM export_controls WHERE announcement_key NOT NULL"
        ).fetchall()
    }  # fmt: skip
    con.close()
    assert first.alerts is not None and second.alerts is not None
    assert len(first.alerts.new_alerts) == len(zh_keys) >= 8
    assert after_first[0].answered == 500  # the first delivery failed ...
    assert first.alerts.delivery.failed == 1
    assert second.alerts.delivery.failed == 0
    keys = [json.loads(r.body["message"])["alert_key"] for r in got]
    assert len(keys) == len(set(keys))  # ... and nothing was delivered twice
    assert {k for k in keys if k.startswith("announcement:")} == {
        f"announcement:{k}" for k in all_keys
    }
    # The English pages are the same announcements: they raise nothing new.
    assert all(k.removeprefix("announcement:") not in zh_keys for k in second.alerts.new_alerts)
    suspension = next(
        json.loads(r.body["message"]) for r in got if "MOFCOM 2025-70" in r.body["title"]
    )
    assert suspension["number"] == "2025-70"
    assert "announcement:MOFCOM 2025-57" in suspension["related_alert_keys"]
