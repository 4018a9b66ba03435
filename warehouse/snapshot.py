"""Analysts read a published snapshot; runs write their own working file.

DuckDB lets one process write a file and, while it does, no other process may even open it. A
nightly run therefore never touches the file analysts keep open: it loads `<name>.work.duckdb`
beside it and, when the run is done, publishes a checkpointed copy with an atomic rename. An
analyst's open connection keeps reading the snapshot it opened (the old inode lives until it is
closed); the next connection sees the new night, never a half-loaded one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def work_path(db_path: str | Path) -> Path:
    """The file runs write: `data/minwatch.duckdb` -> `data/minwatch.work.duckdb`."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}.work{path.suffix or '.duckdb'}")


def prepare_work_file(db_path: str | Path) -> Path:
    """The working file, seeded from the published snapshot when there is none yet."""
    work = work_path(db_path)
    published = Path(db_path)
    if not work.exists() and published.exists():
        work.parent.mkdir(parents=True, exist_ok=True)
        _copy_durably(published, work)
    return work


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
    _fsync_dir(published.parent)
    return published


def _copy_durably(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with dst.open("rb") as copied:
        os.fsync(copied.fileno())


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
