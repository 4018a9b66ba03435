"""Which part an English sentence gives an organisation: its role from a name list or a noun
("the data provider X"), and the seller decision list: the context rule records of
`nlp/data/seller_context_rules.jsonl` (run by `nlp/rulebook.py`) by stage, with the checks
that need more than one sentence's words between the stages (coordinated sellers, awardee
lists, the subject of a selling verb, the counterparty of a sale, own sites), and the evidence
that an organisation buys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab

from minwatch.nlp.base import (
    AmountHit,
    MineralHit,
    OrgHit,
    alternation,
    parent_named_before,
    phrase_regex,
    sentence_bounds,
    sentence_index,
    sentence_starts,
    text_of,
    trader_object_regex,
)
from minwatch.nlp.names import officer_after
from minwatch.nlp.org_aliases import name_key, name_words
from minwatch.nlp.rulebook import Context, RuleBook, fired

# "backed by A, B and ", "a $500 million loan with the ", "stakes in miners such as ": the
# words before a name that make it an investor or a lender (the names of a
# list before it included)
_BACKER_NAMED_BEFORE = re.compile(
    r"(?:\b(?:backed|funded|financed|bankrolled)[ \t]+by"
    r"|\b(?:loans?|financing|credit[ \t]+facility|grant)[ \t]+(?:with|from)"
    r"|\b(?:stakes?|investments?)[ \t]+in[ \t]+(?:[\w-]+[ \t]+)?(?:including|such[ \t]+as|like))"
    r"[ \t]+(?:the[ \t]+)?(?:(?:[A-Z][\w&'’.-]*|of|and|&)[ \t,]+){0,12}$"
)

# "treatment and refining charges", "TC/RCs", "treatment charge": the fee a miner pays a smelter
# "... (GLOBE NEWSWIRE) -- ", "/PRNewswire/ -- ": a newswire's dateline, the issuer's name next
_WIRE_DATELINE_BEFORE = re.compile(
    r"(?:\((?:GLOBE NEWSWIRE|BUSINESS WIRE|ACCESSWIRE|ACCESS Newswire|Marketwired|CNW)\)"
    r"|/\s*(?:PRNewswire|CNW|Marketwired)\s*/)\s*[-–—]{1,2}\s*$",
    re.I,
)
# a sentence reporting sales by mass and revenue: "sales revenue of ...", "total sales of"
_OWN_SALES = re.compile(
    r"\b(?:sales\s+revenue|(?:total|record|quarterly)\s+sales\s+of|sold)\b", re.I
)
_TREATMENT_CHARGES = re.compile(
    r"\btreatment\s+(?:and\s+refining\s+)?charges?\b|\bTC/RCs?\b|\bTCs?\s*/\s*RCs?\b"
    # ("processing fees": the same charge in other words)
    r"|\bprocessing\s+fees?\b",
    re.I,
)

# "A and smelter B", "between A and the B": two parties of one settlement, in either order
_PARTY_JOINT = re.compile(r"\s*,?\s+(?:and|&)\s+(?:[\w'’-]+\s+){0,3}?")
# "A agreed charges of $80 a tonne with B": the first party settles with the second
_SETTLED_WITH = re.compile(r"[^.;]{0,80}?\bwith\s+(?:[\w'’-]+\s+){0,3}?")
# "Orsa Smelting", "Velda Refinery": the name says the company processes concentrate
_SMELTER_NAME = re.compile(r"\b(?:Smelt|Refin)\w*")
_SMELTER_NAMED = r"\b(?i:smelters?|refiners?),?\s+(?i:in\s+this\s+case|namely|here),?\s+"
# the guard record for goods sent into a party's site ("ore will feed X's plant")
_SITE_DESTINATION = "not_seller.site_destination"
# the records that call a party a smelter in a text about treatment charges
_SMELTER_RECORDS = (
    "not_seller.smelter_paid_treatment_charges",
    "not_seller.smelter_noun_in_treatment_charges",
)

# "Ruritanian smelter ", "smelters A and ": a smelter's noun right before the name
_SMELTER_BEFORE = re.compile(
    r"\b(?i:smelters?|refiners?)\s+(?:[A-Z][^;:.]{0,80}?(?:,\s+|\s+(?:and|&)\s+))?$"
)

# What a release calls the parties of an agreement ('X (the "Purchaser")', 'Y (the "Vendor")').
BUYER_TERMS = {"purchaser", "buyer", "offtaker", "customer", "买方", "需方", "采购方", "买受人"}
SELLER_TERMS = {"vendor", "seller", "supplier", "卖方", "供方", "供货方", "出卖人"}

# Roles that never take part in a deal: they do not stand between a seller and its verb.
_BYSTANDERS = {
    "exchange",
    "media",
    "price_agency",
    "bank",
    "law_firm",
    "industry_body",
    "data_provider",
    "regulator",
    "carrier",
}

# a rule record's verdict as `supplier_context` returns it ("none": no seller here)
# "X's offtake agreement", "the X initial agreement": the name qualifies the deal it is party to
_POSSESSED_AGREEMENT = re.compile(
    r"(?:['’]s?)?\s+(?:(?:initial|original|amended|revised|new|existing|first|second|binding"
    r"|long-term|offtake|off-take|supply|sales?|purchase)\s+){0,3}"
    r"(?:agreement|contract|deal|order|tender|mou)s?\b",
    re.I,
)
_SUPPLY_VERB_BEFORE = re.compile(
    r"\b(?:supply|supplies|supplying|provide|provides|providing|furnish|sell|sells|selling)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_SIGNING_GERUND = re.compile(r"\s+(?:signing|inking|entering|agreeing|supplying|selling)\b")
_VERDICT: dict[str, str | None] = {"strong": "strong", "weak": "weak", "none": None}
# (a member's bracketed short form may come before the joint: "A (ABC), B and C")
_LIST_JOINT = re.compile(r"(?:[ \t]*\([^()]{1,12}\))?(?:,?[ \t]+(?:and|&)[ \t]+|,[ \t]+)")

_PURCHASE_CUE = re.compile(
    r"\b(?:buy|buys|bought|purchas\w*|order\w*|contract\w*|"
    r"award\w*|acquir\w*|procur\w*|offtake|tender\w*|"
    # a solicitation's restriction of its offers ("Offers are limited to material produced by")
    r"offerors?|offers\s+(?:are\s+|will\s+be\s+)?(?:limited|restricted))\b",
    re.I,
)
# "- X", "• X", "2. X", "(b) X": the start of a list item (not `base.LIST_MARKER`, which
# reads "a." and "(12)" items but no em dash, and may run past a line end)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-•*–—]|\d{1,2}[.)]|\([a-z\d]\))[ \t]+")
# "an offtake agreement (the "Agreement") with Y": Y is the counterparty of a deal
_AGREEMENT_WITH = re.compile(
    r"\b(?:agreement|deal|contract|offtake|arrangement|term\s+sheet|understanding|MOU|MoU"
    r"|memorandum|letter\s+of\s+intent|LOI)s?\s+"
    r"(?:\([^)]*\)\s+)?with\b",
    re.I,
)
_COUNTERPARTY_WITH = re.compile(
    _AGREEMENT_WITH.pattern + r"\s+(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,4}$", re.I
)
# "tenders for the sale of", "a sale tender", "a sale of zircon sands by open tender": a
# tender that sells
_SALE_TENDER = re.compile(
    r"\btenders?\s+(?:for|to)\s+(?:the\s+)?(?:sale|sell|dispos)"
    r"|\bsales?\s+(?:tenders?|auctions?)\b"
    r"|\bsale\b(?:[^.;]|\.(?=\S)){0,80}?\bby\s+(?:calling\s+for\s+)?(?:an?\s+)?"
    r"(?:international\s+|open\s+)?"
    r"tenders?\b",
    re.I,
)
# ", a nickel exploration company", ", a developer of ...": no producer (nor one that
# also produces: ", a producer and developer of ...")
_DEVELOPER_APPOSITION = re.compile(
    r",?\s+(?:is\s+)?(?:an?|the)\s+(?:(?!produc|min(?:er|ing)\b)[\w-]+\s+){0,3}?"
    r"(?:development|exploration|explorer|developer)(?:[\s-]+stage)?"
    r"(?:\s+(?:company|group|firm))?(?![\w-])(?![^,.;]{0,30}\bproduc)",
    re.I,
)
# "... for 40 000 t/y of fluorspar from its Brennock project": the material's source is the
# subject's own site (a "the Company's" of a release included)
# the sites a company's own output comes from
_OWN_SITES = r"(?:project|mine|mines|deposit|operation|operations|plant|refinery|smelter)\b"
_FROM_OWN_SITE = re.compile(
    r"^(?:[^.;]|\.(?=\w|\s+[a-z(])){0,320}?\bfrom\s+(?:its|their|the\s+Company['’]s)\s+(?:[\w%'’-]+\s+){0,3}?"
    + _OWN_SITES,
    re.I,
)
# "shut a kiln at its Vardel plant": a plant of the subject
_OWN_PLANT_AFTER = re.compile(
    r"^[^.;]{0,120}?\b(?:at|in)\s+its\s+(?:[\w'’-]+\s+){0,3}?(?:plant|plants|furnaces?"
    r"|works|facility)\b",
    re.I,
)
_CAPACITY_WORD = re.compile(r"\bcapacity\b", re.I)
# 'Y (the "Purchaser"), a wholly owned US subsidiary of the Company'
_SUBSIDIARY_OF = re.compile(
    r"\s*\([^)]*\),?\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?subsidiary\s+of\s+(?:the\s+)?"
    r"(?P<parent>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)*)"
)
# "The largest portion went to X": a share of an award
_SHARE_WENT_TO = re.compile(
    r"\b(?:share|award|contract|order|lot|tranche|portion)s?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:went|go|goes)\s+to\b",
    re.I,
)
# what may come before a sentence's subject: a few words of an opening ("On Monday, ")
_OPENS_SENTENCE = re.compile(r"\s*(?:[\w'’-]+\s+){0,3}?(?:[\w'’-]+,\s+)?(?:[Tt]he\s+)?")
# "the company" / "The miner": a lower-case noun referring back (the capitalised "the
# Company" of a release is its issuer's defined term, resolved elsewhere)
_REFERRING_PHRASE = re.compile(
    # ("The Corporation will deliver the ore": a state company's own word for itself)
    r"\b[Tt]he\s+(?P<phrase>(?:company|miner|producer|refiner|smelter|[Cc]orporation))\b"
)
# "X has executed a ten-year agreement to purchase its concentrate", "X (said it)
# signed a deal with Y to buy": the signer of an agreement to buy is its buyer
# (past an apposition: "X, the metals unit of Y, has secured a contract to procure")
_SIGNED_TO_BUY_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:,[^,.;()]{1,80},\s*)?"
    r"(?:(?:is\s+pleased\s+to\s+announce|said|says|announced)\s+(?:that\s+)?"
    r"(?:it|they)\s+)?(?:has|have|had|will|would)?\s*(?:signed|entered\s+into|inked|struck|"
    r"executed|reached|secured|concluded)\s+(?:[^.;]{0,60}?\s)?(?:agreement|deal|contract|option"
    r"|rights?)\s+(?:[^.;]{0,20}?\s)?to\s+(?:purchase|buy|acquire|procure|source)\b",
    re.I,
)
# "X has entered into a multi-year purchase contract with Y": the party that signs a purchase
# contract with another buys (not a share, stock or asset purchase, nor a "sale and purchase")
_SIGNED_PURCHASE_WITH_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:announced|said|says)\s+(?:that\s+)?(?:it|they)\s+)?"
    r"(?:has|have|had|will|would)?\s*(?:also\s+)?(?:signed|entered\s+into|inked|"
    r"struck|executed|concluded|agreed)\s+(?:a|an|the|its|their|two|three|several|new)\s+"
    r"(?:(?!(?:share|shares|stock|asset|assets|equity|sale|and)\b)[\w-]+\s+){0,3}?"
    r"(?:purchase|purchasing|procurement)\s+(?:agreements?|contracts?|deals?|orders?)\s+with\b",
    re.I,
)
# "Y (Y1) to which it supplies concentrate", "Y, to whom it sells": the one supplied
_SUPPLIED_BY_IT_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?,?\s*to\s+(?:which|whom)\s+(?:it|they)\s+(?:also\s+)?"
    r"(?:supplies|supply|supplied|sells|sell|sold|delivers|deliver|delivered|ships|ship|shipped)\b",
    re.I,
)
# "X signed a deal with Y": Y is the other party, the sentence is about X
_WITH_BETWEEN = re.compile(r"\bwith\s+(?:[\w-]+\s+){0,3}$")
# "will receive a 40% advance payment", "to receive US$20 million": money received, no goods
_PAYMENT_AFTER = re.compile(
    r"\s+(?:[^\s.;]+\s+){0,4}?(?:(?:pre)?payments?|advances?|loans?|grants?|funding|royalt"
    r"(?:y|ies)|fees?|cash|proceeds|[A-Z]{0,3}\$|€|£|¥)",
    re.I,
)
# what may stand between a subject and its verb: "X (ASX: X) has also agreed to buy"
_VERB_LEAD = re.compile(
    # (past a relative clause: "X, which signed an offtake for the concentrate, will take")
    r"(?:,\s+(?:which|that)\s+[^,;.]{1,120},)?"
    # (past a day and a report: "X on Thursday said it will buy"; the modal stays with the
    # verb, "will buy")
    r"\s*(?:\([^)]*\)\s*)?(?:on\s+[A-Z][a-z]+day\s+)?(?:(?:has|have|had|also|already"
    r"|said\s+(?:that\s+)?(?:it|they)(?:\s+(?:had|has))?"
    # ("had exercised a purchase option to acquire")
    r"|exercised\s+(?:its|a|an|the|their)\s+(?:[\w-]+\s+){0,2}?option)\s+)*"
)
# "agreed to sell 8,000 tonnes a year of cobalt sulphate to X", "to A and B"
_SOLD_TO_BEFORE = re.compile(
    r"\b(?:sell|sells|sold|selling|supply|supplies|supplied|supplying|deliver|delivers"
    r"|delivered|delivering|ship|ships|shipped|shipping|export|exports|exported|output"
    # ("the sale of its zinc concentrate to Y over five years": the noun too)
    r"|sale|sales)\b"
    r"(?:[^.;]|\.(?=\d)){0,150}?\bto\s+(?:the\s+)?"
    r"(?:[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*,?\s+(?:and|&)\s+)?$"
)
# "some of that cobalt goes to Y", "its output will go to Orsa's competitor, Y": where the goods
# go (not "the contracts went to Y": awards)
_GOODS_GO_TO_BEFORE = re.compile(
    r"\b(?:(?:of\s+)?(?:that|this|the|its|their)\s+(?!(?:contracts?|awards?|orders?|shares?|lots?"
    r"|tranches?|portions?|deals?|prizes?|business|work)\b)[a-z]+|output|production|concentrates?|ores?"
    r"|products?|cathodes?|tonnes|tons)\s+(?:(?:will|would)\s+)?(?:goes|go|went|going)\s+to\s+"
    r"(?:the\s+)?(?:(?:[A-Z][\w&'’.-]*['’]s\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?,\s+)?$"
)
# "inked a sales agreement with Shanghai-based X": a sales agreement is named from the
# seller's side, so the party it is signed with buys (the mirror of a purchase agreement)
_SALES_DEAL_WITH_BEFORE = re.compile(
    r"\b(?:sales?|selling)\s+(?:agreements?|contracts?|deals?)\s+with\s+(?:the\s+)?"
    r"(?:[\w-]+-based\s+|(?-i:[A-Z])[\w-]*['’]s\s+)?$",
    re.I,
)
# "to supply US carmaker X (NASDAQ: XC) with nickel": the party supplied "with" the goods
_SUPPLIED_BEFORE = re.compile(
    r"\b(?:supply|supplies|supplied|supplying|provide|provides|provided|providing)\s+"
    r"(?!chains?\b)(?:[\w'’.-]+\s+){0,4}$",
    re.I,
)
# "... with Y, a Canadian producer that will supply the carmaker with": the counterparty
# of the agreement is the one that supplies
_COUNTERPARTY_SUPPLIES = re.compile(
    r"[^.;]{0,120}?,\s+(?:[^,.;]{0,60}\s)?(?:which|that|who)\s+(?:will|would|is\s+to|agreed\s+to)?"
    r"\s*(?:supply|supplies|sell|sells|deliver|delivers|provide|provides)\b"
)
# "X signed a deal with Y to gain access to its tailings", "... with Y to secure supply of
# lithium": the subject is the one that gets the material
_GAINS_ACCESS = re.compile(
    r"[^.;]{0,160}?\bwith\b[^.;]{0,80}?\b(?:(?:for|to\s+(?:gain|secure))\s+access\s+to"
    r"|to\s+secure\s+(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+)?(?:supply|supplies))\b"
)
# ("supply X (X1) with", also past where X is: "supply its partner X in the UK with")
_SUPPLIED_WITH_AFTER = re.compile(
    r"^(?:\s*\([^)]{0,40}\))?(?:,?\s+(?:in|of|at|based\s+in)\s+(?:the\s+)?[A-Z][\w.'’-]*"
    r"(?:\s+[A-Z][\w.'’-]*){0,2},?)?\s+with\b"
)
_PRICE_AFTER = re.compile(
    r"\s+(?:for|at)\s+(?:around|about|roughly|some|just|under|over|nearly|from)?\s*"
    r"(?:[A-Z]{1,3})?[$€£¥]"
)
_NOUN_USE_AFTER = re.compile(r"^\s*(?:[.,;:)]|(?:of|and|are|were|from|for|in)\b)")
_PASSIVE_BEFORE = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$", re.I)
# "the whole output produced at its pit": a participle after a noun, then where,
# qualifies that noun (not "X last year produced 500 t": a figure follows)
_NOUN_BEFORE = re.compile(
    r"\b(?!(?:has|have|had|also|then|now|already|which|that|who|and|or|it|they)\b)"
    r"[a-z]+(?<!ly)\s+$"
)
_PLACE_AFTER_PARTICIPLE = re.compile(r"\s+(?:at|in|from|by|under)\b")
# "an amount of refined tellurium", "the mined ore", "for refined tellurium": a participle
# after a determiner or a preposition qualifies a noun; it is no verb of the sentence's subject
_ADJECTIVE_BEFORE = re.compile(
    r"\b(?:of|for|with|in|on|from|into|as|at|per|the|a|an|its|their|our|this|these|those|that"
    r"|some|any|more|less|much)\s+$",
    re.I,
)
_AGENT_AFTER = re.compile(r"\s+by\b")
# "X agreed an off-take contract for concentrate produced by a family-run miner": the ore is
# another's, X takes it (not "produced by its own mine")
_OFFTAKE_OF_OTHERS = re.compile(
    r"[^.;]{0,60}?\b(?:off-?take|purchase)\s+(?:contract|agreement|deal)s?\s+for\s+[^.;]{0,60}?"
    r"\b(?:mined|produced|made|refined)\s+by\s+(?!(?:its|their|our)\b)",
    re.I,
)
# "X has signed a second offtake deal for concentrate from its Z mine, this one with Y": the
# subject's own deal, its counterparty named later if at all
_DEAL_FOR_OWN_SITE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:has|have|had)?\s*(?:signed|inked|struck|entered\s+into|secured|"
    r"agreed|finalised|finalized)\s+(?:an?|the|its|their)?\s*(?:[\w-]+\s+){0,3}?"
    # (the output "of its Z project" or the project itself: "an offtake agreement for its Z
    # Nickel Project with Y")
    r"(?:offtake|off-take|supply|sales?)\s+(?:agreement|deal|contract)s?\s+for\b"
    r"(?:[^.;]{0,80}?\bfrom)?\s+(?:its|their)\s+(?:[\w%'’-]+\s+){0,6}?" + _OWN_SITES,
    re.I,
)
_OFFTAKE_WITH_BEFORE = re.compile(
    r"\b(?:offtake|off-take)\s+(?:agreement|deal|contract)s?\b[^.;]{0,200}?\bwith\s+"
    r"(?:(?:the|a|an)\s+)?(?:[A-Z][\w-]*['’]s\s+)?(?:[A-Za-z][\w-]*\s+){0,2}?$"
)
_OWN_OUTPUT = re.compile(
    r"\b(?:from|for)\s+(?:its|their)\s+(?:[\w%'’-]+\s+){0,6}?"
    r"(?:project|mine|mines|deposit|operations?)\b",
    re.I,
)
_REPORTING_CLAUSE = re.compile(r"\s+(?:reports|reported|writes|wrote)\s*[.,;]")
# "import the wheat from ", "bought 9,000 tonnes of rice from ": goods bought from the
# organisation right after
_BOUGHT_FROM = re.compile(
    r"\b(?:buy|buys|bought|buying|purchas(?:e|es|ed|ing)|import(?:s|ed|ing)?|procur(?:e|es|ed|ing)"
    r"|get|gets|got)\s+(?P<goods>(?:(?!from\b)[^.;])+?)\s+from\s+(?:the\s+)?$"
    # (and in the passive: "20,000 tonnes of rice will be bought from ")
    r"|(?P<subject>[^.;,]{1,80}?)\s+(?:be|been|is|are|was|were)\s+"
    r"(?:procured|imported|purchased|bought)\s+from\s+(?:the\s+)?$",
    re.I,
)
# (the words of a measure, not of the goods: "9,000 tonnes more rice")
# "400,000 EVs", "up to 2 million cells": a count of goods after a verb
_COUNTED_GOODS = re.compile(
    r"\s+(?:(?:up\s+to|about|some|around|over|nearly)\s+)?\d[\d,.]*\s+"
    r"((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)"
)
_MEASURES = frozenset(
    {"tonnes", "tons", "tonne", "ton", "mt", "kg", "lot", "lots", "more", "million", "billion"}
)
# "X (NASDAQ: X) rose 3.6% after agreeing to purchase 500K lbs of ...": X buys (a stake or
# shares bought is no material)
_BUYING_GERUND = re.compile(
    r"(?:[^.;]|\.(?=\d)){0,60}?\b(?:after|by|when|while)\s+(?:agreeing\s+to\s+(?:buy|purchase|take)|buying"
    r"|purchasing)\b(?!\s+(?:(?:a|an|the)\s+)?(?:[\d.]+\s?%\s+)?(?:stake|interest|shares)\b)",
    re.I,
)
_NAME_LABEL = re.compile(r"[ \t]*(?:company[ \t]+)?name[ \t]*:[ \t]*", re.I)
_BUYING_PURPOSE = re.compile(
    r"[^.;]{0,60}?\bto\s+(?:acquire|buy|purchase|source|procure|take)\b(?!\s+(?:place|effect|part)\b)"
)


# "A, which makes the cells that power ": the name that follows stands inside A's relative
# clause (no comma has closed it yet)
_IN_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who)\b[^,;]*$")


class RoleReader:
    """The role lists and seller cues of the data files, compiled once per pipeline."""

    def __init__(
        self,
        vocab: Vocab,
        orgs: dict[str, Any],
        cues: dict[str, Any],
        supplier_cues: dict[str, Any],
        rule_records: list[dict[str, Any]],
        lexicon: dict[str, Any],
        mass_units: Iterable[str],
    ) -> None:
        self.officer_after = officer_after(lexicon["officer_titles"])
        # ("400,000 tonnes" after a verb is a mass, "400,000 EVs" a count of goods)
        self.mass_units = frozenset(u.casefold() for u in mass_units)
        # words that open no bare noun phrase of goods: "supplies the agency", "supplies to
        # X", "will supply up to", "supplies about 5,000 tonnes", "supplies it"
        self.not_goods_start = frozenset(
            lexicon["determiners"] + lexicon["prepositions"] + lexicon["quantity_words"]
        )
        self.role_names: dict[str, str] = {}
        for role, names in orgs["roles"].items():
            for name in names:
                self.role_names[name_key(name)] = role
        self.role_keywords: dict[str, list[str]] = orgs["role_keywords"]
        names = [n for ns in orgs["roles"].values() for n in ns]
        self.role_regex = re.compile(r"(?<![\w-])(?:" + alternation(names) + r")(?![\w-])")
        self.role_nouns = {
            role: phrase_regex(nouns) for role, nouns in orgs["role_nouns_before"].items()
        }
        self.buyer_after = phrase_regex(cues["buyer_after_org_en"])
        self.trader_before = re.compile(
            r"\b(?:" + alternation(supplier_cues["trader_nouns_en"]) + r")[ \t]+$", re.I
        )
        self.buyer_line = re.compile(
            r"[ \t]*(?:" + alternation(cues["buyer_line_labels_en"]) + r")[ \t]*:[ \t]*", re.I
        )
        self.notice_markers = tuple(cues["notice_markers"])
        self.rules = RuleBook(vocab, rule_records, supplier_cues)
        # the context rules other checks also read, from the one record that defines each
        self.consumer_name_words = frozenset(supplier_cues["consumer_name_words_en"])
        self.miner_name_words = frozenset(supplier_cues["miner_name_words_en"])
        self.buyer_apposition = self.rules.regex("not_seller.customer_apposition")
        self.producer_apposition = self.rules.regex("seller.producer_apposition")
        self.producer_before = self.rules.regex("seller.producer_noun_before")
        self.consumer_before = self.rules.regex("not_seller.consumer_noun_before")
        self.object_before = self.rules.regex("not_seller.object_of_preposition")
        # ("to ship nickel to Swiss trader X, as it looks to sell": a trader the deal goes
        # to or is made with is its object, no subject of a later clause's verb)
        self.trader_object = trader_object_regex(supplier_cues["trader_nouns_en"])
        # ("a supply agreement (the Contract) with X": a defined term in brackets may stand
        # between the phrase's words)
        # ("to annually export": an adverb in "-ly" may stand between the verb's words)
        self.seller_verb = phrase_regex(
            supplier_cues["seller_verbs_en"], gap=r"\s+(?:\([^()]{1,30}\)\s+)?(?:[a-z]+ly\s+)?"
        )
        # ("will also take", "is now buying": an adverb between the verb's words)
        self.buyer_verb = phrase_regex(
            supplier_cues["buyer_verbs_en"],
            gap=r"\s+(?:(?:also|then|now|soon|still|initially|additionally)\s+)?",
        )
        nouns = alternation(supplier_cues["seller_nouns_en"])
        sold = "|".join(re.escape(n) for n in supplier_cues["sold_object_not_mineral_en"])
        self.material_words = frozenset(supplier_cues["material_object_words_en"])
        self.sold_other_after = re.compile(
            rf"^\s+(?:(?:a|an|the|its|their|part\s+of|some|all|[\d.,]+%?|[\w-]+)\s+){{0,3}}?"
            # ("sold the Tarn nickel mine": the mine changes hands; "sold the mine's
            # concentrate" sells its output)
            rf"(?:{sold})\b(?!['’])",
            re.I,
        )
        self.producer_counterparty = re.compile(
            # ("with a Kazakh chrome producer, Kelso Chrome", "with several producers abroad")
            rf"^\s+(?:(?:the|a|an)\s+)?(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){{0,2}}(?:{nouns})\b"
        )
        self.making_verb = re.compile(
            rf"{phrase_regex(supplier_cues['making_verbs_en']).pattern}(?P<object>[^.;]{{0,50}})",
            re.I,
        )
        sites = "|".join(re.escape(n) for n in supplier_cues["own_site_nouns_en"])
        # "Halvard Copper Inc. is reopening its Ostend Hill mine": whoever runs a mine mines.
        self.own_site_after = re.compile(
            # "lowered its guidance to 2.15 million tonnes, after a flood at its Loma Gris
            # mine": a decimal point ends no sentence, an adverbial clause keeps the subject
            rf"^(?:[^.;,]|(?<=\d)[.,](?=\d)|,\s*(?:which|who|and|after|following|citing"
            rf"|because|due\s+to|as|while|when)\b|,\s*(?=[^,]{{0,80}},))"
            rf"{{0,160}}?\b(?:its|their|operates\s+the|runs\s+the|owns\s+the)\s+"
            rf"(?:[\w'’-]+\s+){{0,4}}?(?:{sites})\b",
            re.I,
        )
        awardee = "|".join(re.escape(c) for c in supplier_cues["awardee_list_cues_en"])
        # "the awards went to A, $11.2 million ...; B, $6 million ...; and C": every
        # organisation after the cue in the sentence is an awardee.
        self.awardee_list = re.compile(rf"\b(?:{awardee})\b", re.I)
        self.buyer_subject = phrase_regex(supplier_cues["buyer_subject_nouns_en"])

    def role(self, doc: Doc, mention: OrgHit) -> str | None:
        key = name_key(mention.text)
        if key in self.role_names:
            return self.role_names[key]
        words = mention.text.replace(",", " ").split()
        if len(words) > 1 and words[0].isupper() and self.role_names.get(name_key(words[0])):
            # "DLA Troop Support", "DLA Energy": a unit of an agency has the agency's role
            return self.role_names[name_key(words[0])]
        if mention.source in {"ner", "long_form"}:
            for role, keywords in self.role_keywords.items():
                if any(word in keywords for word in words):
                    return role
        elif any(word in self.role_keywords.get("industry_body", ()) for word in words[1:]):
            # "the Ruritanian Nickel Study Group": a body that studies or speaks for an
            # industry, whatever mineral its name carries
            return "industry_body"
        text = text_of(doc)
        # "..., Diario Norte reports.": a reporting clause names a newspaper
        if (
            mention.start > 1
            and _REPORTING_CLAUSE.match(text, mention.end)
            and text[max(0, mention.start - 2) : mention.start] in {", ", "; "}
        ):
            return "media"
        line_start = text.rfind("\n", 0, max(mention.start, 0)) + 1
        line = text[line_start : mention.start]
        previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
        if mention.start >= 0 and (
            self.buyer_line.fullmatch(line)
            # "Buyer:" on a line of its own, then "Company name: X"
            or (_NAME_LABEL.fullmatch(line) and self.buyer_line.fullmatch(previous))
        ):
            return "buyer"  # a contract's heading: "Buyer: X Co., Ltd (Party B)"
        sent_start, _ = sentence_bounds(doc, max(mention.start, 0))
        before = text_of(doc)[max(sent_start, mention.start - 40) : max(mention.start, 0)]
        tail = before[-35:]
        for role, nouns in self.role_nouns.items():
            # "the data provider Kellbrook Metal Data": the noun directly precedes the name.
            found = list(nouns.finditer(tail))
            if found and len(tail) - found[-1].end() <= 2:
                return role
        return None

    def rule_context(self, doc: Doc, mention: OrgHit, mentions: list[OrgHit]) -> Context:
        """The organisation's place in its sentence, with the facts the rule records require."""
        text = text_of(doc)
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        minerals = doc._.minwatch_minerals or []
        return Context(
            doc,
            mention.start,
            mention.end,
            sent_start,
            sent_end,
            {
                "purchase_cue": lambda: (
                    _PURCHASE_CUE.search(text, sent_start, sent_end) is not None
                ),
                "mineral_before": lambda: any(
                    sent_start <= h.start < mention.start for h in minerals
                ),
                "mineral_in_sentence": lambda: any(
                    sent_start <= h.start < sent_end for h in minerals
                ),
                # "X's 2024 cobalt production", "X's output of refined tin"
                "mineral_right_after": lambda: any(
                    mention.end <= h.start < min(sent_end, mention.end + 32) for h in minerals
                ),
                # "will import the wheat from X": what is bought from X is named, and is no
                # material (a record asks for it where its sentence names no mineral)
                "not_other_goods_from": lambda: (
                    not self._other_goods_from(text, sent_start, mention.start)
                ),
                "buyer_earlier": lambda: self._buyer_earlier(doc, mention, mentions, sent_start),
                # the text is about the fee a miner pays for its concentrate's processing
                "treatment_charges": lambda: about_treatment_charges(doc),
                "joined_to_smelter": lambda: self._joined_to_smelter(
                    doc, mention, mentions, sent_start, sent_end
                ),
                # "signed a deal with X", "an agreement with Norway's X"
                "deal_with_before": lambda: (
                    _DEAL_WITH_BEFORE.search(text, sent_start, mention.start) is not None
                ),
                # "Orsa Lithium signed an offtake agreement with ...": a miner signs first
                "miner_signs_earlier": lambda: self._miner_signs_earlier(
                    doc, mention, mentions, sent_start
                ),
                # "a $180 million contract for X", "an order for X"
                "deal_for_before": lambda: (
                    _DEAL_FOR_BEFORE.search(text, sent_start, mention.start) is not None
                ),
                # the sentence, or the one before it, tells a sale by tender
                "sale_tender": lambda: (
                    _SALE_TENDER.search(
                        text, sentence_bounds(doc, max(0, sent_start - 2))[0], sent_end
                    )
                    is not None
                ),
            },
        )

    def supplier_context(
        self, doc: Doc, mention: OrgHit, mentions: list[OrgHit], cluster_of: dict[int, int]
    ) -> str | None:
        """How the sentence marks the organisation as a seller: "strong" (it sells, is
        awarded, is called a producer) or "weak" (it runs a mine: it may still buy here)."""
        if mention.start < doc._.minwatch_title_end or mention.start < 0:
            return None
        text = text_of(doc)
        if any(marker in text for marker in self.notice_markers):
            # in a notice only the awardee supplies; other names are offices or countries
            return None
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        sentence = text[sent_start:sent_end]
        before = text[sent_start : mention.start]
        after = text[mention.end : sent_end]
        context = self.rule_context(doc, mention, mentions)
        # the decision list: rule records by stage (nlp/data/seller_context_rules.jsonl),
        # with the checks that need more than one sentence's words between the stages
        if rule := self.rules.first("lead", context):
            return _VERDICT[rule.verdict]
        # "produced by A, B and C": a name joined to a seller by a list joint shares its role
        joined = [
            m
            for m in mentions
            if sent_start <= m.start
            and m.end <= mention.start
            and _LIST_JOINT.fullmatch(text, m.end, mention.start)
        ]
        if (
            joined
            # ("A and B signed a deal under which A will supply": the sentence singles out the
            # seller by naming it again)
            and not any(
                mention.end <= m.start < sent_end
                and cluster_of.get(id(m)) == cluster_of.get(id(joined[-1]))
                for m in mentions
            )
            and self.supplier_context(doc, joined[-1], mentions, cluster_of) == "strong"
            and not _partner_sources_next(doc, mention, joined[-1], mentions, cluster_of)
            # (but "miner A and smelter B agreed treatment charges": B buys the concentrate)
            and not self._smelter(doc, mention, mentions)
        ):
            return "strong"
        if rule := self.rules.first("awarded", context):
            return _VERDICT[rule.verdict]
        if (
            self.awardee_list.search(before)
            and not _GOODS_GO_TO_BEFORE.search(before)
            # (a tender that sells is awarded to its buyer)
            and not context.facts["sale_tender"]()
            and (
                _PURCHASE_CUE.search(sentence)
                # "splitting the awards ... among three producers. The largest portion went to
                # X" (but "half of its output went to X" after a deal makes X a buyer)
                or (
                    _SHARE_WENT_TO.search(before)
                    and _PURCHASE_CUE.search(text, max(0, sent_start - 300), sent_start)
                )
            )
        ):
            return "strong"
        if self._award_list_item(doc, mention):
            return "strong"
        if rule := self.rules.first("winner", context):
            return _VERDICT[rule.verdict]
        # (unless the subject is a trader: "trader T signed an offtake with Y for ore from its
        # mine" buys Y's ore)
        trader_subject = any(
            sent_start <= m.start < mention.start and self.is_trader(doc, m) for m in mentions
        )
        if self.counterparty_buys(before, after, trader_subject=trader_subject):
            return None
        for stage in ("producer", "counterparty"):
            if rule := self.rules.first(stage, context):
                return _VERDICT[rule.verdict]
        if self._subject_of(doc, mention, mentions, cluster_of, sent_end) and not any(
            _partner_sources_next(doc, mention, partner, mentions, cluster_of)
            for partner in mentions
            if sent_start <= partner.start
            and partner.end <= sent_end
            and _SUBJECT_JOINT.fullmatch(
                text,
                min(partner.end, mention.end),
                max(partner.start, mention.start),
            )
        ):
            return "strong"
        for stage in ("possessive", "object"):
            if rule := self.rules.first(stage, context):
                return _VERDICT[rule.verdict]
        site = self.own_site_after.match(after)
        if (
            site is not None
            and not self._org_between(
                mention, mentions, cluster_of, mention.end, mention.end + site.end()
            )
            # ("X will supply Y with nickel matte from its Z operation": "its" is the
            # supplier's; but "providing Y with a bridge financing for its deposit" is Y's)
            and not (
                _supplied_with(text, sent_start, mention)
                and any(
                    mention.end <= m.start < mention.end + site.end()
                    for m in doc._.minwatch_minerals or []
                )
            )
        ):
            return "weak"
        # "X said it would restart a kiln at its Vardel plant, adding 12,000 t/yr of
        # capacity": whoever cuts or adds tonnes of capacity at its own plant produces there
        plant = _OWN_PLANT_AFTER.match(after)
        if (
            plant is not None
            and _CAPACITY_WORD.search(sentence)
            and any(
                a.kind == "quantity" and sent_start <= a.start < sent_end
                for a in doc._.minwatch_amounts or []
            )
            and not self._org_between(
                mention, mentions, cluster_of, mention.end, mention.end + plant.end()
            )
        ):
            return "weak"
        # "X has entered an offtake agreement with Y for 20,000 t/y from its Z project": the
        # counterparty of "with" is an object, and "its" is still the subject's
        source = _FROM_OWN_SITE.match(after)
        if (
            source
            and _AGREEMENT_WITH.search(after[: source.end()])
            and not self.is_trader(doc, mention)
        ):
            return "weak"
        # (so in "X has signed an offtake deal for concentrate from its Z mine, with Y")
        if _DEAL_FOR_OWN_SITE.match(after) and not self.is_trader(doc, mention):
            return "weak"
        return None

    def counterparty_buys(self, before: str, after: str, *, trader_subject: bool = False) -> bool:
        """The organisation is the one sold to, even where a producer noun names it ("agreed to
        supply 6,000t to Italian glass producer Y": Y makes glass from what it buys), or
        the counterparty of an agreement whose material comes "from its" (the subject's) site:
        "X signed an offtake with coolant producer Y for 15,000 t/y from its Z mine"."""
        if _goes_to(before, 0, len(before)):
            return True
        described = re.search(r"\bto\s+(?:[\w'’-]+\s+){1,5}$", before)
        if described and _SOLD_TO_BEFORE.search(before[: described.start()] + "to "):
            return True
        if trader_subject:
            return False  # a trader owns no mine: "its" site is the counterparty's
        source = _FROM_OWN_SITE.match(after)
        return bool(
            source
            and _COUNTERPARTY_WITH.search(before[-120:])
            # "agreement with Y, which will supply cobalt from its operations": "its" is Y's
            and not self.seller_verb.search(after, 0, source.end())
        )

    def _award_list_item(self, doc: Doc, mention: OrgHit) -> bool:
        """ "The orders are:\n- X, Tucson, Arizona: $85 million for ...": a list item
        that opens with the organisation and states a sum, under a lead-in line about awards or
        orders, names an awardee, whatever the item's layout."""
        text = text_of(doc)
        line_start = text.rfind("\n", 0, mention.start) + 1
        item = _LIST_ITEM.match(text, line_start)
        if item is None or item.end() != mention.start:
            return False
        line_end = text.find("\n", mention.start)
        line_end = len(text) if line_end < 0 else line_end
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        if not any(a.kind == "money" and mention.end <= a.start < line_end for a in amounts):
            return False
        lines = text[:line_start].splitlines()
        while lines and (not lines[-1].strip() or _LIST_ITEM.match(lines[-1])):
            lines.pop()
        lead_in = lines[-1].strip() if lines else ""
        return lead_in.endswith(":") and _PURCHASE_CUE.search(lead_in) is not None

    def buyer_evidence(self, doc: Doc, mention: OrgHit) -> bool:
        """The sentence makes the organisation a buyer: the one sold to ("sold 12 tonnes of
        germanium to X", "output to A and B", "supply X with nickel"), the subject of a buying
        verb ("X will take 9,000 tonnes", "X has agreed to buy"), or a customer by apposition."""
        if mention.start < 0:
            return False
        text = text_of(doc)
        sent_start, _ = sentence_bounds(doc, mention.start)
        if sold_to(doc, mention):
            return True
        # (goods sent into its site: "ore will feed X's sulphate plant"; and a smelter in a
        # text about treatment charges buys the concentrate it processes)
        context = self.rule_context(doc, mention, [])
        records = [_SITE_DESTINATION, *(_SMELTER_RECORDS if about_treatment_charges(doc) else ())]
        if any(self.rules.applies(self.rules.by_id[r], context) for r in records):
            return True
        after = text[mention.end : mention.end + 200]
        if self.buyer_apposition.match(after):
            return True
        if parent_named_before(text, mention.start, sent_start):
            # "a wholly-owned subsidiary of X, has exercised its right to purchase": the parent
            # of the sentence's subject buys through it (what the subsidiary does is its
            # parent's: "..., has agreed to buy")
            clause = re.match(r"[^;]*?,?\s+(?:has|have|had|will|would|is|was)?\s*", after)
            start = clause.end() if clause else 0
            if self.buyer_verb.search(after, start, start + 80) and not self.seller_verb.search(
                after, start, start + 80
            ):
                return True
        if (
            _GAINS_ACCESS.match(after)
            or _SIGNED_TO_BUY_AFTER.match(after)
            or _SIGNED_PURCHASE_WITH_AFTER.match(after)
            or _SUPPLIED_BY_IT_AFTER.match(after)
        ):
            return True
        if _OFFTAKE_OF_OTHERS.match(after):
            return True
        if _BUYING_GERUND.match(after):
            return True
        # "a second offtake deal for concentrate from its mine, this one with Y":
        # the other party of a deal for the subject's own output takes it
        offtaker = _OFFTAKE_WITH_BEFORE.search(
            text, max(sent_start, mention.start - 260), mention.start
        )
        if offtaker and _OWN_OUTPUT.search(text, sent_start, mention.start):
            return True
        lead = _VERB_LEAD.match(after)
        verb = self.buyer_verb.match(after, lead.end() if lead else 0)
        # "X will receive an advance payment from Y": the seller is paid, it buys nothing
        return verb is not None and not (
            verb.group().casefold().endswith("receive") and _PAYMENT_AFTER.match(after, verb.end())
        )

    def _buyer_earlier(
        self, doc: Doc, mention: OrgHit, mentions: list[OrgHit], sent_start: int
    ) -> bool:
        """A buyer is the subject: a buying agency named earlier in the sentence or "the
        department", a trader, or a company whose name says it makes goods ("Orsa Motors")."""
        text = text_of(doc)
        if self.buyer_subject.search(text, sent_start, mention.start):
            return True
        # "Battery maker Orsa signed ...": the subject's trade noun, whether or not the model
        # took its one-word name for one
        for subject in _CAPITALISED.finditer(text, sent_start, min(mention.start, sent_start + 60)):
            if self.consumer_before.search(text, sent_start, subject.start()):
                return True
        # (or a trader: "metals trader X signed an offtake agreement with Y" buys Y's output)
        earlier = [m for m in mentions if sent_start <= m.start < mention.start]
        # (a maker of goods only as the sentence's subject: "Orsa Motors signed a deal with X",
        # or one its trade noun calls so: "Carmaker Orsa signed a deal with X")
        first = _first_party(mentions, sent_start, mention.start)
        return any(m.role == "buyer" or self.is_trader(doc, m) for m in earlier) or bool(
            first
            and (
                self.is_consumer(first)
                or self.consumer_before.search(text, sent_start, first.start)
            )
        )

    def _miner_signs_earlier(
        self, doc: Doc, mention: OrgHit, mentions: list[OrgHit], sent_start: int
    ) -> bool:
        """The sentence's first party, before this one, is a miner or a developer: named for
        mining or a mineral ("Orsa Lithium", "Kelso Resources") or called one ("lithium miner
        X"), and no buyer."""
        text = text_of(doc)
        if self._buyer_earlier(doc, mention, mentions, sent_start):
            return False
        first = _first_party(mentions, sent_start, mention.start)
        if first is None and sent_start > 0 and _DEAL_OPENS.match(text, sent_start):
            # "The offtake agreement signed with X is for ...": the deal the sentence before
            # told, signed by that sentence's first party
            lo, _ = sentence_bounds(doc, max(len(text[:sent_start].rstrip()) - 1, 0))
            first = _first_party(mentions, lo, sent_start)
        if first is None:
            return False
        return bool(
            {w.casefold() for w in re.findall(r"[A-Za-z]+", first.text)} & self.miner_name_words
            or _MINER_BEFORE.search(text, max(sent_start, first.start - 40), first.start)
        )

    def _joined_to_smelter(
        self, doc: Doc, mention: OrgHit, mentions: list[OrgHit], sent_start: int, sent_end: int
    ) -> bool:
        """The other party of the sentence's settlement ("A and smelter B agreed", "between A
        and B", "A ... with B") is a smelter: the miner who pays it to process its concentrate."""
        text = text_of(doc)
        for other in mentions:
            if not (sent_start <= other.start and other.end <= sent_end) or _same_company(
                other, mention
            ):
                continue
            if other.end <= mention.start:
                joined = _PARTY_JOINT.fullmatch(text, other.end, mention.start)
            elif mention.end <= other.start:
                joined = _PARTY_JOINT.fullmatch(
                    text, mention.end, other.start
                ) or _SETTLED_WITH.fullmatch(text, mention.end, other.start)
            else:
                continue
            if joined and self._smelter(doc, other, mentions):
                return True
        return False

    def _smelter(self, doc: Doc, party: OrgHit, mentions: list[OrgHit]) -> bool:
        """In a text about treatment charges, the company is called a smelter or refiner, where
        it is named or anywhere else."""
        if not about_treatment_charges(doc):
            return False
        if _SMELTER_NAME.search(party.text):
            return True
        # ("smelters, in this case B": named as the smelter where the model read no name)
        if re.search(_SMELTER_NAMED + re.escape(party.text) + r"\b", text_of(doc)):
            return True
        records = [self.rules.by_id[i] for i in _SMELTER_RECORDS]
        return any(
            self.rules.applies(record, self.rule_context(doc, m, mentions))
            for m in mentions
            if m.start >= 0 and _same_company(m, party)
            for record in records
        )

    def is_consumer(self, mention: OrgHit) -> bool:
        """The name says the company makes goods from minerals ("Orsa Motors")."""
        return bool(set(re.findall(r"[A-Za-z]+", mention.text)) & self.consumer_name_words)

    def is_trader(self, doc: Doc, mention: OrgHit) -> bool:
        """The name is described as a trader right before it ("commodities trader X")."""
        return bool(
            self.trader_before.search(text_of(doc), max(0, mention.start - 40), mention.start)
        )

    def _org_between(
        self, mention: OrgHit, mentions: list[OrgHit], cluster_of: dict[int, int], lo: int, hi: int
    ) -> bool:
        home = cluster_of.get(id(mention))
        return any(
            lo <= m.start < hi and cluster_of.get(id(m)) != home and m.role not in _BYSTANDERS
            for m in mentions
        )

    def _other_goods_from(self, text: str, sent_start: int, start: int) -> bool:
        """The sentence buys goods named by words of no material from the organisation
        ("import the wheat from X", "9,000 tonnes of rice ... from X")."""
        bought = _BOUGHT_FROM.search(text, sent_start, start)
        if bought is None:
            return False
        # the goods: the words after the last "of" ("9,000 tonnes of rice"), or all of them
        goods = (bought.group("goods") or bought.group("subject")).lower().rsplit(" of ", 1)[-1]
        words = re.findall(r"[a-z][\w-]*", goods)
        nouns = [w for w in words if w not in self.not_goods_start and w not in _MEASURES]
        return bool(nouns) and not any(w in self.material_words for w in nouns)

    def _other_goods(self, tail: str) -> bool:
        """The verb's object is a bare noun phrase of goods that names no material (also
        counted: "to produce 400,000 EVs a year")."""
        counted = _COUNTED_GOODS.match(tail)
        if counted is not None:
            words = [w.casefold() for w in counted.group(1).split()]
            return not (
                words[0] in _MEASURES
                or words[0] in self.mass_units
                or any(w.strip("-") in self.material_words for w in words)
            )
        phrase = re.match(r"\s+((?:[a-z][\w-]*\s+){0,4}[a-z][\w-]*)\b", tail)
        if phrase is None:
            return False
        words = phrase.group(1).split()
        if words[0] in self.not_goods_start:
            return False
        return not any(w.strip("-") in self.material_words for w in words)

    def _subject_of(
        self,
        doc: Doc,
        mention: OrgHit,
        mentions: list[OrgHit],
        cluster_of: dict[int, int],
        sent_end: int,
    ) -> bool:
        """The organisation is the subject of a selling verb: "X will supply", "X, which mines
        cobalt, ...", "X has signed a firm offtake agreement with Y" (the nearest
        organisation before the verb; passives such as "to be produced" do not count)."""
        text = text_of(doc)
        # "X's offtake agreement entails that Y will supply": the party whose agreement is the
        # subject is no subject of the verb (but "X offtake agreement" needs the possessive or
        # a qualifier: "X signed an agreement" is no match)
        if _POSSESSED_AGREEMENT.match(text, mention.end):
            return False
        # "ahead of the Treasury auction, which is set to bring": after a preposition the
        # name is an object, never the subject of a later verb
        relative = re.match(r"\s*(?:\([^)]*\)\s*)?,\s*(?:which|who)\b", text[mention.end :])
        # ("a year of talks led to X signing an offtake with Y": the gerund's subject)
        gerund = _SIGNING_GERUND.match(text, mention.end)
        # "a deal with Orsa Energy (OE) to deliver": a bracketed short form stands where its
        # full name stands
        head = next(
            (
                m.start
                for m in mentions
                if 0 <= m.end < mention.start
                and re.fullmatch(r"\s*\(\s*[\"“]?", text[m.end : mention.start])
            ),
            mention.start,
        )
        # (the words before it in its own sentence: a headline ending "... supply" is no verb
        # of the body's first name)
        sent_start = sentence_bounds(doc, mention.start)[0]
        if (
            relative is None
            and gerund is None
            and (
                self.object_before.search(text[max(sent_start, head - 30) : head])
                or self.trader_object.search(text[max(sent_start, head - 50) : head])
                # "a contract to supply X with nickel": X is the supplying verb's object
                or _SUPPLY_VERB_BEFORE.search(
                    text, max(sent_start, mention.start - 30), mention.start
                )
            )
        ):
            return False
        # "A, the U.S. subsidiary of B, will deliver": names inside A's apposition are no subject
        # (the comma of "3,000 tonnes" ends no apposition)
        apposition = re.match(
            r"\s*(?:\([^)]*\)\s*)?,(?:[^,;]|(?<=\d),(?=\d)){0,80},", text[mention.end : sent_end]
        )
        lo = mention.end + (apposition.end() if apposition else 0)
        # "the venture between Minerva Andina and Salinera Norte to make lithium": joint subjects
        for partner in sorted(mentions, key=lambda m: m.start):
            if partner.start >= lo and _SUBJECT_JOINT.fullmatch(text, lo, partner.start):
                lo = partner.end
                apposition = re.match(r"\s*\([^)]*\)", text[lo:sent_end])
                lo += apposition.end() if apposition else 0
        mineral_in_sentence = any(
            sent_start <= h.start < sent_end for h in doc._.minwatch_minerals or []
        )
        # "A, which makes the cells that power B's cars, is to supply": a name inside another's
        # relative clause is the subject of no verb past the clause's closing comma
        verbs_end = sent_end
        if _IN_RELATIVE_CLAUSE.search(text, sent_start, mention.start):
            closing = text.find(",", mention.end, sent_end)
            verbs_end = closing if closing >= 0 else sent_end
        for pattern, needs_mineral in ((self.seller_verb, False), (self.making_verb, True)):
            for verb in pattern.finditer(text, mention.end, verbs_end):
                if not mineral_in_sentence and re.search(r"award|\bwon\b", verb.group(), re.I):
                    # "X was awarded a modification for missile production": an award for no
                    # mineral supplies none
                    break
                if _PASSIVE_BEFORE.search(text[max(0, verb.start() - 12) : verb.start()]) or (
                    " " not in verb.group()
                    and (
                        _ADJECTIVE_BEFORE.search(text, max(0, verb.start() - 8), verb.start())
                        or (
                            _NOUN_BEFORE.search(text, max(0, verb.start() - 20), verb.start())
                            and _PLACE_AFTER_PARTICIPLE.match(text, verb.end())
                        )
                    )
                ):
                    continue
                if _AGENT_AFTER.match(text, verb.end()):
                    continue  # "the ingot previously supplied by Y": Y's verb, not the subject's
                if self._org_between(mention, mentions, cluster_of, lo, verb.start()):
                    break
                if self.buyer_after.match(
                    re.sub(r"^\s*(?:\([^)]*\)\s*)?(?:already|also)?\s*", "", text[mention.end :])
                ):
                    return False
                if needs_mineral and not any(
                    verb.start() <= h.start < verb.end() + 50 for h in doc._.minwatch_minerals or []
                ):
                    break
                # "Hoshimura will purchase concentrate made at Merrin", "Ostfeld agreed to buy zinc
                # from Brennock": the subject's own verb buys; a later selling word is another's
                if self.buyer_verb.search(text, mention.end, verb.start()):
                    return False
                tail = text[verb.end() : verb.end() + 60]
                if _NOUN_USE_AFTER.match(tail) and verb.group().lower() == "supplies":
                    continue  # "contracts for field tents and spare parts."
                if self.sold_other_after.match(tail):
                    continue  # "sold a 40% stake in its cloud business"
                if any(
                    a.kind == "money" and a.excluded and verb.end() < a.start <= verb.end() + 12
                    for a in doc._.minwatch_amounts or []
                ):
                    continue  # "had supplied $20 million of loans": money lent
                if not mineral_in_sentence and self._other_goods(tail):
                    continue  # "makes vehicles and supplies powertrain systems"
                if _PRICE_AFTER.match(tail):
                    continue  # "its flagship car sells for around US$70,000": a price
                # a trader's (or a carmaker's) agreement "with" a producer buys its output, and
                # so does one "to buy": "X entered a supply agreement with Y to buy precursor"
                if verb.group().lower().endswith(" with") and (
                    self.is_trader(doc, mention)
                    or self.is_consumer(mention)
                    or _BUYING_PURPOSE.match(text, verb.end(), sent_end)
                ):
                    return False
                # "X signed an offtake agreement with Malawian developer Y": Y sells, X buys;
                # so in "X entered an offtake agreement with Y, a company that will supply
                # it with graphite"
                return not (
                    verb.group().lower().endswith(" with")
                    and (
                        self.producer_counterparty.match(tail)
                        or _COUNTERPARTY_SUPPLIES.match(text, verb.end(), sent_end)
                        or _GAINS_ACCESS.match(text, mention.end, sent_end)
                        or (
                            self._producer_after_with(text, mentions, verb.end(), sent_end)
                            and not self._described_producer(text, mention, sent_start)
                        )
                    )
                )
        return False

    def _producer_after_with(
        self, text: str, mentions: list[OrgHit], after_with: int, sent_end: int
    ) -> bool:
        """ "X has a supply deal with Y, a German chemicals producer": the party
        the sentence describes as the producer is the one that sells; X buys its output."""
        counterparty = next(
            (
                m
                for m in sorted(mentions, key=lambda m: m.start)
                if after_with <= m.start < sent_end
                # (past a place's possessive: "with Ruritania's Y, the region's biggest producer")
                and re.fullmatch(
                    r"\s*(?:the\s+)?(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+)?",
                    text[after_with : m.start],
                )
            ),
            None,
        )
        return counterparty is not None and bool(
            self.producer_apposition.match(text[counterparty.end : sent_end])
        )

    def _described_producer(self, text: str, mention: OrgHit, sent_start: int) -> bool:
        """ "Nickel producer X" or "X, a nickel producer": the sentence says what X does."""
        # ("Chilean copper producer, X": a comma may stand between the noun and the name)
        before = re.sub(r",\s*$", " ", text[max(sent_start, mention.start - 80) : mention.start])
        return bool(
            self.producer_apposition.match(text[mention.end : mention.end + 200])
            or self.producer_before.search(before)
        )

    def referring_phrases(
        self, doc: Doc, mentions: list[OrgHit], cluster_of: dict[int, int]
    ) -> dict[int, set[str | None]]:
        """What "the company" / "the miner" does, credited to the organisation it refers to:
        the last one named before it (within two sentences) that is no agency, bank, newspaper
        or other bystander. "Tomas Varga has led Minera Lomas del Viento S.A. since 2019. Today the
        company, which evaporates brine ..., mines lithium" makes Minera Lomas del Viento a
        producer."""
        if doc.lang_ == "zh":
            return {}
        text = text_of(doc)
        if any(marker in text for marker in self.notice_markers):
            return {}
        found: dict[int, set[str | None]] = {}
        named = sorted((m for m in mentions if m.start >= 0), key=lambda m: m.start)
        for match in _REFERRING_PHRASE.finditer(text, doc._.minwatch_title_end):
            start, end = match.span("phrase")
            # ("Kelso Nickel, a subsidiary of Orsa Group, ...; the producer will": an owner
            # named in passing is not what the phrase takes up)
            earlier = [
                m for m in named if m.end <= start and not parent_named_before(text, m.start)
            ]
            if not earlier:
                continue
            antecedent = earlier[-1]
            # "X has signed a deal with Y for the ores from the company's deposit": inside
            # one sentence the phrase refers to its subject, the first name in it
            here = sentence_index(doc, start)
            same = [m for m in earlier if sentence_index(doc, m.start) == here]
            if len(same) >= 2 and _WITH_BETWEEN.search(text, same[0].end, same[1].start):
                antecedent = same[0]
            # ("X agreed to sell 100 t to Y from the company's mine", "X will buy 20 t from
            # the miner": not the one the sentence has buy; its subject if named before it,
            # else none)
            elif same and antecedent is same[-1] and self.buyer_evidence(doc, antecedent):
                if len(same) < 2 or self.buyer_evidence(doc, same[0]):
                    continue
                antecedent = same[0]
            elif not same and _OPENS_SENTENCE.fullmatch(
                text, sentence_bounds(doc, start)[0], match.start()
            ):
                # "X agreed terms with Y, a unit of the trader Z. The company plans to mine
                # ...": a sentence opening on the phrase goes on about the subject of the
                # sentence before, not the last name in it
                there = sentence_index(doc, antecedent.start)
                prior = [m for m in earlier if sentence_index(doc, m.start) == there]
                subject = prior[0]
                if _OPENS_SENTENCE.fullmatch(
                    text, sentence_bounds(doc, subject.start)[0], subject.start
                ) and subject.role in (None, "supplier"):
                    antecedent = subject
            if antecedent.role is not None and antecedent.role != "supplier":
                continue
            if here - sentence_index(doc, antecedent.start) > 2:
                continue
            stand_in = OrgHit(start, end, match.group("phrase"), "pronoun")
            kind = self.supplier_context(doc, stand_in, mentions, cluster_of)
            if kind is not None:
                found.setdefault(cluster_of[id(antecedent)], set()).add(kind)
        return found

    def buying_side(self, doc: Doc, clusters: list[list[OrgHit]]) -> set[int]:
        """Mentions of the organisations a release defines as the buyer ('X (the "Purchaser")')
        and of the parent named in 'X (the "Purchaser"), a wholly owned US subsidiary of the
        Company': a group buying through its subsidiary is no seller for its name alone."""
        text = text_of(doc)
        buyers = [
            c for c in clusters if any(a.casefold() in BUYER_TERMS for m in c for a in m.aliases)
        ]
        side = {id(m) for c in buyers for m in c}
        for cluster in buyers:
            for mention in cluster:
                parent = _SUBSIDIARY_OF.match(text, max(mention.end, 0))
                if mention.start < 0 or parent is None:
                    continue
                name = parent.group("parent")
                for other in clusters:
                    if any(m.text == name or name in m.aliases for m in other):
                        side.update(id(m) for m in other)
        return side

    @staticmethod
    def smelter_paid_charges(doc: Doc, mention: OrgHit) -> bool:
        """Called a smelter or refiner ("Ruritanian smelter X") in a text about the treatment
        and refining charges miners pay: it buys the concentrate it is paid to process."""
        text = text_of(doc)
        return (
            mention.start >= 0
            and _SMELTER_BEFORE.search(text, max(0, mention.start - 100), mention.start) is not None
            and about_treatment_charges(doc)
        )

    @staticmethod
    def offtaker_of_miner(doc: Doc, mention: OrgHit) -> bool:
        """A record read the organisation as the party a miner's offtake or supply deal is
        signed with: a producer noun before its name ("battery materials producer X") names
        what it makes from what it buys."""
        decided = fired(doc)
        return any((record, mention.start, mention.end) in decided for record in _OFFTAKER_RECORDS)

    @staticmethod
    def owner_only(doc: Doc, cluster: list[OrgHit]) -> bool:
        """Every mention names another party's owner or backer ("Y, a subsidiary of X", "Y is
        backed by X and Z", "a loan with X", "stakes in miners such as X"): named
        in passing, no party to the deal for its name alone."""
        text = text_of(doc)
        named = [m for m in cluster if m.start >= 0]
        if not named or not all(
            parent_named_before(text, m.start)
            or _BACKER_NAMED_BEFORE.search(
                text, max(sentence_bounds(doc, m.start)[0], m.start - 120), m.start
            )
            for m in named
        ):
            return False
        # (a name the text goes on to talk about in a sentence of its own, "Orsa Zinc is a
        # leading smelter", by its first words, is more than an owner in passing)
        core = " ".join(named[0].text.split()[:2])
        return len(re.findall(rf"(?<![\w-]){re.escape(core)}(?![\w-])", text)) <= len(named)

    def issuer_reporting_sales(
        self, doc: Doc, cluster: list[OrgHit], mentions: list[OrgHit]
    ) -> bool:
        """A producer's operating report: the company a newswire's dateline names ("(GLOBE
        NEWSWIRE) -- X Limited") reports in sentences naming no company ("Quarterly sales of 700
        tonnes of cobalt hydroxide brought US$9 million") its own sales."""
        text = text_of(doc)
        if not any(
            _WIRE_DATELINE_BEFORE.search(text, max(0, m.start - 60), m.start) for m in cluster
        ):
            return False
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        masses = [a.start for a in doc._.minwatch_amounts or [] if a.kind == "quantity"]
        starts = [*sentence_starts(doc), len(text)]
        for lo, hi in pairwise(starts):
            if (
                _OWN_SALES.search(text, lo, hi)
                and any(lo <= s < hi for s in masses)
                and any(lo <= m.start < hi for m in minerals)
                and not any(lo <= m.start < hi for m in mentions)
            ):
                return True
        return False

    def named_for_mineral(self, doc: Doc, cluster: list[OrgHit]) -> bool:
        """ "Tarrant Lithium Limited", in a text about lithium: a company named for a mineral
        the document discusses mines or sells it. A homonym ("Tin Whistle Capital" in a lithium
        story) names no mineral found outside the organisation's own name."""
        if doc.lang_ == "zh" or any(marker in text_of(doc) for marker in self.notice_markers):
            return False
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        text = text_of(doc)
        names = [name_words(m.text) for m in cluster]

        def heading_of_name(hit: MineralHit) -> bool:
            # "TIN THORNBURY BAKERY" above "Tin Thornbury Bakery Co., the Leeds bread maker":
            # a briefs column heads each item with its company's name in capitals
            lo = text.rfind("\n", 0, hit.start) + 1
            hi = text.find("\n", hit.start)
            line = text[lo : hi if hi >= 0 else len(text)].strip()
            if not line.isupper():
                return False
            words = name_words(line)
            return any(n[: len(words)] == words for n in names)

        outside = {
            c
            for h in minerals
            if not any(m.start <= h.start < m.end for m in cluster) and not heading_of_name(h)
            for c in h.canonicals
        }
        # "Orsa Nickel Plc, a nickel exploration company in Ruritania": the text calls it
        # one that has yet to produce, and its name says no more than that
        if any(_DEVELOPER_APPOSITION.match(text, m.end) for m in cluster):
            return False
        for mention in cluster:
            if mention.source != "rule" or mention.start < doc._.minwatch_title_end:
                continue
            if self.officer_after.match(text, mention.end, mention.end + 80):
                continue  # "X executive chairman Y said": a voice, whatever its name
            if self.owner_only(doc, [mention]):
                continue  # "Y, a subsidiary of Orsa Zinc": a party's owner, named in passing
            # the mineral word inside a name is not a mineral hit, so match the name's words
            words = {w.casefold() for w in name_words(mention.text)}
            if words & outside:
                return True
        return False


