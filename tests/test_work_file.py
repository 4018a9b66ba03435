"""The runs' working file is checked before a run trusts it (`prepare_work_file`).

A working file that is not a DuckDB file, not a minwatch warehouse, or not a continuation of
the published warehouse is moved aside (kept, never deleted) and seeded again from the
published one, with one warning; a sound one, such as a killed run leaves, is kept as it is.
Every file here is a real DuckDB warehouse.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from minwatch import warehouse
from minwatch.warehouse.snapshot import prepare_work_file, publish, work_path

REPO = Path(__file__).resolve().parents[1]
PUBLISHED_RUN = "20261127T020000Z-a1b2c3"
DOC_ID = "sam_gov:SP8000-26-R-0001"


def _add_run(db: Path, run_id: str, started: datetime, *, document: bool = False) -> None:
    con = warehouse.connect(db)
    try:
        warehouse.start_run(con, run_id, mode="nightly", started_at=started)
        warehouse.finish_run(con, run_id, status="ok", finished_at=started)
        if document:
            con.execute(
                """
                INSERT INTO document VALUES (
                    $doc, 'sam_gov', 'SP8000-26-R-0001', 'procurement', 'https://sam.gov/opp/1',
                    'Antimony for the stockpile', NULL, 'en', $at, $at, $at,
                    'DLA Strategic Materials intends to buy antimony.', 'h1', 1, $run, $run, $run)
                """,
                {"doc": DOC_ID, "at": started, "run": run_id},
            )
    finally:
        con.close()


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A published warehouse with one run that loaded one document, and beside it the working
    file that run published (as a finished night leaves them)."""
    db = tmp_path / "data" / "minwatch.duckdb"
    work = prepare_work_file(db)  # nothing published yet: no file to seed from
    _add_run(work, PUBLISHED_RUN, datetime(2026, 11, 27, 2, tzinfo=UTC), document=True)
    publish(db)
    return db


def _runs_and_documents(db: Path) -> tuple[list[str], list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = [r[0] for r in con.execute("SELECT run_id FROM run ORDER BY started_at").fetchall()]
        docs = [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
    finally:
        con.close()
    return runs, docs


def _set_aside(db: Path) -> list[Path]:
    work = work_path(db)
    return sorted(p for p in work.parent.iterdir() if p.name.startswith(f"{work.name}.corrupt-"))


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    "content",
    [
        b"\x00garbage\xff" * 4096,
        b"",
        b"1\n",  # what `COPY (SELECT 1) TO '<work file>'` used to leave
    ],
    ids=["garbage", "empty", "copy-csv"],
)
def test_a_work_file_that_is_no_database_is_set_aside_and_seeded_again(
    published: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    work.write_bytes(content)
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    assert prepare_work_file(published) == work

    assert _runs_and_documents(work) == ([PUBLISHED_RUN], [DOC_ID])
    (aside,) = _set_aside(published)
    assert aside.read_bytes() == content  # kept for whoever wants to look at it
    (warning,) = _warnings(caplog)
    assert str(work) in warning and str(aside) in warning
    assert "does not open as a DuckDB database" in warning
    # The next run is sound again: the working file is a whole warehouse that takes writes.
    _add_run(work, "20261128T020000Z-d4e5f6", datetime(2026, 11, 28, 2, tzinfo=UTC))
    publish(published)
    assert _runs_and_documents(published)[0] == [PUBLISHED_RUN, "20261128T020000Z-d4e5f6"]


def test_a_work_file_of_another_warehouse_is_set_aside_and_seeded_again(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    work.unlink()
    _add_run(work, "20261120T020000Z-0therw", datetime(2026, 11, 20, 2, tzinfo=UTC))
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    prepare_work_file(published)

    assert _runs_and_documents(work) == ([PUBLISHED_RUN], [DOC_ID])
    (aside,) = _set_aside(published)
    assert _runs_and_documents(aside) == (["20261120T020000Z-0therw"], [])
    (warning,) = _warnings(caplog)
    assert f"lacks the published warehouse's latest run {PUBLISHED_RUN}" in warning


def test_a_duckdb_file_that_is_not_a_minwatch_warehouse_is_set_aside(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    work.unlink()
    con = duckdb.connect(str(work))
    con.execute("CREATE TABLE run AS SELECT ? AS run_id", [PUBLISHED_RUN])
    con.close()
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    prepare_work_file(published)

    assert _runs_and_documents(work) == ([PUBLISHED_RUN], [DOC_ID])
    assert len(_set_aside(published)) == 1
    (warning,) = _warnings(caplog)
    assert "has no schema_migrations table" in warning


def test_a_work_file_one_run_ahead_of_the_published_is_kept_as_it_is(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    _add_run(work, "20261128T020000Z-d4e5f6", datetime(2026, 11, 28, 2, tzinfo=UTC))
    before = work.read_bytes()
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    prepare_work_file(published)

    assert work.read_bytes() == before
    assert _runs_and_documents(work)[0] == [PUBLISHED_RUN, "20261128T020000Z-d4e5f6"]
    assert _set_aside(published) == []
    assert _warnings(caplog) == []


KILLED_MID_RUN = """
import os, sys
from datetime import UTC, datetime
from minwatch import warehouse
con = warehouse.connect(sys.argv[1])
warehouse.start_run(con, "20261128T020000Z-k1lled", mode="nightly",
                    started_at=datetime(2026, 11, 28, 2, tzinfo=UTC))
os._exit(9)  # no close, no checkpoint: the run lives only in the write-ahead log
"""


def test_the_work_file_of_a_run_killed_mid_way_is_kept_with_its_log(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_RUN, str(work)], cwd=REPO, timeout=120
    )
    assert killed.returncode == 9
    wal = work.with_name(work.name + ".wal")
    assert wal.exists()
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    prepare_work_file(published)

    assert _set_aside(published) == [] and _warnings(caplog) == []
    assert _runs_and_documents(work)[0] == [PUBLISHED_RUN, "20261128T020000Z-k1lled"]


def test_a_bad_work_file_before_anything_is_published_is_set_aside_and_not_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "minwatch.duckdb"
    work = work_path(db)
    work.write_bytes(b"not a database")
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    assert prepare_work_file(db) == work

    assert not work.exists()  # the run's connect creates a new warehouse
    assert [p.read_bytes() for p in _set_aside(db)] == [b"not a database"]
    (warning,) = _warnings(caplog)
    assert "there is no published warehouse yet" in warning


def test_a_write_ahead_log_left_without_its_work_file_is_set_aside(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    work = work_path(published)
    work.unlink()
    wal = work.with_name(work.name + ".wal")
    wal.write_bytes(b"a log of some other database")
    caplog.set_level(logging.WARNING, logger="minwatch.warehouse.snapshot")

    prepare_work_file(published)

    assert not wal.exists()
    assert _runs_and_documents(work) == ([PUBLISHED_RUN], [DOC_ID])
    (warning,) = _warnings(caplog)
    assert "write-ahead log" in warning
