"""Idempotent loading of documents, notices and extracted facts.

Every public function here is one transaction: it either lands completely or leaves the
warehouse exactly as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal

import duckdb

from warehouse.db import as_utc, drop_staging, redact_secrets, stage, transaction
from warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExportControlRow,
    ExtractionBundle,
    LoadOutcome,
    MentionRow,
    NoticeRow,
    ProcurementLineRow,
)

LoadStatus = Literal["new", "updated", "unchanged"]

_DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("source", "VARCHAR"),
    ("source_id", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("url", "VARCHAR"),
    ("title", "VARCHAR"),
    ("published_at", "TIMESTAMPTZ"),
    ("language", "VARCHAR"),
    ("fetched_at", "TIMESTAMPTZ"),
    ("text", "VARCHAR"),
    ("content_hash", "VARCHAR"),
)

_NOTICE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("notice_id", "VARCHAR"),
    ("solicitation_number", "VARCHAR"),
    ("notice_type", "VARCHAR"),
    ("base_type", "VARCHAR"),
    ("posted_date", "DATE"),
    ("response_deadline", "TIMESTAMPTZ"),
    ("buyer_path", "VARCHAR"),
    ("office_code", "VARCHAR"),
    ("naics_code", "VARCHAR"),
    ("classification_code", "VARCHAR"),
    ("set_aside", "VARCHAR"),
    ("active", "BOOLEAN"),
    ("award_number", "VARCHAR"),
    ("award_date", "DATE"),
    ("award_amount", "DOUBLE"),
    ("awardee_name", "VARCHAR"),
    ("awardee_uei", "VARCHAR"),
    ("awardee_cage", "VARCHAR"),
    ("ui_link", "VARCHAR"),
)
_NOTICE_NAMES = [name for name, _ in _NOTICE_COLUMNS]

_ANNOUNCEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("announcement_key", "VARCHAR"),
    ("authority", "VARCHAR"),
    ("number", "VARCHAR"),
    ("title", "VARCHAR"),
    ("language", "VARCHAR"),
    ("issued_on", "DATE"),
    ("effective_on", "DATE"),
    ("control_codes", "VARCHAR[]"),
    ("items", "JSON"),
    ("suspends", "VARCHAR[]"),
    ("amends", "VARCHAR[]"),
    ("suspended_until", "DATE"),
)


def _latest_per_doc(documents: Sequence[DocumentRow]) -> list[DocumentRow]:
    """One row per doc_id: the latest fetch wins (a later duplicate wins a tie).

    Overlapping pages can yield the same document twice in one night, and ON CONFLICT
    refuses to touch one row twice in a statement.
    """
    latest: dict[str, DocumentRow] = {}
    for doc in documents:
        kept = latest.get(doc.doc_id)
        if kept is None or as_utc(doc.fetched_at) >= as_utc(kept.fetched_at):
            latest[doc.doc_id] = doc
    return list(latest.values())


def _document_tuple(doc: DocumentRow) -> tuple[object, ...]:
    return (
        doc.doc_id,
        doc.source,
        doc.source_id,
        doc.kind,
        redact_secrets(doc.url),
        doc.title,
        as_utc(doc.published_at),
        doc.language,
        as_utc(doc.fetched_at),
        doc.text,
        doc.content_hash,
    )


def _notice_tuple(notice: NoticeRow) -> tuple[object, ...]:
    return (
        notice.doc_id,
        notice.notice_id,
        notice.solicitation_number,
        notice.notice_type,
        notice.base_type,
        notice.posted_date,
        as_utc(notice.response_deadline),
        notice.buyer,
        notice.office_code,
        notice.naics_code,
        notice.classification_code,
        notice.set_aside,
        notice.active,
        notice.award_number,
        notice.award_date,
        notice.award_amount,
        notice.awardee_name,
        notice.awardee_uei,
        notice.awardee_cage,
        notice.ui_link,
    )


def _announcement_tuple(row: AnnouncementRow) -> tuple[object, ...]:
    return (
        row.doc_id,
        row.announcement_key,
        row.authority,
        row.number,
        row.title,
        row.language,
        row.issued_on,
        row.effective_on,
        list(row.control_codes),
        row.items_json,
        list(row.suspends),
        list(row.amends),
        row.suspended_until,
    )


def load_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    documents: Sequence[DocumentRow],
    notices: Sequence[NoticeRow],
    announcements: Sequence[AnnouncementRow] = (),
) -> dict[str, LoadStatus]:
    """Upsert documents with their SAM notices and export-control announcements; return
    {doc_id: "new" | "updated" | "unchanged"}.

    - new: inserted as version 1.
    - updated: the content_hash differs and this fetch is not older than the stored one; the
      stored version is copied to document_version and `version` goes up by one.
    - unchanged: same content_hash, or an older fetch of a since-changed document (replaying
      old landing files must not roll a document back). Only last_seen_at / last_run_id move,
      and only forward; re-loading the same fetch changes nothing at all.
    A notice or announcement whose doc_id is neither loaded here nor stored already is an
    error (ValueError) and the whole call is rolled back.
    """
    docs = _latest_per_doc(documents)
    notice_by_doc = {notice.doc_id: notice for notice in notices}
    announcement_by_doc = {row.doc_id: row for row in announcements}
    with transaction(con):
        stage(con, "stage_document", _DOCUMENT_COLUMNS, [_document_tuple(d) for d in docs])
        stage(
            con, "stage_notice", _NOTICE_COLUMNS, [_notice_tuple(n) for n in notice_by_doc.values()]
        )
        stage(
            con,
            "stage_announcement",
            _ANNOUNCEMENT_COLUMNS,
            [_announcement_tuple(a) for a in announcement_by_doc.values()],
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE stage_status AS
            SELECT s.doc_id,
                   CASE
                       WHEN d.doc_id IS NULL THEN 'new'
                       WHEN d.content_hash <> s.content_hash AND s.fetched_at >= d.fetched_at
                           THEN 'updated'
                       ELSE 'unchanged'
                   END AS status
            FROM stage_document AS s
            LEFT JOIN document AS d USING (doc_id)
            """
        )
        statuses: dict[str, LoadStatus] = dict(
            con.execute("SELECT doc_id, status FROM stage_status").fetchall()
        )
        con.execute(
            """
            INSERT INTO document_version
            SELECT d.doc_id, d.version, d.content_hash, d.title, d.text, d.fetched_at,
                   d.version_run_id, $run_id
            FROM document AS d
            JOIN stage_status AS st ON st.doc_id = d.doc_id AND st.status = 'updated'
            """,
            {"run_id": run_id},
        )
        con.execute(
            """
            INSERT INTO document
            SELECT s.doc_id, s.source, s.source_id, s.kind, s.url, s.title, s.published_at,
                   s.language, s.fetched_at, s.fetched_at, s.fetched_at, s.text, s.content_hash,
                   1, $run_id, $run_id, $run_id
            FROM stage_document AS s
            JOIN stage_status AS st ON st.doc_id = s.doc_id AND st.status = 'new'
            """,
            {"run_id": run_id},
        )
        con.execute(
            """
            UPDATE document AS d SET
                source = s.source, source_id = s.source_id, kind = s.kind, url = s.url,
                title = s.title, published_at = s.published_at, language = s.language,
                fetched_at = s.fetched_at, last_seen_at = s.fetched_at, text = s.text,
                content_hash = s.content_hash, version = d.version + 1,
                last_run_id = $run_id, version_run_id = $run_id
            FROM stage_document AS s, stage_status AS st
            WHERE d.doc_id = s.doc_id AND st.doc_id = s.doc_id AND st.status = 'updated'
            """,
            {"run_id": run_id},
        )
        # Unchanged: touch the row only when this sighting is newer, so a re-run is a no-op.
        con.execute(
            """
            UPDATE document AS d SET last_seen_at = s.fetched_at, last_run_id = $run_id
            FROM stage_document AS s, stage_status AS st
            WHERE d.doc_id = s.doc_id AND st.doc_id = s.doc_id AND st.status = 'unchanged'
              AND s.fetched_at > d.last_seen_at
            """,
            {"run_id": run_id},
        )
        for stage_table, what in (
            ("stage_notice", "notice"),
            ("stage_announcement", "announcement"),
        ):
            orphans = [
                row[0]
                for row in con.execute(
                    f"""
                    SELECT s.doc_id FROM {stage_table} AS s
                    WHERE s.doc_id NOT IN (SELECT doc_id FROM document) ORDER BY s.doc_id
                    """
                ).fetchall()
            ]
            if orphans:
                raise ValueError(
                    f"{len(orphans)} {what}(s) refer to unknown documents, e.g. {orphans[:3]}; "
                    "nothing was loaded"
                )
        _upsert_children(con, "notice", "stage_notice", _NOTICE_NAMES)
        _upsert_children(
            con, "announcement", "stage_announcement", [n for n, _ in _ANNOUNCEMENT_COLUMNS]
        )
        drop_staging(con, "stage_document", "stage_notice", "stage_announcement", "stage_status")
    return {doc.doc_id: statuses[doc.doc_id] for doc in docs}


