"""The HTML digest: values read from a real warehouse, rendered by headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.flows.report import (
    EXPORT_CONTROL_CHART_ID,
    PLOTLY_JS_NAME,
    PROCUREMENT_CHART_ID,
    build_report,
    write_night_reports,
    write_report,
)
from minwatch.warehouse import (
    connect,
    finish_run,
    load_documents,
    load_extractions,
    record_source_run,
)
from minwatch.warehouse import start_run as start
from minwatch.warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    FetchErrorRow,
    NoticeRow,
    ProcurementLineRow,
    SourceRunStats,
)

RUN_1 = datetime(2025, 10, 10, 2, 0, tzinfo=UTC)
RUN_2 = datetime(2025, 11, 9, 2, 0, tzinfo=UTC)
NOW = datetime(2025, 11, 10, 6, 0, tzinfo=UTC)  # period of 90 days: 2025-08-13 .. 2025-11-10
WRITTEN = datetime(2025, 11, 10, 7, 42, tzinfo=UTC)
SECRET = "SENTINEL-KEY-report-9c1e"
USAC = "United States Antimony Corp"
USAC_CAPITALS = "UNITED STATES ANTIMONY CORPORATION"
SUPPLIER_WITH_MARKUP = "Gallium <Recovery> & Sons"
SKIP_BROWSER_ENV = "MINWATCH_SKIP_BROWSER_TESTS"
INSTALL_HINT = (
    "Chromium is needed to check that the report's charts draw, and it was not found "
    "(looked for `chromium` and `chromium-browser` on PATH and /usr/bin/chromium). Install it "
    "with `apt-get update && apt-get install -y chromium`, or set "
    f"{SKIP_BROWSER_ENV}=1 to skip the browser tests."
)


def doc(doc_id: str, fetched_at: datetime, **fields: object) -> DocumentRow:
    values: dict[str, object] = {
        "doc_id": doc_id,
        "source": "sam_gov",
        "source_id": doc_id,
        "kind": "procurement",
        "url": f"https://sam.gov/opp/{doc_id}/view",
        "title": f"Notice {doc_id}",
        "published_at": fetched_at,
        "language": "en",
        "fetched_at": fetched_at,
        "text": f"text of {doc_id}",
        "content_hash": f"hash-{doc_id}",
    }
    values.update(fields)
    return DocumentRow(**values)  # type: ignore[arg-type]


def notice(doc_id: str, posted: date, notice_type: str) -> NoticeRow:
    return NoticeRow(
        doc_id=doc_id,
        notice_id=doc_id,
        solicitation_number=f"SP8000-25-R-{doc_id[-2:]}",
        notice_type=notice_type,
        base_type=notice_type,
        posted_date=posted,
        response_deadline=None,
        buyer="DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC MATERIALS",
        office_code="SP8000",
        naics_code="331492",
        classification_code="9650",
        set_aside=None,
        active=True,
        award_number=None,
        award_date=None,
        award_amount=None,
        awardee_name=None,
        awardee_uei=None,
        awardee_cage=None,
        ui_link=None,
    )


def line(
    doc_id: str,
    mineral: str,
    usd: float | None,
    tonnes: float | None,
    suppliers: tuple[str, ...] = (),
    *,
    ceiling: bool = False,
) -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=doc_id,
        extractor_version="test",
        minerals=(mineral,),
        suppliers=suppliers,
        procurement_lines=(
            ProcurementLineRow(
                doc_id=doc_id,
                line_no=1,
                mineral=mineral,
                usd=usd,
                usd_is_upper_bound=ceiling,
                tonnes=tonnes,
                suppliers=suppliers,
            ),
        ),
    )


def announcement(doc_id: str, number: str, language: str, **fields: object) -> AnnouncementRow:
    values: dict[str, object] = {
        "doc_id": doc_id,
        "announcement_key": f"MOFCOM {number}",
        "authority": "MOFCOM/GACC",
        "number": number,
        "title": f"Announcement {number} ({language})",
        "language": language,
        "issued_on": None,
        "effective_on": None,
        "control_codes": (),
        "items_json": "[]",
        "suspends": (),
        "amends": (),
        "suspended_until": None,
    }
    values.update(fields)
    return AnnouncementRow(**values)  # type: ignore[arg-type]


def control(doc_id: str, minerals: tuple[str, ...]) -> ExtractionBundle:
    return ExtractionBundle(
        doc_id=doc_id,
        extractor_version="test",
        minerals=minerals,
        export_control=ExportControlRow(
            doc_id=doc_id,
            authority=None,
            number=None,
            title=None,
            issued_on=None,
            effective_on=None,
            minerals=minerals,
        ),
    )


def load(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    docs: list[DocumentRow],
    notices: list[NoticeRow],
    announcements: list[AnnouncementRow],
    bundles: list[ExtractionBundle],
) -> None:
    load_documents(con, run_id, docs, notices, announcements)
    load_extractions(con, bundles, {d.doc_id: d.content_hash for d in docs})


def mofcom_doc(doc_id: str, fetched_at: datetime, language: str) -> DocumentRow:
    return doc(
        doc_id,
        fetched_at,
        source="mofcom_zh" if language == "zh" else "mofcom_en",
        kind="export_control",
        language=language,
    )


def build_warehouse(path: Path) -> None:
    """Two nights: run-1 loads an older award and MOFCOM 2025-57, run-2 the rest."""
    con = connect(path)
    start(con, "run-1", mode="nightly", started_at=RUN_1)
    load(
        con,
        "run-1",
        [
            doc("sam:a1", RUN_1),
            doc("sam:old", RUN_1),
            mofcom_doc("mofcom:zh-57", RUN_1, "zh"),
        ],
        [
            notice("sam:a1", date(2025, 9, 30), "Award Notice"),
            # Posted before the 90-day period: counted nowhere in the period's sections.
            notice("sam:old", date(2025, 6, 1), "Award Notice"),
        ],
        [
            announcement(
                "mofcom:zh-57",
                "2025-57",
                "zh",
                issued_on=date(2025, 10, 9),
                effective_on=date(2025, 11, 8),
            )
        ],
        [
            line("sam:a1", "antimony", 100_000_000, 1_000, (USAC,)),
            line("sam:old", "tungsten", 9_000_000, 50, ("Old Tungsten Co",)),
            control("mofcom:zh-57", ("holmium",)),
        ],
    )
    record_source_run(
        con, SourceRunStats("run-1", "sam_gov", RUN_1, RUN_1, fetched=2, new=2, status="ok")
    )
    finish_run(con, "run-1", status="ok", finished_at=RUN_1.replace(minute=5))

    start(con, "run-2", mode="nightly", started_at=RUN_2)
    load(
        con,
        "run-2",
        [
            doc("sam:a2", RUN_2),
            doc("sam:a3", RUN_2),
            doc("sam:c1", RUN_2),
            # A news report of the $200M award: evidence of that deal, never a second one.
            doc(
                "web:usac-award-news",
                RUN_2,
                source="mining_com",
                kind="news",
                published_at=datetime(2025, 11, 8, 9, 0, tzinfo=UTC),
            ),
            doc(
                "web:gallium-news",
                RUN_2,
                source="mining_com",
                kind="news",
                published_at=datetime(2025, 11, 8, 12, 0, tzinfo=UTC),
            ),
            mofcom_doc("mofcom:zh-70", RUN_2, "zh"),
            mofcom_doc("mofcom:en-70", RUN_2, "en"),
            doc("fr:2025-19422", RUN_2, source="federal_register", kind="export_control"),
        ],
        [
            notice("sam:a2", date(2025, 11, 7), "Award Notice"),
            notice("sam:a3", date(2025, 11, 8), "Solicitation"),
            notice("sam:c1", date(2025, 10, 20), "Solicitation"),
        ],
        [
            announcement(
                "mofcom:zh-70",
                "2025-70",
                "zh",
                title="商务部 海关总署公告2025年第70号",
                issued_on=date(2025, 11, 7),
                effective_on=date(2025, 11, 7),
                suspends=("MOFCOM 2025-57",),
                suspended_until=date(2026, 11, 10),
            ),
            announcement(
                "mofcom:en-70",
                "2025-70",
                "en",
                title="MOFCOM and GAC Announcement No. 70 of 2025 <on Suspending>",
                issued_on=date(2025, 11, 7),
                effective_on=date(2025, 11, 7),
                suspends=("MOFCOM 2025-57",),
                suspended_until=date(2026, 11, 10),
            ),
            announcement(
                "fr:2025-19422",
                "2025-19422",
                "en",
                announcement_key="BIS 2025-19422",
                authority="BIS",
                title="Additions to the Entity List",
                issued_on=date(2025, 10, 28),
            ),
        ],
        [
            line("sam:a2", "antimony", 200_000_000, 1_500, (USAC,)),
            line("web:usac-award-news", "antimony", 200_000_000, None, (USAC_CAPITALS,)),
            line("sam:a3", "antimony", 45_000_000, None, ceiling=True),
            line("sam:c1", "cobalt", 120_000_000, 7_480, ceiling=True),
            line("web:gallium-news", "gallium", None, 12.5, (SUPPLIER_WITH_MARKUP,)),
            control("mofcom:zh-70", ("rare earths",)),
            control("mofcom:en-70", ("gallium", "rare earths")),
            control("fr:2025-19422", ("antimony",)),
        ],
    )
    record_source_run(
        con,
        SourceRunStats(
            "run-2",
            "sam_gov",
            RUN_2,
            RUN_2.replace(minute=3),
            fetched=4,
            new=3,
            unchanged=1,
            failed=1,
            status="partial",
            errors=(
                FetchErrorRow(
                    source="sam_gov",
                    url=f"https://api.sam.gov/opportunities/v2/search?api_key={SECRET}&limit=1",
                    source_id=None,
                    http_status=429,
                    error="quota",
                    message="daily quota exceeded",
                    occurred_at=RUN_2,
                ),
            ),
        ),
    )
    record_source_run(
        con,
        SourceRunStats(
            "run-2", "mofcom_zh", RUN_2, RUN_2.replace(minute=4), fetched=2, new=2, status="ok"
        ),
    )
    finish_run(con, "run-2", status="partial", finished_at=RUN_2.replace(minute=6))
    con.close()


@dataclass(frozen=True)
class Built:
    db: Path
    report: Path
    html: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "minwatch.duckdb"
    build_warehouse(db)
    report = write_report(db, folder / "out" / "digest.html", now=NOW, generated_at=WRITTEN)
    return Built(db, report, report.read_text(encoding="utf-8"))


def section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}">')
    return page[start : page.index("</section>", start)]


def table_rows(fragment: str) -> list[list[str]]:
    """Cell texts as a reader sees them, per body row of every table of `fragment`."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", fragment, flags=re.S))
    return [
        [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()) for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        )
    ]


