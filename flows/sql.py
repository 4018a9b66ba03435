"""`minwatch sql`: queries on the published warehouse in a sandbox, and exports of their results.

The warehouse holds text written by the sources the nightly run crawls, and an analyst may paste
SQL from anywhere, so the SQL is treated as hostile. The connection is read-only, and before any
statement of the user runs DuckDB's access to anything but the warehouse file is switched off and
its configuration locked (`open_sandbox`): no COPY to or from files, no read_csv / read_text /
parquet_scan / glob of other paths, no URLs, no INSTALL or LOAD, no ATTACH of another file, and no
SET, RESET or PRAGMA can undo any of it. Statements of the kinds that could only be refused are
refused before anything runs, with one sentence each; DuckDB refuses the rest itself.

Results leave the sandbox through `--out` only: fetched as Arrow and written by this process
(Parquet, CSV or JSON Lines), to a path checked against the warehouse's own files, never by
DuckDB's COPY.

Without a query, `minwatch sql` is a shell in the manner of DuckDB's: line editing and history
(GNU readline, when stdin is a terminal), multi-line statements ended by ';', the dot commands
of `DOT_COMMANDS`, Ctrl-C cancelling the line or the running statement, Ctrl-D leaving.
docs/sql.md is the user's guide.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import functools
import io
import json
import os
import re
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from minwatch.flows.settings import DB_ENV, DEFAULT_DB, SAM_KEY_ENV, Paths

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from minwatch.warehouse.lake import Lake

# Exit statuses; 2 is argparse's own for bad arguments, the others follow sysexits.h.
EXIT_OK = 0
EXIT_SQL_ERROR = 1  # DuckDB could not run the query (syntax, unknown column, bad cast...)
EXIT_USAGE = 2
EXIT_SOFTWARE = 70  # the sandbox did not come up as configured: nothing was run
EXIT_IOERR = 74  # the --out file could not be written
EXIT_REFUSED = 77  # EX_NOPERM: a statement or an --out path the sandbox refuses

_SUFFIX_FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
}
_BATCH_ROWS = 10_000
# Table mode shows at most this many rows (DuckDB's box renderer elides the middle ones and says
# so); --out or --format csv|json give every row.
TABLE_MAX_ROWS = 200
# Table mode's width when stdout is not a terminal and --max-width is not given: 0 is unlimited,
# so a pipe or a file gets every column.
PIPE_MAX_WIDTH = 0
PRINT_FORMATS = ("table", "csv", "json", "markdown", "line")

# The shell's history: $MINWATCH_SQL_HISTORY (empty: none), else under $XDG_STATE_HOME.
HISTORY_ENV = "MINWATCH_SQL_HISTORY"
HISTORY_LENGTH = 2000
# A line naming a credential is not kept in the history file (nor one starting with a space, as
# in bash's `ignorespace`). The warehouse holds no secret, but a pasted line might.
_SECRET_LINE = re.compile(
    r"(?i)(api[_-]?key|access[_-]?key|secret|token|passw(or)?d|authorization|bearer)"
)

# Set when the connection opens, before any statement of the user runs; locked afterwards, and
# each read back before the first query (`_check_sandbox`).
SANDBOX_SETTINGS: dict[str, bool | str] = {
    # Every file but the warehouse itself: COPY TO/FROM, EXPORT/IMPORT DATABASE, read_text,
    # read_blob, read_csv, read_json, parquet_scan, glob, sniff_csv, ATTACH of another file,
    # http(s) URLs, and INSTALL (it writes the extension directory).
    "enable_external_access": False,
    # A query naming a known extension's function or file type would otherwise download it
    # (autoinstall) or load one already installed (autoload).
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    # Nothing can be added to the trusted extension repositories (DuckDB 2.0 setting).
    "allow_extension_repositories": "forbidden",
    # CREATE PERSISTENT SECRET would write under ~/.duckdb/stored_secrets.
    "allow_persistent_secrets": False,
    # A table name never resolves to a Python object (a DataFrame, an Arrow table) of this process.
    "python_enable_replacements": False,
}

# Statement kinds (as DuckDB's parser types them) refused before anything runs: the sandbox
# would refuse each anyway, and this sentence says why better than DuckDB's message.
_TO_FILES = "COPY and EXPORT read or write files; export a query's result with --out FILE"
_SETTINGS = "SET, RESET, USE and PRAGMA name = value change settings, which are locked in this tool"
_DATABASES = "ATTACH and DETACH open other databases; this tool reads the warehouse only"
_REFUSED_KINDS = {
    "COPY": _TO_FILES,
    "COPY_DATABASE": _TO_FILES,
    "EXPORT": _TO_FILES,
    "LOAD": "INSTALL and LOAD bring in extensions, which this tool does not use",
    "SET": _SETTINGS,
    "VARIABLE_SET": _SETTINGS,
    "ATTACH": _DATABASES,
    "DETACH": _DATABASES,
}
# DuckDB's logging switches change the database's configuration past lock_configuration in
# DuckDB 1.5 (and a refused file target leaves it half set, aborting the process at exit).
_LOGGING_CALLS = re.compile(r"(?i)\b(enable_logging|disable_logging|truncate_duckdb_logs)\s*\(")
# On a DuckLake warehouse: the catalog's own connection (postgres_query and postgres_execute
# would run any SQL there as the catalog's user) and the maintenance calls that delete or
# rewrite the lake's files. Reading the lake's views and tables needs none of them.
_LAKE_CALLS = re.compile(
    r"(?i)\b(postgres_\w+|ducklake_(cleanup_old_files|delete_orphaned_files|merge_adjacent_files"
    r"|expire_snapshots|rewrite_data_files|flush_inlined_data|add_data_files|set_option"
    r"|set_commit_message)\w*)\s*\("
)
_LAKE_REFUSED = "the lake's catalog connection and maintenance calls are not for this tool"
_QUIT = {".quit", ".exit", "\\q"}
DOT_COMMANDS = {
    ".tables": "list the views (the documented, stable ones) and the base tables",
    ".schema [NAME]": "the columns and types of NAME, or of every view and table",
    ".mode [table|csv|json|markdown|line]": "how results print (no argument: the current mode)",
    ".maxwidth [N]": "table mode's width in characters; 0 shows every column whatever the width",
    ".help": "this list",
    ".quit, .exit": "leave the shell (so does Ctrl-D)",
}
# DuckDB shell commands that would reach files, the system or settings: refused with a reason.
_REFUSED_DOT = {
    ".import", ".read", ".output", ".once", ".open", ".shell", ".system", ".save", ".backup",
    ".restore", ".cd", ".log", ".excel", ".load", ".clone",
}  # fmt: skip
# C0 and C1 control characters but tab and newline: on a terminal, a crawled text could move
# the cursor, retitle the window or write the clipboard with them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

EPILOG = f"""\
The query runs in a sandbox: the warehouse is opened read-only, DuckDB may touch no other file,
URL or extension, and its settings are locked. COPY, EXPORT/IMPORT DATABASE, read_csv,
read_text, read_parquet and every other reader of paths, INSTALL, LOAD, ATTACH, DETACH, SET,
RESET and PRAGMA settings are refused, each with one line on stderr (exit {EXIT_REFUSED}); in the
shell, the shell goes on. Views and tables read as usual, and temporary tables and macros
last for the session.

