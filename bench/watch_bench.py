"""The watcher's fast lane: what an idle poll costs, and what a poll finding one new announcement
costs, against a copy of the bundled sample site served over loopback.

One run of this script:

1. a first poll of an empty warehouse (the initial load; reported, not the point);
2. `--idle` idle polls of the bundled sample as it is: its deliberately broken pages (a listed
   MOFCOM page missing, a truncated republication) are asked for again by every poll, as the
   real lists' failed pages would be;
3. the same on a copy without those broken pages: the steady state of healthy lists;
4. polls that each find one new announcement: a new row on the Security and Control Bureau's
   list, then a new BIS rule on the public inspection desk; each time, from the publication
   to the webhook's receipt of the alert (a real receiver on loopback), the poll started right
   after publication: with the watcher's interval I, the worst case is I plus this.

Each poll is the real `watch_poll` Prefect flow in this process (Prefect's temporary server
started by a first no-op flow, as the long-lived `minwatch watch` has it). Costs per poll:
HTTP requests and response bytes (Scrapy's downloader stats, robots.txt included), CPU seconds
of the whole process tree: this process, its live children (the crawl fork server, Prefect's
server) read from /proc, and each crawl process's own CPU time (in its stats: the fork server
never waits for them). Wall seconds too. Medians over the idle polls.

    .venv/bin/python bench/watch_bench.py --out /tmp/watch_bench.json
    .venv/bin/python bench/watch_bench.py --idle 3                      # quicker

Figures are indicative on a shared machine: the table reports them as measured.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from minwatch.flows.settings import prepare_prefect_environment  # noqa: E402

prepare_prefect_environment()

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants_cpu_s() -> float:
    """CPU seconds (user + system) of this process's live descendants, from /proc."""
    tree = _children()
    total = 0.0
    stack = list(tree.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime are fields 14 and 15 of stat; [0] here is field 3.
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def _self_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(poll: Callable[[], Any]) -> dict[str, Any]:
    """Run one poll; its summary's costs plus CPU seconds of the whole tree and wall time."""
    cpu_before = _self_cpu_s() + _descendants_cpu_s()
    began = time.perf_counter()
    summary = poll()
    wall = time.perf_counter() - began
    cpu = _self_cpu_s() + _descendants_cpu_s() - cpu_before
    crawl_cpu = 0.0
    for source in summary.sources:
        stats_path = _stats_path(summary.poll_id, source.source)
        if stats_path is not None and stats_path.exists():
            crawl_cpu += float(json.loads(stats_path.read_text()).get("cpu_seconds", 0.0))
    return {
        "status": summary.status,
        "requests": summary.requests,
        "response_bytes": summary.response_bytes,
        "cpu_s": round(cpu + crawl_cpu, 3),
        "crawl_cpu_s": round(crawl_cpu, 3),
        "wall_s": round(wall, 3),
        "by_source": {
            s.source: {
                "requests": s.requests,
                "not_modified": s.not_modified,
                "bytes": s.response_bytes,
                "documents": s.documents,
                "failures": s.failures,
            }
            for s in summary.sources
        },
        "new_alerts": list(summary.new_alert_keys),
    }


_LANDING: Path | None = None


def _stats_path(poll_id: str, source: str) -> Path | None:
    return None if _LANDING is None else _LANDING / source / f"{poll_id}.stats.json"


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


@contextmanager
def _site(root: Path, clean: bool) -> Iterator[tuple[Any, Path]]:
    from minwatch.sample_sources.publishing import copy_site, without_broken_pages
    from minwatch.sample_sources.server import SampleServer

    site = copy_site(root)
    if clean:
        without_broken_pages(site)
    with SampleServer(root=site) as server:
        yield server, site


def run_site(work: Path, *, clean: bool, idle: int, receiver: Any, publish: bool) -> dict[str, Any]:
    global _LANDING
    from minwatch.flows.watch import watch_configs, watch_poll
    from minwatch.sample_sources.publishing import file_on_public_inspection, publish_mofcom
    from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS

    name = "clean" if clean else "bundled"
    root = work / name
    root.mkdir()
    db = root / "data" / "minwatch.duckdb"
    _LANDING = root / "data" / "landing"
    result: dict[str, Any] = {}
    with _site(root, clean) as (server, site):
        sources = watch_configs(
            None,
            {},
            SAMPLE_SPIDER_ARGS,
            {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"},
        )
        for source in sources:
            source["base_url"] = server.base_url

        def poll() -> Any:
            return watch_poll(db=str(db), sources=sources, landing_dir=str(_LANDING))

        result["first_poll"] = measure(poll)
        idle_runs = [measure(poll) for _ in range(idle)]
        result["idle_polls"] = idle_runs
        result["idle"] = {
            key: _median(idle_runs, key)
            for key in ("requests", "response_bytes", "cpu_s", "wall_s")
        }
        result["idle"]["statuses"] = sorted({r["status"] for r in idle_runs})
        if not publish:
            return result
        found: dict[str, Any] = {}
        for label, alert_key, action in (
            (
                "mofcom_list_row",
                "announcement:MOFCOM 2026-3",
                lambda: publish_mofcom(
                    site,
                    3,
                    "0c1d2e3f4a5b4c6d8e9f0a1b2c3d4e01",
                    "商务部公告2026年第3号 公布对仲钨酸铵实施出口管制的决定",
                    "<p>（一）1C917 仲钨酸铵（参考海关商品编号：2841801000）。</p>",
                ),
            ),
            (
                "public_inspection_rule",
                "announcement:BIS 2026-04502",
                lambda: file_on_public_inspection(
                    site,
                    "2026-04502",
                    "Additions to the Commerce Control List: Gallium Oxide Wafers",
                    "DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n"
                    "SUMMARY: BIS adds ECCN 3C997 controlling gallium oxide wafers.\n\n"
                    "DATES: This rule is effective March 6, 2026.\n",
                ),
            ),
        ):
            before = len(receiver.accepted())
            published = time.monotonic()
            action()
            run = measure(poll)
            received = [
                r
                for r in receiver.accepted()[before:]
                if json.loads(r.body["message"])["alert_key"] == alert_key
            ]
            run["alert_delivered"] = len(received)
            run["publication_to_webhook_s"] = round(
                (received[0].at if received else float("nan")) - published, 3
            )
            found[label] = run
        result["one_new_announcement"] = found
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, default=5, help="idle polls per site (default 5)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    from prefect import flow

    from tests.alert_receiver import AlertReceiver

    @flow
    def warm_up() -> None:
        return None

    with tempfile.TemporaryDirectory(prefix="watch-bench-") as tmp, AlertReceiver() as receiver:
        work = Path(tmp)
        rules = work / "no_rules.toml"
        rules.write_text("# announcement alerts only\n", encoding="utf-8")
        os.environ["MINWATCH_ALERT_URLS"] = receiver.url("/minwatch")
        os.environ["MINWATCH_WATCH_RULES"] = str(rules)
        os.environ.pop("MINWATCH_CONFIG", None)
        started = time.perf_counter()
        warm_up()
        prefect_start_s = time.perf_counter() - started
        bundled = run_site(work, clean=False, idle=args.idle, receiver=receiver, publish=True)
        clean = run_site(work, clean=True, idle=args.idle, receiver=receiver, publish=False)
    figures = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "prefect_start_s": round(prefect_start_s, 2),
        "bundled_sample": bundled,
        "clean_lists": clean,
    }
    print(f"Prefect temporary server start: {prefect_start_s:.1f} s (once per process)")
    print(f"{'poll':<44} {'requests':>8} {'bytes':>8} {'CPU s':>6} {'wall s':>6}")
    new = bundled["one_new_announcement"]
    rows = [
        ("first poll, empty warehouse (bundled)", bundled["first_poll"]),
        ("idle, bundled sample (median)", bundled["idle"]),
        ("idle, lists without broken pages (median)", clean["idle"]),
        ("one new MOFCOM list row", new["mofcom_list_row"]),
        ("one new BIS rule on public inspection", new["public_inspection_rule"]),
    ]
    for label, run in rows:
        print(
            f"{label:<44} {run['requests']:>8.0f} {run['response_bytes']:>8.0f} "
            f"{run['cpu_s']:>6.2f} {run['wall_s']:>6.2f}"
        )
    for label, run in bundled["one_new_announcement"].items():
        print(
            f"{label}: alert delivered {run['alert_delivered']}x, publication to webhook "
            f"{run['publication_to_webhook_s']:.2f} s (poll started at once)"
        )
    for name, site in (("bundled", bundled), ("clean", clean)):
        last = site["idle_polls"][-1]["by_source"]
        print(
            f"idle poll by source ({name}): "
            + "; ".join(
                f"{s}: {v['requests']} req ({v['not_modified']} 304), {v['bytes']} B"
                for s, v in last.items()
            )
        )
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
