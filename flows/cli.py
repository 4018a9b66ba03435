"""The `minwatch` command line."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from minwatch.flows.settings import (
    CONFIG_ENV,
    DB_ENV,
    DEFAULT_DB,
    DEMO_API_KEY,
    DEMO_NIGHT,
    Paths,
    WarehousePathError,
    check_warehouse_path,
    find_config_file,
    lake_target,
    load_settings,
    prepare_prefect_environment,
)
from minwatch.flows.sql import add_sql_parser, cmd_sql

SAM_KEY_ENV = "SAM_GOV_API_KEY"

# Exit statuses (README "Exit statuses"); 2 is argparse's own for bad arguments.
EXIT_OK = 0
EXIT_FAILED = 1  # a source failed: it fetched nothing because its requests failed
EXIT_USAGE = 2
EXIT_PARTIAL = 3  # every source ran; some recorded errors (fetch_errors says which)
EXIT_SOFTWARE = 70  # an unexpected error: a bug; --debug shows the traceback
EXIT_IOERR = 74  # disk full or a file that cannot be written
EXIT_LOCKED = 75  # another run holds the warehouse; try again later
EXIT_CONFIG = 78  # a configuration file is wrong
EXIT_UNAVAILABLE = 69  # `serve`: no Prefect server answers at PREFECT_API_URL
RUN_EXIT = {"ok": EXIT_OK, "partial": EXIT_PARTIAL, "failed": EXIT_FAILED}


class CommandError(Exception):
    """An anticipated failure: its message is the one line the user sees."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-27") from None


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help=f"DuckDB warehouse file (default: ${DB_ENV} or {DEFAULT_DB})",
    )


def _cluster_arguments(parser: argparse.ArgumentParser) -> None:
    """Scaling out (README "Scaling out"); each also set by `[cluster]` in the settings."""
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the work on the Dask scheduler at ADDRESS, e.g. tcp://HOST:8786 "
        "(also: $MINWATCH_DASK, [cluster] dask)",
    )
    lake_arguments(parser)


def lake_arguments(parser: argparse.ArgumentParser) -> None:
    """--warehouse and --lake-data-path: a DuckLake warehouse instead of the --db file."""
    parser.add_argument(
        "--warehouse",
        metavar="ducklake:CATALOG",
        help="a DuckLake warehouse instead of the --db file, e.g. "
        "'ducklake:postgres:dbname=minwatch host=HOST' (also: [cluster] warehouse)",
    )
    parser.add_argument(
        "--lake-data-path",
        metavar="PATH_OR_URL",
        help="where a new DuckLake warehouse keeps its Parquet files (also: [cluster] "
        "lake_data_path)",
    )


