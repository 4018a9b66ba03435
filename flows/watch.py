"""The fast lane: poll the export-control lists between nights and alert within minutes.

A poll crawls only the first page of the MOFCOM announcement lists and the Federal Register's
public inspection desk, with the crawl state of the published warehouse (conditional GETs,
identities already landed), through the same crawl subprocess as the night. A poll that landed
nothing (every list answered 304 or unchanged) writes nothing and takes no lock. A poll that
landed documents takes the warehouse lock as a watch poll (flows/lock.py): it waits
`lock_wait_s` for a night to finish and otherwise skips its turn, saying so in the log (what it
found is fetched again by the next poll, since its crawl state was not saved). Under the lock it
loads, extracts, records and alerts exactly as the night does (`flows.nightly`), then publishes
the snapshot: the same identities, the same outbox, one alert per announcement whichever lane
saw it first. A night that starts during a poll waits for it (`WAIT_FOR_POLL_S`).

See docs/alerts.md for the two lanes, their latencies and costs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger

from minwatch import warehouse
from minwatch.flows.alerts import AlertRunSummary, load_alert_config
from minwatch.flows.lock import (
    WATCH_ROLE,
    RunLocked,
    exclusive_run,
    lake_claims,
    run_claim,
    source_claim,
    watch_claim,
)
from minwatch.flows.nightly import (
    WATERMARK_NEUTRAL_ERRORS,
    SourceConfig,
    SourceOutcome,
    _failed_source,
    _process_source,
    begin_run,
    crawl,
    deliver_alerts,
    new_run_id,
    publish_snapshot,
    record_source_run,
    source_configs,
)
from minwatch.flows.state import crawl_state_for
from minwatch.spiders.documents import Document, read_landing
from minwatch.spiders.items import FetchFailure
from minwatch.spiders.runner import CrawlResult
from minwatch.spiders.state import CrawlState
from minwatch.warehouse.db import lake_attached
from minwatch.warehouse.lake import Lake, parse_target
from minwatch.warehouse.snapshot import prepare_work_file

# The export-control sources' list pages and the public inspection desk.
WATCH_SOURCES: tuple[str, ...] = (
    "mofcom_zh",
    "mofcom_zcfb",
    "mofcom_aqygzj",
    "mofcom_exportcontrol",
    "mofcom_en",
    "federal_register_pi",
)
DEFAULT_INTERVAL_S = 600.0
# How long a poll that found something waits for a night holding the lock before skipping.
DEFAULT_LOCK_WAIT_S = 30.0
# Lists are newest first: a new announcement is on the first page; the night reads them whole.
WATCH_SPIDER_ARGS: dict[str, dict[str, str]] = {
    "mofcom_zh": {"max_list_pages": "1"},
    "mofcom_zcfb": {"max_list_pages": "1"},
    "mofcom_aqygzj": {"max_list_pages": "1"},
    # (the portal's announcements column only: its news columns carry no new controls)
    "mofcom_exportcontrol": {"max_list_pages": "1", "columns": "15"},
    "mofcom_en": {"max_list_pages": "1"},
}
# Published Federal Register documents, whose public inspection filing must not replace them.
PUBLISHED_SOURCE = "federal_register"
PUBLIC_INSPECTION_SOURCE = "federal_register_pi"
ROBOTS_CACHE = ".robots"  # under the landing zone


@dataclass(frozen=True)
class SourcePoll:
    """What one source's crawl cost and found in a poll."""

    source: str
    documents: int
    failures: int
    requests: int
    response_bytes: int
    not_modified: int
    error: str | None = None


@dataclass(frozen=True)
class PollSummary:
    poll_id: str
    # idle: nothing landed, nothing written; loaded: loaded and alerted; skipped: found
    # something but another run held the lock; failed: a crawl did not run to its end.
    status: str
    started_at: datetime
    finished_at: datetime
    sources: tuple[SourcePoll, ...]
    outcomes: tuple[SourceOutcome, ...] = ()
    alerts: AlertRunSummary | None = None
    message: str = ""
    new_alert_keys: tuple[str, ...] = field(default=())

    @property
    def requests(self) -> int:
        return sum(s.requests for s in self.sources)

    @property
    def response_bytes(self) -> int:
        return sum(s.response_bytes for s in self.sources)