Export a result with --out FILE: Parquet, CSV (a header row, then the rows) or JSON Lines (one
object per line, as --format json prints), chosen by --format or by the file's suffix
(.parquet, .csv, .json/.jsonl). In CSV a list, struct or map value is written as JSON
(["A CORP", "B LTD"]). The file is written whole or not at all (a temporary file beside it,
then a rename). An existing FILE is kept unless --force is given. --out may not name the
warehouse, its working file, its lock or write-ahead log, or anything in the landing zone
(exit {EXIT_REFUSED}). Read a Parquet export with pandas.read_parquet(FILE) or
polars.read_parquet(FILE); docs/sql.md has examples.

Table mode fits the terminal's width and says on stderr how many columns it left out; --max-width
0 shows them all (in the shell: .maxwidth 0, or .mode line for one value a line). Without a
query the shell opens: .help lists its commands; Ctrl-C cancels the line or the running
statement, Ctrl-D leaves; history is kept in ${HISTORY_ENV} (default
~/.local/state/minwatch/sql_history, mode 0600; lines naming a key, token, secret or password are
not kept).

Exit statuses: 0 done, {EXIT_SQL_ERROR} the query failed, {EXIT_USAGE} bad arguments or no
warehouse, {EXIT_IOERR} the --out file could not be written, {EXIT_REFUSED} refused by the
sandbox."""


INTERRUPTED = "interrupted: the statement was cancelled (Ctrl-C)"


class Refused(Exception):
    """A statement or an --out path the sandbox refuses; the message is the one line shown."""


class SandboxError(RuntimeError):
    """The sandbox did not come up as configured."""


def add_sql_parser(
    commands: Any,  # argparse's subparsers action, whose class is private
    parents: Sequence[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    """Add `sql` to the `minwatch` subcommands; `parents` as the other commands get theirs."""
    sql: argparse.ArgumentParser = commands.add_parser(
        "sql",
        parents=list(parents),
        help="query the warehouse read-only, export a result, or open a shell",
        description="Run a query on the warehouse (read-only, sandboxed), or open a shell.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sql.add_argument("--db", help=f"DuckDB warehouse file (default: ${DB_ENV} or {DEFAULT_DB})")
    sql.add_argument(
        "--warehouse",
        metavar="ducklake:CATALOG",
        help="a DuckLake warehouse instead of the --db file (also: [cluster] warehouse)",
    )
    sql.add_argument(
        "--lake-data-path",
        metavar="PATH_OR_URL",
        help="the DuckLake warehouse's Parquet files (default: as its catalog records)",
    )
    sql.add_argument("query", nargs="?", help="SQL to run; omit for an interactive shell")
    sql.add_argument(
        "--format",
        choices=(*PRINT_FORMATS, "parquet"),
        help="table (the default), csv, json, markdown or line to print; parquet, csv or json "
        "with --out (default: from FILE's suffix)",
    )
    sql.add_argument(
        "--max-width",
        type=_width,
        metavar="N",
        help="table mode's width in characters, 0 for every column (default: the terminal's "
        "width; unlimited when stdout is not a terminal)",
    )
    sql.add_argument(
        "--out", type=Path, metavar="FILE", help="write the query's result to FILE, see below"
    )
    sql.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return sql


def cmd_sql(args: argparse.Namespace) -> int:
    from minwatch.flows.settings import WarehousePathError, lake_target

    paths = Paths.resolve(args.db)
    try:
        lake = lake_target(
            getattr(args, "warehouse", None), getattr(args, "lake_data_path", None), args.db
        )
        fmt = _output_format(args)
        if args.out is not None:
            _check_out(args.out, paths, force=args.force, lake=lake)
    except Refused as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except (ValueError, WarehousePathError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    if lake is None and not paths.db.is_file():
        return _fail(f"no warehouse at {paths.db}; run `minwatch run --demo` first", EXIT_USAGE)
    import duckdb

    from minwatch.warehouse.lake import LakeError

    try:
        with sigint_to_main_thread():
            # DuckDB starts its worker threads here
            con = open_sandbox(paths.db) if lake is None else open_lake_sandbox(lake)
    except SandboxError as exc:
        return _fail(f"{exc}; nothing was run", EXIT_SOFTWARE)
    except (duckdb.Error, LakeError) as exc:
        where = paths.db if lake is None else lake
        return _fail(f"cannot open the warehouse {where}: {_first_line(exc)}", EXIT_USAGE)
    max_width = getattr(args, "max_width", None)
    try:
        if args.query is None:
            return Shell(con, fmt, max_width).run()
        return run_query(con, args.query, fmt, out=args.out, force=args.force, max_width=max_width)
    finally:
        con.close()


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of characters: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("a width is 0 (unlimited) or more")
    return value


def open_sandbox(db: Path) -> duckdb.DuckDBPyConnection:
    """`db` read-only, with external access off and the configuration locked."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True, config=dict(sandbox_settings()))
    try:
        # As warehouse.connect does: TIMESTAMPTZ values come back in UTC. Then nothing more.
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET lock_configuration = true")
        _check_sandbox(con)
    except BaseException:
        con.close()
        raise
    return con


