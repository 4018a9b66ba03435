"""How often each context rule record fired on annotated sets, and how often it was right.

    .venv/bin/python -m minwatch.nlp.rule_report                       # every annotated set
    .venv/bin/python -m minwatch.nlp.rule_report tests/data/extraction_blind21 --json

A record "fired" when it decided an organisation's role in a document (the first record of its
stage that applied). It agreed with the annotation when a seller record ("strong"/"weak") fired
on a gold supplier of the document, or a "none" record on a name that is no gold supplier
(names compared as the scorer compares them). A record that fires often and agrees rarely is
the next one to fix; one that never fires is a candidate to delete.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from minwatch.nlp.base import load_data_file, text_of
from minwatch.nlp.evalformat import parse_header
from minwatch.nlp.extractor import Extractor
from minwatch.nlp.roles import name_key
from minwatch.nlp.rulebook import fired

REPOSITORY = Path(__file__).resolve().parent.parent


def default_sets() -> list[Path]:
    shared = REPOSITORY.parent / "shared" / "eval" / "dev"
    found = sorted((REPOSITORY / "tests" / "data").glob("extraction_*"))
    return ([shared] if shared.is_dir() else []) + found


def tally(directories: Sequence[Path], extractor: Extractor) -> dict[str, Counter[str]]:
    """Per record id: documents it fired in, fired, agreed (see the module's docstring)."""
    verdicts = {r["id"]: r["verdict"] for r in load_data_file("seller_context_rules.jsonl")}
    counts: dict[str, Counter[str]] = {rule_id: Counter() for rule_id in verdicts}
    for directory in directories:
        for gold_path in sorted((directory / "gold").glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            suppliers = {name_key(s) for s in gold.get("suppliers", [])}
            text = (directory / "docs" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
            headers, body = parse_header(text)
            language = headers.get("Language", "en").strip() or "en"
            doc = extractor.analyse(body, language=language, title=headers.get("Title"))
            seen: set[str] = set()
            # a short form or "the Company" is judged as the name it stands for
            canonical = {(m.start, m.end): m.canonical for m in doc._.minwatch_orgs or ()}
            for rule_id, start, end in fired(doc):
                name = name_key(canonical.get((start, end)) or text_of(doc)[start:end])
                seller = verdicts[rule_id] != "none"
                counts[rule_id]["fired"] += 1
                counts[rule_id]["agreed"] += int((name in suppliers) is seller)
                if rule_id not in seen:
                    counts[rule_id]["documents"] += 1
                    seen.add(rule_id)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minwatch.nlp.rule_report", description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path, help="annotated set directories")
    parser.add_argument("--json", action="store_true", help="one JSON object, not a table")
    args = parser.parse_args(argv)
    directories = args.sets or default_sets()
    missing = [str(d) for d in directories if not (d / "gold").is_dir()]
    if missing:
        parser.error(f"not an annotated set (no gold/ folder): {', '.join(missing)}")
    counts = tally(directories, Extractor())
    if args.json:
        json.dump({k: dict(v) for k, v in counts.items()}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    sys.stdout.write(f"{'record':40} {'docs':>5} {'fired':>6} {'agreed':>7}\n")
    for rule_id, count in counts.items():
        share = f"{count['agreed'] / count['fired']:.0%}" if count["fired"] else "-"
        sys.stdout.write(f"{rule_id:40} {count['documents']:5d} {count['fired']:6d} {share:>7}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
