"""MOFCOM export-control portal (`mofcom_exportcontrol`): its column list API, POSTed, over HTTP.

The recorded list answers (`pageInfo.rows`) and the portal's edi_ecms article pages are served
by the loopback sample server (sample_sources/routes/exportcontrol.py); real crawls land them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from minwatch.sample_sources.server import LoggedRequest, Override, SampleServer
from minwatch.spiders.base import SpiderConfigError
from minwatch.spiders.documents import to_document
from minwatch.spiders.mofcom import MofcomExportControlSpider
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

BEIJING = timezone(timedelta(hours=8))
# The portal is fetched over http; a MOFCOM host's identity is https whatever the scheme.
PORTAL = "https://exportcontrol.mofcom.gov.cn"
SITE = "/aqygzj/sites/exportcontrol.mofcom.gov.cn"
API = SITE + "/edi_ecms_web_front/front/column/getColumnList"
NO_33 = f"{PORTAL}/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"
NEWS = f"{PORTAL}/article/gndt/202505/1137.html"
REGULATION_MISSING = f"{PORTAL}/article/zcfg/gnzcfg/gnzcfgfg/202410/1070.html"
NO_33_TITLE = "商务部 海关总署公告2024年第33号 关于对锑等物项实施出口管制的公告"
# 2025 No. 10, listed in column 15, whose page is the portal's SSI failure page (HTTP 200).
NO_10_SSI = f"{PORTAL}/article/zcfg/gnzcfg/zcfggzqd/202502/1105.html"


def crawl(
    server: SampleServer, landing: Path, run_id: str, state: CrawlState | None = None, **extra: str
) -> CrawlResult:
    result = run_crawl(
        "mofcom_exportcontrol",
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS["mofcom_exportcontrol"], **extra},
        settings=FAST,
        state=state,
        timeout_s=120,
    )
    assert result.error is None, result.error
    return result


def list_calls(requests: list[LoggedRequest]) -> list[tuple[str, str, str]]:
    """(method, columnID, pageNumber) of each list API call, sorted."""
    return sorted(
        (r.method, r.form.get("columnID", ""), r.form.get("pageNumber", ""))
        for r in requests
        if r.path == API
    )


def rows_answer(*rows: object) -> Override:
    body = json.dumps({"pageInfo": {"rows": list(rows)}}, ensure_ascii=False)
    return Override(200, body, {"Content-Type": "application/json;charset=UTF-8"})


@pytest.fixture(scope="module")
def night(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[CrawlResult, CrawlResult, SampleServer, int]]:
    landing = tmp_path_factory.mktemp("landing")
    with SampleServer() as server:
        first = crawl(server, landing, "night-1")
        before_second = len(server.requests)
        assert first.state_path is not None
        second = crawl(server, landing, "night-2", CrawlState.load(first.state_path))
        yield first, second, server, before_second


def test_the_list_api_is_posted_as_a_form_for_each_column_until_a_page_is_empty(
    night: tuple[CrawlResult, CrawlResult, SampleServer, int],
) -> None:
    _, _, server, before_second = night
    first_night = server.requests[:before_second]
    # Default columns 15, 14, 13 (empty) and 1; a page with rows is followed by the next one.
    assert list_calls(first_night) == sorted(
        [("POST", c, "1") for c in ("15", "14", "13", "1")]
        + [("POST", c, "2") for c in ("15", "14", "1")]
    )
    api = [r for r in first_night if r.path == API]
    assert {r.status for r in api} == {200}
    assert {r.headers.get("Content-Type") for r in api} == {"application/x-www-form-urlencoded"}
    assert {r.headers.get("Referer") for r in api} == {server.base_url + SITE + "/article/zcfg/"}


def test_rows_land_with_title_url_date_and_the_announcement(
    night: tuple[CrawlResult, CrawlResult, SampleServer, int],
) -> None:
    first, _, server, _ = night
    documents, failures = split(first)
    assert sorted(documents) == sorted([NO_33, NEWS])
    no_33 = documents[NO_33]
    assert (no_33.source, no_33.format, no_33.kind, no_33.language) == (
        "mofcom_exportcontrol",
        "mofcom_article",
        "export_control",
        "zh",
    )
    assert no_33.title == NO_33_TITLE
    # The site-relative row URL, fetched from the sample server, keeps the real host as id.
    assert no_33.url == server.base_url + SITE + "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"
    # Listed (and dated by the page) 11 days after the announcement was issued.
    assert no_33.published_at == datetime(2024, 8, 26, 10, 15, tzinfo=BEIJING)
    data = no_33.data or {}
    assert data["list_record"] == {
        "title": NO_33_TITLE,
        "date": "2024-08-26",
        "published": "2024-08-26 10:15:00",
        "source": "安全与管制局",
        "id": "1024",
        "column": 15,
        "column_name": "规章及规范性文件",
    }
    assert data["body_selector"] == "div.bd"
    announcement = data["announcement"]
    assert {k: announcement[k] for k in ("authority", "number", "issued_on", "effective_on")} == {
        "authority": "MOFCOM/GACC",
        "number": "2024-33",
        "issued_on": "2024-08-15",
        "effective_on": "2024-09-15",
    }
    assert announcement["clauses"] == [{"clause": "本公告", "effective_on": "2024-09-15"}]
    assert (announcement["suspends"], announcement["suspended_until"]) == ([], None)
    assert [i["code"] for i in announcement["items"]][:1] == [None]
    assert "2617101000" in announcement["items"][0]["hs_codes"]
    text = to_document(no_33).text
    assert text.startswith(
        "【发布单位】安全与管制局\n【发布文号】商务部 海关总署公告2024年第33号\n"
    )
    assert "var " not in text and "免责声明" not in text
    news = documents[NEWS]
    assert (news.kind, news.title) == ("news", "多部门部署打击战略矿产走私出口")
    assert news.published_at == datetime(2025, 5, 12, 17, 30, tzinfo=BEIJING)
    assert (news.data or {})["announcement"] is None
    assert (news.data or {})["list_record"]["column_name"] == "国内动态"
    # No. 10's page is the SSI failure page and the regulation row's page is missing: each
    # recorded against the source, the rest landed.
    assert sorted((f.source, f.error, f.source_id, f.http_status) for f in failures) == [
        ("mofcom_exportcontrol", "http_404", REGULATION_MISSING, 404),
        ("mofcom_exportcontrol", "ssi_error", NO_10_SSI, 200),
    ]


def test_the_next_night_posts_the_lists_and_asks_again_only_for_the_failed_page(
    night: tuple[CrawlResult, CrawlResult, SampleServer, int],
) -> None:
    _, second, server, before_second = night
    requests = [r for r in server.requests[before_second:] if r.path != "/robots.txt"]
    pages = sorted(r.path for r in requests if r.path != API)
    assert pages == [
        SITE + "/article/zcfg/gnzcfg/gnzcfgfg/202410/1070.html",
        SITE + "/article/zcfg/gnzcfg/zcfggzqd/202502/1105.html",
    ]
    assert len(list_calls(requests)) == 7
    documents, failures = split(second)
    assert documents == {}
    assert sorted((f.error, f.source_id) for f in failures) == [
        ("http_404", REGULATION_MISSING),
        ("ssi_error", NO_10_SSI),
    ]


def test_a_from_date_skips_older_rows_and_stops_paging_the_column(tmp_path: Path) -> None:
    with SampleServer() as server:
        result = crawl(server, tmp_path, "window", columns="15,1", from_date="2025-03-01")
        calls = list_calls(server.requests)
    documents, failures = split(result)
    assert sorted(documents) == [NEWS]
    assert failures == []
    # Column 15's rows (2025-02-04, 2024-08-26) are older than the window: no page 2 for it.
    assert calls == [("POST", "1", "1"), ("POST", "1", "2"), ("POST", "15", "1")]


def test_a_malformed_list_answer_is_recorded_and_loses_nothing_else(tmp_path: Path) -> None:
    valid = {
        "id": 1024,
        "title": NO_33_TITLE,
        "url": "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html",
        "publishTimeStr": "2024-08-26 10:15:00",
        "source": "安全与管制局",
    }
    answers = [
        # Page 1: one good row, one without a URL, one that is not an object.
        rows_answer(valid, {"title": "无链接", "publishTimeStr": "2024-08-20 09:00:00"}, "junk"),
        # Page 2: the portal's HTML error page instead of JSON.
        Override(
            200, "<html><body>系统繁忙，请稍后再试</body></html>", {"Content-Type": "text/html"}
        ),
    ]
    with SampleServer(overrides={API: answers}) as server:
        result = crawl(server, tmp_path, "malformed", columns="15")
        calls = list_calls(server.requests)
    documents, failures = split(result)
    assert sorted(documents) == [NO_33]
    assert (documents[NO_33].data or {})["announcement"]["number"] == "2024-33"
    assert sorted((f.source, f.error, f.http_status) for f in failures) == [
        ("mofcom_exportcontrol", "invalid_record", 200),
        ("mofcom_exportcontrol", "invalid_record", 200),
        ("mofcom_exportcontrol", "malformed_json", 200),
    ]
    malformed = next(f for f in failures if f.error == "malformed_json")
    assert malformed.message.startswith("column 15 page 2 is not JSON")
    # A malformed page ends that column's paging: no page 3.
    assert calls == [("POST", "15", "1"), ("POST", "15", "2")]


def test_list_answers_without_rows_or_with_an_http_error_are_recorded(tmp_path: Path) -> None:
    for answer, error in (
        (Override(200, json.dumps({"code": 500, "msg": "error"})), "unexpected_payload"),
        # Retried by Scrapy, then recorded.
        (Override(503, "<html><body>503 Service Unavailable</body></html>"), "http_503"),
    ):
        with SampleServer(overrides={API: answer}) as server:
            result = crawl(server, tmp_path, error, columns="15,1")
        documents, failures = split(result)
        assert documents == {}
        assert [f.error for f in failures] == [error, error]
        if error == "unexpected_payload":
            assert "has no `pageInfo.rows` list (found ['code', 'msg'])" in failures[0].message


def test_the_columns_argument_is_checked_when_the_spider_is_made() -> None:
    assert MofcomExportControlSpider(columns="1, 15").columns == (1, 15)
    assert MofcomExportControlSpider().columns == (15, 14, 13, 1)
    with pytest.raises(SpiderConfigError, match=r"`columns` naming 'laws', '-2'"):
        MofcomExportControlSpider(columns="13,laws,-2")
    with pytest.raises(SpiderConfigError, match="`columns` naming '²'"):
        MofcomExportControlSpider(columns="²")
    with pytest.raises(SpiderConfigError, match="`columns` naming '' as column IDs"):
        MofcomExportControlSpider(columns="")


def test_the_watcher_polls_the_portals_announcements_column_first_page() -> None:
    # the fast lane reads the column new controls appear in, one page per poll
    from minwatch.flows.watch import watch_configs

    (config,) = watch_configs(["mofcom_exportcontrol"])
    assert config["spider_args"] == {"max_list_pages": "1", "columns": "15"}