def test_run_summary_names_the_latest_run_and_its_sources(built: Built) -> None:
    summary = section(built.html, "run-summary")
    assert "Run <strong>run-2</strong> (nightly)" in summary
    assert "started 2025-11-09 02:00 UTC" in summary
    assert "last source finished 2025-11-09 02:04 UTC" in summary
    assert table_rows(summary) == [
        # source, status, fetched, new, updated, unchanged, failed, errors
        ["mofcom_zh", "ok", "2", "2", "0", "0", "0", "0"],
        ["sam_gov", "partial", "4", "3", "0", "1", "1", "1"],
        # the errors table
        [
            "sam_gov",
            "quota",
            "429",
            "https://api.sam.gov/opportunities/v2/search?api_key=REDACTED&limit=1",
            "daily quota exceeded",
        ],
    ]
    assert SECRET not in built.html


def test_new_export_controls_are_those_first_loaded_in_the_run(built: Built) -> None:
    rows = table_rows(section(built.html, "new-export-controls"))
    assert rows == [
        # the two languages of MOFCOM 2025-70 make one row, under the English title
        [
            "MOFCOM/GACC",
            "2025-70",
            "MOFCOM and GAC Announcement No. 70 of 2025 <on Suspending>",
            "2025-11-07",
            "2025-11-07",
            "gallium, rare earths",
            "suspends MOFCOM 2025-57; until 2026-11-10",
        ],
        ["BIS", "2025-19422", "Additions to the Entity List", "2025-10-28", "—", "antimony", "—"],
    ]
    assert "No. 70 of 2025 &lt;on Suspending&gt;" in built.html
    assert "<on Suspending>" not in built.html


