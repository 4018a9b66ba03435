"""Deals, suppliers and what is new since the last run, over a real DuckDB file.

Records go in through the loaders the nightly flow uses (load_documents, load_extractions);
the views are then read as an analyst would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from minwatch.warehouse import connect, finish_run, load_documents, load_extractions, start_run
from minwatch.warehouse.records import (
    AnnouncementRow,
    DocumentRow,
    ExtractionBundle,
    MentionRow,
    NoticeRow,
    ProcurementLineRow,
)

NIGHT_1 = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
NIGHT_2 = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)
DLA_PATH = "DEPT OF DEFENSE.DEFENSE LOGISTICS AGENCY.DLA STRATEGIC MATERIALS.DCSO COLUMBUS"
USAC = "United States Antimony Corporation"


@dataclass(frozen=True)
class Line:
    mineral: str
    usd: float | None = None
    tonnes: float | None = None
    suppliers: tuple[str, ...] = ()
    upper_bound: bool = False


@dataclass(frozen=True)
class Doc:
    """One document with what the extractor found in it."""

    row: DocumentRow
    lines: tuple[Line, ...]
    notice: NoticeRow | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (text, canonical) of supplier mentions
    announcement: AnnouncementRow | None = None


def sam(
    key: str,
    posted: date,
    lines: Sequence[Line],
    *,
    notice_type: str = "Award Notice",
    awardee: str | None = None,
    uei: str | None = None,
    award_date: date | None = None,
    award_amount: float | None = None,
) -> Doc:
    notice_id = f"n-{key}-{posted.isoformat()}"
    doc_id = f"sam:{notice_id}"
    row = DocumentRow(
        doc_id=doc_id,
        source="sam_gov",
        source_id=notice_id,
        kind="procurement",
        url=f"https://sam.gov/opp/{notice_id}/view",
        title=f"{notice_type} {key}",
        published_at=datetime(posted.year, posted.month, posted.day, tzinfo=UTC),
        language="en",
        fetched_at=NIGHT_1,
        text=f"{notice_type} {key} {lines}",
        content_hash=f"hash:{doc_id}:{lines}",
    )
    notice = NoticeRow(
        doc_id=doc_id,
        notice_id=notice_id,
        solicitation_number=key,
        notice_type=notice_type,
        base_type="Solicitation",
        posted_date=posted,
        response_deadline=None,
        buyer=DLA_PATH,
        office_code="SP8000",
        naics_code="331410",
        classification_code="9650",
        set_aside=None,
        active=True,
        award_number=None,
        award_date=award_date,
        award_amount=award_amount,
        awardee_name=awardee,
        awardee_uei=uei,
        awardee_cage=None,
        ui_link=None,
    )
    return Doc(row=row, lines=tuple(lines), notice=notice)


def news(
    slug: str,
    published: datetime,
    lines: Sequence[Line],
    *,
    source: str = "mining_com",
    aliases: Sequence[tuple[str, str]] = (),
    kind: str = "news",
) -> Doc:
    url = f"https://news.example/{slug}"
    doc_id = f"web:{url}"
    row = DocumentRow(
        doc_id=doc_id,
        source=source,
        source_id=url,
        kind=kind,
        url=url,
        title=slug.replace("-", " "),
        published_at=published,
        language="en",
        fetched_at=NIGHT_1,
        text=f"{slug} {lines}",
        content_hash=f"hash:{doc_id}:{lines}",
    )
    return Doc(row=row, lines=tuple(lines), aliases=tuple(aliases))


def load(
    con: duckdb.DuckDBPyConnection, run_id: str, started: datetime, docs: Sequence[Doc]
) -> None:
    """One run: documents, then their extractions, as the nightly flow loads them."""
    start_run(con, run_id, mode="nightly", started_at=started)
    rows = [replace(d.row, fetched_at=started) for d in docs]
    load_documents(
        con,
        run_id,
        rows,
        [d.notice for d in docs if d.notice is not None],
        [d.announcement for d in docs if d.announcement is not None],
    )
    bundles = []
    for d in docs:
        mentions = tuple(
            MentionRow(
                doc_id=d.row.doc_id,
                seq=seq,
                kind="organization",
                text=text,
                canonical=canonical,
                usd=None,
                tonnes=None,
                bound=None,
                role="supplier",
                sentence=d.row.text,
                start_char=0,
                end_char=len(text),
            )
            for seq, (text, canonical) in enumerate(d.aliases, start=1)
        )
        lines = tuple(
            ProcurementLineRow(
                doc_id=d.row.doc_id,
                line_no=no,
                mineral=line.mineral,
                usd=line.usd,
                usd_is_upper_bound=line.upper_bound,
                tonnes=line.tonnes,
                suppliers=line.suppliers,
            )
            for no, line in enumerate(d.lines, start=1)
        )
        suppliers = tuple(dict.fromkeys(s for line in d.lines for s in line.suppliers))
        bundles.append(
            ExtractionBundle(
                doc_id=d.row.doc_id,
                extractor_version="test-1",
                minerals=tuple(dict.fromkeys(line.mineral for line in d.lines)),
                suppliers=suppliers,
                mentions=mentions,
                procurement_lines=lines,
            )
        )
    load_extractions(con, bundles, {d.row.doc_id: d.row.content_hash for d in docs})
    finish_run(con, run_id, status="ok", finished_at=started)


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple[object, ...]]:
    return con.execute(sql, list(params)).fetchall()


@pytest.fixture(params=["file", "ducklake"])
def con(request: pytest.FixtureRequest, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The same views over the file warehouse and a DuckLake one (PostgreSQL catalog)."""
    if request.param == "ducklake":
        return connect(request.getfixturevalue("lake"))
    return connect(tmp_path / "warehouse.duckdb")


