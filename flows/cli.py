"""The `minwatch` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flows.settings import (
    DB_ENV,
    DEFAULT_DB,
    DEMO_API_KEY,
    DEMO_NIGHT,
    Paths,
    prepare_prefect_environment,
)

if TYPE_CHECKING:
    import duckdb

SAM_KEY_ENV = "SAM_GOV_API_KEY"


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help=f"DuckDB warehouse file (default: ${DB_ENV} or {DEFAULT_DB})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minwatch",
        description="Critical-minerals intelligence: crawl, extract, load DuckDB.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the nightly flow once")
    _db_argument(run)
    run.add_argument(
        "--demo",
        action="store_true",
        help="serve the bundled sample sources on loopback and crawl them (offline)",
    )
    run.add_argument("--source", action="append", help="only this source (repeatable)")
    run.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="override a source's base URL (also: MINWATCH_<SOURCE>_BASE_URL)",
    )
    run.add_argument("--night", help="ISO date the run covers (default: today, UTC)")
    run.add_argument("--landing-dir", help="raw landing zone (default: beside the warehouse)")

    extract = commands.add_parser(
        "extract", help="print extracted facts for text files (the eval contract)"
    )
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    reprocess = commands.add_parser(
        "reprocess",
        help="re-extract everything in the raw landing zone with the current extractor",
    )
    _db_argument(reprocess)
    reprocess.add_argument("--landing-dir", help="raw landing zone (default: beside the warehouse)")

    sql = commands.add_parser("sql", help="run a query on the warehouse, or open a shell")
    _db_argument(sql)
    sql.add_argument("query", nargs="?", help="SQL to run; omit for an interactive shell")
    sql.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )

    report = commands.add_parser(
        "report", help="write the HTML digest of a run and the recent period"
    )
    _db_argument(report)
    report.add_argument("--out", type=Path, help="HTML file (default: data/reports/latest.html)")
    report.add_argument("--run-id", help="the run to report (default: the latest)")
    report.add_argument("--days", type=int, default=90, help="length of the recent period")

    sources = commands.add_parser(
        "sources", help="each source with its last run, watermark, counts and last error"
    )
    _db_argument(sources)

    serve = commands.add_parser("serve", help="serve the nightly flow on a cron schedule")
    _db_argument(serve)
    serve.add_argument("--cron", default="0 2 * * *", help='cron schedule (default "0 2 * * *")')
    serve.add_argument("--timezone", default="UTC", help="time zone of the schedule")
    return parser


def _parse_base_urls(pairs: Sequence[str]) -> dict[str, str]:
    urls = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not url:
            raise SystemExit(f"minwatch: --base-url wants SOURCE=URL, got {pair!r}")
        urls[name] = url
    return urls


def cmd_run(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db, args.landing_dir)
    prepare_prefect_environment()
    from flows.lock import RunLocked
    from flows.nightly import nightly, source_configs
    from flows.summary import format_summary
    from spiders.runner import start_crawl_server

    base_urls = _parse_base_urls(args.base_url)
    spider_args: dict[str, dict[str, str]] = {}
    settings: dict[str, str] = {}
    night = args.night
    mode = "nightly"
    server = None
    if args.demo:
        from sample_sources.server import SampleServer
        from spiders.registry import SAMPLE_SPIDER_ARGS

        server = SampleServer()
        server.start()
        print(f"serving the bundled sample sources at {server.base_url}", flush=True)
        configs = source_configs(args.source)
        base_urls = {c.name: server.base_url for c in configs} | base_urls
        spider_args = SAMPLE_SPIDER_ARGS
        # Loopback answers in microseconds; politeness delays would only slow the demo down.
        settings = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
        os.environ.setdefault(SAM_KEY_ENV, DEMO_API_KEY)
        night = night or DEMO_NIGHT
        mode = "demo"
    # Its imports overlap the start of Prefect's temporary server instead of the first crawl.
    start_crawl_server()
    try:
        sources = [
            {
                "name": c.name,
                "base_url": c.base_url,
                "spider_args": spider_args.get(c.name, {}),
                "settings": settings,
            }
            for c in source_configs(args.source, base_urls)
        ]
        summary = nightly(
            db=str(paths.db),
            sources=sources,
            night=night,
            mode=mode,
            landing_dir=str(paths.landing_dir),
        )
    except RunLocked as exc:
        print(f"minwatch: {exc}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later
    finally:
        if server is not None:
            server.stop()
    print()
    print(format_summary(summary))
    return 0 if summary.status != "failed" else 1


def cmd_reprocess(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db, args.landing_dir)
    if not paths.db.exists():
        print(f"minwatch reprocess: no warehouse at {paths.db}", file=sys.stderr)
        return 2
    prepare_prefect_environment()
    from flows.lock import RunLocked
    from flows.reprocess import format_reprocess_summary, reprocess

    try:
        summary = reprocess(db=str(paths.db), landing_dir=str(paths.landing_dir))
    except RunLocked as exc:
        print(f"minwatch: {exc}", file=sys.stderr)
        return 75
    print()
    print(format_reprocess_summary(summary))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from nlp import Extractor, eval_record, parse_header

    extractor = Extractor()
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        print(f"minwatch extract: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2

    def requests() -> Iterator[tuple[str, dict[str, str | None]]]:
        for path in args.files:
            headers, body = parse_header(path.read_text(encoding="utf-8"))
            yield (
                body,
                {
                    "language": headers.get("Language", "en").strip() or "en",
                    "title": headers.get("Title"),
                },
            )

    for path, facts in zip(args.files, extractor.extract_many(requests()), strict=True):
        record = eval_record(path.stem, facts)
        if args.jsonl:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    paths = Paths.resolve(args.db)
    if not paths.db.exists():
        print(
            f"minwatch sql: no warehouse at {paths.db}; run `minwatch run --demo` first",
            file=sys.stderr,
        )
        return 2
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        if args.query:
            return _run_query(con, args.query, args.format)
        return _shell(con, args.format)
    finally:
        con.close()


def _run_query(con: duckdb.DuckDBPyConnection, query: str, fmt: str) -> int:
    import duckdb

    try:
        relation = con.sql(query)
    except duckdb.Error as exc:
        print(f"minwatch sql: {exc}", file=sys.stderr)
        return 1
    if relation is None:
        return 0
    if fmt == "table":
        relation.show(max_width=200, max_rows=200)
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(relation.columns)
        writer.writerows(relation.fetchall())
    else:
        for row in relation.fetchall():
            print(json.dumps(dict(zip(relation.columns, row, strict=True)), default=str))
    return 0


def _shell(con: duckdb.DuckDBPyConnection, fmt: str) -> int:
    print("minwatch sql shell: end statements with ';', exit with Ctrl-D or .quit")
    buffer: list[str] = []
    while True:
        try:
            line = input("minwatch> " if not buffer else "     ...> ")
        except EOFError:
            print()
            return 0
        if not buffer and line.strip() in {".quit", ".exit", "\\q"}:
            return 0
        buffer.append(line)
        if line.rstrip().endswith(";"):
            _run_query(con, "\n".join(buffer), fmt)
            buffer = []


def _cmd_alerts(args: argparse.Namespace) -> int:
    from flows.alerts import cmd_alerts

    return cmd_alerts(args)


def cmd_report(args: argparse.Namespace) -> int:
    from flows.report import write_report

    paths = Paths.resolve(args.db)
    out = args.out or paths.db.parent / "reports" / "latest.html"
    try:
        written = write_report(paths.db, out, run_id=args.run_id, days=args.days)
    except (FileNotFoundError, ValueError) as exc:
        print(f"minwatch report: {exc}", file=sys.stderr)
        return 2
    print(f"report written to {written}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    import warehouse
    from flows.state import format_sources_overview, sources_overview

    paths = Paths.resolve(args.db)
    if not paths.db.exists():
        print(
            f"minwatch sources: no warehouse at {paths.db}; run `minwatch run` first",
            file=sys.stderr,
        )
        return 2
    con = warehouse.connect(paths.db, read_only=True)
    try:
        print(format_sources_overview(sources_overview(con)))
    finally:
        con.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db)
    prepare_prefect_environment()
    from prefect.schedules import Cron

    from flows.nightly import nightly, source_configs

    sources = [{"name": c.name, "base_url": c.base_url} for c in source_configs()]
    nightly.serve(
        name="minwatch-nightly",
        schedule=Cron(args.cron, timezone=args.timezone),
        parameters={"db": str(paths.db.resolve()), "sources": sources},
        description="minwatch nightly ingestion",
    )
    return 0


COMMANDS = {
    "run": cmd_run,
    "reprocess": cmd_reprocess,
    "extract": cmd_extract,
    "sql": cmd_sql,
    "report": cmd_report,
    "alerts": _cmd_alerts,
    "sources": cmd_sources,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
