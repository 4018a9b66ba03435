"""Federal Register public inspection desk: BIS documents filed for publication, before it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy.http import Request, Response

from minwatch.spiders.base import SpiderOutput
from minwatch.spiders.federal_register import FederalRegisterSpider, agency_slugs


class FederalRegisterPublicInspectionSpider(FederalRegisterSpider):
    """Federal Register public inspection: BIS documents on the desk, before publication.

    Source: https://www.federalregister.gov/api/v1/public-inspection-documents/current.json
    (every document on the current desk), or with `mode=search` the search
    `/api/v1/public-inspection-documents.json?conditions[agencies][]=industry-and-security-bureau`
    (`conditions[available_on]`, `conditions[special_filing]`); then each kept document's
    `raw_text_url`. Documents of other agencies are skipped. One RawDocument per document number
    (format "federal_register", `data.public_inspection` true): the same identity as the
    published document (`fr:<document_number>`), which becomes a new version of it.

    Caveats:
    - The desk lists a document from its filing (`filed_at`, `filing_type` "special" for an
      expedited filing) until its publication day (`publication_date`, the scheduled one). A
      document withdrawn before publication keeps its place on the desk with
      `publication_date` null and an `editorial_note`: it is skipped, not landed.
    - The desk sends no ETag or Last-Modified [T]: current.json is asked for conditionally
      (validators are used if it ever sends them) and read in full; a document whose record
      (less `page_views` and `excerpts`) is unchanged since it landed is not fetched again.
    - The record has no abstract, action or effective date: the converter reads the whole filed
      text instead, and the effective date from its "DATES:" paragraph.
    - A BIS rule naming a critical mineral lands as kind "export_control", like the published
      one; the rest of BIS as "regulation".
    - Between midnight and 8:45 ET the real desk answers yesterday's leftovers with a
      `pil_unavailability_message` [T]; they are documents already seen.

    Spider arguments: `mode` ("current", default, or "search"), `available_on` (ISO date, search
    mode; default today, UTC), `special_filing` ("1" expedited only, "0" regular only; search
    mode), `limit` (per_page of the search, default 100), `base_url`.
    """

    # BaseSpider
    source_name = "federal_register_pi"
    kind = "regulation"
    default_base_url = "https://www.federalregister.gov"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # default True (project settings); an API, documented for programs
        "DOWNLOAD_DELAY": 1.0,  # default 1.0 (project settings); stated: the API has no quota
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,  # default 2 (project settings)
    }

    # PaginatedAPISpider
    api_path = "/api/v1/public-inspection-documents.json"
    records_key = "results"
    total_key = "count"
    page_param = "page"
    limit_param = "per_page"
    page_size = 100
    # next_page_key: "next_page_url", as the documents search (current.json has none)

    # FederalRegisterSpider
    full_text_keys = ("raw_text_url",)
    unfingerprinted_fields = ("excerpts", "page_views")

    # FederalRegisterPublicInspectionSpider
    current_path: ClassVar[str] = "/api/v1/public-inspection-documents/current.json"
    modes: ClassVar[tuple[str, ...]] = ("current", "search")

    def __init__(
        self,
        *args: Any,
        mode: str = "current",
        available_on: str | None = None,
        special_filing: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.mode = mode
        self.available_on = available_on
        self.special_filing = special_filing
        # The published documents' searches do not apply to the desk.
        super().__init__(*args, document_types="", search_terms="", **kwargs)

    def configuration_problems(self) -> list[str]:
        # The desk is not searched by publication date nor by term: skip the parent's checks.
        problems = super(FederalRegisterSpider, self).configuration_problems()
        cls = type(self).__name__
        if self.mode not in self.modes:
            problems.append(f"{cls} got `mode` {self.mode!r}; give one of {', '.join(self.modes)}.")
        if self.special_filing not in (None, "", "0", "1"):
            problems.append(f"{cls} got `special_filing` {self.special_filing!r}; give 0 or 1.")
        if self.mode != "search" and (self.available_on or self.special_filing):
            problems.append(
                f"{cls} got `available_on`/`special_filing` with `mode` {self.mode!r}; they "
                "are conditions of `mode=search`."
            )
        if self.available_on:
            self._date_argument("available_on", self.available_on)
            problems.extend(p for p in self._argument_problems if p not in problems)
        return problems

    def queries(self) -> Iterable[dict[str, str]]:
        if self.mode == "current":
            yield {}
            return
        query = {
            "conditions[agencies][]": self.agency_slug,
            "conditions[available_on]": self.available_on or datetime.now(UTC).date().isoformat(),
        }
        if self.special_filing:
            query["conditions[special_filing]"] = self.special_filing
        yield query

    def page_request(self, query: Mapping[str, str], page_index: int) -> Request:
        if self.mode == "current":
            return self.request(
                self.url(self.current_path),
                "parse_page",
                cb_kwargs={"query": {}, "page_index": 0},
                dont_filter=True,
                conditional=True,
            )
        # The search answers every field without `fields[]`.
        request = super(FederalRegisterSpider, self).page_request(query, page_index)
        if page_index == 0:
            request.meta["minwatch_conditional"] = True
        return request

    def parse_record(
        self, record: dict[str, Any], response: Response, query: Mapping[str, str]
    ) -> SpiderOutput:
        if self.agency_slug not in agency_slugs(record):
            self._count("minwatch/skipped_other_agency")
            return
        if not record.get("publication_date"):
            # Withdrawn (or not yet scheduled): nothing will be published under this number.
            self._count("minwatch/skipped_unscheduled")
            self.logger.info(
                "Public inspection document %s has no publication date (%s); skipped",
                record.get("document_number"),
                record.get("editorial_note") or "no editorial note",
            )
            return
        yield from super().parse_record(record, response, query)

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def fr_document(
        self,
        record: dict[str, Any],
        *,
        full_text: str | None,
        full_text_key: str | None,
        full_text_error: str | None,
    ) -> dict[str, Any]:
        item = super().fr_document(
            record,
            full_text=full_text,
            full_text_key=full_text_key,
            full_text_error=full_text_error,
        )
        item["data"]["public_inspection"] = True
        return item
