"""minwatch extraction: document text in, `DocumentFacts` out (pure: no I/O but its own data)."""

from nlp.evalformat import eval_record, parse_header
from nlp.extractor import EXTRACTOR_VERSION, Extractor

__all__ = ["EXTRACTOR_VERSION", "Extractor", "eval_record", "parse_header"]
