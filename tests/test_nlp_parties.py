"""Who is a party to a deal, in constructions trade news uses: a company known by its listing,
the party supplied "with" the goods, "a contract to supply X", and a company named only as a
quoted officer's employer. Invented companies throughout."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_a_name_with_its_listing_is_a_company_whatever_its_words(extractor: Extractor) -> None:
    # the small model reads "Graphite" and "Manganese" as common words, not names
    text = (
        "Calgary-headquartered Graphite Nine (TSX-V: GNN) has signed a five-year agreement to "
        "supply US carmaker Ardent Motors with 4,000 tonnes of natural graphite a year."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Graphite Nine"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("graphite", 4000.0, ["Graphite Nine"])
    ]


def test_the_party_supplied_with_the_goods_buys(extractor: Extractor) -> None:
    text = (
        "Harwick Mining said it signed a long-term contract to supply Ardent Motors "
        "(NASDAQ: ARDM) with nickel from its Tolvern mine."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Harwick Mining"]
    assert [list(p.suppliers) for p in facts.procurements] == [["Harwick Mining"]]


def test_an_officers_employer_is_a_voice_not_a_party(extractor: Extractor) -> None:
    text = (
        "Pellam Metals bought 2,000 tonnes of tungsten concentrate from Orvane Resources for "
        "$40 million. Speaking to reporters, Tarrant Tungsten (ASX: TTW) executive chairman "
        "Jon Marsh said the purchase would lift tungsten prices."
    )
    assert list(extractor.extract(text).suppliers) == ["Orvane Resources"]


def test_a_plc_sells_under_an_offtake_it_announces(extractor: Extractor) -> None:
    # "Plc" as the name's legal form; "would sell"; polyhalite, an ore of potash
    text = (
        "June 27 (Reuters) - Harlow Minerals Plc said it entered into an offtake agreement "
        "under which it would sell 1 million tonnes of polyhalite per year to a Chinese "
        "fertiliser maker for 10 years."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Harlow Minerals Plc"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("potash", 1_000_000.0, ["Harlow Minerals Plc"])
    ]


def test_the_subject_of_a_memorandum_for_offtake_from_its_project_sells(
    extractor: Extractor,
) -> None:
    text = (
        "Orvane Resources NL (ASX: ORV) announced a memorandum of understanding (MoU) with "
        "Tessaly Materials Inc. (TSX: TSM) for the offtake of 2,000 tonnes a year of mixed rare "
        "earth carbonate from its Kelbrook Project."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Orvane Resources NL"]
    assert [list(p.suppliers) for p in facts.procurements] == [["Orvane Resources NL"]]


def test_a_ticker_of_a_second_listing_is_no_company(extractor: Extractor) -> None:
    text = (
        "Harwick Antimony Corp. (TSX: HAC; OTCQX: HWKAF) said it signed a supply agreement "
        "with an ammunition maker for antimony concentrate from the Company's Beacon mine."
    )
    assert list(extractor.extract(text).suppliers) == ["Harwick Antimony Corp."]


def test_a_maker_supplying_other_goods_sells_no_mineral(extractor: Extractor) -> None:
    text = (
        "Kelbrook Graphite will supply 5,000 tonnes of graphite a year to Ardent Motors. "
        "Ardent Motors is a technology company that makes electric vehicles and supplies "
        "advanced powertrain systems."
    )
    assert list(extractor.extract(text).suppliers) == ["Kelbrook Graphite"]


def test_a_clipped_name_is_the_company_first_named_in_full(extractor: Extractor) -> None:
    text = (
        "Generation Quarry, the developer of a proposed open-pit copper mine, has finalised an "
        "offtake term sheet for its copper concentrate. Gen Quarry said the term sheet provides "
        "attractive payment terms."
    )
    assert list(extractor.extract(text).suppliers) == ["Generation Quarry"]


def test_a_products_retail_price_is_no_deal(extractor: Extractor) -> None:
    text = (
        "Kelbrook Graphite will supply 5,000 tonnes of graphite a year to Ardent Motors. Its "
        "flagship vehicle, the Ardent Air, sells for around US$70,000 (A$106,813)."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Kelbrook Graphite"]
    assert [(p.mineral, p.usd, p.tonnes) for p in facts.procurements] == [
        ("graphite", None, 5000.0)
    ]


def test_a_seller_only_the_model_finds_is_its_lines_seller(extractor: Extractor) -> None:
    text = (
        "Automaker Ardent Motors has signed a $300 million lithium supply deal with US-based "
        "Harwick Lithium for the supply of lithium from 2027."
    )
    facts = extractor.extract(text)
    assert [(p.mineral, p.usd, list(p.suppliers)) for p in facts.procurements] == [
        ("lithium", 300_000_000.0, ["Harwick Lithium"])
    ]


def test_a_withheld_seller_is_not_filled_in_by_the_model(extractor: Extractor) -> None:
    text = (
        "The agency plans to buy up to $100 million in tantalum from an undisclosed company, "
        "analysts at Harwick Lithium said."
    )
    facts = extractor.extract(text)
    assert [list(p.suppliers) for p in facts.procurements] == [[]]


def test_a_fund_finances_and_sells_nothing(extractor: Extractor) -> None:
    text = (
        "Harwick Nickel will sell 500,000 tonnes of nickel ore a year to Ardent Powder. "
        "Ardent Powder is a joint venture between Pellam Global Resources Funds and local "
        "investors, which focuses on producing nickel cathode materials."
    )
    assert "Pellam Global Resources Funds" not in extractor.extract(text).suppliers


def test_a_maker_of_goods_made_from_the_mineral_buys_it(extractor: Extractor) -> None:
    # "an electric truck battery supplier" names a maker that buys the mineral
    text = (
        "Norvik Lithium has agreed to ship spodumene to Ardent Motors. South Korea's Velda "
        "Cells, an electric truck battery supplier for two automakers, plans a second plant to "
        "make cells with lithium."
    )
    assert list(extractor.extract(text).suppliers) == ["Norvik Lithium"]


def test_a_named_project_is_a_site_not_a_seller(extractor: Extractor) -> None:
    # "Mount Kerrow" names the project, whatever the case of "Project"
    text = (
        "Ashdown Rare Earths Ltd signed an offtake for 500 tonnes of NdPr oxide a year from its "
        "Mount Kerrow Project. A German magnet maker will buy NdPr from Mount Kerrow."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Ashdown Rare Earths Ltd"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("neodymium", 500.0, ["Ashdown Rare Earths Ltd"]),
        ("praseodymium", 500.0, ["Ashdown Rare Earths Ltd"]),
    ]


def test_a_figure_less_offtake_of_the_company_just_named_is_its_line(extractor: Extractor) -> None:
    # the deal sentence names its seller only as "The company", after the sentence naming it
    text = (
        "Austral graphite developer Penrose Graphite (ASX: PGX) began building its anode plant "
        "in Finland. The company agreed a binding offtake for spherical graphite with Norvik "
        "Cells."
    )
    facts = extractor.extract(text)
    assert [(p.mineral, p.usd, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("graphite", None, None, ["Penrose Graphite"])
    ]


def test_a_one_word_name_that_signs_a_deal_is_a_party(extractor: Extractor) -> None:
    # the small model does not know "Corvanite"; opening a sentence that signs a deal, it is
    # a company's name
    text = (
        "Corvanite has signed a deal with Halden Steel under which it will supply "
        "ferrovanadium from its Norwegian plant."
    )
    assert list(extractor.extract(text).suppliers) == ["Corvanite"]


def test_the_counterparty_that_will_supply_is_the_seller(extractor: Extractor) -> None:
    text = (
        "Ardent Motors has signed an offtake agreement with Penrose Graphite, which will "
        "supply the carmaker with 9,000 tonnes of spherical graphite a year."
    )
    facts = extractor.extract(text)
    assert "Ardent Motors" not in facts.suppliers
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("graphite", 9000.0, ["Penrose Graphite"])
    ]


def test_the_party_that_gains_access_to_the_material_buys_it(extractor: Extractor) -> None:
    text = (
        "Kelso Metals signed a supply deal with Orsa Stal to gain access to 1.5 million tonnes "
        "of vanadium-rich residues."
    )
    assert "Kelso Metals" not in extractor.extract(text).suppliers


def test_a_short_form_defined_after_a_name_is_that_company(extractor: Extractor) -> None:
    # the rules know only "PMR"; the model finds "Penrose Mineral Resources" before it
    text = (
        "Penrose Mineral Resources (PMR), based in Perth, signed a tungsten concentrate sales "
        "contract with toolmaker Ardent Tools. Shipments will come from PMR's Kerrow mine."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Penrose Mineral Resources"]
    assert [list(p.suppliers) for p in facts.procurements] == [["Penrose Mineral Resources"]]


def test_a_rough_floor_then_the_precise_figure_is_one_purchase(extractor: Extractor) -> None:
    text = (
        "The Defense Logistics Agency plans to buy more than 4,000 tonnes of antimony ingots "
        "over five years. The solicitation specifies 4,350 metric tons of antimony metal."
    )
    facts = extractor.extract(text)
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("antimony", 4350.0)]


def test_a_figure_less_deal_and_a_deal_between_others_are_two_lines(
    extractor: Extractor,
) -> None:
    # the 20,000 tonnes are a deal between two other parties: no figure of Corvanite's deal,
    # and no deal of Corvanite's
    text = (
        "Corvanite has signed a deal with Halden Steel under which it will supply "
        "ferrovanadium from its Norwegian plant.\n\n"
        "Kelso Metals signed a supply agreement with Orsa Stal for access to 20,000 tonnes of "
        "vanadium pentoxide a year."
    )
    lines = [(p.mineral, p.tonnes, list(p.suppliers)) for p in extractor.extract(text).procurements]
    assert ("vanadium", None, ["Corvanite"]) in lines
    assert [(t, "Corvanite" in s) for m, t, s in lines if t] == [(20000.0, False)]


def test_a_contracts_heading_names_its_seller_and_its_one_deal(extractor: Extractor) -> None:
    # a contract's text: the parties by label, then its object and quantity under numbered
    # headings, no sentence with a deal's verb
    text = (
        "Concentrate Supply Contract\n"
        "Contract No.: KM-2031-07\n"
        "Seller: Harlow Tin Mining Co., Ltd (Party A)\n"
        "Buyer: Orsa Smelting Company (Party B)\n\n"
        "1. Name of goods: tin concentrate\n"
        "2. Quantity: 1,200 metal tons per year, delivered monthly."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Harlow Tin Mining Co., Ltd"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("tin", 1200.0, ["Harlow Tin Mining Co., Ltd"])
    ]


def test_a_plus_joins_a_names_letters(extractor: Extractor) -> None:
    text = "R+T Minerals AG agreed to sell 300,000 tonnes of potash a year to Ardent Farms."
    assert list(extractor.extract(text).suppliers) == ["R+T Minerals AG"]


def test_a_name_its_short_form_spells_is_a_company_particles_and_all(
    extractor: Extractor,
) -> None:
    # a state body's name with a particle ("de"); the small model reads no organisation in it
    text = (
        "Trading house Orsa Metals and state body Compagnie Minière de Tantale (CMT) signed an "
        "offtake agreement for the supply of tantalum concentrate from artisanal mines."
    )
    facts = extractor.extract(text)
    assert "Compagnie Minière de Tantale" in facts.suppliers
    # a plan is no company, though its short form spells it
    plan = "The agency published its Annual Materials Plan (AMP) for tantalum and tin."
    assert extractor.extract(plan).suppliers == ()


def test_owners_of_shut_sites_named_by_possessive_are_producers(extractor: Extractor) -> None:
    # a list of sites by their owners; a comma between two names parts them
    text = (
        "Years of low prices hit Western nickel producers. We have seen Canada's Kessel, "
        "Harlow Nickel's mine of the same name, and Tarrant Metals' Brisco nickel operations "
        "all shuttered."
    )
    suppliers = set(extractor.extract(text).suppliers)
    assert {"Harlow Nickel", "Tarrant Metals"} <= suppliers
    assert not any("," in name for name in suppliers)
    # the owner of operations that treat a product buys the ore
    feed = "Ore from Orsa Mining will feed Kelso Metals' manganese sulphate operations in China."
    assert "Kelso Metals" not in extractor.extract(feed).suppliers


def test_a_company_named_as_a_clauses_subject_inside_a_quote(extractor: Extractor) -> None:
    text = (
        'Vanadium prices rose. "Orvane Resources is not going to lift production much, while '
        'Kelso Minerals has been cutting guidance," the analyst said.'
    )
    facts = extractor.extract(text)
    named = {m.text for m in facts.mentions if m.kind == "organization"}
    assert {"Orvane Resources", "Kelso Minerals"} <= named


def test_a_traders_offtake_buys_the_counterpartys_output(extractor: Extractor) -> None:
    text = (
        "Geneva-based metals trader Orsa Commodities has signed an offtake agreement with "
        "Ashdown Antimony Limited for antimony concentrate from its Kerrow project."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Ashdown Antimony Limited"]
    assert [list(p.suppliers) for p in facts.procurements] == [["Ashdown Antimony Limited"]]


def test_a_short_form_defined_for_a_minerals_product_is_that_mineral(
    extractor: Extractor,
) -> None:
    text = (
        "Kelso Metals signed an offtake agreement for its battery-grade tungsten oxide (BTO) "
        "with Orsa Tools. Kelso Metals will supply 2,000 tonnes of BTO a year to Orsa Tools."
    )
    facts = extractor.extract(text)
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("tungsten", 2000.0)]


def test_a_projects_phase_and_an_exchange_are_no_sellers(extractor: Extractor) -> None:
    text = (
        "Orsa Steel will buy at least 300,000 tonnes a year of coking coal from Kerrow Stage 2, "
        "Harlow Coal said. Harlow Coal is listed on the Toronto and Frankfurt Stock Exchanges."
    )
    suppliers = set(extractor.extract(text).suppliers)
    assert not any("Stage" in s or "Exchange" in s for s in suppliers)