def build_parser() -> argparse.ArgumentParser:
    # --debug is accepted before or after the command; SUPPRESS keeps a subcommand's default
    # from overwriting a --debug given before it.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an error instead of one line",
    )
    debug.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="settings file (default: $MINWATCH_CONFIG, else minwatch.toml beside the warehouse)",
    )
    parser = argparse.ArgumentParser(
        prog="minwatch",
        description="Critical-minerals intelligence: crawl, extract, load DuckDB.",
        parents=[debug],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[debug], **kwargs)

    run = command("run", help="run the nightly flow once")
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
    run.add_argument(
        "--night", type=_iso_date, help="ISO date the run covers (default: today, UTC)"
    )
    run.add_argument(
        "--from",
        dest="from_date",
        type=_iso_date,
        metavar="DATE",
        help="re-crawl the window from DATE on demand: everything in it is fetched again, "
        "no watermark moves (with --source, only that source)",
    )
    run.add_argument(
        "--until",
        dest="until_date",
        type=_iso_date,
        metavar="DATE",
        help="end of the --from window (default: the night)",
    )
    run.add_argument("--landing-dir", help="raw landing zone (default: beside the warehouse)")
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="crawl on the Dask scheduler at ADDRESS, e.g. tcp://HOST:8786; the landing zone "
        "must be a folder the workers share (also: $MINWATCH_DASK, [cluster] dask)",
    )
    lake_arguments(run)

    extract = command("extract", help="print extracted facts for text files (the eval contract)")
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    reprocess = command(
        "reprocess",
        help="re-extract everything in the raw landing zone with the current extractor",
    )
    _db_argument(reprocess)
    reprocess.add_argument(
        "--landing-dir",
        help="raw landing zone, a folder or any fsspec URL (default: beside the warehouse)",
    )
    _cluster_arguments(reprocess)

    add_sql_parser(commands, parents=[debug])
    # Defined here, not in flows.alerts: importing that module (DuckDB, Arrow) would cost every
    # command, --help included, a tenth of a second.
    alerts = command("alerts", help="list alerts and their delivery status")
    _db_argument(alerts)
    alerts.add_argument(
        "--status", choices=("sent", "failed", "pending"), help="only alerts in this state"
    )
    lake_arguments(alerts)

    report = command("report", help="write the HTML digest of a run and the recent period")
    _db_argument(report)
    report.add_argument("--out", type=Path, help="HTML file (default: data/reports/latest.html)")
    report.add_argument("--run-id", help="the run to report (default: the latest)")
    report.add_argument("--days", type=int, default=90, help="length of the recent period")
    lake_arguments(report)

    search = command(
        "search", help="documents matching a word or phrase, ranked (BM25), with their facts"
    )
    search.add_argument("query", help='words or a phrase, e.g. "antimony trioxide" or 锑矿')
    _db_argument(search)
    search.add_argument("--source", action="append", default=[], help="only this source")
    search.add_argument(
        "--since", type=date.fromisoformat, metavar="DATE", help="published on or after DATE"
    )
    search.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit")

    sources = command(
        "sources", help="each source with its last run, watermark, counts and last error"
    )
    _db_argument(sources)
    lake_arguments(sources)

    config = command("config", help="print the effective settings, secrets masked")
    _db_argument(config)

    watch = command(
        "watch",
        help="poll the export-control lists and the public inspection desk, alert in minutes",
    )
    _db_argument(watch)
    watch.add_argument(
        "--interval", type=float, default=600.0, metavar="SECONDS", help="default 600"
    )
    watch.add_argument("--once", action="store_true", help="poll once and exit")
    watch.add_argument(
        "--source",
        action="append",
        help="only this watched source (repeatable): mofcom_zh, mofcom_zcfb, mofcom_aqygzj, "
        "mofcom_exportcontrol, mofcom_en, federal_register_pi",
    )
    watch.add_argument(
        "--base-url", action="append", default=[], metavar="SOURCE=URL", help="as for run"
    )
    watch.add_argument(
        "--sample-server",
        metavar="URL",
        help=(
            "poll a running sample server (python -m minwatch.sample_sources.server), "
            "not the real sites"
        ),
    )
    watch.add_argument(
        "--lock-wait",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long a poll that found something waits for a night (default 30), then skips",
    )
    watch.add_argument("--landing-dir", help="raw landing zone (default: beside the warehouse)")
    watch.add_argument(
        "--serve", action="store_true", help="serve a Prefect deployment polling on the interval"
    )
    lake_arguments(watch)

    serve = command(
        "serve",
        help="serve the nightly flow on a cron schedule (needs a Prefect server: "
        "prefect server start, then PREFECT_API_URL)",
    )
    _db_argument(serve)
    serve.add_argument("--cron", default="0 2 * * *", help='cron schedule (default "0 2 * * *")')
    serve.add_argument("--timezone", default="UTC", help="time zone of the schedule")
    serve.add_argument("--source", action="append", help="only this source (repeatable)")
    serve.add_argument(
        "--base-url", action="append", default=[], metavar="SOURCE=URL", help="as for run"
    )
    serve.add_argument("--landing-dir", help="raw landing zone (default: beside the warehouse)")
    return parser


def _parse_base_urls(pairs: Sequence[str]) -> dict[str, str]:
    urls = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not url:
            raise CommandError(f"--base-url wants SOURCE=URL, got {pair!r}")
        urls[name] = url
    return urls


class _WithoutTraceback(logging.Filter):
    """Prefect logs a failed flow's exception with its traceback; the command line reports it
    in one line instead (the traceback stays available behind --debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _quiet_tracebacks(args: argparse.Namespace) -> None:
    from minwatch.flows.logs import DEBUG_ENV, quiet_task_chatter

    if getattr(args, "debug", False):
        os.environ[DEBUG_ENV] = "1"  # Prefect's per-task lines too (flows/logs.py)
        return
    quiet_task_chatter()
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(_WithoutTraceback())


def cmd_run(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db, args.landing_dir)
    if args.until_date and not args.from_date:
        raise CommandError("--until needs --from: the window to re-crawl starts at --from")
    if args.from_date and args.from_date > (args.until_date or args.night or "9999"):
        raise CommandError(f"--from {args.from_date} is after the window's end; swap them")
    lake = lake_target(args.warehouse, args.lake_data_path, args.db)
    if lake is None:
        check_warehouse_path(paths.db)
    base_urls = _parse_base_urls(args.base_url)
    from minwatch.flows.alerts import load_alert_config
    from minwatch.flows.lock import WAIT_FOR_POLL_S, exclusive_run, lake_claims, source_claim

    load_alert_config()  # a broken configuration is one line now, not a failed flow run

    # Taken before Prefect starts: a second run refuses at once, not after Prefect's start.
    # A lake's claims name the night's sources, known below.
    with exclusive_run(paths.db) if lake is None else contextlib.nullcontext():
        prepare_prefect_environment()
        from minwatch.flows.nightly import NightFailed, nightly, source_configs
        from minwatch.flows.summary import format_summary
        from minwatch.spiders.runner import start_crawl_server

        _quiet_tracebacks(args)

        spider_args: dict[str, dict[str, str]] = {}
        settings: dict[str, str] = {}
        night = args.night
        mode = "nightly"
        server = None
        if args.demo:
            from minwatch.sample_sources.server import SampleServer
            from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS, SPIDERS

            # The sample site copies the registered sources, not those added in the settings.
            args.source = args.source or [c.name for c in source_configs() if c.name in SPIDERS]
            server = SampleServer()
            server.start()
            print(f"serving the bundled sample sources at {server.base_url}", flush=True)
            configs = source_configs(args.source)
            base_urls = {c.name: server.base_url for c in configs} | base_urls
            spider_args = SAMPLE_SPIDER_ARGS
            # Loopback answers in microseconds; politeness delays would only slow the demo.
            settings = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
            os.environ.setdefault(SAM_KEY_ENV, DEMO_API_KEY)
            night = night or DEMO_NIGHT
            mode = "demo"
        # Its imports overlap the start of Prefect's temporary server instead of the first crawl.
        start_crawl_server()
        night_flow, on_cluster = _night_flow(nightly, args)
        cluster_context = contextlib.ExitStack()
        try:
            cluster_context.enter_context(on_cluster)
            sources = [
                {
                    "name": c.name,
                    "base_url": c.base_url,
                    "spider_args": spider_args.get(c.name, {}),
                    "settings": settings,
                }
                for c in source_configs(args.source, base_urls)
            ]
            if lake is not None:
                claims = [source_claim(str(s["name"])) for s in sources]
                claimed = lake_claims(lake, claims, poll_wait_s=WAIT_FOR_POLL_S)
                cluster_context.enter_context(claimed)
            try:
                summary = night_flow(
                    db=str(paths.db) if lake is None else f"ducklake:{lake.catalog}",
                    sources=sources,
                    night=night,
                    mode=mode,
                    landing_dir=str(paths.landing_dir),
                    from_date=args.from_date,
                    until_date=args.until_date,
                    lake_data_path=None if lake is None else lake.data_path,
                )
            except NightFailed as failed:
                summary = failed.summary
        finally:
            cluster_context.close()
            if server is not None:
                server.stop()
    print()
    print(format_summary(summary))
    return RUN_EXIT[summary.status]


def _night_flow(nightly: Any, args: argparse.Namespace) -> tuple[Any, Any]:
    """The nightly flow, on the Dask cluster of `--dask` (or the settings) when there is one,
    and the context that gives the cluster's workers a Prefect API (flows/cluster.py)."""
    dask = args.dask or load_settings(db=args.db).cluster.dask
    if not dask:
        return nightly, contextlib.nullcontext()
    from minwatch.flows.cluster import (
        DaskAddressError,
        check_address,
        dask_task_runner,
        prefect_api_for_workers,
    )

    try:
        address = check_address(dask)
    except DaskAddressError as exc:
        raise CommandError(str(exc)) from None
    return nightly.with_options(task_runner=dask_task_runner(address)), prefect_api_for_workers()


