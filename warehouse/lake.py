"""A DuckLake warehouse: the catalog in PostgreSQL (or any DuckLake catalog), data as Parquet.

Selected by one setting, `warehouse = "ducklake:postgres:dbname=minwatch host=..."`, with
`lake_data_path` naming where the Parquet files go (a shared folder or an object-store URL).
Several writers and many readers use it at once: every transaction reads one snapshot, and
a reader never sees a half-committed load, so there is no working file and no published copy
(warehouse/snapshot.py is for the single-file warehouse only).

What DuckLake does not have, and what stands in for it:
- No PRIMARY KEY, UNIQUE, CHECK or index. The migration files are applied with those clauses
  taken out (`for_ducklake`); the loaders never relied on them to stay idempotent (they insert
  only ids not stored yet and upsert with MERGE), and the CHECKed values come from code
  that checks them first (warehouse/runs.py).
- No RETURNING on a DuckLake table: the loaders ask for the ids first (warehouse/load.py).
- Extensions cannot be downloaded here: they come from the `duckdb-extension-*` packages,
  loaded by file path with DuckDB's signature check on (which is why DuckDB is pinned to the
  release those packages are built for).
"""

from __future__ import annotations

import importlib.resources
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

LAKE_PREFIX = "ducklake:"
# The name the lake is attached under; analysts' SQL names tables and views unqualified.
LAKE_ALIAS = "lake"
# Package -> the extension's own name (its init function is named after it; the postgres
# package ships `postgres.duckdb_extension` for the extension called postgres_scanner).
_EXTENSION_PACKAGES = {
    "ducklake": "ducklake",
    "postgres": "postgres_scanner",
    "httpfs": "httpfs",
    "fts": "fts",
}
_PASSWORD = re.compile(r"(?i)(password\s*=\s*)([^\s\"']+)")
# What PostgreSQL says when another process created the same new lake's catalog tables first.
_CREATED_MEANWHILE = re.compile(r"(?i)duplicate key value|already exists")
_ATTACH_ATTEMPTS = 5


class LakeError(RuntimeError):
    """The lake cannot be opened: the message says which part and why."""


@dataclass(frozen=True)
class Lake:
    """A DuckLake warehouse: `catalog` is what follows "ducklake:" (e.g. "postgres:dbname=x").

    `data_path` is needed when the lake is created; later attaches read it from the catalog.
    """

    catalog: str
    data_path: str | None = None

    def __str__(self) -> str:
        return redact_catalog(f"{LAKE_PREFIX}{self.catalog}")

    @property
    def catalog_kind(self) -> str:
        return self.catalog.split(":", 1)[0] if ":" in self.catalog else "duckdb"


def is_lake_uri(target: object) -> bool:
    return isinstance(target, str) and target.startswith(LAKE_PREFIX)


def parse_target(target: str | Path | Lake, data_path: str | None = None) -> Path | Lake:
    """A warehouse setting as a file path or a Lake."""
    if isinstance(target, Lake):
        return target
    if is_lake_uri(target):
        catalog = str(target)[len(LAKE_PREFIX) :].strip()
        if not catalog:
            raise LakeError(f"warehouse {target!r} names no catalog after {LAKE_PREFIX!r}")
        return Lake(catalog=catalog, data_path=data_path)
    return Path(target)


def redact_catalog(text: str) -> str:
    """A catalog string fit for a log: its password, if any, replaced."""
    return _PASSWORD.sub(r"\g<1>REDACTED", text)


def extension_path(package: str) -> Path:
    """The extension file that `duckdb-extension-<package>` ships for this DuckDB.

    DuckDB derives the init function from the file name, so a file not named after its
    extension is reached through a correctly named link in a per-user folder.
    """
    name = _EXTENSION_PACKAGES[package]
    try:
        root = importlib.resources.files(f"duckdb_extension_{package}")
    except ModuleNotFoundError as exc:
        raise LakeError(
            f"the DuckDB extension package duckdb-extension-{package} is not installed"
        ) from exc
    shipped = (
        Path(str(root)) / "extensions" / f"v{duckdb.__version__}" / f"{package}.duckdb_extension"
    )
    if not shipped.is_file():
        raise LakeError(
            f"duckdb-extension-{package} has no build for DuckDB {duckdb.__version__} "
            f"(looked for {shipped}); install the matching release"
        )
    if name == package:
        return shipped
    links = Path(tempfile.gettempdir()) / f"minwatch-duckdb-extensions-{os.getuid()}"
    links = links / f"v{duckdb.__version__}"
    links.mkdir(parents=True, exist_ok=True)
    link = links / f"{name}.duckdb_extension"
    if not (link.is_symlink() and link.resolve() == shipped.resolve()):
        # Another process may be making the same link: make ours aside, then swap it in.
        aside = links / f".{name}.{os.getpid()}.tmp"
        aside.unlink(missing_ok=True)
        aside.symlink_to(shipped)
        os.replace(aside, link)
    return link


