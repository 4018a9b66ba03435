"""`minwatch sql` as an interactive shell, driven through a real pseudo-terminal.

Each test starts `python -m minwatch.flows.sql` on the slave side of a pty (so GNU readline
edits the line, as in a terminal), types keys, and checks what the user sees on the screen and
what the history file holds afterwards.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_sql_sandbox import Warehouse, wh  # noqa: F401 (a fixture)

REPO = Path(__file__).resolve().parents[1]
PROMPT = "minwatch> "
UP = "\x1b[A"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


class Terminal:
    """A child process on a pseudo-terminal: type into it, read its screen as text."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            os.chdir(REPO)
            os.execve(argv[0], argv, env)
        self.screen = ""
        self.seen = 0

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the child left: EIO on Linux
                data = b""
            if not data:
                raise EOFError
            self.screen += ANSI.sub("", data.decode("utf-8", "replace")).replace("\r", "")

    def expect(self, pattern: str, timeout: float = 60) -> str:
        """Wait until `pattern` (a regex) shows after what was already matched; the new text."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.compile(pattern).search(self.screen, self.seen)
            if found:
                text = self.screen[self.seen : found.end()]
                self.seen = found.end()
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not seen in:\n{self.screen[self.seen :]}")
            try:
                self._read(0.2)
            except EOFError:
                raise AssertionError(
                    f"the shell left before {pattern!r}:\n{self.screen[self.seen :]}"
                ) from None

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with_status = os.waitpid(self.pid, os.WNOHANG)
            if with_status[0]:
                return os.waitstatus_to_exitcode(with_status[1])
            with contextlib.suppress(EOFError):
                self._read(0.1)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the shell did not exit:\n{self.screen[self.seen :]}")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return tmp_path / "state" / "sql_history"


@pytest.fixture
def shell(wh: Warehouse, history: Path) -> Iterator[Terminal]:  # noqa: F811
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "HOME": str(history.parent.parent),
        "TERM": "xterm",
        "COLUMNS": "100",
        "LINES": "40",
        "MINWATCH_SQL_HISTORY": str(history),
        "SAM_GOV_API_KEY": "SAM-KEY-shell-test-4f2a",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    terminal = Terminal([sys.executable, "-m", "minwatch.flows.sql", "--db", str(wh.db)], env)
    terminal.expect(PROMPT)
    yield terminal
    try:
        os.kill(terminal.pid, signal.SIGKILL)
        os.waitpid(terminal.pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    os.close(terminal.fd)


def test_up_arrow_recalls_the_last_statement_and_history_is_kept_private(
    shell: Terminal, history: Path
) -> None:
    shell.type("SELECT 40 + 2 AS answer;\r")
    assert "│     42 │" in shell.expect(PROMPT)
    shell.type("SELECT 'api_key=SAM-KEY-shell-test-4f2a' AS leaked;\r")
    shell.expect(PROMPT)
    # Up twice passes over the line naming a key (never recorded) to the first statement.
    shell.type(UP + "\r")
    assert "│     42 │" in shell.expect(PROMPT)
    assert "^[[A" not in shell.screen
    shell.type("\x04")  # Ctrl-D
    assert shell.wait() == 0
    assert history.read_text().splitlines() == ["SELECT 40 + 2 AS answer;"]
    assert history.stat().st_mode & 0o777 == 0o600


def test_line_editing_moves_the_cursor(shell: Terminal) -> None:
    # Type "SELECT 1 AS x;", go left past ";", type "0": the line is "SELECT 1 AS x0;".
    shell.type("SELECT 1 AS x;\x1b[D0\r")
    assert "x0" in shell.expect(PROMPT)


def test_dot_commands(shell: Terminal) -> None:
    shell.type(".tables\r")
    tables = shell.expect(PROMPT)
    assert "procurements" in tables and "deals" in tables and "suppliers" in tables
    shell.type(".schema procurements\r")
    schema = shell.expect(PROMPT)
    assert "CREATE VIEW procurements (" in schema
    assert "  suppliers VARCHAR[]," in schema
    shell.type(".help\r")
    assert ".maxwidth" in shell.expect(PROMPT)
    # An unknown command is one line, and the next statement runs.
    shell.type(".frobnicate\r")
    assert "minwatch sql: .frobnicate is not a command here" in shell.expect(PROMPT)
    shell.type("SELECT 'after' AS next;\r")
    assert "│ after   │" in shell.expect(PROMPT)
    shell.type(".mode csv\r")
    shell.expect(PROMPT)
    shell.type("SELECT mineral, suppliers FROM procurements ORDER BY mineral;\r")
    rows = shell.expect(PROMPT).splitlines()[1:-1]
    assert list(csv.reader(rows)) == [
        ["mineral", "suppliers"],
        ["antimony", '["RIO TINTO SERVICES INC."]'],
        ["gallium", '["A CORP", "B LTD"]'],
    ]
    shell.type(".mode markdown\r")
    shell.expect(PROMPT)
    shell.type("SELECT 'a|b' AS t;\r")
    assert "| t |\n|---|\n| a\\|b |" in shell.expect(PROMPT)
    shell.type(".mode json\r")
    shell.expect(PROMPT)
    # A statement over several lines.
    shell.type("SELECT\r")
    shell.expect(r"\.\.\.> ")
    shell.type("  1 AS one;\r")
    assert json.loads(shell.expect(PROMPT).splitlines()[1]) == {"one": 1}
    shell.type(".quit\r")
    assert shell.wait() == 0


def test_ctrl_c_cancels_the_running_statement_and_the_shell_stays(shell: Terminal) -> None:
    shell.type("SELECT sum(hash(range)) AS n FROM range(50000000000);\r")
    time.sleep(1.5)
    shell.type("\x03")
    cancelled = shell.expect(PROMPT, timeout=60)
    assert "interrupted: the statement was cancelled" in cancelled
    assert "Traceback" not in cancelled
    # Ctrl-C on a half-typed statement drops it.
    shell.type("SELECT 'half\r")
    shell.expect(r"\.\.\.> ")
    # As a person types: a SIGINT between readline writing its prompt and waiting for a key is
    # seen only at the next key (CPython's readline module checks signals when select() is
    # interrupted), a window no hand can hit.
    time.sleep(0.5)
    shell.type("\x03")
    shell.expect(PROMPT)
    shell.type("SELECT 7 AS still_here;\r")
    assert "│          7 │" in shell.expect(PROMPT)
    shell.type("\x04")
    assert shell.wait() == 0
    assert "Traceback" not in shell.screen


def test_wide_tables_show_every_column_on_request(shell: Terminal) -> None:
    query = "SELECT " + ", ".join(f"'value {i}' AS column_{i}" for i in range(12)) + ";\r"
    shell.type(query)
    narrow = shell.expect(PROMPT)
    table = narrow[narrow.index("┌") :]
    assert "column_0" in table and "column_11" in table and "│ … │" in table
    assert "column_5" not in table  # DuckDB leaves out the middle columns
    assert "columns left out to fit 100 characters; .maxwidth 0 shows them all" in narrow
    shell.type(".maxwidth 0\r")
    shell.expect(PROMPT)
    shell.type(query)
    wide = shell.expect(PROMPT)
    assert all(f"column_{i}" in wide[wide.index("┌") :] for i in range(12))
    assert "left out" not in wide


def test_csv_from_stdin_writes_lists_as_json(wh: Warehouse) -> None:  # noqa: F811
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.sql", "--db", str(wh.db), "--format", "csv"],
        input=".bogus\nSELECT suppliers FROM procurements ORDER BY mineral;\n",
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "MINWATCH_SQL_HISTORY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "minwatch sql: .bogus is not a command here; .help lists them"
    body = done.stdout[done.stdout.index("suppliers") :].removesuffix(PROMPT + "\n")
    assert list(csv.reader(io.StringIO(body))) == [
        ["suppliers"],
        ['["RIO TINTO SERVICES INC."]'],
        ['["A CORP", "B LTD"]'],
    ]


def test_a_narrow_table_says_how_to_see_every_column(
    capsys: pytest.CaptureFixture[str],
    wh: Warehouse,  # noqa: F811
) -> None:
    from minwatch.flows.sql import main

    query = "SELECT " + ", ".join(f"'value {i}' AS column_{i}" for i in range(12))
    assert main(["--db", str(wh.db), query, "--max-width", "80"]) == 0
    out, err = capsys.readouterr()
    assert "column_0" in out and "column_5" not in out
    assert err.strip().endswith(
        "columns left out to fit 80 characters; --max-width 0 shows them all"
    )
    # Off a terminal, and with --max-width 0, every column.
    for args in ([], ["--max-width", "0"]):
        assert main(["--db", str(wh.db), query, *args]) == 0
        out, err = capsys.readouterr()
        assert all(f"column_{i}" in out for i in range(12)) and err == ""


def test_markdown_and_line_formats(
    capsys: pytest.CaptureFixture[str],
    wh: Warehouse,  # noqa: F811
) -> None:
    from minwatch.flows.sql import main

    query = "SELECT mineral, suppliers FROM procurements ORDER BY mineral"
    assert main(["--db", str(wh.db), query, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "| mineral | suppliers |",
        "|---|---|",
        '| antimony | ["RIO TINTO SERVICES INC."] |',
        '| gallium | ["A CORP", "B LTD"] |',
    ]
    assert main(["--db", str(wh.db), query, "--format", "line"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "  mineral = antimony",
        'suppliers = ["RIO TINTO SERVICES INC."]',
        "",
        "  mineral = gallium",
        'suppliers = ["A CORP", "B LTD"]',
    ]
