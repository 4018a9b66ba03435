"""General constructions found while the twenty-fifth session read the older sets' misses, each
written from invented sentences (no evaluation text), and each failing on bde08ea unless it says
it is a counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines, suppliers_of


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- a buyer known by its trade noun -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "mineral", "seller"),
    [
        (
            "Automaker Velmont signed a lithium supply deal with Orsa Group.",
            "lithium",
            "Orsa Group",
        ),
        (
            "Battery maker Velmont signed an offtake agreement with Orsa Graphite for flake "
            "graphite.",
            "graphite",
            "Orsa Graphite",
        ),
    ],
)
def test_a_subject_called_a_maker_of_goods_buys_from_its_counterparty(
    extractor: Extractor, sentence: str, mineral: str, seller: str
) -> None:
    facts = extractor.extract(sentence)
    assert suppliers_of(facts) == [seller]
    assert deal_lines(facts) == [(mineral, (seller,), None, None)]


def test_a_producer_of_materials_still_sells_to_a_maker(extractor: Extractor) -> None:
    # (guard: "battery materials producer" makes no buyer)
    facts = extractor.extract(
        "Battery materials producer Velmont signed a supply deal with Orsa Motors for "
        "lithium hydroxide."
    )
    assert suppliers_of(facts) == ["Velmont"]


# -- plural deal nouns ----------------------------------------------------------------------------


@pytest.mark.parametrize("noun", ["supply agreements", "supply deals"])
def test_deals_in_the_plural_are_deals(extractor: Extractor, noun: str) -> None:
    facts = extractor.extract(f"Velmont Motors inked lithium {noun} with Orsa Group last week.")
    assert deal_lines(facts) == [("lithium", ("Orsa Group",), None, None)]


# -- a budget spent on several deals -------------------------------------------------------------


def test_a_budget_spent_on_new_supply_contracts_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The power group plans to put some $640 million across twelve years on fresh uranium "
        "supply contracts. Its directors cleared a $410 million contract for Orsa Enrichment LLC "
        "to supply enriched uranium."
    )
    assert deal_lines(facts) == [("uranium", ("Orsa Enrichment LLC",), 410_000_000.0, None)]


# -- "for X to supply" ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "line"),
    [
        (
            "Its directors cleared a $180 million contract for Tarrow Inc. to supply uranium "
            "hexafluoride.",
            ("uranium", ("Tarrow Inc.",), 180_000_000.0, None),
        ),
        (
            # (a guard: an order's deliverer was read so before)
            "The agency placed an order for Harlow Metals LLC to deliver 40 tonnes of antimony "
            "ingots.",
            ("antimony", ("Harlow Metals LLC",), None, 40.0),
        ),
    ],
)
def test_the_party_a_deal_is_for_delivers(
    extractor: Extractor, sentence: str, line: tuple[object, ...]
) -> None:
    facts = extractor.extract(sentence)
    assert deal_lines(facts) == [line]


# -- award blocks of a one-material notice --------------------------------------------------------

_AWARD_NOTICE = """Notice ID: SP8000-26-R-0044
Contract Opportunity Type: Award Notice (Original)
Office: DLA STRATEGIC MATERIALS
Contract Award Dollar Amount: $9,300,000.00 (combined)

Description

The agency awarded two contracts on solicitation SP8000-26-R-0044 for antimony trioxide to \
add to its reserve; 1,500 metric tons (MT) in all.

Award 1
Contract: SP8000-26-D-0101
Awardee: KELSO ANTIMONY LLC, Thompson Falls, MT 59873 USA
Quantity: 600 MT
Unit price: $6,000.00 per MT
Total: $3,600,000.00

Award 2
Contract: SP8000-26-D-0102
Awardee: ORSA CHEMICAL CORP, Laredo, TX 78045 USA
Quantity: 900 MT
Unit price: $6,333.33 per MT
Total: $5,700,000.00

