"""Idempotent loading of documents, notices and extracted facts.

Every public function here is one transaction: it either lands completely or leaves the
warehouse exactly as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Literal

import duckdb

from minwatch.warehouse.db import (
    as_utc,
    drop_staging,
    release_staging,
    retry_conflicts,
    secret_redactor,
    stage_arrow,
    transaction,
)
from minwatch.warehouse.lake import is_lake
from minwatch.warehouse.records import (
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
    ("suspended_from", "DATE"),
    ("clauses", "JSON"),
    ("pre_publication", "BOOLEAN"),
    ("scheduled_publication_date", "DATE"),
    ("filed_at", "TIMESTAMPTZ"),
    ("filing_type", "VARCHAR"),
    ("suspensions", "JSON"),
    ("numbered_clauses", "VARCHAR[]"),
)


def _latest_per_doc(documents: Sequence[DocumentRow]) -> list[DocumentRow]:
    """One row per doc_id: the latest fetch wins (a later duplicate wins a tie).

    Overlapping pages can yield the same document twice in one night, and one statement
    cannot insert or update one row twice.
    """
    latest: dict[str, DocumentRow] = {}
    for doc in documents:
        kept = latest.get(doc.doc_id)
        if kept is None or as_utc(doc.fetched_at) >= as_utc(kept.fetched_at):
            latest[doc.doc_id] = doc
    return list(latest.values())


def _column_lists(
    rows: Sequence[object],
    columns: Sequence[tuple[str, str]],
    *,
    attributes: Mapping[str, str] | None = None,
    given: Mapping[str, list[object]] | None = None,
) -> dict[str, list[object]]:
    """`rows` column by column for `stage_arrow`: each column from the row attribute of its
    name (or the one `attributes` names), list columns as lists; `given` columns as given."""
    data: dict[str, list[object]] = {}
    for name, sql_type in columns:
        if given is not None and name in given:
            data[name] = given[name]
            continue
        values = list(map(attrgetter((attributes or {}).get(name, name)), rows))
        data[name] = (
            [None if v is None else list(v) for v in values] if sql_type.endswith("[]") else values
        )
    return data


def _document_columns(docs: Sequence[DocumentRow]) -> dict[str, list[object]]:
    redact = secret_redactor()
    return _column_lists(docs, _DOCUMENT_COLUMNS, given={"url": [redact(d.url) for d in docs]})


def _notice_columns(notices: Sequence[NoticeRow]) -> dict[str, list[object]]:
    return _column_lists(notices, _NOTICE_COLUMNS, attributes={"buyer_path": "buyer"})


def _announcement_columns(rows: Sequence[AnnouncementRow]) -> dict[str, list[object]]:
    return _column_lists(
        rows,
        _ANNOUNCEMENT_COLUMNS,
        attributes={
            "items": "items_json",
            "clauses": "clauses_json",
            "suspensions": "suspensions_json",
        },
    )


@retry_conflicts
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

    Rows are staged as registered Arrow tables. A statement that could touch no row is not
    run: nothing is staged for an empty batch, nothing is copied or updated for a status no
    document has, and the unknown-document check runs only for notices and announcements
    whose document is not in this batch.
    """
    docs = _latest_per_doc(documents)
    notice_rows = list({notice.doc_id: notice for notice in notices}.values())
    announcement_rows = list({row.doc_id: row for row in announcements}.values())
    staged: list[str] = []
    try:
        with transaction(con):
            statuses = _load_document_rows(con, run_id, docs, staged)
            _load_children(
                con, "notice", _NOTICE_COLUMNS, notice_rows, _notice_columns, statuses, staged
            )
            _load_children(
                con,
                "announcement",
                _ANNOUNCEMENT_COLUMNS,
                announcement_rows,
                _announcement_columns,
                statuses,
                staged,
            )
            drop_staging(con, *staged)
    except BaseException:
        release_staging(con, *staged)
        raise
    return {doc.doc_id: statuses[doc.doc_id] for doc in docs}


