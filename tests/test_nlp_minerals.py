"""Mineral gazetteer: canonical names, compounds, Chinese names and homonyms."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China banned antimony trioxide exports.", ("antimony",)),
        ("Cerium oxide and germanium wafers were listed.", ("cerium", "germanium")),
        ("Spodumene feeds lithium batteries.", ("lithium",)),
        (
            "Rare-earth magnets and PGMs are scarce.",
            ("platinum group metals", "rare earth elements"),
        ),
        ("Supply of high-nickel cathodes grew.", ("nickel",)),
        ("Prices of lead and zinc rose.", ("lead", "zinc")),
        ("DLA seeks ferromanganese and chrome metal.", ("chromium", "manganese")),
        # the trade writes chromite "chrome ore" and its products "chrome concentrate"
        ("The smelter buys chrome ore and sells chrome concentrate.", ("chromium",)),
        # the goods of a stated mass, whatever word follows ("lead to" is also a verb)
        ("Harlow Metals will ship 8,000 tonnes of lead to the buyer.", ("lead",)),
        ("It agreed to supply 500 tons of refined lead to Kelso Corp.", ("lead",)),
        # a resource statement's oxides by their formulas
        (
            "Resources hold 14,890 tonnes of Nd2O3, 4,450 tonnes of Pr6O11 and 216 tonnes of "
            "Dy2O3 at 0.5% Nd2O3-Eq.",
            ("dysprosium", "neodymium", "praseodymium"),
        ),
    ],
)
def test_english_minerals(extractor: Extractor, text: str, expected: tuple[str, ...]) -> None:
    assert extractor.extract(text).minerals == expected


@pytest.mark.parametrize(
    "text",
    [
        "Executives posed beside a cobalt blue Mustang.",
        "Executives posed beside a cobalt-blue Mustang.",
        "She will lead the effort to reform procurement.",
        "Years of talks will lead to a deal.",
        "A rise of 8,000 tonnes of output will lead to a surplus.",
        "Typical lead times are six months.",
        "It was a tin-pot operation.",
        "The company Tin Roof Holdings said profits rose.",
        "Managers must iron out the details.",
        "Viewers watched a Nickelodeon cartoon.",
        "The Chrome browser update shipped with chrome-plated icons.",
    ],
)
def test_homonyms_rejected(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text).minerals == ()


def test_title_is_analysed(extractor: Extractor) -> None:
    facts = extractor.extract("Prices eased this week.", title="Bismuth Metal, 99.99%")
    assert facts.minerals == ("bismuth",)


def test_chinese_names_of_fluorspar_and_bauxite(extractor: Extractor) -> None:
    facts = extractor.extract("该目录列出的商品包括氟石、矾土及滑石。", language="zh")
    assert facts.minerals == ("aluminum", "fluorspar")


def test_a_chinese_companys_mineral_word_is_no_mineral_of_the_text(extractor: Extractor) -> None:
    # Chinese names carry no capitals: "东辰铝业公司" names a company, not aluminium
    facts = extractor.extract(
        "东辰铝业公司周五称，计划自明年起向南岭矿业有限公司采购焦煤80万吨。", language="zh"
    )
    assert facts.minerals == ("metallurgical coal",)
    assert "东辰铝业公司" not in facts.suppliers


def test_chinese_minerals(extractor: Extractor) -> None:
    text = (
        "决定对钐、钆、铽等中重稀土相关物项实施出口管制，包括钐钴合金和氧化镨钕。无锡一家企业表示。"
    )
    facts = extractor.extract(text, language="zh")
    assert facts.minerals == (
        "cobalt",
        "gadolinium",
        "neodymium",
        "praseodymium",
        "rare earth elements",
        "samarium",
        "terbium",
    )


@pytest.mark.parametrize(
    "text",
    [
        "NAICS code: 331492 (Secondary Smelting, Refining, and Alloying of Nonferrous Metal "
        "(except Copper and Aluminum)); size standard 850 employees. Item: antimony ingot.",
        "NAICS 331410 - Nonferrous Metal (except Aluminum) Smelting and Refining. Antimony ingot.",
    ],
)
def test_classification_labels_do_not_name_minerals(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text).minerals == ("antimony",)


def test_silicon_as_hong_kong_and_taiwan_write_it(extractor: Extractor) -> None:
    # 矽 is the Hong Kong and Taiwan character for silicon (the mainland writes 硅), found in
    # otherwise Simplified filings too
    facts = extractor.extract("该公司每月出售200吨铝矽合金。", language="zh")
    assert facts.minerals == ("aluminum", "silicon")
