"""`minwatch_suppliers`: organisations, their role, aliases, and which of them are suppliers.

Organisation mentions come from three places: a cheap rule for names ending in a corporate
suffix ("Tarrant Lithium Limited", "青岚钨业股份有限公司"), ORG entities of the statistical
model (set on `doc._.minwatch_ner_orgs` by the Extractor, which runs the model only on the
sentences that need it), and the awardee names the caller knows from SAM.gov award notices.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.base import (
    AmountHit,
    MineralHit,
    OrgHit,
    RuleComponent,
    sentence_bounds,
    sentence_index,
    text_of,
)
from nlp.rulebook import Context, RuleBook


@Language.factory("minwatch_suppliers", default_config={})
def make_suppliers(nlp: Language, name: str) -> SupplierComponent:
    return SupplierComponent(nlp, name)


def _phrase_regex(phrases: list[str], flags: int = re.I) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", flags)


class SupplierComponent(RuleComponent):
    data_files = (
        "organizations.json",
        "cues.json",
        "supplier_cues.json",
        "seller_context_rules.jsonl",
    )

    def compile(self) -> None:
        orgs: dict[str, Any] = self.data["organizations.json"]
        cues: dict[str, Any] = self.data["cues.json"]
        self.role_names: dict[str, str] = {}
        for role, names in orgs["roles"].items():
            for name in names:
                self.role_names[_key(name)] = role
        self.role_keywords: dict[str, list[str]] = orgs["role_keywords"]
        names = sorted((n for ns in orgs["roles"].values() for n in ns), key=len, reverse=True)
        self.role_regex = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])"
        )
        self.role_nouns = {
            role: _phrase_regex(nouns) for role, nouns in orgs["role_nouns_before"].items()
        }
        self.not_orgs = {_key(n) for n in orgs["not_organizations"]}
        self.leading_drop = set(orgs["leading_words_to_drop"])
        suffixes = "|".join(
            re.escape(s) for s in sorted(orgs["corporate_suffixes"], key=len, reverse=True)
        )
        self.suffix_set = {s.casefold() for s in orgs["corporate_suffixes"]}
        # "7G Metals", "inVerra Energy", "Orvane (Canada) Limited", "Tianlu Rare Earth (Group)
        # High-Tech Co.": digits, a lower-case first letter before a capital, a bracketed word.
        name_word = r"(?:[A-Z][\w&'’-]*|\d[\w&'’-]*|[a-z]{1,3}[A-Z][\w&'’-]*|\([A-Z][\w&'’-]*\))"
        # "Minera Lomas del Viento S.A.", "Companhia Fluminense de Ligas e Fundicao S.A."
        connector = r"&|of|and|for|de|du|del|da|do|dos|das|la|y|e"
        self.en_company = re.compile(
            # "--(NEWSWIRE)--Quillon Energy Metals Inc.": a dash pair may run into a name
            rf"(?<![\w])(?<!\w-){name_word}(?:[ \t]+(?:{name_word}|{connector}))*?"
            rf"(?:,?[ \t]+(?:{suffixes}))+(?![\w])"
        )
        # in Chinese text a Han character is a word character too: "采购自Tarrant Lithium
        # Limited等" has its Latin name glued to Han characters on both sides
        self.en_company_in_zh = re.compile(
            self.en_company.pattern.replace(r"(?<![\w])(?<!\w-)", r"(?<![A-Za-z0-9])").replace(
                r"(?![\w])", r"(?![A-Za-z0-9])"
            )
        )
        zh_suffixes = "|".join(orgs["zh_company_suffixes"])
        self.zh_company = re.compile(rf"[\u4e00-\u9fff（）()]{{2,40}}?(?:{zh_suffixes})")
        self.zh_breakers = orgs["zh_name_prefix_breakers"]
        # "- X", "• X", "2. X", "(b) X": the start of a list item
        self.list_item = re.compile(r"[ \t]*(?:[-•*–—]|\d{1,2}[.)]|\([a-z\d]\))[ \t]+")
        # a contract digest's "Name Inc., City, State, was awarded": the address after a name
        suffix_end = "|".join(
            re.escape(x) for x in sorted(orgs["corporate_suffixes"], key=len, reverse=True)
        )
        self.address_before = re.compile(rf"(?<![\w])(?:{suffix_end}),\*?[ \t]+$")
        # (the state is followed by the item's verb or a colon, so a list "A Corp., B, C, and
        # D" keeps its names)
        self.address_after = re.compile(
            r",[ \t]+[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?"
            r"(?:,[ \t]+(?:is|was|were|has|have|had|will)\b|[ \t]*:)"
        )
        # "an offtake agreement (the "Agreement") with Y": Y is the counterparty of a deal
        self.agreement_with = re.compile(
            r"\b(?:agreement|deal|contract|offtake|arrangement|term\s+sheet)s?\s+"
            r"(?:\([^)]*\)\s+)?with\b",
            re.I,
        )
        self.counterparty_with = re.compile(
            self.agreement_with.pattern + r"\s+(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,4}$", re.I
        )
        # "... for 40 000 t/y of fluorspar from its Brennock project": the material's source is the
        # subject's own site (a "the Company's" of a release included)
        self.from_own_site = re.compile(
            r"^(?:[^.;]|\.(?=\w|\s+[a-z])){0,320}?\bfrom\s+(?:its|their|the\s+Company['’]s)\s+(?:[\w%'’-]+\s+){0,3}?"
            r"(?:project|mine|mines|deposit|operation|operations|plant|refinery|smelter)\b",
            re.I,
        )
        # "shut a kiln at its Vardel plant": a plant of the subject
        self.own_plant_after = re.compile(
            r"^[^.;]{0,120}?\b(?:at|in)\s+its\s+(?:[\w'’-]+\s+){0,3}?(?:plant|plants|furnaces?"
            r"|works|facility)\b",
            re.I,
        )
        self.capacity_word = re.compile(r"\bcapacity\b", re.I)
        # 'Y (the "Purchaser"), a wholly owned US subsidiary of the Company'
        self.subsidiary_of = re.compile(
            r"\s*\([^)]*\),?\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?subsidiary\s+of\s+(?:the\s+)?"
            r"(?P<parent>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*)*)"
        )
        # "The largest portion went to X": a share of an award
        self.share_went_to = re.compile(
            r"\b(?:share|award|contract|order|lot|tranche|portion)s?\s+(?:[\w-]+\s+){0,3}?"
            r"(?:went|go|goes)\s+to\b",
            re.I,
        )
        # "the company" / "The miner": a lower-case noun referring back (the capitalised "the
        # Company" of a release is its issuer's defined term, resolved elsewhere)
        self.referring_phrase = re.compile(
            r"\b[Tt]he\s+(?P<phrase>(?:company|miner|producer|refiner|smelter))\b"
        )
        # "Minera Lomas del Viento S.A." is also written "Minera Lomas del Viento"
        self.trailing_suffix = re.compile(rf",?[ \t]+(?:{suffix_end})$")
        # "AIM-listed", "Canada-based": a qualifier an en_company match may start with
        self.leading_qualifier = re.compile(
            r"[A-Z][\w.&]*-(?:listed|based|headquartered|registered|quoted|owned|controlled)"
        )
        # "Corporation of Portugal": a name that goes on after its suffix
        self.suffix_of_place = re.compile(r"[ \t]+of[ \t]+(?P<place>[A-Z][\w-]*(?: [A-Z][\w-]*)?)")
        # "from" is left out: "titanium from Orlenko-Metall" names a seller; countries after
        # "from" are caught by the place list instead.
        self.location_before = re.compile(r"\b(?:at|in|near|of)\s+$")
        self.zh_alias = re.compile(
            r"[（(]以下简称[“\"「]?(?P<alias>[^”\"」）)]{2,12})[”\"」]?[）)]"
        )
        self.supplier_cue = _phrase_regex(cues["supplier_en"])
        self.buyer_after = _phrase_regex(cues["buyer_after_org_en"])
        labels = "|".join(re.escape(label) for label in cues["award_line_labels"])
        self.award_line = re.compile(rf"^(?:{labels})\s*:\s*(?P<name>.+?)\s*$", re.M)
        # "Velmont, the Danish materials group that ..." names a company by apposition.
        self.apposition = re.compile(
            r"(?:^|(?<=[.!?]\s)|(?<=['’]s\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3}),"
            r"\s+(?:(?:the|a|an|which|one of)\s+[^,.;]{0,80}?\b(?:group|company|firm|producer|miner"
            r"|refiner|maker"
            r"|supplier|trader|trading house|smelter|recycler)\b"
            # "Norway's X, which operates the Skarvik mine, ranks first", "X, which recovers
            # gallium from its alumina plant": a relative clause of producing or running a site
            r"|which\s+(?:runs|operates|owns)\s+(?:the|a|an)\s+[^,.;]{0,40}?\b(?:mine|refinery"
            r"|smelter|plant|operations?)\b"
            r"|which\s+(?:already\s+|also\s+)?(?:produces|mines|refines|smelts|recovers))",
            re.M,
        )
        # "Northgate Metals was awarded $12 million": a bare capitalised name that
        # wins a contract is an organisation even when the model misses it.
        self.bare_winner = re.compile(
            r"(?:^|(?<=[.!?;,]\s)|(?<=\band\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){1,4})"
            r"(?=\s+(?:(?:was|were|has\s+been)\s+awarded|(?:has\s+)?(?:won|received|secured)"
            r"\s+(?:an?\s+)?(?:US)?\$)\b)",
            re.M,
        )
        self.notice_markers = tuple(cues["notice_markers"])
        self.purchase_cue = re.compile(
            r"\b(?:buy|buys|bought|purchas\w*|order\w*|contract\w*|"
            r"award\w*|acquir\w*|procur\w*|offtake|tender\w*)\b",
            re.I,
        )
        # "its Tolvern Hill project": a named site, not an organisation.
        self.state_owned_name = re.compile(
            r"\bstate-(?:owned|run|controlled|backed)\s+(?:[a-z][\w-]*\s+){0,2}"
            r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3})"
        )
        # "the Merrin Ionic Clay Project", "Tillabrook Rare Earths Project in Tasmania"
        self.site_tail = re.compile(
            r"\s(?:project|mine|deposit|plant|refinery|smelter|prospect|operation|operations"
            r"|complex|concentrator|facility)(?:\s+(?:in|at|near)\s.*)?$",
            re.I,
        )
        # "Kachin State", "Hunan Province", "the Agreement", "Term Sheet": a name that ends in an
        # administrative area is a place, one that ends in a contract noun is a document
        self.not_org_tail = _phrase_regex(orgs["not_organization_tails"])
        # "the Company's Otterburn antimony project": a site with its mineral before the noun
        self.site_after_word = re.compile(
            r"^\s+[a-z][\w-]*\s+(?:project|mine|deposit|prospect|property)\b"
        )
        self.ticker_before = re.compile(r"\([A-Z][A-Za-z -]{1,15}:\s*$")
        # "(NYSE American: QLN)", "(TSXV: DTC)": a listing names an exchange and a ticker
        self.listing_after = re.compile(r"\s*:\s*[A-Z0-9][A-Z0-9.]{0,7}\s*[);,]")
        # "an Omaha-based company", "Calgary-headquartered": a place made into an adjective
        self.place_adjective_after = re.compile(r"-(?:based|headquartered|born|area)\b")
        # (past a bracketed short form: "its Harbor Tin Corporation (HTC) project")
        self.site_after = re.compile(
            r"^(?:\s*\([A-Z][\w&.-]{0,11}\))?\s+(?:project|mine|mines|deposit|plant|operation|operations|site|refinery|"
            r"smelter|prospect|property|district|basin|field)\b",
            re.I,
        )
        self._compile_roles(orgs, self.data["supplier_cues.json"])
        prefixes = "|".join(re.escape(p) for p in orgs["corporate_prefixes"])
        self.en_prefixed_company = re.compile(
            rf"(?<![\w-])(?:{prefixes})[ \t]+[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){{0,4}}"
        )

    # ------------------------------------------------------------------------------------
    def _compile_roles(self, orgs: dict[str, Any], cues: dict[str, Any]) -> None:
        """Regexes for who sells, who buys, and which capitalised names are no organisation."""
        self.places = {_key(p) for p in orgs["places"]}
        self.rules = RuleBook(self.nlp.vocab, self.data["seller_context_rules.jsonl"], cues)
        # the context rules other checks also read, from the one record that defines each
        self.buyer_apposition = self.rules.regex("not_seller.customer_apposition")
        self.producer_apposition = self.rules.regex("seller.producer_apposition")
        self.object_before = self.rules.regex("not_seller.object_of_preposition")
        self.leading_phrases = sorted(orgs["leading_phrases_to_drop"], key=len, reverse=True)
        self.seller_verb = _phrase_regex(cues["seller_verbs_en"])
        nouns = "|".join(
            re.escape(n) for n in sorted(cues["seller_nouns_en"], key=len, reverse=True)
        )
        # "one local producer of nuclear-grade zirconium, X, and", "the sole source of enriched
        # boron has been Ruritania's state-owned X": the producer of a mineral named after it
        self.producer_of_name = re.compile(
            rf"\b(?i:{nouns}|source)\s+of\s+(?P<what>[^,.;]{{1,60}}?)"
            r"(?:,\s+|\s+(?:is|was|has\s+been|remains)\s+)(?:[A-Z][\w-]*['’]s\s+)?"
            r"(?:state-(?:owned|run|controlled)\s+)?"
            r"(?P<name>[A-Z][\w&'’.-]*(?:[ \t]+(?:[A-Z][\w&'’.-]*|&|and|of)){0,5}?)"
            r"(?=\s*[,.;)]|\s+(?:and|which|who|said)\b)"
        )
        self.producer_noun_name = re.compile(
            rf"\b(?:{nouns})[ \t]+(?!The\b)(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){{0,3}})"
        )
        self.buyer_verb = _phrase_regex(cues["buyer_verbs_en"])
        # what may stand between a subject and its verb: "X (ASX: X) has also agreed to buy"
        self.verb_lead = re.compile(
            r"\s*(?:\([^)]*\)\s*)?(?:(?:has|have|had|also|already|said\s+(?:it|they)"
            r"(?:\s+(?:would|will|had|has))?)\s+)*"
        )
        # "agreed to sell 8,000 tonnes a year of cobalt sulphate to X", "to A and B"
        self.sold_to_before = re.compile(
            r"\b(?:sell|sells|sold|selling|supply|supplies|supplied|supplying|deliver|delivers"
            r"|delivered|delivering|ship|ships|shipped|shipping|export|exports|exported|output)\b"
            r"(?:[^.;]|\.(?=\d)){0,150}?\bto\s+(?:the\s+)?"
            r"(?:[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*,?\s+(?:and|&)\s+)?$"
        )
        self.noun_use_after = re.compile(r"^\s*(?:[.,;:)]|(?:of|and|are|were|from|for|in)\b)")
        sold = "|".join(re.escape(n) for n in cues["sold_object_not_mineral_en"])
        self.sold_other_after = re.compile(
            rf"^\s+(?:(?:a|an|the|its|their|part\s+of|some|all|[\d.,]+%?|[\w-]+)\s+){{0,3}}?"
            rf"(?:{sold})\b",
            re.I,
        )
        self.producer_counterparty = re.compile(
            rf"^\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){{0,2}}(?:{nouns})\s+[A-Z]"
        )
        self.making_verb = re.compile(
            rf"{_phrase_regex(cues['making_verbs_en']).pattern}(?P<object>[^.;]{{0,50}})", re.I
        )
        sites = "|".join(re.escape(n) for n in cues["own_site_nouns_en"])
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
        awardee = "|".join(re.escape(c) for c in cues["awardee_list_cues_en"])
        # "the awards went to A, $11.2 million ...; B, $6 million ...; and C": every
        # organisation after the cue in the sentence is an awardee.
        self.awardee_list = re.compile(rf"\b(?:{awardee})\b", re.I)
        self.buyer_subject = _phrase_regex(cues["buyer_subject_nouns_en"])
        self.passive_before = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$", re.I)
        self.not_org_after = re.compile(
            r"^\s+(?:" + "|".join(re.escape(w) for w in cues["not_org_after_en"]) + r")\b", re.I
        )
        # "its Belton and Kiraso operations", "at its Marlow complex": a site owned by someone.
        self.possessive_before = re.compile(r"\b(?:its|their|his|her|our)\s+$", re.I)
        self.site_pair_after = re.compile(
            r"^\s+(?:and|&)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:"
            + sites
            + r"|project|projects|plant|plants)\b",
            re.I,
        )
        # "HOBART, Jan 7 -", "FORT LEE, Va. -": a dateline names a place.
        self.dateline = re.compile(
            r"^[A-Z][A-Z .'-]+(?:,\s*[A-Z][a-z]+\.?)?(?:,?\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
            r"\s*[-–—]",
            re.M,
        )
        # 'Wexcombe Minerals Limited ("Wexcombe" or "the Company")'
        self.defined_terms = re.compile(
            # after listings: 'Durrant Tungsten Corp. (TSXV: DTC) (OTCQB: DRTNF) ("Durrant")'
            r"\s*(?:\((?![^)]*[\"“])[^)]*\)\s*){0,3}\((?P<body>[^()]*[\"“][^()]*)\)"
        )
        self.quoted = re.compile(r"[\"“](?:the\s+)?(?P<term>[^\"”]{1,40})[\"”]", re.I)
        # "cobalt sulphate solution (CSS)": an acronym defined for a common noun phrase is a term.
        self.term_acronym = re.compile(r"(?<=[a-z])\s+\((?P<acr>[A-Z][A-Za-z0-9]{1,7})\)")
        # "Compañía Salinera y Minera del Sur" when the model only saw "Minera del Sur"
        self.name_continues_left = re.compile(
            r"(?:[A-Z][\w'’-]*\s+)+(?:y|e|de|del|da|do|dos|das|la|von|van|der)\s+$"
        )
        # "between Minerva Andina and Compañía ...": a capitalised name coordinated with an org
        self.coordinated_before = re.compile(
            r"(?:\bbetween|\bincluding|\bsuch as|\bproducers?|\bminers?|,)\s+"
            r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,2})\s+(?:and|&)\s+$"
        )
        self.zh_seller = [c for c in cues["seller_cues_zh"]]
        self.zh_buyer = [c for c in cues["buyer_cues_zh"]]
        self.zh_from = re.compile(
            "(?:" + "|".join(cues["seller_marker_before_zh"]) + r")[^，。；]{0,3}$"
        )
        self.zh_relation_prefixes = sorted(cues["zh_relation_prefixes"], key=len, reverse=True)

        def label(names: list[str]) -> re.Pattern[str]:
            return re.compile("(?:" + "|".join(names) + r")\s*[：:]\s*$")

        self.zh_buyer_label = label(cues["buyer_labels_zh"])
        self.zh_seller_label = label(cues["seller_labels_zh"])
        self.zh_counterparty_label = label(cues["counterparty_labels_zh"])
        counterparty = "(?:" + "|".join(cues["counterparty_labels_zh"]) + "|对方)"
        # "公司拟向合同对方分批供应…": which way the goods go between issuer and counterparty
        self.zh_to_counterparty = re.compile(
            rf"向{counterparty}[^，。；]{{0,8}}?(?P<verb>{'|'.join(cues['seller_cues_zh'])}"
            rf"|{'|'.join(cues['buyer_cues_zh'])})"
        )
        zh_nouns = "|".join(cues["zh_org_nouns_before_latin"])
        # "蒙古矿企Orvane Gold", "日本电池企业Kiyomi Cells": a Latin name right after a zh noun
        self.zh_latin_name = re.compile(
            rf"(?:{zh_nouns})(?P<name>[A-Z][A-Za-z0-9&'.-]*(?: [A-Z][A-Za-z0-9&'.-]*)*)"
        )

    # ------------------------------------------------------------------------------------
    def process(self, doc: Doc) -> None:
        mentions = self._mentions(doc)
        self._bracketed_short_forms(doc, mentions)
        clusters = self._cluster(mentions)
        cluster_of = {id(m): i for i, cluster in enumerate(clusters) for m in cluster}
        for mention in mentions:
            mention.role = mention.role or self._role(doc, mention)
        buying_side = self._buying_side(doc, clusters)
        referring = self._referring_phrases(doc, mentions, cluster_of)
        for index, cluster in enumerate(clusters):
            role = next((m.role for m in cluster if m.role and m.role != "supplier"), None)
            canonical = self._canonical(cluster)
            signals: set[str] = set()
            if doc.lang_ == "zh":
                evidence = [self._zh_evidence(doc, m) for m in cluster]
                supplier = role is None and (
                    "seller" in evidence
                    or "buyer" not in evidence
                    or any(m.source == "known" for m in cluster)
                )
            else:
                kinds = {self._supplier_context(doc, m, mentions, cluster_of) for m in cluster}
                kinds.update(referring.get(index, ()))
                strong = "strong" in kinds or any(
                    m.source in {"known", "award_line", "producer_noun", "producer_slot"}
                    for m in cluster
                )
                # a name like "Skarholm Zinc" is weaker than the sentence's own word: "Skarholm
                # Zinc will take 9,000 tonnes" and "sold 12 tonnes to Gallium Corporation" buy
                named = self._named_for_mineral(doc, cluster) and not any(
                    id(m) in buying_side for m in cluster
                )
                buyer_evidence = any(self._buyer_evidence(doc, m) for m in cluster)
                supplier = role is None and (
                    strong or "weak" in kinds or (named and not buyer_evidence)
                )
                signals = {str(k) for k in kinds if k} | {
                    name
                    for name, present in (
                        ("strong", strong),
                        ("named_for_mineral", self._named_for_mineral(doc, cluster)),
                        ("buying_side", any(id(m) in buying_side for m in cluster)),
                        ("buyer_evidence", buyer_evidence),
                    )
                    if present
                }
            # 'X (the "Vendor")' and 'Y (the "Purchaser")': a release's own defined terms
            # settle which party sells, whatever verb the sentence uses
            terms = {a.casefold() for m in cluster for a in m.aliases}
            if role is None and terms & _SELLER_TERMS and not terms & _BUYER_TERMS:
                supplier = True
                signals.add("seller_term")
            elif terms & _BUYER_TERMS:
                supplier = False
                signals.add("buyer_term")
            for mention in cluster:
                mention.evidence = frozenset(signals)
                mention.canonical = canonical
                mention.role = role or ("supplier" if supplier else "other")
                mention.supplier = supplier
        doc._.minwatch_orgs = mentions

    def _referring_phrases(
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
        for match in self.referring_phrase.finditer(text, doc._.minwatch_title_end):
            start, end = match.span("phrase")
            earlier = [m for m in named if m.end <= start]
            if not earlier:
                continue
            antecedent = earlier[-1]
            if antecedent.role is not None and antecedent.role != "supplier":
                continue
            if sentence_index(doc, start) - sentence_index(doc, antecedent.start) > 2:
                continue
            stand_in = OrgHit(start, end, match.group("phrase"), "pronoun")
            kind = self._supplier_context(doc, stand_in, mentions, cluster_of)
            if kind is not None:
                found.setdefault(cluster_of[id(antecedent)], set()).add(kind)
        return found

    def _buying_side(self, doc: Doc, clusters: list[list[OrgHit]]) -> set[int]:
        """Mentions of the organisations a release defines as the buyer ('X (the "Purchaser")')
        and of the parent named in 'X (the "Purchaser"), a wholly owned US subsidiary of the
        Company': a group buying through its subsidiary is no seller for its name alone."""
        text = text_of(doc)
        buyers = [
            c for c in clusters if any(a.casefold() in _BUYER_TERMS for m in c for a in m.aliases)
        ]
        side = {id(m) for c in buyers for m in c}
        for cluster in buyers:
            for mention in cluster:
                parent = self.subsidiary_of.match(text, max(mention.end, 0))
                if mention.start < 0 or parent is None:
                    continue
                name = parent.group("parent")
                for other in clusters:
                    if any(m.text == name or name in m.aliases for m in other):
                        side.update(id(m) for m in other)
        return side

    @staticmethod
    def _bracketed_short_forms(doc: Doc, mentions: list[OrgHit]) -> None:
        """ "Tarrant Lithium Corporation (Tarlith)": a one-word name in brackets right after a
        full name is that name's short form (a listing "(ASX: TLC)" is no bare name)."""
        text = text_of(doc)
        ends = {m.end: m for m in mentions if m.start >= 0}
        for mention in mentions:
            if mention.start < 1 or len(mention.text.split()) != 1 or mention.source == "gazetteer":
                continue
            # '(Tarlith)', '("PAC")'
            opening = 2 if text[mention.start - 2 : mention.start] in {'("', "(“"} else 1
            if text[mention.start - opening] != "(" or text[mention.end] not in ')"”':
                continue
            lead = mention.start - opening
            owner = ends.get(lead) or ends.get(lead - 1)
            if owner is not None and owner is not mention and text[owner.end] in " (":
                owner.aliases.append(mention.text)

    def _named_for_mineral(self, doc: Doc, cluster: list[OrgHit]) -> bool:
        """ "Tarrant Lithium Limited", in a text about lithium: a company named for a mineral
        the document discusses mines or sells it. A homonym ("Tin Whistle Capital" in a lithium
        story) names no mineral found outside the organisation's own name."""
        if doc.lang_ == "zh" or any(marker in text_of(doc) for marker in self.notice_markers):
            return False
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        text = text_of(doc)
        names = [_words(m.text) for m in cluster]

        def heading_of_name(hit: MineralHit) -> bool:
            # "TIN THORNBURY BAKERY" above "Tin Thornbury Bakery Co., the Leeds bread maker":
            # a briefs column heads each item with its company's name in capitals
            lo = text.rfind("\n", 0, hit.start) + 1
            hi = text.find("\n", hit.start)
            line = text[lo : hi if hi >= 0 else len(text)].strip()
            words = _words(line)
            return line.isupper() and any(n[: len(words)] == words for n in names)

        outside = {
            c
            for h in minerals
            if not any(m.start <= h.start < m.end for m in cluster) and not heading_of_name(h)
            for c in h.canonicals
        }
        for mention in cluster:
            if mention.source != "rule" or mention.start < doc._.minwatch_title_end:
                continue
            # the mineral word inside a name is not a mineral hit, so match the name's words
            words = {w.casefold() for w in _words(mention.text)}
            if words & outside:
                return True
        return False

    def _mentions(self, doc: Doc) -> list[OrgHit]:
        text = text_of(doc)
        found = self._zh_mentions(doc) if doc.lang_ == "zh" else self._en_mentions(doc)
        for match in self.role_regex.finditer(text):
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

    def _zh_mentions(self, doc: Doc) -> list[OrgHit]:
        text = text_of(doc)
        found: list[OrgHit] = []
        for match in self.zh_company.finditer(text):
            start = match.start()
            name = match.group()
            cut = max(name.rfind(ch) for ch in self.zh_breakers)
            if cut >= 0:
                start += cut + 1
                name = name[cut + 1 :]
            # "控股股东关联方江陵钢联股份有限公司": a relation phrase is no part of the name
            for prefix in self.zh_relation_prefixes:
                at = name.rfind(prefix)
                if at >= 0 and len(name) - at - len(prefix) > 4:
                    start += at + len(prefix)
                    name = name[at + len(prefix) :]
                    break
            if len(name) > 4:
                found.append(OrgHit(start, match.end(), name, "rule"))
        for match in self.zh_alias.finditer(text):
            owner = next((m for m in reversed(found) if m.end <= match.start()), None)
            if owner is not None:
                owner.aliases.append(match.group("alias"))
                for alias in re.finditer(re.escape(match.group("alias")), text):
                    if alias.start() > match.end():
                        found.append(OrgHit(alias.start(), alias.end(), alias.group(), "rule"))
        # Latin-script names in a Chinese text: "锂矿企业Tarrant Resources Limited", and later
        # the short form "向Tarrant采购".
        latin: list[OrgHit] = []
        for match in self.en_company_in_zh.finditer(text):
            latin.append(OrgHit(match.start(), match.end(), match.group(), "rule"))
        for match in self.zh_latin_name.finditer(text):
            start, end = match.span("name")
            if not any(m.start < end and start < m.end for m in latin):
                latin.append(OrgHit(start, end, match.group("name").strip(" ."), "rule"))
        for hit in list(latin):
            first = hit.text.split()[0]
            if len(first) < 4 or _key(first) in self.role_names:
                continue
            for match in re.finditer(rf"(?<![A-Za-z]){re.escape(first)}(?![A-Za-z])", text):
                if not any(m.start <= match.start() < m.end for m in latin):
                    latin.append(OrgHit(match.start(), match.end(), first, "rule"))
        title_end = doc._.minwatch_title_end
        found.extend(
            m for m in latin if m.start >= title_end and _key(m.text) not in self.role_names
        )
        return found

    def _en_mentions(self, doc: Doc) -> list[OrgHit]:
        text = text_of(doc)
        title_end = doc._.minwatch_title_end
        found: list[OrgHit] = []
        for match in self.en_company.finditer(text):
            start, name = match.start(), match.group()
            for phrase in self.leading_phrases:
                if name.startswith(phrase + " "):
                    start += len(phrase) + 1
                    break
            words = text[start : match.end()].split()
            while words and (
                words[0] in self.leading_drop
                or words[0].isdigit()
                # "AIM-listed X plc", "Canada-based X Corp.": a qualifier, not the name
                or self.leading_qualifier.fullmatch(words[0])
            ):
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            # "China's X", "South Africa's X": a leading place possessive of one or two words
            for size in (1, 2):
                owner = " ".join(words[:size])
                if (
                    len(words) > size
                    and owner.endswith(("'s", "’s"))
                    and _key(owner[:-2]) in self.places
                ):
                    start = text.index(words[size], start + len(owner))
                    words = words[size:]
                    break
            end = match.end()
            # "Tungsten Corporation of Portugal", "Graphite Corporation of Canada": a state-style
            # name goes on past its suffix with "of" and a country
            country = self.suffix_of_place.match(text, end)
            if country and words[-1] in {"Corporation", "Company"}:
                place = country.group("place")
                for candidate in (place, place.split()[0]):
                    if _key(candidate) in self.places:
                        end = country.start("place") + len(candidate)
                        break
            name = text[start:end]
            if self.site_after.match(text[end : end + 30]):
                continue  # "its Harbor Tin Corporation (HTC) project": a site's name
            if start >= title_end and len(words) >= 2:
                # "Hoshimura Corporation Metals Japan Ltd.": one name holds two suffix words
                previous = found[-1] if found else None
                if previous is not None and text[previous.end : start] == " ":
                    previous.end, previous.text = end, text[previous.start : end]
                    continue
                found.append(OrgHit(start, end, name, "rule"))
        issuer = self._defined_terms(doc, found)
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        for match in self.en_prefixed_company.finditer(text):
            start = match.start()
            overlapping = any(m.start < match.end() and start < m.end for m in found)
            if start >= title_end and not overlapping:
                found.append(OrgHit(start, match.end(), match.group(), "rule"))
        for match in self.apposition.finditer(text):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)
            if start < title_end or any(m.start <= start < m.end for m in found):
                continue
            if not self._not_an_org(doc, start, end):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        for match in self.bare_winner.finditer(text):
            start, end = match.span("name")
            start = self._after_place_possessive(text, start, end)  # "Denmark's Velmont won"
            if start >= title_end and not any(m.start < end and start < m.end for m in found):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        for match in self.producer_noun_name.finditer(text):
            start, end = match.span("name")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if self._not_an_org(doc, start, end) or self.buyer_apposition.match(text[end:]):
                continue
            sent_start, sent_end = sentence_bounds(doc, start)
            # "supply silicon to silicones producer Y": a producer of other goods buys here
            buys = self._counterparty_buys(text[sent_start:start], text[end:sent_end])
            found.append(
                OrgHit(start, end, match.group("name"), "rule" if buys else "producer_noun")
            )
        for match in self.producer_of_name.finditer(text):
            # "one local producer of nuclear-grade zirconium, Elmsworth Alloys & Components,
            # and ...", "the sole source of enriched boron has been Ruritania's state-owned Borexa"
            start, end = match.span("name")
            what_start, what_end = match.span("what")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if not any(what_start <= h.start < what_end for h in minerals):
                continue
            if self._not_an_org(doc, start, end) or _key(match.group("name")) in self.role_names:
                continue
            found.append(OrgHit(start, end, match.group("name"), "producer_noun"))
        for match in self.state_owned_name.finditer(text):
            # "Peru's state-owned Minerva Andina": the model may take the name for a place
            start, end = match.span("name")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if not self._not_an_org(doc, start, end):
                found.append(OrgHit(start, end, match.group("name"), "rule"))
        terms = {
            m.group("acr")
            for m in self.term_acronym.finditer(text)
            # the word before is lower-case, so the acronym is no company's short form
            if re.search(r"(?:^|\s)[a-z][\w-]*$", text[max(0, m.start() - 40) : m.start()])
        }
        sites = self._site_names(doc)
        for start, end in doc._.minwatch_ner_orgs or []:
            newline = text.find("\n", start, end)
            if newline > start:
                # "from the Tillabrook Project\n- Five-year term": the model ran over a line
                end = newline
            if self.location_before.search(text[max(0, start - 8) : start]):
                continue
            if (
                self.site_after.match(text[end : end + 20])
                or self.site_pair_after.match(text[end : end + 60])
                or self.site_after_word.match(text[end : end + 40])
            ):
                continue
            if any(m.start <= start < m.end or start <= m.start < end for m in found):
                continue
            name = text[start:end]
            if name.lower().startswith("the "):
                start, name = start + 4, name[4:]
            if name.endswith(("'s", "’s")):
                end, name = end - 2, name[:-2]
            head = re.match(r"([A-Z][\w-]*)['’]s\s+", name)
            if head and _key(head.group(1)) in self.places:
                # "Mongolia's Tsagaan Metals"
                start, name = start + head.end(), name[head.end() :]
            left = self.name_continues_left.search(text[max(0, start - 60) : start])
            if left:
                start, name = start - len(left.group()), left.group() + name
            key = _key(name)
            lowercase = not re.match(r"[A-Z0-9]|[a-z]{1,3}[A-Z]", name)  # "commerce ministry"
            if key in self.not_orgs or lowercase or name in terms or key in sites:
                continue
            tail = self.not_org_tail.search(name)
            if tail and tail.end() == len(name):
                continue
            if any(h.start <= start and end <= h.end for h in minerals):
                # "Fluorspar, metallurgical grade, FOB Maputo", "Molybdenum oxide is quoted
                # at": a capitalised mineral word at a sentence start is no company
                continue
            if self.site_tail.search(name) and not self.producer_apposition.match(text[end:]):
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
            pair = self.coordinated_before.search(text[window : mention.start])
            if pair is None:
                continue
            start = window + pair.start("name")
            end = start + len(pair.group("name"))
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if _key(pair.group("name")) in sites or self._not_an_org(doc, start, end):
                continue
            found.append(OrgHit(start, end, pair.group("name"), "ner"))
        found.extend(self._repeated_names(doc, found))
        for match in self.award_line.finditer(text):
            name = self._award_line_name(match.group("name"))
            if name and _key(name) not in self.not_orgs:
                start = match.start("name")
                found.append(OrgHit(start, start + len(name), name, "award_line"))
        for start, end in doc._.minwatch_producer_spans or []:
            # "offers are limited to material produced by A and B": producers of the mineral
            if not any(m.start < end and start < m.end for m in found):
                found.append(OrgHit(start, end, text[start:end], "producer_slot"))
        return found

    def _repeated_names(self, doc: Doc, found: list[OrgHit]) -> list[OrgHit]:
        """Later mentions of a name already found: the model reads only some sentences and
        misses names in others ("Minera Lomas del Viento makes 9,000 tonnes", a sentence with
        no selling word). A name with a corporate suffix is also looked for without it."""
        text = text_of(doc)
        title_end = doc._.minwatch_title_end
        names: set[str] = set()
        for mention in found:
            if mention.source not in {"rule", "ner"} or _key(mention.text) in self.role_names:
                continue
            name = mention.text.strip(" ,")
            core = self.trailing_suffix.sub("", name)
            for form in {name, core}:
                words = form.split()
                # one word the model found ("Project", "Wave") is too often a common word
                if len(words) < 2 and (mention.source != "rule" or len(form) < 6):
                    continue
                tail = self.not_org_tail.search(form)
                if form[:1].isupper() and not (tail and tail.end() == len(form)):
                    names.add(form)
        added: list[OrgHit] = []
        for name in sorted(names, key=len, reverse=True):
            for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                start, end = match.span()
                if start < title_end:
                    continue
                if any(m.start < end and start < m.end for m in (*found, *added)):
                    continue
                if self._not_an_org(doc, start, end):
                    continue
                added.append(OrgHit(start, end, name, "ner"))
        return added

    def _award_line_name(self, value: str) -> str:
        """The company in an award line's value. Notices add the awardee's address and
        registry numbers ("ACME METALS LLC, Dover, DE 19901 USA (UEI: K7P...)"): the name
        ends at the first comma-separated part that is no corporate suffix ("S.A. de C.V.")."""
        value = re.sub(r"\s*\((?:UEI|CAGE|DUNS|see)\b[^)]*\)", "", value.strip(), flags=re.I)
        parts = value.split(", ")
        kept = parts[:1]
        for part in parts[1:]:
            if part.strip().casefold() not in self.suffix_set:
                break
            kept.append(part)
        return ", ".join(kept).strip()

    def _after_place_possessive(self, text: str, start: int, end: int) -> int:
        """Where a name begins after a leading "Vietnam's" / "Kazakhstan's"."""
        head = re.match(r"([A-Z][\w-]*)['’]s\s+", text[start:end])
        if head and _key(head.group(1)) in self.places:
            return start + head.end()
        return start

    def _defined_terms(self, doc: Doc, found: list[OrgHit]) -> OrgHit | None:
        """Quoted short forms defined after a name ("Wexcombe" or "the Company") become
        its aliases; the one that defines "the Company" is the issuer of a press release. With
        no such definition, a release's "the Company" is its first named company."""
        text = text_of(doc)
        issuer = None
        for mention in found:
            match = self.defined_terms.match(text, mention.end)
            if match is None:
                continue
            for term in self.quoted.finditer(match.group("body")):
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
                    if m.start >= doc._.minwatch_title_end and _key(m.text) not in self.role_names
                ),
                None,
            )
            if issuer is not None:
                issuer.aliases.append("Company")
        return issuer

    def _site_names(self, doc: Doc) -> set[str]:
        """Names the text gives to a mine, project or plant ("its Brennock mine"): elsewhere in
        the text the bare name ("Brennock, one of the richest deposits") is the site too."""
        names = set()
        for match in re.finditer(
            r"(?P<name>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,2})(?=\s+(?:mine|project|deposit"
            r"|operation|operations|plant|refinery|smelter|complex|prospect)\b)",
            text_of(doc),
        ):
            names.add(_key(match.group("name")))
        return names

    def _not_an_org(self, doc: Doc, start: int, end: int) -> bool:
        """A place, a programme, an owned site or a dateline rather than an organisation."""
        text = text_of(doc)
        name = text[start:end]
        if _key(name) in self.places or _key(name) in self.not_orgs:
            return True
        if self.not_org_after.match(text[end : end + 20]):
            return True
        if self.place_adjective_after.match(text, end):
            return True
        if self.address_before.search(text, max(0, start - 40), start) and self.address_after.match(
            text, end
        ):
            # "Halvard Systems Corp., Dayton, Ohio, was awarded": the city of an address
            return True
        if text[start - 1 : start] == "(" and self.listing_after.match(text, end):
            return True
        if self.ticker_before.search(text, max(0, start - 20), start):
            return True  # "(OTCQX: DRTNF)": the ticker of a listing
        if self.possessive_before.search(text[max(0, start - 8) : start]):
            return True
        if re.search(r"\b[A-Z][\w-]*['’]s\s+$", text[max(0, start - 30) : start]):
            owner = re.search(r"([A-Z][\w-]*)['’]s\s+$", text[max(0, start - 30) : start])
            if (
                owner
                and _key(owner.group(1)) in self.places
                and re.match(
                    r"^\s+(?:state|province|region|military|government)\b", text[end : end + 20]
                )
            ):
                return True
        line_start = text.rfind("\n", 0, start) + 1
        dateline = self.dateline.match(text, line_start)
        return dateline is not None and start < dateline.end()

    def _cluster(self, mentions: list[OrgHit]) -> list[list[OrgHit]]:
        """Group a document's mentions of one organisation ("PAC" -> its full name)."""
        clusters: list[list[OrgHit]] = []
        for mention in sorted(mentions, key=lambda m: -len(m.text)):
            home = next((c for c in clusters if any(_same_org(mention, m) for m in c)), None)
            if home is None:
                clusters.append([mention])
            else:
                home.append(mention)
        for cluster in clusters:
            cluster.sort(key=lambda m: m.start if m.start >= 0 else 10**9)
        return clusters

    @staticmethod
    def _canonical(cluster: list[OrgHit]) -> str:
        """The name as first given in full: the earliest of the longest forms."""
        longest = max(len(_words(m.text)) for m in cluster)
        full = [m for m in cluster if len(_words(m.text)) == longest]
        return min(full, key=lambda m: m.start if m.start >= 0 else 10**9).text.strip(" ,")

    def _role(self, doc: Doc, mention: OrgHit) -> str | None:
        key = _key(mention.text)
        if key in self.role_names:
            return self.role_names[key]
        words = mention.text.replace(",", " ").split()
        if len(words) > 1 and words[0].isupper() and self.role_names.get(_key(words[0])):
            # "DLA Troop Support", "DLA Energy": a unit of an agency has the agency's role
            return self.role_names[_key(words[0])]
        if mention.source == "ner":
            for role, keywords in self.role_keywords.items():
                if any(word in keywords for word in words):
                    return role
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
                    self.purchase_cue.search(text, sent_start, sent_end) is not None
                ),
                "mineral_before": lambda: any(
                    sent_start <= h.start < mention.start for h in minerals
                ),
                "mineral_in_sentence": lambda: any(
                    sent_start <= h.start < sent_end for h in minerals
                ),
                "buyer_earlier": lambda: self._buyer_earlier(doc, mention, mentions, sent_start),
            },
        )

    def _supplier_context(
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
        if joined and self._supplier_context(doc, joined[-1], mentions, cluster_of) == "strong":
            return "strong"
        if rule := self.rules.first("awarded", context):
            return _VERDICT[rule.verdict]
        if self.awardee_list.search(before) and (
            self.purchase_cue.search(sentence)
            # "splitting the awards ... among three producers. The largest portion went to X" (but
            # "half of its output went to X" after a deal makes X a buyer)
            or (
                self.share_went_to.search(before)
                and self.purchase_cue.search(text, max(0, sent_start - 300), sent_start)
            )
        ):
            return "strong"
        if self._award_list_item(doc, mention):
            return "strong"
        if rule := self.rules.first("winner", context):
            return _VERDICT[rule.verdict]
        if self._counterparty_buys(before, after):
            return None
        for stage in ("producer", "counterparty"):
            if rule := self.rules.first(stage, context):
                return _VERDICT[rule.verdict]
        if self._subject_of(doc, mention, mentions, cluster_of, sent_end):
            return "strong"
        for stage in ("possessive", "object"):
            if rule := self.rules.first(stage, context):
                return _VERDICT[rule.verdict]
        site = self.own_site_after.match(after)
        if site is not None and not self._org_between(
            mention, mentions, cluster_of, mention.end, mention.end + site.end()
        ):
            return "weak"
        # "X said it would restart a kiln at its Vardel plant, adding 12,000 t/yr of
        # capacity": whoever cuts or adds tonnes of capacity at its own plant produces there
        plant = self.own_plant_after.match(after)
        if (
            plant is not None
            and self.capacity_word.search(sentence)
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
        source = self.from_own_site.match(after)
        if source and self.agreement_with.search(after[: source.end()]):
            return "weak"
        return None

    def _counterparty_buys(self, before: str, after: str) -> bool:
        """The organisation is the one sold to, even where a producer noun names it ("agreed to
        supply 6,000t to Italian glass producer Y": Y makes glass from what it buys), or
        the counterparty of an agreement whose material comes "from its" (the subject's) site:
        "X signed an offtake with coolant producer Y for 15,000 t/y from its Z mine"."""
        if self.sold_to_before.search(before):
            return True
        described = re.search(r"\bto\s+(?:[\w'’-]+\s+){1,5}$", before)
        if described and self.sold_to_before.search(before[: described.start()] + "to "):
            return True
        source = self.from_own_site.match(after)
        return bool(
            source
            and self.counterparty_with.search(before[-120:])
            # "agreement with Y, which will supply cobalt from its operations": "its" is Y's
            and not self.seller_verb.search(after, 0, source.end())
        )

    def _award_list_item(self, doc: Doc, mention: OrgHit) -> bool:
        """ "The orders are:\n- X, Tucson, Arizona: $85 million for ...": a list item
        that opens with the organisation and states a sum, under a lead-in line about awards or
        orders, names an awardee, whatever the item's layout."""
        text = text_of(doc)
        line_start = text.rfind("\n", 0, mention.start) + 1
        item = self.list_item.match(text, line_start)
        if item is None or item.end() != mention.start:
            return False
        line_end = text.find("\n", mention.start)
        line_end = len(text) if line_end < 0 else line_end
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        if not any(a.kind == "money" and mention.end <= a.start < line_end for a in amounts):
            return False
        lines = text[:line_start].splitlines()
        while lines and (not lines[-1].strip() or self.list_item.match(lines[-1])):
            lines.pop()
        lead_in = lines[-1].strip() if lines else ""
        return lead_in.endswith(":") and self.purchase_cue.search(lead_in) is not None

    def _buyer_evidence(self, doc: Doc, mention: OrgHit) -> bool:
        """The sentence makes the organisation a buyer: the one sold to ("sold 12 tonnes of
        germanium to X", "output to A and B"), the subject of a buying verb ("X will take 9,000
        tonnes", "X has agreed to buy"), or a customer by apposition."""
        if mention.start < 0:
            return False
        text = text_of(doc)
        sent_start, _ = sentence_bounds(doc, mention.start)
        if self.sold_to_before.search(text[sent_start : mention.start]):
            return True
        after = text[mention.end : mention.end + 200]
        if self.buyer_apposition.match(after):
            return True
        lead = self.verb_lead.match(after)
        return self.buyer_verb.match(after, lead.end() if lead else 0) is not None

    def _buyer_earlier(
        self, doc: Doc, mention: OrgHit, mentions: list[OrgHit], sent_start: int
    ) -> bool:
        """A buying agency is the subject: named earlier in the sentence, or "the department"."""
        if self.buyer_subject.search(text_of(doc), sent_start, mention.start):
            return True
        return any(m.role == "buyer" and sent_start <= m.start < mention.start for m in mentions)

    def _org_between(
        self, mention: OrgHit, mentions: list[OrgHit], cluster_of: dict[int, int], lo: int, hi: int
    ) -> bool:
        home = cluster_of.get(id(mention))
        return any(
            lo <= m.start < hi and cluster_of.get(id(m)) != home and m.role not in _BYSTANDERS
            for m in mentions
        )

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
        # "ahead of the Treasury auction, which is set to bring": after a preposition the
        # name is an object, never the subject of a later verb
        relative = re.match(r"\s*(?:\([^)]*\)\s*)?,\s*(?:which|who)\b", text[mention.end :])
        if relative is None and self.object_before.search(
            text[max(0, mention.start - 20) : mention.start]
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
            if partner.start >= lo and re.fullmatch(
                r"\s*(?:\([^)]*\)\s*)?,?\s+(?:and|&)\s+", text[lo : partner.start]
            ):
                lo = partner.end
                apposition = re.match(r"\s*\([^)]*\)", text[lo:sent_end])
                lo += apposition.end() if apposition else 0
        sent_start = sentence_bounds(doc, mention.start)[0]
        mineral_in_sentence = any(
            sent_start <= h.start < sent_end for h in doc._.minwatch_minerals or []
        )
        for pattern, needs_mineral in ((self.seller_verb, False), (self.making_verb, True)):
            for verb in pattern.finditer(text, mention.end, sent_end):
                if not mineral_in_sentence and re.search(r"award|\bwon\b", verb.group(), re.I):
                    # "X was awarded a modification for missile production": an award for no
                    # mineral supplies none
                    break
                if self.passive_before.search(text[max(0, verb.start() - 12) : verb.start()]):
                    continue
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
                if self.noun_use_after.match(tail) and verb.group().lower() == "supplies":
                    continue  # "contracts for field tents and spare parts."
                if self.sold_other_after.match(tail):
                    continue  # "sold a 40% stake in its cloud business"
                # "X signed an offtake agreement with Malawian developer Y": Y sells, X buys
                return not (
                    verb.group().lower().endswith(" with")
                    and self.producer_counterparty.match(tail)
                )
        return False

    def _zh_evidence(self, doc: Doc, mention: OrgHit) -> str | None:
        """The part a Chinese sentence gives the company: "向Y采购" and "与Y签订…采购协议"
        make Y the seller and the subject the buyer; "X与Y签订…供货协议" and "X…挂牌价" make X
        the seller."""
        if mention.start < doc._.minwatch_title_end or mention.start < 0:
            return None
        text = text_of(doc)
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        clause_start = max(text.rfind(ch, sent_start, mention.start) for ch in "，；：") + 1
        clause_start = max(clause_start, sent_start)
        before = text[clause_start : mention.start]
        stop = min(
            (i for i in (text.find(ch, mention.end, sent_end) for ch in "，。；") if i >= 0),
            default=sent_end,
        )
        after = text[mention.end : stop]
        line = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
        if self.zh_buyer_label.search(line):
            return "buyer"
        if self.zh_seller_label.search(line):
            return "seller"
        if self.zh_counterparty_label.search(line):
            way = self.zh_to_counterparty.search(text)
            if way is not None:
                return "buyer" if way.group("verb") in self.zh_seller else "seller"
        # "钴精矿大部分采购自X", "进口自X": bought from X
        if re.search("(?:" + "|".join(self.zh_buyer) + r")(?:自|于)$", before):
            return "seller"
        if self.zh_from.search(before) and any(c in after[:12] for c in self.zh_buyer):
            return "seller"
        agreement = re.search(
            r"(?:签订|签署|达成)(?P<kind>[^，。；]{0,20}?)(?:协议|合同|订单)", after
        )
        if "与" in before and agreement:
            kind = agreement.group("kind")
            if any(c in kind for c in self.zh_buyer):
                return "seller"
            if any(c in kind for c in self.zh_seller):
                return "buyer"
        if re.match(r"^[^，。；]{0,6}与", after) and agreement:
            kind = agreement.group("kind")
            if any(c in kind for c in self.zh_buyer):
                return "buyer"
            if any(c in kind for c in self.zh_seller):
                return "seller"
        if re.search(r"(?:向|从|自)[^，。；]{1,30}?(?:" + "|".join(self.zh_buyer) + ")", after):
            return "buyer"
        if any(c in after[:20] for c in self.zh_seller):
            return "seller"
        return None


# What a release calls the buying party of an agreement ('X (the "Purchaser")').
_BUYER_TERMS = {"purchaser", "buyer", "offtaker", "customer"}
_SELLER_TERMS = {"vendor", "seller", "supplier"}

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
}


# a rule record's verdict as `_supplier_context` returns it ("none": no seller here)
_VERDICT: dict[str, str | None] = {"strong": "strong", "weak": "weak", "none": None}
_LIST_JOINT = re.compile(r",?[ \t]+(?:and|&)[ \t]+|,[ \t]+")


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).strip(" ,.").lower()


_SUFFIX_WORDS = {
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


def _words(name: str) -> list[str]:
    return [w for w in re.sub(r"[^\w&\s]", " ", name.lower()).split()]


def _core_words(name: str) -> list[str]:
    words = _words(name)
    while words and words[-1] in _SUFFIX_WORDS:
        words.pop()
    return words


def _same_org(short: OrgHit, long: OrgHit) -> bool:
    if _key(short.text) == _key(long.text) or short.text in long.aliases:
        return True
    short_words, long_words = _core_words(short.text), _core_words(long.text)
    if not short_words or not long_words:
        return False
    compact = short.text.replace(".", "")
    if compact.isupper() and 2 <= len(compact) <= 6 and " " not in compact:
        initials = "".join(w[0] for w in _words(long.text) if w not in {"of", "and", "&"})
        initials_core = "".join(w[0] for w in long_words if w not in {"of", "and", "&"})
        # "(PAC)" right after the full name is an alias (see _bracketed_short_forms); an
        # acronym merely next to a name ("Tarrant Corp., QLN, ...") is another company
        return compact.lower() in {initials, initials_core, long_words[0]}
    if short_words == long_words:
        # "Tarrant" and "Tarrant Corporation", "Skarholm Zinc" and "Skarholm Zinc Co., Ltd."
        return short.source != "gazetteer" and long.source != "gazetteer"
    if len(short_words) < len(long_words):
        if long_words[: len(short_words)] == short_words:
            return True
        return (
            all(w in long_words for w in short_words)
            and short_words[0][:1].isalpha()
            and len(short_words) == 1
            and len(short_words[0]) > 3
        )
    return False
