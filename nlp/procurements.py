"""`minwatch_procurements`: one line per mineral per deal, with its value, mass and suppliers.

Two shapes of document are handled:
- SAM.gov-style notices ("Notice ID:", "Contract Opportunity Type:"): the notice is the deal;
  each "Item n." / "CLIN" line naming a mineral is its own line, otherwise the title's mineral.
- Running text: a sentence with a procurement cue (supply, offtake, purchase, tender, RFI,
  供货, 采购...) that states a value or a mass (unit prices do not count), split into one segment
  per mineral so "up to $80 million in gallium and $35 million in germanium from Northgate
  Metals" gives two lines.
Grants, loans, equity, quotas and export controls never make a line.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from minwatch.nlp.amounts import (
    pipe_tables,
    record_tables,
)
from minwatch.nlp.base import (
    HAN,
    LIST_ITEM,
    AmountHit,
    MineralHit,
    OrgHit,
    PhraseTest,
    RuleComponent,
    alternation,
    parent_named_before,
    sentence_bounds,
    sentence_starts,
    text_of,
)
from minwatch.nlp.deal_drafts import (
    Draft,
    cue_phrases,
    main_mineral,
    pick_figure,
    unique,
    zh_cue_phrases,
)
from minwatch.nlp.deal_layouts import NoticeLayouts
from minwatch.nlp.facts import ProcurementLine
from minwatch.nlp.org_aliases import the_company_deals_with
from minwatch.nlp.org_chinese import SIDE_TERMS_ZH, SOLD_TO_ZH

# after an amount: what it is spent on is several deals ("$640 million across twelve years on
# fresh uranium supply contracts")
_SPENT_ON_DEALS = re.compile(
    r"[^.;:]{0,40}?\bon\s+(?:(?:new|future|several|multiple|long-term)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:contracts|agreements|deals|orders|awards)\b"
)
# the deal a Chinese sentence names: an agreement, a contract, an order, a purchase business
_AGREEMENT_ZH = re.compile(r"协议|合同|合约|订单|长单|备忘录|意向书|采购业务|供货业务|采购交易")
# "向X采购钛精矿": a purchase of a mineral from a named seller, though no agreement is named
_PURCHASE_FROM_ZH = re.compile(r"向(?P<seller>[^，。；]{2,20}?)(?:采购|购买|购入)")


@Language.factory("minwatch_procurements", default_config={})
def make_procurements(nlp: Language, name: str) -> ProcurementComponent:
    return ProcurementComponent(nlp, name)


# "中标X国年产50万吨电解铝项目", "中标X工程总承包": an award of a project to build or run,
# not of goods (unless the project buys them: "项目…采购")
_PROJECT_AWARD_ZH = re.compile(
    r"中标[^，。；]{0,40}?(?:项目|工程|总承包|EPC)(?![^，。；]{0,8}?(?:采购|供货|供应))"
)
# ("将其在智利的一座镍矿山转让给Y", "转让所持…股权": mines, projects or shares change hands,
# no goods are sold)
_NO_SALE_ZH = re.compile(
    r"(?:出售|转让|收购)(?:其|了)?[^，。；]{0,20}?(?:矿山|矿场|矿区|项目|资产|股权|股份|业务)"
    r"(?![^，。；]{0,4}?(?:产出|生产|所产)的)"
    # ("占智利镍供应量的三成": a share of a country's supply, no deal's volume)
    r"|占[^，。；]{0,12}?供应(?:总)?量"
)


# A deal sentence that states no figure but names its seller: where it starts, its text, its
# minerals, its parties, the sellers carried to it from earlier sentences, and whether it is
# its framed seller's own deal (no retelling of another seller's deal of the mineral)
_Unfigured = tuple[int, str, list[MineralHit], list[OrgHit], list[str], bool]


class ProcurementComponent(NoticeLayouts, RuleComponent):
    data_files = ("cues.json", "supplier_cues.json", "organizations.json")

    def compile(self) -> None:
        cues: dict[str, Any] = self.data["cues.json"]
        # "will spend $45 million on scandium": money spent on a mineral buys it (not "on
        # lithium exploration", "on new drilling")
        self.spend_on = re.compile(r"\bspend(?:s|ing)?\b[^.;]{0,80}?\bon\s+(?:the\s+)?$", re.I)
        # "will provide cobalt to B": providing a mineral supplies it (providing funding,
        # support or services is no deal; nor is a purpose, "set up X to provide lithium")
        self.provide_goods = re.compile(
            r"\b(?:will|would|shall|agreed\s+to)\s+(?:provide|furnish)\s+(?:[\w-]+\s+){0,2}?$",
            re.I,
        )
        # "inked a six-year pact with X for lithium hydroxide": a deal for a mineral trades
        # it (not a deal for its mine, project or plant: activity_after)
        self.deal_for_goods = re.compile(
            r"\b(?:deals?|pacts?|agreements?|contracts?)\s+(?:with\s+[^;]{1,80}?\s+)?for\s+"
            r"(?:the\s+)?(?:(?:supply|delivery|purchase|sale)\s+of\s+)?(?:[\w-]+\s+){0,2}?$",
            re.I,
        )
        self.activity_after = re.compile(
            r"[\w-]*\s+(?:" + alternation(cues["spending_activities_en"]) + r")\b", re.I
        )
        # "from A and Ohio-based B", "from A and the Danish refiner B": B is a seller too
        self.conjunct = re.compile(
            r",?\s+(?:and|&|as\s+well\s+as)\s+(?:(?:the|a|an)\s+)?(?:[A-Z][\w.'’]*(?:-[\w.'’]+)*-based\s+"
            r"|(?:(?!(?:to|by|for|with|from)\b)[\w.'’-]+\s+){0,3}?(?:"
            + alternation(self.data["supplier_cues.json"]["org_descriptor_nouns_en"])
            + r")\s+)?"
        )
        self.cue_en = PhraseTest(cues["procurement_en"], hyphen_after=False)
        self.trade_deal_en = PhraseTest(cues["trade_deal_en"], hyphen_after=False)
        self.deal_noun_en = PhraseTest(cues["deal_nouns_en"], hyphen_after=False)
        self.open_en = cue_phrases(cues["open_solicitation_en"])
        self.not_en = cue_phrases(cues["not_procurement_en"])
        # ("供应商", "供应链": a supplier, a supply chain, no deal)
        nouns = "|".join(map(re.escape, cues["procurement_zh_not_before"]))
        release = alternation(cues["reserve_release_zh"])
        self.cue_zh = re.compile(
            f"(?:{zh_cue_phrases(cues['procurement_zh']).pattern})(?!{nouns})"
            # "出售第三批储备锡", "储备锑抛售": a reserve's release is a sale
            rf"|(?:{release})[^，。；]{{0,12}}?储备|储备[^，。；]{{0,6}}?(?:{release})"
        )
        self.planned_en = cue_phrases(cues["planned_purchase_en"])
        self.planned_zh = zh_cue_phrases(cues["planned_purchase_zh"])
        # "预计可供应1万吨" (could supply 10,000 t): what a mine can yield, not a deal
        self.capability_zh = zh_cue_phrases(cues["capability_zh"])
        # "将从X取得碳酸锂共计4万吨": obtaining goods from a named party is buying them
        self.from_frame_zh = re.compile(
            r"(?:从|自)[^，。；,]{1,20}?(?:" + "|".join(cues["from_frame_verbs_zh"]) + ")"
        )
        # "Its flagship vehicle sells for around US$70,000": the price of other goods
        self.retail_price = re.compile(
            "(?:" + "|".join(re.escape(p) for p in cues["retail_price_before"]) + r")\s*"
            # (and the same price in another currency after it: "US$70,000 (A$106,813)")
            r"(?:[A-Z]{0,3}[$€£¥][\d,.]+(?:\s*(?:million|billion|m|bn))?\s*\()?$",
            re.I,
        )
        # "the first shipment of 5 tonnes", "首批5吨": one delivery under a deal, not its size
        self.first_delivery = re.compile(
            "(?:" + "|".join(re.escape(p) for p in cues["first_delivery"]) + r")\s*$", re.I
        )
        self.hedged_en = cue_phrases(cues["hedged_purchase_en"])
        self.open_zh = zh_cue_phrases(cues["open_solicitation_zh"])
        self.not_zh = zh_cue_phrases(cues["not_procurement_zh"])
        self.statistics_zh = zh_cue_phrases(cues["statistics_zh"])
        self.mining_rights_zh = zh_cue_phrases(cues["mining_rights_zh"])
        self.aggregate_en = cue_phrases(cues["aggregate_en"])
        self.aggregate_zh = re.compile(f"(?:{alternation(cues['aggregate_zh'])})[为约达]?$")
        # "more than three million pounds": a floor, the figure told roughly
        self.floor_before = re.compile(
            r"\b(?:" + alternation(cues["floor_before_en"]) + r")\s+$", re.I
        )
        # "from an unnamed Canadian firm", "from a supplier it did not identify": the object of
        # "from" is a seller the text does not name.
        self.unnamed_source = re.compile(
            r"\bfrom\s+(?:(?:a|an|the|one|another)\s+)?(?:[\w.'’-]+\s+){0,4}?(?:"
            + "|".join(re.escape(w) for w in cues["unnamed_source_en"])
            + r")\b",
            re.I,
        )
        # "to import 2,000 tonnes of cobalt from India": a country is where the
        # goods come from, not who sells them; no other party of the text stands in
        self.place_source = re.compile(
            r"\bfrom\s+(?:the\s+)?(?:"
            + alternation(self.data["organizations.json"]["places"])
            # (the place itself, not a site it names: "from the Quebec mine")
            + r")(?=\s*(?:[,.;:)]|$|(?:in|at|on|by|to|and|for|under|over|as|this|next|last)\b))"
        )
        self.aggregate_deals_en = cue_phrases(cues["aggregate_deals_en"])
        self.notice_markers = tuple(cues["notice_markers"])
        # a contract's heading names both parties by label ("Seller: X", "Buyer: Y"): its
        # "Quantity:" and value lines are its one deal's, read as a notice's are
        self.seller_line = re.compile(
            r"^[ \t]*(?:" + alternation(cues["seller_line_labels_en"]) + r")[ \t]*:", re.M
        )
        self.buyer_line = re.compile(
            r"^[ \t]*(?:" + alternation(cues["buyer_line_labels_en"]) + r")[ \t]*:", re.M
        )
        self.value_follow_up = cue_phrases(cues["value_follow_up_en"])
        # "120,000 tonnes a year of cement clinker", "a 5 million tonne iron ore deal": the
        # mass of a material that is no mineral
        self.other_material = re.compile(
            r"^\s*(?:(?:a|per|each)\s+year\s+|annually\s+|per\s+annum\s+)?(?:of\s+"
            r"(?:[\w-]+\s+){0,2}?)?(?:"
            + "|".join(re.escape(w) for w in cues["other_materials_en"])
            + r")\b",
            re.I,
        )
        self.other_goods = re.compile(
            r"\b(?:of|for)\s+(?:[\w-]+\s+){0,2}?(?:"
            + "|".join(re.escape(w) for w in cues["other_materials_en"])
            + r")\b",
            re.I,
        )
        # "at its Marlow zinc smelter", "its alumina refinery": a mineral naming a facility
        self.facility_after = re.compile(
            r"^[\s-]+(?:(?!(?:from|of|at|its|the|a|an|to|for|in|and|or)\b)[\w-]+\s+)?"
            r"(?:" + "|".join(re.escape(w) for w in cues["facility_nouns_en"]) + r")\b",
            re.I,
        )
        # "It is valued at ...", "The order is worth ...", "The three-year deal, worth ...",
        # "The deliveries are worth ...", "At the minimum price, the Agreement would ...":
        # the deal just reported.
        self.deal_pronoun = re.compile(
            r"(?:[-•*]\s*)?(?:(?-i:[A-Z])[^,.;]{0,40},\s+)?"
            r"(?:It|The|This|That|Its)\b(?:\s+(?:contract|deal|agreement|order|award|purchase|"
            r"offtake|sale|sales|supplies|deliveries|shipments|third|second|first|latest|new|"
            r"[\w-]+-year))*"
            # ("The contract, which runs to 2031, is valued at": past its own clause)
            r"(?:,\s+(?:which|that)\s[^,;.]{0,100},)?"
            r"(?:\s+(?:is|was|are|were|has|have|will|would)\b|,\s+(?:worth|valued)\b)",
            re.I,
        )
        # A deal sentence that states no figure ("The second contract, for cobalt powder, went
        # to Elmsworth Alloys Inc."), then "It calls for 120,000 pounds of powder and is valued
        # at $7.8 million": the next sentence, opening on the deal, states them.
        self.deal_opener = re.compile(
            r"(?:It|They|The\s+(?:[\w-]+\s+)?(?:contract|deal|agreement|order|award|purchase|"
            r"offtake|sale))\b",
        )
        # a "Label: value" bullet of a release's key terms
        self.term_bullet = re.compile(r"\s*[-•*▪]\s*[A-Z][\w ]{0,30}:")
        # "the Agreement should generate revenue of about US$40 million", "Projected
        # revenue of around A$600 million (US$390 million) across the term": an
        # offtake's expected revenue is its value. "The buyer would pay roughly ¥2.1 billion
        # a year for the ore": the buyer's payment is the value of the deal just reported.
        self.revenue = re.compile(
            r"\b(?:generate|estimated|expected|forecast|projected|total|gross)\s+revenues?(?:\s+of\b|\s*:)"
            r"|\b(?:will|would|to|agreed\s+to)\s+pay\b"
            # ("It will rake in ~$28m for this spot cargo": what the seller takes for it)
            r"|\b(?:will|would|to|set\s+to)\s+(?:rake|bring)\s+in\b",
            re.I,
        )
        # a sentence about the company just named: "Its $5.2 million contract ...", "It will
        # ship 300 tons", "The company is to supply ..."
        self.supplier_pronoun = re.compile(
            r"(?:Its|It|The\s+(?:company|miner|producer|group|firm|refiner|smelter))\b"
        )
        # "Filings say the company would provide cobalt to B": the company just named as
        # the subject of a selling verb, inside the sentence
        self.pronoun_sells = re.compile(
            r"\b(?:[Tt]he\s+(?:company|miner|producer|firm|refiner|smelter)|it)\s+"
            r"(?:will|would|is\s+to|shall|(?:has\s+)?agreed\s+to)\s+"
            r"(?:supply|provide|deliver|sell|ship)\b"
        )
        # "It was awarded to B", "The contract went to B": the next sentence names the awardee
        self.awarded_to_it = re.compile(
            r"\s*(?:It|The\s+(?:contract|award|order|deal))\s+(?:was|has\s+been)?\s*"
            r"(?:awarded|went|goes|granted)\s+to\s+"
        )
        self.compile_layouts(cues)

    def process(self, doc: Doc) -> None:
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        every: list[OrgHit] = doc._.minwatch_orgs or []
        # the producers a call for offers accepts supply the document, not its line: the
        # awardee is not chosen yet
        accepted = [o for o in every if o.source == "producer_slot"]
        orgs = [o for o in every if o.source != "producer_slot"]
        # a Chinese short name that supplies for its name alone ("东辰锗业") is no line's
        # seller: the lines read copies of it that do not supply
        originals: dict[int, OrgHit] = {}
        for index, org in enumerate(orgs):
            if org.supplier and "zh_named_only" in org.evidence:
                orgs[index] = replace(org, supplier=False)
                originals[id(orgs[index])] = org
        text = text_of(doc)
        notice = any(marker in text for marker in self.notice_markers) or bool(
            self.seller_line.search(text) and self.buyer_line.search(text)
        )
        table_drafts, spans = self._tables(doc, minerals, amounts, orgs, notice)
        aligned, aligned_spans = self._aligned_tables(text, minerals)
        table_drafts += aligned
        spans += aligned_spans
        if doc.lang_ == "zh":
            # (a table the readers above took is no related-party table of its own)
            outside = [m for m in minerals if not _inside(m.start, spans)]
            related, related_spans = _related_party_purchases(text, outside, amounts, orgs)
            table_drafts += related
            spans += related_spans
        if spans:
            # the rows of a deal table are its lines; the prose reads what is left
            minerals = [m for m in minerals if not _inside(m.start, spans)]
            amounts = [a for a in amounts if not _inside(a.start, spans)]
        lots = self._zh_lots(doc, minerals, amounts) if doc.lang_ == "zh" else []
        if notice:
            drafts = self._notice(doc, minerals, amounts, orgs, bool(table_drafts))
        elif lots:
            drafts = lots
        else:
            awards, listed = self._awardee_list(doc, minerals, amounts, orgs)
            doc._.minwatch_orgs = sorted(
                [*(originals.get(id(o), o) for o in orgs), *accepted], key=lambda o: o.start
            )
            if listed:
                # the list's items are its lines; the prose reads what is left
                minerals = [m for m in minerals if not _inside(m.start, listed)]
                amounts = [a for a in amounts if not _inside(a.start, listed)]
            drafts = awards + self._running_text(doc, minerals, amounts, orgs)
            self._contract_value(doc, drafts, amounts)
        drafts = table_drafts + drafts
        # a solicitation the document reports awarded, awardee by awardee, is no line of its own
        awarded = {d.mineral for d in drafts if d.listed and d.suppliers}
        drafts = [d for d in drafts if not (d.call and d.mineral in awarded)]
        # "the state buyer bought 4,500 tonnes of zinc" over a table of its two awards: the
        # sum of the rows, told before them
        row_sums: dict[str, float] = {}
        rows = {id(d) for d in aligned}
        for d in aligned:
            row_sums[d.mineral] = row_sums.get(d.mineral, 0.0) + (
                d.tonnes.tonnes if d.tonnes and d.tonnes.tonnes else 0.0
            )
        drafts = [
            d
            for d in drafts
            if id(d) in rows
            or d.suppliers
            or not d.tonnes
            or not d.tonnes.tonnes
            or abs(d.tonnes.tonnes - row_sums.get(d.mineral, -1.0)) > 0.01 * d.tonnes.tonnes
        ]
        drafts = _retold_masses(self._restated_floors(text, drafts), amounts)
        _yearly_told_after(doc, drafts, amounts, doc._.minwatch_minerals or [])
        drafts = _without_totals_of_yearly(text, drafts)
        lines = _merge(_each_awardees(text, drafts), every, text)
        doc._.minwatch_lines = _side_parties(lines, every) if doc.lang_ == "zh" else lines

    def _restated_floors(self, text: str, drafts: list[Draft]) -> list[Draft]:
        """ "intends to purchase more than three million pounds of antimony", then the notice's 3.4
        million pounds: a round floor that a more precise figure of another line of the same
        mineral meets (up to half again as much) is that deal told roughly, not a second deal."""

        def floor(hit: AmountHit | None) -> float | None:
            if hit is None or not self.floor_before.search(
                text[max(0, hit.start - 25) : hit.start]
            ):
                return None
            return hit.tonnes if hit.kind == "quantity" else hit.usd

        def told_roughly(draft: Draft) -> bool:
            for hit, kind in ((draft.tonnes, "tonnes"), (draft.usd, "usd")):
                low = floor(hit)
                if hit is None or low is None:
                    continue
                for other in others(draft):
                    precise: AmountHit | None = getattr(other, kind)
                    value = getattr(precise, kind, None)
                    if (
                        precise is not None
                        and value is not None
                        and low <= value <= 1.5 * low
                        and _digits(precise.text) > _digits(hit.text)
                    ):
                        return True
            return False

        def others(draft: Draft) -> list[Draft]:
            return [
                o
                for o in drafts
                if o is not draft
                and o.mineral == draft.mineral
                and (not draft.suppliers or set(draft.suppliers) == set(o.suppliers))
            ]

        return [d for d in drafts if not told_roughly(d)]

    def _running_text(
        self, doc: Doc, minerals: list[MineralHit], amounts: list[AmountHit], orgs: list[OrgHit]
    ) -> list[Draft]:
        zh = doc.lang_ == "zh"
        open_cue, negative = (self.open_zh, self.not_zh) if zh else (self.open_en, self.not_en)

        def cued_text(part: str) -> bool:
            if zh:
                # ("拍卖一宗锂矿采矿权": a right to mine changes hands, no mineral)
                return bool(self.cue_zh.search(part)) and not self.mining_rights_zh.search(part)
            return self.cue_en.found_in(part)

        title_end = doc._.minwatch_title_end
        main = main_mineral(minerals)
        title_minerals = {c for m in minerals if m.in_title for c in m.canonicals}
        doc_suppliers = [o for o in orgs if o.supplier]
        primary = doc_suppliers[0].canonical if doc_suppliers else None
        text = text_of(doc)
        starts = [*sentence_starts(doc), len(text)]
        drafts: list[Draft] = []
        # names of the document's suppliers, to find a short form ("Durrant is to supply")
        fallback_names = unique(o.canonical or o.text for o in doc_suppliers)
        # (start of the next sentence, minerals, sentence start, sentence) of a deal sentence
        # that stated no figure
        pending: tuple[int, list[MineralHit], int, str] | None = None
        # (start of the next sentence, value) of a deal sentence that priced a deal but named
        # no mineral: "X has won a supply contract, worth $310 million, from a truck maker."
        priced: tuple[int, AmountHit] | None = None
        previous_cue = cued_text(text[:title_end])  # the last sentence read was a deal's
        # a document about buying ("Army looks to restock its metals reserve") reports its
        # calls for offers as deals, even figure-less ones of minerals its title does not name
        # (its title and lead sentence say what it is about)
        lead_end = next((s for s in starts if s > title_end), len(text))
        lead_end = next((s for s in starts if s > lead_end), len(text)) if title_end else lead_end
        head = text[:lead_end]
        about_buying = bool(
            cued_text(head)
            or self.rfi.found_in(head)
            # (a state reserve's buying: "add to its strategic reserves", "增加战略储备", "收储")
            or re.search(
                r"\bstockpil|\b(?:strategic|state|national)\s+reserves?\b|战略储备|收储", head, re.I
            )
            or self.planned_zh.search(head)
        )
        in_buying_list = False
        item_end = -1  # where the line of the last item of a buying list ends
        # deal sentences that state no figure but name their seller ("X signed an offtake
        # agreement with Y for its graphite"): lines of their own unless a figure comes later
        unfigured: list[_Unfigured] = []
        open_deals: list[tuple[int, int, tuple[str, ...]]] = []
        doc._.minwatch_open_deals = open_deals
        for lo, hi in pairwise(starts):
            if lo < title_end:
                continue
            sentence = text_of(doc)[lo:hi]
            # ("中标…氧化铝项目": an award to build a plant, no purchase of what it makes)
            cued = (
                _NO_SALE_ZH.sub("", _PROJECT_AWARD_ZH.sub("", self.capability_zh.sub("", sentence)))
                if zh
                else _without_non_deals(sentence, lo, minerals)
            )
            is_rfi = self.rfi.found_in(sentence)
            has_cue = (
                cued_text(cued)
                or (not zh and is_rfi)
                or (zh and bool(self.from_frame_zh.search(sentence)))
                # ("定为国家计划购买的品种": a plan to buy is a cue, though "购买" alone, which
                # buys shares and assets too, is none)
                or (zh and bool(self.planned_zh.search(sentence)))
            )
            after_cue = previous_cue
            # "The agency outlined its purchase plans:" then "- Nickel: up to $90 million":
            # each item of a list under a buying sentence is one of its deals
            # (an item that opens on its mineral; "- Volume: ..." is a term of one deal)
            item = LIST_ITEM.match(sentence)
            bullet = item is not None and any(
                m.start - lo in range(item.end() - 1, item.end() + 2) for m in minerals
            )
            if bullet and (after_cue or in_buying_list):
                in_buying_list = True
                has_cue = True
                item_end = text.find("\n", lo)
            elif sentence.strip() and not (in_buying_list and 0 <= lo < item_end):
                # (a remark on the item's own line, "The metal is used in alloys.", ends no list)
                in_buying_list = False
            if sentence.strip():  # a paragraph break is no sentence of its own
                # a list's lead-in ("Its list includes:") passes its paragraph's cue on
                lead_in = sentence.rstrip().endswith(":") and previous_cue
                previous_cue = (has_cue and not bullet) or lead_in
            in_sentence = [a for a in amounts if lo <= a.start < hi]
            # "includes delivery of 300K lbs in October and an additional 100K lbs each in
            # June and April": a deal's delivery schedule, each part no deal of its own
            delivered = {
                id(a)
                for a in in_sentence
                if self.first_delivery.search(text[max(lo, a.start - 25) : a.start])
            }
            # ("its first cargo of 5,000 t, worth about $1 million": the delivery's value)
            delivered |= {
                id(a)
                for a in in_sentence
                if delivered
                and a.kind == "money"
                and _VALUED_AT_BEFORE.search(text, max(lo, a.start - 30), a.start)
            }
            usable = [
                a
                for a in in_sentence
                if not (a.unit_price or a.excluded or a.capacity or a.period_figure)
                and id(a) not in delivered
                and not (delivered and _FURTHER_PART.search(text[max(lo, a.start - 25) : a.start]))
                and not self.retail_price.search(text[max(lo, a.start - 50) : a.start])
                # ("an estimate of 48 million tonnes at 1.2% nickel": a resource in the
                # ground, not a deal's mass)
                and not (
                    a.kind == "quantity"
                    and (
                        _GRADE_AFTER.match(text, a.end)
                        or _RESOURCE_BEFORE.search(text, max(lo, a.start - 50), a.start)
                    )
                )
                and not (
                    a.kind == "money"
                    and (
                        _GOODS_WORTH_BEFORE.search(text, max(lo, a.start - 60), a.start)
                        or _INVESTED_BEFORE.search(text, max(lo, a.start - 50), a.start)
                        or _GOODS_AFTER.match(text[a.end : a.end + 60])
                    )
                )
                # (a sum below zero is a charge or a discount, never what a deal is worth)
                and (a.kind == "quantity" or (a.usd or 0) > 0)
                # ("Velda said the 800,000 t would be a record": a figure taken up with
                # "the", after the deals it sums, is theirs, no new deal)
                and not (
                    drafts
                    and _TAKEN_UP.search(text, max(lo, a.start - 4), a.start)
                    and _SUBJECT_OF_VERB.match(text, a.end)
                )
                and not (a.kind == "quantity" and self._other_material(text, a, minerals))
                # ("Year to date it has shipped a total of 90 tonnes": a running total
                # of the sales reported one by one)
                and not (
                    _RUNNING_TOTAL_BEFORE.search(text, max(lo, a.start - 14), a.start)
                    and _SO_FAR.search(sentence)
                )
                and not _BRINGS_TOTAL_TO.search(text, max(lo, a.start - 100), a.start)
            ]
            sentence_minerals = [
                m
                for m in minerals
                if lo <= m.start < hi
                and not any(o.start <= m.start < o.end for o in orgs)
                # (nor one inside the words blanked out above: "the sale of its nickel
                # trading unit" sells no nickel)
                and not (not zh and cued[m.start - lo : m.end - lo].isspace())
                # ("mixed oxides, other than lanthanum": left out of the goods)
                and not (not zh and _LEFT_OUT_BEFORE.search(text, max(lo, m.start - 20), m.start))
            ]
            if not zh:
                sentence_minerals = self._traded(text, sentence_minerals)
            sentence_orgs = [o for o in orgs if lo <= o.start < hi]
            if priced is not None and sentence.strip():
                if (
                    priced[0] == lo
                    and not zh
                    and sentence_minerals
                    and has_cue
                    and not any(a.kind == "money" for a in in_sentence)
                ):
                    # then "Deliveries of flake graphite concentrate start in 2028": the deal's
                    # mineral, told next, takes the value told before it
                    usable = [*usable, priced[1]]
                priced = None
            elif priced is not None:
                priced = (hi, priced[1])  # (past a paragraph break)
            # "an agreement with Y, a subsidiary of X, for supplying": X is Y's owner, no
            # party to this deal, and no fallback seller of it either
            parents = [o for o in sentence_orgs if parent_named_before(text, o.start, lo)]
            owners = {o.canonical or o.text for o in parents}
            # (a seller's own mention stays: "Orsa Nova Materials, the cathode and anode arm of
            # Orsa Group" keeps the unit, though the text may give both one name)
            sentence_orgs = [
                o
                for o in sentence_orgs
                if o not in parents
                and (
                    (o.canonical or o.text) not in owners
                    or (o.supplier and all(o.end <= p.start for p in parents))
                )
            ]
            if zh and not sentence_orgs and self.statistics_zh.search(sentence):
                continue  # "据统计，上半年共向日本供应铬矿80万吨": a country's totals
            if (
                has_cue
                and not zh
                and not is_rfi
                and (_CARRIED.search(sentence) or any(o.role == "carrier" for o in sentence_orgs))
                and not _TRADED.search(sentence)
            ):
                # "9 million tonnes will be transported once the railway signs contracts with
                # the producers", "the freight company signed a deal with the miner to export
                # its ore": a carrier's contracts move the goods and sell none
                has_cue = False
            if not zh and (
                _without_stake_sales(sentence, lo, sentence_minerals) != sentence
                or any(
                    not any(m.start == lo + t.end() for m in sentence_minerals)
                    for t in _TAKEOVER.finditer(sentence)
                )
            ):
                # "seeking to acquire Kelso in a deal valued at $3 billion", "sold 20% of
                # its shares for $1.2 billion": the price of a company, not of goods
                usable = [a for a in usable if a.kind != "money"]
            if not has_cue and not zh:
                has_cue = any(
                    (
                        (
                            self.spend_on.search(text, lo, m.start)
                            or self.deal_for_goods.search(text, lo, m.start)
                        )
                        and not self.activity_after.match(text, m.end)
                    )
                    or self.provide_goods.search(text, lo, m.start)
                    for m in sentence_minerals
                )
            if not zh and not sentence_minerals and has_cue and _SOLD.search(sentence):
                # "Another 60,000 lb were sold for $3 million": in a text of one mineral, a sale
                # stated with its mass and its proceeds is of that mineral
                sentence_minerals = self._sole_mineral(minerals, usable)
            if (
                not zh
                and not sentence_minerals
                and has_cue
                and any(
                    a.kind == "quantity"
                    and _UNNAMED_GOODS_AFTER.match(text, a.end)
                    and _TRADED_BEFORE.search(text, max(lo, a.start - 30), a.start)
                    for a in usable
                )
                and len({c for m in minerals for c in m.canonicals}) == 1
            ):
                # "one contract, with X, which is to purchase some 90,000 t of material": in a
                # text of one mineral, the deal's unnamed goods are that mineral's
                sentence_minerals = [next((m for m in minerals if not m.in_title), minerals[0])]
            if not sentence_minerals and self._amend(drafts, main, usable):
                continue
            if (
                not zh
                and pending is not None
                and pending[0] == lo
                and not sentence_minerals
                and usable
                and self.deal_opener.match(sentence.lstrip())
            ):
                drafts.extend(self._pending_deal(doc, pending, usable, fallback_names))
                pending = None
                continue
            several = len({m.canonicals for m in sentence_minerals}) >= 2
            if zh and several and has_cue:
                # "抛售储备锡、锑，合计5000吨": a total over the minerals listed is no one
                # mineral's figure; with nothing else stated the sentence names each mineral's
                # deal with its seller but no figure
                totals = [
                    a
                    for a in usable
                    if self.aggregate_zh.search(text, max(lo, a.start - 6), a.start)
                ]
                usable = [a for a in usable if a not in totals]
                sellers = [o for o in sentence_orgs if o.supplier]
                if totals and not usable and sellers:
                    unfigured.append((lo, sentence, sentence_minerals, sellers, [], True))
                    continue
            if not zh and (several or self.aggregate_deals_en.search(sentence)):
                # "two contracts worth a combined $21.6 million", "germanium and indium
                # worth a combined 140 million euros": the sum of deals that the document
                # reports one by one is no deal's value.
                # "plans to put $640 million across twelve years on fresh supply contracts" is their
                # budget, spent on several.
                # "a combined $30 million in indium from A and B" is one mineral's deal,
                # combined over its sellers: a figure stated for a mineral is no sum of deals.
                sums = [
                    a
                    for a in usable
                    if a.kind == "money"
                    and (
                        self.aggregate_en.search(text[max(lo, a.start - 40) : a.start])
                        or _SPENT_ON_DEALS.match(text, a.end)
                    )
                    and not _stated_for_mineral(text, a, sentence_minerals)
                ]
                if sums:
                    usable = [a for a in usable if a not in sums]
                    # "awarded contracts worth a combined $28 million for 900 metric tons":
                    # the mass of a summary over several contracts is their sum too
                    if not several and self.aggregate_deals_en.search(sentence):
                        usable = [a for a in usable if a.kind != "quantity"]
                    if not usable:
                        continue
            # "The deal is worth about $90 million a year at today's prices; zinc traded at
            # $2,640 a tonne": opening on the deal, it prices the deal just reported even
            # when it names that deal's mineral in a remark.
            restates = (
                bool(sentence_minerals)
                and (
                    self.deal_pronoun.match(sentence.lstrip()) is not None
                    or self.revenue.search(sentence) is not None
                )
                and bool(drafts)
                and {c for m in sentence_minerals for c in m.canonicals} <= {drafts[-1].mineral}
            )
            if (
                not zh
                and (not sentence_minerals or restates)
                and self._follow_up(text, lo, sentence, drafts, usable, sentence_orgs, orgs)
            ):
                continue
            if not zh and not sentence_minerals and _volume_follow_up(lo, sentence, drafts, usable):
                continue
            # "The ministry's list includes up to $120 million in tin, $60 million in zinc
            # ...": after a sentence about buying, a list of figures each stated for its own
            # mineral is that buying's list of deals, though it repeats no verb.
            listed = (
                not zh
                and after_cue
                and sum(
                    a.kind == "money" and _stated_for_mineral(text, a, sentence_minerals)
                    for a in usable
                )
                >= 2
            )
            if not has_cue and not listed:
                # A release's "Key terms" list under a deal sentence that stated no figure:
                # "- Volume: all tungsten concentrate from the mine, estimated at 2,400 dmt per
                # annum" gives that deal its mass; a later "- Estimated revenue: ..." its value.
                if (
                    not zh
                    and pending is not None
                    and not sentence_orgs
                    and any(a.kind == "quantity" for a in usable)
                    # (or a sentence on its volume: "The contracted volume comes to 9,000 t")
                    and (
                        self.term_bullet.match(sentence)
                        or (pending[0] == lo and _VOLUME_OPENING.match(sentence))
                    )
                    and {c for m in sentence_minerals for c in m.canonicals}
                    <= {c for m in pending[1] for c in m.canonicals}
                ):
                    masses = [a for a in usable if a.kind == "quantity"]
                    drafts.extend(self._pending_deal(doc, pending, masses, fallback_names))
                    pending = None
                elif (
                    not zh
                    and pending is not None
                    and self._party_term(
                        text, lo, sentence, pending, usable, sentence_minerals, orgs
                    )
                ):
                    # "A and B are to buy the concentrate." then "B expects to take 0,2-million
                    # tonnes a year": one party's yearly share of that deal
                    masses = [a for a in usable if a.kind == "quantity"]
                    drafts.extend(self._pending_deal(doc, pending, masses, fallback_names))
                continue
            if negative.search(sentence) and not usable:
                continue
            # "The ministry plans to buy cobalt, tin and tungsten for its reserve": a buyer's
            # open purchase names minerals but no seller and no figure yet; like a call for
            # offers it is a line of each mineral (kept in a document about buying)
            is_call = is_rfi or (not usable and self._planned_purchase(sentence, sentence_orgs, zh))
            # "X had an offtake agreement with Y, which bought all the ore": a deal named by its
            # noun, with its seller, in a text of one mineral the sentence leaves unsaid is a
            # deal of that mineral
            if (
                not usable
                and not sentence_minerals
                and not zh
                and not is_rfi
                and self.deal_noun_en.found_in(cued)
                and any(o.supplier for o in sentence_orgs)
                and not self.other_goods.search(sentence)
                and not any(a.excluded for a in in_sentence)
                and len(doc_minerals := {c for m in minerals for c in m.canonicals}) == 1
            ):
                sentence_minerals = [MineralHit(lo, lo, "", tuple(doc_minerals))]
            if not usable and sentence_minerals and not is_rfi:
                pending = (hi, sentence_minerals, lo, sentence)
                # (a grant, loan or stake stated in it makes it a funding, not a deal; so does
                # "The award is for ..." right after a funding award's sentence)
                funding_before = _AWARD_REFERRED.match(sentence) is not None and any(
                    a.excluded and a.kind == "money" and lo - 400 <= a.start < lo for a in amounts
                )
                # (the seller slots of "向X采购<mineral>" frames)
                bought = (
                    [
                        (lo + f.start("seller"), lo + f.end("seller"))
                        for f in _PURCHASE_FROM_ZH.finditer(sentence)
                        if any(
                            lo + f.end() <= m.start < lo + f.end() + 12 for m in sentence_minerals
                        )
                    ]
                    if zh
                    else []
                )
                agreement = bool(zh and _AGREEMENT_ZH.search(sentence))
                if (
                    zh
                    and not any(a.excluded for a in in_sentence)
                    # (a seller the sentence's own frame names: a company named beside a
                    # deal is often its buyer)
                    and any(o.supplier and "zh_seller" in o.evidence for o in sentence_orgs)
                    and (agreement or bought)
                ):
                    # "A与B签署铬矿长期供货协议", "与B开展锰矿石采购交易", "向B采购钛精矿":
                    # a deal that names its seller but states no figure (only that seller is
                    # its supplier)
                    sellers = [
                        o
                        for o in sentence_orgs
                        if "zh_seller" in o.evidence and not _PARTY_OF_AFTER_ZH.match(text, o.end)
                    ]
                    if not agreement:
                        sellers = [o for o in sellers if any(a <= o.start < b for a, b in bought)]
                    if sellers:
                        goods = _sold_before_buyer_zh(sentence, lo, sentence_minerals)
                        unfigured.extend(_deal_per_clause(lo, sentence, goods, sellers))
                elif (
                    not zh
                    and not funding_before
                    # (a funding in the sentence makes it no deal, unless it names an offtake
                    # or a supply deal of its own: "a $12 million working-capital loan and a
                    # five-year offtake of the mine's concentrate")
                    and (
                        not any(a.excluded for a in in_sentence)
                        or self.trade_deal_en.found_in(cued)
                        # ("the grant goes toward buying ore from Y": the
                        # funding pays for a purchase the sentence names)
                        or _FUNDS_A_PURCHASE.search(sentence) is not None
                    )
                ):
                    # (or names it by a short form, or opens on "The company" after naming it)
                    carried = (
                        []
                        if any(o.supplier for o in sentence_orgs)
                        else [
                            n
                            for n in fallback_names
                            if mentioned_at(sentence, lo, n, []) is not None
                        ][:1]
                        or self._referred(text, lo, hi, sentence, doc_suppliers, starts)
                    )
                    if carried or any(o.supplier for o in sentence_orgs):
                        unfigured.extend(
                            _clauses_of_deals(lo, sentence, sentence_minerals, sentence_orgs)
                            if not carried
                            else [(lo, sentence, sentence_minerals, sentence_orgs, carried, False)]
                        )
                    elif has_cue and DESCRIBED_SOURCE.search(sentence):
                        # "an off-take contract for concentrate produced by a family-run miner":
                        # a deal whose seller the text describes but does not name
                        unfigured.append((lo, sentence, sentence_minerals, [], [], False))
                    elif (
                        not is_call
                        and self.trade_deal_en.found_in(cued)
                        # ("Prices shall be calculated on the zinc and silver contained, less
                        # treatment charges": the terms of a deal already told)
                        and not _DEAL_TERMS_OPENING.match(sentence.lstrip())
                    ):
                        # "X also secured a nickel offtake contract from trader Y": a seller
                        # only the role model may find (it runs after this component); a
                        # mineral that names a site ("the Tarn rutile project") is not traded
                        traded = unique(
                            c
                            for m in sentence_minerals
                            if not self.facility_after.match(text[m.end : m.end + 40])
                            for c in m.canonicals
                        )
                        if traded:
                            open_deals.append((lo, hi, tuple(traded)))
            if not usable and not (sentence_minerals and is_call):
                continue
            if not sentence_minerals and not zh and _ASSET_SALE.search(sentence):
                continue  # ("It closed the sale of its nickel trading unit for $8 million")
            if not sentence_minerals:
                # "four contracts worth a combined $52 million": a sum over the deals that
                # the next sentences report one by one, not a deal of its own.
                if (
                    not zh
                    and self.aggregate_en.search(sentence)
                    and self.aggregate_deals_en.search(sentence)
                ):
                    continue
                # "awarded a $600 million contract for about 150 million gallons of diesel":
                # a deal for another commodity, in a text about a mineral
                if not zh and self.other_goods.search(sentence):
                    continue
                known = main is not None and (
                    main in title_minerals or any(d.mineral == main for d in drafts)
                )
                if not known or not usable or main is None:
                    monies = [a for a in usable if a.kind == "money"]
                    # (of a trade: a supply contract or an offtake, not an award of funds)
                    if (
                        not zh
                        and len(monies) == 1
                        and not known
                        and self.trade_deal_en.found_in(cued)
                    ):
                        priced = (hi, monies[0])
                    continue
                # "The deal is worth about $75 million a year": the deal just reported.
                # An analyst quoted on the figure ("analysts at X estimated") is no new party.
                parties = [o for o in sentence_orgs if o.role not in _THIRD_PARTIES]
                if not parties and self._fill(drafts, main, usable):
                    continue
                # a second deal of the main mineral needs a party: one found by the model, or
                # a supplier named by its short form ("Durrant is to supply 400 metric tons")
                if (
                    not parties
                    and any(d.mineral == main for d in drafts)
                    and not any(
                        mentioned_at(sentence, lo, n, []) is not None for n in fallback_names
                    )
                ):
                    continue
                sentence_minerals = [MineralHit(lo, lo, "", (main,))]
            # "DLA plans to buy 3,000 tonnes for the stockpile" is a call with no seller yet;
            # "Ostfeld will buy 60,000 tonnes a year" in a text about a miner is that
            # miner's sale. A buy is open when an agency buys or the text names no supplier.
            is_open = bool(open_cue.search(sentence)) and (
                is_rfi
                or any(o.role == "buyer" for o in sentence_orgs)
                or bool(re.search(r"\bstockpil", sentence, re.I))
            )
            # "Durrant is to supply 400 metric tons": a supplier named by its short form
            named = [n for n in fallback_names if mentioned_at(sentence, lo, n, []) is not None]
            strangers = {
                o.canonical or o.text
                for o in sentence_orgs
                if not o.supplier and o.role not in _NO_DEAL_PARTY
            }
            fallback = (
                named[:1]
                or self._referred(text, lo, hi, sentence, doc_suppliers, starts)
                # (the document's main seller, unless two other parties deal in the sentence:
                # "B signed a deal with C to gain access to its tailings", or a buyer's purchase
                # names no seller: "The fund bought 30 t this month")
                or (
                    [primary]
                    if primary
                    and not is_open
                    and len(strangers) < 2
                    and not _bought_from_someone_unnamed(sentence)
                    and not _from_the_company_not(text, sentence, primary)
                    else []
                )
            )
            if in_buying_list:
                fallback = []  # an item of a buying list names its own seller, or none
            fallback = [n for n in fallback if n not in owners]
            for draft in self._segments(
                doc, sentence.strip(), lo, sentence_minerals, usable, sentence_orgs, fallback
            ):
                # A figure-less mention ("it reissued its cobalt tender") is a line only when
                # it is a call for offers in a document about buying, or about its mineral.
                if not (
                    draft.usd
                    or draft.tonnes
                    or (is_call and (about_buying or draft.mineral in title_minerals))
                ):
                    continue
                if not (draft.usd or draft.tonnes) and not any(o.supplier for o in sentence_orgs):
                    # a call for offers names no seller yet: the document's other supplier
                    # is no party to it
                    draft.suppliers = []
                if not sentence_orgs and _complete(drafts, draft):
                    continue
                draft.call = is_rfi and not draft.suppliers
                drafts.append(draft)
        for lo, sentence, sentence_minerals, sentence_orgs, carried, own_seller in unfigured:
            described = not sentence_orgs and not carried
            listed = len({c for m in sentence_minerals for c in m.canonicals}) >= 3
            for draft in self._segments(
                doc, sentence.strip(), lo, sentence_minerals, [], sentence_orgs, carried
            ):
                if (draft.suppliers or described) and not any(
                    _retold(draft, d, orgs, listed=listed) for d in drafts
                ):
                    draft.unnamed = draft.unnamed or described
                    draft.listed = draft.listed or own_seller
                    drafts.append(draft)
        return drafts

    def _planned_purchase(self, sentence: str, orgs: list[OrgHit], zh: bool) -> bool:
        """A buyer's stated plan to buy, with no seller named: "The agency plans to buy
        cobalt and tin", "拟收储钴、铜". A hedge or negation ("has not decided whether to buy",
        "is considering whether to buy") states no plan."""
        if any(o.supplier for o in orgs):
            return False
        if zh:
            return bool(self.planned_zh.search(sentence))
        found = self.planned_en.search(sentence)
        return found is not None and not self.hedged_en.search(sentence, 0, found.start())

    def _referred(
        self,
        text: str,
        lo: int,
        hi: int,
        sentence: str,
        suppliers: list[OrgHit],
        starts: list[int],
    ) -> list[str]:
        """The supplier of a deal sentence that names it only by reference:
        - "The largest portion went to A, whose plant ... Its $5.2 million contract covers
          700 short tons": a sentence opening on "Its" / "It" / "The company" is about the
          supplier last named before it, in its paragraph;
        - "The second contract, valued at $6.1 million, calls for 15 metric tons. It was
          awarded to B": a deal sentence followed by one that awards "it" names its supplier
          there."""
        if any(lo <= o.start < hi for o in suppliers):
            return []
        paragraph = text.rfind("\n\n", 0, lo)
        if self.supplier_pronoun.match(sentence.lstrip()):
            before = [o for o in suppliers if paragraph <= o.start < lo]
            if before:
                return [before[-1].canonical or before[-1].text]
            # ("Kelso wants two customers. It has signed one already": the sentence
            # before, in its paragraph, opens on a supplier's name the model left unread there)
            index = bisect_left(starts, lo) - 1
            while index >= 0 and not text[starts[index] : starts[index + 1]].strip():
                index -= 1  # (a paragraph break is no sentence of its own)
            if index >= 0 and starts[index] >= paragraph:
                head = text[starts[index] : lo].lstrip()
                for name in unique(o.canonical or o.text for o in suppliers):
                    if re.match(rf"{re.escape(name)}\b(?!['’])", head):
                        return [name]
        elif self.pronoun_sells.search(sentence):
            # (the seller may have been named paragraphs before: the one that sells is a
            # supplier, so the last supplier named is the company meant)
            before = [o for o in suppliers if o.start < lo]
            if before:
                return [before[-1].canonical or before[-1].text]
        follow = self.awarded_to_it.match(text, hi)
        if follow is not None and "\n\n" not in text[hi : follow.end()]:
            after = [o for o in suppliers if follow.end() - 5 <= o.start < follow.end() + 80]
            end = text.find(".", follow.end())
            after = [o for o in after if end < 0 or o.start < end]
            if after:
                return [after[0].canonical or after[0].text]
        return []

    @staticmethod
    def _sole_mineral(minerals: list[MineralHit], usable: list[AmountHit]) -> list[MineralHit]:
        """The text's one mineral, for a sentence that states a mass and a sum and names
        none; nothing where the text names two or more."""
        canonicals = {c for m in minerals for c in m.canonicals}
        stated = {a.kind for a in usable if not a.in_title}
        if len(canonicals) != 1 or stated != {"money", "quantity"}:
            return []
        return [next((m for m in minerals if not m.in_title), minerals[0])]

    def _traded(self, text: str, minerals: list[MineralHit]) -> list[MineralHit]:
        """Drop a mineral that only names a facility ("at its Marlow zinc smelter", "its
        alumina refinery") or the cells the goods go into ("cathode powder for lithium-ion
        cells") when the sentence names another mineral that is traded."""
        traded = [
            m
            for m in minerals
            if not self.facility_after.match(text[m.end : m.end + 40])
            and not _ION_CELLS_AFTER.match(text, m.end)
        ]
        if traded and len(traded) < len(minerals):
            kept = {m.canonicals for m in traded}
            return [m for m in minerals if m in traded or m.canonicals in kept]
        return minerals

    def _other_material(self, text: str, amount: AmountHit, minerals: list[MineralHit]) -> bool:
        """ "9,000 tonnes of sulphuric acid": a mass of another material, not of a mineral
        whose name holds the material's word ("phosphoric acid")."""
        found = self.other_material.match(text[amount.end : amount.end + 60])
        return found is not None and not _inside_mineral(amount.end + found.end(), minerals)

    def _pending_deal(
        self,
        doc: Doc,
        pending: tuple[int, list[MineralHit], int, str],
        figures: list[AmountHit],
        names: list[str],
    ) -> list[Draft]:
        """The deal of a figure-less sentence, with the figures of the sentence after it."""
        _, minerals, lo, sentence = pending
        orgs = [o for o in doc._.minwatch_orgs or [] if lo <= o.start < lo + len(sentence)]
        named = [n for n in names if mentioned_at(sentence, lo, n, []) is not None]
        drafts = self._segments(doc, sentence.strip(), lo, minerals, figures, orgs, named[:1])
        return [d for d in drafts if d.usd or d.tonnes]

    @staticmethod
    def _party_term(
        text: str,
        lo: int,
        sentence: str,
        pending: tuple[int, list[MineralHit], int, str],
        figures: list[AmountHit],
        minerals: list[MineralHit],
        orgs: list[OrgHit],
    ) -> bool:
        """The sentence right after a figure-less deal opens on one of that deal's parties and
        states a yearly mass of the deal's mineral: that party's share of the deal."""
        dealt = {c for m in pending[1] for c in m.canonicals}
        if not {c for m in minerals for c in m.canonicals} <= dealt:
            return False
        # (the next sentence, past a paragraph break)
        if pending[0] > lo or text[pending[0] : lo].strip():
            return False
        if not any(a.kind == "quantity" and a.per_year for a in figures):
            return False
        # (by name: the model reads a name in some sentences only)
        opening = sentence.lstrip()
        return any(
            re.match(rf"{re.escape(name)}\b", opening) and _names_in(pending[3], name)
            for name in {n for o in orgs for n in (o.text, o.canonical) if n}
        )

    def _follow_up(
        self,
        text: str,
        lo: int,
        sentence: str,
        drafts: list[Draft],
        figures: list[AmountHit],
        orgs: list[OrgHit],
        all_orgs: list[OrgHit],
    ) -> bool:
        """A sentence after the deals that prices one of them: "Hoshimura said its contract was
        worth about ¥20 billion ($130 million)", "Tarrant valued its three-year agreement at
        A$400 million (US$260 million)", "It is valued at $2 million." The line of the party
        that the sentence names first (by its full name or the first word of it) takes the
        value; a sentence naming no party but opening on "It" / "The contract" prices the
        latest deal. False when it prices no line."""
        money = pick_figure([a for a in figures if a.kind == "money"])
        revenue = bool(self.revenue.search(sentence))
        if money is None or not (revenue or self.value_follow_up.search(sentence)):
            return False
        if _ASSET_SALE.search(sentence):
            return False  # ("It closed the sale of its drilling unit for $8 million": its own)
        open_lines = [d for d in drafts if d.usd is None]
        if not open_lines:
            return False
        mentions: list[tuple[int, Draft]] = []
        for draft in open_lines:
            for name in draft.suppliers:
                hits = [o for o in orgs if (o.canonical or o.text) == name]
                at = mentioned_at(sentence, lo, name, hits)
                if at is not None:
                    mentions.append((at, draft))
            for name in draft.suppliers:
                for alias in {
                    a for o in all_orgs if (o.canonical or o.text) == name for a in o.aliases
                }:
                    at = sentence.find(alias)
                    if alias and at >= 0:
                        mentions.append((lo + at, draft))
            # "The DLA contract, worth $12.4 million", "valued the Ostfeld contract at": the
            # deal whose own clause names that party (or spells out the acronym).
            clause = text[draft.span[0] : draft.span[1]]
            for word in re.finditer(r"(?<![\w-])[A-Z][\w&-]{2,}(?![\w-])", sentence):
                if word.start() == 0 and word.group().lower() in _SENTENCE_OPENERS:
                    continue
                if _names_in(clause, word.group()):
                    mentions.append((lo + word.start(), draft))
        if mentions:
            first = min(at for at, _ in mentions)
            if first > money.start:
                return False
            chosen = [d for at, d in mentions if at == first]
            # several lines of the named party: the one the sentence also points at otherwise
            others = [d for at, d in mentions if at != first]
            target = next((d for d in chosen if d in others), chosen[0])
        elif (revenue or self.deal_pronoun.match(sentence.lstrip())) and not any(
            o.role not in _THIRD_PARTIES for o in orgs
        ):
            target = open_lines[-1]
        else:
            return False
        target.usd = money
        return True

    @staticmethod
    def _fill(drafts: list[Draft], mineral: str, figures: list[AmountHit]) -> bool:
        """Give the latest line of `mineral` the value or mass it lacks; False if none."""
        target = next((d for d in reversed(drafts) if d.mineral == mineral), None)
        if target is None:
            return False
        money = pick_figure([a for a in figures if a.kind == "money"])
        mass = pick_figure([a for a in figures if a.kind == "quantity" and not a.superseded])
        # A sentence whose figures the latest line already has ("Durrant is to supply 400
        # metric tons, and its award is worth $9.4 million" after a complete line) is a new
        # deal, not a detail of that one.
        filled = False
        if target.usd is None and money is not None:
            target.usd, filled = money, True
        if target.tonnes is None and mass is not None:
            target.tonnes, filled = mass, True
        return filled

    @staticmethod
    def _amend(drafts: list[Draft], mineral: str | None, figures: list[AmountHit]) -> bool:
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
        end: int = 10**9,
    ) -> list[Draft]:
        """Attach each figure to the mineral it is stated for ("$30 million in gallium"),
        reading up to `end` (a clause's end) for who sells it."""
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
            owner = self._owner(text, amount, ordered, amounts)
            if owner < 0:
                continue
            # "铅锑精矿600吨", "100 t of neodymium-praseodymium oxide", "lithium nickel manganese
            # oxide": a material whose name joins several minerals is a deal of each
            partners = {owner}
            for step in (-1, 1):
                i = owner
                while (
                    0 <= i + step < len(ordered)
                    and text[ordered[min(i, i + step)].end : ordered[max(i, i + step)].start]
                    in _COMPOUND_JOINS
                    and ordered[i + step].canonicals != ordered[i].canonicals
                ):
                    i += step
                    partners.add(i)
            for index in sorted({group_of[i] for i in partners}):
                per_group[index].append(amount)
        anchors = [ordered[group_of.index(i)] for i in range(len(groups))]
        hi = lo + len(sentence) + 1
        context_orgs = [o for o in doc._.minwatch_orgs or [] if lo <= o.start < hi]
        # "to supply 7,000 tonnes to Ostfeld": the party a mineral goes to is the buyer.
        suppliers_all = [o for o in orgs if o.supplier and not _recipient(text, lo, o)]
        from_orgs: list[OrgHit] = []
        for org in sorted(suppliers_all, key=lambda o: o.start):
            before = text[max(lo, org.start - 60) : org.start]
            if _FROM_SLOT.search(before) or (
                from_orgs and self.conjunct.fullmatch(text[from_orgs[-1].end : org.start])
            ):
                from_orgs.append(org)
        subject_orgs = [o for o in suppliers_all if o not in from_orgs]
        # "A and B will supply ...": subjects joined by "and" are one clause's sellers
        clusters: list[list[OrgHit]] = []
        for org in sorted(subject_orgs, key=lambda o: o.start):
            if clusters and self.conjunct.fullmatch(text[clusters[-1][-1].end : org.start]):
                clusters[-1].append(org)
            else:
                clusters.append([org])
        heads = list(
            {
                tuple(unique(o.canonical or o.text for o in g)): g for g in reversed(clusters)
            }.values()
        )
        if len(heads) >= 2:
            split = self._split_by_awardee(
                doc, sentence, lo, minerals, amounts, sorted(heads, key=lambda g: g[0].start)
            )
            if split:
                return split
        drafts: list[Draft] = []
        pending: list[Draft] = []
        # "... from X, while A and B will supply $45 million in scandium": the subjects of a
        # conjunct's own clause are its sellers
        clause_subjects: dict[int, list[str]] = {}
        for index, mineral in enumerate(anchors):
            figures = per_group[index]
            segment_end = anchors[index + 1].start if index + 1 < len(anchors) else end
            clause_start = anchors[index - 1].end if index else lo
            own_subjects = unique(
                o.canonical or o.text
                for o in subject_orgs
                if clause_start <= o.start < mineral.start
            )
            parts = _party_clauses(text, figures, context_orgs)
            if len(parts) > 1:
                # "150,000 pounds from A for $11.8 million and 90,000 pounds from B for
                # $7.3 million": one deal per clause, each with its own seller.
                for part_lo, part_hi, part in parts:
                    names = unique(
                        o.canonical or o.text for o in from_orgs if part_lo <= o.start < part_hi
                    )
                    for canonical in mineral.canonicals:
                        drafts.append(
                            Draft(
                                canonical,
                                pick_figure([a for a in part if a.kind == "money"]),
                                pick_figure([a for a in part if a.kind == "quantity"]),
                                names,
                                sentence,
                                mineral.start,
                                (part_lo, part_hi),
                            )
                        )
                pending = []
                continue
            money = pick_figure([a for a in figures if a.kind == "money"])
            mass = pick_figure([a for a in figures if a.kind == "quantity" and not a.superseded])
            # "$90 million in nickel and $40 million in tin from X": when each conjunct
            # states its own figure, each is a deal of its own and "from X" belongs to the one
            # it follows; "cobalt and nickel from X" (one figure or none) shares it.
            if money or mass:
                pending = [d for d in pending if not (d.usd or d.tonnes)]
            for canonical in mineral.canonicals:
                draft = Draft(
                    canonical, money, mass, [], sentence, mineral.start, (lo, lo + len(sentence))
                )
                drafts.append(draft)
                pending.append(draft)
                if own_subjects:
                    clause_subjects[id(draft)] = own_subjects
            later = [o for o in from_orgs if mineral.end <= o.start < segment_end]
            if later:
                names = unique(o.canonical or o.text for o in later)
                if len(pending) < len(anchors) and _RESPECTIVELY.search(sentence):
                    # "500 tonnes of A and 20 tonnes of B from X and Y respectively"
                    pending = [d for d in drafts if not d.suppliers and not d.unnamed]
                if len(names) == len(pending) > 1 and _RESPECTIVELY.search(sentence):
                    for draft, name in zip(pending, names, strict=True):
                        draft.suppliers = [name]
                else:
                    for draft in pending:
                        draft.suppliers = list(names)
                pending = []
            elif self.unnamed_source.search(
                text, mineral.end, min(segment_end, lo + len(sentence))
            ):
                # "$25 million in niobium from an unnamed company": the text says the
                # seller is not named, so no other party of the sentence stands in for it.
                for draft in pending:
                    draft.unnamed = True
                pending = []
        subject_names = unique(o.canonical or o.text for o in subject_orgs)
        # Where the sentence names its sellers conjunct by conjunct ("from X"), a conjunct with
        # a figure of its own and no "from" has no seller named: no other party stands in.
        attributed = bool(from_orgs) or any(d.unnamed for d in drafts)
        for draft in drafts:
            if attributed and (draft.usd or draft.tonnes) and len(anchors) > 1:
                if not draft.suppliers and not draft.unnamed:
                    draft.suppliers = clause_subjects.get(id(draft), [])
                continue
            if not draft.suppliers and not draft.unnamed:
                if not subject_names and self.place_source.search(sentence):
                    draft.unnamed = True
                    continue
                draft.suppliers = list(subject_names) or list(fallback)
        if _EACH_AWARDED.search(sentence):
            drafts = [
                *(d for d in drafts if len(d.suppliers) < 2 or d.usd or d.tonnes),
                *(
                    replace(d, suppliers=[name])
                    for d in drafts
                    if len(d.suppliers) > 1 and not (d.usd or d.tonnes)
                    for name in d.suppliers
                ),
            ]
        return drafts

    def _split_by_awardee(
        self,
        doc: Doc,
        sentence: str,
        lo: int,
        minerals: list[MineralHit],
        amounts: list[AmountHit],
        heads: list[list[OrgHit]],
    ) -> list[Draft]:
        """ "A won $3.2 million for 140 tonnes, and B received $2.6 million for 85 tonnes":
        one line per awardee, each with the figures of its own clause. Empty when some
        awardee has no figure of its own (then the sentence is one deal)."""
        starts = [lo] + [h[0].start for h in heads[1:]] + [10**9]
        # "..., while $500 million of cobalt would come from suppliers not yet named": a
        # clause break after an awardee ends its clause; what follows names no awardee
        clauses: list[tuple[int, int, list[str]]] = []
        for index, head in enumerate(heads):
            a, b = starts[index], starts[index + 1]
            brk = _CLAUSE_BREAK.search(text_of(doc), head[-1].end, min(b, lo + len(sentence)))
            names = unique(o.canonical or o.text for o in head)
            if brk is None:
                clauses.append((a, b, names))
            else:
                clauses += [(a, brk.start(), names), (brk.start(), b, [])]
        drafts: list[Draft] = []
        for a, b, names in clauses:
            figures = [x for x in amounts if a <= x.start < b]
            own = [m for m in minerals if a <= m.start < b]
            inherited = [m for m in minerals if m.start < a][-1:]
            if not names and not figures:
                continue
            if not figures or not (own or inherited):
                return []
            clause = self._segments(doc, sentence, lo, own or inherited, figures, [], names, end=b)
            for draft in clause:
                draft.span = (max(a, draft.span[0]), min(b, draft.span[1]))
            drafts.extend(clause)
        return drafts

    @staticmethod
    def _owner(
        text: str, amount: AmountHit, minerals: list[MineralHit], amounts: list[AmountHit]
    ) -> int:
        for index, mineral in enumerate(minerals):
            between = text[amount.end : mineral.start]
            # "$18 million contract for 400 tonnes of cobalt": a mass may sit between.
            for other in amounts:
                if amount.end <= other.start and other.end <= mineral.start:
                    between = between.replace(other.text, " ", 1)
            between = re.sub(
                r"^\s*(?:contract|order|deal|agreement|award)\s+(?=for\b)", " ", between
            )
            between = re.sub(r"^\s*for\s+(?=(?:of|in)\b)", " ", between)
            if not between.strip() and mineral.start >= amount.end:
                return index  # "4000 金属吨钴", "500 tonnes cobalt": the mineral named next
            if (
                0 <= len(between) <= 45
                and re.fullmatch(
                    r"\s*(?:(?:a|per)\s+year\s+)?(?:of|in|on|worth of)\s+[\w\s,()-]*", between
                )
                and not re.search(r"\d", between)
            ):
                return index
        if len(minerals) == 1:
            return 0
        # otherwise the nearest mineral before the figure, else the first one after
        before = [i for i, m in enumerate(minerals) if m.end <= amount.start]
        if (
            len(before) >= 2
            and minerals[before[-2]].end == minerals[before[-1]].start
            and minerals[before[-2]].canonicals != minerals[before[-1]].canonicals
            and _WET_MASS.search(amount.text)
        ):
            # "含钴铜物料 4800 湿吨": the wet mass of a material of two minerals is neither's
            # contained metal
            return -1
        return before[-1] if before else 0