# Settings a DuckLake warehouse needs while it is attached, switched off or locked right after
# (DuckLake looks up secrets, including persistent ones, while it attaches).
_SET_AFTER_ATTACH = ("enable_external_access",)
_LAKE_STARTUP_ONLY = ("allow_persistent_secrets",)


def open_lake_sandbox(lake: Lake) -> duckdb.DuckDBPyConnection:
    """A DuckLake warehouse as `open_sandbox` opens a file: attached read-only, then external
    access off but for the lake's own data folder, and the configuration locked.

    Differences a user may meet: persistent secrets stay readable (DuckLake reads secrets as
    it attaches, after which that setting cannot change), and a local data folder can be read
    with read_parquet as well as through the lake's tables. Give analysts a catalog role that
    can only SELECT (docs/scaling.md): the sandbox refuses postgres_query, but the role is
    what the catalog itself enforces.
    """
    import duckdb

    from minwatch.warehouse.lake import (
        LAKE_ALIAS,
        LAKE_PREFIX,
        LakeError,
        load_extensions,
        redact_catalog,
    )

    settings = sandbox_settings()
    early = {
        k: v for k, v in settings.items() if k not in (*_SET_AFTER_ATTACH, *_LAKE_STARTUP_ONLY)
    }
    con = duckdb.connect(":memory:", config=dict(early))
    try:
        con.execute("SET TimeZone = 'UTC'")
        load_extensions(con, lake)
        target = (LAKE_PREFIX + lake.catalog).replace("'", "''")
        try:
            con.execute(f"ATTACH '{target}' AS {LAKE_ALIAS} (READ_ONLY)")
        except duckdb.Error as exc:
            raise LakeError(redact_catalog(_first_line(exc))) from None
        con.execute(f"USE {LAKE_ALIAS}")
        row = con.execute(
            f"SELECT value FROM {LAKE_ALIAS}.options() WHERE option_name = 'data_path'"
        ).fetchone()
        data_path = str(row[0]) if row and row[0] else lake.data_path
        if data_path and "://" not in data_path:
            folder = str(Path(data_path).expanduser().resolve()) + os.sep
            con.execute("SET allowed_directories = $dirs", {"dirs": [folder]})
        for name in _SET_AFTER_ATTACH:
            con.execute(f"SET {name} = {str(settings[name]).lower()}")
        con.execute("SET lock_configuration = true")
        wanted = {k: v for k, v in settings.items() if k not in _LAKE_STARTUP_ONLY}
        _check_sandbox(con, wanted)
    except BaseException:
        con.close()
        raise
    return con


