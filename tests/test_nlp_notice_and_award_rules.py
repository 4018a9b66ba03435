"""Rules of 2026.11.2: notice item lines, IDIQ ceilings, amendments, split awards, homonyms,
and the components' to_disk/from_disk round trip."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
import spacy

from minwatch.nlp import EXTRACTOR_VERSION, Extractor
from minwatch.nlp.base import RuleComponent

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
    assert EXTRACTOR_VERSION == "2026.12.85"


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
        "1) Bismuth metal, minimum 99.99% Bi - potential requirement of 18,000 lbs;\n"
        "2) Rhenium pellets - potential requirement of 2 metric tons;\n"
        "3. Q: Will rhenium from recycled superalloy scrap be accepted? A: Yes.\n"
    )
    facts = extractor.extract(text, title="Request for Information: Bismuth and Rhenium")
    assert lines(facts) == [("bismuth", None, 8.1647, ()), ("rhenium", None, 2.0, ())]


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
        "1. The total quantity of vanadium pentoxide is increased from 200 short tons to 320 "
        "short tons.\n"
        "2. The contract's estimated value goes up from $2,400,000 to $3,600,000.\n"
    )
    facts = extractor.extract(text, title="Vanadium Pentoxide - Amendment 0002")
    assert sorted(m.usd or 0 for m in facts.money) == [2400000.0, 3600000.0]
    assert {m.bound for m in facts.money} == {"exact"}
    assert lines(facts) == [("vanadium", 3600000.0, 290.2992, ())]


def test_one_sentence_two_awards_one_line_per_awardee(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The Defense Logistics Agency awarded Halden Specialty Oxides Inc. a $9 million "
        "contract for 25 tonnes of gadolinium oxide and Brennock Vanadium Corp. a $27 million "
        "contract for 800 tonnes of vanadium pentoxide.",
        title="DLA awards vanadium and gadolinium contracts",
    )
    assert lines(facts) == [
        ("gadolinium", 9000000.0, 25.0, ("Halden Specialty Oxides Inc.",)),
        ("vanadium", 27000000.0, 800.0, ("Brennock Vanadium Corp.",)),
    ]


def test_split_award_of_one_mineral(extractor: Extractor) -> None:
    facts = extractor.extract(
        "The agency divided its bismuth order: Larkfield Bismuth LLC won a $5.3 million "
        "contract for 210 tonnes of bismuth ingot, and Eastmoor Specialty Metals Inc. "
        "received $2.2 million for 85 tonnes.",
        title="DLA divides bismuth award",
    )
    assert lines(facts) == [
        ("bismuth", 5300000.0, 210.0, ("Larkfield Bismuth LLC",)),
        ("bismuth", pytest.approx(2200000.0), 85.0, ("Eastmoor Specialty Metals Inc.",)),
    ]


def test_follow_up_sentence_completes_the_deal(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Tarrant Lithium Corp. will supply 9,000 tonnes a year of lithium carbonate to Voltera "
        "Cells for seven years. The deal is worth about $150 million a year.",
        title="Tarrant Lithium signs carbonate offtake",
    )
    assert lines(facts) == [("lithium", 150000000.0, 9000.0, ("Tarrant Lithium Corp.",))]


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
        "Northgate Lithium Inc. will supply 5,000 tonnes of lithium carbonate to Tin "
        "Thornbury Batteries LLC.",
        title="Northgate Lithium to supply Tin Thornbury Batteries",
    )
    assert facts.minerals == ("lead", "lithium", "zinc")


def test_hyphenated_mass_and_prefixed_company(extractor: Extractor) -> None:
    facts = extractor.extract(
        "Traders reported a 15-tonne lot of gallium. Hoshimura agreed to buy 6,000 tonnes of "
        "nickel matte from PT Obira Nikel Utama for $95 million."
    )
    assert [m.tonnes for m in facts.quantities] == [15.0, 6000.0]
    assert facts.suppliers == ("PT Obira Nikel Utama",)


@pytest.mark.parametrize(
    "factory",
    ["minwatch_minerals", "minwatch_money", "minwatch_mass", "minwatch_suppliers"],
)
def test_component_round_trips_through_disk(factory: str, tmp_path: Path) -> None:
    import minwatch.nlp.extractor  # noqa: F401  (registers the factories)

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

    text = "DLA will buy 120 metric tons of neodymium for $31,250,000 from Fenwick Metals Inc."
    original_doc, restored_doc = source(text), restored_nlp(text)
    for name in ("minwatch_minerals", "minwatch_amounts", "minwatch_orgs"):
        assert repr(getattr(original_doc._, name)) == repr(getattr(restored_doc._, name))


@pytest.mark.parametrize(
    "limit",
    [
        "Offers are limited to the following brands: Corvane Cobalt (Finland), Harbor Nickel "
        "Refining (Canada) and Dunmore Metals (Norway).",
        "Offers are limited to material produced by Corvane Cobalt, Harbor Nickel Refining and "
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
    assert facts.suppliers == ("Corvane Cobalt", "Harbor Nickel Refining", "Dunmore Metals")
    assert [(p.mineral, p.tonnes, p.suppliers) for p in facts.procurements] == [
        ("cobalt", 500.0, ())
    ]
