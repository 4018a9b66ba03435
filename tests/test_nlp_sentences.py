"""The sentence splitter: line breaks always end a sentence (notices are line-structured),
punctuation ends one unless it closes an abbreviation, and Chinese full stops end one."""

from __future__ import annotations

from itertools import pairwise

import spacy

from minwatch import nlp  # noqa: F401  (registers the components)
from minwatch.nlp.base import sentence_starts, text_of


def _sentences(text: str, language: str = "en") -> list[str]:
    pipeline = spacy.blank(language)
    pipeline.add_pipe("minwatch_sentences")
    doc = pipeline(text)
    starts = [*sentence_starts(doc), len(text_of(doc))]
    return [text_of(doc)[a:b].strip() for a, b in pairwise(starts)]


def test_lines_and_full_stops_end_sentences_abbreviations_do_not() -> None:
    text = (
        "Notice ID: SP8000-26-R-0001\n"
        "Contract Opportunity Type: Solicitation\n"
        "DLA Strategic Materials, Fort Belvoir, Va. seeks 300 short tons of antimony. "
        "Offers are due Jan. 5. The U.S. Army is not a party!"
    )
    assert _sentences(text) == [
        "Notice ID: SP8000-26-R-0001",
        "Contract Opportunity Type: Solicitation",
        "DLA Strategic Materials, Fort Belvoir, Va. seeks 300 short tons of antimony.",
        "Offers are due Jan. 5.",
        "The U.S. Army is not a party!",
    ]


def test_chinese_full_stops_end_sentences() -> None:
    text = "商务部决定对锑实施出口管制。公告自发布之日起施行；特此公告。"
    assert _sentences(text, "zh") == [
        "商务部决定对锑实施出口管制。",
        "公告自发布之日起施行；",
        "特此公告。",
    ]


def test_a_long_document_splits_in_linear_time() -> None:
    """51,000 tokens: assigning starts token by token made spaCy rescan the doc each time."""
    text = "Cobalt rose. " * 17_000
    sentences = _sentences(text)
    assert len(sentences) == 17_000 and sentences[0] == "Cobalt rose."
