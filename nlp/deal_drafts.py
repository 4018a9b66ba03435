"""The parts every reader of deals shares: a line being drafted, the figure a line takes, the
cue lists compiled to patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from minwatch.nlp.base import AmountHit, MineralHit, phrase_regex


def cue_phrases(phrases: list[str], flags: int = re.I) -> re.Pattern[str]:
    return phrase_regex(phrases, flags, hyphen_after=False)


def zh_cue_phrases(phrases: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


@dataclass
class Draft:
    """A procurement line while it is read: its figures stay hits, so the checks after it
    (a floor retold precisely, a yearly figure told after, a total of yearly ones) see their
    words and places."""

    mineral: str
    usd: AmountHit | None = None
    tonnes: AmountHit | None = None
    suppliers: list[str] = field(default_factory=list)
    sentence: str = ""
    start: int = 0
    # the clause the deal was read from: a later "the Ostfeld contract" or "The DLA
    # contract" points at the line whose clause names that party
    span: tuple[int, int] = (0, 0)
    # the text says its seller is not named ("from an undisclosed company")
    unnamed: bool = False
    # an item of a list of awardees: its figure-less line is its awardee's own
    listed: bool = False
    # read from a call for offers ("issued a solicitation to purchase ..."), seller not chosen
    call: bool = False


def pick_figure(candidates: list[AmountHit]) -> AmountHit | None:
    """A stated yearly figure wins over a total; otherwise the first figure. A floor (an
    IDIQ's minimum) is the value only when nothing else is stated."""
    if not candidates:
        return None
    candidates = [c for c in candidates if not c.minimum] or candidates
    # ("at least 20,000 tonnes and up to 35,000 tonnes": the ceiling; but "at least 20,000
    # tonnes and a further 5,000" keeps its floor)
    if any(c.bound == "upper" for c in candidates):
        candidates = [c for c in candidates if not c.at_least] or candidates
    # (a range's upper end stands for it: "30,000-35,000 tonnes" is up to 35,000)
    candidates = [c for c in candidates if c.bound != "low"] or candidates
    yearly = [c for c in candidates if c.per_year]
    return (yearly or candidates)[0]


def main_mineral(minerals: list[MineralHit]) -> str | None:
    """The mineral a document is about: the one it names most, a title's mention counting
    twice."""
    counts: dict[str, int] = {}
    for mineral in minerals:
        for canonical in mineral.canonicals:
            counts[canonical] = counts.get(canonical, 0) + (2 if mineral.in_title else 1)
    if not counts:
        return None
    return max(counts, key=lambda c: counts[c])


def unique(values: Any) -> list[str]:
    """The non-empty values in their first order, each once."""
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen
