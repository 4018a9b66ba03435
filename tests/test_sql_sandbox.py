"""`minwatch sql` on a real warehouse: reads work, and nothing else leaves or enters the sandbox.

Each test runs the command as a user does (`flows.sql.main`, the `minwatch sql` arguments), a
few as a separate process, and checks what the user would see: the exit status, one line on
stderr and no traceback, the files on disk (never written, or byte for byte unchanged).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from minwatch import warehouse
from minwatch.flows.lock import lock_path_for
from minwatch.flows.sql import EXIT_REFUSED, EXIT_USAGE, main
from minwatch.warehouse.snapshot import prepare_work_file

REPO = Path(__file__).resolve().parents[1]
RUN_ID = "20261127T020000Z-5a4db0"
SECRET = "SANDBOX-SENTINEL-7c41e9"


@dataclass(frozen=True)
class Warehouse:
    db: Path
    work: Path
    lock: Path
    landing_file: Path

    def files(self) -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in (self.db, self.work, self.lock, self.landing_file)}


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A published warehouse with one run, one DLA notice and its two procurement lines, the
    runs' working file beside it, a lock file and a landed file."""
    data = tmp_path_factory.mktemp("sandbox") / "data"
    db = data / "minwatch.duckdb"
    con = warehouse.connect(db)
    try:
        warehouse.start_run(
            con, RUN_ID, mode="nightly", started_at=datetime(2026, 11, 27, 2, tzinfo=UTC)
        )
        warehouse.finish_run(
            con, RUN_ID, status="ok", finished_at=datetime(2026, 11, 27, 3, tzinfo=UTC)
        )
        con.execute(
            """
            INSERT INTO document VALUES (
                'sam_gov:SP8000-26-R-0001', 'sam_gov', 'SP8000-26-R-0001', 'procurement',
                'https://sam.gov/opp/1', 'Antimony and gallium for the stockpile',
                '2026-11-20 00:00:00+00', 'en', '2026-11-27 02:00:00+00',
                '2026-11-27 02:00:00+00', '2026-11-27 02:00:00+00',
                'DLA Strategic Materials intends to buy antimony.', 'h1', 1, $run, $run, $run)
            """,
            {"run": RUN_ID},
        )
        con.execute(
            """
            INSERT INTO procurement_line VALUES
                ('sam_gov:SP8000-26-R-0001', 1, 'antimony', 1500000.0, false, 20.0,
                 ['RIO TINTO SERVICES INC.'], 'test'),
                ('sam_gov:SP8000-26-R-0001', 2, 'gallium', NULL, false, NULL,
                 ['A CORP', 'B LTD'], 'test')
            """
        )
    finally:
        con.close()
    work = prepare_work_file(db)
    lock = lock_path_for(db)
    lock.write_text("4242")
    landing_file = data / "landing" / "sam_gov" / f"{RUN_ID}.jsonl"
    landing_file.parent.mkdir(parents=True)
    landing_file.write_text('{"source": "sam_gov"}\n')
    return Warehouse(db=db, work=work, lock=lock, landing_file=landing_file)


