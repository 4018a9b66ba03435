"""Rules of 2026.11.2: notice item lines, IDIQ ceilings, amendments, split awards, homonyms,
and the components' to_disk/from_disk round trip."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
import spacy

from nlp import EXTRACTOR_VERSION, Extractor
from nlp.base import RuleComponent

NOTICE_HEAD = (
    "Notice ID: SP8000-26-RFI-0005\n"
    "Contract Opportunity Type: Sources Sought\n"
    "Department/Ind. Agency: DEPT OF DEFENSE\n\n"
    "Description\n\n"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def lines(facts: object) -> list[tuple[str, float | None, float | None, tuple[str, ...]]]:
    return [
        (
            p.mineral,
            p.usd,
            None if p.tonnes is None else round(p.tonnes, 4),
            p.suppliers,
        )
        for p in facts.procurements  # type: ignore[attr-defined]
    ]


def test_version_is_bumped() -> None:
    assert EXTRACTOR_VERSION == "2026.12.11"


def test_bulleted_items_each_keep_their_own_quantity(extractor: Extractor) -> None:
    text = NOTICE_HEAD + (
        "- Item 1. Tin metal, minimum 99.85% Sn, ingot. Potential quantity: 1,978 metric tons.\n"
        "- Item 2. Tellurium metal, minimum 99.99% Te. Potential quantity: 37 metric tons.\n"
        "- Item 3. Chromium metal, minimum 99.0% Cr. Potential quantity: 4,500 short tons.\n"
    )
    facts = extractor.extract(text, title="Request for Information: Tin, Tellurium and Chromium")
    assert lines(facts) == [
        ("tin", None, 1978.0, ()),
        ("tellurium", None, 37.0, ()),
        ("chromium", None, 4082.3325, ()),
    ]


def test_numbered_items_with_quantities_are_lines(extractor: Extractor) -> None:
    text = NOTICE_HEAD + (
        "1) Beryllium metal, minimum 98.5% Be - potential requirement of 35,000 lbs;\n"
        "2) Hafnium crystal bar - potential requirement of 4 metric tons;\n"
        "3. Q: Will hafnium from imported zircon be accepted? A: Yes.\n"
    )
    facts = extractor.extract(text, title="Request for Information: Beryllium and Hafnium")
    assert lines(facts) == [("beryllium", None, 15.8757, ()), ("hafnium", None, 4.0, ())]


def test_idiq_line_takes_the_maximum_not_the_guaranteed_minimum(extractor: Extractor) -> None:
    text = NOTICE_HEAD.replace("Sources Sought", "Solicitation") + (
        "The estimated maximum quantity is up to 7,480 metric tons of cobalt over five years. "
        "The guaranteed minimum is $2,000,000.00 and the contract maximum is $500,000,000.00.\n"
        "- CLIN 0001: Cobalt cut cathode, packed in steel drums of 250 kg net.\n"
        "- CLIN 0002: Cobalt rounds, packed in steel drums of 250 kg net.\n"
        "- Minimum delivery order: 100 metric tons.\n"
    )
    facts = extractor.extract(text, title="Cobalt Cut Cathode and Rounds")
    assert lines(facts) == [("cobalt", 500000000.0, 7480.0, ())]
    assert facts.procurements[0].usd_is_upper_bound is True


def test_idiq_in_running_text(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency opened a tender for up to 3,000 tonnes of graphite under an IDIQ contract "
        "with a minimum of $2 million and a maximum of $48 million.",
        title="DLA opens graphite tender",
    )
    assert lines(facts) == [("graphite", 48000000.0, 3000.0, ())]


def test_amended_value_range_is_old_and_new_figure(extractor: Extractor) -> None:
    text = NOTICE_HEAD.replace("Sources Sought", "Solicitation") + (
        "1. The total quantity of manganese flake is increased from 300 short tons to 450 "
        "short tons.\n"
        "2. The estimated contract value is raised from $1,800,000 to $2,700,000.\n"
    )
    facts = extractor.extract(text, title="Electrolytic Manganese Metal - Amendment 0001")
    assert sorted(m.usd or 0 for m in facts.money) == [1800000.0, 2700000.0]
    assert {m.bound for m in facts.money} == {"exact"}
    assert lines(facts) == [("manganese", 2700000.0, 408.2332, ())]


def test_one_sentence_two_awards_one_line_per_awardee(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Defense Logistics Agency awarded Caldera Rare Metals Inc. a $14 million contract "
        "for 40 tonnes of samarium oxide and Westgate Tungsten Corp. a $62 million contract "
        "for 1,200 tonnes of tungsten concentrate.",
        title="DLA awards tungsten and samarium contracts",
    )
    assert lines(facts) == [
        ("samarium", 14000000.0, 40.0, ("Caldera Rare Metals Inc.",)),
        ("tungsten", 62000000.0, 1200.0, ("Westgate Tungsten Corp.",)),
    ]


def test_split_award_of_one_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency split its antimony purchase: Prairie Ridge Antimony LLC won a $9.6 million "
        "contract for 450 tonnes of antimony trisulfide, and Coastal Minor Metals Inc. "
        "received $4.1 million for 190 tonnes.",
        title="DLA splits antimony award",
    )
    assert lines(facts) == [
        ("antimony", 9600000.0, 450.0, ("Prairie Ridge Antimony LLC",)),
        ("antimony", pytest.approx(4100000.0), 190.0, ("Coastal Minor Metals Inc.",)),
    ]


def test_follow_up_sentence_completes_the_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Aurora Lithium Corp. will supply 25,000 tonnes a year of lithium hydroxide to Nordvolt "
        "for ten years. The contract is worth about $420 million a year.",
        title="Aurora Lithium agrees hydroxide offtake",
    )
    assert lines(facts) == [("lithium", 420000000.0, 25000.0, ("Aurora Lithium Corp.",))]


def test_passing_mentions_without_figures_are_not_lines(extractor: Extractor) -> None:
    facts = extractor.extract(
        "China suspended its curbs on Friday. The Defense Logistics Agency has awarded contracts "
        "for antimony and scandium oxide this autumn and is preparing to reissue a cancelled "
        "cobalt tender.",
        title="China suspends rare earth curbs",
    )
    assert facts.procurements == ()


def test_lead_as_market_subject_and_metal_words_in_names(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Zinc rose to $2,910 a tonne. Lead was flat. An analyst will lead a review.\n"
        "American Lithium Resources Inc. will supply 12,000 tonnes of lithium carbonate to Tin "
        "Mountain Batteries LLC.",
        title="American Lithium Resources to supply Tin Mountain Batteries",
    )
    assert facts.minerals == ("lead", "lithium", "zinc")


def test_hyphenated_mass_and_prefixed_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Traders reported a 20-tonne lot of indium. Hanwa agreed to buy 18,000 tonnes of nickel "
        "matte from PT Sulawesi Nickel Smelting for $310 million."
    )
    assert [m.tonnes for m in facts.quantities] == [20.0, 18000.0]
    assert facts.suppliers == ("PT Sulawesi Nickel Smelting",)


@pytest.mark.parametrize(
    "factory",
    ["minwatch_minerals", "minwatch_money", "minwatch_mass", "minwatch_suppliers"],
)
def test_component_round_trips_through_disk(factory: str, tmp_path: Path) -> None:
    import nlp.extractor  # noqa: F401  (registers the factories)

    source = spacy.blank("en")
    source.add_pipe("minwatch_sentences")
    component = cast(RuleComponent, source.add_pipe(factory))
    source.initialize()
    component.to_disk(tmp_path / factory)

    restored_nlp = spacy.blank("en")
    restored_nlp.add_pipe("minwatch_sentences")
    restored = cast(RuleComponent, restored_nlp.add_pipe(factory))
    restored.from_disk(tmp_path / factory)
    assert restored.data == component.data
    assert restored.data  # the data files really travelled

    text = "DLA will buy 120 metric tons of neodymium for $31,250,000 from Rio Tinto Inc."
    original_doc, restored_doc = source(text), restored_nlp(text)
    for name in ("minwatch_minerals", "minwatch_amounts", "minwatch_orgs"):
        assert repr(getattr(original_doc._, name)) == repr(getattr(restored_doc._, name))


@pytest.mark.parametrize(
    "limit",
    [
        "Offers are limited to the following brands: Kestrel Cobalt (Finland), Harbor Nickel "
        "Refining (Canada) and Dunmore Metals (Norway).",
        "Offers are limited to material produced by Kestrel Cobalt, Harbor Nickel Refining and "
        "Dunmore Metals.",
    ],
)
def test_the_producers_a_solicitation_accepts_supply_the_document_not_its_line(
    extractor: Extractor, limit: str
) -> None:
    facts = extractor.extract(
        "Notice ID: SP8000-26-R-0004\nType: Solicitation\nDescription: DLA Strategic Materials "
        f"intends to purchase up to 500 MT of cobalt. {limit}"
    )
    assert facts.suppliers == ("Kestrel Cobalt", "Harbor Nickel Refining", "Dunmore Metals")
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("cobalt", 500.0, ())
    ]