def _upsert_children(
    con: duckdb.DuckDBPyConnection, table: str, stage_table: str, names: Sequence[str]
) -> None:
    """Rows keyed by doc_id follow their document: rewritten when it is new or updated, else
    only filled in where missing."""
    columns = ", ".join(names)
    assignments = ", ".join(f"{name} = excluded.{name}" for name in names[1:])
    selected = ", ".join("s." + name for name in names)
    con.execute(
        f"""
        INSERT INTO {table} ({columns})
        SELECT {selected}
        FROM {stage_table} AS s
        LEFT JOIN stage_status AS st ON st.doc_id = s.doc_id
        WHERE st.status IN ('new', 'updated')
        ON CONFLICT (doc_id) DO UPDATE SET {assignments}
        """
    )
    con.execute(
        f"""
        INSERT INTO {table} ({columns})
        SELECT {selected}
        FROM {stage_table} AS s
        LEFT JOIN stage_status AS st ON st.doc_id = s.doc_id
        WHERE st.status IS NULL OR st.status = 'unchanged'
        ON CONFLICT (doc_id) DO NOTHING
        """
    )


def summarize(statuses: Mapping[str, str]) -> LoadOutcome:
    """Counts of new / updated / unchanged documents, for run statistics."""
    values = list(statuses.values())
    return LoadOutcome(
        new=values.count("new"),
        updated=values.count("updated"),
        unchanged=values.count("unchanged"),
    )


