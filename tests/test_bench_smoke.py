"""The pipeline benchmark's smoke run: real corpus, real crawls, real flow; every figure there.

No timing is asserted (the machine is shared); what is asserted is that each stage measured
what it says it measured: the same URLs on both crawl sides, every document loaded and
extracted, nothing new on the second night, one memory peak per size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpus import generate_corpus  # noqa: E402

pytestmark = pytest.mark.slow

FIGURES = {
    "crawl_ratio",
    "load_ratio",
    "end_to_end_docs_per_s",
    "bare_stage_docs_per_s",
    "slowest_bare_stage",
    "slowest_bare_docs_per_s",
    "end_to_end_ratio",
    "end_to_end_vs_bare_crawl",
    "peak_rss_mib",
    "memory_ratio",
    "first_run_s",
    "second_run_s",
    "second_run_speedup",
    "fresh_process_second_run_s",
    "fresh_process_second_run_speedup",
}


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "smoke.json"
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pipeline_bench.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "second_run_speedup" in completed.stdout  # the table was printed
    loaded: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def test_every_figure_with_its_target_and_verdict(report: dict[str, Any]) -> None:
    figures = report["figures"]
    assert set(figures) == FIGURES
    assert (
        set(report["passed"])
        == set(report["targets"])
        == {
            "crawl_ratio",
            "load_ratio",
            "end_to_end_ratio",
            "memory_ratio",
            "second_run_speedup",
        }
    )
    for name in ("crawl_ratio", "end_to_end_ratio", "memory_ratio", "second_run_speedup"):
        assert isinstance(figures[name], float) and figures[name] > 0, name
        assert report["passed"][name] in (True, False)
    assert report["arguments"] == {"docs": 200, "sizes": [100, 200], "concurrency": 8}
    assert set(figures["peak_rss_mib"]) == {"100", "200"}
    # The night's three stages each have a bare counterpart; the slowest sets the bar.
    bare = figures["bare_stage_docs_per_s"]
    assert set(bare) == ({"crawl", "extract", "load"} if _has_pyarrow() else {"crawl", "extract"})
    assert figures["slowest_bare_stage"] == min(bare, key=bare.__getitem__)
    assert report["main_run"]["bare_extract"]["documents"] == 200
    assert report["machine"]["cores"] >= 1


def test_load_baseline_is_arrow_or_says_why_not(report: dict[str, Any]) -> None:
    load = report["main_run"]["load"]
    assert load["documents"] == 200 and load["notices"] == 20
    if _has_pyarrow():
        assert isinstance(report["figures"]["load_ratio"], float)
        assert load["bare_docs_per_s"] > 0
        # Medians of as many timed loads a side as it says, each into a fresh database.
        assert len(load["minwatch_s_each"]) == len(load["bare_insert_s_each"]) == load["repeats"]
        assert sorted(load["minwatch_s_each"])[load["repeats"] // 2] == load["minwatch_s"]
    else:
        assert report["figures"]["load_ratio"] is None
        assert report["passed"]["load_ratio"] is None
        assert "pyarrow" in load["missing"]


def test_both_crawlers_fetched_the_same_pages(report: dict[str, Any]) -> None:
    crawl = report["main_run"]["crawl"]
    assert report["main_run"]["families"] == {"mining_com": 90, "trade_atom": 90, "sam_gov": 20}
    assert crawl["documents"] == 200
    # Every article page plus the feed and robots.txt; SAM: search pages plus 20 descriptions.
    assert crawl["sources"]["mining_com"]["requests"] == 92
    assert crawl["sources"]["trade_atom"]["requests"] == 92
    assert crawl["sources"]["sam_gov"]["documents"] == 20
    assert all(s["failures"] == 0 for s in crawl["sources"].values())


def test_first_night_loads_everything_second_finds_nothing_new(report: dict[str, Any]) -> None:
    first, second = report["main_run"]["end_to_end"]["runs"]
    assert (first["status"], first["fetched"], first["new"], first["extracted"]) == (
        "ok",
        200,
        200,
        200,
    )
    assert (second["status"], second["fetched"], second["new"], second["extracted"]) == (
        "ok",
        0,
        0,
        0,
    )
    assert second["documents_in_warehouse"] == 200
    (fresh,) = report["main_run"]["night_in_fresh_process"]["runs"]
    assert (fresh["status"], fresh["fetched"], fresh["new"]) == ("ok", 0, 0)
    assert fresh["documents_in_warehouse"] == 200
    assert {"crawl", "read", "load-documents", "extract"} <= set(first["task_seconds"])


def test_memory_runs_measure_the_whole_tree(report: dict[str, Any]) -> None:
    (size,) = report["memory_runs"]
    assert size == "100"
    run = report["memory_runs"]["100"]["end_to_end"]
    assert [r["fetched"] for r in run["runs"]] == [100]
    # The tree (flow + crawl subprocesses + Prefect's server) holds more than the flow alone.
    assert run["peak_tree_rss_bytes"] > run["maxrss_self_bytes"]


def test_corpus_is_seeded_and_sized(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path / "a", 50, seed=3)
    second = generate_corpus(tmp_path / "b", 50, seed=3)
    assert first.counts == {"mining_com": 23, "trade_atom": 22, "sam_gov": 5}
    feed = (first.root / "news" / "mining_feed.xml").read_text(encoding="utf-8")
    assert feed == (second.root / "news" / "mining_feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 23
    atom = (first.root / "news" / "trade_atom.xml").read_text(encoding="utf-8")
    assert atom.count("<entry>") == 22
    opportunities = json.loads((first.root / "sam_gov" / "opportunities.json").read_text())
    assert len(opportunities["opportunitiesData"]) == 5
    assert len(list((first.root / "sam_gov" / "descriptions").iterdir())) == 5
    with pytest.raises(ValueError, match="at least 3 documents"):
        generate_corpus(tmp_path / "c", 2)


def test_load_profile_times_each_step_of_a_load() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load_profile.py"), "--docs", "50", "--repeats", "2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "50 documents, 5 notices, 0 announcements"
    loads = lines[1].split(":", 1)[1].strip(" []").split(", ")
    assert len(loads) == 3  # the untimed first load and two more
    steps = [line.split("ms", 1)[1].strip() for line in lines[3:-1]]
    assert "COMMIT" in steps and "stage_arrow stage_document" in steps
    assert any(step.startswith("INSERT INTO document") for step in steps)
    assert lines[-1].startswith("document insert from Arrow, autocommit (ms): unkeyed table ")
