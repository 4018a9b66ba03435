"""Analysts read a published snapshot; runs write their own working file.

DuckDB lets one process write a file and, while it does, no other process may even open it. A
nightly run therefore never touches the file analysts keep open: it loads `<name>.work.duckdb`
beside it and, when the run is done, publishes a checkpointed copy with an atomic rename. An
analyst's open connection keeps reading the snapshot it opened (the old inode lives until it is
closed); the next connection sees the new night, never a half-loaded one.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

# The migration ledger (warehouse/migrate.py): a file without it was never a minwatch warehouse.
_LEDGER = "schema_migrations"


def work_path(db_path: str | Path) -> Path:
    """The file runs write: `data/minwatch.duckdb` -> `data/minwatch.work.duckdb`."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}.work{path.suffix or '.duckdb'}")


def prepare_work_file(db_path: str | Path) -> Path:
    """The working file: kept when it continues the published snapshot, otherwise (re-)seeded.

    A run killed mid-way leaves a working file that holds everything published and more: it is
    kept, and the next run goes on from it. A working file that is not a DuckDB file, not a
    minwatch warehouse, or lacks the published snapshot's latest run (something else wrote it)
    would poison every later night, so it is moved aside, never deleted, and the working file
    is seeded again from the published snapshot.
    """
    work = work_path(db_path)
    published = Path(db_path)
    if work.exists():
        problem = _mismatch(work, published)
        if problem is None:
            return work
        aside = _set_aside(work)
        if published.exists():
            then = "seeding it again from the published warehouse"
        else:
            then = "the run starts a new one (there is no published warehouse yet)"
        logger.warning("the working file %s %s: moved it to %s, %s", work, problem, aside, then)
    elif _wal(work).exists():
        # A log without its database would be replayed into the fresh copy below.
        aside = _set_aside(work)
        logger.warning(
            "the working file %s was missing but its write-ahead log was not: moved the log to %s",
            work,
            _wal(aside),
        )
    if published.exists():
        work.parent.mkdir(parents=True, exist_ok=True)
        _copy_durably(published, work)
    return work


def _mismatch(work: Path, published: Path) -> str | None:
    """Why `work` cannot carry on from `published`, as the end of a sentence; None if it can."""
    try:
        con = duckdb.connect(str(work), read_only=True)
    except duckdb.Error as exc:
        if _in_use(exc):
            # Open elsewhere is not broken: the run's own connect reports who holds it.
            return None
        return f"does not open as a DuckDB database ({_first_line(exc)})"
    try:
        if not _has_table(con, _LEDGER):
            return f"has no {_LEDGER} table, so it is not a minwatch warehouse"
        latest = _latest_run(published)
        if latest is None:
            return None
        if not _has_table(con, "run"):
            return f"has no run table, so it lacks the published warehouse's latest run {latest}"
        found = con.execute("SELECT count(*) FROM run WHERE run_id = ?", [latest]).fetchone()
        if not found or found[0] == 0:
            return f"lacks the published warehouse's latest run {latest}, so it is another one"
    except duckdb.Error as exc:
        return f"cannot be read ({_first_line(exc)})"
    finally:
        con.close()
    return None


def _latest_run(published: Path) -> str | None:
    """The published snapshot's latest run; None without one, or without a readable snapshot
    (then there is nothing to compare with, and a sound working file is the better copy)."""
    if not published.exists():
        return None
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return None
    try:
        if not _has_table(con, "run"):
            return None
        row = con.execute(
            "SELECT run_id FROM run ORDER BY started_at DESC, run_id DESC LIMIT 1"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return None if row is None else str(row[0])


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _set_aside(work: Path) -> Path:
    """Rename `work` (and its write-ahead log) to `<work>.corrupt-<UTC time>`; returns the name.

    The log keeps its database's name plus `.wal`, so the pair still opens together.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = work.with_name(f"{work.name}.corrupt-{stamp}")
    counter = 1
    while aside.exists() or _wal(aside).exists():
        counter += 1
        aside = work.with_name(f"{work.name}.corrupt-{stamp}-{counter}")
    if work.exists():
        os.replace(work, aside)
    if _wal(work).exists():
        os.replace(_wal(work), _wal(aside))
    fsync_dir(work.parent)
    return aside


def _in_use(exc: duckdb.Error) -> bool:
    """Another process holds the file's lock, or this one has it open in another mode."""
    return isinstance(exc, duckdb.ConnectionException) or "Could not set lock" in str(exc)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def publish(db_path: str | Path) -> Path:
    """Atomically replace the analysts' snapshot with a checkpointed copy of the working file."""
    published = Path(db_path)
    work = work_path(published)
    con = duckdb.connect(str(work))
    try:
        # Fold the write-ahead log into the file so the copy is complete on its own.
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    try:
        _copy_durably(work, tmp)
        os.replace(tmp, published)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(published.parent)
    return published


def _copy_durably(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with dst.open("rb") as copied:
        os.fsync(copied.fileno())


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable (the directory entry itself)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