# The $245M award as the demo night holds it: the SAM.gov award and four reports of it, one a
# 2026 recap, under four spellings of the awardee.
AWARD = sam(
    "SP8000-25-R-0009",
    date(2025, 9, 23),
    [Line("antimony", 245e6, 3039.0664, (USAC,))],
    awardee="UNITED STATES ANTIMONY CORPORATION",
    uei="M4KQ7ZLNR2C9",
    award_date=date(2025, 9, 22),
    award_amount=245e6,
)
MINING = news(
    "dla-awards-us-antimony-245-million",
    datetime(2025, 9, 23, 15, tzinfo=UTC),
    [Line("antimony", 245e6, 3039.0664, (USAC,), upper_bound=True)],
    aliases=[("United States Antimony", USAC)],
)
DLA = news(
    "dla-awards-245-million-antimony-contract",
    datetime(2025, 9, 23, 18, tzinfo=UTC),
    # the extractor split value and quantity into two lines, the second without supplier
    [Line("antimony", 245e6, None, (USAC,), upper_bound=True), Line("antimony", None, 3039.0664)],
    source="dla_strategic_materials",
)
WIRE = news(
    "usac-antimony-stockpile-award",
    datetime(2025, 9, 24, 14, tzinfo=UTC),
    [Line("antimony", 245e6, 3040.0, ("United States Antimony Corp",))],
    source="gdelt",
    aliases=[("USAC", "United States Antimony Corp")],
)
RECAP = news(
    "dla-seeks-lithium-nickel-tin",
    datetime(2026, 3, 10, 12, tzinfo=UTC),
    [Line("antimony", 245e6, None, ("United States Antimony Corp.",))],
    source="trade_atom",
)


