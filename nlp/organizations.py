"""`minwatch_suppliers`: organisations, their role, aliases, and which of them are suppliers.

Organisation mentions come from three places: a cheap rule for names ending in a corporate
suffix ("Tarrant Lithium Limited", "青岚钨业股份有限公司"), ORG entities of the statistical
model (set on `doc._.minwatch_ner_orgs` by the Extractor, which runs the model only on the
sentences that need it), and the awardee names the caller knows from SAM.gov award notices.

This module is the component: it finds the mentions (`org_candidates`, `org_chinese`), groups
them by organisation (`org_aliases`), reads each one's role and seller evidence (`org_roles`,
`org_chinese`) and decides, per organisation, whether it supplies.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from minwatch.nlp.base import (
    HAN,
    PARENT_NOUNS,
    OrgHit,
    RuleComponent,
    alternation,
    sentence_bounds,
    text_of,
)
from minwatch.nlp.org_aliases import (
    bracketed_short_forms,
    canonical_name,
    cluster_mentions,
    former_names,
    names_cut_short,
)
from minwatch.nlp.org_aliases import same_org as _same_org  # noqa: F401  (nlp.roles imports it here)
from minwatch.nlp.org_candidates import CandidateFinder
from minwatch.nlp.org_chinese import NOT_NAME_START_ZH, ChineseReader
from minwatch.nlp.org_roles import BUYER_TERMS, SELLER_TERMS, RoleReader
from minwatch.nlp.rulebook import Context, RuleBook


@Language.factory("minwatch_suppliers", default_config={})
def make_suppliers(nlp: Language, name: str) -> SupplierComponent:
    return SupplierComponent(nlp, name)


class SupplierComponent(RuleComponent):
    data_files = (
        "organizations.json",
        "cues.json",
        "supplier_cues.json",
        "seller_context_rules.jsonl",
        "role_features.json",
        "units.json",
    )

    def compile(self) -> None:
        orgs: dict[str, Any] = self.data["organizations.json"]
        cues: dict[str, Any] = self.data["cues.json"]
        supplier_cues: dict[str, Any] = self.data["supplier_cues.json"]
        lexicon = self.data["role_features.json"]
        self.roles = RoleReader(
            self.nlp.vocab,
            orgs,
            cues,
            supplier_cues,
            self.data["seller_context_rules.jsonl"],
            lexicon,
            self.data["units.json"]["mass_units"],
        )
        self.candidates = CandidateFinder(orgs, cues, supplier_cues, self.roles, lexicon)
        sale = supplier_cues["agency_sale_en"]
        verbs, nouns = alternation(sale["verbs"]), alternation(sale["nouns"])
        # "DLA (the agency) sold", "the DLA has sold": the agency is the subject of a sale
        self.agency_sells_after = re.compile(
            r"^\)?(?:\s*\([^)]*\))?\s+(?:(?:has|have|had|also|then|recently)\s+)*"
            rf"(?:{verbs})\b(?!\s+(?:to\s+)?(?:buy|purchase))",
            re.I,
        )
        # "the agency's sales of ferro-chrome", "sale of excess tungsten by the X"
        self.agency_sale_of = re.compile(rf"^['’]s?\s+(?:[\w-]+\s+)?(?:{nouns})\s+of\b", re.I)
        # "issued by the X, Defense Logistics Agency, for the sale of excess tungsten"
        self.by_for_sale = re.compile(rf"^[^.;]{{0,80}}?\bfor\s+the\s+(?:{nouns})\s+of\b", re.I)
        self.sale_by_before = re.compile(
            rf"\b(?:{nouns})\s+of\s+[^.;]{{1,80}}?\s+by\s+(?:the\s+)?$", re.I
        )
        self.chinese = ChineseReader(
            orgs,
            supplier_cues,
            self.candidates.en_company,
            self.roles.role_names,
            lexicon["industry_words"],
            lexicon["corporate_suffixes"] + ["limitada", "ltda"],
        )
        # "X咨询有限公司", "X食品集团": a company of another trade (data: zh_other_trades)
        self.other_trade = re.compile(alternation(orgs["zh_other_trades"]))
        # the words a listed company's short name ends on after its trade's mineral ("东辰锗业",
        # "西江钛股份"): data zh_short_name_ends, less the bare "公司" of any name
        self.zh_name_end_after_mineral = "|".join(
            sorted((e for e in orgs["zh_short_name_ends"] if e != "公司"), key=len, reverse=True)
        )

    def _sells(self, doc: Doc, mention: OrgHit) -> bool:
        """A buying agency named as the seller of a sale in the body ("DLA sold", "the
        agency's sales of", "the sale of ... by the X")."""
        if doc.lang_ == "zh":
            return self.chinese.reserve_sells(doc, mention)
        if mention.start < doc._.minwatch_title_end:
            return False
        text = text_of(doc)
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        after = text[mention.end : sent_end]
        return bool(
            self.agency_sells_after.match(after)
            or self.agency_sale_of.match(after)
            or self.sale_by_before.search(text, sent_start, mention.start)
            or (
                re.search(r"\bby\s+(?:the\s+)?$", text[sent_start : mention.start]) is not None
                and self.by_for_sale.match(after) is not None
            )
        )

    def _title_form(self, doc: Doc, name: str) -> str:
        """The name as the title gives it in full, where the body only uses a short form ("X
        North Copper signs ..." above "X North said"): titles are read for no candidates, but
        they name the company the way the text's first line would. A one-word name the body
        also writes in full once ("Australia-listed Kelso Energy", later "Kelso's offtaker")
        takes that form."""
        title_end = doc._.minwatch_title_end
        if doc.lang_ == "zh":
            return name
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}((?:[ \t]+[A-Z][\w&'’-]*){{1,3}})")
        company_ends = self.candidates.names.company_ends
        # (the title first; a one-word name the title gives no longer, "X Picks China", is
        # looked for in the body too)
        places = [(0, title_end)] if title_end else []
        if " " not in name:
            places.append((title_end, len(text_of(doc))))
        for lo, hi in places:
            longer = pattern.search(text_of(doc), lo, hi)
            if longer is None:
                continue
            words = longer.group(1).split()
            # ("X Resources Signs Nickel Offtake": the headline's verb ends the name)
            verb = next(
                (i for i, w in enumerate(words) if w in self.candidates.headline_verbs),
                len(words),
            )
            words = words[:verb]
            ends = [i for i, w in enumerate(words, 1) if w.casefold().strip(".") in company_ends]
            if ends:
                return f"{name} {' '.join(words[: ends[-1]])}"
        return name

    @property
    def rules(self) -> RuleBook:
        """The seller context rule records (`nlp/data/seller_context_rules.jsonl`)."""
        return self.roles.rules

    def rule_context(self, doc: Doc, mention: OrgHit, mentions: list[OrgHit]) -> Context:
        """The organisation's place in its sentence, with the facts the rule records require."""
        return self.roles.rule_context(doc, mention, mentions)

    # ------------------------------------------------------------------------------------
    def process(self, doc: Doc) -> None:
        roles = self.roles
        mentions = self._mentions(doc)
        bracketed_short_forms(
            doc, mentions, lambda start, end: self.candidates.not_a_name(doc, start, end)
        )
        names_cut_short(doc, mentions)
        former_names(doc, mentions)
        clusters = cluster_mentions(mentions, _parent_and_subsidiary(doc, mentions))
        cluster_of = {id(m): i for i, cluster in enumerate(clusters) for m in cluster}
        for mention in mentions:
            mention.role = mention.role or roles.role(doc, mention)
        buying_side = roles.buying_side(doc, clusters)
        referring = roles.referring_phrases(doc, mentions, cluster_of)
        mineral_name = self._zh_mineral_name(doc, mentions) if doc.lang_ == "zh" else None
        # (read once per mention: a collective short form's mentions are read for every company
        # it stands for, below)
        read_zh = (
            {id(m): self.chinese.evidence(doc, m) for m in mentions} if doc.lang_ == "zh" else {}
        )
        for index, cluster in enumerate(clusters):
            # (the text's own short forms, not the bodies the gazetteer knows by those letters)
            defined = {
                id(m)
                for m in cluster
                if (m.source == "gazetteer" or (m.role and m.role != "supplier"))
                and _defined_short_form(m, cluster)
            }
            for mention in cluster:
                if id(mention) in defined and mention.source == "gazetteer":
                    mention.source = "rule"
            role = next(
                (
                    m.role
                    for m in cluster
                    if m.role and m.role != "supplier" and id(m) not in defined
                ),
                None,
            )
            # (an agency the model's keywords call a regulator sells as well)
            agency_sells = role in {"buyer", "regulator"} and any(
                self._sells(doc, m) for m in cluster
            )
            if agency_sells:
                role = None
            canonical = self._title_form(
                doc,
                (doc.lang_ == "zh" and self.chinese.canonical(cluster)) or canonical_name(cluster),
            )
            signals: set[str] = set()
            if doc.lang_ == "zh":
                evidence = [read_zh[id(m)] for m in cluster]
                # "A及其子公司B（以下统称东辰公司）…东辰公司将向Y采购": what the collective short
                # form does, every company it stands for does (its mentions join one of them)
                own = {id(m) for m in cluster}
                collective = {a for m in cluster for a in m.aliases if len(a) >= 3} - {
                    m.text for m in cluster
                }
                evidence += [
                    read_zh[id(m)] for m in mentions if m.text in collective and id(m) not in own
                ]
                # agreements named from both sides ("采购协议" in the announcement, "供货协议"
                # later): the first, where the text states the deal, says which side it is
                by_agreement = [e for e in evidence if e and e.endswith("_by_agreement")]
                later = set(by_agreement[1:]) - set(by_agreement[:1])
                evidence = [None if e in later else e for e in evidence]
                # a verb's frame ("为X供应") outranks what an agreement's name implies
                if not {"seller", "buyer"} & set(evidence):
                    evidence = [e.removesuffix("_by_agreement") if e else e for e in evidence]
                # a short name (简称) only a frame found, or bare Latin words, is often the
                # announcing buyer or a product: it
                # sells only where a sentence says so
                short_only = all(m.source in {"zh_short", "zh_latin"} for m in cluster) or all(
                    self.other_trade.search(m.text) for m in cluster
                )
                # (a company the text calls a producer sells unless a deal's frame has it buy)
                framed_seller = "seller" in evidence or (
                    "producer" in evidence and "buyer" not in evidence
                )
                # (a short name that carries a mineral the text discusses, "东辰锗业" in a
                # germanium story, is a producer's, as "Tarrant Lithium" is in English)
                named = mineral_name is not None and any(
                    mineral_name.match(m.text) and m.text[0] not in NOT_NAME_START_ZH
                    for m in cluster
                )
                supplier = role is None and (
                    framed_seller
                    or (
                        not {
                            "buyer",
                            "parent",
                            "other_goods",
                            "producer",
                            "agent",
                            "related_party",
                            "funder",
                        }
                        & set(evidence)
                        and (not short_only or named)
                    )
                    or any(m.source == "known" for m in cluster)
                )
                # (a sentence's own frame says it sells, not only the absence of a buyer's)
                if framed_seller:
                    signals.add("zh_seller")
                elif short_only and named:
                    # (a producer by its name alone: no deal's party for that)
                    signals.add("zh_named_only")
            else:
                kinds = {roles.supplier_context(doc, m, mentions, cluster_of) for m in cluster}
                kinds.update(referring.get(index, ()))
                strong = (
                    "strong" in kinds
                    or agency_sells
                    or roles.issuer_reporting_sales(doc, cluster, mentions)
                    or any(
                        m.source in {"known", "award_line", "producer_noun", "producer_slot"}
                        # (a smelter in a text of treatment charges buys the concentrate)
                        and not (
                            m.source == "producer_noun"
                            and (
                                roles.smelter_paid_charges(doc, m)
                                # (a miner's offtaker, called a producer of what it makes)
                                or roles.offtaker_of_miner(doc, m)
                            )
                        )
                        for m in cluster
                    )
                )
                # a name like "Skarholm Zinc" is weaker than the sentence's own word: "Skarholm
                # Zinc will take 9,000 tonnes" and "sold 12 tonnes to Gallium Corporation" buy
                named = roles.named_for_mineral(doc, cluster) and not any(
                    id(m) in buying_side for m in cluster
                )
                buyer_evidence = any(roles.buyer_evidence(doc, m) for m in cluster)
                owner_only = roles.owner_only(doc, cluster)
                # (a lender, backer or parent named in passing sells nothing for a weak reading)
                supplier = role is None and (
                    strong
                    or (not owner_only and ("weak" in kinds or (named and not buyer_evidence)))
                )
                signals = {str(k) for k in kinds if k} | {
                    name
                    for name, present in (
                        ("strong", strong),
                        ("named_for_mineral", roles.named_for_mineral(doc, cluster)),
                        ("buying_side", any(id(m) in buying_side for m in cluster)),
                        ("buyer_evidence", buyer_evidence),
                        ("owner_only", owner_only),
                    )
                    if present
                }
            # 'X (the "Vendor")' and 'Y (the "Purchaser")': a release's own defined terms
            # settle which party sells, whatever verb the sentence uses
            terms = {a.casefold() for m in cluster for a in m.aliases}
            if role is None and terms & SELLER_TERMS and not terms & BUYER_TERMS:
                supplier = True
                signals.add("seller_term")
            elif terms & BUYER_TERMS:
                supplier = False
                signals.add("buyer_term")
            for mention in cluster:
                mention.evidence = frozenset(signals)
                mention.canonical = canonical
                mention.role = role or ("supplier" if supplier else "other")
                mention.supplier = supplier
        # a producer by its name alone is the fallback seller of a text whose frames name
        # none: where a sentence names the seller ("公司与Y…采购"), the name is the buyer's
        if any("zh_seller" in m.evidence and m.supplier for m in mentions):
            for mention in mentions:
                if "zh_named_only" in mention.evidence:
                    mention.supplier = False
                    mention.role = "other" if mention.role == "supplier" else mention.role
        doc._.minwatch_orgs = mentions

    def _zh_mineral_name(self, doc: Doc, mentions: list[OrgHit]) -> re.Pattern[str] | None:
        """A Chinese short name made of a mineral's word the text also uses outside every name
        and a company's ending ("东辰锗业", "西江钛股份", "南岭稀土"); None when the text uses
        no mineral's word outside its names. (The caller also wants no preposition opening the
        name: "于X公司" is a clause's.)"""
        outside = {
            h.text
            for h in doc._.minwatch_minerals or []
            if h.start >= doc._.minwatch_title_end
            and not any(m.start <= h.start < m.end for m in mentions)
        }
        if not outside:
            return None
        return re.compile(
            f"^[{HAN}]{{1,4}}?(?:{alternation(sorted(outside))})"
            f"(?:{self.zh_name_end_after_mineral}|业)?$"
        )

    def _mentions(self, doc: Doc) -> list[OrgHit]:
        """Every mention: the language's candidates, then the names of the role lists (an
        agency, an exchange) and the awardees the caller knows."""
        text = text_of(doc)
        found = self.chinese.mentions(doc) if doc.lang_ == "zh" else self.candidates.mentions(doc)
        for match in self.roles.role_regex.finditer(text):
            start, end = match.span()
            if not any(m.start < end and start < m.end for m in found):
                found.append(OrgHit(start, end, match.group(), "gazetteer"))
        for name in doc._.minwatch_known_suppliers or ():
            position = text.lower().find(name.lower())
            if position >= 0:
                found.append(
                    OrgHit(
                        position,
                        position + len(name),
                        text[position : position + len(name)],
                        "known",
                    )
                )
            else:
                found.append(OrgHit(-1, -1, name, "known"))
        found.sort(key=lambda m: m.start if m.start >= 0 else 10**9)
        return found


# ", a subsidiary of ", ", a wholly-owned unit of the ": between a company and its owner
_SUBSIDIARY_OF_BETWEEN = re.compile(
    r"\s*,\s*(?:(?:a|an|the)\s+)?(?:(?:wholly[- ]owned|majority[- ]owned|[A-Z][\w.-]*)\s+)?"
    rf"{PARENT_NOUNS}\s+of\s+(?:the\s+)?",
    re.I,
)


def _defined_short_form(mention: OrgHit, cluster: list[OrgHit]) -> bool:
    """Whether the mention is a short form the text defines for a longer name of its cluster
    ("Sorell Metal Mining (SMM)"): it is that company, whatever body elsewhere goes by the
    same letters."""
    return any(
        len(other.text) > len(mention.text) and mention.text in other.aliases for other in cluster
    )


def _parent_and_subsidiary(doc: Doc, mentions: list[OrgHit]) -> frozenset[tuple[int, int]]:
    """Pairs of mentions the text sets in apposition as a company and its owner ("Kelso Ridge,
    a subsidiary of Kelso Ltd"): two organisations, though one name begins the other."""
    text = text_of(doc)
    named = sorted((m for m in mentions if m.start >= 0), key=lambda m: m.start)
    return frozenset(
        (id(a), id(b))
        for a, b in pairwise(named)
        if a.end <= b.start and _SUBSIDIARY_OF_BETWEEN.fullmatch(text, a.end, b.start)
    )
