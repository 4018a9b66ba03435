"""Where an organisation's name begins and ends, in constructions news and notices use.

Invented companies throughout. Each case is one general construction: an initialism inside a
name, two names joined by "and" inside one capitalised run, the last names of a comma list,
a qualifier or a place's possessive before a name, a possessive after it, a dateline before a
sentence's subject, an address after a name, a Latin name inside Chinese text, and a Chinese
name after a bracket or an enumerator.
"""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def suppliers(extractor: Extractor, text: str, language: str = "en") -> set[str]:
    return set(extractor.extract(text, language=language).suppliers)


def test_an_initialism_is_a_word_of_the_name(extractor: Extractor) -> None:
    text = "The agency plans to buy $80 million of vanadium from U.S. Vanadium Holdings Corp."
    assert suppliers(extractor, text) == {"U.S. Vanadium Holdings Corp."}


def test_and_between_two_names_in_one_capitalised_run_makes_two_names(
    extractor: Extractor,
) -> None:
    text = (
        "The agency will buy $30 million of scandium from Rio Verde and Calloway Chemicals "
        "Company, a refiner based in Ohio."
    )
    facts = extractor.extract(text)
    assert set(facts.suppliers) == {"Rio Verde", "Calloway Chemicals Company"}
    (line,) = facts.procurements
    assert (line.mineral, line.usd, set(line.suppliers)) == (
        "scandium",
        30_000_000,
        {"Rio Verde", "Calloway Chemicals Company"},
    )


@pytest.mark.parametrize(
    "name", ["Harbor Alloys and Castings Inc.", "Harbor Mining and Refining Co"]
)
def test_and_between_trade_words_stays_inside_one_name(extractor: Extractor, name: str) -> None:
    text = f"The agency will buy 40 tonnes of hafnium from {name} under a new contract."
    assert suppliers(extractor, text) == {name}


def test_the_last_names_of_a_comma_list_are_two_names(extractor: Extractor) -> None:
    text = (
        "Three companies - Kestrel Energy, Calder Energy and Uranium Ostland Corp - have been "
        "selected to supply uranium to the reserve."
    )
    found = suppliers(extractor, text)
    assert {"Calder Energy", "Uranium Ostland Corp"} <= found
    assert not any(" and " in name for name in found)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "State-run Ostland Minerals Corp. will supply 2,000 tonnes of tungsten to the buyer.",
            "Ostland Minerals Corp.",
        ),
        (
            "Kansas-based Calder Minerals will sell 500 tonnes of graphite to the agency.",
            "Calder Minerals",
        ),
        (
            "The agency will buy 500 tonnes of tungsten from South Africa's Kestrel Tungsten.",
            "Kestrel Tungsten",
        ),
    ],
)
def test_a_qualifier_or_a_place_before_a_name_is_no_part_of_it(
    extractor: Extractor, sentence: str, name: str
) -> None:
    assert suppliers(extractor, sentence) == {name}


def test_a_possessive_ending_is_no_part_of_the_name(extractor: Extractor) -> None:
    text = (
        "Battery makers want nickel from the producer Kestrel Industries' new plant in "
        "Sulawesi, which will ship 20,000 tonnes a year."
    )
    assert suppliers(extractor, text) == {"Kestrel Industries"}


def test_a_dateline_is_no_company_and_the_subject_after_it_is(extractor: Extractor) -> None:
    text = (
        "PERTH (Reuters) — Ostland Strategic Materials said on Tuesday it had agreed to sell "
        "100 tonnes of neodymium alloy a year to magnet maker Brightwater Magnetics."
    )
    found = suppliers(extractor, text)
    assert "Ostland Strategic Materials" in found
    assert "PERTH" not in found


def test_an_address_after_a_name_is_no_part_of_it(extractor: Extractor) -> None:
    text = (
        "Agreements were also awarded to Kestrel Magnetics of Ashford, Pennsylvania, and to "
        "Calder Mining Company of Elmira, Texas, for rare earth magnet supply."
    )
    found = suppliers(extractor, text)
    assert "Kestrel Magnetics" in found
    assert not any(" of Ashford" in name for name in found)


