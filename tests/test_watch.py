"""The fast lane end to end: `minwatch watch` as its own process polling the loopback sample
site, a real webhook receiver, announcements published while it runs, then a night beside it.
Plus the lock shared by the two lanes and the update alert of a published filing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.flows.lock import RunLocked, exclusive_run
from minwatch.sample_sources.publishing import (
    copy_site,
    file_on_public_inspection,
    publish_in_the_register,
    publish_mofcom,
)
from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.warehouse import connect, load_documents
from minwatch.warehouse.alerts import evaluate_alerts
from minwatch.warehouse.records import AnnouncementRow, DocumentRow
from tests.alert_receiver import AlertReceiver

REPO = Path(__file__).resolve().parents[1]
INTERVAL_S = 2.0
# Guards against a hung watcher, not measurements (bench/watch_bench.py measures).
PATIENCE_S = 180.0
POLL_LINE = re.compile(r"^poll (?P<id>\S+) started (?P<at>\S+)Z, [\d.]+ s: (?P<status>\w+);", re.M)

NEW_MOFCOM_KEY = "announcement:MOFCOM 2026-3"
LATER_MOFCOM_KEY = "announcement:MOFCOM 2026-4"
NEW_BIS_KEY = "announcement:BIS 2026-04502"
FILED_BIS_KEY = "announcement:BIS 2026-04410"


def wait_for(condition: Callable[[], Any], what: str, proc: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if proc.poll() is not None:
            raise AssertionError(f"the watcher exited ({proc.returncode}) waiting for {what}")
        time.sleep(0.2)
    raise AssertionError(f"no {what} within {PATIENCE_S:g} s")


def polls(log: Path) -> list[tuple[str, datetime, str]]:
    return [
        (m["id"], datetime.fromisoformat(m["at"]).replace(tzinfo=UTC), m["status"])
        for m in POLL_LINE.finditer(log.read_text(encoding="utf-8", errors="replace"))
    ]


def announcement_keys(receiver: AlertReceiver) -> Counter[str]:
    keys: Counter[str] = Counter()
    for received in receiver.accepted():
        payload = json.loads(received.body["message"])
        if payload["alert_key"].startswith("announcement:"):
            keys[payload["alert_key"]] += 1
    return keys


def created_by(db: Path, alert_key: str) -> tuple[str, datetime] | None:
    """The run that raised the alert, once the poll has published its snapshot (it delivers
    first, then publishes)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT a.created_run_id, r.started_at FROM alert AS a "
            "JOIN run AS r ON r.run_id = a.created_run_id WHERE a.alert_key = ?",
            [alert_key],
        ).fetchone()
    finally:
        con.close()
    return None if row is None else (str(row[0]), row[1])


def assert_raised_by_the_first_poll_after(
    log: Path, db: Path, alert_key: str, published_at: datetime, proc: subprocess.Popen[bytes]
) -> None:
    """The alert came from the poll running when it was published or the next one: within
    one poll interval plus that poll's fetch."""
    run_id, started = wait_for(lambda: created_by(db, alert_key), f"{alert_key} published", proc)
    # A watch poll, not a night (its line is printed once it has published).
    wait_for(lambda: run_id in {p[0] for p in polls(log)}, f"the line of poll {run_id}", proc)
    after = [p for p in polls(log) if p[1] > published_at]
    # The poll in flight at the publication, or else the first one started after it.
    assert not after or started <= after[0][1], (alert_key, run_id, started, after[0])


