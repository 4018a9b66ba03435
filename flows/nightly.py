"""The nightly Prefect flow: crawl each source -> load documents -> extract -> load facts.

The flow only wires functions from `spiders`, `nlp` and `warehouse`. Crawls are the only network
step, so they alone retry; a source that still fails is recorded in `runs` and the others go on.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.states import Failed

from minwatch import warehouse
from minwatch.flows.alerts import AlertConfig, AlertRunSummary, load_alert_config, run_alerts
from minwatch.flows.lock import (
    OUTBOX_CLAIM,
    WAIT_FOR_POLL_S,
    claimed_elsewhere,
    exclusive_run,
    lake_claims,
    run_claim,
    source_claim,
)
from minwatch.flows.logs import quiet_task_chatter
from minwatch.flows.report import write_night_reports
from minwatch.flows.state import crawl_state_for, save_crawl_state
from minwatch.flows.transform import (
    announcement_row,
    document_row,
    extraction_bundle,
    failure_row,
    notice_row,
)
from minwatch.spiders.documents import Document, DocumentError, read_landing, to_document
from minwatch.spiders.items import FetchFailure
from minwatch.spiders.landing import remove_abandoned_parts
from minwatch.spiders.registry import DEFAULT_SOURCES
from minwatch.spiders.runner import CrawlResult, run_crawl, start_crawl_server
from minwatch.spiders.state import PERMANENT_FAILURES, CrawlState
from minwatch.warehouse.db import lake_attached
from minwatch.warehouse.lake import Lake, parse_target
from minwatch.warehouse.records import ExtractionBundle, FetchErrorRow, SourceRunStats
from minwatch.warehouse.snapshot import prepare_work_file, publish

if TYPE_CHECKING:
    # spaCy costs ~0.5-1 s to import: a night with nothing new never extracts, so `nlp` is
    # imported where a night first extracts or checks what needs extracting.
    from minwatch.nlp import ExtractionPool, Extractor

# A first run with no watermark looks back this far; SAM's API caps one query at 365 days, the
# spider splits longer spans into windows.
FIRST_RUN_LOOKBACK_DAYS = 730
# Notices are sometimes posted late with an earlier postedDate; re-reading a few days is cheap
# because loads are upserts.
WATERMARK_OVERLAP_DAYS = 3
# Extraction is the costliest stage of a night; large batches use every core.
EXTRACT_PROCESSES = max(1, min(os.cpu_count() or 1, 4))
PARALLEL_EXTRACTION_MIN_DOCS = 200
# On a Dask cluster a source's documents go to the workers in batches of this size: small
# enough that a night's few hundred documents spread over several workers, large enough that
# a task's bookkeeping (~90 ms, docs/scaling.md) stays a few percent of its extraction.
DASK_EXTRACT_BATCH = 50
# Sources whose query takes a date window (every spider reads `from_date` / `until_date`), and
# whether the night also ends the window; the others search up to the present. GDELT keeps
# about 3 months: an older start finds nothing more.
WINDOWED_SOURCES: dict[str, bool] = {"sam_gov": True, "federal_register": False, "gdelt": False}
# Errors after which the night's data is still whole: the page is gone for good (its entry
# landed from the list or feed), or the document landed and the error is a finding about it.
# Any other error holds the source's watermark, so the next night searches the window again.
WATERMARK_NEUTRAL_ERRORS = PERMANENT_FAILURES | {
    "unexpected_language",
    "charset_mismatch",
    "invalid_encoding",
}


@dataclass(frozen=True)
class SourceConfig:
    name: str
    base_url: str | None = None
    spider_args: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, str] = field(default_factory=dict)  # Scrapy settings for this source
    # What the last crawls saw (validators, seen ids), read from the warehouse by the flow.
    state: CrawlState | None = None
    # A window re-crawled on demand (`minwatch run --from/--until`): everything in it is
    # fetched again and the watermark stays where it is.
    on_demand: bool = False


@dataclass(frozen=True)
class SourceOutcome:
    stats: SourceRunStats
    extracted: int = 0
    mentions: int = 0
    procurement_lines: int = 0


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    mode: str
    db_path: str
    started_at: datetime
    finished_at: datetime
    status: str
    outcomes: tuple[SourceOutcome, ...]
    table_counts: Mapping[str, int]
    report_path: str | None = None
    alerts: AlertRunSummary | None = None


class CrawlFailed(RuntimeError):
    pass


class NightFailed(RuntimeError):
    """A night with a failed source: the flow run ends Failed; `summary` is the whole night."""

    def __init__(self, message: str, summary: RunSummary) -> None:
        super().__init__(message)
        self.summary = summary


UNREADABLE_DOCUMENT = "unreadable_document"


@lru_cache(maxsize=1)
def shared_extractor() -> Extractor:
    from minwatch.nlp import Extractor

    return Extractor()


_extraction_pool: ExtractionPool | None = None
_extraction_pool_lock = threading.Lock()


def _shared_extraction_pool() -> ExtractionPool:
    global _extraction_pool
    with _extraction_pool_lock:
        if _extraction_pool is None:
            from minwatch.nlp import ExtractionPool

            _extraction_pool = ExtractionPool(EXTRACT_PROCESSES)
        return _extraction_pool


@contextmanager
def extraction_workers() -> Iterator[None]:
    """A run's worker processes: the first large batch starts them, the run's end stops them.

    Starting workers costs seconds (each loads spaCy), so the sources of one night share them.
    """
    global _extraction_pool
    try:
        yield
    finally:
        with _extraction_pool_lock:
            if _extraction_pool is not None:
                _extraction_pool.close()
                _extraction_pool = None


def source_configs(
    names: Sequence[str] | None = None, base_urls: Mapping[str, str] | None = None
) -> list[SourceConfig]:
    """`names`, else the sources the settings enable (flows/settings.py); a base URL comes from
    the argument, else `MINWATCH_<SOURCE>_BASE_URL`, else `[sources.NAME] base_url`.

    Crawl processes get the sources added by configuration and the contact URL through the
    environment they inherit.
    """
    from minwatch.flows.settings import load_settings
    from minwatch.spiders.configured import AddedSource, export_added_sources

    settings = load_settings()
    export_added_sources(AddedSource(**spec) for spec in settings.added_sources())
    if settings.contact_url:
        os.environ.setdefault("MINWATCH_CONTACT_URL", settings.contact_url)
    enabled, configured_urls = settings.source_plan(DEFAULT_SOURCES)
    configs = []
    for name in names or enabled:
        url = (base_urls or {}).get(name) or configured_urls.get(name)
        configs.append(SourceConfig(name=name, base_url=url))
    return configs


def spider_arguments(source: str, watermark: str | None, night: date) -> dict[str, str]:
    """Incremental state handed to a spider; spiders never read the warehouse themselves."""
    if source not in WINDOWED_SOURCES:
        return {}
    if watermark:
        start = date.fromisoformat(watermark) - timedelta(days=WATERMARK_OVERLAP_DAYS)
    else:
        start = night - timedelta(days=FIRST_RUN_LOOKBACK_DAYS)
    window = {"from_date": start.isoformat()}
    return window | ({"until_date": night.isoformat()} if WINDOWED_SOURCES[source] else {})


def _next_watermark(source: SourceConfig, night: date) -> str | None:
    """The night a finished crawl covered up to: its end argument, else the run's night."""
    if source.name not in WINDOWED_SOURCES:
        return None
    return str(source.spider_args.get("until_date", night.isoformat()))


