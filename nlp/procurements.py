"""`minwatch_procurements`: one line per mineral per deal, with its value, mass and suppliers.

Two shapes of document are handled:
- SAM.gov-style notices ("Notice ID:", "Contract Opportunity Type:"): the notice is the deal;
  each "Item n." / "CLIN" line naming a mineral is its own line, otherwise the title's mineral.
- Running text: a sentence with a procurement cue (supply, offtake, purchase, tender, RFI,
  供货, 采购...) that states a value or a mass (unit prices do not count), split into one segment
  per mineral so "up to $500 million in cobalt and $245 million in antimony from USAC" gives
  two lines.
Grants, loans, equity, quotas and export controls never make a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.base import AmountHit, MineralHit, OrgHit, RuleComponent, sentence_starts, text_of
from nlp.facts import ProcurementLine


@Language.factory("minwatch_procurements", default_config={})
def make_procurements(nlp: Language, name: str) -> ProcurementComponent:
    return ProcurementComponent(nlp, name)


def _phrases(phrases: list[str], flags: int = re.I) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)


def _zh_phrases(phrases: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


@dataclass
class _Draft:
    mineral: str
    usd: AmountHit | None = None
    tonnes: AmountHit | None = None
    suppliers: list[str] = field(default_factory=list)
    sentence: str = ""
    start: int = 0


class ProcurementComponent(RuleComponent):
    data_files = ("cues.json",)

    def compile(self) -> None:
        cues: dict[str, Any] = self.data["cues.json"]
        self.cue_en = _phrases(cues["procurement_en"])
        self.open_en = _phrases(cues["open_solicitation_en"])
        self.not_en = _phrases(cues["not_procurement_en"])
        self.cue_zh = _zh_phrases(cues["procurement_zh"])
        self.open_zh = _zh_phrases(cues["open_solicitation_zh"])
        self.not_zh = _zh_phrases(cues["not_procurement_zh"])
        self.aggregate_en = _phrases(cues["aggregate_en"])
        self.aggregate_deals_en = _phrases(cues["aggregate_deals_en"])
        self.notice_markers = tuple(cues["notice_markers"])
        self.value_labels = _phrases(cues["notice_value_labels"])
        self.quantity_labels = _phrases(cues["notice_quantity_labels"])
        self.quantity_reject = _phrases(cues["notice_quantity_reject"])
        self.rfi = _phrases(
            [
                "request for information",
                "RFI",
                "sources sought",
                "call for offers",
                "solicitation",
                "tender",
                "RFQ",
            ]
        )
        # "Item 1.", "- CLIN 0001:", "1) Beryllium metal ... 35,000 lbs": a bullet may lead.
        self.item_line = re.compile(
            r"^[ \t]*(?:[-•*▪][ \t]*)?"
            r"(?:(?P<label>Item|CLIN|Line[ \t]+Item)[ \t]+\d+\b|\(?(?:\d{1,2}|[a-z])[.)])"
            r"[^\n]*$",
            re.M | re.I,
        )

    def process(self, doc: Doc) -> None:
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        if any(marker in text_of(doc) for marker in self.notice_markers):
            drafts = self._notice(doc, minerals, amounts, orgs)
        else:
            drafts = self._running_text(doc, minerals, amounts, orgs)
        doc._.minwatch_lines = _merge(drafts)

    # -- notices ---------------------------------------------------------------------------
    def _notice(
        self, doc: Doc, minerals: list[MineralHit], amounts: list[AmountHit], orgs: list[OrgHit]
    ) -> list[_Draft]:
        suppliers = _unique(o.canonical or o.text for o in orgs if o.supplier)
        body = [a for a in amounts if not a.in_title]
        values = [
            a for a in body if a.kind == "money" and not a.unit_price and a.usd and not a.superseded
        ]
        # An IDIQ's guaranteed minimum is never the line's value; its maximum is.
        values = [a for a in values if not a.minimum] or values
        value = (
            self._labelled(doc, values, self.value_labels)
            or next((a for a in values if a.bound == "upper"), None)
            or (values[0] if values else None)
        )
        drafts: list[_Draft] = []
        for item in self.item_line.finditer(text_of(doc)):
            in_item = [m for m in minerals if item.start() <= m.start < item.end()]
            if not in_item:
                continue
            masses = [
                a
                for a in body
                if a.kind == "quantity"
                and item.start() <= a.start < item.end()
                and not a.superseded
                and not self._rejected_quantity(doc, a)
            ]
            # A plain numbered line is an item only when it states the mineral's quantity.
            if item.group("label") is None and not masses:
                continue
            mass = self._labelled(doc, masses, self.quantity_labels) or (
                masses[0] if masses else None
            )
            # "CLIN 0001: ... Estimated value: $7,250,000." prices that item alone.
            own_values = [a for a in values if item.start() <= a.start < item.end()]
            own_value = self._labelled(doc, own_values, self.value_labels) or (
                own_values[0] if own_values else None
            )
            for canonical in _unique(c for m in in_item[:1] for c in m.canonicals):
                drafts.append(
                    _Draft(
                        canonical,
                        own_value,
                        mass,
                        list(suppliers),
                        item.group().strip(),
                        item.start(),
                    )
                )
        # Several CLINs of one material without their own quantities are one line.
        if len({d.mineral for d in drafts}) == 1 and all(d.tonnes is None for d in drafts):
            drafts = []
        if drafts:
            if value is not None and len({d.mineral for d in drafts}) == 1:
                for draft in drafts:
                    draft.usd = draft.usd or value
            return drafts
        masses = [a for a in body if a.kind == "quantity" and not a.superseded]
        labelled = [a for a in masses if not self._rejected_quantity(doc, a)]
        mass = (
            next((a for a in labelled if a.amended_to), None)
            or self._labelled(doc, labelled, self.quantity_labels)
            or (labelled[0] if labelled else (masses[0] if masses else None))
        )
        named = [m for m in minerals if m.in_title] or minerals[:1]
        for canonical in _unique(c for m in named for c in m.canonicals):
            drafts.append(_Draft(canonical, value, mass, list(suppliers), "", 0))
        return drafts

    def _labelled(
        self, doc: Doc, hits: list[AmountHit], labels: re.Pattern[str]
    ) -> AmountHit | None:
        for hit in hits:
            if self._near(doc, hit, labels):
                return hit
        return None

    @staticmethod
    def _distance(doc: Doc, hit: AmountHit, pattern: re.Pattern[str]) -> int | None:
        """Characters between the closest preceding label on the hit's line and the hit."""
        line_start = text_of(doc).rfind("\n", 0, hit.start) + 1
        window = text_of(doc)[max(line_start, hit.start - 60) : hit.start]
        ends = [m.end() for m in pattern.finditer(window)]
        return len(window) - ends[-1] if ends else None

    def _near(self, doc: Doc, hit: AmountHit, pattern: re.Pattern[str]) -> bool:
        return self._distance(doc, hit, pattern) is not None

    def _rejected_quantity(self, doc: Doc, hit: AmountHit) -> bool:
        """A minimum order, a delivery lot or a drum size ("Minimum delivery order quantity:
        100 t", "packed in drums of 250 kg"), unless a sentence ends between that label and the
        figure ("minimum 99.5% Dy2O3. Estimated maximum quantity: 12,000 kilograms")."""
        line_start = text_of(doc).rfind("\n", 0, hit.start) + 1
        window = text_of(doc)[max(line_start, hit.start - 60) : hit.start]
        # "minimum 98.5% Be" is a purity, not a minimum order
        window = _PURITY.sub(lambda m: " " * len(m.group()), window)
        ends = [m.end() for m in self.quantity_reject.finditer(window)]
        return bool(ends) and not re.search(r"[.;]\s", window[ends[-1] :])

    # -- running text ----------------------------------------------------------------------
    def _running_text(
        self, doc: Doc, minerals: list[MineralHit], amounts: list[AmountHit], orgs: list[OrgHit]
    ) -> list[_Draft]:
        zh = doc.lang_ == "zh"
        cue, open_cue, negative = (
            (self.cue_zh, self.open_zh, self.not_zh)
            if zh
            else (self.cue_en, self.open_en, self.not_en)
        )
        title_end = doc._.minwatch_title_end
        main = _main_mineral(minerals)
        title_minerals = {c for m in minerals if m.in_title for c in m.canonicals}
        doc_suppliers = [o for o in orgs if o.supplier]
        primary = doc_suppliers[0].canonical if doc_suppliers else None
        starts = [*sentence_starts(doc), len(text_of(doc))]
        drafts: list[_Draft] = []
        for lo, hi in pairwise(starts):
            if lo < title_end:
                continue
            sentence = text_of(doc)[lo:hi]
            in_sentence = [a for a in amounts if lo <= a.start < hi]
            usable = [
                a
                for a in in_sentence
                if not (a.unit_price or a.excluded or a.capacity)
                and (a.kind == "quantity" or a.usd)
            ]
            sentence_minerals = [
                m
                for m in minerals
                if lo <= m.start < hi and not any(o.start <= m.start < o.end for o in orgs)
            ]
            sentence_orgs = [o for o in orgs if lo <= o.start < hi]
            if not sentence_minerals and self._amend(drafts, main, usable):
                continue
            if not cue.search(sentence):
                continue
            if negative.search(sentence) and not usable:
                continue
            is_rfi = bool(self.rfi.search(sentence))
            if not usable and not (sentence_minerals and is_rfi):
                continue
            if not sentence_minerals:
                # "three contracts worth a combined $96.5 million": a sum over the deals that
                # the next sentences report one by one, not a deal of its own.
                if (
                    not zh
                    and self.aggregate_en.search(sentence)
                    and self.aggregate_deals_en.search(sentence)
                ):
                    continue
                known = main is not None and (
                    main in title_minerals or any(d.mineral == main for d in drafts)
                )
                if not known or not usable or main is None:
                    continue
                # "The contract is worth about $420 million a year": the deal just reported.
                # An analyst quoted on the figure ("analysts at X estimated") is no new party.
                parties = [o for o in sentence_orgs if o.role not in _THIRD_PARTIES]
                if not parties and self._fill(drafts, main, usable):
                    continue
                sentence_minerals = [MineralHit(lo, lo, "", (main,))]
            is_open = bool(open_cue.search(sentence))
            fallback = [primary] if primary and not is_open else []
            for draft in self._segments(
                doc, sentence.strip(), lo, sentence_minerals, usable, sentence_orgs, fallback
            ):
                # A figure-less mention ("it reissued its cobalt tender") is a line only when
                # it is a call for offers about the document's own subject.
                if not (draft.usd or draft.tonnes or (is_rfi and draft.mineral in title_minerals)):
                    continue
                if not sentence_orgs and _complete(drafts, draft):
                    continue
                drafts.append(draft)
        return drafts

    @staticmethod
    def _fill(drafts: list[_Draft], mineral: str, figures: list[AmountHit]) -> bool:
        """Give the latest line of `mineral` the value or mass it lacks; False if none."""
        target = next((d for d in reversed(drafts) if d.mineral == mineral), None)
        if target is None:
            return False
        money = _pick([a for a in figures if a.kind == "money"])
        mass = _pick([a for a in figures if a.kind == "quantity" and not a.superseded])
        if target.usd is None and money is not None:
            target.usd = money
        if target.tonnes is None and mass is not None:
            target.tonnes = mass
        return True

    @staticmethod
    def _amend(drafts: list[_Draft], mineral: str | None, figures: list[AmountHit]) -> bool:
        """ "An amendment cut the maximum quantity to 6,000 tonnes": the line takes the new
        figure."""
        new = [a for a in figures if a.amended_to]
        target = next((d for d in reversed(drafts) if d.mineral == mineral), None) or (
            drafts[-1] if drafts else None
        )
        if not new or target is None:
            return False
        for amount in new:
            if amount.kind == "quantity":
                target.tonnes = amount
            else:
                target.usd = amount
        return True

    def _segments(
        self,
        doc: Doc,
        sentence: str,
        lo: int,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        orgs: list[OrgHit],
        fallback: list[str],
    ) -> list[_Draft]:
        """Attach each figure to the mineral it is stated for ("$45 million in scandium")."""
        text = text_of(doc)
        ordered = sorted(minerals, key=lambda m: m.start)
        groups: list[tuple[str, ...]] = []
        group_of: list[int] = []
        for mineral in ordered:
            if mineral.canonicals not in groups:
                groups.append(mineral.canonicals)
            group_of.append(groups.index(mineral.canonicals))
        per_group: dict[int, list[AmountHit]] = {i: [] for i in range(len(groups))}
        for amount in amounts:
            per_group[group_of[self._owner(text, amount, ordered, amounts)]].append(amount)
        anchors = [ordered[group_of.index(i)] for i in range(len(groups))]
        suppliers_all = [o for o in orgs if o.supplier]
        from_orgs: list[OrgHit] = []
        for org in sorted(suppliers_all, key=lambda o: o.start):
            before = text[max(lo, org.start - 12) : org.start]
            if re.search(r"\bfrom\s+(?:the\s+)?$", before) or (
                from_orgs
                and re.fullmatch(r",?\s+(?:and|&)\s+", text[from_orgs[-1].end : org.start])
            ):
                from_orgs.append(org)
        subject_orgs = [o for o in suppliers_all if o not in from_orgs]
        heads = list({o.canonical or o.text: o for o in reversed(subject_orgs)}.values())
        if len(heads) >= 2:
            split = self._split_by_awardee(
                doc, sentence, lo, minerals, amounts, sorted(heads, key=lambda o: o.start)
            )
            if split:
                return split
        drafts: list[_Draft] = []
        pending: list[_Draft] = []
        for index, mineral in enumerate(anchors):
            figures = per_group[index]
            money = _pick([a for a in figures if a.kind == "money"])
            mass = _pick([a for a in figures if a.kind == "quantity" and not a.superseded])
            for canonical in mineral.canonicals:
                draft = _Draft(canonical, money, mass, [], sentence, mineral.start)
                drafts.append(draft)
                pending.append(draft)
            segment_end = anchors[index + 1].start if index + 1 < len(anchors) else 10**9
            later = [o for o in from_orgs if mineral.end <= o.start < segment_end]
            if later:
                names = _unique(o.canonical or o.text for o in later)
                for draft in pending:
                    draft.suppliers = list(names)
                pending = []
        subject_names = _unique(o.canonical or o.text for o in subject_orgs)
        for draft in drafts:
            if not draft.suppliers:
                draft.suppliers = list(subject_names) or list(fallback)
        return drafts

    def _split_by_awardee(
        self,
        doc: Doc,
        sentence: str,
        lo: int,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        heads: list[OrgHit],
    ) -> list[_Draft]:
        """ "A won $9.6 million for 450 tonnes, and B received $4.1 million for 190 tonnes":
        one line per awardee, each with the figures of its own clause. Empty when some
        awardee has no figure of its own (then the sentence is one deal)."""
        bounds = [lo] + [h.start for h in heads[1:]] + [10**9]
        drafts: list[_Draft] = []
        for index, head in enumerate(heads):
            a, b = bounds[index], bounds[index + 1]
            figures = [x for x in amounts if a <= x.start < b]
            own = [m for m in minerals if a <= m.start < b]
            inherited = [m for m in minerals if m.start < a][-1:]
            if not figures or not (own or inherited):
                return []
            drafts.extend(
                self._segments(
                    doc, sentence, lo, own or inherited, figures, [], [head.canonical or head.text]
                )
            )
        return drafts

    @staticmethod
    def _owner(
        text: str, amount: AmountHit, minerals: list[MineralHit], amounts: list[AmountHit]
    ) -> int:
        for index, mineral in enumerate(minerals):
            between = text[amount.end : mineral.start]
            # "$62 million contract for 1,200 tonnes of tungsten": a mass may sit between.
            for other in amounts:
                if amount.end <= other.start and other.end <= mineral.start:
                    between = between.replace(other.text, " ", 1)
            between = re.sub(
                r"^\s*(?:contract|order|deal|agreement|award)\s+(?=for\b)", " ", between
            )
            between = re.sub(r"^\s*for\s+(?=(?:of|in)\b)", " ", between)
            if (
                0 <= len(between) <= 45
                and re.fullmatch(
                    r"\s*(?:(?:a|per)\s+year\s+)?(?:of|in|worth of)\s+[\w\s,()-]*", between
                )
                and not re.search(r"\d", between)
            ):
                return index
        if len(minerals) == 1:
            return 0
        # otherwise the nearest mineral before the figure, else the first one after
        before = [i for i, m in enumerate(minerals) if m.end <= amount.start]
        return before[-1] if before else 0


