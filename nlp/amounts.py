"""`minwatch_money` and `minwatch_mass`: figures parsed and normalised to USD / metric tonnes.

Both work on the raw text with unit tables from nlp/data/units.json; a range yields one hit
per end, "up to" / "about" only set the bound, and context flags (unit price, per year,
capacity, superseded by an amendment, grant/loan money) feed the procurement component.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from minwatch.nlp.base import (
    AmountHit,
    RuleComponent,
    alternation,
    is_han,
    sentence_bounds,
    text_of,
)

# "12,000", "12.5", and "12 000" (a space, thin space or no-break space between thousands, as
# Europe, Australia and the SI write figures), and "2,40,000" (India groups lakhs and crores in
# pairs of digits above the thousands)
# ("3,5 million": a comma before one or two digits and a multiplier is a decimal comma)
NUMBER = (
    r"\d{1,3},\d{1,2}(?=[\s-](?i:thousand|million|billion)\b)"
    r"|\d{1,2},(?:\d\d,)+\d{3}(?![\d,])(?:\.\d+)?"
    # ("48 310,25 tonnes": groups of three by spaces, a comma before the decimals)
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?(?![\d,])"
    r"|\d+(?:\.\d+)?"
)
# Headlines capitalise the words ("$24.8 Million"); the letters stay lower-case ("M" is no
# multiplier in "US$5 M&A fees" style text, "Mt" is a mass unit). Indian figures count in
# lakh (1e5) and crore (1e7).
EN_MULTIPLIER = (
    r"(?:[\s-]?(?i:thousand|million|billion|trillion|crore|lakh)\b|\s?(?:mln|mn|bn|tn)\b"
    r"|(?:k|m|b)(?![A-Za-z]))"
)
# Before a mass unit also "500K lbs", "1.5M tonnes" (but "5Mt" is megatonnes, its own unit)
MASS_MULTIPLIER = EN_MULTIPLIER[:-1] + r"|(?:K|M)(?=\s?(?:lbs?|pounds?|tonnes|tons)\b))"
# After a currency also "US$75M", "$2.4B" and "$480-million"
MONEY_MULTIPLIER = (
    r"(?:[\s-]?(?i:thousand|million|billion|trillion|crore|lakh)\b|\s?(?:mln|mn|bn|tn|MN|BN)\b"
    r"|(?:k|m|b|K|M|B)(?![A-Za-z]))"
)
UPPER_CUES = (
    "up to",
    "as much as",
    "no more than",
    "not exceeding",
    "not to exceed",
    "maximum of",
    "a maximum of",
    "ceiling of",
    "remains up to",
)
APPROX_CUES = (
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "nearly",
    "almost",
    "an estimated",
    "close to",
    "circa",
    "約",
    "约",
    "近",
    "逾",
    "超过",
)
PER_YEAR_AFTER = re.compile(
    r"^\s*(?:(?:a|per|each|every)\s+year|per\s+annum|annually|/\s?y(?:ea)?r|a\s+yr|tpa|/a\b)"
)
# "the yearly breakdown of the deal comes to", "an annual supply of": the figure after is a
# year's (a year's capacity or output is no deal's figure, and not read here)
PER_YEAR_BEFORE = re.compile(
    r"\b(?:annual|yearly|per[- ]year|per[- ]annum)\s+(?:total|totals|breakdown|volumes?|supply"
    # (not a schedule: "yearly deliveries falling from 500 t in year one to 300 t")
    r"|supplies|quantity|quantities|amount|deliveries|offtake|purchases?|sales)\b"
    r"(?:(?!\b(?:from|declining|rising|falling|increasing)\b)[^.;\d]){0,50}$",
    re.I,
)
_PER_SHARE_AFTER = re.compile(r"\s*(?:per|a|/)\s*(?:(?:common|ordinary|new)\s+)?share\b", re.I)
# A Defense Production Act Title III award ("a $9.5 million Defense Production Act (DPA)
# Title III award") funds an expansion: a grant, not a purchase.
EXCLUDED_AFTER = re.compile(
    r"^\s*(?:in\s+)?(?:federal\s+|state\s+)?(?:grant|loan|equity|stake|"
    # ("a 90 million dollars transfer" a bank approved: funds moved, nothing bought)
    r"investment|subsid|state aid|credit|financing|bond|transfer\b|Defense Production Act|DPA\b"
    r"|Title III"
    # ("half of the $9 million package goes to ...": a funding package, whatever it pays for)
    r"|(?:(?:funding|aid|support|rescue|financing|stimulus|relief)\s+)?package\b)"
    # "a $7m award through the Defense Production Act Investment Program": DPA money invests
    # in a producer's capacity, it buys no material
    r"|^\s*(?:[\w-]+\s+){0,3}?(?:through|under|from|via)\s+(?:the\s+|its\s+)?"
    r"(?:Defense Production Act|DPAI?\b|Title III)"
    # ("$20 million in unpaid loans", "$5 million of new debt": money lent)
    r"|^\s*(?:in|of)\s+(?:[\w-]+\s+){0,2}?(?:debt|loans?|credit)\b"
    # "45-50 million lb annual supply deficits": a market's gap, no one's deal
    r"|^\s*(?:[\w.-]+\s+){0,3}?(?:deficits?|surplus(?:es)?|shortfalls?)\b"
    # "a buyer backed by a fund with $40 billion in assets under management": a party's size
    r"|^\s*(?:in\s+)?(?:assets\s+under\s+management|AUM\b|market\s+(?:value|capitali[sz]ation))",
    re.I,
)
# "a loan of $5 million", "take a 15% stake in Corrowby for $7 million"
EXCLUDED_BEFORE = re.compile(
    # ("a facility worth about US$64 million": a lender's line of credit)
    r"(?:grant|loan|equity|stake|invest(?:ment)?|subsidy|financing|facility|refinancing"
    r"|funding|(?:funding|aid|support|rescue|financing|stimulus|relief)\s+package)"
    r"\s+(?:of|worth|totalling|totaling)\s+(?:up to\s+|about\s+|almost\s+|nearly\s+)?$"
    r"|\bstake\s+in\s+[^.;$]{0,40}?\bfor\s+(?:about\s+|roughly\s+|up to\s+)?$"
    r"|\bmarket\s+(?:value|cap|capitali[sz]ation)\s+of\s+(?:about\s+|roughly\s+|nearly\s+)?$"
    # ("a placing that raised £10 million (about US$12 million)": capital from investors, its
    # bracketed equivalent in dollars too)
    r"|\b(?:raised|raising|raises|raise)\s+(?:(?:gross|net|total)\s+)?(?:proceeds\s+of\s+)?"
    r"(?:approximately\s+|about\s+|some\s+|roughly\s+|up to\s+)?"
    r"(?:[£€$¥]?[\d.,]+\s*(?:million|billion|m|bn)?\s*\((?:approximately\s+|about\s+)?)?$"
    r"|\b(?:gross|net)\s+proceeds\s+of\s+(?:approximately\s+|about\s+|some\s+)?$",
    re.I,
)
# What a mine or plant costs to build ("a $1.1 billion nickel-cobalt mine", "its $450 million
# refinery"): capital spending, not the value of a sale.
CAPEX_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:mine|plant|refinery|smelter|facility|expansion|project|"
    r"processing\s+hub)\b",
    re.I,
)
# Public money voted for a programme ("Parliament appropriated $40 million for a graphite
# reserve", "added $600 million to the reserve's budget", "provided $900 million for reserve
# purchases"): a budget, not the value of a purchase.
FUNDING_BEFORE = re.compile(
    r"\b(?:appropriat(?:ed|es|ing)|budgeted|earmarked|allocated|provided|added|set aside)\s+"
    r"(?:about\s+|almost\s+|nearly\s+|up to\s+|another\s+|an extra\s+|a further\s+)?$",
    re.I,
)
FUNDING_AFTER = re.compile(
    r"^\s*(?:to|for|in)\s+(?:the\s+)?[\w'’ -]{0,30}?\b(?:budget|appropriations?|funding)\b"
    r"|^\s*(?:in\s+)?(?:appropriations?|budget\s+authority|funding)\b",
    re.I,
)
# "a $12 million award to expand its refining of gallium", "granted $8 million to Orsa Metals,
# a unit of Kelso, to build up local output": money that builds capacity, a funding award, not
# the price of goods bought
CAPABILITY_AFTER = re.compile(
    r"^\s*(?:(?:contract|award|grant|agreement|investment)\s+)?(?:to\s+[^.;]{0,80}?,?\s+)?"
    r"to\s+(?:help\s+)?(?:boost|increase|expand|establish|build|develop|strengthen|accelerate"
    r"|fund|open|restore|scale\s+up|bolster|onshore|modernize|modernise|construct)\b",
    re.I,
)
# "it held back 80,000 pounds from the tender", "withheld 50 tonnes": what a seller keeps
# out of a deal is no quantity of it
WITHHELD_BEFORE = re.compile(
    r"\b(?:held|kept|holding|keeping)\s+back\s+(?:about\s+|some\s+)?$|\bwithh(?:e|o)ld(?:s|ing)?\s+$",
    re.I,
)


def _money_hits(
    text: str, start: int, end: int, values: list[float], currency: str, bound: str
) -> list[AmountHit]:
    """One hit per value of a money span; a range's two values are its low and high bounds."""
    return [
        AmountHit(
            kind="money",
            start=start,
            end=end,
            text=text[start:end],
            value=value,
            currency=currency,
            usd=value if currency == "USD" else None,
            bound=("low", "high")[index] if len(values) == 2 else bound,
        )
        for index, value in enumerate(values)
    ]


