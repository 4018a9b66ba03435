"""General constructions found while the twenty-first session read its sets, each written from
invented sentences (no evaluation text), and each failing on 07bf4ee unless it says it is a
counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines, suppliers_of


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def masses_of(facts: object) -> list[float]:
    return [q.tonnes for q in facts.quantities]  # type: ignore[attr-defined]


# -- names --------------------------------------------------------------------------------------


def test_a_party_word_of_a_dispute_is_no_part_of_the_name(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "The claim was brought by Claimant Tarrant Holdings LLC against Respondent Orsa Metals "
        "Limited over a cobalt sale contract."
    )
    names = {m.text for m in doc._.minwatch_orgs}
    assert "Tarrant Holdings LLC" in names
    assert "Orsa Metals Limited" in names
    assert not any(n.startswith(("Claimant", "Respondent")) for n in names)


def test_a_legal_form_that_opens_a_name_ends_no_name_before_it(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "The award concerns Respondent S.A. Kelso Minerals Ltd. Partnership, which sold "
        "tantalum concentrate to the claimant."
    )
    names = {m.text for m in doc._.minwatch_orgs}
    assert "S.A. Kelso Minerals Ltd. Partnership" in names
    assert "Respondent S.A." not in names


def test_a_contracts_defined_name_is_no_organisation(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "Orsa Metals Ltd sold niobium under a contract dated May 2, 2010 (the \u201cAmended "
        "Supply Contract\u201d). Orsa Metals Ltd failed to deliver under the Amended Supply "
        "Contract."
    )
    assert not any("Contract" in m.text for m in doc._.minwatch_orgs)


def test_a_short_form_the_text_defines_is_the_company_though_the_word_is_a_website(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Holdings LLC bought tantalum concentrate under a contract with Sambre Alloys "
        'Partnership ("SAM"). SAM failed to deliver the goods that Kelso Holdings LLC purchased '
        "from SAM."
    )
    assert suppliers_of(facts) == ["Sambre Alloys Partnership"]
    assert deal_lines(facts) == [("tantalum", ("Sambre Alloys Partnership",), None, None)]


# -- who sells ----------------------------------------------------------------------------------


def test_the_one_named_after_sellers_of_a_kind_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The council will use the money to buy monazite ore from several Canadian miners, "
        "notably Penrose Earths."
    )
    assert suppliers_of(facts) == ["Penrose Earths"]
    assert deal_lines(facts) == [("rare earth elements", ("Penrose Earths",), None, None)]


def test_a_company_called_a_developer_is_no_producer_by_its_name(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "Brisco Nickel PLC, a nickel exploration company in Ruritania, released drilling results. "
        "The study sees output of 3,000 tonnes of nickel a year from 2030."
    )
    brisco = [m for m in doc._.minwatch_orgs if m.text == "Brisco Nickel PLC"]
    assert brisco and "named_for_mineral" not in brisco[0].evidence


def test_a_company_that_owns_and_operates_the_mine_produces(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Nickel output fell this year. Canada's Velda Resources, which operates and owns the "
        "Tarn plant, cut its guidance."
    )
    assert suppliers_of(facts) == ["Velda Resources"]


def test_selling_a_mine_sells_no_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Receivers Ltd plans to have sold the Tarn nickel mine by March, a partner said."
    )
    assert suppliers_of(facts) == []
    assert deal_lines(facts) == []


def test_members_of_a_list_of_properties_are_sites_not_sellers(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Pursuant to the agreement, the buyer would purchase one-half of all production from the "
        "Company's Brandt, Orvane or Tarlow properties, up to 600 tonnes of uranium."
    )
    assert suppliers_of(facts) == []
    assert deal_lines(facts) == [("uranium", (), None, 600.0)]


def test_the_company_is_no_party_it_signs_with(extractor: Extractor) -> None:
    facts = extractor.extract(
        "On March 2, 2026, the Company signed a supply agreement with Penrose Lithium Limited "
        "(\u201cPenrose\u201d) for 4,000 metric tons a year of lithium carbonate.\n\n"
        "On May 5, 2026, the Company signed an offtake term sheet with Tako Corporation, under "
        "which Tako will take 9,000 metric tons of lithium carbonate a year from the "
        "Company\u2019s new plant."
    )
    assert suppliers_of(facts) == ["Penrose Lithium Limited"]
    assert deal_lines(facts) == [
        ("lithium", (), None, 9000.0),
        ("lithium", ("Penrose Lithium Limited",), None, 4000.0),
    ]


def test_the_company_is_the_first_company_where_it_deals_with_another(
    extractor: Extractor,
) -> None:
    # counter-example (passes on 07bf4ee too): a release that opens on its issuer keeps "the
    # Company" as the issuer
    facts = extractor.extract(
        "Kelso Cobalt Corp. reported a new sale: the Company will supply 800 tonnes of cobalt "
        "to Orsa Motors."
    )
    assert suppliers_of(facts) == ["Kelso Cobalt Corp."]


# -- deals ---------------------------------------------------------------------------------------


def test_clauses_each_naming_a_sale_and_its_seller_are_two_deals(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The dispute concerns (i) a contract under which Orsa Mining Ltd sold tantalum "
        "concentrate to Kelso Trading, dated March 2, 2010; and (ii) a contract under which "
        "Penrose Minerals Inc sold tantalum concentrate to Kelso Trading, dated May 4, 2011."
    )
    assert deal_lines(facts) == [
        ("tantalum", ("Orsa Mining Ltd",), None, None),
        ("tantalum", ("Penrose Minerals Inc",), None, None),
    ]


def test_a_funding_package_is_no_deals_value_but_the_purchase_it_pays_for_is_a_deal(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "The ministry gave the Kelso Research Council a funding package of nearly $9 million. "
        "Half of the $9 million package will be spent to buy monazite ore from domestic "
        "suppliers, especially Orsa Earths."
    )
    assert deal_lines(facts) == [("rare earth elements", ("Orsa Earths",), None, None)]


def test_money_in_debt_facilities_is_lent_not_supplied(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Canada's Velda Nickel Ltd, which runs the Tarn nickel mine, is in default. Orsa had "
        "supplied $20 million in unpaid loans, a filing showed."
    )
    assert suppliers_of(facts) == ["Velda Nickel Ltd"]
    assert deal_lines(facts) == []


def test_the_value_of_a_first_shipment_is_the_deliverys_not_a_new_deal(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Tarrant Minerals agreed to sell all spodumene concentrate from the Orvane project, "
        "about 90,000 tonnes, to Kelso Lithium. Tarrant Minerals loaded its first cargo of "
        "12,000 tons of concentrate in May, worth about US$2.1 million."
    )
    assert deal_lines(facts) == [("lithium", ("Tarrant Minerals",), None, 90000.0)]


def test_a_deal_named_by_its_noun_in_a_text_of_one_mineral_is_a_deal_of_it(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Nickel Ltd owns the Tarn nickel mine in Ruritania. Kelso Nickel Ltd had an "
        "offtake agreement with Orsa Smelting, which bought all the ore for processing."
    )
    assert deal_lines(facts) == [("nickel", ("Kelso Nickel Ltd",), None, None)]


def test_a_deal_naming_no_mineral_in_a_text_of_two_or_for_other_goods_is_none(
    extractor: Extractor,
) -> None:
    # counter-examples (pass on 07bf4ee too): which mineral is unsaid, or the goods are others
    two = extractor.extract(
        "Kelso Mining Ltd owns the Tarn nickel and cobalt mine. Kelso Mining Ltd had an offtake "
        "agreement with Orsa Smelting."
    )
    assert deal_lines(two) == []
    power = extractor.extract(
        "Penrose Lithium Ltd is developing the Tarn lithium project. Penrose Lithium Ltd signed "
        "a supply agreement for electricity with Velda Power."
    )
    assert deal_lines(power) == []


def test_a_figure_with_a_dot_before_three_zeros_groups_thousands(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The stockpile holds from 40.000 to 45.000 tonnes of lithium concentrate, and 2.5 "
        "tonnes of samples were taken."
    )
    assert masses_of(facts) == [40000.0, 45000.0, 2.5]


def test_a_sum_quoted_at_after_a_price_per_pound_is_a_price(extractor: Extractor) -> None:
    text = (
        "Cobalt reached $38 a pound on Friday.\n\n"
        "Kelso Mining offered metal at $39.50 to its customers, traders said."
    )
    assert deal_lines(extractor.extract(text)) == []
    doc = extractor.analyse(text)
    money = [a for a in doc._.minwatch_amounts if a.kind == "money"]
    assert [(a.value, a.unit_price) for a in money] == [(38.0, True), (39.5, True)]


# -- Chinese ------------------------------------------------------------------------------------


def test_zh_both_owners_of_a_joint_venture_mine_produce(extractor: Extractor) -> None:
    facts = extractor.extract(
        "北岭矿业与西江集团合资的南岭镍矿今年开采配额削减至800万吨。", language="zh"
    )
    assert sorted(suppliers_of(facts)) == ["北岭矿业", "西江集团"]


def test_zh_countries_before_both_owners_are_their_origins(extractor: Extractor) -> None:
    for text in (
        "中国北岭控股与法国奥斯特合资的南岭镍矿，今年产量为800万吨。",
        "法国奥斯特与中国北岭控股合资的南岭镍矿，今年产量为800万吨。",
    ):
        facts = extractor.extract(text, language="zh")
        assert sorted(suppliers_of(facts)) == ["北岭控股", "奥斯特"]


def test_zh_a_joint_venture_company_that_imports_is_no_producer(extractor: Extractor) -> None:
    # counter-example (passes on 07bf4ee too): a joint company that buys ore makes its
    # owners no producers
    facts = extractor.extract(
        "北岭矿业与西江集团合资的南岭贸易公司今年进口镍矿800万吨。", language="zh"
    )
    assert suppliers_of(facts) == []


def test_zh_a_company_signing_a_project_with_a_county_invests(extractor: Extractor) -> None:
    facts = extractor.extract(
        "北岭县与南辰钒业有限公司签订钒钛产业基地项目合同，总投资30亿元；开发区与西江电气集团公司"
        "等8家企业签约项目8个，涉及稀土永磁。",
        language="zh",
    )
    assert suppliers_of(facts) == []


def test_zh_a_listed_companys_short_name_before_an_officers_title(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "上市公司东辰金属总经理表示，东辰金属生产的钨酸钠价格看涨。", language="zh"
    )
    assert suppliers_of(facts) == ["东辰金属"]


def test_zh_a_maker_of_other_goods_buys_and_the_one_it_signs_with_sells(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "本周，日本电池生产企业Kelso Cells Co Ltd同Orsa Mines续签了十年期钴供应合同。",
        language="zh",
    )
    assert suppliers_of(facts) == ["Orsa Mines"]


def test_zh_the_party_signing_with_a_miner_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "西江新材料有限公司上月同加拿大矿商Orsa Cobalt签订了为期三年的钴合作协议。",
        language="zh",
    )
    assert suppliers_of(facts) == ["Orsa Cobalt"]


def test_zh_a_leader_of_a_minerals_trade_is_its_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "锂盐行业龙头北岭锂业股价大涨。北岭锂业随后发布公告称诉讼已和解。",
        language="zh",
    )
    assert suppliers_of(facts) == ["北岭锂业"]


def test_zh_the_one_whose_deliveries_were_stopped_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "西江新能源(831234)今年被暂停供货，遂起诉北岭锂业，要求其履行碳酸锂合同。",
        language="zh",
    )
    assert "西江新能源" not in suppliers_of(facts)
    assert all("西江新能源" not in line[1] for line in deal_lines(facts))


def test_zh_the_company_called_the_only_customer_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰股份发布公告上调精矿结算价。据东辰股份年报，南岭稀土(600999)仍为公司稀土精矿的最大客户。",
        language="zh",
    )
    assert not any("南岭稀土" in name for name in suppliers_of(facts))
    names = {m.text for m in facts.mentions if m.kind == "organization"}
    assert "南岭稀土" in names and "目前南岭稀土" not in names


# -- read from blind85 and blind86 --------------------------------------------------------------


def test_zh_us_dollars_written_colloquially_and_more_than_a_figure(extractor: Extractor) -> None:
    doc = extractor.analyse("北岭项目的现金成本为2800多美金/吨碳酸锂。", language="zh")
    money = [a for a in doc._.minwatch_amounts if a.kind == "money"]
    assert [(a.value, a.currency, a.unit_price) for a in money] == [(2800.0, "USD", True)]


def test_zh_masses_stated_as_more_than_a_figure(extractor: Extractor) -> None:
    facts = extractor.extract(
        "去年出口钨精矿4000余吨，库存20多万吨，其中1.5万余吨为二级品。", language="zh"
    )
    assert masses_of(facts) == [4000.0, 200000.0, 15000.0]


def test_zh_a_periods_sales_volume_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "报告期内，东辰钴业股份有限公司钴产品收入20.1亿元，销售量同比增长8.5%至6,120吨。",
        language="zh",
    )
    assert masses_of(facts) == [6120.0]
    assert deal_lines(facts) == []


def test_zh_small_form_punctuation_in_figures(extractor: Extractor) -> None:
    facts = extractor.extract("電解鎳銷量增長9﹒5%至11﹐430噸。", language="zh")
    assert masses_of(facts) == [11430.0]


def test_zh_a_company_named_for_its_mineral_trade_and_called_a_maker(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "据悉，西江锆业为国内主要的锆制品制造商，今年锆英砂产量预计为8万吨。", language="zh"
    )
    assert suppliers_of(facts) == ["西江锆业"]


def test_earning_by_selling_tonnes_is_a_sale(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Tarn Mineral Sands Corporation made $4 million in March by selling 3,000 tons of "
        "rutile to two buyers, the Corporation said."
    )
    assert suppliers_of(facts) == ["Tarn Mineral Sands Corporation"]
    assert deal_lines(facts) == [
        ("titanium", ("Tarn Mineral Sands Corporation",), 4000000.0, 3000.0)
    ]


def test_the_one_a_sale_tender_is_awarded_to_buys(extractor: Extractor) -> None:
    sold = extractor.extract(
        "The state miner called tenders for the sale of 4,000 tonnes of zircon. The tender was "
        "awarded to Kelvor Trading."
    )
    assert suppliers_of(sold) == []
    # counter-example (passes on 07bf4ee too): a tender that buys is awarded to its seller
    bought = extractor.extract(
        "The agency called a tender to buy 300 tonnes of zircon. It was awarded to Kelvor Minerals."
    )
    assert suppliers_of(bought) == ["Kelvor Minerals"]


def test_a_figure_split_by_a_stray_space_weighs_nothing(extractor: Extractor) -> None:
    facts = extractor.extract("The new kiln will need some 12, 000 mt of rutile a year.")
    assert 0.0 not in masses_of(facts)


def test_zh_an_announcer_that_will_sell_its_goods_to_the_one_it_signed_with(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "北岭矿业发布公告称，已同西江集团签订合作备忘录，将南岭项目所产钨精矿的一半售予西江集团。",
        language="zh",
    )
    assert deal_lines(facts) == [("tungsten", ("北岭矿业",), None, None)]


def test_zh_a_mineral_describing_the_buyer_is_not_the_one_sold(extractor: Extractor) -> None:
    facts = extractor.extract(
        "北岭矿业有限公司发布公告称，已同西江锂业有限公司签订十年期协议，将镍精矿售予这家锂盐生产"
        "企业。",
        language="zh",
    )
    assert deal_lines(facts) == [("nickel", ("北岭矿业有限公司",), None, None)]
