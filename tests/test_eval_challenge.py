"""The held-out challenge set (tests/data/extraction_challenge): documents written for this
project in the dev set's format, phrased unlike dev, scored by the official scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from minwatch.nlp import Extractor
from tests.test_eval_dev import SCORER, below_targets, score_set

CHALLENGE = Path(__file__).parent / "data" / "extraction_challenge"


@pytest.mark.skipif(not SCORER.exists(), reason=f"official scorer not found at {SCORER}")
def test_challenge_set_meets_targets(tmp_path: Path) -> None:
    summary = score_set(Extractor(), CHALLENGE, tmp_path / "pred.jsonl")
    assert summary["missing"] == []
    assert summary["docs"] == len(list((CHALLENGE / "gold").glob("*.json"))) == 19
    assert not below_targets(summary), f"below target: {summary['fields']}"


def test_challenge_docs_and_gold_pair_up() -> None:
    docs = {p.stem for p in (CHALLENGE / "docs").glob("*.txt")}
    gold = {p.stem for p in (CHALLENGE / "gold").glob("*.json")}
    assert docs == gold
    assert len(docs) >= 16