def _cells(line: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """(column, start in the text, text) of each cell of a table row that starts at `offset`
    ("| a | b |" and "a | b" both number a's column 0)."""
    skip = 1 if line.lstrip().startswith("|") else 0
    position = offset
    for column, cell in enumerate(line.split("|")):
        yield column - skip, position, cell
        position += len(cell) + 1


# A block of two or more lines with cells between "|" (a table as text extractors write it).
_TABLE_BLOCK = re.compile(r"(?:^[^\n|]*\|[^\n]*\|[^\n]*(?:\n|$)){2,}", re.M)
# a cell that is a bare figure or range: "1,020", "2,500-2,750"
_BARE_FIGURE = re.compile(
    r"\s*(?P<n1>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?[-–]\s?(?P<n2>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))?\s*"
)
_CHANGE_COLUMN = re.compile(r"%|\bchange\b|\bchg\b|\bdiff", re.I)
_PER_UNIT_HEADER = re.compile(r"\bper\b|/\s?(?:t|mt|tonne|lb|kg|oz)\b", re.I)
SUPERSEDED_BEFORE = re.compile(
    r"\b(?:revised|raised|increased|reduced|cut|amended|lowered|changed|adjusted|down|up)\b"
    r"[^.;]{0,80}\bfrom\s+(?:about\s+|approximately\s+)?$"
    # "An earlier contract provided for supplies of 600,000 tonnes": the old terms
    r"|\b(?:earlier|previous|prior|original|old)\s+(?:contract|agreement|deal|offtake|MOU)s?\b"
    r"[^.;]{0,60}$",
    re.I,
)
# "nameplate capacity of 8,400 tonnes"; "the mine's planned production of 2,100 tpa",
# "refined zinc output to 4,150 tonnes": what a plant makes, not what a deal moves.
CAPACITY_BEFORE = re.compile(
    r"(?:capacity|nameplate|产能)[^.;。]{0,30}$"
    r"|\b(?:output|production)\s+(?:of|to|at|was|fell to|rose to)\s+"
    r"(?:about\s+|around\s+|approximately\s+)?$"
    # ("short of its sales target of 4,000 t/yr": an aim, not a deal; "the board approved
    # expanding the mine to 250,000 tonnes a year": the plant's size)
    r"|\b(?:target|goal)\s+of\s+(?:about\s+|around\s+|some\s+)?$"
    # ("ore for a smelter that is to produce 12,000 t of alloy": the works' output, not
    # the mass of what it is supplied)
    r"|\b(?:plant|smelter|refinery|facility|factory|mill)\b[^.;]{0,40}?\bproduce\s+"
    r"(?:about\s+|around\s+|some\s+|up\s+to\s+)?$"
    r"|\bexpan(?:d|ds|ded|ding|sion)\b[^.;]{0,60}?\bto\s+(?:about\s+|around\s+)?$"
    # ("mills that consume 15-45 t a month": a user's rate of use, bought from anyone)
    r"|\bconsum(?:e|es|ed|ing)\s+(?:about\s+|around\s+|some\s+|up\s+to\s+)?$"
    # ("镍产品…销售量6,100吨", "全年产量约3万吨": a period's sales or output, no deal's mass)
    # (also past its change: "销量下降4.2%至9,310吨")
    r"|(?:销售量|销量|产量|出货量|出口量|进口量|库存量?)"
    r"(?:[^，,。；;\d]{0,4}|[^，,。；;]{0,16}?(?:至|为|达到|达))$",
    re.I,
)
AMENDED_TO_BEFORE = re.compile(
    r"\b(?:revised|raised|increased|reduced|cut|amended|lowered|changed|adjusted|boost|boosts"
    r"|boosted|lift|lifts|lifted)\b"
    r"[^.;]{0,80}\bto\s+(?:about\s+|approximately\s+|up to\s+)?$",
    re.I,
)
# An IDIQ floor ("guaranteed minimum is $2,000,000", "Contract minimum: $2M") or ceiling
# ("the maximum is $500,000,000", "Contract maximum: $95M"): labels that may sit a few
# words before the figure, unlike the "up to" cues that touch it.
MINIMUM_BEFORE = re.compile(
    r"\b(?:minimum|min\.|floor)\b(?:\s+(?:is|of|contract|value|amount|order|guarantee|will be))*"
    r"\s*[:=]?\s*(?:is\s+)?$",
    re.I,
)
# "the sale of at least 20,000 tonnes and up to 35,000 tonnes": a floor the ceiling outranks
AT_LEAST_BEFORE = re.compile(r"\b(?:at\s+least|no\s+less\s+than|not\s+less\s+than)\s+$", re.I)
MAXIMUM_BEFORE = re.compile(
    r"\b(?:maximum|max\.|ceiling|not[- ]to[- ]exceed)\b"
    r"(?:\s+(?:is|of|contract|value|amount|will be))*"
    r"\s*[:=]?\s*(?:is\s+)?$",
    re.I,
)


# -- tables -------------------------------------------------------------------------------
# A plan, a CLIN schedule or an award list may be laid out as a pipe table, one material a
# row, with the quantity, its unit and the value in columns of their own:
#     Material | Unit | Maximum quantity | Estimated value
#     Antimony | Short tons | 400 | $18,500,000
# The unit sits in its own column (or in the header: "Quantity (kg)"), so the figure is read
# from its cell and the unit from the row's unit cell.
TABLE_UNIT_HEADER = re.compile(r"^\s*(?:units?(?:\s+of\s+(?:issue|measure))?|uom|u/m)\s*$", re.I)
TABLE_QUANTITY_HEADER = re.compile(
    r"\b(?:quantit(?:y|ies)|qty|maximum|minimum|volume|tonnage|amount|weight|mass)\b", re.I
)
TABLE_MONEY_HEADER = re.compile(r"\$|\b(?:value|price|cost|usd|dollars?|amount\s+\(\$)", re.I)
TABLE_HEADER_UNIT = re.compile(r"\((?P<unit>[A-Za-z ]{1,20})\)\s*$")
# "Mine output – tonnes", "Refined - kt": a header naming its unit after a dash
TABLE_HEADER_DASH_UNIT = re.compile(r"\s[–—-]\s*(?P<unit>[A-Za-z][A-Za-z ]{0,19})\s*$")
# columns of labels, not figures: "Year | ...", "Rank | ..."
_LABEL_HEADER = re.compile(
    r"\s*(?:years?|dates?|months?|period|rank(?:ing)?|no\.?|number|#|count|grade)\s*$", re.I
)
# "Shipments by port, 2019-2020 (tonnes)": a caption right above a table, its unit at
# the end, for every figure of the table's columns
TABLE_CAPTION_UNIT = re.compile(
    r"[(（]\s*(?P<unit>(?:['’]?000s?\s+)?[A-Za-z][A-Za-z ]{0,19})\s*[)）]\s*$"
)
# "8 billion rand ($650 million)": the dollar figure a text gives in brackets for its own
# amount in another currency
_USD_EQUIVALENT_AFTER = re.compile(
    r"\s*[(（]\s*(?:about\s+|around\s+|approximately\s+|roughly\s+|some\s+)?"
    r"(?:US\s?|U\.S\.\s?)?\$\s?\d"
)
# (a dollar of a country the text does not name: ISO 4217's code for no currency, so that
# no rate of the text converts it)
_UNKNOWN_DOLLAR = "XXX"
# "$157 million (US$150 million)": a bare dollar figure the text itself gives again in US
# dollars is another country's dollar
_US_DOLLARS_AFTER = re.compile(
    r"\s*[(（]\s*(?:about\s+|around\s+|approximately\s+|approx\.\s+|roughly\s+|some\s+)?"
    r"(?:US\s?\$|U\.S\.\s?\$|\$US|USD\s?\$?)\s?\d"
)
_CODE_BEFORE = re.compile(r"\b[A-Z]{2,3}\s?$")
# "Permits for this year and last, in tonnes:": the unit after "in" at the caption's end
TABLE_CAPTION_IN_UNIT = re.compile(
    r"\bin\s+(?P<unit>(?:metric\s+)?(?:tonnes|tons|kilograms|kg|pounds|lbs|short\s+tons))\s*[,.:;]?\s*$",
    re.I,
)
# "2017 Q1", "H2 2024", "FY2023", "YTD", "March quarter": a column of a period's figures
TABLE_PERIOD_HEADER = re.compile(
    r"\b(?:(?:19|20)\d\d|FY\s?\d{2,4}|[QH][1-4]|YTD|quarter|half|year|"
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b",
    re.I,
)
# "Original maximum | Amended maximum": the old and the new figure of an amended quantity
TABLE_OLD_HEADER = re.compile(r"\b(?:previous|old|original|prior|former)\b", re.I)
TABLE_NEW_HEADER = re.compile(r"\b(?:revised|new|amended|updated)\b", re.I)
TABLE_MIN_HEADER = re.compile(r"\bminimum\b", re.I)


@dataclass
class TableRow:
    start: int
    end: int
    # (start, end, text) of each cell, stripped, in document offsets
    cells: list[tuple[int, int, str]]


@dataclass
class Table:
    start: int  # the header line
    end: int
    header: list[str]
    rows: list[TableRow]

    def column(self, offset: int) -> int | None:
        """The column whose cell holds the document offset."""
        for row in self.rows:
            if row.start <= offset <= row.end:
                for index, (lo, hi, _) in enumerate(row.cells):
                    if lo <= offset <= hi:
                        return index
        return None

    def row_at(self, offset: int) -> TableRow | None:
        return next((r for r in self.rows if r.start <= offset <= r.end), None)


def pipe_tables(text: str) -> list[Table]:
    """Tables written as lines of "|"-separated cells (at least three), the first line the
    header; a Markdown rule line ("---|---") is skipped. Rows must have the header's width."""
    tables: list[Table] = []
    current: Table | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        lo, body = offset, line.rstrip("\r\n")
        offset += len(line)
        parts = body.split("|")
        if body.strip().startswith("|") and body.strip().endswith("|"):
            # outer pipes are a border, unless the table has no border and the row opens
            # with an empty cell (a category merged from the row above): then the raw split
            # is the row, at the header's width
            bordered = body.strip().split("|")[1:-1]
            if current is None or len(parts) != len(current.header):
                parts = bordered
                lo += body.index("|") + 1
        if len(parts) < 3:
            current = None
            continue
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", p) for p in parts):
            continue
        cells: list[tuple[int, int, str]] = []
        at = lo
        for part in parts:
            stripped = part.strip()
            first = at + (part.index(stripped) if stripped else 0)
            cells.append((first, first + len(stripped), stripped))
            at += len(part) + 1
        if current is not None and len(cells) == len(current.header):
            current.rows.append(TableRow(lo, lo + len(body), cells))
            current.end = lo + len(body)
            continue
        current = Table(lo, lo + len(body), [c[2] for c in cells], [])
        tables.append(current)
    return [t for t in tables if t.rows]


# "Cobalt 4,100 4,350": a row of a table written with single spaces, a label then figures
_SPACED_ROW = re.compile(
    r"[ \t]*(?P<label>[A-Za-z][A-Za-z().'’ -]{0,40}?)(?P<figures>(?:[ \t]+[\d][\d,.]*){2,8})[ \t]*"
)
_SPACED_FIGURE = re.compile(r"\d[\d,.]*")


def spaced_tables(text: str) -> list[Table]:
    """Tables a page flattened to single spaces: a header line (a label, then one word or year
    per column: "Metal 2027 2026"), then at least two rows of a label and as many figures
    ("Cobalt 4,100 4,350")."""
    tables: list[Table] = []
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    index = 0
    while index < len(lines) - 2:
        header = lines[index].rstrip("\r\n").split()
        width = len(header) - 1
        rows: list[TableRow] = []
        following = index + 1
        while following < len(lines):
            body = lines[following].rstrip("\r\n")
            row = _SPACED_ROW.fullmatch(body)
            if row is None:
                break
            figures = list(_SPACED_FIGURE.finditer(body, row.start("figures")))
            if len(figures) != width:
                break
            lo = offsets[following]
            label = (lo + row.start("label"), lo + row.end("label"), row.group("label").strip())
            cells = [label] + [(lo + f.start(), lo + f.end(), f.group()) for f in figures]
            rows.append(TableRow(lo, lo + len(body), cells))
            following += 1
        if width >= 2 and len(rows) >= 2 and header[0][:1].isalpha():
            start = offsets[index]
            tables.append(Table(start, rows[-1].end, header, rows))
            index = following
        else:
            index += 1
    return tables


# "交易对方：X；交易内容：钨精矿；": one field of a table row flattened into a line of text
_RECORD_FIELD = re.compile(r"(?P<label>[^:：;；\n]{1,24})[:：](?P<value>[^;；\n]*)(?:[;；]|$)")


def record_tables(text: str) -> list[Table]:
    """Lines written as three or more "label：value；" fields, end to end: each a table of one
    row, its labels the header (a table row an announcement flattened into text)."""
    tables: list[Table] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        lo, body = offset, line.rstrip("\r\n")
        offset += len(line)
        at, fields = len(body) - len(body.lstrip()), []
        while at < len(body.rstrip()) and (field := _RECORD_FIELD.match(body, at)):
            fields.append(field)
            at = field.end()
        if len(fields) < 3 or at < len(body.rstrip()):
            continue
        cells = []
        for field in fields:
            value = field.group("value").strip()
            first = lo + field.start("value") + field.group("value").find(value[:1] or " ")
            cells.append((first, first + len(value), value))
        header = [f.group("label").strip() for f in fields]
        tables.append(Table(lo, lo + len(body), header, [TableRow(lo, lo + len(body), cells)]))
    return tables


_UNIT_PRICE_BEFORE_BRACKET = re.compile(
    r"\d(?:/\s?(?:lbs?|t|mt|kg|oz|tonne|ton|mtu|dmtu)|\s+per\s+(?:lb|pound|tonne|ton|kg|ounce|oz"
    r"|mtu))\.?\s*\(\s*$",
    re.I,
)
# "assuming an LME zinc price of US$2,600", "at a spot price of $31": a market's price,
# quoted without its unit (not "a purchase price of $25 million", a deal's value)
_MARKET_PRICE_BEFORE = re.compile(
    r"\b(?:LME|COMEX|SHFE|CME|spot|market|benchmark|reference|index|assumed)\s+(?:[a-z]+\s+)?"
    r"prices?\s+(?:of|at)\s+(?:about\s+|around\s+|approximately\s+|roughly\s+)?$",
    re.I,
)
_COST_BASIS_ZH = re.compile(r"[^，。；,]{0,8}?的?(?:成本|耗|用量|消耗)")
_BARE_UNIT_AFTER = re.compile(r"\s*(?:metric\s+)?(?:tonne|ton|lb|pound|kg)s?\b", re.I)
_BRACKET_END_OR_EQUIVALENT = re.compile(r"^\s*(?:[)）]|[(（][^()（）]{1,40}[)）])")


def _amount(i: int, multiplier: str = EN_MULTIPLIER, words: str = "") -> str:
    if not words:
        return rf"(?P<n{i}>{NUMBER})(?P<m{i}>{multiplier})?"
    # a number written as a word counts only with its multiplier: "two million", "three-million"
    return (
        rf"(?:(?P<n{i}>{NUMBER})(?P<m{i}>{multiplier})?"
        rf"|(?P<w{i}>(?i:{words}))(?P<wm{i}>[\s-](?i:thousand|million|billion)\b))"
    )


def parse_number(text: str) -> float:
    if _DECIMAL_COMMA.fullmatch(text) or _SPACED_DECIMAL_COMMA.fullmatch(text):
        return float(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))
    return float(re.sub(r"[,\s\u00a0\u202f]", "", text))