def sql(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, *args: str | Path
) -> tuple[int, str, str]:
    code = main(["--db", str(wh.db), *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str) -> None:
    """Refused with one sentence on stderr, no traceback."""
    assert code == EXIT_REFUSED, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("minwatch sql: refused"), err
    assert "Traceback" not in err


# Reading the warehouse


def test_a_view_answers_as_before(capsys: pytest.CaptureFixture[str], wh: Warehouse) -> None:
    code, out, err = sql(
        capsys, wh, "SELECT mineral, buyer, posted_date FROM procurements ORDER BY mineral"
    )
    assert code == 0, err
    assert "antimony" in out and "gallium" in out and "2026-11-20" in out
    code, out, err = sql(capsys, wh, "SELECT run_id, status FROM runs", "--format", "json")
    assert code == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [{"run_id": RUN_ID, "status": "ok"}]


def test_csv_prints_lists_as_json_arrays(capsys: pytest.CaptureFixture[str], wh: Warehouse) -> None:
    code, out, err = sql(
        capsys,
        wh,
        "SELECT mineral, usd, suppliers FROM procurements ORDER BY mineral",
        "--format",
        "csv",
    )
    assert code == 0, err
    assert list(csv.DictReader(io.StringIO(out))) == [
        {"mineral": "antimony", "usd": "1500000.0", "suppliers": '["RIO TINTO SERVICES INC."]'},
        {"mineral": "gallium", "usd": "", "suppliers": '["A CORP", "B LTD"]'},
    ]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_csv_on_a_terminal_shows_control_characters_escaped(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crawled text could carry terminal escapes (retitle the window, write the clipboard)."""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    code = main(
        [
            "--db",
            str(wh.db),
            "SELECT 'before' || chr(27) || ']52;c;ZXZpbA==' || chr(7) || 'after' AS text",
            "--format",
            "csv",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert terminal.getvalue().splitlines() == ["text", "before\\x1b]52;c;ZXZpbA==\\x07after"]


def test_temporary_tables_and_macros_work_in_the_session(
    capsys: pytest.CaptureFixture[str], wh: Warehouse
) -> None:
    code, out, err = sql(
        capsys,
        wh,
        "CREATE TEMP MACRO twice(x) AS x * 2; "
        "CREATE TEMP TABLE t AS SELECT twice(count(*)) AS n FROM documents; SELECT n FROM t",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out) == {"n": 2}


# Files


def test_copy_to_a_file_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    for query in (
        f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'",
        f"COPY procurement_line TO '{tmp_path / 'x.parquet'}' (FORMAT parquet)",
        f"EXPORT DATABASE '{tmp_path / 'export'}'",
        # The refused statement stops the whole input: the SELECT before it does not run.
        f"SELECT 'ran' AS first; COPY (SELECT 1) TO '{tmp_path / 'y.csv'}'",
        # Past the statement check (the statement is a PREPARE), DuckDB itself refuses.
        f"PREPARE p AS COPY (SELECT 1) TO '{tmp_path / 'z.csv'}'; EXECUTE p",
    ):
        code, out, err = sql(capsys, wh, query)
        assert_refused(code, err)
        assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_copy_over_the_warehouse_files_is_refused_and_they_stay_byte_identical(
    capsys: pytest.CaptureFixture[str], wh: Warehouse
) -> None:
    before = wh.files()
    for target in (wh.work, wh.db, wh.lock, wh.landing_file, Path(f"{wh.work}.wal")):
        code, _, err = sql(capsys, wh, f"COPY (SELECT 'x' AS junk) TO '{target}' (HEADER false)")
        assert_refused(code, err)
    assert wh.files() == before
    assert not Path(f"{wh.work}.wal").exists()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_blob('/proc/self/environ')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('/etc/passwd', header = false)",
        "SELECT * FROM read_json('/etc/passwd')",
        "SELECT * FROM parquet_scan('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT * FROM read_csv('https://example.com/data.csv')",
        "CREATE TEMP TABLE t (line VARCHAR); COPY t FROM '/etc/passwd'",
        "CREATE TEMP VIEW v AS SELECT * FROM read_text('/etc/passwd'); SELECT * FROM v",
        "PREPARE p AS SELECT * FROM read_text($1); EXECUTE p('/etc/passwd')",
    ],
)
def test_reading_other_files_is_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, query: str
) -> None:
    code, out, err = sql(capsys, wh, query)
    assert_refused(code, err)
    assert out == ""
    assert "root:" not in err


def test_reading_the_work_file_or_the_landing_zone_is_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse
) -> None:
    for path in (wh.work, wh.landing_file, wh.lock):
        code, out, err = sql(capsys, wh, f"SELECT * FROM read_text('{path}')")
        assert_refused(code, err)
        assert out == ""


def test_nothing_of_the_environment_or_passwd_reaches_the_user(wh: Warehouse) -> None:
    """As a separate process whose environment holds a secret: none of it is printed."""
    for query in (
        "SELECT content FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_csv('/etc/passwd', header = false)",
    ):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "minwatch.flows.sql",
                "--db",
                str(wh.db),
                query,
                "--format",
                "csv",
            ],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "MINWATCH_TEST_SECRET": SECRET},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert_refused(done.returncode, done.stderr)
        assert done.stdout == ""
        assert SECRET not in done.stderr and "root:x:" not in done.stderr


# Extensions, settings, other databases, writes


@pytest.mark.parametrize(
    "query",
    [
        "INSTALL httpfs",
        "FORCE INSTALL httpfs",
        "LOAD httpfs",
        "LOAD '/tmp/evil.duckdb_extension'",
        "UPDATE EXTENSIONS",
        "SET enable_external_access = true",
        "SET GLOBAL enable_external_access = true",
        "SET SESSION enable_external_access = true",
        "RESET enable_external_access",
        "RESET lock_configuration",
        "SET lock_configuration = false",
        "PRAGMA enable_external_access = true",
        "PRAGMA lock_configuration = false",
        "SET allowed_directories = ['/']",
        "SET allowed_paths = ['/etc/passwd']",
        "SET autoinstall_known_extensions = true",
        "SET temp_directory = '/tmp'",
        "SET profiling_output = '/tmp/profile.json'",
        "PRAGMA enable_profiling = 'json'",
        "CALL enable_logging()",
        "SET VARIABLE x = 1",
        "USE memory",
        "ATTACH '/tmp/other.duckdb' AS other",
        "ATTACH ':memory:' AS scratch",
        "DETACH minwatch",
    ],
)
def test_extensions_settings_and_other_databases_are_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, query: str
) -> None:
    code, out, err = sql(capsys, wh, query)
    assert_refused(code, err)
    assert out == ""


def test_attaching_the_work_file_or_importing_is_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    before = wh.files()
    for query in (
        f"ATTACH '{wh.work}' AS work (READ_WRITE)",
        f"SELECT 1; ATTACH '{wh.work}' AS work",
        f"IMPORT DATABASE '{tmp_path}'",
    ):
        code, _, err = sql(capsys, wh, query)
        assert_refused(code, err)
    assert wh.files() == before


@pytest.mark.parametrize(
    "query",
    [
        "INSERT INTO run VALUES ('x', now(), NULL, 'nightly', 'running')",
        "DELETE FROM document",
        "CREATE TABLE evil AS SELECT 1 AS a",
        "DROP VIEW procurements",
        "CREATE OR REPLACE VIEW documents AS SELECT 1 AS doc_id",
    ],
)
def test_writes_to_the_warehouse_are_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, query: str
) -> None:
    before = wh.files()
    code, _, err = sql(capsys, wh, query)
    assert_refused(code, err)
    assert "read-only" in err
    assert wh.files() == before


def test_the_shell_refuses_each_statement_goes_on_and_stays_locked(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "\n".join(
        [
            "RESET enable_external_access;",
            "PRAGMA lock_configuration = false;",
            "SET enable_external_access = true;",
            ".import /etc/passwd passwd",
            ".shell cat /etc/passwd",
            "SELECT * FROM read_csv('/etc/passwd');",
            "SELECT current_setting('enable_external_access') AS external,",
            "       current_setting('lock_configuration') AS locked;",
            ".quit",
        ]
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(script + "\n"))
    code, out, err = sql(capsys, wh, "--format", "json")
    assert code == 0
    errors = err.strip().splitlines()
    assert len(errors) == 6, err
    assert all(line.startswith("minwatch sql: ") for line in errors)
    assert "Traceback" not in err and "root:" not in out + err
    # The prompts share stdout's lines with the answers.
    answers = [json.loads(found) for found in re.findall(r"\{.*\}", out)]
    assert answers == [{"external": False, "locked": True}]


# Exports


def test_parquet_export_reads_back_with_the_rows(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    out_file = tmp_path / "procurements.parquet"
    code, out, err = sql(
        capsys,
        wh,
        "SELECT mineral, usd, suppliers, posted_date FROM procurements ORDER BY mineral",
        "--out",
        out_file,
        "--format",
        "parquet",
    )
    assert code == 0, err
    assert out.strip() == f"wrote 2 rows to {out_file}"
    rows = pq.read_table(out_file).to_pylist()
    assert [(r["mineral"], r["usd"], r["suppliers"]) for r in rows] == [
        ("antimony", 1500000.0, ["RIO TINTO SERVICES INC."]),
        ("gallium", None, ["A CORP", "B LTD"]),
    ]
    assert str(rows[0]["posted_date"]) == "2026-11-20"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["procurements.parquet"]


def test_csv_and_json_exports(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    query = "SELECT mineral, usd, suppliers FROM procurements ORDER BY mineral"
    code, _, err = sql(capsys, wh, query, "--out", tmp_path / "p.csv")  # format from the suffix
    assert code == 0, err
    with (tmp_path / "p.csv").open(newline="", encoding="utf-8") as file:
        assert list(csv.DictReader(file)) == [
            {"mineral": "antimony", "usd": "1500000.0", "suppliers": '["RIO TINTO SERVICES INC."]'},
            {"mineral": "gallium", "usd": "", "suppliers": '["A CORP", "B LTD"]'},
        ]
    code, _, err = sql(capsys, wh, query, "--out", tmp_path / "p.out", "--format", "json")
    assert code == 0, err
    lines = (tmp_path / "p.out").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"mineral": "antimony", "usd": 1500000.0, "suppliers": ["RIO TINTO SERVICES INC."]},
        {"mineral": "gallium", "usd": None, "suppliers": ["A CORP", "B LTD"]},
    ]


def test_an_existing_file_is_replaced_only_with_force(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    out_file = tmp_path / "count.json"
    out_file.write_text("keep me\n")
    code, _, err = sql(capsys, wh, "SELECT count(*) AS n FROM documents", "--out", out_file)
    assert code == EXIT_USAGE
    assert err.strip() == f"minwatch sql: --out {out_file} exists; add --force to replace it"
    assert out_file.read_text() == "keep me\n"
    code, _, err = sql(
        capsys, wh, "SELECT count(*) AS n FROM documents", "--out", out_file, "--force"
    )
    assert code == 0, err
    assert json.loads(out_file.read_text()) == {"n": 1}


def test_out_at_the_warehouses_own_files_or_the_landing_zone_is_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse
) -> None:
    before = wh.files()
    targets = [
        wh.db,
        wh.work,
        wh.lock,
        wh.landing_file,
        wh.landing_file.parent / "new.csv",
        Path(f"{wh.db}.wal"),
        Path(f"{wh.work}.wal"),
        wh.db.parent / "." / "minwatch.work.duckdb",
    ]
    for target in targets:
        code, out, err = sql(
            capsys, wh, "SELECT 1 AS a", "--out", target, "--format", "csv", "--force"
        )
        assert_refused(code, err)
        assert out == ""
    assert wh.files() == before
    assert not (wh.landing_file.parent / "new.csv").exists()
    assert not Path(f"{wh.db}.wal").exists() and not Path(f"{wh.work}.wal").exists()


def test_out_through_a_symlink_to_the_warehouse_is_refused(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    before = wh.files()
    link = tmp_path / "innocent.csv"
    link.symlink_to(wh.work)
    code, _, err = sql(capsys, wh, "SELECT 1 AS a", "--out", link, "--force")
    assert code == EXIT_REFUSED, err
    assert wh.files() == before


def test_parquet_needs_out_and_out_needs_a_query(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    code, out, err = sql(capsys, wh, "SELECT 1", "--format", "parquet")
    assert code == EXIT_USAGE
    assert out == ""
    assert err == "minwatch sql: --format parquet writes a file: add --out FILE.parquet\n"
    code, _, err = sql(capsys, wh, "--out", tmp_path / "x.parquet")
    assert code == EXIT_USAGE
    assert err == "minwatch sql: --out writes the result of a query: give the query too\n"
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_file(
    capsys: pytest.CaptureFixture[str], wh: Warehouse, tmp_path: Path
) -> None:
    # A conversion error while the rows are read, and a type Parquet has no place for.
    for query, name in (
        ("SELECT CAST(title AS INTEGER) AS n FROM documents", "n.csv"),
        ("SELECT INTERVAL 1 DAY AS span", "span.parquet"),
    ):
        code, _, err = sql(capsys, wh, query, "--out", tmp_path / name)
        assert code != 0
        assert len(err.strip().splitlines()) >= 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_sandbox_settings_are_in_force(wh: Warehouse) -> None:
    from minwatch.flows.sql import SANDBOX_SETTINGS, open_sandbox, sandbox_settings

    con = open_sandbox(wh.db)
    try:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
                [[*sandbox_settings(), "lock_configuration", "access_mode"]],
            ).fetchall()
        )
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()
    expected = {
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
        "allow_unsigned_extensions": "false",
        "allow_extension_repositories": "forbidden",
        "allow_persistent_secrets": "false",
        "python_enable_replacements": "false",
        "lock_configuration": "true",
        "access_mode": "read_only",
    }
    # Only a setting newer than this DuckDB may be missing (DuckDB 2.0's extension repositories).
    assert set(SANDBOX_SETTINGS) - set(sandbox_settings()) <= {"allow_extension_repositories"}
    assert settings == {
        k: v
        for k, v in expected.items()
        if k in settings or k not in {"allow_extension_repositories"}
    }