def holds_watermark(errors: Sequence[FetchErrorRow]) -> bool:
    """True when something of the window may not have been fetched (search, page or quota)."""
    return any(e.error not in WATERMARK_NEUTRAL_ERRORS for e in errors)


# Scrapy's per-status response counts; robots.txt's are inside the downloader's too
_RESPONSE_COUNTS = {"downloader/response_status_count": 1, "robotstxt/response_status_count": -1}


def _usable(status: str) -> bool:
    return status.isdigit() and (200 <= int(status) < 300 or int(status) == 304)


def answered_requests(stats: Mapping[str, Any], errors: Sequence[FetchErrorRow]) -> int:
    """Responses the source gave that the spider could use: 2xx or 304, less robots.txt and
    the pages that came back with 200 but were recorded as failures (truncated, malformed)."""
    usable = 0
    for key, count in stats.items():
        head, _, status = key.rpartition("/")
        if head in _RESPONSE_COUNTS and _usable(status):
            usable += _RESPONSE_COUNTS[head] * int(count)
    return usable - sum(1 for e in errors if e.http_status and _usable(str(e.http_status)))


def source_status(
    documents: int, errors: Sequence[FetchErrorRow], stats: Mapping[str, Any] | None = None
) -> str:
    """'failed' when the source gave nothing usable: no document, no list or feed that answered,
    and errors. A night whose lists answered but found only old failures again is 'partial',
    as the night that first met them was: the source is reachable, a page of it is broken."""
    if errors and not documents and answered_requests(stats or {}, errors) <= 0:
        return "failed"
    return "partial" if errors else "ok"