Deliveries are FOB Destination over a period of 18 months.
"""


def test_award_blocks_naming_no_material_are_each_a_contract_of_the_notices_one(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(_AWARD_NOTICE)
    assert deal_lines(facts) == [
        ("antimony", ("KELSO ANTIMONY LLC",), 3_600_000.0, 600.0),
        ("antimony", ("ORSA CHEMICAL CORP",), 5_700_000.0, 900.0),
    ]


# -- a deal for a mineral -------------------------------------------------------------------------


def test_a_deal_with_a_party_for_a_mineral_is_a_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velmont also inked a six-year pact with Kelso Lithium Group Co. for lithium hydroxide."
    )
    assert deal_lines(facts) == [("lithium", ("Kelso Lithium Group Co.",), None, None)]


def test_a_deal_for_a_minerals_project_is_no_line(extractor: Extractor) -> None:
    # (guard: the mineral names a project, not the goods)
    facts = extractor.extract("Velmont signed a $2 billion deal for Kelso's lithium project.")
    assert deal_lines(facts) == []


# -- a signer whose counterparty is only a seller of a kind --------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Velmont Energy inked a five-year deal with a Canadian lithium provider last week.",
        "Velmont Energy signed a supply contract with an Australian miner for spodumene "
        "concentrate.",
    ],
)
def test_one_that_signs_with_a_miner_of_a_kind_buys(extractor: Extractor, sentence: str) -> None:
    assert suppliers_of(extractor.extract(sentence)) == []


def test_the_seller_named_after_an_unnamed_provider_holds_the_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velmont Energy inked a five-year deal with a Canadian lithium provider. The agreement "
        "with Tarrow Minerals Inc. covers a third of the carbonate the Canadian company expects "
        "to make."
    )
    assert suppliers_of(facts) == ["Tarrow Minerals Inc."]


# -- the party a miner signs an offtake with takes its output ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "miner", "offtaker"),
    [
        (
            "Australian lithium miner Orsa Mining signed an offtake agreement with cathode "
            "materials producer Velmont International for its spodumene.",
            "Orsa Mining",
            "Velmont International",
        ),
        (
            "Kelso Graphite signed an offtake agreement with Shanghai-based graphite processor "
            "Tarrow Group for flake graphite.",
            "Kelso Graphite",
            "Tarrow Group",
        ),
    ],
)
def test_a_miners_offtaker_called_a_producer_buys(
    extractor: Extractor, sentence: str, miner: str, offtaker: str
) -> None:
    facts = extractor.extract(sentence)
    assert offtaker not in suppliers_of(facts)
    assert [line[1] for line in deal_lines(facts)] == [(miner,)]


def test_a_maker_signs_with_a_producer_that_sells(extractor: Extractor) -> None:
    # (guard: a buyer signs first)
    facts = extractor.extract(
        "Velmont Motors signed an offtake agreement with lithium producer Orsa Mining for "
        "hydroxide."
    )
    assert suppliers_of(facts) == ["Orsa Mining"]


@pytest.mark.parametrize(
    "text",
    [
        # (a guard: one sentence was read so before)
        "Harlow Lithium signed an offtake agreement with Velmont Group for spodumene concentrate.",
        "Kelso Metals has signed a maiden binding offtake agreement covering vanadium output of "
        "its Tarn project. The offtake agreement signed with Shanghai firm Orsa Group Co covers "
        "1,800 tonnes a year of vanadium over four years.",
    ],
)
def test_the_party_a_miners_offtake_is_signed_with_takes_the_output(
    extractor: Extractor, text: str
) -> None:
    facts = extractor.extract(text)
    seller = text.split(" ")[0] + " " + text.split(" ")[1]
    assert suppliers_of(facts) == [seller]
    assert [line[1] for line in deal_lines(facts)] == [(seller,)]


# -- a name the model calls a person, selling goods -----------------------------------------------


def test_a_person_shaped_name_that_ships_a_lot_of_oxide_is_a_company(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Brisco Tinto has shipped an initial lot of scandium oxide to an Australian maker of "
        "printed parts."
    )
    assert suppliers_of(facts) == ["Brisco Tinto"]


def test_a_person_who_sells_shares_is_no_company(extractor: Extractor) -> None:
    # (guard)
    facts = extractor.extract("Orsa Brenner has sold 20,000 shares as nickel prices fell.")
    assert [m.text for m in facts.mentions if m.kind == "organization"] == []


# -- a buyer's report of its own purchase ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Kelso Uranium PLC on Monday said it had exercised a purchase option to acquire 1.2 "
        "million pounds of uranium at USD52.10 per pound.",
        "Kelso Uranium PLC said it will buy 1.2 million pounds of uranium.",
    ],
)
def test_one_that_says_it_will_buy_is_no_seller(extractor: Extractor, sentence: str) -> None:
    facts = extractor.extract(sentence)
    assert suppliers_of(facts) == []
    assert [line[1] for line in deal_lines(facts)] == [()]


# -- figures --------------------------------------------------------------------------------------


def test_a_rate_stated_as_one_foreign_dollar_in_us_dollars_converts(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "The study puts the project's value at A$820 million (A$: US$0.68, 8% discount rate) "
        "and its revenue at A$3.1 billion."
    )
    assert sorted(m.usd for m in facts.mentions if m.kind == "money") == pytest.approx(
        [557_600_000.0, 2_108_000_000.0]
    )


@pytest.mark.parametrize(
    ("text", "tonnes"),
    [
        ("Output of 2,140 mtV beat the year before (1,870 mtV).", [1870.0, 2140.0]),
        ("The smelter made 14 ktCu and 620 tNi.", [620.0, 14_000.0]),
        ("Contained tin output of 6,410 tonnes2 is forecast.", [6410.0]),
    ],
)
def test_tonnes_of_an_element_written_onto_the_unit(
    extractor: Extractor, text: str, tonnes: list[float]
) -> None:
    facts = extractor.extract(text)
    assert sorted(m.tonnes for m in facts.mentions if m.kind == "quantity") == tonnes


def test_a_chinese_officer_title_names_no_company(extractor: Extractor) -> None:
    facts = extractor.extract("据报道，刚果一家国营矿企董事长称，钴价需要稳定。", language="zh")
    assert suppliers_of(facts) == []
    assert "董事长" not in [m.text for m in facts.mentions if m.kind == "organization"]


def test_the_site_after_the_goods_supplied_is_the_suppliers(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Nickel will supply Orsa Steel with nickel matte from its Brandt operation."
    )
    assert suppliers_of(facts) == ["Kelso Nickel"]
    assert deal_lines(facts) == [("nickel", ("Kelso Nickel",), None, None)]


def test_a_states_plan_to_buy_listed_metals_after_a_lead_on_its_reserves(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Ruritania intends to expand its strategic reserves in 2027.\n\n"
        "Tin, zinc, nickel and lithium feature on the list of metals the state intends to buy."
    )
    assert deal_lines(facts) == sorted(
        [
            ("tin", (), None, None),
            ("zinc", (), None, None),
            ("nickel", (), None, None),
            ("lithium", (), None, None),
        ]
    )


def test_a_consignment_of_a_mineral_to_a_customer_is_a_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Alloys shipped a consignment of 12 tonnes of titanium alloy products to Orsa "
        "Aeronautics Limited."
    )
    assert deal_lines(facts) == [("titanium", ("Kelso Alloys",), None, 12.0)]


# -- Chinese parties defined together -------------------------------------------------------------


def test_parties_listed_inside_brackets_share_the_sellers_term(extractor: Extractor) -> None:
    facts = extractor.extract(
        "凯索科技公告，旗下凯索硅片有限公司本周同维尔蒙集团的三家子公司（甲城维尔蒙硅业有限公司、"
        "乙城维尔蒙硅业有限公司、丙城维尔蒙硅业有限公司，以下合称“卖方”）签署硅料采购合约。\n\n"
        "协议约定买方自2027年起向卖方采购硅料约15万吨。",
        language="zh",
    )
    assert deal_lines(facts) == [
        (
            "silicon",
            ("甲城维尔蒙硅业有限公司", "乙城维尔蒙硅业有限公司", "丙城维尔蒙硅业有限公司"),
            None,
            150_000.0,
        )
    ]


def test_respectively_before_a_list_is_no_part_of_a_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "凯索能源一家子公司本周同维尔蒙绿能及其两家子公司（分别为甲城维尔蒙硅业有限公司、乙城维尔蒙硅业有限公司）"
        "签订硅料买卖合同。",
        language="zh",
    )
    names = [m.text for m in facts.mentions if m.kind == "organization"]
    assert "甲城维尔蒙硅业有限公司" in names
    assert not any(n.startswith("分别") for n in names)


def test_a_plan_to_buy_from_a_named_seller_is_its_line(extractor: Extractor) -> None:
    facts = extractor.extract("The agency plans to buy scandium oxide from Kelso Metals.")
    assert deal_lines(facts) == [("scandium", ("Kelso Metals",), None, None)]


# -- a seller's own auction ----------------------------------------------------------------------


def test_a_sellers_auction_and_what_it_will_rake_in(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Lithium Ltd's fourth auction of 5,000t of spodumene cleared at a record "
        "US$5,650/t overnight. It will rake in about $28.2m for this spot cargo."
    )
    assert deal_lines(facts) == [("lithium", ("Kelso Lithium Ltd",), 28_200_000.0, 5000.0)]


def test_a_tender_of_a_buyer_is_no_sale(extractor: Extractor) -> None:
    # (guard: a possessive tender may buy)
    facts = extractor.extract("Orsa Agency's tender for 400 tonnes of cobalt drew six offers.")
    assert suppliers_of(facts) == []


def test_a_listings_ticker_used_alone_stands_for_the_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Harlow Lithium Ltd (ASX: QZT) sold 5,000t of spodumene at auction. QZT said it would "
        "sell more spodumene in May."
    )
    assert suppliers_of(facts) == ["Harlow Lithium Ltd"]


def test_a_periods_group_figure_names_no_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Q3 2024 Group production of 812 mtV was four per cent above Q2 2024 production, Kelso "
        "Vanadium Limited said."
    )
    assert [m.text for m in facts.mentions if m.kind == "organization"] == [
        "Kelso Vanadium Limited"
    ]
