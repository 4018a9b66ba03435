"""`reprocess` on a real Dask cluster (distributed.LocalCluster, two worker processes).

The demo night's warehouse has its facts wiped, then is re-extracted from its landing zone
once in this process and once on the cluster: both must give the rows the night itself
extracted. The same on a DuckLake warehouse holding the demo's documents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch import warehouse
from minwatch.warehouse.lake import Lake

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
_COUNTS = json.loads((REPO / "sample_sources" / "MANIFEST.json").read_text(encoding="utf-8"))[
    "counts"
]
# the documents a demo night lands, and its sources (one crawl each)
DEMO_DOCUMENTS = _COUNTS["all"]["expected_to_land"]
DEMO_SOURCES = len(_COUNTS) - 1
FACT_QUERIES = {
    "mention": "SELECT * FROM mention ORDER BY ALL",
    "procurement_line": "SELECT * FROM procurement_line ORDER BY ALL",
    "export_control": "SELECT * FROM export_control ORDER BY ALL",
    # extracted_at is the time of the extraction, the one column that must differ.
    "extraction": "SELECT * EXCLUDE (extracted_at) FROM extraction ORDER BY ALL",
}
FACT_TABLES = tuple(FACT_QUERIES)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of `minwatch run --demo`, with its landing zone beside it."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    env = {**os.environ, "MINWATCH_DB": str(db)}
    env.pop("SAM_GOV_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "run", "--demo"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr[-3000:]  # 3: the demo's partial night
    return db


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    from minwatch.flows.settings import DEMO_API_KEY, SAM_KEY_ENV

    # Crawls on a worker read the SAM.gov key from the worker's environment, never from the
    # flow (secrets pass through no parameter): the demo's key is given to the workers.
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={SAM_KEY_ENV: DEMO_API_KEY},
    ) as local:
        yield local


def facts(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {table: con.execute(sql).fetchall() for table, sql in FACT_QUERIES.items()}


def file_facts(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return facts(con)
    finally:
        con.close()


def wiped_copy(demo: Path, path: Path) -> Path:
    shutil.copyfile(demo, path)
    con = duckdb.connect(str(path))
    for table in FACT_TABLES:
        con.execute(f"DELETE FROM {table}")
    con.close()
    return path


def extractors_per_worker(cluster: Any) -> dict[str, tuple[int, int]]:
    """(spaCy loads, batches served from the loaded Extractor) of each worker."""
    from distributed import Client

    def cache() -> tuple[int, int]:
        from minwatch.flows.cluster import worker_extractor

        info = worker_extractor.cache_info()
        return info.misses, info.hits

    with Client(cluster) as client:
        return client.run(cache)


def test_two_dask_workers_give_the_rows_of_the_single_process_path(
    demo: Path, cluster: Any, tmp_path: Path, prefect_harness: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from minwatch.flows import reprocess as reprocess_module
    from minwatch.flows.reprocess import reprocess, run_reprocess

    # ~100 documents in batches of 10: both workers get several. The flow loads what comes
    # back 25 documents or more at a time (a load is a commit), not batch by batch.
    monkeypatch.setattr(reprocess_module, "DASK_BATCH_SIZE", 10)
    monkeypatch.setattr(reprocess_module, "BATCH_SIZE", 25)
    landing = str(demo.parent / "landing")
    single = wiped_copy(demo, tmp_path / "single.duckdb")
    on_dask = wiped_copy(demo, tmp_path / "dask.duckdb")

    alone = reprocess(db=str(single), landing_dir=landing)
    spread = run_reprocess(str(on_dask), landing, dask=cluster.scheduler_address)

    assert spread.documents == alone.documents == DEMO_DOCUMENTS
    assert spread.changed == alone.changed == DEMO_DOCUMENTS  # every document's facts wiped
    assert spread.missing_raw == spread.unreadable == spread.text_drift == 0
    night = file_facts(demo)
    assert len(night["mention"]) > 1000 and len(night["procurement_line"]) > 50
    assert file_facts(single) == night
    assert file_facts(on_dask) == night
    # Each load stamps its rows with one extraction time: loads of three batches, and the
    # rest at the end.
    con = duckdb.connect(str(on_dask), read_only=True)
    loads = con.execute(
        "SELECT count(*) FROM extraction GROUP BY extracted_at ORDER BY extracted_at"
    ).fetchall()
    con.close()
    assert [n for (n,) in loads] == [30] * (DEMO_DOCUMENTS // 30) + [DEMO_DOCUMENTS % 30]
    # Each worker loaded spaCy once and extracted several batches with it.
    per_worker = extractors_per_worker(cluster)
    assert len(per_worker) == 2
    assert all(loads == 1 and batches >= 1 for loads, batches in per_worker.values())


def lake_of_documents(lake: Lake, demo: Path) -> None:
    """The demo's documents and runs in a DuckLake warehouse, without their facts."""
    con = warehouse.connect(lake)
    con.execute(f"ATTACH '{demo}' AS night (READ_ONLY)")
    for table in ("document", "notice", "announcement", "run", "source_run"):
        con.execute(f"INSERT INTO {table} SELECT * FROM night.{table}")
    con.execute("DETACH night")
    con.close()


