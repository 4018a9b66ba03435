"""Connections, transactions and columnar staging shared by the loaders."""

from __future__ import annotations

import contextlib
import functools
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, overload

import duckdb
import pyarrow as pa

from minwatch.warehouse.lake import LAKE_ALIAS, Lake, attach, parse_target
from minwatch.warehouse.migrate import migrate

SECRET_ENV_VARS = ("SAM_GOV_API_KEY",)
_API_KEY_PARAM = re.compile(r"(?i)(api[_-]?key=)[^&\s\"'#]+")
REDACTED = "REDACTED"


def connect(
    path: str | Path | Lake, *, read_only: bool = False, data_path: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; unless read-only, create its folder and apply pending migrations.

    `path` may instead be a DuckLake warehouse, "ducklake:<catalog>" or a `Lake`
    (warehouse/lake.py), with `data_path` for its Parquet files: the same migrations, views
    and loaders apply.
    The session time zone is UTC so TIMESTAMPTZ values come back in UTC and naive datetimes
    handed to the loaders are read as UTC.
    """
    target = parse_target(path, data_path)
    if isinstance(target, Lake):
        if not read_only and (kept := _kept_lake(target)) is not None:
            return kept
        con = attach(target, read_only=read_only)
        if not read_only:
            try:
                migrate(con)
            except Exception:
                con.close()
                raise
        return con
    db_path = target
    if read_only:
        if not db_path.exists():
            raise FileNotFoundError(f"no warehouse at {db_path}: run a load first")
        con = duckdb.connect(str(db_path), read_only=True)
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(db_path))
    con.execute("SET TimeZone = 'UTC'")
    if not read_only:
        try:
            migrate(con)
        except Exception:
            con.close()
            raise
    return con


_P = ParamSpec("_P")
_T = TypeVar("_T")
# A DuckLake commit that loses to a concurrent writer of the same table (an UPDATE or DELETE
# on either side) fails as a whole; DuckDB has rolled it back by then. Nights of different
# sources touch the same tables, so such a loss is routine, not an error.
CONFLICT_ATTEMPTS = 8
_CONFLICT_BACKOFF_S = 0.05
_CONFLICT_BACKOFF_MAX_S = 2.0


def is_conflict(exc: BaseException) -> bool:
    """A commit lost to a concurrent DuckLake writer (the whole transaction was rolled back)."""
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def retry_conflicts(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run `function` (one transaction on a DuckLake warehouse) again when its commit loses to
    a concurrent writer, up to CONFLICT_ATTEMPTS times with a growing, jittered pause.

    Safe because each loader is one transaction that decides what to write from what it reads
    inside it: the next attempt reads the winner's rows and writes only what is still missing.
    A file warehouse has one writer and never raises a conflict, so nothing changes there.
    """

    @functools.wraps(function)
    def retrying(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except duckdb.TransactionException as exc:
                if attempt == CONFLICT_ATTEMPTS or not is_conflict(exc):
                    raise
            pause = min(_CONFLICT_BACKOFF_MAX_S, _CONFLICT_BACKOFF_S * 2**attempt)
            time.sleep(pause * random.uniform(0.5, 1.0))
        raise AssertionError("unreachable")

    return retrying


# Attaching a lake costs ~0.35 s (extensions, the catalog's connection and metadata); a night
# connects a few times per source. `lake_attached` keeps one attachment for the night.
_kept_lakes: dict[Lake, duckdb.DuckDBPyConnection] = {}
_kept_lakes_lock = threading.Lock()


def _kept_lake(lake: Lake) -> duckdb.DuckDBPyConnection | None:
    """A connection of its own (its own transactions) to the attachment `lake_attached`
    keeps, or None outside one."""
    with _kept_lakes_lock:
        base = _kept_lakes.get(lake)
        if base is None:
            return None
        con = base.cursor()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"USE {LAKE_ALIAS}")
    return con


@contextmanager
def lake_attached(target: Path | Lake) -> Iterator[None]:
    """While open, writable `connect(lake)` calls in this process share one attachment of the
    lake (each gets a connection of its own, as from a new attach); nothing for a file."""
    if not isinstance(target, Lake):
        yield
        return
    with _kept_lakes_lock:
        nested = target in _kept_lakes
    if nested:
        yield
        return
    base = connect(target)  # attached and migrated once
    with _kept_lakes_lock:
        _kept_lakes[target] = base
    try:
        yield
    finally:
        with _kept_lakes_lock:
            _kept_lakes.pop(target, None)
        base.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: any exception rolls back every statement of the block, then propagates."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def stage(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
) -> None:
    """Create TEMP `table` from row tuples in one statement.

    Each column travels as one typed list parameter and is unnested in SQL: that is columnar
    and about 50x faster than executemany. Left for small batches (a run's fetch errors): the
    loads of documents and facts use `stage_arrow`, which is several times faster again.
    """
    values: list[list[object]] = [[] for _ in columns]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"staging {table}: row has {len(row)} values, expected {len(columns)}")
        for index, value in enumerate(row):
            values[index].append(value)
    select = ", ".join(
        f"unnest(${index}::{sql_type}[]) AS {name}"
        for index, (name, sql_type) in enumerate(columns, start=1)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select}", values)


