"""Money and mass parsing on small texts, exact values."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def money(extractor: Extractor, text: str, language: str = "en") -> list[float | None]:
    return [m.usd for m in extractor.extract(text, language=language).money]


def tonnes(extractor: Extractor, text: str, language: str = "en") -> list[float | None]:
    return [m.tonnes for m in extractor.extract(text, language=language).quantities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal is worth $1.2bn.", [1.2e9]),
        ("It paid US$45 million for the stake.", [45e6]),
        ("A contract of USD 3.5 million was signed.", [3.5e6]),
        ("The order totals 1.5 billion dollars.", [1.5e9]),
        ("Bids came in at $30-40 million.", [30e6, 40e6]),
        ("Argus assessed it at $55,000-58,000 per tonne.", [55000.0, 58000.0]),
        ("Estimated total contract value: $28,000,000.00.", [28e6]),
    ],
)
def test_english_money(extractor: Extractor, text: str, expected: list[float]) -> None:
    assert money(extractor, text) == pytest.approx(expected)


def test_bounds_are_recorded(extractor: Extractor) -> None:
    facts = extractor.extract("It will pay up to $160 million, about $16 million a year.")
    assert [(m.usd, m.bound) for m in facts.money] == [(160e6, "upper"), (16e6, "approx")]
    ranged = extractor.extract("Prices were $30-40 million.").money
    assert [m.bound for m in ranged] == ["low", "high"]


def test_other_currency_needs_a_stated_rate(extractor: Extractor) -> None:
    assert money(extractor, "Shares ended at A$1.47 and the state gave €120 million.") == [
        None,
        None,
    ]
    converted = money(extractor, "进口额为人民币21.6亿元（按美元兑人民币汇率7.2折算）。", "zh")
    assert converted == pytest.approx([3e8])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出口额约5亿美元。", [5e8]),
        ("出口额约2.45亿美元。", [2.45e8]),
        ("报价升至每公斤800至850美元。", [800.0, 850.0]),
        # a figure in two parts, hundreds of millions and ten-thousands
        ("合同金额3亿4200万美元。", [3.42e8]),
        # web pages space the currency off, and ranges take an en dash or a doubled hyphen
        ("离岸价约为 18,200 美元/吨。", [18200.0]),
        ("到岸价为 21,000–22,500 美元/吨。", [21000.0, 22500.0]),
        ("加工费在70--75美元/吨。", [70.0, 75.0]),
        # and the multiplier too: "450 万美元", "1,250 万 美元"
        ("第一年订单金额为 450 万美元。", [4.5e6]),
        ("合同上限为 1,250 万 美元。", [1.25e7]),
        ("两年合计 300--420 万美元。", [3e6, 4.2e6]),
        # US cents: "美分" is a hundredth of a dollar
        ("精炼费为7.5美分/磅。", [0.075]),
    ],
)
def test_chinese_money(extractor: Extractor, text: str, expected: list[float]) -> None:
    assert money(extractor, text, "zh") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DLA wants 500 short tons of antimony.", [453.5925]),
        ("The contract covers about 3.1 million lb of ingots.", [3.1e6 * 0.000453592]),
        ("Europe consumes between 30 and 40 tons of germanium.", [30.0, 40.0]),
        ("It shipped 1.2 million tonnes last year.", [1.2e6]),
        ("Output was about 2.5m tonnes.", [2.5e6]),
        ("Exports fell to 18 t in 2024.", [18.0]),
        ("Spot parcels of more than 100 kg were sold.", [0.1]),
        ("Revised from 6,200 metric tons to 4,800 metric tons.", [6200.0, 4800.0]),
        ("Estimated maximum quantity: 22,000 pounds (lb).", [22000 * 0.000453592]),
        ("Quotas of 240 million wet tonnes of ore.", [240e6]),
        ("Shipments of 3 long tons arrived.", [3 * 1.016047]),
        # numbers written as words, with their multiplier
        ("The mine should yield about two million tonnes a year.", [2e6]),
        ("Phase 1 will produce three-million tonnes of run-of-mine ore.", [3e6]),
        ("Ten million mt per year is the target; half a million tonnes ship now.", [1e7, 5e5]),
        # the mass of contained metal
        ("Supply: 2,750 metal tons per year, 300 contained tonnes a month.", [2750.0, 300.0]),
        # a decimal comma before a multiplier; a rate per month or day is a mass too
        ("The review certified 3,5 million tonnes of ore.", [3.5e6]),
        (
            "Mining restarts at 10 000tpm, then 12,000 tpm, and the mill takes 500tpd.",
            [1e4, 12e3, 500.0],
        ),
        # "Mt" after a figure counted in thousands is metric tons; after "2.7", megatonnes
        ("It imports 5,000-10,000 Mt of antimony ore a year.", [5000.0, 10000.0]),
        ("Indicated resources are 2.7 Mt at 1.46% TREO.", [2.7e6]),
    ],
)
def test_english_mass(extractor: Extractor, text: str, expected: list[float]) -> None:
    assert tonnes(extractor, text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Two tonnes of ore is no number word before a multiplier: one of them was sold.",
        "The FY2026 budget was approved.",
        "Chips are made on a 14 nm process.",
        "Prices rose 25% in 2024.",
        "The notice was published on Mar 18, 2025 for 180 days.",
    ],
)
def test_not_masses(extractor: Extractor, text: str) -> None:
    assert tonnes(extractor, text) == []


def test_chinese_mass(extractor: Extractor) -> None:
    assert tonnes(extractor, "出口量为1.2万吨，5月仅为1240吨。", "zh") == pytest.approx(
        [12000.0, 1240.0]
    )
    # web pages space out their figures
    assert tonnes(extractor, "合计约 7.6 万吨，另有 500 吨。", "zh") == pytest.approx(
        [76000.0, 500.0]
    )
    # "每吨度" is a price unit (per mtu), "23.3万元/标吨" a price: neither is a mass.
    assert tonnes(extractor, "报价23.3万元/标吨，APT每吨度700至720美元。", "zh") == []


def test_mentions_carry_sentence_and_offsets(extractor: Extractor) -> None:
    text = "Nickel fell. Ostfeld bought 8,000 tonnes a year."
    facts = extractor.extract(text)
    (quantity,) = facts.quantities
    assert text[quantity.start : quantity.end] == "8,000 tonnes"
    assert quantity.sentence == "Ostfeld bought 8,000 tonnes a year."


def test_a_price_table_states_its_currency_once_in_the_header(extractor: Extractor) -> None:
    text = (
        "Weekly cobalt prices.\n\n"
        "Assessment (in $ per lb) | This week | Last week | Weekly % change\n"
        "Cobalt standard grade, in-whs Rotterdam | 15.20-15.75 | 15.20-15.75 | 0\n"
        "Cobalt alloy grade, in-whs Rotterdam | 16.10 | 15.90 | 1.3\n\n"
        "Market participants said demand was quiet."
    )
    doc = extractor.analyse(text)
    money = [a for a in doc._.minwatch_amounts if a.kind == "money"]
    assert sorted({a.usd for a in money}) == [15.2, 15.75, 15.9, 16.1]
    assert all(a.unit_price for a in money)  # prices, never a deal's value


def test_a_table_column_in_another_currency_or_of_tonnes_is_read_as_its_header_says(
    extractor: Extractor,
) -> None:
    text = (
        "Exports by destination.\n\n"
        "Destination | Tonnes | Value (US$m) | Price (yuan/t)\n"
        "Japan | 1,200 | 14.5 | 81,000\n"
        "Korea | 900 | 10.2 | 80,500\n"
    )
    facts = extractor.extract(text)
    assert sorted(m.usd for m in facts.money if m.usd is not None) == [10.2e6, 14.5e6]
    assert {m.currency for m in facts.money} == {"USD", "CNY"}


def test_a_chinese_figure_in_two_parts_is_one_amount(extractor: Extractor) -> None:
    # "1万5000吨" is 15,000 tonnes (not 5,000), "1万7000美元" 17,000 dollars
    assert tonnes(extractor, "公司向东辰采购锂精矿1万5000吨。", language="zh") == [15000.0]
    assert tonnes(extractor, "储量为3亿4200万吨。", language="zh") == [342e6]
    assert money(extractor, "镍价达到每吨1万7000美元。", language="zh") == [17000.0]
    assert money(extractor, "合同金额为1万美元。", language="zh") == [10000.0]
