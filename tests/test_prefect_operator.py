"""Prefect as an operator meets it: `minwatch serve` needs a server and says so, the run
summary is an artifact on the flow run, the log holds a line per source (not per task), a long
crawl reports progress, and `prefect.yaml` deploys. Real flow runs on the session's temporary
Prefect server; the served deployment and `prefect deploy` talk to it over HTTP."""

from __future__ import annotations

import inspect
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS

REPO = Path(__file__).resolve().parents[1]
NO_DELAY = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A user's environment with a Prefect home of its own (no profile names a server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("MINWATCH_CONFIG", None)
    return env | {"PREFECT_HOME": str(tmp_path / "prefect-home")} | extra


def _minwatch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [["serve"], ["watch", "--serve"]])
def test_serve_without_a_prefect_server_refuses_in_one_sentence(
    tmp_path: Path, command: list[str]
) -> None:
    db = str(tmp_path / "minwatch.duckdb")
    done = _minwatch(_env(tmp_path), *command, "--db", db)
    assert done.returncode == 69
    (line,) = done.stderr.strip().splitlines()
    assert "PREFECT_API_URL is not set" in line
    assert "`prefect server start`" in line and "export PREFECT_API_URL=" in line
    assert "being served" not in done.stdout + done.stderr


def test_serve_with_an_unreachable_server_refuses(tmp_path: Path) -> None:
    with SampleServer() as server:  # a free loopback port that is then closed again
        port = server.base_url.rsplit(":", 1)[1].strip("/")
    url = f"http://127.0.0.1:{port}/api"
    done = _minwatch(_env(tmp_path, PREFECT_API_URL=url), "serve", "--db", "x.duckdb")
    assert done.returncode == 69
    (line,) = done.stderr.strip().splitlines()
    assert f"no Prefect server answers at PREFECT_API_URL={url}" in line
    assert "`prefect server start`" in line
    assert "being served" not in done.stdout + done.stderr


def _api_url() -> str:
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    assert url
    return url


def test_serve_registers_the_nightly_deployment_with_its_sources(
    prefect_harness: None, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    db = tmp_path / "warehouse" / "minwatch.duckdb"
    env = _env(tmp_path, PREFECT_API_URL=_api_url())
    served = subprocess.Popen(
        [sys.executable, "-m", "minwatch.flows.cli", "serve", "--db", str(db),
         "--source", "trade_atom", "--source", "gdelt", "--cron", "30 3 * * *"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deployment = None
        deadline = time.monotonic() + 120
        with get_client(sync_client=True) as client:
            while deployment is None and time.monotonic() < deadline:
                assert served.poll() is None, served.stdout.read() if served.stdout else ""
                try:
                    deployment = client.read_deployment_by_name("nightly/minwatch-nightly")
                except Exception:
                    time.sleep(0.5)
        assert deployment is not None, "the deployment never appeared"
        assert [s["name"] for s in deployment.parameters["sources"]] == ["trade_atom", "gdelt"]
        assert deployment.parameters["db"] == str(db.resolve())
        assert deployment.parameters["landing_dir"] == str((db.parent / "landing").resolve())
        (schedule,) = deployment.schedules
        assert schedule.schedule.cron == "30 3 * * *"  # type: ignore[union-attr]
    finally:
        served.terminate()
        served.wait(timeout=30)


def test_serve_refuses_an_unknown_source(prefect_harness: None, tmp_path: Path) -> None:
    env = _env(tmp_path, PREFECT_API_URL=_api_url())
    done = _minwatch(env, "serve", "--db", str(tmp_path / "m.duckdb"), "--source", "nosuch")
    assert done.returncode == 2
    assert "--source nosuch" in done.stderr


@pytest.fixture(scope="module")
def night(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One real night of two sources; trade_atom crawled slowly enough to report progress."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )

    from minwatch.flows.nightly import nightly

    db = tmp_path_factory.mktemp("operator") / "minwatch.duckdb"
    slow = {
        "DOWNLOAD_DELAY": "0.4",
        "RANDOMIZE_DOWNLOAD_DELAY": "False",
        "AUTOTHROTTLE_ENABLED": "False",
        "MINWATCH_PROGRESS_INTERVAL_S": "0.5",
    }
    with SampleServer() as server:
        sources = [
            {"name": "trade_atom", "base_url": server.base_url, "settings": slow},
            {
                "name": "mining_com",
                "base_url": server.base_url,
                "spider_args": SAMPLE_SPIDER_ARGS.get("mining_com", {}),
                "settings": NO_DELAY,
            },
        ]
        state = nightly(
            db=str(db), sources=sources, night="2026-11-27", send_alerts=False, return_state=True
        )
    summary = state.result()
    flow_run_id = state.state_details.flow_run_id
    assert flow_run_id is not None
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
        logs: list[Any] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])),
                limit=200,
            )
            if any(log.task_run_id is None and "Finished in" in log.message for log in logs):
                break
            time.sleep(0.5)
    yield {
        "summary": summary,
        "artifacts": artifacts,
        "logs": [log.message for log in logs],
        # (level, message) of what the tasks logged
        "task_logs": [(log.level, log.message) for log in logs if log.task_run_id is not None],
        "flow_logs": [log.message for log in logs if log.task_run_id is None],
    }