# "from X", "from the domestic company X", "from Canadian refiner X": X is the object of
# "from", behind at most a determiner and a few lower-case or adjectival descriptor words.
_FROM_SLOT = re.compile(
    r"\bfrom\s+(?:(?:the|a|an)\s+)?"
    # ("from Australia's X": a place's possessive before the name)
    r"(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?['’]s\s+)?"
    r"(?:(?:[a-z][\w.-]*|[A-Z][a-z]+(?:an|ese|ish|ian))\s+){0,4}$"
)

# "strategic metals worth as much as $2 billion", "$1 billion of strategic materials": the sum over
# many minerals' purchases, no one deal's value
_GOODS_CLASS = (
    r"(?:critical|strategic|key|raw|battery|rare)?\s*(?:minerals|metals|materials|commodities)"
)
_GOODS_WORTH_BEFORE = re.compile(
    rf"\b{_GOODS_CLASS}\s+(?:worth|valued\s+at)\s+(?:up\s+to\s+|as\s+much\s+as\s+|about\s+)?"
    r"(?:US\s?)?$",
    re.I,
)
_GOODS_AFTER = re.compile(rf"^\s*(?:worth\s+)?(?:of|in)\s+(?:\w+\s+)?{_GOODS_CLASS}\b", re.I)

# wet tonnes: the mass of a material with its moisture, not of a contained metal
_WET_MASS = re.compile(r"湿|\bwet\b|\bwmt\b", re.I)
# "to acquire X", "a takeover of X": a company changes hands (a capitalised object that is no
# mineral)
_TAKEOVER = re.compile(
    r"\b(?i:acquir(?:e|es|ed|ing)|takeover\s+of|acquisition\s+of|merger\s+with|bid\s+for)"
    r"\s+(?:the\s+)?(?=[A-Z][\w&'’-]+)"
    # "the $54m purchase of the Kelso assets": a business bought, by its name
    r"|\b(?i:purchase|sale)\s+of\s+(?:the\s+)?(?=(?:[A-Z][\w&'’-]*\s+){1,3}"
    r"(?i:assets|business|businesses|operations|company|shares|stake)\b)"
)
# "sold 20% of its shares for $1.2 billion", "bought a 15 per cent stake in X": a share of a
# company changes hands (not "sold 30% of its niobium output": the share of a mineral)
_STAKE_SALE = re.compile(
    r"\b(?:sold|sells?|selling|bought|buys?|buying|acquired|acquires?|acquiring"
    # (the nouns too: "the sale of a 25% interest in the Tarn mine")
    r"|(?:purchase|sale|acquisition|divestment)\s+of)\s+"
    r"(?:an?\s+)?\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)\s+(?:(?:stake|interest)\s+)?"
    r"(?:of|in)\s+(?:(?:its|the|their|our)\s+)?",
    re.I,
)

