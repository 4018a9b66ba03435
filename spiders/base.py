"""Base classes for minwatch spiders; leaves hold configuration only.

Every spider lands plain dicts shaped like `spiders.items.RawDocument` / `FetchFailure`; the
`pipelines.Validate` pipeline turns them into the pydantic models. Every response reaches the
spider (HTTPERROR_ALLOW_ALL), so a non-2xx answer or a network error becomes a recorded
`FetchFailure` instead of a line in a log nobody reads. Links found in pages pass
`BaseSpider.follow_link` (http and https only) before they become requests; the downloader's
allow-list (`spiders.safety`) checks every request again, redirects included.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, get_args
from urllib.parse import urlencode, urljoin, urlsplit

import feedparser
import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from minwatch.spiders.items import DocumentKind, RawDocument, RawFormat
from minwatch.spiders.middlewares import is_quota_exhausted
from minwatch.spiders.safety import (
    EntityDeclarationsRefused,
    decode_body,
    looks_like_html,
    non_public_address,
    page_language,
    strip_entity_declarations,
    url_refusal,
)
from minwatch.spiders.settings import MINWATCH_MAX_PARSED_BYTES
from minwatch.spiders.state import CrawlState, IncrementalTracker, fingerprint_of
from minwatch.spiders.urls import (
    normalise_url,
    redact_text,
    strip_api_key,
    strip_api_keys_deep,
    url_origin,
)

Item = dict[str, Any]
SpiderOutput = Iterator[Item | Request]

# Network exceptions by class name: Scrapy wraps some Twisted errors and renames others
# between versions, and the short error class is what analysts filter on.
_ERROR_CLASSES = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "CannotResolveHostError": "dns",
    "DNSLookupError": "dns",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "ConnectError": "connection_failed",
    "ResponseDataLossError": "truncated",
    "PartialDownloadError": "truncated",
    "ConnectionLost": "truncated",
    "ConnectionDone": "truncated",
    "ResponseFailed": "truncated",
    "DownloadCancelledError": "too_large",
    "DecompressionBombRefused": "decompression_bomb",
    "TruncatedCompressedBody": "truncated",
    "PrivateAddressRefused": "private_address",
    "RefusedUrl": "refused_url",
    "NotSupported": "refused_url",  # a scheme without a download handler (file:, data:...)
    "SecretRefused": "secret_refused",
    "IgnoreRequest": "ignored",
}


class SpiderConfigError(ValueError):
    """A spider class is configured inconsistently; the message names the attributes."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def response_text(response: Response) -> str:
    """The body decoded with the declared or sniffed encoding (UTF-8 when nothing says)."""
    if isinstance(response, TextResponse):
        return response.text
    return response.body.decode("utf-8", errors="replace")


def _struct_time_to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    # feedparser normalises every parsed date to UTC.
    return datetime(*value[:6], tzinfo=UTC)