TUNGSTEN = "<p>（一）1C917 仲钨酸铵（参考海关商品编号：2841801000）。</p>"
BISMUTH = "<p>（一）1C918 铋金属（参考海关商品编号：8106101000）。</p>"
BIS_TEXT = """DEPARTMENT OF COMMERCE

Bureau of Industry and Security

Additions to the Commerce Control List: Gallium Oxide Wafers

ACTION: Interim final rule.

SUMMARY: BIS adds ECCN 3C997 controlling gallium oxide wafers.

DATES: This rule is effective March 6, 2026.

[FR Doc. 2026-04502 Filed 3-5-26; 4:15 pm]
BILLING CODE 3510-33-P
"""


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[dict[str, Any]]:
    site = copy_site(tmp_path)
    rules = tmp_path / "no_rules.toml"
    rules.write_text("# announcement alerts only\n", encoding="utf-8")
    with SampleServer(root=site) as server, AlertReceiver() as receiver:
        db = tmp_path / "data" / "minwatch.duckdb"
        log = tmp_path / "watch.log"
        env = {
            **os.environ,
            "MINWATCH_ALERT_URLS": receiver.url("/minwatch"),
            "MINWATCH_WATCH_RULES": str(rules),
            "PREFECT_HOME": str(tmp_path / "prefect"),
        }
        env.pop("MINWATCH_CONFIG", None)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "minwatch.flows.cli",
                    "watch",
                    "--db",
                    str(db),
                    "--sample-server",
                    server.base_url,
                    "--interval",
                    str(INTERVAL_S),
                    "--lock-wait",
                    "1",
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                yield {
                    "site": site,
                    "server": server,
                    "receiver": receiver,
                    "db": db,
                    "log": log,
                    "proc": proc,
                    "rules": rules,
                }
            finally:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()