# Settings of SANDBOX_SETTINGS that only newer DuckDB releases have: an older one (the project
# pins 1.5.5) has no such door to close, and refuses to open a file with an unknown option.
_NEWER_SETTINGS = frozenset({"allow_extension_repositories"})


@functools.cache
def sandbox_settings() -> dict[str, str | bool | int | float | list[str]]:
    """SANDBOX_SETTINGS, less the newer ones this DuckDB does not know."""
    import duckdb

    with duckdb.connect(":memory:") as probe:
        known = {
            str(row[0]) for row in probe.execute("SELECT name FROM duckdb_settings()").fetchall()
        }
    return {k: v for k, v in SANDBOX_SETTINGS.items() if k in known or k not in _NEWER_SETTINGS}


def _check_sandbox(
    con: duckdb.DuckDBPyConnection, settings: Mapping[str, object] | None = None
) -> None:
    """Read every setting back: a DuckDB that ignored one must not run hostile SQL."""
    wanted = {**(sandbox_settings() if settings is None else settings), "lock_configuration": True}
    if settings is None:
        wanted["access_mode"] = "read_only"  # a lake is attached READ_ONLY instead
    names = list(wanted)
    rows = con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE list_contains($names, name)",
        {"names": names},
    ).fetchall()
    actual = {name: str(value).lower() for name, value in rows}
    for name, value in wanted.items():
        expected = str(value).lower()
        if actual.get(name) != expected:
            raise SandboxError(
                f"the SQL sandbox did not come up: {name} is {actual.get(name)!r}, not {expected!r}"
            )


def run_query(
    con: duckdb.DuckDBPyConnection,
    query: str,
    fmt: str,
    *,
    out: Path | None = None,
    force: bool = False,
    max_width: int | None = None,
    width_hint: str = "--max-width 0",
) -> int:
    """Run `query` in the sandbox; print its last statement's result, or write it to `out`.

    `max_width` is table mode's width (None: the terminal's, or unlimited off a terminal; 0:
    unlimited); when columns do not fit, stderr says how many were left out and `width_hint`.
    """
    import duckdb
    import pyarrow as pa

    try:
        _check_statements(con, query)
        relation = con.sql(query)
        if relation is None:
            if out is not None:
                return _fail(f"the query returns no rows to write to {out}", EXIT_USAGE)
            return EXIT_OK
        if out is not None:
            rows = _export(relation, fmt, out, force=force)
            print(f"wrote {rows} row{'s' if rows != 1 else ''} to {out}")
        elif fmt == "table":
            _show_table(relation, max_width, width_hint)
        else:
            _print_rows(relation, fmt, sys.stdout)
    except Refused as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except duckdb.Error as exc:
        code, message = _explain(exc)
        return _fail(message, code)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}", EXIT_IOERR)
    except pa.ArrowException as exc:  # a column type the file format has no place for
        return _fail(f"cannot write {out} as {fmt}: {_first_line(exc)}", EXIT_IOERR)
    except RuntimeError as exc:
        # Ctrl-C while DuckDB runs: it stops the statement and says so with a RuntimeError.
        if "interrupt" not in str(exc).lower():
            raise
        return _fail(INTERRUPTED, EXIT_SQL_ERROR)
    return EXIT_OK


