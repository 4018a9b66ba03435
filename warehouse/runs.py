"""Run bookkeeping (run, source_run, fetch_error) and per-source incremental state."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime

import duckdb

from minwatch.warehouse.db import as_utc, redact_secrets, retry_conflicts, stage, transaction
from minwatch.warehouse.records import FetchErrorRow, SourceRunStats

RUN_MODES = ("nightly", "demo", "reprocess", "watch")
RUN_STATUSES = ("ok", "partial", "failed")
SOURCE_STATUSES = ("ok", "partial", "failed")


@retry_conflicts
def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, *, mode: str, started_at: datetime
) -> None:
    """Register a run as 'running'. Starting the same run_id again resets it to running."""
    if mode not in RUN_MODES:
        raise ValueError(f"run mode must be one of {RUN_MODES}, not {mode!r}")
    # Upserts here are MERGEs: a DuckLake warehouse has no keys for ON CONFLICT to act on.
    con.execute(
        """
        MERGE INTO run
        USING (
            SELECT $run_id AS run_id, $started_at::TIMESTAMPTZ AS started_at, $mode AS mode
        ) AS s
        ON run.run_id = s.run_id
        WHEN MATCHED THEN UPDATE SET
            started_at = s.started_at, finished_at = NULL, mode = s.mode, status = 'running'
        WHEN NOT MATCHED THEN INSERT (run_id, started_at, finished_at, mode, status)
            VALUES (s.run_id, s.started_at, NULL, s.mode, 'running')
        """,
        {"run_id": run_id, "started_at": as_utc(started_at), "mode": mode},
    )


@retry_conflicts
def close_interrupted_runs(
    con: duckdb.DuckDBPyConnection, among: Collection[str] | None = None
) -> list[str]:
    """Runs still marked 'running' died (a crash, a kill): mark them failed.

    Called by a run that holds the run lock, so no other run can be live. On a DuckLake
    warehouse other runs may be live: the caller names the dead ones in `among` (only those
    still 'running' are marked). `finished_at` stays NULL, which is how `runs` shows a run
    that never finished.
    """
    if among is not None:
        if not among:
            return []
        # No RETURNING on a DuckLake table: the ids are selected in the same transaction.
        with transaction(con):
            rows = con.execute(
                "SELECT run_id FROM run WHERE status = 'running' AND list_contains($ids, run_id)",
                {"ids": sorted(among)},
            ).fetchall()
            con.execute(
                "UPDATE run SET status = 'failed' "
                "WHERE status = 'running' AND list_contains($ids, run_id)",
                {"ids": sorted(among)},
            )
        return sorted(r[0] for r in rows)
    rows = con.execute(
        "UPDATE run SET status = 'failed' WHERE status = 'running' RETURNING run_id"
    ).fetchall()
    return sorted(r[0] for r in rows)


def running_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Runs marked 'running': live, or dead if no process holds them."""
    return sorted(
        r[0] for r in con.execute("SELECT run_id FROM run WHERE status = 'running'").fetchall()
    )


@retry_conflicts
def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, *, status: str, finished_at: datetime
) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"run status must be one of {RUN_STATUSES}, not {status!r}")
    updated = con.execute(
        "UPDATE run SET status = $status, finished_at = $finished_at WHERE run_id = $run_id",
        {"run_id": run_id, "status": status, "finished_at": as_utc(finished_at)},
    ).fetchone()
    if not updated or updated[0] == 0:
        raise ValueError(f"no run {run_id!r}: call start_run first")


def error_summary(errors: tuple[FetchErrorRow, ...]) -> str | None:
    """'http_429: 2; malformed_json: 1' — short enough for a run summary line."""
    if not errors:
        return None
    counts = Counter(error.error for error in errors)
    return "; ".join(f"{name}: {count}" for name, count in sorted(counts.items()))