class BaseSpider(scrapy.Spider):
    """Common machinery: source naming, base_url override, date window, failures landed as data.

    Spider arguments: `base_url` replaces `default_base_url` (the flow points a spider at the
    loopback sample server with it); `state_path` is a `spiders.state.CrawlState` JSON file
    from the flow (validators for conditional GETs, identities already landed); `from_date`
    and `until_date` (ISO dates, both optional, inclusive) are the window of publication
    dates to collect: a source that can be searched by date maps them to its query, the others
    skip the entries whose known date lies outside it.
    """

    # BaseSpider
    source_name: ClassVar[str] = ""
    kind: ClassVar[DocumentKind | None] = None
    default_base_url: ClassVar[str] = ""
    language: ClassVar[str] = "en"
    # Spider arguments a leaf no longer takes -> their new name; a caller still passing one is
    # told, instead of crawling a window it did not ask for.
    renamed_arguments: ClassVar[Mapping[str, str]] = {}
    # Origins (scheme://host[:port]) the leaf's secrets may be sent to, besides its configured
    # base URL when that is https or on loopback (see `secret_origins`).
    secret_home_origins: ClassVar[tuple[str, ...]] = ()
    stop_reason: str | None = None  # set when the source must stop (quota); see middlewares

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.source_name:
            cls.name = cls.source_name

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        state_path: str | None = None,
        from_date: str | date | None = None,
        until_date: str | date | None = None,
        **kwargs: Any,
    ) -> None:
        self._argument_problems: list[str] = []
        cls = type(self).__name__
        for old in [name for name in kwargs if name in self.renamed_arguments]:
            kwargs.pop(old)
            new = self.renamed_arguments[old]
            self._argument_problems.append(
                f"{cls} got `{old}`, which is now `{new}`; pass `{new}` instead."
            )
        self.from_date = self._date_argument("from_date", from_date)
        self.until_date = self._date_argument("until_date", until_date)
        if self.from_date and self.until_date and self.from_date > self.until_date:
            self._argument_problems.append(
                f"{cls} got `from_date` {self.from_date} after `until_date` {self.until_date}; "
                "swap them."
            )
        super().__init__(*args, **kwargs)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.check_configuration()
        # A broken state file raises CrawlStateError: the crawl refuses rather than silently
        # refetching (or skipping) everything.
        self.incremental = IncrementalTracker(
            CrawlState.load(Path(state_path)) if state_path else None
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_item_scraped, signal=signals.item_scraped)
        return spider

    def _date_argument(self, name: str, value: str | date | None) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self._argument_problems.append(
                f"{type(self).__name__} got `{name}` {value!r}, which is not an ISO date "
                "(YYYY-MM-DD)."
            )
            return None

    def _on_item_scraped(self, item: Any) -> None:
        # item_scraped fires after the last pipeline (LandingWriter): the document has landed.
        if isinstance(item, RawDocument):
            self.incremental.landed(item.source_id)

    # -- configuration -------------------------------------------------------------------
    def configuration_problems(self) -> list[str]:
        """Sentences naming inconsistent attributes; subclasses extend the list."""
        cls = type(self).__name__
        problems = list(getattr(self, "_argument_problems", []))
        if not self.source_name:
            problems.append(f"{cls} does not set `source_name`; set it.")
        if self.kind not in get_args(DocumentKind):
            kinds = ", ".join(get_args(DocumentKind))
            problems.append(f"{cls} sets `kind` to {self.kind!r}; set one of {kinds}.")
        if not self.base_url.startswith(("http://", "https://")):
            problems.append(
                f"{cls} has no usable `default_base_url` or `base_url` ({self.base_url!r}); "
                "set one starting with http:// or https://."
            )
        return problems

    def check_configuration(self) -> None:
        if problems := self.configuration_problems():
            raise SpiderConfigError(" ".join(problems))

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never be stored or logged (API keys)."""
        return ()

    @property
    def secret_origins(self) -> dict[str, frozenset[str]]:
        """Each secret -> the origins it may be sent to (`SecretOriginMiddleware` enforces it).

        `secret_home_origins`, plus the configured base URL's origin when the key would travel
        encrypted (https) or not leave the machine (loopback, as in the demo and the tests).
        """
        if not self.secrets:
            return {}
        allowed = {url_origin(origin) for origin in self.secret_home_origins}
        base = urlsplit(self.base_url)
        if base.scheme == "https" or non_public_address(base.hostname or "") == "loopback":
            allowed.add(url_origin(self.base_url))
        return {secret: frozenset(allowed) for secret in self.secrets if secret}

    # -- date window ---------------------------------------------------------------------
    def outside_window(self, published: datetime | date | None) -> bool:
        """True (and counted) when `published` is known and outside [from_date, until_date].

        For sources that cannot be searched by date; an entry without a date is kept.
        """
        if published is None or not (self.from_date or self.until_date):
            return False
        day = published.astimezone(UTC).date() if isinstance(published, datetime) else published
        if (self.from_date and day < self.from_date) or (self.until_date and day > self.until_date):
            crawler = getattr(self, "crawler", None)  # None outside a crawl
            if crawler is not None and crawler.stats is not None:
                crawler.stats.inc_value("minwatch/skipped_outside_window")
            return True
        return False

    # -- limits --------------------------------------------------------------------------
    @property
    def max_parsed_bytes(self) -> int:
        """MINWATCH_MAX_PARSED_BYTES of this crawl (0: no cap)."""
        crawler = getattr(self, "crawler", None)  # None outside a crawl
        if crawler is None:
            return MINWATCH_MAX_PARSED_BYTES
        return crawler.settings.getint("MINWATCH_MAX_PARSED_BYTES", MINWATCH_MAX_PARSED_BYTES)

    def parsed_too_large(self, response: Response, size: int, what: str) -> Item | None:
        """The FetchFailure "parsed_too_large" when `size` bytes of parsed text is over the cap."""
        limit = self.max_parsed_bytes
        if limit <= 0 or size <= limit:
            return None
        return self.fetch_failure(
            url=response.url,
            error="parsed_too_large",
            message=(
                f"{what} holds {size} B of text once parsed, more than "
                f"MINWATCH_MAX_PARSED_BYTES ({limit} B); refused, nothing in it followed"
            ),
            http_status=response.status,
        )

    def canonical_id(self, url: str) -> str:
        """Normalised URL as the source's identity, independent of a `base_url` override.

        Against the loopback sample server the host and port change on every run; mapping
        them back to `default_base_url` keeps document ids stable, so a re-run is idempotent.
        """
        normalised = normalise_url(url)
        if self.default_base_url and self.base_url != self.default_base_url.rstrip("/"):
            override = normalise_url(self.base_url + "/").rstrip("/")
            if normalised == override or normalised.startswith(override + "/"):
                canonical = normalise_url(self.default_base_url + "/").rstrip("/")
                return canonical + normalised[len(override) :]
        return normalised

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def follow_link(self, page: Response | str, link: str, *, what: str = "link") -> str | Item:
        """`link`, found on `page`, made absolute (an HTML page's `<base href>` counts), or the
        FetchFailure "refused_url" to yield instead of a request when it is not an http(s) URL
        with a host.

        Every link a spider takes from a page passes here: a hostile page or feed naming
        `file:///etc/passwd`, `data:` or `ftp:` gets a recorded refusal, never a request.
        """
        if isinstance(page, Response):
            page_url, status = page.url, page.status
            absolute = page.urljoin(link.strip())
        else:
            page_url, status = page, None
            absolute = urljoin(page, link.strip())
        reason = url_refusal(absolute)
        if reason is None:
            return absolute
        shown = absolute if len(absolute) <= 200 else f"{absolute[:200]}... ({len(absolute)} chars)"
        return self.fetch_failure(
            url=shown,
            error="refused_url",
            message=f"{what} {shown} found on {page_url} refused: {reason}; not requested",
            http_status=status,
        )

    # -- incremental ---------------------------------------------------------------------
    def fingerprint(self, value: Any) -> str:
        """Hash of a JSON value as the source publishes it, independent of a base_url override."""
        encoded = json.dumps(value, sort_keys=True, default=str)
        if self.default_base_url and self.base_url != self.default_base_url.rstrip("/"):
            encoded = encoded.replace(self.base_url, self.default_base_url.rstrip("/"))
        return fingerprint_of(redact_text(encoded, self.secrets))

    def next_crawl_state(self) -> CrawlState:
        """State for the next crawl (the crawl process writes it when the spider closes)."""
        # Requests dropped after a stop (quota) never reached their pages.
        return self.incremental.next_state(complete=self.stop_reason is None)

    def seen_unchanged(self, source_id: str, fingerprint: str) -> bool:
        """True (and counted) when `source_id` landed before with the same fingerprint."""
        if not self.incremental.is_seen(source_id, fingerprint):
            return False
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("minwatch/skipped_seen")
        return True

    # -- requests ------------------------------------------------------------------------
    def request(
        self,
        url: str,
        callback: str,
        *,
        cb_kwargs: Mapping[str, Any] | None = None,
        meta: Mapping[str, Any] | None = None,
        accept_statuses: Iterable[int] = (),
        dont_filter: bool = False,
        headers: Mapping[str, str] | None = None,
        conditional: bool = False,
        fingerprint: str | None = None,
        next_page: bool = False,
    ) -> Request:
        """A request whose non-2xx answers and network errors land as FetchFailure.

        `callback` names a method; it receives 2xx responses and those in `accept_statuses`.
        `conditional` (list and feed pages): sent with the validators of the last crawl, and a
        304 answer is "not modified", nothing to parse. `fingerprint` (detail pages, with
        `minwatch_source_id` in `meta`): the document counts as seen with this fingerprint
        once the callback's document from this page has landed. `next_page`: the next page of
        the list being read, which MINWATCH_MAX_LINKS_PER_PAGE does not count.
        """
        request_meta = dict(meta or {})
        request_meta["minwatch_callback"] = callback
        request_meta["minwatch_accept"] = frozenset(accept_statuses)
        if conditional:
            request_meta["minwatch_conditional"] = True
        if next_page:
            request_meta["minwatch_next_page"] = True
        if fingerprint is not None:
            request_meta["minwatch_fingerprint"] = fingerprint
        return Request(
            url,
            callback=self._route,
            errback=self._on_error,
            cb_kwargs=dict(cb_kwargs or {}),
            meta=request_meta,
            dont_filter=dont_filter,
            headers=dict(headers or {}),
        )

    def _route(self, response: Response, **cb_kwargs: Any) -> SpiderOutput:
        request = response.request
        assert request is not None
        if is_quota_exhausted(response):
            yield from self.handle_request_failure(
                request,
                error="quota",
                message=self._error_body_message(response) or "quota exhausted",
                http_status=response.status,
            )
            self.stop_reason = "quota"
            raise CloseSpider("quota")
        if response.status == 304 and request.meta.get("minwatch_conditional"):
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value("minwatch/not_modified")
            self.logger.info("Not modified since the last crawl: %s", strip_api_key(request.url))
            return
        accepted = request.meta.get("minwatch_accept", frozenset())
        if not 200 <= response.status < 300 and response.status not in accepted:
            message = self._error_body_message(response) or f"HTTP {response.status}"
            yield from self.handle_request_failure(
                request,
                error=f"http_{response.status}",
                message=message,
                http_status=response.status,
            )
            return
        callback = getattr(self, request.meta["minwatch_callback"])
        fingerprint = request.meta.get("minwatch_fingerprint")
        source_id = request.meta.get("minwatch_source_id")
        if fingerprint is None or source_id is None:
            yield from callback(response, **cb_kwargs)
            return
        outputs = list(callback(response, **cb_kwargs))
        # A page that answered but could not be read (malformed body...) is not seen.
        if not any(isinstance(o, dict) and o.get("type") == "error" for o in outputs):
            self.incremental.page_parsed(source_id, fingerprint)
        yield from outputs

    def _on_error(self, failure: Failure) -> SpiderOutput:
        request = getattr(failure, "request", None)
        if request is None:
            self.logger.error("Request failed without a request attached: %s", failure.value)
            return
        exception = failure.value
        if self.stop_reason and type(exception).__name__ == "IgnoreRequest":
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value("minwatch/skipped_after_stop")
            return
        error = _ERROR_CLASSES.get(type(exception).__name__, "request_failed")
        if error == "ignored" and "robots.txt" in str(exception):
            error = "robots_disallowed"
        message = f"{type(exception).__name__}: {exception}"
        if error == "too_large" and not str(exception) and self.crawler is not None:
            # Scrapy cancels a body that outgrows the limit mid-stream without saying why.
            limit = request.meta.get(
                "download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            )
            message += f"the body grew past DOWNLOAD_MAXSIZE ({limit} B) while downloading"
        yield from self.handle_request_failure(
            request, error=error, message=message, http_status=None
        )

    def not_an_html_page(self, request: Request, response: Response) -> list[Any] | None:
        """What to land when an article page answered something else (a PDF, an image, an
        empty body): the failure, and what survives of the entry (`handle_request_failure`);
        None for an HTML page."""
        not_html = looks_like_html(response)
        if not_html is None:
            return None
        return list(
            self.handle_request_failure(
                request,
                error="not_html",
                message=f"article page is not HTML: {not_html}",
                http_status=response.status,
            )
        )

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        """Land the failure; subclasses may also land what survives (e.g. a feed entry)."""
        yield self.fetch_failure(
            url=request.url,
            error=error,
            message=message,
            http_status=http_status,
            source_id=request.meta.get("minwatch_source_id"),
        )

    @staticmethod
    def _error_body_message(response: Response) -> str | None:
        """The API's own error sentence when the body is JSON, else None."""
        try:
            payload = json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(payload, dict):
            return None
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        for key in ("message", "description", "errorMessage"):
            if isinstance(payload.get(key), str):
                parts = [payload[key]]
                if key == "message" and isinstance(payload.get("description"), str):
                    parts.append(payload["description"])
                return ": ".join(parts)
        return None

    # -- items ---------------------------------------------------------------------------
    def xml_without_entities(
        self, response: Response, what: str
    ) -> tuple[bytes | None, list[Item]]:
        """An XML body with its entity declarations removed, and the failures that says so.

        None instead of a body when a declaration cannot be removed: that body must reach no
        parser. `what` names the document in the message ("feed", "sitemap").
        """
        try:
            body, entities = strip_entity_declarations(response.body)
        except EntityDeclarationsRefused as exc:
            message = f"{what} refused unread: {exc}"
            return None, [self._xml_entities_failure(response, message)]
        if not entities:
            return body, []
        message = (
            f"{what} declares XML entities ({', '.join(entities[:8])}); "
            "refused, not expanded or fetched"
        )
        return body, [self._xml_entities_failure(response, message)]

    def _xml_entities_failure(self, response: Response, message: str) -> Item:
        return self.fetch_failure(
            url=response.url, error="xml_entities", message=message, http_status=response.status
        )

    def fetch_failure(
        self,
        *,
        url: str,
        error: str,
        message: str,
        http_status: int | None = None,
        source_id: str | None = None,
    ) -> Item:
        self.logger.warning("Fetch failure %s for %s: %s", error, strip_api_key(url), message)
        self.incremental.failed(error)
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"minwatch/failure/{error}")
        return {
            "type": "error",
            "source": self.source_name,
            "url": redact_text(strip_api_key(url), self.secrets),
            "source_id": source_id,
            "http_status": http_status,
            "error": error,
            "message": redact_text(message, self.secrets)[:2000],
            "occurred_at": utc_now(),
        }

    def raw_document(
        self,
        *,
        source_id: str,
        format: RawFormat,
        url: str,
        http_status: int,
        content_type: str | None = None,
        title: str | None = None,
        published_at: datetime | None = None,
        body: str | None = None,
        data: Mapping[str, Any] | None = None,
        language: str | None = None,
    ) -> Item:
        return {
            "type": "document",
            "source": self.source_name,
            "source_id": source_id,
            "format": format,
            "kind": self.kind,
            "url": strip_api_key(url),
            "fetched_at": utc_now(),
            "http_status": http_status,
            "content_type": content_type,
            "title": title.strip() if isinstance(title, str) and title.strip() else None,
            "published_at": published_at,
            "language": language or self.language,
            "body": body,
            "data": strip_api_keys_deep(dict(data)) if data is not None else None,
        }


