"""Score the extractor on several annotated sets: one row per set, then the micro F1 over them.

    .venv/bin/python bench/eval_sets.py                                # dev, challenge, blind*
    .venv/bin/python bench/eval_sets.py blind41 blind42 --out /tmp/pred
    git worktree add /tmp/start 5a0d56e && \
        PYTHONPATH=/tmp/start .venv/bin/python bench/eval_sets.py blind45   # another commit's code
    .venv/bin/python bench/eval_sets.py blind45 --no-deal-model       # rules and role model only

A set is `dev` (../shared/eval/dev), `challenge` or `blindN` (tests/data/extraction_*). Each
document is extracted as `minwatch extract` does (header parsed, language and title passed) and
the official scorer (../shared/eval/score.py --json) scores each set; the micro line sums the
scorer's true and false positives and negatives over the sets. This is how the session notes
and tests/data/BLIND_ROUNDS.md measure first-sight rows (code of the commit named) and the
micro figures over the older sets.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
SCORER = SHARED_EVAL / "score.py"
FIELDS = (
    "minerals",
    "money",
    "quantities",
    "suppliers",
    "lines",
    "usd",
    "tonnes",
    "line_suppliers",
)


def set_dir(name: str) -> Path:
    return SHARED_EVAL / "dev" if name == "dev" else REPO / "tests" / "data" / f"extraction_{name}"


def all_sets() -> list[str]:
    blind = [p.name.removeprefix("extraction_") for p in (REPO / "tests" / "data").iterdir()]
    numbered = sorted(
        (n for n in blind if re.fullmatch(r"blind\d*", n)),
        key=lambda n: int(n.removeprefix("blind") or 1),
    )
    return ["dev", "challenge", *numbered]


def score(name: str, extractor: object, out: Path) -> dict[str, object]:
    from minwatch.nlp.evalformat import eval_record, parse_header

    directory = set_dir(name)
    predictions = out / f"{name}.jsonl"
    with predictions.open("w", encoding="utf-8") as fh:
        for path in sorted((directory / "docs").glob("*.txt")):
            headers, body = parse_header(path.read_text(encoding="utf-8"))
            facts = extractor.extract(  # type: ignore[attr-defined]
                body, language=headers.get("Language", "en"), title=headers.get("Title")
            )
            fh.write(json.dumps(eval_record(path.stem, facts), ensure_ascii=False) + "\n")
    command = [sys.executable, str(SCORER), "--gold", str(directory), "--pred", str(predictions)]
    result = subprocess.run(
        [*command, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="dev, challenge, blindN (default: all)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/minwatch_eval_sets"))
    parser.add_argument(
        "--no-deal-model",
        action="store_true",
        help="without the trained deal-line component (how BLIND_ROUNDS.md judges it)",
    )
    args = parser.parse_args(argv)
    if not SCORER.exists():
        print(f"the official scorer is not at {SCORER}", file=sys.stderr)
        return 2
    names = args.sets or all_sets()
    missing = [n for n in names if not (set_dir(n) / "gold").is_dir()]
    if missing:
        print(f"no annotated set named {', '.join(missing)}", file=sys.stderr)
        return 2
    from minwatch.nlp.extractor import EXTRACTOR_VERSION, Extractor

    args.out.mkdir(parents=True, exist_ok=True)
    extractor = Extractor(deal_model=False) if args.no_deal_model else Extractor()
    totals = {field: [0, 0, 0] for field in FIELDS}
    print(f"EXTRACTOR_VERSION {EXTRACTOR_VERSION}")
    print(f"{'set':12}" + "".join(f"{f[:9]:>10}" for f in FIELDS))
    for name in names:
        fields = score(name, extractor, args.out)["fields"]
        assert isinstance(fields, dict)
        for field in FIELDS:
            for i, key in enumerate(("tp", "fp", "fn")):
                totals[field][i] += fields[field][key]
        print(f"{name:12}" + "".join(f"{fields[f]['f1']:10.3f}" for f in FIELDS))

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    print(f"{'micro':12}" + "".join(f"{f1(*totals[f]):10.3f}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
