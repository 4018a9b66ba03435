"""minwatch extraction: document text in, `DocumentFacts` out (pure: no I/O but its own data)."""

from nlp.evalformat import eval_record, parse_header
from nlp.extractor import EXTRACTOR_VERSION, ExtractionPool, Extractor

__all__ = ["EXTRACTOR_VERSION", "ExtractionPool", "Extractor", "eval_record", "parse_header"]
