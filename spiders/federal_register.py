"""Federal Register API v1: BIS rules and notices, and documents about critical minerals.

Also the converter of the "federal_register" landed format (registered in
`spiders.documents.CONVERTERS` when this module is imported; `spiders.documents.to_document`
imports every registered leaf).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from scrapy.http import Request, Response

from minwatch.spiders import documents
from minwatch.spiders.base import PaginatedAPISpider, SpiderOutput, response_text
from minwatch.spiders.documents import Document, DocumentError, html_fragment_to_text
from minwatch.spiders.items import RawDocument
from minwatch.spiders.vocabulary import checked_terms, data_lines, names_mineral

TERMS_PATH = Path(__file__).parent / "data" / "federal_register_terms.txt"
DEFAULT_LOOKBACK_DAYS = 30
# An Export Control Classification Number: category digit, product group A-E, three digits
# (e.g. 1C999, 3A090); a trailing paragraph (".a") belongs to the same entry.
ECCN = re.compile(r"(?<![\w.-])([0-9][A-E][0-9]{3})(?:\.[a-z0-9]+)*(?![\w-])")
FR_CITATION = re.compile(r"\b\d{1,3} FR \d{1,6}\b")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")
# Lines of the GPO text rendition that are filing metadata, not the document.
_TRAILER = re.compile(r"^(\[FR Doc\. .*\]|BILLING CODE .*)$", re.MULTILINE)
_SUPPLEMENTARY = re.compile(r"SUPPLEMENTARY INFORMATION:?", re.IGNORECASE)


@cache
def default_search_terms(path: Path = TERMS_PATH) -> str:
    """The full-text query: the data file's terms (each in the mineral vocabulary) joined with
    OR, phrases quoted."""
    terms = checked_terms(data_lines(path), path)
    return " OR ".join(f'"{t}"' if " " in t else t for t in terms)


def agency_slugs(record: Mapping[str, Any]) -> set[str]:
    agencies = record.get("agencies")
    if not isinstance(agencies, list):
        return set()
    return {str(a["slug"]) for a in agencies if isinstance(a, dict) and a.get("slug")}


class FederalRegisterSpider(PaginatedAPISpider):
    """Federal Register: Bureau of Industry and Security documents, and critical-mineral ones.

    Source: https://www.federalregister.gov/api/v1/documents.json (no key), one search per
    document type with `conditions[agencies][]=industry-and-security-bureau`, plus one
    full-text search (`conditions[term]`, terms in data/federal_register_terms.txt) across all
    agencies; then each document's full text from `raw_text_url` (`body_html_url` if that
    fails). One RawDocument per document number (format "federal_register").

    Caveats:
    - The result `type` is the display name ("Rule"), the filter code is upper case ("RULE").
    - Paging follows `next_page_url` as given: it carries an opaque `search_after_cursor` for
      large result sets and a plain `page=N` for small ones; it is null on the last page.
    - A zero-hit search answers just `{"count":0}` (no `results`): an empty result.
    - One search per document type, so each result set stays small (`count` is clamped at
      10000 and deep pages answer 400).
    - A document found by several searches lands once (deduplicated by document_number).
    - Incremental: a document whose API record (less the query-dependent `excerpts`) is
      unchanged since it last landed with its full text is skipped, so a night over an
      unchanged register asks for the search pages only; a corrected record (new title,
      effective date, full-text URL...) is fetched again. The API sends no validators.
    - A BIS rule naming a critical mineral lands as kind "export_control", everything else as
      "regulation"; the converter reads its ECCNs and amended FR citations.
    - A missing full text is recorded as a FetchFailure and in `full_text_error`; the document
      still lands from its API record. A full-text URL that is not http(s) is not requested
      ("refused_url") and counts as a missing rendition.

    Spider arguments: `from_date` (ISO date, sent as conditions[publication_date][gte]; from
    the flow's watermark; default 30 days ago), `until_date` (ISO date, optional, sent as
    conditions[publication_date][lte]), `document_types` (comma-separated filter codes,
    default RULE,PRORULE,NOTICE), `search_terms` (full-text query; "" skips that search),
    `limit` (per_page, default 100), `base_url`.
    """

    # BaseSpider
    source_name = "federal_register"
    kind = "regulation"
    default_base_url = "https://www.federalregister.gov"
    renamed_arguments = {"published_from": "from_date", "published_to": "until_date"}
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # default True (project settings); an API, documented for programs
        "DOWNLOAD_DELAY": 1.0,  # default 1.0 (project settings); stated: the API has no quota
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,  # default 2 (project settings)
    }

    # PaginatedAPISpider
    api_path = "/api/v1/documents.json"
    records_key = "results"
    total_key = "count"
    page_param = "page"
    limit_param = "per_page"
    page_size = 100
    next_page_key = "next_page_url"

    # FederalRegisterSpider
    agency_slug: ClassVar[str] = "industry-and-security-bureau"
    export_control_authority: ClassVar[str] = "BIS"
    default_document_types: ClassVar[tuple[str, ...]] = ("RULE", "PRORULE", "NOTICE")
    rule_type: ClassVar[str] = "Rule"  # display name of a final or interim final rule
    fields: ClassVar[tuple[str, ...]] = (
        "document_number",
        "title",
        "type",
        "abstract",
        "html_url",
        "pdf_url",
        "publication_date",
        "effective_on",
        "raw_text_url",
        "body_html_url",
        "agencies",
        "action",
        "citation",
        "docket_ids",
        "regulation_id_numbers",
        "cfr_references",
        "dates",
        "excerpts",
    )
    full_text_keys: ClassVar[tuple[str, ...]] = ("raw_text_url", "body_html_url")
    # Search snippets around the matched terms: they differ by query, not by document.
    unfingerprinted_fields: ClassVar[tuple[str, ...]] = ("excerpts",)

    def __init__(
        self,
        *args: Any,
        document_types: str | None = None,
        search_terms: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.document_types = tuple(
            t.strip().upper()
            for t in (document_types.split(",") if document_types is not None else [])
            if t.strip()
        ) or (self.default_document_types if document_types is None else ())
        self.term_query = default_search_terms() if search_terms is None else search_terms
        self.seen_numbers: set[str] = set()
        super().__init__(*args, **kwargs)

    @property
    def published_from(self) -> date:
        """The first publication date searched: `from_date`, else 30 days ago."""
        return self.from_date or datetime.now(UTC).date() - timedelta(days=DEFAULT_LOOKBACK_DAYS)

    def configuration_problems(self) -> list[str]:
        problems = super().configuration_problems()
        if self.until_date and not self.from_date and self.until_date < self.published_from:
            problems.append(
                f"{type(self).__name__} got `until_date` {self.until_date} before the default "
                f"`from_date` ({self.published_from}, {DEFAULT_LOOKBACK_DAYS} days ago); give "
                "a `from_date` too."
            )
        if not self.document_types and not self.term_query.strip():
            problems.append(
                f"{type(self).__name__} has no `document_types` and no `search_terms`; "
                "give at least one."
            )
        return problems

    # -- searches ----------------------------------------------------------------------
    def _date_conditions(self) -> dict[str, str]:
        conditions = {"conditions[publication_date][gte]": self.published_from.isoformat()}
        if self.until_date is not None:
            conditions["conditions[publication_date][lte]"] = self.until_date.isoformat()
        return conditions

    def queries(self) -> Iterable[dict[str, str]]:
        for code in self.document_types:
            yield {
                "conditions[agencies][]": self.agency_slug,
                "conditions[type][]": code,
                **self._date_conditions(),
                "order": "oldest",
            }
        if self.term_query.strip():
            yield {
                "conditions[term]": self.term_query,
                **self._date_conditions(),
                "order": "oldest",
            }

    def page_request(self, query: Mapping[str, str], page_index: int) -> Request:
        request = super().page_request(query, page_index)
        # `fields[]` repeats, which the base class's dict of parameters cannot express.
        return request.replace(
            url=f"{request.url}&{urlencode([('fields[]', f) for f in self.fields])}"
        )

    # -- documents ---------------------------------------------------------------------
    def parse_record(
        self, record: dict[str, Any], response: Response, query: Mapping[str, str]
    ) -> SpiderOutput:
        number = record.get("document_number")
        if not isinstance(number, str) or not number.strip():
            yield self.fetch_failure(
                url=response.url,
                error="invalid_record",
                message=f"a result of search {dict(query)} has no document_number",
                http_status=response.status,
            )
            return
        if number in self.seen_numbers:
            return
        self.seen_numbers.add(number)
        if self.seen_unchanged(number, self.record_fingerprint(record)):
            return
        yield from self.full_text_request(record, tried=(), errors=())

    def record_fingerprint(self, record: Mapping[str, Any]) -> str:
        """Hash of the API record: a record corrected since it landed is fetched again."""
        return self.fingerprint(
            {k: v for k, v in record.items() if k not in self.unfingerprinted_fields}
        )

    def full_text_request(
        self, record: dict[str, Any], *, tried: tuple[str, ...], errors: tuple[str, ...]
    ) -> SpiderOutput:
        """The next full-text URL not yet tried, or the document without its full text."""
        for key in self.full_text_keys:
            url = record.get(key)
            if key in tried or not isinstance(url, str) or not url.strip():
                continue
            target = self.follow_link(self.base_url + "/", url, what=f"{key} of the API record")
            if not isinstance(target, str):
                target["source_id"] = record["document_number"]
                yield target
                tried, errors = (*tried, key), (*errors, f"{key}: {target['message']}")
                continue
            state = {"record": record, "key": key, "tried": (*tried, key), "errors": errors}
            yield self.request(
                target,
                "parse_full_text",
                cb_kwargs={"state": state},
                meta={
                    "minwatch_full_text": state,
                    "minwatch_source_id": record["document_number"],
                },
                # Seen once the document lands with this full text; landed without any
                # (both renditions failed), it is asked for again next night.
                fingerprint=self.record_fingerprint(record),
            )
            return
        yield self.fr_document(
            record,
            full_text=None,
            full_text_key=None,
            full_text_error="; ".join(errors) or "no raw_text_url or body_html_url",
        )

    def parse_full_text(self, response: Response, state: dict[str, Any]) -> SpiderOutput:
        text = response_text(response)
        if not text.strip():
            yield from self.handle_request_failure(
                response.request,  # type: ignore[arg-type]
                error="empty_body",
                message=f"{state['key']} of {state['record']['document_number']} is empty",
                http_status=response.status,
            )
            return
        yield self.fr_document(
            state["record"],
            full_text=text,
            full_text_key=state["key"],
            full_text_error="; ".join(state["errors"]) or None,
        )

    def handle_request_failure(
        self, request: Request, *, error: str, message: str, http_status: int | None
    ) -> SpiderOutput:
        yield from super().handle_request_failure(
            request, error=error, message=message, http_status=http_status
        )
        state = request.meta.get("minwatch_full_text")
        if state is not None:
            # The record itself arrived; try the other rendition, else land it without text.
            yield from self.full_text_request(
                state["record"],
                tried=state["tried"],
                errors=(*state["errors"], f"{state['key']}: {error}: {message}"),
            )

    def is_export_control(self, record: Mapping[str, Any], full_text: str | None) -> bool:
        if self.agency_slug not in agency_slugs(record) or record.get("type") != self.rule_type:
            return False
        about = " ".join(str(record.get(k) or "") for k in ("title", "abstract"))
        return names_mineral(about) or names_mineral(full_text)

    def fr_document(
        self,
        record: dict[str, Any],
        *,
        full_text: str | None,
        full_text_key: str | None,
        full_text_error: str | None,
    ) -> dict[str, Any]:
        number = str(record["document_number"])
        url = record.get("html_url")
        published = record.get("publication_date")
        item = self.raw_document(
            source_id=number,
            format="federal_register",
            url=url if isinstance(url, str) and url else self.url(f"/d/{number}"),
            http_status=200,
            content_type="application/json",
            title=record.get("title"),
            published_at=_midnight_utc(published),
            data={
                **record,
                "full_text": full_text,
                "full_text_format": (
                    "html" if full_text_key == "body_html_url" else "text" if full_text else None
                ),
                "full_text_error": full_text_error,
                "authority": self.export_control_authority,
            },
        )
        if self.is_export_control(record, full_text):
            item["kind"] = "export_control"
        return item


def _midnight_utc(value: Any) -> datetime | None:
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# -- converter --------------------------------------------------------------------------------
def _unwrap(text: str) -> str:
    """Paragraphs of the GPO text rendition, hard-wrapped at 70 columns, as one line each."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def full_text_body(data: Mapping[str, Any]) -> str:
    """The document's text after its preamble (the API record already holds the preamble)."""
    raw = data.get("full_text")
    if not isinstance(raw, str) or not raw.strip():
        return ""
    if data.get("full_text_format") == "html":
        text = html_fragment_to_text(raw).replace("\n", "\n\n")
    elif "<pre" in raw.lower():
        # federalregister.gov sometimes serves the text rendition wrapped in <html><pre>.
        text = _unwrap(BeautifulSoup(raw, "lxml").get_text())
    else:
        text = _unwrap(_TRAILER.sub("", raw))
    # A document on public inspection has no API preamble: its filed text is the whole of it.
    marker = None if data.get("public_inspection") else _SUPPLEMENTARY.search(text)
    if marker:
        text = text[marker.end() :]
    text = _TRAILER.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def eccns(text: str) -> list[str]:
    """ECCNs named in `text`, first mention first, without paragraph suffixes."""
    return list(dict.fromkeys(m.group(1) for m in ECCN.finditer(text)))