def test_alerts_within_a_poll_and_the_night_beside_the_watcher_raises_none_again(
    watched: dict[str, Any], prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, receiver, db, log, proc = (watched[k] for k in ("site", "receiver", "db", "log", "proc"))
    # The first poll loads what the lists show (a warehouse's first poll is its first load),
    # then polls find nothing.
    wait_for(lambda: [p for p in polls(log) if p[2] == "idle"], "idle poll", proc)
    first = announcement_keys(receiver)
    assert FILED_BIS_KEY in first and "announcement:MOFCOM 2025-58" in first
    assert set(first.values()) == {1}

    # A new MOFCOM announcement on the bureau's list.
    published_at = datetime.now(UTC)
    publish_mofcom(
        site,
        3,
        "0c1d2e3f4a5b4c6d8e9f0a1b2c3d4e01",
        "商务部公告2026年第3号 公布对仲钨酸铵实施出口管制的决定",
        TUNGSTEN,
    )
    wait_for(lambda: NEW_MOFCOM_KEY in announcement_keys(receiver), NEW_MOFCOM_KEY, proc)
    assert_raised_by_the_first_poll_after(log, db, NEW_MOFCOM_KEY, published_at, proc)

    # A new BIS rule filed on the public inspection desk, before its publication.
    filed_at = datetime.now(UTC)
    file_on_public_inspection(
        site, "2026-04502", "Additions to the Commerce Control List: Gallium Oxide Wafers", BIS_TEXT
    )
    wait_for(lambda: NEW_BIS_KEY in announcement_keys(receiver), NEW_BIS_KEY, proc)
    assert_raised_by_the_first_poll_after(log, db, NEW_BIS_KEY, filed_at, proc)
    bis = next(
        json.loads(r.body["message"])
        for r in receiver.accepted()
        if json.loads(r.body["message"])["alert_key"] == NEW_BIS_KEY
    )
    assert bis["pre_publication"] is True
    assert (bis["scheduled_publication_date"], bis["filing_type"]) == ("2026-03-06", "special")
    assert (bis["effective_on"], bis["control_codes"]) == ("2026-03-06", ["3C997"])

    # The night, beside the running watcher: the filed rule is published, and one more
    # announcement appears on the list while the two lanes run.
    publish_in_the_register(site)
    publish_mofcom(
        site,
        4,
        "0c1d2e3f4a5b4c6d8e9f0a1b2c3d4e02",
        "商务部公告2026年第4号 公布对铋金属实施出口管制的决定",
        BISMUTH,
    )
    monkeypatch.setenv("MINWATCH_ALERT_URLS", receiver.url("/minwatch"))
    monkeypatch.setenv("MINWATCH_WATCH_RULES", str(watched["rules"]))
    monkeypatch.delenv("MINWATCH_CONFIG", raising=False)
    from minwatch.flows.nightly import NightFailed, nightly

    no_delay = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
    sources = [
        {
            "name": name,
            "base_url": watched["server"].base_url,
            "spider_args": SAMPLE_SPIDER_ARGS.get(name, {}),
            "settings": no_delay,
        }
        for name in ("federal_register", "mofcom_zh", "mofcom_aqygzj", "mofcom_en")
    ]
    try:
        night = nightly(db=str(db), sources=sources, night="2026-03-06")
    except NightFailed as failed:
        night = failed.summary
    # The only errors are the sample's deliberately broken pages (a listed page missing, one
    # truncated): no crawl failed, nothing was locked out. (A source whose only page this
    # night is the truncated one counts as failed: the night's own rule.)
    errors = {(e.source, e.error) for o in night.outcomes for e in o.stats.errors}
    assert errors <= {
        ("mofcom_zh", "http_404"),
        ("mofcom_aqygzj", "truncated_html"),
        ("mofcom_en", "http_404"),
        ("federal_register", "http_404"),
    }, errors
    wait_for(lambda: LATER_MOFCOM_KEY in announcement_keys(receiver), LATER_MOFCOM_KEY, proc)
    # One more poll after the night: it finds everything known.
    count = len(polls(log))
    wait_for(lambda: len(polls(log)) > count + 1, "a poll after the night", proc)

    keys = announcement_keys(receiver)
    assert {NEW_MOFCOM_KEY, NEW_BIS_KEY, LATER_MOFCOM_KEY, FILED_BIS_KEY} <= set(keys)
    assert {k: n for k, n in keys.items() if n != 1} == {}  # exactly one alert each
    # Published with the dates and items it was filed with: no update alert.
    assert f"{FILED_BIS_KEY}:published" not in keys
    assert "published with changes" not in json.dumps([r.body for r in receiver.accepted()])

    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text
    assert {status for _, _, status in polls(log)} <= {"idle", "loaded", "skipped"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        document = con.execute(
            "SELECT source, version FROM document WHERE doc_id = 'fr:2026-04410'"
        ).fetchone()
        announcement = con.execute(
            "SELECT pre_publication, scheduled_publication_date, effective_on "
            "FROM announcement WHERE doc_id = 'fr:2026-04410'"
        ).fetchone()
        filed = con.execute(
            "SELECT pre_publication, scheduled_publication_date, filing_type "
            "FROM announcement WHERE doc_id = 'fr:2026-04502'"
        ).fetchone()
        modes = dict(con.execute("SELECT mode, count(*) FROM run GROUP BY mode").fetchall())
    finally:
        con.close()
    # The published version is version 2 of the document the desk landed.
    assert document == ("federal_register", 2)
    assert announcement == (None, None, date(2026, 3, 5))
    assert filed == (True, date(2026, 3, 6), "special")
    assert modes["nightly"] == 1 and modes["watch"] >= 3


# -- the lock the lanes share ----------------------------------------------------------------
def _hold(db: Path, role: str, seconds: float) -> subprocess.Popen[bytes]:
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from minwatch.flows.lock import exclusive_run\n"
        f"with exclusive_run(Path({str(db)!r}), role={role!r}):\n"
        "    print('held', flush=True)\n"
        f"    time.sleep({seconds})\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_poll_skips_its_turn_while_a_night_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "minwatch.duckdb"
    night = _hold(db, "run", 30)
    try:
        began = time.monotonic()
        with (
            pytest.raises(RunLocked, match=r"another minwatch run \(pid \d+\)"),
            exclusive_run(db, role="watch", wait_s=0.5),
        ):
            pass
        assert time.monotonic() - began >= 0.5  # it waited before giving up
    finally:
        night.kill()
        night.wait()


def test_a_night_waits_for_a_poll_instead_of_refusing(tmp_path: Path) -> None:
    db = tmp_path / "minwatch.duckdb"
    poll = _hold(db, "watch", 1.5)
    try:
        with exclusive_run(db):  # a run: waits for the watch poll to let go
            assert poll.poll() is not None  # the poll has finished
            assert (db.parent / "minwatch.duckdb.lock").read_text() == f"{os.getpid()} run"
    finally:
        poll.wait()
    # A run holding it is not waited for by another run.
    night = _hold(db, "run", 30)
    try:
        with pytest.raises(RunLocked, match="another minwatch run"), exclusive_run(db):
            pass
    finally:
        night.kill()
        night.wait()


def test_the_watcher_reports_a_locked_poll_in_its_log(
    tmp_path: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll that found something while a night holds the lock skips and says so."""
    from minwatch.flows.watch import watch_configs, watch_poll

    monkeypatch.delenv("MINWATCH_ALERT_URLS", raising=False)
    db = tmp_path / "data" / "minwatch.duckdb"
    with SampleServer() as server:
        sources = watch_configs(
            ["mofcom_en"],
            {"mofcom_en": server.base_url},
            SAMPLE_SPIDER_ARGS,
            {"DOWNLOAD_DELAY": "0"},
        )
        night = _hold(db, "run", 60)
        try:
            summary = watch_poll(db=str(db), sources=sources, lock_wait_s=0.5, send_alerts=False)
        finally:
            night.kill()
            night.wait()
        assert summary.status == "skipped"
        assert "skipped its turn after waiting 0.5 s" in summary.message
        assert "another minwatch run" in summary.message
        assert not db.exists()  # nothing written
        # The next poll, with the lock free, loads what the skipped one had found.
        summary = watch_poll(db=str(db), sources=sources, send_alerts=False)
    assert summary.status == "loaded"
    assert summary.sources[0].documents == 6  # the sample's English announcements, one missing


# -- the update alert of a published filing --------------------------------------------------
def _fr(version: str, fetched_at: datetime, source: str) -> DocumentRow:
    return DocumentRow(
        doc_id="fr:2026-04410",
        source=source,
        source_id="2026-04410",
        kind="export_control",
        url="https://www.federalregister.gov/d/2026-04410",
        title="Implementation of Controls on Tungsten Items",
        published_at=datetime(2026, 3, 5, tzinfo=UTC),
        language="en",
        fetched_at=fetched_at,
        text=f"Tungsten rule, {version}.",
        content_hash=f"hash-{version}",
    )


def _bis(effective_on: date, codes: tuple[str, ...], *, filed: bool) -> AnnouncementRow:
    return AnnouncementRow(
        doc_id="fr:2026-04410",
        announcement_key="BIS 2026-04410",
        authority="BIS",
        number="2026-04410",
        title="Implementation of Controls on Tungsten Items",
        language="en",
        issued_on=date(2026, 3, 5),
        effective_on=effective_on,
        control_codes=codes,
        items_json=json.dumps([{"code": c, "description": "", "hs_codes": []} for c in codes]),
        suspends=(),
        amends=(),
        suspended_until=None,
        pre_publication=True if filed else None,
        scheduled_publication_date=date(2026, 3, 5) if filed else None,
        filed_at=datetime(2026, 3, 4, 13, 45, tzinfo=UTC) if filed else None,
        filing_type="regular" if filed else None,
    )


@pytest.mark.parametrize(
    ("published", "update"),
    [
        ((date(2026, 3, 5), ("1C998", "1C999")), None),
        ((date(2026, 4, 6), ("1C998", "1C999")), {"effective_on"}),
        ((date(2026, 3, 5), ("1C998",)), {"control_codes"}),
    ],
)
def test_a_published_filing_alerts_again_only_when_dates_or_items_changed(
    tmp_path: Path, published: tuple[date, tuple[str, ...]], update: set[str] | None
) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        filed_at = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
        load_documents(
            con,
            "poll-1",
            [_fr("filed", filed_at, "federal_register_pi")],
            [],
            [_bis(date(2026, 3, 5), ("1C998", "1C999"), filed=True)],
        )
        assert evaluate_alerts(con, "poll-1") == [FILED_BIS_KEY]
        payload = json.loads(
            con.execute("SELECT CAST(payload AS VARCHAR) FROM alert").fetchone()[0]  # type: ignore[index]
        )
        assert (payload["pre_publication"], payload["scheduled_publication_date"]) == (
            True,
            "2026-03-05",
        )
        statuses = load_documents(
            con,
            "night-1",
            [_fr("published", datetime(2026, 3, 6, 2, 0, tzinfo=UTC), "federal_register")],
            [],
            [_bis(*published, filed=False)],
        )
        assert statuses == {"fr:2026-04410": "updated"}
        new = evaluate_alerts(con, "night-1")
        again = evaluate_alerts(con, "night-2")
        stored = json.loads(
            con.execute(
                "SELECT CAST(payload AS VARCHAR) FROM alert WHERE alert_key = ?", [FILED_BIS_KEY]
            ).fetchone()[0]  # type: ignore[index]
        )
        rows = con.execute(
            "SELECT alert_key, title, related_alert_key, CAST(payload AS VARCHAR) FROM alert "
            "WHERE alert_key LIKE '%:published'"
        ).fetchall()
    finally:
        con.close()
    assert again == []
    assert "pre_publication" not in stored  # the announcement alert now shows it published
    if update is None:
        assert new == [] and rows == []
        return
    assert new == [f"{FILED_BIS_KEY}:published"]
    ((key, title, related, body),) = rows
    assert key == f"{FILED_BIS_KEY}:published"
    assert related == FILED_BIS_KEY
    assert title.startswith(f"BIS 2026-04410 published with changes ({', '.join(sorted(update))})")
    changes = json.loads(body)["changes"]
    assert set(changes) == update
    if "effective_on" in update:
        assert changes["effective_on"] == {"filed": "2026-03-05", "published": "2026-04-06"}
    else:
        assert changes["control_codes"] == {
            "filed": ["1C998", "1C999"],
            "published": ["1C998"],
        }


def test_a_filing_seen_after_its_publication_never_replaces_the_published_version(
    tmp_path: Path,
) -> None:
    from minwatch.flows.watch import published_filter
    from minwatch.spiders.documents import read_landing, to_document
    from minwatch.spiders.items import RawDocument
    from minwatch.spiders.runner import run_crawl

    with SampleServer() as server:
        result = run_crawl(
            "federal_register_pi",
            landing_dir=tmp_path / "landing",
            run_id="poll-1",
            base_url=server.base_url,
            settings={"DOWNLOAD_DELAY": "0"},
            timeout_s=120,
        )
    filed = [
        to_document(r) for r in read_landing(result.landing_path) if isinstance(r, RawDocument)
    ]
    assert sorted(d.doc_id for d in filed) == ["fr:2026-04410", "fr:2026-04436"]
    db = tmp_path / "w.duckdb"
    con = connect(db)
    try:
        published = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
        load_documents(con, "night-1", [_fr("published", published, "federal_register")], [])
    finally:
        con.close()
    kept = published_filter(db)(filed)
    assert [d.doc_id for d in kept] == ["fr:2026-04436"]  # never published: still a filing


def test_the_update_alert_says_what_changed_in_text() -> None:
    from minwatch.flows.alerts import render_text
    from minwatch.warehouse.alerts import PendingAlert

    payload = {
        "kind": "export_control",
        "authority": "BIS",
        "number": "2026-04410",
        "title": "Tungsten items",
        "issued_on": "2026-03-05",
        "effective_on": "2026-04-06",
        "minerals": ["tungsten"],
        "control_codes": ["1C998"],
        "suspends": [],
        "amends": [],
        "related_alert_keys": [],
        "official_text": True,
        "links": [],
        "changes": {"effective_on": {"filed": "2026-03-05", "published": "2026-04-06"}},
    }
    text = render_text(PendingAlert("k", "export_control", "t", payload))
    assert "Changed on publication: effective_on 2026-03-05 -> 2026-04-06" in text
    filed = {**payload, "pre_publication": True, "scheduled_publication_date": "2026-03-05"}
    filed |= {"filing_type": "special", "changes": None}
    text = render_text(PendingAlert("k", "export_control", "t", filed))
    assert (
        "On public inspection, not yet published: scheduled for 2026-03-05 (special filing)."
        in text
    )