@dataclass
class Shell:
    """The interactive shell: one statement at a time, each run as `run_query` runs a query."""

    con: duckdb.DuckDBPyConnection
    fmt: str
    max_width: int | None = None

    def run(self) -> int:
        history = _History.open() if sys.stdin.isatty() else None
        print("minwatch sql shell: end statements with ';'; .help lists commands; Ctrl-D leaves")
        buffer: list[str] = []
        try:
            while True:
                try:
                    line = input("minwatch> " if not buffer else "     ...> ")
                except EOFError:
                    print()
                    return EXIT_OK
                except KeyboardInterrupt:  # drops the line and the statement being typed
                    print()
                    buffer = []
                    continue
                command = line.strip()
                if not buffer and command.startswith((".", "\\")):
                    if history is not None:
                        history.add(command)
                    if self.dot(command):
                        return EXIT_OK
                    continue
                if not buffer and not command:
                    continue
                buffer.append(line)
                if command.endswith(";"):
                    statement = "\n".join(buffer)
                    buffer = []
                    if history is not None:
                        history.add(" ".join(part.strip() for part in statement.splitlines()))
                    self.execute(statement)
        finally:
            if history is not None:
                history.close()

    def execute(self, statement: str) -> None:
        """Run one statement; Ctrl-C stops it and the shell stays.

        The statement runs in a worker thread while this (the main) thread, which receives
        SIGINT, waits: Ctrl-C at any moment, in DuckDB or in Python, becomes `interrupt()` calls
        on the connection until the worker is done, so the statement cannot outlive a Ctrl-C
        that arrived before DuckDB began to run it.
        """
        done = threading.Event()

        def work() -> None:
            try:
                run_query(
                    self.con,
                    statement,
                    self.fmt,
                    max_width=self.max_width,
                    width_hint=".maxwidth 0",
                )
            finally:
                done.set()

        # An Event, not Thread.join: a KeyboardInterrupt inside join can leave the thread
        # looking alive for good (CPython 3.11).
        with sigint_to_main_thread():
            threading.Thread(target=work, name="minwatch-sql-statement", daemon=True).start()
        cancelled = False
        while not done.is_set():
            try:
                if done.wait(0.1):
                    break
                if cancelled:
                    self.con.interrupt()
            except KeyboardInterrupt:
                if not cancelled:
                    print(file=sys.stderr)
                cancelled = True
                self.con.interrupt()
        sys.stdout.flush()

    def dot(self, command: str) -> bool:
        """Run a dot command; True to leave the shell. Errors are one line on stderr."""
        words = command.rstrip(";").split()
        name, args = words[0].lower(), words[1:]
        if name in _QUIT:
            return True
        if name == ".help":
            width = max(len(k) for k in DOT_COMMANDS)
            for usage, meaning in DOT_COMMANDS.items():
                print(f"{usage:<{width}}  {meaning}")
            print("SQL statements end with ';' and may span lines; Ctrl-C cancels, Ctrl-D leaves.")
        elif name == ".tables":
            self.tables()
        elif name == ".schema":
            self.schema(args[0] if args else None)
        elif name == ".mode":
            if not args:
                print(self.fmt)
            elif args[0].lower() in PRINT_FORMATS:
                self.fmt = args[0].lower()
            else:
                _fail(f".mode {args[0]}: choose one of {', '.join(PRINT_FORMATS)}", EXIT_USAGE)
        elif name in (".maxwidth", ".width"):
            if not args:
                print(self.max_width if self.max_width is not None else "terminal width")
            elif args[0].isdigit():
                self.max_width = int(args[0])
            else:
                _fail(f"{name} {args[0]}: give a number of characters, 0 for all", EXIT_USAGE)
        elif name in _REFUSED_DOT:
            _fail(
                f"{name} reaches files, the system or settings, which this tool does not; "
                "export a result with `minwatch sql QUERY --out FILE`",
                EXIT_USAGE,
            )
        else:
            _fail(
                f"{_terminal_safe([name])[0]} is not a command here; .help lists them", EXIT_USAGE
            )
        return False

    def _relations(self) -> list[tuple[str, str]]:
        return [
            (str(name), str(kind))
            for name, kind in self.con.execute(
                "SELECT table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_catalog = current_database() "
                "ORDER BY table_type DESC, table_name"
            ).fetchall()
        ]

    def tables(self) -> None:
        relations = self._relations()
        views = [n for n, kind in relations if kind == "VIEW"]
        tables = [n for n, kind in relations if kind != "VIEW"]
        print("views (documented in docs/schema.md):")
        print(_columns(views))
        print("base tables (may change between versions):")
        print(_columns(tables))

    def schema(self, name: str | None) -> None:
        relations = dict(self._relations())
        if name is not None:
            wanted = {n: k for n, k in relations.items() if n.lower() == name.lower()}
            if not wanted:
                _fail(f"no view or table named {_terminal_safe([name])[0]}", EXIT_USAGE)
                return
            relations = wanted
        for relation, kind in relations.items():
            columns = self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                [relation],
            ).fetchall()
            body = ",\n".join(f"  {column} {kind_}" for column, kind_ in columns)
            print(f"CREATE {'VIEW' if kind == 'VIEW' else 'TABLE'} {relation} (\n{body}\n);")
        if name is None:
            macros = self.con.execute(
                "SELECT DISTINCT function_name, function_type, parameters FROM duckdb_functions() "
                "WHERE NOT internal AND function_type IN ('macro', 'table_macro') "
                "AND database_name = current_database() ORDER BY function_name"
            ).fetchall()
            for function, kind, parameters in macros:
                label = "table macro" if kind == "table_macro" else "macro"
                print(f"-- {label} {function}({', '.join(parameters)})")


