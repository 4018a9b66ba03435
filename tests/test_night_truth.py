"""A failed night loses no window, says that it failed, and leaves nothing half-done behind.

Real Prefect flow runs (a temporary server), real crawls of the loopback sample site, real
DuckDB files. Each fault is the site answering as a broken or hostile source would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch import warehouse
from minwatch.flows.lock import exclusive_run
from minwatch.flows.nightly import nightly
from minwatch.sample_sources.server import Override, SampleServer
from tests.sample_night import sample_night

REPO = Path(__file__).resolve().parents[1]
NIGHT_1 = "2026-11-26"
NIGHT_2 = "2026-11-27"
SEARCH = "/opportunities/v2/search"
MOFCOM_EN_PAGE = (
    "/mofcom_en/Policies/AnnouncementsOrders/art/2025/art_0dd87cbee7b045bf93fabe6ab2faceee.html"
)
UNKNOWN_LAYOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Announcement</title></head><body><div class="layout-nobody-knows">
<p>MOFCOM Announcement in a layout the parser has never seen.</p></div></body></html>"""


def _one(db: Path, sql: str, params: list[Any] | None = None) -> Any:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(sql, params or []).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def _watermark(db: Path, source: str) -> str | None:
    con = warehouse.connect(db, read_only=True)
    try:
        return warehouse.get_source_state(con, source)[0]
    finally:
        con.close()


def _sam_notices(db: Path) -> int:
    return int(_one(db, "SELECT count(*) FROM documents WHERE source = 'sam_gov'"))


@pytest.fixture(scope="module")
def clean_sam_notices(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> int:
    """What a warehouse that never broke holds after NIGHT_2."""
    db = tmp_path_factory.mktemp("clean") / "minwatch.duckdb"
    with pytest.MonkeyPatch.context() as patch, SampleServer() as server:
        patch.setenv("SAM_GOV_API_KEY", "SENTINEL-KEY-clean-night")
        summary = sample_night(db, server, NIGHT_2, "sam_gov")
    assert summary.status in {"ok", "partial"}
    return _sam_notices(db)


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["server_error", "malformed", "missing_key"])
def test_a_failed_search_holds_the_watermark_and_the_next_night_fetches_the_window(
    fault: str,
    clean_sam_notices: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sam_api_key: str,
) -> None:
    db = tmp_path / "minwatch.duckdb"
    overrides = {
        "server_error": {SEARCH: Override(503, '{"message": "Service Unavailable"}')},
        "malformed": {SEARCH: Override(200, '{"totalRecords": 3, "opportunitiesData": [')},
        "missing_key": {},
    }[fault]
    if fault == "missing_key":
        monkeypatch.delenv("SAM_GOV_API_KEY")
    with SampleServer(overrides=overrides) as server:
        broken = sample_night(db, server, NIGHT_1, "sam_gov")
    (outcome,) = broken.outcomes
    assert outcome.stats.status == "failed"  # it fetched nothing because its requests failed
    assert broken.status == "failed"
    assert _watermark(db, "sam_gov") is None
    assert _one(db, "SELECT status FROM runs WHERE run_id = ?", [broken.run_id]) == "failed"

    monkeypatch.setenv("SAM_GOV_API_KEY", sam_api_key)
    with SampleServer() as server:
        healthy = sample_night(db, server, NIGHT_2, "sam_gov")
    assert healthy.status in {"ok", "partial"}
    assert _sam_notices(db) == clean_sam_notices > 0
    assert _watermark(db, "sam_gov") == NIGHT_2


@pytest.mark.slow
def test_a_page_that_landed_but_could_not_be_read_is_fetched_again(
    prefect_harness: None, tmp_path: Path
) -> None:
    db = tmp_path / "minwatch.duckdb"
    with SampleServer(overrides={MOFCOM_EN_PAGE: Override(200, UNKNOWN_LAYOUT)}) as server:
        first = sample_night(db, server, NIGHT_1, "mofcom_en")
    (outcome,) = first.outcomes
    unreadable = [e for e in outcome.stats.errors if e.error == "unreadable_document"]
    assert len(unreadable) == 1 and "art_0dd87cbee7b045bf93fabe6ab2faceee" in unreadable[0].url
    in_warehouse = "SELECT count(*) FROM documents WHERE url LIKE '%art_0dd87cbee7b045bf%'"
    assert _one(db, in_warehouse) == 0

    with SampleServer() as server:
        second = sample_night(db, server, NIGHT_2, "mofcom_en")
        fetched = [r.path for r in server.requests if "art_0dd87cbee7b045bf" in r.path]
    assert fetched, "the page that could not be read was never asked for again"
    assert _one(db, in_warehouse) == 1
    assert not [e for o in second.outcomes for e in o.stats.errors if e.error.startswith("unread")]


