"""Who is a supplier: the general patterns of nlp/organizations.py, on invented texts.

Each test names organisations that appear in no evaluation set, so a rule that only
memorised those texts fails here.
"""

from __future__ import annotations

import pytest

from nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def suppliers(extractor: Extractor, text: str, **options: str) -> set[str]:
    return set(extractor.extract(text, **options).suppliers)


def test_the_company_is_the_issuer_and_the_offtaker_buys(extractor: Extractor) -> None:
    text = (
        'Quoll Creek Resources Limited ("Quoll" or "the Company") is pleased to announce that '
        'it has executed a binding offtake agreement with Hoshino Trading Corporation ("Hoshino") '
        "for 2,000 tonnes a year of graphite concentrate. Hoshino will purchase all of the "
        "Company's output for five years. The Company expects first production in 2027."
    )
    assert suppliers(extractor, text, title="Quoll signs graphite offtake") == {
        "Quoll Creek Resources Limited"
    }


def test_undefined_company_is_the_first_named_company(extractor: Extractor) -> None:
    text = (
        "Brolga Minerals Ltd today announced a contract to supply 500 tonnes of antimony. "
        "The Company said deliveries would begin in March."
    )
    assert suppliers(extractor, text) == {"Brolga Minerals Ltd"}


def test_names_with_brackets_digits_and_lower_case_starts(extractor: Extractor) -> None:
    text = (
        "Hexa Rare Metals (Asia) Holdings Co. will supply 40 tonnes of terbium oxide to a "
        "Japanese magnet maker. 7G Materials Inc. will supply 10 tonnes of gallium, and "
        "iMetal Resources Corp. agreed to sell 3,000 tonnes of lithium carbonate."
    )
    assert suppliers(extractor, text) == {
        "Hexa Rare Metals (Asia) Holdings Co.",
        "7G Materials Inc.",
        "iMetal Resources Corp.",
    }


def test_places_sites_programmes_and_datelines_are_not_suppliers(extractor: Extractor) -> None:
    text = (
        "LIMA, March 3 - Andean Tin Corp. produced 9,000 tonnes of tin at its Sancho mine in "
        "Peru's Puno region last year. Sancho, one of the largest tin deposits in the "
        "Americas, is expected to produce more after an expansion. The government's "
        "MINERALES platform, which will buy tin for a reserve, opened a call for offers."
    )
    assert suppliers(extractor, text) == {"Andean Tin Corp."}


def test_producers_without_a_deal_are_suppliers(extractor: Extractor) -> None:
    text = (
        "Nickel rose 2% on Tuesday. Sulawesi Prime Nickel Tbk, the world's second-largest "
        "nickel miner, said rains had slowed mining. Ferrocarril Minerals Inc. is still "
        "restarting its Laguna Verde mine after a flood. Canada's state producer Norcobalt, "
        "whose output fell last year, declined to comment. Analysts at Example Capital "
        "Markets expect a deficit."
    )
    assert suppliers(extractor, text) == {
        "Sulawesi Prime Nickel Tbk",
        "Ferrocarril Minerals Inc.",
        "Norcobalt",
    }


def test_awardee_lists_and_won_by(extractor: Extractor) -> None:
    text = (
        "The agency said the contracts went to Pelican Alloys Inc., $12 million for 30 tonnes "
        "of niobium; Marten Metals LLC, $8 million for 20 tonnes of tantalum; and Osprey "
        "Refining Corp., $2 million for 5 tonnes of rhenium. A separate tender for 10 tonnes "
        "of hafnium was won by Kite Specialty Metals Co., Ltd., a unit of a Korean group."
    )
    assert suppliers(extractor, text) == {
        "Pelican Alloys Inc.",
        "Marten Metals LLC",
        "Osprey Refining Corp.",
        "Kite Specialty Metals Co., Ltd.",
    }


def test_counterparty_of_a_buying_agency_and_seller_after_from(extractor: Extractor) -> None:
    text = (
        "The US Department of Energy extended its contract with Northwind Fuel Corp. to produce "
        "uranium hexafluoride. Separately, it bought 50 tonnes of uranium from producers "
        "Prairie Uranium Inc. and Basin Yellowcake LLC respectively."
    )
    assert suppliers(extractor, text) == {
        "Northwind Fuel Corp.",
        "Prairie Uranium Inc.",
        "Basin Yellowcake LLC",
    }


