"""Organisations, roles, aliases, procurement lines and export-control facts."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor, eval_record, parse_header


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_alias_resolves_to_first_full_name(extractor: Extractor) -> None:
    text = (
        "Pellmore Bismuth Company (PBC) runs the last bismuth refinery in Ohio. "
        "PBC said it had delivered bismuth ingots under a purchase order worth $640,000."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("Pellmore Bismuth Company",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.suppliers) == (
        "bismuth",
        640000.0,
        ("Pellmore Bismuth Company",),
    )


def test_buyers_price_agencies_and_banks_are_not_suppliers(extractor: Extractor) -> None:
    text = (
        "Tarrant Cobalt Limited agreed to supply up to 12,000 tonnes a year of cobalt sulphate "
        "to Ostfeld Motors Co., in a deal valued at up to $210 million. Argus assessed "
        "cobalt at $33,000 a tonne, and Morgan Stanley analysts expected supply to tighten."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("Tarrant Cobalt Limited",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.tonnes, line.usd_is_upper_bound) == (
        "cobalt",
        210e6,
        12000.0,
        True,
    )
    roles = {m.text: m.role for m in facts.mentions if m.kind == "organization"}
    assert roles["Argus"] == "price_agency"


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
        "The refiner won a $48 million grant and a $75 million loan to expand its nickel line. "
        "Benchmark assessed nickel sulphate at $3,900 a tonne."
    )
    assert extractor.extract(text).procurements == ()


def test_per_person_lines_in_a_stockpile_purchase(extractor: Extractor) -> None:
    text = (
        "The Public Procurement Service plans to buy about 25 tonnes of indium and 400 tonnes "
        "of tungsten."
    )
    lines = [(p.mineral, p.tonnes, p.suppliers) for p in extractor.extract(text).procurements]
    assert lines == [("indium", 25.0, ()), ("tungsten", 400.0, ())]


def test_notice_amended_quantity_and_known_awardee(extractor: Extractor) -> None:
    text = (
        "Notice ID: SP4000-26-D-0112\nContract Opportunity Type: Award Notice\n\n"
        "The estimated maximum quantity of nickel cathode is revised from 6,000 metric tons to "
        "4,200 metric tons.\nThe minimum delivery order quantity remains 50 metric tons.\n"
        "Total award: $118,000,000.00.\n"
    )
    facts = extractor.extract(
        text, title="Nickel Cathode - Award", known_suppliers=["Quillon Nickel LLC"]
    )
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.tonnes, line.suppliers) == (
        "nickel",
        118e6,
        4200.0,
        ("Quillon Nickel LLC",),
    )
    assert facts.suppliers == ("Quillon Nickel LLC",)


def test_chinese_supply_agreement(extractor: Extractor) -> None:
    text = (
        "海关数据显示上月进口量为1200吨。江陵稀土集团有限公司下属企业日前与一家德国电机企业签署氧化铽"
        "长期供货协议，约定每年供应12吨。"
    )
    facts = extractor.extract(text, language="zh")
    assert facts.suppliers == ("江陵稀土集团有限公司",)
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("terbium", 12.0, ("江陵稀土集团有限公司",))
    ]


def test_chinese_export_control_announcement(extractor: Extractor) -> None:
    text = (
        "决定对铟、铋实施出口管制。\n四、本公告自公布之日起正式实施。\n\n"
        "商务部 海关总署\n2026年2月10日\n"
    )
    facts = extractor.extract(
        text,
        language="zh",
        title="商务部 海关总署公告2026年第12号 关于对铟铋相关物项实施出口管制的决定",
    )
    control = facts.export_control
    assert control is not None
    assert (control.authority, control.number, control.issued_on, control.effective_on) == (
        "MOFCOM/GACC",
        "2026-12",
        "2026-02-10",
        "2026-02-10",
    )
    later = extractor.extract(
        "本公告自2026年6月1日起正式实施。\n商务部\n2026年5月8日",
        language="zh",
        title="商务部公告2026年第31号",
    )
    assert later.export_control is not None
    assert later.export_control.effective_on == "2026-06-01"


def test_english_export_control_announcement(extractor: Extractor) -> None:
    text = (
        "IV. This announcement shall take effect on 1 June 2026.\n\n"
        "Ministry of Commerce\n8 May 2026"
    )
    facts = extractor.extract(text, title="MOFCOM and GAC Announcement No. 31 of 2026 on indium")
    control = facts.export_control
    assert control is not None
    assert (control.authority, control.number, control.issued_on, control.effective_on) == (
        "MOFCOM/GACC",
        "2026-31",
        "2026-05-08",
        "2026-06-01",
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
        "The Defense Logistics Agency awarded a $58 million contract to Pellmore Antimony "
        "Corp. for antimony trioxide, about 2.4 million lb."
    )
    facts = extractor.extract(text)
    assert facts.suppliers == ("Pellmore Antimony Corp.",)
    (line,) = facts.procurements
    assert (line.mineral, line.usd, line.suppliers) == (
        "antimony",
        58e6,
        ("Pellmore Antimony Corp.",),
    )
    assert line.tonnes == pytest.approx(2.4e6 * 0.000453592)
