"""FeedSpider leaves (RSS and Atom): real crawls over HTTP against the loopback sample server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

MINING = "https://www.mining.com/news/articles"
TRADE = "https://trade.example.com/trade"
ANTIMONY_ARTICLE = f"{MINING}/dla-awards-us-antimony-245-million-stockpile-contract/"
MISSING_ARTICLE = f"{MINING}/brightwater-nickel-sulphate-plant-commissioning/"
COAL_ARTICLE = f"{TRADE}/2026/02/west-virginia-coal-mine-roof-fall-investigation.html"


def crawl(source: str, server: SampleServer, landing_dir: Path, run_id: str) -> CrawlResult:
    return run_crawl(
        source,
        landing_dir=landing_dir,
        run_id=run_id,
        base_url=server.base_url,
        spider_args=SAMPLE_SPIDER_ARGS.get(source),
        settings=FAST,
        timeout_s=120,
    )


@pytest.fixture(scope="module")
def news_crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, CrawlResult]]:
    landing_dir = tmp_path_factory.mktemp("landing")
    with SampleServer() as server:
        yield {
            source: crawl(source, server, landing_dir, "night-1")
            for source in ("mining_com", "trade_atom")
        }


def test_rss_crawl_lands_each_entry_once(news_crawls: dict[str, CrawlResult]) -> None:
    result = news_crawls["mining_com"]
    assert result.error is None, result.error
    documents, _ = split(result)
    assert len(documents) == 11
    formats = sorted(d.format for d in documents.values())
    assert formats == ["article_html"] * 10 + ["feed_entry"]
    # Ids do not depend on the loopback port: the override maps back to the real host.
    assert all(source_id.startswith(MINING) for source_id in documents)


def test_rss_article_fields_by_value(news_crawls: dict[str, CrawlResult]) -> None:
    documents, _ = split(news_crawls["mining_com"])
    article = documents[ANTIMONY_ARTICLE]
    assert article.kind == "news"
    assert article.http_status == 200
    assert article.title == (
        "DLA awards US Antimony $245 million contract to restock the defense stockpile"
    )
    assert article.published_at == datetime(2025, 9, 23, 18, 42, tzinfo=UTC)
    assert article.url.endswith(
        "/news/articles/dla-awards-us-antimony-245-million-stockpile-contract/"
    )
    assert article.body is not None and article.body.startswith("<!DOCTYPE html>")
    assert article.data is not None
    assert article.data["author"] == "Daniel Ferreira"
    assert "Antimony" in article.data["categories"]
    assert article.data["feed_title"] == "Critical Metals Daily"
    assert article.data["feed_url"].endswith("/news/mining_feed.xml")
    text = to_document(article).text
    assert text.startswith(
        "The US Defense Logistics Agency (DLA) has awarded United States Antimony"
    )
    assert "Domestic mine supply remains limited." in text
    for chrome in ("We use cookies", "Related articles", "All rights reserved", "Share on X"):
        assert chrome not in text


def test_missing_page_lands_failure_and_feed_entry(news_crawls: dict[str, CrawlResult]) -> None:
    documents, failures = split(news_crawls["mining_com"])
    assert [(f.error, f.http_status, f.source_id) for f in failures] == [
        ("http_404", 404, MISSING_ARTICLE)
    ]
    assert failures[0].url.endswith(
        "/news/articles/brightwater-nickel-sulphate-plant-commissioning/"
    )
    entry = documents[MISSING_ARTICLE]
    assert entry.format == "feed_entry"
    assert entry.title == "Brightwater Nickel starts commissioning nickel sulphate plant in Finland"
    assert entry.published_at == datetime(2026, 1, 20, 8, 30, tzinfo=UTC)
    document = to_document(entry)
    assert "capacity of 25,000 tonnes a year of contained nickel" in document.text
    assert document.doc_id == f"web:{MISSING_ARTICLE}"


def test_atom_crawl_by_value(news_crawls: dict[str, CrawlResult]) -> None:
    result = news_crawls["trade_atom"]
    assert result.error is None, result.error
    documents, failures = split(result)
    assert failures == []
    assert len(documents) == 8
    coal = documents[COAL_ARTICLE]
    assert coal.title == "Regulators open investigation into West Virginia coal mine roof fall"
    # `published`, not the later `updated`.
    assert coal.published_at == datetime(2026, 2, 17, 15, 45, tzinfo=UTC)
    assert coal.data is not None and coal.data["author"] == "Tom Bradley"
    assert coal.data["categories"] == ["coal"]
    text = to_document(coal).text
    assert text.startswith("Federal and state mine safety inspectors have opened an investigation")
    assert "The mine's output goes mainly to steelmakers in Europe and India." in text
    assert "This site uses cookies" not in text
    assert "Strategic Metals Trade Journal" not in text


def test_a_second_night_lands_the_same_ids_and_hashes(
    news_crawls: dict[str, CrawlResult], tmp_path: Path
) -> None:
    with SampleServer() as server:  # a new port
        again = crawl("trade_atom", server, tmp_path, "night-2")
    first, _ = split(news_crawls["trade_atom"])
    second, _ = split(again)
    assert set(first) == set(second)
    assert {k: to_document(v).content_hash for k, v in first.items()} == {
        k: to_document(v).content_hash for k, v in second.items()
    }


def test_malformed_feed_without_entries_is_a_recorded_failure(tmp_path: Path) -> None:
    broken = Override(
        status=200,
        body=b"<html><body>Service temporarily unavailable",
        headers={"Content-Type": "application/xml"},
    )
    with SampleServer(overrides={"/news/trade_atom.xml": broken}) as server:
        result = crawl("trade_atom", server, tmp_path, "broken")
    assert result.error is None, result.error
    documents, failures = split(result)
    assert documents == {}
    assert [f.error for f in failures] == ["malformed_feed"]


def test_atom_brief_entry_and_its_page_without_article(
    news_crawls: dict[str, CrawlResult],
) -> None:
    """An entry with <content type="html">, no <published> and a link without rel, whose
    page has no <article> and a price box beside the text."""
    documents, _ = split(news_crawls["trade_atom"])
    brief = documents[f"{TRADE}/briefs/2025/12/antimony-trioxide-prices-slip-vietnam-supply.html"]
    assert brief.format == "article_html"
    assert brief.title == "Antimony trioxide prices slip as Vietnamese supply reaches Europe"
    assert brief.published_at == datetime(2025, 12, 4, 16, 30, tzinfo=UTC)  # <updated>
    assert brief.data is not None and brief.data["feed_content"].startswith("<p>Antimony trioxide")
    text = to_document(brief).text
    assert "$44,000-46,000 per tonne" in text and "600 tonnes of trioxide" in text
    # The price box and the <div> footer are the site's, not the brief's.
    assert "Germanium" not in text and "$990/kg" not in text and "©" not in text


def test_rss_item_whose_page_is_the_older_theme(news_crawls: dict[str, CrawlResult]) -> None:
    documents, _ = split(news_crawls["mining_com"])
    page = documents[f"{MINING}/steppe-tungsten-concentrate-offtake-rhenwald/"]
    assert page.format == "article_html"
    assert page.published_at == datetime(2025, 12, 10, 9, 20, tzinfo=UTC)
    text = to_document(page).text
    assert text.startswith("Steppe Tungsten Ltd has signed a five-year agreement")
    assert "$95 million expansion" in text
    for chrome in ("APT $735/mtu", "You may also like", "Share this", "Newsletter"):
        assert chrome not in text


def test_server_error_on_a_page_is_retried_then_recorded(tmp_path: Path) -> None:
    page = "/trade/2026/02/west-virginia-coal-mine-roof-fall-investigation.html"
    down = Override(status=503, body="maintenance", headers={"Retry-After": "0"})
    with SampleServer(overrides={page: down}) as server:
        result = crawl("trade_atom", server, tmp_path, "down")
        hits = [r for r in server.requests if r.path == page]
    documents, failures = split(result)
    assert len(hits) == 4  # the first try and RETRY_TIMES=3 retries
    assert [(f.error, f.source_id) for f in failures] == [("http_503", COAL_ARTICLE)]
    assert documents[COAL_ARTICLE].format == "feed_entry"
    assert len(documents) == 8
