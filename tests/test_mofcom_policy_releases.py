"""MOFCOM's server-rendered policy releases list (政策发布, /zcfb/index.html): real crawls over
the loopback sample site.

The list's rows are `ul.policy-list.f-mt20 > li` with the article as the first link, sometimes
a policy interpretation (政策解读) as a second, and the date in a `span`; known from a
third-party public scraper of the list and its fixture [T] (spiders/mofcom.py,
`MofcomPolicyReleasesSpider`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.mofcom import MofcomPolicyReleasesSpider
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

BEIJING = timezone(timedelta(hours=8))
WWW = "https://www.mofcom.gov.cn"
LIST = "/mofcom/zcfb/index.html"
NO_72_PATH = "/zcfb/blgg/gg/2025/art/2025/art_bc4513421bb24faaa84e44c2e4f36dc5.html"
NO_46_PATH = "/zcfb/blgg/gg/2024/art/2024/art_41c7e9a3b5d24f6e8a0c2e4b6d8f1a3c.html"
NO_23_PATH = "/zcfb/blgg/art/2023/art_ca2e9d349361441f847bdabac5d8331b.html"  # row without a date
NO_72_TITLE = "商务部公告2025年第72号 关于暂停实施商务部公告2024年第46号第二款的公告"
NO_46_TITLE = "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告"
NO_23_TITLE = "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告"


def crawl(
    server: SampleServer,
    landing: Path,
    run_id: str = "night-1",
    state: CrawlState | None = None,
    **extra: str,
) -> CrawlResult:
    result = run_crawl(
        "mofcom_zcfb",
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS["mofcom_zcfb"], **extra},
        settings=FAST,
        state=state,
        timeout_s=120,
    )
    assert result.error is None, result.error
    return result


def pages(server: SampleServer, start: int = 0, stop: int | None = None) -> list[str]:
    return sorted(r.path for r in server.requests[start:stop] if r.path != "/robots.txt")


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CrawlResult, list[str]]]:
    with SampleServer() as server:
        result = crawl(server, tmp_path_factory.mktemp("landing"))
        yield result, pages(server)


def test_the_fixture_row_is_its_first_link_and_its_date() -> None:
    # The third-party scraper's fixture row: the interpretation link is no part of the row.
    html = (
        '<ul class="policy-list f-mt20"><li><a href="http://www.mofcom.gov.cn/zcfb/zc/art/2026/'
        'art_97e72afd4b7f41dab15603c723ea46a9.html">商务公告</a><a href="/zcjd/x.html">政策解读</a>'
        "<span>2026-09-07</span></li></ul>"
    )
    rows = MofcomPolicyReleasesSpider().list_rows(html, f"{WWW}/zcfb/index.html")
    assert rows == [
        (
            "http://www.mofcom.gov.cn/zcfb/zc/art/2026/art_97e72afd4b7f41dab15603c723ea46a9.html",
            {"title": "商务公告", "date": "2026-09-07"},
        )
    ]


def test_rows_land_with_the_first_links_title_and_no_interpretation_is_fetched(
    night: tuple[CrawlResult, list[str]],
) -> None:
    result, requested = night
    assert requested == sorted(
        ["/mofcom" + p for p in (NO_72_PATH, NO_46_PATH, NO_23_PATH)] + [LIST]
    )
    assert not [p for p in requested if "/zcjd/" in p]
    documents, failures = split(result, once=True)
    assert failures == []
    # The http:// link of the No. 72 row is the https page, as every MOFCOM identity is.
    assert sorted(documents) == sorted(WWW + p for p in (NO_72_PATH, NO_46_PATH, NO_23_PATH))
    records = {
        source_id.removeprefix(WWW): (raw.data or {})["list_record"]
        for source_id, raw in documents.items()
    }
    assert records == {
        NO_72_PATH: {"title": NO_72_TITLE, "date": "2025-11-09"},
        NO_46_PATH: {"title": NO_46_TITLE, "date": "2024-12-03"},
        NO_23_PATH: {"title": NO_23_TITLE, "date": None},
    }
    assert {raw.kind for raw in documents.values()} == {"export_control"}


def test_the_blgg_announcement_72_reads_its_number_issue_date_and_clause_suspension(
    night: tuple[CrawlResult, list[str]],
) -> None:
    documents, _ = split(night[0])
    raw = documents[WWW + NO_72_PATH]
    assert raw.title == NO_72_TITLE
    # The time is only in <meta name="PubDate" content="2025-11-09T17:00">.
    assert raw.published_at == datetime(2025, 11, 9, 17, 0, tzinfo=BEIJING)
    announcement = (raw.data or {})["announcement"]
    assert (announcement["authority"], announcement["number"]) == ("MOFCOM", "2025-72")
    assert (announcement["issued_on"], announcement["effective_on"]) == ("2025-11-09", "2025-11-09")
    assert announcement["suspends"] == ["2024-46"]
    assert announcement["suspensions"] == [
        {
            "announcement": "2024-46",
            "clauses": ["2"],
            "suspended_from": "2025-11-09",
            "suspended_until": "2026-11-27",
        }
    ]
    document = to_document(raw)
    assert document.doc_id == f"web:{WWW}{NO_72_PATH}"
    # The colon labels' own box opens the text; the catalogue metadata box is left out.
    assert document.text.splitlines()[:3] == [
        "发布单位：安全与管制局",
        "发布文号：商务部公告2025年第72号",
        "发文日期：2025年11月9日",
    ]
    assert "索引号" not in document.text


def test_a_page_without_a_time_on_an_undated_row_is_dated_by_its_label(
    night: tuple[CrawlResult, list[str]],
) -> None:
    documents, _ = split(night[0])
    raw = documents[WWW + NO_23_PATH]
    # No PubDate, no time on the page, no date on the row: the 发文日期： label.
    assert raw.published_at == datetime(2023, 7, 3, tzinfo=BEIJING)
    announcement = (raw.data or {})["announcement"]
    assert (announcement["authority"], announcement["number"]) == ("MOFCOM/GACC", "2023-23")
    assert (announcement["issued_on"], announcement["effective_on"]) == ("2023-07-03", "2023-08-01")
    # One body box with the labels at its head: the labels stay the text's first lines.
    assert to_document(raw).text.splitlines()[2] == "发文日期：2023年7月3日"


def test_the_date_window_skips_dated_rows_outside_it_and_follows_undated_ones(
    tmp_path: Path,
) -> None:
    with SampleServer() as server:
        recent = crawl(server, tmp_path, "recent", from_date="2025-01-01")
        between = len(server.requests)
        older = crawl(server, tmp_path, "older", until_date="2024-12-31")
        requested = pages(server, 0, between), pages(server, between)
    assert sorted(split(recent)[0]) == sorted([WWW + NO_72_PATH, WWW + NO_23_PATH])
    assert sorted(split(older)[0]) == sorted([WWW + NO_46_PATH, WWW + NO_23_PATH])
    # A row outside the window is not fetched at all.
    assert requested == (
        sorted([LIST, "/mofcom" + NO_72_PATH, "/mofcom" + NO_23_PATH]),
        sorted([LIST, "/mofcom" + NO_46_PATH, "/mofcom" + NO_23_PATH]),
    )
    assert recent.stats["minwatch/skipped_outside_window"] == 1
    assert older.stats["minwatch/skipped_outside_window"] == 1


def test_a_second_night_fetches_no_article_and_lands_nothing(tmp_path: Path) -> None:
    with SampleServer() as server:
        first = crawl(server, tmp_path, "night-1")
        between = len(server.requests)
        assert first.state_path is not None
        second = crawl(server, tmp_path, "night-2", CrawlState.load(first.state_path))
        requests = server.requests[between:]
    assert len(split(first)[0]) == 3
    # Only the list, asked with its validators and answered "not modified".
    assert [(r.path, r.status) for r in requests if r.path != "/robots.txt"] == [(LIST, 304)]
    assert split(second) == ({}, [])