class PaginatedAPISpider(BaseSpider):
    """A JSON API paged by page number or offset; one paged query per `queries()` entry.

    Paging stops when `page_index * page_size + len(records) >= total` (with `total_key`), or
    at the first short page (without); with `next_page_key` it follows the payload's own
    next-page link instead, until that is null. A non-2xx answer whose JSON error message is
    one of `no_data_messages` is an empty result, not a failure; so is a payload whose
    `total_key` is 0 and which has no `records_key` at all. A next-page link that is not
    http(s) lands a FetchFailure "refused_url" and ends that query's paging.
    """

    # PaginatedAPISpider
    api_path: ClassVar[str] = ""
    records_key: ClassVar[str] = ""
    total_key: ClassVar[str | None] = None
    page_param: ClassVar[str | None] = None  # page number, starting at `first_page`
    first_page: ClassVar[int] = 1
    offset_param: ClassVar[str | None] = None  # record offset, or page index (`offset_counts`)
    offset_counts: ClassVar[str] = "records"  # "records" | "pages"
    limit_param: ClassVar[str | None] = None
    page_size: int = 100  # also the `limit` spider argument
    max_pages: ClassVar[int] = 1000
    no_data_messages: ClassVar[tuple[str, ...]] = ()
    next_page_key: ClassVar[str | None] = None  # payload key of the next page's URL

    def __init__(self, *args: Any, limit: str | int | None = None, **kwargs: Any) -> None:
        # A spider argument, so tests can page through small samples.
        self.page_size = int(limit) if limit is not None else type(self).page_size
        super().__init__(*args, **kwargs)

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        cls = type(self).__name__
        if self.page_param and self.offset_param:
            problems.append(f"{cls} sets both `page_param` and `offset_param`; set one.")
        if not self.page_param and not self.offset_param:
            problems.append(f"{cls} sets neither `page_param` nor `offset_param`; set one.")
        if self.offset_counts not in {"records", "pages"}:
            problems.append(
                f"{cls} sets `offset_counts` to {self.offset_counts!r}; set 'records' or 'pages'."
            )
        if not self.records_key:
            problems.append(f"{cls} does not set `records_key`; set it.")
        if not self.api_path:
            problems.append(f"{cls} does not set `api_path`; set it.")
        if self.page_size < 1:
            problems.append(f"{cls} sets `page_size`/`limit` to {self.page_size}; set 1 or more.")
        return problems

    def queries(self) -> Iterable[dict[str, str]]:
        """Query parameters of each paged search (without paging parameters)."""
        return [{}]

    def parse_record(
        self, record: dict[str, Any], response: Response, query: Mapping[str, str]
    ) -> SpiderOutput:
        raise NotImplementedError(f"{type(self).__name__} must implement parse_record()")

    def extra_params(self) -> dict[str, str]:
        """Parameters sent with every page request but never stored (API keys)."""
        return {}

    async def start(self) -> AsyncIterator[Any]:
        for query in self.queries():
            yield self.page_request(query, 0)

    def page_request(self, query: Mapping[str, str], page_index: int) -> Request:
        params = dict(query)
        if self.page_param:
            params[self.page_param] = str(self.first_page + page_index)
        elif self.offset_param:
            offset = page_index if self.offset_counts == "pages" else page_index * self.page_size
            params[self.offset_param] = str(offset)
        if self.limit_param:
            params[self.limit_param] = str(self.page_size)
        params.update(self.extra_params())
        url = f"{self.url(self.api_path)}?{urlencode(params, safe='/,')}"
        return self.request(
            url,
            "parse_page",
            cb_kwargs={"query": dict(query), "page_index": page_index},
            accept_statuses=(400, 404) if self.no_data_messages else (),
            next_page=page_index > 0,
        )

    def parse_page(
        self, response: Response, query: Mapping[str, str], page_index: int
    ) -> SpiderOutput:
        request = response.request
        assert request is not None
        if not 200 <= response.status < 300:
            message = self._error_body_message(response)
            if message in self.no_data_messages:
                self.logger.info("No data for %s (page %d): %s", query, page_index, message)
                return
            yield from self.handle_request_failure(
                request,
                error=f"http_{response.status}",
                message=message or f"HTTP {response.status}",
                http_status=response.status,
            )
            return
        try:
            payload = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            yield self.fetch_failure(
                url=request.url,
                error="malformed_json",
                message=f"page {page_index} of {dict(query)} is not JSON: {exc}",
                http_status=response.status,
            )
            return
        records = payload.get(self.records_key) if isinstance(payload, dict) else None
        if isinstance(payload, dict) and records is None and payload.get(self.total_key or "") == 0:
            self.logger.info("No hits for %s", dict(query))
            return
        if not isinstance(records, list):
            yield self.fetch_failure(
                url=request.url,
                error="unexpected_payload",
                message=f"page {page_index} of {dict(query)} has no `{self.records_key}` list",
                http_status=response.status,
            )
            return
        for record in records:
            if isinstance(record, dict):
                yield from self.parse_record(record, response, query)
            else:
                yield self.fetch_failure(
                    url=request.url,
                    error="invalid_record",
                    message=f"a `{self.records_key}` entry is {type(record).__name__}, not object",
                    http_status=response.status,
                )
        if self.next_page_key:
            next_url = payload.get(self.next_page_key)
            if records and isinstance(next_url, str) and page_index + 1 < self.max_pages:
                target = self.follow_link(response, next_url, what="next page link")
                if not isinstance(target, str):
                    yield target
                    return
                yield self.request(
                    target,
                    "parse_page",
                    cb_kwargs={"query": dict(query), "page_index": page_index + 1},
                    accept_statuses=request.meta.get("minwatch_accept", ()),
                    next_page=True,
                )
        elif self._has_more(payload, records, page_index):
            yield self.page_request(query, page_index + 1)

    def _has_more(self, payload: dict[str, Any], records: list[Any], page_index: int) -> bool:
        if not records or page_index + 1 >= self.max_pages:
            return False
        seen = page_index * self.page_size + len(records)
        if self.total_key:
            total = payload.get(self.total_key)
            if isinstance(total, int | float):
                return seen < total
        return len(records) >= self.page_size