# "without any commitment to buy or supply", "has not yet signed a supply agreement", "no
# offtake deal": a deal the sentence denies
_NEGATED_DEAL = re.compile(
    # ("not only supply A but also B" denies nothing)
    r"\b(?:without|not(?!\s+only)|no|never)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:off-?take|supply|sales?|sell|buy|purchases?)"
    r"(?:\s+(?:or|and|nor)\s+(?:off-?take|supply|sales?|sell|buy|purchases?))*"
    r"(?:\s+(?:agreements?|deals?|contracts?))?\b",
    re.I,
)
# "supplies about half of the world's tantalum", "accounts for a third of global output": a share
# of the world's supply, a statistic and no deal
_MARKET_SHARE = re.compile(
    r"\b(?:supplies|supplied|supply|sells|sold|provides|provided|accounts?\s+for|produces)\s+"
    r"(?:(?:more|less)\s+than|about|around|nearly|almost|over|some|roughly|close\s+to)?\s*"
    r"(?:\d[\d.]*\s?(?:%|percent|per\s+cent)|(?:a|one)\s+(?:third|quarter|fifth|tenth)"
    r"|half|two[-\s]thirds|three[-\s]quarters)\s+of\s+(?:the\s+)?(?:world['’]s|world|global)\b",
    re.I,
)
# "an agreement with X for the construction of a nickel sulphate plant": a deal to build a
# plant, not to buy what it will make
_PLANT_CONTRACT = re.compile(
    r"\b(?:contracts?|agreements?|deals?)\b[^.;]{0,80}?\b(?:for|provides\s+for)\s+the\s+"
    r"(?:establishment|construction|building|implementation|installation|design|development)"
    r"\s+of\b[^.;]{0,60}?\b(?:plants?|facilit(?:y|ies)|refiner(?:y|ies)|factor(?:y|ies))\b"
    # ("a $5 million grant to X for a plant in Texas": money toward a plant)
    r"|\b(?:awards?|grants?)\b[^.;]{0,80}?\bfor\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:plants?|facilit(?:y|ies)|refiner(?:y|ies)|factor(?:y|ies))\b",
    re.I,
)
# "valued at ", "worth about ": the value of what the words before it name
_VALUED_AT_BEFORE = re.compile(
    r"\b(?:valued\s+at|worth|with\s+a\s+value\s+of)\s+(?:about\s+|some\s+|around\s+"
    r"|approximately\s+|nearly\s+)?(?:US|U\.S\.\s?)?$",
    re.I,
)
# "is earmarked for buying", "goes toward purchasing": money spent on goods
_FUNDS_A_PURCHASE = re.compile(
    r"\b(?:used|spent|go(?:es)?|earmarked)\s+(?:to|for|on|toward|towards)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:buy|buying|purchase|purchasing|procure|procuring)\b",
    re.I,
)
# "will invest $40 million", "an investment of about $120 million": money put in
_INVESTED_BEFORE = re.compile(
    r"\b(?:invest(?:s|ed|ing)?|investments?\s+of|capex\s+of|capital\s+costs?\s+of"
    r"|construction\s+costs?\s+of)\s+(?:(?:more|less)\s+than\s+|about\s+|around\s+|up\s+to\s+"
    r"|nearly\s+|over\s+|some\s+|roughly\s+|an\s+estimated\s+)?(?:US)?$",
    re.I,
)
_RUNNING_TOTAL_BEFORE = re.compile(r"\ba\s+total\s+of\s+$", re.I)
# "The cargo takes its total shipments this year to 9,000 t": the sum so far
_BRINGS_TOTAL_TO = re.compile(
    r"\b(?:brings?|brought|bringing|takes?|took|lifts?|lifted|raises?|raised)\s+(?:its|their|the)"
    r"\s+(?:total|tally|cumulative|combined|holdings)\b[^.;]{0,60}?\bto\s+"
    r"(?:about\s+|approximately\s+|some\s+|nearly\s+)?$",
    re.I,
)
# a buyer's verb: "X bought 30 t", "after it bought" (not a stake: "bought 15% of")
_BUYER_SUBJECT = re.compile(
    r"\b(?:bought|buys|purchased)\b(?!\s+out\b)(?!\s+(?:an?\s+|the\s+)?(?:\d+(?:\.\d+)?\s*"
    r"(?:%|per\s*cent|percent)|stake|shares?|interest))"
)
_FROM = re.compile(r"\bfrom\b")
_SO_FAR = re.compile(r"\b(?:so\s+far|to\s+date|year[-\s]to[-\s]date|YTD)\b", re.I)
# "closed the sale of its cobalt refinery assets to X": a business's assets change
# hands, no goods
_ASSET_SALE = re.compile(
    r"\b(?:sale|sold|sells?|selling|divest(?:ed|s|ing)?|divestiture)\s+(?:of\s+)?"
    r"(?:its|the|their|our)\s+(?:[^.;,]{0,80}?\s)?(?:assets?|business|division|subsidiary|unit)\b",
    re.I,
)
# "Prices shall be ...", "Payment for the concentrate ...": a sentence of a deal's terms
_DEAL_TERMS_OPENING = re.compile(
    r"(?i:the\s+)?(?i:prices?|pricing|payments?|payable|penalties|treatment\s+charges?)\b"
)
# "48 million tonnes at 1.2% nickel", "12 Mt grading 1.1%": ore in the ground at a grade
_GRADE_AFTER = re.compile(
    r"\s*(?:of\s+(?:ore|material|mineralisation|mineralization)\s+)?(?:at|grading|@)\s+"
    r"[\d.]+\s*(?:%|g/t|ppm|percent)"
)
# "a Mineral Resource of ", "reserves totalling ": the words before a deposit's tonnage
# (and what a holder has in store: "the fund's stocks stand at 2,000 t")
_RESOURCE_BEFORE = re.compile(
    r"\b(?i:resources?|reserves?|estimate|inventory|holdings|stocks)\s+(?:now\s+)?"
    r"(?:of|at|totall?ing|total|to|increased\s+to|stand\s+at|amount\s+to)\s+"
    r"(?:about\s+|approximately\s+|some\s+|roughly\s+)?$"
)