def cmd_reprocess(args: argparse.Namespace) -> int:
    cluster = load_settings(db=args.db).cluster
    dask = args.dask or cluster.dask
    lake = args.warehouse or cluster.warehouse
    if dask or lake or cluster.landing_url or "://" in (args.landing_dir or ""):
        return _reprocess_scaled_out(args, dask, lake, cluster.lake_data_path)
    paths = Paths.resolve(args.db, args.landing_dir)
    if not paths.db.exists():
        raise CommandError(f"no warehouse at {paths.db}")
    check_warehouse_path(paths.db)
    from minwatch.flows.lock import exclusive_run

    with exclusive_run(paths.db):
        prepare_prefect_environment()
        from minwatch.flows.reprocess import format_reprocess_summary, reprocess

        _quiet_tracebacks(args)

        summary = reprocess(db=str(paths.db), landing_dir=str(paths.landing_dir))
    print()
    print(format_reprocess_summary(summary))
    return 0


def _reprocess_scaled_out(
    args: argparse.Namespace, dask: str | None, lake: str | None, lake_data_path: str | None
) -> int:
    """`reprocess` with Dask, a DuckLake warehouse or a landing zone behind a URL."""
    from minwatch.flows.cluster import DaskAddressError, check_address
    from minwatch.warehouse.lake import LakeError, is_lake_uri, redact_catalog

    settings = load_settings(db=args.db)
    if lake and not is_lake_uri(lake):
        raise CommandError(f"--warehouse {lake!r} is not a DuckLake warehouse (ducklake:...)")
    if lake and redact_catalog(lake) != lake:
        # The warehouse string is a flow parameter: Prefect would store the password with it.
        raise CommandError(
            f"--warehouse {redact_catalog(lake)}: give the catalog's password in PGPASSWORD or "
            "~/.pgpass, not in the warehouse string"
        )
    if args.landing_dir:
        landing = args.landing_dir
    elif settings.cluster.landing_url:
        landing = settings.cluster.landing_url
    else:
        landing = str(Paths.resolve(args.db).landing_dir)
    try:
        address = check_address(dask) if dask else None
    except DaskAddressError as exc:
        raise CommandError(str(exc)) from None
    prepare_prefect_environment()
    from minwatch.flows.reprocess import format_reprocess_summary, run_reprocess

    _quiet_tracebacks(args)
    if lake:
        try:
            summary = run_reprocess(
                lake, landing, dask=address, lake_data_path=args.lake_data_path or lake_data_path
            )
        except (LakeError, DaskAddressError) as exc:
            raise CommandError(redact_catalog(str(exc))) from None
    else:
        paths = Paths.resolve(args.db)
        if not paths.db.exists():
            raise CommandError(f"no warehouse at {paths.db}")
        check_warehouse_path(paths.db)
        from minwatch.flows.lock import exclusive_run

        with exclusive_run(paths.db):
            try:
                summary = run_reprocess(str(paths.db), landing, dask=address)
            except DaskAddressError as exc:
                raise CommandError(str(exc)) from None
    print()
    print(format_reprocess_summary(summary))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from minwatch.nlp import Extractor, eval_record, parse_header

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


def _cmd_alerts(args: argparse.Namespace) -> int:
    from minwatch.flows.alerts import cmd_alerts

    return cmd_alerts(args)


