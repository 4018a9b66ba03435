"""An announcement's effective date: the day all its clauses are in force, never a
suspension's date (texts written for these tests in MOFCOM's and MOFCOM's English wording)."""

from __future__ import annotations

from functools import cache

import pytest

from minwatch.nlp import Extractor
from minwatch.nlp.export_control import effective_date


@cache
def _extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("text", "issued", "expected"),
    [
        # one clause on publication, the main measures later: the later date
        (
            "一、对下列物项实施出口管制。\n二、本公告第一条自公布之日起执行。\n"
            "三、本公告第二条自2026年3月1日起正式实施。",
            "2026-01-15",
            "2026-03-01",
        ),
        ("本公告自发布之日起施行。", "2026-01-15", "2026-01-15"),
        ("本公告自2026年2月1日起正式实施。", "2026-01-15", "2026-02-01"),
        # a suspension's end is not when the announcement takes effect
        (
            "一、暂停实施商务部公告2026年第3号，至2027年1月31日。\n二、本公告自公布之日起执行。",
            "2026-02-10",
            "2026-02-10",
        ),
        (
            "Article 1 shall take effect from the date of publication. The export controls "
            "in Article 2 shall be implemented from 1 March 2026.",
            "2026-01-15",
            "2026-03-01",
        ),
        ("The suspension of Announcement No. 3 shall take effect on 1 March 2026.", None, None),
        ("这是一段没有生效日期的文字。", "2026-01-15", None),
    ],
)
def test_the_latest_clause_date_is_the_effective_date(
    text: str, issued: str | None, expected: str | None
) -> None:
    assert effective_date(text, issued) == expected


def test_a_signed_announcement_takes_its_dates_from_its_clauses() -> None:
    text = (
        "一、对下列物项实施出口管制。\n二、本公告第一条自公布之日起执行。\n"
        "三、第二条所列措施自2026年3月1日起正式实施。\n\n商务部\n2026年1月15日\n"
    )
    facts = _extractor().extract(text, language="zh", title="商务部公告2026年第9号")
    control = facts.export_control
    assert control is not None
    assert (control.number, control.issued_on, control.effective_on) == (
        "2026-9",
        "2026-01-15",
        "2026-03-01",
    )
