"""The crawl fork server: every crawl a fresh process, with the caller's environment of the
moment, killed at its deadline, and a dead server replaced. Real crawls over loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders import runner
from minwatch.spiders.runner import run_crawl
from tests.crawl_helpers import FAST

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from pipeline_bench import children_by_parent  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer() as sample:
        yield sample


def _crawl_samples(server: SampleServer, landing: Path, run_id: str) -> None:
    """A crawl of the sample Atom feed that must land its seven articles."""
    result = run_crawl(
        "trade_atom",
        landing_dir=landing,
        run_id=run_id,
        base_url=server.base_url,
        settings=FAST,
        timeout_s=120,
    )
    assert result.error is None, result.error
    assert result.documents == 8


def test_each_crawl_sees_the_environment_of_its_call(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.start_crawl_server()  # started before the variable is set, as in a long-lived flow
    agents = []
    for night, contact in enumerate(("https://ops.example/a", "https://ops.example/b")):
        monkeypatch.setenv("MINWATCH_CONTACT_URL", contact)
        before = len(server.requests)
        _crawl_samples(server, tmp_path, f"night-{night}")
        agents.append({r.headers.get("User-Agent") for r in server.requests[before:]})
    project = version("minwatch")
    assert agents == [
        {f"minwatch/{project} (+https://ops.example/a)"},
        {f"minwatch/{project} (+https://ops.example/b)"},
    ]


def test_a_crawl_that_outlives_its_deadline_is_killed(tmp_path: Path) -> None:
    # A listener that accepts connections and never answers: the crawl hangs on robots.txt.
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        result = run_crawl(
            "trade_atom",
            landing_dir=tmp_path,
            run_id="hung",
            base_url=f"http://127.0.0.1:{port}",
            settings={**FAST, "DOWNLOAD_TIMEOUT": "600"},
            timeout_s=3,
        )
        waited = time.monotonic() - started
    finally:
        silent.close()
    assert result.error is not None
    assert result.error.startswith("crawl of trade_atom timed out after 3s")
    assert result.returncode == -9 and result.state_path is None
    assert waited < 60  # a safety net against a crawl that was never killed, not a timing
    crawl_server = runner._crawl_server()
    deadline = time.monotonic() + 10
    while children_by_parent().get(crawl_server.process.pid, []) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert children_by_parent().get(crawl_server.process.pid, []) == []


def test_a_crawl_that_cannot_run_reports_why(tmp_path: Path, server: SampleServer) -> None:
    result = run_crawl(
        "gdelt",
        landing_dir=tmp_path,
        run_id="bad-args",
        base_url=server.base_url,
        spider_args={"from_date": "the day before yesterday"},
        settings=FAST,
        timeout_s=120,
    )
    assert result.returncode == 2
    assert result.error is not None
    first_lines = result.error.splitlines()[:2]
    assert first_lines[0] == "crawl of gdelt exited with status 2"
    assert first_lines[1].startswith("error: crawl could not run")
    assert "the day before yesterday" in result.error


def test_a_dead_server_is_replaced(server: SampleServer, tmp_path: Path) -> None:
    first = runner._crawl_server()
    first.process.kill()
    first.process.wait(timeout=10)
    _crawl_samples(server, tmp_path, "after")
    assert runner._crawl_server().process.pid != first.process.pid


def test_a_script_without_a_main_guard_runs_once(server: SampleServer, tmp_path: Path) -> None:
    """A crawl process must not import the caller's `__main__` again (multiprocessing's fork
    server does): such a script would start its whole job once more in every crawl."""
    script = tmp_path / "nightly_job.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from pathlib import Path
            from minwatch.spiders.runner import run_crawl

            with open({str(tmp_path / "started.txt")!r}, "a") as started:
                started.write("started\\n")
            result = run_crawl("trade_atom", landing_dir=Path({str(tmp_path)!r}),
                               run_id="script", base_url=sys.argv[1],
                               settings={FAST!r}, timeout_s=120)
            print(result.documents, result.error)
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script), server.base_url],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["8", "None"]
    assert (tmp_path / "started.txt").read_text() == "started\n"


def test_a_wedged_server_is_replaced(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wedged = runner._crawl_server()
    os.kill(wedged.process.pid, signal.SIGSTOP)  # alive, but starts nothing
    monkeypatch.setattr(runner, "SERVER_START_TIMEOUT_S", 2)
    _crawl_samples(server, tmp_path, "after-wedge")
    assert wedged.process.returncode == -signal.SIGKILL  # killed when it was replaced
    assert runner._crawl_server() is not wedged