# SQL type of a staged column -> its Arrow type. JSON travels as text: the INSERT into a JSON
# column validates it, as the cast of the former list parameters did.
_ARROW_TYPES: dict[str, Any] = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "VARCHAR[]": pa.list_(pa.string()),
}


@functools.cache
def _arrow_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    return pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in columns])


def stage_arrow(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    data: Mapping[str, Sequence[object]],
) -> None:
    """Register column lists as `table`, a temporary view over a typed Arrow table.

    `data` maps each of `columns`' names, in order, to that column's values. Nothing is
    copied into DuckDB: statements read the Arrow buffers. Datetimes become UTC timestamps
    (naive ones are taken as UTC, like `as_utc`). Created inside a transaction, the view goes
    with a rollback; `drop_staging` (or `release_staging` after a rollback) lets go of the
    Arrow table itself.
    """
    names = [name for name, _ in columns]
    if list(data) != names:
        raise ValueError(f"staging {table}: columns {list(data)}, expected {names}")
    lengths = {len(values) for values in data.values()}
    if len(lengths) > 1:
        raise ValueError(f"staging {table}: columns of unequal lengths {sorted(lengths)}")
    schema = _arrow_schema(tuple(columns))
    con.register(table, pa.Table.from_pydict(dict(data), schema=schema))


def drop_staging(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """Drop staging views registered by `stage_arrow` (names never registered are skipped)."""
    for table in tables:
        con.unregister(table)


def release_staging(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """After a rollback: let go of the Arrow tables whose views the rollback removed."""
    for table in tables:
        with contextlib.suppress(duckdb.Error):
            con.unregister(table)


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC: landing files and spiders record UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def redact_secrets(text: str | None) -> str | None:
    """Strip API keys from URLs and messages before they are stored.

    Spiders are meant to never pass a key on, but the warehouse is the last place a leaked key
    would persist, so it checks again: `api_key=` query values and the literal values of the
    secret environment variables are replaced.
    """
    return secret_redactor()(text)


def secret_redactor() -> Callable[[str | None], str | None]:
    """`redact_secrets` with the secret environment variables read once, for many values."""
    secrets = [secret for var in SECRET_ENV_VARS if (secret := os.environ.get(var))]
    replacement = rf"\g<1>{REDACTED}"
    substitute = _API_KEY_PARAM.sub

    def redact(text: str | None) -> str | None:
        if text is None:
            return None
        # Every `api_key=` value follows an "=": most URLs and messages have none, and the
        # case-insensitive pattern costs microseconds per string.
        cleaned = substitute(replacement, text) if "=" in text else text
        for secret in secrets:
            if secret in cleaned:
                cleaned = cleaned.replace(secret, REDACTED)
        return cleaned

    return redact
