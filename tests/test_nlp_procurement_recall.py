"""Procurement lines stated in the ways real texts state them and the rules once missed: a
purchase called an "acquisition", a seller who will "furnish" or "source" a mass, a buyer's
stated plan to buy minerals without figures, Chinese supply sentences (供应, 销售, 提供), and
the figures that are no deal's size (a first shipment, what a mine could supply). Texts are
invented."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def lines(extractor: Extractor, text: str, **kwargs: str) -> list[tuple[str, float | None]]:
    facts = extractor.extract(text, **kwargs)
    return sorted(
        (p.mineral, None if p.tonnes is None else round(p.tonnes, 3)) for p in facts.procurements
    )


def test_a_potential_acquisition_lists_one_line_per_mineral(extractor: Extractor) -> None:
    text = (
        "The reserve agency asked suppliers about prices last week. It said the questions came "
        "ahead of the potential acquisition of 400 tons of gallium metal, 90 tons of germanium "
        "and 1,200 tons of bismuth."
    )
    assert lines(extractor, text) == [("bismuth", 1200.0), ("gallium", 400.0), ("germanium", 90.0)]


def test_acquisition_plans_with_values_per_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency's acquisition plans include up to $80 million of tungsten and $20 million "
        "of indium."
    )
    assert sorted((p.mineral, p.usd) for p in facts.procurements) == [
        ("indium", 20_000_000.0),
        ("tungsten", 80_000_000.0),
    ]


def test_a_seller_who_will_furnish_a_mass_makes_a_line(extractor: Extractor) -> None:
    text = (
        "Harwick Lithium Corp. will furnish the carmaker with 20,000 tonnes of lithium "
        "hydroxide under a six-year agreement."
    )
    assert lines(extractor, text) == [("lithium", 20000.0)]


def test_a_buyers_plan_to_buy_named_minerals_is_a_line_each(extractor: Extractor) -> None:
    text = (
        "The trade ministry said on Friday it will rebuild its strategic metals stockpile. "
        "The ministry plans to buy tungsten, bismuth and indium for the reserve over five years."
    )
    assert lines(extractor, text, title="Ministry to rebuild metals stockpile") == [
        ("bismuth", None),
        ("indium", None),
        ("tungsten", None),
    ]


def test_a_hedged_or_denied_plan_to_buy_is_no_line(extractor: Extractor) -> None:
    text = (
        "The trade ministry said on Friday it will review its strategic metals stockpile. "
        "The ministry has not decided whether to buy tungsten for the reserve."
    )
    assert lines(extractor, text, title="Ministry reviews metals stockpile") == []


def test_a_chinese_supply_sentence_is_a_line(extractor: Extractor) -> None:
    text = "东岭材料公司宣布，公司将于明年向下游客户供应3000吨碳酸锂。"
    assert lines(extractor, text, language="zh", title="东岭材料签署碳酸锂供货安排") == [
        ("lithium", 3000.0)
    ]


def test_what_a_mine_could_supply_is_no_line(extractor: Extractor) -> None:
    text = "该公司拥有一座锂辉石矿，规划产能30万吨/年，预计可供应8000吨碳酸锂。"
    assert lines(extractor, text, language="zh", title="某公司锂矿项目进展") == []


def test_a_first_shipment_is_no_deals_size(extractor: Extractor) -> None:
    text = (
        "东岭材料公司宣布将在本月向买方供应首批20吨碳酸锂。"
        "根据协议，东岭材料每年向买方提供1500吨碳酸锂。"
    )
    assert lines(extractor, text, language="zh", title="东岭材料将供应首批碳酸锂") == [
        ("lithium", 1500.0)
    ]
