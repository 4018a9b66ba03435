"""One organisation under several names: short forms, bracketed and defined aliases, the keys
names are compared by, which mentions are the same organisation, and its canonical name.

Plain functions over `OrgHit`s; nothing here reads a data file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Doc

from minwatch.nlp.base import HAN, OrgHit, text_of

_HAN = re.compile(f"[{HAN}]")
# Words that end a company's name without telling it apart ("Tarrant" is "Tarrant Corporation").
SUFFIX_WORDS = {
    "inc",
    "corp",
    "corporation",
    "co",
    "ltd",
    "llc",
    "plc",
    "limited",
    "company",
    "tbk",
    "group",
    "holdings",
    "holding",
    "sa",
    "ag",
    "gmbh",
    "nv",
    "pty",
}

# 'Wexcombe Minerals Limited ("Wexcombe" or "the Company")'
DEFINED_TERMS = re.compile(
    # after listings: 'Durrant Tungsten Corp. (TSXV: DTC) (OTCQB: DRTNF) ("Durrant")'
    r"\s*(?:\((?![^)]*[\"“])[^)]*\)\s*){0,3}\((?P<body>[^()]*[\"“][^()]*)\)"
)
_DESCRIBED_THEN_DEFINED = re.compile(
    r",[ \t]+(?:a|an)[ \t]+(?P<described>[^()\"“”;.\n]{1,120}?)[ \t]*"
    r"\((?P<body>[^()]*[\"“][^()]*)\)"
)
_AS_PARTY = re.compile(
    r",?[ \t]+as[ \t]+(?:the[ \t]+)?[\"“]?(?P<term>(?i:seller|vendor|supplier|buyer|purchaser))\b"
)
QUOTED = re.compile(r"[\"“](?:the\s+)?(?P<term>[^\"”]{1,40})[\"”]", re.I)


# The alias and role checks compare every pair of a document's mentions: the same few names
# are split into words hundreds of times, so these pure functions remember their answers.
@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A name as the rules look it up in a word list: lower case, one space, no edge dots."""
    return " ".join(name.replace("’", "'").split()).strip(" ,.").lower()


