"""Money rules for exchange rates and declared currencies: a rate stated once converts every
amount in that currency, the figures of a rate are no amounts, a release's own currency
statement makes its bare "$" that currency. Texts are invented."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def money(extractor: Extractor, text: str) -> list[tuple[str, float | None]]:
    return [(m.text, m.usd) for m in extractor.extract(text).money]


@pytest.mark.parametrize(
    "rate",
    [
        "($1 = 0.80 euros)",
        "(US$1 = €0.80)",
        "($1 = €0.80)",
        "At an exchange rate of 0.80 euros per dollar, the sums are large.",
        "Figures were converted at 0.80 euros to the dollar.",
    ],
)
def test_a_rate_stated_once_converts_every_amount_in_that_currency(
    extractor: Extractor, rate: str
) -> None:
    text = (
        "Buyers agreed to pay 400 million euros for the metal.\n\n"
        "The bank approved a 40 million euro loan.\n\n" + rate
    )
    found = money(extractor, text)
    assert [usd for _, usd in found] == pytest.approx([500e6, 50e6])


def test_the_figures_of_a_rate_are_no_amounts(extractor: Extractor) -> None:
    for text in (
        "The deal is worth C$137 million.\n\n(US$1 = C$1.37)",
        "The deal is worth 137 million Canadian dollars.\n\n($1 = 1.37 Canadian dollars)",
        "At 1.37 Canadian dollars per U.S. dollar, C$137 million is US$100 million.",
    ):
        values = [usd for _, usd in money(extractor, text)]
        assert 1.0 not in values and 1.37 not in values
        assert values[0] == pytest.approx(100e6)


def test_rupees_in_crore_and_riyals(extractor: Extractor) -> None:
    text = (
        "The deal is valued at ₹1,000 crore. Sales are worth 3 billion riyals a year.\n\n"
        "($1 = 80.00 Indian rupees)\n($1 = 3.75 riyals)"
    )
    assert [usd for _, usd in money(extractor, text)] == pytest.approx([125e6, 800e6])


def test_a_currency_without_a_rate_stays_unconverted(extractor: Extractor) -> None:
    text = "It pays 400 million euros and A$50 million.\n\n($1 = 0.80 euros)"
    found = dict(money(extractor, text))
    assert found["400 million euros"] == pytest.approx(500e6)
    assert found["A$50 million"] is None


def test_won_the_verb_is_no_money(extractor: Extractor) -> None:
    assert money(extractor, "The miner in 2019 won a tender.") == []
    assert money(extractor, "It paid 9.8 billion won.") == [("9.8 billion won", None)]


@pytest.mark.parametrize(
    "statement",
    [
        "Except where noted, all dollar figures in this release are in Canadian dollars.",
        "All amounts are expressed in Canadian dollars unless otherwise indicated.",
        "All figures are in C$ unless stated otherwise.",
    ],
)
def test_a_release_declaring_its_currency_makes_bare_dollars_that_currency(
    extractor: Extractor, statement: str
) -> None:
    text = f"{statement} The Company raised $12.5 million and sold ore for US$2.4 million."
    assert money(extractor, text) == [("$12.5 million", None), ("US$2.4 million", 2.4e6)]


def test_headline_multipliers_may_be_capitalised(extractor: Extractor) -> None:
    assert money(extractor, "Miner Receives $24.8 Million Award") == [("$24.8 Million", 24.8e6)]


def test_chinese_conversion_note_converts_its_own_sentence_only(extractor: Extractor) -> None:
    text = "合同金额约为人民币3.6亿元（按美元兑人民币汇率7.2折算）。现货报价为每吨12.5万元。"
    values = [m.usd for m in extractor.extract(text, language="zh").money]
    assert values == pytest.approx([5e7, None])


@pytest.mark.parametrize(
    "text",
    [
        "Ostfeld Trading will lend it $90 million, and the $1.1 billion nickel mine opens in 2028.",
        "KOMIR will take a 15% stake in the developer for $7 million.",
        "It made a $9.5 million Defense Production Act Title III award to expand output.",
    ],
)
def test_capex_stakes_and_dpa_awards_are_no_deal_value(extractor: Extractor, text: str) -> None:
    facts = extractor.extract(f"Gallium supply deal. {text}", title="Gallium")
    assert all(p.usd is None for p in facts.procurements)


@pytest.mark.parametrize(
    ("text", "usd"),
    [
        ("The agency awarded a contract worth US$75M over four years.", 75e6),
        ("The miner raised $7.4M from investors.", 7.4e6),
        ("A $480-million loan was approved.", 480e6),
        ("The project will cost $1.2B.", 1.2e9),
    ],
)
def test_money_with_a_capital_or_hyphenated_multiplier(text: str, usd: float) -> None:
    facts = Extractor().extract(text)
    assert [m.usd for m in facts.money] == [usd]


@pytest.mark.parametrize(
    ("text", "tonnes"),
    [
        ("The offtake covers 15 000 t/y of zinc concentrate.", [15000.0]),
        ("It will ship 3\u00a0000 tonnes of cobalt hydroxide.", [3000.0]),
        ("In 2024 200 tonnes of cobalt were sold.", [200.0]),
    ],
)
def test_thousands_separated_by_a_space(text: str, tonnes: list[float]) -> None:
    facts = Extractor().extract(text)
    assert [m.tonnes for m in facts.quantities] == tonnes


@pytest.mark.parametrize(
    ("text", "tonnes"),
    [
        ("The miner will supply 7ktpy of flake graphite.", [7000.0]),
        ("Volumes are 200 tpy from 2026, rising to 360 tpy in year two.", [200.0, 360.0]),
    ],
)
def test_tonnes_per_year_abbreviations(text: str, tonnes: list[float]) -> None:
    facts = Extractor().extract(text)
    assert [m.tonnes for m in facts.quantities] == tonnes
