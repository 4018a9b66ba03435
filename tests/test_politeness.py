"""Polite crawling: User-Agent, robots.txt, Retry-After, per-source delay and concurrency.

Real crawls over the loopback sample server; the server's request log is the evidence.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest
from scrapy.settings import Settings

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import LoggedRequest, Override, SampleServer
from minwatch.spiders.base import FeedSpider, ListDetailSpider
from minwatch.spiders.registry import SPIDERS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.settings import DEFAULT_CONTACT_URL, user_agent
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as _landed

CONTACT = "https://example.org/minwatch-operator"
NEWSLETTER_PATH = "/newsletter/weekly-antimony-brief.html"  # Disallow: /newsletter/
NEWSLETTER_ID = "https://trade.example.com" + NEWSLETTER_PATH
NEWSLETTER_ENTRY = """  <entry>
    <title type="text">Weekly antimony brief for subscribers</title>
    <link rel="alternate" href="__BASE_URL__/newsletter/weekly-antimony-brief.html"/>
    <id>tag:strategicmetalstrade.example,2026-03-11:/newsletter/weekly-antimony-brief</id>
    <updated>2026-03-11T07:00:00Z</updated>
    <published>2026-03-11T07:00:00Z</published>
    <summary type="text">Antimony ingot prices held at $52,000 per tonne in Rotterdam.</summary>
  </entry>
</feed>"""


@dataclass
class TwoNights:
    first: CrawlResult
    second: CrawlResult
    first_requests: list[LoggedRequest]
    second_requests: list[LoggedRequest]


@pytest.fixture(scope="module")
def robots_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoNights]:
    """trade_atom over a copy of the samples whose feed links a page robots.txt disallows."""
    root = tmp_path_factory.mktemp("root") / "sample"
    shutil.copytree(SAMPLE_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    feed = root / "news" / "trade_atom.xml"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace("</feed>", NEWSLETTER_ENTRY), encoding="utf-8"
    )
    page = root / NEWSLETTER_PATH.lstrip("/")
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><h1>Subscribers only</h1></body></html>", encoding="utf-8")
    landing = tmp_path_factory.mktemp("landing")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("MINWATCH_CONTACT_URL", CONTACT)
    try:
        with SampleServer(root=root) as server:
            first = run_crawl(
                "trade_atom",
                landing_dir=landing,
                run_id="night-1",
                base_url=server.base_url,
                settings=FAST,
                timeout_s=120,
            )
            assert first.state_path is not None, first.error
            split = len(server.requests)
            second = run_crawl(
                "trade_atom",
                landing_dir=landing,
                run_id="night-2",
                base_url=server.base_url,
                settings=FAST,
                state=CrawlState.load(first.state_path),
                timeout_s=120,
            )
            requests = server.requests
            yield TwoNights(first, second, requests[:split], requests[split:])
    finally:
        monkeypatch.undo()


def test_user_agent_names_project_version_and_contact_url(robots_crawl: TwoNights) -> None:
    requests = robots_crawl.first_requests + robots_crawl.second_requests
    expected = f"minwatch/{version('minwatch')} (+{CONTACT})"
    assert {r.headers.get("User-Agent") for r in requests} == {expected}


def test_user_agent_defaults_to_the_project_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINWATCH_CONTACT_URL", raising=False)
    assert user_agent() == f"minwatch/{version('minwatch')} (+https://github.com/minwatch/minwatch)"
    assert DEFAULT_CONTACT_URL == "https://github.com/minwatch/minwatch"
    assert (
        user_agent("https://ops.example/")
        == f"minwatch/{version('minwatch')} (+https://ops.example/)"
    )


def test_disallowed_page_is_not_fetched_and_entry_lands_from_feed(
    robots_crawl: TwoNights,
) -> None:
    paths = [r.path for r in robots_crawl.first_requests]
    assert paths[:2] == ["/robots.txt", "/news/trade_atom.xml"]
    assert len(paths) == 10  # robots.txt, the feed, the eight allowed articles
    assert not [p for p in paths if p.startswith("/newsletter/")]
    documents, failures = _landed(robots_crawl.first)
    assert len(documents) == 9
    assert documents[NEWSLETTER_ID].format == "feed_entry"
    assert documents[NEWSLETTER_ID].body == (
        "Antimony ingot prices held at $52,000 per tonne in Rotterdam."
    )
    assert [(f.source_id, f.error, f.http_status) for f in failures] == [
        (NEWSLETTER_ID, "robots_disallowed", None)
    ]
    assert "Forbidden by robots.txt" in failures[0].message


def test_disallowed_page_does_not_defeat_conditional_get(robots_crawl: TwoNights) -> None:
    # robots.txt will say no again tomorrow: not a reason to read the whole feed again.
    first, second = robots_crawl.first, robots_crawl.second
    assert [(r.path, r.status) for r in robots_crawl.second_requests] == [
        ("/robots.txt", 200),
        ("/news/trade_atom.xml", 304),
    ]
    assert second.stats["minwatch/not_modified"] == 1
    assert _landed(second) == ({}, [])
    assert first.state_path is not None and second.state_path is not None
    assert CrawlState.load(second.state_path) == CrawlState.load(first.state_path)


def test_retry_after_is_waited_out(tmp_path: Path) -> None:
    feed_path = "/news/trade_atom.xml"
    throttled = {feed_path: [Override(429, body="slow down", headers={"Retry-After": "1"})]}
    with SampleServer(overrides=throttled) as server:
        result = run_crawl(
            "trade_atom",
            landing_dir=tmp_path,
            run_id="night-1",
            base_url=server.base_url,
            settings=FAST,
            timeout_s=120,
        )
        feed_requests = [r for r in server.requests if r.path == feed_path]
    assert result.error is None, result.error
    assert [r.status for r in feed_requests] == [429, 200]
    # Ordering, not speed: the retry must not arrive before the server's second is up.
    assert feed_requests[1].at - feed_requests[0].at >= 1.0
    assert result.stats["minwatch/retry_after/waited_ms"] == 1000
    documents, failures = _landed(result)
    assert len(documents) == 8
    assert failures == []


def _effective(spider: type, name: str) -> object:
    settings = Settings()
    settings.setmodule("minwatch.spiders.settings", priority="project")
    settings.setdict(spider.custom_settings or {}, priority="spider")
    return settings[name]


def test_every_html_leaf_obeys_robots_and_sets_its_own_delay() -> None:
    html_leaves = {
        name: spider
        for name, spider in SPIDERS.items()
        if issubclass(spider, FeedSpider | ListDetailSpider)
    }
    assert {"mining_com", "trade_atom"} <= set(html_leaves)
    for name, spider in html_leaves.items():
        assert _effective(spider, "ROBOTSTXT_OBEY") is True, name
        assert "DOWNLOAD_DELAY" in (spider.custom_settings or {}), name
        assert float(str(_effective(spider, "DOWNLOAD_DELAY"))) >= 1.0, name
        assert int(str(_effective(spider, "CONCURRENT_REQUESTS_PER_DOMAIN"))) <= 2, name
    sam = SPIDERS["sam_gov"]
    assert _effective(sam, "ROBOTSTXT_OBEY") is False
    assert _effective(sam, "CONCURRENT_REQUESTS_PER_DOMAIN") == 1
