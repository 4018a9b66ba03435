"""Scrapy item pipelines: validate, refuse oversized, deduplicate, land. One job each."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self

from pydantic import ValidationError
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from minwatch.spiders.items import FetchFailure, LandingRecord, RawDocument
from minwatch.spiders.landing import open_part, part_of
from minwatch.spiders.settings import MINWATCH_MAX_PARSED_BYTES
from minwatch.spiders.urls import strip_api_key

logger = logging.getLogger(__name__)


def _source_name(crawler: Crawler | None) -> str:
    spider = crawler.spider if crawler is not None else None
    return str(getattr(spider, "source_name", None) or getattr(spider, "name", "unknown"))


def validate_item(item: Any, *, source: str) -> LandingRecord:
    """Build the pydantic record; an invalid item becomes a FetchFailure("invalid_item")."""
    if isinstance(item, RawDocument | FetchFailure):
        return item
    fields = dict(item) if isinstance(item, dict) else {}
    try:
        if not isinstance(item, dict):
            raise TypeError(f"item is {type(item).__name__}, not dict")
        if fields.get("type") == "error":
            return FetchFailure.model_validate(fields)
        return RawDocument.model_validate(fields)
    except (ValidationError, TypeError) as exc:
        if isinstance(exc, ValidationError):
            problems = "; ".join(
                f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
                for error in exc.errors(include_url=False, include_input=False)
            )
        else:
            problems = str(exc)
        url = fields.get("url")
        source_id = fields.get("source_id")
        return FetchFailure(
            source=str(fields.get("source") or source),
            url=strip_api_key(url) if isinstance(url, str) and url else "unknown",
            source_id=str(source_id) if source_id not in (None, "") else None,
            http_status=fields.get("http_status")
            if isinstance(fields.get("http_status"), int)
            else None,
            error="invalid_item",
            message=f"invalid item: {problems}"[:2000],
            occurred_at=datetime.now(UTC),
        )


class Validate:
    """Turns item dicts into RawDocument/FetchFailure; an invalid one becomes a recorded failure."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> LandingRecord:
        record = validate_item(item, source=_source_name(self.crawler))
        if isinstance(record, FetchFailure) and record.error == "invalid_item":
            logger.warning("Invalid item from %s: %s", record.source, record.message)
        return record


def parsed_size(value: Any) -> int:
    """UTF-8 bytes of the text inside a JSON-like value (strings only: keys and numbers are
    bounded by the strings they come with)."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, dict):
        return sum(parsed_size(k) + parsed_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(parsed_size(v) for v in value)
    return 0


class RefuseOversized:
    """Replaces a document whose text outgrows MINWATCH_MAX_PARSED_BYTES with a FetchFailure.

    DOWNLOAD_MAXSIZE bounds what arrives, not what parsing makes of it (a source may raise
    DOWNLOAD_MAXSIZE, a record may hold a whole full text); a document past the cap would be
    landed, loaded and extracted whole. Its "parsed_too_large" failure is retryable and the
    document is not seen, so a later crawl with a higher cap takes it.
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        settings = crawler.settings if crawler is not None else None
        self.max_bytes = (
            settings.getint("MINWATCH_MAX_PARSED_BYTES", MINWATCH_MAX_PARSED_BYTES)
            if settings is not None
            else MINWATCH_MAX_PARSED_BYTES
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: LandingRecord) -> LandingRecord:
        if not isinstance(item, RawDocument) or self.max_bytes <= 0:
            return item
        size = parsed_size(item.body) + parsed_size(item.title) + parsed_size(item.data)
        if size <= self.max_bytes:
            return item
        message = (
            f"the document holds {size} B of text, more than MINWATCH_MAX_PARSED_BYTES "
            f"({self.max_bytes} B); refused, not landed"
        )
        spider = self.crawler.spider if self.crawler is not None else None
        fetch_failure = getattr(spider, "fetch_failure", None)
        if callable(fetch_failure):
            # The spider's own record: counted in its stats, and its retry bookkeeping.
            failure = fetch_failure(
                url=item.url,
                error="parsed_too_large",
                message=message,
                http_status=item.http_status,
                source_id=item.source_id,
            )
            return validate_item(failure, source=item.source)
        logger.warning("Refused %s document %s: %s", item.source, item.source_id, message)
        return FetchFailure(
            source=item.source,
            url=item.url,
            source_id=item.source_id,
            http_status=item.http_status,
            error="parsed_too_large",
            message=message,
            occurred_at=datetime.now(UTC),
        )


class Deduplicate:
    """Drops a document whose (source, source_id) was already landed in this crawl."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def process_item(self, item: LandingRecord) -> LandingRecord:
        if isinstance(item, RawDocument):
            key = (item.source, item.source_id)
            if key in self.seen:
                raise DropItem(f"duplicate {item.source} document {item.source_id}")
            self.seen.add(key)
        return item


class LandingWriter:
    """Appends each record as a JSON line to `<MINWATCH_LANDING_PATH>.part`, renamed on close."""

    def __init__(self, path: Path, crawler: Crawler | None = None) -> None:
        self.path = path
        self.part_path = part_of(path)
        self.crawler = crawler
        self.file: IO[str] | None = None
        self.documents = 0
        self.failures = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("MINWATCH_LANDING_PATH")
        if not path:
            raise NotConfigured("MINWATCH_LANDING_PATH is not set; nothing would be landed")
        if "%(" in path:
            # Scrapy's feed URI parameters, for `scrapy crawl` (flows/scrapy_settings.py).
            name = crawler.spidercls.name if crawler.spidercls is not None else "spider"
            started = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
            path = path % {"name": name, "time": started}
        return cls(Path(path), crawler)

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Truncated: a .part left by a crashed run is incomplete and must not leak into this
        # one. Held under a flock so that a night's clean-up knows it is alive.
        self.file = open_part(self.part_path)

    def process_item(self, item: LandingRecord) -> LandingRecord:
        if self.file is None:
            self.open_spider()
        assert self.file is not None
        self.file.write(item.model_dump_json() + "\n")
        # A crash loses at most the line in flight.
        self.file.flush()
        if isinstance(item, RawDocument):
            self.documents += 1
        else:
            self.failures += 1
        return item

    def close_spider(self) -> None:
        if self.file is None:
            self.open_spider()
        assert self.file is not None
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        self.file = None
        os.replace(self.part_path, self.path)
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is not None:
            stats.set_value("minwatch/landed_documents", self.documents)
            stats.set_value("minwatch/landed_failures", self.failures)
