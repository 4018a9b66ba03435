"""The blind set (tests/data/extraction_blind): 14 documents whose gold was written by hand
from the evaluation rules before the extractor was run on them, scored by the official
scorer against the issue's targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from minwatch.nlp import Extractor
from tests.test_eval_dev import SCORER, TARGETS, score_set

BLIND = Path(__file__).parent / "data" / "extraction_blind"


@pytest.mark.skipif(not SCORER.exists(), reason=f"official scorer not found at {SCORER}")
def test_blind_set_meets_targets(tmp_path: Path) -> None:
    summary = score_set(Extractor(), BLIND, tmp_path / "pred.jsonl")
    assert summary["missing"] == []
    assert summary["docs"] == 14
    f1 = {name: summary["fields"][name]["f1"] for name in TARGETS}
    below = {name: value for name, value in f1.items() if value < TARGETS[name]}
    assert below == {}, f"below target: {f1}"


def test_blind_docs_and_gold_pair_up() -> None:
    docs = {p.stem for p in (BLIND / "docs").glob("*.txt")}
    gold = {p.stem for p in (BLIND / "gold").glob("*.json")}
    assert docs == gold
    assert len(docs) == 14
