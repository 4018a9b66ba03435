"""MOFCOM article URLs that answer something other than an article page, in every leaf.

- Non-HTML answers: the jpaas gateway's JSON (`{"success":true,"data":{"html":"…"}}`, the
  format of sources.md §3) where a page was expected, a PDF or Word (.doc) attachment, an
  image. Each is a FetchFailure "not_html" against its source, never a document, and the page
  is asked for again next night like any failed page.
- Redirect stubs: a small HTML page whose only content is a script setting `location` (or a
  meta refresh Scrapy does not follow) to the real article. No MOFCOM capture of such a page
  was found (see `spiders/mofcom.py`), so the stub is not followed: it is a FetchFailure
  "redirect_stub" naming the target, not an empty document, and is asked for again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.mofcom import redirect_stub
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

WWW = "https://www.mofcom.gov.cn"
AQ = "https://aqygzj.mofcom.gov.cn"
EN = "https://english.mofcom.gov.cn"
PORTAL = "https://exportcontrol.mofcom.gov.cn"
ZH_18 = "/zwgk/zcfb/art/2025/art_9c2108ccaf754f22a34abab2fedaa944.html"
ZH_61 = "/zwgk/zcfb/art/2025/art_3e5a7c9b1d2f4a6c8e0b2d4f6a8c1e3b.html"
AQ_58 = "/gzdt/art/2025/art_5d8e1f2a3b4c4d5e8f9a0b1c2d3e4f50.html"
EN_61 = "/Policies/AnnouncementsOrders/art/2025/art_6c8e0a2b4d6f4c8e0a2b4d6f8c0e2a4b.html"
EN_18 = "/Policies/AnnouncementsOrders/art/2025/art_0dd87cbee7b045bf93fabe6ab2faceee.html"
PORTAL_33 = "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html"
PORTAL_SITE = "/aqygzj/sites/exportcontrol.mofcom.gov.cn"

# The gateway's answer shape, here for an article URL: JSON whose html ends with </html>, so
# a check for a cut-short page alone would take it for a whole page.
JPAAS_JSON = json.dumps(
    {
        "success": True,
        "data": {
            "html": '<html><body><div class="art-con">商务部 海关总署公告2025年第18号</div>'
            "</body></html>"
        },
    },
    ensure_ascii=False,
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n"
# An OLE2 compound file (Word 97-2003 .doc) starts with this signature; NULs follow.
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


class Case(NamedTuple):
    source: str
    served_at: str  # the sample server's path
    source_id: str  # the real URL, the document's identity
    answer: Override
    says: str  # what the failure message says of the answer
    landed: int  # documents the first night lands besides the refused page
    number: str  # the announcement the page holds, landed the next night


NOT_HTML = [
    Case(
        "mofcom_zh",
        "/mofcom" + ZH_18,
        WWW + ZH_18,
        Override(200, JPAAS_JSON, {"Content-Type": "application/json;charset=UTF-8"}),
        "Content-Type is application/json;charset=utf-8",
        11,  # 13 listed, No. 56's page missing
        "2025-18",
    ),
    Case(
        "mofcom_aqygzj",
        "/aqygzj" + AQ_58,
        AQ + AQ_58,
        Override(200, DOC, {"Content-Type": "application/msword"}),
        "the body is binary data (Content-Type application/msword)",
        3,  # 5 listed, No. 70's page cut short
        "2025-58",
    ),
    Case(
        "mofcom_en",
        "/mofcom_en" + EN_61,
        EN + EN_61,
        Override(200, PNG, {"Content-Type": "image/png"}),
        "the body is binary data (Content-Type image/png)",
        5,  # 7 listed, No. 57's page missing
        "2025-61",
    ),
    Case(
        "mofcom_exportcontrol",
        PORTAL_SITE + PORTAL_33,
        PORTAL + PORTAL_33,
        Override(200, PDF, {"Content-Type": "application/pdf"}),
        "the body is a PDF (Content-Type application/pdf)",
        1,  # the news page; No. 10 is the SSI failure page, a regulation's page missing
        "2024-33",
    ),
]


def crawl(
    source: str, server: SampleServer, landing: Path, run_id: str, state: CrawlState | None = None
) -> CrawlResult:
    result = run_crawl(
        source,
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        spider_args=SAMPLE_SPIDER_ARGS[source],
        settings=FAST,
        state=state,
        timeout_s=120,
    )
    assert result.error is None, result.error
    return result


def two_nights(
    case: Case, tmp_path: Path
) -> tuple[CrawlResult, CrawlResult, list[int], list[int], list[str]]:
    """Night 1 gets `case.answer` once at the article's path; night 2 gets the page itself.

    Returns both crawls, the statuses the article's path answered each night and every path
    the server was asked for.
    """
    with SampleServer(overrides={case.served_at: [case.answer]}) as server:
        first = crawl(case.source, server, tmp_path, "night-1")
        between = len(server.requests)
        assert first.state_path is not None
        second = crawl(case.source, server, tmp_path, "night-2", CrawlState.load(first.state_path))
        requests = server.requests
    hits = [i for i, r in enumerate(requests) if r.path == case.served_at]
    return (
        first,
        second,
        [requests[i].status for i in hits if i < between],
        [requests[i].status for i in hits if i >= between],
        [r.path for r in requests],
    )


@pytest.mark.parametrize("case", NOT_HTML, ids=[c.source for c in NOT_HTML])
def test_a_non_html_answer_is_a_failure_of_every_leaf_and_asked_for_again(
    case: Case, tmp_path: Path
) -> None:
    first, second, night_1, night_2, _ = two_nights(case, tmp_path)
    documents, failures = split(first)
    assert case.source_id not in documents
    assert len(documents) == case.landed
    refused = [f for f in failures if f.source_id == case.source_id]
    assert [(f.source, f.error, f.http_status) for f in refused] == [(case.source, "not_html", 200)]
    assert refused[0].message == f"article page is not HTML: {case.says}"
    # Failed, so not seen: asked for again the next night, and landed then.
    assert (night_1, night_2) == ([200], [200])
    documents, failures = split(second)
    assert case.source_id not in {f.source_id for f in failures}
    assert (documents[case.source_id].data or {})["announcement"]["number"] == case.number


# -- redirect stubs ----------------------------------------------------------------------------
# The policy list's No. 61 answered by a stub sending the browser to the catalogue's copy
# (/zfxxgk/gkml/, where sources.md places the tungsten group).
ZH_61_CATALOGUE = "/zfxxgk/gkml/art/2025/art_3e5a7c9b1d2f4a6c8e0b2d4f6a8c1e3b.html"
SCRIPT_STUB = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title></title></head>
<body>
<script type="text/javascript">
  window.location.href = "{ZH_61_CATALOGUE}";
</script>
</body></html>
"""
# The English No. 18 answered by a meta refresh with a delay over Scrapy's
# METAREFRESH_MAXDELAY (100 s), which Scrapy does not follow, to a page of the legacy path
# (its number made up).
EN_18_LEGACY = f"{EN}/article/newsrelease/significantnews/202504/20250403000018.shtml"
META_STUB = (
    f'<html><head><meta http-equiv="refresh" content="300; URL={EN_18_LEGACY}">'
    "</head><body></body></html>"
)
HTML = {"Content-Type": "text/html; charset=utf-8"}
STUBS = [
    # (the page, what its failure says of the stub and its target)
    (
        Case("mofcom_zh", "/mofcom" + ZH_61, WWW + ZH_61, Override(200, SCRIPT_STUB, HTML),
             f"script) to {WWW}{ZH_61_CATALOGUE}", 11, "2025-61"),
    ),
    (
        Case("mofcom_en", "/mofcom_en" + EN_18, EN + EN_18, Override(200, META_STUB, HTML),
             f"meta refresh) to {EN_18_LEGACY}", 5, "2025-18"),
    ),
]  # fmt: skip