# Roles of organisations quoted about a deal rather than party to it.
_THIRD_PARTIES = frozenset(
    {"bank", "media", "price_agency", "data_provider", "law_firm", "exchange"}
)

_PURITY = re.compile(r"\b(?:minimum|min\.?)\s+\d[\d.,]*\s?%", re.I)


def _complete(drafts: list[_Draft], draft: _Draft) -> bool:
    """A sentence naming no party that states only the figure the last line of its mineral
    lacks ("Contract SP8000-25-D-0007 covers about 6.7 million pounds of antimony") completes
    that line rather than starting a new deal."""
    previous = next((d for d in reversed(drafts) if d.mineral == draft.mineral), None)
    if previous is None:
        return False
    if previous.usd is None and draft.usd is not None and draft.tonnes is None:
        previous.usd = draft.usd
        return True
    if previous.tonnes is None and draft.tonnes is not None and draft.usd is None:
        previous.tonnes = draft.tonnes
        return True
    return False


def _pick(candidates: list[AmountHit]) -> AmountHit | None:
    """A stated yearly figure wins over a total; otherwise the first figure. A floor (an
    IDIQ's minimum) is the value only when nothing else is stated."""
    if not candidates:
        return None
    candidates = [c for c in candidates if not c.minimum] or candidates
    yearly = [c for c in candidates if c.per_year]
    return (yearly or candidates)[0]


