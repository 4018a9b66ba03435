"""`minwatch_suppliers`: organisations, their role, aliases, and which of them are suppliers.

Organisation mentions come from three places: a cheap rule for names ending in a corporate
suffix ("Pilbara Minerals Limited", "崇义章源钨业股份有限公司"), ORG entities of the statistical
model (set on `doc._.minwatch_ner_orgs` by the Extractor, which runs the model only on the
sentences that need it), and the awardee names the caller knows from SAM.gov award notices.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.base import MineralHit, OrgHit, RuleComponent, sentence_bounds, text_of


@Language.factory("minwatch_suppliers", default_config={})
def make_suppliers(nlp: Language, name: str) -> SupplierComponent:
    return SupplierComponent(nlp, name)


def _phrase_regex(phrases: list[str], flags: int = re.I) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", flags)


class SupplierComponent(RuleComponent):
    data_files = ("organizations.json", "cues.json", "supplier_cues.json")

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
        # "5N Plus", "enCore Energy", "IREL (India) Limited", "China Northern Rare Earth (Group)
        # High-Tech Co.": digits, a lower-case first letter before a capital, a bracketed word.
        name_word = r"(?:[A-Z][\w&'’-]*|\d[\w&'’-]*|[a-z]{1,3}[A-Z][\w&'’-]*|\([A-Z][\w&'’-]*\))"
        self.en_company = re.compile(
            # "--(BUSINESS WIRE)--Vanadis Energy Metals Inc.": a dash pair may run into a name
            rf"(?<![\w])(?<!\w-){name_word}(?:[ \t]+(?:{name_word}|&|of|and|for|de|du))*?"
            rf"(?:,?[ \t]+(?:{suffixes}))+(?![\w])"
        )
        zh_suffixes = "|".join(orgs["zh_company_suffixes"])
        self.zh_company = re.compile(rf"[\u4e00-\u9fff（）()]{{2,40}}?(?:{zh_suffixes})")
        self.zh_breakers = orgs["zh_name_prefix_breakers"]
        # "from" is left out: "titanium from VSMPO-Avisma" names a seller; countries after
        # "from" are caught by the place list instead.
        self.location_before = re.compile(r"\b(?:at|in|near|of)\s+$")
        self.zh_alias = re.compile(
            r"[（(]以下简称[“\"「]?(?P<alias>[^”\"」）)]{2,12})[”\"」]?[）)]"
        )
        self.supplier_cue = _phrase_regex(cues["supplier_en"])
        self.buyer_after = _phrase_regex(cues["buyer_after_org_en"])
        labels = "|".join(re.escape(label) for label in cues["award_line_labels"])
        self.award_line = re.compile(rf"^(?:{labels})\s*:\s*(?P<name>.+?)\s*$", re.M)
        # "Umicore, the Belgian materials group that ..." names a company by apposition.
        self.apposition = re.compile(
            r"(?:^|(?<=[.!?]\s)|(?<=['’]s\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3}),"
            r"\s+(?:the|a|an|which|one of)\s+[^,.;]{0,80}?\b(?:group|company|firm|producer|miner"
            r"|refiner|maker"
            r"|supplier|trader|trading house|smelter|recycler)\b",
            re.M,
        )
        # "Global Advanced Metals was awarded $31.5 million": a bare capitalised name that
        # wins a contract is an organisation even when the model misses it.
        self.bare_winner = re.compile(
            r"(?:^|(?<=[.!?;,]\s)|(?<=\band\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){1,4})"
            r"(?=\s+(?:(?:was|were|has\s+been)\s+awarded|(?:has\s+)?(?:won|received|secured)"
            r"\s+(?:an?\s+)?(?:US)?\$)\b)",
            re.M,
        )
        self.notice_markers = tuple(cues["notice_markers"])
        # "... buy $45 million in scandium from Rio Tinto", "contract awarded to X"
        self.seller_before = re.compile(
            r"(?:\bfrom|\bawarded\s+to|\bawarded|\b(?:contracts?|orders?|awards?)\s+to)\s+(?:the\s+)?"
            # "from trading houses A and B": a plain noun may say what the sellers are
            r"(?:(?!(?:its|their|a|an)\b)[a-z][\w-]*\s+){0,2}"
            r"(?:[A-Z][\w'’-]*\s+){0,2}"
            r"(?:[A-Z](?:[^,;]|,\s*(?:Ltd|Inc|LLC|Co)\b){0,60}?\s+(?:and|&)\s+)?$"
        )
        self.purchase_cue = re.compile(
            r"\b(?:buy|buys|bought|purchas\w*|order\w*|contract\w*|"
            r"award\w*|acquir\w*|procur\w*|offtake|tender\w*)\b",
            re.I,
        )
        self.buyer_before = re.compile(r"\b(?:to|with|for)\s+(?:[\w'’.-]+\s+){0,3}$")
        # "... awarded X a $14 million contract", "X won a $9.6 million contract", "X received
        # $4.1 million for 190 tonnes": the organisation right before is the awardee.
        self.winner_after = re.compile(
            r"^\s*(?:of\s+[A-Z][^,.;]{0,40}(?:,\s*[A-Z][^,.;]{0,30})?,\s*|,[^,]{0,60},\s*)?"
            r"(?:(?:has\s+|have\s+)?(?:won|wins|received|receives|"
            r"secured|secures|landed|lands)\b|(?:was|were|has been|had been)\s+awarded\b"
            r"|an?\s+(?:US)?\$\s?\d[\d.,]*\s*(?:million|billion|m|bn)?\s+"
            r"(?:contract|order|award|deal)\b)"
        )
        # "awarded a five-year ... contract worth up to $245 million to United States Antimony"
        self.awarded_to_before = re.compile(r"\bawarded\b[^.;:]{0,120}?\bto\s+(?:the\s+)?$")
        # "its Pine Hollow project": a named site, not an organisation.
        self.state_owned_name = re.compile(
            r"\bstate-(?:owned|run|controlled|backed)\s+(?:[a-z][\w-]*\s+){0,2}"
            r"(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3})"
        )
        self.site_tail = re.compile(
            r"\s(?:project|mine|deposit|plant|refinery|smelter|prospect|operation|operations"
            r"|complex|concentrator|facility)$",
            re.I,
        )
        # "(NYSE American: VEM)", "(TSXV: NTC)": a listing names an exchange and a ticker
        self.listing_after = re.compile(r"\s*:\s*[A-Z0-9][A-Z0-9.]{0,7}\s*[);,]")
        # "a Boise-based company", "Toronto-headquartered": a place made into an adjective
        self.place_adjective_after = re.compile(r"-(?:based|headquartered|born|area)\b")
        self.site_after = re.compile(
            r"^\s+(?:project|mine|mines|deposit|plant|operation|operations|site|refinery|"
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
        self.leading_phrases = sorted(orgs["leading_phrases_to_drop"], key=len, reverse=True)
        self.seller_verb = _phrase_regex(cues["seller_verbs_en"])
        nouns = "|".join(
            re.escape(n) for n in sorted(cues["seller_nouns_en"], key=len, reverse=True)
        )
        # "X, the world's largest zinc smelter", "X, one of the biggest producers", "X, whose
        # output fell": the noun heads an apposition (no preposition on the way to it, so
        # "a partner with deep relationships with smelters" is no producer).
        free_word = r"(?:(?!(?:with|for|to|from|by|in|on|at|of)\b)[\w'’-]+\s+)"
        self.producer_apposition = re.compile(
            rf"^\s*(?:\([^)]*\)\s*)?(?:,\s*|\s+(?:is|was|remains|became)\s+)"
            # "X, China's largest listed antimony producer": a possessive is a determiner too
            rf"(?:(?:which|that)\s+is\s+)?(?:one\s+of\s+(?:the\s+)?"
            rf"|(?:the|a|an|its|whose|another|[A-Z][\w.-]*['’]s)\s+)"
            rf"{free_word}{{0,5}}?(?:{nouns})\b",
            re.I,
        )
        # "state miner Codelco", "developer Mount Nairn Lithium Ltd", "producers A and B"
        self.producer_before = re.compile(
            rf"\b(?:{nouns})\s+(?:[^.;:]{{0,40}}?\b(?:include|includes|included|including|"
            rf"such\s+as|are|were|like)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){{0,3}}?)?"
            rf"(?:[A-Z][^;:]{{0,120}}?(?:,\s+|\s+(?:and|&)\s+))?$"
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
        # "agreed to sell 25,000 tonnes a year of lithium hydroxide to X", "to A and B"
        self.sold_to_before = re.compile(
            r"\b(?:sell|sells|sold|selling|supply|supplies|supplied|supplying|deliver|delivers"
            r"|delivered|delivering|ship|ships|shipped|shipping|export|exports|exported|output)\b"
            r"(?:[^.;]|\.(?=\d)){0,150}?\bto\s+(?:the\s+)?"
            r"(?:[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*)*,?\s+(?:and|&)\s+)?$"
        )
        sites_pattern = "|".join(re.escape(n) for n in cues["own_site_nouns_en"])
        self.owner_possessive_after = re.compile(
            rf"^['’]s\s+(?:[\w%-]+\s+){{0,4}}?(?:{sites_pattern})\b", re.I
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
        self.buyer_apposition = re.compile(
            r"^\s*(?:,\s*|\s+(?:is|was)\s+)(?:the|a|an|its|one\s+of\s+the)\s+"
            r"(?:[\w'’-]+\s+){0,3}?(?:customer|customers|buyer|buyers|offtaker|client|clients)\b",
            re.I,
        )
        self.making_verb = re.compile(
            rf"{_phrase_regex(cues['making_verbs_en']).pattern}(?P<object>[^.;]{{0,50}})", re.I
        )
        sites = "|".join(re.escape(n) for n in cues["own_site_nouns_en"])
        # "Freeport-McMoRan Inc. is restarting its Grasberg mine": whoever runs a mine mines.
        self.own_site_after = re.compile(
            # "cut its forecast to 1.34 million tonnes, after an accident at its El Teniente
            # mine": a decimal point ends no sentence, an adverbial clause keeps the subject
            rf"^(?:[^.;,]|(?<=\d)[.,](?=\d)|,\s*(?:which|who|and|after|following|citing"
            rf"|because|due\s+to|as|while|when)\b|,\s*(?=[^,]{{0,80}},))"
            rf"{{0,160}}?\b(?:its|their|operates\s+the|runs\s+the|owns\s+the)\s+"
            rf"(?:[\w'’-]+\s+){{0,4}}?(?:{sites})\b",
            re.I,
        )
        awardee = "|".join(re.escape(c) for c in cues["awardee_list_cues_en"])
        # "the contracts went to A, $24.8 million ...; B, $18 million ...; and C": every
        # organisation after the cue in the sentence is an awardee.
        self.awardee_list = re.compile(rf"\b(?:{awardee})\b", re.I)
        self.buyer_subject = _phrase_regex(cues["buyer_subject_nouns_en"])
        # "the department extended its contract with Centrus": a buyer's counterparty sells.
        self.counterparty_before = re.compile(
            r"\b(?:contract|agreement|deal|partnership|order|arrangement)s?\s+with\s+(?:the\s+)?$",
            re.I,
        )
        # "won a $94 million contract from the US Space Force": the one after "from" pays.
        self.funder_before = re.compile(
            r"\b(?:contract|order|award|grant|loan|funding|investment|prepayment|financing)s?"
            r"\s+from\s+(?:the\s+)?$",
            re.I,
        )
        self.object_before = re.compile(
            r"\b(?:of|in|to|for|with|at|by|on|from|into|under|ahead of|than)\s+(?:the\s+)?$", re.I
        )
        self.passive_before = re.compile(r"\b(?:be|been|being|is|are|was|were)\s+$", re.I)
        self.not_org_after = re.compile(
            r"^\s+(?:" + "|".join(re.escape(w) for w in cues["not_org_after_en"]) + r")\b", re.I
        )
        # "its Kamoto and Mutanda operations", "at its Onsan complex": a site owned by someone.
        self.possessive_before = re.compile(r"\b(?:its|their|his|her|our)\s+$", re.I)
        self.site_pair_after = re.compile(
            r"^\s+(?:and|&)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?\s+(?:"
            + sites
            + r"|project|projects|plant|plants)\b",
            re.I,
        )
        # "CANBERRA, Nov 20 -", "FORT BELVOIR, Va. -": a dateline names a place.
        self.dateline = re.compile(
            r"^[A-Z][A-Z .'-]+(?:,\s*[A-Z][a-z]+\.?)?(?:,?\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?"
            r"\s*[-–—]",
            re.M,
        )
        # 'Kestrel Ridge Minerals Limited ("Kestrel Ridge" or "the Company")'
        self.defined_terms = re.compile(
            # after listings: 'Northcliff Tungsten Corp. (TSXV: NTC) (OTCQB: NCTWF) ("Northcliff")'
            r"\s*(?:\((?![^)]*[\"“])[^)]*\)\s*){0,3}\((?P<body>[^()]*[\"“][^()]*)\)"
        )
        self.quoted = re.compile(r"[\"“](?:the\s+)?(?P<term>[^\"”]{1,40})[\"”]", re.I)
        # "ammonium paratungstate (APT)": an acronym defined for a common noun phrase is a term.
        self.term_acronym = re.compile(r"(?<=[a-z])\s+\((?P<acr>[A-Z][A-Za-z0-9]{1,7})\)")
        # "Sociedad Química y Minera de Chile" when the model only saw "Minera de Chile"
        self.name_continues_left = re.compile(
            r"(?:[A-Z][\w'’-]*\s+)+(?:y|e|de|del|da|do|dos|das|la|von|van|der)\s+$"
        )
        # "between Codelco and Sociedad ...": a capitalised name coordinated with an organisation
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
        zh_nouns = "|".join(cues["zh_org_nouns_before_latin"])
        # "塔吉克斯坦矿企TALCO Gold", "韩国电池企业SK On": a Latin name right after a zh noun
        self.zh_latin_name = re.compile(
            rf"(?:{zh_nouns})(?P<name>[A-Z][A-Za-z0-9&'.-]*(?: [A-Z][A-Za-z0-9&'.-]*)*)"
        )

    # ------------------------------------------------------------------------------------
    def process(self, doc: Doc) -> None:
        mentions = self._mentions(doc)
        clusters = self._cluster(mentions)
        cluster_of = {id(m): i for i, cluster in enumerate(clusters) for m in cluster}
        for mention in mentions:
            mention.role = mention.role or self._role(doc, mention)
        for cluster in clusters:
            role = next((m.role for m in cluster if m.role and m.role != "supplier"), None)
            canonical = self._canonical(cluster)
            if doc.lang_ == "zh":
                evidence = [self._zh_evidence(doc, m) for m in cluster]
                supplier = role is None and (
                    "seller" in evidence
                    or "buyer" not in evidence
                    or any(m.source == "known" for m in cluster)
                )
            else:
                kinds = {self._supplier_context(doc, m, mentions, cluster_of) for m in cluster}
                strong = "strong" in kinds or any(
                    m.source in {"known", "award_line", "producer_noun"} for m in cluster
                )
                # a name like "Korea Zinc" is weaker than the sentence's own word: "Korea
                # Zinc will take 45,000 tonnes" and "sold 25 tonnes to Indium Corporation" buy
                named = self._named_for_mineral(doc, cluster)
                supplier = role is None and (
                    strong
                    or "weak" in kinds
                    or (named and not any(self._buyer_evidence(doc, m) for m in cluster))
                )
            for mention in cluster:
                mention.canonical = canonical
                mention.role = role or ("supplier" if supplier else "other")
                mention.supplier = supplier
        doc._.minwatch_orgs = mentions

    def _named_for_mineral(self, doc: Doc, cluster: list[OrgHit]) -> bool:
        """ "Jindalee Lithium Limited", in a text about lithium: a company named for a mineral
        the document discusses mines or sells it. A homonym ("Tin Roof Capital" in a lithium
        story) names no mineral found outside the organisation's own name."""
        if doc.lang_ == "zh" or any(marker in text_of(doc) for marker in self.notice_markers):
            return False
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        text = text_of(doc)
        names = [_words(m.text) for m in cluster]

        def heading_of_name(hit: MineralHit) -> bool:
            # "TIN LIZZIE BREWING" above "Tin Lizzie Brewing Co., the Denver craft brewer":
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
            # "控股股东关联方内蒙古包钢钢联股份有限公司": a relation phrase is no part of the name
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
        # Latin-script names in a Chinese text: "锂矿企业Liontown Resources Limited", and later
        # the short form "向Liontown采购".
        latin: list[OrgHit] = []
        for match in self.en_company.finditer(text):
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
            while words and (words[0] in self.leading_drop or words[0].isdigit()):
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            if words and words[0].endswith(("'s", "’s")) and _key(words[0][:-2]) in self.places:
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            name = text[start : match.end()]
            if start >= title_end and len(words) >= 2:
                # "Mitsubishi Corporation RtM Japan Ltd.": one name holds two suffix words
                previous = found[-1] if found else None
                if previous is not None and text[previous.end : start] == " ":
                    previous.end, previous.text = match.end(), text[previous.start : match.end()]
                    continue
                found.append(OrgHit(start, match.end(), name, "rule"))
        issuer = self._defined_terms(doc, found)
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
            start = self._after_place_possessive(text, start, end)  # "Belgium's Solvay won"
            if start >= title_end and not any(m.start < end and start < m.end for m in found):
                found.append(OrgHit(start, end, text[start:end], "rule"))
        for match in self.producer_noun_name.finditer(text):
            start, end = match.span("name")
            if start < title_end or any(m.start < end and start < m.end for m in found):
                continue
            if self._not_an_org(doc, start, end) or self.buyer_apposition.match(text[end:]):
                continue
            found.append(OrgHit(start, end, match.group("name"), "producer_noun"))
        for match in self.state_owned_name.finditer(text):
            # "Chile's state-owned Codelco": the model may take the name for a place
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
                # "from the Halls Creek Project\n- Seven-year term": the model ran over a line
                end = newline
            if self.location_before.search(text[max(0, start - 8) : start]):
                continue
            if self.site_after.match(text[end : end + 20]) or self.site_pair_after.match(
                text[end : end + 60]
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
                # "Kazakhstan's Kazatomprom"
                start, name = start + head.end(), name[head.end() :]
            left = self.name_continues_left.search(text[max(0, start - 60) : start])
            if left:
                start, name = start - len(left.group()), left.group() + name
            key = _key(name)
            lowercase = not re.match(r"[A-Z0-9]|[a-z]{1,3}[A-Z]", name)  # "commerce ministry"
            if key in self.not_orgs or lowercase or name in terms or key in sites:
                continue
            if self.site_tail.search(name):
                # "the Yalgoo Ionic Clay Project", "the Kemerton Refinery": a site, not its owner
                continue
            if key == "company":
                if issuer is not None:
                    found.append(OrgHit(start, end, name, "ner"))
                continue
            if self._not_an_org(doc, start, end):
                continue
            # a name the gazetteer knows ("TSX" in "(TSX: VNP)") keeps its gazetteer standing
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
        for match in self.award_line.finditer(text):
            name = self._award_line_name(match.group("name"))
            if name and _key(name) not in self.not_orgs:
                start = match.start("name")
                found.append(OrgHit(start, start + len(name), name, "award_line"))
        return found

    def _award_line_name(self, value: str) -> str:
        """The company in an award line's value. Notices add the awardee's address and
        registry numbers ("ACME METALS LLC, Marion, KY 42064 USA (UEI: M3Q...)"): the name
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
        """Quoted short forms defined after a name ("Kestrel Ridge" or "the Company") become
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
            # a newswire's dateline ("(Newsfile Corp. - March 4, 2025)") names no issuer
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
        """Names the text gives to a mine, project or plant ("its Sangdong mine"): elsewhere in
        the text the bare name ("Sangdong, one of the largest deposits") is the site too."""
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
        if text[start - 1 : start] == "(" and self.listing_after.match(text, end):
            return True
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
        """Group a document's mentions of one organisation ("USAC" -> its full name)."""
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
            # "the data provider Shanghai Metals Market": the noun directly precedes the name.
            found = list(nouns.finditer(tail))
            if found and len(tail) - found[-1].end() <= 2:
                return role
        return None

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
        if self.buyer_apposition.match(after):
            return None
        mineral_before = any(
            sent_start <= h.start < mention.start for h in doc._.minwatch_minerals or []
        )
        if (
            self.seller_before.search(before)
            and not self.funder_before.search(before)
            and (self.purchase_cue.search(sentence) or mineral_before)
        ):
            return "strong"
        if self.awarded_to_before.search(before):
            return "strong"
        if self.awardee_list.search(before) and self.purchase_cue.search(sentence):
            return "strong"
        # "X won a $50 million contract to provide links": an award for no mineral supplies none
        mineral_in_sentence = any(
            sent_start <= h.start < sent_end for h in doc._.minwatch_minerals or []
        )
        if (
            self.winner_after.match(after)
            and self.purchase_cue.search(sentence)
            and mineral_in_sentence
        ):
            return "strong"
        if self.producer_before.search(before) or self.producer_apposition.match(after):
            return "strong"
        if self.counterparty_before.search(before) and self._buyer_earlier(
            doc, mention, mentions, sent_start
        ):
            return "strong"
        if self._subject_of(doc, mention, mentions, cluster_of, sent_end):
            return "strong"
        # "Kalbarri Rare Earths Ltd's planned refinery", "Almonty's Sangdong mine"
        if self.owner_possessive_after.match(after):
            return "weak"
        site = self.own_site_after.match(after)
        # "agreed to sell ... to General Motors Co. from its planned refinery": "its" is the
        # subject's; the object of a preposition runs no site
        # ("to German defence group Rheinmetall AG": a few words may come between)
        object_of = self.object_before.search(before[-20:]) or self.buyer_before.search(before)
        if (
            site is None
            or object_of
            or self._org_between(
                mention, mentions, cluster_of, mention.end, mention.end + site.end()
            )
        ):
            return None
        return "weak"

    def _buyer_evidence(self, doc: Doc, mention: OrgHit) -> bool:
        """The sentence makes the organisation a buyer: the one sold to ("sold 25 tonnes of
        indium to X", "output to A and B"), the subject of a buying verb ("X will take 45,000
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
        cobalt, ...", "X has executed a binding offtake agreement with Y" (the nearest
        organisation before the verb; passives such as "to be produced" do not count)."""
        text = text_of(doc)
        # "ahead of the Fed statement, which is expected to deliver": after a preposition the
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
        # "the partnership between Codelco and SQM to produce lithium": coordinated subjects
        for partner in sorted(mentions, key=lambda m: m.start):
            if partner.start >= lo and re.fullmatch(
                r"\s*(?:\([^)]*\)\s*)?,?\s+(?:and|&)\s+", text[lo : partner.start]
            ):
                lo = partner.end
                apposition = re.match(r"\s*\([^)]*\)", text[lo:sent_end])
                lo += apposition.end() if apposition else 0
        for pattern, needs_mineral in ((self.seller_verb, False), (self.making_verb, True)):
            for verb in pattern.finditer(text, mention.end, sent_end):
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
                # "Hanwa will purchase MREC produced at Yalgoo", "Clarios agreed to buy refined
                # lead from Ozark": the subject's own verb buys; a later selling word is another's
                if self.buyer_verb.search(text, mention.end, verb.start()):
                    return False
                tail = text[verb.end() : verb.end() + 60]
                if self.noun_use_after.match(tail) and verb.group().lower() == "supplies":
                    continue  # "contracts for combat rations and medical supplies."
                if self.sold_other_after.match(tail):
                    continue  # "sold a 25% stake in its data-center business"
                # "X signed an offtake agreement with Tanzanian developer Y": Y sells, X buys
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


# Roles that never take part in a deal: they do not stand between a seller and its verb.
_BYSTANDERS = {
    "exchange",
    "media",
    "price_agency",
    "bank",
    "law_firm",
    "data_provider",
    "regulator",
}


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
        if compact.lower() in {initials, initials_core, long_words[0]}:
            return True
        # "(USAC)" right after the full name; not "(ASX: MVM)", a listing
        return 0 <= long.end <= short.start <= long.end + 3 and short.source != "gazetteer"
    if short_words == long_words:
        # "Albemarle" and "Albemarle Corporation", "Korea Zinc" and "Korea Zinc Co., Ltd."
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
