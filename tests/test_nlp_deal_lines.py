"""The trained deal-line component: pinned weights, deterministic training from words that
are no names, and its verdicts on texts written for these tests (no evaluation text)."""

from __future__ import annotations

import hashlib
import json

import pytest
import spacy

from minwatch.nlp import Extractor
from minwatch.nlp.base import DATA_DIR
from minwatch.nlp.deal_lines import MODEL_FILE, MODEL_SHA256, DealLines
from minwatch.nlp.train_deal_lines import set_number, vocabulary_filter
from minwatch.nlp.train_roles import Example


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def rules_only() -> Extractor:
    return Extractor(deal_model=False)


def _lines(facts: object) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((p.mineral, p.suppliers) for p in facts.procurements)  # type: ignore[attr-defined]


def test_the_shipped_model_is_the_pinned_one() -> None:
    raw = (DATA_DIR / MODEL_FILE).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == MODEL_SHA256
    assert len(raw) < 200_000  # shipped small
    model = json.loads(raw)
    # trained on development sets only: the fresh sets that judged it are not among them
    assert "extraction_blind65" not in model["trained_on"]
    assert "extraction_blind66" not in model["trained_on"]


def test_a_model_file_with_another_digest_is_refused() -> None:
    component = DealLines(spacy.blank("en"), "deal_lines", model_sha256="0" * 64)
    with pytest.raises(ValueError, match=r"MODEL_SHA256 in nlp/deal_lines\.py"):
        component.initialize()


def test_the_shipped_weights_hold_no_capitalised_word() -> None:
    weights = json.loads((DATA_DIR / MODEL_FILE).read_bytes())["weights"]
    words = [f[2:] for f in weights if f[:2] in ("w:", "t:")]
    assert words, "the model reads words"
    assert not [w for w in words if w.isascii() and not w.islower()]


def test_a_word_of_a_name_or_of_too_few_sets_is_no_feature() -> None:
    def example(corpus: str, doc: str, *features: str) -> Example:
        return Example(corpus, doc, "zinc", frozenset(features), True, False)

    examples = [
        example(f"set{i}", f"d{i}", "w:offtake", "w:resources", "z", f"w:only{i % 2}")
        for i in range(4)
    ]
    recipe = {"min_sets": 3.0}
    kept = vocabulary_filter(examples, ["Kelso Resources Ltd"], recipe)
    assert all(e.features == {"w:offtake", "z"} for e in kept)


def test_set_numbers_order_the_time_split() -> None:
    assert [set_number(n) for n in ("dev", "extraction_challenge", "extraction_blind")] == [
        0,
        0,
        1,
    ]
    assert set_number("extraction_blind51") == 51


def test_a_figureless_purchase_the_rules_miss_is_a_line_of_its_seller(
    extractor: Extractor, rules_only: Extractor
) -> None:
    # (the rules read "has agreed terms to buy copper concentrate from Velda Copper" since
    # 2026.12.85, so the component's case is a verb they do not know)
    text = (
        "Orsa Smelting has lined up copper concentrate from Velda Copper for the next three "
        "years. The copper concentrate will be treated at its smelter."
    )
    title = "Orsa Smelting secures copper concentrate supply"
    assert rules_only.extract(text, title=title).procurements == ()
    assert _lines(extractor.extract(text, title=title)) == [("copper", ("Velda Copper",))]
    read = "Orsa Smelting has agreed terms to buy copper concentrate from Velda Copper."
    assert _lines(rules_only.extract(read, title=title)) == [("copper", ("Velda Copper",))]


def test_a_chinese_import_agreement_without_figures_is_a_line(
    extractor: Extractor, rules_only: Extractor
) -> None:
    text = "东辰化肥与塔兰特公司签署了2027年钾肥进口协议，价格较上年下降。钾肥进口量将保持稳定。"
    title = "东辰化肥与塔兰特公司签署钾肥进口协议"
    assert rules_only.extract(text, language="zh", title=title).procurements == ()
    assert _lines(extractor.extract(text, language="zh", title=title)) == [
        ("potash", ("塔兰特公司",))
    ]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Copper climbs as Shanghai stocks fall",
            "Copper prices rose 2% on Monday as stocks fell in Shanghai warehouses. Analysts "
            "at Kelso Bank expect copper demand to stay firm.",
        ),
        (
            "Tarrant Minerals drills high-grade lithium",
            "Tarrant Minerals reported drill results of 1.4% lithium oxide over 20 metres at "
            "its Penrose project. The company plans a resource estimate next year.",
        ),
    ],
)
def test_a_market_report_or_drilling_news_gets_no_line(
    extractor: Extractor, title: str, text: str
) -> None:
    assert extractor.extract(text, title=title).procurements == ()


def test_a_score_far_below_zero_is_a_probability_near_zero_not_an_overflow() -> None:
    # a long document's many negative words must not stop its extraction
    component = DealLines(spacy.blank("en"), "deal_lines", model_file="")
    component.initialize(
        data={"model": {"weights": {"w:price": -1000.0}, "bias": 0.0, "threshold": 0.7}}
    )
    assert component.probability(["w:price"]) < 1e-12
    assert component.threshold == 0.7
