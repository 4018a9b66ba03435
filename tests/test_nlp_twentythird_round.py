"""General constructions found while the twenty-third session read its sets, each written from
invented sentences (no evaluation text), and each failing on 89f1337 unless it says it is a
counter-example or a guard of an unchanged behaviour."""

from __future__ import annotations

import pytest

from minwatch.nlp.extractor import Extractor
from tests.nlp_lines import deal_lines, suppliers_of


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _usd(facts: object) -> list[float]:
    return [m.usd for m in facts.money if m.usd is not None]  # type: ignore[attr-defined]


# -- lists of producers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "Ruritania has two notable producers of niobium oxide left: Velqor and Dunmore.",
            ["Velqor", "Dunmore"],
        ),
        (
            "The chief overseas suppliers of scandium oxide are Velqor Austria and KMT Korea.",
            ["Velqor Austria", "KMT Korea"],
        ),
        (
            "Mills said cobalt from their home suppliers -- Osaki Koko and Harlow Materials -- "
            "had been enough this quarter.",
            ["Osaki Koko", "Harlow Materials"],
        ),
        (
            "Smaller tin miners impacted include Brackley North and Tessaro Metals.",
            ["Brackley North", "Tessaro Metals"],
        ),
    ],
)
def test_a_list_the_producers_noun_opens_after_what_they_make(
    extractor: Extractor, sentence: str, names: list[str]
) -> None:
    assert suppliers_of(extractor.extract(sentence)) == names


def test_a_list_of_buyers_is_no_list_of_producers(extractor: Extractor) -> None:
    # (counter-example: the noun is a buyer's)
    facts = extractor.extract("The biggest buyers of cobalt in Europe are Velqor and Dunmore.")
    assert suppliers_of(facts) == []


def test_a_mills_rate_of_use_is_no_deals_mass(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Two alloy casters, which consume 15-45 mt a month of ferrochrome apiece, said that "
        "supply from their home suppliers -- Osaki Koko and Harlow Materials -- had been enough "
        "and they had no need to import."
    )
    assert [line[3] for line in deal_lines(facts)] == [None] * len(deal_lines(facts))
    assert suppliers_of(facts) == ["Osaki Koko", "Harlow Materials"]
    assert [q.tonnes for q in facts.quantities] == [15.0, 45.0]


# -- Chinese: works counted as producers ----------------------------------------------------------


def test_names_counted_as_works_that_restart_are_producers(extractor: Extractor) -> None:
    facts = extractor.extract(
        "锑锭方面，下月供应偏紧。即使宏远、金泰和北沟三家工厂一起恢复生产，月产量合计仍低于300吨。",
        language="zh",
    )
    assert suppliers_of(facts) == ["宏远", "金泰", "北沟"]


def test_names_counted_as_signers_are_no_producers(extractor: Extractor) -> None:
    # (counter-example: counted, but no word of making follows)
    facts = extractor.extract("锑锭方面，宏远、金泰两家公司上周签订了框架协议。", language="zh")
    assert suppliers_of(facts) == []


# -- money: a dollar that is not the US one ------------------------------------------------------


def test_a_bare_dollar_given_again_in_us_dollars_is_another_countrys(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Mining has arranged $410 million (US$290 million) of project funding, of which "
        "$150 million is a bank facility."
    )
    assert _usd(facts) == [290_000_000.0]
    assert {m.currency for m in facts.money} == {"USD", "XXX"}


def test_the_other_dollar_is_the_one_the_text_names(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Mining raised A$40 million, and said the $410 million (US$290 million) plan "
        "includes a $150 million facility."
    )
    assert _usd(facts) == [290_000_000.0]
    assert [m.currency for m in facts.money] == ["AUD", "AUD", "USD", "AUD"]


def test_a_currency_code_before_the_dollar_sign_is_that_currency(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency awarded Kelso Mining $15 million, and Ottawa will lend it CAD $10 million "
        "(about USD $7 million)."
    )
    # (the bare "$" stays the US dollar: the text named the other dollar itself)
    assert _usd(facts) == [15_000_000.0, 7_000_000.0]
    assert [m.currency for m in facts.money] == ["USD", "CAD", "USD"]


