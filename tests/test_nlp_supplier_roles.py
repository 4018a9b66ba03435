"""The trained supplier-role component: pinned weights, deterministic training, spaCy spans,
and its verdicts on sentences written for these tests (no evaluation text)."""

from __future__ import annotations

import hashlib

import pytest
import spacy

from minwatch.nlp import Extractor
from minwatch.nlp.base import DATA_DIR, ORG_SPANS
from minwatch.nlp.roles import MODEL_FILE, MODEL_SHA256, SupplierRoles, name_key
from minwatch.nlp.train_roles import Example, fit


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_the_shipped_model_is_the_pinned_one() -> None:
    raw = (DATA_DIR / MODEL_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == MODEL_SHA256
    assert len(raw) < 200_000  # shipped small


def test_a_model_file_with_another_digest_is_refused() -> None:
    nlp = spacy.blank("en")
    roles = SupplierRoles(nlp, "roles", model_sha256="0" * 64)
    with pytest.raises(ValueError, match=r"MODEL_SHA256 in nlp/roles\.py"):
        roles.initialize()


def test_training_is_deterministic_and_learns_the_cue() -> None:
    def example(doc: str, feature: str, label: bool) -> Example:
        return Example("set", doc, doc, frozenset({feature, "ner:ORG"}), label, False)

    examples = [example(f"s{i}", "V+:supplies", True) for i in range(6)] + [
        example(f"i{i}", "V+:invests", False) for i in range(6)
    ]
    recipe = {
        "min_documents": 2,
        "l2": 1.0,
        "iterations": 200,
        "learning_rate": 5.0,
        "min_weight": 0.005,
        "threshold": 0.5,
        "keep_threshold": 0.2,
    }
    first, second = fit(examples, recipe), fit(examples, recipe)
    assert first == second
    weights = first["weights"]
    assert isinstance(weights, dict)
    assert weights["V+:supplies"] > 0 > weights["V+:invests"]


def test_names_are_keyed_as_the_scorer_keys_them() -> None:
    assert name_key("The Corvane Minerals Corp.") == name_key("corvane minerals")
    assert name_key("Ostrander Refining, LLC") == "ostrander refining"


def test_organisations_come_out_as_spans_with_their_roles(extractor: Extractor) -> None:
    doc = extractor.analyse(
        "The Pentagon agreed to buy up to $80 million of germanium from Lakeview Semimetals "
        "and Ostrander Refining, two smelters based in Ohio."
    )
    spans = {span.text: span for span in doc.spans[ORG_SPANS]}
    assert spans["Lakeview Semimetals"].label_ == "SUPPLIER"
    assert spans["Ostrander Refining"].label_ == "SUPPLIER"
    assert spans["Lakeview Semimetals"]._.minwatch_role == "supplier"
    probability = spans["Ostrander Refining"]._.minwatch_supplier_probability
    assert probability is not None and probability > 0.5
    facts = extractor.extract(doc.text)
    assert facts.suppliers == ("Lakeview Semimetals", "Ostrander Refining")


@pytest.mark.parametrize(
    ("text", "suppliers"),
    [
        # a producer named by what it does, with no deal in the sentence
        (
            "Corvane Minerals, which mines lithium at two pits in Nevada, said output rose 12% "
            "in the quarter.",
            ("Corvane Minerals",),
        ),
        # a price reporter and an agency are not suppliers
        (
            "Prices for cobalt hydroxide were assessed at $7.50 per lb by Northgate Price "
            "Reporting, while the Department of Energy said it would review the stockpile.",
            (),
        ),
        # coordinated sellers after "from"
        (
            "The agency will buy 40 tonnes of gallium from Dunmore Semimetals and Calloway "
            "Chemicals under the new contract.",
            ("Dunmore Semimetals", "Calloway Chemicals"),
        ),
    ],
)
def test_supplier_verdicts_on_new_sentences(
    extractor: Extractor, text: str, suppliers: tuple[str, ...]
) -> None:
    assert extractor.extract(text).suppliers == suppliers


def test_a_call_for_offers_listing_minerals_gives_a_line_each_without_a_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Harbor Alloys won a $12 million contract to deliver 30 tonnes of hafnium. The agency "
        "also issued tenders for indium, tellurium and zirconium."
    )
    lines = {(line.mineral, line.usd, line.tonnes, line.suppliers) for line in facts.procurements}
    assert lines == {
        ("hafnium", 12e6, 30.0, ("Harbor Alloys",)),
        ("indium", None, None, ()),
        ("tellurium", None, None, ()),
        ("zirconium", None, None, ()),
    }


