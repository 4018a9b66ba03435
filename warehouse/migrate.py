"""Ordered SQL migrations: `migrations/NNNN_name.sql`, each applied once, in its own transaction.

Applied files are recorded in `schema_migrations` with their sha256; editing a file that was
already applied is refused, because the database would silently differ from what the file says.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from minwatch.warehouse.lake import for_ducklake, is_lake

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    """The database and the migration files disagree; nothing was applied."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str
    checksum: str


def discover(migrations_dir: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in version order; a malformed name or a duplicate version is an error."""
    migrations: dict[int, Migration] = {}
    for path in sorted(migrations_dir.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(
                f"migration file {path.name!r} is not named NNNN_lowercase_name.sql"
            )
        version = int(match.group(1))
        if version in migrations:
            raise MigrationError(
                f"migrations {migrations[version].name!r} and {path.name!r} share version {version}"
            )
        raw = path.read_bytes()
        migrations[version] = Migration(
            version=version,
            name=path.name,
            sql=raw.decode("utf-8"),
            checksum=hashlib.sha256(raw).hexdigest(),
        )
    return [migrations[v] for v in sorted(migrations)]


_LEDGER_SQL = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version     INTEGER PRIMARY KEY,
        name        VARCHAR NOT NULL,
        checksum    VARCHAR NOT NULL,
        applied_at  TIMESTAMPTZ NOT NULL
    )
"""


def _ensure_ledger(con: duckdb.DuckDBPyConnection, lake: bool) -> None:
    con.execute(for_ducklake(_LEDGER_SQL) if lake else _LEDGER_SQL)


def _check_applied(applied: dict[int, tuple[str, str]], migrations: list[Migration]) -> None:
    by_version = {m.version: m for m in migrations}
    for version, (name, checksum) in sorted(applied.items()):
        migration = by_version.get(version)
        if migration is None:
            raise MigrationError(
                f"migration {name!r} (version {version}) is applied in the database "
                "but its file is missing: this code is older than the database"
            )
        if migration.name != name:
            raise MigrationError(
                f"migration version {version} was applied as {name!r} "
                f"but the file is now named {migration.name!r}"
            )
        if migration.checksum != checksum:
            raise MigrationError(
                f"migration {name!r} was changed after it was applied "
                f"(checksum {checksum[:12]}… in the database, {migration.checksum[:12]}… on "
                "disk); add a new migration instead of editing an applied one"
            )


# A DuckLake warehouse has several writers: two of them may migrate a new lake at once, and
# the one whose commit loses finds the other's work on its next look.
# Each lost round means another writer applied a file, so a new lake's ~12 files bound it.
_LAKE_MIGRATION_ATTEMPTS = 30


def migrate(con: duckdb.DuckDBPyConnection, migrations_dir: Path | None = None) -> list[str]:
    """Apply pending migrations in order; return the names of the files applied (empty if none).

    On a DuckLake warehouse each file is applied as `for_ducklake` rewrites it (the ledger
    keeps the file's own checksum), and a commit that loses to a concurrent migrator is
    retried against what that one applied.
    """
    if not is_lake(con):
        return _migrate(con, migrations_dir, lake=False)
    applied: list[str] = []
    for attempt in range(1, _LAKE_MIGRATION_ATTEMPTS + 1):
        try:
            applied += _migrate(con, migrations_dir, lake=True)
            return applied
        except (MigrationError, duckdb.Error) as exc:
            if attempt == _LAKE_MIGRATION_ATTEMPTS or not _lost_a_race(exc):
                raise
            # Someone else committed a migration meanwhile: go on from there, out of step.
            time.sleep(random.uniform(0.05, 0.3))
    return applied


def _lost_a_race(exc: BaseException) -> bool:
    cause = exc.__cause__ if isinstance(exc, MigrationError) else exc
    if isinstance(cause, duckdb.TransactionException) or "conflict" in str(cause).lower():
        return True
    # The other migrator committed the same CREATE first: this one's statement sees it.
    return isinstance(cause, duckdb.CatalogException) and "already exists" in str(cause)


def _migrate(
    con: duckdb.DuckDBPyConnection, migrations_dir: Path | None, *, lake: bool
) -> list[str]:
    migrations = discover(migrations_dir or MIGRATIONS_DIR)
    _ensure_ledger(con, lake)
    applied = {
        version: (name, checksum)
        for version, name, checksum in con.execute(
            "SELECT version, name, checksum FROM schema_migrations"
        ).fetchall()
    }
    # Every applied file is verified before anything new runs, so a tampered history
    # never gets more migrations stacked on top of it.
    _check_applied(applied, migrations)
    newly_applied: list[str] = []
    for migration in migrations:
        if migration.version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(for_ducklake(migration.sql) if lake else migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                [migration.version, migration.name, migration.checksum, datetime.now(UTC)],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            # A failed commit has ended the transaction already.
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise MigrationError(f"migration {migration.name!r} failed: {exc}") from exc
        newly_applied.append(migration.name)
    return newly_applied


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    """(version, name, checksum) of every applied migration, in order, each once.

    On a DuckLake warehouse two writers that migrate a new lake at once may both apply a file
    whose statements are idempotent (`CREATE OR REPLACE VIEW`): neither commit conflicts with
    the other (the lake has no keys), so its ledger holds the version twice. A file that changes
    rows or creates a table conflicts instead, and the loser retries (`migrate`)."""
    rows = con.execute(
        "SELECT version, min(name), min(checksum) FROM schema_migrations"
        " GROUP BY version ORDER BY version"
    ).fetchall()
    return [(int(v), str(n), str(c)) for v, n, c in rows]