@retry_conflicts
def record_source_run(con: duckdb.DuckDBPyConnection, stats: SourceRunStats) -> None:
    """Upsert one source's statistics for a run and replace its fetch_error rows.

    Recording the same (run_id, source) again leaves exactly one source_run row and the
    errors of the last call, numbered 1..n in the order given.
    """
    if stats.status not in SOURCE_STATUSES:
        raise ValueError(f"source status must be one of {SOURCE_STATUSES}, not {stats.status!r}")
    strays = sorted({e.source for e in stats.errors if e.source != stats.source})
    if strays:
        raise ValueError(f"errors of sources {strays} recorded under {stats.source!r}")
    with transaction(con):
        known = con.execute("SELECT count(*) FROM run WHERE run_id = ?", [stats.run_id]).fetchone()
        if not known or known[0] == 0:
            raise ValueError(f"no run {stats.run_id!r}: call start_run first")
        con.execute(
            """
            MERGE INTO source_run
            USING (
                SELECT $run_id AS run_id, $source AS source,
                       $started_at::TIMESTAMPTZ AS started_at,
                       $finished_at::TIMESTAMPTZ AS finished_at, $fetched::INTEGER AS fetched,
                       $new::INTEGER AS new, $updated::INTEGER AS updated,
                       $unchanged::INTEGER AS unchanged, $failed::INTEGER AS failed,
                       $status AS status, $summary::VARCHAR AS error_summary
            ) AS s
            ON source_run.run_id = s.run_id AND source_run.source = s.source
            WHEN MATCHED THEN UPDATE SET
                started_at = s.started_at, finished_at = s.finished_at,
                fetched = s.fetched, new = s.new, updated = s.updated,
                unchanged = s.unchanged, failed = s.failed,
                status = s.status, error_summary = s.error_summary
            WHEN NOT MATCHED THEN INSERT VALUES
                (s.run_id, s.source, s.started_at, s.finished_at, s.fetched, s.new, s.updated,
                 s.unchanged, s.failed, s.status, s.error_summary)
            """,
            {
                "run_id": stats.run_id,
                "source": stats.source,
                "started_at": as_utc(stats.started_at),
                "finished_at": as_utc(stats.finished_at),
                "fetched": stats.fetched,
                "new": stats.new,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
                "failed": stats.failed,
                "status": stats.status,
                "summary": error_summary(stats.errors),
            },
        )
        con.execute(
            "DELETE FROM fetch_error WHERE run_id = ? AND source = ?",
            [stats.run_id, stats.source],
        )
        stage(
            con,
            "stage_fetch_error",
            (
                ("run_id", "VARCHAR"),
                ("source", "VARCHAR"),
                ("seq", "INTEGER"),
                ("url", "VARCHAR"),
                ("source_id", "VARCHAR"),
                ("http_status", "INTEGER"),
                ("error", "VARCHAR"),
                ("message", "VARCHAR"),
                ("occurred_at", "TIMESTAMPTZ"),
            ),
            [
                (
                    stats.run_id,
                    stats.source,
                    seq,
                    redact_secrets(e.url),
                    e.source_id,
                    e.http_status,
                    e.error,
                    redact_secrets(e.message),
                    as_utc(e.occurred_at),
                )
                for seq, e in enumerate(stats.errors, start=1)
            ],
        )
        con.execute("INSERT INTO fetch_error SELECT * FROM stage_fetch_error")
        con.execute("DROP TABLE temp.stage_fetch_error")


def _check_watermark(watermark: str) -> None:
    try:
        if len(watermark) == 10:
            date.fromisoformat(watermark)
        else:
            datetime.fromisoformat(watermark)
    except ValueError as exc:
        raise ValueError(f"watermark must be an ISO date or date-time, not {watermark!r}") from exc


def get_source_state(
    con: duckdb.DuckDBPyConnection, source: str
) -> tuple[str | None, dict[str, object]]:
    """(watermark, state) of a source; (None, {}) for a source never run."""
    row = con.execute(
        "SELECT watermark, state FROM source_state WHERE source = ?", [source]
    ).fetchone()
    if row is None:
        return None, {}
    state = json.loads(row[1])
    if not isinstance(state, dict):
        raise ValueError(f"source_state of {source!r} is not a JSON object")
    return row[0], state


@retry_conflicts
def set_source_state(
    con: duckdb.DuckDBPyConnection,
    source: str,
    watermark: str | None,
    state: Mapping[str, object],
) -> None:
    """Store a source's incremental state; writing the same values again changes nothing."""
    if watermark is not None:
        _check_watermark(watermark)
    encoded = json.dumps(dict(state), sort_keys=True, default=str)
    con.execute(
        """
        MERGE INTO source_state
        USING (
            SELECT $source AS source, $watermark::VARCHAR AS watermark, $state::JSON AS state,
                   $now::TIMESTAMPTZ AS updated_at
        ) AS s
        ON source_state.source = s.source
        WHEN MATCHED AND (source_state.watermark IS DISTINCT FROM s.watermark
                          OR source_state.state::VARCHAR <> s.state::VARCHAR)
            THEN UPDATE SET watermark = s.watermark, state = s.state, updated_at = s.updated_at
        WHEN NOT MATCHED THEN INSERT VALUES (s.source, s.watermark, s.state, s.updated_at)
        """,
        {"source": source, "watermark": watermark, "state": encoded, "now": datetime.now(UTC)},
    )


def table_counts(
    con: duckdb.DuckDBPyConnection, views: Collection[str] | None = None
) -> dict[str, int]:
    """Row count of every table and view of the main schema, by name; with `views`, of every
    table and only those views (some views join much of the warehouse: seconds apiece)."""
    names = [
        row[0]
        for row in con.execute(
            """
            SELECT table_name, table_type FROM information_schema.tables
            WHERE table_schema = 'main' AND table_catalog = current_database()
            ORDER BY table_name
            """
        ).fetchall()
        if views is None or row[1] == "BASE TABLE" or row[0] in views
    ]
    counts: dict[str, int] = {}
    for name in names:
        row = con.execute(f'SELECT count(*) FROM main."{name}"').fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts
