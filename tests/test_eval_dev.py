"""Run the extractor over the dev evaluation set and hold it to the project's targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from minwatch.nlp import Extractor, eval_record, parse_header

EVAL_DIR = Path(__file__).parents[2] / "shared/eval"
SCORER = EVAL_DIR / "score.py"
TARGETS = {
    "minerals": 0.95,
    "money": 0.95,
    "quantities": 0.95,
    "suppliers": 0.85,
    "lines": 0.90,
    "usd": 0.90,
    "tonnes": 0.90,
    "line_suppliers": 0.80,
}


def score_set(extractor: Extractor, eval_set: Path, predictions: Path) -> dict[str, Any]:
    """Extract every `docs/*.txt` of an evaluation set and score it with the official scorer."""
    with predictions.open("w", encoding="utf-8") as out:
        for path in sorted((eval_set / "docs").glob("*.txt")):
            headers, body = parse_header(path.read_text(encoding="utf-8"))
            facts = extractor.extract(
                body, language=headers.get("Language", "en"), title=headers.get("Title")
            )
            out.write(json.dumps(eval_record(path.stem, facts), ensure_ascii=False) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--gold",
            str(eval_set),
            "--pred",
            str(predictions),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def below_targets(summary: dict[str, Any]) -> dict[str, float]:
    scores = {field: summary["fields"][field]["f1"] for field in TARGETS}
    return {f: s for f, s in scores.items() if s < TARGETS[f]}


@pytest.mark.skipif(not SCORER.exists(), reason=f"evaluation set not found at {EVAL_DIR}")
def test_dev_set_meets_targets(tmp_path: Path) -> None:
    summary = score_set(Extractor(), EVAL_DIR / "dev", tmp_path / "pred.jsonl")
    assert summary["missing"] == []
    assert summary["docs"] == 17
    assert not below_targets(summary), f"below target: {summary['fields']}"