# ", while ...", "; ...": the end of one clause of a sentence that reports several deals
_CLAUSE_BREAK = re.compile(r",\s+(?:while|whereas|but)\b|;\s")

# goods moved, not traded: a carrier's contract
_CARRIED = re.compile(r"\b(?:transport(?:ed|ing)?|haul(?:ed|ing)?|railed|freighted)\b", re.I)
_TRADED = re.compile(
    r"\b(?:sell|sells|sold|sale|buy|buys|bought|purchas\w*|offtake|off-take|supply|supplies"
    r"|supplied|procure\w*|order)\b",
    re.I,
)
# Roles of organisations quoted about a deal rather than party to it.
_THIRD_PARTIES = frozenset(
    {
        "bank",
        "media",
        "price_agency",
        "data_provider",
        "law_firm",
        "exchange",
        "industry_body",
        # (a freight company hauls the goods it neither sells nor buys)
        "carrier",
    }
)
# Roles that are no other seller's party in a deal sentence: third parties and buying agencies.
_NO_DEAL_PARTY = _THIRD_PARTIES | {"buyer"}

_FURTHER_PART = re.compile(r"\b(?:an?\s+)?(?:additional|further)\s+$", re.I)
# "The award is for ...", "The grant will ...": a sentence about the award just told
_AWARD_REFERRED = re.compile(r"\s*(?:The|This)\s+(?:award|grant|funding|loan|investment)\b")
# "produced by a family-run miner", "from a local producer": a seller described, not named
DESCRIBED_SOURCE = re.compile(
    r"\b(?:from|by)\s+(?:a|an|one)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:operator|producer|miner|supplier|smelter|refiner|mine|source|company|trader)s?\b",
    re.I,
)


