"""Where `warehouse.load_documents` spends its time, on the pipeline bench's own rows.

    .venv/bin/python bench/load_profile.py [--docs 1000] [--repeats 8]

Crawls a generated corpus once (as `pipeline_bench.py` does), then prints:
1. successive loads of the same rows in one process, each into a fresh warehouse: the first
   pays the process's first Arrow scan, which a single reading charges to whoever goes first;
2. the median time of each statement of a load (and of building its Arrow tables);
3. the bare side's document insert into an unkeyed table against the same insert into a
   table with `document`'s key and constraints: what the schema itself costs.
Figures are medians over `--repeats` loads after one untimed load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import pipeline_bench  # noqa: E402


class _TimedConnection:
    """A DuckDB connection that times each statement, registration and unregistration."""

    def __init__(self, con: Any, timings: dict[str, list[float]]) -> None:
        self._con, self._timings = con, timings

    def _timed(self, label: str, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = call()
        self._timings.setdefault(label, []).append(time.perf_counter() - started)
        return result

    def execute(self, sql: str, *args: Any) -> Any:
        label = " ".join(sql.split())[:60]
        return self._timed(label, lambda: self._con.execute(sql, *args))

    def register(self, name: str, table: Any) -> Any:
        return self._timed(f"register {name}", lambda: self._con.register(name, table))

    def unregister(self, name: str) -> Any:
        return self._timed("unregister", lambda: self._con.unregister(name))


@contextmanager
def _timed_staging(timings: dict[str, list[float]]) -> Iterator[None]:
    """Time `stage_arrow` (Arrow build + registration) as the loader calls it."""
    import minwatch.warehouse.load as load

    original = load.stage_arrow

    def timed(con: Any, table: str, columns: Any, data: Any) -> None:
        started = time.perf_counter()
        original(con, table, columns, data)
        timings.setdefault(f"stage_arrow {table}", []).append(time.perf_counter() - started)

    load.stage_arrow = timed
    try:
        yield
    finally:
        load.stage_arrow = original


def _rows(work: Path, n_docs: int) -> tuple[list[Any], list[Any], list[Any]]:
    from minwatch.flows.nightly import read_landed
    from minwatch.flows.transform import announcement_row, document_row, notice_row
    from minwatch.sample_sources.server import SampleServer

    corpus = pipeline_bench.generate_corpus(work / "corpus", n_docs, seed=7)
    with SampleServer(corpus.root) as server:
        _summary, landings = pipeline_bench.measure_crawl(server, work, corpus.night, 8)
    documents = [d for s, p in landings.items() for d in read_landed.fn(s, str(p))[0]]
    rows = [document_row(d) for d in documents]
    notices = [n for n in (notice_row(d) for d in documents) if n is not None]
    announcements = [a for a in (announcement_row(d) for d in documents) if a is not None]
    return rows, notices, announcements


def _schema_cost(work: Path, rows: Sequence[Any], repeats: int) -> dict[str, float]:

    from minwatch import warehouse
    from minwatch.warehouse.db import stage_arrow
    from minwatch.warehouse.load import _DOCUMENT_COLUMNS, _document_columns

    names = ", ".join(name for name, _ in _DOCUMENT_COLUMNS)
    seconds: dict[str, list[float]] = {}
    for attempt in range(repeats + 1):
        for variant in ("unkeyed", "document"):
            folder = work / "schema" / f"{variant}{attempt}"
            folder.mkdir(parents=True)
            con = warehouse.connect(folder / "w.duckdb")
            if variant == "unkeyed":
                con.execute(f"CREATE TABLE unkeyed AS SELECT {names} FROM document LIMIT 0")
                insert = "INSERT INTO unkeyed SELECT * FROM staged"
            else:  # the columns load_documents inserts for a new document
                insert = (
                    "INSERT INTO document SELECT s.doc_id, s.source, s.source_id, s.kind, s.url,"
                    " s.title, s.published_at, s.language, s.fetched_at, s.fetched_at,"
                    " s.fetched_at, s.text, s.content_hash, 1, 'r', 'r', 'r' FROM staged AS s"
                )
            stage_arrow(con, "staged", _DOCUMENT_COLUMNS, _document_columns(rows))
            started = time.perf_counter()
            con.execute(insert)  # autocommit, as the bare side
            if attempt:
                seconds.setdefault(variant, []).append(time.perf_counter() - started)
            con.close()
    return {variant: statistics.median(values) for variant, values in seconds.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=8)
    args = parser.parse_args(argv)
    from minwatch.flows.settings import DEMO_API_KEY, prepare_prefect_environment

    prepare_prefect_environment()
    os.environ.setdefault("SAM_GOV_API_KEY", DEMO_API_KEY)
    from minwatch import warehouse
    from minwatch.warehouse.load import load_documents

    with tempfile.TemporaryDirectory(prefix="minwatch-load-profile-") as tmp:
        work = Path(tmp)
        rows, notices, announcements = _rows(work, args.docs)
        print(f"{len(rows)} documents, {len(notices)} notices, {len(announcements)} announcements")
        timings: dict[str, list[float]] = {}
        totals: list[float] = []
        with _timed_staging(timings):
            for attempt in range(args.repeats + 1):
                folder = work / "loads" / str(attempt)
                folder.mkdir(parents=True)
                con = warehouse.connect(folder / "w.duckdb")
                if attempt == 1:
                    timings.clear()  # the untimed first load
                started = time.perf_counter()
                timed = _TimedConnection(con, timings)
                load_documents(timed, "profile", rows, notices, announcements)  # type: ignore[arg-type]
                totals.append(time.perf_counter() - started)
                con.close()
                shutil.rmtree(folder)
        print("successive loads in one process (ms):", [round(t * 1000, 1) for t in totals])
        print(f"median of loads 2..: {statistics.median(totals[1:]) * 1000:.1f} ms; by step:")
        for label, values in timings.items():
            print(f"  {statistics.median(values) * 1000:6.2f} ms  {label}")
        schema = _schema_cost(work, rows, args.repeats)
        print(
            "document insert from Arrow, autocommit (ms): unkeyed table "
            f"{schema['unkeyed'] * 1000:.1f}, `document` with its key and constraints "
            f"{schema['document'] * 1000:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
