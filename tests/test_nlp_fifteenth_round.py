"""General constructions found while the fifteenth session read its blind sets, each written
from invented sentences (no evaluation text), and each failing on c05bba6 unless it says it
is a counter-example."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines as _lines


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# -- figures ---------------------------------------------------------------------------------


def test_indian_digit_grouping_is_one_figure(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The state importer will buy 2,40,000 tonnes of potash and 12,50,000 tonnes of "
        "phosphate rock this year, against 3,500 tonnes of zinc last year."
    )
    assert sorted(q.tonnes for q in facts.quantities) == [3500.0, 240000.0, 1250000.0]


def test_western_grouping_is_unchanged(extractor: Extractor) -> None:
    # counter-example: thousands grouped by three stay one figure
    facts = extractor.extract("The mill shipped 1,234,567 tonnes of copper concentrate.")
    assert [q.tonnes for q in facts.quantities] == [1234567.0]


# -- a mineral's product defined by a short form ---------------------------------------------


def test_a_mixed_case_short_form_of_a_minerals_product_names_that_mineral(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Agro agreed to ship muriate of potash (MoP) to Harlow Fertilisers from 2027. "
        "Kelso Agro will supply 80,000 tonnes of MoP a year."
    )
    assert _lines(facts) == [("potash", ("Kelso Agro",), None, 80000.0)]


def test_a_short_form_with_one_capital_is_no_product(extractor: Extractor) -> None:
    # counter-example: "(Mt)" after a mineral is a unit, not a product's short form
    facts = extractor.extract(
        "Reserves of copper (Mt) were restated. Mt Kelso is a hill in Ruritania."
    )
    assert {m.text for m in facts.mentions if m.kind == "mineral"} == {"copper"}


# -- names -----------------------------------------------------------------------------------


def test_a_free_zone_company_keeps_its_legal_form(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Potash Middle East FZE will ship 200,000 tonnes of potash a year to Harlow "
        "Fertilisers."
    )
    assert facts.suppliers == ("Kelso Potash Middle East FZE",)


# -- deals whose seller is described, not named -----------------------------------------------


def test_an_offtake_from_a_described_source_is_a_line_without_a_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Harlow Recycling will take all the cobalt hydroxide from one small source in "
        "Ruritania under a new offtake agreement."
    )
    assert _lines(facts) == [("cobalt", (), None, None)]


def test_a_name_its_short_form_spells_after_a_plural_noun_and_a_country_is_a_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Talks continue with one of its ore suppliers, Chile's Sociedad Minera del Valle Norte "
        "(SMVN), on a price for chrome ore. SMVN will supply 80,000 tonnes of chrome ore this "
        "year."
    )
    assert facts.suppliers == ("Sociedad Minera del Valle Norte",)
    assert _lines(facts) == [("chromium", ("Sociedad Minera del Valle Norte",), None, 80000.0)]


def test_the_payee_for_a_mineral_sells_it(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Under the new terms, Orsa Alloys will pay Tarrant Minerals Ltd. a lower price for "
        "chrome ore from April."
    )
    assert facts.suppliers == ("Tarrant Minerals Ltd.",)


def test_a_plus_sign_ends_a_latin_name_in_chinese_text(extractor: Extractor) -> None:
    facts = extractor.extract(
        "据东辰公告称，公司已与铝业生产商Velda+签订铝锭采购合同。", language="zh"
    )
    orgs = {m.text for m in facts.mentions if m.kind == "organization"}
    assert "Velda+" in orgs
    assert "Velda" not in orgs


def test_a_dash_glued_to_a_mineral_word_before_a_space_is_punctuation(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso ships thermal and coking coal- about half of its output - to mills in Ruritania."
    )
    assert facts.minerals == ("metallurgical coal",)


# -- fertiliser acronyms -----------------------------------------------------------------------


def test_fertiliser_acronyms_name_their_mineral_beside_a_word_of_the_trade(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Ruritania's farm agency bought 12,000 tonnes of DAP and 8,000 tonnes of MOP fertiliser "
        "for the spring season, and a first cargo of TSP."
    )
    assert facts.minerals == ("phosphate", "potash")


def test_the_same_acronyms_elsewhere_are_no_mineral(extractor: Extractor) -> None:
    # counter-example: a procedure, a currency and a map
    facts = extractor.extract(
        "Staff must follow the SOP for safety. Revenue was MOP 300 million in Macau. See the "
        "MAP below for the copper mine's location."
    )
    assert facts.minerals == ("copper",)


# -- read after blind67/68 ----------------------------------------------------------------------


def test_a_latin_name_ending_on_its_trade_takes_no_chinese_company_noun(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "澳大利亚锂矿商Kelso Minerals公司表示，将向东辰钢铁供应锂精矿。", language="zh"
    )
    assert facts.suppliers == ("Kelso Minerals",)


def test_an_exchange_qualifier_with_two_hyphens_is_no_part_of_the_name(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "A Ruritanian utility will buy 250 tonnes of uranium concentrate a year from "
        "TSX-V-listed enKelso Energy Corporation under a contract signed on Monday."
    )
    assert facts.suppliers == ("enKelso Energy Corporation",)


def test_a_party_called_an_importer_buys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Agro Ltd (OAG), a major importer of phosphate rock in Chile, expects to receive "
        "50,000 tonnes of phosphate rock in the second quarter."
    )
    assert facts.suppliers == ()


def test_a_clause_after_a_companys_descriptor_is_no_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "这些镍将来自澳大利亚矿业公司位于昆士兰的项目。该协议的唯一条件是澳大利亚矿业公司在明年"
        "6月底之前获得融资。秘鲁矿企塔兰特已与东辰签署协议供应铜精矿。",
        language="zh",
    )
    orgs = {m.text for m in facts.mentions if m.kind == "organization"}
    assert not {"位于昆士兰", "在明年"} & orgs
    assert "塔兰特" in facts.suppliers


# -- a figure stated for each party --------------------------------------------------------------


def test_a_figure_stated_for_each_awardee_is_a_line_per_awardee(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Energy Department awarded contracts to Kelso Uranium Corp. and Orsa Energy Inc. "
        "for 100,000 pounds of uranium concentrate each."
    )
    assert _lines(facts) == [
        ("uranium", ("Kelso Uranium Corp.",), None, pytest.approx(45.3592)),
        ("uranium", ("Orsa Energy Inc.",), None, pytest.approx(45.3592)),
    ]


def test_each_year_is_a_rate_not_a_share_per_party(extractor: Extractor) -> None:
    # counter-example: one deal of two sellers, stated per year
    facts = extractor.extract(
        "Kelso Uranium Corp. and Orsa Energy Inc. will deliver 500 tonnes of uranium "
        "concentrate each year."
    )
    assert _lines(facts) == [("uranium", ("Kelso Uranium Corp.", "Orsa Energy Inc."), None, 500.0)]