# Inputs are documents and file paths: hashing them for Prefect's cache would cost time for nothing.
@task(
    name="crawl",
    retries=2,
    retry_delay_seconds=15,
    cache_policy=NO_CACHE,
    task_run_name="crawl-{source.name}",
)
def crawl(source: SourceConfig, landing_dir: str, run_id: str) -> CrawlResult:
    logger = get_run_logger()

    def progress(p: dict[str, Any]) -> None:
        logger.info(
            "%s: crawling for %.0f s: %d fetched, %d landed, %d errors so far",
            source.name, p.get("elapsed_s", 0), p.get("fetched", 0), p.get("landed", 0),
            p.get("errors", 0),
        )  # fmt: skip

    result = run_crawl(
        source.name,
        landing_dir=Path(landing_dir),
        run_id=run_id,
        base_url=source.base_url,
        spider_args=dict(source.spider_args),
        settings=dict(source.settings),
        state=source.state,
        progress=progress,
    )
    if result.error:
        raise CrawlFailed(f"{source.name}: {result.error}")
    return result


@task(name="read-landing", cache_policy=NO_CACHE, task_run_name="read-{source}")
def read_landed(source: str, landing_path: str) -> tuple[list[Document], list[FetchErrorRow]]:
    documents: dict[str, Document] = {}
    errors: list[FetchErrorRow] = []
    for record in read_landing(Path(landing_path)):
        if isinstance(record, FetchFailure):
            errors.append(failure_row(record))
            continue
        try:
            doc = to_document(record)
        except DocumentError as exc:
            errors.append(
                FetchErrorRow(
                    source=source,
                    url=record.url,
                    source_id=record.source_id,
                    http_status=record.http_status,
                    error=UNREADABLE_DOCUMENT,
                    message=str(exc),
                    occurred_at=datetime.now(UTC),
                )
            )
            continue
        documents[doc.doc_id] = doc  # the last landing of a document in one crawl wins
    return list(documents.values()), errors


@task(name="load-documents", cache_policy=NO_CACHE, task_run_name="load-documents-{run_id}")
def load_documents(
    db: str | Lake, run_id: str, documents: list[Document]
) -> tuple[dict[str, Any], set[str]]:
    from minwatch.nlp import EXTRACTOR_VERSION

    rows = [document_row(d) for d in documents]
    notices = [n for n in (notice_row(d) for d in documents) if n is not None]
    announcements = [a for a in (announcement_row(d) for d in documents) if a is not None]
    con = warehouse.connect(db)
    try:
        statuses = warehouse.load_documents(con, run_id, rows, notices, announcements)
        stale = warehouse.needs_extraction(con, [d.doc_id for d in documents], EXTRACTOR_VERSION)
    finally:
        con.close()
    return statuses, stale


