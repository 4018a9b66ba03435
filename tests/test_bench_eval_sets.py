"""bench/eval_sets.py, the script the session notes and BLIND_ROUNDS.md measure with: it scores
a set with the official scorer, with and without the trained deal-line component."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import eval_sets  # noqa: E402


@pytest.mark.skipif(not eval_sets.SCORER.exists(), reason="official scorer not found")
def test_a_set_is_scored_with_and_without_the_deal_line_component(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {}
    for flags in ([], ["--no-deal-model"]):
        assert eval_sets.main(["blind76", "--out", str(tmp_path), *flags]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("EXTRACTOR_VERSION ")
        assert lines[1].split()[:5] == ["set", "minerals", "money", "quantitie", "suppliers"]
        row = dict(zip(eval_sets.FIELDS, map(float, lines[2].split()[1:]), strict=True))
        assert lines[2].split()[0] == "blind76"
        rows[bool(flags)] = row
    # (the component adds lines; it touches neither mentions nor suppliers)
    assert rows[True]["minerals"] == rows[False]["minerals"]
    assert rows[True]["suppliers"] == rows[False]["suppliers"]
    assert rows[True]["lines"] < rows[False]["lines"]
