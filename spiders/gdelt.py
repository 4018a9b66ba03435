"""GDELT DOC 2.0 API as a discovery feed of critical-minerals news, then each article page."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

from scrapy.http import Request, Response

from minwatch.spiders.base import ListDetailSpider, SpiderOutput, response_text
from minwatch.spiders.urls import normalise_url
from minwatch.spiders.vocabulary import checked_terms, data_lines, query_terms

DATA = Path(__file__).parent / "data"
QUERIES_PATH = DATA / "gdelt_queries.txt"
LANGUAGES_PATH = DATA / "gdelt_languages.tsv"
# GDELT tokenises titles and puts spaces before punctuation ("Chile : Codelco", "Japan ' s").
_SPACE_BEFORE = re.compile(r"\s+([,.:;!?%)\]])")
_SPACE_AFTER = re.compile(r"([(\[])\s+")
_POSSESSIVE = re.compile(r"\s+(['\u2019])\s*s\b")


@cache
def default_queries(path: Path = QUERIES_PATH) -> tuple[str, ...]:
    """The data file's queries, every term of them in the mineral vocabulary."""
    queries = data_lines(path)
    checked_terms([t for q in queries for t in query_terms(q)], path)
    return tuple(queries)


@cache
def language_codes(path: Path = LANGUAGES_PATH) -> dict[str, str]:
    return {
        name.strip().lower(): code.strip()
        for name, _, code in (line.partition("\t") for line in data_lines(path))
    }


def clean_title(title: str | None) -> str | None:
    if not title:
        return None
    cleaned = _POSSESSIVE.sub(r"\1s", title)
    cleaned = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", cleaned))
    return " ".join(cleaned.split()) or None


