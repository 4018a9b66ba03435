"""General constructions found while the twenty-fourth session read its sets, each written from
invented sentences (no evaluation text), and each failing on 381b576 unless it says it is a
counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines, suppliers_of


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- contract digests and multiple awards ----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Brenna Metals, Reno, Nevada, has been awarded a $9,400,000 firm-fixed-price contract "
        "for gallium.",
        "Brenna Metals, Reno, Nevada, has been awarded a $9.4 million contract for gallium "
        "for the National Defense Stockpile.",
    ],
)
def test_a_digests_winner_without_a_legal_form_is_known_by_its_address(
    extractor: Extractor, sentence: str
) -> None:
    facts = extractor.extract(sentence)
    assert suppliers_of(facts) == ["Brenna Metals"]
    assert deal_lines(facts) == [("gallium", ("Brenna Metals",), 9_400_000.0, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Brenna Metals Inc. and Lodvik Alloys LLC have been awarded contracts for gallium.",
        "Brenna Metals Inc. and Lodvik Alloys LLC were awarded contracts for gallium.",
        "Brenna Metals Inc. and Lodvik Alloys LLC have each been awarded a contract for gallium.",
    ],
)
def test_winners_of_contracts_each_hold_a_line(extractor: Extractor, sentence: str) -> None:
    facts = extractor.extract(sentence)
    assert deal_lines(facts) == [
        ("gallium", ("Brenna Metals Inc.",), None, None),
        ("gallium", ("Lodvik Alloys LLC",), None, None),
    ]


def test_one_contract_awarded_to_two_is_one_line(extractor: Extractor) -> None:
    # (counter-example: one contract, two holders)
    facts = extractor.extract(
        "Brenna Metals Inc. and Lodvik Alloys LLC have been awarded a contract for gallium."
    )
    assert deal_lines(facts) == [
        ("gallium", ("Brenna Metals Inc.", "Lodvik Alloys LLC"), None, None)
    ]


# -- a material named by its elements --------------------------------------------------------------


def test_a_cathode_named_by_its_metals_is_a_line_of_each(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Varden Materials will deliver 40,000 tonnes of NCM (nickel cobalt manganese) precursor "
        "to Osric Cells."
    )
    assert deal_lines(facts) == [
        ("cobalt", ("Varden Materials",), None, 40_000.0),
        ("manganese", ("Varden Materials",), None, 40_000.0),
        ("nickel", ("Varden Materials",), None, 40_000.0),
    ]


def test_a_compound_with_hyphens_and_spaces_is_a_line_of_each(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Varden Materials agreed to sell 9,000 tons of lithium nickel-manganese-cobalt oxide "
        "powder to Osric Cells next year."
    )
    assert deal_lines(facts) == [
        ("cobalt", ("Varden Materials",), None, 9_000.0),
        ("lithium", ("Varden Materials",), None, 9_000.0),
        ("manganese", ("Varden Materials",), None, 9_000.0),
        ("nickel", ("Varden Materials",), None, 9_000.0),
    ]


def test_minerals_listed_with_their_own_figures_stay_apart(extractor: Extractor) -> None:
    # (guard: "500 tonnes of cobalt and 200 tonnes of nickel" is two deals, each its figure)
    facts = extractor.extract(
        "Varden Materials will supply 500 tonnes of cobalt and 200 tonnes of nickel to Osric."
    )
    assert deal_lines(facts) == [
        ("cobalt", ("Varden Materials",), None, 500.0),
        ("nickel", ("Varden Materials",), None, 200.0),
    ]


# -- joint parties ---------------------------------------------------------------------------------


def test_a_joint_subject_whose_deal_names_its_seller_again(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Varden Materials and Osric Cells have signed an agreement under which Varden will "
        "supply 40,000 tonnes of cobalt sulphate."
    )
    assert suppliers_of(facts) == ["Varden Materials"]
    assert deal_lines(facts) == [("cobalt", ("Varden Materials",), None, 40_000.0)]


@pytest.mark.parametrize(
    ("source", "seller"),
    [
        ("Deliveries will come from Varden refineries in Finland.", "Varden Materials"),
        ("The material will be shipped from Osric's port.", "Osric Cells"),
    ],
)
def test_a_joint_subjects_deal_sourced_next_from_one_party(
    extractor: Extractor, source: str, seller: str
) -> None:
    facts = extractor.extract(
        "Varden Materials and Osric Cells have signed an agreement to supply 40,000 tonnes of "
        f"cobalt sulphate from 2027. {source}"
    )
    assert suppliers_of(facts) == [seller]
    assert deal_lines(facts) == [("cobalt", (seller,), None, 40_000.0)]


def test_a_one_word_party_that_signs_with_another_is_found(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velmont and Osric Cells have agreed a long-term contract to deliver 8,000 tonnes of "
        "cobalt sulphate. Deliveries will come from Velmont refineries in Chile."
    )
    assert suppliers_of(facts) == ["Velmont"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Brisco Motors signed a deal with Harlow Lithium to buy 6,500 tons of lithium "
        "hydroxide a year.",
        "Brisco Motors has signed an agreement with Harlow Lithium to purchase 6,500 tons of "
        "lithium hydroxide a year.",
        "Brisco Motors reached an agreement with Harlow Lithium to source 6,500 tons of lithium "
        "hydroxide a year.",
    ],
)
def test_the_party_a_buyer_signs_with_to_buy_sells(extractor: Extractor, sentence: str) -> None:
    facts = extractor.extract(sentence)
    assert suppliers_of(facts) == ["Harlow Lithium"]
    assert deal_lines(facts) == [("lithium", ("Harlow Lithium",), None, 6_500.0)]


def test_a_stake_bought_from_the_party_is_no_sale_of_the_mineral(extractor: Extractor) -> None:
    # (counter-example)
    facts = extractor.extract(
        "Orsa Holdings signed a deal with Harlow Capital Ltd to buy a 20% stake in the Merrin "
        "lithium project."
    )
    assert "Harlow Capital Ltd" not in suppliers_of(facts)


# -- names -----------------------------------------------------------------------------------------


def test_shares_of_a_company_open_no_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Shares of Harlow Industrial Group jumped after the company said it would sell lithium "
        "hydroxide to Brisco Chem."
    )
    assert suppliers_of(facts) == ["Harlow Industrial Group"]


def test_a_unit_named_before_its_group_keeps_its_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Nova Materials, the cathode and anode arm of Orsa Group, has won a graphite supply "
        "contract worth $310 million from a truck maker."
    )
    assert deal_lines(facts) == [("graphite", ("Orsa Nova Materials",), 310_000_000.0, None)]


# -- a deal's value told apart from its mineral ----------------------------------------------------


def test_a_deals_value_told_before_its_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Halden Materials has won a supply contract worth $310 million from a truck maker. "
        "The company will deliver flake graphite concentrate from 2028."
    )
    assert deal_lines(facts) == [("graphite", ("Halden Materials",), 310_000_000.0, None)]


def test_an_award_of_funds_lends_no_value_to_the_next_sentence(extractor: Extractor) -> None:
    # (counter-example: the money is a grant's)
    facts = extractor.extract(
        "Halden Materials was awarded $7.2 million by the Department of Defense. The company "
        "will deliver flake graphite concentrate from its plant in Ohio."
    )
    assert all(line.usd is None for line in facts.procurements)


def test_a_deal_restated_past_its_own_clause_takes_its_value(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Brisco Motors signed a deal with Harlow Lithium Corp. to buy 6,500 tons of lithium "
        "hydroxide a year from 2026. The deal, which follows months of talks, has a volume of "
        "0.9 billion euros ($1.1 billion), the companies said."
    )
    assert deal_lines(facts) == [("lithium", ("Harlow Lithium Corp.",), 1_100_000_000.0, 6_500.0)]


def test_a_battery_maker_set_off_by_dashes_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Metals said it has agreed a five-year supply and purchase agreement with Tarrow "
        "Energy Ltd. — a leading battery cell maker — for tin, zinc and lead."
    )
    assert suppliers_of(facts) == ["Kelso Metals"]
    assert [line.mineral for line in facts.procurements] == ["tin", "zinc", "lead"]


def test_a_deal_that_lists_its_minerals_keeps_them_beside_a_later_figure(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Metals mined 61,300 tons of zinc last year. Kelso said it has agreed a supply "
        "contract with Tarrow Smelting for tin, zinc and lead. Tarrow bought $212 million worth "
        "of products from Kelso in the first half.",
        title="Kelso zinc output jumps",
    )
    assert {line.mineral for line in facts.procurements} == {"tin", "zinc", "lead"}


def test_the_cells_the_goods_go_into_are_no_deal_of_their_own(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Anode signed a contract to supply spherical graphite for lithium-ion cells. The "
        "contract is worth about $240 million."
    )
    assert [(line.mineral, line.usd) for line in facts.procurements] == [
        ("graphite", 240_000_000.0)
    ]


def test_a_company_to_be_renamed_is_read_apart_from_its_new_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "公司与北岭投资集团有限公司签订框架协议，泰安石墨拟更名为东岳碳素科技有限公司，"
        "向公司供应石墨精矿。",
        language="zh",
    )
    assert "东岳碳素科技有限公司" in suppliers_of(facts)
    assert not any("更名为" in name for name in suppliers_of(facts))