def _mass_figure(raw: str, multiplier: str | None) -> float:
    """ "from 20.000 to 24.000 tonnes": a dot before three zeros and no multiplier
    groups thousands, as a comma would (no mass is told to the kilogram of a tonne so)."""
    if not multiplier and _DOTTED_THOUSANDS.fullmatch(raw):
        return float(raw.replace(".", ""))
    return parse_number(raw)


_DOTTED_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.000")
_DECIMAL_COMMA = re.compile(r"\d{1,3},\d{1,2}")
_SPACED_DECIMAL_COMMA = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{1,2}")
# a minus sign glued to the figure or its currency, after a space or bracket: "at -$40/t",
# "(-$480)"; "$30-$40" is a range and "- $40" a dash
_MINUS_BEFORE = re.compile(r"(?:^|(?<=[\s(\[:]))[-−]$")


def _multiplier(raw: str | None, table: dict[str, float]) -> float:
    if not raw:
        return 1.0
    return table[raw.strip(" -\u00a0").lower()]


def _bound(prefix: str) -> str:
    tail = prefix.lower().rstrip()
    if any(tail.endswith(cue) for cue in UPPER_CUES):
        return "upper"
    if any(tail.endswith(cue) for cue in APPROX_CUES):
        return "approx"
    return "exact"


