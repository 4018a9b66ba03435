"""minwatch extraction: document text in, `DocumentFacts` out (pure: no I/O but its own data)."""

from minwatch.nlp.evalformat import eval_record, parse_header
from minwatch.nlp.extractor import EXTRACTOR_VERSION, ExtractionPool, Extractor

__all__ = ["EXTRACTOR_VERSION", "ExtractionPool", "Extractor", "eval_record", "parse_header"]
