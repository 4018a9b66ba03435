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
"""

from __future__ import annotations

import argparse
import csv
import errno
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from flows.settings import DB_ENV, DEFAULT_DB, Paths

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

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
# How CSV writes a list value (e.g. procurements.suppliers): its items joined by this, so a
# one-item list is just the item; structs and maps, and lists inside lists, are written as JSON.
CSV_LIST_SEPARATOR = "; "
_BATCH_ROWS = 10_000

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
_QUIT = {".quit", ".exit", "\\q"}
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
(.parquet, .csv, .json/.jsonl). In CSV a list value is written as its items joined by
"{CSV_LIST_SEPARATOR}", structs and maps as JSON. The file is written whole or not at all (a
temporary file beside it, then a rename). An existing FILE is kept unless --force is given.
--out may not name the warehouse, its working file, its lock or write-ahead log, or anything
in the landing zone (exit {EXIT_REFUSED}).

Exit statuses: 0 done, {EXIT_SQL_ERROR} the query failed, {EXIT_USAGE} bad arguments or no
warehouse, {EXIT_IOERR} the --out file could not be written, {EXIT_REFUSED} refused by the
sandbox."""


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
    sql.add_argument("query", nargs="?", help="SQL to run; omit for an interactive shell")
    sql.add_argument(
        "--format",
        choices=("table", "csv", "json", "parquet"),
        help="table (the default), csv or json to print; parquet, csv or json with --out "
        "(default: from FILE's suffix)",
    )
    sql.add_argument(
        "--out", type=Path, metavar="FILE", help="write the query's result to FILE, see below"
    )
    sql.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return sql


def cmd_sql(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db)
    try:
        fmt = _output_format(args)
        if args.out is not None:
            _check_out(args.out, paths, force=args.force)
    except Refused as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if not paths.db.is_file():
        return _fail(f"no warehouse at {paths.db}; run `minwatch run --demo` first", EXIT_USAGE)
    import duckdb

    try:
        con = open_sandbox(paths.db)
    except SandboxError as exc:
        return _fail(f"{exc}; nothing was run", EXIT_SOFTWARE)
    except duckdb.Error as exc:
        return _fail(f"cannot open the warehouse {paths.db}: {_first_line(exc)}", EXIT_USAGE)
    try:
        if args.query is None:
            return _shell(con, fmt)
        return run_query(con, args.query, fmt, out=args.out, force=args.force)
    finally:
        con.close()


def open_sandbox(db: Path) -> duckdb.DuckDBPyConnection:
    """`db` read-only, with external access off and the configuration locked."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True, config=dict(SANDBOX_SETTINGS))
    try:
        # As warehouse.connect does: TIMESTAMPTZ values come back in UTC. Then nothing more.
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET lock_configuration = true")
        _check_sandbox(con)
    except BaseException:
        con.close()
        raise
    return con


def _check_sandbox(con: duckdb.DuckDBPyConnection) -> None:
    """Read every setting back: a DuckDB that ignored one must not run hostile SQL."""
    wanted = {**SANDBOX_SETTINGS, "lock_configuration": True, "access_mode": "read_only"}
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
) -> int:
    """Run `query` in the sandbox; print its last statement's result, or write it to `out`."""
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
            relation.show(max_width=200, max_rows=200)
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
    return EXIT_OK


def _shell(con: duckdb.DuckDBPyConnection, fmt: str) -> int:
    print("minwatch sql shell: end statements with ';', exit with Ctrl-D or .quit")
    buffer: list[str] = []
    while True:
        try:
            line = input("minwatch> " if not buffer else "     ...> ")
        except EOFError:
            print()
            return EXIT_OK
        except KeyboardInterrupt:  # drops the statement being typed, as other SQL shells do
            print()
            buffer = []
            continue
        command = line.strip()
        if not buffer and command in _QUIT:
            return EXIT_OK
        if not buffer and command.startswith("."):
            # Dot commands of DuckDB's own shell (.import, .read, .output, .shell...) would
            # reach files or the system: this shell has none but .quit.
            _fail(f"{command.split()[0]} is not a command here; only .quit is", EXIT_USAGE)
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            try:
                run_query(con, "\n".join(buffer), fmt)
            except KeyboardInterrupt:
                print()
            buffer = []


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


def _check_out(out: Path, paths: Paths, *, force: bool) -> None:
    """Refuse an --out path that is one of the warehouse's own files or in the landing zone."""
    from flows.lock import lock_path_for
    from warehouse.snapshot import work_path

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
    from warehouse.snapshot import fsync_dir

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


def _print_rows(relation: duckdb.DuckDBPyRelation, fmt: str, stream: TextIO) -> None:
    reader = relation.to_arrow_reader(_BATCH_ROWS)
    try:
        _write_rows(reader, fmt, stream, terminal=stream.isatty())
    finally:
        reader.close()


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
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(
            _json(item) if isinstance(item, list | dict) else _csv_text(item) for item in value
        )
    if isinstance(value, dict):
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
    """`python -m flows.sql ARGS` is `minwatch sql ARGS`."""
    parser = argparse.ArgumentParser(prog="minwatch")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_sql_parser(commands)
    args = parser.parse_args(["sql", *(sys.argv[1:] if argv is None else argv)])
    return cmd_sql(args)


if __name__ == "__main__":
    sys.exit(main())
