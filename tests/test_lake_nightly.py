"""`minwatch run`, `sql` and `alerts` on a DuckLake warehouse (a real PostgreSQL catalog), as a
user runs them: the night over the bundled sample site, offline, through the command line.

The night into the lake must leave the same rows in the analysts' views as the same night into
a file warehouse; a second night changes nothing; two nights of different sources at once lose
and duplicate nothing and send each alert once; a second night of a source already being loaded
refuses at once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch import warehouse
from minwatch.warehouse.lake import Lake
from tests.alert_receiver import AlertReceiver
from tests.postgres_server import Postgres

REPO = Path(__file__).resolve().parents[1]
# Columns that name a run or a moment of it: they differ between any two nights by design.
_VOLATILE = re.compile(r"(run_id|_at|^at)$")
# The sample site listens on a new loopback port each time; its URLs are compared without it.
_PORT = re.compile(r"127\.0\.0\.1:\d+")
# Views whose rows are about runs rather than documents (compared by what they count).
_RUN_VIEWS = {"runs", "fetch_errors", "new_since_last_run"}
NIGHT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _env(root: Path, name: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    for key in ("SAM_GOV_API_KEY", "MINWATCH_WAREHOUSE", "MINWATCH_LAKE_DATA_PATH"):
        env.pop(key, None)
    # Each command line starts its own temporary Prefect server: its own home, so two at once
    # do not share one SQLite file; a fresh home migrates first, hence the longer start.
    env["PREFECT_HOME"] = str(root / f"prefect-{name}")
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "240"
    env["PYTHONPATH"] = str(REPO)
    return env | extra


def _minwatch(
    *args: str, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _lake_args(lake: Lake) -> list[str]:
    assert lake.data_path is not None
    return ["--warehouse", f"ducklake:{lake.catalog}", "--lake-data-path", lake.data_path]


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return _PORT.sub("127.0.0.1:PORT", value)
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    return value


def _view_rows(con: duckdb.DuckDBPyConnection) -> dict[str, Counter[Any]]:
    """Every analyst view's rows, without run ids and timestamps, as a multiset."""
    out: dict[str, Counter[Any]] = {}
    for view in warehouse.ANALYST_VIEWS:
        if view in _RUN_VIEWS:
            continue
        columns = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_catalog = current_database() AND table_name = ? "
                "ORDER BY ordinal_position",
                [view],
            ).fetchall()
            if not _VOLATILE.search(name)
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(f"SELECT {select} FROM {view}").fetchall()
        out[view] = Counter(_plain(row) for row in rows)
    return out


def _source_counts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    rows = con.execute(
        "SELECT source, count(*), count(DISTINCT doc_id) FROM documents GROUP BY ALL"
    ).fetchall()
    return {source: (n, distinct) for source, n, distinct in rows}


