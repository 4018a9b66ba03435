"""A night with nothing new against the first night, each as cron runs `minwatch run`: a
process of its own, timed from its start to its exit (imports, the crawl fork server, the
flow, the report, everything).

The corpus is `bench/corpus.py`'s (RSS, Atom, SAM.gov API; N documents) over loopback, the
sources configured as in `pipeline_bench.py` (no politeness delay, concurrency 8). Night 1
loads the corpus into an empty warehouse; nights 2.. find nothing new (feeds answer 304, seen
SAM notices are skipped). Each night's process does what `flows.cli.cmd_run` does (run lock,
Prefect environment, crawl server, the `nightly` flow) and reports its phases: imports, the
flow run, and, inside the flow, Prefect's task seconds by kind.

Prefect: by default a Prefect server is started once by this script and every night talks to
it (PREFECT_API_URL), as a scheduled deployment or an operator with `prefect server start`
has it; `--temporary-server` leaves PREFECT_API_URL unset so each night starts Prefect's own
temporary server, as a bare cron line does (its ~5-10 s start is in both nights' figures).

    .venv/bin/python bench/quiet_night_bench.py --out /tmp/quiet_night.json
    .venv/bin/python bench/quiet_night_bench.py --temporary-server --out /tmp/quiet_tmp.json

`--profile` runs each night under cProfile and leaves `night<N>.prof` in the work folder it
prints (`python -m pstats FILE`); the profiler slows the nights, so not for the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO))

TARGET = 10.0  # first night / nothing-new night (issue 15)


def night_main(config_file: Path, out_file: Path) -> int:
    """One night in this (fresh) process, in `minwatch run`'s order; phases to `out_file`."""
    started = time.perf_counter()
    config = json.loads(config_file.read_text(encoding="utf-8"))
    from minwatch.flows.lock import exclusive_run
    from minwatch.flows.settings import prepare_prefect_environment

    db = Path(config["db"])
    with exclusive_run(db):
        prepare_prefect_environment()
        from minwatch.flows.nightly import nightly
        from minwatch.spiders.runner import start_crawl_server

        imported = time.perf_counter()
        start_crawl_server()
        state = nightly(
            db=str(db),
            sources=config["sources"],
            night=config["night"],
            landing_dir=config["landing"],
            send_alerts=False,
            return_state=True,
        )
        flowed = time.perf_counter()
        summary = state.result()
    from pipeline_bench import _task_seconds

    result = {
        "imports_s": imported - started,
        "flow_s": flowed - imported,
        "in_process_s": time.perf_counter() - started,
        "status": summary.status,
        "fetched": sum(o.stats.fetched for o in summary.outcomes),
        "new": sum(o.stats.new for o in summary.outcomes),
        "extracted": sum(o.extracted for o in summary.outcomes),
        "task_seconds": _task_seconds(state.state_details.flow_run_id),
    }
    out_file.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


def run_night(
    work: Path, config_file: Path, env: dict[str, str], index: int, *, profile: bool = False
) -> dict[str, Any]:
    out_file = work / f"night{index}.json"
    log = work / f"night{index}.log"
    profiler = ["-m", "cProfile", "-o", str(work / f"night{index}.prof")] if profile else []
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(
            [sys.executable, *profiler, __file__, "--_night", str(config_file), str(out_file)],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"night {index} failed ({done.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    return {"process_s": wall, **result}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--nights", type=int, default=4, help="the first and N-1 quiet ones")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--temporary-server", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--profile", action="store_true", help="cProfile each night (slower)")
    parser.add_argument("--_night", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._night:
        return night_main(*args._night)

    from minwatch.flows.settings import DEMO_API_KEY, prepare_prefect_environment

    prepare_prefect_environment()
    os.environ.setdefault("SAM_GOV_API_KEY", DEMO_API_KEY)  # the corpus's SAM.gov accepts any
    from corpus import generate_corpus
    from pipeline_bench import _source_configs

    from minwatch.sample_sources.server import SampleServer

    work = Path(tempfile.mkdtemp(prefix="quiet_night_"))
    corpus = generate_corpus(work / "corpus", args.docs, seed=args.seed)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("MINWATCH_ALERT_URLS", None)
    env |= {
        "PREFECT_HOME": str(work / "prefect_home"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    prefect_server = None
    if not args.temporary_server:
        os.environ["PREFECT_HOME"] = env["PREFECT_HOME"]
        from prefect.server.api.server import SubprocessASGIServer

        prefect_server = SubprocessASGIServer()
        prefect_server.start(timeout=120)
        env["PREFECT_API_URL"] = prefect_server.api_url
    nights: list[dict[str, Any]] = []
    try:
        with SampleServer(corpus.root) as server:
            config = {
                "db": str(work / "minwatch.duckdb"),
                "landing": str(work / "landing"),
                "night": corpus.night.isoformat(),
                "sources": _source_configs(server.base_url, corpus.night, 8),
            }
            config_file = work / "night.json"
            config_file.write_text(json.dumps(config), encoding="utf-8")
            for index in range(1, args.nights + 1):
                nights.append(run_night(work, config_file, env, index, profile=args.profile))
                print(
                    f"night {index}: {nights[-1]['process_s']:.2f} s "
                    f"(imports {nights[-1]['imports_s']:.2f}, flow {nights[-1]['flow_s']:.2f}); "
                    f"fetched {nights[-1]['fetched']}, new {nights[-1]['new']}",
                    flush=True,
                )
    finally:
        if prefect_server is not None:
            prefect_server.stop()
    first, quiet = nights[0], nights[1:]
    quiet_s = statistics.median(n["process_s"] for n in quiet)
    figures = {
        "docs": args.docs,
        "prefect": "temporary server per night" if args.temporary_server else "running server",
        "first_night_s": first["process_s"],
        "quiet_night_s_median": quiet_s,
        "speedup": first["process_s"] / quiet_s,
        "target": TARGET,
        "nights": nights,
        "load_average": os.getloadavg(),
    }
    print(
        f"first night {first['process_s']:.2f} s, nothing-new night {quiet_s:.2f} s (median of "
        f"{len(quiet)}): {figures['speedup']:.1f}x (target >= {TARGET:g})"
    )
    if args.profile:
        print(f"profiles: {work}/night<N>.prof")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
