"""Run one crawl in this process and land its records (the runner starts it in a subprocess).

    python -m minwatch.spiders.crawl --source NAME --landing PATH --stats PATH
        [--base-url URL] [--arg k=v ...] [--setting NAME=VALUE ...] [--log PATH]
        [--state-out PATH]

`--arg state_path=FILE` hands the spider its incremental state (`spiders.state.CrawlState`);
`--state-out` receives the state for the next crawl when the crawl ran to its end.

Exit status 0 means the crawl ran to its end, however many requests failed (failures are
data, in the landing file); non-zero means it could not run: 2 bad arguments or spider
configuration, 3 the crawl ended without a landing file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from minwatch.spiders.progress import ProgressReporter
from minwatch.spiders.redaction import install_redaction
from minwatch.spiders.registry import resolve_spider
from minwatch.spiders.urls import redact_text

SECRET_ENV_VARS = ("SAM_GOV_API_KEY",)
STATS_KEPT_PREFIXES = (
    "downloader/request_count",
    "downloader/response_count",
    "downloader/response_bytes",  # what a poll cost (bench/watch_bench.py)
    "downloader/response_status_count/",
    "downloader/exception_type_count/",
    "retry/",
    "item_scraped_count",
    "item_dropped_count",
    "log_count/",
    "robotstxt/",
    "minwatch/",
    "elapsed_time_seconds",
    "start_time",
    "finish_time",
    "finish_reason",
)


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return key, value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m minwatch.spiders.crawl", description=__doc__)
    parser.add_argument("--source", required=True, help="registered source or module:Class")
    parser.add_argument("--landing", required=True, type=Path, help="JSON Lines output")
    parser.add_argument("--stats", required=True, type=Path, help="stats JSON output")
    parser.add_argument("--base-url", help="override the spider's default base URL")
    parser.add_argument("--arg", action="append", type=_key_value, default=[], help="k=v")
    parser.add_argument(
        "--setting", action="append", type=_key_value, default=[], help="Scrapy NAME=VALUE"
    )
    parser.add_argument("--log", type=Path, help="log file (default: stderr)")
    parser.add_argument("--state-out", type=Path, help="incremental state for the next crawl")
    return parser


def count_landed(path: Path) -> tuple[int, int]:
    documents = failures = 0
    with path.open(encoding="utf-8") as landing:
        for line in landing:
            if '"type":"document"' in line:
                documents += 1
            elif '"type":"error"' in line:
                failures += 1
    return documents, failures


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kept_stats(stats: dict[str, Any]) -> dict[str, Any]:
    kept = {}
    for key, value in stats.items():
        if key.startswith(STATS_KEPT_PREFIXES):
            kept[key] = value.isoformat() if isinstance(value, datetime) else value
    return kept


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secrets = [os.environ.get(name, "") for name in SECRET_ENV_VARS]
    install_redaction(secrets)
    try:
        spider_cls = resolve_spider(args.source)
    except (KeyError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    settings = Settings()
    settings.setmodule("minwatch.spiders.settings", priority="project")
    settings.set("MINWATCH_LANDING_PATH", str(args.landing), priority="cmdline")
    if args.log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(args.log), priority="cmdline")
        settings.set("LOG_FILE_APPEND", False, priority="cmdline")
    for name, value in args.setting:
        settings.set(name, value, priority="cmdline")

    spider_kwargs = dict(args.arg)
    if args.base_url:
        spider_kwargs["base_url"] = args.base_url

    process = CrawlerProcess(settings)
    install_redaction(secrets)  # Scrapy has just installed its root handler
    crawler = process.create_crawler(spider_cls)
    # Progress lines on stdout, read by the runner as they come; held here because signals
    # keep only weak references to their receivers.
    progress = ProgressReporter(crawler)
    captured: dict[str, Any] = {}

    def on_engine_started() -> None:
        install_redaction(secrets)  # the crawler replaces the root handler with its own
        # Scrapy sets its loggers to DEBUG and filters in its handler, so every DEBUG record
        # ("Scraped from ..." with the whole page) would be built and redacted, then dropped:
        # at LOG_LEVEL they are never built.
        for name in ("", "scrapy"):
            logging.getLogger(name).setLevel(settings.get("LOG_LEVEL"))

    def on_spider_closed(spider: Any, reason: str) -> None:
        assert crawler.stats is not None
        captured["stats"] = dict(crawler.stats.get_stats())
        captured["reason"] = reason
        if hasattr(spider, "next_crawl_state"):
            captured["state"] = spider.next_crawl_state()

    crawler.signals.connect(on_engine_started, signal=signals.engine_started)
    crawler.signals.connect(on_spider_closed, signal=signals.spider_closed)
    crawl_errors: list[str] = []

    def on_crawl_error(failure: Failure) -> None:
        crawl_errors.append(f"{type(failure.value).__name__}: {failure.value}")

    process.crawl(crawler, **spider_kwargs).addErrback(on_crawl_error)
    started_at = datetime.now(UTC)
    process.start()
    del progress

    if crawl_errors:
        message = redact_text("; ".join(crawl_errors), secrets)
        logging.getLogger(__name__).error("crawl could not run: %s", message)
        print(f"error: crawl could not run: {message}", file=sys.stderr)
        return 2
    if not args.landing.exists():
        print(f"error: the crawl wrote no landing file at {args.landing}", file=sys.stderr)
        return 3
    documents, failures = count_landed(args.landing)
    if args.state_out and captured.get("state") is not None:
        captured["state"].dump(args.state_out)
    stats = kept_stats(captured.get("stats", {}))
    stats.update(
        {
            "source": spider_cls.source_name,
            "started_at": started_at.isoformat(),
            "finish_reason": captured.get("reason", stats.get("finish_reason")),
            "finished_at": datetime.now(UTC).isoformat(),
            "documents": documents,
            "failures": failures,
            # This crawl process's own CPU time (forked crawls start at zero): what a crawl
            # cost, which nothing else can count (the fork server never waits for them).
            "cpu_seconds": round(_cpu_seconds(), 3),
        }
    )
    args.stats.parent.mkdir(parents=True, exist_ok=True)
    args.stats.write_text(json.dumps(stats, indent=2, sort_keys=True, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