def parse_seendate(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def gdelt_datetime(day: date, *, end_of_day: bool = False) -> str:
    """A date as GDELT's YYYYMMDDHHMMSS (UTC): its first second, or its last one."""
    return day.strftime("%Y%m%d") + ("235959" if end_of_day else "000000")


class GdeltDocSpider(ListDetailSpider):
    """News about critical minerals found by the GDELT DOC 2.0 API, then each article page.

    Source: https://api.gdeltproject.org/api/v2/doc/doc?mode=ArtList&format=json (no key); one
    request per query in data/gdelt_queries.txt, then each listed article's page. Lands one
    RawDocument per article (format "article_html", kind "news").

    Caveats:
    - About one API request per 5 s per IP, or HTTP 429: the API host has its own download
      slot (DOWNLOAD_SLOTS, keyed by the real host) with a 5 s delay and concurrency 1; the
      article pages, on other hosts, use the ordinary per-domain politeness.
    - `{}` means no hits. Errors arrive as plain text with HTTP 200, and the JSON is
      sometimes malformed: both land as a FetchFailure ("api_error" / "malformed_json").
    - No excerpt: the text comes from the article page. A page that fails (4xx/5xx, timeout,
      robots.txt, not HTML) lands a FetchFailure AND the ArtList record itself as a
      RawDocument with format "feed_entry" (title, URL, seendate, language, domain; no
      body; `data.page_error` says why), as FeedSpider does for feeds: the news item is not
      lost, and the page is not counted as seen, so it is asked for again the next night.
    - Titles come from GDELT with the stray spaces before punctuation removed, published_at
      from `seendate` (when GDELT saw it), language from the English name.
    - Coverage is a rolling 3 months; a `from_date` further back finds nothing older.
    - Article links that are not http(s) land a FetchFailure "refused_url", never a request.
    - An article found by several queries is fetched and landed once.
    - Incremental: the API sends no validators, so every query is asked every night; an
      article whose API record (title, seendate...) is unchanged since it landed is not
      fetched again (ListDetailSpider.detail_fingerprint), one GDELT saw again is.

    Spider arguments: `from_date` / `until_date` (ISO dates, UTC, inclusive; sent as
    startdatetime (00:00:00) / enddatetime (23:59:59)), else `timespan` (default 2d);
    `queries` (queries separated by "||", default the data file); `max_records` (default 250);
    `base_url`.
    """

    # BaseSpider
    source_name = "gdelt"
    kind = "news"
    default_base_url = "https://api.gdeltproject.org"
    renamed_arguments = {"since": "from_date", "until": "until_date"}
    custom_settings = {
        "DOWNLOAD_DELAY": 1.0,  # default 1.0 (project settings): article pages, per domain
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,  # default 2 (project settings)
        # default {}: at most one API request every 5 s, whatever the article pages do
        "DOWNLOAD_SLOTS": {"api.gdeltproject.org": {"concurrency": 1, "delay": 5.0, "jitter": 0}},
    }

    # ListDetailSpider
    list_path = "/api/v2/doc/doc"
    list_records_key = "articles"
    detail_link_json_key = "url"

    # GdeltDocSpider
    sites_prefix: ClassVar[str] = "/gdelt/sites/"  # sample server: /gdelt/sites/<host>/<path>
    sort: ClassVar[str] = "DateDesc"

    def __init__(
        self,
        *args: Any,
        timespan: str = "2d",
        queries: str | None = None,
        max_records: str | int = 250,
        **kwargs: Any,
    ) -> None:
        self.timespan = timespan
        self.queries = (
            tuple(q.strip() for q in queries.split("||") if q.strip())
            if queries is not None
            else default_queries()
        )
        self.max_records = int(max_records)
        super().__init__(*args, **kwargs)

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        cls = type(self).__name__
        if not self.queries:
            problems.append(f"{cls} has no queries; give `queries` or fill {QUERIES_PATH.name}.")
        if not 1 <= self.max_records <= 250:
            problems.append(f"{cls} got `max_records` {self.max_records}; GDELT allows 1-250.")
        return problems

    def list_url(self, query: str) -> str:
        params = {
            "query": query,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": str(self.max_records),
            "sort": self.sort,
        }
        if self.from_date:
            params["startdatetime"] = gdelt_datetime(self.from_date)
        if self.until_date:
            params["enddatetime"] = gdelt_datetime(self.until_date, end_of_day=True)
        if not (self.from_date or self.until_date):
            params["timespan"] = self.timespan
        return f"{self.url(self.list_path)}?{urlencode(params)}"

    async def start(self) -> AsyncIterator[Any]:
        for query in self.queries:
            yield self.request(
                self.list_url(query), "parse_list", cb_kwargs={"page_number": 1}, dont_filter=True
            )

    def parse_list(self, response: Response, page_number: int) -> SpiderOutput:
        body = response_text(response).strip()
        if not body.startswith(("{", "[")):
            yield self.fetch_failure(
                url=response.url,
                error="api_error",
                message=f"GDELT answered with an error instead of JSON: {body[:300]!r}",
                http_status=response.status,
            )
            return
        try:
            # GDELT's JSON sometimes holds raw control characters inside titles.
            payload = json.loads(body, strict=False)
        except ValueError:
            yield from super().parse_list(response, page_number)  # lands "malformed_json"
            return
        if isinstance(payload, dict) and not payload:
            self.logger.info("No GDELT hits for %s", response.url)
            return
        yield from super().parse_list(response.replace(body=json.dumps(payload)), page_number)

    def canonical_id(self, url: str) -> str:
        """The article's own URL; sample copies live at <base>/gdelt/sites/<host>/<path>."""
        normalised = normalise_url(url)
        override = normalise_url(self.base_url + "/").rstrip("/") + self.sites_prefix
        if self.base_url != self.default_base_url and normalised.startswith(override):
            host, _, path = normalised[len(override) :].partition("/")
            return normalise_url(f"https://{host}/{path}")
        return normalised

    def record_language(self, record: Mapping[str, Any], url: str) -> str:
        """The ISO code of GDELT's language name ("und" for one the data file lacks)."""
        language = language_codes().get(str(record.get("language", "")).strip().lower())
        if language is None:
            self.logger.warning("Unknown GDELT language %r for %s", record.get("language"), url)
        return language or "und"

    def record_data(self, info: Mapping[str, Any]) -> dict[str, Any]:
        record = info.get("record") or {}
        return {
            "gdelt": record,
            "domain": record.get("domain") or urlsplit(info["source_id"]).hostname,
            "list_url": info.get("list_url"),
        }

    def parse_detail(self, response: Response, info: dict[str, Any]) -> SpiderOutput:
        request = response.request
        assert request is not None
        # A PDF or an image says nothing the record does not: the record lands instead.
        if (refusal := self.not_an_html_page(request, response)) is not None:
            yield from refusal
            return
        record = info.get("record") or {}
        content_type = response.headers.get("Content-Type")
        item = self.raw_document(
            source_id=info["source_id"],
            format="article_html",
            url=response.url,
            http_status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            title=clean_title(record.get("title")),
            published_at=parse_seendate(record.get("seendate")),
            body=response_text(response),
            data=self.record_data(info),
        )
        item["language"] = self.record_language(record, response.url)
        yield item

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        yield from super().handle_request_failure(
            request, error=error, message=message, http_status=http_status
        )
        info = request.cb_kwargs.get("info")
        if not isinstance(info, dict) or not info.get("record"):
            return  # an API page, not an article: no record to land
        record = info["record"]
        url = record.get("url") if isinstance(record.get("url"), str) else info["source_id"]
        # Not seen (no page_parsed for a failed page): the page is asked for again next night.
        item = self.raw_document(
            source_id=info["source_id"],
            format="feed_entry",
            url=url,
            # The ArtList answer the record comes from (only 2xx answers are read).
            http_status=200,
            content_type="application/json",
            title=clean_title(record.get("title")),
            published_at=parse_seendate(record.get("seendate")),
            body=None,
            data={**self.record_data(info), "page_error": error},
        )
        item["language"] = self.record_language(record, url)
        yield item
