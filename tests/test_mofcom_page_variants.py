"""MOFCOM page variants seen on the real sites: colon-form labels, several body boxes, both
wordings of the English note, PubDate with a 'T' and MakeTime, the export-control portal's
server-side include failure, and http:// and https:// links to one page.

Known from public scrapers of the real sites (hulelan/china-governance crawlers/mofcom.py,
weiqi-kids/agent.cross-border-trade, KeeMeng/mofcom-scraper); the pages below keep the
sites' markup, cut to what the parser reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.items import RawDocument
from minwatch.spiders.mofcom import mofcom_identity, parse_announcement, parse_page
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

BEIJING = timezone(timedelta(hours=8))
AQ = "https://aqygzj.mofcom.gov.cn"
AQ_58_PATH = "/gzdt/art/2025/art_5d8e1f2a3b4c4d5e8f9a0b1c2d3e4f50.html"
PORTAL_46_PATH = "/article/zcfg/gnzcfg/gnzcfgtz/202412/1090.html"
PORTAL_33_PATH = "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"
PORTAL_SITE = "/aqygzj/sites/exportcontrol.mofcom.gov.cn"
HTML = {"Content-Type": "text/html; charset=utf-8"}

# A /zcfb/ page of the 2020-era template: the labels in colon form in a
# div.art-con.art-con-bottonmLine of their own, the article in the next one (no ergodic).
ZCFB_COLON_LABELS = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定">
<meta name="PubDate" content="2025-10-09T09:00">
<title>商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定_中华人民共和国商务部</title>
</head><body>
<div class="art-title">
<h1>商务部公告2025年第61号 公布对境外相关稀土物项实施出口管制的决定</h1>
</div>
<div class="art-con art-con-bottonmLine">
  <p>发布单位：安全与管制局</p>
  <p>发布文号：商务部公告2025年第61号</p>
  <p>发文日期：2025年10月9日</p>
</div>
<div class="art-con art-con-bottonmLine">
  <p>根据《中华人民共和国出口管制法》有关规定，决定对境外相关稀土物项实施出口管制。现将有关事项公告如下：</p>
  <p>一、境外组织和个人出口下列物项，应当取得两用物项出口许可证件：</p>
  <p>（一）境外生产的稀土永磁材料和靶材，且上述物项价值比例达到0.1%及以上的；</p>
  <p>二、本公告第一条第（一）项自2025年12月1日起实施，其余条款自公布之日起实施。</p>
  <p>商务部</p><p>2025年10月9日</p>
</div>
</body></html>
"""


def test_colon_form_labels_in_their_own_box_are_read_and_put_before_the_body() -> None:
    page = parse_page(ZCFB_COLON_LABELS)
    assert page.body_selector == ".art-con-bottonmLine"
    assert page.text.splitlines()[:4] == [
        "发布单位：安全与管制局",
        "发布文号：商务部公告2025年第61号",
        "发文日期：2025年10月9日",
        "根据《中华人民共和国出口管制法》有关规定，决定对境外相关稀土物项实施出口管制。"
        "现将有关事项公告如下：",
    ]
    assert page.label_date == datetime(2025, 10, 9, tzinfo=BEIJING)
    announcement = parse_announcement(page.full_text, title=page.title, language="zh")
    assert announcement is not None
    assert (announcement["authority"], announcement["number"], announcement["issued_on"]) == (
        "MOFCOM",
        "2025-61",
        "2025-10-09",
    )
    assert announcement["effective_on"] == "2025-12-01"


def test_colon_form_labels_on_one_line_and_without_a_title_number() -> None:
    # A box writing the three labels on one line; the number comes from the label alone.
    html = (
        '<html><body><div class="art-con art-con-bottonmLine">发布单位：安全与管制局 '
        "发布文号：商务部 海关总署公告2025年第70号 发文日期：2025-11-07</div>"
        '<div class="art-con art-con-bottonmLine"><p>经研究，决定暂停实施有关措施。</p>'
        "<p>本公告自公布之日起实施。</p></div></body></html>"
    )
    page = parse_page(html)
    assert page.text.splitlines()[:3] == [
        "发布单位：安全与管制局",
        "发布文号：商务部 海关总署公告2025年第70号",
        "发文日期：2025-11-07",
    ]
    announcement = parse_announcement(page.full_text, title="关于暂停实施的公告", language="zh")
    assert announcement is not None
    assert (announcement["number"], announcement["authority"]) == ("2025-70", "MOFCOM/GACC")
    assert (announcement["issued_on"], announcement["effective_on"]) == (
        "2025-11-07",
        "2025-11-07",
    )
    # Bracket and colon forms read alike, inside the body text too.
    for text in (
        "【发布文号】商务部公告2025年第62号\n【发文日期】2025年10月9日\n正文。",
        "发布文号：商务部公告2025年第62号\n发文日期：2025年10月9日\n正文。",
    ):
        parsed = parse_announcement(text, title=None, language="zh")
        assert parsed is not None
        assert (parsed["number"], parsed["issued_on"]) == ("2025-62", "2025-10-09")


