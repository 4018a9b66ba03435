"""What the crawl fork server imports once, so that each crawl process starts without imports.

`spiders.runner` forks every crawl from a server process that has imported this module and
never started a reactor (Twisted's reactor cannot restart, so a crawl still gets a fresh
process). Importing Scrapy, Twisted, the leaves and the components Scrapy loads by dotted
path costs about 0.7 s of CPU a crawl otherwise; on a night with nothing new that was most
of the crawl.

Nothing imported here may read the environment at import time: the server outlives changes
to it. `spiders.settings` does (MINWATCH_CONTACT_URL), so it is read for its component paths
and then dropped again, and each crawl imports it afresh with the environment it was given.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable

from scrapy.settings import default_settings
from scrapy.utils.misc import load_object

import minwatch.spiders.crawl  # noqa: F401  # Scrapy, Twisted and the crawl entry point
from minwatch import pipelines  # noqa: F401  # the item pipelines, named by path in spiders.settings
from minwatch.spiders.registry import import_all_spiders

# Scrapy settings whose values are {dotted path: order} of components a crawler loads.
_COMPONENT_SETTINGS = (
    "DOWNLOADER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES",
    "EXTENSIONS",
    "ITEM_PIPELINES",
    "DOWNLOAD_HANDLERS",
)
# Single components named by path in Scrapy's default settings.
_COMPONENT_PATHS = (
    "SCHEDULER",
    "SCHEDULER_DISK_QUEUE",
    "SCHEDULER_MEMORY_QUEUE",
    "SCHEDULER_PRIORITY_QUEUE",
    "DUPEFILTER_CLASS",
    "DOWNLOADER",
    "STATS_CLASS",
    "LOG_FORMATTER",
    "REQUEST_FINGERPRINTER_CLASS",
    "ROBOTSTXT_PARSER",
    "DNS_RESOLVER",
    "DOWNLOADER_HTTPCLIENTFACTORY",
    "DOWNLOADER_CLIENTCONTEXTFACTORY",
    "SPIDER_LOADER_CLASS",
    "ITEM_PROCESSOR",
)


def _component_paths(settings_module: object) -> Iterable[str]:
    for name in _COMPONENT_SETTINGS:
        for suffix in ("_BASE", ""):
            components = getattr(settings_module, name + suffix, None) or {}
            yield from (path for path in components if isinstance(path, str))
    for name in _COMPONENT_PATHS:
        path = getattr(settings_module, name, None)
        if isinstance(path, str):
            yield path


def preload() -> None:
    import_all_spiders()
    import minwatch.spiders.settings as project_settings

    paths = {*_component_paths(default_settings), *_component_paths(project_settings)}
    del sys.modules["minwatch.spiders.settings"]
    del sys.modules["minwatch.spiders"].settings
    for path in sorted(paths):
        # Only a head start: a component that cannot load here fails in its crawl, with the
        # crawl's own error, as it would without the server.
        with contextlib.suppress(Exception):
            load_object(path)


preload()