def _side_parties(lines: list[ProcurementLine], orgs: list[OrgHit]) -> list[ProcurementLine]:
    """ "A及B（以下简称"卖方"）…卖方向买方销售130万吨": a line sold by one party of a side the
    text defines for a list is sold by all of them."""
    sides: dict[str, list[str]] = {}
    for org in sorted(orgs, key=lambda o: o.start):
        for term in set(org.aliases) & SIDE_TERMS_ZH:
            name = org.canonical or org.text
            if name not in sides.setdefault(term, []):
                sides[term].append(name)
    if not any(len(names) > 1 for names in sides.values()):
        return lines
    expanded = []
    for line in lines:
        sellers = list(line.suppliers)
        for names in sides.values():
            if len(names) > 1 and set(names) & set(sellers):
                sellers = [*names, *(s for s in sellers if s not in names)]
        expanded.append(replace(line, suppliers=tuple(sellers)))
    return expanded


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


# what makes no deal of the words it spans, blanked in this order after a company's stake
# "was granted a mining licence over the X deposit": a concession to mine, no purchase of
# what the mine will produce
_CONCESSION = re.compile(
    r"\b(?:awarded|granted|won|secured|signed)\b[^.;]{0,40}?\b(?:mining|exploration|prospecting)"
    r"\s+(?:rights?|licen[cs]es?|concessions?|permits?)(?:\s+(?:contracts?|awards?|agreements?))?",
    re.I,
)
# "the rate falls to 2% once 40,000 t have been sold", "until the sale of 1 Mt of ore": a
# term's threshold, the end of a royalty or a price, no sale agreed
_THRESHOLD = re.compile(
    r"\b(?:until|once)\s+(?:the\s+)?(?:[\w-]+,?\s+){0,5}?(?:sales?|delivery|deliveries)\s+of\b"
    r"|\b(?:until|once)\s+[^.;]{1,60}?\bha(?:ve|s)\s+been\s+(?:sold|delivered)\b",
    re.I,
)
# "sold a 2% royalty on its tin mine", "the sale of a gold stream": a financing against the
# mine's revenue, no goods sold
_ROYALTY_SALE = re.compile(
    r"\b(?:sold|sell|sells|selling|sale\s+of)\s+(?:a|an|the|its)?\s*(?:[\w.%-]+\s+){0,3}?"
    r"(?:royalty|royalties|streams?|streaming\s+interest)\b",
    re.I,
)
# "is in talks with carmakers to supply", "holds discussions with X to sell": a deal not made
_IN_TALKS = re.compile(
    r"\b(?:in|holding|held|holds|hold|entered)\s+(?:advanced\s+|preliminary\s+|early\s+)?"
    r"(?:talks|discussions|negotiations)\b[^.;]{0,80}?\bto\s+"
    r"(?:supply|sell|buy|purchase|deliver|provide)\b",
    re.I,
)
# (talks, a threshold and a royalty's sale blanked in one pass: each sentence is read once)
_NOT_AGREED = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_IN_TALKS, _THRESHOLD, _ROYALTY_SALE)), re.I
)
_NON_DEALS = (
    _NEGATED_DEAL,
    _NOT_AGREED,
    _MARKET_SHARE,
    _ASSET_SALE,
    _PLANT_CONTRACT,
    _CONCESSION,
)


