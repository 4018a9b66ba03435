"""Spider classes by source name."""

from __future__ import annotations

import importlib

from spiders.base import BaseSpider

# "module:Class" of every leaf spider, in the order a night crawls them. One line a source, so
# adding a source is adding a line.
_LEAVES = (
    "spiders.sam_gov:SamGovOpportunitiesSpider",
    "spiders.news:MiningDotComFeedSpider",
    "spiders.news:TradeAtomFeedSpider",
    "spiders.federal_register:FederalRegisterSpider",
    "spiders.mofcom:MofcomPolicySpider",
    "spiders.mofcom:MofcomSecurityBureauSpider",
    "spiders.mofcom:MofcomEnglishSpider",
    "spiders.dla:DlaStrategicMaterialsSpider",
    "spiders.gdelt:GdeltDocSpider",
    "spiders.sitemaps:NewsSitemapSpider",
    # new sources above this line
)


def _load(reference: str) -> type[BaseSpider]:
    module_name, _, class_name = reference.partition(":")
    spider = getattr(importlib.import_module(module_name), class_name, None)
    if not (isinstance(spider, type) and issubclass(spider, BaseSpider)):
        raise KeyError(f"{reference} is not a BaseSpider subclass")
    return spider


SPIDERS: dict[str, type[BaseSpider]] = {
    spider.source_name: spider for spider in (_load(ref) for ref in _LEAVES)
}
DEFAULT_SOURCES: tuple[str, ...] = tuple(SPIDERS)
# Spider arguments for crawling the loopback sample server (with `base_url`): the sample
# copies live at other paths than the real sites.
SAMPLE_SPIDER_ARGS: dict[str, dict[str, str]] = {
    "mining_com": {"feed_path": "/news/mining_feed.xml"},
    "federal_register": {"published_from": "2025-01-01"},
    "mofcom_zh": {"site_path": "/mofcom"},
    "mofcom_aqygzj": {"site_path": "/aqygzj"},
    "mofcom_en": {"site_path": "/mofcom_en"},
    "dla_strategic_materials": {"site_path": "/dla"},
    "gdelt": {"since": "2025-09-01", "until": "2026-03-31"},
    "news_sitemaps": {"list_path": "/sitemaps/sitemap_index.xml"},
    # new sample arguments above this line
}


def resolve_spider(source: str) -> type[BaseSpider]:
    """A registered source name, or "package.module:ClassName" for an unregistered spider."""
    if source in SPIDERS:
        return SPIDERS[source]
    if ":" in source:
        return _load(source)
    known = ", ".join(sorted(SPIDERS))
    raise KeyError(f"unknown source {source!r}; known sources: {known}")
