"""Where minwatch keeps its files, and the environment it needs before Prefect is imported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data/minwatch.duckdb")
DB_ENV = "MINWATCH_DB"
# The demo pins "the night" so the bundled sample run is the same on any date.
DEMO_NIGHT = "2026-11-27"
DEMO_API_KEY = "DEMO-KEY-NOT-SECRET"


@dataclass(frozen=True)
class Paths:
    db: Path
    landing_dir: Path

    @classmethod
    def resolve(cls, db: str | Path | None = None, landing_dir: str | Path | None = None) -> Paths:
        db_path = Path(db or os.environ.get(DB_ENV) or DEFAULT_DB)
        landing = Path(landing_dir) if landing_dir else db_path.parent / "landing"
        return cls(db=db_path, landing_dir=landing)


class WarehousePathError(ValueError):
    """`--db` names something a run cannot use; the message says what and why."""


# Every DuckDB database file has these bytes at offset 8 (its storage header's magic).
_DUCKDB_MAGIC = b"DUCK"


def check_warehouse_path(db: Path) -> None:
    """Refuse, in one sentence, a warehouse path a run could not write.

    Checked before the run lock and Prefect, so a typo costs milliseconds, not a traceback.
    """
    if db.is_dir():
        raise WarehousePathError(
            f"--db {db} is a directory; name the warehouse file, e.g. {db / 'minwatch.duckdb'}"
        )
    parent = db.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise WarehousePathError(f"--db {db}: {existing} is a file, not a directory")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise WarehousePathError(f"--db {db}: cannot write in {existing}")
    if db.is_file():
        with db.open("rb") as file:
            head = file.read(16)
        if head and head[8:12] != _DUCKDB_MAGIC:
            raise WarehousePathError(
                f"--db {db} is not a DuckDB warehouse (another kind of file); "
                "give a new path or an existing minwatch warehouse"
            )


def prepare_prefect_environment(home: Path | None = None) -> None:
    """Offline-safe Prefect defaults; must run before `prefect` is imported.

    Telemetry would try to reach the internet and fail the run; an explicit user setting wins.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if home is not None:
        os.environ.setdefault("PREFECT_HOME", str(home))
    # Results stay in memory: documents must not be copied into Prefect's result store.
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
