"""Run the extractor over the dev evaluation set and hold it to the project's targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import Extractor, eval_record, parse_header

EVAL_DIR = Path(__file__).parents[2] / "shared/eval"
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


@pytest.mark.skipif(
    not (EVAL_DIR / "score.py").exists(), reason=f"evaluation set not found at {EVAL_DIR}"
)
def test_dev_set_meets_targets(tmp_path: Path) -> None:
    extractor = Extractor()
    predictions = tmp_path / "pred.jsonl"
    with predictions.open("w", encoding="utf-8") as out:
        for path in sorted((EVAL_DIR / "dev/docs").glob("*.txt")):
            headers, body = parse_header(path.read_text(encoding="utf-8"))
            facts = extractor.extract(
                body, language=headers.get("Language", "en"), title=headers.get("Title")
            )
            out.write(json.dumps(eval_record(path.stem, facts), ensure_ascii=False) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            str(EVAL_DIR / "score.py"),
            "--gold",
            str(EVAL_DIR / "dev"),
            "--pred",
            str(predictions),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(result.stdout)
    assert summary["missing"] == []
    scores = {field: summary["fields"][field]["f1"] for field in TARGETS}
    below = {f: s for f, s in scores.items() if s < TARGETS[f]}
    assert not below, f"below target: {below} (all: {scores})"
