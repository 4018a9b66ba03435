"""A night over the sample site lands every announcement with its dates right.

One real Prefect flow run of the six announcement sources (MOFCOM's two Chinese policy lists,
its Security and Control Bureau, its export-control portal and its English site, and the
Federal Register)
over the loopback sample site, into a real DuckDB file, then a second night of the portal.
Every official announcement row of `export_controls` is compared with the facts of
/work/shared/sources.md §3 (MOFCOM: issue date, effective date, suspension span) and, for BIS
rules, with the `effective_on` the Federal Register API states. The expected
values below are written from those sources, not from the parser's output, so a parser that
drifts fails here even when `tests/data/expected_sources/*.json` is regenerated.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.flows.alerts import render_text
from minwatch.flows.report import build_report
from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import SampleServer
from minwatch.warehouse.alerts import PendingAlert, evaluate_alerts
from tests.sample_night import sample_night

SOURCES = (
    "mofcom_zh", "mofcom_zcfb", "mofcom_aqygzj", "mofcom_exportcontrol", "mofcom_en",
    "federal_register",
)  # fmt: skip
D = date.fromisoformat
OCTOBER_MEASURES = (
    "MOFCOM 2025-55", "MOFCOM 2025-56", "MOFCOM 2025-57", "MOFCOM 2025-58", "MOFCOM 2025-61",
    "MOFCOM 2025-62",
)  # fmt: skip


def _mofcom(issued: str, effective: str) -> dict[str, Any]:
    """An announcement that suspends nothing."""
    return {
        "issued_on": D(issued),
        "effective_on": D(effective),
        "suspended_from": None,
        "suspended_until": None,
        "suspends": (),
    }


# sources.md §3 "Announcement facts": issue date, effective date ("on publication" and
# "immediate" are the issue date), and for No. 70 the span of the suspension it orders.
GA_GE_23 = _mofcom("2023-07-03", "2023-08-01")
GRAPHITE_39 = _mofcom("2023-10-20", "2023-12-01")
ANTIMONY_33 = _mofcom("2024-08-15", "2024-09-15")
US_46 = _mofcom("2024-12-03", "2024-12-03")
TUNGSTEN_10 = _mofcom("2025-02-04", "2025-02-04")
RARE_EARTH_18 = _mofcom("2025-04-04", "2025-04-04")
OCTOBER_NOV_8 = _mofcom("2025-10-09", "2025-11-08")  # Nos. 55, 57, 58
# No. 61: clauses (1)-(2) from 1 December 2025, clause (3) from publication; its effective
# date is the day its main measures take effect (docs/schema.md).
EXTRATERRITORIAL_61 = _mofcom("2025-10-09", "2025-12-01")
TECHNOLOGY_62 = _mofcom("2025-10-09", "2025-10-09")
SUSPENSION_70 = {
    "issued_on": D("2025-11-07"),
    "effective_on": D("2025-11-07"),
    "suspended_from": D("2025-11-07"),
    "suspended_until": D("2026-11-10"),
    "suspends": OCTOBER_MEASURES,
}
# The notice of 9 November 2025 (its number unknown; "No. 72" on the sample site): clause 2 of
# No. 46 suspended until 27 November 2026, clause 1 (US military users) in force.
CLAUSE_SUSPENSION_72 = {
    "issued_on": D("2025-11-09"),
    "effective_on": D("2025-11-09"),
    "suspended_from": D("2025-11-09"),
    "suspended_until": D("2026-11-27"),
    "suspends": ("MOFCOM 2024-46",),
}

EXPECTED: dict[tuple[str, str], dict[str, Any]] = {
    # The policy list (政策发布): 13 listed, No. 56's page is missing; No. 62 in the /zcfb/
    # 2020-era template (colon-form labels in a box of their own after a metadata box).
    ("mofcom_zh", "MOFCOM 2023-23"): GA_GE_23,
    ("mofcom_zh", "MOFCOM 2023-39"): GRAPHITE_39,
    ("mofcom_zh", "MOFCOM 2024-33"): ANTIMONY_33,
    ("mofcom_zh", "MOFCOM 2024-46"): US_46,
    ("mofcom_zh", "MOFCOM 2025-10"): TUNGSTEN_10,
    ("mofcom_zh", "MOFCOM 2025-18"): RARE_EARTH_18,
    ("mofcom_zh", "MOFCOM 2025-55"): OCTOBER_NOV_8,
    ("mofcom_zh", "MOFCOM 2025-57"): OCTOBER_NOV_8,
    ("mofcom_zh", "MOFCOM 2025-61"): EXTRATERRITORIAL_61,
    ("mofcom_zh", "MOFCOM 2025-62"): TECHNOLOGY_62,
    ("mofcom_zh", "MOFCOM 2025-70"): SUSPENSION_70,
    ("mofcom_zh", "MOFCOM 2025-72"): CLAUSE_SUSPENSION_72,
    # The server-rendered 政策发布 list: the same announcements at /zcfb/blgg/ URLs (No. 23's
    # row has no date, its page no time).
    ("mofcom_zcfb", "MOFCOM 2023-23"): GA_GE_23,
    ("mofcom_zcfb", "MOFCOM 2024-46"): US_46,
    ("mofcom_zcfb", "MOFCOM 2025-72"): CLAUSE_SUSPENSION_72,
    # The bureau's home page: No. 58 republished (compact 【发文日期】20251009), No. 62 (row
    # without a date), No. 46 on the former portal; its republished No. 70 is truncated.
    ("mofcom_aqygzj", "MOFCOM 2024-46"): US_46,
    ("mofcom_aqygzj", "MOFCOM 2025-58"): OCTOBER_NOV_8,
    ("mofcom_aqygzj", "MOFCOM 2025-62"): TECHNOLOGY_62,
    # The export-control portal's column 15: No. 33 (listed 2024-08-26, issued 2024-08-15);
    # its No. 10 answers the server-side include failure page and lands nothing.
    ("mofcom_exportcontrol", "MOFCOM 2024-33"): ANTIMONY_33,
    # The English site: No. 57's page is missing.
    ("mofcom_en", "MOFCOM 2023-23"): GA_GE_23,
    ("mofcom_en", "MOFCOM 2024-33"): ANTIMONY_33,
    ("mofcom_en", "MOFCOM 2025-18"): RARE_EARTH_18,
    ("mofcom_en", "MOFCOM 2025-61"): EXTRATERRITORIAL_61,
    ("mofcom_en", "MOFCOM 2025-70"): SUSPENSION_70,
    ("mofcom_en", "MOFCOM 2025-72"): CLAUSE_SUSPENSION_72,
}


def _federal_register_rules() -> dict[tuple[str, str], dict[str, Any]]:
    """BIS's export-control rules in the sample, dated as the API's own fields date them."""
    records = json.loads(
        (SAMPLE_ROOT / "federal_register" / "documents.json").read_text(encoding="utf-8")
    )["results"]
    rules = {}
    for record in records:
        slugs = {a.get("slug") for a in record["agencies"]}
        if record["type"] != "Rule" or "industry-and-security-bureau" not in slugs:
            continue
        if "Advanced Computing" in record["title"]:  # a BIS rule on chips, not minerals
            continue
        rules[("federal_register", f"BIS {record['document_number']}")] = {
            "issued_on": D(record["publication_date"]),
            "effective_on": D(record["effective_on"]),
            "suspended_from": None,
            "suspended_until": None,
            "suspends": (),
        }
    return rules


@dataclass(frozen=True)
class Nights:
    db: Path
    first_requests: list[str]  # paths the sample server answered, night by night
    second_requests: list[str]


@pytest.fixture(scope="module")
def nights(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nights]:
    db = tmp_path_factory.mktemp("announcements") / "minwatch.duckdb"
    with SampleServer() as server:
        summary = sample_night(db, server, "2026-11-27", *SOURCES, send_alerts=False)
        between = len(server.requests)
        # The next night of the portal alone: what failed is asked for again.
        second = sample_night(db, server, "2026-11-28", "mofcom_exportcontrol", send_alerts=False)
        paths = [r.path for r in server.requests]
    # Partial: the sample site's missing, truncated and failed pages, on purpose.
    assert summary.status in {"ok", "partial"}, summary
    assert {o.stats.source: o.stats.status for o in summary.outcomes}.keys() == set(SOURCES)
    # Only the failed pages are fetched again, and they fail again: the portal's night fails.
    assert [o.stats.source for o in second.outcomes] == ["mofcom_exportcontrol"]
    yield Nights(db, paths[:between], paths[between:])


@pytest.fixture(scope="module")
def night(nights: Nights) -> Path:
    return nights.db


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_every_announcement_lands_with_its_issue_effective_and_suspension_dates(
    night: Path,
) -> None:
    rows = _rows(
        night,
        """
        SELECT source, announcement_key, issued_on, effective_on, suspended_from,
               suspended_until, suspends
        FROM export_controls WHERE kind = 'export_control'
        """,
    )
    landed: dict[tuple[str, str], dict[str, Any]] = {}
    for source, key, issued, effective, start, end, suspends in rows:
        assert (source, key) not in landed, f"{source} landed {key} twice"
        landed[(source, key)] = {
            "issued_on": issued,
            "effective_on": effective,
            "suspended_from": start,
            "suspended_until": end,
            "suspends": tuple(suspends),
        }
    expected = {**EXPECTED, **_federal_register_rules()}
    assert sorted(landed) == sorted(expected)
    wrong = {k: (landed[k], expected[k]) for k in expected if landed[k] != expected[k]}
    assert wrong == {}


@pytest.mark.slow
def test_no_61_keeps_each_clause_date_in_both_languages(night: Path) -> None:
    rows = _rows(
        night,
        "SELECT source, clauses FROM export_controls WHERE announcement_key = 'MOFCOM 2025-61' "
        "AND kind = 'export_control' ORDER BY source",
    )
    dates = {
        source: sorted(c["effective_on"] for c in json.loads(clauses)) for source, clauses in rows
    }
    # Clause 1 (1)-(2) from 1 December 2025; clause 1 (3) and the rest from publication.
    assert dates == {
        "mofcom_en": ["2025-10-09", "2025-12-01"],
        "mofcom_zh": ["2025-10-09", "2025-12-01"],
    }


@pytest.mark.slow
def test_no_72_suspends_clause_2_of_no_46_in_both_languages(night: Path) -> None:
    rows = _rows(
        night,
        "SELECT source, suspensions FROM export_controls WHERE announcement_key = 'MOFCOM 2025-72' "
        "AND kind = 'export_control' ORDER BY source",
    )
    clause_2 = [
        {
            "announcement": "MOFCOM 2024-46",
            "clauses": ["2"],
            "suspended_from": "2025-11-09",
            "suspended_until": "2026-11-27",
        }
    ]
    assert [(source, json.loads(parts)) for source, parts in rows] == [
        ("mofcom_en", clause_2),
        ("mofcom_zcfb", clause_2),
        ("mofcom_zh", clause_2),
    ]


@pytest.mark.slow
def test_an_announcement_on_both_chinese_lists_is_one_announcement(
    night: Path, tmp_path: Path
) -> None:
    # No. 72 at /zwgk/zcfb/ (jpaas list) and at /zcfb/blgg/ (server-rendered list): two
    # documents, one announcement_key.
    documents = _rows(
        night,
        "SELECT source, url FROM export_controls WHERE announcement_key = 'MOFCOM 2025-72' "
        "AND language = 'zh' ORDER BY source",
    )
    assert [source for source, _ in documents] == ["mofcom_zcfb", "mofcom_zh"]
    assert len({url for _, url in documents}) == 2
    # The analysts' views and the alerts count it once.
    status = _rows(
        night,
        "SELECT status FROM export_control_status(DATE '2026-01-15') "
        "WHERE announcement_key = 'MOFCOM 2025-72'",
    )
    assert status == [("in force",)]
    suspensions = _rows(
        night,
        "SELECT suspended_by, clauses, suspended_until FROM export_control_suspensions() "
        "WHERE target = 'MOFCOM 2024-46'",
    )
    assert suspensions == [("MOFCOM 2025-72", ["2"], D("2026-11-27"))]
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(night, db)
    con = duckdb.connect(str(db))
    try:
        evaluate_alerts(con, "test-run", ())
        alerts = con.execute(
            "SELECT alert_key, CAST(payload AS VARCHAR) FROM alert "
            "WHERE alert_key LIKE 'announcement:MOFCOM 2025-72%'"
        ).fetchall()
    finally:
        con.close()
    assert [key for key, _ in alerts] == ["announcement:MOFCOM 2025-72"]
    sources = sorted(link["source"] for link in json.loads(alerts[0][1])["links"])
    assert sources == ["mofcom_en", "mofcom_zcfb", "mofcom_zh"]


def _status(db: Path, day: str) -> dict[str, tuple[Any, ...]]:
    rows = _rows(
        db,
        "SELECT announcement_key, status, suspended_by, suspended_until, suspended_clauses "
        f"FROM export_control_status(DATE '{day}')",
    )
    return {r[0]: r[1:] for r in rows}


def _clause_status(db: Path, day: str, key: str) -> list[tuple[Any, ...]]:
    return _rows(
        db,
        "SELECT clause, status, suspended_by, suspended_until "
        f"FROM export_control_clause_status(DATE '{day}') WHERE announcement_key = '{key}'",
    )


@pytest.mark.slow
def test_no_46_is_partly_suspended_clause_by_clause_and_whole_again_after(night: Path) -> None:
    # During the suspension: clause 1 (US military users) in force, clause 2 suspended.
    during = "2026-01-15"
    assert _status(night, during)["MOFCOM 2024-46"] == (
        "partly suspended",
        "MOFCOM 2025-72",
        D("2026-11-27"),
        ["2"],
    )
    assert _clause_status(night, during, "MOFCOM 2024-46") == [
        ("1", "in force", None, None),
        ("2", "suspended", "MOFCOM 2025-72", D("2026-11-27")),
    ]
    # The last day of the suspension is still inside it; the day after, all of No. 46 applies.
    assert _status(night, "2026-11-27")["MOFCOM 2024-46"][0] == "partly suspended"
    after = "2026-11-28"
    assert _status(night, after)["MOFCOM 2024-46"] == ("in force", None, None, None)
    assert _clause_status(night, after, "MOFCOM 2024-46") == [
        ("1", "in force", None, None),
        ("2", "in force", None, None),
    ]
    # Before the notice, No. 46 was in force whole; a whole suspension stays as it was.
    assert _status(night, "2025-11-08")["MOFCOM 2024-46"][0] == "in force"
    assert _status(night, during)["MOFCOM 2025-61"] == (
        "suspended",
        "MOFCOM 2025-70",
        D("2026-11-10"),
        None,
    )
    # The notice itself counts as in force; its own text has no numbered clauses.
    assert _status(night, during)["MOFCOM 2025-72"][0] == "in force"
    assert _clause_status(night, during, "MOFCOM 2025-72") == [(None, "in force", None, None)]


@pytest.mark.slow
def test_the_spokesperson_qa_is_news_not_an_announcement(night: Path) -> None:
    official = _rows(
        night,
        "SELECT count(*) FROM export_controls "
        "WHERE kind = 'export_control' AND url LIKE '%/zhxx/art/%'",
    )
    kinds = _rows(night, "SELECT kind FROM documents WHERE url LIKE '%/zhxx/art/%'")
    assert official == [(0,)]
    assert kinds == [("news",)]


# -- the page variants of issue 13 as the sample site serves them ------------------------------
BEIJING = timezone(timedelta(hours=8))
ZCFB_62 = "https://www.mofcom.gov.cn/zwgk/zcfb/art/2025/art_d5f7b9c1e3a54d7f9b1c3e5a7d9f1b3c.html"
EN_33 = (
    "https://english.mofcom.gov.cn/Policies/AnnouncementsOrders/art/2024/"
    "art_5b7d9f1a3c5e4b7d9f1a3c5e7b9d1f3a.html"
)
PORTAL = "https://exportcontrol.mofcom.gov.cn"
PORTAL_SERVED = "/aqygzj/sites/exportcontrol.mofcom.gov.cn"
SSI_10 = "/article/zcfg/gnzcfg/zcfggzqd/202502/1105.html"  # 2025 No. 10: the SSI failure page
PORTAL_33 = "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"


def _document(db: Path, doc_id: str) -> tuple[Any, ...]:
    found = _rows(
        db, f"SELECT title, published_at, text FROM documents WHERE doc_id = 'web:{doc_id}'"
    )
    assert len(found) == 1, f"{doc_id} landed {len(found)} times"
    return found[0]


@pytest.mark.slow
def test_the_zcfb_page_with_colon_labels_a_metadata_box_and_a_t_pubdate_reads_right(
    night: Path,
) -> None:
    # The /zcfb/ page of No. 62: a metadata box, then 发布单位：/发布文号：/发文日期： in a box
    # of their own, then the article; its time is only in <meta name="PubDate"> with a 'T'.
    title, published_at, text = _document(night, ZCFB_62)
    assert title == "商务部公告2025年第62号 公布对稀土相关技术实施出口管制的决定"
    assert published_at == datetime(2025, 10, 9, 15, 20, tzinfo=BEIJING)
    assert text.splitlines()[:5] == [
        "发布单位：安全与管制局",
        "发布文号：商务部公告2025年第62号",
        "发文日期：2025年10月9日",
        "根据《中华人民共和国出口管制法》《中华人民共和国两用物项出口管制条例》有关规定，"
        "决定对下列技术实施出口管制：",
        "（一）1E902.a 稀土开采、选冶分离、金属冶炼、磁材制造、二次资源回收利用相关技术及其载体。",
    ]
    assert "索引号" not in text and "主题分类" not in text
    clauses = _rows(
        night,
        "SELECT clauses FROM export_controls "
        "WHERE source = 'mofcom_zh' AND announcement_key = 'MOFCOM 2025-62'",
    )
    assert [json.loads(c) for (c,) in clauses] == [
        [{"clause": "本公告", "effective_on": "2025-10-09"}]
    ]


@pytest.mark.slow
def test_the_english_note_in_its_other_wording_is_no_part_of_the_text(night: Path) -> None:
    # "(All information published in this website is authentic in Chinese. ...)"
    *_, text = _document(night, EN_33)
    assert "authentic in Chinese" not in text
    assert text.splitlines()[-2:] == [
        "Ministry of Commerce, General Administration of Customs",
        "August 15, 2024",
    ]


@pytest.mark.slow
def test_the_portals_ssi_failure_page_lands_nothing_and_is_asked_for_again(
    nights: Nights,
) -> None:
    db = nights.db
    assert _rows(db, f"SELECT count(*) FROM documents WHERE url LIKE '%{SSI_10}'") == [(0,)]
    assert _rows(
        db,
        "SELECT count(*) FROM export_controls "
        "WHERE source = 'mofcom_exportcontrol' AND announcement_key = 'MOFCOM 2025-10'",
    ) == [(0,)]
    # Recorded against its source, once each night, as the server's failure it is.
    failures = _rows(
        db,
        f"""
        SELECT r.started_at::DATE, f.source, f.source_id, f.http_status, f.error, f.message
        FROM fetch_errors f JOIN runs r USING (run_id, source)
        WHERE f.url LIKE '%{SSI_10}' ORDER BY r.started_at
        """,
    )
    assert [row[1:5] for row in failures] == [
        ("mofcom_exportcontrol", PORTAL + SSI_10, 200, "ssi_error"),
        ("mofcom_exportcontrol", PORTAL + SSI_10, 200, "ssi_error"),
    ]
    assert all("an error occurred while processing this directive" in f[5] for f in failures)
    # Fetched again the next night, while the page that landed beside it is not.
    assert nights.first_requests.count(PORTAL_SERVED + SSI_10) == 1
    assert nights.second_requests.count(PORTAL_SERVED + SSI_10) == 1
    assert nights.first_requests.count(PORTAL_SERVED + PORTAL_33) == 1
    assert nights.second_requests.count(PORTAL_SERVED + PORTAL_33) == 0


@pytest.mark.slow
def test_the_alert_and_the_report_name_the_suspended_clause(night: Path, tmp_path: Path) -> None:
    # a copy: evaluating alerts writes the outbox, and the module's warehouse is shared
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(night, db)
    con = duckdb.connect(str(db))
    try:
        evaluate_alerts(con, "test-run", ())
        (payload,) = con.execute(
            "SELECT CAST(payload AS VARCHAR) FROM alert "
            "WHERE alert_key = 'announcement:MOFCOM 2025-72'"
        ).fetchone() or (None,)
        alert = PendingAlert(
            "announcement:MOFCOM 2025-72", "export_control", "t", json.loads(payload)
        )
        assert (
            "Suspends: MOFCOM 2024-46 clause 2 until 2026-11-27" in render_text(alert).splitlines()
        )
        # a whole suspension reads as before
        (whole,) = con.execute(
            "SELECT CAST(payload AS VARCHAR) FROM alert "
            "WHERE alert_key = 'announcement:MOFCOM 2025-70'"
        ).fetchone() or (None,)
        assert "suspensions" not in json.loads(whole)

        (first_run,) = con.execute(
            "SELECT run_id FROM run ORDER BY started_at LIMIT 1"
        ).fetchone() or (None,)
        html = build_report(con, run_id=first_run, now=datetime(2026, 11, 28, tzinfo=UTC))
    finally:
        con.close()
    section = html.split('<section id="new-export-controls">', 1)[1].split("</section>", 1)[0]
    row = next(r for r in section.split("<tr") if "2025-72" in r)
    assert "suspends MOFCOM 2024-46 clause 2; until 2026-11-27" in row
