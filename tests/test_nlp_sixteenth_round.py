"""General constructions found while the sixteenth session read its blind sets, each written
from invented sentences (no evaluation text), and each failing on b5b34fc unless it says it
is a counter-example."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines as _lines


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- names -----------------------------------------------------------------------------------


def test_a_short_form_with_a_lower_case_head_is_the_whole_word(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency chose Harlow Uranium Corporation and enTarn Energy Corporation to sell it "
        "uranium concentrate. enTarn will deliver 90 tonnes of uranium concentrate, while "
        "Harlow will deliver 40 tonnes."
    )
    assert sorted(facts.suppliers) == ["Harlow Uranium Corporation", "enTarn Energy Corporation"]
    assert ("uranium", ("enTarn Energy Corporation",), None, 90.0) in _lines(facts)


def test_a_wire_company_with_its_bare_ticker_is_a_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Brisco (BRZ) said it signed a one-year deal with Velda Agro Ltd. (VAL) for 300,000 "
        "tonnes of potash. VAL buys most of the potash Ruritania imports."
    )
    assert list(facts.suppliers) == ["Brisco"]


def test_an_agency_with_its_short_form_is_no_wire_company(extractor: Extractor) -> None:
    # counter-example: a bracket after an agency's name is its short form, not a ticker
    facts = extractor.extract(
        "The Mining Regulator of Ruritania (MRR) said lithium ore exports would pause. The "
        "Office of Strategic Reserves (OSR) announced it plans to buy lithium."
    )
    assert list(facts.suppliers) == []


def test_a_latin_name_with_a_trade_word_and_legal_form_is_one_name(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "据南非铬铁生产商Harlow资源有限公司称，公司上半年向中国出售铬铁10万吨。Harlow公司还表示，"
        "中国上半年共生产铬铁158万吨。",
        language="zh",
    )
    assert list(facts.suppliers) == ["Harlow资源有限公司"]


def test_a_companys_kind_and_its_subsidiary_are_no_names(extractor: Extractor) -> None:
    facts = extractor.extract(
        "東辰錳業投資有限公司（於百慕達註冊成立之有限公司）宣布，其附屬公司將向西江礦業出售錳礦石20萬噸。",
        language="zh",
    )
    assert list(facts.suppliers) == ["東辰錳業投資有限公司"]


# -- lines -----------------------------------------------------------------------------------


def test_a_later_telling_gives_a_figureless_line_its_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Velda Cells has signed a seven-year cobalt supply contract with refiner Penrose "
        "Chemicals Corporation. The price was not disclosed.\n\n"
        '"It is the first deal for Ruritania to purchase cobalt refined by a Kelso company," '
        'Penrose said. "Buyers want refining outside the usual hubs."'
    )
    assert _lines(facts) == [("cobalt", ("Penrose Chemicals Corporation",), None, None)]


def test_an_undisclosed_seller_stays_undisclosed(extractor: Extractor) -> None:
    # counter-example: a line whose seller the text withholds takes no later company
    facts = extractor.extract(
        "The agency will buy up to 20 tonnes of tantalum from an undisclosed company. "
        "Separately, Kelso Metals said it produces tantalum at its Ruritanian plant."
    )
    assert [line[1] for line in _lines(facts)] == [()]


def test_a_line_naming_nobody_takes_the_lead_company_not_one_named_in_passing(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Australia's Harlow Resources (ASX: HRL) said on Monday it had dispatched its first "
        "spodumene concentrate shipment from the Brisco lithium operation under a five-year "
        "offtake deal.\n\n"
        "Of that shipment, 9,000 tonnes were delivered to Velda Cells, a big maker of lithium-ion "
        "batteries.\n\n"
        "Harlow has loaded three vessels since June. Weak prices shut a rival, Tarrant "
        "Lithium's (ASX: TLX) Dunmore operation, in May.\n\n"
        "Harlow plans to reach 1.2 million tonnes a year.",
        title="Harlow loads first offtake vessel",
    )
    assert _lines(facts) == [("lithium", ("Harlow Resources",), None, 9000.0)]


def test_a_project_expected_to_supply_is_no_company(extractor: Extractor) -> None:
    # counter-example to "is expected to supply" making its subject a seller
    facts = extractor.extract(
        "Kelso Resources won a $10 million grant for antimony research. The Kelso Hill Project "
        "is expected to supply antimony to domestic smelters from 2030."
    )
    assert "Kelso Hill Project" not in facts.suppliers


def test_a_company_expected_to_provide_a_mineral_is_a_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Penrose Metals is expected to provide aluminium to Velda Motors from 2028."
    )
    assert list(facts.suppliers) == ["Penrose Metals"]


def test_steelmaking_coal_is_metallurgical_coal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Brisco Coal will supply steelmaking coal to the blast furnaces of Velda Steel until 2035."
    )
    assert _lines(facts) == [("metallurgical coal", ("Brisco Coal",), None, None)]


# -- Chinese ---------------------------------------------------------------------------------


def test_an_import_contract_is_a_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "西江钾业有限公司与南亚化肥进口商签订钾肥进口合同，货量为40万吨。", language="zh"
    )
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("potash", 400000.0)]


def test_a_sale_of_mines_and_a_share_of_supply_are_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰矿业将其在智利的一座镍矿山转让给西江集团，该矿年产镍约2万吨，占智利镍供应量的三成。",
        language="zh",
    )
    assert facts.procurements == ()


def test_a_supply_volume_stays_a_deals_volume(extractor: Extractor) -> None:
    # counter-example: "供应量为…" is the deal's own volume
    facts = extractor.extract(
        "塔兰特资源与西江钢铁签订镍铁供应协议，供应量为4万吨。", language="zh"
    )
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [("nickel", 40000.0)]


def test_phosphate_fertilisers_name_phosphate(extractor: Extractor) -> None:
    facts = extractor.extract("该省磷肥产能过剩，去年出口磷酸二铵3万吨。", language="zh")
    assert list(facts.minerals) == ["phosphate"]


def test_particles_and_approvals_before_a_full_name_are_no_part_of_it(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "省政府批准我省西江集团有限公司扩建镍冶炼厂。储备局今年收储了东辰铝业股份有限公司的铝锭3万吨。",
        language="zh",
    )
    names = {m.text for m in facts.mentions if m.kind == "organization"}
    assert {"西江集团有限公司", "东辰铝业股份有限公司"} <= names
    assert not any(n.startswith(("了", "发改委", "我省")) for n in names)


def test_a_one_word_company_awarded_a_contract_is_its_winner(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Brightwell has been awarded an $80 million order to deliver zirconium sponge to "
        "Velda Nuclear over five years."
    )
    assert _lines(facts) == [("zirconium", ("Brightwell",), 80000000.0, None)]


def test_a_one_word_recipient_of_funding_is_no_winner(extractor: Extractor) -> None:
    # counter-example: "received $X" names a grant's recipient
    facts = extractor.extract("Brightwell received a $7 million grant for its magnesium cells.")
    assert list(facts.suppliers) == []


def test_a_trading_company_of_a_producer_is_a_full_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "塔兰特钾肥贸易公司将在下半年向西江农资集团供应钾肥30万吨。",
        language="zh",
    )
    assert ("potash", ("塔兰特钾肥贸易公司",), None, 300000.0) in _lines(facts)


def test_an_adverb_after_a_suppliers_noun_opens_a_clause(extractor: Extractor) -> None:
    facts = extractor.extract(
        "买方期待降价，但澳大利亚的供应商仍坚持原有报价：西江钾肥则希望每吨提价20美元。",
        language="zh",
    )
    assert not any(s.startswith("仍") for s in facts.suppliers)


def test_parties_after_tong_are_the_sellers_of_a_purchase_contract(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "储备局已同东辰核燃料公司和法国西江集团签署铀采购合同。",
        language="zh",
    )
    assert sorted(facts.suppliers) == ["东辰核燃料公司", "西江集团"]


def test_the_trading_company_a_sale_contract_is_made_with_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Harlow Resources has entered a sale and purchase contract for monazite concentrate "
        "with Swiss trading company Velda Metals from its Brisco project."
    )
    assert "Velda Metals" not in facts.suppliers


def test_a_share_of_a_company_sold_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Last year Brightwell sold 20% of its shares to a group of steelmakers for $1.2 billion; "
        "the buyers use its niobium."
    )
    assert facts.procurements == ()


def test_a_share_of_a_minerals_output_sold_is_a_deal(extractor: Extractor) -> None:
    # counter-example: the share is of the mineral's output
    facts = extractor.extract("Brightwell sold 40% of its niobium output for $250 million.")
    assert [(p.mineral, p.usd) for p in facts.procurements] == [("niobium", 250000000.0)]


def test_a_side_defined_for_a_list_of_parties_sells_with_all_of_them(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "东辰科技公告称，公司控股子公司西江锂业有限公司及控股孙公司南岭锂业有限公司（以下简称“卖方”）"
        "与塔兰特能源有限公司（以下简称“买方”）签署了补充协议。补充协议约定，2026年至2030年，"
        "卖方合计向买方销售80万吨磷酸铁锂正极材料产品。",
        language="zh",
    )
    assert _lines(facts) == [("lithium", ("西江锂业有限公司", "南岭锂业有限公司"), None, 800000.0)]
