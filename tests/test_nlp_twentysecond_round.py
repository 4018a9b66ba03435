"""General constructions found while the twenty-second session read its sets, each written from
invented sentences (no evaluation text), and each failing on 0734171 unless it says it is a
counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from minwatch.nlp.line_wraps import soft_wrapped
from tests.nlp_lines import deal_lines, suppliers_of


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- hard-wrapped prose -------------------------------------------------------------------------

WIRE_COPY = (
    "Harwell Cobalt to start shipments to Japan\n"
    "* Harwell, Tosaki unit sign deal for 9 mln lbs\n"
    "Oct 4 Harwell Cobalt Corp will start shipping cobalt to\n"
    "Japan this quarter, the company said on Monday.\n"
    "Ontario-based Harwell Cobalt signed an agreement in\n"
    "2011 to supply Tosaki Metals Co, a unit of Tosaki Holdings,\n"
    "with 9 million pounds of cobalt hydroxide through 2018.\n"
    "The deal is worth $310 million at current prices, the\n"
    "company said in a statement.\n"
)


def test_a_wrapped_wire_story_is_read_as_running_text(extractor: Extractor) -> None:
    facts = extractor.extract(WIRE_COPY)
    assert deal_lines(facts) == [
        ("cobalt", ("Harwell Cobalt Corp",), 310_000_000.0, pytest.approx(4082.331, rel=1e-3))
    ]
    assert suppliers_of(facts) == ["Harwell Cobalt Corp"]


def test_unwrapping_moves_no_offset_and_keeps_headings_lists_and_fields() -> None:
    unwrapped = soft_wrapped(WIRE_COPY)
    assert len(unwrapped) == len(WIRE_COPY)
    assert "will start shipping cobalt to Japan this quarter" in unwrapped
    # (a bullet, the line after it and the heading keep their breaks)
    assert unwrapped.startswith("Harwell Cobalt to start shipments to Japan\n* Harwell")
    assert "9 mln lbs\nOct 4" in unwrapped
    notice = (
        "Notice ID: SPE8EX-27-R-0001\n"
        "Response Date: 2027-03-01\n"
        "Description: the agency intends to buy\n"
        "cobalt in lots of 20,000 pounds.\n"
    )
    # (a notice shows no wrapped prose: one break in mid-sentence is no sign of it)
    assert soft_wrapped(notice) == notice


def test_a_word_processors_bullets_stay_items_of_their_own() -> None:
    text = (
        "The resource now holds an estimated quantity of rare earth oxides that are\n"
        "found in the northern part of the deposit, which the company says contains\n"
        "o 14,000 tonnes of neodymium oxide\n"
        "o 4,000 tonnes of praseodymium oxide\n"
        "· Inferred resources at the southern zone are\n"
        "not yet counted.\n"
    )
    unwrapped = soft_wrapped(text)
    assert "contains\no 14,000" in unwrapped
    assert "oxide\no 4,000" in unwrapped


def test_a_wire_dateline_without_its_city_is_no_part_of_the_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Oct 4 Harwell Cobalt Corp will begin exporting cobalt to Japan, the company said."
    )
    assert suppliers_of(facts) == ["Harwell Cobalt Corp"]


def test_a_table_flattened_to_single_spaces_takes_its_captions_unit(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Ruritania set its export permits for next year.\n"
        "Permits for this year and last, in tonnes:\n"
        "Metal 2027 2026\n"
        "Cobalt 4,100 4,350\n"
        "Gallium 61 64\n"
    )
    assert sorted(q.tonnes for q in facts.quantities) == [61.0, 64.0, 4100.0, 4350.0]


def test_a_list_of_years_is_no_table_of_masses(extractor: Extractor) -> None:
    """Guard: figures under a caption with no unit weigh nothing."""
    facts = extractor.extract(
        "Ruritania's export permits, by year:\nMetal 2027 2026\nCobalt 4,100 4,350\nGallium 61 64\n"
    )
    assert facts.quantities == ()


def test_a_contracts_figure_in_brackets_after_its_words_weighs(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Sales of twelve thousand (12,000) tonnes of garnet concentrate are expected this year."
    )
    assert [q.tonnes for q in facts.quantities] == [12000.0]


def test_an_amount_with_its_own_dollar_figure_in_brackets_is_counted_once(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "The railway expects to earn 8 billion rand ($650 million) over the term.\n\n"
        "($1 = 12.3 rand)"
    )
    assert [m.usd for m in facts.money if m.usd is not None] == [650_000_000.0]


# -- deals --------------------------------------------------------------------------------------


def test_the_company_that_will_provide_a_mineral_is_the_seller_named_before(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "An electronics group is back with an old cobalt source.\n\n"
        "It had stopped buying from Kestrel Cobalt Co. in 2019 to save money.\n\n"
        "Kestrel mines cobalt and nickel at two pits in the north.\n\n"
        "Filings made on Friday say the company would provide cobalt to the group over four "
        "years."
    )
    assert deal_lines(facts) == [("cobalt", ("Kestrel Cobalt Co.",), None, None)]


def test_a_purpose_to_provide_a_mineral_is_no_deal(extractor: Extractor) -> None:
    """Counter-example (no line on 0734171 either)."""
    facts = extractor.extract(
        "We set up Kestrel Lithium Corporation in 2019 to provide lithium hydroxide to cell "
        "makers in several countries."
    )
    assert deal_lines(facts) == []


def test_a_deal_for_supply_of_a_mineral_the_text_names_elsewhere(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orvane Metals Ltd, which mines rare earths, reached a deal with an unnamed Korean "
        "buyer for supply of its oxides, at prices set on delivery.\n\n"
        "Its separation plant should reach 6,500 t of rare earth oxide annually."
    )
    assert [line[:2] for line in deal_lines(facts)] == [
        ("rare earth elements", ("Orvane Metals Ltd",))
    ]


def test_a_market_price_quoted_without_its_unit_is_no_deals_value(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarlow Resources plc has agreed to sell 15,000 tonnes of zinc ore to Kessel Trading. "
        "Assuming an LME zinc price of US$2,700 and a 9% grade, what Tarlow gets for the sale of "
        "the zinc ore would come to US$60 a tonne."
    )
    assert deal_lines(facts) == [("zinc", ("Tarlow Resources plc",), None, 15000.0)]


def test_a_purchase_price_stays_a_deals_value(extractor: Extractor) -> None:
    """Guard of an unchanged behaviour: "purchase price of" is no market's price."""
    facts = extractor.extract(
        "Kessel Trading will buy 15,000 tonnes of zinc ore from Tarlow Resources plc for a "
        "purchase price of US$9 million."
    )
    assert deal_lines(facts) == [("zinc", ("Tarlow Resources plc",), 9_000_000.0, 15000.0)]


