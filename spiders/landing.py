"""Reading the raw landing zone back: which landed record is the latest of each document.

The landing zone is a local folder or any fsspec URL (`s3://bucket/landing`, ...), so Dask
workers on other machines read the same raw records; a plain path reads as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from minwatch.spiders.items import RawDocument

# A landing file being written is `<source>/<run_id>.jsonl.part`, held under an exclusive
# flock by its writer: a watch poll crawls without the warehouse lock, so a night clearing
# what killed runs left must tell a live writer's file from a dead one's. The kernel drops
# the flock however the writer ends, so an unlocked `.part` belongs to nobody.


def part_of(path: Path) -> Path:
    """The name a landing file has while it is being written."""
    return path.with_name(path.name + ".part")


def open_part(path: Path) -> IO[str]:
    """Open `path` (a `.part` file) for writing, held by this process until closed.

    A remover may unlink the file between our open and our flock (it found it unlocked);
    then the name no longer leads to our inode and we open a fresh one.
    """
    while True:
        file = path.open("w", encoding="utf-8")
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        try:
            if os.stat(path).st_ino == os.fstat(file.fileno()).st_ino:
                return file
        except FileNotFoundError:
            pass
        file.close()


def remove_if_abandoned(path: Path) -> bool:
    """Unlink a `.part` file that no live process holds (see `open_part`); True if removed."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return False
    with file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live writer's
        try:
            if os.stat(path).st_ino != os.fstat(file.fileno()).st_ino:
                return False  # replaced since we opened it: look again next run
        except FileNotFoundError:
            return False
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            return True
    return False


def remove_abandoned_parts(landing_dir: Path, sources: Sequence[str] | None = None) -> list[Path]:
    """Remove the landing `.part` files of crawls that died (of `sources`, or all); returned."""
    found = (
        [p for s in sources for p in sorted((landing_dir / s).glob("*.jsonl.part"))]
        if sources is not None
        else sorted(landing_dir.glob("*/*.jsonl.part"))
    )
    return [p for p in found if remove_if_abandoned(p)]


@dataclass(frozen=True)
class LandedRef:
    path: str  # a local path, or a URL that fsspec opens
    offset: int  # byte offset of the record's line
    fetched_at: datetime


def landing_fs(landing: str | Path) -> tuple[Any, str]:
    """(the fsspec file system of `landing`, its root path within it)."""
    fs, root = fsspec.core.url_to_fs(str(landing))
    return fs, root.rstrip("/") or "/"


def _location(fs: Any, path: str) -> str:
    """A file's name that opens anywhere: the plain path locally, else the full URL."""
    return path if isinstance(fs, LocalFileSystem) else str(fs.unstrip_protocol(path))


def landing_files(landing_dir: str | Path) -> list[str]:
    """Every complete landing file (`<source>/<run_id>.jsonl`), oldest run first.

    Run ids start with their UTC start time, so name order is time order. Files still being
    written end in `.part` and are not complete, so they are left out.
    """
    fs, root = landing_fs(landing_dir)
    found = fs.glob(posixpath.join(root, "*", "*.jsonl"))
    ordered = sorted(
        found, key=lambda p: (posixpath.basename(p), posixpath.basename(posixpath.dirname(p)))
    )
    return [_location(fs, path) for path in ordered]


def latest_landings(landing_dir: str | Path) -> dict[tuple[str, str], LandedRef]:
    """(source, source_id) -> where its most recently fetched raw document is.

    Only ids and dates are kept, never bodies, so the index stays small however large the
    archive; unreadable lines are skipped here (the nightly run recorded them when they landed).
    """
    latest: dict[tuple[str, str], LandedRef] = {}
    for path in landing_files(landing_dir):
        with fsspec.open(path, "rb") as landing:
            offset = 0
            for line in landing:
                here, offset = offset, offset + len(line)
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(record, dict) or record.get("type") != "document":
                    continue
                try:
                    key = (str(record["source"]), str(record["source_id"]))
                    fetched_at = datetime.fromisoformat(str(record["fetched_at"]))
                except (KeyError, ValueError):
                    continue
                if fetched_at.tzinfo is None:
                    fetched_at = fetched_at.replace(tzinfo=UTC)
                kept = latest.get(key)
                if kept is None or fetched_at >= kept.fetched_at:
                    latest[key] = LandedRef(path, here, fetched_at)
    return latest


def read_landed(refs: list[LandedRef]) -> Iterator[RawDocument]:
    """The raw documents at `refs`, reading each file once in offset order."""
    by_path: dict[str, list[int]] = {}
    for ref in refs:
        by_path.setdefault(ref.path, []).append(ref.offset)
    for path, offsets in by_path.items():
        with fsspec.open(path, "rb") as landing:
            for offset in sorted(offsets):
                landing.seek(offset)
                yield RawDocument.model_validate_json(landing.readline())