def _without_non_deals(sentence: str, lo: int, minerals: list[MineralHit]) -> str:
    """The sentence with the words that deny or are no deal blanked out to the same length, so
    its offsets still hold: a stake changing hands ("sold 20% of its shares"), a denied deal
    ("without any commitment to buy or supply"), a share of world supply, a business's assets
    sold, a contract to build a plant."""
    cued = _without_stake_sales(sentence, lo, minerals)
    for pattern in _NON_DEALS:
        cued = pattern.sub(_blank, cued)
    return cued


def _volume_follow_up(
    lo: int, sentence: str, drafts: list[Draft], figures: list[AmountHit]
) -> bool:
    """ "The volume agreed is put at 9,000 t": a sentence that opens on a deal's
    volume gives the latest line, which states none, its mass (the line read within the last
    few sentences, or the text's only one)."""
    if not drafts or drafts[-1].tonnes is not None or not _VOLUME_OPENING.match(sentence):
        return False
    masses = [a for a in figures if a.kind == "quantity" and not a.superseded]
    # (far from its deal only where the text tells one deal)
    if len(masses) != 1 or (lo - drafts[-1].start > 600 and len(drafts) > 1):
        return False
    drafts[-1].tonnes = masses[0]
    return True


# "The volume agreed is put at", "The quantity contracted will be", "Its annual tonnage
# amounts to"
_VOLUME_OPENING = re.compile(
    r"\s*(?:The|Its|This)\s+(?:total\s+)?(?:(?:committed|contracted|agreed|annual|estimated)\s+)?"
    r"(?:volumes?|quantity|quantities|tonnage)\b"
    # (not a market's: "The total volume of imports is")
    r"(?![^.;]{0,40}?\b(?:market|imports?|exports?|output|production|demand|consumption)\b)"
    r"[^.;]{0,40}?"
    r"\b(?:is|are|was|will\s+be|amounts?\s+to|totals?)\b"
)


def _from_the_company_not(text: str, sentence: str, name: str) -> bool:
    """ "Y will take 5,000 t a year from the Company's new plant" in a filing where "the Company
    signed a supply agreement with X": the Company sells here, and it is not X, a party it
    deals with."""
    return _FROM_THE_COMPANY.search(sentence) is not None and the_company_deals_with(text, name)


# "90,000 t of material a year", "5,000 tonnes of its concentrate": goods the sentence
# does not name
_UNNAMED_GOODS_AFTER = re.compile(
    r"\s+(?:a\s+year\s+|per\s+(?:year|annum)\s+)?of\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:material|concentrates?|ores?|products?)\b"
)
_LEFT_OUT_BEFORE = re.compile(
    r"\b(?:excluding|except(?:\s+for)?|other\s+than|apart\s+from|not\s+including|but\s+not)\s+$",
    re.I,
)
# ("which is to purchase some 90,000 t of material": bought or sold, not a works' output)
_TRADED_BEFORE = re.compile(
    r"\b(?:buy|buys|bought|purchase|purchases|take|takes|supply|supplies|sell|sells)\s+"
    r"(?:about\s+|around\s+|some\s+|up\s+to\s+|roughly\s+)?$"
)
# "from the Company's new plant", "from the Company"
_FROM_THE_COMPANY = re.compile(r"\bfrom\s+the\s+Company(?:['’]s)?\b")


def _bought_from_someone_unnamed(sentence: str) -> bool:
    """ "The fund bought 30 t this month": a buyer's purchase, its seller not named."""
    return _BUYER_SUBJECT.search(sentence) is not None and _FROM.search(sentence) is None


