"""Progress of a running crawl, for the flow's log: a long crawl (GDELT asks once per 5 s)
must be visibly alive.

Every `MINWATCH_PROGRESS_INTERVAL_S` seconds (default 30; 0 turns it off) the crawl process
writes one line to its stdout, which the runner reads as it comes (`spiders.runner`):

    minwatch-progress {"elapsed_s": 30.0, "fetched": 7, "landed": 6, "errors": 1}

`fetched` counts responses, `landed` the documents handed to the landing file, `errors` the
failures recorded so far.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

PROGRESS_MARKER = "minwatch-progress "
DEFAULT_INTERVAL_S = 30.0


def progress_counts(stats: dict[str, Any]) -> dict[str, int]:
    errors = sum(int(v) for k, v in stats.items() if k.startswith("minwatch/failure/"))
    scraped = int(stats.get("item_scraped_count", 0))
    return {
        "fetched": int(stats.get("downloader/response_count", 0)),
        "landed": max(0, scraped - errors),
        "errors": errors,
    }


def parse_progress(line: str) -> dict[str, Any] | None:
    """The progress record of one output line, None for any other line."""
    if not line.startswith(PROGRESS_MARKER):
        return None
    try:
        record = json.loads(line[len(PROGRESS_MARKER) :])
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


class ProgressReporter:
    """Connected to a crawler by `spiders.crawl`; reports until the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval_s = crawler.settings.getfloat(
            "MINWATCH_PROGRESS_INTERVAL_S", DEFAULT_INTERVAL_S
        )
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_opened(self) -> None:
        if self.interval_s <= 0:
            return
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval_s, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def report(self) -> None:
        assert self.crawler.stats is not None
        counts = progress_counts(self.crawler.stats.get_stats())
        record = {"elapsed_s": round(time.monotonic() - self.started, 1), **counts}
        sys.stdout.write(PROGRESS_MARKER + json.dumps(record) + "\n")
        sys.stdout.flush()
