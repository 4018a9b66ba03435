"""Spider classes by source name."""

from __future__ import annotations

import importlib

from spiders.base import BaseSpider
from spiders.news import MiningDotComFeedSpider, TradeAtomFeedSpider
from spiders.sam_gov import SamGovOpportunitiesSpider

SPIDERS: dict[str, type[BaseSpider]] = {
    spider.source_name: spider
    for spider in (SamGovOpportunitiesSpider, MiningDotComFeedSpider, TradeAtomFeedSpider)
}
DEFAULT_SOURCES: tuple[str, ...] = ("sam_gov", "mining_com", "trade_atom")
# Spider arguments for crawling the loopback sample server (with `base_url`): the sample
# copies live at other paths than the real sites.
SAMPLE_SPIDER_ARGS: dict[str, dict[str, str]] = {
    "mining_com": {"feed_path": "/news/mining_feed.xml"},
}


def resolve_spider(source: str) -> type[BaseSpider]:
    """A registered source name, or "package.module:ClassName" for an unregistered spider."""
    if source in SPIDERS:
        return SPIDERS[source]
    if ":" in source:
        module_name, _, class_name = source.partition(":")
        spider = getattr(importlib.import_module(module_name), class_name, None)
        if isinstance(spider, type) and issubclass(spider, BaseSpider):
            return spider
        raise KeyError(f"{source} is not a BaseSpider subclass")
    known = ", ".join(sorted(SPIDERS))
    raise KeyError(f"unknown source {source!r}; known sources: {known}")