def test_a_deal_stated_without_figures_is_a_line_of_its_named_seller(
    extractor: Extractor,
) -> None:
    facts = extractor.extract(
        "Corvane Graphite has signed a binding offtake agreement with battery maker Voltaris "
        "for natural flake graphite from its Redstone mine."
    )
    assert facts.suppliers == ("Corvane Graphite",)
    assert [(p.mineral, p.usd, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("graphite", None, None, ("Corvane Graphite",))
    ]


def test_a_deal_retold_without_its_figures_is_not_a_second_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Corvane Graphite will supply 12,000 tonnes of flake graphite a year to Voltaris. "
        "Corvane Graphite said the graphite offtake agreement runs for five years."
    )
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("graphite", 12000.0, ("Corvane Graphite",))
    ]


def test_funding_stated_beside_a_seller_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Corvane Graphite received a $5 million grant from the state to expand graphite output, "
        "and will sell graphite to local battery makers."
    )
    assert facts.procurements == ()


def test_a_list_of_awardees_gives_each_its_line(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Department of Energy awarded three contracts for enriching uranium.\n\n"
        "The awardees are:\n"
        "- Harbor Fuel Services, Dayton, Ohio, through its subsidiary in Macon, Ga.\n"
        "- Corvane Energy Corp., Boise, Idaho\n"
        "- Dunmore Nuclear, Richland, Wash."
    )
    assert facts.suppliers == ("Harbor Fuel Services", "Corvane Energy Corp.", "Dunmore Nuclear")
    assert [(p.mineral, p.suppliers) for p in facts.procurements] == [
        ("uranium", ("Harbor Fuel Services",)),
        ("uranium", ("Corvane Energy Corp.",)),
        ("uranium", ("Dunmore Nuclear",)),
    ]


def test_a_list_of_names_under_no_award_is_no_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Uranium prices rose this week. Attendees at the conference included:\n"
        "- Harbor Fuel Services, Dayton, Ohio\n"
        "- Corvane Energy Corp., Boise, Idaho"
    )
    assert facts.procurements == ()


def candidate_features(extractor: Extractor, text: str) -> dict[str, frozenset[str]]:
    """The role model's features of each candidate name of `text`."""
    component = extractor.pipelines["en"].get_pipe("minwatch_supplier_roles")
    seen: dict[str, frozenset[str]] = {}
    component.collect = lambda doc, candidates: seen.update(
        (c.name, frozenset(c.features)) for c in candidates
    )
    try:
        extractor.extract(text)
    finally:
        component.collect = None
    return seen


def test_features_carry_no_name_only_its_shape(extractor: Extractor) -> None:
    """The weights must learn constructions, not companies: a neighbouring capitalised word
    enters the features as its shape, so no trained weight can name a company."""
    text = (
        "Quarrow Mining said Belstane Cells will buy 4,000 tonnes of cobalt hydroxide "
        "from Quarrow's Red Creek mine."
    )
    seen = candidate_features(extractor, text)
    assert "Quarrow Mining" in seen and "Belstane Cells" in seen
    words = {"quarrow", "belstane", "red", "creek", "mining", "cells"}
    for name, features in seen.items():
        leaked = {
            f
            for f in features
            if f.split(":", 1)[0] in {"P1", "N1", "P2", "N2"}
            and set(f.split(":", 1)[1].split("_")) & words
        }
        assert not leaked, (name, leaked)
    assert "N1:said" in seen["Quarrow Mining"]
    assert "P2:<Cap>_said" in seen["Belstane Cells"] and "N1:will" in seen["Belstane Cells"]


def test_the_model_promotes_no_name_whose_own_verb_receives_the_material() -> None:
    from minwatch.nlp.roles import decide

    tied = frozenset({"S:mineral", "S:mass", "V+:receive"})
    # "X will receive 40,000 tonnes of graphite": a buyer, however sure the model is
    assert not decide(0.95, tied, False, threshold=0.5, keep_threshold=0.2)
    # "X will receive A$54mn to expand its plant": funded, not buying; the model may decide
    funded = frozenset({"S:mineral", "S:mass", "S:money", "V+:receive"})
    assert decide(0.95, funded, False, threshold=0.5, keep_threshold=0.2)
    assert not decide(
        0.95, frozenset({"S:mineral", "V+:bought"}), False, threshold=0.5, keep_threshold=0.2
    )


def test_one_of_the_biggest_traders_is_a_trader_the_model_makes_no_seller(
    extractor: Extractor,
) -> None:
    from minwatch.nlp.roles import decide

    text = (
        "Penrose Nickel Corporation will ship its nickel concentrate to Kelso International AG, "
        "one of the largest metals traders in Asia."
    )
    seen = candidate_features(extractor, text)
    features = seen["Kelso International AG"]
    assert "APPOS:traders" in features
    assert not decide(0.95, features, False, threshold=0.5, keep_threshold=0.2)


def test_the_model_makes_no_seller_of_a_name_given_only_as_an_owner() -> None:
    from minwatch.nlp.roles import decide

    owner = frozenset({"S:mineral", "shape:industry", "ev:owner_only"})
    assert not decide(0.95, owner, False, threshold=0.5, keep_threshold=0.2)
    assert decide(0.95, owner - {"ev:owner_only"}, False, threshold=0.5, keep_threshold=0.2)
