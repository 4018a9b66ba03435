"""A source whose extraction fails loses nothing: its documents stay loaded, its crawl state is
not saved, and the next night fetches and extracts them, ending where an unbroken night ends.

Real crawls over loopback, real spaCy, real DuckDB files, real Prefect flow runs; the one
injected fault is the extraction task of one source raising on the first night.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from prefect import task
from prefect.cache_policies import NO_CACHE

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS

NIGHT = "2026-11-27"
SOURCES = ("sam_gov", "mining_com", "trade_atom")
BROKEN = "mining_com"


def _sources(base_url: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "base_url": base_url,
            "spider_args": SAMPLE_SPIDER_ARGS.get(name, {}),
            "settings": {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"},
        }
        for name in SOURCES
    ]


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _facts(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "documents": _rows(db, "SELECT doc_id, source, content_hash FROM document ORDER BY 1"),
        "extractions": _rows(db, "SELECT doc_id, facts_hash FROM extraction ORDER BY 1"),
        "lines": _rows(
            db,
            "SELECT doc_id, line_no, mineral, usd, tonnes, suppliers FROM procurement_line "
            "ORDER BY 1, 2",
        ),
        "mentions": _rows(db, "SELECT doc_id, seq, kind, canonical FROM mention ORDER BY 1, 2"),
    }


@pytest.fixture(scope="module")
def nights(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    import minwatch.flows.nightly as nightly_module

    original = nightly_module.extract

    @task(name="extract", cache_policy=NO_CACHE, task_run_name="extract-{source}")
    def extract_failing_for_one_source(source: str, documents: list[Any]) -> list[Any]:
        if source == BROKEN:
            raise RuntimeError(f"extractor crashed on {source}")
        return list(original.fn(source, documents))

    root = tmp_path_factory.mktemp("extraction-failure")
    broken_db = root / "broken" / "minwatch.duckdb"
    reference_db = root / "reference" / "minwatch.duckdb"
    patch = pytest.MonkeyPatch()
    # Without a key sam_gov fetches nothing and fails: every night would be a failed one.
    patch.setenv("SAM_GOV_API_KEY", "SENTINEL-KEY-extraction-failure")
    with SampleServer() as server:
        sources = _sources(server.base_url)
        try:
            # A failed source ends the flow run Failed; the night's summary travels with it.
            patch.setattr(nightly_module, "extract", extract_failing_for_one_source)
            with pytest.raises(nightly_module.NightFailed) as failed:
                nightly_module.nightly(db=str(broken_db), sources=sources, night=NIGHT)
            first = failed.value.summary
        finally:
            patch.setattr(nightly_module, "extract", original)
        after_first = _facts(broken_db)
        second = nightly_module.nightly(db=str(broken_db), sources=sources, night=NIGHT)
        reference = nightly_module.nightly(db=str(reference_db), sources=sources, night=NIGHT)
    patch.undo()
    yield {
        "first": first,
        "second": second,
        "reference": reference,
        "after_first": after_first,
        "broken_db": broken_db,
        "reference_db": reference_db,
    }


def test_the_failed_extraction_is_recorded_against_its_source(nights: dict[str, Any]) -> None:
    first, reference = nights["first"], nights["reference"]
    assert first.status == "failed"
    by_source = {o.stats.source: o.stats for o in first.outcomes}
    # The others fare as in an unbroken night (the sample site has failing pages on purpose).
    unbroken = {o.stats.source: o.stats.status for o in reference.outcomes}
    assert unbroken == {"sam_gov": "ok", "mining_com": "partial", "trade_atom": "ok"}
    assert {s: by_source[s].status for s in SOURCES} == unbroken | {BROKEN: "failed"}
    (error,) = by_source[BROKEN].errors
    assert "extractor crashed on mining_com" in (error.message or "")
    runs = _rows(
        nights["broken_db"],
        f"SELECT source, status FROM source_run WHERE run_id = '{first.run_id}' ORDER BY source",
    )
    assert runs == [("mining_com", "failed"), ("sam_gov", "ok"), ("trade_atom", "ok")]


def test_its_documents_stay_loaded_without_facts(nights: dict[str, Any]) -> None:
    after = nights["after_first"]
    broken_docs = {doc_id for doc_id, source, _ in after["documents"] if source == BROKEN}
    assert len(broken_docs) == 11  # every mining.com article of the sample feed
    extracted = {doc_id for doc_id, _ in after["extractions"]}
    assert not broken_docs & extracted
    # The other sources were extracted as usual.
    others = {doc_id for doc_id, source, _ in after["documents"] if source != BROKEN}
    assert others and others <= extracted


def test_the_next_night_ends_where_an_unbroken_night_ends(nights: dict[str, Any]) -> None:
    second = nights["second"]
    assert second.status == nights["reference"].status == "partial"
    by_source = {o.stats.source: o for o in second.outcomes}
    # Its crawl state was not saved, so the source was fetched again and extracted.
    assert by_source[BROKEN].stats.status == "partial"  # its failing sample page, as unbroken
    assert by_source[BROKEN].stats.fetched == 11
    assert by_source[BROKEN].extracted == 11
    assert by_source["trade_atom"].extracted == 0  # nothing new there
    assert _facts(nights["broken_db"]) == _facts(nights["reference_db"])