@pytest.mark.slow
def test_a_night_that_meets_only_an_old_broken_page_again_is_partial_not_failed(
    prefect_harness: None, tmp_path: Path
) -> None:
    """The sample Security and Control Bureau list holds one page cut off mid-body. The second
    night's list answers, finds nothing new and asks for the broken page again: the source is
    reachable, so the night says 'partial' (as the first did) and the operator's exit is 3."""
    db = tmp_path / "minwatch.duckdb"
    with SampleServer() as server:
        first = sample_night(db, server, NIGHT_1, "mofcom_aqygzj")
        second = sample_night(db, server, NIGHT_1, "mofcom_aqygzj")
    for night, fetched in ((first, 4), (second, 0)):
        (outcome,) = night.outcomes
        assert outcome.stats.fetched == fetched
        assert [e.error for e in outcome.stats.errors] == ["truncated_html"]
        assert outcome.stats.status == night.status == "partial"
    assert _one(db, "SELECT status FROM runs WHERE run_id = ?", [second.run_id]) == "partial"


def test_a_source_that_answered_only_with_failures_is_failed() -> None:
    """Counted from the crawl's stats: robots.txt and pages recorded as failures (a 200 that was
    cut off or malformed) are no answer; a list that answered, even with nothing new, is."""
    from datetime import UTC, datetime

    from minwatch.flows.nightly import source_status
    from minwatch.warehouse.records import FetchErrorRow

    def error(status: int | None, kind: str) -> FetchErrorRow:
        now = datetime.now(UTC)
        return FetchErrorRow("s", "https://example.org/x", None, status, kind, "", now)

    robots = {"robotstxt/response_status_count/200": 1}
    malformed = [error(200, "malformed_json")]
    cases = [
        (0, malformed, robots | {"downloader/response_status_count/200": 2}, "failed"),
        (0, malformed, robots | {"downloader/response_status_count/200": 3}, "partial"),
        (0, [error(503, "http_503")], {"downloader/response_status_count/503": 3}, "failed"),
        (0, [error(None, "missing_api_key")], {}, "failed"),
        (0, [error(404, "http_404")], {"downloader/response_status_count/304": 1}, "partial"),
        (2, [error(503, "http_503")], {"downloader/response_status_count/200": 2}, "partial"),
        (0, [], {}, "ok"),
    ]
    for documents, errors, stats, expected in cases:
        assert source_status(documents, errors, stats) == expected, (documents, errors, stats)


@pytest.mark.slow
def test_a_window_recrawled_on_demand_fetches_it_again_and_keeps_the_watermark(
    prefect_harness: None, tmp_path: Path, sam_api_key: str
) -> None:
    db = tmp_path / "minwatch.duckdb"
    with SampleServer() as server:
        sample_night(db, server, NIGHT_2, "sam_gov")
    assert _watermark(db, "sam_gov") == NIGHT_2
    with SampleServer() as server:
        again = sample_night(
            db, server, NIGHT_2, "sam_gov", from_date="2025-06-01", until_date="2025-12-31"
        )
        searches = [r.path for r in server.requests if r.path.startswith(SEARCH)]
        descriptions = [r for r in server.requests if "noticedesc" in r.path]
    assert again.status in {"ok", "partial"}
    assert searches and all(
        "postedFrom=06/01/2025" in p and "postedTo=12/31/2025" in p for p in searches
    )
    # Seen notices are fetched again: the point of re-crawling a window.
    assert descriptions
    assert _watermark(db, "sam_gov") == NIGHT_2


