"""Incremental crawling: real crawls over the loopback sample server, twice, state in between.

Each scenario crawls a source, hands the state the crawl wrote to a second crawl, and reads
the server's request log to prove what the second night asked for.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from minwatch import warehouse
from minwatch.flows.state import (
    crawl_state_for,
    format_sources_overview,
    save_crawl_state,
    sources_overview,
)
from minwatch.flows.transform import document_row, failure_row
from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import LoggedRequest, Override, SampleServer
from minwatch.spiders.documents import read_landing, to_document
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState, CrawlStateError, IncrementalTracker
from minwatch.warehouse.records import SourceRunStats
from tests.crawl_helpers import FAST

SAM_KEY = "SENTINEL-incremental-key-31c7"
SAM_WINDOW = {"from_date": "2025-06-01", "until_date": "2026-05-01"}
MINING = "https://www.mining.com/news/articles"
TRADE = "https://trade.example.com/trade"
MINING_FEED_KEY = "https://www.mining.com/news/mining_feed.xml"
TRADE_FEED_KEY = "https://trade.example.com/news/trade_atom.xml"
BRIGHTWATER = f"{MINING}/brightwater-nickel-sulphate-plant-commissioning/"  # 404 in the sample
COAL_PATH = "/trade/2026/02/west-virginia-coal-mine-roof-fall-investigation.html"
KESTREL_PATH = "/trade/2026/01/kestrel-nickel-mhp-offtake-auralis-battery-materials.html"
TRADE_PATHS = {
    "/trade/2025/07/antimony-trioxide-buyers-year-after-beijing-controls.html",
    "/trade/2025/08/dla-cobalt-stockpile-tender-three-sources.html",
    "/trade/2025/10/appalachian-critical-metals-gallium-germanium-plant-tennessee.html",
    "/trade/2025/11/germanium-gallium-prices-ease-us-ban-suspended.html",
    KESTREL_PATH,
    COAL_PATH,
    "/trade/2026/03/dla-seeks-lithium-nickel-tin-tellurium-chromium.html",
    "/trade/briefs/2025/12/antimony-trioxide-prices-slip-vietnam-supply.html",
}
SAM_RELEVANT = 19  # notices of SAM_WINDOW that pass the relevance filter (MANIFEST.json)
SAM_SEARCH = "/opportunities/v2/search"
SAM_DESCRIPTION = "/prod/opportunities/v1/noticedesc"
ARCHIVED_NOTICE = "9a69129ee2a2b56af7c826e6892f3a29"  # gallium RFI, 2026-01-14


@dataclass
class Night:
    result: CrawlResult
    requests: list[LoggedRequest]

    @property
    def state(self) -> CrawlState:
        assert self.result.state_path is not None, self.result.error
        return CrawlState.load(self.result.state_path)

    def paths(self) -> list[tuple[str, int]]:
        return [(r.path.split("?")[0], r.status) for r in self.requests]

    def landed(self) -> tuple[dict[str, RawDocument], list[FetchFailure]]:
        documents: dict[str, RawDocument] = {}
        failures: list[FetchFailure] = []
        for record in read_landing(self.result.landing_path):
            if isinstance(record, RawDocument):
                documents[record.source_id] = record
            else:
                failures.append(record)
        return documents, failures


def crawl_night(
    source: str,
    server: SampleServer,
    landing_dir: Path,
    run_id: str,
    state: CrawlState | None,
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
) -> Night:
    before = len(server.requests)
    result = run_crawl(
        source,
        landing_dir=landing_dir,
        run_id=run_id,
        base_url=server.base_url,
        spider_args=args if args is not None else SAMPLE_SPIDER_ARGS.get(source),
        settings={**FAST, **(settings or {})},
        state=state,
        timeout_s=180,
    )
    assert result.error is None, result.error
    return Night(result, server.requests[before:])


def sample_copy(tmp_path: Path) -> Path:
    root = tmp_path / "sample_root"
    shutil.copytree(SAMPLE_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


# -- the state file itself ---------------------------------------------------------------


def test_state_round_trips_and_rejects_bad_shapes(tmp_path: Path) -> None:
    state = CrawlState(
        validators={MINING_FEED_KEY: {"etag": '"abc"', "last_modified": "Tue, 20 Jan 2026"}},
        seen={f"{MINING}/x/": "2026-01-20T08:30:00+00:00"},
    )
    path = tmp_path / "state.json"
    state.dump(path)
    assert CrawlState.load(path) == state
    assert json.loads(path.read_text())["seen"] == {f"{MINING}/x/": "2026-01-20T08:30:00+00:00"}
    assert not (tmp_path / "state.json.part").exists()

    with pytest.raises(CrawlStateError, match=r"`seen` is list, not object"):
        CrawlState.from_json('{"seen": []}')
    with pytest.raises(CrawlStateError, match=r"fingerprint of 'a' is int"):
        CrawlState.from_json('{"seen": {"a": 1}}')
    with pytest.raises(CrawlStateError, match=r"validators of 'u' must be an object"):
        CrawlState.from_json('{"validators": {"u": {"etag": 5}}}')
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CrawlStateError, match=r"broken\.json: not JSON"):
        CrawlState.load(tmp_path / "broken.json")


def test_tracker_commits_seen_only_for_landed_pages_and_drops_validators_on_failure() -> None:
    tracker = IncrementalTracker(CrawlState(validators={"u": {"etag": '"1"'}}, seen={"a": "1"}))
    tracker.page_parsed("b", "2")
    tracker.landed("b")
    tracker.landed("c")  # landed from its feed entry: its page was never parsed
    tracker.failed("http_404")
    assert tracker.next_state() == CrawlState(
        validators={"u": {"etag": '"1"'}}, seen={"a": "1", "b": "2"}
    )
    assert tracker.next_state(complete=False).validators == {}
    tracker.failed("http_500")
    assert tracker.next_state().validators == {}


def test_crawl_refuses_a_broken_state_file_with_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "night-1.state-in.json"
    broken.write_text('{"validators": [], "seen": {}}', encoding="utf-8")
    with SampleServer() as server:
        result = run_crawl(
            "trade_atom",
            landing_dir=tmp_path / "landing",
            run_id="night-1",
            base_url=server.base_url,
            spider_args={"state_path": str(broken)},
            settings=FAST,
            timeout_s=120,
        )
        assert server.requests == []
    assert result.error is not None
    assert "CrawlStateError" in result.error
    assert f"state file {broken}: `validators` is list, not object" in result.error
    assert result.state_path is None


# -- mining_com: an unchanged RSS feed is answered 304 ------------------------------------


@pytest.fixture(scope="module")
def mining_nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Night, Night]]:
    landing = tmp_path_factory.mktemp("landing")
    with SampleServer() as server:
        first = crawl_night("mining_com", server, landing, "night-1", None)
        second = crawl_night("mining_com", server, landing, "night-2", first.state)
        yield first, second


def test_first_night_records_feed_validators_and_landed_pages(
    mining_nights: tuple[Night, Night],
) -> None:
    first, _ = mining_nights
    state = first.state
    assert list(state.validators) == [MINING_FEED_KEY]
    assert set(state.validators[MINING_FEED_KEY]) == {"etag", "last_modified"}
    # Ten pages landed; the missing page landed only from its feed entry, so it is not seen.
    assert len(state.seen) == 10
    assert BRIGHTWATER not in state.seen
    antimony = f"{MINING}/dla-awards-us-antimony-245-million-stockpile-contract/"
    assert state.seen[antimony] == "2025-09-23T18:42:00+00:00"
    documents, failures = first.landed()
    assert len(documents) == 11
    assert [(f.source_id, f.error) for f in failures] == [(BRIGHTWATER, "http_404")]


def test_second_night_over_unchanged_feed_fetches_only_the_feed(
    mining_nights: tuple[Night, Night],
) -> None:
    first, second = mining_nights
    assert second.paths() == [("/robots.txt", 200), ("/news/mining_feed.xml", 304)]
    feed_request = second.requests[1]
    assert feed_request.headers["If-None-Match"] == first.state.validators[MINING_FEED_KEY]["etag"]
    assert second.landed() == ({}, [])
    assert second.result.documents == 0
    assert second.result.stats["minwatch/not_modified"] == 1
    # Nothing new was learnt, nothing was forgotten.
    assert second.state == first.state


# -- trade_atom: a re-dated entry and a failed page are fetched again ----------------------


def test_redated_entry_is_fetched_again_and_only_it(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    with SampleServer(root=root) as server:
        first = crawl_night("trade_atom", server, tmp_path / "landing", "night-1", None)
        assert {p for p, s in first.paths() if p.startswith("/trade/")} == TRADE_PATHS
        assert first.state.seen[TRADE + COAL_PATH.removeprefix("/trade")] == (
            "2026-02-18T09:00:00+00:00"
        )
        feed = root / "news" / "trade_atom.xml"
        text = feed.read_text(encoding="utf-8")
        assert text.count("<updated>2026-02-18T09:00:00Z</updated>") == 1
        feed.write_text(
            text.replace(
                "<updated>2026-02-18T09:00:00Z</updated>", "<updated>2026-02-19T10:30:00Z</updated>"
            ),
            encoding="utf-8",
        )
        second = crawl_night("trade_atom", server, tmp_path / "landing", "night-2", first.state)

    assert second.paths() == [
        ("/robots.txt", 200),
        ("/news/trade_atom.xml", 200),
        (COAL_PATH, 200),
    ]
    assert (
        second.requests[1].headers["If-None-Match"]
        == (first.state.validators[TRADE_FEED_KEY]["etag"])
    )
    documents, failures = second.landed()
    coal_id = TRADE + COAL_PATH.removeprefix("/trade")
    assert list(documents) == [coal_id]
    assert documents[coal_id].format == "article_html"
    assert failures == []
    assert second.result.stats["minwatch/skipped_seen"] == 7
    assert second.state.seen[coal_id] == "2026-02-19T10:30:00+00:00"
    assert second.state.validators[TRADE_FEED_KEY] != first.state.validators[TRADE_FEED_KEY]


def test_page_that_failed_is_fetched_again_next_night(tmp_path: Path) -> None:
    kestrel_id = TRADE + KESTREL_PATH.removeprefix("/trade")
    # 500 on the first try and on each of the 3 retries; the path is served normally after.
    failing = {KESTREL_PATH: [Override(500, body="boom")] * 4}
    with SampleServer(overrides=failing) as server:
        first = crawl_night("trade_atom", server, tmp_path / "landing", "night-1", None)
        second = crawl_night("trade_atom", server, tmp_path / "landing", "night-2", first.state)

    documents, failures = first.landed()
    assert [(f.source_id, f.error) for f in failures] == [(kestrel_id, "http_500")]
    assert documents[kestrel_id].format == "feed_entry"
    assert kestrel_id not in first.state.seen
    assert len(first.state.seen) == 7
    # A failure to retry drops the feed's validators: next night reads the feed in full.
    assert first.state.validators == {}

    assert "If-None-Match" not in second.requests[1].headers
    assert second.paths() == [
        ("/robots.txt", 200),
        ("/news/trade_atom.xml", 200),
        (KESTREL_PATH, 200),
    ]
    documents, failures = second.landed()
    assert list(documents) == [kestrel_id]
    assert documents[kestrel_id].format == "article_html"
    assert failures == []
    assert second.state.seen[kestrel_id] == "2026-01-13T08:00:00+00:00"
    assert list(second.state.validators) == [TRADE_FEED_KEY]


# -- sam_gov: seen notices' descriptions are not fetched again -----------------------------


def test_sam_second_night_fetches_only_search_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", SAM_KEY)
    root = sample_copy(tmp_path)
    landing = tmp_path / "landing"
    with SampleServer(root=root) as server:
        first = crawl_night("sam_gov", server, landing, "night-1", None, args=SAM_WINDOW)
        second = crawl_night("sam_gov", server, landing, "night-2", first.state, args=SAM_WINDOW)
        # An edit to one notice (SAM archived it) changes its search record.
        opportunities = root / "sam_gov" / "opportunities.json"
        payload = json.loads(opportunities.read_text(encoding="utf-8"))
        for record in payload["opportunitiesData"]:
            if record["noticeId"] == ARCHIVED_NOTICE:
                record["active"] = "No"
        opportunities.write_text(json.dumps(payload), encoding="utf-8")
        third = crawl_night("sam_gov", server, landing, "night-3", second.state, args=SAM_WINDOW)

    first_paths = [p for p, _ in first.paths()]
    searches = [p for p in first_paths if p == SAM_SEARCH]
    assert len(searches) == 8  # SP8000 and seven mineral NAICS codes, one 365-day window
    assert first_paths.count(SAM_DESCRIPTION) == SAM_RELEVANT
    assert len(first.state.seen) == SAM_RELEVANT  # the cancelled notice's 404 is an answer
    assert first.state.validators == {}  # the API sends no ETag or Last-Modified

    assert [p for p, _ in second.paths()] == searches
    assert second.landed() == ({}, [])
    assert second.result.stats["minwatch/skipped_seen"] == SAM_RELEVANT

    third_paths = sorted(p for p, _ in third.paths())
    assert third_paths == sorted([*searches, SAM_DESCRIPTION])
    [description] = [r for r in third.requests if r.path.startswith(SAM_DESCRIPTION)]
    assert f"noticeid={ARCHIVED_NOTICE}" in description.path
    documents, failures = third.landed()
    assert list(documents) == [ARCHIVED_NOTICE]
    assert documents[ARCHIVED_NOTICE].data is not None
    assert documents[ARCHIVED_NOTICE].data["active"] == "No"
    assert failures == []
    assert third.state.seen[ARCHIVED_NOTICE] != first.state.seen[ARCHIVED_NOTICE]

    for night in (first, second, third):
        assert night.result.state_path is not None
        assert SAM_KEY not in night.result.state_path.read_text(encoding="utf-8")


# -- flows.state: the warehouse side -------------------------------------------------------


def test_save_crawl_state_merges_into_the_warehouse(
    tmp_path: Path, mining_nights: tuple[Night, Night]
) -> None:
    first, second = mining_nights
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        assert crawl_state_for(con, "mining_com") == CrawlState()
        warehouse.set_source_state(con, "mining_com", None, {"run_id": "night-0"})

        saved = save_crawl_state(con, "mining_com", first.result.state_path)
        assert saved == first.state
        assert crawl_state_for(con, "mining_com") == first.state
        watermark, stored = warehouse.get_source_state(con, "mining_com")
        assert watermark is None
        assert stored["run_id"] == "night-0"  # the flow's own keys are kept
        updated_at = con.execute("SELECT updated_at FROM source_state").fetchone()

        # Saving the unchanged second night again writes nothing.
        save_crawl_state(con, "mining_com", second.result.state_path)
        assert con.execute("SELECT updated_at FROM source_state").fetchone() == updated_at

        # A later crawl that learnt one id and dropped its validators: the union of seen ids,
        # the crawl's validators.
        later = tmp_path / "later.state.json"
        CrawlState(seen={BRIGHTWATER: "2026-01-21T00:00:00+00:00"}).dump(later)
        merged = save_crawl_state(con, "mining_com", later, watermark="2026-11-27")
        assert merged.validators == {}
        assert merged.seen == {**first.state.seen, BRIGHTWATER: "2026-01-21T00:00:00+00:00"}
        assert warehouse.get_source_state(con, "mining_com")[0] == "2026-11-27"

        # No state file (the crawl did not finish): the stored state stays.
        assert save_crawl_state(con, "mining_com", None) == merged

        broken = tmp_path / "broken.state.json"
        broken.write_text('{"seen": {"a": 1}}')
        with pytest.raises(CrawlStateError, match=r"broken\.state\.json: fingerprint of 'a'"):
            save_crawl_state(con, "mining_com", broken)
        assert crawl_state_for(con, "mining_com") == merged
    finally:
        con.close()


def test_sources_overview_lists_every_source_with_its_last_run(
    tmp_path: Path, mining_nights: tuple[Night, Night]
) -> None:
    first, _ = mining_nights
    documents, failures = first.landed()
    started = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        warehouse.start_run(con, "night-1", mode="demo", started_at=started)
        rows = [document_row(to_document(d)) for d in documents.values()]
        statuses = warehouse.load_documents(con, "night-1", rows, [])
        assert len(statuses) == 11
        warehouse.record_source_run(
            con,
            SourceRunStats(
                run_id="night-1",
                source="mining_com",
                started_at=started,
                finished_at=started + timedelta(minutes=1),
                fetched=11,
                new=11,
                failed=1,
                status="partial",
                errors=tuple(failure_row(f) for f in failures),
            ),
        )
        warehouse.finish_run(con, "night-1", status="partial", finished_at=started)
        save_crawl_state(con, "mining_com", first.result.state_path)
        save_crawl_state(con, "retired_source", None, watermark="2025-12-31")

        overview = {row["source"]: row for row in sources_overview(con)}
    finally:
        con.close()

    assert list(overview)[:3] == ["sam_gov", "mining_com", "trade_atom"]
    assert list(overview)[-1] == "retired_source"
    mining = overview["mining_com"]
    assert {k: v for k, v in mining.items() if k not in {"last_error_at"}} == {
        "source": "mining_com",
        "registered": True,
        "last_run_id": "night-1",
        "last_run_started_at": started,
        "last_run_status": "partial",
        "last_run_fetched": 11,
        "last_run_failed": 1,
        "watermark": None,
        "documents": 11,
        "seen": 10,
        "validators": 1,
        "last_error": "http_404: HTTP 404",
    }
    assert mining["last_error_at"] == failures[0].occurred_at
    trade = overview["trade_atom"]
    assert (trade["last_run_id"], trade["documents"], trade["seen"], trade["last_error"]) == (
        None,
        0,
        0,
        None,
    )
    assert overview["retired_source"]["registered"] is False
    assert overview["retired_source"]["watermark"] == "2025-12-31"

    text = format_sources_overview(overview.values())
    lines = text.splitlines()
    assert lines[0].split() == [
        "source", "last", "run", "status", "fetched", "failed", "watermark", "documents",
        "seen", "last", "error",
    ]  # fmt: skip
    mining_line = next(line for line in lines if line.startswith("mining_com "))
    assert mining_line.split() == [
        "mining_com", "2026-11-27", "02:00", "partial", "11", "1", "-", "11", "10", "http_404:",
        "HTTP", "404",
    ]  # fmt: skip
    assert any(line.startswith("retired_source (unregistered) ") for line in lines)