def test_defense_production_act_money_is_no_purchase(extractor: Extractor) -> None:
    text = (
        "The Department of Defense announced a $9 million award through the Defense "
        "Production Act Investment Program to Kestrel Metals to expand its gallium recovery."
    )
    assert extractor.extract(text).procurements == ()


def test_a_latin_name_in_chinese_text_is_no_run_of_han_characters(extractor: Extractor) -> None:
    text = (
        "KMX拥有Brandt的智利合资公司Ostland Mining SA的60%股份。"
        "Ostland Mining SA将向日本买方供应2000吨碳酸锂。"
    )
    found = suppliers(extractor, text, language="zh")
    assert "Ostland Mining SA" in found
    assert not any("拥有" in name for name in found)


@pytest.mark.parametrize(
    "lead",
    [
        "新华社北京4月5日电（记者李明、王强）",  # a bracket closed before the name
        "会议明确两点：一是落实储备计划；二是",  # an enumerator before the name
    ],
)
def test_a_chinese_name_begins_after_a_closed_bracket_or_an_enumerator(
    extractor: Extractor, lead: str
) -> None:
    text = lead + "北方星河稀土集团有限公司将向国家储备供应500吨氧化镨钕。"
    found = suppliers(extractor, text, language="zh")
    assert "北方星河稀土集团有限公司" in found
    assert all(name.startswith("北方") for name in found if name.endswith("有限公司"))


def test_a_short_form_takes_the_full_name_the_title_gives(extractor: Extractor) -> None:
    text = (
        "Blue Ridge has signed an offtake agreement with Brightwater Trading to sell 20,000 "
        "tonnes of copper concentrate a year."
    )
    titled = extractor.extract(text, title="Blue Ridge Copper signs offtake with trader")
    assert titled.suppliers == ("Blue Ridge Copper",)
    assert extractor.extract(text).suppliers == ("Blue Ridge",)


def test_a_producer_named_with_a_possessive_loses_it(extractor: Extractor) -> None:
    text = (
        "Palladium prices rose after Russian producer Ostmetall's announcement that it would "
        "cut its output of 2,600 tonnes of nickel."
    )
    assert "Ostmetall" in suppliers(extractor, text)
    assert not any(name.endswith("'s") for name in suppliers(extractor, text))


@pytest.mark.parametrize(
    "sentence",
    [
        "The Defense Logistics Agency sold 1,200 short tons of ferro-chrome in March for "
        "$2.5 million.",
        "The US Defense Logistics Agency (DLA) sold 400 tonnes of tungsten ores in April.",
    ],
)
def test_a_buying_agency_that_sells_stockpile_material_is_its_supplier(
    extractor: Extractor, sentence: str
) -> None:
    facts = extractor.extract(sentence)
    (line,) = facts.procurements
    assert line.suppliers == facts.suppliers
    assert "Defense Logistics Agency" in facts.suppliers[0]


def test_the_same_agency_buying_is_no_supplier(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Defense Logistics Agency plans to buy 500 tonnes of cobalt from Calder Metals."
    )
    assert facts.suppliers == ("Calder Metals",)


def test_a_chinese_announcement_names_its_issuer_by_every_short_form_it_declares(
    extractor: Extractor,
) -> None:
    text = (
        '2024年3月1日,星河钴业股份有限公司(以下简称"公司"或"星河钴业")与北方电池股份有限公司'
        '(以下简称"北方电池")签订了《战略合作协议》(以下简称"协议"、"本协议")。'
        "根据本协议,星河钴业与北方电池将在镍钴资源方面开展合作。"
        "2025年至2027年北方电池计划向公司采购硫酸钴1.2万吨。"
    )
    title = "星河钴业股份有限公司关于与北方电池签订战略合作协议的公告"
    facts = extractor.extract(text, language="zh", title=title)
    assert facts.suppliers == ("星河钴业股份有限公司",)
    assert {line.suppliers for line in facts.procurements} == {("星河钴业股份有限公司",)}
    doc = extractor.analyse(text, language="zh", title=title)
    named = {org.text for org in doc._.minwatch_orgs}
    assert {"星河钴业股份有限公司", "北方电池股份有限公司", "星河钴业", "北方电池"} <= named
    assert "本协议" not in named  # the agreement's short form names no company