def load_extensions(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """Load what `lake` needs from the installed packages; nothing is downloaded."""
    con.execute("SET autoinstall_known_extensions = false")
    needed = ["ducklake"]
    if lake.catalog_kind == "postgres":
        needed.append("postgres")
    if lake.data_path and re.match(r"(?i)(s3|gcs|gs|r2|https?)://", lake.data_path):
        needed.append("httpfs")
    for package in needed:
        load_extension(con, package)


def load_extension(con: duckdb.DuckDBPyConnection, package: str) -> None:
    """LOAD the extension `duckdb-extension-<package>` ships, by its file (signature checked)."""
    path = str(extension_path(package)).replace("'", "''")
    con.execute(f"LOAD '{path}'")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach(lake: Lake, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with `lake` attached as `lake` and in use (no migrations applied)."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        load_extensions(con, lake)
        options = []
        if lake.data_path:
            data_path = lake.data_path
            if "://" not in data_path:
                local = Path(data_path).expanduser().resolve()
                if not read_only:
                    local.mkdir(parents=True, exist_ok=True)
                data_path = str(local) + os.sep
            options.append(f"DATA_PATH {_quote(data_path)}")
        if read_only:
            options.append("READ_ONLY")
        suffix = f" ({', '.join(options)})" if options else ""
        for attempt in range(1, _ATTACH_ATTEMPTS + 1):
            try:
                con.execute(f"ATTACH {_quote(LAKE_PREFIX + lake.catalog)} AS {LAKE_ALIAS}{suffix}")
                break
            except duckdb.Error as exc:
                text = str(exc).strip()
                if attempt < _ATTACH_ATTEMPTS and _CREATED_MEANWHILE.search(text):
                    # Two writers creating one new lake at once: the loser's CREATE TABLEs
                    # collide with the winner's; its next attach finds the lake made.
                    time.sleep(0.2 * attempt)
                    continue
                first = text.splitlines()[0] if text else type(exc).__name__
                # The driver's message quotes the whole connection string, password included.
                raise LakeError(
                    f"cannot attach the DuckLake warehouse {lake}: {redact_catalog(first)}"
                ) from None
        con.execute(f"USE {LAKE_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con`'s current database is a DuckLake catalog."""
    row = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0] == "ducklake")


# Clauses DuckLake refuses, matched outside comments and strings (which `for_ducklake`
# removes or masks first).
_CREATE_INDEX = re.compile(r"(?is)\bCREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*;")
_INLINE_KEY = re.compile(r"(?i)\bPRIMARY\s+KEY\b(?!\s*\()")
_INLINE_UNIQUE = re.compile(r"(?i)\bUNIQUE\b(?!\s*\()")
_TABLE_CONSTRAINT = re.compile(r"(?i)\b(?:PRIMARY\s+KEY|UNIQUE|CHECK)\s*\(")


def for_ducklake(sql: str) -> str:
    """A migration as DuckLake takes it: without keys, uniqueness, CHECKs and indexes.

    A column's PRIMARY KEY becomes NOT NULL (what the key implied for its values). The
    result is checked by tests/test_warehouse_lake.py against the file warehouse's schema.
    """
    text, literals = _mask_literals(_strip_comments(sql))
    text = _CREATE_INDEX.sub("", text)
    text = _INLINE_KEY.sub("NOT NULL", text)
    text = _INLINE_UNIQUE.sub("", text)
    out: list[str] = []
    position = 0
    for match in _TABLE_CONSTRAINT.finditer(text):
        if match.start() < position:
            continue
        end = _closing_paren(text, match.end() - 1)
        # The constraint goes with the comma that introduced it.
        head = text[position : match.start()].rstrip()
        if head.endswith(","):
            head = head[:-1]
        out.append(head)
        position = end + 1
    out.append(text[position:])
    text = "".join(out)
    # A constraint that came first leaves "(\n ," behind; NOT NULL twice is harmless but noisy.
    text = re.sub(r"\(\s*,", "(", text)
    text = re.sub(r"(?i)NOT NULL(\s+NOT NULL)+", "NOT NULL", text)
    return _LITERAL_MARK.sub(lambda mark: literals[int(mark.group(1))], text)


_LITERAL_MARK = re.compile("\x00(\\d+)\x00")


def _mask_literals(sql: str) -> tuple[str, list[str]]:
    """`sql` with each quoted string or name replaced by a numbered mark, and the literals."""
    literals: list[str] = []

    def mark(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", mark, sql), literals


def _closing_paren(text: str, opening: int) -> int:
    depth = 0
    quote: str | None = None
    for index in range(opening, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise LakeError("unbalanced parentheses in a migration's constraint")


def _strip_comments(sql: str) -> str:
    """`sql` without `--` comments (strings and quoted names kept as they are)."""
    out: list[str] = []
    index = 0
    quote: str | None = None
    while index < len(sql):
        char = sql[index]
        if quote:
            out.append(char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif sql.startswith("--", index):
            newline = sql.find("\n", index)
            index = len(sql) if newline == -1 else newline
            continue
        else:
            out.append(char)
        index += 1
    return "".join(out)