class _AmountComponent(RuleComponent):
    data_files = ("units.json",)

    def compile(self) -> None:
        units: dict[str, Any] = self.data["units.json"]
        self.units = units
        self.multipliers: dict[str, float] = units["multipliers"]
        self.zh_multipliers: dict[str, float] = units["zh_multipliers"]
        self.per_unit_after = re.compile(
            r"^\s*(?:" + alternation(units["per_unit_words"]) + r")(?![A-Za-z])", re.I
        )
        self.zh_per_unit_before = tuple(units["zh_per_unit_before"])
        self.zh_per_unit_after = tuple(units["zh_per_unit_after"])
        self.number_words: dict[str, float] = units["number_words"]
        self.words = alternation(list(self.number_words))

    def _flags(self, doc: Doc, start: int, end: int, hit: AmountHit) -> None:
        text = text_of(doc)
        sent_start, _ = sentence_bounds(doc, start)
        before = text[sent_start:start]
        after = text[end : end + 60]
        hit.in_title = start < doc._.minwatch_title_end
        if doc.lang_ == "zh":
            hit.unit_price = before.endswith(self.zh_per_unit_before) or after.startswith(
                self.zh_per_unit_after
            )
            # ("每年将向X采购16万吨": the year's word opens the clause the figure ends)
            clause = re.split("[，。；,;]", before)[-1]
            hit.per_year = "每年" in clause[-20:] or "年供应" in before[-8:]
        else:
            # "€1,120-1,170 ($1,357-1,418) per tonne": a price and its bracketed equivalent
            # are both per tonne
            # (and "C$47.71/lb (US$37.22)": the bracketed equivalent of a unit price)
            unbracketed = _BRACKET_END_OR_EQUIVALENT.sub("", after)
            hit.unit_price = (
                bool(self.per_unit_after.match(unbracketed))
                # ("$68.40 per share": a share's price, no deal's value)
                or bool(_PER_SHARE_AFTER.match(unbracketed))
                or bool(_UNIT_PRICE_BEFORE_BRACKET.search(before[-40:]))
                or (hit.kind == "money" and bool(_MARKET_PRICE_BEFORE.search(before[-50:])))
                # ("at $388 (U.S.) tonne": the currency's bracket, then the unit bare)
                or (unbracketed != after and _BARE_UNIT_AFTER.match(unbracketed) is not None)
            )
            hit.per_year = bool(PER_YEAR_AFTER.match(after) or PER_YEAR_BEFORE.search(before))
        hit.superseded = bool(SUPERSEDED_BEFORE.search(before))
        hit.amended_to = not hit.superseded and bool(AMENDED_TO_BEFORE.search(before))
        hit.minimum = bool(MINIMUM_BEFORE.search(before[-40:]))
        hit.at_least = bool(AT_LEAST_BEFORE.search(before[-20:]))
        if hit.bound == "exact" and MAXIMUM_BEFORE.search(before[-40:]):
            hit.bound = "upper"
        hit.capacity = bool(CAPACITY_BEFORE.search(before))
        hit.excluded = bool(
            EXCLUDED_AFTER.match(after)
            or EXCLUDED_BEFORE.search(before)
            or WITHHELD_BEFORE.search(before[-30:])
        )
        if hit.kind == "money" and doc.lang_ != "zh":
            hit.excluded = hit.excluded or bool(CAPEX_AFTER.match(after))
        if hit.kind == "money" and doc.lang_ != "zh":
            hit.excluded = hit.excluded or bool(
                FUNDING_BEFORE.search(before)
                or FUNDING_AFTER.match(after)
                or CAPABILITY_AFTER.match(text[end : end + 140])
            )


def _compared_prices(doc: Doc, hits: list[AmountHit]) -> None:
    """ "$21,400 a tonne, against $20,900 at the last tender", "每吨2.1万美元，上次为2万美元":
    a bare sum of the same currency set against a unit price in its sentence, and of its size,
    is the price it is compared with."""
    prices = [h for h in hits if h.unit_price and h.value > 0]
    if not prices:
        return
    text = text_of(doc)
    for hit in hits:
        if hit.unit_price or hit.excluded or hit.value <= 0:
            continue
        lo, hi = sentence_bounds(doc, hit.start)
        # (or in the sentence before, for a sum quoted "at" a price: "Cobalt reached $30 a
        # pound. X offered metal at $31.")
        if _AT_BEFORE.search(text, max(0, hit.start - 12), hit.start):
            lo = sentence_bounds(doc, max(0, len(text[:lo].rstrip()) - 1))[0]
        if any(
            lo <= p.start < hi and p.currency == hit.currency and 0.5 <= hit.value / p.value <= 2
            for p in prices
        ):
            hit.unit_price = True