# -- deals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Kelso Mining sold a royalty to a fund for $20 million. The rate is 3% until the "
        "successful mining and sale of two million tonnes of tin, when it falls to 1.5%.",
        "Kelso Mining sold a royalty on its tin mine. The royalty drops to 1% once 50,000 "
        "tonnes of tin have been sold.",
    ],
)
def test_a_royaltys_threshold_is_no_sale(extractor: Extractor, sentence: str) -> None:
    assert deal_lines(extractor.extract(sentence)) == []


def test_a_sale_of_tonnes_still_is_one(extractor: Extractor) -> None:
    # (guard of an unchanged behaviour)
    facts = extractor.extract("Kelso Mining will sell 2,000 tonnes of cobalt to Harlow Metals.")
    assert deal_lines(facts) == [("cobalt", ("Kelso Mining",), None, 2000.0)]


def test_a_contracts_unnamed_material_is_the_texts_one_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Mining hopes to sign up to four customers for its phosphate product. So far it "
        "holds a single contract, with Harlow Metals, which is to purchase some 200,000 tons of "
        "material annually."
    )
    assert deal_lines(facts) == [("phosphate", ("Kelso Mining",), None, 200_000.0)]


def test_a_works_output_of_concentrate_is_no_deal(extractor: Extractor) -> None:
    # (counter-example: "deliver" here is the plant's making, no trade verb before the mass)
    facts = extractor.extract(
        "Kelso Mining mines phosphate. Its second stage would deliver a further 80,000 t a year "
        "of concentrate."
    )
    assert deal_lines(facts) == []


@pytest.mark.parametrize("verb", ["has signed a supply contract", "has entered into a contract"])
def test_the_party_a_deal_is_made_with_before_its_infinitive_buys(
    extractor: Extractor, verb: str
) -> None:
    facts = extractor.extract(
        f"Kelso Mining owns the Orsa phosphate mine. It {verb} with Harlow Metals to supply "
        "50,000 tonnes of phosphate a year."
    )
    assert suppliers_of(facts) == ["Kelso Mining"]
    assert deal_lines(facts) == [("phosphate", ("Kelso Mining",), None, 50_000.0)]


def test_with_x_to_supply_after_a_deal_is_xs_supplying(extractor: Extractor) -> None:
    # (counter-example: no deal's noun before "with", so the infinitive is the named party's)
    facts = extractor.extract(
        "Harlow Motors reached a six-year agreement with Orsa Lithium in May, with Orsa to "
        "supply 20,000 tonnes of lithium carbonate."
    )
    assert "Orsa Lithium" in suppliers_of(facts)


def test_a_mineral_left_out_of_the_goods_is_no_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Metals has agreed terms with Harlow Separation. Under them Kelso Metals will sell "
        "300 tonnes of rare earth concentrate, other than lanthanum, in 2026, rising to "
        "1,800tpa later."
    )
    assert [line[0] for line in deal_lines(facts)] == ["rare earth elements"]


def test_names_that_have_been_awarded_together_each_win(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa Alloys Ltd and Tessamet have been awarded orders for 30 tonnes of magnesium powder "
        "for the reserve."
    )
    assert suppliers_of(facts) == ["Orsa Alloys Ltd", "Tessamet"]


def test_it_after_a_sentence_opening_on_a_one_word_supplier_is_that_supplier(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Velqor, which operates a potash mine in Ruritania, wants to list in Sydney next year."
        "\n\nVelqor aims for two anchor customers. It has signed one already: Harlow Fertiliser "
        "will purchase some 150,000 tons of product per year."
    )
    assert deal_lines(facts) == [("potash", ("Velqor",), None, 150_000.0)]


def test_a_seller_that_guarantees_to_supply_supplies(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Under the pact Kelso Metals will guarantee to supply Tarn Magnets, a unit of Orsa Group, "
        "with up to 40 tonnes of dysprosium oxide each quarter."
    )
    assert suppliers_of(facts) == ["Kelso Metals"]
    assert [line[:2] for line in deal_lines(facts)] == [("dysprosium", ("Kelso Metals",))]


# -- read after blind91/92 were scored -----------------------------------------------------------