def test_the_run_summary_is_a_markdown_artifact_on_the_flow_run(night: dict[str, Any]) -> None:
    (artifact,) = night["artifacts"]
    assert artifact.type == "markdown"
    assert artifact.key == "minwatch-run-summary"
    text = artifact.data
    summary = night["summary"]
    assert text.startswith(f"# minwatch nightly run {summary.run_id}: PARTIAL")
    rows = {
        cells[0]: cells[1:]
        for line in text.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split("|")])
    }
    assert rows["source"] == [
        "status", "documents", "new", "updated", "unchanged", "errors", "extracted",
    ]  # fmt: skip
    assert rows["trade_atom"] == ["ok", "8", "8", "0", "0", "0", "8"]
    assert rows["mining_com"] == ["**partial**", "11", "11", "0", "0", "1", "11"]
    assert "## Errors (1;" in text and "mining_com: http_404" in text
    assert "## What to do next" in text


def test_the_log_has_a_line_per_source_and_no_task_chatter(night: dict[str, Any]) -> None:
    logs = night["logs"]
    assert [m for m in night["flow_logs"] if m.startswith("Finished in state")] == [
        "Finished in state Completed()"
    ]
    # Tasks ran (the progress lines are theirs) but said nothing of their states at INFO; a
    # task that fails is still logged (ERROR).
    task_info = [m for level, m in night["task_logs"] if level < logging.WARNING]
    assert task_info
    assert not [m for m in task_info if not m.startswith("trade_atom: crawling for")], task_info
    per_source = [m for m in logs if m.startswith(("trade_atom: ok", "mining_com: partial"))]
    assert per_source == [
        "trade_atom: ok, 8 documents (8 new, 0 updated, 0 unchanged), 0 errors, 8 extracted",
        "mining_com: partial, 11 documents (11 new, 0 updated, 0 unchanged), 1 errors, "
        "11 extracted",
    ]


def test_a_slow_crawl_reports_its_progress(night: dict[str, Any]) -> None:
    progress = [m for m in night["logs"] if m.startswith("trade_atom: crawling for")]
    assert len(progress) >= 2, night["logs"]
    fetched = [int(m.split(": ")[2].split()[0]) for m in progress]
    assert fetched == sorted(fetched) and fetched[-1] > fetched[0]
    assert fetched[-1] <= 9  # robots.txt, the feed and its 7 articles
    # the fast crawl ended before its first report
    assert not [m for m in night["logs"] if m.startswith("mining_com: crawling")]


# -- prefect.yaml ---------------------------------------------------------------------------
PREFECT_YAML = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def _entrypoint(entry: str) -> Any:
    """The flow a deployment runs: Prefect loads the entrypoint's file from the checkout."""
    from prefect.flows import load_flow_from_entrypoint

    path, name = entry.split(":")
    return load_flow_from_entrypoint(f"{REPO / path}:{name}")


def test_prefect_yaml_names_flows_that_exist_with_their_parameters() -> None:
    deployments = {d["name"]: d for d in PREFECT_YAML["deployments"]}
    assert set(deployments) == {"minwatch-nightly", "minwatch-watch"}
    for deployment in deployments.values():
        flow = _entrypoint(deployment["entrypoint"])
        assert flow.name == deployment["flow_name"]
        parameters = inspect.signature(flow.fn).parameters
        assert set(deployment["parameters"]) <= set(parameters)
        required = {n for n, p in parameters.items() if p.default is inspect.Parameter.empty}
        assert required <= set(deployment["parameters"])
    (nightly,) = deployments["minwatch-nightly"]["schedules"]
    (watch,) = deployments["minwatch-watch"]["schedules"]
    assert nightly == {"cron": "0 2 * * *", "timezone": "UTC"}
    assert watch == {"interval": 600}


def test_prefect_deploy_registers_both_deployments(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name="minwatch", type="process"))
        except Exception as exc:  # an earlier test of the session made it
            if "already exists" not in str(exc).lower():
                raise
    env = _env(tmp_path, PREFECT_API_URL=_api_url(), MINWATCH_HOME=str(REPO))
    done = subprocess.run(
        [str(Path(sys.executable).parent / "prefect"), "--no-prompt", "deploy", "--all"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with get_client(sync_client=True) as client:
        nightly = client.read_deployment_by_name("nightly/minwatch-nightly")
        watch = client.read_deployment_by_name("watch/minwatch-watch")
    assert nightly.entrypoint == "flows/nightly.py:nightly"
    assert nightly.parameters == {"db": "data/minwatch.duckdb"}
    assert nightly.schedules[0].schedule.cron == "0 2 * * *"  # type: ignore[union-attr]
    assert watch.schedules[0].schedule.interval.total_seconds() == 600  # type: ignore[union-attr]
    assert nightly.pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
    ]
