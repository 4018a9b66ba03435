"""Organisation mentions in English text: names ending in a corporate suffix or starting with a
corporate prefix, the statistical model's names (`doc._.minwatch_ner_orgs`, set by the
Extractor on the sentences it read), names in apposition to a trade noun or to an owner
("X, a subsidiary of Y"), contract winners, producers named after a noun, the owners of mines
whose output is put out to tender, the employers of officers named by title, award lines of
notices, names coordinated with a found one,
later mentions of a found name, and the checks that take a capitalised name for a place, a
site, a listing or a dateline rather than an organisation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc

from minwatch.nlp.base import (
    PARENT_NOUNS,
    MineralHit,
    OrgHit,
    alternation,
    before_possessive,
    first_letters,
    phrase_regex,
    sentence_bounds,
    text_of,
)
from minwatch.nlp.names import NameWords
from minwatch.nlp.org_aliases import defined_terms, name_key
from minwatch.nlp.org_roles import BUYER_TERMS, SELLER_TERMS, RoleReader

# A pattern whose match begins with a capital says so first (see base.first_letters)
_CAPITAL_NEXT = "(?=[A-Z])"
# the particles a company's name carries between capitalised words ("Minera del Sur", the
# Spanish and Portuguese "and" of "Sociedad Minera y Comercial")
_PARTICLES = "de|del|des|du|da|do|dos|das|van|von|der|den|di|la|le|y|e"
# a position right after a sentence's end or a line's start

_SENTENCE_OPENING = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?=\S)", re.M)
# "3391K ", "20240514 ": a number-led code (not "3M", "7G Metals") before capitalised words
_LEADING_CODE = re.compile(r"\d{3,}[A-Z]{0,2}[ \t]+(?=[A-Z][\w&'’-]*[ \t]+[A-Z])")
# "OSLO Feb 3 X Inc said ...": a wire story's dateline, the city in capitals (an archive's
# copy may have lost it: "Oct 4 X Corp will ...") and the day, run into the name that
# opens its first sentence
_DATELINE_RUN_ON = re.compile(
    r"(?:[A-Z]{3,}(?:[ \t-][A-Z]{3,}){0,2},?[ \t]+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct"
    r"|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2}(?:[ \t]+\((?:Reuters|Bloomberg|AP|AFP)\))?[ \t]+"
    r"(?=[A-Z])"
)
_PRODUCER_ITEM = re.compile(
    r"^[ \t]*\d{1,2}[.)][ \t]+(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,3})[ \t]+"
    r"\((?P<place>[A-Z][^()\n]{1,40})\)[^\n]{0,80}?\b(?:produce[sd]?|producing|production"
    r"|output|mining|mines?)\b",
    re.M,
)
_LEGAL_FORM_FIRST = re.compile(
    r"(?:(?:Public|Open|Closed|Private)[ \t]+)?Joint[ \t]+Stock[ \t]+Company|Joint[ \t]+Venture"
    r"[ \t]+Company"
)
_NAME_AFTER_FORM = re.compile(r"(?:[ \t]+[A-Z][\w&'’-]*){1,3}")
_OWNER_OF_SITE = re.compile(
    r"(?P<owner>[A-Z][\w&.-]*(?:[ \t]+[A-Z][\w&.-]*){0,3})['’]s[ \t]+(?:[A-Z][\w-]*[ \t]+){1,3}"
    r"(?:Complex|Mine|Mines|Project|Operations?|Refinery|Smelter|Deposit|Concentrator)"
)
# "In March", "Last Tuesday", "On Monday": an opening phrase of time or place, never a name
_TIME_OR_PLACE_PHRASE = re.compile(
    r"(?:In|On|At|By|For|From|After|Before|During|Since|Until|Last|Earlier|Later|Through)"
    r"\b|.*\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# (the state is followed by the item's verb or a colon, so a list "A Corp., B, C, and
# D" keeps its names)
_ADDRESS_AFTER = re.compile(
    r",[ \t]+[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?"
    r"(?:,[ \t]+(?:is|was|were|has|have|had|will)\b|[ \t]*:)"
)
# "AIM-listed", "Canada-based", "TSX-V-listed": a qualifier an en_company match may start with
_LEADING_QUALIFIER = re.compile(
    r"[A-Z][\w.&]*(?:-[A-Z][\w.&]*)*"
    r"-(?:listed|based|headquartered|registered|quoted|owned|controlled|run|backed)"
)
# the same qualifier after words of a place ("South Australia-based ")
_QUALIFIED_LEAD = re.compile(
    rf"(?:[A-Z][\w.&]*[ \t]+){{0,3}}{_LEADING_QUALIFIER.pattern}[ \t]+(?=[A-Za-z0-9])"
)
# " of the Congo", " of Korea": the rest of a place's name after its head
_OF_PLACE_AFTER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?([A-Z][\w-]*)(?:[ \t][A-Z][\w-]*)?")
# "Corporation of Portugal": a name that goes on after its suffix
_SUFFIX_OF_PLACE = re.compile(r"[ \t]+of[ \t]+(?P<place>[A-Z][\w-]*(?: [A-Z][\w-]*)?)")
# the defined terms of a contract's parties that name their side, not the company
_DEFINED_ROLE_TERMS = frozenset({*SELLER_TERMS, *BUYER_TERMS, "company", "party", "parties"})
_A_KIND_OF_COMPANY = re.compile(r"(?<![\w])(?:a|an)[ \t]+$")
_LEGAL_FORM_AFTER = re.compile(r"[ \t]+(?:Inc\.|Ltd\.?|Limited|LLC|PLC|plc)(?![\w])")
# "from" is left out: "titanium from Orlenko-Metall" names a seller; countries after
# "from" are caught by the place list instead.
_LOCATION_BEFORE = re.compile(r"\b(?:at|in|near|of)\s+$")
# "Velmont, the Danish materials group that ..." names a company by apposition.
_APPOSITION = re.compile(
    r"(?=[A-Z])(?:^|(?<=[.!?]\s)|(?<=['’]s\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3}),"
    r"\s+(?:(?:the|a|an|which|one of)\s+[^,.;]{0,80}?\b(?:group|company|firm|producer|miner"
    r"|refiner|maker|developer|developers"
    r"|supplier|trader|trading house|smelter|recycler"
    # "Kelso Nickel, a subsidiary of Kelso Group, signed": a company's part is a company
    rf"|{PARENT_NOUNS}(?=\s+of\s))\b"
    # "Norway's X, which operates the Skarvik mine, ranks first", "X, which recovers
    # gallium from its alumina plant": a relative clause of producing or running a site
    # ("which operates and owns the Tarn plant")
    r"|which\s+(?:runs|operates|owns)(?:\s+and\s+(?:runs|operates|owns))?\s+(?:the|a|an)\s+"
    r"[^,.;]{0,40}?\b(?:mine|refinery"
    r"|smelter|plant|operations?)\b"
    r"|which\s+(?:already\s+|also\s+)?(?:produces|mines|refines|smelts|recovers"
    # ("X, which sells tin concentrate to smelters"; "Y, which sells batteries" is no
    # mineral's seller: a mineral must follow, see `mentions`)
    r"|(?P<supplies>supplies|sells)))",
    re.M,
)
# "Northgate Metals was awarded $12 million": a bare capitalised name that
# wins a contract is an organisation even when the model misses it.
_BARE_WINNER = re.compile(
    r"(?=[A-Z])(?:^|(?<=[.!?;,]\s)|(?<=\band\s))"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,4})"
    r"(?=\s+(?:(?:was|were|has\s+been|have\s+been)\s+awarded|(?:has\s+)?(?:won|received|secured)"
    r"\s+(?:an?\s+)?(?:US)?\$)\b)",
    re.M,
)
# "Harlow Minerals, Reno, Nevada, has been awarded": a contract digest's winner without a
# legal form, known by the address between it and the verb (a city, then a known state)
_ADDRESSED_WINNER = re.compile(
    r"(?=[A-Z])(?:^|(?<=[.!?;]\s)|(?<=\band\s))"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,4}),[ \t]+"
    r"[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,2},[ \t]+"
    r"(?P<state>[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,2}),\s+"
    r"(?:(?:was|were|has\s+been|have\s+been)\s+awarded|(?:has\s+)?(?:won|received))\b",
    re.M,
)
# "signed a deal with Harlow Lithium to buy", "an agreement with Velmont for the purchase of":
# the seller a buyer's deal is signed with, named between "with" and the purchase
_DEAL_PARTY = re.compile(
    r"\b(?:deals?|agreements?|contracts?|pacts?|MoUs?|MOUs?)[ \t]+with[ \t]+"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,4})"
    r"(?=[ \t]+(?:to[ \t]+(?:buy|purchase|source|procure)\b"
    r"|for[ \t]+(?:the[ \t]+)?purchase[ \t]+of\b))"
)
# "Velmont and Orsa Cells have signed": the first of two parties that sign together, often a
# single word the small model leaves unread at a sentence's start
_JOINT_SIGNER = re.compile(
    r"(?:^|(?<=[.!?][ \t]))(?P<name>[A-Z][\w&'’-]{2,}(?:[ \t][A-Z][\w&'’-]*){0,3})[ \t]+and[ \t]+"
    r"[A-Z][\w&'’.-]*(?:[ \t][A-Z0-9][\w&'’.-]*){0,4}[ \t]+(?:have|has|had)[ \t]+"
    r"(?:[a-z]+[ \t]+)?(?:signed|agreed|entered|inked|struck|concluded)\b",
    re.M,
)
# (what a one-word winner is followed by: "Velmont has been awarded", "Velmont won")
_WINNER_VERB = re.compile(
    r"\s+(?:(?:was|were|has\s+been|have\s+been)\s+awarded|(?:has\s+|have\s+)?won)\b"
)
_LEADING_PREPOSITIONS = frozenset(["of", "in", "at", "for", "from", "by", "with", "to"])
_SITE_OWNER = re.compile(
    r"(?=[A-Z])(?<![\w'’-])(?P<name>[A-Z][\w&-]*(?:[ \t][A-Z][\w&-]*){0,3})"
    r"(?:['’]s|(?<=s)['’])[ \t]+"
    # (a mine: the owner of a refinery, smelter or plant often buys what it treats)
    r"(?:[\w-]+[ \t]+){0,3}?(?:mine|mines|operations|concentrator)\b"
)
_DETERMINERS = frozenset(
    ["the", "its", "their", "our", "this", "that", "his", "her", "whose", "each", "any", "said"]
)
# "kelvion Ltd": a name written all in lower case, its legal form after it
_LOWERCASE_NAME = re.compile(
    r"(?<![\w-])(?P<word>[a-z][a-z0-9]{2,})[ \t]+(?:Ltd|Limited|Inc|Corp|Corporation|plc|PLC|LLC)"
    r"\.?(?![\w])"
)
# "Kelso's largest offtaker", "Orsa Graphite's customers": whoever has the customer sells
_CUSTOMER_OWNER = re.compile(
    r"(?=[A-Z])(?<![\w'’-])(?P<name>[A-Z][\w&-]*(?:[ \t][A-Z][\w&-]*){0,3})"
    r"(?:['’]s|(?<=s)['’])[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:customer|customers|offtaker|offtakers|client|clients)\b"
)
# "in Kelso Gold's 2 May news release": whoever issues a release or a
# company report is an organisation (its role is read elsewhere)
_RELEASE_OWNER = re.compile(
    r"(?=[A-Z])(?<![\w'’-])(?P<name>[A-Z][\w&-]*(?:[ \t][A-Z][\w&-]*){0,3})"
    r"(?:['’]s|(?<=s)['’])[ \t]+"
    r"(?:(?:[\w,-]+[ \t]+){0,4}?(?:press|news|media)[ \t]+release"
    r"|(?:[\w-]+[ \t]+){0,2}?(?:quarterly|annual)[ \t]+report)\b"
)
# the lower-case head of a name that begins inside a word ("en" of "enTarn", "i" of "iKelso")
_LOWER_HEAD_BEFORE = re.compile(r"(?<![\w-])[a-z]{1,3}$")
_CAPITAL_AFTER = re.compile(r"[ \t][A-Z]")
# "Orsa32": a capitalised word with a number glued on
_GLUED_NUMBER_NAME = re.compile(r"(?<![\w.-])[A-Z][a-z]{2,}\d{1,3}(?![\w-])")
# "Kelso Materials Co 300073.SZ": a listing code after a name
# (also a news agency's instrument code: "Kelso Energy Resources KEL.AX", "Harlow HRLM.BR")
_TRAILING_TICKER = re.compile(
    r"[ \t]+\(?(?:\d{4,6}\.(?:SZ|SH|SS|HK|KS|KQ|T)|[A-Z][A-Z0-9]{1,5}\.[A-Z]{1,2})\)?$"
)
# "Orsa by": prepositions a model's name span may run into
_TRAILING_FUNCTION_WORD = re.compile(r"(?:\s+(?:by|to|from|with|for|in|at|on|and|or|the))+$")
# "from northern Tanzania to Kelso Carbon Works": the model may run a place and the
# preposition after it into the name
_PLACE_THEN_PREPOSITION = re.compile(
    r"(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)\s+(?:to|from|for|with|by|into)\s+(?=[A-Z])"
)
# "CNY 412,000", "A$ 1.2 million": a currency and a figure
_MONEY_LIKE = re.compile(
    r"(?:[A-Z]{1,3}\$?|[$€£¥]|Rand|Yen|Yuan|Euros?|Rupees?|Roubles?|Rubles?)"
    r"[ \t]?\d[\d,.]*(?:[ \t]?(?:million|billion|bn|m|k))?(?:/t)?"
)
_FIGURE_LIKE = re.compile(r"\d[\d,.]*[ \t]?(?:mn|bn|m|k|kt|mt|t|tpa|Mt)?")
# a reporting period that opens a figure's label: "Q4 2020 Group production", "H1 2025 Sales"
_PERIOD_LED = re.compile(r"(?:Q[1-4]|H[12]|FY|[1-9]M|1[0-2]M)[ \t]?(?:\d{2}|\d{4})\b")
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:[\w.-]+\s+){0,4}$")
_JOINED_AFTER = re.compile(
    r"(?:[ \t]*\([^()]*\))?,?[ \t]+(?:and|&|as[ \t]+well[ \t]+as)[ \t]+(?:the[ \t]+)?"
    r"(?:[A-Z][\w.'’]*(?:-[\w.'’]+)*-based[ \t]+)?"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){0,4})"
)
# "Yn68" of "Yn68,120/t": a currency abbreviation glued to a figure
_CURRENCY_GLUED = re.compile(r"[A-Z][a-z]{1,2}\d+")
# "The Zug, Switzerland-based trader": the town of an address, then its country
_TOWN_BEFORE_BASED = re.compile(r",[ \t]+(?:[A-Z][\w.]*[ \t]+){0,2}[A-Z][\w.]*-based\b")
_PRONOUNS = frozenset({"It", "He", "She", "They", "We", "This", "That", "These", "Those"})
# "Peru's state-owned Minerva Andina"
_STATE_OWNED_NAME = re.compile(
    r"\bstate-(?:owned|run|controlled|backed)\s+(?:[a-z][\w-]*\s+){0,2}"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3})"
)
# A mine's output put out to tender: its owner sells ("Harlow launched a tender for 8,000 mt of
# Red Fox", "Harlow's 8,000 mt Red Fox tender", "the tender results for Harlow's Red Fox",
# "Harlow's Red Fox and Kelso copper mines launched tenders"). The material is named for its
# site, a capitalised name; "a tender for 3,000 t of ferrochrome" names no site, and buys.
_NAME = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*(?:[ \t]+[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*){0,3}"
_SITE = r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}"
_MASS = r"[\d][\d,.]*[ \t]?(?:mt|t|tonnes|tons|dmt|wmt|kt)"
_TENDER_VERB = r"(?:launched|issued|held|floated|opened|concluded|closed)"
_SITE_TENDER = re.compile(
    rf"(?=[A-Z])(?<![\w'’-])(?P<name>{_NAME})['’]s[ \t]+(?:{_MASS}[ \t]+)?{_SITE}[ \t]+"
    r"(?:[a-z]+[ \t]+){0,2}?tenders?\b"
    rf"|\btenders?[ \t]+(?:results?[ \t]+)?for[ \t]+(?P<name2>{_NAME})['’]s[ \t]+{_SITE}"
    rf"|(?=[A-Z])(?<![\w'’-])(?P<name3>{_NAME})[ \t]+{_TENDER_VERB}[ \t]+"
    r"(?:(?:a|an|the|its)[ \t]+)?(?:(?:spot|sales?|new|second)[ \t]+)?tenders?[ \t]+for[ \t]+"
    rf"{_MASS}[ \t]+of[ \t]+{_SITE}"
    rf"|(?=[A-Z])(?<![\w'’-])(?P<name4>{_NAME})['’]s[ \t]+{_SITE}(?:[ \t]+and[ \t]+{_SITE})?"
    rf"[ \t]+(?:[a-z]+[ \t]+)?(?:mines?|operations)[ \t]+{_TENDER_VERB}[ \t]+"
    r"(?:[a-z]+[ \t]+)?tenders?\b"
)
# the last word of a body that sells nothing: "... Research Institute", "... Agency"
_BODY_TAIL = re.compile(
    r"\s(?:institute|agency|association|council|office|ministry|department|administration"
    r"|commission|bureau|university|authority)$",
    re.I,
)
# "the Merrin Ionic Clay Project", "Tillabrook Rare Earths Project in Tasmania"
_SITE_TAIL = re.compile(
    r"\s(?:project|mine|deposit|plant|refinery|smelter|prospect|operation|operations"
    r"|complex|concentrator|facility|colliery)(?:\s+(?:in|at|near)\s.*)?$",
    re.I,
)
# "the Company's Otterburn antimony project": a site with its mineral before the noun
_SITE_AFTER_WORD = re.compile(r"^\s+[a-z][\w-]*\s+(?:project|mine|deposit|prospect|property)\b")
_TICKER_BEFORE = re.compile(r"[(;,][ \t]*[A-Z][A-Za-z -]{1,15}:\s*$")
# "(NYSE American: QLN)", "(TSXV: DTC)": a listing names an exchange and a ticker
_LISTING_AFTER = re.compile(r"\s*:\s*[A-Z0-9][A-Z0-9.]{0,7}\s*[);,]")
# "Kelbrook Graphite (TSX-V: KGR)", "Harlow Metals (ASX: HML; OTCQX: HMLF)": a name with its
# listing is a company's, whatever its words (the model misses names made of a mineral's word)
_LISTED = re.compile(
    r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:[A-Z0-9][\w&'’.-]*|&|and|of|de)){0,5})"
    r"[ \t]*\((?:[A-Z]{2,}[\w-]*|Nasdaq)(?:[ \t][A-Z][A-Za-z]*)?[ \t]*:[ \t]*"
    r"[A-Z0-9][A-Z0-9.]{0,7}[ \t]*[);,]"
)
# "Harlow Group (HGR) said it signed": a wire's company with its bare ticker, then its
# statement (the ticker need not spell the name, so the short-form reading misses it)
# (capitalised words only: "Authority of Ruritania (ARM) said" is an agency's short form)
_TICKER_SPEAKER = re.compile(
    r"(?=[A-Z])(?<!\bof )(?<!\band )(?<!\bde )(?<!& )"
    r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+[A-Z0-9][\w&'’.-]*){0,3})"
    r"[ \t]*\((?P<ticker>[A-Z]{2,5}(?:\.[A-Z]{1,2})?)\)[ \t]+"
    r"(?:said|says|announced|reported|signed|agreed|inked|won|entered)\b"
)
# "an Omaha-based company", "Calgary-headquartered": a place made into an adjective
_PLACE_ADJECTIVE_AFTER = re.compile(r"-(?:based|headquartered|born|area)\b")
# "its Tolvern Hill project": a named site, not an organisation (past a bracketed short form:
# "its Harbor Tin Corporation (HTC) project")
_SITE_NOUNS = (
    r"projects?|mines?|deposits?|plants?|operations?|sites?|refinery|refineries|smelters?"
    r"|prospects?|property|properties|concessions?"
)
_SITE_AFTER = re.compile(
    rf"^(?:\s*\([A-Z][\w&.-]{{0,11}}\))?\s+(?:{_SITE_NOUNS}|district|basin|fields?)\b", re.I
)
# ("from the Company's Harlow, Tarn or Orsa properties": each member of a list the site noun
# closes is a site)
_SITE_MEMBER = r"[A-Z][\w-]*(?:[ \t][A-Z][\w-]*){0,2}"
_SITE_LIST = re.compile(
    rf"(?P<list>{_SITE_MEMBER}(?:,\s+{_SITE_MEMBER})*,?\s+(?:and|or|&)\s+{_SITE_MEMBER})"
    rf"(?=\s+(?:[a-z][\w-]*\s+)?(?i:{_SITE_NOUNS})\b)"
)
# "its Belton and Kiraso operations", "at its Marlow complex": a site owned by someone.
_POSSESSIVE_BEFORE = re.compile(r"\b(?:its|their|his|her|our)\s+$", re.I)
# "HOBART, Jan 7 -", "FORT LEE, Va. -": a dateline names a place.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]+(?:,\s*[A-Z][a-z]+\.?)?(?:,?\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
    # "PERTH (Wire) —", "LIMA (minesite.com) –": the agency's name in brackets
    r"(?:\s*\([A-Za-z][\w .&-]{1,30}\))?\s*[-–—]",
    re.M,
)
# "cobalt sulphate solution (CSS)": an acronym defined for a common noun phrase is a term.
_TERM_ACRONYM = re.compile(r"(?<=[a-z])\s+\((?P<acr>[A-Z][A-Za-z0-9]{1,7})\)")
# a sentence's first word right before a name ("\nYunnan Kelso Lithium, a unit of ...")
_PLACE_WORD_OPENING = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?P<word>[A-Z][a-z]+)[ \t]+$", re.M)
# "Compañía Salinera y Minera del Sur" when the model only saw "Minera del Sur"
_NAME_CONTINUES_LEFT = re.compile(
    r"(?:[A-Z][\w'’-]*\s+)+(?:y|e|de|del|da|do|dos|das|la|von|van|der)\s+$"
)
_STATE_AFTER = re.compile(r",[ \t]+(?P<place>[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)\b")
# "between Minerva Andina and Compañía ...": a capitalised name coordinated with an org
_COORDINATED_BEFORE = re.compile(
    r"(?:\bbetween|\bincluding|\bsuch as|\bproducers?|\bminers?|,)\s+"
    r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,2})\s+(?:and|&)\s+$"
)


def _list_members(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans of the names of a list "A, B and C" standing at text[start:end]."""
    for part in re.finditer(
        r"[^,&\s](?:[^,&]*?[^,&\s])?(?=,|[ \t]+(?:and|&)[ \t]+|$)", text[start:end]
    ):
        lo, hi = start + part.start(), start + part.end()
        if joint := re.match(r"(?:and|&)[ \t]+", text[lo:hi]):
            lo += joint.end()
        yield lo, hi


