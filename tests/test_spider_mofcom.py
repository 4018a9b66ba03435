"""MOFCOM leaves (jpaas policy list, aqygzj home page, English list): real crawls over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.mofcom import MofcomEnglishSpider
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

WWW = "https://www.mofcom.gov.cn"
AQ = "https://aqygzj.mofcom.gov.cn"
EN = "https://english.mofcom.gov.cn/Policies/AnnouncementsOrders/art"
NO_18 = f"{WWW}/zwgk/zcfb/art/2025/art_9c2108ccaf754f22a34abab2fedaa944.html"
NO_70 = f"{WWW}/zwgk/zcfb/art/2025/art_8b0d2f4a6c8e4b1d9f3a5c7e9b2d4f6a.html"
NO_61 = f"{WWW}/zwgk/zcfb/art/2025/art_3e5a7c9b1d2f4a6c8e0b2d4f6a8c1e3b.html"
NO_23_GB2312 = f"{WWW}/article/zwgk/gkzcfb/202307/20230703419666.shtml"
NO_56_MISSING = f"{WWW}/zwgk/zcfb/art/2025/art_c4e6a8b0d2f44c6e8a0b2d4f6c8e0a2b.html"
EN_18 = f"{EN}/2025/art_0dd87cbee7b045bf93fabe6ab2faceee.html"
EN_61 = f"{EN}/2025/art_6c8e0a2b4d6f4c8e0a2b4d6f8c0e2a4b.html"
EN_70 = f"{EN}/2025/art_7d9f1b3c5e7a4d9f1b3c5e7a9d1f3b5c.html"
EN_23 = f"{EN}/2023/art_4a6c8e0b2d4f4a6c8e0b2d4f6a8c0e2b.html"
EN_57_MISSING = f"{EN}/2025/art_8e0a2c4d6f8b4e0a2c4d6f8b0e2a4c6d.html"
AQ_58 = f"{AQ}/gzdt/art/2025/art_5d8e1f2a3b4c4d5e8f9a0b1c2d3e4f50.html"
AQ_62_NO_DATE = f"{AQ}/gzdt/art/2025/art_6f9a2b3c4d5e4f6a9b0c1d2e3f4a5b61.html"
AQ_QA = f"{AQ}/zhxx/art/2025/art_7a0b3c4d5e6f4a7b0c1d2e3f4a5b6c72.html"
AQ_TRUNCATED = f"{AQ}/gzdt/art/2025/art_8b1c4d5e6f7a4b8c1d2e3f4a5b6c7d83.html"
# No. 46 of 2024 as kept on the bureau's former export-control portal (edi_ecms template).
# Linked as http://; a MOFCOM host's identity is https whatever the link names.
PORTAL = "https://exportcontrol.mofcom.gov.cn"
AQ_46_PORTAL = f"{PORTAL}/article/zcfg/gnzcfg/gnzcfgtz/202412/1090.html"
API_PATH = "/mofcom/api-gateway/jpaas-publish-server/front/page/build/unit"
BEIJING = timezone(timedelta(hours=8))


def crawl(source: str, server: SampleServer, landing_dir: Path, **extra: str) -> CrawlResult:
    return run_crawl(
        source,
        landing_dir=landing_dir,
        run_id="night-1",
        base_url=server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS[source], **extra},
        settings=FAST,
        timeout_s=120,
    )


@pytest.fixture(scope="module")
def crawls(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, CrawlResult], SampleServer]]:
    landing_dir = tmp_path_factory.mktemp("landing")
    with SampleServer() as server:
        results = {
            # 4 items a page: pages 1-4 hold the 13 items, page 5 is empty.
            "mofcom_zh": crawl("mofcom_zh", server, landing_dir, page_size="4"),
            "mofcom_aqygzj": crawl("mofcom_aqygzj", server, landing_dir),
            "mofcom_en": crawl("mofcom_en", server, landing_dir),
        }
        yield results, server


def test_policy_list_pages_through_jpaas_with_referer(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    results, server = crawls
    assert results["mofcom_zh"].error is None, results["mofcom_zh"].error
    api_calls = [r for r in server.requests if r.path.startswith(API_PATH)]
    assert [json.loads(_param(r.path, "paramJson")) for r in api_calls] == [
        {"pageNo": n, "pageSize": 4} for n in (1, 2, 3, 4, 5)
    ]
    assert {r.status for r in api_calls} == {200}
    referers = {r.headers.get("Referer") for r in api_calls}
    assert referers == {server.base_url + "/mofcom/zwgk/zcfb/index.html"}
    documents, failures = split(results["mofcom_zh"])
    assert len(documents) == 12  # 13 listed, No. 56's page missing
    assert [(f.error, f.source_id, f.http_status) for f in failures] == [
        ("http_404", NO_56_MISSING, 404)
    ]


def _param(path: str, name: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(path).query)[name][0]


def test_announcement_18_fields_by_value(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_zh"])
    raw = documents[NO_18]
    assert raw.format == "mofcom_article"
    assert raw.kind == "export_control"
    assert raw.language == "zh"
    assert raw.published_at == datetime(2025, 4, 4, 18, 0, tzinfo=BEIJING)
    assert (
        raw.title == "商务部 海关总署公告2025年第18号 公布对部分中重稀土相关物项实施出口管制的决定"
    )
    announcement = (raw.data or {})["announcement"]
    assert announcement["authority"] == "MOFCOM/GACC"
    assert announcement["number"] == "2025-18"
    assert announcement["issued_on"] == "2025-04-04"
    assert announcement["effective_on"] == "2025-04-04"
    assert announcement["suspends"] == [] and announcement["amends"] == []
    assert announcement["suspended_until"] is None
    items = {item["code"]: item for item in announcement["items"]}
    assert len(items) == 16
    assert items["1C902.a"] == {
        "code": "1C902.a",
        "description": "金属钐",
        "hs_codes": ["2805301910"],
    }
    assert items["1C902.b"]["hs_codes"] == ["7202999100", "8505119000"]
    assert items["1C907.b"]["description"] == "氧化钪"


def test_announcement_70_suspends_the_october_measures(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_zh"])
    announcement = (documents[NO_70].data or {})["announcement"]
    assert announcement["number"] == "2025-70"
    assert announcement["suspends"] == [
        "2025-55",
        "2025-56",
        "2025-57",
        "2025-58",
        "2025-61",
        "2025-62",
    ]
    # "……所列措施，至2026年11月10日": the end date after a comma still ends the suspension,
    # which starts with the announcement ("本公告自公布之日起执行").
    assert (announcement["suspended_from"], announcement["suspended_until"]) == (
        "2025-11-07",
        "2026-11-10",
    )
    assert announcement["issued_on"] == announcement["effective_on"] == "2025-11-07"
    assert announcement["clauses"] == [{"clause": "本公告", "effective_on": "2025-11-07"}]
    assert announcement["items"] == []


def test_announcement_61_takes_effect_with_its_main_measures(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_zh"])
    announcement = (documents[NO_61].data or {})["announcement"]
    assert announcement["issued_on"] == "2025-10-09"
    # Clause 1 (3) and the rest apply at publication; the extraterritorial controls of
    # clause 1 (1)-(2), what the announcement is about, from December 1.
    assert announcement["clauses"] == [
        {"clause": "第一条第（一）项、第（二）项", "effective_on": "2025-12-01"},
        {"clause": "第一条第（三）项及其余条款", "effective_on": "2025-10-09"},
    ]
    assert announcement["effective_on"] == "2025-12-01"
    assert announcement["suspends"] == [] and announcement["suspended_from"] is None


def test_policy_list_pages_in_the_current_and_the_2020_template(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_zh"])
    # jpaas template: <meta name="ArticleTitle"/"PubDate">, the label box apart from the
    # <div ergodic="article"> body, the 来源/类型/time line inside .art-title.
    current = documents[NO_61]
    assert (current.data or {})["body_selector"] == '[ergodic="article"]'
    assert current.title == "商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定"
    assert current.published_at == datetime(2025, 10, 9, 9, 0, tzinfo=BEIJING)
    text = to_document(current).text
    assert text.splitlines()[:3] == [
        "【发布单位】安全与管制局",
        "【发布文号】商务部公告2025年第61号",
        "【发文日期】2025年10月09日",
    ]
    assert "字号" not in text and "打印本页" not in text  # the article tools stay out
    # 2020-era template (the .shtml page): .art-title, time in section.article-tool, body
    # in .art-con-bottonmLine behind an "English version" image link.
    legacy = documents[NO_23_GB2312]
    assert (legacy.data or {})["body_selector"] == ".art-con-bottonmLine"
    assert legacy.published_at == datetime(2023, 7, 3, 15, 30, tzinfo=BEIJING)
    assert to_document(legacy).text.startswith("【发布单位】安全与管制局\n")


def test_gb2312_declared_page_is_decoded_as_utf8(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_zh"])
    raw = documents[NO_23_GB2312]
    assert (raw.data or {})["declared_charset"] == "gb2312"
    assert raw.title == "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告"
    announcement = (raw.data or {})["announcement"]
    assert (announcement["number"], announcement["effective_on"]) == ("2023-23", "2023-08-01")
    assert announcement["items"][0] == {
        "code": None,
        "description": "金属镓（单质）",
        "hs_codes": ["8112921010", "8112929010", "8112999091"],
    }


def test_security_bureau_rows_with_and_without_dates(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    result = crawls[0]["mofcom_aqygzj"]
    assert result.error is None, result.error
    documents, failures = split(result)
    assert sorted(documents) == sorted([AQ_58, AQ_62_NO_DATE, AQ_QA, AQ_46_PORTAL])
    no_date = documents[AQ_62_NO_DATE]
    assert (no_date.data or {})["list_record"] == {
        "title": "商务部公告2025年第62号 公布对稀土相关技术实施出口管制的决定",
        "date": None,
    }
    # The page's own time stands in for the missing row date.
    assert no_date.published_at == datetime(2025, 10, 9, 15, 20, tzinfo=BEIJING)
    assert (no_date.data or {})["announcement"]["authority"] == "MOFCOM"
    assert [i["code"] for i in (no_date.data or {})["announcement"]["items"]] == [
        "1E902.a",
        "1E902.b",
    ]
    # The absolute real-host link was fetched from the sample server.
    assert no_date.url.startswith(crawls[1].base_url + "/aqygzj/gzdt/")
    republished = (documents[AQ_58].data or {})["announcement"]
    assert (republished["number"], republished["issued_on"], republished["effective_on"]) == (
        "2025-58",
        "2025-10-09",
        "2025-11-08",
    )
    qa = documents[AQ_QA]
    assert qa.kind == "news"
    assert (qa.data or {})["announcement"] is None
    assert [(f.error, f.source_id) for f in failures] == [("truncated_html", AQ_TRUNCATED)]


def test_security_bureau_pages_in_the_current_and_the_former_portal_template(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    documents, _ = split(crawls[0]["mofcom_aqygzj"])
    # Current template: .art-title holds the title and the 来源/类型/分类/time line, no
    # .art-time; the label box writes its three labels on one line.
    current = documents[AQ_58]
    assert current.title == (
        "商务部 海关总署公告2025年第58号 "
        "公布对部分锂电池和人造石墨负极材料相关物项实施出口管制的决定"
    )
    assert current.published_at == datetime(2025, 10, 9, 15, 10, tzinfo=BEIJING)
    assert to_document(current).text.splitlines()[2] == "【发文日期】20251009"
    # The former export-control portal (edi_ecms): title, source and time in page variables
    # of a script, body in div.bd; fetched from the sample server, known by its real URL.
    portal = documents[AQ_46_PORTAL]
    assert portal.url == crawls[1].base_url + (
        "/aqygzj/sites/exportcontrol.mofcom.gov.cn/article/zcfg/gnzcfg/gnzcfgtz/202412/1090.html"
    )
    assert (portal.data or {})["body_selector"] == "div.bd"
    assert portal.title == "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告"
    assert portal.published_at == datetime(2024, 12, 3, 11, 40, tzinfo=BEIJING)
    announcement = (portal.data or {})["announcement"]
    assert (announcement["authority"], announcement["number"], announcement["effective_on"]) == (
        "MOFCOM",
        "2024-46",
        "2024-12-03",
    )
    text = to_document(portal).text
    assert text.startswith("【发布单位】安全与管制局\n")
    assert "var " not in text and "免责声明" not in text


def test_english_61_links_to_the_chinese_original(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    zh, _ = split(crawls[0]["mofcom_zh"])
    en, failures = split(crawls[0]["mofcom_en"])
    assert len(en) == 6  # 7 listed, No. 57's page missing
    assert [(f.error, f.source_id) for f in failures] == [("http_404", EN_57_MISSING)]
    english = (en[EN_61].data or {})["announcement"]
    chinese = (zh[NO_61].data or {})["announcement"]
    assert english["language"] == "en" and chinese["language"] == "zh"
    assert (english["authority"], english["number"]) == (chinese["authority"], chinese["number"])
    assert (english["authority"], english["number"]) == ("MOFCOM", "2025-61")
    assert english["issued_on"] == "2025-10-09"
    # Clause 1 (3) applies at once, its main measures (clause 1 (1)-(2)) from December 1.
    assert english["effective_on"] == chinese["effective_on"] == "2025-12-01"
    assert english["clauses"] == [
        {
            "clause": "Items (1) and (2) of Article I of this announcement",
            "effective_on": "2025-12-01",
        },
        {"clause": "the remaining provisions", "effective_on": "2025-10-09"},
    ]
    no_18 = (en[EN_18].data or {})["announcement"]
    assert (no_18["authority"], no_18["number"], no_18["issued_on"]) == (
        "MOFCOM/GACC",
        "2025-18",
        "2025-04-04",
    )
    assert no_18["items"][0] == {
        "code": "1C902.a",
        "description": "Samarium metal",
        "hs_codes": ["2805301910"],
    }


def test_english_pages_in_the_current_and_the_2020_template(
    crawls: tuple[dict[str, CrawlResult], SampleServer],
) -> None:
    en, _ = split(crawls[0]["mofcom_en"])
    # Current template: body in div.article, time written by parseToData(<ms>,1).
    current = en[EN_61]
    assert (current.data or {})["body_selector"] == "div.article"
    assert current.title == (
        "MOFCOM Announcement No. 61 of 2025 on the Decision to Implement Export Control on "
        "Relevant Overseas Rare Earth Items"
    )
    assert current.published_at == datetime(2025, 10, 9, 21, 10, tzinfo=BEIJING)
    suspension = (en[EN_70].data or {})["announcement"]
    assert suspension["suspends"] == [
        "2025-55",
        "2025-56",
        "2025-57",
        "2025-58",
        "2025-61",
        "2025-62",
    ]
    assert (suspension["suspended_from"], suspension["suspended_until"]) == (
        "2025-11-07",
        "2026-11-10",
    )
    assert suspension["effective_on"] == "2025-11-07"
    # 2020-era template: the "authentic in Chinese" note closes the body; it is not text.
    legacy = en[EN_23]
    assert (legacy.data or {})["body_selector"] == ".art-con-bottonmLine"
    assert legacy.published_at == datetime(2023, 7, 3, 21, 0, tzinfo=BEIJING)
    text = to_document(legacy).text
    assert "authentic in Chinese" not in text
    assert text.endswith("Ministry of Commerce, General Administration of Customs\nJuly 3, 2023")
    assert (legacy.data or {})["announcement"]["effective_on"] == "2023-08-01"


def test_converter_output(crawls: tuple[dict[str, CrawlResult], SampleServer]) -> None:
    zh, _ = split(crawls[0]["mofcom_zh"])
    document = to_document(zh[NO_18])
    assert document.doc_id == f"web:{NO_18}"
    assert (document.kind, document.language, document.source) == (
        "export_control",
        "zh",
        "mofcom_zh",
    )
    assert document.text.splitlines()[:3] == [
        "【发布单位】安全与管制局",
        "【发布文号】商务部 海关总署公告2025年第18号",
        "【发文日期】2025年04月04日",
    ]
    assert "（一）1C902.a 金属钐（参考海关商品编号：2805301910）。" in document.text
    assert "主办单位" not in document.text  # footer chrome stays out
    assert document.announcement == (zh[NO_18].data or {})["announcement"]
    en, _ = split(crawls[0]["mofcom_en"])
    english = to_document(en[EN_61])
    assert english.language == "en"
    assert english.text.startswith(
        "[Issuing Unit] National Security and Control Bureau [Issuing Document Number] "
        "MOFCOM Announcement No. 61 of 2025 [Issuing Date] October 9, 2025"
    )
    assert english.announcement is not None and english.announcement["number"] == "2025-61"


def test_jpaas_failure_is_recorded(tmp_path: Path) -> None:
    refusal = Override(
        200,
        json.dumps({"success": False, "code": "500", "message": "系统繁忙"}, ensure_ascii=False),
        {"Content-Type": "application/json;charset=UTF-8"},
    )
    with SampleServer(overrides={API_PATH: refusal}) as server:
        result = crawl("mofcom_zh", server, tmp_path)
    assert result.error is None, result.error
    documents, failures = split(result)
    assert documents == {}
    assert [(f.error, f.http_status) for f in failures] == [("jpaas_error", 200)]
    assert "系统繁忙" in failures[0].message

    with SampleServer(overrides={API_PATH: Override(200, '{"success":true,"data":{"ht')}) as server:
        result = crawl("mofcom_zh", server, tmp_path)
    _, failures = split(result)
    assert [f.error for f in failures] == ["malformed_json"]


def test_jpaas_route_refuses_without_referer() -> None:
    with SampleServer() as server:
        url = server.base_url + API_PATH + "?webId=x"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 403


def test_english_list_row_dated_by_script() -> None:
    # The English site writes list dates with parseToData(<ms>,1) instead of a text date.
    row = (
        '<ul class="list"><li><a href="/Policies/AnnouncementsOrders/art/2025/'
        'art_6c8e0a2b4d6f4c8e0a2b4d6f8c0e2a4b.html" title="MOFCOM Announcement No. 61 of 2025">'
        "MOFCOM Announcement No. 61 of 2025</a>"
        "<span><script>parseToData(1760015400000,1)</script></span></li></ul>"
    )
    spider = MofcomEnglishSpider()
    ((link, record),) = spider.list_rows(row, EN.rsplit("/art", 1)[0] + "/")
    assert link == EN_61
    assert record == {"title": "MOFCOM Announcement No. 61 of 2025", "date": "2025-10-09"}
