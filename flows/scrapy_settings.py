"""Settings of the Scrapy command line (`scrapy list`, `scrapy crawl NAME`), named in scrapy.cfg.

The project settings (spiders/settings.py) plus what a crawl started by hand needs and a night
gets from the flow and `python -m minwatch.spiders.crawl`: the spider loader over
spiders.registry, the sources added in the settings file (flows/settings.py), a landing path,
and the secret redaction of the log. An entry point like the `minwatch` command, so it lives
in flows/ (spiders never read the settings file). Nights never read this module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from minwatch.flows.settings import ConfigError, load_settings
from minwatch.spiders.configured import AddedSource, export_added_sources
from minwatch.spiders.settings import *  # noqa: F403 (the project settings, changed below)

try:
    _settings = load_settings()
except ConfigError as exc:
    raise SystemExit(f"minwatch settings: {exc}") from None
# Crawls run in this process; the registry finds the added sources in the environment.
export_added_sources(AddedSource(**spec) for spec in _settings.added_sources())
if _settings.contact_url and not os.environ.get("MINWATCH_CONTACT_URL"):
    USER_AGENT = user_agent(_settings.contact_url)  # noqa: F405

# default "scrapy.spiderloader.SpiderLoader" over SPIDER_MODULES: the registry lists every
# source (and those added by configuration, see spiders/configured.py) and imports only the
# leaf that is crawled.
SPIDER_LOADER_CLASS = "minwatch.spiders.registry.RegistrySpiderLoader"
SPIDER_MODULES = ["spiders"]  # default []; read only by Scrapy's own loader, kept for tools

# default unset (the pipeline refuses to start): the raw records land as a night's do, one
# JSON Lines file per crawl, outside data/landing so that neither a night nor `minwatch
# reprocess` takes a hand-started crawl for one of theirs. `-s MINWATCH_LANDING_PATH=FILE`
# changes it; %(name)s is the source, %(time)s the start time (UTC).
MINWATCH_LANDING_PATH = str(
    Path(__file__).resolve().parent.parent / "data" / "scrapy" / "%(name)s" / "%(time)s.jsonl"
)

EXTENSIONS = {"minwatch.flows.scrapy_settings.RedactSecrets": 0}  # default {}


class RedactSecrets:
    """Keeps the SAM.gov key out of the log, as `python -m minwatch.spiders.crawl` does."""

    def __init__(self) -> None:
        from minwatch.spiders.crawl import SECRET_ENV_VARS

        self.secrets = [os.environ.get(name, "") for name in SECRET_ENV_VARS]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedactSecrets:
        extension = cls()
        extension.install()
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        return extension

    def install(self, *_: Any) -> None:
        from minwatch.spiders.redaction import install_redaction

        install_redaction(self.secrets)