def test_an_award_and_its_reports_are_one_deal_dated_by_the_award(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "run-1", NIGHT_1, [AWARD, MINING, DLA, WIRE, RECAP])
    # procurements keeps the per-document lines
    assert rows(con, "SELECT count(*) FROM procurements WHERE mineral = 'antimony'") == [(6,)]
    deal = con.execute(
        """
        SELECT deal_id, deal_date, usd, usd_is_upper_bound, tonnes, suppliers, buyer, basis,
               award_date, awardee_uei, doc_id, reports, evidence_doc_ids, evidence_urls,
               first_reported, last_reported
        FROM deals WHERE mineral = 'antimony'
        """
    ).fetchall()
    assert deal == [
        (
            "sam:SP8000-25-R-0009:antimony",
            date(2025, 9, 22),
            245e6,
            False,
            3039.0664,
            [USAC],
            "DEFENSE LOGISTICS AGENCY",
            "sam_gov",
            date(2025, 9, 22),
            "M4KQ7ZLNR2C9",
            AWARD.row.doc_id,
            5,
            # oldest first; one day's reports by doc_id
            [DLA.row.doc_id, MINING.row.doc_id, WIRE.row.doc_id, RECAP.row.doc_id],
            [DLA.row.url, MINING.row.url, WIRE.row.url, RECAP.row.url],
            date(2025, 9, 23),
            date(2026, 3, 10),
        )
    ]
    evidence = rows(
        con,
        """
        SELECT source, line_no, relation, matched_on FROM deal_evidence
        ORDER BY reported_on, source, line_no
        """,
    )
    assert evidence == [
        ("dla_strategic_materials", 1, "report", ["usd", "supplier"]),
        ("dla_strategic_materials", 2, "report", ["tonnes"]),
        ("mining_com", 1, "report", ["usd", "supplier", "tonnes"]),
        ("sam_gov", 1, "notice", ["procurement_key"]),
        ("gdelt", 1, "report", ["usd", "supplier", "tonnes"]),
        ("trade_atom", 1, "report", ["usd", "supplier"]),
    ]


def test_the_recap_of_a_2025_award_adds_nothing_to_2026(con: duckdb.DuckDBPyConnection) -> None:
    load(con, "run-1", NIGHT_1, [AWARD, MINING, DLA, WIRE, RECAP])
    by_year = rows(
        con,
        """
        SELECT year(deal_date), sum(usd), count(*) FROM deals
        WHERE mineral = 'antimony' GROUP BY ALL ORDER BY ALL
        """,
    )
    assert by_year == [(2025, 245e6, 1)]
    # summing the per-document lines is what the docs' example used to do
    assert rows(
        con,
        """
        SELECT sum(usd) FROM procurements
        WHERE mineral = 'antimony' AND posted_date >= DATE '2026-01-01'
        """,
    ) == [(245e6,)]


def test_two_antimony_awards_in_one_year_stay_two_deals(con: duckdb.DuckDBPyConnection) -> None:
    small = sam(
        "SP8000-25-R-0031",
        date(2025, 11, 4),
        [Line("antimony", 12e6, 200.0, ("Prairie Antimony Works",))],
        awardee="PRAIRIE ANTIMONY WORKS LLC",
        uei="PAW1234567890",
        award_date=date(2025, 11, 3),
    )
    small_report = news(
        "prairie-antimony-wins-12-million",
        datetime(2025, 11, 5, tzinfo=UTC),
        [Line("antimony", 12.1e6, None, ("Prairie Antimony Works LLC",))],
    )
    # names USAC but no value: the big award, though the small one is closer in time
    usac_report = news(
        "usac-ships-first-ingots",
        datetime(2025, 11, 20, tzinfo=UTC),
        [Line("antimony", None, None, ("United States Antimony Corp",))],
    )
    # the value is 4% off the big award's and the supplier is neither's: a third deal
    other = news(
        "another-antimony-award",
        datetime(2025, 12, 1, tzinfo=UTC),
        [Line("antimony", 235e6, None, ("Lone Peak Antimony Inc.",))],
    )
    # no supplier named, and the value 2.9% above the big award's: not a report of it
    unnamed = news(
        "dla-antimony-purchase",
        datetime(2025, 10, 15, tzinfo=UTC),
        [Line("antimony", 252e6, None, ())],
        source="trade_atom",
    )
    load(con, "run-1", NIGHT_1, [AWARD, MINING, small, small_report, usac_report, other, unnamed])
    deals = rows(
        con,
        """
        SELECT deal_id, deal_date, usd, suppliers, reports, basis FROM deals
        WHERE mineral = 'antimony' ORDER BY deal_date
        """,
    )
    assert deals == [
        ("sam:SP8000-25-R-0009:antimony", date(2025, 9, 22), 245e6, [USAC], 3, "sam_gov"),
        (f"news:{unnamed.row.doc_id}#1", date(2025, 10, 15), 252e6, [], 1, "news"),
        (
            "sam:SP8000-25-R-0031:antimony",
            date(2025, 11, 3),
            12e6,
            ["Prairie Antimony Works"],
            2,
            "sam_gov",
        ),
        (
            f"news:{other.row.doc_id}#1",
            date(2025, 12, 1),
            235e6,
            ["Lone Peak Antimony Inc."],
            1,
            "news",
        ),
    ]
    assert rows(
        con,
        "SELECT doc_id, deal_id, matched_on FROM deal_evidence WHERE relation = 'report' "
        "ORDER BY reported_on",
    ) == [
        (MINING.row.doc_id, "sam:SP8000-25-R-0009:antimony", ["usd", "supplier", "tonnes"]),
        (unnamed.row.doc_id, f"news:{unnamed.row.doc_id}#1", []),
        (small_report.row.doc_id, "sam:SP8000-25-R-0031:antimony", ["usd", "supplier"]),
        (usac_report.row.doc_id, "sam:SP8000-25-R-0009:antimony", ["supplier"]),
        (other.row.doc_id, f"news:{other.row.doc_id}#1", []),
    ]