def _load_document_rows(
    con: duckdb.DuckDBPyConnection, run_id: str, docs: Sequence[DocumentRow], staged: list[str]
) -> dict[str, LoadStatus]:
    if not docs:
        return {}
    stage_arrow(con, "stage_document", _DOCUMENT_COLUMNS, _document_columns(docs))
    staged.append("stage_document")
    parameters = {"run_id": run_id}
    # New documents first: a first load has nothing else, and the insert names them.
    insert_new = """
        INSERT INTO document
        SELECT s.doc_id, s.source, s.source_id, s.kind, s.url, s.title, s.published_at,
               s.language, s.fetched_at, s.fetched_at, s.fetched_at, s.text, s.content_hash,
               1, $run_id, $run_id, $run_id
        FROM stage_document AS s
        WHERE s.doc_id NOT IN (SELECT doc_id FROM document)
        """
    new = _insert_returning_ids(
        con,
        insert_new,
        "SELECT doc_id FROM stage_document WHERE doc_id NOT IN (SELECT doc_id FROM document)",
        parameters,
    )
    statuses: dict[str, LoadStatus] = dict.fromkeys((doc.doc_id for doc in docs), "new")
    if len(new) == len(docs):
        return statuses
    # The stored ones, as they were before this load: the insert touched none of them.
    for doc_id, status in con.execute(
        """
        SELECT s.doc_id,
               CASE WHEN d.content_hash <> s.content_hash AND s.fetched_at >= d.fetched_at
                    THEN 'updated' ELSE 'unchanged' END
        FROM stage_document AS s
        JOIN document AS d USING (doc_id)
        """
    ).fetchall():
        if doc_id not in new:
            statuses[doc_id] = status
    counts = Counter(statuses.values())
    if counts["updated"]:
        updated = [doc_id for doc_id, status in statuses.items() if status == "updated"]
        con.execute(
            """
            INSERT INTO document_version
            SELECT d.doc_id, d.version, d.content_hash, d.title, d.text, d.fetched_at,
                   d.version_run_id, $run_id
            FROM document AS d
            WHERE d.doc_id IN (SELECT unnest($updated::VARCHAR[]))
            """,
            {**parameters, "updated": updated},
        )
        con.execute(
            """
            UPDATE document AS d SET
                source = s.source, source_id = s.source_id, kind = s.kind, url = s.url,
                title = s.title, published_at = s.published_at, language = s.language,
                fetched_at = s.fetched_at, last_seen_at = s.fetched_at, text = s.text,
                content_hash = s.content_hash, version = d.version + 1,
                last_run_id = $run_id, version_run_id = $run_id
            FROM stage_document AS s
            WHERE d.doc_id = s.doc_id AND d.doc_id IN (SELECT unnest($updated::VARCHAR[]))
            """,
            {**parameters, "updated": updated},
        )
    if counts["unchanged"]:
        # Touch the row only when this sighting is newer, so a re-run is a no-op. New and
        # updated documents were last seen at the staged fetch time: they are left alone.
        con.execute(
            """
            UPDATE document AS d SET last_seen_at = s.fetched_at, last_run_id = $run_id
            FROM stage_document AS s
            WHERE d.doc_id = s.doc_id AND s.fetched_at > d.last_seen_at
            """,
            parameters,
        )
    return statuses


