"""General constructions found while the seventeenth session read its sets, each written from
invented sentences (no evaluation text), and each failing on 320da53 unless it says it is a
counter-example."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines as _lines


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- Chinese: who holds a mine, who releases a reserve ---------------------------------------


def test_the_holder_of_a_mine_is_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "拥有两座在产锡矿的东辰锡业近日公告称，董事会已批准扩建冶炼车间。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰锡业"]


def test_a_mine_held_through_a_company_makes_it_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "西江股份发布公告称，西江股份旗下的南岭钨矿今年计划采出钨精矿3000吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["西江股份"]


def test_a_mine_held_in_the_passive_makes_its_holder_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "记者了解到，北岭锑矿目前由东辰锑品科技公司运营，年产锑精矿约2000吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰锑品科技公司"]


def test_a_buyer_of_a_mines_output_is_no_holder(extractor: Extractor) -> None:
    # counter-example: a deal's frame outranks the mine a party holds
    facts = extractor.extract(
        "东辰股份与西江矿业有限公司签署采购协议，东辰股份将向西江矿业有限公司采购锂精矿2万吨。"
        "东辰股份旗下的北山锂矿尚未投产。",
        language="zh",
    )
    assert list(facts.suppliers) == ["西江矿业有限公司"]


def test_a_state_reserve_releasing_its_stock_sells_it(extractor: Extractor) -> None:
    facts = extractor.extract(
        "为平抑价格，国家物资储备局下月将向市场出售储备锡2000吨。国家物资储备局去年曾拍卖"
        "储备锑3000吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["国家物资储备局"]
    assert ("tin", ("国家物资储备局",), None, 2000.0) in _lines(facts)
    assert ("antimony", ("国家物资储备局",), None, 3000.0) in _lines(facts)


def test_a_state_reserve_buying_is_no_seller(extractor: Extractor) -> None:
    # counter-example: taking metal into the reserve, and metal sold to the reserve, buy
    facts = extractor.extract(
        "国储局计划收储钴金属2000吨。东辰钴业有限公司表示，公司已向国储局出售钴金属500吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰钴业有限公司"]


def test_a_word_ending_on_the_reserves_short_name_is_no_reserve(extractor: Extractor) -> None:
    # counter-example: "中国储备…" holds the characters of the short name "国储"
    facts = extractor.extract(
        "中国储备铜的投放将压低铜价。分析师称，铜价本周下跌2%。",
        language="zh",
    )
    assert list(facts.suppliers) == []


def test_a_total_over_listed_minerals_is_no_ones_mass(extractor: Extractor) -> None:
    facts = extractor.extract(
        "国家物资储备局计划下月抛售储备锡、锑，合计5000吨。",
        language="zh",
    )
    assert _lines(facts) == [
        ("antimony", ("国家物资储备局",), None, None),
        ("tin", ("国家物资储备局",), None, None),
    ]


# -- Chinese: names ----------------------------------------------------------------------------


def test_a_generic_phrase_before_a_company_noun_is_no_name(extractor: Extractor) -> None:
    # counter-example: a name may follow a particle ("及X公告"), but "各有关公司" is none
    doc = extractor.analyse("根据行业协会数据及各有关公司公告，去年锡产量增长5%。", language="zh")
    assert [o.text for o in doc._.minwatch_orgs] == []


def test_a_descriptor_of_a_trade_is_no_name(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "韩国大型贸易公司纷纷布局钴资源。东辰钴业有限公司将向客户供应钴中间品800吨。",
        language="zh",
    )
    assert [o.text for o in doc._.minwatch_orgs] == ["东辰钴业有限公司"]


def test_a_latin_name_in_brackets_after_a_descriptor_is_the_company(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "秘鲁国营矿企（Kelsomin）今年计划出售锌精矿5万吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["Kelsomin"]


def test_a_latin_short_form_glossed_by_its_chinese_name_is_one_company(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "KMX(鲁里塔尼亚锡业有限公司)宣布，已与一家焊料厂签署长期供货协议，将向其供应锡锭。公司认为，订单可为"
        "KMX的新冶炼厂提供资金支持。",
        language="zh",
    )
    assert list(facts.suppliers) == ["鲁里塔尼亚锡业有限公司"]
    assert ("tin", ("鲁里塔尼亚锡业有限公司",), None, None) in _lines(facts)


def test_a_statement_before_the_supplying_verb_keeps_the_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "据悉，智利Kelso周三发表声明称，将为西江电池厂供应碳酸锂。",
        language="zh",
    )
    assert list(facts.suppliers) == ["Kelso"]


def test_a_concentrate_auction_is_a_sale(extractor: Extractor) -> None:
    facts = extractor.extract(
        "鲁里塔尼亚矿商Kelso Tin周二通过网上竞拍售出3000吨锡精矿，成交价较上次提高4%。",
        language="zh",
    )
    assert ("tin", ("Kelso Tin",), None, 3000.0) in _lines(facts)


def test_an_auction_of_mining_rights_is_no_sale(extractor: Extractor) -> None:
    # counter-example: a mining right auctioned is no mineral sold
    facts = extractor.extract(
        "西江县将拍卖一宗锂矿采矿权，起拍价为5亿元，资源量为40万吨。",
        language="zh",
    )
    assert _lines(facts) == []


def test_trade_statistics_without_a_company_are_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "据统计，上半年鲁里塔尼亚向日本供应铬矿约80万吨，比去年同期增加一成。",
        language="zh",
    )
    assert _lines(facts) == []


def test_a_short_name_after_a_dateline_separator_is_a_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰快讯｜南岭钨钼(603999)晚间披露，将向一家硬质合金厂供应仲钨酸铵500吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["南岭钨钼"]


# -- English ---------------------------------------------------------------------------------


def test_an_importer_that_will_also_get_goods_buys_them(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "Tarrant Fertilisers Corporation will also get 12,000 tonnes of potash from "
        "Kelso Potash Ltd under the second lot."
    )
    evidence = {o.text: o.evidence for o in doc._.minwatch_orgs}
    assert "buyer_evidence" in evidence["Tarrant Fertilisers Corporation"]
    assert [o.text for o in doc._.minwatch_orgs if o.supplier] == ["Kelso Potash Ltd"]


def test_phosphoric_acid_is_phosphate(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Under the contract, Harlow Chemicals Ltd. is to ship 25,000 tonnes of phosphoric acid "
        "to the Ruritanian co-operative this year."
    )
    assert facts.minerals == ("phosphate",)
    assert _lines(facts) == [("phosphate", ("Harlow Chemicals Ltd.",), None, 25000.0)]


def test_sulphuric_acid_is_still_another_material(extractor: Extractor) -> None:
    # counter-example: the acid a copper mine leaches with is no mineral's mass
    facts = extractor.extract(
        "The copper mine agreed to buy copper concentrate from Harlow Mining Ltd and will also "
        "take 9,000 tonnes of sulphuric acid a year."
    )
    assert all(line[3] != 9000.0 for line in _lines(facts))


def test_a_mass_of_urea_is_no_minerals_mass(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Agro Ltd. won the tender for 45,000 tonnes of urea and 7,500 tonnes of "
        "phosphate rock, the ministry said."
    )
    assert _lines(facts) == [("phosphate", ("Kelso Agro Ltd.",), None, 7500.0)]


def test_sellers_of_goods_that_are_no_minerals_are_no_suppliers(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The food agency plans to import the wheat from Brisco Foods Inc after a tender. Some "
        "20,000 tonnes of rice will be bought from Velda Grains Limited. The farm board will buy "
        "6,000 tonnes of potash from Kelso Potash Ltd for the spring."
    )
    assert list(facts.suppliers) == ["Kelso Potash Ltd"]


def test_a_dollar_sign_before_the_currency_code_is_that_currency(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarrant Tin reported sales of Aus$31.2 million, paid down a $US25m debt facility and "
        "holds $A8m in cash."
    )
    assert [(m.usd, m.currency) for m in facts.money] == [
        (None, "AUD"),
        (25_000_000.0, "USD"),
        (None, "AUD"),
    ]


def test_a_spanish_name_with_its_and_is_one_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Its partner, Chilean miner Compania Minera y Comercial del Norte, will sell lithium "
        "hydroxide to the plant."
    )
    assert list(facts.suppliers) == ["Compania Minera y Comercial del Norte"]


def test_a_prefixed_name_in_the_possessive_is_the_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "PT Kelso's nickel mine on Sulawesi shipped its first ore in May. PT Kelso sells the "
        "ore to smelters in Ruritania."
    )
    assert list(facts.suppliers) == ["PT Kelso"]


def test_a_name_with_a_bracketed_place_inside_is_one_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Harlow (Hong Kong) Trading Co. Ltd. will sell 500 tonnes of lithium carbonate to "
        "Velda Batteries."
    )
    assert list(facts.suppliers) == ["Harlow (Hong Kong) Trading Co. Ltd."]


def test_an_investor_that_divests_is_no_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "To protect its lithium sector, the ministry ordered the fund to divest from Harlow "
        "Holdings Inc. and Brisco Partners Ltd. by June."
    )
    assert list(facts.suppliers) == []


def test_a_soviet_style_combine_is_a_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Ruritanian buyer signed a deal to purchase 120 tonnes of tungsten concentrate from "
        "the Kelso Mining and Metallurgical Combine."
    )
    assert list(facts.suppliers) == ["Kelso Mining and Metallurgical Combine"]


def test_a_buyer_called_a_consumer_in_apposition_is_no_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Ruritania Steel Works Ltd (RSW), the region's top steel producer, has bought 200,000 "
        "tonnes of coking coal from Kazakhstan this quarter."
    )
    assert list(facts.suppliers) == []
    assert _lines(facts) == [("metallurgical coal", (), None, 200000.0)]


def test_a_price_compared_with_a_unit_price_is_a_unit_price(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "Tin concentrate fetched $21,400 a tonne at the tender, against $20,900 at the previous "
        "one."
    )
    assert [(a.usd, a.unit_price) for a in doc._.minwatch_amounts if a.kind == "money"] == [
        (21400.0, True),
        (20900.0, True),
    ]
    doc = extractor.analyse("锡精矿成交价为每吨21400美元，上次为20900美元。", language="zh")
    assert [(a.usd, a.unit_price) for a in doc._.minwatch_amounts if a.kind == "money"] == [
        (21400.0, True),
        (20900.0, True),
    ]


def test_a_mixed_script_name_is_named_by_its_latin_gloss(extractor: Extractor) -> None:
    # counter-example: "Kelso资源公司(Kelso Resources)" renders the Latin name
    facts = extractor.extract(
        "西江石墨公司与澳大利亚Kelso资源公司(Kelso Resources,ASX:KRS)签署协议，Kelso将每年向"
        "西江石墨公司供应天然石墨2万吨。",
        language="zh",
    )
    assert "Kelso Resources" in facts.suppliers


def test_a_chinese_name_glossed_in_latin_is_its_chinese_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰稀有金属材料公司(Dongchen Rare Metals)计划明年向日本客户出售氧化钽300吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰稀有金属材料公司"]


def test_a_company_that_now_holds_a_mine_is_a_producer(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰股份(600999)晚间发布公告。东辰股份目前拥有北岭锑矿采矿权，该矿去年已投产。",
        language="zh",
    )
    assert list(facts.suppliers) == ["东辰股份"]


def test_the_announcer_referred_to_as_the_group_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "南岭锂电(01888.HK)今日上涨3%。南岭锂电发布公告,2026年3月2日,公司与东辰电池有限公司签订"
        "碳酸锂供货框架协议。按照协议,本集团将在未来三年内向东辰电池有限公司供应碳酸锂共3万吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["南岭锂电"]
    assert _lines(facts) == [("lithium", ("南岭锂电",), None, 30000.0)]


def test_a_company_named_as_anothers_partner_is_no_party_of_its_orders(
    extractor: Extractor,
) -> None:
    # the announcer sells (first paragraph), but a later sentence about its
    # partner's orders is no deal of the announcer's
    facts = extractor.extract(
        "东辰材料3月1日晚间公告，公司拟在2026年向南岭电池销售负极石墨不超过2万吨。\n\n"
        "东辰材料的合作伙伴南岭电池生产磷酸铁锂电池，今年获得多家车企订单。",
        language="zh",
    )
    assert _lines(facts) == [("graphite", ("东辰材料",), None, 20000.0)]


def test_the_biggest_exporter_in_apposition_sells(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tin prices may rise in the second half, according to PT Kelso Mandiri, the region's "
        "biggest exporter."
    )
    assert list(facts.suppliers) == ["PT Kelso Mandiri"]