def _without_stake_sales(sentence: str, lo: int, minerals: list[MineralHit]) -> str:
    """The sentence with each share of a company sold or bought blanked out (offsets kept);
    a share of a mineral's output ("30% of its niobium output") stays."""
    if "%" not in sentence and "cent" not in sentence:
        return sentence  # (no share is stated: most sentences, read fast)

    def blank(sale: re.Match[str]) -> str:
        of_mineral = any(m.start == lo + sale.end() for m in minerals)
        return sale.group() if of_mineral else " " * len(sale.group())

    return _STAKE_SALE.sub(blank, sentence)


# "X的合作伙伴Y", "X的客户Y": a company named as another party's partner, customer or owner
# (the sentence is about that party)
_PARTY_OF_AFTER_ZH = re.compile(
    r"(?:此次|本次|的)?(?:合作方|合作伙伴|客户|子公司|孙公司|股东|母公司|合资方)"
)


def _inside_mineral(position: int, minerals: list[MineralHit]) -> bool:
    return any(h.start < position <= h.end for h in minerals)


def _stated_for_mineral(text: str, amount: AmountHit, minerals: list[MineralHit]) -> bool:
    """ "$30 million in indium", "$20 million of gallium oxide": the figure's own mineral."""
    return any(
        _FOR_MINERAL.fullmatch(text, amount.end, m.start) for m in minerals if m.start > amount.end
    )


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# "lithium-ion batteries", "lithium ion cells": the kind of cell, not a material traded
_ION_CELLS_AFTER = re.compile(r"[ \t-]ion\b", re.I)
# what joins the minerals of one material's name ("NCM (nickel cobalt manganese) precursor")
_COMPOUND_JOINS = frozenset(["", "-", "/", "–", " "])
# "A and B have each been awarded a contract", "were awarded separate contracts": one contract
# per winner, where "A and B have signed a contract" is one deal of both
_EACH_AWARDED = re.compile(
    r"\b(?:(?:were|(?:have|had)\s+been)\s+awarded\s+(?:\w+\s+){0,2}?"
    r"(?:contracts|orders|awards)\b"
    r"|(?:were|have|had)\s+(?:each|both)\s+been\s+awarded|\beach\s+(?:won|received|secured)\b)",
    re.I,
)
_FOR_MINERAL = re.compile(r"\s+(?:in|of|worth\s+of)\s+(?:[a-z][\w-]*\s+){0,2}")


# a related-party table's column of counterparties, and a row that buys from them
_RELATED_PARTY_HEADER = re.compile(r"关联方|关联人|关联单位|交易对方")
_RELATED_PURCHASE = re.compile(r"采购|购买|购入|进口")
# the column of what a row expects for the year, not of what was spent before
_RELATED_AMOUNT_HEADER = re.compile(r"预计|签订金额|合同金额")
_RELATED_PAST_HEADER = re.compile(r"已发生|上年|实际")


def _related_party_purchases(
    text: str, minerals: list[MineralHit], amounts: list[AmountHit], orgs: list[OrgHit]
) -> tuple[list[Draft], list[tuple[int, int]]]:
    """The rows of a Chinese related-party table ("交易类型 | 交易内容 | 关联人 | ...")
    that buy a mineral from the row's counterparty ("购买商品 | 钨精矿 | X有限公司"):
    a line of each mineral the row names, that counterparty its seller. A category left blank
    is the one above it (a merged cell); a row that sells, or names no mineral, is no
    purchase of the issuer's. The amount a row expects for the year ("预计金额") is its
    value."""
    drafts: list[Draft] = []
    spans: list[tuple[int, int]] = []
    for table in [*pipe_tables(text), *record_tables(text)]:
        party = next(
            (i for i, h in enumerate(table.header) if _RELATED_PARTY_HEADER.search(h)), None
        )
        if party is None:
            continue
        category = ""
        rows: list[Draft] = []
        for row in table.rows:
            if row.cells[0][2] and party != 0:
                category = row.cells[0][2]
            # (a space inside a Han name is the cell's layout; a Latin name keeps its own)
            cell = re.sub(rf"(?<=[{HAN}]) +(?=[{HAN}])", "", row.cells[party][2])
            seller = _full_name(cell, orgs)
            words = " ".join(c[2] for i, c in enumerate(row.cells) if i != party)
            if not seller or not _RELATED_PURCHASE.search(f"{category} {words}"):
                continue
            named = [
                m
                for m in minerals
                if row.start <= m.start < row.end
                and table.column(m.start) != party
                and not any(o.start <= m.start < o.end for o in orgs)
            ]
            expected = [
                a
                for a in amounts
                if a.kind == "money"
                and row.start <= a.start < row.end
                and (column := table.column(a.start)) is not None
                and _RELATED_AMOUNT_HEADER.search(table.header[column])
                and not _RELATED_PAST_HEADER.search(table.header[column])
            ]
            for canonical in dict.fromkeys(c for m in named for c in m.canonicals):
                rows.append(
                    Draft(
                        canonical,
                        usd=expected[0] if len(expected) == 1 and len(named) == 1 else None,
                        suppliers=[seller],
                        sentence=text[row.start : row.end],
                        start=row.start,
                        span=(row.start, row.end),
                        listed=True,
                    )
                )
        if rows:
            drafts.extend(rows)
            spans.append((table.start, table.end))
    return drafts, spans


def _full_name(name: str, orgs: list[OrgHit]) -> str:
    """A table cell's short name ("东辰集团") as the text names the company in full
    ("东辰集团股份有限公司", or the name whose short form it is)."""
    for org in orgs:
        full = org.canonical or org.text
        if name and full != name and (full.startswith(name) or name in org.aliases):
            return full
    return name


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(lo <= offset <= hi for lo, hi in spans)


def _party_clauses(
    text: str, figures: list[AmountHit], orgs: list[OrgHit]
) -> list[tuple[int, int, list[AmountHit]]]:
    """Split one mineral's figures into the clauses of several deals when it states several
    masses joined by "and", ";" or ",", and every clause has a party or a value of its own
    ("7,000 tonnes a year to Ostfeld and 5,000 tonnes a year to Halvard Motors"). A base
    quantity and its options, or a yearly and a total figure, name no second party: one deal.
    Returns [] or a single clause when the figures are one deal."""
    masses = sorted(
        {a.start: a for a in figures if a.kind == "quantity" and not a.superseded}.values(),
        key=lambda a: a.start,
    )
    if len(masses) < 2:
        return []
    first_figure = min(a.start for a in figures)
    # the first deal's party may come before its figure ("a deal with Ostfeld covering 6,000
    # tonnes, a deal with Halvard to deliver 2,500 tonnes"), back to a clause joint
    window = text[max(0, first_figure - 80) : first_figure]
    opening = [j.end() for j in re.finditer(r"(?:[,;:]|\band\b|\bwhile\b)\s*", window)]
    bounds = [first_figure - len(window) + (opening[-1] if opening else 0)]
    for first, second in pairwise(masses):
        # "a minimum of 20,000 tonnes and up to 35,000 tonnes to X": one deal's floor and
        # ceiling, whoever the clauses name
        if (first.minimum or first.at_least) and second.bound == "upper":
            return []
        between = text[first.end : second.start]
        joints = list(re.finditer(r"(?:,|;|\band\b|\bwhile\b)\s*", between))
        if not joints:
            return []
        bounds.append(first.end + joints[-1].start())
    last = max(a.end for a in figures)
    # a party's name may follow the last figure ("... and 5,000 tonnes a year to Halvard
    # Motors"), within the clause's own few words
    bounds.append(max([last + 1, *(o.end for o in orgs if last <= o.start <= last + 40)]))
    parties = [o for o in orgs if o.role not in _THIRD_PARTIES]
    clauses: list[tuple[int, int, list[AmountHit]]] = []
    for part_lo, part_hi in pairwise(bounds):
        part = [a for a in figures if part_lo <= a.start < part_hi]
        has_value = any(a.kind == "money" for a in part)
        has_party = any(part_lo <= o.start < part_hi for o in parties)
        if not (has_value or has_party):
            return []
        clauses.append((part_lo, part_hi, part))
    return clauses


# Capitalised sentence openers that name no party.
_SENTENCE_OPENERS = frozenset(
    {"the", "this", "that", "its", "it", "their", "both", "each", "under", "separately"}
)


def _names_in(clause: str, word: str) -> bool:
    """Whether `clause` names `word` itself or, for an acronym ("DLA"), spells it out
    ("Defense Logistics Agency")."""
    if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", clause):
        return True
    if not (2 <= len(word) <= 6 and word.isupper() and word.isalpha()):
        return False
    filler = r"(?:(?:of|and|for|the|&)\s+)*"
    spelled = (filler).join(rf"{letter}[\w-]*\s+" for letter in word)
    return bool(re.search(rf"(?<![\w-]){spelled}", clause + " "))


def _recipient(text: str, lo: int, org: OrgHit) -> bool:
    """ "to sell 600 tonnes of concentrate to Danish defence group Halvsted A/S", "向X供应":
    the org that the material goes to (a few words after "to", right after "向") buys it;
    "awarded to", "went to" and "contract to" name the seller instead."""
    before = text[max(lo, org.start - 60) : org.start]
    if re.search(r"(?:向|为|给)[^，。；,]{0,3}$", before):
        # "每年将向X供应7.5万吨": supplied to X (but "向X采购": bought from X)
        return not re.search(r"采购|购买|进口|收购|承购", text[org.end : org.end + 20])
    # "will supply X with 6,500 t a month": the object of a supplying verb takes the goods
    if re.search(
        r"\b(?:supply|supplies|supplied|supplying|provide|provides|provided)\s+$", before
    ) and (re.match(r"\s+with\b", text[org.end : org.end + 10])):
        return True
    # (the last "to": "an order to deliver zirconium to X" sends it to X)
    to = re.search(r"\bto\s+(?:(?!to\s)(?:the|a|an|its|[A-Za-z-]+)\s+){0,4}$", before)
    # ("plans to buy scandium from X": the infinitive's "to", and X the source)
    if to is None or re.search(r"[,;]|\bfrom\b", before[to.start() :]):
        return False
    return not re.search(
        r"\b(?:awarded|went|go|goes|gone|granted|given|contracts?|orders?|awards?|business)"
        r"\s+(?:\w+\s+){0,2}$",
        before[: to.start()],
    )


def mentioned_at(sentence: str, lo: int, name: str, hits: list[OrgHit]) -> int | None:
    """Document offset where the supplier `name` is mentioned in the sentence starting at
    `lo`: an org hit of that name, the name itself, or its first word standing as a
    capitalised word of its own ("Hoshimura said" for "Hoshimura Titanium Co., Ltd.")."""
    found = [h.start for h in hits]
    at = sentence.find(name)
    if at >= 0:
        found.append(lo + at)
    first = name.split()[0].strip(",.") if name.split() else ""
    if len(first) >= 3 and first[0].isupper() and first.lower() not in _GENERIC_FIRST_WORDS:
        match = re.search(rf"(?<![\w-]){re.escape(first)}(?:'s)?(?![\w-])", sentence)
        if match:
            found.append(lo + match.start())
    return min(found) if found else None


# First words of company names too common to stand for the company on their own.
_GENERIC_FIRST_WORDS = frozenset(
    {
        "the",
        "china",
        "chinese",
        "us",
        "usa",
        "u.s.",
        "american",
        "united",
        "national",
        "global",
        "general",
        "international",
        "new",
        "north",
        "south",
        "east",
        "west",
        "western",
        "eastern",
        "northern",
        "southern",
        "central",
        "first",
        "great",
        "royal",
        "japan",
        "korea",
        "australian",
        "canadian",
        "european",
        "energy",
        "rare",
        "critical",
    }
)


def _retold_masses(drafts: list[Draft], amounts: list[AmountHit]) -> list[Draft]:
    """ "a minimum purchase of 8,000 tonnes a year", then a quote that the agreement "set a
    ceiling of 15,000 tonnes a year and a floor of 8,000 tonnes a year": a later line of the
    same mineral and seller read from a ceiling whose clause states the earlier line's mass
    again as the floor is that deal told again, not a second deal. A schedule ("15,000 t in
    year one, then 30,000 t") or a range ("20,000 to 25,000 t") is no floor."""

    def restates(draft: Draft, other: Draft) -> bool:
        mass = other.tonnes
        if mass is None or not mass.tonnes or other.mineral != draft.mineral:
            return False
        if set(other.suppliers) != set(draft.suppliers):
            return False
        if draft.usd is not None and other.usd is not None and draft.usd.usd != other.usd.usd:
            return False
        lo, hi = draft.span
        return any(
            a.kind == "quantity"
            and (a.minimum or a.at_least)
            and a.start != mass.start
            and lo <= a.start < hi
            and a.tonnes == mass.tonnes
            and a.per_year == mass.per_year
            for a in amounts
        )

    kept: list[Draft] = []
    for draft in drafts:
        if draft.suppliers and draft.tonnes and draft.tonnes.bound == "upper" and not draft.listed:
            told = next((other for other in kept if restates(draft, other)), None)
            if told is not None:
                told.usd = told.usd or draft.usd
                continue
        kept.append(draft)
    return kept


