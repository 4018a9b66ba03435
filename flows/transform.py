"""Maps spider documents and extracted facts onto warehouse rows.

The three packages stay independent of each other; this is the one place that knows all three.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from nlp.facts import DocumentFacts
from spiders.documents import Document
from spiders.items import FetchFailure
from warehouse.records import (
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    FetchErrorRow,
    MentionRow,
    NoticeRow,
    ProcurementLineRow,
)

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