def test_buyers_and_funders_are_not_suppliers(extractor: Extractor) -> None:
    text = (
        "Satcom Holdings Inc. won a $50 million contract from the US Space Force to provide "
        "links. Granite Rare Earths Ltd will sell 800 tonnes of rare earth oxide to Volta Motor "
        "Corp., a long-standing customer, and Japanese trading house Ishikawa Shoji, a buyer of "
        "its concentrate, declined to comment."
    )
    assert suppliers(extractor, text) == {"Granite Rare Earths Ltd"}


def test_relative_clause_after_an_agreement(extractor: Extractor) -> None:
    text = (
        "Feed is secured under the Company's agreement with Karoo Cobalt Group, which will "
        "supply 3,000 tonnes of cobalt hydroxide a year."
    )
    assert "Karoo Cobalt Group" in suppliers(extractor, text)


def test_term_acronyms_are_not_organisations(extractor: Extractor) -> None:
    text = (
        "Bluestone Antimony Ltd agreed to sell 300 tonnes of sodium antimonate (SAT) to a glass "
        "maker. SAT prices rose 5% this week."
    )
    facts = extractor.extract(text)
    assert set(facts.suppliers) == {"Bluestone Antimony Ltd"}
    assert "SAT" not in {m.text for m in facts.mentions if m.kind == "organization"}


def test_chinese_buyer_and_seller_roles(extractor: Extractor) -> None:
    text = (
        "浙江华澜新能源股份有限公司（以下简称“华澜新能”）公告，公司与加拿大锂矿企业"
        "Boreal Lithium Limited签订锂辉石精矿采购协议。华澜新能将每年向Boreal采购5万吨锂辉石精矿。"
        "另据了解，四川岷江锂业股份有限公司与日本电池企业Kanto Cell签订氢氧化锂供货协议。"
    )
    assert suppliers(extractor, text, language="zh") == {
        "Boreal Lithium Limited",
        "四川岷江锂业股份有限公司",
    }


def test_chinese_relation_prefix_is_not_part_of_the_name(extractor: Extractor) -> None:
    text = (
        "某稀土公司公告，经与控股股东关联方甘肃金川稀土矿业股份有限公司（以下简称“金川稀土”）"
        "协商，公司预计四季度向金川稀土采购稀土精矿约1万吨。"
    )
    assert "甘肃金川稀土矿业股份有限公司" in suppliers(extractor, text, language="zh")


# --- second round: the roles around a deal (blind4/blind5 families) -------------------------


def test_award_line_names_drop_address_registry_numbers_and_placeholders(
    extractor: Extractor,
) -> None:
    text = (
        "Notice ID: SPE8E9-26-R-0042\n"
        "Contractor Awarded Name: Multiple (see description)\n"
        "Awardee: TALLGRASS BORON COMPANY LLC, Salina, KS 67401 USA (UEI: K7PQ2ZRM4TX1)\n"
        "Awardee: MINERA SIERRA CLARA, S.A. DE C.V., Saltillo, Coahuila, Mexico (CAGE: 4QX21)\n"
        "Awardee: Fenwick Metals Inc., Duluth, MN\n"
    )
    assert suppliers(extractor, text) == {
        "TALLGRASS BORON COMPANY LLC",
        "MINERA SIERRA CLARA, S.A. DE C.V.",
        "Fenwick Metals Inc.",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Harrow Lithium Ltd agreed to sell 8,000 tonnes a year of lithium carbonate to Lithium "
        "Cells Corporation for five years.",
        "Harrow Lithium Ltd sold 120 tonnes of lithium hydroxide (99.5% LiOH) to Lithium Cells "
        "Corporation of Austin, Texas, for US$3 million.",
        "Harrow Lithium Ltd will ship its first output to Kessler Trading and Lithium Cells "
        "Corporation, the company said.",
    ],
)
def test_the_one_sold_to_is_a_buyer_even_when_named_for_the_mineral(
    extractor: Extractor, sentence: str
) -> None:
    found = suppliers(extractor, sentence)
    assert "Harrow Lithium Ltd" in found
    assert "Lithium Cells Corporation" not in found


def test_a_company_named_for_a_mineral_that_takes_the_output_buys(extractor: Extractor) -> None:
    text = (
        "Quebrada Verde S.A. signed two concentrate offtakes on Monday. Nickel Works Co., Ltd. "
        "will take about 20,000 tonnes a year of nickel concentrate over five years."
    )
    assert "Nickel Works Co., Ltd." not in suppliers(extractor, text)


