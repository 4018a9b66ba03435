"""Who is a party to a deal, in constructions trade news uses: a company known by its listing,
the party supplied "with" the goods, "a contract to supply X", and a company named only as a
quoted officer's employer. Invented companies throughout."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_a_name_with_its_listing_is_a_company_whatever_its_words(extractor: Extractor) -> None:
    # the small model reads "Graphite" and "Manganese" as common words, not names
    text = (
        "Calgary-headquartered Graphite Nine (TSX-V: GNN) has signed a five-year agreement to "
        "supply US carmaker Ardent Motors with 4,000 tonnes of natural graphite a year."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Graphite Nine"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("graphite", 4000.0, ["Graphite Nine"])
    ]


def test_the_party_supplied_with_the_goods_buys(extractor: Extractor) -> None:
    text = (
        "Harwick Mining said it signed a long-term contract to supply Ardent Motors "
        "(NASDAQ: ARDM) with nickel from its Tolvern mine."
    )
    facts = extractor.extract(text)
    assert list(facts.suppliers) == ["Harwick Mining"]
    assert [list(p.suppliers) for p in facts.procurements] == [["Harwick Mining"]]


def test_an_officers_employer_is_a_voice_not_a_party(extractor: Extractor) -> None:
    text = (
        "Pellam Metals bought 2,000 tonnes of tungsten concentrate from Orvane Resources for "
        "$40 million. Speaking to reporters, Tarrant Tungsten (ASX: TTW) executive chairman "
        "Jon Marsh said the purchase would lift tungsten prices."
    )
    assert list(extractor.extract(text).suppliers) == ["Orvane Resources"]