def minwatch(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINWATCH_DB": str(tmp_path / "none" / "w.duckdb")}
    for name in ("MINWATCH_CONFIG", "MINWATCH_DASK", "MINWATCH_WAREHOUSE", "PREFECT_API_URL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_minwatch_reprocess_reads_a_landing_url_into_a_lake(
    demo: Path, lake: Lake, tmp_path: Path
) -> None:
    lake_of_documents(lake, demo)
    landing = (demo.parent / "landing").as_uri()  # file:///..., read through fsspec
    done = minwatch(
        tmp_path, "reprocess", "--warehouse", f"ducklake:{lake.catalog}", "--landing-dir", landing
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{DEMO_DOCUMENTS} documents re-extracted" in done.stdout
    con = warehouse.connect(lake, read_only=True)
    try:
        assert facts(con) == file_facts(demo)
    finally:
        con.close()


def test_a_wrong_dask_address_or_warehouse_is_one_line(tmp_path: Path) -> None:
    bad = minwatch(tmp_path, "reprocess", "--dask", "not an address")
    assert bad.returncode != 0
    assert "is not a Dask scheduler address; give tcp://HOST:8786" in bad.stderr
    assert "Traceback" not in bad.stderr
    wrong = minwatch(tmp_path, "reprocess", "--warehouse", "postgres:dbname=x")
    assert wrong.returncode != 0
    assert "is not a DuckLake warehouse (ducklake:...)" in wrong.stderr
    secret = minwatch(tmp_path, "reprocess", "--warehouse", "ducklake:postgres:password=hunter2")
    assert secret.returncode != 0
    assert "password in PGPASSWORD or ~/.pgpass" in secret.stderr
    assert "hunter2" not in secret.stderr + secret.stdout


def test_minwatch_run_demo_crawls_and_extracts_on_dask_and_loads_the_same_night(
    demo: Path, cluster: Any, tmp_path: Path
) -> None:
    db = tmp_path / "night" / "demo.duckdb"
    env_db = {"MINWATCH_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "run", "--demo",
         "--dask", cluster.scheduler_address],
        cwd=REPO, env={**os.environ, **env_db}, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr[-3000:]  # the demo's partial night, as without Dask
    documents = "SELECT doc_id, content_hash, version FROM document ORDER BY ALL"
    alone = duckdb.connect(str(demo), read_only=True)
    spread = duckdb.connect(str(db), read_only=True)
    try:
        assert spread.execute(documents).fetchall() == alone.execute(documents).fetchall()
        assert facts(spread) == facts(alone)
    finally:
        alone.close()
        spread.close()

    def crawled_here(dask_scheduler: Any) -> list[str]:
        return sorted({str(entry[0]) for entry in dask_scheduler.transition_log})

    from distributed import Client

    with Client(cluster) as client:
        keys = client.run_on_scheduler(crawled_here)
    assert sum("crawl" in key for key in keys) == DEMO_SOURCES, keys  # one crawl per source
    # and the night's extraction ran there too, in batches, not in the flow's process
    # (Dask's keys are the task functions' names)
    assert sum(key.startswith("extract_batch-") for key in keys) >= 2, keys


def test_a_ducklake_warehouse_reprocessed_on_dask_gets_the_nights_rows(
    demo: Path, cluster: Any, lake: Lake, prefect_harness: None
) -> None:
    from minwatch.flows.reprocess import run_reprocess

    lake_of_documents(lake, demo)
    summary = run_reprocess(
        f"ducklake:{lake.catalog}", str(demo.parent / "landing"), dask=cluster.scheduler_address
    )

    assert (summary.documents, summary.changed, summary.missing_raw) == (
        DEMO_DOCUMENTS,
        DEMO_DOCUMENTS,
        0,
    )
    con = warehouse.connect(lake, read_only=True)
    try:
        assert facts(con) == file_facts(demo)
        assert con.execute(
            "SELECT count(*) FROM runs WHERE mode = 'reprocess' AND status = 'ok'"
        ).fetchone() == (1,)
    finally:
        con.close()


def test_cluster_settings_come_from_the_file_and_the_environment(tmp_path: Path) -> None:
    from minwatch.flows.settings import load_settings

    config = tmp_path / "minwatch.toml"
    config.write_text(
        '[cluster]\ndask = "tcp://file-host:8786"\nlake_data_path = "lake"\n'
        'landing_url = "s3://bucket/landing"\n',
        encoding="utf-8",
    )
    from_file = load_settings(config=config, environ={}).cluster
    assert from_file.dask == "tcp://file-host:8786"
    assert from_file.lake_data_path == str(tmp_path / "lake")  # read against the file's folder
    assert from_file.landing_url == "s3://bucket/landing"  # a URL stays as written
    environ = {"MINWATCH_DASK": "tcp://env-host:8786", "MINWATCH_WAREHOUSE": "ducklake:x.ducklake"}
    overridden = load_settings(config=config, environ=environ).cluster
    assert overridden.dask == "tcp://env-host:8786"
    assert overridden.warehouse == "ducklake:x.ducklake"
    assert overridden.landing_url == "s3://bucket/landing"
    assert load_settings(environ={}).cluster.dask is None  # unset: nothing changes