@task(name="extract", cache_policy=NO_CACHE, task_run_name="extract-{source}")
def extract(source: str, documents: list[Document]) -> list[ExtractionBundle]:
    items = (
        (
            d.text,
            {"language": d.language, "title": d.title, "known_suppliers": d.known_suppliers},
        )
        for d in documents
    )
    # Worker processes take seconds to start (each loads spaCy), so only a big batch gets them.
    if EXTRACT_PROCESSES > 1 and len(documents) >= PARALLEL_EXTRACTION_MIN_DOCS:
        facts = _shared_extraction_pool().extract_many(items)
    else:
        facts = shared_extractor().extract_many(items)
    return [
        extraction_bundle(doc.doc_id, doc_facts)
        for doc, doc_facts in zip(documents, facts, strict=True)
    ]


@task(name="extract-batch", cache_policy=NO_CACHE, task_run_name="extract-{source}-{part}")
def extract_batch(source: str, part: int, documents: list[Document]) -> list[ExtractionBundle]:
    """On a Dask worker: one batch of a source's documents, with the worker's own Extractor."""
    from minwatch.flows.cluster import extract_here

    return extract_here(documents)


def extract_documents(source: str, documents: list[Document]) -> list[ExtractionBundle]:
    """The facts of `documents`: on the Dask cluster the night runs on (`run --dask`), one
    task per batch spread over the workers; otherwise here, as `extract` does."""
    if not _on_dask():
        return extract(source, documents)
    size = DASK_EXTRACT_BATCH
    futures = [
        extract_batch.submit(source, part, documents[start : start + size])
        for part, start in enumerate(range(0, len(documents), size))
    ]
    return [bundle for future in futures for bundle in future.result()]


def _on_dask() -> bool:
    runner = getattr(FlowRunContext.get(), "task_runner", None)
    return type(runner).__name__ == "DaskTaskRunner"


@task(name="load-extractions", cache_policy=NO_CACHE, task_run_name="load-extractions-{source}")
def load_extractions(
    db: str | Lake, source: str, bundles: list[ExtractionBundle], hashes: dict[str, str]
) -> int:
    con = warehouse.connect(db)
    try:
        return warehouse.load_extractions(con, bundles, hashes)
    finally:
        con.close()


@task(name="record-source-run", cache_policy=NO_CACHE, task_run_name="record-{stats.source}")
def record_source_run(db: str | Lake, stats: SourceRunStats) -> None:
    con = warehouse.connect(db)
    try:
        warehouse.record_source_run(con, stats)
    finally:
        con.close()


@task(name="finish-source", cache_policy=NO_CACHE, task_run_name="finish-{stats.source}")
def finish_source(
    db: str | Lake,
    stats: SourceRunStats,
    state_path: str | None,
    watermark: str | None,
    unreadable: Sequence[str] = (),
) -> None:
    """The crawl state for the next night, then the source's row in `runs`.

    Runs after the load: nothing is marked seen before it is in the warehouse, and documents
    that landed but could not be read (`unreadable`) are not seen at all.
    """
    con = warehouse.connect(db)
    try:
        save_crawl_state(
            con,
            stats.source,
            Path(state_path) if state_path else None,
            watermark=watermark,
            forget=unreadable,
        )
        warehouse.record_source_run(con, stats)
    finally:
        con.close()


@task(name="alerts", cache_policy=NO_CACHE, retries=0)
def evaluate_and_send_alerts(db: str | Lake, run_id: str, config: AlertConfig) -> AlertRunSummary:
    """New announcements and watch-rule matches into the outbox, then every pending delivery.

    Delivery failures stay in the outbox and are retried by the next run, so no task retry.
    """
    return run_alerts(db, run_id, config)


