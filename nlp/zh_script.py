"""Chinese written in Traditional characters, read by the rules written for Simplified ones.

Hong Kong and Taiwan outlets, and some mainland filings, publish in Traditional characters
("鋰精礦", "萬噸"). The Chinese rules and the gazetteer are written in Simplified characters,
so a Traditional text is read through a one-character-for-one mapping (OpenCC's character
table, `nlp/data/zh_traditional.tsv`). Offsets are unchanged by it, so every name and figure
found in the mapped text is given back in the text's own characters.
"""

from __future__ import annotations

import re

from minwatch.nlp.base import DATA_DIR, HAN

_HAN = re.compile(f"[{HAN}]")
# A Simplified text uses a few characters of the table too ("著" in 著名): a text counts as
# Traditional only when a clear share of its Han characters changes.
TRADITIONAL_SHARE = 0.05


class Simplifier:
    def __init__(self, table: dict[str, str]) -> None:
        self._table = str.maketrans(table)
        self._traditional = frozenset(table)

    @classmethod
    def load(cls, name: str = "zh_traditional.tsv") -> Simplifier:
        table: dict[str, str] = {}
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            traditional, simplified = line.split("\t")
            if len(traditional) != 1 or len(simplified) != 1:
                raise ValueError(f"{name}: {line!r} maps more than one character")
            table[traditional] = simplified
        return cls(table)

    def simplify(self, text: str) -> str | None:
        """The text in Simplified characters, or None when it is not written in Traditional
        ones. The result has the same length: an offset into it is an offset into `text`."""
        han = len(_HAN.findall(text))
        if not han:
            return None
        changed = sum(1 for c in text if c in self._traditional)
        if changed < TRADITIONAL_SHARE * han:
            return None
        return text.translate(self._table)