# the records that read a miner's offtaker
_OFFTAKER_RECORDS = (
    "not_seller.offtaker_of_a_miners_deal",
    "not_seller.offtaker_of_a_miners_offtake",
)
# a sentence that opens on the deal just told: "The offtake agreement signed with X ..."
_DEAL_OPENS = re.compile(
    r"\s*(?:The|This|That|Its|Their)\s+(?:[\w-]+\s+){0,2}?(?:agreement|deal|contract|offtake|off-take)\b"
)
# "Australian lithium miner X", "rare earths developer X"
_MINER_BEFORE = re.compile(r"\b(?:miner|developer|explorer|mining\s+company)\s+$", re.I)
# a capitalised word: where a name may start
_CAPITALISED = re.compile(r"\b[A-Z]")


def _first_party(mentions: list[OrgHit], lo: int, hi: int) -> OrgHit | None:
    """The first organisation named in text[lo:hi]."""
    return min((m for m in mentions if lo <= m.start < hi), key=lambda m: m.start, default=None)


def _same_company(a: OrgHit, b: OrgHit) -> bool:
    """One name is the other or starts it ("Velda Smelting" and "Velda")."""
    return a.text.startswith(b.text) or b.text.startswith(a.text)


def sold_to(doc: Doc, mention: OrgHit) -> bool:
    """The goods go to the organisation: "sold 12 tonnes of germanium to X", "some of that
    cobalt goes to X", "a sales agreement with X", "supply X with nickel"."""
    if mention.start < 0:
        return False
    text = text_of(doc)
    sent_start, _ = sentence_bounds(doc, mention.start)
    return bool(
        _goes_to(text, sent_start, mention.start)
        or _SALES_DEAL_WITH_BEFORE.search(text, max(sent_start, mention.start - 80), mention.start)
        or _supplied_with(text, sent_start, mention)
    )