def deliver_alerts(
    writes: str | Lake, run_id: str, config: AlertConfig, lake: Lake | None
) -> AlertRunSummary | None:
    """The run's alerts, evaluated and delivered; None when that failed (logged). On a lake,
    other runs share the outbox: one evaluates and delivers at a time (seconds), so an alert
    is neither recorded nor sent twice. The loads stand whatever happens here, and undelivered
    alerts wait in the outbox for the next run."""
    try:
        outbox = (
            lake_claims(lake, [OUTBOX_CLAIM], wait_s=OUTBOX_WAIT_S, what="alert delivery")
            if lake is not None
            else contextlib.nullcontext()
        )
        with outbox:
            return evaluate_and_send_alerts(writes, run_id, config)
    except Exception as exc:
        get_run_logger().error("alerts could not be evaluated: %s", exc)
        return None


@task(name="write-report", cache_policy=NO_CACHE)
def write_night_report(db: str, run_id: str, night: date) -> str:
    """The run's HTML digest, from the published snapshot (the working file is ours alone)."""
    now = datetime.combine(night, datetime.max.time(), tzinfo=UTC)
    return str(write_night_reports(db, run_id, now=now))


@task(name="publish-snapshot", cache_policy=NO_CACHE)
def publish_snapshot(db: str) -> str:
    """Analysts' file becomes this run's warehouse in one atomic rename."""
    return str(publish(db))


def _process_source(
    db: str | Lake,
    run_id: str,
    source: SourceConfig,
    crawl_result: CrawlResult,
    started_at: datetime,
    night: date,
    keep: Callable[[list[Document]], list[Document]] | None = None,
) -> SourceOutcome:
    """Load, extract and record one source's crawl; `keep` (the watcher's) drops documents
    that must not be loaded before anything is."""
    logger = get_run_logger()
    documents, errors = read_landed(source.name, str(crawl_result.landing_path))
    if keep is not None:
        documents = keep(documents)
    # A source with nothing new (feeds answered 304) skips the load: most of a quiet night.
    statuses, stale = load_documents(db, run_id, documents) if documents else ({}, set())
    counts = warehouse.summarize(statuses)
    to_extract = [d for d in documents if d.doc_id in stale]
    bundles = extract_documents(source.name, to_extract) if to_extract else []
    if bundles:
        load_extractions(db, source.name, bundles, {d.doc_id: d.content_hash for d in to_extract})
    stats = SourceRunStats(
        run_id=run_id,
        source=source.name,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        fetched=len(documents),
        failed=len(errors),
        status=source_status(len(documents), errors, crawl_result.stats),
        errors=tuple(errors),
        new=counts.new,
        updated=counts.updated,
        unchanged=counts.unchanged,
    )
    # The watermark moves only over a window fetched whole: a failed search, page or a night
    # cut short (quota, caps) is searched again. An on-demand window leaves it where it is.
    cut_short = crawl_result.stats.get("finish_reason") not in (None, "finished")
    watermark = None
    if not (source.on_demand or cut_short or holds_watermark(errors)):
        watermark = _next_watermark(source, night)
    state_path = str(crawl_result.state_path) if crawl_result.state_path else None
    # A page whose document could not be read is fetched again, not remembered as seen.
    unreadable = sorted(
        {e.source_id for e in errors if e.error == UNREADABLE_DOCUMENT and e.source_id}
    )
    finish_source(db, stats, state_path, watermark, unreadable)
    # The operator's line for the source (Prefect's per-task lines are dropped, flows/logs.py).
    log = logger.info if stats.status == "ok" else logger.warning
    log(
        "%s: %s, %d documents (%d new, %d updated, %d unchanged), %d errors, %d extracted",
        source.name, stats.status, stats.fetched, counts.new, counts.updated, counts.unchanged,
        len(errors), len(bundles),
    )  # fmt: skip
    return SourceOutcome(
        stats=stats,
        extracted=len(bundles),
        mentions=sum(len(b.mentions) for b in bundles),
        procurement_lines=sum(len(b.procurement_lines) for b in bundles),
    )


