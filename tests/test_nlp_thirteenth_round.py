"""General constructions found after blind57/58 were scored at first sight, each written
from invented sentences (no evaluation text), and each failing on 2d9f1da."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _money(facts: object) -> list[float]:
    return [m.usd for m in facts.mentions if m.kind == "money"]  # type: ignore[attr-defined]


def _orgs(facts: object) -> set[str]:
    return {m.text for m in facts.mentions if m.kind == "organization"}  # type: ignore[attr-defined]


def test_a_charge_below_zero_keeps_its_sign(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The weekly zinc concentrate index stood at -$51.20/dmt, up $0.40/dmt from the "
        "previous -$51.60/dmt. Offers ranged from -$25 to -$35/mt, a smelter bought at "
        "(-$310)/mt and another quoted $-7.5/dmt."
    )
    assert _money(facts) == [-51.2, 0.4, -51.6, -25.0, -35.0, -310.0, -7.5]


def test_a_dash_or_a_range_is_no_minus(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Zinc concentrate sold at $60-$70 a tonne - $65 on average, and 2024-$8m was spent."
    )
    assert _money(facts) == [60.0, 70.0, 65.0, 8_000_000.0]


def test_a_subsidiary_named_in_apposition_to_its_owner_is_the_party(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Penrose Vanadium, a subsidiary of Ostfeld Group, has closed a three-year "
        "ferro-vanadium deal with a Midwest steelmaker. The producer will supply 2,800 tonnes "
        "of vanadium under it."
    )
    assert facts.suppliers == ("Penrose Vanadium",)
    assert [(p.mineral, p.suppliers, p.tonnes) for p in facts.procurements] == [
        ("vanadium", ("Penrose Vanadium",), 2800.0)
    ]


def test_a_subsidiary_and_its_owner_sharing_a_word_stay_two_and_the_sum_payable_prices_it(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Ridge, a subsidiary of Kelso Ltd, agreed to sell roughly 30,000 tonnes of zinc "
        "concentrate a year to Orsa Trading in 2021 and 2022. Kelso said the total amount "
        "payable by Orsa Trading would not exceed $40 million."
    )
    assert facts.suppliers == ("Kelso Ridge",)
    assert [(p.mineral, p.suppliers, p.usd, p.tonnes) for p in facts.procurements] == [
        ("zinc", ("Kelso Ridge",), 40_000_000.0, 30_000.0)
    ]


def test_a_text_that_names_no_mineral_names_no_supplier(extractor: Extractor) -> None:
    facts = extractor.extract(
        "东辰锡业股份有限公司（以下简称“公司”）预计2022年与控股股东东辰锡业集团有限责任公司发生"
        "日常关联交易，包括房屋租赁、综合服务及水电费，预计金额合计1,200万元。",
        language="zh",
    )
    assert facts.minerals == ()
    assert facts.suppliers == ()


def test_a_mines_output_put_out_to_tender_is_sold_by_its_owner(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Spot trade in copper concentrate slowed this week. Harlow's Red Fox and Kelso copper "
        "mines issued tenders to smelters, 15,000 mt apiece, loading late in the year. Tarrant "
        "opened a tender for 25,000 mt of Sierra Vista, to ship in September. Velda's 35,000 mt "
        "Orsa Alta tender closed with a result of -$72."
    )
    assert set(facts.suppliers) == {"Harlow", "Tarrant", "Velda"}
    lines = {(p.tonnes, p.suppliers) for p in facts.procurements}
    assert (15_000.0, ("Harlow",)) in lines
    assert (35_000.0, ("Velda",)) in lines


def test_the_employer_of_an_officer_named_by_title_is_an_organisation(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Ostrovia's government rebuilt the assets of the defunct nickel mine. Orvalia's new "
        'plant will double nickel sulfate output. "We are a battery materials company now," '
        "Orvalia chief executive officer Jan Varga told reporters."
    )
    assert "Orvalia" in _orgs(facts)


def test_listed_before_a_name_is_no_part_of_it(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Listed Harlow Nickel Holdings Inc. (HNH) has widened its supply deal with Kelso "
        "Trading to 20,000 tonnes of nickel ore."
    )
    assert facts.suppliers == ("Harlow Nickel Holdings Inc.",)


def test_a_particle_carries_a_producers_name_on(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso signed an offtake with Orsa SpA, a unit of Peruvian miner Sociedad Minera "
        "del Sur (Somisur), covering copper concentrate from its Orsa project."
    )
    assert "Sociedad Minera del Sur" in _orgs(facts)
    assert "Sociedad Minera" not in _orgs(facts)


def test_a_lenders_facility_is_no_deal_value(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso will buy all copper concentrate from the Orsa mine under an offtake, and has "
        "arranged a facility worth US$260 million for the miner's older debt."
    )
    assert [(p.mineral, p.usd) for p in facts.procurements] == [("copper", None)]


def test_a_chinese_short_name_carrying_a_mineral_it_produces_supplies(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "东辰锗业披露，公司锗晶片产能明年将增至每年300万片，锗产品销量同比增长。",
        language="zh",
    )
    assert facts.suppliers == ("东辰锗业",)


def test_a_short_name_that_supplies_by_its_name_alone_is_no_lines_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "东辰锗业发布公告，公司与西江矿业有限公司签署锗精矿长期供货协议，"
        "西江矿业有限公司每年向公司供应锗精矿50吨。",
        language="zh",
    )
    assert [(p.mineral, p.suppliers) for p in facts.procurements] == [
        ("germanium", ("西江矿业有限公司",))
    ]
    # (and, where a sentence names the seller, the announcing company is its buyer)
    assert facts.suppliers == ("西江矿业有限公司",)


def test_a_states_plan_to_buy_for_its_reserve_is_a_line_of_each_metal(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "据悉，鲁里坦尼亚政府今年将把钴、铜、锂等金属纳入计划购买的清单。",
        language="zh",
    )
    assert [(p.mineral, p.suppliers, p.usd) for p in facts.procurements] == [
        ("cobalt", (), None),
        ("copper", (), None),
        ("lithium", (), None),
    ]


def test_buying_a_stake_is_no_plan_to_buy_a_metal(extractor: Extractor) -> None:
    facts = extractor.extract("东辰公司拟购买西江公司持有的锂矿公司股权。", language="zh")
    assert facts.procurements == ()


def test_the_lanthanide_series_is_no_lanthanum(extractor: Extractor) -> None:
    series = extractor.extract("稀土包括钪、钇和镧系的十五种元素。", language="zh")
    oxide = extractor.extract("本周氧化镧报价持平。", language="zh")
    assert (series.minerals, oxide.minerals) == (
        ("rare earth elements", "scandium", "yttrium"),
        ("lanthanum",),
    )


def test_a_charge_below_zero_is_no_deal_value(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Mining sold 12,000 mt of zinc concentrate with a treatment charge of -$65 "
        "to Kelvin Smelting."
    )
    assert [(p.mineral, p.tonnes, p.usd) for p in facts.procurements] == [("zinc", 12_000.0, None)]


def test_tenders_of_one_size_told_one_after_another_are_each_a_line(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Zinc concentrate tenders were active this week. A 6,000 mt tender for Brisco zinc "
        "concentrates closed on Monday. A 6,000 mt tender for Kelvin zinc concentrates closes "
        "on Friday. The 6,000 mt of zinc concentrates will ship in May."
    )
    assert [(p.mineral, p.tonnes) for p in facts.procurements] == [
        ("zinc", 6000.0),
        ("zinc", 6000.0),
    ]


def test_chinese_names_of_metallurgical_coal_and_silver(extractor: Extractor) -> None:
    coal = extractor.extract("西江钢铁本月购入三船冶金煤。", language="zh")
    silver = extractor.extract("项目投产后每年贡献约250万盎司银，银精矿加工费持平。", language="zh")
    bank = extractor.extract("公司向银行借款2亿元。", language="zh")
    assert (coal.minerals, silver.minerals, bank.minerals) == (
        ("metallurgical coal",),
        ("silver",),
        (),
    )


def test_tonnes_of_uranium_and_of_its_oxide_are_masses(extractor: Extractor) -> None:
    zh = extractor.extract("矿山去年产铀2,150.5tU，资源量约6.5万吨U3O8。", language="zh")
    en = extractor.extract("The two mines produced 2,410 tU and hold 5,200 tU3O8 in reserves.")
    assert [m.tonnes for m in zh.mentions if m.kind == "quantity"] == [2150.5, 65000.0]
    assert [m.tonnes for m in en.mentions if m.kind == "quantity"] == [2410.0, 5200.0]


def test_a_qualifier_of_several_words_is_no_part_of_a_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "South Australia-based Velda Ltd. agreed to supply Kelso Ltd. with 40,000 tonnes of "
        "phosphate rock a year under a new offtake."
    )
    assert facts.suppliers == ("Velda Ltd.",)


def test_a_colliery_is_a_site_not_a_seller(extractor: Extractor) -> None:
    facts = extractor.extract(
        "In return for the loan, Orsa Coal secures offtake rights to 4mn t of met coal from "
        "Brisco Colliery."
    )
    assert "Brisco Colliery" not in facts.suppliers
