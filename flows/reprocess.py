"""`minwatch reprocess`: re-extract every document from the raw landing zone, fetching nothing.

Documents stay as they are; only extraction rows (mentions, procurement lines, extracted
export-control facts) are replaced, each stamped with the current extractor version. A document
whose facts come out identical is left untouched, so running it twice changes nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from minwatch import warehouse
from minwatch.flows.lock import exclusive_run
from minwatch.flows.nightly import (
    begin_run,
    extract,
    extraction_workers,
    new_run_id,
    publish_snapshot,
)
from minwatch.flows.params import as_is
from minwatch.nlp import EXTRACTOR_VERSION
from minwatch.spiders.documents import Document, DocumentError, to_document
from minwatch.spiders.landing import LandedRef, latest_landings, read_landed
from minwatch.warehouse.lake import Lake, parse_target
from minwatch.warehouse.records import ExtractionBundle
from minwatch.warehouse.snapshot import prepare_work_file

# Documents are extracted and loaded in batches so memory stays flat whatever the archive size.
BATCH_SIZE = 1000
# On Dask, smaller batches spread over the workers (a 1000-document batch is ~30 s of one
# core; a task's own cost, its Prefect bookkeeping, is ~0.1 s), and only so many per worker
# are in flight, so results never pile up in memory. Batches shrink towards the end, down to
# DASK_MIN_BATCH_SIZE (`dask_batches`), so the run does not end on one worker finishing a full
# batch (~3-6 s) while the others idle.
DASK_BATCH_SIZE = 100
DASK_MIN_BATCH_SIZE = 20
DASK_BATCHES_IN_FLIGHT_PER_WORKER = 3


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
    return latest_landings(landing_dir)


@task(name="load-extractions", cache_policy=NO_CACHE)
def load_batch(db: str | Lake, bundles: list[ExtractionBundle], hashes: dict[str, str]) -> int:
    con = warehouse.connect(db)
    try:
        return warehouse.load_extractions(con, bundles, hashes)
    finally:
        con.close()


def _batches(refs: list[LandedRef], size: int) -> Iterator[list[LandedRef]]:
    iterator = iter(refs)
    while batch := list(islice(iterator, size)):
        yield batch


def dask_batches(refs: list[LandedRef], workers: int) -> Iterator[list[LandedRef]]:
    """`refs` in batches for `workers` Dask workers: DASK_BATCH_SIZE while there is plenty
    left, then half of each worker's share of what remains (guided self-scheduling), never
    under DASK_MIN_BATCH_SIZE. The last batches are short, so the
    workers finish together however the documents' lengths vary."""
    largest = DASK_BATCH_SIZE
    smallest = min(DASK_MIN_BATCH_SIZE, largest)
    start = 0
    while start < len(refs):
        share = -(-(len(refs) - start) // (2 * max(1, workers)))  # rounded up
        size = max(smallest, min(largest, share))
        yield refs[start : start + size]
        start += size


@dataclass(frozen=True)
class LandedBatch:
    """What a worker made of a batch of landed records: every document's id and content
    hash, their facts, and the records that were not documents."""

    documents: list[tuple[str, str]] = field(default_factory=list)
    bundles: list[ExtractionBundle] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


@task(name="extract-landed", cache_policy=NO_CACHE)
def extract_landed(refs: list[LandedRef]) -> LandedBatch:
    """On a Dask worker: read `refs` from the landing zone and extract their documents with
    the worker's own Extractor.

    Which of them are stored is not known before reading them, and the stored ids are too
    many to send with every batch: the flow keeps the stored ones (landed records that never
    became stored documents are rare: the watcher's filtered filings, unreadable pages).
    """
    from minwatch.flows.cluster import extract_here

    batch = LandedBatch()
    docs: list[Document] = []
    for raw in read_landed(refs):
        try:
            doc = to_document(raw)
        except DocumentError as exc:
            batch.unreadable.append(f"skipping {raw.source_id}: {exc}")
            continue
        batch.documents.append((doc.doc_id, doc.content_hash))
        docs.append(doc)
    batch.bundles.extend(extract_here(docs) if docs else [])
    return batch


@flow(name="reprocess", log_prints=True)
def reprocess(
    db: str,
    landing_dir: str | None = None,
    *,
    dask: str | None = None,
    lake_data_path: str | None = None,
) -> ReprocessSummary:
    """Re-extract the warehouse `db` from the landing zone `landing_dir` (any fsspec URL).

    `db` is a warehouse file or a DuckLake warehouse ("ducklake:<catalog>", with
    `lake_data_path`). With `dask` (a scheduler address; the flow must then run with
    `flows.cluster.dask_task_runner`), batches are read and extracted on the cluster's
    workers and loaded here, batch by batch, as they come back.
    """
    target = parse_target(db, lake_data_path)
    if isinstance(target, Lake):
        if not landing_dir:
            raise ValueError("a DuckLake warehouse has no folder beside it: name the landing zone")
        return _reprocess_lake(target, landing_dir, dask)
    return _reprocess_file(Path(db), landing_dir, dask)


def _reprocess_file(db_path: Path, landing_dir: str | None, dask: str | None) -> ReprocessSummary:
    """The file warehouse's reprocess: under the run lock, into the working file, published
    at the end; extraction in this process or, with `dask`, on the cluster (only this process
    writes the file either way)."""
    # A URL (fsspec) is kept as text: Path would fold its "//".
    landing = landing_dir or str(db_path.parent / "landing")
    started_at = datetime.now(UTC)
    run_id = new_run_id(started_at)
    with exclusive_run(db_path):
        work = prepare_work_file(db_path)
        con = warehouse.connect(work)
        try:
            begin_run(
                con,
                run_id,
                mode="reprocess",
                started_at=started_at,
                db_path=db_path,
                landing_dir=None if "://" in landing else Path(landing),
            )
            stored = warehouse.stored_content_hashes(con)
        finally:
            con.close()
        if dask:
            counts = _extract_on_dask(str(work), landing, stored, dask)
        else:
            with extraction_workers():
                counts = _extract_here(str(work), landing, stored)
        finished_at = datetime.now(UTC)
        con = warehouse.connect(work)
        try:
            warehouse.finish_run(con, run_id, status="ok", finished_at=finished_at)
        finally:
            con.close()
        publish_snapshot(str(db_path))
    return _summary(run_id, str(db_path), stored, counts, started_at, finished_at)


def _reprocess_lake(lake: Lake, landing: str, dask: str | None) -> ReprocessSummary:
    """A DuckLake warehouse needs no lock, working file or publication: each batch's load
    is one transaction, which readers see whole or not at all."""
    started_at = datetime.now(UTC)
    run_id = new_run_id(started_at)
    con = warehouse.connect(lake)
    try:
        # Not begin_run: other writers' runs may be live, so 'running' does not mean dead.
        warehouse.start_run(con, run_id, mode="reprocess", started_at=started_at)
        stored = warehouse.stored_content_hashes(con)
    finally:
        con.close()
    if dask:
        counts = _extract_on_dask(lake, landing, stored, dask)
    else:
        with extraction_workers():
            counts = _extract_here(lake, landing, stored)
    finished_at = datetime.now(UTC)
    con = warehouse.connect(lake)
    try:
        warehouse.finish_run(con, run_id, status="ok", finished_at=finished_at)
    finally:
        con.close()
    return _summary(run_id, str(lake), stored, counts, started_at, finished_at)


@dataclass
class _Counts:
    documents: int = 0
    changed: int = 0
    unreadable: int = 0
    drift: int = 0
    found: set[str] = field(default_factory=set)


def _extract_here(db: str | Lake, landing: str, stored: dict[str, str]) -> _Counts:
    """Without Dask, the landing zone is re-extracted batch by batch in this process."""
    logger = get_run_logger()
    counts = _Counts()
    refs = index_landing(landing)
    for batch in _batches(list(refs.values()), BATCH_SIZE):
        docs: list[Document] = []
        for raw in read_landed(batch):
            try:
                doc = to_document(raw)
            except DocumentError as exc:
                logger.warning("skipping %s: %s", raw.source_id, exc)
                counts.unreadable += 1
                continue
            if doc.doc_id in stored:
                docs.append(doc)
        if not docs:
            continue
        bundles = extract("reprocess", docs)
        hashes = {d.doc_id: stored[d.doc_id] for d in docs}
        counts.drift += sum(1 for d in docs if d.content_hash != stored[d.doc_id])
        counts.changed += load_batch(db, as_is(bundles), as_is(hashes))
        counts.documents += len(docs)
        counts.found.update(d.doc_id for d in docs)
        logger.info("re-extracted %d documents so far", counts.documents)
    return counts


def _extract_on_dask(db: str | Lake, landing: str, stored: dict[str, str], dask: str) -> _Counts:
    """Batches go to the cluster's workers, a bounded number in flight; their results are
    loaded here in order, BATCH_SIZE documents a load whatever the size of the workers'
    batches: each load opens the warehouse and commits (a file checkpoint, a DuckLake
    snapshot), ~0.1-0.3 s of this process, which shares the machine with the workers."""
    from minwatch.flows.cluster import prepare_cluster

    logger = get_run_logger()
    counts = _Counts()
    workers = max(1, prepare_cluster(dask))
    refs = index_landing(landing)
    window = workers * DASK_BATCHES_IN_FLIGHT_PER_WORKER
    pending: deque[Any] = deque()
    bundles: list[ExtractionBundle] = []
    hashes: dict[str, str] = {}
    waiting = 0  # documents in `bundles`, not loaded yet

    def take(result: LandedBatch) -> None:
        nonlocal waiting
        for message in result.unreadable:
            logger.warning(message)
        counts.unreadable += len(result.unreadable)
        kept = [(doc_id, h) for doc_id, h in result.documents if doc_id in stored]
        ids = {doc_id for doc_id, _ in kept}
        bundles.extend(b for b in result.bundles if b.doc_id in ids)
        hashes.update((doc_id, stored[doc_id]) for doc_id in ids)
        counts.drift += sum(1 for doc_id, h in kept if h != stored[doc_id])
        counts.found.update(ids)
        waiting += len(kept)
        if waiting >= BATCH_SIZE:
            load()

    def load() -> None:
        nonlocal waiting
        if not waiting:
            return
        counts.changed += load_batch(db, as_is(list(bundles)), as_is(dict(hashes)))
        counts.documents += waiting
        bundles.clear()
        hashes.clear()
        waiting = 0
        logger.info("re-extracted %d documents so far", counts.documents)

    for batch in dask_batches(list(refs.values()), workers):
        pending.append(extract_landed.submit(batch))
        if len(pending) >= window:
            take(pending.popleft().result())
    while pending:
        take(pending.popleft().result())
    load()
    return counts


def _summary(
    run_id: str,
    db: str,
    stored: dict[str, str],
    counts: _Counts,
    started_at: datetime,
    finished_at: datetime,
) -> ReprocessSummary:
    return ReprocessSummary(
        run_id=run_id,
        db_path=db,
        extractor_version=EXTRACTOR_VERSION,
        documents=counts.documents,
        changed=counts.changed,
        missing_raw=len(set(stored) - counts.found),
        unreadable=counts.unreadable,
        text_drift=counts.drift,
        started_at=started_at,
        finished_at=finished_at,
    )


def run_reprocess(
    db: str,
    landing_dir: str | None = None,
    *,
    dask: str | None = None,
    lake_data_path: str | None = None,
) -> ReprocessSummary:
    """`reprocess`, on the Dask cluster at `dask` when given (Prefect's DaskTaskRunner)."""
    if not dask:
        return reprocess(db, landing_dir, lake_data_path=lake_data_path)
    from minwatch.flows.cluster import check_address, dask_task_runner, prefect_api_for_workers

    address = check_address(dask)
    on_dask = reprocess.with_options(task_runner=dask_task_runner(address))
    with prefect_api_for_workers():
        return on_dask(db, landing_dir, dask=address, lake_data_path=lake_data_path)


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
