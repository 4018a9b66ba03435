"""Rows the warehouse loads: plain frozen dataclasses, independent of spiders and nlp."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str  # stable identity: "<namespace>:<source id>", e.g. "sam:ff96…", "web:https://…"
    source: str
    source_id: str
    kind: str  # procurement | export_control | regulation | news
    url: str
    title: str | None
    published_at: datetime | None
    language: str
    fetched_at: datetime
    text: str
    content_hash: str  # sha256 of what the document says (title + text + structured fields)


@dataclass(frozen=True)
class NoticeRow:
    """SAM.gov opportunity fields, one per procurement document."""

    doc_id: str
    notice_id: str
    solicitation_number: str | None
    notice_type: str | None  # "Solicitation", "Award Notice", ...
    base_type: str | None
    posted_date: date | None
    response_deadline: datetime | None
    buyer: str | None  # fullParentPathName, e.g. "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY…"
    office_code: str | None  # last segment of fullParentPathCode, e.g. "SP8000"
    naics_code: str | None
    classification_code: str | None
    set_aside: str | None
    active: bool | None
    award_number: str | None
    award_date: date | None
    award_amount: float | None
    awardee_name: str | None
    awardee_uei: str | None
    awardee_cage: str | None
    ui_link: str | None


@dataclass(frozen=True)
class AnnouncementRow:
    """An export-control announcement as its spider parsed it (MOFCOM, BIS)."""

    doc_id: str
    announcement_key: str  # "MOFCOM 2025-18": the ministry's numbering, shared across languages
    authority: str  # "MOFCOM", "MOFCOM/GACC", "BIS"
    number: str  # "2025-18", or a Federal Register document number
    title: str | None
    language: str | None
    issued_on: date | None
    effective_on: date | None
    control_codes: tuple[str, ...]
    items_json: str  # [{"code", "description", "hs_codes"}] as JSON
    suspends: tuple[str, ...]  # announcement keys
    amends: tuple[str, ...]
    suspended_until: date | None
    suspended_from: date | None = None
    clauses_json: str = "[]"  # [{"clause", "effective_on"}] as JSON
    # [{"announcement", "clauses", "suspended_from", "suspended_until"}] as JSON, clauses []
    # for the whole; None when not parsed (each of `suspends` is suspended whole).
    suspensions_json: str | None = None
    numbered_clauses: tuple[str, ...] | None = None  # its own top-level clauses ("1", "2")
    # On the Federal Register's public inspection desk, not yet published (else None).
    pre_publication: bool | None = None
    scheduled_publication_date: date | None = None
    filed_at: datetime | None = None
    filing_type: str | None = None  # "regular" | "special"


@dataclass(frozen=True)
class MentionRow:
    doc_id: str
    seq: int
    kind: str  # mineral | money | quantity | organization
    text: str
    canonical: str | None
    usd: float | None
    tonnes: float | None
    bound: str | None
    role: str | None
    sentence: str
    start_char: int
    end_char: int


@dataclass(frozen=True)
class ProcurementLineRow:
    doc_id: str
    line_no: int
    mineral: str
    usd: float | None
    usd_is_upper_bound: bool
    tonnes: float | None
    suppliers: tuple[str, ...]


@dataclass(frozen=True)
class ExportControlRow:
    doc_id: str
    authority: str | None
    number: str | None
    title: str | None
    issued_on: date | None
    effective_on: date | None
    minerals: tuple[str, ...]


@dataclass(frozen=True)
class ExtractionBundle:
    """Everything extraction produced for one document, replaced as a whole on reload."""

    doc_id: str
    extractor_version: str
    minerals: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()
    mentions: tuple[MentionRow, ...] = ()
    procurement_lines: tuple[ProcurementLineRow, ...] = ()
    export_control: ExportControlRow | None = None


@dataclass(frozen=True)
class FetchErrorRow:
    source: str
    url: str
    source_id: str | None
    http_status: int | None
    error: str
    message: str
    occurred_at: datetime


@dataclass(frozen=True)
class SourceRunStats:
    run_id: str
    source: str
    started_at: datetime
    finished_at: datetime | None
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    status: str = "ok"  # ok | partial | failed
    errors: tuple[FetchErrorRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class LoadOutcome:
    new: int
    updated: int
    unchanged: int
