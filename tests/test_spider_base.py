"""Base-class configuration checks, and ListDetailSpider over a tiny fixture site."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.base import (
    FeedSpider,
    ListDetailSpider,
    PaginatedAPISpider,
    SpiderConfigError,
)
from minwatch.spiders.documents import read_landing
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import SPIDERS
from minwatch.spiders.runner import run_crawl
from minwatch.spiders.sam_gov import SamGovOpportunitiesSpider

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "list_detail_site"
REPO = Path(__file__).resolve().parents[1]


def test_paging_by_both_page_and_offset_is_refused() -> None:
    class Both(SamGovOpportunitiesSpider):
        page_param = "page"

    with pytest.raises(
        SpiderConfigError, match=r"Both sets both `page_param` and `offset_param`; set one\."
    ):
        Both()


def test_every_problem_is_named_at_once() -> None:
    class Bare(PaginatedAPISpider):
        source_name = "bare"
        kind = "news"

    with pytest.raises(SpiderConfigError) as error:
        Bare()
    message = str(error.value)
    assert "Bare sets neither `page_param` nor `offset_param`; set one." in message
    assert "Bare does not set `records_key`; set it." in message
    assert "Bare does not set `api_path`; set it." in message
    assert "Bare has no usable `default_base_url` or `base_url` ('')" in message


def test_feed_spider_needs_a_feed_path_and_a_kind() -> None:
    class NoFeed(FeedSpider):
        source_name = "nofeed"
        kind = "gossip"  # type: ignore[assignment]
        default_base_url = "https://example.org"

    with pytest.raises(SpiderConfigError) as error:
        NoFeed()
    assert "NoFeed does not set `feed_path`; set it." in str(error.value)
    assert "NoFeed sets `kind` to 'gossip'; set one of procurement" in str(error.value)


def test_list_detail_spider_refuses_both_link_kinds() -> None:
    class Confused(ListDetailSpider):
        source_name = "confused"
        kind = "news"
        default_base_url = "https://example.org"
        list_path = "/list"
        detail_link_css = "a::attr(href)"
        detail_link_json_key = "url"

    with pytest.raises(
        SpiderConfigError,
        match=r"Confused sets both `detail_link_css` and `detail_link_json_key`; set one\.",
    ):
        Confused()


def test_base_url_argument_overrides_the_default() -> None:
    spider = SamGovOpportunitiesSpider(base_url="http://127.0.0.1:9/", from_date="2025-01-01")
    assert spider.base_url == "http://127.0.0.1:9"
    assert spider.url(spider.api_path) == "http://127.0.0.1:9/opportunities/v2/search"
    assert spider.canonical_id("http://127.0.0.1:9/x/?utm_source=a#f") == "https://api.sam.gov/x/"


def test_list_detail_crawl_over_the_fixture_site(tmp_path: Path) -> None:
    with SampleServer(FIXTURE_SITE) as server:
        result = run_crawl(
            "tests.fixtures.list_detail_spider:FixtureListDetailSpider",
            landing_dir=tmp_path,
            run_id="fixture",
            base_url=server.base_url,
            timeout_s=120,
        )
    assert result.error is None, result.error
    assert result.landing_path == tmp_path / "fixture_notices" / "fixture.jsonl"
    records = list(read_landing(result.landing_path))
    documents = {r.source_id: r for r in records if isinstance(r, RawDocument)}
    failures = [r for r in records if isinstance(r, FetchFailure)]
    base = "https://notices.example.org/items"
    assert set(documents) == {f"{base}/tungsten.html", f"{base}/cobalt.html"}
    tungsten = documents[f"{base}/tungsten.html"]
    assert tungsten.title == "Sale of tungsten ores and concentrates"
    assert tungsten.published_at == datetime(2026, 2, 9, 14, 0, tzinfo=UTC)
    assert tungsten.kind == "procurement" and tungsten.format == "article_html"
    assert tungsten.body is not None and "250 short tons of tungsten ores" in tungsten.body
    assert tungsten.data is not None and tungsten.data["list_url"].endswith("/index.html")
    cobalt = documents[f"{base}/cobalt.html"]
    assert cobalt.data is not None and cobalt.data["list_url"].endswith("/page2.html")
    assert [(f.error, f.http_status, f.source_id) for f in failures] == [
        ("http_404", 404, f"{base}/missing.html")
    ]
    assert result.documents == 2 and result.failures == 1


def test_unknown_source_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown source 'nope'; known sources: ") as raised:
        run_crawl("nope", landing_dir=tmp_path, run_id="x")
    listed = str(raised.value).split("known sources: ", 1)[1].rstrip("'\"").split(", ")
    assert listed == sorted(SPIDERS) and "sam_gov" in listed


def test_a_crawl_process_imports_only_its_own_leaf() -> None:
    """Leaves load on first use (`python -m minwatch.spiders.crawl` pays for one), and a landed
    format whose converter lives in a leaf module is still readable when that leaf was never
    imported."""
    probe = (
        "import sys\n"
        "from minwatch.spiders.registry import resolve_spider\n"
        "resolve_spider('mining_com')\n"
        "leaves = {'news', 'federal_register', 'mofcom', 'dla'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[:2] == ['minwatch', 'spiders']\n"
        "    and m.split('.')[-1] in leaves))\n"
        "from minwatch.spiders.documents import to_document\n"
        "from minwatch.spiders.items import RawDocument\n"
        "raw = RawDocument(source='dla_strategic_materials', source_id='https://x/a.html',\n"
        "    url='https://x/a.html', format='dla_page', kind='procurement',\n"
        "    fetched_at='2026-11-27T00:00:00Z', http_status=200,\n"
        "    body='<html><body><h1>Antimony</h1><p>DLA buys antimony.</p></body></html>')\n"
        "print(to_document(raw).source)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    imported, source = done.stdout.split("\n")[:2]
    assert imported == "['minwatch.spiders.news']"
    assert source == "dla_strategic_materials"
