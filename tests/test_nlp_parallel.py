"""Extraction over worker processes gives exactly the single-process facts, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from minwatch.nlp import ExtractionPool, Extractor, parse_header

DEV_DOCS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "docs"
CHALLENGE_DOCS = Path(__file__).resolve().parent / "data" / "extraction_challenge" / "docs"


def test_two_processes_match_one() -> None:
    paths = sorted(CHALLENGE_DOCS.glob("*.txt"))
    if DEV_DOCS.is_dir():
        paths += sorted(DEV_DOCS.glob("*.txt"))
    assert len(paths) >= 19
    items = []
    for path in paths:
        headers, body = parse_header(path.read_text(encoding="utf-8"))
        options = {"language": headers.get("Language", "en"), "title": headers.get("Title")}
        items.append((body, options))
    extractor = Extractor()
    single = list(extractor.extract_many(items))
    # a small batch so several windows and chunks are exercised
    parallel = list(extractor.extract_many(iter(items), n_process=2, batch_size=4))
    assert parallel == single
    assert any(facts.procurements for facts in single)


def test_a_bad_option_in_a_worker_surfaces_as_an_error() -> None:
    with pytest.raises(TypeError):
        list(Extractor().extract_many([("Antimony.", {"colour": "blue"})], n_process=2))


def test_one_pool_serves_several_batches() -> None:
    """A night's sources share one pool: the second batch needs no new workers."""
    texts = [
        ("DLA awarded Acme Antimony Inc. a $12 million contract for 400 tonnes of antimony.", {}),
        ("The price of cobalt fell 3% to $24,000 a tonne.", {}),
    ]
    single = list(Extractor().extract_many(texts))
    with ExtractionPool(2, batch_size=1) as pool:
        first = list(pool.extract_many(texts))
        workers = {p.pid for p in pool._pool._pool}  # type: ignore[attr-defined]
        second = list(pool.extract_many(reversed(texts)))
        assert {p.pid for p in pool._pool._pool} == workers  # type: ignore[attr-defined]
    assert first == single and second == single[::-1]
    assert [line.mineral for line in first[0].procurements] == ["antimony"]


def test_a_pool_needs_two_processes() -> None:
    with pytest.raises(ValueError, match="at least 2 processes"):
        ExtractionPool(1)
