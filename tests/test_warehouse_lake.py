"""A DuckLake warehouse on a real PostgreSQL catalog: its schema, two writers, a reader.

The view and example-query tests of the file warehouse run on DuckLake too (the `ducklake`
cases of test_warehouse_load.py, test_warehouse_deals.py, test_warehouse_announcements.py);
this file covers what only a lake has: several processes at once.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch import warehouse
from minwatch.warehouse import connect
from minwatch.warehouse.lake import Lake, LakeError, for_ducklake, parse_target
from minwatch.warehouse.migrate import discover
from minwatch.warehouse.records import DocumentRow, ExtractionBundle, MentionRow, SourceRunStats

NIGHT = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
BATCHES = 6
BATCH = 40


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        """
        SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_catalog = current_database() AND table_schema = 'main'
        ORDER BY table_name, ordinal_position
        """
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        out.setdefault(table, []).append((column, data_type))
    return out


def test_the_lake_gets_the_file_warehouses_tables_views_and_columns(
    tmp_path: Path, lake: Lake
) -> None:
    file_con = connect(tmp_path / "w.duckdb")
    lake_con = connect(lake)
    try:
        assert _columns(lake_con) == _columns(file_con)
        assert warehouse.applied_migrations(lake_con) == warehouse.applied_migrations(file_con)
        for view in warehouse.ANALYST_VIEWS:
            assert lake_con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
    finally:
        file_con.close()
        lake_con.close()
    # A second writer attaching the same lake finds nothing left to apply.
    again = connect(lake)
    try:
        assert len(warehouse.applied_migrations(again)) == len(discover())
    finally:
        again.close()


def test_only_the_clauses_ducklake_refuses_are_taken_out() -> None:
    sql = """
    CREATE TABLE t (
        id VARCHAR PRIMARY KEY,  -- the key
        kind VARCHAR NOT NULL, note VARCHAR DEFAULT 'a -- b (c)',
        PRIMARY KEY (id, kind),
        CHECK (kind IN ('x', 'y'))
    );
    CREATE INDEX t_by_kind ON t (kind);
    CREATE VIEW v AS SELECT id, 'CHECK (1)' AS s FROM t;
    """
    out = for_ducklake(sql)
    assert "id VARCHAR NOT NULL," in out
    assert "note VARCHAR DEFAULT 'a -- b (c)'\n" in out
    assert "PRIMARY" not in out and "INDEX" not in out and "kind IN" not in out
    assert "SELECT id, 'CHECK (1)' AS s FROM t" in out
    duckdb.connect().execute(out)  # still valid SQL


def test_a_lake_that_cannot_be_attached_says_which_and_hides_its_password(
    postgres: Any, tmp_path: Path
) -> None:
    target = parse_target(
        f"ducklake:postgres:dbname=no_such_lake {postgres.dsn} password=hunter2",
        str(tmp_path / "lake"),
    )
    with pytest.raises(LakeError, match="cannot attach the DuckLake warehouse") as failure:
        connect(target)
    assert "hunter2" not in str(failure.value)
    assert "password=REDACTED" in str(failure.value)


def _documents(source: str, batch: int) -> list[DocumentRow]:
    return [
        DocumentRow(
            doc_id=f"{source}:{batch}-{i}",
            source=source,
            source_id=f"{batch}-{i}",
            kind="news",
            url=f"https://example.org/{source}/{batch}-{i}",
            title=f"Antimony {batch}-{i}",
            published_at=NIGHT - timedelta(hours=i),
            language="en",
            fetched_at=NIGHT,
            text=f"{source} reports antimony {batch}-{i}.",
            content_hash=f"h-{source}-{batch}-{i}",
        )
        for i in range(BATCH)
    ]


def _antimony(doc: DocumentRow, seq: int, start: int) -> MentionRow:
    return MentionRow(
        doc.doc_id, seq, "mineral", "antimony", "antimony", None, None, None, None, doc.text,
        start, start + 8,
    )  # fmt: skip


def _bundles(docs: list[DocumentRow]) -> list[ExtractionBundle]:
    return [
        ExtractionBundle(
            doc_id=d.doc_id,
            extractor_version="test",
            minerals=("antimony",),
            mentions=(_antimony(d, 0, 0), _antimony(d, 1, 9)),
        )
        for d in docs
    ]


def _night(lake: Lake, source: str, progress: Any = None, start_together: Any = None) -> None:
    """One source's night as the nightly flow writes it: documents, facts, bookkeeping, each
    batch its own transactions."""
    con = connect(lake)
    run_id = f"run-{source}"
    try:
        if start_together is not None:
            start_together.wait(120)  # both nights write at once, not one after the other
        warehouse.start_run(con, run_id, mode="nightly", started_at=NIGHT)
        for batch in range(BATCHES):
            docs = _documents(source, batch)
            statuses = warehouse.load_documents(con, run_id, docs, [])
            assert set(statuses.values()) == {"new"}
            warehouse.load_extractions(
                con, _bundles(docs), {d.doc_id: d.content_hash for d in docs}
            )
            if progress is not None:
                progress.put(batch)
        warehouse.record_source_run(
            con,
            SourceRunStats(run_id, source, NIGHT, NIGHT, fetched=BATCH * BATCHES,
                           new=BATCH * BATCHES),
        )  # fmt: skip
        warehouse.set_source_state(con, source, "2026-03-11", {"seen": BATCHES})
        warehouse.finish_run(con, run_id, status="ok", finished_at=NIGHT + timedelta(hours=1))
    finally:
        con.close()


def test_two_nights_writing_at_once_lose_and_duplicate_nothing(lake: Lake) -> None:
    connect(lake).close()  # the schema exists before the nights start, as after any first run
    spawn = multiprocessing.get_context("spawn")
    together = spawn.Barrier(2)
    nights = [
        spawn.Process(target=_night, args=(lake, source, None, together))
        for source in ("gdelt", "sam_gov")
    ]
    for night in nights:
        night.start()
    for night in nights:
        night.join(300)
        assert night.exitcode == 0, "a night failed: see its traceback above"
    con = connect(lake, read_only=True)
    try:
        per_source = con.execute(
            "SELECT source, count(*), count(DISTINCT doc_id) FROM documents GROUP BY ALL ORDER BY 1"
        ).fetchall()
        total = BATCH * BATCHES
        assert per_source == [("gdelt", total, total), ("sam_gov", total, total)]
        assert con.execute(
            "SELECT count(*), count(DISTINCT (doc_id, seq)) FROM mention"
        ).fetchone() == (4 * total, 4 * total)
        assert con.execute("SELECT count(*) FROM extraction").fetchone() == (2 * total,)
        assert con.execute("SELECT run_id, status FROM run ORDER BY 1").fetchall() == [
            ("run-gdelt", "ok"),
            ("run-sam_gov", "ok"),
        ]
        assert con.execute("SELECT source, fetched, new FROM source_run ORDER BY 1").fetchall() == [
            ("gdelt", total, total),
            ("sam_gov", total, total),
        ]
        assert con.execute("SELECT count(*) FROM source_state").fetchone() == (2,)
    finally:
        con.close()


def test_an_analyst_reads_whole_batches_while_a_night_loads(lake: Lake) -> None:
    connect(lake).close()
    spawn = multiprocessing.get_context("spawn")
    progress = spawn.Queue()
    night = spawn.Process(target=_night, args=(lake, "gdelt", progress))
    analyst = connect(lake, read_only=True)
    seen: list[tuple[int, int]] = []
    try:
        night.start()
        for _ in range(BATCHES):
            committed = progress.get(timeout=120)
            # The night goes on loading the next batch while the analyst queries.
            documents, facts = analyst.execute(
                "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM mentions)"
            ).fetchone() or (0, 0)
            assert documents % BATCH == 0 and documents >= BATCH * (committed + 1)
            # A document is never seen with half of its facts.
            assert facts % 2 == 0 and facts <= 2 * documents
            seen.append((documents, facts))
        night.join(300)
        assert night.exitcode == 0
        final = analyst.execute("SELECT count(*) FROM documents").fetchone()
        assert final == (BATCH * BATCHES,)
    finally:
        analyst.close()
        if night.is_alive():
            night.kill()
    assert [documents for documents, _ in seen] == sorted(documents for documents, _ in seen)


def test_a_commit_lost_to_another_writer_is_tried_again(lake: Lake) -> None:
    """Two writers updating one table at once: DuckLake fails the later commit as a whole;
    `retry_conflicts` runs the transaction again on what the winner committed."""
    from minwatch.warehouse.db import retry_conflicts

    first, second = connect(lake), connect(lake)
    try:
        for run_id in ("run-a", "run-b"):
            warehouse.start_run(first, run_id, mode="nightly", started_at=NIGHT)
        attempts: list[int] = []

        @retry_conflicts
        def finish_b() -> None:
            attempts.append(len(attempts) + 1)
            second.execute("BEGIN TRANSACTION")
            second.execute("UPDATE run SET status = 'partial' WHERE run_id = 'run-b'")
            if len(attempts) == 1:
                # The other night finishes while this transaction is open, and commits first.
                warehouse.finish_run(first, "run-a", status="ok", finished_at=NIGHT)
            second.execute("COMMIT")

        finish_b()
        assert attempts == [1, 2]
        assert first.execute("SELECT run_id, status FROM run ORDER BY 1").fetchall() == [
            ("run-a", "ok"),
            ("run-b", "partial"),
        ]
    finally:
        first.close()
        second.close()


def test_an_error_that_is_no_conflict_is_not_tried_again() -> None:
    from minwatch.warehouse.db import retry_conflicts

    attempts: list[int] = []

    @retry_conflicts
    def broken() -> None:
        attempts.append(1)
        raise duckdb.TransactionException("cannot commit - the disk is gone")

    with pytest.raises(duckdb.TransactionException):
        broken()
    assert attempts == [1]


def _attach_and_count(lake: Lake, start_together: Any, results: Any) -> None:
    start_together.wait(120)
    con = connect(lake)
    try:
        results.put(len(warehouse.applied_migrations(con)))
    finally:
        con.close()


def test_writers_that_create_one_new_lake_at_once_all_attach(lake: Lake) -> None:
    """Two nights started at once on a lake not made yet: both create its catalog tables, the
    later one's collide in PostgreSQL, and it attaches the lake the other made."""
    spawn = multiprocessing.get_context("spawn")
    together = spawn.Barrier(3)
    results = spawn.Queue()
    writers = [
        spawn.Process(target=_attach_and_count, args=(lake, together, results)) for _ in range(3)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(300)
        assert writer.exitcode == 0, "a writer failed: see its traceback above"
    assert sorted(results.get(timeout=10) for _ in writers) == [len(discover())] * 3
