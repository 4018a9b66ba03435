"""Organisations, roles, aliases, procurement lines and export-control facts."""

from __future__ import annotations

import pytest

from nlp import Extractor, eval_record, parse_header


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_alias_resolves_to_first_full_name(extractor: Extractor) -> None:
    text = (
        "United States Antimony Corporation (USAC) operates the only US antimony smelter. "
        "USAC said it had shipped antimony trioxide under a purchase order worth $850,000."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("United States Antimony Corporation",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.suppliers) == (
        "antimony",
        850000.0,
        ("United States Antimony Corporation",),
    )


def test_buyers_price_agencies_and_banks_are_not_suppliers(extractor: Extractor) -> None:
    text = (
        "Element 25 Limited agreed to supply up to 30,000 tonnes a year of manganese sulphate "
        "to Ford Motor Co., in a deal valued at up to $330 million. Fastmarkets assessed "
        "manganese at $850 a tonne, and Goldman Sachs analysts expected output cuts."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("Element 25 Limited",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.tonnes, line.usd_is_upper_bound) == (
        "manganese",
        330e6,
        30000.0,
        True,
    )
    roles = {m.text: m.role for m in facts.mentions if m.kind == "organization"}
    assert roles["Fastmarkets"] == "price_agency"


def test_multi_deal_sentence(extractor: Extractor) -> None:
    text = (
        "The Pentagon agreed to buy up to $500 million in cobalt and up to $245 million in "
        "antimony from United States Antimony Corporation, and $45 million in scandium from "
        "Rio Tinto Services Inc. and APL Engineered Materials Inc."
    )
    facts = extractor.extract(text)
    lines = {(line.mineral, line.usd, line.suppliers) for line in facts.procurements}
    # Each conjunct states its own figure: "from X" belongs to the one it follows (issue 11:
    # cobalt names no seller).
    assert lines == {
        ("cobalt", 500e6, ()),
        ("antimony", 245e6, ("United States Antimony Corporation",)),
        ("scandium", 45e6, ("Rio Tinto Services Inc.", "APL Engineered Materials Inc.")),
    }


def test_grants_loans_and_prices_are_not_lines(extractor: Extractor) -> None:
    text = (
        "The project received a $166 million grant and a $102 million loan to process graphite. "
        "Benchmark assessed flake graphite at $430 a tonne."
    )
    assert extractor.extract(text).procurements == ()


def test_per_person_lines_in_a_stockpile_purchase(extractor: Extractor) -> None:
    text = "JOGMEC plans to buy about 10 tonnes of gallium and 1,000 tonnes of antimony."
    lines = [(p.mineral, p.tonnes, p.suppliers) for p in extractor.extract(text).procurements]
    assert lines == [("gallium", 10.0, ()), ("antimony", 1000.0, ())]


def test_notice_amended_quantity_and_known_awardee(extractor: Extractor) -> None:
    text = (
        "Notice ID: SP8000-25-D-0007\nContract Opportunity Type: Award Notice\n\n"
        "The estimated maximum quantity of cobalt metal is revised from 7,500 metric tons to "
        "5,000 metric tons.\nThe minimum delivery order quantity remains 100 metric tons.\n"
        "Total award: $245,000,000.00.\n"
    )
    facts = extractor.extract(
        text, title="Cobalt Metal - Award", known_suppliers=["United States Antimony Corp"]
    )
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.tonnes, line.suppliers) == (
        "cobalt",
        245e6,
        5000.0,
        ("United States Antimony Corp",),
    )
    assert facts.suppliers == ("United States Antimony Corp",)


def test_chinese_supply_agreement(extractor: Extractor) -> None:
    text = (
        "海关总署数据显示出口量为3150吨。中国稀土集团有限公司下属企业近日与一家日本磁材企业签署氧化镝"
        "长期供货协议，约定每年供应30吨。"
    )
    facts = extractor.extract(text, language="zh")
    assert facts.suppliers == ("中国稀土集团有限公司",)
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("dysprosium", 30.0, ("中国稀土集团有限公司",))
    ]


def test_chinese_export_control_announcement(extractor: Extractor) -> None:
    text = (
        "决定对钐、钆实施出口管制。\n五、本公告自公布之日起正式实施。\n\n"
        "商务部 海关总署\n2025年4月4日\n"
    )
    facts = extractor.extract(
        text,
        language="zh",
        title="商务部 海关总署公告2025年第18号 关于对部分中重稀土相关物项实施出口管制的决定",
    )
    control = facts.export_control
    assert control is not None
    assert (control.authority, control.number, control.issued_on, control.effective_on) == (
        "MOFCOM/GACC",
        "2025-18",
        "2025-04-04",
        "2025-04-04",
    )
    later = extractor.extract(
        "本公告自2023年8月1日起正式实施。\n商务部\n2023年7月3日",
        language="zh",
        title="商务部公告2023年第23号",
    )
    assert later.export_control is not None
    assert later.export_control.effective_on == "2023-08-01"


def test_english_export_control_announcement(extractor: Extractor) -> None:
    text = (
        "V. This announcement shall take effect on 1 August 2023.\n\n"
        "Ministry of Commerce\n3 July 2023"
    )
    facts = extractor.extract(text, title="MOFCOM and GAC Announcement No. 23 of 2023 on gallium")
    control = facts.export_control
    assert control is not None
    assert (control.authority, control.number, control.issued_on, control.effective_on) == (
        "MOFCOM/GACC",
        "2023-23",
        "2023-07-03",
        "2023-08-01",
    )


def test_parse_header_and_eval_record(extractor: Extractor) -> None:
    headers, body = parse_header("Title: Gallium deal\nSource: Wire\nLanguage: zh\n\nBody text.\n")
    assert headers == {"Title": "Gallium deal", "Source": "Wire", "Language": "zh"}
    assert body == "Body text.\n"
    assert parse_header("No header here.\n") == ({}, "No header here.\n")
    record = eval_record("d1", extractor.extract("It sold 10 tonnes of gallium for $5 million."))
    assert record["doc"] == "d1"
    assert record["minerals"] == ["gallium"]
    assert record["money"] == [
        {"text": "$5 million", "usd": 5e6, "bound": "exact", "currency": "USD"}
    ]
    assert record["quantities"] == [{"text": "10 tonnes", "tonnes": 10.0, "bound": "exact"}]


def test_contract_awarded_to_a_company(extractor: Extractor) -> None:
    text = (
        "The Defense Logistics Agency awarded a $245 million contract to United States Antimony "
        "Corp. for antimony ingots, about 6.7 million lb."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("United States Antimony Corp.",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.suppliers) == (
        "antimony",
        245e6,
        ("United States Antimony Corp.",),
    )
    assert line.tonnes == pytest.approx(6.7e6 * 0.000453592)
