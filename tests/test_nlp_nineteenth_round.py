"""General constructions found while the nineteenth session read its sets, each written from
invented sentences (no evaluation text), and each failing on 047ea2d unless it says it is a
counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest
import spacy

from minwatch.nlp.base import text_of
from minwatch.nlp.extractor import MODEL_EXCLUDE, MODEL_NAME, Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def lines_of(facts: object) -> list[tuple[str, float | None, float | None, tuple[str, ...]]]:
    return [
        (line.mineral, line.usd, line.tonnes, line.suppliers)
        for line in facts.procurements  # type: ignore[attr-defined]
    ]


# -- speed: the same entities for less work -------------------------------------------------


def test_the_entity_model_without_the_shared_tok2vec_finds_the_same_entities(
    extractor: Extractor,
) -> None:
    # guard: the ner embeds words with its own layer, so leaving out the shared "tok2vec"
    # component must change no entity
    full = spacy.load(MODEL_NAME, exclude=[n for n in MODEL_EXCLUDE if n != "tok2vec"])
    assert "tok2vec" in full.pipe_names
    assert "tok2vec" not in extractor.model.pipe_names
    sentences = [
        "Harlow Metals Corp. agreed to sell 400 tonnes of antimony to Kelso Industries.",
        "The agency picked Brisco Minerals LLC for a $12 million order on Friday.",
        "Penrose Graphite and Velda Battery Materials signed an offtake in Perth on Monday.",
    ]
    expected = [[(e.text, e.label_) for e in doc.ents] for doc in full.pipe(sentences)]
    found = [[(e.text, e.label_) for e in doc.ents] for doc in extractor.model.pipe(sentences)]
    assert found == expected
    assert ("Kelso Industries", "ORG") in found[0]


def test_the_analysed_doc_keeps_the_text_it_was_made_from(extractor: Extractor) -> None:
    # guard: the cached text is the string the doc was made from, title included
    doc = extractor.analyse("Tarrant sold 40 t of cobalt.", title="Cobalt sale")
    assert text_of(doc) == doc.text == "Cobalt sale\n\nTarrant sold 40 t of cobalt."
    doc = extractor.analyse("東辰公司出售鈷10噸。", language="zh")
    assert text_of(doc) == doc.text == "东辰公司出售钴10吨。"


# -- masses: units and tables ------------------------------------------------------------------


def test_wet_and_dry_metric_tons_in_capitals_are_masses(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa shipped 1.2 million WMT of laterite nickel ore and 40,000 DMT of manganese ore in "
        "the half."
    )
    assert [m.tonnes for m in facts.mentions if m.kind == "quantity"] == [1_200_000, 40_000]


def test_a_table_caption_ending_in_its_unit_gives_every_figure_column_that_unit(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Graphite shipped by port, 2024-2025 (tonnes)\n\nPort | 2024 | 2025\nNorthbay | 12,500 | "
        "14,200\nSouthbay | 3,100 | 2,900\n"
    )
    assert sorted(m.tonnes for m in facts.mentions if m.kind == "quantity") == [
        2900,
        3100,
        12_500,
        14_200,
    ]
    assert facts.procurements == ()


def test_a_column_headed_by_its_mass_unit_after_a_dash_is_read_in_that_unit(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Metal | Refined output – Tonnes | Share of supply (%)\nIn | 640 | 28.1%\nTe | >85 | 2.6%\n"
    )
    assert sorted(m.tonnes for m in facts.mentions if m.kind == "quantity") == [85, 640]


def test_a_year_or_rank_column_under_a_caption_unit_holds_no_masses(
    extractor: Extractor,
) -> None:
    # counter-example: labels are no figures, whatever unit the caption gives
    facts = extractor.extract(
        "Nickel mined by year (tonnes)\n\nRank | Year | Output\n1 | 2021 | 40,000\n2 | 2022 | "
        "45,500\n"
    )
    assert sorted(m.tonnes for m in facts.mentions if m.kind == "quantity") == [40_000, 45_500]


def test_a_latin_mass_unit_in_chinese_text_is_read(extractor: Extractor) -> None:
    facts = extractor.extract("该矿的锂辉石精矿年产能已达到180,000tpa，明年再扩建。", language="zh")
    assert [m.tonnes for m in facts.mentions if m.kind == "quantity"] == [180_000]


def test_a_currency_word_written_in_capitals_after_the_figure_is_read(
    extractor: Extractor,
) -> None:
    facts = extractor.extract("Exports to new markets were worth 9.6 million US Dollars last year.")
    assert [m.usd for m in facts.mentions if m.kind == "money"] == [9_600_000]


# -- lines: which sales are deals ------------------------------------------------------------


def test_a_producers_dateline_release_reports_its_own_sales(extractor: Extractor) -> None:
    facts = extractor.extract(
        "DARWIN, Australia, Oct 3, 2022 (GLOBE NEWSWIRE) -- Brisco Resources Limited "
        "(ASX:BRL)\n\nSEPTEMBER QUARTER HIGHLIGHTS\n\n"
        "  • Quarterly sales of 1,240 tonnes of vanadium pentoxide generated sales revenue of "
        "US$18.6 million.\n"
        "  • Output was 1,310 tonnes, in line with guidance."
    )
    assert list(facts.suppliers) == ["Brisco Resources Limited"]
    assert lines_of(facts) == [("vanadium", 18_600_000, 1240, ("Brisco Resources Limited",))]


def test_a_quarters_sales_volume_alone_is_no_deal(extractor: Extractor) -> None:
    # counter-example: a sales volume with neither revenue nor buyer stays a statistic
    facts = extractor.extract(
        "Kelso Minerals Ltd. reported output of 2,300 tonnes of ferrovanadium in the period, and "
        "sales of 1,950 tonnes of ferrovanadium from its Tarn plant."
    )
    assert facts.procurements == ()


def test_export_sales_with_a_price_are_a_sale(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Nickel Corporation booked export sales of nickel ore totalling 3.4 million WMT in "
        "the half, at $31.10 per WMT."
    )
    assert lines_of(facts) == [("nickel", None, 3_400_000, ("Kelso Nickel Corporation",))]


def test_a_running_total_of_sales_so_far_is_no_new_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velda Energy delivered 60,000 pounds of U3O8 to a utility for $3.9 million in the "
        "quarter. To date this year it has sold a total of 250,000 pounds of uranium, at $58 "
        "per pound on average."
    )
    assert [(line.usd, round(line.tonnes or 0, 2)) for line in facts.procurements] == [
        (3_900_000, 27.22)
    ]


def test_a_sale_of_business_assets_prices_no_mineral_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarrant expects to sell a further 150,000 pounds of U3O8 under its supply agreements "
        "at about $55 per pound.\n\nThe mills were refurbished. Separately, it closed the "
        "sale of its uranium drilling division, with its service contracts, to Orsa Energy "
        "for $2.4 million in cash."
    )
    assert [(line.mineral, line.usd) for line in facts.procurements] == [("uranium", None)]


def test_a_share_of_world_supply_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Ruritania supplies roughly two-thirds of the world's tantalum, most of it via producers "
        "such as Tarrant Metals and Kelso Mining."
    )
    assert facts.procurements == ()
    assert sorted(facts.suppliers) == ["Kelso Mining", "Tarrant Metals"]


def test_a_supply_share_of_a_named_buyer_is_still_a_deal(extractor: Extractor) -> None:
    # counter-example: a share of one buyer's needs under a contract is a sale
    facts = extractor.extract(
        "Tarrant Metals supplies 40% of Kelso's cobalt under a five-year contract."
    )
    assert [line.mineral for line in facts.procurements] == ["cobalt"]


def test_an_e_auction_of_ore_is_a_call_for_bids(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The state miner's e-auction of 5,500 metric tonnes of chrome ore on June 2 drew no "
        "bids, traders said."
    )
    assert [(line.mineral, line.tonnes) for line in facts.procurements] == [("chromium", 5500)]


def test_processing_fees_agreed_by_a_miner_and_a_smelter_make_the_miners_sale(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Smelter Kelso Zinc settled zinc processing fees of $188 a tonne with Australian "
        "miner Harlow for concentrate shipped next year."
    )
    assert list(facts.suppliers) == ["Harlow"]
    assert lines_of(facts) == [("zinc", None, None, ("Harlow",))]


# -- English names and roles ---------------------------------------------------------------


def test_a_state_miner_issuing_a_tender_to_export_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The state-owned Harlow Metals Corp. (HMC) issued a tender to export 40,000 tonnes of "
        "zinc ingots next year, an official said."
    )
    assert list(facts.suppliers) == ["Harlow Metals Corp."]
    assert lines_of(facts) == [("zinc", None, 40_000, ("Harlow Metals Corp.",))]


def test_an_acronym_that_spells_a_left_off_limited_is_the_full_name(
    extractor: Extractor,
) -> None:
    # ("KMl" as a release may write it; the party the concentrate is sold to buys it)
    facts = extractor.extract(
        "Kelso Mining agreed with Tarrant Industries (Tarrant) on the sale of zinc concentrate "
        "mined by KMl to Tarrant for ten years. Tarrant will refine about half of KML's "
        "concentrate into zinc metal."
    )
    assert list(facts.suppliers) == ["Kelso Mining"]
    assert lines_of(facts) == [("zinc", None, None, ("Kelso Mining",))]


def test_a_cabinet_is_no_supplier(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Federal Cabinet on Wednesday backed a bill revising the Mines Act, which will set "
        "royalty rates for cobalt and tungsten."
    )
    assert facts.suppliers == ()


def test_a_wire_dateline_is_no_part_of_the_name_it_runs_into(extractor: Extractor) -> None:
    facts = extractor.extract(
        "QUITO Feb 9 Orsa-Pendleton Inc expects nickel output at its Andean mine to rise this "
        "year, a company official said on Monday."
    )
    names = [m.text for m in facts.mentions if m.kind == "organization"]
    assert "Orsa-Pendleton Inc" in names
    assert not any("Feb 9" in name for name in names)


def test_a_company_named_for_two_trades_is_one_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Ostrova Mining and Smelting Works exported 12,000 tons of copper cathode in the first "
        "half."
    )
    assert list(facts.suppliers) == ["Ostrova Mining and Smelting Works"]


def test_a_miner_that_halts_its_mining_is_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tin exports from Ruritania fell in May. Meanwhile PT Velda Tambang halted alluvial "
        "mining in April after protests by villagers."
    )
    assert list(facts.suppliers) == ["PT Velda Tambang"]


# -- Chinese -----------------------------------------------------------------------------------


def test_a_name_set_off_by_a_dash_after_a_producer_noun_is_a_producer(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "全国第二大钨冶炼商——东辰钨业计划明年把南岭冶炼厂的产能翻倍。", language="zh"
    )
    assert list(facts.suppliers) == ["东辰钨业"]


def test_the_operator_of_a_mine_project_by_its_latin_name_is_a_producer(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "北岭锡矿区的经营者——Kelso Tin称，新选厂将于年底投产。", language="zh"
    )
    assert list(facts.suppliers) == ["Kelso Tin"]


def test_the_owner_of_a_mine_that_signs_a_supply_contract_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "北岭钨矿的拥有者东辰矿业公司与西江硬质合金公司达成了三年钨精矿供货合约。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰矿业公司"]
    assert lines_of(facts) == [("tungsten", None, None, ("东辰矿业公司",))]


def test_mining_done_by_a_named_company_makes_it_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "该省锑矿的经营目前由西江锑业工业公司负责，今年计划增产。",
        language="zh",
    )
    assert list(facts.suppliers) == ["西江锑业工业公司"]


def test_a_producer_noun_and_its_country_are_no_part_of_the_name_after_them(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "加拿大钨矿商西岭矿业公司(Westridge Minerals)周二举行钨精矿拍卖，共拍出1200吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["西岭矿业公司"]
    assert lines_of(facts) == [("tungsten", None, 1200, ("西岭矿业公司",))]


def test_the_members_of_a_buying_list_before_a_clause_of_purchase_buy(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "东辰集团及其全资下属公司南岭材料科技有限公司、北岭钴盐有限公司，"
        "本月与钴矿商Tarrant Metals AG签署硫酸钴长期采购合同，三年合计12000吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["Tarrant Metals AG"]
    assert lines_of(facts) == [("cobalt", None, 12_000, ("Tarrant Metals AG",))]


def test_the_party_a_deal_has_supply_the_goods_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰锂业与KMX的合同规定由KMX供应其Tarn矿山所产的锂精矿。", language="zh"
    )
    assert "KMX" in facts.suppliers


def test_a_party_that_provides_the_funds_is_no_seller(extractor: Extractor) -> None:
    # "由X提供资金" gives money, not goods
    facts = extractor.extract(
        "该锂矿项目由西江投资有限公司提供资金，东辰锂业将向南岭电池供应锂精矿5000吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰锂业"]
    assert lines_of(facts) == [("lithium", None, 5000, ("东辰锂业",))]


# -- from the sets that arrived later in the session -----------------------------------------


def test_a_contract_to_build_plants_and_the_money_invested_are_no_purchase(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Velda Lithium signed contracts with Harlow Group and Kelso Ltd for the construction of "
        "two lithium carbonate plants, which the partners will invest some $900 million in."
    )
    assert facts.procurements == ()


def test_a_contract_to_build_a_plant_buys_none_of_its_output(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarrant Nickel signed a contract with Orsa Engineering for the construction of a "
        "nickel sulphate plant in Ruritania."
    )
    assert facts.procurements == ()


def test_a_grant_toward_a_facility_is_no_purchase(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Cathode LLC won an $18.2 million award from the energy department for a plant in "
        "Texas that will make lithium battery materials."
    )
    assert facts.procurements == ()


def test_a_holders_stocks_are_no_mass_of_its_buy(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velda Uranium Fund's holdings stand at 55 million lb. of uranium, it said on Tuesday, "
        "following a purchase of 40,000 lb."
    )
    assert [(line.mineral, round(line.tonnes or 0, 2)) for line in facts.procurements] == [
        ("uranium", 18.14)
    ]


def test_a_total_a_buy_brings_its_purchases_to_is_no_new_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velda Uranium Fund bought 40,000 lb. of uranium on Tuesday. The cargo takes its total "
        "purchases this year to 1.1 million lb of uranium."
    )
    assert [(line.mineral, round(line.tonnes or 0, 2)) for line in facts.procurements] == [
        ("uranium", 18.14)
    ]


def test_a_buy_by_a_named_buyer_is_not_given_the_texts_producer_as_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Velda Uranium Fund bought 30,000 lb. of uranium on Monday. Floods have cut output at "
        "Orsa's Tarn mine."
    )
    assert list(facts.suppliers) == ["Orsa"]
    assert [line.suppliers for line in facts.procurements] == [()]


def test_a_legal_form_written_before_the_name_is_part_of_it(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Under the pricing deal, Joint Stock Company Kelsoexport (Kelex) of Russia will sell 500 "
        "tonnes of uranium a year to Harlow Corp."
    )
    assert list(facts.suppliers) == ["Joint Stock Company Kelsoexport"]


def test_the_owner_the_model_ran_into_its_site_is_the_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The best performer this year was Penrose’s Velda Mine in Zambia, which produced 3,000 "
        "tonnes of tin in the quarter."
    )
    assert list(facts.suppliers) == ["Penrose"]


def test_a_numbered_list_of_producers_by_country_names_producers(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tantalum producers and their targets:\n1. Velda (Rwanda) - aims to produce 90 tonnes "
        "next year.\n2. Harlow Metals (Canada) expects production of 40 tonnes a year.\n"
    )
    assert list(facts.suppliers) == ["Velda", "Harlow Metals"]


def test_a_name_after_a_verb_of_allotting_to_it_starts_after_the_verb(
    extractor: Extractor,
) -> None:
    facts = extractor.extract("今年的稀土开采指标已下达给东辰市北方稀土集团公司。", language="zh")
    assert list(facts.suppliers) == ["东辰市北方稀土集团公司"]


def test_space_grouped_figures_with_a_decimal_comma_are_read_whole(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "The ministry said the country exported a total of 95 312,56 metric tonnes of chrome "
        "valued at US$9 812 400,50 since June."
    )
    assert [m.usd for m in facts.mentions if m.kind == "money"] == [9_812_400.5]
    assert [m.tonnes for m in facts.mentions if m.kind == "quantity"] == [95_312.56]


def test_a_price_per_trust_unit_is_no_deals_value(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarrant Uranium Fund said it planned to buy 40,000 lb of physical uranium. Its dealer "
        "would acquire 8 million units of the fund at a price of US$16.40 per unit."
    )
    assert [(line.usd, round(line.tonnes or 0, 2)) for line in facts.procurements] == [
        (None, 18.14)
    ]


def test_the_purchase_of_a_stake_in_a_mine_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The purchase of a 25% stake in the Tarn copper mine by Kelso Materials from Orsa "
        "Copper, worth $180 million, closed in May."
    )
    assert facts.procurements == ()


def test_the_sale_of_an_interest_in_a_project_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velda Metals agreed the sale of a 20 per cent interest in its Brisco nickel project to "
        "Harlow Corp for $90 million."
    )
    assert facts.procurements == ()


def test_one_of_the_producers_a_seller_sells_to_buys(extractor: Extractor) -> None:
    # ("之一" is no part of the name after it; the one sold to buys)
    facts = extractor.extract(
        "西江矿业有限公司签署协议，将钨精矿出售给国内主要的钨生产商之一东辰钨业，为期五年。",
        language="zh",
    )
    assert list(facts.suppliers) == ["西江矿业有限公司"]
