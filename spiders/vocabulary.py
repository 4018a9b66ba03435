"""One mineral vocabulary for the spiders and the extractor.

The relevance filters (SAM.gov titles, Federal Register documents) match the extractor's
gazetteer, `nlp/data/minerals.jsonl`, read as data (spiders do not import nlp's Python
modules). The search terms the discovery sources send (Federal Register full-text terms, GDELT
queries) are a chosen subset, kept short for the APIs; each term must be a gazetteer name or a
declared topic word, so a term the extractor would not recognise fails at load, not silently
at night.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

NLP_DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"
MINERALS_PATH = NLP_DATA / "minerals.jsonl"
HOMONYMS_PATH = NLP_DATA / "homonyms.json"
DATA = Path(__file__).parent / "data"
EXTRA_TERMS_PATH = DATA / "relevance_terms.txt"
TOPIC_TERMS_PATH = DATA / "query_topic_terms.txt"

# A GDELT / Federal Register query: quoted phrases, bare words, OR / AND and parentheses.
_QUERY_TOKEN = re.compile(r'"([^"]+)"|([^\s()"]+)')
_OPERATORS = frozenset({"OR", "AND", "NOT"})


def data_lines(path: Path) -> list[str]:
    """The non-blank, non-comment lines of a one-entry-a-line data file."""
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@cache
def mineral_terms_pattern(
    path: Path = MINERALS_PATH, homonyms_path: Path = HOMONYMS_PATH
) -> re.Pattern[str]:
    """Whole words naming a mineral: the gazetteer's English names, except those of a mineral
    the extractor reads only in context ("lead"), which a title alone cannot settle, and the
    stockpile materials of `relevance_terms.txt` that the extractor does not report."""
    needs_context = set(json.loads(homonyms_path.read_text(encoding="utf-8"))["context_required"])
    terms = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if not needs_context & set(entry["canonical"]):
                terms.update(entry["en"])
    terms.update(data_lines(EXTRA_TERMS_PATH))

    def alternative(term: str) -> str:
        escaped = re.escape(term).replace(r"\ ", r"[\s-]+")
        # Acronyms keep their case (REE, PGM), as in the extractor.
        return f"(?-i:{escaped})" if any(c.isupper() for c in term) else escaped

    alternatives = "|".join(alternative(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"\b(?:{alternatives})s?\b", re.IGNORECASE)


def names_mineral(text: str | None) -> bool:
    return bool(text) and mineral_terms_pattern().search(text or "") is not None


def query_terms(query: str) -> list[str]:
    """The search terms of a query: its quoted phrases and bare words, operators left out."""
    return [
        phrase or word
        for phrase, word in _QUERY_TOKEN.findall(query)
        if (phrase or word) not in _OPERATORS
    ]


@cache
def topic_terms(path: Path = TOPIC_TERMS_PATH) -> frozenset[str]:
    return frozenset(t.casefold() for t in data_lines(path))


def unknown_terms(terms: Iterable[str]) -> list[str]:
    """The terms that name no mineral of the vocabulary and are no declared topic word."""
    pattern = mineral_terms_pattern()
    return [
        t for t in terms if t.casefold() not in topic_terms() and not pattern.fullmatch(t.strip())
    ]


def checked_terms(terms: list[str], path: Path) -> list[str]:
    """`terms` (read from `path`), refused with a sentence naming each term outside the
    vocabulary."""
    unknown = unknown_terms(terms)
    if unknown:
        raise ValueError(
            f"{path.name}: {', '.join(repr(t) for t in unknown)} "
            f"{'is' if len(unknown) == 1 else 'are'} neither an unambiguous mineral name of "
            f"{MINERALS_PATH.name} (or {EXTRA_TERMS_PATH.name}) nor a topic word of "
            f"{TOPIC_TERMS_PATH.name}; the spiders search only what the extractor recognises."
        )
    return terms
