"""`minwatch search`: BM25 over a real warehouse, English and Chinese, with each hit's facts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from minwatch.warehouse.search import search


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding three documents, loaded as the migrations define the tables."""
    from minwatch.warehouse.migrate import migrate

    db = tmp_path_factory.mktemp("search") / "minwatch.duckdb"
    con = duckdb.connect(str(db))
    migrate(con)
    con.execute(
        "INSERT INTO run (run_id, mode, started_at, status) VALUES ('r1', 'nightly', now(), 'ok')"
    )
    docs = [
        ("web:a", "news", "news", "Antimony trioxide buyers scramble", "en",
         "Buyers of antimony trioxide paid $47,500 a tonne in Rotterdam.", date(2025, 7, 22)),
        ("web:b", "mofcom_zh", "export_control", "关于对锑等物项实施出口管制的公告", "zh",
         "决定对下列物项实施出口管制：锑矿砂及其精矿。", date(2024, 8, 15)),
        ("web:c", "news", "news", "Cobalt prices steady", "en",
         "Cobalt and antimony prices were steady; trioxide was not traded.", date(2025, 1, 5)),
    ]  # fmt: skip
    for doc_id, source, kind, title, language, text, day in docs:
        con.execute(
            "INSERT INTO document VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), now(), now(), ?, ?, 1, "
            "'r1', 'r1', 'r1')",
            [doc_id, source, doc_id, kind, f"https://example.org/{doc_id}", title, day,
             language, text, doc_id],
        )  # fmt: skip
    con.execute(
        "INSERT INTO mention (doc_id, seq, kind, text, canonical, sentence, start_char, end_char,"
        " extractor_version) VALUES ('web:a', 0, 'mineral', 'antimony', 'antimony', '', 0, 8, 'x')"
    )
    con.close()
    return db


def test_a_phrase_ranks_the_documents_that_contain_it(warehouse: Path) -> None:
    hits = search(warehouse, "antimony trioxide")
    # web:c has both words but not the phrase
    assert [h.doc_id for h in hits] == ["web:a"]
    assert hits[0].minerals == ("antimony",)
    assert "antimony trioxide paid $47,500" in hits[0].snippet


def test_chinese_is_found_without_spaces(warehouse: Path) -> None:
    hits = search(warehouse, "出口管制")
    assert [h.doc_id for h in hits] == ["web:b"]
    assert "实施出口管制" in hits[0].snippet


def test_source_and_date_narrow_the_search(warehouse: Path) -> None:
    assert [h.doc_id for h in search(warehouse, "antimony", since=date(2025, 6, 1))] == ["web:a"]
    assert search(warehouse, "antimony", sources=("mofcom_zh",)) == []


def test_the_command_prints_json_lines(warehouse: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "minwatch.flows.cli", "search", "锑",
         "--db", str(warehouse), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert [h["doc_id"] for h in hits] == ["web:b"]