def test_reports_outside_the_window_or_of_another_mineral_do_not_match(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # same value and supplier, but 20 months after the award: a later deal, not a recap
    late = news(
        "usac-wins-245-million-again",
        datetime(2027, 5, 1, tzinfo=UTC),
        [Line("antimony", 245e6, None, ("United States Antimony Corp",))],
    )
    # same value and supplier, another mineral
    zinc = news(
        "usac-zinc",
        datetime(2025, 9, 25, tzinfo=UTC),
        [Line("zinc", 245e6, None, (USAC,))],
    )
    load(con, "run-1", NIGHT_1, [AWARD, late, zinc])
    assert rows(con, "SELECT mineral, deal_date, basis FROM deals ORDER BY deal_date") == [
        ("antimony", date(2025, 9, 22), "sam_gov"),
        ("zinc", date(2025, 9, 25), "news"),
        ("antimony", date(2027, 5, 1), "news"),
    ]


def test_a_deal_known_only_from_reports_is_one_deal_dated_by_its_first_report(
    con: duckdb.DuckDBPyConnection,
) -> None:
    first = news(
        "northvale-graphite-anode-supply",
        datetime(2025, 11, 14, 9, tzinfo=UTC),
        [Line("graphite", 85e6, 12000.0, ("Northvale Graphite Inc.",))],
        aliases=[("Northvale", "Northvale Graphite Inc.")],
    )
    second = news(
        "northvale-deal-followup",
        datetime(2025, 11, 20, tzinfo=UTC),
        [Line("graphite", None, 12000.0, ("Northvale",))],
        source="trade_atom",
    )
    recap = news(
        "graphite-year-in-review",
        datetime(2026, 1, 15, tzinfo=UTC),
        [Line("graphite", 85e6, None, ("NORTHVALE GRAPHITE INC",))],
        source="gdelt",
    )
    # same supplier, another value: another deal
    second_deal = news(
        "northvale-second-offtake",
        datetime(2026, 2, 2, tzinfo=UTC),
        [Line("graphite", 40e6, 5000.0, ("Northvale Graphite",))],
    )
    load(con, "run-1", NIGHT_1, [recap, second, first, second_deal])
    assert rows(
        con,
        """
        SELECT deal_id, deal_date, usd, tonnes, suppliers, reports, basis, last_reported
        FROM deals ORDER BY deal_date
        """,
    ) == [
        (
            f"news:{first.row.doc_id}#1",
            date(2025, 11, 14),
            85e6,
            12000.0,
            ["Northvale Graphite Inc."],
            3,
            "news",
            date(2026, 1, 15),
        ),
        (
            f"news:{second_deal.row.doc_id}#1",
            date(2026, 2, 2),
            40e6,
            5000.0,
            ["Northvale Graphite Inc."],
            1,
            "news",
            date(2026, 2, 2),
        ),
    ]
    assert rows(con, "SELECT name, deals, firm_usd, aliases FROM suppliers WHERE deals > 0") == [
        (
            "Northvale Graphite Inc.",
            2,
            125e6,
            ["NORTHVALE GRAPHITE INC", "Northvale", "Northvale Graphite"],
        )
    ]


def test_a_sam_notice_arriving_later_takes_over_a_report_only_deal(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "run-1", NIGHT_1, [MINING])
    assert rows(con, "SELECT deal_id, deal_date, basis FROM deals") == [
        (f"news:{MINING.row.doc_id}#1", date(2025, 9, 23), "news")
    ]
    load(con, "run-2", NIGHT_2, [AWARD])
    assert rows(con, "SELECT deal_id, deal_date, basis, evidence_doc_ids FROM deals") == [
        ("sam:SP8000-25-R-0009:antimony", date(2025, 9, 22), "sam_gov", [MINING.row.doc_id])
    ]


def test_one_company_under_every_spelling_with_its_uei(con: duckdb.DuckDBPyConnection) -> None:
    rio = sam(
        "SP8000-25-R-0016",
        date(2025, 9, 22),
        [Line("scandium", 40e6, 6.4, ("Rio Tinto Services Inc.",))],
        awardee="RIO TINTO SERVICES INC.",
        uei="RT9XW3HBQ6J1",
        award_date=date(2025, 9, 19),
    )
    # a parent with a similar name is another company
    parent = news(
        "rio-tinto-results",
        datetime(2025, 10, 1, tzinfo=UTC),
        [Line("lithium", 60e6, None, ("Rio Tinto",))],
    )
    # SAM.gov files a second spelling under the same UEI
    later = sam(
        "SP8000-26-R-0040",
        date(2026, 2, 1),
        [Line("antimony", 5e6, None, ())],
        awardee="U.S. ANTIMONY CORP",
        uei="M4KQ7ZLNR2C9",
        award_date=date(2026, 1, 30),
    )
    load(con, "run-1", NIGHT_1, [AWARD, MINING, DLA, WIRE, RECAP, rio, parent, later])
    suppliers = rows(
        con,
        """
        SELECT supplier_id, name, aliases, uei, deals, deal_ids, firm_usd
        FROM suppliers ORDER BY firm_usd DESC
        """,
    )
    assert suppliers == [
        (
            "united states antimony",
            USAC,
            [
                "U.S. ANTIMONY CORP",
                "UNITED STATES ANTIMONY CORPORATION",
                "USAC",
                "United States Antimony",
                "United States Antimony Corp",
                "United States Antimony Corp.",
            ],
            "M4KQ7ZLNR2C9",
            2,
            ["sam:SP8000-25-R-0009:antimony", "sam:SP8000-26-R-0040:antimony"],
            250e6,
        ),
        ("rio tinto", "Rio Tinto", [], None, 1, [f"news:{parent.row.doc_id}#1"], 60e6),
        (
            "rio tinto services",
            "Rio Tinto Services Inc.",
            ["RIO TINTO SERVICES INC."],
            "RT9XW3HBQ6J1",
            1,
            ["sam:SP8000-25-R-0016:scandium"],
            40e6,
        ),
    ]
    assert rows(con, "SELECT supplier_id, seen_as FROM supplier_names WHERE name = 'USAC'") == [
        ("united states antimony", ["alias"])
    ]


def test_supplier_keys_ignore_case_punctuation_and_legal_forms(
    con: duckdb.DuckDBPyConnection,
) -> None:
    keys = rows(
        con,
        """
        SELECT supplier_key(n) FROM (VALUES
            ('United States Antimony Corp.'), ('UNITED STATES ANTIMONY CORPORATION'),
            ('Shaanxi Qinling Antimony Industry Co., Ltd.'), ('Minera Huallaga S.A.'),
            ('The Company'), ('Harbor Graphite, L.L.C.'), ('Smith & Sons Inc')
        ) AS t(n)
        """,
    )
    assert [k for (k,) in keys] == [
        "united states antimony",
        "united states antimony",
        "shaanxi qinling antimony industry",
        "minera huallaga",
        None,
        "harbor graphite",
        "smith and sons",
    ]


def announcement(key: str, doc_id: str) -> AnnouncementRow:
    return AnnouncementRow(
        doc_id=doc_id,
        announcement_key=key,
        authority="MOFCOM",
        number=key.split()[1],
        title=f"Announcement {key}",
        language="zh",
        issued_on=date(2026, 3, 11),
        effective_on=date(2026, 3, 11),
        control_codes=(),
        items_json="[]",
        suspends=(),
        amends=(),
        suspended_until=None,
    )


def test_new_since_last_run_lists_what_the_latest_run_first_saw(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "run-1", NIGHT_1, [AWARD, MINING])
    mofcom = news("mofcom-2026-12", datetime(2026, 3, 11, tzinfo=UTC), [], kind="export_control")
    mofcom = Doc(
        row=mofcom.row,
        lines=(),
        announcement=announcement("MOFCOM 2026-12", mofcom.row.doc_id),
    )
    germanium = sam(
        "SP8000-26-R-0004",
        date(2026, 3, 11),
        [Line("germanium", 36e6, 10.0)],
        notice_type="Solicitation",
    )
    # a new report of last night's deal: a new document, not a new deal
    load(con, "run-2", NIGHT_2, [WIRE, germanium, mofcom, AWARD])
    new = rows(con, "SELECT run_id, item, item_id FROM new_since_last_run ORDER BY ALL")
    assert new == [
        ("run-2", "announcement", "MOFCOM 2026-12"),
        ("run-2", "deal", "sam:SP8000-26-R-0004:germanium"),
        ("run-2", "document", germanium.row.doc_id),
        ("run-2", "document", mofcom.row.doc_id),
        ("run-2", "document", WIRE.row.doc_id),
    ]
    since_first = rows(
        con, "SELECT item, count(*) FROM new_since_run('run-1') GROUP BY ALL ORDER BY ALL"
    )
    assert since_first == [("announcement", 1), ("deal", 2), ("document", 5)]
    # a reprocess run is not a night: the view still starts from run-2
    start_run(con, "run-3", mode="reprocess", started_at=datetime(2026, 3, 12, 9, tzinfo=UTC))
    finish_run(con, "run-3", status="ok", finished_at=datetime(2026, 3, 12, 9, tzinfo=UTC))
    assert rows(con, "SELECT run_id, item, item_id FROM new_since_last_run ORDER BY ALL") == new


def test_a_document_whose_text_changed_is_listed_as_updated_not_new(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "run-1", NIGHT_1, [AWARD, MINING])
    corrected = Doc(
        row=replace(
            MINING.row,
            text=MINING.row.text + " (corrected: the contract runs five years)",
            content_hash=MINING.row.content_hash + ":corrected",
        ),
        lines=MINING.lines,
    )
    load(con, "run-2", NIGHT_2, [AWARD, corrected, WIRE])
    assert rows(con, "SELECT run_id, item, item_id FROM new_since_last_run ORDER BY ALL") == [
        ("run-2", "document", WIRE.row.doc_id),
        ("run-2", "updated document", MINING.row.doc_id),
    ]
    # from run-1 on, the corrected article was first seen then: new, and not also "updated"
    items = rows(con, "SELECT item, item_id FROM new_since_run('run-1') ORDER BY ALL")
    assert ("document", MINING.row.doc_id) in items
    assert ("updated document", MINING.row.doc_id) not in items