@lru_cache(maxsize=8192)
def name_words(name: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[^\w&\s]", " ", name.lower()).split())


@lru_cache(maxsize=8192)
def core_words(name: str) -> tuple[str, ...]:
    """The name's words without its trailing corporate suffixes."""
    words = name_words(name)
    end = len(words)
    while end and words[end - 1] in SUFFIX_WORDS:
        end -= 1
    return words[:end]


def same_org(short: OrgHit, long: OrgHit) -> bool:
    """Whether the shorter mention names the organisation of the longer one."""
    if short.text in long.aliases:
        return True
    return _same_names(short.text, long.text, gazetteer="gazetteer" in {short.source, long.source})


# (a document's mentions are compared pairwise, and most pairs repeat the same two names)
@lru_cache(maxsize=65536)
def _same_names(short_text: str, long_text: str, *, gazetteer: bool) -> bool:
    """Whether the shorter name names the organisation of the longer one; two names of the
    same words are one organisation unless either is a gazetteer's (a role list's) entry."""
    if name_key(short_text) == name_key(long_text):
        return True
    if _HAN.search(short_text) and len(short_text) >= 3 and short_text in long_text:
        return True  # "东岳矿业" in "华东县东岳矿业有限责任公司": a short name in the full one
    if (
        _HAN.search(short_text)
        and len(short_text) >= 3
        and _han_abbreviation(short_text, long_text)
    ):
        return True  # "北铝集团" for "北方铝业集团公司": characters picked from the full name
    short_words, long_words = core_words(short_text), core_words(long_text)
    if not short_words or not long_words:
        return False
    compact = short_text.replace(".", "")
    # ("HCl" as a press release may write "HCL": all capitals but for one)
    acronym_shaped = compact.isupper() or (
        compact.isalpha() and compact[:1].isupper() and sum(c.isupper() for c in compact) >= 2
    )
    if acronym_shaped and 2 <= len(compact) <= 6 and " " not in compact:
        # (a number is spelled whole: "Kelso 25 (K25)")
        initials = "".join(
            w if w.isdigit() else w[0] for w in name_words(long_text) if w not in {"of", "and", "&"}
        )
        initials_core = "".join(
            w if w.isdigit() else w[0] for w in long_words if w not in {"of", "and", "&"}
        )
        # "(PAC)" right after the full name is an alias (see bracketed_short_forms); an
        # acronym merely next to a name ("Tarrant Corp., QLN, ...") is another company
        # "KML" for "Kelso Mining": the acronym spells the "Limited" the text left off
        suffixed = (
            {initials_core + letter for letter in "lci"} if len(initials_core) >= 2 else set()
        )
        return compact.lower() in {initials, initials_core, long_words[0], *suffixed}
    if (
        len(short_words) == len(long_words) >= 2
        and short_words[-1] == long_words[-1]
        and all(
            s == w or (len(s) >= 3 and w.startswith(s))
            for s, w in zip(short_words, long_words, strict=True)
        )
        and short_words != long_words
    ):
        return True  # "Natl Graphite" for "National Graphite": a clipped word
    if short_words == long_words:
        # "Tarrant" and "Tarrant Corporation", "Skarholm Zinc" and "Skarholm Zinc Co., Ltd."
        return not gazetteer
    if len(short_words) < len(long_words):
        # (a name with its own legal form is a full name: "Kelso Corporation" is not "Kelso
        # Lithium Corporation", its sister or subsidiary)
        full = name_words(short_text)
        if long_words[: len(short_words)] == short_words and (
            len(full) == len(short_words) or name_words(long_text)[: len(full)] == full
        ):
            return True
        # "Kelso Lithium" of "Yunnan Kelso Lithium", "Orsa West" of "Harlow Orsa West":
        # a name of two words or more that ends the longer one
        if len(short_words) >= 2 and long_words[-len(short_words) :] == short_words:
            return True
        return (
            all(w in long_words for w in short_words)
            and short_words[0][:1].isalpha()
            and len(short_words) == 1
            and len(short_words[0]) > 3
        )
    return False


def _han_abbreviation(short: str, long: str) -> bool:
    """A Chinese short form is made of the full name's characters, in order, starting with
    its first one; a name with its own legal form ("…有限公司") is a full name, no short form."""
    if len(short) >= len(long) or short[0] != long[0] or short.endswith("公司"):
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def cluster_mentions(
    mentions: list[OrgHit], apart: frozenset[tuple[int, int]] = frozenset()
) -> list[list[OrgHit]]:
    """Group a document's mentions of one organisation ("PAC" -> its full name). `apart`
    holds pairs of mentions (by id) the text says are two ("Kelso Ridge, a subsidiary of Kelso
    Ltd"): neither joins a cluster that holds the other."""
    clusters: list[list[OrgHit]] = []

    def kept_apart(mention: OrgHit, cluster: list[OrgHit]) -> bool:
        return any((id(mention), id(m)) in apart or (id(m), id(mention)) in apart for m in cluster)

    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        homes = [
            c
            for c in clusters
            if any(same_org(mention, m) for m in c) and not kept_apart(mention, c)
        ]
        # (a short form the text defines for one name is that name's, though it begins
        # another too: "X集团" of "X集团有限公司(以下简称“X集团”)", not of "X集团Y股份…")
        home = next(
            (c for c in homes if any(mention.text in m.aliases for m in c)),
            homes[0] if homes else None,
        )
        if home is None:
            clusters.append([mention])
        else:
            home.append(mention)
    for cluster in clusters:
        cluster.sort(key=lambda m: m.start if m.start >= 0 else 10**9)
    return clusters


def canonical_name(cluster: list[OrgHit]) -> str:
    """The name as first given in full: the earliest of the longest forms."""

    def size(mention: OrgHit) -> tuple[int, int]:
        # a Chinese name is one "word": its length in characters tells the full from the short
        han = bool(_HAN.search(mention.text))
        return len(name_words(mention.text)), len(mention.text) if han else 0

    longest = max(size(m) for m in cluster)
    full = [m for m in cluster if size(m) == longest]
    return min(full, key=lambda m: m.start if m.start >= 0 else 10**9).text.strip(" ,")


# a listing right after a name, past its possessive: "Tarrant Lithium' (ASX:TLC)"
_LISTING_AFTER_NAME = re.compile(
    r"(?:['’]s?)?\s*\((?:[A-Z][A-Za-z-]{1,10}(?:\s[A-Z][a-z]+)?)\s*:\s*(?P<code>[A-Z][A-Z0-9]{1,5})\)"
)


def bracketed_short_forms(
    doc: Doc, mentions: list[OrgHit], not_a_name: Callable[[int, int], bool] = lambda a, b: False
) -> None:
    """ "Tarrant Lithium Corporation (Tarlith)": a one-word name in brackets right after a
    full name is that name's short form (a listing "(ASX: TLC)" is no bare name). The full
    name is the capitalised words before the bracket that begin with the short form's letter,
    even where the model read fewer of them or none ("and Kelso Platinum (Kelplat)", then
    "Kelplat said"): the company is named in full once, then by its short form."""
    text = text_of(doc)
    ends = {m.end: m for m in mentions if m.start >= 0}
    shorts = {
        m.text
        for m in mentions
        if m.start >= 0 and len(m.text.split()) == 1 and m.source != "gazetteer"
    }
    # "Apollo Kelso Energy (AKOE) will deliver", "a contract with Velda Persada Linden
    # (VPL)": an acronym the text defines for capitalised words that it spells, word by
    # word, names a deal's party though the model read neither (in a deal's slot only: "the
    # Annual Materials Plan (AMP)" is a document's name)
    for bracket in _ACRONYM.finditer(text):
        long = _long_form(text, bracket.start(), bracket.group("short"))
        if (
            long is not None
            and _spells(bracket.group("short"), text[long[0] : long[1]])
            and (
                _SUPPLYING_AFTER.match(text, bracket.end())
                or _PARTY_OBJECT_BEFORE.search(text, max(0, long[0] - 40), long[0])
            )
        ):
            shorts.add(bracket.group("short"))
    added: list[OrgHit] = []
    for short in sorted(shorts):
        for bracket in re.finditer(rf"\((?:[\"“])?{re.escape(short)}[\"”]?\)", text):
            lead = bracket.start()
            owner = ends.get(lead) or ends.get(lead - 1)
            long = _long_form(text, lead, short)
            if long is not None and (owner is None or long[0] < owner.start):
                start, end = long
                # "Kestrel Group Industrial (KGI)": a name read short of the words the bracket
                # spells out ("Kestrel Group") runs on to them
                cut = (
                    next((m for m in mentions if m.start == start and start < m.end < end), None)
                    if owner is None and _spells(short, text[start:end])
                    else None
                )
                if cut is not None:
                    cut.end, cut.text = end, text[start:end]
                    owner = cut
                    ends[end] = cut
                elif owner is not None and owner.end == end:
                    owner.start, owner.text = start, text[start:end]  # the model cut it short
                elif not any(
                    m.start < end and start < m.end for m in (*mentions, *added)
                ) and not not_a_name(start, end):
                    owner = OrgHit(start, end, text[start:end], "long_form")
                    added.append(owner)
                    ends[end] = owner
            if owner is not None and owner.text != short and text[owner.end] in " (":
                owner.aliases.append(short)
    # "Tarrant Lithium' (ASX:TLC) auction", then "TLC said": the ticker of a listing right
    # after a name stands for that name where the text uses it alone
    for listing in _LISTING_AFTER_NAME.finditer(text):
        code = listing.group("code")
        owner = ends.get(listing.start())
        if owner is not None and code in shorts and owner.text != code:
            owner.aliases.append(code)
    if added:
        mentions.extend(added)
        mentions.sort(key=lambda m: m.start if m.start >= 0 else 10**9)


def names_cut_short(doc: Doc, mentions: list[OrgHit]) -> None:
    """ "Toyota" read where the text goes on "Toyota Tsusho,", a name the document gives
    elsewhere: the mention is that longer name (the model cut it short here)."""
    text = text_of(doc)
    longer = sorted({m.text for m in mentions if m.start >= 0 and " " in m.text}, key=len)
    for mention in mentions:
        if mention.start < 0:
            continue
        for name in reversed(longer):
            if (
                len(name) > len(mention.text)
                and name.startswith(mention.text + " ")
                and text.startswith(name, mention.start)
                and not re.match(
                    r"[\w&'’-]", text[mention.start + len(name) : mention.start + len(name) + 1]
                )
                and not any(
                    o is not mention and mention.start < o.start < mention.start + len(name)
                    for o in mentions
                )
            ):
                mention.end = mention.start + len(name)
                mention.text = name
                break


def former_names(doc: Doc, mentions: list[OrgHit]) -> None:
    """ "Kelso Limited (formerly Orsa Limited)": a bracketed former name is the company's own
    name too (each is the other's alias, so they are one organisation)."""
    text = text_of(doc)
    ends = {m.end: m for m in mentions if m.start >= 0}
    for mention in mentions:
        if mention.start < 0:
            continue
        lead = _FORMER_BEFORE.search(text, max(0, mention.start - 40), mention.start)
        if lead is None or not text.startswith(")", mention.end):
            continue
        owner = ends.get(lead.start()) or ends.get(lead.start() - 1)
        if owner is None or owner is mention:
            continue
        owner.aliases.append(mention.text)
        mention.aliases.append(owner.text)


# "(formerly ", "(former ", "(previously known as ", "(f/k/a ": a former name follows
_FORMER_BEFORE = re.compile(
    r"\(\s*(?:former(?:ly)?|previously|f/k/a)(?:\s+(?:known\s+as|named|called))?\s+$", re.I
)


# (two to five capitalised words, "&" or "of" between them, right before the bracket)
_LONG_FORM = re.compile(
    r"(?<![\w&'’.-])(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:(?:&|of)[ \t]+)?[A-Z][\w&'’.-]*){1,4})"
    r"[ \t]*$"
)
_NOT_NAME_START = {"The", "A", "An", "In", "On", "For", "From", "By", "With", "At", "As"}
_SUPPLYING_AFTER = re.compile(
    r"\s+(?:will|would|shall|has|have|had|is\s+to|agreed\s+to)\s+(?:also\s+)?(?:provide|supply"
    r"|deliver|sell|ship|produce)\b"
)
_PARTY_OBJECT_BEFORE = re.compile(r"\b(?:with|from)\s+(?:[A-Z][\w-]*['’]s\s+)?$")
# "(AKOE)": a bracketed acronym of capitals (a digit or "&" inside)
_ACRONYM_SKIPS = frozenset({"of", "&", "and", "the"})
_ACRONYM = re.compile(r"\((?P<short>[A-Z][A-Z0-9&]{1,7})\)")


def _spells(short: str, name: str) -> bool:
    """The acronym takes every word's first letter in order ("of" and "&" may be left out),
    with other letters of a word between: "AKOE" spells "Apollo Kelso Energy"."""
    letters = short.casefold()
    words = [w for w in name.casefold().split() if w not in _ACRONYM_SKIPS]
    at = 0
    for index, word in enumerate(words):
        if at >= len(letters) or letters[at] != word[0]:
            return False
        at += 1
        # (more letters of the same word: "Kelso" gives "KO"; not the next word's first)
        following = words[index + 1][0] if index + 1 < len(words) else None
        rest = word[1:]
        while at < len(letters) and letters[at] in rest and letters[at] != following:
            rest = rest[rest.index(letters[at]) + 1 :]
            at += 1
    return at == len(letters)


def _long_form(text: str, lead: int, short: str) -> tuple[int, int] | None:
    match = _LONG_FORM.search(text, max(0, lead - 80), lead)
    if match is None:
        return None
    start, end = match.span("name")
    words = match.group("name").split()
    # ("The Orsa Group (TOG)": a sentence's article is no part of it, nor a place's possessive:
    # "Ruritania's Velasta Persada Linden (VPL)")
    # (a place of two words too: "South Korea's Kestrel Group Industrial (KGI)")
    possessive = max(
        (i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s"))), default=None
    )
    if possessive is not None and possessive <= 2:
        start = text.index(words[possessive + 1], start + len(" ".join(words[: possessive + 1])))
        words = words[possessive + 1 :]
    while words and (words[0] in _NOT_NAME_START or words[0].endswith(("'s", "’s"))):
        start = text.index(words[1], start) if len(words) > 1 else end
        words = words[1:]
    if len(words) < 2 or words[0][0].casefold() != short[0].casefold():
        return None
    return start, end


def the_company_deals_with(text: str, name: str) -> bool:
    """Whether a filing's "the Company" deals with the named party ("the Company signed a
    supply agreement with X", "the Company bought ore from X"): X is its counterparty, not
    the Company itself."""
    return (
        re.search(
            rf"\bthe\s+Company\b[^.;]{{0,160}}?\b(?:with|from|to)\s+(?:[\w-]+\s+){{0,3}}?"
            rf"{re.escape(name)}",
            text,
        )
        is not None
    )


def defined_terms(doc: Doc, found: list[OrgHit], role_names: dict[str, str]) -> OrgHit | None:
    """Quoted short forms defined after a name ("Wexcombe" or "the Company") become
    its aliases; the one that defines "the Company" is the issuer of a press release. With
    no such definition, a release's "the Company" is its first named company (one that is no
    name of the role list)."""
    text = text_of(doc)
    issuer = None
    for mention in found:
        # a contract's heading: "KELSO METALS CORP., as Seller"
        if party := _AS_PARTY.match(text, mention.end):
            mention.aliases.append(party.group("term"))
        match = DEFINED_TERMS.match(text, mention.end)
        if match is None:
            # a contract's parties: 'between Kelso Holdings Limited, an Ontario corporation
            # ("Kelso"), and ...' (not where the description names another mention: "X, a
            # unit of Y ("Y")")
            match = _DESCRIBED_THEN_DEFINED.match(text, mention.end)
            if match is None or any(
                match.start("described") <= m.start < match.end("described") for m in found
            ):
                continue
        for term in QUOTED.finditer(match.group("body")):
            alias = term.group("term").strip()
            mention.aliases.append(alias)
            if alias.lower() == "company" and issuer is None:
                issuer = mention
    if issuer is None and re.search(r"\bthe Company(?:['’]s)?\b", text):
        # a newswire's dateline ("(Newsfile Corp. - June 2, 2026)") names no issuer
        issuer = next(
            (
                m
                for m in found
                if m.start >= doc._.minwatch_title_end and name_key(m.text) not in role_names
            ),
            None,
        )
        # (none where that company is one the Company deals with)
        if issuer is not None and the_company_deals_with(text, issuer.text):
            issuer = None
        if issuer is not None:
            issuer.aliases.append("Company")
    return issuer