def _load_children(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[NoticeRow] | Sequence[AnnouncementRow],
    to_columns: Callable[[Any], dict[str, list[object]]],
    statuses: Mapping[str, LoadStatus],
    staged: list[str],
) -> None:
    """Rows keyed by doc_id follow their document: rewritten when it is new or updated, else
    only filled in where missing. A row whose document is not in this batch must refer to a
    stored document.

    No INSERT ... ON CONFLICT: DuckDB carries it out as a delete + insert, at about three
    times the cost of a plain insert (and 5 ms for no row at all). Rows are inserted where
    missing instead, and rows to rewrite that were there already are deleted first: the same
    rows, since every column of `table` is staged.
    """
    if not rows:
        return
    stage_table = f"stage_{table}"
    doc_ids = [row.doc_id for row in rows]
    doc_statuses = [statuses.get(doc_id) for doc_id in doc_ids]
    rewrite = [status in ("new", "updated") for status in doc_statuses]
    data: dict[str, Sequence[object]] = {**to_columns(rows), "rewrite": rewrite}
    stage_arrow(con, stage_table, (*columns, ("rewrite", "BOOLEAN")), data)
    staged.append(stage_table)
    if None in doc_statuses:
        # The batch's own documents are stored by now; only the others can be unknown.
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
                f"{len(orphans)} {table}(s) refer to unknown documents, e.g. {orphans[:3]}; "
                "nothing was loaded"
            )
    names = ", ".join(name for name, _ in columns)
    insert = f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage_table}"
    missing = f" WHERE doc_id NOT IN (SELECT doc_id FROM {table})"
    delete_rewritten = (
        f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM {stage_table} WHERE rewrite)"
    )
    if "updated" in doc_statuses:
        # An updated document has its rows already: delete the rows to rewrite, then insert
        # them and the others where missing.
        con.execute(delete_rewritten)
        con.execute(insert if all(rewrite) else insert + missing)
        return
    # A new document has no rows yet, unless one outlived its document: such a row is one
    # to rewrite that the insert does not return.
    inserted = _insert_returning_ids(
        con, f"{insert}{missing}", f"SELECT doc_id FROM {stage_table}{missing}"
    )
    if any(flag and doc_id not in inserted for doc_id, flag in zip(doc_ids, rewrite, strict=True)):
        con.execute(delete_rewritten)
        con.execute(f"{insert} WHERE rewrite")


def _insert_returning_ids(
    con: duckdb.DuckDBPyConnection,
    insert: str,
    ids_to_insert: str,
    parameters: Mapping[str, object] | None = None,
) -> set[str]:
    """Run `insert` and return the doc_ids it inserted.

    A DuckLake table takes no RETURNING: there the ids are selected first (`ids_to_insert`
    must select exactly what `insert` inserts), in the same transaction, so the same snapshot.
    """
    if is_lake(con):
        ids = {row[0] for row in con.execute(ids_to_insert).fetchall()}
        con.execute(insert, parameters)
        return ids
    return {row[0] for row in con.execute(f"{insert} RETURNING doc_id", parameters).fetchall()}


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


@retry_conflicts
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
    if not bundles:
        return 0
    when = as_utc(extracted_at) or datetime.now(UTC)
    extraction: dict[str, Sequence[object]] = {
        "doc_id": [b.doc_id for b in bundles],
        "extractor_version": [b.extractor_version for b in bundles],
        "content_hash": [content_hashes[b.doc_id] for b in bundles],
        "facts_hash": [facts_hash(b) for b in bundles],
        "extracted_at": [when] * len(bundles),
        "minerals": [list(b.minerals) for b in bundles],
        "suppliers": [list(b.suppliers) for b in bundles],
    }
    staged: list[str] = []
    try:
        with transaction(con):
            stage_arrow(con, "stage_extraction", _EXTRACTION_COLUMNS, extraction)
            staged.append("stage_extraction")
            # One pass: unknown documents, and how each bundle differs from what is stored
            # ('new': no extraction yet, 'facts': other facts, 'content': only the content
            # hash moved). Identical bundles do not come back.
            rows = con.execute(
                """
                SELECT s.doc_id, d.doc_id IS NULL AS unknown,
                       CASE WHEN e.doc_id IS NULL THEN 'new'
                            WHEN e.facts_hash <> s.facts_hash THEN 'facts'
                            ELSE 'content' END AS change
                FROM stage_extraction AS s
                LEFT JOIN document AS d USING (doc_id)
                LEFT JOIN extraction AS e USING (doc_id)
                WHERE d.doc_id IS NULL OR e.doc_id IS NULL
                   OR e.facts_hash <> s.facts_hash OR e.content_hash <> s.content_hash
                """
            ).fetchall()
            unknown = sorted(doc_id for doc_id, is_unknown, _ in rows if is_unknown)
            if unknown:
                raise ValueError(
                    f"extractions for {len(unknown)} unknown document(s), e.g. {unknown[:3]}; "
                    "nothing was loaded"
                )
            change = {doc_id: what for doc_id, _, what in rows}
            changed = {doc_id for doc_id, what in change.items() if what != "content"}
            if changed:
                _replace_facts(con, [b for b in bundles if b.doc_id in changed], staged)
            if any(what != "new" for what in change.values()):
                con.execute(
                    """
                    DELETE FROM extraction WHERE doc_id IN (
                        SELECT s.doc_id FROM stage_extraction AS s
                        JOIN extraction AS e USING (doc_id)
                        WHERE e.facts_hash <> s.facts_hash OR e.content_hash <> s.content_hash)
                    """
                )
            if change:
                con.execute(
                    """
                    INSERT INTO extraction SELECT * FROM stage_extraction
                    WHERE doc_id NOT IN (SELECT doc_id FROM extraction)
                    """
                )
            drop_staging(con, *staged)
    except BaseException:
        release_staging(con, *staged)
        raise
    return len(changed)


_EXTRACTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("extractor_version", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("facts_hash", "VARCHAR"),
    ("extracted_at", "TIMESTAMPTZ"),
    ("minerals", "VARCHAR[]"),
    ("suppliers", "VARCHAR[]"),
)

_MENTION_COLUMNS: tuple[tuple[str, str], ...] = (
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
)

_PROCUREMENT_LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("line_no", "INTEGER"),
    ("mineral", "VARCHAR"),
    ("usd", "DOUBLE"),
    ("usd_is_upper_bound", "BOOLEAN"),
    ("tonnes", "DOUBLE"),
    ("suppliers", "VARCHAR[]"),
    ("extractor_version", "VARCHAR"),
)

_EXPORT_CONTROL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "VARCHAR"),
    ("authority", "VARCHAR"),
    ("number", "VARCHAR"),
    ("title", "VARCHAR"),
    ("issued_on", "DATE"),
    ("effective_on", "DATE"),
    ("minerals", "VARCHAR[]"),
    ("extractor_version", "VARCHAR"),
)


def _replace_facts(
    con: duckdb.DuckDBPyConnection, bundles: Sequence[ExtractionBundle], staged: list[str]
) -> None:
    """Delete the stored facts of `bundles`' documents and insert theirs (a table with no new
    row is not staged)."""

    def with_version(
        columns: Sequence[tuple[str, str]], pairs: list[tuple[Any, str]]
    ) -> tuple[Sequence[tuple[str, str]], dict[str, list[object]]]:
        versions: list[object] = [version for _, version in pairs]
        facts = [fact for fact, _ in pairs]
        return columns, _column_lists(facts, columns, given={"extractor_version": versions})

    facts = {
        "mention": with_version(
            _MENTION_COLUMNS, [(m, b.extractor_version) for b in bundles for m in b.mentions]
        ),
        "procurement_line": with_version(
            _PROCUREMENT_LINE_COLUMNS,
            [(p, b.extractor_version) for b in bundles for p in b.procurement_lines],
        ),
        "export_control": with_version(
            _EXPORT_CONTROL_COLUMNS,
            [(e, b.extractor_version) for b in bundles if (e := b.export_control) is not None],
        ),
    }
    for table, (columns, data) in facts.items():
        # A changed bundle replaces all of its document's rows, even with none of its own.
        con.execute(
            f"""
            DELETE FROM {table} WHERE doc_id IN (
                SELECT s.doc_id FROM stage_extraction AS s
                LEFT JOIN extraction AS e USING (doc_id)
                WHERE e.doc_id IS NULL OR e.facts_hash <> s.facts_hash)
            """
        )
        if data["doc_id"]:
            stage_arrow(con, f"stage_{table}", columns, data)
            staged.append(f"stage_{table}")
            con.execute(f"INSERT INTO {table} SELECT * FROM stage_{table}")
