"""Run a crawl in a process of its own (Twisted's reactor cannot restart within one process).

Crawl processes are forked from a server process (`spiders.crawl_server`) that has imported
Scrapy, Twisted, the leaves and Scrapy's components (`spiders.preload`) but never started a
reactor: each crawl still gets a fresh process and a fresh reactor, without paying ~0.7 s of
imports. The server starts with the first crawl (or `start_crawl_server`) and exits with the
process that started it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import minwatch
from minwatch.spiders.crawl import SECRET_ENV_VARS
from minwatch.spiders.progress import parse_progress
from minwatch.spiders.registry import resolve_spider
from minwatch.spiders.state import CrawlState
from minwatch.spiders.urls import redact_text

# The folder holding the `minwatch` package (the checkout, or site-packages when installed):
# `-m` from there finds the same code as this process.
PROJECT_ROOT = Path(minwatch.__file__).resolve().parent.parent
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


class CrawlServerError(RuntimeError):
    """The crawl server could not start a crawl."""


class _CrawlServer:
    """The client of one `spiders.crawl_server` process."""

    def __init__(self) -> None:
        client_end, server_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with server_end:
            # `-m` from PROJECT_ROOT (see there).
            self.process = subprocess.Popen(
                [sys.executable, "-m", "minwatch.spiders.crawl_server", str(server_end.fileno())],
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                pass_fds=[server_end.fileno()],
            )
        self.control = client_end

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.control.close()  # the server exits when its control socket closes
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # wedged: its crawls are processes of their own
            self.process.kill()
            self.process.wait()

    def start(self, argv: Sequence[str], env: Mapping[str, str]) -> _Crawl:
        """Fork a crawl and return it once it runs."""
        status, status_for_crawl = socket.socketpair()
        output_read, output_write = os.pipe()
        request = {"argv": list(argv), "env": dict(env), "cwd": str(PROJECT_ROOT)}
        try:
            socket.send_fds(
                self.control,
                [json.dumps(request).encode()],
                [status_for_crawl.fileno(), output_write],
            )
        except OSError as exc:
            status.close()
            os.close(output_read)
            raise CrawlServerError(f"the crawl server is gone ({exc})") from exc
        finally:
            status_for_crawl.close()
            os.close(output_write)
        crawl = _Crawl(status, output_read)
        try:
            pid = crawl.status_value("pid", SERVER_START_TIMEOUT_S)
        except TimeoutError:
            pid = None
        if pid is None:
            crawl.close()
            raise CrawlServerError("the crawl server did not start the crawl")
        crawl.pid = pid
        return crawl


class _Crawl:
    """A running crawl process: its status lines (pid, then exit status) and its output."""

    def __init__(self, status: socket.socket, output: int) -> None:
        self.pid = 0
        self._status = status
        self._lines = status.makefile("rb")
        self.output = output

    def status_value(self, key: str, timeout_s: float) -> int | None:
        """N of the next status line if it is "KEY N"; None at the end of the status stream
        or for any other line. TimeoutError after `timeout_s` without a line."""
        self._status.settimeout(timeout_s)
        line = self._lines.readline().decode("ascii", "replace").split()
        if len(line) == 2 and line[0] == key and line[1].lstrip("-").isdigit():
            return int(line[1])
        return None

    def close(self) -> None:
        self._lines.close()
        self._status.close()
        os.close(self.output)


SERVER_START_TIMEOUT_S = 120  # its imports take ~1 s; a crowded machine can take far longer
_server: _CrawlServer | None = None
_server_lock = threading.Lock()


def _crawl_server(*, replacing: _CrawlServer | None = None) -> _CrawlServer:
    """The running crawl server, started if there is none or it died; `replacing` one that
    failed to start a crawl is replaced (once, whichever thread saw it fail first)."""
    global _server
    with _server_lock:
        if _server is not None and (_server is replacing or not _server.alive()):
            _server.close()
            _server = None
        if _server is None:
            _server = _CrawlServer()
            atexit.register(_server.close)
        return _server


def start_crawl_server() -> None:
    """Start the crawl server now, so that its imports overlap other work instead of delaying
    the first crawl."""
    _crawl_server()


def _run_crawl_process(
    argv: Sequence[str],
    env: Mapping[str, str],
    timeout_s: float,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[int, str, bool]:
    """Run one crawl process; return (exit status, its stdout + stderr, whether it timed out).

    Its output travels through a pipe, never a file: it can hold what a crash printed before
    redaction. Its progress lines (`spiders.progress`) go to `progress` as they arrive and are
    left out of the output. A server that died is started again once.
    """
    server = _crawl_server()
    try:
        crawl = server.start(argv, env)
    except CrawlServerError:
        crawl = _crawl_server(replacing=server).start(argv, env)
    chunks: list[bytes] = []

    def drain() -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(crawl.output, 65536):
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    record = parse_progress(line.decode("utf-8", "replace"))
                    if record is None:
                        chunks.append(line + b"\n")
                    elif progress is not None:
                        with contextlib.suppress(Exception):  # a report must not stop the drain
                            progress(record)
        chunks.append(pending)

    draining = threading.Thread(target=drain, name="crawl-output", daemon=True)
    draining.start()
    timed_out = False
    try:
        exit_status = crawl.status_value("exit", timeout_s)
    except TimeoutError:
        exit_status, timed_out = None, True
        with contextlib.suppress(ProcessLookupError):
            os.kill(crawl.pid, signal.SIGKILL)
    draining.join(timeout=10)
    crawl.close()
    if timed_out:
        returncode = -signal.SIGKILL
    elif exit_status is None:
        returncode = -1  # it ended without saying how: killed by a signal
    else:
        returncode = exit_status
    return returncode, b"".join(chunks).decode("utf-8", "replace"), timed_out


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
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> CrawlResult:
    """Crawl `source` into `landing_dir/<source>/<run_id>.jsonl` (log and stats beside it).

    `source` is a registered name or "package.module:ClassName". `settings` overrides Scrapy
    settings for this crawl only (e.g. DOWNLOAD_DELAY=0 against the loopback server).
    `state` is the incremental state from the last crawl (None: crawl everything); it goes to
    the spider as a file (it can be large), and the state for the next crawl comes back in
    `CrawlResult.state_path` (`<run_id>.state.json`).
    `progress` gets the crawl's progress records while it runs (`spiders.progress`).
    Never raises for a failed crawl: `CrawlResult.error` says why, with secrets redacted.
    """
    source_name = resolve_spider(source).source_name
    out_dir = Path(landing_dir).resolve() / source_name
    out_dir.mkdir(parents=True, exist_ok=True)
    landing_path = out_dir / f"{run_id}.jsonl"
    log_path = out_dir / f"{run_id}.log"
    stats_path = out_dir / f"{run_id}.stats.json"
    state_in_path = out_dir / f"{run_id}.state-in.json"
    state_out_path = out_dir / f"{run_id}.state.json"
    for stale in (landing_path, stats_path, state_in_path, state_out_path):
        stale.unlink(missing_ok=True)
    argv = [
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
        argv += ["--arg", f"state_path={state_in_path}"]
    if base_url:
        argv += ["--base-url", base_url]
    for key, value in (spider_args or {}).items():
        argv += ["--arg", f"{key}={value}"]
    for key, value in (settings or {}).items():
        argv += ["--setting", f"{key}={value}"]
    secrets = [os.environ.get(name, "") for name in SECRET_ENV_VARS]

    error: str | None = None
    try:
        returncode, stderr, timed_out = _run_crawl_process(argv, os.environ, timeout_s, progress)
    except CrawlServerError as exc:
        returncode, stderr, timed_out = -1, "", False
        error = f"crawl of {source_name} could not start: {exc}"
    if timed_out:
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
