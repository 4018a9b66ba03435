"""SAM.gov Get Opportunities v2: DLA Strategic Materials and critical-mineral notices."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy.http import Request, Response

from minwatch.spiders.base import Item, PaginatedAPISpider, SpiderOutput
from minwatch.spiders.urls import redact_text, url_origin
from minwatch.spiders.vocabulary import names_mineral

# The API answers 400 past "1 year(s) apart"; a 365-day window stays inside it in leap years.
MAX_WINDOW_DAYS = 365
DEFAULT_LOOKBACK_DAYS = 7


def date_windows(
    start: date, end: date, max_days: int = MAX_WINDOW_DAYS
) -> list[tuple[date, date]]:
    """Split [start, end] (inclusive) into consecutive windows of at most `max_days` days."""
    if end < start:
        raise ValueError(f"until_date {end} is before from_date {start}")
    windows = []
    cursor = start
    while cursor <= end:
        window_end = min(cursor + timedelta(days=max_days - 1), end)
        windows.append((cursor, window_end))
        cursor = window_end + timedelta(days=1)
    return windows


def parse_posted_date(value: Any) -> datetime | None:
    """postedDate is "YYYY-MM-DD" in practice, "YYYY-MM-DD HH:MM:SS" per the docs."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" ", "T", 1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class SamGovOpportunitiesSpider(PaginatedAPISpider):
    """SAM.gov contract opportunities from DLA Strategic Materials and mineral NAICS codes.

    Source: https://api.sam.gov/opportunities/v2/search (Get Opportunities Public API v2),
    then each kept notice's description from its `description` URL (noticedesc endpoint).

    Caveats:
    - The API key travels in the query string (the API requires `api_key`); it is read from
      the env var SAM_GOV_API_KEY only and is stripped from every stored URL and message. It
      is sent only to https://api.sam.gov and to the configured `base_url` when that is https
      or on loopback (`secret_origins`); a request carrying it anywhere else is refused
      ("secret_refused").
    - A record's `description` link gets the key only when it is on the API's own origin (the
      configured `base_url`); a link to any other origin is not requested at all: it lands a
      FetchFailure "foreign_link" and the notice lands without its description.
    - `offset` is the page INDEX, not a record offset; `limit` defaults to 1 server-side.
    - A search with no hits answers 404 "No Data found": an empty result, not a failure.
    - The daily quota answers 429 with code 900804: the spider lands a "quota" failure and
      stops for the night (retrying would only spend tomorrow's quota).
    - Relevance is decided before the description is fetched (each fetch costs quota): by
      office (SP8000), DLA Strategic Materials in the path, a mineral NAICS, or a mineral
      term in the title. A notice naming a mineral only in its description is missed unless
      one of the searches already returns it.
    - "Description Not Found" is not a failure of the notice, whether the endpoint says it
      with HTTP 404 or HTTP 200 (as a JSON error, a JSON `description`, or plain text): the
      notice lands with `description_html` None and `description_error` set, and counts as
      seen (asking again every night would spend quota on a description that is not there).

    Spider arguments: `from_date`, `until_date` (ISO dates, sent as postedFrom / postedTo;
    default: the 7 days up to today; split into windows of at most 365 days), `limit` (page
    size, default 1000), `base_url`.
    """

    # BaseSpider
    source_name = "sam_gov"
    kind = "procurement"
    default_base_url = "https://api.sam.gov"
    renamed_arguments = {"posted_from": "from_date", "posted_to": "until_date"}
    secret_home_origins = ("https://api.sam.gov",)
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # an API host; robots.txt is for crawlers of HTML
        "DOWNLOAD_DELAY": 1.0,
        "AUTOTHROTTLE_ENABLED": False,
        # One at a time: every request spends quota, and a quota answer must stop the next one.
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }

    # PaginatedAPISpider
    api_path = "/opportunities/v2/search"
    records_key = "opportunitiesData"
    total_key = "totalRecords"
    offset_param = "offset"
    offset_counts = "pages"
    limit_param = "limit"
    page_size = 1000
    no_data_messages = ("No Data found",)

    # SamGovOpportunitiesSpider
    api_key_env: ClassVar[str] = "SAM_GOV_API_KEY"
    office_codes: ClassVar[frozenset[str]] = frozenset({"SP8000"})
    mineral_naics_codes: ClassVar[tuple[str, ...]] = (
        "331410",  # nonferrous metal (except aluminum) smelting and refining
        "331491",  # nonferrous metal rolling, drawing, extruding
        "331492",  # secondary smelting, refining, alloying of nonferrous metal
        "212290",  # other metal ore mining
        "325180",  # other basic inorganic chemical manufacturing
        "331313",  # alumina refining and primary aluminum production
        "212230",  # copper, nickel, lead, and zinc mining
    )
    strategic_materials_path_terms: ClassVar[tuple[str, ...]] = ("STRATEGIC MATERIALS",)
    description_not_found: ClassVar[str] = "Description Not Found"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.api_key = os.environ.get(self.api_key_env, "").strip()
        self.seen_notice_ids: set[str] = set()
        super().__init__(*args, **kwargs)

    @property
    def posted_window(self) -> tuple[date, date]:
        """The postedFrom..postedTo span searched: the spider's window, else the last 7 days."""
        end = self.until_date or datetime.now(UTC).date()
        start = self.from_date or end - timedelta(days=DEFAULT_LOOKBACK_DAYS)
        return start, end

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        start, end = self.posted_window
        if self.from_date and not self.until_date and end < start:
            problems.append(
                f"{type(self).__name__} got `from_date` {start} after today ({end}, the "
                "default `until_date`); give an earlier `from_date`."
            )
        return problems

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key,) if self.api_key else ()

    def searches(self) -> list[dict[str, str]]:
        by_office = [{"organizationCode": code} for code in sorted(self.office_codes)]
        return by_office + [{"ncode": code} for code in self.mineral_naics_codes]

    def queries(self) -> Iterable[dict[str, str]]:
        for window_start, window_end in date_windows(*self.posted_window):
            for search in self.searches():
                yield {
                    "postedFrom": window_start.strftime("%m/%d/%Y"),
                    "postedTo": window_end.strftime("%m/%d/%Y"),
                    **search,
                }

    def extra_params(self) -> dict[str, str]:
        return {"api_key": self.api_key}

    async def start(self) -> Any:
        if not self.api_key:
            yield self.fetch_failure(
                url=self.url(self.api_path),
                error="missing_api_key",
                message=f"{self.api_key_env} is not set; the SAM.gov source cannot run.",
            )
            return
        async for request in super().start():
            yield request

    def is_relevant(self, record: Mapping[str, Any]) -> bool:
        path_codes = set(str(record.get("fullParentPathCode") or "").split("."))
        if path_codes & self.office_codes:
            return True
        naics = {record.get("naicsCode"), *(record.get("naicsCodes") or [])}
        if naics & set(self.mineral_naics_codes):
            return True
        path_name = str(record.get("fullParentPathName") or "").upper()
        if any(term in path_name for term in self.strategic_materials_path_terms):
            return True
        return names_mineral(record.get("title"))

    def parse_record(
        self, record: dict[str, Any], response: Response, query: Mapping[str, str]
    ) -> SpiderOutput:
        notice_id = record.get("noticeId")
        if not isinstance(notice_id, str) or not notice_id:
            yield self.fetch_failure(
                url=response.url,
                error="invalid_record",
                message=f"a record of search {dict(query)} has no noticeId",
                http_status=response.status,
            )
            return
        if notice_id in self.seen_notice_ids:
            return
        self.seen_notice_ids.add(notice_id)
        stats = self.crawler.stats if self.crawler is not None else None
        if not self.is_relevant(record):
            if stats is not None:
                stats.inc_value("minwatch/sam_gov/not_relevant")
            return
        # Edits to a notice show in its search record (dates, award, archive fields); a record
        # seen before unchanged is not worth a description fetch, which costs quota.
        fingerprint = self.fingerprint(record)
        if self.seen_unchanged(notice_id, fingerprint):
            return
        description_url = record.get("description")
        # The API gives an absolute URL; anything without a scheme is not a link to follow.
        if not isinstance(description_url, str) or not urlsplit(description_url.strip()).scheme:
            self.incremental.page_parsed(notice_id, fingerprint)
            yield self.notice_document(record, description_html=None, description_error=None)
            return
        target = self.follow_link(response, description_url, what="description link")
        if not isinstance(target, str):
            yield from self._description_refused(record, target)
            return
        if url_origin(target) != url_origin(self.base_url):
            # The key may only go to the API; the other host gets no request at all.
            failure = self.fetch_failure(
                url=target,
                error="foreign_link",
                message=(
                    f"description link of notice {notice_id} points at {url_origin(target)}, "
                    f"not the API ({url_origin(self.base_url)}); not requested"
                ),
                http_status=response.status,
                source_id=notice_id,
            )
            yield from self._description_refused(record, failure)
            return
        separator = "&" if "?" in target else "?"
        yield self.request(
            f"{target}{separator}api_key={self.api_key}",
            "parse_description",
            cb_kwargs={"record": record},
            meta={"minwatch_record": record, "minwatch_source_id": notice_id},
            accept_statuses=(404,),
            fingerprint=fingerprint,
        )

    def _description_refused(self, record: dict[str, Any], failure: Item) -> SpiderOutput:
        """The failure about a description link not followed, then the notice without it."""
        failure["source_id"] = failure.get("source_id") or record.get("noticeId")
        yield failure
        yield self.notice_document(
            record,
            description_html=None,
            description_error=f"{failure['error']}: {failure['message']}",
        )

    def says_description_not_found(self, response: Response) -> bool:
        """The endpoint's "Description Not Found", in any of the forms it arrives in."""
        message = self._error_body_message(response)
        if message is None:
            # Plain text, possibly quoted: "Description Not Found".
            message = response.body[:200].decode("utf-8", errors="replace").strip().strip("\"'")
        return message.strip().rstrip(".").casefold() == self.description_not_found.casefold()

    def parse_description(self, response: Response, record: dict[str, Any]) -> SpiderOutput:
        request = response.request
        assert request is not None
        if self.says_description_not_found(response):
            # The notice itself is whole; a description that does not exist is not a failure.
            yield self.notice_document(
                record, description_html=None, description_error=self.description_not_found
            )
            return
        if response.status == 404:
            message = self._error_body_message(response)
            yield from self.handle_request_failure(
                request, error="http_404", message=message or "HTTP 404", http_status=404
            )
            return
        try:
            payload = json.loads(response.body)
            description = payload["description"]
            if description is not None and not isinstance(description, str):
                raise TypeError(f"`description` is {type(description).__name__}")
        except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
            yield from self.handle_request_failure(
                request,
                error="malformed_json",
                message=f"description of {record.get('noticeId')} unreadable: {exc}",
                http_status=response.status,
            )
            return
        yield self.notice_document(record, description_html=description, description_error=None)

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        yield from super().handle_request_failure(
            request, error=error, message=message, http_status=http_status
        )
        record = request.meta.get("minwatch_record")
        if record is not None:
            # The notice itself was fetched; only its description is missing.
            yield self.notice_document(
                record, description_html=None, description_error=f"{error}: {message}"
            )

    def notice_document(
        self,
        record: dict[str, Any],
        *,
        description_html: str | None,
        description_error: str | None,
    ) -> dict[str, Any]:
        notice_id = str(record["noticeId"])
        ui_link = record.get("uiLink")
        if not isinstance(ui_link, str) or not ui_link.startswith("http"):
            ui_link = f"https://sam.gov/opp/{notice_id}/view"
        return self.raw_document(
            source_id=notice_id,
            format="sam_opportunity",
            url=ui_link,
            http_status=200,
            content_type="application/json",
            title=record.get("title"),
            published_at=parse_posted_date(record.get("postedDate")),
            data={
                **record,
                "description_html": description_html,
                "description_error": (
                    redact_text(description_error, self.secrets) if description_error else None
                ),
            },
        )
