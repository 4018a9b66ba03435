"""`minwatch_deal_lines`: deals of a mineral the rules made no line of.

The procurement rules make a line where a construction they know ties a mineral to a deal; a
deal told in other words ("The offtake covers the whole output of the mine's ore", a Chinese
related-party text stating no figure) leaves its mineral without a line. This component reads,
for every mineral the document talks about, the words of the sentences that name it and of the
title, and what the rules and the role model found there (lines, figures, sellers), and a
linear model trained on the annotated documents (`python -m minwatch.nlp.train_deal_lines`, see
docs/extraction.md) says whether the document reports a deal of that mineral. Where it does and
the rules made no line, the mineral gets one: its seller is the document's one seller, if it
has exactly one, else none. It never removes a line.

Features are words, never names: an English word written with a capital (a company, a place,
a person) is left out, and so is a Chinese bigram inside a name the pipeline found. The weights
are a data file pinned by its SHA-256, as the role model's are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from minwatch.nlp.base import (
    AmountHit,
    MineralHit,
    OrgHit,
    PinnedModelComponent,
    sentence_bounds,
    spoken_of,
    text_of,
)
from minwatch.nlp.facts import ProcurementLine

MODEL_FILE = "deal_lines.json"
# Pinned: a model file with another digest is refused (retrain, review, then update this).
MODEL_SHA256 = "49fdd3eed3617ab74cb154b616aedb7b2b02eb04a856a821ba123103fdd58d83"

# lower-case English words (a capital marks a name); Han bigrams (no spaces to split words)
_EN_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z'-]+(?![A-Za-z])")
_HAN_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")


@Language.factory(
    "minwatch_deal_lines",
    default_config={"model_file": MODEL_FILE, "model_sha256": MODEL_SHA256, "threshold": None},
)
def make_deal_lines(
    nlp: Language,
    name: str,
    *,
    model_file: str,
    model_sha256: str,
    threshold: float | None,
) -> DealLines:
    return DealLines(
        nlp, name, model_file=model_file, model_sha256=model_sha256, threshold=threshold
    )


class DealLines(PinnedModelComponent):
    pinned_in = "nlp/deal_lines.py"

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        model_file: str = MODEL_FILE,
        model_sha256: str = MODEL_SHA256,
        threshold: float | None = None,
    ) -> None:
        super().__init__(
            nlp, name, model_file=model_file, model_sha256=model_sha256, threshold=threshold
        )
        # Training sets this to read every mineral's features before the model adds a line.
        self.collect: Callable[[Doc, dict[str, frozenset[str]]], None] | None = None

    def compile(self) -> None:
        self.read_model(1.0)

    def process(self, doc: Doc) -> None:
        features = mineral_features(doc)
        if self.collect is not None:
            self.collect(doc, features)
        if not self.weights or not features:
            return
        lines: list[ProcurementLine] = list(doc._.minwatch_lines or [])
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        sellers = list(dict.fromkeys(o.canonical or o.text for o in orgs if o.supplier))
        text = text_of(doc)
        for mineral, found in features.items():
            if any(line.mineral == mineral for line in lines):
                continue
            if self.probability(found) <= self.threshold:
                continue
            # its seller: the one seller named beside the mineral, else the document's one
            beside = _sellers_beside(doc, orgs, mineral) or sellers
            lines.append(
                ProcurementLine(
                    mineral=mineral,
                    suppliers=(beside[0],) if len(beside) == 1 else (),
                    sentence=_first_sentence(doc, text, mineral),
                )
            )
        doc._.minwatch_lines = lines

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DealLines:
        super().from_disk(path, exclude=exclude)
        return self


def mineral_features(doc: Doc) -> dict[str, frozenset[str]]:
    """Per mineral the document talks about, the features the model reads."""
    text = text_of(doc)
    zh = doc.lang_ == "zh"
    title_end: int = doc._.minwatch_title_end or 0
    orgs: list[OrgHit] = doc._.minwatch_orgs or []
    hits = spoken_of(doc, doc._.minwatch_minerals or [], orgs)
    amounts: list[AmountHit] = doc._.minwatch_amounts or []
    lines: list[ProcurementLine] = doc._.minwatch_lines or []
    sellers = {o.canonical or o.text for o in orgs if o.supplier}
    order = list(
        dict.fromkeys(c for h in sorted(hits, key=lambda h: h.start) for c in h.canonicals)
    )
    words = _han_pairs if zh else _en_words
    title_words = {f"t:{w}" for w in words(text[:title_end], orgs, 0)}
    common = {
        "zh" if zh else "en",
        f"minerals:{_bucket(len(order))}",
        f"sellers:{_bucket(len(sellers))}",
        *(["doc_lines"] if lines else []),
        *title_words,
    }
    features: dict[str, frozenset[str]] = {}
    for mineral in order:
        own: list[MineralHit] = [h for h in hits if mineral in h.canonicals]
        found = set(common)
        found.add(f"mentions:{_bucket(len(own))}")
        if order[0] == mineral:
            found.add("first_mineral")
        if any(h.in_title for h in own):
            found.add("in_title")
        if any(line.mineral == mineral for line in lines):
            found.add("rule_line")
        for lo, hi in sorted({sentence_bounds(doc, h.start) for h in own}):
            found.update(f"w:{w}" for w in words(text[lo:hi], orgs, lo))
            if any(lo <= a.start < hi and not a.excluded for a in amounts):
                found.add("sentence_figure")
            near = [o for o in orgs if lo <= o.start < hi]
            if near:
                found.add("sentence_org")
            if any(o.supplier for o in near):
                found.add("sentence_seller")
        features[mineral] = frozenset(found)
    return features


def _en_words(text: str, orgs: list[OrgHit], offset: int) -> set[str]:
    return set(_EN_WORD.findall(text))


def _han_pairs(text: str, orgs: list[OrgHit], offset: int) -> set[str]:
    # a name's characters are no words of the language around it
    chars = list(text)
    for org in orgs:
        for i in range(max(org.start - offset, 0), min(org.end - offset, len(chars))):
            chars[i] = " "
    return set(_HAN_PAIR.findall("".join(chars)))


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4+"


def _sellers_beside(doc: Doc, orgs: list[OrgHit], mineral: str) -> list[str]:
    hits: list[MineralHit] = doc._.minwatch_minerals or []
    bounds = {sentence_bounds(doc, h.start) for h in hits if mineral in h.canonicals}
    return list(
        dict.fromkeys(
            o.canonical or o.text
            for o in orgs
            if o.supplier and any(lo <= o.start < hi for lo, hi in bounds)
        )
    )


def _first_sentence(doc: Doc, text: str, mineral: str) -> str | None:
    title_end: int = doc._.minwatch_title_end or 0
    hits: list[MineralHit] = doc._.minwatch_minerals or []
    for hit in sorted(hits, key=lambda h: (h.start < title_end, h.start)):
        if mineral in hit.canonicals:
            lo, hi = sentence_bounds(doc, hit.start)
            return text[lo:hi].strip()
    return None
