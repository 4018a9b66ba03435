"""News sitemap spider: real crawls over HTTP against the loopback sample server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import split_landing as split

SITE = "https://www.metalsledger.example.com/sitemaps/news"
GALLIUM = f"{SITE}/2026/01/gallium-rfi-15-tonnes-high-purity.html"
MISSING = f"{SITE}/2026/03/bismuth-rfq-second-round.html"
# The Yoast post sitemap's articles (no news:news): title and date come from the page.
ANALYSIS = "https://www.metalsledger.example.com/sitemaps/analysis"
GRAPHITE = f"{ANALYSIS}/graphite-anode-tariffs-korean-buyers/"
NICKEL = f"{ANALYSIS}/nickel-pig-iron-indonesia-quota-explainer/"


def crawl(server: SampleServer, landing: Path) -> CrawlResult:
    return run_crawl(
        "news_sitemaps",
        landing_dir=landing,
        run_id="night-1",
        base_url=server.base_url,
        spider_args=SAMPLE_SPIDER_ARGS["news_sitemaps"],
        settings={"DOWNLOAD_DELAY": "0"},
        timeout_s=120,
    )


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with SampleServer() as server:
        result = crawl(server, tmp_path_factory.mktemp("landing"))
        yield {"result": result, "requests": server.requests}


def test_index_leads_to_every_article_and_the_empty_sitemap_is_fine(
    landed: dict[str, Any],
) -> None:
    result = landed["result"]
    assert result.error is None, result.error
    documents, failures = split(result)
    assert len(documents) == 11
    assert all(s.startswith((SITE + "/", ANALYSIS + "/")) for s in documents)
    pages = {s: d for s, d in documents.items() if s != MISSING}
    assert all(d.format == "article_html" and d.kind == "news" for d in pages.values())
    assert [(f.error, f.http_status, f.source_id) for f in failures] == [("http_404", 404, MISSING)]
    # the missing page's sitemap entry lands, without text, so the news item is not lost
    entry = documents[MISSING]
    assert (entry.format, entry.kind, entry.body) == ("feed_entry", "news", None)
    assert entry.title == "DLA opens second round of bismuth purchases"
    assert entry.published_at is not None and entry.published_at.isoformat().startswith(
        "2026-03-12"
    )
    assert entry.data["page_error"] == "http_404"
    statuses = {r.path: r.status for r in landed["requests"]}
    assert statuses["/sitemaps/sitemap_index.xml"] == 200
    assert statuses["/sitemaps/news-sitemap-2.xml"] == 200  # empty <urlset>: no failure


def test_article_fields_by_value(landed: dict[str, Any]) -> None:
    documents, _ = split(landed["result"])
    gallium = documents[GALLIUM]
    assert gallium.title == "Pentagon stockpile manager asks who can supply 15 tonnes of gallium"
    assert gallium.published_at == datetime(2026, 1, 15, 11, 0, tzinfo=UTC)
    assert gallium.language == "en"
    assert gallium.data is not None
    assert gallium.data["news"]["publication"] == "The Metals Ledger"
    assert gallium.data["sitemap_url"].endswith("/sitemaps/news-sitemap-1.xml")
    text = to_document(gallium).text
    assert "up to 15 tonnes of gallium of 99.99999% purity over five years" in text
    assert "$75 million program" in text
    assert "We and our partners use cookies" not in text
    assert "tender tracker from $59 a month" not in text


def test_a_plain_post_sitemap_takes_title_and_date_from_the_page(
    landed: dict[str, Any],
) -> None:
    """Yoast's post sitemap has loc and lastmod only; never the lastmod as publication time."""
    documents, _ = split(landed["result"])
    graphite, nickel = documents[GRAPHITE], documents[NICKEL]
    # og:title (not the <title> with the site name), article:published_time (not lastmod).
    assert graphite.title == "Graphite anode tariffs push Korean buyers to African flake"
    assert graphite.published_at == datetime(2026, 3, 11, 6, 0, tzinfo=UTC)
    assert graphite.data is not None and graphite.data["news"]["lastmod"] == (
        "2026-03-11T17:40:00+00:00"
    )
    # No og: meta, no JSON-LD: the <h1> and the <time datetime>.
    assert nickel.title == "Explainer: why Indonesia's nickel ore quota matters"
    assert nickel.published_at == datetime(2026, 2, 19, tzinfo=UTC)
    text = to_document(nickel).text
    assert text.startswith("Indonesia mines about half of the world's nickel")
    assert "Subscribe" not in text and "Published" not in text
    assert "Lithium carbonate $10,450/t" not in to_document(graphite).text  # sidebar widget


def test_malformed_sitemap_is_recorded_and_the_other_goes_on(tmp_path: Path) -> None:
    broken = Override(
        status=200,
        body='<?xml version="1.0"?><urlset><url><loc>https://x.example/a</loc></url',
        headers={"Content-Type": "application/xml"},
    )
    with SampleServer(overrides={"/sitemaps/news-sitemap-2.xml": broken}) as server:
        result = crawl(server, tmp_path)
    assert result.error is None, result.error
    documents, failures = split(result)
    assert len(documents) == 11
    (malformed,) = [f for f in failures if f.error == "malformed_xml"]
    assert malformed.url.endswith("/sitemaps/news-sitemap-2.xml")
    assert malformed.message.startswith("sitemap is not well-formed XML:")
    assert sorted(f.error for f in failures) == ["http_404", "malformed_xml"]
