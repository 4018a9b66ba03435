"""Spider classes by source name."""

from __future__ import annotations

import builtins
import importlib
from collections.abc import Iterator, Mapping

from minwatch.spiders.base import BaseSpider

# Source name -> "module:Class" of its leaf spider, in the order a night crawls them. One line
# a source, so adding a source is adding a line. Modules are imported on first use (some leaves
# pull in heavy parsers): a process that reads landing files or runs one `python -m
# spiders.crawl` imports only what it needs. The crawl server imports them all, once a night.
_LEAVES = {
    "sam_gov": "minwatch.spiders.sam_gov:SamGovOpportunitiesSpider",
    "mining_com": "minwatch.spiders.news:MiningDotComFeedSpider",
    "trade_atom": "minwatch.spiders.news:TradeAtomFeedSpider",
    "federal_register": "minwatch.spiders.federal_register:FederalRegisterSpider",
    "mofcom_zh": "minwatch.spiders.mofcom:MofcomPolicySpider",
    "mofcom_zcfb": "minwatch.spiders.mofcom:MofcomPolicyReleasesSpider",
    "mofcom_aqygzj": "minwatch.spiders.mofcom:MofcomSecurityBureauSpider",
    "mofcom_en": "minwatch.spiders.mofcom:MofcomEnglishSpider",
    "mofcom_exportcontrol": "minwatch.spiders.mofcom:MofcomExportControlSpider",
    "dla_strategic_materials": "minwatch.spiders.dla:DlaStrategicMaterialsSpider",
    "gdelt": "minwatch.spiders.gdelt:GdeltDocSpider",
    "news_sitemaps": "minwatch.spiders.sitemaps:NewsSitemapSpider",
    "federal_register_pi": (
        "minwatch.spiders.public_inspection:FederalRegisterPublicInspectionSpider"
    ),
    # new sources above this line
}


def _load(reference: str) -> type[BaseSpider]:
    module_name, _, class_name = reference.partition(":")
    spider = getattr(importlib.import_module(module_name), class_name, None)
    if not (isinstance(spider, type) and issubclass(spider, BaseSpider)):
        raise KeyError(f"{reference} is not a BaseSpider subclass")
    return spider


class _SpiderRegistry(Mapping[str, type[BaseSpider]]):
    """The registered spiders by source name, each imported when first asked for."""

    def __init__(self, references: Mapping[str, str]) -> None:
        self._references = dict(references)
        self._loaded: dict[str, type[BaseSpider]] = {}

    def __getitem__(self, source: str) -> type[BaseSpider]:
        if source not in self._loaded:
            spider = _load(self._references[source])
            if spider.source_name != source:
                raise KeyError(
                    f"{self._references[source]} has source_name {spider.source_name!r} "
                    f"but is registered as {source!r}"
                )
            self._loaded[source] = spider
        return self._loaded[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self._references)

    def __len__(self) -> int:
        return len(self._references)


SPIDERS: Mapping[str, type[BaseSpider]] = _SpiderRegistry(_LEAVES)


def import_all_spiders() -> None:
    """Import every registered leaf (and so register the landing formats their modules own)."""
    for source in SPIDERS:
        SPIDERS[source]


# Sources only the watcher polls (`minwatch watch`, flows/watch.py), never the night: the
# public inspection desk holds a document only until the night crawls its published version.
WATCH_ONLY_SOURCES: tuple[str, ...] = ("federal_register_pi",)
DEFAULT_SOURCES: tuple[str, ...] = tuple(s for s in SPIDERS if s not in WATCH_ONLY_SOURCES)
# Spider arguments for crawling the loopback sample server (with `base_url`): the sample
# copies live at other paths than the real sites.
SAMPLE_SPIDER_ARGS: dict[str, dict[str, str]] = {
    "mining_com": {"feed_path": "/news/mining_feed.xml"},
    "federal_register": {"from_date": "2025-01-01"},
    "mofcom_zh": {"site_path": "/mofcom"},
    "mofcom_zcfb": {"site_path": "/mofcom"},
    "mofcom_aqygzj": {"site_path": "/aqygzj"},
    "mofcom_en": {"site_path": "/mofcom_en"},
    # The portal is kept where the bureau's home page finds its pages (README.md).
    "mofcom_exportcontrol": {"site_path": "/aqygzj/sites/exportcontrol.mofcom.gov.cn"},
    "dla_strategic_materials": {"site_path": "/dla"},
    "gdelt": {"from_date": "2025-09-01", "until_date": "2026-03-31"},
    "news_sitemaps": {"list_path": "/sitemaps/sitemap_index.xml"},
    # new sample arguments above this line
}


_added_classes: dict[object, type[BaseSpider]] = {}


def resolve_spider(source: str) -> type[BaseSpider]:
    """A registered source name, a source added by configuration (`spiders.configured`), or
    "package.module:ClassName" for an unregistered spider."""
    if source in SPIDERS:
        return SPIDERS[source]
    if ":" in source:
        return _load(source)
    from minwatch.spiders.configured import added_sources, spider_class

    added = added_sources()
    if source in added:
        spec = added[source]
        if spec not in _added_classes:
            _added_classes[spec] = spider_class(spec)
        return _added_classes[spec]
    known = ", ".join(sorted([*SPIDERS, *added]))
    raise KeyError(f"unknown source {source!r}; known sources: {known}")


class RegistrySpiderLoader:
    """Scrapy's spider loader over this registry (`scrapy list`, `scrapy crawl NAME`).

    Set by the Scrapy command line's settings (`flows.scrapy_settings`) only: Scrapy's
    default loader would import every module in SPIDER_MODULES in every crawl process.
    Lists the registered sources and those added by configuration.
    """

    def __init__(self, settings: object = None) -> None:
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: object) -> RegistrySpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[BaseSpider]:
        try:
            return resolve_spider(spider_name)
        except KeyError as exc:
            raise KeyError(f"Spider not found: {spider_name} ({exc.args[0]})") from None

    def list(self) -> list[str]:
        from minwatch.spiders.configured import added_sources

        return [*SPIDERS, *(name for name in added_sources() if name not in SPIDERS)]

    def find_by_request(self, request: object) -> builtins.list[str]:
        return []
