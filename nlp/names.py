"""Where a company's name ends: the words that carry a name on, the words a company's name
ends with, the places that are no company, and the names in a coordination ("A and B").

One reader of `role_features.json` and the place list for every component that splits or
checks names, so that the statistical model's entities and the rules' candidates are cut by
the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from minwatch.nlp.base import before_possessive, load_data_file
from minwatch.nlp.org_aliases import name_key

# Between two names: "A and B", "A & B" (the next name begins with a capital or a digit).
_SPELLED_AFTER = re.compile(r"\s*\((?P<short>[A-Z][A-Z&]{2,9})\)")
_JOINT = re.compile(r"[ \t]+(and|&)[ \t]+(?=[A-Z0-9])")
_COMMA_BEFORE_CAPITAL = re.compile(r",[ \t]+(?=[A-Z])")
# A dangling "and" at a span's end is no part of a name ("Fallowmere Smelting and").
JOINT_AT_END = re.compile(r"[ \t]+(?:and|&)$")
# "A (ABC) and B Ltd": the bracketed short form belongs to A, and is no part of its name.
_BRACKETED_END = re.compile(r"[ \t]+\([A-Z][\w&'’-]*\)$")
_LIST_BEFORE = re.compile(r",[ \t]*$")
# "(Kelso) and B Inc.": a bracketed short form left of an "and" is the previous name's
_ONLY_SHORT_FORM = re.compile(r"\([^()]*\)")
# "... Mining and Refining Plant": the second trade and the kind of works of a name
_SECOND_TRADE = re.compile(
    r"[ \t]+and[ \t]+(?:Processing|Metallurgical|Smelting|Chemical|Refining|Beneficiation)"
    r"[ \t]+(?:Works|Combine|Combinat|Plant|Complex|Company|Enterprise)\b"
)
# "Far Ridge Copper (FRC)": capitalised words, then a bracketed short form
_WORDS_THEN_SHORT_FORM = re.compile(
    r"((?:[ \t]+[A-Z][\w&'’-]*){1,3})[ \t]*\(([A-Z][A-Za-z]{1,7})\)"
)
_NOT_INITIALS = frozenset(
    {"of", "and", "&", "the", "de", "du", "des", "la", "le", "van", "von", "der", "del", "for"}
)
# "Ministry of Ports" before an "and": an institution's head and its "of" phrase, which
# the "and" may go on (up to three capitalised words after "of")
_OF_PHRASE_BEFORE = re.compile(
    r"(?:^|(?<=\s))(?P<head>[A-Z][a-z]+)[ \t]+of[ \t]+(?:the[ \t]+)?(?:[A-Z][\w'’-]*[ \t]+){0,2}"
    r"[A-Z][\w'’-]*$"
)
# "(CMT)": a bracketed short form in capitals
_SHORT_FORM = re.compile(r"[ \t]*\((?P<short>[A-Z][A-Z0-9]{1,5})\)")


def officer_after(titles: Iterable[str]) -> re.Pattern[str]:
    """What follows a company named as a quoted officer's employer: "X (ASX: XR) executive
    chairman", "X's chief executive" (match at the name's end)."""
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    # (a ticker inside the listing, "(ASX:XR)", is followed by the bracket's end)
    return re.compile(rf"(?:['’]s)?\)?\s*(?:\([^)]{{0,40}}\)\s*)?(?:{alternatives})\b", re.I)


@dataclass(frozen=True)
class NameWords:
    # Words that carry a name on past an "and" ("Harbor Mining and Refining Co"); after any
    # other word the "and" joins two names ("Rio Verde and Calloway Chemicals Company").
    continues: frozenset[str]
    # In a comma list a mineral's word begins the next name ("A, B Energy and Uranium X
    # Corp"); only a trade's word or a legal form carries the name on.
    list_continues: frozenset[str]
    # Words a company's name ends with: a trade's, a mineral's, a legal form.
    company_ends: frozenset[str]
    # Legal forms without their dots ("sa" for "S.A.").
    suffixes: frozenset[str]
    # Countries, regions and cities, as `name_key` writes them.
    places: frozenset[str]
    # Heads of institutions' names whose "of" phrase may hold an "and" ("Ministry of Ports
    # and Inland Waterways").
    of_heads: frozenset[str] = frozenset()

    @classmethod
    @cache
    def load(cls) -> NameWords:
        """From the shipped data files (for readers that are no pipeline component)."""
        places = load_data_file("organizations.json")["places"]
        return cls.build(load_data_file("role_features.json"), places)

    @classmethod
    def build(cls, lexicon: Mapping[str, list[str]], places: Iterable[str]) -> NameWords:
        """From `role_features.json`'s word lists and the place list of `organizations.json`."""
        minerals = frozenset(lexicon["mineral_name_words"])
        ends = frozenset(lexicon["industry_words"] + lexicon["corporate_suffixes"]) | minerals
        continues = ends | frozenset(lexicon["name_joint_words"])
        return cls(
            continues=continues,
            list_continues=continues - minerals,
            company_ends=ends,
            suffixes=frozenset(lexicon["corporate_suffixes"]),
            places=frozenset(name_key(p) for p in places),
            of_heads=frozenset(lexicon["of_phrase_heads"]),
        )

    def _carries_on(self, joint: str, before: str, after: str, rest: str) -> bool:
        """Outside a list: the joint is inside one name ("Smith & Sons", "Mining and Refining
        Co", "X Alloys and Castings Inc.")."""
        if joint == "&" or after in self.continues:
            return True
        words = rest.split()
        legal_end = (
            bool(words) and words[-1].replace(".", "").strip(",").casefold() in self.suffixes
        )
        # "X Alloys and Castings Inc." is one name; "X Materials and Velda Metals Inc." two:
        # a name of its own (a word, then the trade's word) follows the joint
        core = [
            w.strip(",").casefold()
            for w in re.sub(r"\([^()]*\)", " ", rest).split()
            if w.replace(".", "").strip(",").casefold() not in self.suffixes
        ]
        named = len(core) >= 2 and core[-1] in self.continues
        return before in self.continues and legal_end and not named

    def _comma_parts(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        parts, lo = [], start
        for comma in _COMMA_BEFORE_CAPITAL.finditer(text, start, end):
            following = text[comma.end() : end].split(maxsplit=1)
            if following and following[0].replace(".", "").strip(",").casefold() in self.suffixes:
                continue
            parts.append((lo, comma.start()))
            lo = comma.end()
        parts.append((lo, end))
        return parts

    @staticmethod
    def through_short_form(text: str, start: int, end: int) -> int:
        """Where a name ends when the words after it belong to it, as its bracketed short form
        shows: the model's "Far Ridge" in "Far Ridge Copper (FRC)" ends after "Copper"."""
        # "Velda Mining and Refining Plant": a works named for its two trades is one name
        # (the model stops at the "and")
        # (the model may keep the "and": "Velda Mining and")
        stem_end = dangling.start() if (dangling := JOINT_AT_END.search(text, start, end)) else end
        if text[start:stem_end].endswith(" Mining") and (
            joint := _SECOND_TRADE.match(text, stem_end)
        ):
            return joint.end()
        found = _WORDS_THEN_SHORT_FORM.match(text, end)
        if found is None:
            return end
        words = text[start : found.end(1)].split()
        initials = "".join(w[0] for w in words if w.casefold() not in _NOT_INITIALS)
        return found.end(1) if initials.upper() == found.group(2).upper() else end

    @staticmethod
    def spelled_before(text: str, bracket: int) -> int | None:
        """Where the name begins whose initials the short form at `bracket` spells, in
        capitalised words and the particles names carry: "Compagnie Minière de Tantale
        (CMT)"; None when the words before do not spell it."""
        found = _SHORT_FORM.match(text, bracket)
        if found is None:
            return None
        short = found.group("short")
        words = list(re.finditer(r"[^\s()]+", text[max(0, bracket - 160) : bracket]))
        offset = max(0, bracket - 160)
        initials = ""
        for word in reversed(words):
            token = word.group()
            if token in _NOT_INITIALS:
                continue  # a particle inside the name ("du")
            if not (token[:1].isupper() or token.isdigit()):
                return None
            initials = (token if token.isdigit() else token[0]) + initials  # "Kelso 25 (K25)"
            if initials == short:
                return offset + word.start()
            if not short.endswith(initials):
                return None
        return None

    def is_place(self, name: str) -> bool:
        return name_key(name) in self.places

    def coordinated(
        self, text: str, start: int, end: int, *, drop_places: bool = True
    ) -> list[tuple[int, int]]:
        """The names in `text[start:end]`: one, unless an "and" (or "&") joins two.

        At the end of a comma list ("..., A Metals and B Mining") a joint splits unless the
        word after it carries the name on; elsewhere an "and" splits unless the word after it
        does, or the word before it does and a legal form ends the whole ("Harbor Alloys and
        Castings Inc." is one name, "Harbor Mining and Calloway" two), and an "&" never does
        ("Smith & Sons"). A dangling "and" or an unclosed bracket at the end is dropped, as
        are a member's bracketed short form and possessive ending; with `drop_places`, a
        member that is a place ("Canada and X Corp.") is no name.
        """
        if dangling := JOINT_AT_END.search(text, start, end):
            end = dangling.start()
        # "Penrose Metals (Penrose": the model ran into a bracket it did not close
        if (bracket := text.rfind(" (", start, end)) > start and ")" not in text[bracket:end]:
            end = bracket
        # "Kelso Steel and Harlow Metal Corporation (KSHMC)": a short form spelling the
        # capitals of the whole span makes it one name, its "and" included
        short = _SPELLED_AFTER.match(text, end)
        if short is not None and "".join(
            w[0] for w in text[start:end].split() if w[:1].isupper()
        ) == short.group("short").replace("&", ""):
            return [(start, end)]
        in_list = _LIST_BEFORE.search(text, max(0, start - 3), start) is not None
        members, lo = [], start
        for joint in _JOINT.finditer(text, start, end):
            following = text[joint.end() : end].split(maxsplit=1)
            after = following[0].strip(",.").casefold() if following else ""
            before = (text[lo : joint.start()].rsplit(maxsplit=1) or [""])[-1].casefold()
            head = _OF_PHRASE_BEFORE.search(text, lo, joint.start())
            if head is not None and head.group("head").casefold() in self.of_heads:
                continue
            if in_list:
                if after in self.list_continues:
                    continue
            elif self._carries_on(joint.group(1), before, after, text[joint.end() : end]):
                continue
            alias = _BRACKETED_END.search(text, lo, joint.start())
            members.append((lo, alias.start() if alias else joint.start()))
            lo = joint.end()
        members.append((lo, end))
        # "Kessel, Harlow Nickel": a comma before a capital parts two names, unless a legal
        # form follows it ("Harbor Alloys, Inc.", "X Co., Ltd.")
        members = [part for a, b in members for part in self._comma_parts(text, a, b)]
        several = len(members) > 1
        return [
            (a, before_possessive(text, a, b))
            for a, b in members
            if not (drop_places and several and self.is_place(text[a:b]))
            and not _ONLY_SHORT_FORM.fullmatch(text, a, b)
        ]