def watch_configs(
    names: Sequence[str] | None = None,
    base_urls: Mapping[str, str] | None = None,
    spider_args: Mapping[str, Mapping[str, str]] | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The watch sources as `watch_poll`'s `sources` parameter (plain dicts, for Prefect)."""
    unknown = sorted(set(names or ()) - set(WATCH_SOURCES))
    if unknown:
        raise ValueError(
            f"not a watched source: {', '.join(unknown)}; watched: {', '.join(WATCH_SOURCES)}"
        )
    return [
        {
            "name": c.name,
            "base_url": c.base_url,
            "spider_args": {
                **WATCH_SPIDER_ARGS.get(c.name, {}),
                **(spider_args or {}).get(c.name, {}),
            },
            "settings": dict(settings or {}),
        }
        for c in source_configs(list(names or WATCH_SOURCES), base_urls)
    ]


def stored_states(db_path: Path | Lake, sources: Sequence[str]) -> dict[str, CrawlState]:
    """Each source's crawl state in the published snapshot (or the lake's latest), read
    without the lock (a poll that finds nothing never waits for the night)."""
    if isinstance(db_path, Path) and not db_path.exists():
        return {}
    # A lake is attached writable: a new one is created (and migrated) like a new file would be.
    con = warehouse.connect(db_path, read_only=isinstance(db_path, Path))
    try:
        known = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'source_state'"
        ).fetchone()
        if not known or not known[0]:
            return {}
        return {name: crawl_state_for(con, name) for name in sources}
    finally:
        con.close()


def _source_poll(name: str, result: CrawlResult | None, error: str | None = None) -> SourcePoll:
    stats = result.stats if result is not None else {}
    return SourcePoll(
        source=name,
        documents=result.documents if result is not None else 0,
        failures=result.failures if result is not None else 0,
        requests=int(stats.get("downloader/request_count", 0)),
        response_bytes=int(stats.get("downloader/response_bytes", 0)),
        not_modified=int(stats.get("minwatch/not_modified", 0)),
        error=error,
    )


def list_failure(result: CrawlResult) -> str | None:
    """Why a crawl could not read its list or API page (a failure naming no document), if it
    could not; a failed detail page is retried by the next poll and is not one."""
    if not result.failures:
        return None
    for record in read_landing(result.landing_path):
        if (
            isinstance(record, FetchFailure)
            and record.source_id is None
            and record.error not in WATERMARK_NEUTRAL_ERRORS
        ):
            return f"{record.error}: {record.message}"
    return None


def published_filter(work: Path | Lake) -> Callable[[list[Document]], list[Document]]:
    """Drops public inspection filings of documents already loaded as published: a filing
    seen after its publication must not turn the published version back into a filing."""

    def keep(documents: list[Document]) -> list[Document]:
        ids = [d.doc_id for d in documents]
        if not ids:
            return documents
        con = warehouse.connect(work)
        try:
            rows = con.execute(
                "SELECT doc_id FROM document WHERE source = ? AND doc_id IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [PUBLISHED_SOURCE, ids],
            ).fetchall()
        finally:
            con.close()
        published = {r[0] for r in rows}
        return [d for d in documents if d.doc_id not in published]

    return keep