class CandidateFinder:
    """The name patterns of the data files, compiled once per pipeline. It reads the role
    lists and the seller checks of `roles` ("supply silicon to silicones producer Y": a
    producer noun before a buyer names no seller)."""

    def __init__(
        self,
        orgs: dict[str, Any],
        cues: dict[str, Any],
        supplier_cues: dict[str, Any],
        roles: RoleReader,
        lexicon: dict[str, Any],
    ) -> None:
        self.roles = roles
        self.names = NameWords.build(lexicon, orgs["places"])
        # "said R. Jones, CEO of Kelso Group": an officer's title before "of" opens no name
        self.title_of = re.compile(
            r"(?:"
            + alternation([t for t in lexicon["officer_titles"] if t != "head of"])
            + r")\s+of\s+",
            re.I,
        )
        # "Kelso chief executive officer Jan Varga told": the employer of an officer named by
        # title and name is an organisation, whatever the model read (titles in lower case:
        # "President Ostrova" is a head of state's)
        self.officer_employer = re.compile(
            r"(?=[A-Z])(?<![\w'’.-])(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3}?)"
            r"(?:['’]s)?[ \t]+(?:"
            + alternation([t for t in lexicon["officer_titles"] if t.islower() and t != "head of"])
            + r")[ \t]+[A-Z][a-z]+[ \t]+[A-Z]"
        )
        # "Danish Strategic Metals said ...": a sentence's subject that ends as a
        # company's name ends (a trade's or a mineral's word), which the small model may read as
        # a nationality and a common noun
        ends = alternation(
            [w.capitalize() for w in lexicon["industry_words"] + lexicon["mineral_name_words"]]
        )
        self.company_subject = re.compile(
            # (also opening a quotation, or a clause after "while" / "but" / "and")
            _CAPITAL_NEXT + r"(?:^|(?<=[.!?]\s)|(?<=[—–-]\s)|(?<=[\"“])|(?<=\bwhile\s)|(?<=\bbut\s)"
            r"|(?<=,\sand\s))"
            rf"(?P<name>(?:[A-Z][\w&'’-]*[ \t]){{1,3}}(?:{ends}))"
            # (a finite verb after it: "Penrose Energy sold", "Orsa Refining told", also after
            # a second subject: "Penrose Energy and smelter Orsa agreed")
            # (not the name's own second trade: "Ostrova Mining and Smelting Works")
            rf"(?=\s+(?:and\s+(?!(?:{ends})\b)(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}[A-Z][\w&'’-]*"
            r"(?:\s+[A-Z][\w&'’-]*){0,3}\s+)?"
            rf"(?:{alternation(cues['subject_verbs_en'])})\b)",
            re.M,
        )
        # "Harlow, which listed in 2019, will sell": a name's first word opening a sentence as
        # its subject (before a verb, or a relative clause on it)
        self.short_subject_after = re.compile(
            rf",\s+(?:which|who)\b|\s+(?:{alternation(cues['subject_verbs_en'])})\b"
        )
        # "a year of talks led to Harlow Nickel signing an offtake with ...": such a name signs a
        # deal inside a sentence, after a lower-case word
        self.company_signing = re.compile(
            rf"{_CAPITAL_NEXT}(?<=[a-z][ \t])(?P<name>(?:[A-Z][\w&'’-]*[ \t]){{1,3}}(?:{ends}))"
            r"(?=\s+(?:signing|signs|signed|inking|inks|inked)\s+(?:an?\s+|the\s+|its\s+)?"
            rf"(?:[\w-]+\s+){{0,3}}?(?:{alternation(supplier_cues['agreement_nouns_en'])})\b)"
        )
        # "signed by Yunnan Western Rare Earth High-Tech and Velda Tungsten": capitalised words
        # ending on a capitalised mineral (and a company's words after it), inside a sentence,
        # are a company's whole name where the model cut it short
        minerals = alternation(
            [w.capitalize() for w in lexicon["mineral_name_words"] if w not in ("rare", "earths")]
        )
        trail = r"High-[Tt]ech|Hi-[Tt]ech|Group|Holdings|Industry|Industries|Company|Corporation"
        self.mineral_named = re.compile(
            rf"{_CAPITAL_NEXT}(?:(?<=[a-z][ \t])|(?<=,[ \t])|(?<=\band[ \t]))"
            rf"(?P<name>(?:[A-Z][\w&'’-]*[ \t]){{1,3}}(?:{minerals}|Rare[ \t]Earths?)"
            rf"(?:[ \t](?:and|&)[ \t](?:{minerals}))?"
            rf"(?:[ \t](?:{trail}))*)"
            r"(?=[ \t]*[,;.()]|[ \t]+(?:and|has|have|had|is|was|will|said|signed|agreed)\b)"
        )
        self.role_names = roles.role_names
        self.not_orgs = {name_key(n) for n in orgs["not_organizations"]}
        self.leading_drop = set(orgs["leading_words_to_drop"])
        # the verbs of a headline written in capitals ("Kelso Signs Offtake With Orsa")
        self.headline_verbs = frozenset(orgs["headline_verbs"])
        self.headline_verb = re.compile(
            rf"[ \t]+(?:{alternation(orgs['headline_verbs'])})(?![\w'’-])"
        )
        self.leading_phrases = sorted(orgs["leading_phrases_to_drop"], key=len, reverse=True)
        suffixes = alternation(orgs["corporate_suffixes"])
        self.suffix_set = {s.casefold() for s in orgs["corporate_suffixes"]}
        # "7G Metals", "inVerra Energy", "Orvane (Canada) Limited", "Tianlu Rare Earth (Group)
        # High-Tech Co.", "Kelso (Hong Kong) Metals Ltd": digits, a lower-case first letter
        # before a capital, a bracketed word or three.
        # An initialism ("U.S. Vanadium Corporation") is one word of the name.
        # ("R+T AG": a plus joins a name's letters too)
        name_word = (
            r"(?:[A-Z](?:\.[A-Z])+\.(?=[ \t]+[A-Z])|[A-Z](?:\+[A-Z])?[\w&'’-]*|\d[\w&'’-]*"
            r"|[a-z]{1,3}[A-Z][\w&'’-]*|\([A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,2}\))"
        )
        # "Minera Lomas del Viento S.A.", "Companhia Fluminense de Ligas e Fundicao S.A."
        connector = r"&|of|and|for|de|du|del|da|do|dos|das|la|y|e"
        # (a bracketed word never begins one: "(ABC) and Orsa Corporation Ltd" is a short form
        # of the name before, then the next name)
        first_word = (
            r"(?:[A-Z](?:\.[A-Z])+\.(?=[ \t]+[A-Z])|[A-Z](?:\+[A-Z])?[\w&'’-]*|\d[\w&'’-]*"
            r"|[a-z]{1,3}[A-Z][\w&'’-]*)"
        )
        self.en_company = re.compile(
            # "--(NEWSWIRE)--Quillon Energy Metals Inc.": a dash pair may run into a name
            rf"(?<![\w])(?<!\w-){first_word}(?:[ \t]+(?:{name_word}|{connector}))*?"
            rf"(?:,?[ \t]+(?:{suffixes}))+(?![\w])"
        )
        prefixes = "|".join(re.escape(p) for p in orgs["corporate_prefixes"])
        self.en_prefixed_company = re.compile(
            rf"(?<![\w-])(?:{prefixes})[ \t]+[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){{0,4}}"
        )
        # a contract digest's "Name Inc., City, State, was awarded": the address after a name
        self.address_before = re.compile(rf"(?<![\w])(?:{suffixes}),\*?[ \t]+$")
        # "Minera Lomas del Viento S.A." is also written "Minera Lomas del Viento"
        self.trailing_suffix = re.compile(rf",?[ \t]+(?:{suffixes})$")
        # "Kachin State", "Hunan Province", "the Agreement", "Term Sheet": a name that ends in an
        # administrative area is a place, one that ends in a contract noun is a document
        self.not_org_tail = phrase_regex(orgs["not_organization_tails"])
        # (and a contract's heading: "Supplier: X Co., Ltd (Party A)")
        labels = "|".join(
            re.escape(label) for label in cues["award_line_labels"] + cues["seller_line_labels_en"]
        )
        # (the name may stand on the next line, after a "Company name:" label of its own)
        self.award_line = re.compile(
            rf"^(?:{labels})[ \t]*:[ \t]*(?:\n[ \t]*)?"
            r"(?:(?i:company[ \t]+)?(?i:name)[ \t]*:[ \t]*)?(?P<name>\S.*?)[ \t]*$",
            re.M,
        )
        seller_nouns = supplier_cues["seller_nouns_en"]
        nouns = alternation(seller_nouns)
        # "one local producer of nuclear-grade zirconium, X, and", "the sole source of enriched
        # boron has been Ruritania's state-owned X": the producer of a mineral named after it
        self.producer_of_name = re.compile(
            first_letters([*seller_nouns, "source"], both_cases=True)
            + rf"\b(?i:{nouns}|source)\s+of\s+(?P<what>[^,.;]{{1,60}}?)"
            r"(?:,\s+|\s+(?:is|was|has\s+been|remains)\s+)(?:[A-Z][\w-]*['’]s\s+)?"
            r"(?:state-(?:owned|run|controlled)\s+)?"
            r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:[A-Z][\w&'’.-]*|&|and|of)){0,5}?)"
            r"(?=\s*[,.;)]|\s+(?:and|which|who|said)\b)"
        )
        # ("miner Sociedad Minera del Sur": a particle inside a name carries it on)
        self.producer_noun_name = re.compile(
            first_letters(seller_nouns) + rf"\b(?:{nouns})[ \t]+(?!The\b)(?P<name>[A-Z][\w&'’-]*"
            rf"(?:[ \t](?:(?:{_PARTICLES})[ \t])?[A-Z][\w&'’-]*){{0,3}}"
            # ("mining company Kelso 360": a number may end a name; a year may not)
            r"(?:(?<!['’]s)[ \t](?!(?:19|20)\d\d\b)\d{1,4}(?![\w,.]\d)\b)?)"
        )
        # "the top producer, Velmora of Peru, signed": a producer named in
        # apposition to a ranking noun phrase
        ranks = [
            "largest",
            "biggest",
            "leading",
            "top",
            "sole",
            "only",
            "main",
            "major",
            "dominant",
            # ("praised the supplier, Kelso Wafers, for": the noun's own apposition)
            "the",
        ]
        self.ranked_producer_name = re.compile(
            first_letters(ranks, both_cases=True) + rf"\b(?i:{alternation(ranks)})[ \t]+"
            rf"(?:[\w-]+[ \t]+){{0,2}}?(?i:{nouns}),[ \t]+"
            r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3})"
            r"(?=[ \t]*,|[ \t]+of[ \t]+[A-Z])"
        )
        # "the four biggest producers - A, B and C", "output has been led by A, B and C":
        # every member of a list of producers is one
        member = r"[A-Z][\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,3}"
        self.producer_list = re.compile(
            first_letters([*seller_nouns, "production", "supply", "output"], both_cases=True)
            + rf"(?:\b(?i:{nouns})(?:[ \t]+[–—-])?[ \t]+"
            r"(?:(?:include|includes|including|such[ \t]+as|like|are|were)[ \t]+)?"
            # "the two main producers of X in Y: A and B", "the miners hit include A and B",
            # "their home suppliers -- A and B --": what the producers make or where, or what
            # befell them, stands between the noun and a list it then opens outright
            rf"|\b(?i:{nouns})(?:[ \t]+(?:of|in|from)[ \t]+[^.;:()\n]{{1,50}}?"
            r"|[ \t]+[a-z]+ed)?"
            r"(?:[ \t]*:|[ \t]+(?:--|[–—])|[ \t]+(?:include|includes|are|were))[ \t]+"
            r"|\b(?:production|supply|output)\b[^.;]{0,40}?\b(?:dominated|led)[ \t]+by[ \t]+)"
            rf"(?P<list>{member}(?:,[ \t]+{member})*,?[ \t]+(?:and|&)[ \t]+{member})"
            # (the list ends there: "and Korean trading company X" goes on past a nationality)
            r"(?=[ \t]*(?:[,.;:()\n–—-]|$)|[ \t]+(?:said|says|which|who|has|have|had|are|were"
            r"|is|was|will|together|account\w*|control\w*|produc\w*|suppl\w*)\b)"
        )
        # "zircon sands that firms such as A, B and C are mining": a list of companies
        # that mine, whatever noun leads it
        self.producing_companies = re.compile(
            r"\b(?:companies|firms|groups)[ \t]+(?:like|such[ \t]+as|including)[ \t]+"
            rf"(?P<list>{member}(?:,[ \t]+{member})*,?[ \t]+(?:and|&)[ \t]+{member})"
            r"(?=[ \t]+(?:(?:are|were|have[ \t]+been)[ \t]+)?(?:already[ \t]+|now[ \t]+)?"
            r"(?:exploiting|mining|producing|extracting|refining|smelting|produce|mine|extract)\b)"
        )
        self.product_words = frozenset(
            w.casefold() for w in supplier_cues["material_object_words_en"]
        ) - {"ore", "ores", "concentrate", "concentrates"}
        # (also "one of its ore suppliers, Chile's Sociedad Minera del Valle Norte (SMVN)": a
        # plural noun, a comma, a country's possessive between)
        self.descriptor_before = re.compile(
            r"\b(?:"
            + alternation(supplier_cues["org_descriptor_nouns_en"])
            + r")s?,?\s+(?:(?-i:[A-Z])[\w-]*(?:\s(?-i:[A-Z])[\w-]*)?['’]s\s+)?$",
            re.I,
        )
        # "Corvanite has signed a deal with Halden Steel under which ...": the subject that
        # opens a sentence signing a deal is an organisation, one word or a few
        self.bare_signer = re.compile(
            _CAPITAL_NEXT
            + r"(?:^|(?<=[.!?]\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3})"
            rf"(?=\s+(?:{alternation(supplier_cues['signer_verbs_en'])})\s+"
            r"(?:(?:an?|the|its|their|two|three|several|new|first|second)\s+)?"
            r"(?:[\w-]+\s+){0,4}?"
            rf"(?:{alternation(supplier_cues['agreement_nouns_en'])})\b)",
            re.M,
        )
        # "while Harlow Metals and Kelso Materials will supply $45 million of scandium": the
        # names right before a supplying verb are each a seller's, whatever the model read
        # ("T+Q will supply": a "+" joins the letters of one name)
        name = r"[A-Z][\w&+'’-]*(?:\.[\w&'’-]+)*(?:[ \t]+[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*){0,4}"
        # the last word of each supplying verb: a text with none of them has no such subject
        self.supplying_words = frozenset(v.split()[-1] for v in supplier_cues["supplying_verbs_en"])
        self.supplying_subjects = re.compile(
            rf"(?P<names>{name}(?:,[ \t]+{name})*(?:,?[ \t]+(?:and|&)[ \t]+{name})?)"
            rf"(?=[ \t]+(?:{alternation(supplier_cues['supplying_verbs_en'])})\b"
            rf"(?!\s+(?:(?:[^\s.;]|\.(?=\S))+\s+){{0,6}}?"
            rf"(?:{alternation(supplier_cues['funding_objects_en'])})\b))"
        )
        self.not_org_after = re.compile(
            r"^\s+(?:" + "|".join(re.escape(w) for w in supplier_cues["not_org_after_en"]) + r")\b",
            re.I,
        )
        sites = "|".join(re.escape(n) for n in supplier_cues["own_site_nouns_en"])
        # "the output of Kelso Resources' proposed Tarn Graphite mine": a name that ends as a
        # company's (a trade's or a mineral's word) and owns a site is a company, where the
        # model read nothing
        self.site_possessor = re.compile(
            rf"{_CAPITAL_NEXT}(?<![\w&'’.-])(?P<name>(?:[A-Z][\w&-]*[ \t]){{1,3}}(?:{ends}))"
            rf"(?:['’]s|['’](?=[ \t]))[ \t]+(?:[\w-]+[ \t]+){{0,4}}?(?:{sites})\b",
        )
        self.site_pair_after = re.compile(
            r"^\s+(?:and|&)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:"
            + sites
            + r"|project|projects|plant|plants)\b",
            re.I,
        )

    def mentions(self, doc: Doc) -> list[OrgHit]:
        """The organisation mentions of an English document (unordered: the component sorts)."""
        text = text_of(doc)
        title_end = doc._.minwatch_title_end
        found: list[OrgHit] = []
        for start, match_end in self._suffixed_spans(text):
            name = text[start:match_end]
            for phrase in self.leading_phrases:
                if name.startswith(phrase + " "):
                    start += len(phrase) + 1
                    break
            dateline = _DATELINE_RUN_ON.match(text, start, match_end)
            if dateline is not None:
                start = dateline.end()
            if _PERIOD_LED.match(text, start, match_end):
                continue  # "Q4 2020 Group production": a period's figure, no company
            # "Joint Stock Company Kelsoexport (Kelex)": a legal form written before the name
            # (the suffix pattern stops at "Company")
            if _LEGAL_FORM_FIRST.fullmatch(text, start, match_end) and (
                after := _NAME_AFTER_FORM.match(text, match_end)
            ):
                match_end = after.end()
            words = text[start:match_end].split()
            while words and (
                words[0] in self.leading_drop
                or words[0] == "AND"  # (a heading's joint: "X, INC. AND Y LTD.")
                # ("Shares of X Group Ltd": past a dropped word a preposition opens no name)
                or words[0] in _LEADING_PREPOSITIONS
                or words[0].isdigit()
                # "RNS Number : 3391K Harlow Minerals PLC": a filing code, not "7G Metals"
                or (len(words) > 2 and _LEADING_CODE.match(" ".join(words)) is not None)
                # "AIM-listed X plc", "Canada-based X Corp.": a qualifier, not the name
                or _LEADING_QUALIFIER.fullmatch(words[0])
            ):
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            # "SUPPLY AGREEMENT BETWEEN X, INC. AND Y LTD.": a deal's heading, its parties after
            # "between"
            joints = [i for i, w in enumerate(words[:-1]) if w.casefold() == "between"]
            if joints:
                start = text.index(
                    words[joints[-1] + 1], start + len(" ".join(words[: joints[-1] + 1]))
                )
                words = words[joints[-1] + 1 :]
            # "China's X", "South Africa's X": a leading place possessive of one or two words
            for size in (1, 2):
                owner = " ".join(words[:size])
                if (
                    len(words) > size
                    and owner.endswith(("'s", "’s"))
                    and self.names.is_place(owner[:-2])
                ):
                    start = text.index(words[size], start + len(owner))
                    words = words[size:]
                    break
            end = match_end
            # "Tungsten Corporation of Portugal", "Graphite Corporation of Canada": a state-style
            # name goes on past its suffix with "of" and a country
            country = _SUFFIX_OF_PLACE.match(text, end)
            if country and words[-1] in {"Corporation", "Company", "Corp.", "Co."}:
                place = country.group("place")
                for candidate in (place, place.split()[0]):
                    if self.names.is_place(candidate):
                        end = country.start("place") + len(candidate)
                        # "Kelso Corporation of Ruritania Ltd": the name's own legal form
                        if form := _LEGAL_FORM_AFTER.match(text, end):
                            end = form.end()
                        break
            name = text[start:end]
            if self._a_kind_of_company(text, start, end):
                continue
            if _SITE_AFTER.match(text[end : end + 30]):
                continue  # "its Harbor Tin Corporation (HTC) project": a site's name
            if start >= title_end and len(words) >= 2:
                # "Hoshimura Corporation Metals Japan Ltd.": one name holds two suffix words
                previous = found[-1] if found else None
                # (not a bracketed short form and a second name: "A Limited (A) and B, Inc.")
                if (
                    previous is not None
                    and text[previous.end : start] == " "
                    and not text.startswith("(", start)
                ):
                    previous.end, previous.text = end, text[previous.start : end]
                    continue
                for lo, hi in self.names.coordinated(text, start, end):
                    lo = self._after_place_possessive(text, lo, hi)  # "and Ruritania's X Ltd"
                    found.append(OrgHit(lo, hi, text[lo:hi], "rule"))
        issuer = defined_terms(doc, found, self.role_names)
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        for match in self.en_prefixed_company.finditer(text):
            start = match.start()
            end = before_possessive(text, start, match.end())  # "PT Kelso's mine"
            overlapping = any(m.start < end and start < m.end for m in found)
            if start >= title_end and not overlapping:
                found.append(OrgHit(start, end, text[start:end], "rule"))
        tickers = [
            m
            for m in _TICKER_SPEAKER.finditer(text)
            # (a bracket that spells the name is its short form, read below)
            if "".join(w[0] for w in m.group("name").split()) != m.group("ticker")
            and not self.names.is_place(m.group("name"))
        ]
        for match in (*_LISTED.finditer(text), *tickers):
            start, end = match.span("name")
            start = self._past_leading_words(text, start, end)  # "Vancouver-headquartered X"
            start = self._after_place_possessive(text, start, end)
            end = before_possessive(text, start, end)  # "to X Resources' (ASX: XRL) door"
            # "ioneer Ltd (ASX: INR)": a lower-case name the pattern cannot begin
            if name_key(text[start:end]) in self.suffix_set or text[start - 1 : start].isalpha():
                continue
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if not self._not_an_org(doc, start, end):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        # the model's organisations: left to the model where a frame finds them too
        model_orgs = {(a, b) for a, b, label in doc._.minwatch_entities or [] if label == "ORG"}
        model_org_names = {text[a:b] for a, b in model_orgs}
        for match in re.finditer(r"\((?P<short>[A-Z][A-Z0-9]{1,5})\)", text):
            # "state body Compagnie Minière de Tantale (CMT)": the words its short
            # form spells are a name, whatever the model makes of them
            end = match.start()
            while end and text[end - 1].isspace():  # (not a copy of the text before it)
                end -= 1
            begin = self.names.spelled_before(text, end)
            if begin is None or begin < title_end or end - begin < 4:
                continue
            # after a noun for an organisation: "the Annual Materials Plan (AMP)" is none (a
            # company's trade word at the end was tried too: it made explorers sellers), or
            # where the model reads the short form itself as an organisation the text goes on
            # to name it by
            # (not a site, an institute or agency the gazetteer knows: "the Tarn Copper
            # Project (TCP)", "the Tin Research Institute (TRI)")
            short = match.group("short")
            if (
                not self.descriptor_before.search(text, max(0, begin - 40), begin)
                and (
                    short not in model_org_names
                    # (a short form the text goes on to use: "HAM will supply", "HAM also")
                    or len(re.findall(rf"\b{re.escape(short)}\b", text)) < 3
                    or _SITE_TAIL.search(text[begin:end])
                    or _BODY_TAIL.search(text[begin:end])
                    or name_key(text[begin:end]) in self.role_names
                )
            ):
                continue
            if not any(m.start < end and begin < m.end for m in found) and not self._not_an_org(
                doc, begin, end
            ):
                found.append(OrgHit(begin, end, text[begin:end], "rule"))
        for match in _APPOSITION.finditer(text):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)
            if start < title_end or any(m.start <= start < m.end for m in found):
                continue
            if _TIME_OR_PLACE_PHRASE.match(text, start, end):
                continue  # "In March, the Chinese company said": a time, then the subject
            if match.group("supplies") and not any(
                match.end() <= h.start < match.end() + 40 for h in minerals
            ):
                continue
            if not self._not_an_org(doc, start, end):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        # (only names the model found nowhere in the document: the role model reads the others)
        modelled = {text[a:b] for a, b, _ in doc._.minwatch_entities or []}
        # (a name signing a deal is a company's even where the model read a place: "Harlow
        # Nickel" may look like a town's nickel to it)
        signing_matches = list(self.company_signing.finditer(text))
        signing = {m.span("name") for m in signing_matches}
        for match in (
            *self.company_subject.finditer(text),
            *signing_matches,
            *self.site_possessor.finditer(text),
        ):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)
            start = self._past_leading_words(text, start, end)  # "Ohio-based X Minerals"
            if (
                start >= title_end
                and (text[start:end] not in modelled or match.span("name") in signing)
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        # (only a name the model began, with any label, and cut short: "Yunnan Western" of
        # "Yunnan Western Rare Earth High-Tech"; a new one of that shape is as often a buyer's,
        # "Qingdao X Graphite")
        cut_short = {a: b for a, b, _ in doc._.minwatch_entities or []}
        # (a name runs on past the model's span only into a capitalised word: without one after
        # any span there is nothing to read)
        running_on = any(_CAPITAL_AFTER.match(text, b) for b in cut_short.values())
        for match in self.mineral_named.finditer(text, title_end) if running_on else ():
            start, end = match.span("name")
            start = self._past_leading_words(text, start, end)
            if cut_short.get(start, end) >= end:
                continue
            start = self._after_place_possessive(text, start, end)  # "Ruritania's X"
            if (
                not any(m.start < end and start < m.end for m in found)
                and not self.names.is_place(text[start:end])
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        # a capitalised word with a number glued on ("Orsa32", "Kelso40"),
        # named more than once: a company's, which the small model often leaves unread
        glued = list(_GLUED_NUMBER_NAME.finditer(text, title_end))
        times = Counter(m.group() for m in glued)
        for match in glued:
            start, end = match.span()
            if (
                times[match.group()] >= 2
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, match.group(), "rule"))
        for match in _BARE_WINNER.finditer(text):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)  # "Denmark's Velmont won"
            # ("Velmont has been awarded": one word of its own names the winner; "It", "The
            # ministry", a country or a common word does not)
            bare = text[start:end]
            if " " not in bare and (
                len(bare) < 3
                # ("X received a $7M grant": a grant's recipient, not a winner)
                or not _WINNER_VERB.match(text, end)
                or self._no_name(bare)
            ):
                continue
            if start >= title_end and not any(m.start < end and start < m.end for m in found):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        for match in (
            *_ADDRESSED_WINNER.finditer(text, title_end),
            *_DEAL_PARTY.finditer(text, title_end),
            *_JOINT_SIGNER.finditer(text, title_end),
        ):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)  # "with Norway's X to buy"
            name = text[start:end]
            if (
                ("state" in match.re.groupindex and not self.names.is_place(match["state"]))
                or (" " not in name and len(name) < 3)
                or self._no_name(name)
                or any(m.start < end and start < m.end for m in found)
            ):
                continue
            found.append(OrgHit(start, end, name, "rule"))
        owners = (
            *_SITE_OWNER.finditer(text),
            *_CUSTOMER_OWNER.finditer(text),
            *_RELEASE_OWNER.finditer(text),
        )
        for match in owners:
            # "Harlow Nickel's mine of the same name", "Tarrant Metals' Brisco operations":
            # the owner of a mine, by name
            start, end = match.span("name")
            start = self._past_leading_words(text, start, end)
            name = text[start:end]
            # ("Kelso Metals' manganese sulphate operations" treat a product: its owner buys ore)
            between = text[match.end("name") : match.end()].casefold().split()
            if start < title_end or set(between) & self.product_words:
                continue
            if (
                len(name) > 2
                and name.split()[0] not in _PRONOUNS
                and not self.names.is_place(name)
                # (a word that elsewhere runs on into a longer name, "Kelso 9", is its
                # clipped form: the name in full is the company's)
                and not re.search(rf"\b{re.escape(name)}[ \t]+\d", text)
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, name, "rule"))
        for match in self.bare_signer.finditer(text):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)  # "Australia's X signed"
            first = match.group("name").split()[0]
            if (
                start >= title_end
                and first not in self.leading_drop
                and first not in _PRONOUNS
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        subjects = (
            self.supplying_subjects.finditer(text)
            if any(word in text for word in self.supplying_words)
            else ()
        )
        for match in subjects:
            if match.start() < title_end:
                continue
            for start, end in _list_members(text, *match.span("names")):
                # "North Carolina-based X": the name begins after its qualifier
                for word in re.finditer(r"\S+[ \t]+", text[start:end]):
                    if _LEADING_QUALIFIER.fullmatch(word.group().rstrip()):
                        start += word.end()
                        break
                start = self._after_place_possessive(text, start, end)
                start = self._past_leading_words(text, start, end)
                words = text[start:end].split()
                if (
                    words
                    and words[0] not in self.leading_drop
                    and words[0] not in _PRONOUNS
                    and not self.names.is_place(text[start:end])
                    # ("the Kelso Hill Project would supply": a site, not its owner)
                    and not _SITE_TAIL.search(text[start:end])
                    and (start, end) not in model_orgs  # (the model's own: left to it)
                    # (nor a short form defined in brackets: it is the full name's alias)
                    and f"({text[start:end]})" not in text
                    and not any(m.start < end and start < m.end for m in found)
                    and not self._not_an_org(doc, start, end)
                ):
                    found.append(OrgHit(start, end, text[start:end], "rule"))
        for match in (
            *self.producer_noun_name.finditer(text),
            *self.ranked_producer_name.finditer(text),
        ):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)  # "Australia's X"
            end = before_possessive(text, start, end)  # "producer X's announcement"
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if self._not_an_org(doc, start, end) or self.roles.buyer_apposition.match(text[end:]):
                continue
            sent_start, sent_end = sentence_bounds(doc, start)
            # "supply silicon to silicones producer Y": a producer of other goods buys here
            buys = self.roles.counterparty_buys(text[sent_start:start], text[end:sent_end])
            # "battery cell producer X": a maker of goods made from the mineral buys it
            buys = buys or bool(self.roles.consumer_before.search(text[sent_start:start]))
            found.append(OrgHit(start, end, text[start:end], "rule" if buys else "producer_noun"))
        # "4. Kelso Minerals (Ontario) - plans to produce 80 t a year": a numbered
        # list of producers, each item its name, its country or province, and its output
        for match in _PRODUCER_ITEM.finditer(text):
            start, end = match.span("name")
            place = match.group("place").split(";")[0].split(",")[0].strip()
            if (
                start < title_end
                or not self.names.is_place(place)
                or any(m.start < end and start < m.end for m in found)
                or self._not_an_org(doc, start, end)
            ):
                continue
            found.append(OrgHit(start, end, text[start:end], "producer_noun"))
        for match in (
            *self.producer_list.finditer(text),
            *self.producing_companies.finditer(text),
        ):
            if match.start() < title_end:
                continue
            sent_start = sentence_bounds(doc, match.start())[0]
            if self.roles.consumer_before.search(text[sent_start : match.start("list")]):
                continue  # "battery producers such as A, B and C" buy
            for start, end in _list_members(text, *match.span("list")):
                if text[end - 1] == "." and not self.trailing_suffix.search(text[start:end]):
                    end -= 1  # the sentence's full stop ("... and Velda."), not "Inc."
                # "Illinois-based X": the name begins after its qualifier
                if qualifier := _LEADING_QUALIFIER.match(text, start, end):
                    start = qualifier.end() + 1
                if any(m.start < end and start < m.end for m in found):
                    for mention in found:
                        if mention.start == start and mention.end == end:
                            mention.source = "producer_noun"
                    continue
                if not self._not_an_org(doc, start, end) and not self.names.is_place(
                    text[start:end]
                ):
                    found.append(OrgHit(start, end, text[start:end], "producer_noun"))
        for match in self.officer_employer.finditer(text, title_end):
            start, end = match.span("name")
            start = self._past_leading_words(text, start, end)
            end = before_possessive(text, start, end)
            name = text[start:end]
            if (
                start < end
                and name.split()[0] not in self.leading_drop
                and not self.names.is_place(name)
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, name, "rule"))
        # (every reading of a site's tender names the word: most texts are passed over at once)
        tenders = _SITE_TENDER.finditer(text, title_end) if "tender" in text else ()
        for match in tenders:
            group = next(g for g in ("name", "name2", "name3", "name4") if match.group(g))
            start, end = match.span(group)
            start = self._past_leading_words(text, start, end)
            if (
                start >= end
                or self._not_an_org(doc, start, end)
                or self.names.is_place(text[start:end])
            ):
                continue
            named = [m for m in found if m.start < end and start < m.end]
            for mention in named:
                mention.source = "producer_noun"
            if not named:
                found.append(OrgHit(start, end, text[start:end], "producer_noun"))
        for match in self.producer_of_name.finditer(text):
            # "one local producer of nuclear-grade zirconium, Elmsworth Alloys & Components,
            # and ...", "the sole source of enriched boron has been Ruritania's state-owned Borexa"
            start, end = match.span("name")
            what_start, what_end = match.span("what")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if not any(what_start <= h.start < what_end for h in minerals):
                continue
            if (
                self._not_an_org(doc, start, end)
                or name_key(match.group("name")) in self.role_names
            ):
                continue
            found.append(OrgHit(start, end, match.group("name"), "producer_noun"))
        for match in _STATE_OWNED_NAME.finditer(text):
            # "Peru's state-owned Minerva Andina": the model may take the name for a place
            start, end = match.span("name")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if not self._not_an_org(doc, start, end):
                found.append(OrgHit(start, end, match.group("name"), "rule"))
        terms = {
            m.group("acr")
            for m in _TERM_ACRONYM.finditer(text)
            # the word before is lower-case, so the acronym is no company's short form
            if re.search(r"(?:^|\s)[a-z][\w-]*$", text[max(0, m.start() - 40) : m.start()])
        }
        sites = self._site_names(doc)
        for start, end in doc._.minwatch_ner_orgs or []:
            newline = text.find("\n", start, end)
            if newline > start:
                # "from the Tillabrook Project\n- Five-year term": the model ran over a line
                end = newline
            if _LOCATION_BEFORE.search(text[max(0, start - 8) : start]):
                continue
            if (
                _SITE_AFTER.match(text[end : end + 20])
                or self.site_pair_after.match(text[end : end + 60])
                or _SITE_AFTER_WORD.match(text[end : end + 40])
            ):
                continue
            if any(m.start <= start < m.end or start <= m.start < end for m in found):
                continue
            name = text[start:end]
            if name.lower().startswith("the "):
                start, name = start + 4, name[4:]
            if name.endswith(("'s", "’s")):
                end, name = end - 2, name[:-2]
            # "bought from Orsa by ...": the model may run a name into the next preposition
            if trailing := _TRAILING_FUNCTION_WORD.search(name):
                end, name = end - len(trailing.group()), name[: trailing.start()]
            lead = _PLACE_THEN_PREPOSITION.match(name)
            if lead and self.names.is_place(lead.group("place")):
                start, name = start + lead.end(), name[lead.end() :]
            # "Kelso Materials Co 300073.SZ": a listing code after the name is no part of it
            if ticker := _TRAILING_TICKER.search(name):
                end, name = end - len(ticker.group()), name[: ticker.start()]
            # "RNS Number : 3391K Harlow Minerals PLC": a filing code before the name
            if code := _LEADING_CODE.match(name):
                start, name = start + code.end(), name[code.end() :]
            # "X Magnetics of Elmwood Park, Idaho": a contract digest's address
            if (of := name.rfind(" of ")) > 0 and _STATE_AFTER.match(text, end):
                state = _STATE_AFTER.match(text, end)
                if state and self.names.is_place(state.group("place")):
                    end, name = start + of, name[:of]
            # "Kelso Mining Signs Nickel Offtake With ...": in a headline's capitals a
            # verb ends the name the model ran on
            if start < title_end and (verb := self.headline_verb.search(text, start, end)):
                end = verb.start()
            start = self._after_place_possessive(text, start, end)  # "Mongolia's Tsagaan Metals"
            # "Orsa's Tarn Complex": the model ran an owner into its site; the owner is the name
            owned = _OWNER_OF_SITE.fullmatch(text, start, end)
            if owned is not None:
                end = owned.end("owner")
            # "Automaker Ardent Motors has signed": a capitalised trade noun is no part of it
            if len(text[start:end].split()) > 1:
                start = self._past_leading_words(text, start, end)
            name = text[start:end]
            left = _NAME_CONTINUES_LEFT.search(text[max(0, start - 60) : start])
            if left:
                start, name = start - len(left.group()), left.group() + name
            key = name_key(name)
            lowercase = not re.match(r"[A-Z0-9]|[a-z]{1,3}[A-Z]", name)  # "commerce ministry"
            if (
                _MONEY_LIKE.fullmatch(name)
                or _FIGURE_LIKE.fullmatch(name)
                or (_CURRENCY_GLUED.fullmatch(name) and re.match(r"[,.]\d", text[end : end + 2]))
            ):
                # "CNY 412,000", "Yn68,120/t", "8.9mn": a price or a figure the model took for
                # a name
                continue
            if key in self.not_orgs or lowercase or name in terms or key in sites:
                continue
            tail = self.not_org_tail.search(name)
            if tail and tail.end() == len(name):
                continue
            if any(h.start <= start and end <= h.end for h in minerals):
                # "Fluorspar, metallurgical grade, FOB Maputo", "Molybdenum oxide is quoted
                # at": a capitalised mineral word at a sentence start is no company
                continue
            if _SITE_TAIL.search(name) and not self.roles.producer_apposition.match(text[end:]):
                # "the Merrin Ionic Clay Project", "the Oakhurst Refinery": a site, not its owner
                # (but "Tavrin Metallurgical Plant is the second producer" names a company)
                continue
            if key == "company":
                if issuer is not None:
                    found.append(OrgHit(start, end, name, "ner"))
                continue
            if self._not_an_org(doc, start, end):
                continue
            # a name the gazetteer knows ("TSX" in "(TSX: QRL)") keeps its gazetteer standing
            source = "gazetteer" if key in self.role_names else "ner"
            found.append(OrgHit(start, end, name, source))
        found.sort(key=lambda m: m.start)
        for mention in list(found):
            window = max(0, mention.start - 80)
            pair = _COORDINATED_BEFORE.search(text[window : mention.start])
            if pair is None:
                continue
            start = window + pair.start("name")
            end = start + len(pair.group("name"))
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if name_key(pair.group("name")) in sites or self._not_an_org(doc, start, end):
                continue
            found.append(OrgHit(start, end, pair.group("name"), "ner"))
        # "from Rio-like Corp as well as Ohio-based Kelso Materials": the name joined to a
        # source after "from" is a candidate, whatever the model made of it
        for mention in list(found):
            if not _FROM_BEFORE.search(text, max(0, mention.start - 60), mention.start):
                continue
            joined = _JOINED_AFTER.match(text, mention.end)
            if joined is None:
                continue
            start, end = joined.span("name")
            start = self._after_place_possessive(text, start, end)  # "and Ruritania's X"
            name = text[start:end]
            if (
                name.split()[0] not in self.leading_drop
                and not self.names.is_place(name)
                and not any(m.start < end and start < m.end for m in found)
                and not self._not_an_org(doc, start, end)
            ):
                found.append(OrgHit(start, end, name, "rule"))
        # "Australian company kelvion Ltd", later "kelvion has ...": a name written all in lower
        # case, its legal form after it, that the text names again
        for lower in _LOWERCASE_NAME.finditer(text, title_end):
            start, end = lower.span()
            bare = lower.group("word")
            if (
                len(re.findall(rf"(?<![\w-]){bare}(?![\w-])", text)) >= 2
                and not any(m.start < end and start < m.end for m in found)
                and name_key(bare) not in self.not_orgs
                # ("said the Corporation": a determiner before a legal form)
                and bare not in _DETERMINERS
            ):
                found.append(OrgHit(start, end, lower.group(), "rule"))
        found.extend(self._repeated_names(doc, found))
        for match in self.award_line.finditer(text):
            name = self._award_line_name(match.group("name"))
            if name and name_key(name) not in self.not_orgs:
                start = match.start("name")
                found.append(OrgHit(start, start + len(name), name, "award_line"))
        for start, end in doc._.minwatch_producer_spans or []:
            # "offers are limited to material produced by A and B": producers of the mineral,
            # whichever reading found the name first
            named = [m for m in found if m.start < end and start < m.end]
            for mention in named:
                mention.source = "producer_slot"
            if not named:
                found.append(OrgHit(start, end, text[start:end], "producer_slot"))
        for mention in found:
            if (title := self.title_of.match(mention.text)) and title.end() < len(mention.text):
                mention.start += title.end()
                mention.text = mention.text[title.end() :]
            # "South Australia-based X Ltd.": a qualifier of several words, whichever reading
            # found the name, is no part of it
            lead = _QUALIFIED_LEAD.match(mention.text)
            if lead and lead.end() < len(mention.text) and mention.start >= 0:
                mention.start += lead.end()
                mention.text = mention.text[lead.end() :]
            # "enTarn will supply": a pattern that needs a capital to begin a name starts
            # inside a name written with a lower-case head; the name is the whole word
            if mention.text[:1].isupper() and (
                head := _LOWER_HEAD_BEFORE.search(text, max(0, mention.start - 4), mention.start)
            ):
                mention.start = head.start()
                mention.text = text[mention.start : mention.end]
        # ("T plus Q will supply": one capital letter is a piece of a name, never a name)
        return [m for m in found if len(m.text.strip()) > 1]

    def _repeated_names(self, doc: Doc, found: list[OrgHit]) -> list[OrgHit]:
        """Later mentions of a name already found: the model reads only some sentences and
        misses names in others ("Minera Lomas del Viento makes 9,000 tonnes", a sentence with
        no selling word). A name with a corporate suffix is also looked for without it."""
        text = text_of(doc)
        title_end = doc._.minwatch_title_end
        names: set[str] = set()
        # (a short form the text defines for a company is its name even where the word is
        # elsewhere no company's: '("SAM")' after a partnership's name is no website)
        defined: set[str] = set()
        for mention in found:
            if mention.source not in {"rule", "ner"} or name_key(mention.text) in self.role_names:
                continue
            name = mention.text.strip(" ,")
            # 'Harlow Fertilizer LLC, a Delaware partnership (“Harlow”)': the short form the
            # text defines for the name is the name wherever it recurs, one word or not
            aliases = {
                alias
                for alias in mention.aliases
                if alias[:1].isupper()
                and alias.casefold() not in _DEFINED_ROLE_TERMS
                and (alias.isupper() or alias.split()[0] in name.split())
            }
            names.update(aliases)
            defined.update(aliases)
            core = self.trailing_suffix.sub("", name)
            lower_case_name = _LOWERCASE_NAME.fullmatch(name) is not None  # "kelvion Ltd"
            for form in {name, core}:
                words = form.split()
                # one word the model found ("Project", "Wave") is too often a common word
                if len(words) < 2 and (mention.source != "rule" or len(form) < 6):
                    continue
                tail = self.not_org_tail.search(form)
                if (form[:1].isupper() or lower_case_name) and not (
                    tail and tail.end() == len(form)
                ):
                    names.add(form)
        added: list[OrgHit] = []
        for first in self._first_words(text, found) - names:
            for match in re.finditer(rf"(?<![\w-]){re.escape(first)}(?![\w-])", text):
                start, end = match.span()
                if (
                    start >= title_end
                    and _SENTENCE_OPENING.match(text, start)
                    and self.short_subject_after.match(text, end)
                    and not any(m.start < end and start < m.end for m in found)
                    and not self._not_an_org(doc, start, end)
                ):
                    added.append(OrgHit(start, end, first, "ner"))
        for name in sorted(names, key=len, reverse=True):
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                start, end = match.span()
                if start < title_end:
                    continue
                if any(m.start < end and start < m.end for m in (*found, *added)):
                    continue
                if self._not_an_org(doc, start, end) and not (
                    name in defined and name_key(name) in self.not_orgs
                ):
                    continue
                # "Far Ridge" found elsewhere, here "Far Ridge Copper (FRC)"
                if (longer := self.names.through_short_form(text, start, end)) > end:
                    end, name = longer, text[start:longer]
                # "Kelso Lithium" found elsewhere, here "Yunnan Kelso Lithium" opening its
                # sentence: a place word before a company's name is the first of its words
                left = _PLACE_WORD_OPENING.search(text, max(0, start - 30), start)
                if left and self.names.is_place(left.group("word")):
                    start, name = left.start("word"), text[left.start("word") : end]
                added.append(OrgHit(start, end, name, "ner"))
        return added

    def _first_words(self, text: str, found: list[OrgHit]) -> set[str]:
        """The first words of the names found that a text may use alone ("Harlow" of "Harlow
        Resources"): a word of its own, not a place, a word that ends company names (a trade's,
        a mineral's) or a word the text also writes in lower case."""
        firsts = set()
        for mention in found:
            words = mention.text.split()
            if mention.source not in {"rule", "ner"} or len(words) < 2:
                continue
            first = words[0]
            if (
                len(first) >= 4
                and first[0].isupper()
                and first[1:].islower()
                and first.isalpha()
                and first.casefold() not in self.names.company_ends
                and first not in self.leading_drop
                and not self.names.is_place(first)
                and not re.search(rf"(?<![\w-]){first.casefold()}(?![\w-])", text)
            ):
                firsts.add(first)
        return firsts

    def _award_line_name(self, value: str) -> str:
        """The company in an award line's value. Notices add the awardee's address and
        registry numbers ("ACME METALS LLC, Dover, DE 19901 USA (UEI: K7P...)"): the name
        ends at the first comma-separated part that is no corporate suffix ("S.A. de C.V.")."""
        value = re.sub(r"\s*\((?:UEI|CAGE|DUNS|see)\b[^)]*\)", "", value.strip(), flags=re.I)
        # a contract's heading names its parties: "Supplier: X Co., Ltd (Party A)"
        value = re.sub(r"\s*\((?:Party|the)\b[^)]*\)\s*$", "", value, flags=re.I)
        parts = value.split(", ")
        kept = parts[:1]
        for part in parts[1:]:
            if part.strip().casefold() not in self.suffix_set:
                break
            kept.append(part)
        return ", ".join(kept).strip()

    def _suffixed_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """The spans of names that end in a corporate suffix. A legal form that opens a name
        ("Respondent S.A. Orsa Minerals Ltd.") ends no name before it: where nothing but
        words a name drops and legal forms stands before the next name, both are one."""
        matches = list(self.en_company.finditer(text))
        index = 0
        while index < len(matches):
            match = matches[index]
            words = text[self._past_leading_words(text, *match.span()) : match.end()].split()
            following = matches[index + 1] if index + 1 < len(matches) else None
            if (
                following is not None
                and following.start() == match.end() + 1
                and text[match.end()] == " "
                and all(w.casefold() in self.suffix_set for w in words)
            ):
                yield match.start(), following.end()
                index += 2
                continue
            yield match.span()
            index += 1

    def _no_name(self, words: str) -> bool:
        """Capitalised words that name no company where a rule pattern reads one: "It", "The
        ministry", a place, a word the text opens sentences with."""
        return (
            words in _PRONOUNS
            or words.split()[0] in self.leading_drop
            or name_key(words) in self.not_orgs
            or self.names.is_place(words)
        )

    def _past_leading_words(self, text: str, start: int, end: int) -> int:
        """Where a name begins past leading words that are no part of it: "The X Mining",
        "Ohio-based X Minerals", "Vancouver-headquartered X"."""
        while (word := re.match(r"(\S+)[ \t]+", text[start:end])) and (
            word.group(1) in self.leading_drop or _LEADING_QUALIFIER.fullmatch(word.group(1))
        ):
            start += word.end()
        return start

    def _after_place_possessive(self, text: str, start: int, end: int) -> int:
        """Where a name begins after a leading "Vietnam's" / "South Korea's"."""
        head = re.match(r"([A-Z][\w-]*(?: [A-Z][\w-]*)?)['’]s\s+", text[start:end])
        if head and self.names.is_place(head.group(1)):
            return start + head.end()
        return start

    def _site_names(self, doc: Doc) -> set[str]:
        """Names the text gives to a mine, project or plant ("its Brennock mine"): elsewhere in
        the text the bare name ("Brennock, one of the richest deposits") is the site too."""
        names = set()
        for match in re.finditer(
            # (past a mineral word, whatever the noun's case: "its Mount Kerrow Project", "the
            # Kerrow lithium project", "from Ardmore feedstock")
            r"(?P<name>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,2})(?=\s+(?:[a-z][\w-]*\s+)?"
            r"(?i:mine|project|deposit|operation|operations|plant|refinery|smelter|complex"
            r"|prospect|feedstock)\b)",
            text_of(doc),
        ):
            names.add(name_key(match.group("name")))
        for match in _SITE_LIST.finditer(text_of(doc)):
            names.update(
                name_key(member)
                for member in re.split(r",\s+(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+", match["list"])
            )
        return names

    def not_a_name(self, doc: Doc, start: int, end: int) -> bool:
        """Capitalised words that name no organisation: a place, a programme, a site, a
        contract's own name ("Letter of Intent (LOI)")."""
        tail = self.not_org_tail.search(text_of(doc)[start:end])
        return (tail is not None and tail.end() == end - start) or self._not_an_org(doc, start, end)

    @staticmethod
    def _a_kind_of_company(text: str, start: int, end: int) -> bool:
        """'Kelso Holdings Limited, an Ontario Corporation ("Kelso")': what the company is,
        no name."""
        return _A_KIND_OF_COMPANY.search(text, max(0, start - 4), start) is not None and text[
            start:end
        ].split()[-1].casefold().strip(".") in {"company", "corporation", "corp", "partnership"}

    def _not_an_org(self, doc: Doc, start: int, end: int) -> bool:
        """A place, a programme, an owned site or a dateline rather than an organisation."""
        text = text_of(doc)
        name = text[start:end]
        if self.names.is_place(name) or name_key(name) in self.not_orgs:
            return True
        # "Republic of Korea": the head of a place's name that goes on after "of"
        if (of := _OF_PLACE_AFTER.match(text, end)) and any(
            self.names.is_place(text[start:stop]) for stop in (of.end(1), of.end())
        ):
            return True
        if self.not_org_after.match(text[end : end + 20]):
            return True
        if _PLACE_ADJECTIVE_AFTER.match(text, end) or _TOWN_BEFORE_BASED.match(text, end):
            return True
        if self.address_before.search(text, max(0, start - 40), start) and _ADDRESS_AFTER.match(
            text, end
        ):
            # "Halvard Systems Corp., Dayton, Ohio, was awarded": the city of an address
            return True
        if text[start - 1 : start] == "(" and _LISTING_AFTER.match(text, end):
            return True
        if (
            (state := _STATE_AFTER.match(text, end))
            and self.names.is_place(state.group("place"))
            and name.split()[-1].casefold().strip(".") not in self.names.company_ends
            and not self.trailing_suffix.search(name)
        ):
            return True  # "some 40 miles from Bay Harbor, Texas": a town and its state
        if (
            " " not in name
            and name.istitle()
            and _SENTENCE_OPENING.match(text, start)
            and re.search(rf"(?<![\w-]){re.escape(name.casefold())}(?![\w-])", text)
        ):
            # "Deficits began to show": a word capitalised only as a sentence's first, as
            # the document writes it in lower case elsewhere
            return True
        if self._a_kind_of_company(text, start, end):
            return True
        if (
            name.isupper()
            and len(name) <= 6
            and re.search(rf"\b[a-z][\w-]*[ \t]+[a-z][\w-]*[ \t]*\({re.escape(name)}s?\)", text)
        ):
            # "tailings treatment units (TTUs)": the short form of a common noun's phrase names
            # a kind of thing (a plant, a programme), no company
            return True
        if name in self.leading_drop:
            return True  # "Moreover, the miner expects": a sentence's opening word alone
        if _TICKER_BEFORE.search(text, max(0, start - 20), start):
            return True  # "(OTCQX: DRTNF)": the ticker of a listing
        if _POSSESSIVE_BEFORE.search(text[max(0, start - 8) : start]):
            return True
        if re.search(r"\b[A-Z][\w-]*['’]s\s+$", text[max(0, start - 30) : start]):
            owner = re.search(r"([A-Z][\w-]*)['’]s\s+$", text[max(0, start - 30) : start])
            if (
                owner
                and self.names.is_place(owner.group(1))
                and re.match(
                    r"^\s+(?:state|province|region|military|government)\b", text[end : end + 20]
                )
            ):
                return True
        line_start = text.rfind("\n", 0, start) + 1
        dateline = _DATELINE.match(text, line_start)
        return dateline is not None and start < dateline.end()
