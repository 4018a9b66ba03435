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
    data_files = ("organizations.json", "cues.json")

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
        name_word = r"(?:[A-Z][\w&'’-]*|\d+)"
        self.en_company = re.compile(
            rf"(?<![\w-]){name_word}(?:[ \t]+(?:{name_word}|&|of|and|for|de|du))*?"
            rf"(?:,?[ \t]+(?:{suffixes}))+(?![\w])"
        )
        zh_suffixes = "|".join(orgs["zh_company_suffixes"])
        self.zh_company = re.compile(rf"[\u4e00-\u9fff（）()]{{2,40}}?(?:{zh_suffixes})")
        self.zh_breakers = orgs["zh_name_prefix_breakers"]
        self.location_before = re.compile(r"\b(?:at|in|near|from|of)\s+$")
        self.zh_alias = re.compile(
            r"[（(]以下简称[“\"「]?(?P<alias>[^”\"」）)]{2,12})[”\"」]?[）)]"
        )
        self.supplier_cue = _phrase_regex(cues["supplier_en"])
        self.buyer_after = _phrase_regex(cues["buyer_after_org_en"])
        labels = "|".join(re.escape(label) for label in cues["award_line_labels"])
        self.award_line = re.compile(rf"^(?:{labels})\s*:\s*(?P<name>.+?)\s*$", re.M)
        # "Umicore, the Belgian materials group that ..." names a company by apposition.
        self.apposition = re.compile(
            r"(?:^|(?<=[.!?]\s))(?P<name>[A-Z][\w&'’-]*(?:[ \t][A-Z][\w&'’-]*){0,3}),\s+"
            r"(?:the|a|an)\s+[^,.;]{0,60}?\b(?:group|company|firm|producer|miner|refiner|maker"
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
            r"(?:[A-Z][\w'’-]*\s+){0,2}"
            r"(?:[A-Z][^,;]{0,60}?\s+(?:and|&)\s+)?$"
        )
        self.purchase_cue = re.compile(
            r"\b(?:buy|buys|bought|purchas\w*|order\w*|contract\w*|"
            r"award\w*|acquir\w*|procur\w*|offtake)\b",
            re.I,
        )
        self.buyer_before = re.compile(r"\b(?:to|with|for)\s+(?:[\w'’.-]+\s+){0,3}$")
        # "... awarded X a $14 million contract", "X won a $9.6 million contract", "X received
        # $4.1 million for 190 tonnes": the organisation right before is the awardee.
        self.winner_after = re.compile(
            r"^\s*(?:,[^,]{0,60},\s*)?(?:(?:has\s+|have\s+)?(?:won|wins|received|receives|"
            r"secured|secures|landed|lands)\b|(?:was|were|has been|had been)\s+awarded\b"
            r"|an?\s+(?:US)?\$\s?\d[\d.,]*\s*(?:million|billion|m|bn)?\s+"
            r"(?:contract|order|award|deal)\b)"
        )
        # "awarded a five-year ... contract worth up to $245 million to United States Antimony"
        self.awarded_to_before = re.compile(r"\bawarded\b[^.;:]{0,120}?\bto\s+(?:the\s+)?$")
        # "its Pine Hollow project": a named site, not an organisation.
        self.site_after = re.compile(
            r"^\s+(?:project|mine|mines|deposit|plant|operation|operations|site|refinery|"
            r"smelter|prospect|property|district|basin|field)\b",
            re.I,
        )
        prefixes = "|".join(re.escape(p) for p in orgs["corporate_prefixes"])
        self.en_prefixed_company = re.compile(
            rf"(?<![\w-])(?:{prefixes})[ \t]+[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){{0,4}}"
        )

    # ------------------------------------------------------------------------------------
    def process(self, doc: Doc) -> None:
        mentions = self._mentions(doc)
        clusters = self._cluster(mentions)
        for mention in mentions:
            mention.role = mention.role or self._role(doc, mention)
        for cluster in clusters:
            role = next((m.role for m in cluster if m.role and m.role != "supplier"), None)
            canonical = self._canonical(cluster)
            supplier = role is None and (
                any(
                    m.source in {"known", "award_line"} or self._supplier_context(doc, m)
                    for m in cluster
                )
                or self._named_for_mineral(doc, cluster)
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
        outside = {
            c
            for h in minerals
            if not any(m.start <= h.start < m.end for m in cluster)
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
        title_end = doc._.minwatch_title_end
        found: list[OrgHit] = []
        if doc.lang_ == "zh":
            for match in self.zh_company.finditer(text):
                start = match.start()
                name = match.group()
                cut = max(name.rfind(ch) for ch in self.zh_breakers)
                if cut >= 0:
                    start += cut + 1
                    name = name[cut + 1 :]
                if len(name) > 4:
                    found.append(OrgHit(start, match.end(), name, "rule"))
            for match in self.zh_alias.finditer(text):
                owner = next((m for m in reversed(found) if m.end <= match.start()), None)
                if owner is not None:
                    owner.aliases.append(match.group("alias"))
                    for alias in re.finditer(re.escape(match.group("alias")), text):
                        if alias.start() > match.end():
                            found.append(OrgHit(alias.start(), alias.end(), alias.group(), "rule"))
        else:
            for match in self.en_company.finditer(text):
                start, name = match.start(), match.group()
                words = name.split()
                while words and words[0] in self.leading_drop:
                    start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
                    words = words[1:]
                name = text[start : match.end()]
                if start >= title_end and len(words) >= 2:
                    found.append(OrgHit(start, match.end(), name, "rule"))
            for match in self.en_prefixed_company.finditer(text):
                start = match.start()
                overlapping = any(m.start < match.end() and start < m.end for m in found)
                if start >= title_end and not overlapping:
                    found.append(OrgHit(start, match.end(), match.group(), "rule"))
            for match in self.apposition.finditer(text):
                start, end = match.span("name")
                if start >= title_end and not any(m.start <= start < m.end for m in found):
                    found.append(OrgHit(start, end, match.group("name"), "rule"))
            for match in self.bare_winner.finditer(text):
                start, end = match.span("name")
                if start >= title_end and not any(m.start < end and start < m.end for m in found):
                    found.append(OrgHit(start, end, match.group("name"), "rule"))
            for start, end in doc._.minwatch_ner_orgs or []:
                if self.location_before.search(text[max(0, start - 8) : start]):
                    continue
                if self.site_after.match(text[end : end + 20]):
                    continue
                if any(m.start <= start < m.end or start <= m.start < end for m in found):
                    continue
                name = text[start:end]
                if name.lower().startswith("the "):
                    start, name = start + 4, name[4:]
                if name.endswith(("'s", "’s")):
                    end, name = end - 2, name[:-2]
                if _key(name) in self.not_orgs or not name[:1].isalnum():
                    continue
                found.append(OrgHit(start, end, name, "ner"))
            for match in self.award_line.finditer(text):
                name = match.group("name").strip()
                if name and _key(name) not in self.not_orgs:
                    found.append(OrgHit(match.start("name"), match.end("name"), name, "award_line"))
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

    def _supplier_context(self, doc: Doc, mention: OrgHit) -> bool:
        if mention.start < doc._.minwatch_title_end or mention.start < 0:
            return False
        sent_start, sent_end = sentence_bounds(doc, mention.start)
        if doc.lang_ == "zh":
            return True
        if any(marker in text_of(doc) for marker in self.notice_markers):
            # in a notice only the awardee supplies; other names are offices or countries
            return False
        sentence = text_of(doc)[sent_start:sent_end]
        before = text_of(doc)[sent_start : mention.start]
        if self.seller_before.search(before) and self.purchase_cue.search(sentence):
            return True
        if self.awarded_to_before.search(before):
            return True
        if self.winner_after.match(text_of(doc)[mention.end : sent_end]) and (
            self.purchase_cue.search(sentence)
        ):
            return True
        if not self.supplier_cue.search(sentence):
            return False
        if self.buyer_before.search(before):
            return False
        after = text_of(doc)[mention.end : min(mention.end + 60, sent_end)]
        return not self.buyer_after.match(
            re.sub(r"^\s*(?:\([^)]*\)\s*)?(?:already|also)?\s*", "", after)
        )


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
        if compact.lower() in {initials, initials_core}:
            return True
        # "(USAC)" right after the full name
        return 0 <= long.end <= short.start <= long.end + 3
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
