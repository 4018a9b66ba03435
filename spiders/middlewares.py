"""Downloader middlewares: conditional GETs of list and feed pages; honour Retry-After on
429/503; never retry an exhausted SAM quota; robots.txt kept between crawls (the watcher).
Spider middleware: caps on links and documents."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.task import deferLater

from minwatch.spiders.settings import MINWATCH_MAX_DOCUMENTS_PER_SOURCE, MINWATCH_MAX_LINKS_PER_PAGE

logger = logging.getLogger(__name__)

SAM_QUOTA_CODE = "900804"
RETRY_AFTER_STATUSES = frozenset({429, 503})


def is_quota_exhausted(response: Response) -> bool:
    """True for the api.sam.gov daily-quota answer: 429 with body code 900804."""
    if response.status != 429:
        return False
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(payload, dict):
        return False
    error = payload.get("error")
    code = payload.get("code") or (error.get("code") if isinstance(error, dict) else None)
    return str(code) == SAM_QUOTA_CODE


def retry_after_seconds(value: bytes | str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that waits out Retry-After (capped) and leaves quota 429s to the spider."""

    max_wait_s: float
    default_wait_s: float

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.max_wait_s = crawler.settings.getfloat("MINWATCH_RETRY_AFTER_MAX_S", 120)
        middleware.default_wait_s = crawler.settings.getfloat("MINWATCH_RETRY_AFTER_DEFAULT_S", 5)
        return middleware

    def process_request(self, request: Request) -> None:
        # Requests already queued when a source was stopped must not reach the server.
        reason = getattr(self.crawler.spider, "stop_reason", None)
        if reason:
            raise IgnoreRequest(f"source stopped for the night: {reason}")

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if response.status not in RETRY_AFTER_STATUSES or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        stats = self.crawler.stats
        assert stats is not None
        if is_quota_exhausted(response):
            # Retrying only burns tomorrow's quota too; the spider stops the source.
            stats.inc_value("minwatch/quota_exhausted")
            if self.crawler.spider is not None:
                setattr(self.crawler.spider, "stop_reason", "quota")  # noqa: B010 (any Spider)
            return response
        header = response.headers.get("Retry-After")
        wait = retry_after_seconds(header)
        if wait is None:
            wait = self.default_wait_s if response.status == 429 else 0.0
        if wait > self.max_wait_s:
            logger.warning(
                "Giving up on %s: Retry-After %.0fs exceeds the %.0fs cap",
                request.url,
                wait,
                self.max_wait_s,
            )
            stats.inc_value("minwatch/retry_after/over_cap")
            return response
        retries_so_far = int(request.meta.get("retry_times", 0))
        max_retries = int(request.meta.get("max_retry_times", self.max_retry_times))
        if retries_so_far >= max_retries:
            return super().process_response(request, response)
        if wait > 0:
            logger.info(
                "HTTP %s: waiting %.1fs (Retry-After) before retrying", response.status, wait
            )
            # Imported here: importing the reactor at module load would install the wrong one.
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
            stats.inc_value("minwatch/retry_after/waited_ms", round(wait * 1000))
        return self._retry(request, f"HTTP {response.status} with Retry-After") or response


class ConditionalGetMiddleware:
    """Conditional GETs for requests a spider marks `minwatch_conditional` (lists, feeds).

    Sends the last crawl's ETag / Last-Modified as If-None-Match / If-Modified-Since and keeps
    the validators of each 200 answer in the spider's `incremental` tracker, keyed by the
    canonical URL (no API key, no loopback port). The spider treats the 304 itself.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _tracker_and_key(self, request: Request) -> tuple[Any, str] | None:
        spider = self.crawler.spider
        tracker = getattr(spider, "incremental", None)
        if not request.meta.get("minwatch_conditional") or tracker is None:
            return None
        canonical_id = getattr(spider, "canonical_id", None)
        key = canonical_id(request.url) if callable(canonical_id) else request.url
        return tracker, str(key)

    def process_request(self, request: Request) -> None:
        found = self._tracker_and_key(request)
        if found is None:
            return
        tracker, key = found
        validators = tracker.validators_for(key)
        if (etag := validators.get("etag")) and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = etag
        if (modified := validators.get("last_modified")) and (
            b"If-Modified-Since" not in request.headers
        ):
            request.headers[b"If-Modified-Since"] = modified

    def process_response(self, request: Request, response: Response) -> Response:
        found = self._tracker_and_key(request)
        if found is None or response.status != 200:
            return response
        tracker, key = found
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        tracker.record_validators(
            key,
            etag.decode("latin-1") if etag else None,
            modified.decode("latin-1") if modified else None,
        )
        return response


class CrawlCapsMiddleware:
    """Caps what one page and one crawl may ask for; each hit is a recorded, retryable failure.

    - MINWATCH_MAX_LINKS_PER_PAGE: requests followed from one response (feed entries, sitemap
      locs and child sitemaps, list links, an API page's documents). The page's own next page
      (`minwatch_next_page` in meta) does not count: lists are paged by `max_list_pages`.
    - MINWATCH_MAX_DOCUMENTS_PER_SOURCE: document requests (`minwatch_source_id` in meta) in
      the whole crawl.

    0 turns a cap off. Requests past a cap are dropped: one FetchFailure ("cap_links" for the
    page, "cap_documents" once a crawl) says how many, and the stats count every dropped
    request. The failures are retryable, so the next crawl reads its lists and feeds in full;
    documents already landed are not asked for again, so it reaches the ones dropped tonight.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.max_links = settings.getint("MINWATCH_MAX_LINKS_PER_PAGE", MINWATCH_MAX_LINKS_PER_PAGE)
        self.max_documents = settings.getint(
            "MINWATCH_MAX_DOCUMENTS_PER_SOURCE", MINWATCH_MAX_DOCUMENTS_PER_SOURCE
        )
        self.documents = 0
        self.documents_cap_recorded = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any]
    ) -> Iterator[Any]:
        page = _PageCaps(self, response)
        for output in result:
            if page.admit(output):
                yield output
        yield from page.failures()

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        page = _PageCaps(self, response)
        async for output in result:
            if page.admit(output):
                yield output
        for failure in page.failures():
            yield failure