def needs_extraction(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], extractor_version: str
) -> set[str]:
    """Stored documents among `doc_ids` with no extraction, a stale one, or another version's.

    Ids that are not stored documents are left out: there is no text to extract from.
    """
    if not doc_ids:
        return set()
    rows = con.execute(
        """
        SELECT d.doc_id
        FROM document AS d
        LEFT JOIN extraction AS e ON e.doc_id = d.doc_id
        WHERE d.doc_id IN (SELECT unnest($ids::VARCHAR[]))
          AND (e.doc_id IS NULL
               OR e.content_hash <> d.content_hash
               OR e.extractor_version <> $version)
        """,
        {"ids": list(doc_ids), "version": extractor_version},
    ).fetchall()
    return {row[0] for row in rows}


def stored_content_hashes(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """{doc_id: content_hash} of stored documents (all of them when `doc_ids` is None)."""
    if doc_ids is None:
        rows = con.execute("SELECT doc_id, content_hash FROM document").fetchall()
    else:
        rows = con.execute(
            "SELECT doc_id, content_hash FROM document WHERE doc_id IN (SELECT unnest($ids))",
            {"ids": list(doc_ids)},
        ).fetchall()
    return dict(rows)


_FACT_FIELDS = {
    cls: tuple(f.name for f in dataclasses.fields(cls) if f.name != "doc_id")
    for cls in (MentionRow, ProcurementLineRow, ExportControlRow)
}


def _values_without_doc_id(row: MentionRow | ProcurementLineRow | ExportControlRow) -> tuple:
    return tuple(getattr(row, name) for name in _FACT_FIELDS[type(row)])


def facts_hash(bundle: ExtractionBundle) -> str:
    """sha256 of everything a bundle says, extractor version included, doc_id excluded.

    Built from repr() of plain tuples (str, int, float, bool, date, None), which is
    deterministic, instead of dataclasses.asdict + json: that deep-copies every row and was
    most of the load time for thousands of documents.
    """
    export = bundle.export_control
    payload = (
        bundle.extractor_version,
        bundle.minerals,
        bundle.suppliers,
        tuple(_values_without_doc_id(m) for m in bundle.mentions),
        tuple(_values_without_doc_id(p) for p in bundle.procurement_lines),
        None if export is None else _values_without_doc_id(export),
    )
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


def _check_bundle(bundle: ExtractionBundle) -> None:
    children: list[tuple[str, str]] = [("mention", m.doc_id) for m in bundle.mentions]
    children += [("procurement line", p.doc_id) for p in bundle.procurement_lines]
    if bundle.export_control is not None:
        children.append(("export control", bundle.export_control.doc_id))
    for what, doc_id in children:
        if doc_id != bundle.doc_id:
            raise ValueError(f"bundle for {bundle.doc_id!r} holds a {what} of {doc_id!r}")
    seqs = [m.seq for m in bundle.mentions]
    if len(set(seqs)) != len(seqs):
        raise ValueError(f"bundle for {bundle.doc_id!r} repeats a mention seq")
    line_nos = [p.line_no for p in bundle.procurement_lines]
    if len(set(line_nos)) != len(line_nos):
        raise ValueError(f"bundle for {bundle.doc_id!r} repeats a procurement line_no")


def load_extractions(
    con: duckdb.DuckDBPyConnection,
    bundles: Sequence[ExtractionBundle],
    content_hashes: Mapping[str, str],
    *,
    extracted_at: datetime | None = None,
) -> int:
    """Replace each document's facts as a whole; return how many documents' facts changed.

    `content_hashes[doc_id]` is the document content the bundle was extracted from. A bundle
    whose facts_hash equals the stored one leaves mention / procurement_line / export_control
    untouched; if only the content hash moved (text changed, facts did not), just the extraction
    row's content_hash and extracted_at are brought up to date so needs_extraction is satisfied.
    """
    seen: set[str] = set()
    for bundle in bundles:
        if bundle.doc_id in seen:
            raise ValueError(f"two bundles for {bundle.doc_id!r} in one load")
        seen.add(bundle.doc_id)
        if bundle.doc_id not in content_hashes:
            raise ValueError(f"no content hash given for {bundle.doc_id!r}")
        _check_bundle(bundle)
    when = as_utc(extracted_at) or datetime.now(UTC)
    extraction_rows = [
        (
            b.doc_id,
            b.extractor_version,
            content_hashes[b.doc_id],
            facts_hash(b),
            when,
            list(b.minerals),
            list(b.suppliers),
        )
        for b in bundles
    ]
    with transaction(con):
        stage(
            con,
            "stage_extraction",
            (
                ("doc_id", "VARCHAR"),
                ("extractor_version", "VARCHAR"),
                ("content_hash", "VARCHAR"),
                ("facts_hash", "VARCHAR"),
                ("extracted_at", "TIMESTAMPTZ"),
                ("minerals", "VARCHAR[]"),
                ("suppliers", "VARCHAR[]"),
            ),
            extraction_rows,
        )
        unknown = [
            row[0]
            for row in con.execute(
                "SELECT doc_id FROM stage_extraction "
                "WHERE doc_id NOT IN (SELECT doc_id FROM document) ORDER BY doc_id"
            ).fetchall()
        ]
        if unknown:
            raise ValueError(
                f"extractions for {len(unknown)} unknown document(s), e.g. {unknown[:3]}; "
                "nothing was loaded"
            )
        changed = {
            row[0]
            for row in con.execute(
                """
                SELECT s.doc_id FROM stage_extraction AS s
                LEFT JOIN extraction AS e USING (doc_id)
                WHERE e.doc_id IS NULL OR e.facts_hash <> s.facts_hash
                """
            ).fetchall()
        }
        changed_bundles = [b for b in bundles if b.doc_id in changed]
        _stage_facts(con, changed_bundles)
        for table in ("mention", "procurement_line", "export_control"):
            con.execute(
                f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest($changed::VARCHAR[]))",
                {"changed": sorted(changed)},
            )
        con.execute("INSERT INTO mention SELECT * FROM stage_mention")
        con.execute("INSERT INTO procurement_line SELECT * FROM stage_procurement_line")
        con.execute("INSERT INTO export_control SELECT * FROM stage_export_control")
        con.execute(
            """
            INSERT INTO extraction SELECT * FROM stage_extraction
            ON CONFLICT (doc_id) DO UPDATE SET
                extractor_version = excluded.extractor_version,
                content_hash = excluded.content_hash,
                facts_hash = excluded.facts_hash,
                extracted_at = excluded.extracted_at,
                minerals = excluded.minerals,
                suppliers = excluded.suppliers
            WHERE extraction.facts_hash <> excluded.facts_hash
               OR extraction.content_hash <> excluded.content_hash
            """
        )
        drop_staging(
            con,
            "stage_extraction",
            "stage_mention",
            "stage_procurement_line",
            "stage_export_control",
        )
    return len(changed)