# "at $31", "at about $30": a sum stated as the price something changes hands at
_AT_BEFORE = re.compile(r"\bat\s+(?:about\s+|around\s+|some\s+)?(?:US|U\.S\.\s?)?\S?$")


@Language.factory("minwatch_money", default_config={})
def make_money(nlp: Language, name: str) -> MoneyComponent:
    return MoneyComponent(nlp, name)


class MoneyComponent(_AmountComponent):
    def compile(self) -> None:
        super().compile()
        prefixes = alternation(list(self.units["currency_prefixes"]))
        words = alternation(list(self.units["currency_words"]))
        # ("-$12.60/dmt", "from -$15 to -$25/t": a treatment charge below zero keeps its sign)
        self.en_prefixed = re.compile(
            rf"(?<![A-Za-z0-9])(?P<cur>{prefixes})\s?(?P<sign1>[-−])?{_amount(1, MONEY_MULTIPLIER)}"
            rf"(?:\s?(?:-|–|to)\s?(?P<sign2>[-−])?(?:(?P<cur2>{prefixes})\s?)?"
            rf"{_amount(2, MONEY_MULTIPLIER)})?"
        )
        # ("between 40 and 45 dollars": a range joined by "and" after "between")
        self.en_suffixed = re.compile(
            rf"(?<![\w$€£¥.,])(?:(?P<between>between)\s+)?{_amount(i=1)}"
            rf"(?:(?:\s?(?:-|–|to)\s?|(?(between)\s+and\s+|(?!))){_amount(i=2)})?"
            # ("8.2 million US Dollars": a word written in capitals too; not across a line's
            # end: a heading's year range above a table caption that opens on "dollars")
            rf"[^\S\n](?P<word>(?i:{words}))\b"
        )
        self.currency_by_word = {k.lower(): v for k, v in self.units["currency_words"].items()}
        # "520-575 $/mtu", "up 4 $/mtu": a price written with its currency sign after the
        # figure, right before the unit
        self.en_sign_after = re.compile(
            rf"(?<![\w$€£¥.,]){_amount(i=1)}(?:\s?(?:-|–|to)\s?{_amount(i=2)})?"
            r"\s?(?P<word>US\$|\$)(?=\s?/\s?[A-Za-z])"
        )
        # "93 cents per lb", "fell 3 cents": a hundredth of the currency
        subunits = alternation(list(self.units["currency_subunits"]))
        self.en_subunit = re.compile(
            rf"(?<![\w$€£¥.,]){_amount(i=1)}"
            rf"(?:\s?(?:-|–|to)\s?{_amount(i=2)})?\s(?P<word>{subunits})\b"
        )
        zh_mult = alternation(list(self.zh_multipliers))
        # (a subunit: "11.25美分/磅" is 0.1125 dollars a pound)
        zh_cur = alternation(
            [c for c in self.units["zh_currencies"] if c != "人民币"]
            + list(self.units["zh_currency_subunits"])
        )
        gap = "[ \u00a0\u3000]?"  # one space, no-break space or ideographic space, or none
        self.zh_money = re.compile(
            # (a figure in two parts: "3亿4200万美元" is 342 million dollars)
            # (and "1万7000美元", 17,000 dollars)
            rf"(?P<pre>人民币|美元)?(?:(?P<yi>{NUMBER})亿(?=\d))?"
            rf"(?:(?P<wan>\d{{1,4}})万(?=\d{{1,4}}(?![\d.,万亿])))?(?P<n1>{NUMBER})"
            # (a space may stand before the multiplier or the currency and around a range's
            # dash: "600 万美元", "约 34,000–35,500 美元/吨", "110--115美元")
            # ("2800多美元", "5亿多元": "more than" the figure)
            rf"(?:多|余)?(?:{gap}(?P<m1>{zh_mult}))?(?:多|余)?"
            rf"(?:{gap}(?:至|到|--|-|~|—|－|–){gap}(?P<n2>{NUMBER})(?:{gap}(?P<m2>{zh_mult}))?)?"
            rf"{gap}(?P<cur>{zh_cur})"
        )
        # Exchange rates, stated once for a whole text: Reuters' closing "($1 = 0.9217 euros)",
        # "(US$1 = A$1.52)", or a figure "per dollar" ("at 142 yen per dollar", "¥142 to the
        # dollar", "0.88 Swiss francs per U.S. dollar"). The figures of a rate are no
        # amounts of money themselves.
        self.rate_lhs = re.compile(r"(?:US\$|U\.S\.\s?\$|USD\s?|\$)\s?1(?:\.00?)?\s?=\s?$")
        self.rate_rhs = re.compile(r"^\s?=\s?")
        # "(A$:US$0.70)", "A$1 = US$0.70", "AUD/USD 0.70": a dollar figure that states what one
        # unit of another currency is worth
        foreign = sorted(
            (p for p, c in self.units["currency_prefixes"].items() if c != "USD"),
            key=len,
            reverse=True,
        )
        self.usd_per_unit = re.compile(
            rf"(?P<cur>{alternation(foreign)})\s?(?:1(?:\.00?)?)?\s?[:=/]\s?(?:USD?\s?)?$"
        )
        self.per_dollar = re.compile(
            r"^\s*(?:per|to\s+the|to\s+a|to\s+one|for\s+each|for\s+one|for\s+every|a|against\s+the)"
            r"\s+(?:US\s+|U\.S\.\s+|American\s+)?(?:dollar|greenback)\b",
            re.I,
        )
        # A release's own currency statement: "All amounts in this release are expressed in
        # Canadian dollars unless noted", "All figures are in A$": a bare "$" of
        # that text is that currency.
        declared = alternation(
            [w for w, c in self.units["currency_words"].items() if c != "USD"]
            + [p for p, c in self.units["currency_prefixes"].items() if c != "USD"]
        )
        self.declared_currency = re.compile(
            r"\b(?:all|any)\s+(?:dollar\s+|monetary\s+|currency\s+|financial\s+)?"
            r"(?:amounts|figures|values|sums|prices)\b[^.;()]{0,60}?"
            r"\b(?:are|is|in)\s+(?:expressed\s+|stated\s+|reported\s+|denominated\s+|given\s+)?"
            rf"(?:in\s+)?(?P<cur>{declared})(?![\w$])",
            re.I,
        )
        currencies = alternation(
            list(self.units["currency_prefixes"]) + list(self.units["currency_words"])
        )
        # a table header's currency: "(in $ per tonne)", "Price, US$/t", "Value (US$m)"
        self._header_currency = re.compile(
            rf"(?:^|[\s(,])(?P<cur>{currencies})(?P<scale>\s?(?:m|mn|bn|k|million|billion))?"
            r"(?=[\s/)]|$)",
        )
        self.zh_rate = re.compile(
            r"美元兑(?P<cur>人民币|日元|欧元|澳元)?汇率(?:为|约|按)?\s*"
            r"(?P<rate>\d+(?:\.\d+)?)"
        )

    def process(self, doc: Doc) -> None:
        hits: list[AmountHit] = []
        if doc.lang_ == "zh":
            subunits = self.units["zh_currency_subunits"]
            for match in self.zh_money.finditer(text_of(doc)):
                scale = 1.0
                if match.group("pre") == "人民币":
                    currency = "CNY"
                elif match.group("cur") in subunits:
                    currency, scale = subunits[match.group("cur")]
                else:
                    currency = self.units["zh_currencies"][match.group("cur")]
                self._add(doc, match, currency, self.zh_multipliers, hits, scale=scale)
        else:
            taken: list[tuple[int, int]] = []
            declared = self._declared(text_of(doc))
            prefixed = list(self.en_prefixed.finditer(text_of(doc)))
            home = declared or self._home_dollar(text_of(doc), prefixed)
            for match in prefixed:
                currency = self.units["currency_prefixes"][match.group("cur")]
                if match.group("cur") == "$" and home:
                    currency = home
                self._add(doc, match, currency, self.multipliers, hits)
                taken.append(match.span())
            for match in self.en_suffixed.finditer(text_of(doc)):
                if _overlaps(match.span(), taken):
                    continue
                word = match.group("word")
                # "won" is also a verb ("in 2019 won a tender"): a sum of won has a
                # multiplier or thousands separators ("9.8 billion won", "1,400 won").
                if word.lower() == "won" and not (match.group("m1") or "," in match.group("n1")):
                    continue
                currency = self.units["currency_words"].get(
                    word, self.currency_by_word.get(word.lower(), "USD")
                )
                if currency == "USD" and declared and word.lower() == "dollars":
                    currency = declared
                self._add(doc, match, currency, self.multipliers, hits)
            for match in self.en_sign_after.finditer(text_of(doc)):
                if _overlaps(match.span(), taken):
                    continue
                currency = home or "USD"
                self._add(doc, match, currency, self.multipliers, hits)
            for match in self.en_subunit.finditer(text_of(doc)):
                currency, scale = self.units["currency_subunits"][match.group("word")]
                # a bare cent is a dollar's where it prices a unit of material ("88 cents per
                # lb"); "shares rose to 31 cents" may be any dollar's, and is no material's
                named = match.group("word").casefold() not in {"cent", "cents"}
                after = text_of(doc)[match.end() : match.end() + 30]
                if not named and not self.per_unit_after.match(after):
                    continue
                if currency == "USD" and declared:
                    currency = declared
                self._add(doc, match, currency, self.multipliers, hits, scale=scale)
            hits += self._table_cells(doc, hits)
        _compared_prices(doc, hits)
        hits = self._convert(doc, hits)
        doc._.minwatch_amounts = (doc._.minwatch_amounts or []) + hits

    def _add(
        self,
        doc: Doc,
        match: re.Match[str],
        currency: str,
        table: dict[str, float],
        hits: list[AmountHit],
        *,
        scale: float = 1.0,
    ) -> None:
        start, end = match.span()
        if match.groupdict().get("pre") == "美元":
            start = match.start("n1")
        m1, m2 = match.group("m1"), match.group("m2")
        second = match.group("n2")
        values = [parse_number(match.group("n1")) * _multiplier(m1 or m2, table)]
        if yi := match.groupdict().get("yi"):
            values[0] += parse_number(yi) * table["亿"]
        if wan := match.groupdict().get("wan"):
            values[0] += parse_number(wan) * table["万"]
        if second is not None:
            values.append(parse_number(second) * _multiplier(m2, table))
        values = [v * scale for v in values]
        groups = match.groupdict()
        if groups.get("sign1") or _MINUS_BEFORE.search(text_of(doc), max(0, start - 2), start):
            values[0] = -values[0]
        if groups.get("sign2") and len(values) == 2:
            values[1] = -values[1]
        bound = _bound(text_of(doc)[max(start - 25, 0) : start])
        for index, hit in enumerate(_money_hits(text_of(doc), start, end, values, currency, bound)):
            self._flags(doc, start, end, hit)
            _amendment_range(hit, index, len(values))
            hits.append(hit)

    def _table_cells(self, doc: Doc, found: list[AmountHit]) -> list[AmountHit]:
        """Prices in a table whose header states the currency ("Assessment (in $ per
        tonne) | This week | Last week | % change"): each bare figure of a column the currency
        covers, that is every column when the label column's header states it, else the
        columns whose own header does; never a column of changes or percentages."""
        text = text_of(doc)
        hits: list[AmountHit] = []
        for block in _TABLE_BLOCK.finditer(text):
            lines = block.group().rstrip("\n").split("\n")
            header = [cell.strip() for cell in lines[0].strip().strip("|").split("|")]
            declared = [self._cell_currency(cell) for cell in header]
            if not any(declared):
                continue
            per_unit = bool(_PER_UNIT_HEADER.search(lines[0]))
            offset = block.start() + len(lines[0]) + 1
            for line in lines[1:]:
                for index, start, cell in _cells(line, offset):
                    if not 0 < index < len(header) or _CHANGE_COLUMN.search(header[index]):
                        continue
                    currency = declared[index] or declared[0]
                    number = _BARE_FIGURE.fullmatch(cell)
                    if currency is None or number is None:
                        continue
                    lo, hi = start + number.start("n1"), start + number.end()
                    if any(h.start <= lo < h.end for h in found):
                        continue
                    code, scale = currency
                    figures = (number.group("n1"), number.group("n2"))
                    values = [parse_number(f) * scale for f in figures if f is not None]
                    for hit in _money_hits(text, lo, hi, values, code, "exact"):
                        hit.unit_price = per_unit
                        hits.append(hit)
                offset += len(line) + 1
        return hits

    def _cell_currency(self, cell: str) -> tuple[str, float] | None:
        """The currency and multiplier a header cell states: "($ per tonne)", "Value (US$m)"."""
        found = self._header_currency.search(cell)
        if found is None:
            return None
        currency = self.units["currency_prefixes"].get(found.group("cur")) or next(
            (
                c
                for w, c in self.units["currency_words"].items()
                if w.lower() == found.group("cur").lower()
            ),
            None,
        )
        if currency is None:
            return None
        scale = found.group("scale") or ""
        return currency, _multiplier(scale, self.multipliers) if scale else 1.0

    def _home_dollar(self, text: str, prefixed: list[re.Match[str]]) -> str | None:
        """The currency of a bare "$" where the text gives one of its bare dollar figures
        again in US dollars ("$157 million (US$150 million)"): the other dollar the text
        names by its prefix ("A$", "C$"), or none known, so that no such figure counts as US
        dollars."""
        if not any(
            m.group("cur") == "$"
            and _US_DOLLARS_AFTER.match(text, m.end())
            # ("CAD $12.9 million (USD $9.2 million)": a dollar the text names itself)
            and not _CODE_BEFORE.search(text, max(0, m.start() - 5), m.start())
            for m in prefixed
        ):
            return None
        others = {
            self.units["currency_prefixes"][m.group("cur")]
            for m in prefixed
            if m.group("cur").endswith("$") or m.group("cur").startswith("$")
        } - {"USD"}
        return others.pop() if len(others) == 1 else _UNKNOWN_DOLLAR

    def _declared(self, text: str) -> str | None:
        match = self.declared_currency.search(text)
        if match is None:
            return None
        stated = match.group("cur")
        words = {k.lower(): v for k, v in self.units["currency_words"].items()}
        return self.units["currency_prefixes"].get(stated) or words.get(stated.lower())

    def _rates(
        self, doc: Doc, hits: list[AmountHit]
    ) -> tuple[list[tuple[int, str, float]], set[int]]:
        """Exchange rates stated in the text, as (offset, currency, units per US dollar), and
        the ids of the hits that only state a rate."""
        text = text_of(doc)
        rates: list[tuple[int, str, float]] = []
        rate_hits: set[int] = set()
        for hit in hits:
            before = text[max(0, hit.start - 12) : hit.start]
            after = text[hit.end : hit.end + 30]
            if hit.currency == "USD":
                # the "$1" of "($1 = 0.9217 euros)"
                if hit.value == 1 and self.rate_rhs.match(after):
                    rate_hits.add(id(hit))
                elif hit.value and (unit := self.usd_per_unit.search(before)):
                    # "(A$: US$0.70)": one Australian dollar buys 0.70 US dollars
                    currency = self.units["currency_prefixes"][unit.group("cur")]
                    rates.append((hit.start, currency, 1 / hit.value))
                    rate_hits.add(id(hit))
                continue
            if hit.value == 1 and re.match(r"\s?=\s?(?:US\$|USD|U\.S\.\s?\$)", after):
                # the "A$1" of "A$1 = US$0.70"
                rate_hits.add(id(hit))
                continue
            if not hit.value or hit.currency is None:
                continue
            if self.rate_lhs.search(before) or self.per_dollar.match(after):
                rates.append((hit.start, hit.currency, hit.value))
                rate_hits.add(id(hit))
        if doc.lang_ == "zh":
            names = {"人民币": "CNY", "日元": "JPY", "欧元": "EUR", "澳元": "AUD"}
            for match in self.zh_rate.finditer(text):
                currency = names.get(match.group("cur") or "人民币", "CNY")
                rates.append((match.start(), currency, float(match.group("rate"))))
        return rates, rate_hits

    def _convert(self, doc: Doc, hits: list[AmountHit]) -> list[AmountHit]:
        """Other currencies become USD only where the text states the rate. A rate stated in
        the figure's own sentence wins; otherwise a rate stated anywhere in an English text
        (Reuters states it once, at the end) converts every amount in that currency: the
        nearest rate before the figure, else the first after it. Rate figures themselves are
        dropped."""
        rates, rate_hits = self._rates(doc, hits)
        kept = [h for h in hits if id(h) not in rate_hits]
        text = text_of(doc)
        for hit in kept:
            if hit.usd is not None or not hit.currency:
                continue
            if _USD_EQUIVALENT_AFTER.match(text, hit.end):
                continue  # ("8 billion rand ($650 million)": the text converted it itself)
            same = [r for r in rates if r[1] == hit.currency]
            if not same:
                continue
            lo, hi = sentence_bounds(doc, hit.start)
            local = [r for r in same if lo <= r[0] < hi]
            if doc.lang_ == "zh":
                # "（按美元兑人民币汇率7.2折算）" notes how one figure was converted: it
                # converts the figures of its own sentence only.
                same = local
            before = [r for r in same if r[0] <= hit.start]
            if not (local or same):
                continue
            rate = (local or before[-1:] or same)[0][2]
            if rate:
                hit.usd = hit.value / rate
        return kept