@contextlib.contextmanager
def sigint_to_main_thread() -> Iterator[None]:
    """Threads started inside (DuckDB's, the shell's worker) never take SIGINT.

    The kernel gives a process's SIGINT to any thread not blocking it. Taken by another thread,
    it would only set Python's flag, and readline, waiting in select() in the main thread, would
    not see a Ctrl-C until the next key. Threads inherit the mask of the thread starting them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _columns(names: Sequence[str]) -> str:
    """Names in columns across the terminal, as DuckDB's .tables prints them."""
    if not names:
        return "  (none)"
    width = max(len(n) for n in names) + 2
    per_line = max(1, (shutil.get_terminal_size().columns - 2) // width)
    lines = [
        "  " + "".join(f"{n:<{width}}" for n in names[i : i + per_line]).rstrip()
        for i in range(0, len(names), per_line)
    ]
    return "\n".join(lines)


@dataclass
class _History:
    """GNU readline's history of the shell, kept in a file only its owner can read."""

    path: Path | None

    @classmethod
    def open(cls) -> _History:
        try:
            import readline
        except ImportError:  # a Python without readline: the shell works, without editing
            return cls(None)
        readline.set_auto_history(False)  # lines are added by `add`, which leaves secrets out
        readline.set_history_length(HISTORY_LENGTH)
        path = history_path()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
                os.chmod(path, 0o600)
                readline.read_history_file(path)
            except OSError as exc:
                _fail(f"no history: cannot use {path} ({exc.strerror or exc})", EXIT_OK)
                path = None
        return cls(path)

    def add(self, entry: str) -> None:
        if self.path is None and "readline" not in sys.modules:
            return
        if not entry or entry[0].isspace() or not _keepable(entry):
            return
        import readline

        last = readline.get_current_history_length()
        if last and readline.get_history_item(last) == entry:
            return  # the same line again, as from Up then Enter: kept once
        readline.add_history(entry)
        if self.path is not None:
            with contextlib.suppress(OSError):
                readline.append_history_file(1, self.path)

    def close(self) -> None:
        if self.path is None:
            return
        import readline

        with contextlib.suppress(OSError):
            readline.write_history_file(self.path)  # trims the file to HISTORY_LENGTH


def history_path(environ: dict[str, str] | None = None) -> Path | None:
    """Where the shell keeps its history; None when $MINWATCH_SQL_HISTORY is set empty."""
    env = dict(os.environ) if environ is None else environ
    if HISTORY_ENV in env:
        value = env[HISTORY_ENV].strip()
        return Path(value).expanduser() if value else None
    state = env.get("XDG_STATE_HOME", "").strip() or str(Path("~/.local/state").expanduser())
    return Path(state) / "minwatch" / "sql_history"


def _keepable(entry: str) -> bool:
    """False for a line that names a credential or holds the SAM.gov key's value."""
    if _SECRET_LINE.search(entry):
        return False
    key = os.environ.get(SAM_KEY_ENV, "").strip()
    return not (len(key) >= 8 and key in entry)


def _output_format(args: argparse.Namespace) -> str:
    """The format to print or write; ValueError, in one sentence, for a combination without one."""
    fmt: str | None = args.format
    if args.out is None:
        if fmt == "parquet":
            raise ValueError("--format parquet writes a file: add --out FILE.parquet")
        if args.force:
            raise ValueError("--force replaces an --out file: add --out FILE")
        return fmt or "table"
    if args.query is None:
        raise ValueError("--out writes the result of a query: give the query too")
    if fmt == "table":
        raise ValueError("--out writes parquet, csv or json, not a table: choose one with --format")
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(args.out.suffix.lower())
        if fmt is None:
            raise ValueError(
                f"cannot tell the format of {args.out} from its name: add --format parquet, "
                "csv or json"
            )
    return fmt


def _check_out(out: Path, paths: Paths, *, force: bool, lake: Lake | None = None) -> None:
    """Refuse an --out path that is one of the warehouse's own files or in the landing zone
    (or, for a DuckLake warehouse, in its local data folder)."""
    from minwatch.flows.lock import lock_path_for
    from minwatch.warehouse.snapshot import work_path

    target = out.resolve()
    db = paths.db.resolve()
    work = work_path(paths.db).resolve()
    # Also what DuckDB and the runs keep beside them: the write-ahead logs (`.wal`), the lock,
    # set-aside working files (`.corrupt-...`) and publish's temporary copy (`.<name>.<pid>.tmp`).
    own_files = [db, work, lock_path_for(paths.db).resolve()]
    own = (
        target in own_files
        or (
            target.parent in {db.parent, work.parent}
            and target.name.startswith((f"{db.name}.", f"{work.name}.", f".{db.name}."))
        )
        # The same file under another name: a case-insensitive file system, a hard link.
        or (target.exists() and any(f.exists() and target.samefile(f) for f in own_files))
    )
    if own:
        raise Refused(f"refused: --out {out} is one of the warehouse's own files; choose another")
    if lake is not None and lake.data_path and "://" not in lake.data_path:
        data = Path(lake.data_path).expanduser().resolve()
        if target == data or target.is_relative_to(data):
            raise Refused(f"refused: --out {out} is in the lake's data folder {lake.data_path}")
    landing = paths.landing_dir.resolve()
    if target == landing or target.is_relative_to(landing):
        raise Refused(f"refused: --out {out} is in the landing zone {paths.landing_dir}")
    if target.is_dir():
        raise ValueError(f"--out {out} is a directory; name a file in it")
    if not target.parent.is_dir():
        raise ValueError(f"--out {out}: there is no directory {out.parent}")
    if out.exists() and not force:
        raise ValueError(f"--out {out} exists; add --force to replace it")


def _check_statements(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse the whole query, before any of it runs, if one statement is of a refused kind."""
    import duckdb

    if _LOGGING_CALLS.search(query):
        raise Refused(f"refused: {_SETTINGS}")
    if _LAKE_CALLS.search(query):
        raise Refused(f"refused: {_LAKE_REFUSED}")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error:
        return  # a syntax error: running it reports it with DuckDB's pointer into the text
    for statement in statements:
        try:
            kind = statement.type.name
        except ValueError:
            # A kind newer than this DuckDB's Python binding knows (UPDATE EXTENSIONS, say).
            raise Refused(
                "refused: the query holds a kind of statement this tool does not know"
            ) from None
        reason = _REFUSED_KINDS.get(kind)
        if reason is not None:
            raise Refused(f"refused: {reason}")


def _explain(exc: BaseException) -> tuple[int, str]:
    """The exit status and the message for a DuckDB error; one sentence for what it refused."""
    import duckdb

    text = str(exc).strip()
    detail = _first_line(exc).split(": ", 1)[-1]
    if isinstance(exc, duckdb.InterruptException):
        return EXIT_SQL_ERROR, INTERRUPTED
    if isinstance(exc, duckdb.PermissionException):
        return EXIT_REFUSED, (
            f"refused: this tool reads the warehouse and nothing else, no other file, URL or "
            f"extension ({detail})"
        )
    if "the configuration has been locked" in text:
        return EXIT_REFUSED, f"refused: settings are locked in this tool ({detail})"
    if "read-only mode" in text:
        return EXIT_REFUSED, (
            f"refused: the warehouse is read-only here; only `minwatch run` changes it ({detail})"
        )
    return EXIT_SQL_ERROR, text


def _export(relation: duckdb.DuckDBPyRelation, fmt: str, out: Path, *, force: bool) -> int:
    """Write the relation's rows to `out` whole or not at all; the number of rows written."""
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    reader = relation.to_arrow_reader(_BATCH_ROWS)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            rows = 0
            with pq.ParquetWriter(str(tmp), reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
        else:
            with tmp.open("x", encoding="utf-8", newline="") as file:
                rows = _write_rows(reader, fmt, file)
        with tmp.open("rb") as written:
            os.fsync(written.fileno())
        _place(tmp, out, force=force)
    finally:
        reader.close()
        tmp.unlink(missing_ok=True)
    from minwatch.warehouse.snapshot import fsync_dir

    fsync_dir(out.parent)
    return rows


def _place(tmp: Path, out: Path, *, force: bool) -> None:
    """Rename the finished file into place; without --force, never over a file that appeared."""
    if force:
        os.replace(tmp, out)
        return
    try:
        os.link(tmp, out)  # fails, atomically, if `out` exists by now
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, _APPEARED) from None
    except OSError:  # a file system without hard links
        if out.exists():
            raise FileExistsError(errno.EEXIST, _APPEARED) from None
        os.replace(tmp, out)


_APPEARED = "it appeared while the query ran; add --force to replace it"


def _show_table(relation: duckdb.DuckDBPyRelation, max_width: int | None, hint: str) -> None:
    """DuckDB's box table; a note on stderr, never silence, when it leaves columns out."""
    if max_width is None:
        max_width = shutil.get_terminal_size().columns if sys.stdout.isatty() else PIPE_MAX_WIDTH
    captured = io.StringIO()
    # The renderer writes through Python's sys.stdout: captured to read its footer.
    with contextlib.redirect_stdout(captured):
        relation.show(max_width=max_width or 1_000_000, max_rows=TABLE_MAX_ROWS)
    text = captured.getvalue()
    sys.stdout.write(text)
    sys.stdout.flush()
    shown = re.search(r"(\d+) columns \((\d+) shown\)", text)
    if shown:
        total, visible = int(shown[1]), int(shown[2])
        print(
            f"minwatch sql: {total - visible} of {total} columns left out to fit {max_width} "
            f"characters; {hint} shows them all",
            file=sys.stderr,
        )


def _print_rows(relation: duckdb.DuckDBPyRelation, fmt: str, stream: TextIO) -> None:
    reader = relation.to_arrow_reader(_BATCH_ROWS)
    try:
        if fmt in ("markdown", "line"):
            _write_text_table(reader, fmt, stream, terminal=stream.isatty())
        else:
            _write_rows(reader, fmt, stream, terminal=stream.isatty())
    finally:
        reader.close()


def _write_text_table(
    reader: pa.RecordBatchReader, fmt: str, stream: TextIO, *, terminal: bool
) -> None:
    """A Markdown table (lists as JSON), or DuckDB's `.mode line`: one `column = value` a line."""
    names = list(reader.schema.names)
    plain = [_plain_converter(field.type) for field in reader.schema]
    safe = _terminal_safe if terminal else list
    if fmt == "markdown":
        stream.write("| " + " | ".join(safe([_md(n) for n in names])) + " |\n")
        stream.write("|" + "|".join("---" for _ in names) + "|\n")
    width = max((len(n) for n in names), default=0)
    first = True
    for batch in reader:
        columns = [
            [convert(value) for value in column.to_pylist()]
            for convert, column in zip(plain, batch.columns, strict=True)
        ]
        for row in zip(*columns, strict=True):
            cells = safe([_csv_text(value) for value in row])
            if fmt == "markdown":
                stream.write("| " + " | ".join(_md(c) for c in cells) + " |\n")
                continue
            if not first:
                stream.write("\n")
            first = False
            for name, cell in zip(names, cells, strict=True):
                stream.write(f"{name:>{width}} = {cell}\n")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _write_rows(
    reader: pa.RecordBatchReader, fmt: str, stream: TextIO, *, terminal: bool = False
) -> int:
    """Rows as CSV (a header, then rows) or JSON Lines; the number of rows written."""
    schema = reader.schema
    names = list(schema.names)
    plain = [_plain_converter(field.type) for field in schema]
    writer = None
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(_terminal_safe(names) if terminal else names)
    rows = 0
    for batch in reader:
        columns = [
            [convert(value) for value in column.to_pylist()]
            for convert, column in zip(plain, batch.columns, strict=True)
        ]
        for row in zip(*columns, strict=True):
            if writer is not None:
                cells = [_csv_text(value) for value in row]
                writer.writerow(_terminal_safe(cells) if terminal else cells)
            else:
                # ensure_ascii escapes every control character: safe on a terminal as in a file.
                stream.write(json.dumps(dict(zip(names, row, strict=True)), default=str) + "\n")
        rows += batch.num_rows
    return rows


def _plain_converter(arrow_type: pa.DataType) -> Callable[[Any], Any]:
    """Turn Arrow's Python value of this type into plain JSON-like data: maps become dicts."""
    import pyarrow as pa

    if pa.types.is_map(arrow_type):
        item = _plain_converter(arrow_type.item_type)
        return lambda v: None if v is None else {str(k): item(x) for k, x in v}
    if (
        pa.types.is_list(arrow_type)
        or pa.types.is_large_list(arrow_type)
        or pa.types.is_fixed_size_list(arrow_type)
    ):
        element = _plain_converter(arrow_type.value_type)
        return lambda v: None if v is None else [element(x) for x in v]
    if pa.types.is_struct(arrow_type):
        fields = [(f.name, _plain_converter(f.type)) for f in arrow_type]
        return lambda v: None if v is None else {name: conv(v[name]) for name, conv in fields}
    return _identity


def _identity(value: Any) -> Any:
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        # JSON, so an item holding a comma or "; " stays one item and pandas / Polars / DuckDB
        # can parse the cell back into a list.
        return _json(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def _terminal_safe(cells: Sequence[str]) -> list[str]:
    return [_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", cell) for cell in cells]


def _fail(message: str, code: int) -> int:
    print(f"minwatch sql: {message}", file=sys.stderr)
    return code


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m minwatch.flows.sql ARGS` is `minwatch sql ARGS`."""
    parser = argparse.ArgumentParser(prog="minwatch")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_sql_parser(commands)
    args = parser.parse_args(["sql", *(sys.argv[1:] if argv is None else argv)])
    return cmd_sql(args)


if __name__ == "__main__":
    sys.exit(main())
