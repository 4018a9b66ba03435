"""`minwatch reprocess`: re-extract every document from the raw landing zone, fetching nothing.

Documents stay as they are; only extraction rows (mentions, procurement lines, extracted
export-control facts) are replaced, each stamped with the current extractor version. A document
whose facts come out identical is left untouched, so running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

import warehouse
from flows.lock import exclusive_run
from flows.nightly import begin_run, extract, extraction_workers, new_run_id, publish_snapshot
from nlp import EXTRACTOR_VERSION
from spiders.documents import Document, DocumentError, to_document
from spiders.landing import LandedRef, latest_landings, read_landed
from warehouse.records import ExtractionBundle
from warehouse.snapshot import prepare_work_file

# Documents are extracted and loaded in batches so memory stays flat whatever the archive size.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class ReprocessSummary:
    run_id: str
    db_path: str
    extractor_version: str
    documents: int  # stored documents found in the landing zone and re-extracted
    changed: int  # documents whose facts changed
    missing_raw: int  # stored documents with no raw record left in the landing zone
    unreadable: int  # raw records that could not become documents
    text_drift: int  # re-extracted from raw whose text differs from the stored version
    started_at: datetime
    finished_at: datetime


@task(name="index-landing", cache_policy=NO_CACHE)
def index_landing(landing_dir: str) -> dict[tuple[str, str], LandedRef]:
    return latest_landings(Path(landing_dir))


@task(name="load-extractions", cache_policy=NO_CACHE)
def load_batch(db: str, bundles: list[ExtractionBundle], hashes: dict[str, str]) -> int:
    con = warehouse.connect(db)
    try:
        return warehouse.load_extractions(con, bundles, hashes)
    finally:
        con.close()


def _batches(refs: list[LandedRef], size: int) -> Iterator[list[LandedRef]]:
    iterator = iter(refs)
    while batch := list(islice(iterator, size)):
        yield batch


@flow(name="reprocess", log_prints=True)
def reprocess(db: str, landing_dir: str | None = None) -> ReprocessSummary:
    logger = get_run_logger()
    db_path = Path(db)
    landing = Path(landing_dir) if landing_dir else db_path.parent / "landing"
    started_at = datetime.now(UTC)
    run_id = new_run_id(started_at)
    with exclusive_run(db_path), extraction_workers():
        work = prepare_work_file(db_path)
        con = warehouse.connect(work)
        try:
            begin_run(
                con,
                run_id,
                mode="reprocess",
                started_at=started_at,
                db_path=db_path,
                landing_dir=landing,
            )
            stored = warehouse.stored_content_hashes(con)
        finally:
            con.close()
        refs = index_landing(str(landing))
        documents = changed = unreadable = drift = 0
        found: set[str] = set()
        for batch in _batches(list(refs.values()), BATCH_SIZE):
            docs: list[Document] = []
            for raw in read_landed(batch):
                try:
                    doc = to_document(raw)
                except DocumentError as exc:
                    logger.warning("skipping %s: %s", raw.source_id, exc)
                    unreadable += 1
                    continue
                if doc.doc_id in stored:
                    docs.append(doc)
            if not docs:
                continue
            bundles = extract("reprocess", docs)
            # Extraction rows stay tied to the stored version of each document.
            hashes = {d.doc_id: stored[d.doc_id] for d in docs}
            drift += sum(1 for d in docs if d.content_hash != stored[d.doc_id])
            changed += load_batch(str(work), bundles, hashes)
            documents += len(docs)
            found.update(d.doc_id for d in docs)
            logger.info("re-extracted %d documents so far", documents)
        finished_at = datetime.now(UTC)
        con = warehouse.connect(work)
        try:
            warehouse.finish_run(con, run_id, status="ok", finished_at=finished_at)
        finally:
            con.close()
        publish_snapshot(str(db_path))
    return ReprocessSummary(
        run_id=run_id,
        db_path=str(db_path),
        extractor_version=EXTRACTOR_VERSION,
        documents=documents,
        changed=changed,
        missing_raw=len(set(stored) - found),
        unreadable=unreadable,
        text_drift=drift,
        started_at=started_at,
        finished_at=finished_at,
    )


def format_reprocess_summary(summary: ReprocessSummary) -> str:
    seconds = (summary.finished_at - summary.started_at).total_seconds()
    lines = [
        f"minwatch reprocess {summary.run_id}: {summary.documents} documents re-extracted "
        f"with extractor {summary.extractor_version} in {seconds:.1f} s",
        f"  facts changed: {summary.changed}; unchanged: {summary.documents - summary.changed}",
    ]
    if summary.missing_raw:
        lines.append(
            f"  {summary.missing_raw} stored document(s) have no raw record in the landing zone "
            "and kept their extraction"
        )
    if summary.unreadable:
        lines.append(f"  {summary.unreadable} raw record(s) could not be read as documents")
    if summary.text_drift:
        lines.append(
            f"  {summary.text_drift} document(s) read differently from raw than when loaded "
            "(text normalisation changed); they reload when next fetched"
        )
    lines.append(f"warehouse: {summary.db_path}")
    return "\n".join(lines)