def test_a_works_output_is_no_mass_of_what_it_is_supplied(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The island's miner Kanaky Nickel will provide nickel ore to a Ruritanian smelter that "
        "is to produce 25,000 t of ferronickel."
    )
    assert deal_lines(facts) == [("nickel", ("Kanaky Nickel",), None, None)]


def test_a_subtitles_deal_is_the_bodys_fuller_telling(extractor: Extractor) -> None:
    """Guard: "a deal for supply of", a deal's words since this round, makes the subtitle a
    telling of its own, which the body's fuller one replaces (one line on 0734171 too, which
    read no deal in the subtitle)."""
    facts = extractor.extract(
        "Utility books uranium: a deal for supply of 1,800 t over five years\n\n"
        "A Ruritanian power utility will get 1,800 t of uranium from a Caspian state seller "
        "over five years under the deal, worth some $300 million, a ministry said."
    )
    assert deal_lines(facts) == [("uranium", (), 300_000_000.0, 1800.0)]


# -- sellers and buyers -------------------------------------------------------------------------


def test_the_one_that_secures_a_contract_to_procure_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Harrow Smelting Inc., a unit of Harrow Group, has secured a six-year contract to "
        "procure zinc concentrate, 90,000 t annually, from Wexley Zinc Ltd."
    )
    assert suppliers_of(facts) == ["Wexley Zinc Ltd."]
    assert deal_lines(facts) == [("zinc", ("Wexley Zinc Ltd.",), None, 90000.0)]


def test_the_one_that_secures_a_contract_to_supply_still_sells(extractor: Extractor) -> None:
    """Counter-example (a seller on 0734171 too)."""
    facts = extractor.extract(
        "Calder Tungsten Ltd has secured a contract to supply 300 tonnes of tungsten "
        "concentrate to Orsa Steel."
    )
    assert suppliers_of(facts) == ["Calder Tungsten Ltd"]