@pytest.mark.parametrize(
    "sentence",
    [
        "Marlow Battery Systems Inc. has agreed to buy 60,000 tonnes a year of refined lead from "
        "Tamsin Smelting Co. for four years.",
        "Under the deal, Marlow Battery Systems Inc. will purchase 2,000 tonnes of cobalt "
        "hydroxide produced at Tamsin Smelting Co.'s plant.",
        "Marlow Battery Systems Inc. will take 500 tonnes of nickel sulphate refined by Tamsin "
        "Smelting Co. in Ontario.",
    ],
)
def test_a_buying_verb_before_a_selling_word_makes_the_subject_a_buyer(
    extractor: Extractor, sentence: str
) -> None:
    assert "Marlow Battery Systems Inc." not in suppliers(extractor, sentence)


@pytest.mark.parametrize("noun", ["developer", "miner", "producer"])
def test_offtake_with_a_named_producer_makes_the_subject_the_buyer(
    extractor: Extractor, noun: str
) -> None:
    text = (
        f"Hoshino Trading Corporation has signed a five-year offtake agreement with Malawian "
        f"{noun} Chirundu Graphite Ltd for 10,000 tonnes a year of flake graphite."
    )
    assert suppliers(extractor, text) == {"Chirundu Graphite Ltd"}


def test_newswire_datelines_and_listings_are_not_companies(extractor: Extractor) -> None:
    text = (
        "DENVER, Colo.--(BUSINESS WIRE)--Granite Peak Vanadium Inc. (NYSE American: GPV) "
        '("Granite Peak" or "the Company") today announced that it has agreed to supply 900 '
        "tonnes of vanadium pentoxide to a utility."
    )
    assert suppliers(extractor, text) == {"Granite Peak Vanadium Inc."}
    text = (
        "Halifax, Nova Scotia--(Newsfile Corp. - June 2, 2025) - Tidewater Tungsten Corp. "
        '(TSXV: TWT) (OTCQB: TWTGF) ("Tidewater" or the "Company") is pleased to announce a '
        "sales agreement for tungsten concentrate from the Company's Cape Ridge project."
    )
    assert suppliers(extractor, text) == {"Tidewater Tungsten Corp."}


def test_place_adjectives_country_groups_and_place_possessives(extractor: Extractor) -> None:
    text = (
        "The largest award went to Copperhead Antimony Corp., a Reno-based company that is "
        "reopening an antimony mine in Nevada. The Baltic countries had argued for more "
        "stockpiling. Norway's Fjordal was awarded a contract worth $12 million to deliver 300 "
        "tonnes of magnesium."
    )
    assert suppliers(extractor, text) == {"Copperhead Antimony Corp.", "Fjordal"}


def test_a_name_ending_in_project_is_a_site(extractor: Extractor) -> None:
    text = (
        "Highlights\n- Binding offtake agreement for 2,000 tonnes per annum of mixed rare earth "
        "carbonate from the Mulga Downs Clay Project\n- Seven-year term\n"
        "Mulga Rare Earths Limited will supply the carbonate to a Japanese trading house."
    )
    assert suppliers(extractor, text) == {"Mulga Rare Earths Limited"}


def test_selling_a_stake_or_supplies_is_no_mineral_sale(extractor: Extractor) -> None:
    text = (
        "Cobalt prices were steady. Earlier this year Redwood Archive Holdings sold a 20% stake "
        "in its storage business for $900 million. Defense Supply Center Riverside extended "
        "contracts for rations and medical supplies."
    )
    assert suppliers(extractor, text) == set()


def test_owners_of_mines_and_refineries_produce(extractor: Extractor) -> None:
    text = (
        "Supply concerns have grown. Peru's state-owned Minas Andinas last week cut its 2026 "
        "copper production forecast to 1.1 million tonnes, after a flood at its Quilca mine. "
        "The offtaker will take up to 60% of the terbium to be produced at Banjo Rare Earths "
        "Ltd's planned refinery in Western Australia. Tarrant Antimony Ltd, Bolivia's largest "
        "listed antimony producer, said exports fell."
    )
    assert suppliers(extractor, text) == {
        "Minas Andinas",
        "Banjo Rare Earths Ltd",
        "Tarrant Antimony Ltd",
    }


def test_a_briefs_heading_in_capitals_is_the_company_not_the_mineral(
    extractor: Extractor,
) -> None:
    text = (
        "NICKEL CREEK DISTILLING\nNickel Creek Distilling Co., the Ohio whiskey maker, named a "
        "new chief executive.\n\nBATTERYCO\nBatteryco said lead prices rose."
    )
    assert suppliers(extractor, text) == set()


def test_units_of_a_buying_agency_are_buyers(extractor: Extractor) -> None:
    text = (
        "The Defense Logistics Agency bought 40 tonnes of germanium. In the same week, DLA "
        "Aviation extended contracts for spare parts and medical supplies, and DLA Energy "
        "will supply fuel to bases."
    )
    assert suppliers(extractor, text) == set()