def _alert_deliveries(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    keys = [k for (k,) in con.execute("SELECT alert_key FROM alert ORDER BY 1").fetchall()]
    sent = [
        k
        for (k,) in con.execute(
            "SELECT alert_key FROM alert_delivery WHERE status = 'sent' ORDER BY 1"
        ).fetchall()
    ]
    return keys, sent


def _delivered_keys(receiver: AlertReceiver) -> list[str]:
    return sorted(json.loads(r.body["message"])["alert_key"] for r in receiver.accepted())


def _new_lake(postgres: Postgres, root: Path, name: str) -> Lake:
    database = postgres.new_database()
    return Lake(catalog=f"postgres:dbname={database} {postgres.dsn}", data_path=str(root / name))


@pytest.fixture(scope="module")
def demo_nights(
    postgres: Postgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """`minwatch run --demo` twice into a file warehouse and twice into a lake, each
    delivering its alerts to a webhook receiver of its own."""
    root = tmp_path_factory.mktemp("lake-night")
    lake = _new_lake(postgres, root, "lake-data")
    db = root / "file" / "minwatch.duckdb"
    out: dict[str, Any] = {"root": root, "lake": lake, "db": db}
    with AlertReceiver() as file_hook, AlertReceiver() as lake_hook:
        file_env = _env(root, "file", MINWATCH_DB=str(db), MINWATCH_ALERT_URLS=file_hook.url())
        started = time.monotonic()
        out["file"] = _minwatch("run", "--demo", env=file_env)
        out["file_s"] = time.monotonic() - started
        lake_env = _env(
            root,
            "lake",
            MINWATCH_DB=str(root / "unused" / "minwatch.duckdb"),
            MINWATCH_ALERT_URLS=lake_hook.url(),
        )
        landing = ["--landing-dir", str(root / "lake-landing")]
        started = time.monotonic()
        out["lake_first"] = _minwatch("run", "--demo", *_lake_args(lake), *landing, env=lake_env)
        out["lake_s"] = time.monotonic() - started
        con = warehouse.connect(lake, read_only=True)
        try:
            out["views_after_first"] = _view_rows(con)
        finally:
            con.close()
        out["lake_second"] = _minwatch("run", "--demo", *_lake_args(lake), *landing, env=lake_env)
        out["file_second"] = _minwatch("run", "--demo", env=file_env)
        out["file_delivered"] = _delivered_keys(file_hook)
        out["lake_delivered"] = _delivered_keys(lake_hook)
        out["lake_env"] = lake_env
    yield out


def test_a_night_into_the_lake_fills_the_views_as_one_into_a_file(
    demo_nights: dict[str, Any],
) -> None:
    file_run, lake_run = demo_nights["file"], demo_nights["lake_first"]
    # 3: a partial night (the sample site fails some pages on purpose), as into a file.
    assert file_run.returncode == 3, file_run.stderr[-3000:]
    assert lake_run.returncode == 3, lake_run.stderr[-3000:]
    lake: Lake = demo_nights["lake"]
    assert f"warehouse: ducklake:{lake.catalog} (documents" in lake_run.stdout
    assert "minwatch sql --warehouse" in lake_run.stdout
    # The summary's per-source lines (status, fetched, new, ...) are the file night's.
    assert _summary_lines(lake_run.stdout) == _summary_lines(file_run.stdout)
    file_con = duckdb.connect(str(demo_nights["db"]), read_only=True)
    try:
        expected = _view_rows(file_con)
        expected_sources = _source_counts(file_con)
        expected_alerts = _alert_deliveries(file_con)
    finally:
        file_con.close()
    got = demo_nights["views_after_first"]
    assert sum(expected["documents"].values()) > 50
    assert sum(expected["mentions"].values()) > 100
    for view, rows in expected.items():
        assert got[view] == rows, view
    con = warehouse.connect(lake, read_only=True)
    try:
        assert _source_counts(con) == expected_sources
        # The same alerts, each recorded and sent once.
        assert _alert_deliveries(con) == expected_alerts
        assert con.execute("SELECT count(*) FROM run WHERE status = 'running'").fetchone() == (0,)
    finally:
        con.close()
    assert demo_nights["lake_delivered"] == demo_nights["file_delivered"]
    assert len(demo_nights["lake_delivered"]) == len(expected_alerts[0]) >= 8


def _summary_lines(out: str) -> list[list[str]]:
    return sorted(
        line.split()
        for line in out.splitlines()
        if line[:1].isalpha() and len(line.split()) == 10 and line.split()[2].isdigit()
    )


def test_the_same_night_into_the_lake_twice_changes_nothing(demo_nights: dict[str, Any]) -> None:
    second, file_second = demo_nights["lake_second"], demo_nights["file_second"]
    # A second night finds nothing new; what it still records (the sample site's broken pages,
    # fetched again) and its exit status are the file warehouse's second night's.
    assert second.returncode == file_second.returncode, second.stderr[-3000:]
    assert _summary_lines(second.stdout) == _summary_lines(file_second.stdout)
    assert all(line[3] == "0" for line in _summary_lines(second.stdout))  # nothing new
    con = warehouse.connect(demo_nights["lake"], read_only=True)
    try:
        assert _view_rows(con) == demo_nights["views_after_first"]
        runs = con.execute("SELECT run_id, status FROM run ORDER BY started_at").fetchall()
        alerts = _alert_deliveries(con)
    finally:
        con.close()
    assert len(runs) == 2 and runs[0][1] == "partial" and runs[1][1] != "running"
    # Nothing new to alert about, nothing sent again.
    assert len(alerts[1]) == len(set(alerts[1])) == len(alerts[0])


def test_sql_and_alerts_read_the_lake(demo_nights: dict[str, Any]) -> None:
    lake: Lake = demo_nights["lake"]
    env = demo_nights["lake_env"]
    query = (
        "SELECT count(*) AS n FROM procurements WHERE mineral = 'antimony' AND usd = 245000000 "
        "AND source = 'sam_gov'"
    )
    done = _minwatch("sql", *_lake_args(lake), "--format", "csv", query, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "1"]
    out = demo_nights["root"] / "documents.parquet"
    exported = _minwatch(
        "sql", *_lake_args(lake), "--out", str(out), "SELECT doc_id FROM documents", env=env
    )
    assert exported.returncode == 0, exported.stderr
    con = duckdb.connect()
    try:
        (rows,) = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone() or (0,)
    finally:
        con.close()
    assert rows == sum(demo_nights["views_after_first"]["documents"].values())
    # The sandbox holds on a lake too: no other file, and not the catalog's own connection.
    for refused in (
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM postgres_query('__ducklake_metadata_lake', 'SELECT 1')",
    ):
        done = _minwatch("sql", *_lake_args(lake), refused, env=env, timeout=120)
        assert done.returncode == 77, (refused, done.stdout, done.stderr)
    into_lake = _minwatch(
        "sql", *_lake_args(lake), "--out", f"{lake.data_path}/x.csv", "SELECT 1", env=env
    )
    assert into_lake.returncode == 77, into_lake.stderr

    sent = _minwatch("alerts", *_lake_args(lake), "--status", "sent", env=env, timeout=120)
    assert sent.returncode == 0, sent.stderr
    listed = re.findall(r"^\S+ \S+  sent\s+(.+)$", sent.stdout, flags=re.MULTILINE)
    assert sorted(listed) == demo_nights["lake_delivered"]
    failed = _minwatch("alerts", *_lake_args(lake), "--status", "failed", env=env, timeout=120)
    assert failed.returncode == 0 and failed.stdout.strip() == "no failed alerts"


def test_two_nights_of_different_sources_at_once_lose_and_duplicate_nothing(
    postgres: Postgres, tmp_path: Path, demo_nights: dict[str, Any]
) -> None:
    """The MOFCOM pages in Chinese and in English report the same announcements: both nights
    raise the same alerts at the same time, and each must be recorded and sent once."""
    lake = _new_lake(postgres, tmp_path, "lake-data")
    sources = ("mofcom_zh", "mofcom_en")
    with AlertReceiver() as hook:
        runs = {}
        for source in sources:
            env = _env(
                tmp_path,
                source,
                MINWATCH_DB=str(tmp_path / "unused" / "minwatch.duckdb"),
                MINWATCH_ALERT_URLS=hook.url(),
            )
            out = (tmp_path / f"{source}.out").open("w")
            err = (tmp_path / f"{source}.err").open("w")
            argv = ["run", "--demo", "--source", source, *_lake_args(lake)]
            argv += ["--landing-dir", str(tmp_path / "landing")]
            runs[source] = (
                subprocess.Popen(
                    [sys.executable, "-m", "minwatch.flows.cli", *argv],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=err,
                    text=True,
                ),
                out,
                err,
            )
        for source, (process, out, err) in runs.items():
            process.wait(600)
            out.close()
            err.close()
            assert process.returncode in (0, 3), (tmp_path / f"{source}.err").read_text()[-3000:]
        delivered = _delivered_keys(hook)
    file_con = duckdb.connect(str(demo_nights["db"]), read_only=True)
    try:
        expected = _source_counts(file_con)
        announcements = {
            k
            for (k,) in file_con.execute(
                "SELECT DISTINCT announcement_key FROM export_controls "
                "WHERE source IN ('mofcom_zh', 'mofcom_en') AND announcement_key NOT NULL"
            ).fetchall()
        }
    finally:
        file_con.close()
    con = warehouse.connect(lake, read_only=True)
    try:
        assert _source_counts(con) == {s: expected[s] for s in sources}
        per_doc = con.execute(
            "SELECT count(*), count(DISTINCT (doc_id, seq)) FROM mention"
        ).fetchone()
        assert per_doc is not None and per_doc[0] == per_doc[1] > 0
        extractions = con.execute(
            "SELECT count(*), count(DISTINCT doc_id) FROM extraction"
        ).fetchone()
        assert extractions == (sum(expected[s][0] for s in sources),) * 2
        assert con.execute("SELECT count(DISTINCT run_id), count(*) FROM run").fetchone() == (2, 2)
        # The two nights were loading at the same time, not one after the other.
        overlap = con.execute("SELECT max(started_at) < min(finished_at) FROM run").fetchone()
        assert overlap == (True,)
        assert con.execute("SELECT source FROM source_state ORDER BY 1").fetchall() == [
            (s,) for s in sorted(sources)
        ]
        keys, sent = _alert_deliveries(con)
    finally:
        con.close()
    assert len(keys) == len(set(keys))
    assert {k for k in keys if k.startswith("announcement:")} == {
        f"announcement:{k}" for k in announcements
    }
    assert sent == keys and delivered == keys  # each alert sent once, by one of the nights


def test_a_second_night_of_a_source_being_loaded_refuses_at_once(
    lake: Lake, tmp_path: Path
) -> None:
    """Two nights of one source would race on its watermark and seen set: the second one
    refuses (exit 75) before it crawls anything."""
    from minwatch.flows.lock import lake_claims, source_claim

    with lake_claims(lake, [source_claim("gdelt")]):
        done = _minwatch(
            "run", "--demo", "--source", "gdelt", *_lake_args(lake),
            "--landing-dir", str(tmp_path / "landing"),
            env=_env(tmp_path, "refused", MINWATCH_DB=str(tmp_path / "unused.duckdb")),
            timeout=120,
        )  # fmt: skip
    assert done.returncode == 75, done.stderr
    assert "source:gdelt" in done.stderr and "another minwatch run" in done.stderr
    assert not (tmp_path / "landing").exists()  # nothing was crawled


def test_a_night_marks_dead_runs_failed_and_leaves_live_ones_running(
    lake: Lake, tmp_path: Path
) -> None:
    """A run still 'running' whose process is gone (nobody holds its claim) was killed; one
    whose claim another process holds is a night loading other sources right now."""
    from minwatch.flows.lock import lake_claims, run_claim

    con = warehouse.connect(lake)
    try:
        for run_id in ("killed-night", "live-night"):
            warehouse.start_run(con, run_id, mode="nightly", started_at=NIGHT)
    finally:
        con.close()
    with lake_claims(lake, [run_claim("live-night")]):
        done = _minwatch(
            "run", "--demo", "--source", "trade_atom", *_lake_args(lake),
            "--landing-dir", str(tmp_path / "landing"),
            env=_env(tmp_path, "dead", MINWATCH_DB=str(tmp_path / "unused.duckdb")),
        )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr[-3000:]
    assert "run killed-night never finished" in done.stderr
    con = warehouse.connect(lake, read_only=True)
    try:
        rows = con.execute(
            "SELECT run_id, status FROM run WHERE run_id LIKE '%-night' ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("killed-night", "failed"), ("live-night", "running")]


def test_the_report_and_the_sources_overview_read_the_lake(demo_nights: dict[str, Any]) -> None:
    lake: Lake = demo_nights["lake"]
    env = demo_nights["lake_env"]
    out = demo_nights["root"] / "lake-report" / "latest.html"
    done = _minwatch("report", *_lake_args(lake), "--out", str(out), env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    # the night's suppliers are in it, as in the file warehouse's report
    assert "United States Antimony" in page
    file_out = demo_nights["root"] / "file-report.html"
    file_env = {**env, "MINWATCH_DB": str(demo_nights["db"])}
    from_file = _minwatch("report", "--out", str(file_out), env=file_env, timeout=300)
    assert from_file.returncode == 0, from_file.stderr
    headings = re.compile(r"<h2[^>]*>(.*?)</h2>")
    assert headings.findall(page) == headings.findall(file_out.read_text(encoding="utf-8"))

    listed = _minwatch("sources", *_lake_args(lake), env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    from_file_sources = _minwatch("sources", env=file_env, timeout=120)
    names = re.compile(r"^(\S+)\s", flags=re.MULTILINE)
    assert names.findall(listed.stdout) == names.findall(from_file_sources.stdout)
    assert "sam_gov" in listed.stdout
