"""Mineral mentions: compounds named "-ide", idioms, and all-caps headings that repeat a
company's name. Texts are invented."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fine was for shipping gallium arsenide wafers.", ("arsenic", "gallium")),
        ("It makes cadmium telluride panels.", ("tellurium",)),
        ("Indium antimonide detectors are controlled.", ("antimony", "indium")),
    ],
)
def test_binary_compounds_name_both_elements(
    extractor: Extractor, text: str, expected: tuple[str, ...]
) -> None:
    assert extractor.extract(text).minerals == expected


@pytest.mark.parametrize(
    "text",
    [
        "Drivers say they are being nickel-and-dimed by toll operators.",
        "Shoppers hate to be nickel and dimed.",
        "ELM STREET BAKERY\nTIN THORNBURY BREWING\nTin Thornbury Brewing Co. named a new CFO.",
    ],
)
def test_idioms_and_headings_naming_a_company_are_no_mineral(
    extractor: Extractor, text: str
) -> None:
    assert extractor.extract(text).minerals == ()


def test_an_all_caps_heading_of_a_mineral_still_counts(extractor: Extractor) -> None:
    text = "ANTIMONY TRIOXIDE\nAntimony trioxide prices rose. BERYLLIUM METAL was offered."
    assert extractor.extract(text).minerals == ("antimony", "beryllium")