@flow(name="watch", log_prints=True)
def watch_poll(
    db: str,
    sources: list[dict[str, Any]] | None = None,
    landing_dir: str | None = None,
    lock_wait_s: float = DEFAULT_LOCK_WAIT_S,
    send_alerts: bool = True,
    lake_data_path: str | None = None,
) -> PollSummary:
    """One poll of the export-control lists and the public inspection desk (module doc).

    `sources` holds `{"name", "base_url", "spider_args", "settings"}` dicts (default: every
    watched source, see `watch_configs`). `db` may be a DuckLake warehouse ("ducklake:...",
    with `lake_data_path`): a poll that found something then claims its sources in the
    catalog (flows/lock.py) instead of taking the file's lock, and loads the lake directly.
    """
    logger = get_run_logger()
    db_path = parse_target(db, lake_data_path)
    if landing_dir:
        landing = Path(landing_dir)
    elif isinstance(db_path, Path):
        landing = db_path.parent / "landing"
    else:
        raise ValueError("a DuckLake warehouse has no folder beside it: name the landing zone")
    configs = [SourceConfig(**s) for s in (sources or watch_configs())]
    started_at = datetime.now(UTC)
    poll_id = new_run_id(started_at)
    alert_config = load_alert_config() if send_alerts else None

    states = stored_states(db_path, [c.name for c in configs])
    # robots.txt is obeyed from a copy at most a day old, not asked for by every poll.
    robots = {"MINWATCH_ROBOTS_CACHE_DIR": str((landing / ROBOTS_CACHE).resolve())}
    configs = [
        replace(c, state=states.get(c.name), settings={**robots, **c.settings}) for c in configs
    ]
    # A poll does not retry: the next one comes within the interval.
    crawl_once = crawl.with_options(retries=0)
    futures = {c.name: crawl_once.submit(c, str(landing), poll_id) for c in configs}
    results: dict[str, CrawlResult] = {}
    polls: list[SourcePoll] = []
    failed: dict[str, BaseException] = {}
    for cfg in configs:
        try:
            result = futures[cfg.name].result()
        except Exception as exc:  # one broken source must not stop the others
            failed[cfg.name] = exc
            polls.append(_source_poll(cfg.name, None, str(exc)))
            logger.error("%s: poll failed: %s", cfg.name, exc)
            continue
        results[cfg.name] = result
        polls.append(_source_poll(cfg.name, result))
        logger.info(
            "%s: %d requests (%d not modified), %d B; %d new documents, %d failures",
            cfg.name,
            polls[-1].requests,
            polls[-1].not_modified,
            polls[-1].response_bytes,
            result.documents,
            result.failures,
        )

    # A list or the desk that could not be read: the poll saw nothing of that source.
    unread = {name: why for name, r in results.items() if (why := list_failure(r))}
    for name, why in unread.items():
        logger.error("%s: its list could not be read: %s", name, why)
    landed = [c for c in configs if c.name in results and results[c.name].documents]
    if not landed:
        broken = sorted({*failed, *unread})
        status = "failed" if broken else "idle"
        message = f"failed: {', '.join(broken)}" if broken else "nothing new"
        if any(p.failures for p in polls):
            # Left to the night to record: a poll rewriting the same failures every ten
            # minutes would bury them; the log says them now.
            message += "; failures are logged, the night records them"
        logger.log(40 if broken else 20, "poll %s: %s", poll_id, message)
        return PollSummary(
            poll_id, status, started_at, datetime.now(UTC), tuple(polls), message=message
        )

    guard: contextlib.AbstractContextManager[None]
    if isinstance(db_path, Lake):
        names = [c.name for c in landed]
        claims = [*map(source_claim, names), *map(watch_claim, names), run_claim(poll_id)]
        guard = lake_claims(db_path, claims, wait_s=lock_wait_s, what="night or poll")
    else:
        guard = exclusive_run(db_path, role=WATCH_ROLE, wait_s=lock_wait_s)
    try:
        with guard, lake_attached(db_path):
            outcomes, alerts = _load(
                db_path, poll_id, started_at, configs, results, failed, alert_config
            )
    except RunLocked as exc:
        message = (
            f"skipped its turn after waiting {lock_wait_s:g} s: {exc}; the next poll fetches "
            "what this one found again"
        )
        logger.warning("poll %s: %s", poll_id, message)
        return PollSummary(
            poll_id, "skipped", started_at, datetime.now(UTC), tuple(polls), message=message
        )
    new_keys = alerts.new_alerts if alerts is not None else ()
    failed = {**failed, **{name: RuntimeError(why) for name, why in unread.items()}}
    message = (
        f"loaded {sum(o.stats.new for o in outcomes)} new and "
        f"{sum(o.stats.updated for o in outcomes)} updated documents; "
        f"{len(new_keys)} new alerts"
    )
    logger.info("poll %s: %s", poll_id, message)
    return PollSummary(
        poll_id,
        "failed" if failed else "loaded",
        started_at,
        datetime.now(UTC),
        tuple(polls),
        outcomes=tuple(outcomes),
        alerts=alerts,
        message=message,
        new_alert_keys=tuple(new_keys),
    )


