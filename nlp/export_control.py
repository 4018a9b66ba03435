"""`minwatch_export_control`: announcement number, authority and dates of export-control texts."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from minwatch.nlp.base import MineralHit, RuleComponent, text_of
from minwatch.nlp.facts import ExportControlFacts

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_EN_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Z][a-z]+),?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Z][a-z]+)\s+(?P<d2>\d{1,2}),\s+(?P<y2>\d{4}))\b"
)
_ZH_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")


@Language.factory("minwatch_export_control", default_config={})
def make_export_control(nlp: Language, name: str) -> ExportControlComponent:
    return ExportControlComponent(nlp, name)


class ExportControlComponent(RuleComponent):
    data_files = ("cues.json",)

    def compile(self) -> None:
        self.zh_number = re.compile(
            r"(?P<auth>(?:商务部|海关总署|工业和信息化部)(?:\s*(?:、|和|与)?\s*"
            r"(?:商务部|海关总署|工业和信息化部))*)\s*公告\s*(?P<y>\d{4})年第(?P<n>\d+)号"
        )
        self.en_number = re.compile(
            r"(?P<auth>MOFCOM(?:\s+and\s+(?:GAC|GACC|the General Administration of Customs))?"
            r"|Ministry of Commerce(?:\s+and\s+(?:the\s+)?General Administration of Customs)?)"
            r"\s+Announcement\s+No\.?\s*(?P<n>\d+)\s+of\s+(?P<y>\d{4})"
        )
        self.bis_rule = re.compile(r"\b(?:Bureau of Industry and Security|BIS)\b")
        self.bis_docket = re.compile(
            r"\[Docket No\.\s*(?P<n>[\w-]+)\]|docket number\s+"
            r"(?P<n2>BIS-\d{4}-\d+)"
        )

    def process(self, doc: Doc) -> None:
        text = text_of(doc)
        title = text[: doc._.minwatch_title_end].strip() or None
        minerals = tuple(
            dict.fromkeys(c for m in (doc._.minwatch_minerals or []) for c in _canonicals(m))
        )
        facts: ExportControlFacts | None = None
        zh = self.zh_number.search(text)
        en = self.en_number.search(text)
        if zh:
            authority = "/".join(
                {"商务部": "MOFCOM", "海关总署": "GACC", "工业和信息化部": "MIIT"}[a]
                for a in re.findall(r"商务部|海关总署|工业和信息化部", zh.group("auth"))
            )
            facts = self._facts(
                text, authority, f"{zh.group('y')}-{zh.group('n')}", title, minerals
            )
        elif en:
            auth = en.group("auth")
            authority = "MOFCOM/GACC" if ("GAC" in auth or "Customs" in auth) else "MOFCOM"
            facts = self._facts(
                text, authority, f"{en.group('y')}-{en.group('n')}", title, minerals
            )
        elif self.bis_rule.search(text[:600]) and (
            "export" in text.lower() or "section 232" in text.lower()
        ):
            docket = self.bis_docket.search(text)
            number = (docket.group("n") or docket.group("n2")) if docket else None
            facts = ExportControlFacts("BIS", number, title, _first_date(text), None, minerals)
        doc._.minwatch_export_control = facts

    def _facts(
        self, text: str, authority: str, number: str, title: str | None, minerals: tuple[str, ...]
    ) -> ExportControlFacts:
        issued = _signature_date(text)
        return ExportControlFacts(
            authority, number, title, issued, effective_date(text, issued), minerals
        )


# A clause that takes effect on publication ("自公布之日起执行", "from the date of publication").
_ON_PUBLICATION = re.compile(
    r"自(?:本公告)?(?:公布|发布|印发)之日起"
    r"|from the date of (?:its )?(?:publication|promulgation|issuance)"
    r"|take effect (?:up)?on (?:the date of )?(?:its )?publication",
    re.I,
)
_ZH_FROM_DATE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)起")
_EN_EFFECTIVE = re.compile(
    r"(?:take effect|come into force|be implemented|be effective)\s+(?:on|from|as of)"
    r"\s+([^.;\n]+)",
    re.I,
)
# A sentence that suspends (or resumes) measures: its dates are the suspension's, never an
# effective date of the announcement's own measures.
_SUSPENDS = re.compile(r"暂停实施|暂停执行|恢复实施|\bsuspen(?:d|sion)|\bresum(?:e|ption)", re.I)
# "No. 3" is no sentence end: a full stop ends one before a capital or at the end.
_SENTENCE_END = re.compile(r"[。；;\n]|\.(?=\s+[A-Z\"“(]|\s*$)")


def effective_date(text: str, issued: str | None) -> str | None:
    """The day an announcement's measures are all in force: the latest date its clauses take
    effect ("from the date of publication" for one clause, 1 December for the main measures
    gives 1 December), leaving out the dates of suspending sentences; None when no clause
    says when it takes effect."""
    dates: list[str] = []
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        sentence = text[start:end]
        start = end
        if not sentence.strip() or _SUSPENDS.search(sentence):
            continue
        if _ON_PUBLICATION.search(sentence) and issued:
            dates.append(issued)
        for found in _ZH_FROM_DATE.finditer(sentence):
            if (when := _zh_iso(found.group(1))) is not None:
                dates.append(when)
        for found in _EN_EFFECTIVE.finditer(sentence):
            if (when := _first_date(found.group(1))) is not None:
                dates.append(when)
    return max(dates) if dates else None


def _canonicals(mineral: MineralHit) -> tuple[str, ...]:
    return mineral.canonicals


def _zh_iso(text: str) -> str | None:
    match = _ZH_DATE.search(text)
    if not match:
        return None
    return f"{int(match['y']):04d}-{int(match['m']):02d}-{int(match['d']):02d}"


def _first_date(text: str) -> str | None:
    for match in _EN_DATE.finditer(text):
        month = (match.group("m1") or match.group("m2")).lower()
        if month in _MONTHS:
            day = int(match.group("d1") or match.group("d2"))
            year = int(match.group("y1") or match.group("y2"))
            return f"{year:04d}-{_MONTHS[month]:02d}-{day:02d}"
    return _zh_iso(text)


def _signature_date(text: str) -> str | None:
    """The date under the signature block closes the text; fall back to a header date."""
    tail = text.strip().splitlines()[-3:]
    for line in reversed(tail):
        found = _first_date(line)
        if found:
            return found
    header = re.search(r"^Date:\s*(\d{4}-\d{2}-\d{2})", text, re.M)
    return header.group(1) if header else None