class _PageCaps:
    """The caps' count over one response's output."""

    def __init__(self, caps: CrawlCapsMiddleware, response: Response | None) -> None:
        self.caps = caps
        self.response = response
        self.links = 0
        self.links_dropped = 0
        self.documents_dropped = 0

    def admit(self, output: Any) -> bool:
        if not isinstance(output, Request) or output.meta.get("minwatch_next_page"):
            return True
        caps = self.caps
        self.links += 1
        if caps.max_links > 0 and self.links > caps.max_links:
            self.links_dropped += 1
            return False
        if "minwatch_source_id" in output.meta:
            if caps.max_documents > 0 and caps.documents >= caps.max_documents:
                self.documents_dropped += 1
                return False
            caps.documents += 1
        return True

    def failures(self) -> Iterator[Any]:
        caps = self.caps
        stats = caps.crawler.stats
        spider = caps.crawler.spider
        url = self.response.url if self.response is not None else getattr(spider, "base_url", "")
        status = self.response.status if self.response is not None else None
        found: list[tuple[str, str]] = []
        if self.links_dropped:
            if stats is not None:
                stats.inc_value("minwatch/cap_links/dropped", self.links_dropped)
            found.append(
                (
                    "cap_links",
                    f"the page has {self.links} links to follow, more than "
                    f"MINWATCH_MAX_LINKS_PER_PAGE ({caps.max_links}); the first {caps.max_links} "
                    f"were followed, the other {self.links_dropped} are left for another night",
                )
            )
        if self.documents_dropped:
            if stats is not None:
                stats.inc_value("minwatch/cap_documents/dropped", self.documents_dropped)
            if not caps.documents_cap_recorded:
                caps.documents_cap_recorded = True
                found.append(
                    (
                        "cap_documents",
                        f"the crawl reached MINWATCH_MAX_DOCUMENTS_PER_SOURCE "
                        f"({caps.max_documents} document requests); {self.documents_dropped} "
                        "more from this page, and any from later pages (stats "
                        "minwatch/cap_documents/dropped), are left for another night",
                    )
                )
        fetch_failure = getattr(spider, "fetch_failure", None)
        for error, message in found:
            if callable(fetch_failure):
                yield fetch_failure(url=url, error=error, message=message, http_status=status)
            else:
                logger.warning("%s for %s: %s", error, url, message)


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, reusing a robots.txt fetched by an earlier crawl.

    With MINWATCH_ROBOTS_CACHE_DIR set (the watcher sets it; a night leaves it empty and gets
    the stock behaviour), a robots.txt answered 2xx or 4xx is kept there per scheme and host,
    and a crawl within MINWATCH_ROBOTS_CACHE_S of that fetch (at most a day, as RFC 9309
    allows) obeys the kept copy instead of asking again: a poll every ten minutes asks each
    host for its robots.txt once a day, not 144 times. A 5xx or a network error is not kept.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        directory = crawler.settings.get("MINWATCH_ROBOTS_CACHE_DIR") or ""
        self._cache_dir = Path(directory) if directory else None
        self._cache_s = min(crawler.settings.getfloat("MINWATCH_ROBOTS_CACHE_S", 86400.0), 86400.0)

    def _cache_path(self, request: Request) -> Path | None:
        if self._cache_dir is None:
            return None
        url = urlparse_cached(request)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{url.scheme}_{url.netloc}")
        return self._cache_dir / f"{name}.robots.txt"

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        path = self._cache_path(request)
        if netloc not in self._parsers and path is not None:
            try:
                fresh = time.time() - path.stat().st_mtime < self._cache_s
                body = path.read_bytes() if fresh else None
            except OSError:
                body = None
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self._stats.inc_value("robotstxt/cache_hit")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        path = self._cache_path(request)
        if path is not None and response.status < 500:
            body = response.body if 200 <= response.status < 300 else b""
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(path.name + ".part")
            part.write_bytes(body)
            os.replace(part, path)
        await super()._parse_robots(response, netloc, request)
