"""Train the deal-line model of `minwatch_deal_lines` on the annotated documents.

    .venv/bin/python -m minwatch.nlp.train_deal_lines            # writes nlp/data/deal_lines.json
    .venv/bin/python -m minwatch.nlp.train_deal_lines --holdout-after 50   # time split, no write

The recipe (sets, regularisation, iterations, threshold) is `nlp/data/deal_lines.train.json`.
Each example is one mineral of one document, as the pipeline sees it before this model adds a
line: labelled a deal when the document's gold has a line of that mineral. A word counts as a
feature only if it appears in `min_documents` documents of `min_sets` different sets, so the
vocabulary of one set's texts is never learnt. Training is deterministic: the same sets and
recipe give the same file, byte for byte, and the command prints its SHA-256, which
`MODEL_SHA256` in nlp/deal_lines.py must be set to before the pipeline loads it.

`--holdout-after N` trains on dev, challenge and the sets numbered up to N only, and prints,
for the later sets, how many lines the model would add at each threshold and how many of those
the gold has: how the threshold was chosen, on sets the model had not seen.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from minwatch.nlp.base import DATA_DIR
from minwatch.nlp.deal_lines import MODEL_FILE, DealLines
from minwatch.nlp.evalformat import parse_header
from minwatch.nlp.train_roles import Example, fit, read_recipe, score, write_model

RECIPE = DATA_DIR / "deal_lines.train.json"


def set_number(corpus: str) -> int:
    """dev and challenge count as 0, extraction_blind as 1, extraction_blindN as N."""
    found = re.fullmatch(r"extraction_blind(\d*)", corpus)
    return int(found.group(1) or 1) if found else 0


def collect(directories: Sequence[Path]) -> tuple[list[tuple[Example, bool]], set[str]]:
    """(example, whether the rules made a line of its mineral) for every mineral of every
    annotated document; and every organisation's name these documents give (the gold's
    suppliers and what the pipeline read as names)."""
    from minwatch.nlp.extractor import Extractor  # the real pipeline: its features

    extractor = Extractor(deal_model=False)
    seen: dict[str, frozenset[str]] = {}
    ruled: set[str] = set()

    names: set[str] = set()

    def keep(doc: Doc, features: dict[str, frozenset[str]]) -> None:
        seen.update(features)
        ruled.update(line.mineral for line in doc._.minwatch_lines or ())
        names.update(o.canonical or o.text for o in doc._.minwatch_orgs or ())

    for pipeline in extractor.pipelines.values():
        component = pipeline.get_pipe("minwatch_deal_lines")
        assert isinstance(component, DealLines)
        component.collect = keep
    examples: list[tuple[Example, bool]] = []
    for directory in directories:
        for gold_file in sorted((directory / "gold").glob("*.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            dealt = {line["mineral"] for line in gold["procurements"]}
            names.update(gold["suppliers"])
            text = (directory / "docs" / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
            headers, body = parse_header(text)
            seen.clear()
            ruled.clear()
            extractor.extract(
                body, language=headers.get("Language", "en"), title=headers.get("Title")
            )
            for mineral, features in seen.items():
                example = Example(
                    directory.name, gold_file.stem, mineral, features, mineral in dealt, False
                )
                examples.append((example, mineral in ruled))
    return examples, names


def vocabulary_filter(
    examples: Sequence[Example], names: Iterable[str], recipe: dict[str, float]
) -> list[Example]:
    """The examples with only the features seen in `min_sets` sets, less every word found
    inside an organisation's name (a name's piece is no word the model may learn)."""
    sets_with: dict[str, set[str]] = {}
    for example in examples:
        for feature in example.features:
            sets_with.setdefault(feature, set()).add(example.corpus)
    # (an English word inside a name is one of its words; a Han pair, any two of its characters)
    joined = "\n".join(names)
    name_words = set(re.findall(r"[a-z][a-z'-]+", joined.casefold()))
    allowed = {
        f
        for f, s in sets_with.items()
        if len(s) >= recipe["min_sets"]
        and not (
            f[:2] in ("w:", "t:") and (f[2:] in name_words if f[2:].isascii() else f[2:] in joined)
        )
    }
    return [
        Example(e.corpus, e.doc, e.name, e.features & allowed, e.label, e.rule_supplier)
        for e in examples
    ]


def holdout(
    examples: Sequence[tuple[Example, bool]],
    names: Iterable[str],
    after: int,
    recipe: dict[str, float],
) -> None:
    train = vocabulary_filter(
        [e for e, _ in examples if set_number(e.corpus) <= after], names, recipe
    )
    held = [(e, ruled) for e, ruled in examples if set_number(e.corpus) > after]
    model = fit(train, recipe)
    probabilities = score(model, [e for e, _ in held])
    missed = sum(1 for e, ruled in held if e.label and not ruled)
    print(f"trained on {len(train)} examples; held out {len(held)}, {missed} deals without a line")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        added = [
            e
            for (e, ruled), p in zip(held, probabilities, strict=True)
            if not ruled and p > threshold
        ]
        right = sum(1 for e in added if e.label)
        print(f"threshold {threshold:.1f}: adds {len(added)} lines, {right} of them gold")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minwatch.nlp.train_deal_lines", description=__doc__
    )
    parser.add_argument("--recipe", type=Path, default=RECIPE)
    parser.add_argument("--out", type=Path, default=DATA_DIR / MODEL_FILE)
    parser.add_argument("--holdout-after", type=int, default=None)
    args = parser.parse_args(argv)
    recipe, directories = read_recipe(args.recipe)
    if not directories:
        return 2
    hyper = {k: float(v) for k, v in recipe.items() if isinstance(v, int | float)}
    examples, names = collect(directories)
    if args.holdout_after is not None:
        holdout(examples, names, args.holdout_after, hyper)
        return 0
    train = vocabulary_filter([e for e, _ in examples], names, hyper)
    model = fit(train, hyper)
    del model["keep_threshold"]
    counts = Counter(e.corpus for e in train)
    model = {
        "trained_on": {d.name: counts[d.name] for d in directories},
        "examples": len(train),
        **model,
    }
    write_model(model, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
