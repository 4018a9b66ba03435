"""Procurement lines read from layouts rather than sentences: pipe tables of deals (plans,
CLIN schedules, award lists) with quantity, unit and value in columns of their own; the lot
blocks of a Chinese award announcement; a filing's labelled contract value; a deal sentence
that names its supplier only by reference. Texts are invented."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor
from minwatch.nlp.amounts import pipe_tables


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def lines(facts: object) -> list[tuple[str, float | None, float | None, tuple[str, ...]]]:
    return sorted(
        (
            p.mineral,
            p.usd,
            None if p.tonnes is None else round(p.tonnes, 4),
            p.suppliers,
        )
        for p in facts.procurements  # type: ignore[attr-defined]
    )


PLAN = (
    "The agency released its plan for potential acquisitions for the stockpile.\n\n"
    "Table 1. Potential Acquisitions\n\n"
    "Material | Form | Unit | Maximum quantity | Estimated value\n"
    "Cobalt | Cathode | Short tons | 500 | $20,000,000\n"
    "Germanium | Metal | Kilograms | 3,000 | $6,000,000\n"
    "Rhodium | Sponge | Troy ounces | 900 | $4,000,000\n"
)


def test_pipe_tables_give_cells_in_document_offsets() -> None:
    (table,) = pipe_tables(PLAN)
    assert table.header == ["Material", "Form", "Unit", "Maximum quantity", "Estimated value"]
    lo, hi, cell = table.rows[1].cells[3]
    assert PLAN[lo:hi] == cell == "3,000"


def test_a_plan_table_gives_one_line_per_row(extractor: Extractor) -> None:
    facts = extractor.extract(PLAN)
    assert lines(facts) == [
        ("cobalt", 20_000_000, 453.5925, ()),
        ("germanium", 6_000_000, 3.0, ()),
        # troy ounces are no mass: the line keeps its value only
        ("rhodium", 4_000_000, None, ()),
    ]
    assert sorted(round(q.tonnes, 4) for q in facts.quantities) == [3.0, 453.5925]


def test_a_revised_table_counts_both_figures_and_the_line_takes_the_new_one(
    extractor: Extractor,
) -> None:
    text = (
        "Revision 1 to the plan for potential acquisitions.\n\n"
        "Material | Unit | Previous maximum | Revised maximum | Estimated value\n"
        "Tin ingot | Metric tons | 100 | 150 | $4,500,000\n"
    )
    facts = extractor.extract(text)
    assert lines(facts) == [("tin", 4_500_000, 150.0, ())]
    assert sorted(q.tonnes for q in facts.quantities) == [100.0, 150.0]


def test_a_unit_in_the_header_and_an_awardee_column(extractor: Extractor) -> None:
    text = (
        "Contract awards for the stockpile:\n\n"
        "Material | Awardee | Quantity (kg) | Award amount\n"
        "Gallium metal | Alpha Metals LLC | 2,000 | $1,500,000\n"
        "Indium ingot | Beta Refining Inc. | 5,000 | $2,000,000\n"
    )
    assert lines(extractor.extract(text)) == [
        ("gallium", 1_500_000, 2.0, ("Alpha Metals LLC",)),
        ("indium", 2_000_000, 5.0, ("Beta Refining Inc.",)),
    ]


def test_a_price_table_is_no_deal(extractor: Extractor) -> None:
    text = (
        "Prices rose this week.\n\n"
        "Material | Unit | Price | Change\n"
        "Cobalt | Metric tons | $33,000 | +2%\n"
        "Lithium carbonate | Metric tons | $10,500 | -1%\n"
    )
    assert lines(extractor.extract(text)) == []


def test_lot_blocks_of_a_chinese_award_announcement(extractor: Extractor) -> None:
    text = (
        "某公司2025年度钴及锗采购项目中标结果公告\n\n"
        "标段一：电解钴\n"
        "采购数量：200吨\n"
        "中标人：甲钴业有限公司\n"
        "中标单价：25万元/吨（含税）\n\n"
        "标段二：锗锭\n"
        "采购数量：3000千克\n"
        "中标人：乙锗业股份有限公司\n"
        "中标金额：150万美元\n"
    )
    assert lines(extractor.extract(text, language="zh")) == [
        ("cobalt", None, 200.0, ("甲钴业有限公司",)),
        ("germanium", 1_500_000, 3.0, ("乙锗业股份有限公司",)),
    ]


def test_a_filing_takes_its_labelled_contract_value(extractor: Extractor) -> None:
    text = (
        "● 合同金额：合同总金额约为人民币14亿元（约合2亿美元），以实际结算金额为准。\n\n"
        "合同期内，公司向买方销售电池级碳酸锂合计不超过2万吨。\n"
    )
    (line,) = lines(extractor.extract(text, language="zh"))
    assert line[:3] == ("lithium", 200_000_000, 20000.0)


def test_a_next_sentence_awarding_it_names_the_supplier(extractor: Extractor) -> None:
    text = (
        "The agency awarded two contracts for the stockpile. "
        "The first contract, valued at $12 million, calls for 40 metric tons of cobalt metal. "
        "It was awarded to Ridgeway Cobalt Inc. of "
        "Denver, Colorado."
    )
    assert lines(extractor.extract(text)) == [
        ("cobalt", 12_000_000, 40.0, ("Ridgeway Cobalt Inc.",))
    ]


def test_an_award_table_of_one_mineral_named_in_its_header_replaces_the_solicitation(
    extractor: Extractor,
) -> None:
    text = (
        "The reserve office issued a tender in March to buy as much as 600,000 pounds of U3O8 "
        "mined at home.\n\n"
        "Contracts placed under that call to date:\n\n"
        "| Company | U3O8 volume | Award value |\n"
        "| Harlow Uranium Inc | 200,000 pounds | award of USD12.5 million |\n"
        "| Kelso Energy | 100,000 pounds | USD68.20 per pound |\n"
        "| Orsa Resources | 100,000 pounds | USD66.10 per pound |\n"
    )
    facts = extractor.extract(text, title="Uranium reserve awards")
    # one line per awardee's row (two with equal figures are two deals), none for the call
    assert [
        (p.mineral, p.usd, round(p.tonnes or 0, 4), p.suppliers) for p in facts.procurements
    ] == [
        ("uranium", 12.5e6, 90.7184, ("Harlow Uranium Inc",)),
        ("uranium", None, 45.3592, ("Kelso Energy",)),
        ("uranium", None, 45.3592, ("Orsa Resources",)),
    ]


def test_a_remark_on_an_item_s_line_does_not_end_a_buying_list(extractor: Extractor) -> None:
    text = (
        "The agency plans to buy strategic metals worth as much as $800 million.\n\n"
        "Its purchase plans include:\n"
        "- Cobalt: up to about $400 million. The metal goes into jet engine alloys.\n"
        "- Antimony: about $190 million.\n"
    )
    facts = extractor.extract(text, title="Stockpile purchase plans")
    assert lines(facts) == [("antimony", 190e6, None, ()), ("cobalt", 400e6, None, ())]


def test_a_state_reserve_stockpiling_a_mineral_is_a_purchase(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Prices rose after reports that the state reserve bureau is stockpiling cobalt metal.",
        title="Cobalt market report",
    )
    assert lines(facts) == [("cobalt", None, None, ())]


def test_a_wire_s_space_aligned_award_table_gives_a_line_per_row(extractor: Extractor) -> None:
    text = (
        "TAIPEI, May 4 - The state buyer bought 4,500 tonnes of zinc and 300 tonnes of tin via "
        "tenders that closed on Tuesday, the procurement office said.\n\n"
        "The results were:\n\n"
        "--Zinc ingot\n"
        "TONNES   SUPPLIER/PRICE (FOB/T)            ORIGIN\n"
        "1,500    Harlow Metals Corp/$88            Peru\n"
        "3,000    Kelso Trading AG/$91.5            Australia\n\n"
        "--Tin\n"
        "TONNES   SUPPLIER                     PREMIUM\n"
        "300      Orsa Resources Ltd           $410\n"
    )
    facts = extractor.extract(text, title="State buyer purchases zinc and tin")
    # the rows are the deals; the lead's totals are their sums, no deals of their own
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("zinc", 1500.0, ("Harlow Metals Corp",)),
        ("zinc", 3000.0, ("Kelso Trading AG",)),
        ("tin", 300.0, ("Orsa Resources Ltd",)),
    ]
    assert set(facts.suppliers) == {"Harlow Metals Corp", "Kelso Trading AG", "Orsa Resources Ltd"}
