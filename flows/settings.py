"""Where minwatch keeps its files, and the environment it needs before Prefect is imported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data/minwatch.duckdb")
DB_ENV = "MINWATCH_DB"
# The demo pins "the night" so the bundled sample run is the same on any date.
DEMO_NIGHT = "2026-11-27"
DEMO_SAM_POSTED_FROM = "2025-01-01"
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