def amended_citations(text: str, own_citation: str | None = None) -> list[str]:
    """FR citations of the sentences that say they amend or correct an earlier rule."""
    found: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if re.search(r"\b(amend|amends|amending|correct|corrects|revises)\b", sentence, re.I):
            found.extend(c for c in FR_CITATION.findall(sentence) if c != own_citation)
    return list(dict.fromkeys(found))


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


_DATES = re.compile(r"\bDATES?:(?P<paragraph>.{0,600}?)(?:\n\n|$)", re.DOTALL)
_EFFECTIVE = re.compile(
    r"\beffective\s+(?:on\s+)?(?P<month>[A-Z][a-z]+)\s+(?P<d>\d{1,2}),\s+(?P<y>\d{4})"
)


def effective_date_in(text: str) -> str | None:
    """The ISO date of "This rule is effective March 5, 2026" in the DATES paragraph, if any.

    A filed document on public inspection has no `effective_on` field: its text says it.
    """
    paragraph = _DATES.search(text)
    found = _EFFECTIVE.search(paragraph["paragraph"]) if paragraph else None
    if found is None:
        return None
    try:
        month = datetime.strptime(found["month"], "%B").month
        return date(int(found["y"]), month, int(found["d"])).isoformat()
    except ValueError:
        return None