def test_new_deals_total_dollars_and_tonnes_by_mineral_counting_each_deal_once(
    built: Built,
) -> None:
    rows = table_rows(section(built.html, "new-procurements"))
    assert rows == [
        # mineral, deals, documents, total USD, of which ceilings, tonnes, suppliers
        # The news report of the $200M award is a third document, not a third deal: $245M, not
        # $445M.
        ["antimony", "2", "3", "$245,000,000", "$45,000,000", "1,500 t", USAC],
        ["cobalt", "1", "1", "$120,000,000", "$120,000,000", "7,480 t", "—"],
        ["gallium", "1", "1", "—", "—", "12.5 t", SUPPLIER_WITH_MARKUP],
    ]  # fmt: skip
    assert "Gallium &lt;Recovery&gt; &amp; Sons" in built.html
    assert SUPPLIER_WITH_MARKUP not in built.html


def test_top_suppliers_sum_the_period_only_each_company_once(built: Built) -> None:
    top = section(built.html, "top-suppliers")
    assert "Top suppliers, 2025-08-13 to 2025-11-10" in top
    assert table_rows(top) == [
        # supplier, total USD, of which ceilings, tonnes, deals, minerals, last deal, also written
        [USAC, "$300,000,000", "—", "2,500 t", "2", "antimony", "2025-11-07", USAC_CAPITALS],
        [SUPPLIER_WITH_MARKUP, "—", "—", "12.5 t", "1", "gallium", "2025-11-08", "—"],
    ]  # fmt: skip
    assert "Old Tungsten Co" not in built.html


