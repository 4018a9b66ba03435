"""Test-wide setup: offline Prefect settings before anything imports prefect."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from minwatch.flows.settings import prepare_prefect_environment

prepare_prefect_environment()

# The PostgreSQL server and DuckLake warehouses of the DuckLake tests.
pytest_plugins = ("tests.postgres_server",)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session (it takes ~10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def sam_api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A sentinel key: tests grep logs, landing files and the warehouse for it."""
    key = "SENTINEL-KEY-5f1c9d2e7a"
    monkeypatch.setenv("SAM_GOV_API_KEY", key)
    return key


def pytest_report_header() -> str:
    return f"minwatch tests; shared eval set: {'present' if SHARED.is_dir() else 'absent'}" + (
        f"; PREFECT_HOME={os.environ.get('PREFECT_HOME', 'default')}"
    )