def federal_register_document(raw: RawDocument) -> Document:
    data = raw.data
    if not isinstance(data, dict) or not _str(data.get("document_number")):
        raise DocumentError(f"{raw.source} {raw.source_id}: Federal Register record without data")
    number = str(data["document_number"]).strip()
    title = raw.title or _str(data.get("title"))
    body = full_text_body(data)
    # No title in the text: the extractor reads the title in front of it already, and a
    # second copy counted its figures twice.
    parts = [
        f"Action: {a}" if (a := _str(data.get("action"))) else None,
        f"Dates: {d}" if (d := _str(data.get("dates"))) else None,
        f"Summary: {s}" if (s := _str(data.get("abstract"))) else None,
        body or None,
    ]
    text = "\n\n".join(p for p in parts if p)
    if not text:
        raise DocumentError(f"{raw.source} {raw.source_id}: no text in the record")
    announcement: dict[str, object] | None = None
    if raw.kind == "export_control":
        announcement = {
            "authority": _str(data.get("authority"))
            or FederalRegisterSpider.export_control_authority,
            "number": number,
            "title": title,
            "language": "en",
            "issued_on": _str(data.get("publication_date")),
            "effective_on": _str(data.get("effective_on")),
            "items": [
                {"code": code, "description": "", "hs_codes": []}
                for code in eccns(" ".join(p for p in parts[3:] if p))
            ],
            "suspends": [],
            "amends": amended_citations(body, _str(data.get("citation"))),
            "suspended_until": None,
        }
        if data.get("public_inspection"):
            # Filed, not yet published: `issued_on` is the scheduled publication date.
            announcement["effective_on"] = announcement["effective_on"] or effective_date_in(body)
            announcement["pre_publication"] = True
            announcement["scheduled_publication_date"] = _str(data.get("publication_date"))
            announcement["filed_at"] = _str(data.get("filed_at"))
            announcement["filing_type"] = _str(data.get("filing_type"))
    structured = {"citation": _str(data.get("citation")), "announcement": announcement}
    return documents.document_from_raw(
        raw,
        text,
        doc_id=f"fr:{number}",
        title=title,
        announcement=announcement,
        hashed_fields=structured,
    )


documents.CONVERTERS["federal_register"] = federal_register_document