class FeedSpider(BaseSpider):
    """An RSS or Atom feed, then each entry's page.

    Lands one RawDocument (format "article_html") per entry with the page HTML. A page that
    fails (4xx/5xx/timeout) lands a FetchFailure for the entry's URL AND a RawDocument with
    format "feed_entry" built from the feed's own summary/content, so the news item is not
    lost. A malformed feed still yields whatever entries feedparser recovered; a malformed
    feed with no entries lands a FetchFailure "malformed_feed".

    Caveats (every feed leaf):
    - A feed cannot be queried by date: with `from_date` / `until_date`, entries whose
      published (else updated) date lies outside the window are skipped (stats
      minwatch/skipped_outside_window); entries without a date are kept.
    - An entry link that is not http(s) (file:, data:, ftp:...) lands a FetchFailure
      "refused_url" and nothing else: the entry is not landed from the feed either.
    - XML entity declarations are removed before parsing (FetchFailure "xml_entities"); a
      feed with a declaration that cannot be removed (even one quoted in a CDATA section) is
      refused unread. A feed whose entries hold more text than MINWATCH_MAX_PARSED_BYTES is
      refused ("parsed_too_large").
    """

    # FeedSpider
    feed_path: ClassVar[str] = ""

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        if not self.feed_path:
            problems.append(f"{type(self).__name__} does not set `feed_path`; set it.")
        return problems

    @property
    def feed_url(self) -> str:
        return self.url(self.feed_path)

    async def start(self) -> AsyncIterator[Any]:
        yield self.request(self.feed_url, "parse_feed", dont_filter=True, conditional=True)

    def parse_feed(self, response: Response) -> SpiderOutput:
        # feedparser drops most entity declarations itself; removing them first does not
        # depend on that, and says so in the run instead of in nobody's log.
        body, refusals = self.xml_without_entities(response, "feed")
        yield from refusals
        if body is None:
            return
        # Entry HTML lands raw and only its text is ever read (`html_fragment_to_text`), so
        # feedparser's sanitising and link rewriting, half its parse time, buy nothing here.
        parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
        entries = list(parsed.entries)
        if parsed.bozo and not entries:
            yield self.fetch_failure(
                url=response.url,
                error="malformed_feed",
                message=f"feed could not be parsed: {parsed.get('bozo_exception')}",
                http_status=response.status,
            )
            return
        if not entries:
            # An HTML "just a moment" page or an empty answer parses without complaint.
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            if parsed.get("version"):
                error, message = "empty_feed", f"the {parsed.version} feed has no entries"
            else:
                error = "not_a_feed"
                message = (
                    f"the answer ({len(response.body)} B, Content-Type {content_type or 'absent'})"
                    " is not an RSS or Atom feed"
                )
            yield self.fetch_failure(
                url=response.url, error=error, message=message, http_status=response.status
            )
            return
        if parsed.bozo:
            self.logger.warning(
                "Feed %s is malformed (%s); using the %d entries recovered",
                response.url,
                parsed.get("bozo_exception"),
                len(entries),
            )
        too_large = self.parsed_too_large(response, _entries_size(entries), "the feed")
        if too_large is not None:
            yield too_large
            return
        feed_title = parsed.feed.get("title")
        for entry in entries:
            link = entry.get("link")
            if not link:
                yield self.fetch_failure(
                    url=response.url,
                    error="entry_without_link",
                    message=f"feed entry {entry.get('id') or entry.get('title')!r} has no link",
                    http_status=response.status,
                )
                continue
            target = self.follow_link(response, link, what="feed entry link")
            if not isinstance(target, str):
                yield target
                continue
            info = self._entry_info(entry, target, feed_title, response)
            if self.outside_window(info["published_at"]):
                continue
            fingerprint = self.entry_fingerprint(entry)
            if self.seen_unchanged(info["source_id"], fingerprint):
                continue
            yield self.request(
                target,
                "parse_entry_page",
                cb_kwargs={"entry": info},
                meta={"minwatch_entry": info, "minwatch_source_id": info["source_id"]},
                fingerprint=fingerprint,
            )

    def entry_fingerprint(self, entry: Any) -> str:
        """The entry's updated (else published) date: a re-dated entry is fetched again.

        An entry with neither date is fingerprinted by its title and text instead.
        """
        for key in ("updated_parsed", "published_parsed"):
            when = _struct_time_to_datetime(entry.get(key))
            if when is not None:
                return when.isoformat()
        content = entry.get("content") or []
        return self.fingerprint(
            [entry.get("title"), entry.get("summary"), content[0].get("value") if content else None]
        )

    def _entry_info(
        self, entry: Any, link: str, feed_title: str | None, response: Response
    ) -> dict[str, Any]:
        content = entry.get("content") or []
        published = _struct_time_to_datetime(
            entry.get("published_parsed") or entry.get("updated_parsed")
        )
        return {
            "link": link,
            "source_id": self.canonical_id(link),
            "title": entry.get("title"),
            "published_at": published,
            "feed_status": response.status,
            "data": {
                "feed_title": feed_title,
                "feed_summary": entry.get("summary"),
                "feed_content": content[0].get("value") if content else None,
                "author": entry.get("author"),
                "categories": [t.get("term") for t in entry.get("tags") or [] if t.get("term")],
                "feed_url": response.url,
            },
        }

    def parse_entry_page(self, response: Response, entry: dict[str, Any]) -> SpiderOutput:
        request = response.request
        assert request is not None
        # Nothing of the page is usable: the entry lands from the feed's own text.
        if (refusal := self.not_an_html_page(request, response)) is not None:
            yield from refusal
            return
        decoded = decode_body(response)
        if decoded.error is not None and decoded.message is not None:
            yield self.fetch_failure(
                url=response.url,
                error=decoded.error,
                message=decoded.message,
                http_status=response.status,
                source_id=entry["source_id"],
            )
        language = page_language(decoded.text)
        if language is not None and language != self.language:
            # Landed under the language it is in, so the extractor does not read it as English.
            yield self.fetch_failure(
                url=response.url,
                error="unexpected_language",
                message=f"article page is in {language!r}; {self.source_name} publishes in "
                f"{self.language!r}",
                http_status=response.status,
                source_id=entry["source_id"],
            )
        content_type = response.headers.get("Content-Type")
        yield self.raw_document(
            source_id=entry["source_id"],
            format="article_html",
            url=entry["link"],
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=entry["title"],
            published_at=entry["published_at"],
            body=decoded.text,
            data=entry["data"],
            language=language or self.language,
        )

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        yield from super().handle_request_failure(
            request, error=error, message=message, http_status=http_status
        )
        entry = request.meta.get("minwatch_entry")
        if entry is None:
            return
        data = entry["data"]
        yield self.raw_document(
            source_id=entry["source_id"],
            format="feed_entry",
            url=entry["link"],
            http_status=entry["feed_status"],
            content_type="application/xml",
            title=entry["title"],
            published_at=entry["published_at"],
            body=data["feed_content"] or data["feed_summary"],
            data={**data, "page_error": error},
        )