def _failed_source(
    run_id: str, source: str, started_at: datetime, exc: BaseException
) -> SourceRunStats:
    message = str(exc) or type(exc).__name__
    return SourceRunStats(
        run_id=run_id,
        source=source,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        failed=1,
        status="failed",
        errors=(
            FetchErrorRow(
                source=source,
                url="",
                source_id=None,
                http_status=None,
                error="crawl_failed",
                message=message,
                occurred_at=datetime.now(UTC),
            ),
        ),
    )


def begin_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    mode: str,
    started_at: datetime,
    db_path: Path | None = None,
    landing_dir: Path | None = None,
) -> None:
    """Register the run after clearing what killed runs left (the caller holds the lock, so
    no other run of this warehouse is alive): runs still 'running' are marked failed, their
    Prefect flow runs Crashed, their half-written files removed."""
    logger = get_run_logger()
    for dead in warehouse.close_interrupted_runs(con):
        logger.warning("run %s never finished (killed or crashed); marked failed", dead)
    if db_path is not None:
        for path in remove_leftovers(db_path, landing_dir or db_path.parent / "landing"):
            logger.warning("removed %s, left by a run that was killed", path)
        for name in mark_crashed_flow_runs(db_path):
            logger.warning("flow run %s was left running by a killed run; marked Crashed", name)
    warehouse.start_run(con, run_id, mode=mode, started_at=started_at)


# How long a night waits for another night's alert delivery on the same lake (seconds each).
OUTBOX_WAIT_S = 600.0


def begin_lake_run(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    run_id: str,
    *,
    mode: str,
    started_at: datetime,
    landing_dir: Path,
    sources: Sequence[str],
) -> None:
    """`begin_run` for a DuckLake warehouse, whose other writers may be alive: a run still
    'running' is dead only when no process holds its claim, and only the landing folders of
    the sources this run claimed are cleared of half-written files."""
    logger = get_run_logger()
    running = warehouse.running_runs(con)
    if running:
        live = claimed_elsewhere(lake, [run_claim(r) for r in running])
        dead = [r for r in running if run_claim(r) not in live and r != run_id]
        for gone in warehouse.close_interrupted_runs(con, dead):
            logger.warning("run %s never finished (killed or crashed); marked failed", gone)
    for path in remove_abandoned_parts(landing_dir, sources):
        logger.warning("removed %s, left by a run that was killed", path)
    warehouse.start_run(con, run_id, mode=mode, started_at=started_at)


# A `minwatch report` writing its own temporary file holds no lock: only older ones are stale.
_REPORT_TMP_AGE_S = 600


