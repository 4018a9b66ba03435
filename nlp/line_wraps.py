"""Prose wrapped at a fixed width (a wire service's archive, the text of a PDF) read as the
running text it is.

The sentence splitter ends a sentence at every line break, which notices and regulations need
("Notice ID: ...", "Item 1. ..."). In hard-wrapped prose that cuts every sentence in pieces,
and a seller and its deal end up in different "sentences" ("X signed an agreement in" / "2010
to supply Y with 23 million pounds of uranium"). Here the breaks inside wrapped paragraphs
become spaces: one character for one, so no offset moves.
"""

from __future__ import annotations

import re
from itertools import pairwise

# a list's item: "- ", "• ", "· ", "o " (a word processor's second-level bullet), "1. ", "(a) "
_LIST_ITEM = re.compile(r"\s*(?:[-•*▪–·●◦o]|\(?[0-9a-z]{1,2}[.)])\s+\S")
# "Contract Award Date: ...": a labelled field is a line of its own
_LABEL = re.compile(r"\s*[A-Z][\w /()&.,'-]{0,48}:(?:\s|$)")
# a line that stops mid-sentence: on a word, a figure or a comma
_OPEN_END = re.compile(r"[\w,]$")
_CONTINUES = re.compile(r"\s*[a-z0-9(]")
_SENTENCE_END = re.compile(r"[.!?;:]$")

# the fewest breaks in mid-sentence ("will begin" / "exporting uranium") that show a text is
# wrapped: one can be a heading's accident
_WRAPPED_BREAKS = 2
# a line that ends this near the text's usual width (its long lines' length) was wrapped
_NEAR_WIDTH = 0.75


def _prose(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and "|" not in stripped  # a table's row
        and "  " not in stripped  # columns aligned with spaces
        and _LIST_ITEM.match(line) is None
        and _LABEL.match(line) is None
    )


def soft_wrapped(text: str) -> str:
    """`text` with the line breaks inside its wrapped paragraphs as spaces; unchanged where it
    shows no wrapping. A break stays where a line ends a sentence short of the width (a
    heading, a paragraph's last line), ends with a colon, or where either line is a list item,
    a labelled field or a table's row."""
    lines = text.split("\n")
    # (whether each line and the one after it are prose, read once for both passes)
    pairs = [
        (line, following, both)
        for (line, following), both in zip(
            pairwise(lines), (a and b for a, b in pairwise(map(_prose, lines))), strict=True
        )
    ]
    breaks = sum(
        1
        for line, following, both in pairs
        if both and _OPEN_END.search(line.rstrip()) and following[:1].islower()
    )
    if breaks < _WRAPPED_BREAKS:
        return text
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.split()) >= 4)
    width = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    joined: list[str] = []
    for line, following, both in pairs:
        end = line.rstrip()
        soft = (
            both
            and not end.endswith(":")
            and (
                _CONTINUES.match(following) is not None
                or (_SENTENCE_END.search(end) is None and len(end) >= _NEAR_WIDTH * width)
            )
        )
        joined.append(line + (" " if soft else "\n"))
    joined.append(lines[-1])
    return "".join(joined)