def test_an_earlier_run_can_be_reported(built: Built) -> None:
    con = connect(built.db, read_only=True)
    try:
        html = build_report(con, run_id="run-1", now=NOW)
        with pytest.raises(ValueError, match="no run 'run-9' in the warehouse"):
            build_report(con, run_id="run-9", now=NOW)
    finally:
        con.close()
    assert "Run <strong>run-1</strong> (nightly)" in html
    assert table_rows(section(html, "new-procurements")) == [
        ["antimony", "1", "1", "$100,000,000", "—", "1,000 t", "United States Antimony Corp"],
        ["tungsten", "1", "1", "$9,000,000", "—", "50 t", "Old Tungsten Co"],
    ]
    assert table_rows(section(html, "new-export-controls"))[0][:2] == ["MOFCOM/GACC", "2025-57"]


def test_plotly_js_is_one_shared_file_beside_the_reports(built: Built) -> None:
    html = built.html
    scripts = re.findall(r"<script\b([^>]*)>", html)
    # the shared plotly.js, by a name relative to the page, then one call per chart
    assert scripts[0] == f' type="text/javascript" src="{PLOTLY_JS_NAME}"'
    assert all("src" not in attributes for attributes in scripts[1:])
    assert len(scripts) == 3
    assert len(html) < 200_000  # not the 4.8 MB of plotly.js
    shared = built.report.parent / PLOTLY_JS_NAME
    assert shared.read_text(encoding="utf-8").startswith("/**")
    assert shared.stat().st_size > 3_000_000
    outside_scripts = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    assert not re.search(r"https?://", outside_scripts.replace(
        "https://api.sam.gov/opportunities/v2/search?api_key=REDACTED&amp;limit=1", ""
    ))  # fmt: skip
    assert not re.search(r"<link\b|@import|url\(", outside_scripts)
    assert f'id="{PROCUREMENT_CHART_ID}"' in html
    assert f'id="{EXPORT_CONTROL_CHART_ID}"' in html


