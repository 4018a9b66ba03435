"""Procurement-line rules: one line per mineral per deal, each with its own value, mass and
awardee (multiple-award notices, several deals in one sentence, values stated in a later
sentence, sums over several deals, budgets that are no deal). Texts are invented."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor

AWARD_HEAD = (
    "Notice ID: SP9999-26-R-0101\n"
    "Contract Opportunity Type: Award Notice (Original)\n"
    "Department/Ind. Agency: DEPT OF DEFENSE\n\n"
    "Description\n\n"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


Line = tuple[str, float | None, float | None, tuple[str, ...]]


def lines(facts: object) -> list[Line]:
    return sorted(
        (
            (
                p.mineral,
                p.usd,
                None if p.tonnes is None else round(p.tonnes, 4),
                p.suppliers,
            )
            for p in facts.procurements  # type: ignore[attr-defined]
        ),
        key=lambda line: (line[0], line[1] or 0, line[2] or 0),
    )


def test_award_blocks_each_keep_their_awardee_quantity_and_value(extractor: Extractor) -> None:
    text = AWARD_HEAD + (
        "The agency made the following awards for cobalt and tungsten.\n\n"
        "Award 1\n"
        "Awardee: NORTHFIELD COBALT LTD\n"
        "Item: CLIN 0001, Cobalt cathode, minimum 99.8% Co\n"
        "Quantity: 300 metric tons\n"
        "Unit Price: $30,000.00 per metric ton\n"
        "Award Amount: $9,000,000.00\n\n"
        "Award 2\n"
        "Awardee: RIVERBEND METALS INC\n"
        "Item: CLIN 0001, Cobalt cathode, minimum 99.8% Co\n"
        "Quantity: 100 metric tons\n"
        "Award Amount: $3,100,000.00\n\n"
        "Award 3\n"
        "Awardee: HIGHCREST TUNGSTEN SAS\n"
        "Item: CLIN 0002, Tungsten powder\n"
        "Quantity: 2,000 kg\n"
        "Award Amount: $500,000.00\n\n"
        "Combined value of the awards: $12,600,000.00\n"
    )
    assert lines(extractor.extract(text, title="Cobalt and Tungsten - Award Notice")) == [
        ("cobalt", 3_100_000.0, 100.0, ("RIVERBEND METALS INC",)),
        ("cobalt", 9_000_000.0, 300.0, ("NORTHFIELD COBALT LTD",)),
        ("tungsten", 500_000.0, 2.0, ("HIGHCREST TUNGSTEN SAS",)),
    ]


def test_lettered_awards_take_the_mineral_of_their_item(extractor: Extractor) -> None:
    text = AWARD_HEAD + (
        "Item 1: Niobium pentoxide powder, minimum 99.5% Nb2O5. The item went to two firms.\n"
        "(a) Contract Award Number: SP9999-26-D-0001\n"
        "Contractor Awarded Name: Eastgate Niobium LLC\n"
        "Estimated maximum quantity: 120 metric tons\n"
        "Contract maximum value: $4,800,000.00\n"
        "(b) Contract Award Number: SP9999-26-D-0002\n"
        "Contractor Awarded Name: Larchmont Alloys Inc.\n"
        "Estimated maximum quantity: 60 metric tons\n"
        "Contract maximum value: $2,500,000.00\n"
    )
    assert lines(extractor.extract(text, title="Niobium - Award Notice")) == [
        ("niobium", 2_500_000.0, 60.0, ("Larchmont Alloys Inc.",)),
        ("niobium", 4_800_000.0, 120.0, ("Eastgate Niobium LLC",)),
    ]


def test_prose_after_the_last_clin_is_not_part_of_it(extractor: Extractor) -> None:
    text = AWARD_HEAD.replace("Award Notice (Original)", "Solicitation") + (
        "- CLIN 0001: Niobium oxide, minimum 99.9%. Estimated maximum quantity: 50 metric tons.\n"
        "- CLIN 0002: Tantalum powder. Estimated maximum quantity: 8 metric tons.\n"
        "The guaranteed minimum is $500,000.00 and the maximum is $90,000,000.00 across all "
        "CLINs.\n"
    )
    assert lines(extractor.extract(text, title="Niobium and Tantalum")) == [
        ("niobium", None, 50.0, ()),
        ("tantalum", None, 8.0, ()),
    ]


def test_clin_line_items_with_quantity_and_value_lines(extractor: Extractor) -> None:
    text = AWARD_HEAD.replace("Award Notice (Original)", "Combined Synopsis/Solicitation") + (
        "CLIN 0001: Germanium metal, zone refined, packed in containers of 5 kg net.\n"
        "Estimated quantity: 800 kg over the ordering period.\n"
        "Minimum order quantity: 50 kg.\n"
        "Estimated value: $1,200,000.\n\n"
        "CLIN 0002: Gallium metal, 6N.\n"
        "Estimated quantity: 4 metric tons.\n"
        "Estimated value: $2,600,000.\n"
    )
    assert lines(extractor.extract(text, title="Germanium and Gallium")) == [
        ("gallium", 2_600_000.0, 4.0, ()),
        ("germanium", 1_200_000.0, 0.8, ()),
    ]


def test_several_masses_for_several_buyers_are_several_deals(extractor: Extractor) -> None:
    text = (
        "Harbour Graphite Inc. has agreed to supply 7,000 tonnes a year of anode material to "
        "Ostfeld Motors Ltd. and 2,500 tonnes a year to Orbit Cells Inc., the company said."
    )
    got = lines(extractor.extract(text))
    assert [(m, t) for m, _, t, _ in got] == [("graphite", 2500.0), ("graphite", 7000.0)]
    assert all(s == ("Harbour Graphite Inc.",) for *_, s in got)


def test_value_in_a_later_sentence_goes_to_the_party_it_names(extractor: Extractor) -> None:
    text = (
        "Ridgeway Titanium Co., Ltd. will supply 1,200 tonnes a year of titanium ingot to "
        "a turbine maker, and Lakeside Titanium Corp. has agreed to deliver 3,000 tonnes "
        "over four years to a jet builder. Ridgeway said its contract was worth about "
        "$140 million over six years."
    )
    got = lines(extractor.extract(text))
    assert ("titanium", 140_000_000.0, 1200.0, ("Ridgeway Titanium Co., Ltd.",)) in got
    assert ("titanium", None, 3000.0, ("Lakeside Titanium Corp.",)) in got


def test_the_acronym_contract_prices_the_deal_with_that_buyer(extractor: Extractor) -> None:
    text = (
        "Crestline Mining Inc. has agreed to sell up to 900 tonnes a year of tungsten "
        "concentrate to Nordhavn Steel AG and 200 tonnes of ammonium paratungstate to the "
        "Defense Logistics Agency, the miner said. The DLA contract, worth $21 million, runs "
        "for two years."
    )
    got = lines(extractor.extract(text))
    assert ("tungsten", 21_000_000.0, 200.0, ("Crestline Mining Inc.",)) in got
    assert ("tungsten", None, 900.0, ("Crestline Mining Inc.",)) in got


def test_pronoun_sentence_prices_the_latest_deal(extractor: Extractor) -> None:
    text = (
        "The agency bought 3,000 kilograms of germanium from Northgate Metals Inc. for $7 "
        "million. The second contract, for 1,500 kg of gallium, went to Southgate Metals Inc. "
        "It is valued at $4 million."
    )
    got = lines(extractor.extract(text))
    assert ("gallium", 4_000_000.0, 1.5, ("Southgate Metals Inc.",)) in got
    assert ("germanium", 7_000_000.0, 3.0, ("Northgate Metals Inc.",)) in got


def test_a_combined_sum_over_several_contracts_is_no_line(extractor: Extractor) -> None:
    text = (
        "The agency has awarded two contracts worth a combined $30 million for rare earth "
        "materials. The contracts went to Alpha Oxides Inc., $20 million for 10 metric tons "
        "of terbium oxide; and Beta Metals LLC, $10 million for 40 metric tons of lanthanum "
        "carbonate."
    )
    got = lines(extractor.extract(text))
    assert all(usd != 30_000_000.0 for _, usd, _, _ in got)
    assert ("terbium", 20_000_000.0, 10.0, ("Alpha Oxides Inc.",)) in got
    assert ("lanthanum", 10_000_000.0, 40.0, ("Beta Metals LLC",)) in got


def test_budget_money_is_flagged_and_makes_no_line(extractor: Extractor) -> None:
    text = (
        "Parliament appropriated $40 million for a graphite reserve in fiscal 2026. "
        "Lawmakers added $600 million to the reserve's budget for nickel purchases."
    )
    facts = extractor.extract(text)
    assert {m.usd for m in facts.money} == {40_000_000.0, 600_000_000.0}
    assert lines(facts) == []


def test_will_deliver_is_a_supply_cue(extractor: Extractor) -> None:
    text = (
        "Under the agreement, Eastvale Smelting Co., Ltd. will deliver 40 tonnes of indium "
        "and 90 tonnes of bismuth to the state stockpiling agency by the end of 2027."
    )
    got = lines(extractor.extract(text))
    assert [(m, t) for m, _, t, _ in got] == [("bismuth", 90.0), ("indium", 40.0)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Under the deal, Acme Metals Ltd delivers 500 tonnes a year of tungsten concentrate to "
        "the agency.",
        "Acme Metals Ltd sold 500 tonnes of tungsten concentrate to the agency.",
        "500 tonnes of tungsten concentrate was sold to the agency by Acme Metals Ltd.",
        "The agency has secured supply of 500 tonnes a year of tungsten concentrate from Acme "
        "Metals Ltd.",
        "The agency will take 500 tonnes a year of tungsten concentrate from Acme Metals Ltd.",
    ],
)
def test_deal_verbs_beyond_supply_and_buy(extractor: Extractor, sentence: str) -> None:
    facts = extractor.extract(sentence, title="Agency signs tungsten deal")
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("tungsten", 500.0)]


@pytest.mark.parametrize(
    "follow_up",
    [
        "The four-year deal, worth about $26 million a year, begins in 2027.",
        "The deliveries are worth about $26 million a year, officials said.",
        "At today's prices, the agreement should generate revenue of about $26 million a year.",
        "The contract is worth roughly $26 million a year; cobalt traded at $21 a pound.",
        "The carmaker will pay about $26 million a year for the material.",
    ],
)
def test_a_later_sentence_on_the_deal_prices_it(extractor: Extractor, follow_up: str) -> None:
    text = (
        "Quarrow Cobalt Inc. has signed its first customer: a carmaker will take 1,100 tonnes "
        f"a year of cobalt sulphate. {follow_up}"
    )
    facts = extractor.extract(text, title="Quarrow Cobalt signs cobalt customer")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [("cobalt", 26e6, 1100.0)]


def test_a_figureless_award_takes_the_figures_of_the_next_sentence(
    extractor: Extractor,
) -> None:
    text = (
        "The second contract, for cobalt powder, was awarded to Ridge Carbide Inc. of Ohio. "
        "It calls for 120,000 pounds of powder and has a value of $7.8 million."
    )
    facts = extractor.extract(text, title="Agency buys cobalt")
    assert lines(facts) == [("cobalt", 7.8e6, 54.431, ("Ridge Carbide Inc.",))]


def test_a_second_deal_named_by_the_short_form_of_its_supplier(extractor: Extractor) -> None:
    text = (
        "Lot 1 went to Fenwick Powders Corp., which will supply 700 metric tons of cobalt "
        "under a contract valued at $31.4 million. Durrant Mining Inc., which mines cobalt "
        "in Zambia, won Lot 2 for cobalt "
        "hydroxide. Durrant is to supply 400 metric tons, and its award is worth $9.4 "
        "million."
    )
    facts = extractor.extract(text, title="Agency awards cobalt lots")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [
        ("cobalt", 31.4e6, 700.0),
        ("cobalt", 9.4e6, 400.0),
    ]
    assert facts.procurements[1].suppliers == ("Durrant Mining Inc.",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Buyers agreed to purchase germanium and indium worth a combined $140 million.",
        "The agency has awarded contracts worth a combined $28 million for 900 tonnes of bismuth.",
        "Together the orders, worth $17.2 million, are its first purchase of rare earths.",
    ],
)
def test_sums_over_several_deals_make_no_line(extractor: Extractor, sentence: str) -> None:
    facts = extractor.extract(sentence, title="Stockpile purchases")
    assert facts.procurements == ()


def test_a_mineral_naming_a_facility_takes_no_figure(extractor: Extractor) -> None:
    text = (
        "15 tonnes of gallium was sold to the agency by Korea Metals Co., Ltd., which recovers "
        "it at its zinc smelter, for $7.1 million."
    )
    facts = extractor.extract(text, title="Agency buys gallium")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [("gallium", 7.1e6, 15.0)]


def test_key_terms_bullets_give_a_figureless_offtake_its_mass_and_value(
    extractor: Extractor,
) -> None:
    text = (
        "Bellmont Metals Limited has signed a binding offtake agreement with Ostfeld Trading "
        "for all tungsten concentrate from its project.\n\n"
        "Key terms\n"
        "- Volume: all tungsten concentrate from the mine, estimated at 2,400 tonnes per annum\n"
        "- Estimated revenue: about US$190 million over the term, based on a tungsten "
        "price of US$26,000/t\n"
    )
    facts = extractor.extract(text, title="Bellmont signs tungsten offtake")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [
        ("tungsten", 190e6, 2400.0)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The plant also makes 120,000 tonnes a year of cement clinker.",
        "The agency also awarded a $600 million contract for 150 million gallons of diesel.",
        "Refined output of cobalt rose to 4,150 tonnes in the quarter.",
    ],
)
def test_other_goods_and_output_figures_join_no_deal(extractor: Extractor, sentence: str) -> None:
    text = (
        f"Quarrow Cobalt Inc. agreed to supply 40 tonnes a year of cobalt to a refiner. {sentence}"
    )
    facts = extractor.extract(text, title="Quarrow Cobalt supply deal")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [("cobalt", None, 40.0)]


def test_a_buyer_named_as_subject_buys_from_the_release_issuer(extractor: Extractor) -> None:
    text = (
        "Loma Gris Minerals S.A. has sold its first concentrate. Under the first agreement, "
        "Ostfeld Trading will buy 60,000 tonnes a year of zinc concentrate from 2028."
    )
    facts = extractor.extract(text, title="Loma Gris Minerals sells zinc concentrate")
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("zinc", 60000.0)]


def test_a_price_with_its_bracketed_equivalent_is_no_deal(extractor: Extractor) -> None:
    text = (
        "Buyers paid more for ferro-silicon this week. Fastmetal assessed ferro-silicon 75% Si, "
        "delivered Europe, at €1,050-1,100 ($1,260-1,320) per tonne on Friday."
    )
    assert extractor.extract(text).procurements == ()


def test_an_earlier_contracts_volume_is_superseded_by_the_new_one(extractor: Extractor) -> None:
    text = (
        "Harlow Coal has signed an agreement with Orsa Steel to boost supplies of coking coal "
        "to 900,000 tonnes a year. An earlier contract provided for supplies of 600,000 "
        "tonnes of coking coal a year."
    )
    facts = extractor.extract(text)
    assert sorted(q.tonnes or 0 for q in facts.quantities) == [600_000.0, 900_000.0]
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [
        ("metallurgical coal", 900_000.0)
    ]