def cmd_report(args: argparse.Namespace) -> int:
    from minwatch.flows.report import write_report

    paths = Paths.resolve(args.db)
    lake = lake_target(args.warehouse, args.lake_data_path, args.db)
    out = args.out or paths.db.parent / "reports" / "latest.html"
    try:
        written = write_report(
            paths.db if lake is None else lake, out, run_id=args.run_id, days=args.days
        )
    except (FileNotFoundError, ValueError) as exc:
        print(f"minwatch report: {exc}", file=sys.stderr)
        return 2
    print(f"report written to {written}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from minwatch.warehouse.search import search

    paths = Paths.resolve(args.db)
    if not paths.db.is_file():
        print(
            f"minwatch search: no warehouse at {paths.db}; run `minwatch run` first",
            file=sys.stderr,
        )
        return 2
    try:
        hits = search(
            paths.db, args.query, sources=tuple(args.source), since=args.since, limit=args.limit
        )
    except ValueError as exc:
        print(f"minwatch search: {exc}", file=sys.stderr)
        return 2
    for hit in hits:
        if args.json:
            print(
                json.dumps(
                    {**asdict(hit), "published_at": str(hit.published_at or "")}, ensure_ascii=False
                )
            )
            continue
        day = hit.published_at.date().isoformat() if hit.published_at else "undated"
        print(f"{hit.score:6.2f}  {day}  {hit.source}  {hit.title or hit.doc_id}")
        print(f"        {hit.url}")
        print(f"        {hit.snippet}")
        if hit.minerals:
            print(f"        minerals: {', '.join(hit.minerals)}")
        for deal in hit.deals:
            print(f"        deal: {deal}")
    if not hits and not args.json:
        print(f"no document matches {args.query!r}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from minwatch import warehouse
    from minwatch.flows.state import format_sources_overview, sources_overview

    paths = Paths.resolve(args.db)
    lake = lake_target(args.warehouse, args.lake_data_path, args.db)
    if lake is None and not paths.db.exists():
        print(
            f"minwatch sources: no warehouse at {paths.db}; run `minwatch run` first",
            file=sys.stderr,
        )
        return 2
    con = warehouse.connect(paths.db if lake is None else lake, read_only=True)
    try:
        print(format_sources_overview(sources_overview(con)))
    finally:
        con.close()
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    from minwatch.flows.config import format_settings

    settings = load_settings(db=args.db)
    if args.db:
        settings = settings.model_copy(update={"db": Path(args.db)})
    print(format_settings(settings))
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db, args.landing_dir)
    if args.interval <= 0:
        raise CommandError(f"--interval must be more than 0 seconds, got {args.interval:g}")
    lake = lake_target(args.warehouse, args.lake_data_path, args.db)
    if lake is None:
        check_warehouse_path(paths.db)
    from minwatch.flows.alerts import load_alert_config

    load_alert_config()  # a broken configuration is one line now, not a failed poll
    prepare_prefect_environment()
    from minwatch.flows.watch import format_poll, watch_configs, watch_forever, watch_poll
    from minwatch.spiders.runner import start_crawl_server

    _quiet_tracebacks(args)
    base_urls = _parse_base_urls(args.base_url)
    spider_args: dict[str, dict[str, str]] = {}
    settings: dict[str, str] = {}
    if args.sample_server:
        from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS

        base_urls = dict.fromkeys(args.source or WATCHED, args.sample_server) | base_urls
        spider_args = SAMPLE_SPIDER_ARGS
        # Loopback answers in microseconds; politeness delays would only slow the polls.
        settings = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
    try:
        sources = watch_configs(args.source, base_urls, spider_args, settings)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    parameters = {
        "db": str(paths.db.resolve()) if lake is None else f"ducklake:{lake.catalog}",
        "sources": sources,
        "landing_dir": str(paths.landing_dir.resolve()),
        "lock_wait_s": args.lock_wait,
        "lake_data_path": None if lake is None else lake.data_path,
    }
    if args.serve:
        from datetime import timedelta

        require_prefect_server()
        watch_poll.serve(
            name="minwatch-watch",
            interval=timedelta(seconds=args.interval),
            parameters=parameters,
            description="minwatch fast lane: export-control lists and public inspection",
        )
        return 0
    start_crawl_server()
    # systemd and `kill` stop it with SIGTERM: end like Ctrl-C, so Prefect's temporary server
    # and the crawl server stop with it.
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    print(
        f"watching {', '.join(s['name'] for s in sources)} every {args.interval:g} s "
        f"into {paths.db if lake is None else lake}",
        flush=True,
    )
    last = watch_forever(
        lambda: watch_poll(**parameters),
        args.interval,
        once=args.once,
        report=lambda summary: print(format_poll(summary), flush=True),
    )
    return {"idle": EXIT_OK, "loaded": EXIT_OK, "skipped": EXIT_LOCKED}.get(
        last.status, EXIT_FAILED
    )


# The sources `minwatch watch` polls (flows.watch.WATCH_SOURCES; not imported for --help).
WATCHED = (
    "mofcom_zh",
    "mofcom_zcfb",
    "mofcom_aqygzj",
    "mofcom_exportcontrol",
    "mofcom_en",
    "federal_register_pi",
)


START_PREFECT_SERVER = (
    "start one with `prefect server start` and point minwatch at it with "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` "
    "(or `prefect config set PREFECT_API_URL=...`)"
)


def require_prefect_server() -> str:
    """The URL of the Prefect API a served deployment will poll; CommandError (exit 69) when
    none is configured or it does not answer: a temporary server would die with this process
    and its schedule would never run anything."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise CommandError(
            "a served flow needs a running Prefect server and PREFECT_API_URL is not set; "
            f"{START_PREFECT_SERVER}",
            EXIT_UNAVAILABLE,
        )
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=10) as answer:
            healthy = answer.status == 200
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CommandError(
            f"no Prefect server answers at PREFECT_API_URL={url} ({reason}); "
            f"{START_PREFECT_SERVER}",
            EXIT_UNAVAILABLE,
        ) from None
    if not healthy:
        raise CommandError(
            f"the Prefect server at {url} is not healthy; {START_PREFECT_SERVER}",
            EXIT_UNAVAILABLE,
        )
    return url


def cmd_serve(args: argparse.Namespace) -> int:
    paths = Paths.resolve(args.db, args.landing_dir)
    check_warehouse_path(paths.db)
    base_urls = _parse_base_urls(args.base_url)
    prepare_prefect_environment()
    url = require_prefect_server()
    from prefect.schedules import Cron

    from minwatch.flows.nightly import nightly, source_configs
    from minwatch.spiders.registry import resolve_spider

    sources: list[dict[str, str | None]] = []
    names: list[str] = []
    for c in source_configs(args.source, base_urls):
        try:
            resolve_spider(c.name)
        except (KeyError, ImportError) as exc:
            raise CommandError(f"--source {c.name}: {exc}") from None
        sources.append({"name": c.name, "base_url": c.base_url})
        names.append(c.name)
    print(
        f"serving the nightly flow ({', '.join(names)}) on "
        f'"{args.cron}" {args.timezone} through the Prefect server at {url}',
        flush=True,
    )
    nightly.serve(
        name="minwatch-nightly",
        schedule=Cron(args.cron, timezone=args.timezone),
        parameters={
            "db": str(paths.db.resolve()),
            "sources": sources,
            "landing_dir": str(paths.landing_dir.resolve()),
        },
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
    "search": cmd_search,
    "sources": cmd_sources,
    "serve": cmd_serve,
    "watch": cmd_watch,
    "config": cmd_config,
}


def _failure(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one line for an error that reached the command line."""
    import duckdb

    from minwatch.flows.alerts import AlertConfigError
    from minwatch.flows.lock import RunLocked
    from minwatch.flows.settings import ConfigError

    if isinstance(exc, CommandError):
        return exc.code, str(exc)
    if isinstance(exc, WarehousePathError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, RunLocked):
        return EXIT_LOCKED, str(exc)
    from minwatch.warehouse.lake import LakeError

    if isinstance(exc, LakeError):
        return EXIT_UNAVAILABLE, str(exc)
    if isinstance(exc, AlertConfigError | ConfigError):
        return EXIT_CONFIG, f"bad configuration: {exc}"
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in text:
        return EXIT_IOERR, (
            "the disk is full; the published warehouse is unchanged. Free space and run again "
            f"({text.splitlines()[0] if text else type(exc).__name__})"
        )
    if isinstance(exc, OSError):
        return EXIT_IOERR, f"{exc.strerror or type(exc).__name__}: {exc.filename or text}"
    if isinstance(exc, duckdb.Error):
        return EXIT_SOFTWARE, f"warehouse error: {text.splitlines()[0] if text else exc}"
    return EXIT_SOFTWARE, f"unexpected {type(exc).__name__}: {text.splitlines()[0] if text else ''}"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Every part of the run (alerts, sources, crawl processes) reads the same file.
        config = find_config_file(getattr(args, "config", None), getattr(args, "db", None))
        if config is not None:
            os.environ[CONFIG_ENV] = str(config)
            # Read by the crawl processes' User-Agent, which the crawl server sets up early.
            contact_url = load_settings(config).contact_url
            if contact_url:
                os.environ.setdefault("MINWATCH_CONTACT_URL", contact_url)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(f"minwatch {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        code, message = _failure(exc)
        hint = " (run again with --debug for the traceback)" if code == EXIT_SOFTWARE else ""
        print(f"minwatch {args.command}: {message}{hint}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