def test_building_again_gives_the_same_bytes_and_leaves_no_temporary_file(built: Built) -> None:
    shared = built.report.parent / PLOTLY_JS_NAME
    before = shared.stat()
    again = write_report(built.db, built.report, now=NOW, generated_at=WRITTEN)
    assert again == built.report
    assert again.read_text(encoding="utf-8") == built.html
    assert sorted(p.name for p in built.report.parent.iterdir()) == ["digest.html", PLOTLY_JS_NAME]
    # plotly.js is written once, not again with every report
    assert (shared.stat().st_ino, shared.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_report_built_for_mailing_inlines_plotly_once(built: Built) -> None:
    con = connect(built.db, read_only=True)
    try:
        page = build_report(con, now=NOW, generated_at=WRITTEN)
    finally:
        con.close()
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert len(scripts) == 3 and all("src" not in attributes for attributes in scripts)
    assert len(page) > 3_000_000


def test_the_header_shows_the_time_of_writing(built: Built, tmp_path: Path) -> None:
    assert "generated 2025-11-10 07:42 UTC" in built.html
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    out = write_report(built.db, tmp_path / "now.html", now=NOW)
    after = datetime.now(UTC)
    shown = re.search(r"generated (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", out.read_text())
    assert shown
    written = datetime.strptime(shown[1], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= written <= after
    # the period still ends on `now`
    assert "Period 2025-08-13 to 2025-11-10" in out.read_text()


def test_report_files_are_readable_like_the_warehouse(built: Built, tmp_path: Path) -> None:
    for mode in (0o644, 0o640):
        built.db.chmod(mode)
        try:
            out = write_report(built.db, tmp_path / f"r{mode:o}" / "r.html", now=NOW)
        finally:
            built.db.chmod(0o644)
        assert out.stat().st_mode & 0o777 == mode
        assert (out.parent / PLOTLY_JS_NAME).stat().st_mode & 0o777 == mode


def test_the_night_keeps_the_newest_reports_only(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "minwatch.duckdb"
    db.write_bytes(built.db.read_bytes())
    reports = tmp_path / "reports"
    reports.mkdir()
    old = [reports / f"minwatch-202510{day:02d}T020000Z-aaaaaa.html" for day in range(1, 31)]
    for path in old:
        path.write_text("old")
    other = reports / "kept-by-hand.html"
    other.write_text("mine")
    written = write_night_reports(db, "run-2", now=NOW, keep=5)
    night = sorted(p.name for p in reports.glob("minwatch-*.html"))
    assert night == [p.name for p in old[-4:]] + [written.name]
    assert (reports / "latest.html").read_bytes() == written.read_bytes()
    assert other.read_text() == "mine"
    assert not list(reports.glob(".*.tmp"))


def test_the_default_keep_comes_from_the_environment(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minwatch.flows.report import KEEP_REPORTS_DEFAULT, keep_reports_setting

    assert KEEP_REPORTS_DEFAULT == 30
    assert keep_reports_setting({}) == 30
    assert keep_reports_setting({"MINWATCH_KEEP_REPORTS": "7"}) == 7
    with pytest.raises(ValueError, match="MINWATCH_KEEP_REPORTS='many'"):
        keep_reports_setting({"MINWATCH_KEEP_REPORTS": "many"})


def test_a_night_without_data_in_the_period_shows_the_newest_data_and_says_so(
    built: Built,
) -> None:
    con = connect(built.db, read_only=True)
    try:
        page = build_report(con, now=datetime(2026, 12, 1, 6, tzinfo=UTC), plotly_src="p.js")
    finally:
        con.close()
    assert (
        "Nothing is dated in the 90 days to 2026-12-01: the period shown ends at the newest "
        "deal or announcement, 2025-11-08." in page
    )
    assert "Period 2025-08-11 to 2025-11-08" in page
    assert f'id="{PROCUREMENT_CHART_ID}"' in page and f'id="{EXPORT_CONTROL_CHART_ID}"' in page
    assert table_rows(section(page, "top-suppliers"))[0][0] == USAC


def test_an_empty_warehouse_says_so_in_every_section(tmp_path: Path) -> None:
    connect(tmp_path / "empty.duckdb").close()
    out = write_report(tmp_path / "empty.duckdb", tmp_path / "empty.html", now=NOW)
    html = out.read_text(encoding="utf-8")
    assert "No run recorded in the warehouse yet." in html
    assert "No new export controls (no run yet)." in html
    assert "No new deals (no run yet)." in html
    assert "No deal names a supplier in the period." in html
    assert "No deal with a dollar value is dated in the period." in html
    assert "No export-control announcement with an issue date in the period." in html
    assert "<script" not in html  # no chart, so no plotly.js either
    assert not (tmp_path / PLOTLY_JS_NAME).exists()


def test_a_run_still_writing_has_no_finish_time(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    start(con, "run-live", mode="demo", started_at=RUN_2)
    record_source_run(
        con, SourceRunStats("run-live", "sam_gov", RUN_2, RUN_2.replace(minute=1), fetched=1)
    )
    page = build_report(con, now=NOW)
    con.close()
    assert (
        'Run <strong>run-live</strong> (demo):\n  <span class="status-running">running</span>, '
        "started 2025-11-09 02:00 UTC,\n  last source finished —." in page
    )
    assert table_rows(section(page, "run-summary")) == [
        ["sam_gov", "ok", "1", "0", "0", "0", "0", "0"]
    ]


def test_a_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse at"):
        write_report(tmp_path / "absent.duckdb", tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


# --- the browser: do the charts actually draw? -------------------------------------------


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    if os.environ.get(SKIP_BROWSER_ENV) == "1":
        pytest.skip(f"Chromium absent and {SKIP_BROWSER_ENV}=1")
    pytest.fail(INSTALL_HINT)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = chromium_binary()
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # No host resolves: the charts can only draw from what the file itself holds.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=5000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


@pytest.fixture(scope="module")
def dom(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("chromium")
    yield chromium(tmp, "--dump-dom", built.report.as_uri()).stdout


def chart(dom: str, div_id: str) -> str:
    start = dom.index(f'id="{div_id}"')
    return dom[start : dom.index("</section>", start)]


def test_the_procurement_chart_draws_one_bar_per_mineral_month_and_kind(dom: str) -> None:
    svg = chart(dom, PROCUREMENT_CHART_ID)
    assert 'class="main-svg"' in svg
    # antimony firm (2025-09, 2025-11), antimony ceiling (2025-11), cobalt ceiling (2025-10)
    assert svg.count('class="trace bars"') == 3
    # A bar is drawn as "M x0,base V top H x1 V base Z"; a month without a value has top == base.
    bars = re.findall(r'<g class="point"><path d="M[\d.]+,([\d.]+)V([\d.]+)H', svg)
    assert len(bars) == 3 * 4  # every trace spans the 4 months of the period
    assert len([(base, top) for base, top in bars if base != top]) == 4
    # stacked bars list their legend top-down, the reverse of the trace order
    assert sorted(re.findall(r'class="legendtext"[^>]*>([^<]*)<', svg)) == [
        "antimony",
        "antimony (ceilings)",
        "cobalt (ceilings)",
    ]
    # the category axis covers every month of the period, empty ones included
    assert re.findall(r'class="xtick"><text[^>]*>([^<]*)<', svg) == [
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
    ]


def test_the_timeline_draws_one_row_per_announcement(dom: str) -> None:
    svg = chart(dom, EXPORT_CONTROL_CHART_ID)
    assert 'class="main-svg"' in svg
    assert 'class="scatterlayer mlayer"' in svg
    # issued: 2025-57, BIS 2025-19422, 2025-70; effective: 2025-57, 2025-70
    assert len(re.findall(r'<path class="point"', svg)) == 5
    assert re.findall(r'class="ytick"><text[^>]*>([^<]*)<', svg) == [
        "MOFCOM 2025-70",
        "BIS 2025-19422",
        "MOFCOM 2025-57",
    ]
    assert re.findall(r'class="legendtext"[^>]*>([^<]*)<', svg) == [
        "BIS issued",
        "MOFCOM/GACC effective",
        "MOFCOM/GACC issued",
    ]


def test_the_screenshot_is_a_real_picture(built: Built, tmp_path: Path) -> None:
    png = tmp_path / "digest.png"
    chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2400", built.report.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1280  # IHDR width
    assert int.from_bytes(data[20:24], "big") == 2400  # IHDR height
    # A blank page compresses to a few kB; tables and two charts do not.
    assert len(data) > 60_000


# What the page measures in the browser at a given width: its scroll width (wider than the
# window means the whole page scrolls sideways), each table box's width and scroll width, and
# the width of each URL cell. Headless Chromium's window is at least 500 px wide, so the page
# is shown in an iframe of the width to test, and posts what it measured to the harness.
PROBE = """
<script>
window.addEventListener("load", () => setTimeout(() => {
  const page = document.documentElement;
  const urls = [...document.querySelectorAll("td.url")].map(
    (cell) => Math.round(cell.getBoundingClientRect().width));
  const boxes = [...document.querySelectorAll(".scroll")].map(
    (box) => [box.clientWidth, box.scrollWidth]);
  parent.postMessage(JSON.stringify(
    {scrollWidth: page.scrollWidth, innerWidth: window.innerWidth, urls, boxes}), "*");
}, 1000));
</script>
"""
HARNESS = """<!DOCTYPE html>
<html><body style="margin:0">
<iframe src="digest.html" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>
window.addEventListener("message", (event) => document.body.setAttribute("data-probe", event.data));
</script>
</body></html>
"""


def harness(built: Built, tmp_path: Path, width: int, height: int, *, probe: bool) -> Path:
    """The report (with the probe) in an iframe `width` px wide, as a page to open."""
    folder = tmp_path / f"page-{width}"
    folder.mkdir()
    (folder / PLOTLY_JS_NAME).symlink_to(built.report.parent / PLOTLY_JS_NAME)
    page = built.html.replace("</body>", PROBE + "</body>") if probe else built.html
    (folder / "digest.html").write_text(page, encoding="utf-8")
    outer = folder / "harness.html"
    outer.write_text(HARNESS.format(width=width, height=height), encoding="utf-8")
    return outer


def measure(built: Built, tmp_path: Path, width: int) -> dict[str, Any]:
    page = harness(built, tmp_path, width, 900, probe=True)
    window = f"--window-size={max(width, 500)},900"
    dom = chromium(tmp_path, window, "--dump-dom", page.as_uri()).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not report"
    measured: dict[str, Any] = json.loads(unescape(found[1]))
    return measured


@pytest.mark.parametrize("width", [420, 1400])
def test_the_page_fits_the_window_and_urls_wrap_by_segment(
    built: Built, tmp_path: Path, width: int
) -> None:
    measured = measure(built, tmp_path, width)
    assert measured["innerWidth"] == width
    # The page never scrolls sideways: a wide table scrolls inside its own box.
    assert measured["scrollWidth"] <= width, measured
    boxes = measured["boxes"]
    assert len(boxes) == 5
    assert all(client <= width for client, _ in boxes), measured
    if width == 420:
        assert any(scroll > client for client, scroll in boxes), measured  # scrolls in its box
    else:
        assert all(scroll <= client for client, scroll in boxes), measured
    # The error's URL keeps a readable column (16em), not a letter a line.
    assert len(measured["urls"]) == 1 and measured["urls"][0] >= 200, measured


@pytest.mark.parametrize(("width", "height"), [(420, 3000), (1400, 2400)])
def test_screenshots_at_phone_and_desktop_width(
    built: Built, tmp_path: Path, width: int, height: int
) -> None:
    page = harness(built, tmp_path, width, height, probe=False)
    png = tmp_path / f"digest-{width}.png"
    window = f"--window-size={max(width, 500)},{height}"
    chromium(tmp_path, f"--screenshot={png}", window, page.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == max(width, 500)
    assert len(data) > 40_000  # tables and charts, not a blank page
    if os.environ.get("MINWATCH_KEEP_SCREENSHOTS"):
        shutil.copy(png, os.environ["MINWATCH_KEEP_SCREENSHOTS"])