def _supplied_with(text: str, sent_start: int, mention: OrgHit) -> bool:
    """The organisation is the object of a supplying verb, the goods given "with": "supply X
    with nickel", "provide X, based in Ohio, with ore"."""
    return bool(
        _SUPPLIED_WITH_AFTER.match(text[mention.end : mention.end + 200])
        and _SUPPLIED_BEFORE.search(text, max(sent_start, mention.start - 80), mention.start)
    )


def _goes_to(text: str, start: int, end: int) -> bool:
    """Whether the words text[start:end] before a name send goods to it: "sold 12 tonnes of
    germanium to", "some of that cobalt goes to"."""
    return bool(
        _SOLD_TO_BEFORE.search(text, start, end) or _GOODS_GO_TO_BEFORE.search(text, start, end)
    )


def about_treatment_charges(doc: Doc) -> bool:
    """The text is about the fee a miner pays for its concentrate's processing (read once per
    document: every organisation's rules ask)."""
    found = doc.user_data.get(_TC_KEY)
    if found is None:
        found = doc.user_data[_TC_KEY] = _TREATMENT_CHARGES.search(text_of(doc)) is not None
    return bool(found)


_TC_KEY = "minwatch_treatment_charges"


_SUBJECT_JOINT = re.compile(r"\s*(?:\([^)]*\)\s*)?,?\s+(?:and|&)\s+")
_DEAL_WITH_BEFORE = re.compile(
    r"\b(?:deals?|agreements?|contracts?|pacts?|memorandum(?:\s+of\s+understanding)?|MoUs?"
    r"|MOUs?|partnerships?)\s+with\s+(?:the\s+)?(?:(?-i:[A-Z][\w-]*)['’]s\s+)?$",
    re.I,
)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
# a deal, then "for" right before the party: "a $180 million contract for X"
_DEAL_FOR_BEFORE = re.compile(
    r"\b(?:contracts?|agreements?|deals?|orders?|awards?)\b[^.;:]{0,60}?\bfor\s+(?:the\s+)?"
    r"(?:[\w-]+-based\s+|(?-i:[A-Z][\w-]*)['’]s\s+)?$",
    re.I,
)


def _partner_sources_next(
    doc: Doc, mention: OrgHit, partner: OrgHit, mentions: list[OrgHit], cluster_of: dict[int, int]
) -> bool:
    """ "A and B have agreed a contract to deliver 6,000 t. Deliveries will come from A's
    refineries": a joint subject's deal whose next sentence sources it from one party alone;
    the other is its buyer."""
    home, other = cluster_of.get(id(mention)), cluster_of.get(id(partner))
    if home == other:
        return False
    text = text_of(doc)
    lo = sentence_bounds(doc, mention.start)[1]
    hi = sentence_bounds(doc, lo)[1] if lo < len(text) else lo

    def sourced(cluster: int | None) -> bool:
        # (by a name of the party or its first word: "from Varden refineries")
        names = {m.text for m in mentions if cluster_of.get(id(m)) == cluster}
        names |= {n.split()[0] for n in names if " " in n and len(n.split()[0]) >= 4}
        return any(
            _FROM_BEFORE.search(text, max(0, at.start() - 12), at.start())
            for name in names
            for at in re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])").finditer(text, lo, hi)
        )

    return sourced(other) and not sourced(home)
