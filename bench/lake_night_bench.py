"""The night into a DuckLake warehouse against the night into a file: `minwatch run --demo`.

Each round runs, as a user does, the demo night over the bundled sample site (offline) into a
new file warehouse and into a new DuckLake warehouse on a PostgreSQL catalog (a throwaway
server, as the tests start one, unless `--catalog "host=... port=... user=..."`), then the
same night again into each (the quiet second night: nothing new). Reported per run: the
command's wall time, and the night's own time as its summary prints it ("in N s": the flow
from its start to its end, without Prefect's temporary server starting and stopping).

    .venv/bin/python bench/lake_night_bench.py --rounds 2 --out /tmp/lake_night_bench.json

Figures are indicative on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

_NIGHT_S = re.compile(r"minwatch demo run \S+: \S+ in ([0-9.]+) s")


def night(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "run", "--demo", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    wall = time.monotonic() - started
    if done.returncode not in (0, 1, 3):
        raise SystemExit(f"minwatch run {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    found = _NIGHT_S.search(done.stdout)
    return {
        "wall_s": round(wall, 2),
        "night_s": float(found.group(1)) if found else None,
        "exit": done.returncode,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--catalog", help='a running PostgreSQL: "host=... port=... user=..."')
    parser.add_argument("--out", type=Path)
    options = parser.parse_args()

    from postgres_server import Postgres, start_server

    work = Path(tempfile.mkdtemp(prefix="minwatch-lake-night-"))
    stop: list[str] | None = None
    if options.catalog:
        fields = dict(part.split("=", 1) for part in options.catalog.split())
        server = Postgres(
            fields.get("host", "127.0.0.1"), int(fields.get("port", "5432")),
            fields.get("user", "postgres"), None,
        )  # fmt: skip
    else:
        # Its own folder: PostgreSQL runs as another user, who cannot enter `work`.
        server, stop = start_server(Path(tempfile.mkdtemp(prefix="minwatch-bench-pg-")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    for key in ("SAM_GOV_API_KEY", "MINWATCH_WAREHOUSE", "MINWATCH_LAKE_DATA_PATH"):
        env.pop(key, None)
    env["PREFECT_HOME"] = str(work / "prefect")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    results: dict[str, list[dict[str, Any]]] = {
        "file first": [], "file second": [], "lake first": [], "lake second": [],
    }  # fmt: skip
    try:
        for round_ in range(options.rounds):
            root = work / f"round-{round_}"
            file_env = env | {"MINWATCH_DB": str(root / "file" / "minwatch.duckdb")}
            lake_env = env | {"MINWATCH_DB": str(root / "unused" / "minwatch.duckdb")}
            database = server.new_database()
            lake = [
                "--warehouse", f"ducklake:postgres:dbname={database} {server.dsn}",
                "--lake-data-path", str(root / "lake-data"),
                "--landing-dir", str(root / "lake-landing"),
            ]  # fmt: skip
            # Alternated, so that a slower minute of the shared machine does not fall on one.
            order = [("file", [], file_env), ("lake", lake, lake_env)]
            if round_ % 2:
                order.reverse()
            for name, args, run_env in order:
                for which in ("first", "second"):
                    result = night(args, run_env)
                    results[f"{name} {which}"].append(result)
                    print(f"round {round_} {name} {which}: {result}", flush=True)
    finally:
        if stop is not None:
            subprocess.run(stop, capture_output=True, timeout=120, check=False)
    summary = {
        key: {
            "median_night_s": statistics.median(r["night_s"] for r in runs if r["night_s"]),
            "median_wall_s": statistics.median(r["wall_s"] for r in runs),
        }
        for key, runs in results.items()
    }
    print(f"\n{'night':<14} {'night s':>8} {'wall s':>8}")
    for key, row in summary.items():
        print(f"{key:<14} {row['median_night_s']:>8.1f} {row['median_wall_s']:>8.1f}")
    if options.out:
        options.out.write_text(json.dumps({"runs": results, "median": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
