"""Every context rule record fires on its examples and not on its counter-examples.

The records are data (`nlp/data/seller_context_rules.jsonl`); each carries sentences with the
organisation marked `[[like this]]`. A record's pattern and the facts it requires are checked
on the real rule pipeline's doc (minerals, amounts, organisations found as in a night), and the
whole extractor must then give the role the record stands for: a seller record's example names
a supplier, a "none" record's example does not.
"""

from __future__ import annotations

from typing import Any

import pytest

from minwatch.nlp import Extractor
from minwatch.nlp.base import OrgHit, load_data_file
from minwatch.nlp.rulebook import RuleBook, RuleFileError, fired, unmark

RECORDS: list[dict[str, Any]] = load_data_file("seller_context_rules.jsonl")
CUES = load_data_file("supplier_cues.json")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _applies(extractor: Extractor, record_id: str, example: str) -> tuple[bool, Any, str]:
    text, start, end = unmark(example)
    doc = extractor.analyse(text)
    component = extractor.pipelines["en"].get_pipe("minwatch_suppliers")
    hit = OrgHit(start, end, text[start:end], "test")
    context = component.rule_context(doc, hit, doc._.minwatch_orgs or [])
    rule = component.rules.by_id[record_id]
    return component.rules.applies(rule, context), doc, text[start:end]


CASES = [
    pytest.param(r["id"], example, True, id=f"{r['id']}-example{n}")
    for r in RECORDS
    for n, example in enumerate(r["examples"])
] + [
    pytest.param(r["id"], example, False, id=f"{r['id']}-counter{n}")
    for r in RECORDS
    for n, example in enumerate(r.get("counter_examples", ()))
]


@pytest.mark.parametrize(("record_id", "example", "expected"), CASES)
def test_record_fires_on_its_examples_only(
    extractor: Extractor, record_id: str, example: str, expected: bool
) -> None:
    applies, _, name = _applies(extractor, record_id, example)
    assert applies is expected, f"{record_id} on {name!r} in: {example}"


# A record may list examples whose role the whole extractor does not yet get right, with the
# reason (`end_to_end_gaps`): they run as strict xfails, so a fix shows up as a pass to claim.
ROLE_CASES = [
    pytest.param(
        r["id"],
        example,
        r["verdict"] != "none",
        id=f"{r['id']}-example{n}",
        marks=[pytest.mark.xfail(strict=True, reason=r["end_to_end_gaps"][str(n)])]
        if str(n) in r.get("end_to_end_gaps", {})
        else [],
    )
    for r in RECORDS
    if r["stage"] != "guard"
    for n, example in enumerate(r["examples"])
]


@pytest.mark.parametrize(("record_id", "example", "is_supplier"), ROLE_CASES)
def test_examples_come_out_with_the_records_role(
    extractor: Extractor, record_id: str, example: str, is_supplier: bool
) -> None:
    text, start, end = unmark(example)
    facts = extractor.extract(text)
    name = text[start:end]
    assert (name in facts.suppliers) is is_supplier, (record_id, name, facts.suppliers)


def test_a_night_records_which_rule_decided(extractor: Extractor) -> None:
    text = "The agency plans to buy up to $30 million in tungsten from Norrland Metals."
    doc = extractor.analyse(text)
    start = text.index("Norrland")
    assert ("seller.from_or_produced_by", start, start + len("Norrland Metals")) in fired(doc)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"side": "left"}, "side must be one of"),
        ({"verdict": "maybe"}, "verdict must be in"),
        ({"examples": []}, "needs at least one example"),
        ({"regex": "(unclosed$"}, "does not compile"),
        ({"regex": r"\bfrom\s+"}, "must end with $"),
        ({"regex": r"\b(?:{no_such_list})\s+$"}, "names no cue list {no_such_list}"),
        ({"unless": ["no.such_rule"]}, "unless names no rule 'no.such_rule'"),
        ({"tokens": [{"LOWER": "from"}]}, "exactly one of regex and tokens"),
    ],
)
def test_a_bad_record_is_refused_with_its_id(change: dict[str, Any], message: str) -> None:
    record = dict(next(r for r in RECORDS if r["id"] == "seller.awarded_to"), **change)
    nlp = Extractor().pipelines["en"]
    with pytest.raises(RuleFileError, match=r"seller\.awarded_to") as raised:
        RuleBook(nlp.vocab, [record], CUES)
    assert message in str(raised.value)


def test_ids_are_unique_and_stages_known() -> None:
    ids = [r["id"] for r in RECORDS]
    assert len(ids) == len(set(ids))
    stages = {r["stage"] for r in RECORDS}
    # the stages `_supplier_context` runs, and "guard" (records only named by `unless`)
    assert stages == {
        "lead", "awarded", "winner", "producer", "counterparty", "possessive", "object", "guard"
    }  # fmt: skip
