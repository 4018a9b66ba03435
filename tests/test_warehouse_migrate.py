"""Migrations, primary keys and the analyst-view contract of docs/schema.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from minwatch.warehouse import ANALYST_VIEWS, MigrationError, applied_migrations, connect, migrate
from minwatch.warehouse.migrate import MIGRATIONS_DIR

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
EXPECTED_TABLES = {
    "schema_migrations",
    "document",
    "document_version",
    "notice",
    "extraction",
    "mention",
    "procurement_line",
    "export_control",
    "run",
    "source_run",
    "fetch_error",
    "source_state",
    "announcement",
    "alert",
    "alert_delivery",
}
MIGRATIONS = [
    "0001_init.sql",
    "0002_views.sql",
    "0003_announcements.sql",
    "0004_alerts.sql",
    "0005_procurement_versions.sql",
    "0006_announcement_clauses.sql",
    "0007_export_control_status.sql",
    "0008_deals_and_suppliers.sql",
    "0009_pre_publication.sql",
    "0010_updated_documents.sql",
    "0011_mofcom_https_identity.sql",
    "0012_clause_suspensions.sql",
    "0013_announcement_readings.sql",
]


def documented_views() -> dict[str, list[tuple[str, str]]]:
    """{view: [(column, type), ...]} from the '## Views' section of docs/schema.md."""
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    section = text.split("## Views", 1)[1].split("\n## ", 1)[0]
    views: dict[str, list[tuple[str, str]]] = {}
    for block in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        name = block.splitlines()[0].strip()
        rows = re.findall(r"^\| (\w+) \| ([A-Z\[\]]+) \|", block, flags=re.MULTILINE)
        views[name] = rows
    return views


def test_migrations_apply_in_order_and_are_recorded(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert migrate(con) == MIGRATIONS
    recorded = applied_migrations(con)
    assert [(v, n) for v, n, _ in recorded] == list(enumerate(MIGRATIONS, start=1))
    assert all(re.fullmatch(r"[0-9a-f]{64}", checksum) for _, _, checksum in recorded)
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
        ).fetchall()
    }
    assert tables == EXPECTED_TABLES


def test_second_migrate_and_reconnect_are_noops(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "w.duckdb"
    con = connect(path)  # creates the folder and applies everything
    first = applied_migrations(con)
    applied_at = con.execute("SELECT applied_at FROM schema_migrations").fetchall()
    assert migrate(con) == []
    con.close()
    con = connect(path)
    assert applied_migrations(con) == first
    assert con.execute("SELECT applied_at FROM schema_migrations").fetchall() == applied_at


def test_tampered_migration_is_refused_by_name(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con, migrations)
    views_file = migrations / "0002_views.sql"
    views_file.write_text(views_file.read_text() + "\n-- edited after release\n")
    with pytest.raises(MigrationError, match=r"0002_views\.sql.*changed after it was applied"):
        migrate(con, migrations)


def test_new_migration_is_applied_alone_and_a_failing_one_rolls_back(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con, migrations)
    (migrations / "0099_watchlist.sql").write_text(
        "CREATE TABLE watchlist (mineral VARCHAR PRIMARY KEY);"
    )
    assert migrate(con, migrations) == ["0099_watchlist.sql"]
    (migrations / "0100_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nSELECT * FROM no_such_table;"
    )
    with pytest.raises(MigrationError, match=r"0100_broken\.sql"):
        migrate(con, migrations)
    assert [n for _, n, _ in applied_migrations(con)][-1] == "0099_watchlist.sql"
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done'"
    ).fetchone() == (0,)


def test_missing_applied_file_is_refused(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con, migrations)
    (migrations / "0002_views.sql").unlink()
    with pytest.raises(MigrationError, match=r"0002_views\.sql.*file is missing"):
        migrate(con, migrations)


def test_every_table_has_a_primary_key(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    keyed = dict(
        con.execute(
            """
            SELECT table_name, constraint_column_names FROM duckdb_constraints()
            WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main'
            """
        ).fetchall()
    )
    assert set(keyed) == EXPECTED_TABLES
    assert keyed["document_version"] == ["doc_id", "version"]
    assert keyed["mention"] == ["doc_id", "seq"]
    assert keyed["fetch_error"] == ["run_id", "source", "seq"]


def test_views_match_the_documented_contract(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    documented = documented_views()
    assert list(documented) == list(ANALYST_VIEWS)
    type_names = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}
    for view, columns in documented.items():
        actual = [
            (name, type_names.get(sql_type, sql_type))
            for name, sql_type, *_ in con.execute(f"DESCRIBE {view}").fetchall()
        ]
        assert actual == columns, view
    # the leading columns promised to analysts, in order
    assert [c for c, _ in documented["procurements"]][:9] == [
        "doc_id",
        "mineral",
        "usd",
        "tonnes",
        "suppliers",
        "buyer",
        "notice_id",
        "notice_type",
        "posted_date",
    ]
    assert [c for c, _ in documented["runs"]][:10] == [
        "run_id",
        "source",
        "started_at",
        "finished_at",
        "fetched",
        "new",
        "updated",
        "unchanged",
        "failed",
        "errors",
    ]


def test_read_only_connect_does_not_create_or_migrate(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        connect(tmp_path / "absent.duckdb", read_only=True)
    connect(tmp_path / "w.duckdb").close()
    con = connect(tmp_path / "w.duckdb", read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE x (a INTEGER PRIMARY KEY)")