@pytest.mark.parametrize("case", [c for (c,) in STUBS], ids=[c.source for (c,) in STUBS])
def test_a_redirect_stub_is_a_failure_naming_its_target_and_asked_for_again(
    case: Case, tmp_path: Path
) -> None:
    first, second, night_1, night_2, paths = two_nights(case, tmp_path)
    documents, failures = split(first)
    assert case.source_id not in documents
    assert len(documents) == case.landed
    refused = [f for f in failures if f.source_id == case.source_id]
    assert [(f.source, f.error, f.http_status) for f in refused] == [
        (case.source, "redirect_stub", 200)
    ]
    assert refused[0].message == (
        f"the page holds no article, only a redirect ({case.says}; not followed"
    )
    # The stub's target is not asked for; the stub's URL is, again, the next night.
    assert (night_1, night_2) == ([200], [200])
    assert [p for p in paths if p.endswith((ZH_61_CATALOGUE, "/20250403000018.shtml"))] == []
    documents, _ = split(second)
    assert (documents[case.source_id].data or {})["announcement"]["number"] == case.number


def test_a_redirect_is_a_stub_only_on_a_page_without_article_text() -> None:
    assert redirect_stub(SCRIPT_STUB) == ("script", ZH_61_CATALOGUE)
    assert redirect_stub(META_STUB) == ("meta refresh", EN_18_LEGACY)
    for script in (
        "location.replace('/a.html')",
        "top.location = '/a.html';",
        "document.location.href='/a.html'",
        'window.location.assign("/a.html")',
    ):
        assert redirect_stub(f"<html><body><script>{script}</script></body></html>") == (
            "script",
            "/a.html",
        )
    # Pages with article text keep their scripts (a mobile-site switch is no stub), and a
    # script that only reads the location redirects nowhere.
    article = (
        "<html><body><script>if (/Mobile/.test(navigator.userAgent)) "
        "{ window.location.href = '/m/a.html'; }</script>"
        '<div class="art-con"><p>商务部公告2025年第62号。本公告自公布之日起实施。</p></div>'
        "</body></html>"
    )
    assert redirect_stub(article) is None
    assert redirect_stub("<html><body><script>var u = window.location.href;</script>") is None
    assert redirect_stub("<html><body></body></html>") is None