def _yearly_told_after(
    doc: Doc, drafts: list[Draft], amounts: list[AmountHit], minerals: list[MineralHit]
) -> None:
    """ "The contract covers 50,000 tonnes of nickel over five years." then "The annual volume
    of nickel is 10,000 tonnes.": a deal's total told first and its yearly mass in one of the
    next two sentences takes the yearly figure (a line's mass is per year where the text states
    one). The yearly figure must be its mineral's (the nearest mineral named before it in its
    sentence, or none in a sentence after a one-mineral deal), no larger than the total, and
    no figure of another line."""
    text = text_of(doc)
    taken = {id(a) for d in drafts for a in (d.tonnes, d.usd) if a is not None}
    for draft in drafts:
        total = draft.tonnes
        if total is None or total.per_year or not total.tonnes or draft.listed:
            continue
        _, end = sentence_bounds(doc, total.start)
        # (the next two sentences)
        for _ in range(2):
            if end >= len(text):
                break
            lo, end = sentence_bounds(doc, end)
            yearly = [
                a
                for a in amounts
                if lo <= a.start < end
                and a.kind == "quantity"
                and a.per_year
                and id(a) not in taken
                and not (a.capacity or a.unit_price or a.excluded)
                and a.tonnes
                and a.tonnes <= total.tonnes
                and _mineral_of_figure(text, lo, a, minerals, draft)
            ]
            # (one yearly figure or range: "declining from 500 t in the first year to 300 t"
            # is a schedule, no one year's mass)
            if len({a.start for a in yearly}) == 1 and (pick := pick_figure(yearly)) is not None:
                draft.tonnes = pick
                break


# "总计将供应48万吨", "a total of 600,000 tonnes over the term": the deal's whole-term sum
_TOTAL_BEFORE = re.compile(
    r"(?:总计|合计|共计|累计|总共|一共)[^，。；\d]{0,12}$"
    r"|\b(?:a\s+total\s+of|in\s+total|in\s+all|totall?ing)\s+(?:about\s+|some\s+)?$",
    re.I,
)


def _without_totals_of_yearly(text: str, drafts: list[Draft]) -> list[Draft]:
    """ "X will buy 160,000 t a year from Y", then "in total Y will supply 480,000 t": the
    whole term's sum of a deal stated yearly before in the same paragraph is that deal told
    again (a line's mass is the yearly one), not a second deal of its mineral and seller."""
    kept: list[Draft] = []
    for draft in drafts:
        mass = draft.tonnes
        told = (
            mass is not None
            and not mass.per_year
            and _TOTAL_BEFORE.search(text, max(0, mass.start - 20), mass.start) is not None
            and any(
                other.mineral == draft.mineral
                and set(other.suppliers) == set(draft.suppliers)
                and other.tonnes is not None
                and other.tonnes.per_year
                and other.tonnes.start < mass.start
                and (other.tonnes.tonnes or 0) < (mass.tonnes or 0)
                # (in the same paragraph: a later paragraph may tell an earlier deal)
                and "\n" not in text[other.tonnes.end : mass.start]
                for other in kept
            )
        )
        if not told:
            kept.append(draft)
    return kept


def _mineral_of_figure(
    text: str, lo: int, figure: AmountHit, minerals: list[MineralHit], draft: Draft
) -> bool:
    """The figure is the draft's mineral's: the nearest mineral named before it in its
    sentence (from `lo`) is that one, or its sentence names none before it nor right after
    it, and the deal's own sentence names no other mineral."""
    before = [m for m in minerals if lo <= m.start < figure.start]
    if before:
        return draft.mineral in max(before, key=lambda m: m.start).canonicals
    lo_deal, hi_deal = draft.span
    return all(
        draft.mineral in m.canonicals for m in minerals if lo_deal <= m.start < hi_deal
    ) and not _NEXT_CLAUSE_MINERAL.match(text, figure.end, figure.end + 60)


# "10,000 tonnes of cobalt": a mineral named right after the figure is the figure's own
_NEXT_CLAUSE_MINERAL = re.compile(r"\s*(?:\([^)]*\)\s*)?of\s+\w")


# "for 100,000 pounds of uranium each", "worth $18 million each": the figure of every party
# (not "each year", "each of them": a rate, or a share of one deal)
_EACH_AFTER_FIGURE = re.compile(
    r"[^.;:,]{0,50}?\beach\b(?!\s+(?:year|month|quarter|week|day|of|other|time|shipment)s?\b)",
    re.I,
)


def _each_awardees(text: str, drafts: list[Draft]) -> list[Draft]:
    """ "awarded contracts to A and B for 100,000 pounds of uranium each": a figure stated for
    each of the line's sellers is one line per seller, each with the figure (a multiple
    award: one line per awardee's contract)."""
    out: list[Draft] = []
    for draft in drafts:
        figure = draft.tonnes or draft.usd
        if (
            len(draft.suppliers) > 1
            and figure is not None
            and _EACH_AFTER_FIGURE.match(text, figure.end) is not None
        ):
            out.extend(replace(draft, suppliers=[s], listed=True) for s in draft.suppliers)
        else:
            out.append(draft)
    return out


def _complete(drafts: list[Draft], draft: Draft) -> bool:
    """A sentence naming no party that states only the figure the last line of its mineral
    lacks ("Contract SP4000-26-D-0112 covers about 2.3 million pounds of antimony") completes
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


def _retold(draft: Draft, other: Draft, orgs: list[OrgHit], *, listed: bool = False) -> bool:
    """Whether a figure-less deal of a named seller is a line already read: the same deal with
    its figures from another sentence, or the same seller's deal retold. A figured line of
    the mineral is another deal when it names other sellers, or its clause names other
    parties and no seller ("A signed a deal to deliver ferrovanadium"; "B signed a supply
    agreement with C for access to 20,000 tonnes of vanadium pentoxide")."""
    if (
        (other.usd or other.tonnes)
        and set(other.suppliers) & set(draft.suppliers)
        # (a deal that lists its minerals, "for tin, zinc and lead concentrates", is retold
        # only by a line of its own mineral)
        and not (listed and other.mineral != draft.mineral)
    ):
        return True
    if other.mineral != draft.mineral:
        return False
    if other.suppliers == draft.suppliers:
        return True
    if not (other.usd or other.tonnes):
        return False
    if other.suppliers:
        return False  # another named seller's figures
    return not _others_deal(other, set(draft.suppliers), orgs)


def _others_deal(line: Draft, named: set[str], orgs: list[OrgHit]) -> bool:
    """A seller-less line whose clause names parties other than `named` (and than buying
    agencies and third parties): their deal, not the named seller's."""
    lo, hi = line.span
    return not line.suppliers and any(
        lo <= o.start < hi and (o.canonical or o.text) not in named and o.role not in _NO_DEAL_PARTY
        for o in orgs
    )


def _digits(figure: str) -> int:
    """The significant digits a figure states: "5.16 million" 3, "5,000,000" and "five
    million" 1."""
    number = re.search(r"\d[\d,. ]*", figure)
    return len(re.sub(r"\D", "", number.group()).strip("0")) if number else 1


_TAKEN_UP = re.compile(r"\b[Tt]he\s+$")
# (as the subject of its clause: "the 800,000 t would be", "the $2-billion plan was";
# not "the 2 tonnes it must deliver in each year")
_SUBJECT_OF_VERB = re.compile(
    r"(?:\s+[A-Za-z][\w-]*){0,3}?\s+(?:would|will|was|is|are|were|represents?|brings?|makes?)\b"
)
# a sale done, not one planned, ended or asked for: "were sold", "for cash proceeds of"
_SOLD = re.compile(r"\b(?:sold|proceeds)\b", re.I)


# a sentence that opens on an indefinite deal of a stated size: "A 6,000 mt tender for ...",
# "Another 4,000-tonne cargo of ..."
_ANOTHER_DEAL = re.compile(
    r"\s*(?:An?|Another|One\s+more)\s+[\d,.]+[\s-]?(?:mt|t|tonnes?|tons|dmt|wmt|kt)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:tender|cargo|shipment|lot|parcel|deal|contract|order)s?\b"
)


def _told_fuller(draft: Draft, other: Draft) -> bool:
    """Whether `other` tells the deal of `draft` with every figure it states and more, of the
    same mineral and sellers."""
    figures = [(draft.usd, other.usd, "usd"), (draft.tonnes, other.tonnes, "tonnes")]
    return (
        other.mineral == draft.mineral
        and set(other.suppliers) == set(draft.suppliers)
        and not draft.listed
        and all(
            mine is None or (theirs is not None and getattr(mine, kind) == getattr(theirs, kind))
            for mine, theirs, kind in figures
        )
        and sum(theirs is not None for _, theirs, _ in figures)
        > sum(mine is not None for mine, _, _ in figures)
    )


def _merge(drafts: list[Draft], orgs: list[OrgHit], text: str) -> list[ProcurementLine]:
    """Drop lines that only repeat another line of the same mineral with less information."""
    lines: list[ProcurementLine] = []
    kept: list[Draft] = []
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
            # (two awardees' lines of one award are two lines, though their figures agree)
            # (nor is a named seller's deal one between other parties)
            disjoint = not set(draft.suppliers) & set(other.suppliers)
            other_seller = (
                (draft.listed and other.listed and disjoint)
                or bool(draft.suppliers and _others_deal(other, set(draft.suppliers), orgs))
                # (two figure-less deals, each naming its own seller, where the first seller
                # is a party to the second: "X will supply cobalt to Y", then "X agreed to buy
                # nickel and cobalt from Z"; not a parent's deal told again by its unit)
                or (
                    disjoint
                    and bool(draft.suppliers and other.suppliers)
                    and not (draft.usd or draft.tonnes or other.usd or other.tonnes)
                    and any(name in draft.sentence for name in other.suppliers)
                )
            )
            # ("A 6,000 mt tender for X closed." then "A 6,000 mt tender for Y opened.": a
            # sentence that opens on a new deal of its own size is no repetition)
            another = (
                draft.tonnes is not None
                and other.tonnes is not None
                and draft.tonnes.start != other.tonnes.start
                and _ANOTHER_DEAL.match(draft.sentence) is not None
            )
            if same_usd and same_mass and not other_seller and not another:
                duplicate = True
                # (a figure-less telling that left the seller out takes the seller a later
                # telling of the deal names: "X agreed a ten-year cobalt deal", then "Y
                # will supply the cobalt")
                if draft.suppliers and not (
                    other.suppliers or other.unnamed or other.usd or other.tonnes
                ):
                    other.suppliers = list(draft.suppliers)
                break
        if not duplicate:
            kept.append(draft)
    # a telling that a later paragraph's fuller one of the same seller repeats: a subtitle's
    # "a deal for 900 t", then the body's "900 t ... worth some $70 million" (within a
    # paragraph the same figures may be two deals: "will buy 500 t next year", "bought the
    # same 500 t this year for $9 million")
    kept = [
        d
        for i, d in enumerate(kept)
        if not any(_told_fuller(d, o) and "\n\n" in text[d.start : o.start] for o in kept[i + 1 :])
    ]
    # a figure-less line repeats another of its mineral, unless each names its own seller (or
    # the other is a deal between other parties)
    kept = [
        d
        for d in kept
        if d.usd
        or d.tonnes
        or not any(
            o is not d
            and o.mineral == d.mineral
            and not (d.listed and o.listed)
            and not (d.suppliers and o.suppliers and not set(d.suppliers) & set(o.suppliers))
            and not (d.suppliers and _others_deal(o, set(d.suppliers), orgs))
            for o in kept
        )
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


def _sold_before_buyer_zh(sentence: str, lo: int, minerals: list[MineralHit]) -> list[MineralHit]:
    """ "将镍精矿售予这家锂盐生产企业": the goods named before the verb that sells them are the
    deal's; a mineral in the words describing the buyer is not."""
    sale = _SOLD_TO_ZH.search(sentence)
    if sale is None:
        return minerals
    before = [m for m in minerals if m.start < lo + sale.start()]
    return before or minerals


_SOLD_TO_ZH = re.compile(SOLD_TO_ZH)


def _clauses_of_deals(
    lo: int, sentence: str, minerals: list[MineralHit], orgs: list[OrgHit]
) -> list[_Unfigured]:
    """ "(i) a contract for tantalum concentrate made between A and B; and (ii) a contract
    for tantalum concentrate made between A and C": clauses split by semicolons, each naming
    the mineral and a seller of its own, are a deal each (one deal where a clause lacks
    either)."""
    whole: list[_Unfigured] = [(lo, sentence, minerals, orgs, [], False)]
    if ";" not in sentence:
        return whole
    deals = _deal_per_clause(lo, sentence, minerals, [o for o in orgs if o.supplier])
    if len(deals) < 2 or any(
        not any(c_lo <= m.start < c_lo + len(clause) for m in minerals)
        for c_lo, clause, *_ in deals
    ):
        return whole
    return [
        (
            c_lo,
            clause,
            own,
            [o for o in orgs if c_lo <= o.start < c_lo + len(clause)],
            [],
            True,
        )
        for c_lo, clause, own, *_ in deals
    ]


def _deal_per_clause(
    lo: int, sentence: str, minerals: list[MineralHit], sellers: list[OrgHit]
) -> list[_Unfigured]:
    """ "A与B发生萤石采购业务；C与D发生萤石采购业务": deals listed in clauses split by
    semicolons, each naming its own seller, are one deal each; a sentence whose sellers share
    one clause is one deal."""
    clauses: list[tuple[int, int]] = []
    start = 0
    for joint in re.finditer("[；;]", sentence):
        clauses.append((lo + start, lo + joint.start()))
        start = joint.end()
    clauses.append((lo + start, lo + len(sentence)))
    placed = [(c, [o for o in sellers if c[0] <= o.start < c[1]]) for c in clauses]
    placed = [(c, found) for c, found in placed if found]
    if len(placed) < 2:
        return [(lo, sentence, minerals, sellers, [], True)]
    deals: list[_Unfigured] = []
    for (c_lo, c_hi), found in placed:
        own = [m for m in minerals if c_lo <= m.start < c_hi] or minerals
        deals.append((c_lo, sentence[c_lo - lo : c_hi - lo], own, found, [], True))
    return deals