def remove_leftovers(db_path: Path, landing_dir: Path) -> list[Path]:
    """Half-written files of killed runs: landing `.part` files, snapshot and report `.tmp`s.

    Called under the run lock; none of them is ever read (a landing file and a snapshot only
    count once renamed), so they only take disk space and confuse whoever looks. A watch poll
    crawls without the lock: its landing files in progress are held (spiders/landing.py) and
    stay.
    """
    removed = remove_abandoned_parts(landing_dir)
    found = [*db_path.parent.glob(f".{db_path.name}.*.tmp")]
    cutoff = time.time() - _REPORT_TMP_AGE_S
    for report_tmp in (db_path.parent / "reports").glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if report_tmp.stat().st_mtime < cutoff:
                found.append(report_tmp)
    for path in found:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def mark_crashed_flow_runs(db_path: Path) -> list[str]:
    """Prefect flow runs of this warehouse still RUNNING: their process is gone (we hold the
    lock), so Prefect would show them running forever. Each is set Crashed; names returned."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.runtime import flow_run
    from prefect.states import Crashed

    ours = str(db_path.resolve())
    current = str(flow_run.get_id() or "")
    marked = []
    with get_client(sync_client=True) as client:
        running = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["nightly", "reprocess"])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING])
                )
            ),
        )
        for run in running:
            db = run.parameters.get("db")
            if str(run.id) == current or not isinstance(db, str):
                continue
            if str(Path(db).resolve()) != ours:
                continue
            client.set_flow_run_state(
                run.id,
                Crashed(message="the process running it was killed; found by the next run"),
                force=True,
            )
            marked.append(run.name)
    return marked


SUMMARY_ARTIFACT_KEY = "minwatch-run-summary"
# The views the summary counts (flows/summary.py); counting every view cost ~2 s a night.
SUMMARY_VIEWS = ("documents", "mentions", "procurements", "export_controls")


def attach_summary(summary: RunSummary) -> None:
    """The run summary as a markdown artifact on the flow run, where the UI shows it; one that
    cannot be written is logged and the night stands."""
    from prefect.artifacts import create_markdown_artifact

    from minwatch.flows.summary import markdown_summary

    try:
        create_markdown_artifact(
            markdown=markdown_summary(summary),
            key=SUMMARY_ARTIFACT_KEY,
            description=f"minwatch {summary.mode} run {summary.run_id}: {summary.status}",
        )
    except Exception as exc:
        get_run_logger().error("the run summary could not be attached to the flow run: %s", exc)


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@flow(name="nightly", log_prints=True)
def nightly(
    db: str,
    sources: list[dict[str, Any]] | None = None,
    night: str | None = None,
    mode: str = "nightly",
    landing_dir: str | None = None,
    send_alerts: bool = True,
    from_date: str | None = None,
    until_date: str | None = None,
    lake_data_path: str | None = None,
) -> RunSummary:
    """Crawl every configured source, land raw items, extract facts and load DuckDB.

    `sources` holds `{"name", "base_url", "spider_args", "settings"}` dicts (default: every
    registered source); `night` is the ISO date the run covers (default: today, UTC).
    `from_date` (with `until_date`, default the night) re-crawls that window on demand: every
    spider gets it, fetches what it lists again, and no watermark moves.
    Secrets never pass through parameters: spiders read the SAM.gov key from the environment.

    A night with a failed source ends the flow run Failed: called directly, the flow raises
    `NightFailed`, whose `summary` is the whole night (every other source was loaded).

    `db` may be a DuckLake warehouse ("ducklake:<catalog>", `lake_data_path` for its Parquet
    files; warehouse/lake.py): then the night claims its sources in the catalog instead of
    taking the file's lock, writes the lake directly (no working file, nothing to publish),
    and other nights of other sources may load at the same time.
    """
    quiet_task_chatter()
    logger = get_run_logger()
    target = parse_target(db, lake_data_path)
    lake = target if isinstance(target, Lake) else None
    db_path = Path(db) if lake is None else None
    if landing_dir:
        landing = Path(landing_dir)
    elif db_path is not None:
        landing = db_path.parent / "landing"
    else:
        raise ValueError("a DuckLake warehouse has no folder beside it: name the landing zone")
    configs = [SourceConfig(**s) for s in sources] if sources else source_configs()
    run_night = date.fromisoformat(night) if night else datetime.now(UTC).date()
    started_at = datetime.now(UTC)
    run_id = new_run_id(started_at)

    # A broken alert configuration stops the night before anything is crawled.
    alert_config = load_alert_config() if send_alerts else None
    guard: contextlib.AbstractContextManager[None]
    if isinstance(target, Lake):
        claims = [*(source_claim(c.name) for c in configs), run_claim(run_id)]
        guard = lake_claims(target, claims, poll_wait_s=WAIT_FOR_POLL_S)
    else:
        guard = exclusive_run(target)
    with guard, extraction_workers(), lake_attached(target):
        start_crawl_server()  # its imports overlap the preparation below
        work = target if isinstance(target, Lake) else prepare_work_file(target)
        con = warehouse.connect(work)
        try:
            if lake is not None:
                begin_lake_run(
                    con, lake, run_id, mode=mode, started_at=started_at, landing_dir=landing,
                    sources=[c.name for c in configs],
                )  # fmt: skip
            else:
                begin_run(
                    con,
                    run_id,
                    mode=mode,
                    started_at=started_at,
                    db_path=db_path,
                    landing_dir=landing,
                )
            for i, cfg in enumerate(configs):
                watermark, _ = warehouse.get_source_state(con, cfg.name)
                args = {**spider_arguments(cfg.name, watermark, run_night), **cfg.spider_args}
                state = crawl_state_for(con, cfg.name)
                if from_date:
                    args |= {"from_date": from_date, "until_date": until_date or str(run_night)}
                    state = CrawlState()  # nothing in the window counts as seen
                configs[i] = SourceConfig(
                    cfg.name, cfg.base_url, args, cfg.settings, state, on_demand=bool(from_date)
                )
        finally:
            con.close()

        # Tasks get the file's path as text, a lake as itself (it carries its data path).
        writes: str | Lake = str(work) if lake is None else lake
        crawl_task = crawl.with_options(
            retry_delay_seconds=float(os.environ.get("MINWATCH_CRAWL_RETRY_DELAY_S", "15"))
        )
        futures = {cfg.name: crawl_task.submit(cfg, str(landing), run_id) for cfg in configs}
        outcomes: list[SourceOutcome] = []
        for cfg in configs:
            source_started = datetime.now(UTC)
            try:
                crawl_result = futures[cfg.name].result()
                outcomes.append(
                    _process_source(writes, run_id, cfg, crawl_result, source_started, run_night)
                )
            except Exception as exc:  # one broken source must not stop the others
                logger.error("%s failed: %s", cfg.name, exc)
                stats = _failed_source(run_id, cfg.name, source_started, exc)
                record_source_run(writes, stats)
                outcomes.append(SourceOutcome(stats=stats))

        alerts = None
        if alert_config is not None:
            alerts = deliver_alerts(writes, run_id, alert_config, lake)
        status = "ok"
        if any(o.stats.status == "failed" for o in outcomes):
            status = "failed"
        elif any(o.stats.status == "partial" for o in outcomes):
            status = "partial"
        finished_at = datetime.now(UTC)
        con = warehouse.connect(work)
        try:
            warehouse.finish_run(con, run_id, status=status, finished_at=finished_at)
            counts = warehouse.table_counts(con, views=SUMMARY_VIEWS)
        finally:
            con.close()
        report_path = None
        if db_path is not None:
            publish_snapshot(str(db_path))
            try:
                report_path = write_night_report(str(db_path), run_id, run_night)
            except Exception as exc:  # a digest that cannot be drawn must not undo a night
                logger.error("the HTML report could not be written: %s", exc)

    summary = RunSummary(
        run_id=run_id,
        mode=mode,
        db_path=str(db_path if lake is None else lake),
        started_at=started_at,
        finished_at=finished_at,
        status=status,
        outcomes=tuple(outcomes),
        table_counts=counts,
        report_path=report_path,
        alerts=alerts,
    )
    attach_summary(summary)
    failed = [o.stats.source for o in outcomes if o.stats.status == "failed"]
    if failed:
        message = f"{len(failed)} of {len(outcomes)} sources failed: {', '.join(failed)}"
        # A returned Failed state (not a raised exception) ends the run Failed without a
        # traceback in the log; the summary travels inside it.
        # Prefect turns a returned state into the run's own: callers get NightFailed raised.
        return Failed(message=message, data=NightFailed(message, summary))  # type: ignore[return-value]
    return summary
