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
