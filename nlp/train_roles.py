"""Train the supplier-role model of `minwatch_supplier_roles` on the annotated documents.

    .venv/bin/python -m minwatch.nlp.train_roles           # writes nlp/data/supplier_roles.json
    .venv/bin/python -m minwatch.nlp.train_roles --cross-validate   # held-out scores, no write

The recipe (sets, regularisation, iterations) is `nlp/data/supplier_roles.train.json`. Training
is deterministic: the same sets and recipe give the same file, byte for byte, and the command
prints its SHA-256, which `MODEL_SHA256` in nlp/roles.py must be set to before the pipeline
loads it. Each candidate is labelled by the annotation: a supplier when one of its names is a
gold supplier of its document (names compared as the scorer compares them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from minwatch.nlp.base import DATA_DIR
from minwatch.nlp.evalformat import parse_header
from minwatch.nlp.roles import MODEL_FILE, Candidate, SupplierRoles, decide, name_key

RECIPE = DATA_DIR / "supplier_roles.train.json"


@dataclass(frozen=True)
class Example:
    corpus: str
    doc: str
    name: str
    features: frozenset[str]
    label: bool
    rule_supplier: bool


@dataclass(frozen=True)
class Document:
    corpus: str
    doc: str
    gold: frozenset[str]  # name keys of the gold suppliers


def annotated(directories: Sequence[Path]) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    """(corpus, doc name, text, headers) of every English document with a gold file."""
    for directory in directories:
        for gold in sorted((directory / "gold").glob("*.json")):
            text = (directory / "docs" / f"{gold.stem}.txt").read_text(encoding="utf-8")
            headers, _ = parse_header(text)
            if not headers.get("Language", "en").lower().startswith("zh"):
                yield directory.name, gold.stem, text, headers


def collect(directories: Sequence[Path]) -> tuple[list[Example], list[Document]]:
    from minwatch.nlp.extractor import (
        Extractor,  # the real pipeline, so features are the ones it sees
    )

    extractor = Extractor(role_model=False)
    roles = extractor.pipelines["en"].get_pipe("minwatch_supplier_roles")
    assert isinstance(roles, SupplierRoles)
    roles.enabled = False
    seen: list[Candidate] = []
    roles.collect = lambda _doc, candidates: seen.extend(candidates)
    examples: list[Example] = []
    documents: list[Document] = []
    for corpus, name, text, headers in annotated(directories):
        directory = next(d for d in directories if d.name == corpus)
        gold = json.loads((directory / "gold" / f"{name}.json").read_text(encoding="utf-8"))
        keys = frozenset(name_key(s) for s in gold["suppliers"])
        documents.append(Document(corpus, name, keys))
        seen.clear()
        _, body = parse_header(text)
        extractor.extract(body, title=headers.get("Title"), language="en")
        for candidate in seen:
            label = any(name_key(m.text) in keys for m in candidate.mentions) or (
                name_key(candidate.name) in keys
            )
            examples.append(
                Example(
                    corpus,
                    name,
                    candidate.name,
                    candidate.features,
                    label,
                    candidate.rule_supplier,
                )
            )
    return examples, documents


def fit(examples: Sequence[Example], recipe: dict[str, float]) -> dict[str, object]:
    """L2-regularised logistic regression, classes weighted equally, full-batch descent."""
    documents_with = Counter(f for f in {(e.doc, f) for e in examples for f in e.features})
    by_feature = Counter(f for _, f in documents_with)
    vocabulary = sorted(f for f, n in by_feature.items() if n >= recipe["min_documents"])
    index = {f: i for i, f in enumerate(vocabulary)}
    x = numpy.zeros((len(examples), len(vocabulary) + 1))
    x[:, -1] = 1.0
    for row, example in enumerate(examples):
        for feature in example.features:
            if feature in index:
                x[row, index[feature]] = 1.0
    y = numpy.array([float(e.label) for e in examples])
    positive = max(y.mean(), 1e-6)
    weight = numpy.where(y > 0, 0.5 / positive, 0.5 / max(1 - positive, 1e-6))
    w = numpy.zeros(x.shape[1])
    penalty = numpy.full(x.shape[1], recipe["l2"])
    penalty[-1] = 0.0
    for _ in range(int(recipe["iterations"])):
        p = 1.0 / (1.0 + numpy.exp(-(x @ w)))
        gradient = (x.T @ ((p - y) * weight) + penalty * w) / len(y)
        w -= recipe["learning_rate"] * gradient
    weights = {
        f: round(float(w[i]), 4) for f, i in index.items() if abs(w[i]) >= recipe["min_weight"]
    }
    return {
        "bias": round(float(w[-1]), 4),
        "threshold": recipe["threshold"],
        "keep_threshold": recipe["keep_threshold"],
        "weights": dict(sorted(weights.items())),
    }


def score(model: dict[str, object], examples: Sequence[Example]) -> list[float]:
    weights: dict[str, float] = model["weights"]  # type: ignore[assignment]
    bias = float(model["bias"])  # type: ignore[arg-type]
    out = []
    for example in examples:
        s = bias + sum(weights.get(f, 0.0) for f in example.features)
        out.append(1.0 / (1.0 + numpy.exp(-s)))
    return out


def supplier_f1(
    chosen: dict[tuple[str, str], set[str]], documents: Sequence[Document]
) -> tuple[float, int, int, int]:
    tp = fp = fn = 0
    for document in documents:
        predicted = chosen.get((document.corpus, document.doc), set())
        tp += len(predicted & document.gold)
        fp += len(predicted - document.gold)
        fn += len(document.gold - predicted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, tp, fp, fn


def cross_validate(
    examples: Sequence[Example],
    documents: Sequence[Document],
    recipe: dict[str, float],
    thresholds: Sequence[float] = (),
) -> None:
    """Each set held out in turn: supplier F1 of the rules alone and of the model; then, over
    all held-out sets, the model's F1 at each of `thresholds` (how the recipe's was chosen)."""
    print(f"{'held-out set':24} {'rules':>7} {'model':>7}   tp fp fn")
    swept: dict[float, dict[tuple[str, str], set[str]]] = {t: {} for t in thresholds}
    for corpus in sorted({d.corpus for d in documents}):
        model = fit([e for e in examples if e.corpus != corpus], recipe)
        held = [e for e in examples if e.corpus == corpus]
        rules: dict[tuple[str, str], set[str]] = {}
        chosen: dict[tuple[str, str], set[str]] = {}
        for example, p in zip(held, score(model, held), strict=True):
            key = (example.corpus, example.doc)
            if example.rule_supplier:
                rules.setdefault(key, set()).add(name_key(example.name))
            for threshold in {recipe["threshold"], *thresholds}:
                if not decide(
                    p,
                    example.features,
                    example.rule_supplier,
                    threshold=threshold,
                    keep_threshold=recipe["keep_threshold"],
                ):
                    continue
                if threshold == recipe["threshold"]:
                    chosen.setdefault(key, set()).add(name_key(example.name))
                if threshold in swept:
                    swept[threshold].setdefault(key, set()).add(name_key(example.name))
        docs = [d for d in documents if d.corpus == corpus]
        r = supplier_f1(rules, docs)
        m = supplier_f1(chosen, docs)
        print(f"{corpus:24} {r[0]:7.3f} {m[0]:7.3f}   {m[1]} {m[2]} {m[3]}")
    for threshold, found in swept.items():
        f1, tp, fp, fn = supplier_f1(found, documents)
        print(f"all held-out sets, threshold {threshold:.2f}: F1 {f1:.4f}   {tp} {fp} {fn}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minwatch.nlp.train_roles", description=__doc__)
    parser.add_argument("--recipe", type=Path, default=RECIPE)
    parser.add_argument("--out", type=Path, default=DATA_DIR / MODEL_FILE)
    parser.add_argument("--cross-validate", action="store_true")
    parser.add_argument(
        "--thresholds",
        default="",
        help="with --cross-validate: comma-separated model thresholds to compare, e.g. 0.5,0.6",
    )
    args = parser.parse_args(argv)
    recipe, directories = read_recipe(args.recipe)
    if not directories:
        return 2
    examples, documents = collect(directories)
    hyper = {k: float(v) for k, v in recipe.items() if isinstance(v, int | float)}
    if args.cross_validate:
        thresholds = [float(t) for t in args.thresholds.split(",") if t.strip()]
        cross_validate(examples, documents, hyper, thresholds)
        return 0
    model = fit(examples, hyper)
    model = {
        "trained_on": {
            d.name: sum(1 for x in documents if x.corpus == d.name) for d in directories
        },
        "examples": len(examples),
        **model,
    }
    write_model(model, args.out)
    return 0


def read_recipe(path: Path) -> tuple[dict[str, Any], list[Path]]:
    """A training recipe and the annotated sets it names (its paths are relative to the
    repository); no sets, with the missing ones reported, when any is not there."""
    recipe: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    root = path.resolve().parents[2]
    directories = [(root / p).resolve() for p in recipe["sets"]]
    missing = [str(d) for d in directories if not (d / "gold").is_dir()]
    if missing:
        print(f"annotated sets not found: {', '.join(missing)}", file=sys.stderr)
        return recipe, []
    return recipe, directories


def write_model(model: dict[str, Any], out: Path) -> None:
    """Write a trained model as the pipeline reads it, and print the SHA-256 to pin."""
    raw = (json.dumps(model, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    out.write_bytes(raw)
    print(f"wrote {out} ({len(raw)} bytes, {len(model['weights'])} weights)")
    print(f"sha256 {hashlib.sha256(raw).hexdigest()}")


if __name__ == "__main__":
    raise SystemExit(main())
