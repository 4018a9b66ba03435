"""Company names as people write them, from registries that write them in capitals."""

from __future__ import annotations

import re

# Words a name keeps in lower case after its first word ("Bank of the West", "Casa da Moeda").
_PARTICLES = frozenset(
    {"of", "and", "the", "de", "du", "des", "da", "do", "van", "von", "der", "y"}
)
# Corporate suffixes in their usual written form.
_SUFFIXES = {
    "INC": "Inc",
    "CORP": "Corp",
    "CO": "Co",
    "LTD": "Ltd",
    "LLC": "LLC",
    "LP": "LP",
    "LLP": "LLP",
    "PLC": "plc",
    "AG": "AG",
    "SA": "SA",
    "NV": "NV",
    "BV": "BV",
    "GMBH": "GmbH",
    "USA": "USA",
    "US": "US",
    "UK": "UK",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\S")


def display_name(name: str, context: str = "") -> str:
    """`name` as written in running text when a registry gives it in capitals.

    "KESTREL ANTIMONY CORPORATION" becomes the spelling `context` uses for it (the
    notice's own description), else "Kestrel Antimony Corporation": each word
    capitalised, particles in lower case, suffixes in their usual form, and a word without a
    vowel ("GTP", "MSC") kept as an acronym. A name already in mixed case is returned as is.
    """
    if not name or any(c.islower() for c in name):
        return name
    words = name.split()
    pattern = r"\W+".join(re.escape(w.strip(".,")) for w in words if w.strip(".,"))
    if context and pattern:
        for found in re.finditer(pattern, context, re.IGNORECASE):
            if any(c.islower() for c in found.group()):
                return found.group() + name[len(name.rstrip(".")) :]
    out = []
    for index, word in enumerate(words):
        core = word.strip(".,")
        upper = core.upper()
        if upper in _SUFFIXES:
            written = _SUFFIXES[upper]
        elif index and core.lower() in _PARTICLES:
            written = core.lower()
        elif not re.search(r"[AEIOUY]", upper) or any(c.isdigit() for c in core):
            written = core  # "GTP", "5N": an acronym or a code
        else:
            written = "-".join(part.capitalize() for part in core.split("-"))
        out.append(word.replace(core, written, 1) if core else word)
    return " ".join(out)
