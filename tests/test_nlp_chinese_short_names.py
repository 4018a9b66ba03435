"""Listed companies' short names (证券简称) in Chinese texts: found by the frames that make
them companies', and given the part their sentence gives them. Invented companies."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_the_supplier_of_a_framework_agreement_is_found_by_its_short_name(
    extractor: Extractor,
) -> None:
    text = (
        "网站获悉,华锐锂业10月21日晚间公告,公司于近日与东辰新能、盛达矿业签署了《锂产品合作框架协议》。"
        "在协议有效期内,华锐锂业严格依照东辰新能的要求进行供货,盛达矿业将为华锐锂业提供锂精矿原料保障。"
    )
    facts = extractor.extract(text, language="zh")
    # the announcing company supplies; the one supplied ("为华锐锂业提供") is not made a
    # seller by it, and the buyer named only by the frame sells nothing
    assert "华锐锂业" in facts.suppliers
    assert "东辰新能" not in facts.suppliers


def test_supplied_to_a_company_makes_it_the_buyer(extractor: Extractor) -> None:
    text = "近日,澳洲锂矿商Orvane Minerals与华锐锂业签署协议,每年向华锐锂业供应16万吨锂精矿。"
    facts = extractor.extract(text, language="zh")
    assert "华锐锂业" not in facts.suppliers


def test_a_stock_code_after_a_short_name_makes_it_a_company(extractor: Extractor) -> None:
    text = "盛达矿业（600123）公告称，盛达矿业将向客户供应锗锭25吨。"
    facts = extractor.extract(text, language="zh")
    assert list(facts.suppliers) == ["盛达矿业"]


def test_a_short_form_of_picked_characters_is_the_full_name(extractor: Extractor) -> None:
    # "北铜集团" takes its characters from "北方铜业集团公司", in order
    text = (
        "中冶矿产集团有限公司与北方铜业集团公司签订三年期阴极铜进口合同。"
        "中冶矿产与北铜集团近日签署补充协议,约定中冶矿产每年自北铜集团采购阴极铜5万吨。"
    )
    facts = extractor.extract(text, language="zh")
    assert list(facts.suppliers) == ["北方铜业集团公司"]
    assert [list(p.suppliers) for p in facts.procurements] == [["北方铜业集团公司"]]


def test_two_full_names_sharing_characters_stay_two_companies(extractor: Extractor) -> None:
    text = (
        "华东北方稀土（集团）科技股份有限公司与华东稀土集团有限公司公布挂牌价,"
        "华东稀土集团有限公司氧化镝挂牌价上调。"
    )
    facts = extractor.extract(text, language="zh")
    assert {"华东北方稀土（集团）科技股份有限公司", "华东稀土集团有限公司"} <= set(facts.suppliers)


def test_supplying_for_a_company_outranks_the_agreements_name(extractor: Extractor) -> None:
    # the agreement carries the buyer's name for it ("采购合作协议"); the next sentence says
    # who supplies whom
    text = (
        "华锐锂业(沪:688123)晚间披露,公司已与东辰新能(深:300123)签订《锂电材料采购框架协议》。"
        "根据协议,2027年起华锐锂业将为东辰新能供应碳酸锂约3万吨。"
    )
    facts = extractor.extract(text, language="zh")
    assert list(facts.suppliers) == ["华锐锂业"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("lithium", 30000.0, ["华锐锂业"])
    ]


def test_a_latin_name_framed_by_its_country_is_a_company(extractor: Extractor) -> None:
    text = (
        "日本电池企业 Kiyomi Cells 表示,已与智利 Orvane 公司签署锂供应合同。"
        "根据合同,Kiyomi Cells 将从 Orvane 取得碳酸锂共计 4 万吨。"
        "随后 Kiyomi Cells 又与澳洲 Tarrant Resources 达成协议,"
        "Tarrant Resources 将在十年内供应 2 万吨锂精矿。"
    )
    facts = extractor.extract(text, language="zh")
    assert set(facts.suppliers) == {"Orvane", "Tarrant Resources"}


def test_the_parties_of_a_list_of_agreements_are_companies(extractor: Extractor) -> None:
    # "X代表Y": a person signs on behalf of a company; "分别与A、B、C签订": each party named
    # only as "…公司" is a company
    text = (
        "签约仪式上,董事长王明代表华北有色金属集团有限公司,分别与北辰公司、东岳资源公司、"
        "南川公司签订铜精矿采购协议,为公司2027年生产原料供应提供保障。"
    )
    facts = extractor.extract(text, language="zh")
    assert {"北辰公司", "东岳资源公司", "南川公司"} <= set(facts.suppliers)
    assert not any(name.startswith("王明") for name in facts.suppliers)
