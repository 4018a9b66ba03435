"""Maps spider documents and extracted facts onto warehouse rows.

The three packages stay independent of each other; this is the one place that knows all three.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from minwatch.spiders.documents import Document
from minwatch.spiders.items import FetchFailure
from minwatch.warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    FetchErrorRow,
    MentionRow,
    NoticeRow,
    ProcurementLineRow,
)

if TYPE_CHECKING:  # nlp (spaCy) is imported only by the nights that extract
    from minwatch.nlp.facts import DocumentFacts

_NOTICE_FIELDS = tuple(f.name for f in fields(NoticeRow) if f.name != "doc_id")


def document_row(doc: Document) -> DocumentRow:
    return DocumentRow(
        doc_id=doc.doc_id,
        source=doc.source,
        source_id=doc.source_id,
        kind=doc.kind,
        url=doc.url,
        title=doc.title,
        published_at=doc.published_at,
        language=doc.language,
        fetched_at=doc.fetched_at,
        text=doc.text,
        content_hash=doc.content_hash,
    )


def notice_row(doc: Document) -> NoticeRow | None:
    if doc.notice is None:
        return None
    values = {name: doc.notice.get(name) for name in _NOTICE_FIELDS}
    return NoticeRow(doc_id=doc.doc_id, **values)  # type: ignore[arg-type]


def announcement_key(authority: str, number: str) -> str:
    """The ministry's own numbering: joint MOFCOM/GACC announcements are numbered by MOFCOM."""
    return f"{authority.split('/')[0].strip()} {number.strip()}"


def _strings(values: object) -> tuple[str, ...]:
    if not isinstance(values, Iterable) or isinstance(values, str):
        return ()
    return tuple(str(v) for v in values if v)


def announcement_row(doc: Document) -> AnnouncementRow | None:
    data = doc.announcement
    if not data or not data.get("authority") or not data.get("number"):
        return None
    authority, number = str(data["authority"]), str(data["number"])
    raw_items = data.get("items")
    items = [i for i in raw_items if isinstance(i, dict)] if isinstance(raw_items, list) else []
    codes = _strings(item.get("code") for item in items)
    ministry = authority.split("/")[0]
    return AnnouncementRow(
        doc_id=doc.doc_id,
        announcement_key=announcement_key(authority, number),
        authority=authority,
        number=number,
        title=str(data["title"]) if data.get("title") else doc.title,
        language=str(data.get("language") or doc.language),
        issued_on=_iso_date(_str(data.get("issued_on"))),
        effective_on=_iso_date(_str(data.get("effective_on"))),
        control_codes=tuple(dict.fromkeys(codes)),
        items_json=json.dumps(items, ensure_ascii=False, sort_keys=True),
        suspends=tuple(announcement_key(ministry, n) for n in _strings(data.get("suspends"))),
        amends=tuple(announcement_key(ministry, n) for n in _strings(data.get("amends"))),
        suspended_until=_iso_date(_str(data.get("suspended_until"))),
        suspended_from=_iso_date(_str(data.get("suspended_from"))),
        clauses_json=json.dumps(
            [c for c in raw_clauses if isinstance(c, dict)]
            if isinstance(raw_clauses := data.get("clauses"), list)
            else [],
            ensure_ascii=False,
            sort_keys=True,
        ),
        suspensions_json=_suspensions_json(data.get("suspensions"), ministry),
        numbered_clauses=(
            _strings(data.get("numbered_clauses")) if "numbered_clauses" in data else None
        ),
        pre_publication=True if data.get("pre_publication") is True else None,
        scheduled_publication_date=_iso_date(_str(data.get("scheduled_publication_date"))),
        filed_at=_iso_datetime(_str(data.get("filed_at"))),
        filing_type=_str(data.get("filing_type")),
    )


def _suspensions_json(value: object, ministry: str) -> str | None:
    """The per-target suspensions with announcement keys, as JSON; None when the spider did not
    parse them (every target of `suspends` is then suspended whole)."""
    if not isinstance(value, list):
        return None
    parts = [
        {
            "announcement": announcement_key(ministry, str(part["announcement"])),
            "clauses": list(_strings(part.get("clauses"))),
            "suspended_from": _str(part.get("suspended_from")),
            "suspended_until": _str(part.get("suspended_until")),
        }
        for part in value
        if isinstance(part, dict) and part.get("announcement")
    ]
    return json.dumps(parts, ensure_ascii=False, sort_keys=True)


def _str(value: object) -> str | None:
    return str(value) if value else None


def failure_row(failure: FetchFailure) -> FetchErrorRow:
    return FetchErrorRow(
        source=failure.source,
        url=failure.url,
        source_id=failure.source_id,
        http_status=failure.http_status,
        error=failure.error,
        message=failure.message,
        occurred_at=failure.occurred_at,
    )


def _iso_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extraction_bundle(doc_id: str, facts: DocumentFacts) -> ExtractionBundle:
    mentions = tuple(
        MentionRow(
            doc_id=doc_id,
            seq=seq,
            kind=m.kind,
            text=m.text,
            canonical=m.canonical,
            usd=m.usd,
            tonnes=m.tonnes,
            bound=m.bound,
            role=m.role,
            sentence=m.sentence,
            start_char=m.start,
            end_char=m.end,
        )
        for seq, m in enumerate(facts.mentions, start=1)
    )
    lines = tuple(
        ProcurementLineRow(
            doc_id=doc_id,
            line_no=no,
            mineral=line.mineral,
            usd=line.usd,
            usd_is_upper_bound=line.usd_is_upper_bound,
            tonnes=line.tonnes,
            suppliers=tuple(line.suppliers),
        )
        for no, line in enumerate(facts.procurements, start=1)
    )
    control = None
    if facts.export_control is not None:
        ec = facts.export_control
        control = ExportControlRow(
            doc_id=doc_id,
            authority=ec.authority,
            number=ec.number,
            title=ec.title,
            issued_on=_iso_date(ec.issued_on),
            effective_on=_iso_date(ec.effective_on),
            minerals=tuple(ec.minerals),
        )
    return ExtractionBundle(
        doc_id=doc_id,
        extractor_version=facts.extractor_version,
        minerals=tuple(facts.minerals),
        suppliers=tuple(facts.suppliers),
        mentions=mentions,
        procurement_lines=lines,
        export_control=control,
    )
