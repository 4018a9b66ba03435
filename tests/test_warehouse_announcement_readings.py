"""Two Chinese pages of one announcement that disagree: which is read, and where it shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from minwatch.warehouse import connect, load_documents
from tests.test_warehouse_announcements import announcement, doc

FIRST_NIGHT = datetime(2025, 10, 10, 2, 0, tzinfo=UTC)


def _night(con, run_id: str, fetched: datetime, docs, rows) -> None:  # type: ignore[no-untyped-def]
    load_documents(con, run_id, [replace(d, fetched_at=fetched) for d in docs], [], rows)


@pytest.fixture(params=["file", "ducklake"])
def con(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "ducklake":
        connection = connect(request.getfixturevalue("lake"))
    else:
        connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def _policy_page(**fields: object):  # type: ignore[no-untyped-def]
    return announcement(
        "zh-61-policy",
        "2025-61",
        "zh",
        issued_on=date(2025, 10, 9),
        effective_on=date(2025, 12, 1),
        numbered_clauses=None,
        **fields,
    )


def _bureau_page(**fields: object):  # type: ignore[no-untyped-def]
    # a later copy that reads the clause "from the date of publication" as the effective date,
    # and that parses the clause numbers the first page's layout hid
    return announcement(
        "zh-61-bureau",
        "2025-61",
        "zh",
        issued_on=date(2025, 10, 9),
        effective_on=date(2025, 10, 9),
        numbered_clauses=("1", "2", "3"),
        **fields,
    )


def test_the_chinese_page_seen_first_is_read_and_a_later_one_fills_what_it_leaves_out(
    con,  # type: ignore[no-untyped-def]
) -> None:
    policy = doc("zh-61-policy", "zh", "商务部公告2025年第61号")
    bureau = doc("zh-61-bureau", "zh", "商务部公告2025年第61号")
    english = doc("en-61", "en", "MOFCOM Announcement No. 61 of 2025")
    _night(con, "run-1", FIRST_NIGHT, [policy], [_policy_page()])
    _night(
        con,
        "run-2",
        FIRST_NIGHT + timedelta(days=1),
        [bureau, english],
        [_bureau_page(), announcement("en-61", "2025-61", "en", effective_on=date(2025, 11, 8))],
    )
    status = con.execute(
        "SELECT announcement_key, issued_on, effective_on, status "
        "FROM export_control_status(DATE '2025-11-15')"
    ).fetchall()
    assert status == [("MOFCOM 2025-61", date(2025, 10, 9), date(2025, 12, 1), "not yet in force")]
    clauses = con.execute(
        "SELECT clause, status FROM export_control_clause_status(DATE '2025-12-02')"
    ).fetchall()
    assert clauses == [("1", "in force"), ("2", "in force"), ("3", "in force")]
    disagreements = con.execute(
        "SELECT announcement_key, field, value, doc_ids, is_read FROM export_control_disagreements"
    ).fetchall()
    assert disagreements == [
        ("MOFCOM 2025-61", "effective_on", "2025-10-09", ["zh-61-bureau"], False),
        ("MOFCOM 2025-61", "effective_on", "2025-12-01", ["zh-61-policy"], True),
    ]


def test_pages_seen_the_same_night_are_read_in_the_same_order_whatever_the_load_order(
    tmp_path: Path,
) -> None:
    pages = [
        (doc("zh-61-policy", "zh", "商务部公告2025年第61号"), _policy_page()),
        (doc("zh-61-bureau", "zh", "商务部公告2025年第61号"), _bureau_page()),
    ]
    answers = []
    for name, order in (("a", pages), ("b", pages[::-1])):
        with connect(tmp_path / f"{name}.duckdb") as con:
            _night(con, "run-1", FIRST_NIGHT, [d for d, _ in order], [r for _, r in order])
            answers.append(
                con.execute(
                    "SELECT effective_on, status FROM export_control_status(DATE '2025-11-15')"
                ).fetchall()
            )
    # the same night: doc_id decides ("zh-61-bureau" sorts first), not the order of loading
    assert answers[0] == answers[1] == [(date(2025, 10, 9), "in force")]


def test_agreeing_pages_list_no_disagreement(con) -> None:  # type: ignore[no-untyped-def]
    bureau = _bureau_page()
    _night(
        con,
        "run-1",
        FIRST_NIGHT,
        [
            doc("zh-61-policy", "zh", "商务部公告2025年第61号"),
            doc("zh-61-bureau", "zh", "商务部公告2025年第61号"),
        ],
        [replace(bureau, doc_id="zh-61-policy"), bureau],
    )
    assert con.execute("SELECT count(*) FROM export_control_disagreements").fetchone() == (0,)
