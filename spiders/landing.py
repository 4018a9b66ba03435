"""Reading the raw landing zone back: which landed record is the latest of each document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from spiders.items import RawDocument


@dataclass(frozen=True)
class LandedRef:
    path: Path
    offset: int  # byte offset of the record's line
    fetched_at: datetime


def landing_files(landing_dir: Path) -> list[Path]:
    """Every complete landing file (`<source>/<run_id>.jsonl`), oldest run first.

    Run ids start with their UTC start time, so name order is time order. Files still being
    written end in `.part` and are not complete, so they are left out.
    """
    return sorted(Path(landing_dir).glob("*/*.jsonl"), key=lambda p: (p.name, p.parent.name))


def latest_landings(landing_dir: Path) -> dict[tuple[str, str], LandedRef]:
    """(source, source_id) -> where its most recently fetched raw document is.

    Only ids and dates are kept, never bodies, so the index stays small however large the
    archive; unreadable lines are skipped here (the nightly run recorded them when they landed).
    """
    latest: dict[tuple[str, str], LandedRef] = {}
    for path in landing_files(landing_dir):
        with path.open("rb") as landing:
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
    by_path: dict[Path, list[int]] = {}
    for ref in refs:
        by_path.setdefault(ref.path, []).append(ref.offset)
    for path, offsets in by_path.items():
        with path.open("rb") as landing:
            for offset in sorted(offsets):
                landing.seek(offset)
                yield RawDocument.model_validate_json(landing.readline())