@pytest.mark.slow
def test_leftovers_of_a_killed_run_are_removed_and_its_flow_run_marked_crashed(
    prefect_harness: None, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.states import Running

    db = tmp_path / "minwatch.duckdb"
    landing = tmp_path / "landing"
    part = landing / "trade_atom" / "20261126T020000Z-dead00.jsonl.part"
    part.parent.mkdir(parents=True)
    part.write_text('{"type":"document"')
    snapshot_tmp = tmp_path / f".{db.name}.4242.tmp"
    snapshot_tmp.write_bytes(b"half a snapshot")
    report_tmp = tmp_path / "reports" / ".latest.html.abc123.tmp"
    report_tmp.parent.mkdir()
    report_tmp.write_text("<html>")
    an_hour_ago = time.time() - 3600
    os.utime(report_tmp, (an_hour_ago, an_hour_ago))
    other_db_tmp = tmp_path / ".other.duckdb.4242.tmp"  # another warehouse's: not ours to touch
    other_db_tmp.write_bytes(b"x")

    with get_client(sync_client=True) as client:
        # As a run killed with SIGKILL leaves it: Running, its process gone.
        killed = client.create_flow_run(nightly, parameters={"db": str(db)}, state=Running())
        other = client.create_flow_run(
            nightly, parameters={"db": str(tmp_path / "other.duckdb")}, state=Running()
        )

    with SampleServer() as server:
        sample_night(db, server, NIGHT_2, "trade_atom", landing_dir=str(landing))

    assert not part.exists() and not snapshot_tmp.exists() and not report_tmp.exists()
    assert other_db_tmp.exists()
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(killed.id).state_type == StateType.CRASHED
        assert client.read_flow_run(other.id).state_type == StateType.RUNNING


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """The error output: one line, no traceback, and Prefect never started."""
    assert "Traceback" not in done.stderr + done.stdout
    assert "temporary server" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_a_second_run_refuses_before_prefect_starts(tmp_path: Path) -> None:
    db = tmp_path / "minwatch.duckdb"
    with exclusive_run(db):
        done = _cli("run", "--demo", "--db", str(db))
    assert done.returncode == 75
    assert "another minwatch run" in _one_line_error(done)
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--night", "2026-13-01"), "is not a date like"),
        (("--from", "2026-11-30", "--until", "2026-11-01"), "after the window's end"),
        (("--until", "2026-11-01"), "--until needs --from"),
        (("--base-url", "nonsense"), "--base-url wants SOURCE=URL"),
    ],
)
def test_bad_arguments_are_one_sentence_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    done = _cli("run", "--db", str(tmp_path / "w.duckdb"), *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert expected in done.stderr


def test_a_bad_db_is_one_sentence(tmp_path: Path) -> None:
    a_directory = tmp_path / "dir.duckdb"
    a_directory.mkdir()
    done = _cli("run", "--db", str(a_directory))
    assert done.returncode == 2
    assert "is a directory" in _one_line_error(done)

    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("these are my notes, not a warehouse\n" * 10)
    done = _cli("run", "--db", str(not_duckdb))
    assert done.returncode == 2
    assert "is not a DuckDB warehouse" in _one_line_error(done)
    assert not_duckdb.read_text().startswith("these are my notes")

    under_a_file = not_duckdb / "minwatch.duckdb"
    done = _cli("reprocess", "--db", str(under_a_file))
    assert done.returncode == 2
    _one_line_error(done)


def test_a_bad_config_file_is_one_sentence(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[[rule]\nname = 'unclosed'\n")
    done = _cli("run", "--db", str(tmp_path / "w.duckdb"), env={"MINWATCH_WATCH_RULES": str(rules)})
    assert done.returncode == 78
    assert "not valid TOML" in _one_line_error(done)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MiB file system: a real ENOSPC, not a simulated one."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_disk_full_is_one_sentence_and_exit_74(tiny_disk: Path, tmp_path: Path) -> None:
    done = _cli(
        "run", "--demo", "--db", str(tiny_disk / "minwatch.duckdb"), "--source", "mining_com",
        env={"PREFECT_HOME": str(tmp_path / "prefect")},
    )  # fmt: skip
    assert done.returncode == 74, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    ours = [line for line in done.stderr.splitlines() if line.startswith("minwatch ")]
    assert len(ours) == 1 and ours[0].startswith("minwatch run: the disk is full"), ours
    assert "published warehouse is unchanged" in ours[0]
