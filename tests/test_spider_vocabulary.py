"""One mineral vocabulary: what the spiders search for and keep is what the extractor reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from minwatch.nlp.extractor import Extractor
from minwatch.spiders.federal_register import TERMS_PATH, default_search_terms
from minwatch.spiders.gdelt import QUERIES_PATH, default_queries
from minwatch.spiders.vocabulary import (
    checked_terms,
    data_lines,
    names_mineral,
    query_terms,
    topic_terms,
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _searched_terms() -> list[tuple[str, str]]:
    gdelt = [t for q in data_lines(QUERIES_PATH) for t in query_terms(q)]
    return [(QUERIES_PATH.name, t) for t in dict.fromkeys(gdelt)] + [
        (TERMS_PATH.name, t) for t in data_lines(TERMS_PATH)
    ]


def test_the_shipped_queries_load() -> None:
    assert default_queries()[1] == (
        '(export OR exports) (gallium OR germanium OR antimony OR graphite OR "rare earth")'
    )
    assert default_search_terms().startswith("gallium OR germanium OR antimony OR graphite OR ")


@pytest.mark.parametrize(("source_file", "term"), _searched_terms())
def test_every_searched_mineral_is_one_the_extractor_reports(
    extractor: Extractor, source_file: str, term: str
) -> None:
    if term.casefold() in topic_terms():
        assert not names_mineral(term)
        return
    # what the search finds, the relevance filter keeps and the extractor reads as a mineral
    assert names_mineral(f"Notice on {term} purchases")
    facts = extractor.extract(f"Buyers bid for {term} at the auction last week.")
    assert len(facts.minerals) == 1, (source_file, term, facts.minerals)


def test_query_terms_are_phrases_and_words_without_operators() -> None:
    assert query_terms('(export OR exports) AND ("rare earth" OR gallium)') == [
        "export",
        "exports",
        "rare earth",
        "gallium",
    ]


def test_a_term_outside_the_vocabulary_is_refused_with_its_file_and_term(
    tmp_path: Path,
) -> None:
    queries = tmp_path / "gdelt_queries.txt"
    queries.write_text("# misspelt\n(antimonny OR gallium OR lead)\n", encoding="utf-8")
    with pytest.raises(ValueError) as refused:
        default_queries(queries)
    message = str(refused.value)
    # "lead" is a mineral the extractor reads only in context: no search term on its own
    assert message.startswith("gdelt_queries.txt: 'antimonny', 'lead' are neither")
    assert "minerals.jsonl" in message and "query_topic_terms.txt" in message

    terms = tmp_path / "federal_register_terms.txt"
    terms.write_text("gallium\ncobalt blue\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^federal_register_terms.txt: 'cobalt blue' is"):
        default_search_terms(terms)


def test_search_terms_are_english_names() -> None:
    # GDELT's DOC 2.0 API searches its English translations of articles in 65 languages (its
    # native-language search was phased out); the extractor reads the landed articles with the
    # gazetteer's names of their own language
    assert checked_terms(["Rare Earths", "critical minerals", "Tungsten"], TERMS_PATH)
    with pytest.raises(ValueError, match="'Antimon'"):
        checked_terms(["Antimon"], TERMS_PATH)
