"""Every command the README documents exists: its `--help` answers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTED = sorted(
    set(re.findall(r"^\| `minwatch ([a-z]+)\b", (REPO / "README.md").read_text(), re.M))
)


def test_the_readme_documents_the_commands() -> None:
    assert {
        "run",
        "sql",
        "alerts",
        "sources",
        "report",
        "reprocess",
        "extract",
        "serve",
        "config",
    } <= set(DOCUMENTED)


@pytest.mark.parametrize("command", DOCUMENTED)
def test_each_documented_command_answers_help(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", command, "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: minwatch {command}")
