"""Sources added by configuration: an RSS/Atom feed or a news sitemap, no code.

A `[sources.NAME]` table with a `family` in the settings file (flows/settings.py) becomes a
leaf of an existing base class here: `feed` a `FeedSpider`, `news_sitemap` a
`NewsSitemapSpider`. The class is built with the same base-class configuration check, the same
allow-list (its base URL), caps and landing pipeline as a coded leaf; only its source name,
base URL, path, language and delay come from the file.

Crawls run in processes of their own, so the flow hands the added sources to them in the
environment (`MINWATCH_ADDED_SOURCES`, JSON written by `export_added_sources`); spiders never
read the settings file themselves.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from minwatch.spiders.base import BaseSpider, FeedSpider, SpiderConfigError

ADDED_SOURCES_ENV = "MINWATCH_ADDED_SOURCES"
FAMILIES = ("feed", "news_sitemap")
Family = Literal["feed", "news_sitemap"]
# Source names become landing directories and warehouse keys.
SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@dataclass(frozen=True)
class AddedSource:
    name: str
    family: Family
    base_url: str
    path: str  # the feed's path (feed), or the sitemap index's or sitemap's path (news_sitemap)
    language: str = "en"
    download_delay: float = 2.0


def spider_class(source: AddedSource) -> type[BaseSpider]:
    """A leaf spider class for `source`; its base class checks the configuration on start."""
    if not SOURCE_NAME.match(source.name):
        raise SpiderConfigError(
            f"added source name {source.name!r}: use lower-case letters, digits and '_' "
            "(2-40 characters, starting with a letter)"
        )
    attributes: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": f"{source.name}: a {source.family} added by configuration ({source.base_url}).",
        # BaseSpider
        "source_name": source.name,
        "kind": "news",
        "default_base_url": source.base_url,
        "language": source.language,
        "custom_settings": {
            "AUTOTHROTTLE_ENABLED": True,
            "DOWNLOAD_DELAY": source.download_delay,  # default 1.0 (project settings)
        },
    }
    base: type[BaseSpider]
    if source.family == "feed":
        base = FeedSpider
        attributes["feed_path"] = source.path  # FeedSpider
    elif source.family == "news_sitemap":
        from minwatch.spiders.sitemaps import NewsSitemapSpider

        base = NewsSitemapSpider
        attributes["list_path"] = source.path  # ListDetailSpider
    else:
        raise SpiderConfigError(
            f"added source {source.name!r} has family {source.family!r}; "
            f"use one of {', '.join(FAMILIES)}"
        )
    class_name = "Added" + "".join(part.title() for part in source.name.split("_")) + "Spider"
    return type(class_name, (base,), attributes)


def export_added_sources(
    sources: Iterable[AddedSource], environ: dict[str, str] | None = None
) -> None:
    """Hand the added sources to crawl processes (they inherit the environment)."""
    env = os.environ if environ is None else environ
    specs = [asdict(source) for source in sources]
    if specs:
        env[ADDED_SOURCES_ENV] = json.dumps(specs, sort_keys=True)
    else:
        env.pop(ADDED_SOURCES_ENV, None)


def added_sources(environ: Mapping[str, str] | None = None) -> dict[str, AddedSource]:
    """The added sources handed over by `export_added_sources`, by name."""
    env = os.environ if environ is None else environ
    text = env.get(ADDED_SOURCES_ENV, "").strip()
    if not text:
        return {}
    try:
        return {spec["name"]: AddedSource(**spec) for spec in json.loads(text)}
    except (ValueError, TypeError, KeyError) as exc:
        raise SpiderConfigError(
            f"{ADDED_SOURCES_ENV} is not a list of added sources: {exc}"
        ) from exc
