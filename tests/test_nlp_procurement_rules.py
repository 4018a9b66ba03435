"""Procurement-line rules: one line per mineral per deal, each with its own value, mass and
awardee (multiple-award notices, several deals in one sentence, values stated in a later
sentence, sums over several deals, budgets that are no deal). Texts are invented."""

from __future__ import annotations

import pytest

from nlp import Extractor

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
        "Total value of all awards: $12,600,000.00\n"
    )
    assert lines(extractor.extract(text, title="Cobalt and Tungsten - Award Notice")) == [
        ("cobalt", 3_100_000.0, 100.0, ("RIVERBEND METALS INC",)),
        ("cobalt", 9_000_000.0, 300.0, ("NORTHFIELD COBALT LTD",)),
        ("tungsten", 500_000.0, 2.0, ("HIGHCREST TUNGSTEN SAS",)),
    ]


def test_lettered_awards_take_the_mineral_of_their_item(extractor: Extractor) -> None:
    text = AWARD_HEAD + (
        "Item 1: Vanadium pentoxide flake, minimum 98% V2O5. Two awards were made.\n"
        "(a) Contract Award Number: SP9999-26-D-0001\n"
        "Contractor Awarded Name: Eastgate Vanadium LLC\n"
        "Estimated maximum quantity: 400 metric tons\n"
        "Contract maximum value: $6,000,000.00\n"
        "(b) Contract Award Number: SP9999-26-D-0002\n"
        "Contractor Awarded Name: Westgate Alloys Inc.\n"
        "Estimated maximum quantity: 200 metric tons\n"
        "Contract maximum value: $3,200,000.00\n"
    )
    assert lines(extractor.extract(text, title="Vanadium - Award Notice")) == [
        ("vanadium", 3_200_000.0, 200.0, ("Westgate Alloys Inc.",)),
        ("vanadium", 6_000_000.0, 400.0, ("Eastgate Vanadium LLC",)),
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
        "Harbour Graphite Inc. has agreed to supply 9,000 tonnes a year of anode material to "
        "Kestrel Motors Ltd. and 4,000 tonnes a year to Orbit Cells Inc., the company said."
    )
    got = lines(extractor.extract(text))
    assert [(m, t) for m, _, t, _ in got] == [("graphite", 4000.0), ("graphite", 9000.0)]
    assert all(s == ("Harbour Graphite Inc.",) for *_, s in got)


def test_value_in_a_later_sentence_goes_to_the_party_it_names(extractor: Extractor) -> None:
    text = (
        "Ridgeway Titanium Co., Ltd. will supply 2,000 tonnes of titanium sponge a year to "
        "an engine maker, and Lakeside Titanium Corp. has agreed to deliver 5,000 tonnes "
        "over three years to an airframe maker. Ridgeway said its contract was worth about "
        "$250 million over five years."
    )
    got = lines(extractor.extract(text))
    assert ("titanium", 250_000_000.0, 2000.0, ("Ridgeway Titanium Co., Ltd.",)) in got
    assert ("titanium", None, 5000.0, ("Lakeside Titanium Corp.",)) in got


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
        "Congress appropriated $75 million for a uranium reserve in fiscal 2021. "
        "Lawmakers added $2 billion to the stockpile's budget for cobalt purchases."
    )
    facts = extractor.extract(text)
    assert {m.usd for m in facts.money} == {75_000_000.0, 2_000_000_000.0}
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
        "The five-year deal, worth about $38 million a year, starts in 2026.",
        "The supplies are worth about $38 million a year, officials said.",
        "At current prices, the agreement is expected to generate revenue of about $38 million "
        "a year.",
        "The contract is worth roughly $38 million a year; cobalt traded at $24 a pound.",
        "The carmaker will pay about $38 million a year for the material.",
    ],
)
def test_a_later_sentence_on_the_deal_prices_it(extractor: Extractor, follow_up: str) -> None:
    text = (
        "Boreal Cobalt Inc. has won its first customer: a carmaker will take 1,500 tonnes a year "
        f"of cobalt sulphate. {follow_up}"
    )
    facts = extractor.extract(text, title="Boreal Cobalt wins cobalt customer")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [("cobalt", 38e6, 1500.0)]


def test_a_figureless_award_takes_the_figures_of_the_next_sentence(
    extractor: Extractor,
) -> None:
    text = (
        "The third contract, for tungsten powder, was awarded to Ridge Carbide Inc. of Ohio. "
        "It covers 330,000 pounds of powder and carries a value of $16.5 million."
    )
    facts = extractor.extract(text, title="Agency buys tungsten")
    assert lines(facts) == [("tungsten", 16.5e6, 149.6854, ("Ridge Carbide Inc.",))]


def test_a_second_deal_named_by_the_short_form_of_its_supplier(extractor: Extractor) -> None:
    text = (
        "Lot 1 went to Global Powders Corp., which will supply 1,200 metric tons of tungsten "
        "under a contract valued at $58.2 million. Almonty Mining Inc., which mines scheelite "
        "in Korea, won Lot 2 for tungsten "
        "concentrate. Almonty is to deliver 900 metric tons, and its award is worth $21.7 "
        "million."
    )
    facts = extractor.extract(text, title="Agency awards tungsten lots")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [
        ("tungsten", 58.2e6, 1200.0),
        ("tungsten", 21.7e6, 900.0),
    ]
    assert facts.procurements[1].suppliers == ("Almonty Mining Inc.",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Buyers agreed to purchase magnesium and gallium worth a combined $300 million.",
        "The agency has awarded contracts worth a combined $74 million for 2,200 tonnes of "
        "antimony.",
        "Together the awards, worth $41.5 million, are its first purchase of rare earths.",
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
        "Bellmont Metals Limited has executed a binding offtake agreement with Traxys for all "
        "antimony concentrate from its project.\n\n"
        "Key terms\n"
        "- Volume: all antimony concentrate produced, estimated at 7,500 tonnes per annum\n"
        "- Estimated revenue: approximately US$480 million over the term, based on an antimony "
        "price of US$40,000/t\n"
    )
    facts = extractor.extract(text, title="Bellmont signs antimony offtake")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [
        ("antimony", 480e6, 7500.0)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The plant also makes 500,000 tonnes a year of sulphuric acid.",
        "The agency also awarded a $1.3 billion contract for 420 million gallons of jet fuel.",
        "Refined output of cobalt fell to 6,870 tonnes in the half.",
    ],
)
def test_other_goods_and_output_figures_join_no_deal(extractor: Extractor, sentence: str) -> None:
    text = (
        f"Boreal Cobalt Inc. agreed to supply 40 tonnes a year of cobalt to a refiner. {sentence}"
    )
    facts = extractor.extract(text, title="Boreal Cobalt supply deal")
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [("cobalt", None, 40.0)]


def test_a_buyer_named_as_subject_buys_from_the_release_issuer(extractor: Extractor) -> None:
    text = (
        "Cerro Minerals S.A. has sold its first concentrate. Under the first agreement, "
        "Trafigura will buy 180,000 tonnes a year of copper concentrate from 2027."
    )
    facts = extractor.extract(text, title="Cerro Minerals sells copper concentrate")
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("copper", 180000.0)]