def test_the_longest_of_several_body_boxes_is_the_article() -> None:
    # The first box is page metadata without the three labels; it is no body either.
    html = (
        '<html><body><div class="art-con art-con-bottonmLine"><p>索引号：000019739/2025-01234</p>'
        "<p>主题分类：对外贸易</p></div>"
        '<div class="art-con art-con-bottonmLine"><p>商务部新闻发言人就有关问题答记者问。</p>'
        "<p>问：请介绍有关情况。</p><p>答：出口管制措施不针对特定国家和地区。</p></div>"
        "</body></html>"
    )
    page = parse_page(html)
    assert page.text == (
        "商务部新闻发言人就有关问题答记者问。\n问：请介绍有关情况。\n"
        "答：出口管制措施不针对特定国家和地区。"
    )
    # A body that states the labels itself, with prose, stays the body (English 2020-era).
    english = (
        '<html><body><div class="art-con art-con-bottonmLine"><p>[Issuing Unit] Security and '
        "Control Bureau [Issuing Document Number] MOFCOM Announcement No. 62 of 2025 [Issuing "
        "Date] October 9, 2025</p><p>This announcement shall take effect from the date of "
        "promulgation.</p></div></body></html>"
    )
    assert parse_page(english).text.splitlines()[1] == (
        "This announcement shall take effect from the date of promulgation."
    )


def test_both_wordings_of_the_english_note_are_left_out() -> None:
    for wording in ("on", "in"):
        html = (
            '<html><body><div class="art-con art-con-bottonmLine">'
            "<p>MOFCOM Announcement No. 61 of 2025 is hereby promulgated.</p>"
            f"<p>(All information published {wording} this website is authentic in Chinese. "
            "English is provided for reference only.)</p></div></body></html>"
        )
        assert parse_page(html).text == "MOFCOM Announcement No. 61 of 2025 is hereby promulgated."


def test_pubdate_with_a_t_keeps_its_time_and_maketime_stands_in_for_it() -> None:
    body = '<div ergodic="article" class="art-con"><p>正文。</p></div>'
    with_t = f'<html><head><meta name="PubDate" content="2025-09-26T17:34"></head><body>{body}'
    assert parse_page(with_t + "</body></html>").published_at == datetime(
        2025, 9, 26, 17, 34, tzinfo=BEIJING
    )
    make_time = (
        '<html><head><meta name="MakeTime" content="2025-09-26 17:34:08"></head>'
        f"<body>{body}</body></html>"
    )
    assert parse_page(make_time).published_at == datetime(2025, 9, 26, 17, 34, tzinfo=BEIJING)
    both = (
        '<html><head><meta name="PubDate" content="2025-09-26 17:34">'
        '<meta name="MakeTime" content="2025-09-27 08:00:00"></head>'
        f"<body>{body}</body></html>"
    )
    assert parse_page(both).published_at == datetime(2025, 9, 26, 17, 34, tzinfo=BEIJING)


# -- identity ----------------------------------------------------------------------------------
def test_a_mofcom_hosts_http_and_https_links_are_one_identity() -> None:
    for path in (
        f"aqygzj.mofcom.gov.cn{AQ_58_PATH}",
        f"exportcontrol.mofcom.gov.cn{PORTAL_46_PATH}",
    ):
        assert mofcom_identity(f"http://{path}") == mofcom_identity(f"https://{path}")
        assert mofcom_identity(f"HTTP://{path.upper().split('/')[0]}/x") == (
            f"https://{path.split('/')[0]}/x"
        )
    # Other hosts keep their scheme; a look-alike host is no MOFCOM host.
    assert mofcom_identity("http://example.com/a") == "http://example.com/a"
    assert mofcom_identity("http://evilmofcom.gov.cn/a") == "http://evilmofcom.gov.cn/a"
    # A page landed with an http:// identity (before) converts to the https document.
    html = (SAMPLE_ROOT / "aqygzj" / AQ_58_PATH.lstrip("/")).read_text(encoding="utf-8")
    raw = RawDocument(
        source="mofcom_aqygzj",
        source_id=f"http://aqygzj.mofcom.gov.cn{AQ_58_PATH}",
        format="mofcom_article",
        kind="export_control",
        url=f"http://127.0.0.1:1/aqygzj{AQ_58_PATH}",
        fetched_at=datetime(2025, 10, 10, tzinfo=UTC),
        http_status=200,
        body=html,
        language="zh",
    )
    assert to_document(raw).doc_id == f"web:{AQ}{AQ_58_PATH}"


def crawl(
    source: str,
    server: SampleServer,
    landing: Path,
    run_id: str,
    state: CrawlState | None = None,
    **extra: str,
) -> CrawlResult:
    result = run_crawl(
        source,
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS[source], **extra},
        settings=FAST,
        state=state,
        timeout_s=120,
    )
    assert result.error is None, result.error
    return result


def home_page(*rows: str) -> Override:
    items = "".join(rows)
    body = f'<html><body><ul class="news-list">{items}</ul></body></html>'
    return Override(200, body, HTML)


