"""minwatch's settings: one TOML file, the environment over it, and defaults.

The file is `--config` (which sets `MINWATCH_CONFIG`), else `MINWATCH_CONFIG`, else
`minwatch.toml` beside the warehouse, else there is none and defaults apply. Environment
variables override what the file says; relative paths in the file are read against the file's
folder, never the current directory. `config/minwatch.sample.toml` shows every key;
`minwatch config` prints the effective settings with secrets masked. The settings object
itself (pydantic-settings) is in flows/config.py.

Also here: the environment minwatch needs before Prefect is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minwatch.flows.config import Settings
    from minwatch.warehouse.lake import Lake

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("data/minwatch.duckdb")
DB_ENV = "MINWATCH_DB"
CONFIG_ENV = "MINWATCH_CONFIG"
CONFIG_NAME = "minwatch.toml"  # looked for beside the warehouse
# The example rules of a checkout; found from the code, not the current directory.
DEFAULT_WATCH_RULES = PROJECT_ROOT / "config" / "watch_rules.toml"
SAM_KEY_ENV = "SAM_GOV_API_KEY"
# The demo pins "the night" so the bundled sample run is the same on any date.
DEMO_NIGHT = "2026-11-27"
DEMO_API_KEY = "DEMO-KEY-NOT-SECRET"


@dataclass(frozen=True)
class Paths:
    db: Path
    landing_dir: Path

    @classmethod
    def resolve(cls, db: str | Path | None = None, landing_dir: str | Path | None = None) -> Paths:
        """Arguments first, then the settings (environment, file), then the defaults."""
        settings = load_settings(db=db)
        db_path = Path(db) if db else settings.db
        if landing_dir:
            landing = Path(landing_dir)
        elif settings.landing_dir is not None:
            landing = settings.landing_dir
        else:
            landing = db_path.parent / "landing"
        return cls(db=db_path, landing_dir=landing)


class ConfigError(ValueError):
    """The settings file or an environment variable is wrong; the message names file and key."""


def find_config_file(
    config: str | Path | None = None,
    db: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """`config`, else `MINWATCH_CONFIG`, else `minwatch.toml` beside the warehouse if present.

    A file named explicitly must exist (a typo must not silently mean "defaults").
    """
    env = os.environ if environ is None else environ
    named = config or env.get(CONFIG_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: no such file (named by --config or {CONFIG_ENV})")
        return path.resolve()
    warehouse = Path(db or env.get(DB_ENV, "").strip() or DEFAULT_DB)
    beside = warehouse.parent / CONFIG_NAME
    return beside.resolve() if beside.is_file() else None


def load_settings(
    config: str | Path | None = None,
    db: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The effective settings (see the module's docstring); ConfigError names what is wrong.

    The settings object is a pydantic-settings model (flows/config.py), imported on first use
    so that `minwatch --help` does not pay for pydantic.
    """
    from minwatch.flows.config import load

    return load(find_config_file(config, db, environ), environ)


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


def lake_target(
    warehouse: str | None, data_path: str | None = None, db: str | Path | None = None
) -> Lake | None:
    """The DuckLake warehouse a command uses: `--warehouse` / `--lake-data-path`, else
    `[cluster] warehouse` / `lake_data_path` (or MINWATCH_WAREHOUSE / MINWATCH_LAKE_DATA_PATH);
    None for the file warehouse. WarehousePathError for a setting that is not a lake, or one
    whose catalog string holds a password (a run's parameters are stored by Prefect).
    """
    cluster = load_settings(db=db).cluster
    uri = warehouse or cluster.warehouse
    if not uri:
        return None
    from minwatch.warehouse.lake import LakeError, is_lake_uri, parse_target, redact_catalog

    if not is_lake_uri(uri):
        raise WarehousePathError(f"--warehouse {uri!r} is not a DuckLake warehouse (ducklake:...)")
    if redact_catalog(uri) != uri:
        raise WarehousePathError(
            f"--warehouse {redact_catalog(uri)}: give the catalog's password in PGPASSWORD or "
            "~/.pgpass, not in the warehouse string"
        )
    try:
        target = parse_target(uri, data_path or cluster.lake_data_path)
    except LakeError as exc:
        raise WarehousePathError(str(exc)) from None
    assert not isinstance(target, Path)
    return target


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
