"""The policy list's jpaas fragments with a pager, and a gateway that repeats its last page.

The jpaas "build unit" API answers `{"success": true, "data": {"html": ...}}` with the column's
items (sources.md §3); readers of other jpaas sites (a public intelligence reader looks for
`data-page` controls and for pages that repeat past the end) show fragments that close with a
pager in `<li>`s like the rows, and pages past the end answered with items already listed. Both
are served here over the loopback sample server, items in the sample route's own markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

API = "/mofcom/api-gateway/jpaas-publish-server/front/page/build/unit"
JSON = {"Content-Type": "application/json;charset=UTF-8"}
PAGE_SIZE = 5
ITEMS = json.loads(
    (SAMPLE_ROOT / "mofcom" / "zwgk" / "zcfb" / "list_items.json").read_text(encoding="utf-8")
)["items"]


def pager(page_no: int, pages: int) -> str:
    """A pager as jpaas list templates draw it: script links with data-page, and numbers."""
    numbers = "".join(
        f'<li><a href="javascript:;" data-page="{n}">{n}</a></li>' for n in range(1, pages + 1)
    )
    return (
        '<div class="page"><ul class="pagination">'
        '<li><a href="javascript:;" data-page="1">首页</a></li>'
        f'<li><a href="javascript:;" data-page="{max(page_no - 1, 1)}">上一页</a></li>'
        f"{numbers}"
        f'<li><a href="javascript:;" data-page="{min(page_no + 1, pages)}">下一页</a></li>'
        f'<li><a href="#" data-page="{pages}">尾页</a></li>'
        "</ul></div>"
    )


def fragment(page_no: int, *, with_pager: bool = True) -> Override:
    items = ITEMS[(page_no - 1) * PAGE_SIZE : page_no * PAGE_SIZE]
    rows = "".join(
        f'<li><a href="{html.escape(item["href"])}" title="{html.escape(item["title"])}" '
        f'target="_blank">{html.escape(item["title"])}</a><span>[{item["date"]}]</span></li>'
        for item in items
    )
    pages = -(-len(ITEMS) // PAGE_SIZE)
    page_html = f'<ul class="txtList_01">{rows}</ul>' + (
        pager(page_no, pages) if with_pager else ""
    )
    body = json.dumps({"success": True, "data": {"html": page_html}}, ensure_ascii=False)
    return Override(200, body, JSON)


def crawl(server: SampleServer, landing: Path) -> CrawlResult:
    result = run_crawl(
        "mofcom_zh",
        landing_dir=landing,
        run_id="night-1",
        base_url=server.base_url,
        spider_args={**SAMPLE_SPIDER_ARGS["mofcom_zh"], "page_size": str(PAGE_SIZE)},
        settings=FAST,
        timeout_s=120,
    )
    assert result.error is None, result.error
    return result


def api_hits(server: SampleServer) -> list[int]:
    hits = [urlsplit(r.path) for r in server.requests if r.path.startswith(API)]
    return [json.loads(parse_qs(h.query)["paramJson"][0])["pageNo"] for h in hits]


def test_pager_controls_in_the_fragment_are_no_rows_and_paging_ends_after_the_last_item(
    tmp_path: Path,
) -> None:
    with SampleServer() as plain_server:
        plain = split(crawl(plain_server, tmp_path / "plain"))
        plain_hits = api_hits(plain_server)
    pages = -(-len(ITEMS) // PAGE_SIZE)  # 13 items: 3 pages
    # Every page with its pager; the page past the end too (the pager and no item).
    answers = [fragment(n) for n in range(1, pages + 2)]
    with SampleServer(overrides={API: answers}) as server:
        documents, failures = split(crawl(server, tmp_path / "pager"), once=True)
        hits = api_hits(server)
    assert plain_hits == [1, 2, 3, 4]
    assert hits == [1, 2, 3, 4]
    # The same articles land and the same pages fail as from the fragments without a pager:
    # no "refused_url" for a javascript: control, no list page fetched as an article.
    assert sorted(documents) == sorted(plain[0])
    assert len(documents) == 12  # 13 listed, No. 56's page is missing
    assert sorted((f.error, f.source_id) for f in failures) == sorted(
        (f.error, f.source_id) for f in plain[1]
    )
    assert [f.error for f in failures] == ["http_404"]


def test_a_gateway_repeating_its_last_page_ends_the_list(tmp_path: Path) -> None:
    # Pages 1 and 2, then every later pageNo answered with page 2 again, as a gateway that
    # clamps pageNo to the last page does.
    answers = [fragment(1, with_pager=False)] + [fragment(2, with_pager=False)] * 60
    with SampleServer(overrides={API: answers}) as server:
        result = crawl(server, tmp_path)
        hits = api_hits(server)
    documents, failures = split(result, once=True)
    assert hits == [1, 2, 3]  # page 3 repeats page 2: nothing new, the list is read
    assert result.stats["minwatch/mofcom_zh/repeated_list_page"] == 1
    # The ten items of pages 1 and 2, once each; No. 56's page is missing.
    assert len(documents) + len(failures) == 2 * PAGE_SIZE
    assert [f.error for f in failures] == ["http_404"]
