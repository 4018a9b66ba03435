"""One night of the real flow over the loopback sample site, for the tests that check what it
loads (the sample site's sources, fast settings, no alerts unless asked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minwatch.flows.nightly import NightFailed, RunSummary, nightly
from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from tests.crawl_helpers import FAST


def sample_sources(base_url: str, *names: str) -> list[dict[str, Any]]:
    """The flow's `sources` parameter for these sample sources at `base_url`."""
    return [
        {
            "name": name,
            "base_url": base_url,
            "spider_args": SAMPLE_SPIDER_ARGS.get(name, {}),
            "settings": FAST,
        }
        for name in names
    ]


def sample_night(db: Path, server: SampleServer, night: str, *names: str, **kw: Any) -> RunSummary:
    """One flow run; a night with a failed source raises NightFailed, whose summary it is."""
    try:
        return nightly(
            db=str(db), sources=sample_sources(server.base_url, *names), night=night, **kw
        )
    except NightFailed as failed:
        return failed.summary
