"""Scaling out: `reprocess` on one and two Dask workers, and the DuckLake load against the file's.

1. A corpus: the demo night (`minwatch run --demo`, real landed pages in the sources' formats)
   is landed `--docs` times over under new URLs (news pages only, so each copy is a document
   of its own), and the documents are loaded into a warehouse file without facts.
2. `reprocess` of that warehouse, from that landing zone, on a `distributed.LocalCluster`
   with one worker process, then with two (one thread each), each on a fresh copy of the
   warehouse: documents per second from the run's start to its end (index, read, extract,
   load, publish), i.e. the steady state a user of a running cluster gets. Start-up is timed
   apart, the same way for both sizes: Prefect's API server (once, before every run), the
   cluster with spaCy loaded on each worker, and a small untimed reprocess that runs each
   worker's first Prefect task. Each run records the CPU seconds of the workers, of the flow
   process (with the LocalCluster's scheduler) and of the Prefect server, and how much of
   the machine's two cores other programs took meanwhile (/proc/stat), since on a shared
   machine that, not the code, can decide the speed-up. The single-process path (no Dask;
   it extracts with its own two-process pool) on another copy, for reference.
3. Loading the same rows (documents, then their facts, in batches of `--batch`) into a new
   file warehouse and into a new DuckLake warehouse on a PostgreSQL catalog (a throwaway
   server, as the tests start one, unless `--catalog "host=... port=... user=..."`).

    .venv/bin/python bench/scale_bench.py --docs 1200 --out /tmp/scale_bench.json
    .venv/bin/python bench/scale_bench.py --docs 200 --out /tmp/scale_smoke.json  # ~3 min

Figures are indicative on a shared 2-core machine: the flow process, the Dask scheduler and
Prefect's API share the cores with the workers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from minwatch.flows.settings import prepare_prefect_environment  # noqa: E402

prepare_prefect_environment()


def demo_night(work: Path) -> Path:
    db = work / "demo" / "demo.duckdb"
    if db.exists() and (db.parent / "landing").is_dir():
        print(f"reusing the demo night landed in {db.parent}", flush=True)
        return db.parent / "landing"
    env = {**os.environ, "MINWATCH_DB": str(db)}
    env.pop("SAM_GOV_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "run", "--demo"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode not in (0, 3):
        raise SystemExit(f"the demo night failed:\n{done.stderr[-3000:]}")
    return db.parent / "landing"


def replicate(demo_landing: Path, landing: Path, n_docs: int) -> int:
    """Land `n_docs` news pages, copies of the demo's under new URLs; returns how many."""
    pages = []
    for path in sorted(demo_landing.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            news = record.get("type") == "document" and record.get("kind") == "news"
            if news and "://" in str(record.get("source_id", "")):
                pages.append(record)
    by_source: dict[str, list[str]] = {}
    for index in range(n_docs):
        copy, page = divmod(index, len(pages))
        record = dict(pages[page])
        record["source_id"] = f"{record['source_id']}-copy{copy}"
        record["url"] = f"{record['url']}-copy{copy}"
        by_source.setdefault(record["source"], []).append(json.dumps(record))
    for source, lines in by_source.items():
        out = landing / source / "20261127T020000Z-bench.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n_docs


def load_corpus(landing: Path, db: Path) -> int:
    """The landed documents into `db` (documents only: reprocess extracts them)."""
    from minwatch import warehouse
    from minwatch.flows.transform import announcement_row, document_row, notice_row
    from minwatch.spiders.documents import to_document
    from minwatch.spiders.landing import latest_landings, read_landed

    docs = [to_document(raw) for raw in read_landed(list(latest_landings(landing).values()))]
    if len({d.doc_id for d in docs}) != len(docs):
        raise SystemExit("copies of a page share a doc_id: the corpus would undercount")
    con = warehouse.connect(db)
    try:
        warehouse.start_run(con, "bench-night", mode="nightly", started_at=docs[0].fetched_at)
        warehouse.load_documents(
            con,
            "bench-night",
            [document_row(d) for d in docs],
            [n for n in map(notice_row, docs) if n is not None],
            [a for a in map(announcement_row, docs) if a is not None],
        )
        warehouse.finish_run(con, "bench-night", status="ok", finished_at=docs[-1].fetched_at)
    finally:
        con.close()
    return len(docs)


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (or stolen by the hypervisor)."""
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def cpu_of(pids: set[int] | None = None) -> dict[int, float]:
    """CPU seconds of this process and every process below it (or of `pids` among them)."""
    me = psutil.Process()
    out = {}
    for proc in [me, *me.children(recursive=True)]:
        if pids is not None and proc.pid not in pids:
            continue
        try:
            times = proc.cpu_times()
            out[proc.pid] = times.user + times.system
        except psutil.Error:
            continue
    return out


def prefect_server_pids() -> set[int]:
    """The Prefect API server started for the workers (a uvicorn subprocess of this one)."""
    found = set()
    for proc in psutil.Process().children(recursive=True):
        try:
            if "--lifespan" in proc.cmdline():
                found.add(proc.pid)
        except psutil.Error:
            continue
    return found


def reprocess_on(workers: int, db: Path, landing: Path, warm: tuple[Path, Path]) -> dict[str, Any]:
    from distributed import Client, LocalCluster, get_task_stream

    from minwatch.flows.cluster import worker_extractor
    from minwatch.flows.reprocess import run_reprocess

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(worker_extractor)  # spaCy loaded on every worker
        started_s = time.perf_counter() - start
        # A small reprocess, untimed: each worker's first Prefect task run (the task engine's
        # imports, its API client) is start-up too, paid once by a cluster that stays up.
        run_reprocess(str(warm[0]), str(warm[1]), dask=cluster.scheduler_address)
        warm_s = time.perf_counter() - start - started_s
        worker_pids = set(client.run(os.getpid).values())
        server_pids = prefect_server_pids()
        own_before, machine_before = cpu_of(), machine_busy_s()
        start = time.perf_counter()
        with get_task_stream(client) as stream:
            summary = run_reprocess(str(db), str(landing), dask=cluster.scheduler_address)
        wall = time.perf_counter() - start
        own_after, machine_after = cpu_of(), machine_busy_s()
    used = {pid: own_after[pid] - own_before.get(pid, 0.0) for pid in own_after}
    workers_cpu = sum(used.get(pid, 0.0) for pid in worker_pids)
    flow_cpu = used.get(os.getpid(), 0.0)
    server_cpu = sum(used.get(pid, 0.0) for pid in server_pids)
    others_cpu = max(0.0, machine_after - machine_before - sum(used.values()))
    run_s = (summary.finished_at - summary.started_at).total_seconds()
    # The cluster's busy span: first batch started to last batch done; the rest of the run
    # is the flow's own steps (working-file copy, landing index, connecting, publication).
    spans = [part for task in stream.data for part in task["startstops"]]
    busy_s = max(p["stop"] for p in spans) - min(p["start"] for p in spans)
    per_worker: dict[str, float] = {}
    for task in stream.data:
        for part in task["startstops"]:
            if part["action"] == "compute":
                per_worker[task["worker"]] = per_worker.get(task["worker"], 0.0) + (
                    part["stop"] - part["start"]
                )
    return {
        "workers": workers,
        "documents": summary.documents,
        "batches": len(stream.data),
        "startup_s": round(started_s, 2),
        "warmup_s": round(warm_s, 2),
        "run_s": round(run_s, 2),
        "wall_s": round(wall, 2),
        "cluster_busy_s": round(busy_s, 2),
        "docs_per_s": round(summary.documents / run_s, 2),
        "cluster_docs_per_s": round(summary.documents / busy_s, 2),
        # Tasks' compute time per worker: equal sums mean the work was spread evenly.
        "compute_s_per_worker": sorted(round(v, 1) for v in per_worker.values()),
        "cpu_s": {
            "workers": round(workers_cpu, 1),
            "flow_and_scheduler": round(flow_cpu, 1),
            "prefect_server": round(server_cpu, 1),
            "other_programs": round(others_cpu, 1),
        },
        "worker_cpu_ms_per_doc": round(1000 * workers_cpu / summary.documents, 1),
        # Of the machine's cores, how many other programs left this run on average.
        "cores_left_by_others": round((os.cpu_count() or 1) - others_cpu / wall, 2),
        "load_avg_1min_after": round(os.getloadavg()[0], 2),
    }


def reprocess_alone(db: Path, landing: Path) -> dict[str, Any]:
    from minwatch.flows.reprocess import reprocess

    summary = reprocess(db=str(db), landing_dir=str(landing))
    run_s = (summary.finished_at - summary.started_at).total_seconds()
    return {
        "documents": summary.documents,
        "run_s": round(run_s, 2),
        "docs_per_s": round(summary.documents / run_s, 2),
    }


def rows_of(db: Path) -> dict[str, Any]:
    """Every document row and extraction bundle of `db`, as the loaders take them."""
    import duckdb

    from minwatch.warehouse.records import (
        DocumentRow,
        ExtractionBundle,
        MentionRow,
        ProcurementLineRow,
    )

    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    docs = [
        DocumentRow(*row)
        for row in con.execute(
            """SELECT doc_id, source, source_id, kind, url, title, published_at, language,
                      fetched_at, text, content_hash FROM document ORDER BY doc_id"""
        ).fetchall()
    ]
    mentions: dict[str, list[MentionRow]] = {}
    for row in con.execute(
        "SELECT * EXCLUDE (extractor_version) FROM mention ORDER BY doc_id, seq"
    ).fetchall():
        mentions.setdefault(row[0], []).append(MentionRow(*row))
    lines: dict[str, list[ProcurementLineRow]] = {}
    for row in con.execute(
        "SELECT * EXCLUDE (extractor_version) FROM procurement_line ORDER BY doc_id, line_no"
    ).fetchall():
        lines.setdefault(row[0], []).append(
            ProcurementLineRow(row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6]))
        )
    bundles = [
        ExtractionBundle(
            doc_id=doc_id,
            extractor_version=version,
            minerals=tuple(minerals),
            suppliers=tuple(suppliers),
            mentions=tuple(mentions.get(doc_id, ())),
            procurement_lines=tuple(lines.get(doc_id, ())),
        )
        for doc_id, version, minerals, suppliers in con.execute(
            "SELECT doc_id, extractor_version, minerals, suppliers FROM extraction ORDER BY 1"
        ).fetchall()
    ]
    con.close()
    return {"documents": docs, "bundles": bundles}


def timed_load(target: Any, rows: dict[str, Any], batch: int) -> dict[str, Any]:
    from minwatch import warehouse

    docs, bundles = rows["documents"], rows["bundles"]
    con = warehouse.connect(target)  # migrations applied before the clock
    try:
        warehouse.start_run(con, "bench-load", mode="nightly", started_at=docs[0].fetched_at)
        start = time.perf_counter()
        for offset in range(0, len(docs), batch):
            warehouse.load_documents(con, "bench-load", docs[offset : offset + batch], [])
        documents_s = time.perf_counter() - start
        hashes = {d.doc_id: d.content_hash for d in docs}
        start = time.perf_counter()
        for offset in range(0, len(bundles), batch):
            warehouse.load_extractions(con, bundles[offset : offset + batch], hashes)
        facts_s = time.perf_counter() - start
        mentions = con.execute("SELECT count(*) FROM mention").fetchone()
    finally:
        con.close()
    return {
        "documents": len(docs),
        "mentions": mentions[0] if mentions else 0,
        "documents_s": round(documents_s, 3),
        "facts_s": round(facts_s, 3),
        "docs_per_s": round(len(docs) / (documents_s + facts_s), 1),
    }


def lake_load(work: Path, rows: dict[str, Any], batch: int, catalog: str | None) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "tests"))
    from postgres_server import Postgres, start_server

    from minwatch.warehouse.lake import Lake

    stop: list[str] | None = None
    if catalog:
        fields = dict(part.split("=", 1) for part in catalog.split())
        server = Postgres(
            fields.get("host", "127.0.0.1"), int(fields.get("port", "5432")),
            fields.get("user", "postgres"), None,
        )  # fmt: skip
    else:
        root = Path(tempfile.mkdtemp(prefix="minwatch-bench-pg-"))
        server, stop = start_server(root)
    try:
        database = server.new_database()
        lake = Lake(f"postgres:dbname={database} {server.dsn}", str(work / "lake-data"))
        return timed_load(lake, rows, batch)
    finally:
        if stop is not None:
            subprocess.run(stop, capture_output=True, timeout=120, check=False)


def timed_runs(
    work: Path, base: Path, landing: Path, warm: tuple[Path, Path], repeat: int
) -> dict[str, list[dict[str, Any]]]:
    """One and two workers alternate, `repeat` times each: on a shared machine the others'
    load moves between runs, and interleaved runs see nearly the same conditions."""

    def fresh(name: str, source: Path) -> Path:
        db = work / f"{name}.duckdb"
        for stale in work.glob(f"{name}.*"):
            stale.unlink()
        shutil.copyfile(source, db)
        return db

    plan: list[tuple[str, Any]] = [("alone", lambda db: reprocess_alone(db, landing))]
    for _ in range(repeat):
        for workers in (1, 2):
            plan.append(
                (
                    f"dask_{workers}",
                    lambda db, w=workers: reprocess_on(
                        w, db, landing, (fresh("warm", warm[0]), warm[1])
                    ),
                )
            )
    runs: dict[str, list[dict[str, Any]]] = {}
    for name, run in plan:
        runs.setdefault(name, []).append(run(fresh(name, base)))
        print(f"reprocess {name}: {runs[name][-1]} (load average {os.getloadavg()[0]:.1f})")
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1200)
    parser.add_argument("--batch", type=int, default=500, help="documents per load transaction")
    parser.add_argument("--catalog", help="an existing PostgreSQL server: 'host=... port=...'")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each Dask size")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="minwatch-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"working in {work}", flush=True)

    landing = work / "landing"
    if landing.exists():
        shutil.rmtree(landing)
    replicate(demo_night(work), landing, args.docs)
    base = work / "base.duckdb"
    base.unlink(missing_ok=True)
    n = load_corpus(landing, base)
    print(f"corpus: {n} documents landed and loaded", flush=True)

    warm_landing, warm_db = work / "warm-landing", work / "warm-base.duckdb"
    if warm_landing.exists():
        shutil.rmtree(warm_landing)
    replicate(work / "demo" / "landing", warm_landing, 60)
    warm_db.unlink(missing_ok=True)
    load_corpus(warm_landing, warm_db)

    results: dict[str, Any] = {
        "docs": n,
        "cores": os.cpu_count(),
        "load_avg_before": os.getloadavg(),
    }
    from minwatch.flows.cluster import prefect_api_for_workers

    start = time.perf_counter()
    with prefect_api_for_workers():
        # Started once, before any timed run: the first run would otherwise carry it.
        results["prefect_api_startup_s"] = round(time.perf_counter() - start, 2)
        runs = timed_runs(work, base, landing, (warm_db, warm_landing), args.repeat)
    for name, measured in runs.items():
        ranked = sorted(measured, key=lambda r: r["docs_per_s"])
        results[name] = {
            **ranked[len(ranked) // 2],
            "all_docs_per_s": [r["docs_per_s"] for r in measured],
        }
    pairs = list(zip(runs["dask_1"], runs["dask_2"], strict=True))
    results["dask_speedup"] = round(
        results["dask_2"]["docs_per_s"] / results["dask_1"]["docs_per_s"], 2
    )
    # Each 2-worker run against the 1-worker run just before it (same conditions, nearly).
    results["dask_speedup_per_pair"] = [
        round(two["docs_per_s"] / one["docs_per_s"], 2) for one, two in pairs
    ]
    results["dask_cluster_speedup"] = round(
        results["dask_2"]["cluster_docs_per_s"] / results["dask_1"]["cluster_docs_per_s"], 2
    )

    rows = rows_of(work / "dask_2.duckdb")
    file_db = work / "load.duckdb"
    file_db.unlink(missing_ok=True)
    results["load_file"] = timed_load(file_db, rows, args.batch)
    print(f"load into the file warehouse: {results['load_file']}", flush=True)
    results["load_ducklake"] = lake_load(work, rows, args.batch, args.catalog)
    print(f"load into DuckLake: {results['load_ducklake']}", flush=True)

    print(
        f"\nreprocess {n} docs: alone {results['alone']['docs_per_s']} docs/s, "
        f"1 Dask worker {results['dask_1']['all_docs_per_s']}, 2 workers "
        f"{results['dask_2']['all_docs_per_s']}: medians {results['dask_speedup']}x, "
        f"pair by pair {results['dask_speedup_per_pair']} (target >= 1.7x); "
        f"while the cluster works: {results['dask_1']['cluster_docs_per_s']} and "
        f"{results['dask_2']['cluster_docs_per_s']} ({results['dask_cluster_speedup']}x)\n"
        f"start-up: Prefect API {results['prefect_api_startup_s']} s; cluster and spaCy "
        f"{results['dask_1']['startup_s']} s (1 worker), {results['dask_2']['startup_s']} s "
        f"(2), then each worker's first task {results['dask_1']['warmup_s']} / "
        f"{results['dask_2']['warmup_s']} s\n"
        f"load: file {results['load_file']['docs_per_s']} docs/s, DuckLake "
        f"{results['load_ducklake']['docs_per_s']} docs/s"
    )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
