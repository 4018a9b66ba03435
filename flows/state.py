"""Incremental crawl state between the warehouse and the spiders, and the `sources` overview.

The flow reads a source's `CrawlState` from `source_state` before its crawl, hands it to
`spiders.runner.run_crawl(state=...)`, and stores what the crawl wrote back with
`save_crawl_state`. Spiders never read or write the warehouse themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from minwatch import warehouse
from minwatch.spiders.registry import DEFAULT_SOURCES
from minwatch.spiders.state import CrawlState, CrawlStateError

logger = logging.getLogger(__name__)


def _stored(
    con: duckdb.DuckDBPyConnection, source: str
) -> tuple[str | None, dict[str, object], CrawlState]:
    watermark, stored = warehouse.get_source_state(con, source)
    try:
        state = CrawlState.from_mapping(stored, where=f"source_state of {source!r}")
    except CrawlStateError as exc:
        # Starting over costs one full crawl; refusing would stop the source for good.
        logger.warning("%s; crawling %s in full and replacing it", exc, source)
        state = CrawlState()
    return watermark, stored, state


def crawl_state_for(con: duckdb.DuckDBPyConnection, source: str) -> CrawlState:
    """The state to hand `source`'s next crawl; empty for a source never crawled."""
    return _stored(con, source)[2]


def save_crawl_state(
    con: duckdb.DuckDBPyConnection,
    source: str,
    state_path: Path | None,
    *,
    watermark: str | None = None,
    forget: Iterable[str] = (),
) -> CrawlState:
    """Merge the state a crawl wrote (`CrawlResult.state_path`) into `source_state`.

    Seen identities are the union of the stored ones and the crawl's (the crawl's fingerprint
    wins), so nothing seen before is forgotten. Validators are the crawl's: it started from
    the stored ones and dropped them on purpose after a failure that must be retried. Without
    a state file (the crawl did not finish) the stored state is kept as it is. `watermark`
    None keeps the stored watermark. Identities in `forget` (documents that landed but could
    not be read) are dropped from the seen set, and with them the validators, so the next
    crawl reaches their pages again. Other keys of the stored state are kept. Returns the
    merged state. A state file that is not a CrawlState raises CrawlStateError naming it.
    """
    stored_watermark, stored, previous = _stored(con, source)
    merged = previous
    if state_path is not None:
        crawled = CrawlState.load(state_path)
        merged = CrawlState(validators=crawled.validators, seen={**previous.seen, **crawled.seen})
    if forgotten := set(forget) & set(merged.seen):
        seen = {k: v for k, v in merged.seen.items() if k not in forgotten}
        merged = CrawlState(validators={}, seen=seen)
    warehouse.set_source_state(
        con,
        source,
        watermark if watermark is not None else stored_watermark,
        {**stored, **merged.to_mapping()},
    )
    return merged


def _known_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """
        SELECT source FROM source_state
        UNION SELECT source FROM source_run
        UNION SELECT source FROM document
        """
    ).fetchall()
    others = sorted({r[0] for r in rows if r[0]} - set(DEFAULT_SOURCES))
    return [*DEFAULT_SOURCES, *others]


def sources_overview(
    con: duckdb.DuckDBPyConnection, sources: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One dict per source (every registered one, then any other the warehouse knows).

    Keys: source, registered, last_run_id, last_run_started_at, last_run_status,
    last_run_fetched, last_run_failed, watermark, documents (in the warehouse), seen (ids
    the crawler will not fetch again unless they change), validators (pages answered with
    conditional GETs), last_error (`error: message` of the latest fetch error, any run),
    last_error_at.
    """
    rows = []
    for source in sources if sources is not None else _known_sources(con):
        watermark, _, state = _stored(con, source)
        run = con.execute(
            """
            SELECT run_id, started_at, status, fetched, failed FROM runs
            WHERE source = ? ORDER BY started_at DESC, run_id DESC LIMIT 1
            """,
            [source],
        ).fetchone()
        documents = con.execute(
            "SELECT count(*) FROM documents WHERE source = ?", [source]
        ).fetchone()
        error = con.execute(
            """
            SELECT error, message, occurred_at FROM fetch_errors
            WHERE source = ? ORDER BY occurred_at DESC, seq DESC LIMIT 1
            """,
            [source],
        ).fetchone()
        rows.append(
            {
                "source": source,
                "registered": source in DEFAULT_SOURCES,
                "last_run_id": run[0] if run else None,
                "last_run_started_at": run[1] if run else None,
                "last_run_status": run[2] if run else None,
                "last_run_fetched": run[3] if run else None,
                "last_run_failed": run[4] if run else None,
                "watermark": watermark,
                "documents": int(documents[0]) if documents else 0,
                "seen": len(state.seen),
                "validators": len(state.validators),
                "last_error": f"{error[0]}: {error[1]}" if error else None,
                "last_error_at": error[2] if error else None,
            }
        )
    return rows


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


OVERVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "source"),
    ("last run", "last_run_started_at"),
    ("status", "last_run_status"),
    ("fetched", "last_run_fetched"),
    ("failed", "last_run_failed"),
    ("watermark", "watermark"),
    ("documents", "documents"),
    ("seen", "seen"),
    ("last error", "last_error"),
)
ERROR_WIDTH = 60  # the full message is in the fetch_errors view


def format_sources_overview(rows: Iterable[Mapping[str, Any]]) -> str:
    """A plain-text table of `sources_overview` rows, one line a source."""
    table = [[title for title, _ in OVERVIEW_COLUMNS]]
    for row in rows:
        cells = [_cell(row.get(key)) for _, key in OVERVIEW_COLUMNS]
        if len(cells[-1]) > ERROR_WIDTH:
            cells[-1] = cells[-1][: ERROR_WIDTH - 1] + "…"
        if row.get("registered") is False:
            cells[0] += " (unregistered)"
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(OVERVIEW_COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in table]
    return "\n".join(line.rstrip() for line in lines)