def _load(
    db_path: Path | Lake,
    poll_id: str,
    started_at: datetime,
    configs: Sequence[SourceConfig],
    results: Mapping[str, CrawlResult],
    failed: Mapping[str, BaseException],
    alert_config: Any,
) -> tuple[list[SourceOutcome], AlertRunSummary | None]:
    """Under the lock: the night's own load, extract, record and alert steps, then publish
    (a lake has nothing to publish: each load is seen whole when it commits)."""
    lake = db_path if isinstance(db_path, Lake) else None
    work = db_path if isinstance(db_path, Lake) else prepare_work_file(db_path)
    # Tasks get the file's path as text, a lake as itself.
    writes: str | Lake = lake if lake is not None else str(work)
    con = warehouse.connect(work)
    try:
        if lake is None:
            begin_run(con, poll_id, mode="watch", started_at=started_at)
        else:
            # Other writers' runs may be live: the nights tell the dead ones (begin_lake_run).
            warehouse.start_run(con, poll_id, mode="watch", started_at=started_at)
    finally:
        con.close()
    outcomes: list[SourceOutcome] = []
    today = started_at.date()
    for cfg in configs:
        source_started = datetime.now(UTC)
        if cfg.name in failed:
            stats = _failed_source(poll_id, cfg.name, source_started, failed[cfg.name])
            record_source_run(writes, stats)
            outcomes.append(SourceOutcome(stats=stats))
            continue
        keep = published_filter(work) if cfg.name == PUBLIC_INSPECTION_SOURCE else None
        outcomes.append(
            _process_source(writes, poll_id, cfg, results[cfg.name], source_started, today, keep)
        )
    alerts = None
    if alert_config is not None:
        alerts = deliver_alerts(writes, poll_id, alert_config, lake)
    status = "ok"
    if failed or any(o.stats.status == "failed" for o in outcomes):
        status = "failed"
    elif any(o.stats.status == "partial" for o in outcomes):
        status = "partial"
    con = warehouse.connect(work)
    try:
        warehouse.finish_run(con, poll_id, status=status, finished_at=datetime.now(UTC))
    finally:
        con.close()
    if lake is None:
        publish_snapshot(str(db_path))
    return outcomes, alerts


def format_poll(summary: PollSummary) -> str:
    """One line a poll, then one a source: what the poll cost and found."""
    lines = [
        f"poll {summary.poll_id} started {summary.started_at:%Y-%m-%dT%H:%M:%S.%f}Z, "
        f"{(summary.finished_at - summary.started_at).total_seconds():.1f} s: {summary.status}; "
        f"{summary.requests} requests, {summary.response_bytes} B; {summary.message}"
    ]
    for s in summary.sources:
        error = f", error: {s.error}" if s.error else ""
        lines.append(
            f"  {s.source}: {s.requests} requests ({s.not_modified} not modified), "
            f"{s.response_bytes} B, {s.documents} documents, {s.failures} failures{error}"
        )
    for key in summary.new_alert_keys:
        lines.append(f"  alert: {key}")
    return "\n".join(lines)


def watch_forever(
    poll: Callable[[], PollSummary],
    interval_s: float,
    *,
    once: bool = False,
    report: Callable[[PollSummary], None] = lambda s: print(format_poll(s), flush=True),
    stop: Callable[[], bool] = lambda: False,
) -> PollSummary:
    """Run `poll` every `interval_s` seconds from the start of the last one (a poll longer
    than the interval is followed at once); returns the last summary."""
    while True:
        began = time.monotonic()
        summary = poll()
        report(summary)
        if once or stop():
            return summary
        time.sleep(max(0.0, interval_s - (time.monotonic() - began)))
