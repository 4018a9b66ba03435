"""Named sources a purchase is restricted to, lists inside one entity, and places as aliases.

New sentences (invented companies) for three constructions of real notices and news: a
solicitation "limited to N sources (under <statute>): A, B and C", a report of it in running
text, and a country whose name begins a company's ("the Kestrel Isles" beside "Kestrel Isles
Tungsten Corp." is no short form of it).
"""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor

NOTICE_HEAD = (
    "Notice ID: SP8000-27-R-0101\n"
    "Contract Opportunity Type: Solicitation\n"
    "Department/Ind. Agency: DEPT OF DEFENSE\n\n"
    "Description\n\n"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    "restriction",
    [
        "This acquisition is limited to three sources under 10 U.S.C. 3204(a)(1): ",
        "Award is restricted to the following producers: ",
        "Competition is limited to two firms pursuant to FAR 6.302-1: ",
    ],
)
def test_the_sources_a_solicitation_is_limited_to_are_its_suppliers(
    extractor: Extractor, restriction: str
) -> None:
    text = NOTICE_HEAD + (
        "DLA Strategic Materials seeks up to 900 metric tons of tungsten concentrate. "
        + restriction
        + "Norrland Tungsten AB, Calder Metals Ltd. and Ostrava Wolfram GmbH. "
        "Other firms may submit a capability statement."
    )
    suppliers = set(extractor.extract(text).suppliers)
    assert {"Norrland Tungsten AB", "Calder Metals Ltd.", "Ostrava Wolfram GmbH"} <= suppliers


def test_a_report_of_the_restriction_names_each_source_whole(extractor: Extractor) -> None:
    text = (
        "The agency's tender sought up to 900 tonnes of tungsten concentrate over three years. "
        "It was limited to three sources: Norrland Tungsten, Calder Metals and Ostrava Wolfram."
    )
    suppliers = extractor.extract(text).suppliers
    assert set(suppliers) == {"Norrland Tungsten", "Calder Metals", "Ostrava Wolfram"}


def test_a_name_joined_to_the_next_by_and_is_two_names(extractor: Extractor) -> None:
    text = (
        "The agency will buy 300 tonnes of antimony from Norrland Tungsten and Calder Metals "
        "under the deal, and 200 tonnes of zinc from Harbor Mining and Refining Co."
    )
    suppliers = set(extractor.extract(text).suppliers)
    assert {"Norrland Tungsten", "Calder Metals", "Harbor Mining and Refining Co."} <= suppliers
    assert not [s for s in suppliers if s.endswith(",") or " and Calder" in s]


def test_a_country_is_never_the_short_form_of_a_company(extractor: Extractor) -> None:
    text = (
        "United States Antimony Corporation won a $12 million contract to supply antimony "
        "ingots to the stockpile. China stopped shipments of antimony to the United States "
        "last year."
    )
    doc = extractor.analyse(text)
    spans = {s.text: s._.minwatch_canonical for s in doc.spans["minwatch_organizations"]}
    assert spans.get("United States") != "United States Antimony Corporation"
    assert extractor.extract(text).suppliers == ("United States Antimony Corporation",)


@pytest.mark.parametrize(
    "sentence",
    [
        # the restriction as a verb, names right after "to"
        "The solicitation restricts eligible producers to Norrland Tungsten (TSX: NTW), "
        "Calder Metals and Ostrava Wolfram.",
        # a long lead-in before the colon, each name with its product in brackets
        "Offers are limited to brands qualified for turbine parts: Norrland Tungsten (rounds), "
        "Calder Metals (cathode) and Ostrava Wolfram (briquettes).",
        # each producer named by its plant, with a place's possessive before the last one
        "The tender was open only to metal from three producers: Norrland Tungsten's Brandt "
        "and Lowell refineries in Canada, Calder Metals' plant in Norway, and Japan's Ostrava "
        "Wolfram.",
    ],
)
def test_a_report_names_the_producers_a_tender_accepts_in_other_words(
    extractor: Extractor, sentence: str
) -> None:
    text = "The agency will buy 500 tonnes of tungsten for its stockpile. " + sentence
    assert extractor.extract(text).suppliers == (
        "Norrland Tungsten",
        "Calder Metals",
        "Ostrava Wolfram",
    )