def _stage_facts(con: duckdb.DuckDBPyConnection, bundles: Sequence[ExtractionBundle]) -> None:
    stage(
        con,
        "stage_mention",
        (
            ("doc_id", "VARCHAR"),
            ("seq", "INTEGER"),
            ("kind", "VARCHAR"),
            ("text", "VARCHAR"),
            ("canonical", "VARCHAR"),
            ("usd", "DOUBLE"),
            ("tonnes", "DOUBLE"),
            ("bound", "VARCHAR"),
            ("role", "VARCHAR"),
            ("sentence", "VARCHAR"),
            ("start_char", "INTEGER"),
            ("end_char", "INTEGER"),
            ("extractor_version", "VARCHAR"),
        ),
        [
            (
                m.doc_id,
                m.seq,
                m.kind,
                m.text,
                m.canonical,
                m.usd,
                m.tonnes,
                m.bound,
                m.role,
                m.sentence,
                m.start_char,
                m.end_char,
                b.extractor_version,
            )
            for b in bundles
            for m in b.mentions
        ],
    )
    stage(
        con,
        "stage_procurement_line",
        (
            ("doc_id", "VARCHAR"),
            ("line_no", "INTEGER"),
            ("mineral", "VARCHAR"),
            ("usd", "DOUBLE"),
            ("usd_is_upper_bound", "BOOLEAN"),
            ("tonnes", "DOUBLE"),
            ("suppliers", "VARCHAR[]"),
            ("extractor_version", "VARCHAR"),
        ),
        [
            (
                p.doc_id,
                p.line_no,
                p.mineral,
                p.usd,
                p.usd_is_upper_bound,
                p.tonnes,
                list(p.suppliers),
                b.extractor_version,
            )
            for b in bundles
            for p in b.procurement_lines
        ],
    )
    stage(
        con,
        "stage_export_control",
        (
            ("doc_id", "VARCHAR"),
            ("authority", "VARCHAR"),
            ("number", "VARCHAR"),
            ("title", "VARCHAR"),
            ("issued_on", "DATE"),
            ("effective_on", "DATE"),
            ("minerals", "VARCHAR[]"),
            ("extractor_version", "VARCHAR"),
        ),
        [
            (
                e.doc_id,
                e.authority,
                e.number,
                e.title,
                e.issued_on,
                e.effective_on,
                list(e.minerals),
                b.extractor_version,
            )
            for b in bundles
            if (e := b.export_control) is not None
        ],
    )