class ListDetailSpider(BaseSpider):
    """A list page (HTML or JSON) linking to detail pages; follows the list's next-page link.

    HTML lists name their links with `detail_link_css` (a CSS selector ending in
    `::attr(href)`); JSON lists with `list_records_key` + `detail_link_json_key`. One
    RawDocument lands per detail page, with `title_css` as its title. A link that is not
    http(s) lands a FetchFailure "refused_url" instead of a request. A list cannot be queried
    by date: with `from_date` / `until_date`, a link whose list entry shows a date
    (`listed_published`) outside the window is skipped; the others are followed.
    """

    # ListDetailSpider
    list_path: ClassVar[str] = ""
    detail_link_css: ClassVar[str | None] = None
    next_page_css: ClassVar[str | None] = None
    list_records_key: ClassVar[str | None] = None
    detail_link_json_key: ClassVar[str | None] = None
    next_page_json_key: ClassVar[str | None] = None
    title_css: ClassVar[str] = "h1::text"
    published_css: ClassVar[str | None] = None
    detail_format: ClassVar[RawFormat] = "article_html"
    max_list_pages: int = 50  # a leaf may take it as a spider argument (MOFCOM's do)

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        cls = type(self).__name__
        if not self.list_path:
            problems.append(f"{cls} does not set `list_path`; set it.")
        if self.detail_link_css and self.detail_link_json_key:
            problems.append(
                f"{cls} sets both `detail_link_css` and `detail_link_json_key`; set one."
            )
        elif not self.detail_link_css and not self.detail_link_json_key:
            problems.append(
                f"{cls} sets neither `detail_link_css` nor `detail_link_json_key`; set one."
            )
        if self.detail_link_json_key and not self.list_records_key:
            problems.append(
                f"{cls} sets `detail_link_json_key` without `list_records_key`; set both."
            )
        if self.detail_link_css and (self.list_records_key or self.next_page_json_key):
            problems.append(
                f"{cls} sets `detail_link_css` with `list_records_key`/`next_page_json_key`;"
                " an HTML list uses CSS selectors only."
            )
        return problems

    async def start(self) -> AsyncIterator[Any]:
        # Lists are newest first: an unchanged (304) first page means nothing new further on.
        yield self.request(
            self.url(self.list_path),
            "parse_list",
            cb_kwargs={"page_number": 1},
            dont_filter=True,
            conditional=True,
        )

    def parse_list(self, response: Response, page_number: int) -> SpiderOutput:
        links: list[tuple[str, dict[str, Any]]] = []
        next_page: str | None = None
        if self.detail_link_css:
            if not isinstance(response, TextResponse):
                yield self.fetch_failure(
                    url=response.url,
                    error="unexpected_payload",
                    message="list page is not text",
                    http_status=response.status,
                )
                return
            for href in response.css(self.detail_link_css).getall():
                links.append((href, {}))
            if self.next_page_css:
                next_page = response.css(self.next_page_css).get()
        else:
            try:
                payload = json.loads(response.body)
            except (ValueError, UnicodeDecodeError) as exc:
                yield self.fetch_failure(
                    url=response.url,
                    error="malformed_json",
                    message=f"list page {page_number} is not JSON: {exc}",
                    http_status=response.status,
                )
                return
            assert self.list_records_key and self.detail_link_json_key
            records = payload.get(self.list_records_key) if isinstance(payload, dict) else None
            for record in records if isinstance(records, list) else []:
                link = record.get(self.detail_link_json_key) if isinstance(record, dict) else None
                if isinstance(link, str) and link:
                    links.append((link, record))
            if self.next_page_json_key and isinstance(payload, dict):
                candidate = payload.get(self.next_page_json_key)
                next_page = candidate if isinstance(candidate, str) else None
        for href, record in links:
            target = self.follow_link(response, href, what="list link")
            if not isinstance(target, str):
                yield target
                continue
            link = target
            if self.outside_window(self.listed_published(link, record)):
                continue
            info = {
                "source_id": self.canonical_id(link),
                "list_url": response.url,
                "record": record,
            }
            fingerprint = self.detail_fingerprint(link, record)
            if self.seen_unchanged(self.canonical_id(link), fingerprint):
                continue
            yield self.request(
                link,
                "parse_detail",
                cb_kwargs={"info": info},
                meta={"minwatch_source_id": info["source_id"]},
                fingerprint=fingerprint,
            )
        if next_page and page_number < self.max_list_pages:
            target = self.follow_link(response, next_page, what="next page link")
            if not isinstance(target, str):
                yield target
                return
            yield self.request(
                target,
                "parse_list",
                cb_kwargs={"page_number": page_number + 1},
                conditional=True,
                next_page=True,
            )

    def listed_published(self, link: str, record: Mapping[str, Any]) -> datetime | date | None:
        """The publication date the list shows for `link`, if any (for the date window)."""
        return None

    def detail_fingerprint(self, link: str, record: Mapping[str, Any]) -> str:
        """A JSON list record's hash (a changed date refetches the page); "" for HTML lists.

        An HTML list gives nothing but the link, so its pages are fetched once; leaves whose
        list shows a date override this to return it.
        """
        return self.fingerprint(record) if record else ""

    def parse_detail(self, response: Response, info: dict[str, Any]) -> SpiderOutput:
        title = published = None
        if isinstance(response, TextResponse):
            title = " ".join(t.strip() for t in response.css(self.title_css).getall()).strip()
            if self.published_css:
                published = _parse_datetime(response.css(self.published_css).get())
        content_type = response.headers.get("Content-Type")
        yield self.raw_document(
            source_id=info["source_id"],
            format=self.detail_format,
            url=response.url,
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=title or None,
            published_at=published,
            body=response_text(response),
            data={"list_url": info["list_url"], "list_record": info["record"] or None},
        )


def _entries_size(entries: Iterable[Any]) -> int:
    """UTF-8 bytes of the text feedparser made of a feed's entries."""
    size = 0
    for entry in entries:
        texts = [entry.get("title"), entry.get("summary"), entry.get("link")]
        texts += [c.get("value") for c in entry.get("content") or []]
        size += sum(len(t.encode("utf-8", "surrogatepass")) for t in texts if isinstance(t, str))
    return size


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