@Language.factory("minwatch_mass", default_config={})
def make_mass(nlp: Language, name: str) -> MassComponent:
    return MassComponent(nlp, name)


class MassComponent(_AmountComponent):
    def compile(self) -> None:
        super().compile()
        self.mass_units: dict[str, float] = {
            **self.units["mass_units"],
            # "3,631 mtV", "12 ktCu": tonnes of the element written onto the unit
            **{
                base + element: self.units["mass_units"][base]
                for base in ("t", "mt", "kt")
                for element in self.units["mass_unit_elements"]
            },
        }
        self.adjectives: dict[str, float] = self.units["mass_unit_adjectives"]
        units = alternation(list(self.mass_units))
        adjectives = alternation(list(self.adjectives))
        self.en_mass = re.compile(
            # ("('000 lbs)": a table's unit in thousands, no figure of its own)
            rf"(?<![\w$€£¥.,'’-])(?:(?P<between>between)\s+{_amount(1, MASS_MULTIPLIER)}\s+and\s+"
            # ("between 8,000 and as much as 11,000 t", "2-to-4 mt")
            r"(?:(?:as\s+much\s+as|up\s+to|about)\s+)?"
            rf"|{_amount(3, MASS_MULTIPLIER)}(?:\s?(?:-to-|-|–|to)\s?"
            # ("up to 5,000 - but not less than 3,500 tonnes": a ceiling, then its floor)
            r"|(?P<floor>\s?[-–—,]\s*(?:but|and)\s+(?:not|no)\s+(?:less|fewer)\s+than\s+)))?"
            rf"{_amount(2, MASS_MULTIPLIER, words=self.words)}"
            # ("Six thousand (6,000) tonnes": a contract's figure in brackets after its words)
            r"(?P<close>\))?"
            rf"(?:\s?|-(?=[a-z]{{3}}))(?:(?P<adj>{adjectives})\s+)?(?P<unit>{units})"
            # ("7,232 tonnes3 at": a release's footnote mark on a unit word)
            r"(?:(?<=s)\d(?=\s))?(?![A-Za-z0-9])"
            r"(?!\s*(?:\(lb\)\s*)?(?:of\s+)?(?:gold|silver|platinum)?\s*troy)"
        )
        zh_units = alternation(list(self.units["zh_mass_units"]))
        self.zh_mass = re.compile(
            # (web pages often space out figures: "约 7.6 万吨")
            rf"(?<![\d.])(?:(?P<n1>{NUMBER})\s?(?P<m1>万|亿|千)?\s?(?:至|到|-|~|—|－)\s?)?"
            # (a figure in two parts: "1万5000吨" is 15,000 tonnes, "3亿4200万吨" 342 million)
            rf"(?:(?P<lead>\d{{1,4}})(?P<leadm>亿|万)(?=\d))?"
            # (a chemical formula may follow: "8万吨U3O8" is tonnes of uranium oxide)
            # ("3000余吨", "30多万吨", "4.3万余吨": "more than" the figure, which is the mass)
            rf"(?P<n2>{NUMBER})(?:余|多)?\s?(?P<m2>万|亿|千)?(?:余|多)?\s?(?P<unit>{zh_units})(?!度)"
            r"(?!(?![A-Z][a-z]?\d)[A-Za-z])"
        )

    def process(self, doc: Doc) -> None:
        money_spans = [(h.start, h.end) for h in doc._.minwatch_amounts or [] if h.kind == "money"]
        hits: list[AmountHit] = []
        if doc.lang_ == "zh":
            mineral_starts = {h.start for h in doc._.minwatch_minerals or []}
            for match in self.zh_mass.finditer(text_of(doc)):
                if _overlaps(match.span(), money_spans):
                    continue
                # "年产3000T镁": a Latin "T" is tonnes of a material; "6000T压铸设备" rates a
                # machine
                after = text_of(doc)[match.end() : match.end() + 1]
                if (
                    match.group("unit") in {"T", "t"}
                    and is_han(after)
                    and match.end() not in mineral_starts
                ):
                    continue
                # ("每生产1吨氢氧化锂的成本": the unit a cost is stated for, no mass of its own)
                if _COST_BASIS_ZH.match(text_of(doc), match.end()) and re.search(
                    "(?:生产|每)$", text_of(doc)[max(0, match.start() - 2) : match.start()]
                ):
                    continue
                factor = self.units["zh_mass_units"][match.group("unit")]
                pairs = [("n1", "m1"), ("n2", "m2")]
                values = [
                    parse_number(match.group(n))
                    * _multiplier(match.group(m) or match.group("m2"), self.zh_multipliers)
                    * factor
                    for n, m in pairs
                    if match.group(n)
                ]
                if lead := match.group("lead"):
                    values[-1] += (
                        parse_number(lead)
                        * _multiplier(match.group("leadm"), self.zh_multipliers)
                        * factor
                    )
                self._add(doc, match, values, hits)
        else:
            for match in self.en_mass.finditer(text_of(doc)):
                if _overlaps(match.span(), money_spans):
                    continue
                if match.group("close") and text_of(doc)[match.start() - 1 : match.start()] != "(":
                    continue  # (a bracket closed that the figure did not open)
                unit = match.group("unit")
                if unit not in self.mass_units:
                    unit = unit.lower()
                factor = self.mass_units[unit]
                adjective = match.group("adj")
                if adjective and unit.lower().startswith("ton"):
                    factor = self.adjectives[adjective.split()[0].lower()]
                if unit == "t" and not self._plausible_t(text_of(doc), match):
                    continue
                if unit == "Mt" and "," in match.group("n2") and not match.group("m2"):
                    # "2,000-3,000 Mt of concentrate": a figure counted in thousands is in
                    # metric tons (MT) written "Mt"; million tonnes come as "2.7 Mt", "45 Mt"
                    factor = 1.0
                first = match.group("n1") or match.group("n3")
                first_mult = match.group("m1") or match.group("m3") or match.group("m2")
                values = []
                if first:
                    values.append(
                        _mass_figure(first, first_mult)
                        * _multiplier(first_mult, self.multipliers)
                        * factor
                    )
                if match.group("n2") is None:  # "two million tonnes"
                    number = self.number_words[match.group("w2").lower()]
                    values.append(
                        number * _multiplier(match.group("wm2"), self.multipliers) * factor
                    )
                else:
                    values.append(
                        _mass_figure(match.group("n2"), match.group("m2"))
                        * _multiplier(match.group("m2"), self.multipliers)
                        * factor
                    )
                if match.group("floor"):
                    values.sort()  # (the floor stated second is the range's low end)
                self._add(doc, match, values, hits)
            hits.extend(self._table_masses(doc, hits))
            hits.sort(key=lambda h: h.start)
        doc._.minwatch_amounts = (doc._.minwatch_amounts or []) + hits

    def _unit_factor(self, unit: str) -> float | None:
        """Tonnes per unit of a table's unit cell ("MT", "Kilograms", "Short tons"); None for
        a unit that is no mass ("Troy ounces", "Each")."""
        unit = unit.strip().rstrip(".")
        # "('000 lbs)", "(000 t)": the unit in thousands, in brackets
        bracketed = re.fullmatch(r"[(（]\s*(?P<unit>[^()（）]+?)\s*[)）]", unit)
        if bracketed is not None:
            unit = bracketed.group("unit")
        thousands = re.fullmatch(r"['’]?000s?\s+(?P<unit>\S.*)", unit)
        if thousands is not None:
            factor = self._unit_factor(thousands.group("unit"))
            return None if factor is None else factor * 1000
        for key in (unit, unit.lower()):
            if key in self.mass_units:
                return self.mass_units[key]
        words = unit.lower().split()
        if len(words) >= 2 and words[-1] in self.units["adjective_units"]:
            adjective = " ".join(words[:-1])
            if adjective in self.adjectives:
                return self.adjectives[adjective]
        return None

    def _table_masses(self, doc: Doc, taken: list[AmountHit]) -> list[AmountHit]:
        """The quantity cells of pipe tables, with the unit of the row's unit column or of
        the column header ("Quantity (kg)"); see `pipe_tables`."""
        text = text_of(doc)
        hits: list[AmountHit] = []
        for table in [*pipe_tables(text), *spaced_tables(text)]:
            unit_column = next(
                (i for i, h in enumerate(table.header) if TABLE_UNIT_HEADER.match(h)), None
            )
            caption_factor = self._caption_factor(text, table.start)
            for column, header in enumerate(table.header):
                # (with a unit column, a row of masses may run across periods: "Shipped |
                # ('000 lbs) | 40.0 | 60.0", each figure in the row's unit)
                across = (
                    unit_column is not None
                    and column not in (0, unit_column)
                    and TABLE_PERIOD_HEADER.search(header) is not None
                    and not _CHANGE_COLUMN.search(header)
                )
                header_unit = TABLE_HEADER_UNIT.search(header) or TABLE_HEADER_DASH_UNIT.search(
                    header
                )
                header_factor = (
                    self._unit_factor(header_unit.group("unit")) if header_unit else None
                )
                # (a column headed by its mass unit alone, "Production – tonnes", or any
                # figure column under a caption that gives the unit)
                by_unit = (
                    column > 0
                    and not _CHANGE_COLUMN.search(header)
                    and (
                        header_factor is not None
                        or (
                            caption_factor is not None
                            and not _PER_UNIT_HEADER.search(header)
                            and not _LABEL_HEADER.match(header)
                        )
                    )
                )
                if TABLE_MONEY_HEADER.search(header) or not (
                    across or by_unit or TABLE_QUANTITY_HEADER.search(header)
                ):
                    continue
                for row in table.rows:
                    lo, hi, cell = row.cells[column]
                    number = re.fullmatch(
                        rf"(?:about\s+|up to\s+|[<>≥≤~]\s*)?({NUMBER})", cell, re.I
                    )
                    if number is None or any(h.start < hi and lo < h.end for h in taken):
                        continue
                    if header_unit is not None:
                        factor = header_factor
                    elif caption_factor is not None and column != unit_column:
                        factor = caption_factor
                    elif unit_column is not None:
                        factor = self._unit_factor(row.cells[unit_column][2])
                    else:
                        factor = None
                    if factor is None:
                        continue
                    value = parse_number(number.group(1)) * factor
                    hit = AmountHit(
                        kind="quantity",
                        start=lo,
                        end=hi,
                        text=cell,
                        value=value,
                        tonnes=value,
                        bound=_bound(cell[: number.start(1)]),
                    )
                    hit.superseded = bool(TABLE_OLD_HEADER.search(header))
                    hit.amended_to = bool(TABLE_NEW_HEADER.search(header))
                    hit.minimum = bool(TABLE_MIN_HEADER.search(header))
                    hit.period_figure = across or (
                        by_unit and TABLE_PERIOD_HEADER.search(header) is not None
                    )
                    hits.append(hit)
        return hits

    def _caption_factor(self, text: str, table_start: int) -> float | None:
        """Tonnes per unit the caption above a table gives ("... 2019-2020 (tonnes)"), when
        the line before the header (a blank line between allowed) ends with a mass unit."""
        before = text[max(0, table_start - 300) : table_start].rstrip().rsplit("\n", 1)[-1]
        caption = TABLE_CAPTION_UNIT.search(before) or TABLE_CAPTION_IN_UNIT.search(before)
        return self._unit_factor(caption.group("unit")) if caption else None

    @staticmethod
    def _plausible_t(text: str, match: re.Match[str]) -> bool:
        # A bare "t" after a number is a tonne only in running text, not "5 t-shirts".
        following = text[match.end() : match.end() + 2]
        return not following.startswith(("-", "'"))

    def _add(
        self, doc: Doc, match: re.Match[str], values: list[float], hits: list[AmountHit]
    ) -> None:
        start, end = match.span()
        if not any(values):
            return  # ("some 12, 000 t": a figure split by a stray space weighs nothing)
        bound = _bound(text_of(doc)[max(start - 25, 0) : start])
        for index, value in enumerate(values):
            hit = AmountHit(
                kind="quantity",
                start=start,
                end=end,
                text=text_of(doc)[start:end],
                value=value,
                tonnes=value,
                bound=("low" if index == 0 else "high") if len(values) == 2 else bound,
            )
            self._flags(doc, start, end, hit)
            _amendment_range(hit, index, len(values))
            # (a Chinese text may write the Latin unit too: "年产能为90,000tpa")
            hit.per_year = hit.per_year or match.group("unit").lower() in {
                "tpa",
                "mtpa",
                "ktpa",
            }
            hits.append(hit)


def _amendment_range(hit: AmountHit, index: int, count: int) -> None:
    """ "revised from 7,500 to 5,000 t" reads like a range but is the old and the new figure."""
    if count == 2 and hit.superseded:
        hit.bound = "exact"
        if index == 1:
            hit.superseded, hit.amended_to = False, True


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in others)
