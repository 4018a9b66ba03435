"""Chinese in Traditional characters is read by the rules written for Simplified ones, and
its names and figures come back in the text's own characters. Invented companies."""

from __future__ import annotations

import pytest

from minwatch.nlp import Extractor
from minwatch.nlp.zh_script import Simplifier


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_a_traditional_text_gives_its_facts_in_its_own_characters(extractor: Extractor) -> None:
    text = (
        "華銳鋰業（600123）公告，公司與東辰新能簽署《鋰精礦供貨協議》，"
        "華銳鋰業將向東辰新能供應鋰精礦合計 2.4 萬噸。"
    )
    facts = extractor.extract(text, language="zh")
    assert list(facts.minerals) == ["lithium"]
    assert [(q.text, q.tonnes) for q in facts.quantities] == [("2.4 萬噸", 24000.0)]
    assert list(facts.suppliers) == ["華銳鋰業"]
    assert [(p.mineral, p.tonnes, list(p.suppliers)) for p in facts.procurements] == [
        ("lithium", 24000.0, ["華銳鋰業"])
    ]
    # a mention's sentence is the document's, not the Simplified rendering the rules read
    assert all("鋰" in m.sentence for m in facts.mentions if m.kind == "quantity")


def test_a_simplified_text_is_read_as_it_is() -> None:
    simplifier = Simplifier.load()
    # "著" is in the table, but one such character does not make a text Traditional
    assert simplifier.simplify("著名锂企盛达矿业将向客户供应锂精矿2万吨。") is None
    assert simplifier.simplify("Antimony prices rose.") is None
    rendered = simplifier.simplify("鋰精礦合計2萬噸")
    assert rendered == "锂精矿合计2万吨"


def test_every_entry_of_the_table_keeps_offsets() -> None:
    table = Simplifier.load()
    text = "東辰新能與華銳鋰業簽署協議"
    rendered = table.simplify(text)
    assert rendered is not None and len(rendered) == len(text)
