"""Run a crawl in a subprocess (Twisted's reactor cannot restart within one process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.crawl import SECRET_ENV_VARS
from spiders.registry import resolve_spider
from spiders.state import CrawlState
from spiders.urls import redact_text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_TAIL_LINES = 20


@dataclass(frozen=True)
class CrawlResult:
    source: str
    landing_path: Path
    log_path: Path
    stats: dict[str, Any] = field(compare=False)
    documents: int
    failures: int
    returncode: int
    error: str | None  # why the crawl did not run to its end; None when it did
    # State for the next crawl (`CrawlState` JSON) when the crawl ran to its end, else None.
    state_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def run_crawl(
    source: str,
    *,
    landing_dir: Path,
    run_id: str,
    base_url: str | None = None,
    spider_args: Mapping[str, str] | None = None,
    timeout_s: float = 1800,
    settings: Mapping[str, str] | None = None,
    state: CrawlState | None = None,
) -> CrawlResult:
    """Crawl `source` into `landing_dir/<source>/<run_id>.jsonl` (log and stats beside it).

    `source` is a registered name or "package.module:ClassName". `settings` overrides Scrapy
    settings for this crawl only (e.g. DOWNLOAD_DELAY=0 against the loopback server).
    `state` is the incremental state from the last crawl (None: crawl everything); it goes to
    the spider as a file (it can be large), and the state for the next crawl comes back in
    `CrawlResult.state_path` (`<run_id>.state.json`).
    Never raises for a failed crawl: `CrawlResult.error` says why, with secrets redacted.
    """
    source_name = resolve_spider(source).source_name
    out_dir = Path(landing_dir) / source_name
    out_dir.mkdir(parents=True, exist_ok=True)
    landing_path = out_dir / f"{run_id}.jsonl"
    log_path = out_dir / f"{run_id}.log"
    stats_path = out_dir / f"{run_id}.stats.json"
    state_in_path = out_dir / f"{run_id}.state-in.json"
    state_out_path = out_dir / f"{run_id}.state.json"
    for stale in (landing_path, stats_path, state_in_path, state_out_path):
        stale.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "spiders.crawl",
        "--source",
        source,
        "--landing",
        str(landing_path),
        "--stats",
        str(stats_path),
        "--log",
        str(log_path),
        "--state-out",
        str(state_out_path),
    ]
    if state is not None:
        state.dump(state_in_path)
        command += ["--arg", f"state_path={state_in_path}"]
    if base_url:
        command += ["--base-url", base_url]
    for key, value in (spider_args or {}).items():
        command += ["--arg", f"{key}={value}"]
    for key, value in (settings or {}).items():
        command += ["--setting", f"{key}={value}"]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    secrets = [os.environ.get(name, "") for name in SECRET_ENV_VARS]

    error: str | None = None
    try:
        completed = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        returncode = completed.returncode
        stderr = completed.stderr
    except subprocess.TimeoutExpired as exc:
        returncode = -9
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        error = f"crawl of {source_name} timed out after {timeout_s:.0f}s"

    if returncode != 0 and error is None:
        error = f"crawl of {source_name} exited with status {returncode}"
    if error is not None:
        details = "\n".join(part for part in (stderr.strip(), _tail(log_path)) if part)
        error = redact_text(f"{error}\n{details}".strip(), secrets)

    stats: dict[str, Any] = {}
    if stats_path.exists():
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
    elif error is None:
        error = f"crawl of {source_name} wrote no stats at {stats_path}"
    return CrawlResult(
        source=source_name,
        landing_path=landing_path,
        log_path=log_path,
        stats=stats,
        documents=int(stats.get("documents", 0)),
        failures=int(stats.get("failures", 0)),
        returncode=returncode,
        error=error,
        state_path=state_out_path if error is None and state_out_path.exists() else None,
    )