def test_a_supply_deal_with_a_producer_named_after_its_country_buys(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kestrel Metals Corporation, a state trader, may soon close a ten-year zinc supply deal "
        "with Peru's Andina Zinc, the region's biggest zinc miner."
    )
    assert suppliers_of(facts) == ["Andina Zinc"]


def test_an_institutions_of_phrase_holds_its_and(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Zinc export permits were cut to 40,000 t, according to figures from the Ministry of "
        "Ports and Inland Waterways."
    )
    assert suppliers_of(facts) == []


def test_two_companies_joined_by_and_are_still_two(extractor: Extractor) -> None:
    """Guard of an unchanged behaviour."""
    facts = extractor.extract(
        "The agency bought 300 tonnes of cobalt from Harbor Mining and Calloway Metals Inc."
    )
    assert suppliers_of(facts) == ["Harbor Mining", "Calloway Metals Inc."]


def test_the_company_opening_a_sentence_is_the_subject_before_not_the_last_name(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Tarlow Vanadium Ltd put its name to an LOI with Kessel Trading Ltd, a unit of "
        "the steelmaker Orsa, to take the iron co-product of its vanadium project. The company "
        "expects to make about 9,000 t of vanadium oxide a year."
    )
    assert suppliers_of(facts) == ["Tarlow Vanadium Ltd"]


def test_the_one_a_deposit_is_owned_by_produces(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tantalum prices have risen.\n\nThe Brannock and Tarn deposits, owned by Kestrel "
        "Rare Tantalum, once part of Orvane, were shut in 2012 when prices fell."
    )
    assert "Kestrel Rare Tantalum" in suppliers_of(facts)


def test_a_concession_holder_named_after_its_noun_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orvane buys its tantalum ore only under a supply agreement with Rwandan concession "
        "holder TMK."
    )
    assert suppliers_of(facts) == ["TMK"]


def test_a_freight_company_is_no_party_to_the_goods(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Freight company Velda Rail and manganese miner Kelso Manganese agreed that the railway "
        "would carry the miner's ore to the coast.\n\n"
        "Velda Rail expects 9 million t of manganese to be hauled each year when its contracts "
        "with six local producers are in place."
    )
    assert suppliers_of(facts) == ["Kelso Manganese"]
    # (the carrier's contracts are no deal of 9 million tonnes; the trained deal-line
    # component may still give the miner a line of its manganese, as it reads a deal's words)
    assert all(line[3] is None for line in deal_lines(facts))


def test_a_mining_rights_contract_is_no_purchase(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Group was awarded a mining licence contract over the Tarn deposit for two "
        "decades; the pit should yield 2 million t of manganese ore annually."
    )
    assert deal_lines(facts) == []


def test_the_one_goods_are_supplied_to_under_an_award_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Penrose Ltd was awarded an order to deliver 8,000 t of chrome ore to Velda Alloys Corp."
    )
    assert suppliers_of(facts) == ["Penrose Ltd"]


def test_a_name_read_short_of_the_words_its_bracket_spells_runs_on_to_them(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "North Macedonia's Kestrel Group Industrial (KGI)'s new plant is to make 4,000 tons of "
        "neodymium magnets a year.\n\nKGI, a maker of magnets for carmakers, is spending "
        "US$60 million on the plant."
    )
    assert suppliers_of(facts) == ["Kestrel Group Industrial"]


# -- Chinese ------------------------------------------------------------------------------------


def test_a_chinese_name_led_by_its_country_is_named_without_it(extractor: Extractor) -> None:
    facts = extractor.extract(
        "澳大利亚东辰锂业公司是该州最大的锂精矿生产商。东辰锂业公司称，首批锂精矿上周已经离港。",
        language="zh",
    )
    assert suppliers_of(facts) == ["东辰锂业公司"]


def test_the_company_a_mineral_project_is_run_by_produces(extractor: Extractor) -> None:
    facts = extractor.extract(
        "该国有两座锂盐湖投产。其中一座由Kelvar公司负责运营，另一座由塔恩矿业公司经营。",
        language="zh",
    )
    assert set(suppliers_of(facts)) == {"Kelvar", "塔恩矿业公司"}


def test_the_miner_named_by_its_noun_sells_whatever_the_agreement_is_called(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "东辰材料已经与加拿大矿商Kelmar Resources签署了为期四年的钴供应协议。", language="zh"
    )
    assert suppliers_of(facts) == ["Kelmar Resources"]