def test_a_news_agencys_instrument_code_is_no_part_of_the_name(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Belgian group Harlow Materials HRLM.BR on Friday signed supply deals with Kelso Energy "
        "Resources KEL.AX, under which Kelso will supply 30,000 tons of lithium hydroxide."
    )
    assert suppliers_of(facts) == ["Kelso Energy Resources"]


def test_a_short_form_the_text_defines_is_not_the_gazetteers_body(extractor: Extractor) -> None:
    # ("SMM" is also a price agency's initials)
    facts = extractor.extract(
        "Sorell Metal Mining (SMM) will supply 5,000 tonnes of nickel to Harlow Motors, SMM said."
    )
    assert suppliers_of(facts) == ["Sorell Metal Mining"]
    assert deal_lines(facts) == [("nickel", ("Sorell Metal Mining",), None, 5000.0)]


def test_the_price_agency_keeps_its_role_where_the_text_defines_nothing(
    extractor: Extractor,
) -> None:
    # (guard of an unchanged behaviour)
    facts = extractor.extract(
        "Prices rose, SMM said. Kelso Mining will sell nickel to Harlow Motors."
    )
    assert suppliers_of(facts) == ["Kelso Mining"]


def test_a_name_inside_anothers_relative_clause_is_not_the_main_verbs_subject(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Kelso Mining, which produces the nickel cathode powders found in Harlow Corp's "
        "batteries that power Orsa Inc's Model 3 cars, is in talks with carmakers to supply more."
    )
    assert suppliers_of(facts) == ["Kelso Mining"]


def test_talks_to_supply_are_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Kelso Mining is in talks with carmakers to supply 20,000 tonnes of nickel a year."
    )
    assert deal_lines(facts) == []


def test_a_one_word_title_name_takes_the_bodys_full_form(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Orsa-Veda Chemical is to invest $25 million in an alloy plant in Ruritania to make "
        "rare-earth magnet alloys. The plant is the latest step by Orsa-Veda, a big "
        "rare-earth-magnet producer.",
        title="Orsa-Veda Chooses Ruritania For Magnet Alloys",
    )
    assert suppliers_of(facts) == ["Orsa-Veda Chemical"]


def test_a_currency_word_on_the_next_line_is_no_amounts(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Table 2. Lithium bought by cell makers, by kind of contract, 2021-2022\n"
        "dollars a tonne, and tonnes\n"
    )
    assert _usd(facts) == []


def test_a_study_group_is_no_seller_whatever_mineral_it_names(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The International Nickel Study Group forecast a surplus of 80,000 tonnes of nickel. "
        "Kelso Mining will sell nickel to Harlow Motors."
    )
    assert suppliers_of(facts) == ["Kelso Mining"]


@pytest.mark.parametrize(
    ("text", "tonnes"),
    [
        (
            "Kelso Aluminium will supply low-carbon aluminium wire rod to Harlow Cables from 2026 "
            "through 2033. The total committed volume is put at 200,000 metric tons.",
            200_000.0,
        ),
        (
            "Kelso Aluminium will supply aluminium worth $90 million to Harlow Cables. The "
            "contracted volume will be 30,000 tonnes.",
            30_000.0,
        ),
        (
            "Kelso Aluminium has signed a deal to supply aluminium billets to Harlow Cables. The "
            "contract is worth about $700 million, Kelso said.\n\nGrid operators plan to spend "
            "heavily on new lines this decade, and cable makers are adding plants to keep up "
            "with orders from utilities across the region.\n\nKelso said its new casthouse "
            "will secure deliveries from 2027. The total committed volume is put at 150,000 "
            "metric tons.",
            150_000.0,
        ),
        # (counter-examples: a market's volume, or one told after another sentence)
        (
            "Kelso Aluminium will supply aluminium to Harlow Cables. The total volume of imports "
            "is estimated at 2 million tonnes.",
            None,
        ),
        (
            "Kelso Aluminium will supply aluminium to Harlow Cables. Its smelter output rose. The "
            "total volume is estimated at 2 million tonnes.",
            None,
        ),
    ],
)
def test_a_sentence_on_the_deals_volume_gives_its_mass(
    extractor: Extractor, text: str, tonnes: float | None
) -> None:
    assert [line[3] for line in deal_lines(extractor.extract(text))] == [tonnes]
