"""The evaluation set's file conventions: header block in, scorer JSON object out."""

from __future__ import annotations

import re

from minwatch.nlp.facts import DocumentFacts

HEADER_FIELDS = ("Title", "Source", "Date", "Language")
_HEADER_LINE = re.compile(r"^(?P<key>" + "|".join(HEADER_FIELDS) + r"):[ \t]*(?P<value>.*)$")


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split a leading "Title:/Source:/Date:/Language:" block (ended by a blank line) from the
    body. Text without such a block comes back whole with no headers."""
    headers: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        match = _HEADER_LINE.match(lines[index].rstrip("\r\n"))
        if not match:
            break
        headers[match.group("key")] = match.group("value").strip()
        index += 1
    if not headers:
        return {}, text
    if index < len(lines) and lines[index].strip():
        # a header-looking first line not followed by a blank line is body text
        return {}, text
    return headers, "".join(lines[index + 1 :])


def eval_record(doc_name: str, facts: DocumentFacts) -> dict[str, object]:
    return {
        "doc": doc_name,
        "minerals": list(facts.minerals),
        "money": [
            {"text": m.text, "usd": m.usd, "bound": m.bound, "currency": m.currency}
            for m in facts.money
        ],
        "quantities": [
            {"text": m.text, "tonnes": m.tonnes, "bound": m.bound} for m in facts.quantities
        ],
        "suppliers": list(facts.suppliers),
        "procurements": [
            {
                "mineral": line.mineral,
                "usd": line.usd,
                "tonnes": line.tonnes,
                "suppliers": list(line.suppliers),
            }
            for line in facts.procurements
        ],
    }