def test_mixed_scheme_rows_fetch_and_land_one_document_and_share_the_seen_key(
    tmp_path: Path,
) -> None:
    no_58 = (
        "商务部 海关总署公告2025年第58号 "
        "公布对部分锂电池和人造石墨负极材料相关物项实施出口管制的决定"
    )
    no_46 = "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告"

    def row(scheme: str, host: str, path: str, title: str, day: str) -> str:
        return f'<li><a href="{scheme}://{host}{path}">{title}</a><span>{day}</span></li>'

    aq, portal = "aqygzj.mofcom.gov.cn", "exportcontrol.mofcom.gov.cn"
    night_1 = home_page(
        row("https", aq, AQ_58_PATH, no_58, "2025-10-09"),
        row("http", aq, AQ_58_PATH, no_58, "2025-10-09"),
        row("http", portal, PORTAL_46_PATH, no_46, "2024-12-03"),
        row("https", portal, PORTAL_46_PATH, no_46, "2024-12-03"),
    )
    # Next night the rows name the other scheme only: both pages are known.
    night_2 = home_page(
        row("http", aq, AQ_58_PATH, no_58, "2025-10-09"),
        row("https", portal, PORTAL_46_PATH, no_46, "2024-12-03"),
    )
    with SampleServer(overrides={"/aqygzj/": [night_1, night_2]}) as server:
        first = crawl("mofcom_aqygzj", server, tmp_path, "night-1")
        between = len(server.requests)
        assert first.state_path is not None
        second = crawl(
            "mofcom_aqygzj", server, tmp_path, "night-2", CrawlState.load(first.state_path)
        )
        requests = server.requests
    pages = sorted(r.path for r in requests[:between] if r.path.endswith(".html"))
    # Each page fetched once, from the sample server's copy of its real host.
    assert pages == sorted(["/aqygzj" + AQ_58_PATH, PORTAL_SITE + PORTAL_46_PATH])
    documents, failures = split(first, once=True)
    assert failures == []
    portal_id = f"https://{portal}{PORTAL_46_PATH}"
    assert sorted(documents) == sorted([AQ + AQ_58_PATH, portal_id])
    assert to_document(documents[portal_id]).doc_id == f"web:{portal_id}"
    assert [r.path for r in requests[between:] if r.path.endswith(".html")] == []
    assert split(second) == ({}, [])
    assert second.stats["minwatch/skipped_seen"] == 2


# -- the export-control portal's SSI failure page ----------------------------------------------
# What the portal answered (HTTP 200) when its server-side include failed: the page variables
# empty, div.bd holding nothing, and Apache's message where the include should be.
SSI_FAILURE = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>出口管制信息网</title></head>
<body>
[an error occurred while processing this directive]
<div class="g-bd">
  <div class="u-art-box">
    <div class="hd"><h2 class="u-art-title" id="artTitle"></h2>
      <p class="u-art-info"><span id="artSource"></span> <span id="artTime"></span></p></div>
    <div class="bd">
<script type="text/javascript">
var title = '';
var source = '';
var publishTime = '';
var articleId = undefined;
$('#artTitle').text(title);
</script>
    </div>
  </div>
</div>
</body>
</html>
"""


def test_an_ssi_failure_page_is_a_failed_fetch_asked_for_again_next_night(
    tmp_path: Path,
) -> None:
    no_33 = f"https://exportcontrol.mofcom.gov.cn{PORTAL_33_PATH}"
    answer = [Override(200, SSI_FAILURE, HTML)]  # once; the page itself on the next hit
    with SampleServer(overrides={PORTAL_SITE + PORTAL_33_PATH: answer}) as server:
        first = crawl("mofcom_exportcontrol", server, tmp_path, "night-1", columns="15")
        assert first.state_path is not None
        second = crawl(
            "mofcom_exportcontrol",
            server,
            tmp_path,
            "night-2",
            CrawlState.load(first.state_path),
            columns="15",
        )
        page_hits = [r.status for r in server.requests if r.path == PORTAL_SITE + PORTAL_33_PATH]
    # The sample site's No. 10 (1105.html) is the portal's SSI failure page every night.
    no_10 = "https://exportcontrol.mofcom.gov.cn/article/zcfg/gnzcfg/zcfggzqd/202502/1105.html"
    documents, failures = split(first)
    assert documents == {}
    assert sorted((f.source, f.error, f.source_id, f.http_status) for f in failures) == [
        ("mofcom_exportcontrol", "ssi_error", no_33, 200),
        ("mofcom_exportcontrol", "ssi_error", no_10, 200),
    ]
    assert all("an error occurred while processing this directive" in f.message for f in failures)
    assert page_hits == [200, 200]
    documents, failures = split(second)
    assert [(f.error, f.source_id) for f in failures] == [("ssi_error", no_10)]
    assert sorted(documents) == [no_33]
    assert (documents[no_33].data or {})["announcement"]["number"] == "2024-33"