def _main_mineral(minerals: list[MineralHit]) -> str | None:
    counts: dict[str, int] = {}
    for mineral in minerals:
        for canonical in mineral.canonicals:
            counts[canonical] = counts.get(canonical, 0) + (2 if mineral.in_title else 1)
    if not counts:
        return None
    return max(counts, key=lambda c: counts[c])


def _unique(values: Any) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _merge(drafts: list[_Draft]) -> list[ProcurementLine]:
    """Drop lines that only repeat another line of the same mineral with less information."""
    lines: list[ProcurementLine] = []
    kept: list[_Draft] = []
    for draft in drafts:
        duplicate = False
        for other in kept:
            if other.mineral != draft.mineral:
                continue
            same_usd = draft.usd is None or (
                other.usd is not None and other.usd.usd == draft.usd.usd
            )
            same_mass = draft.tonnes is None or (
                other.tonnes is not None and other.tonnes.tonnes == draft.tonnes.tonnes
            )
            if same_usd and same_mass:
                duplicate = True
                break
        if not duplicate:
            kept.append(draft)
    kept = [
        d
        for d in kept
        if d.usd or d.tonnes or not any(o is not d and o.mineral == d.mineral for o in kept)
    ]
    for draft in kept:
        lines.append(
            ProcurementLine(
                mineral=draft.mineral,
                usd=draft.usd.usd if draft.usd else None,
                tonnes=draft.tonnes.tonnes if draft.tonnes else None,
                suppliers=tuple(draft.suppliers),
                usd_is_upper_bound=bool(draft.usd and draft.usd.bound == "upper"),
                sentence=draft.sentence or None,
            )
        )
    return lines
