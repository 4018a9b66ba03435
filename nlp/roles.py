"""`minwatch_supplier_roles`: which organisations of a document supply a mineral.

The rule component (`minwatch_suppliers`) reads sellers where a construction it knows marks
them; on text written in other ways it misses most of them. This component decides the role of
every organisation the document names, from the rules' verdict and from the language around
each name, with a linear model trained on the annotated documents
(`python -m minwatch.nlp.train_roles`, see docs/extraction.md). Its candidates are the rules'
mentions and every name the statistical NER found in the sentences it read, whatever label the
small model gave it (it calls unknown companies places or people).

The weights are a data file pinned by its SHA-256 in this component's config, so a retrained
model is adopted by a reviewed change, never by a file silently replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from minwatch.nlp.base import (
    ORG_SPANS,
    AmountHit,
    MineralHit,
    OrgHit,
    PinnedModelComponent,
    before_possessive,
    phrase_regex,
    sentence_bounds,
    text_of,
    trader_object_regex,
)
from minwatch.nlp.facts import ProcurementLine
from minwatch.nlp.names import officer_after
from minwatch.nlp.org_roles import sold_to
from minwatch.nlp.organizations import _same_org
from minwatch.nlp.procurements import DESCRIBED_SOURCE, mentioned_at
from minwatch.nlp.rulebook import FIRED

MODEL_FILE = "supplier_roles.json"
# Pinned: a model file with another digest is refused (retrain, review, then update this).
MODEL_SHA256 = "b464d7540016c4439143a90e8459eeb4d504b9cfeef4ade8e24c7931f3c568c2"
FEATURES_FILE = "role_features.json"
# its places and other names that are no organisation: never a company's short form
PLACES_FILE = "organizations.json"
CUES_FILE = "cues.json"  # the words that withhold a deal's seller ("an undisclosed company")
SUPPLIER_CUES_FILE = "supplier_cues.json"  # its traders' nouns

# Entity labels that never name an organisation.
_NOT_NAMES = frozenset(
    {"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL", "LANGUAGE", "LAW"}
)
# The rules' verdicts the model may overturn; any other role ("buyer", "regulator") stands.
_OPEN_ROLES = frozenset({"supplier", "other", None})
# a record below called the organisation a buyer
_CALLED_A_BUYER = "rule:called_a_buyer"
_BUYING_EVIDENCE = frozenset(
    {
        "ev:buyer_evidence",
        "ev:buying_side",
        "ev:buyer_term",
        "S:only_beside_seller",
        _CALLED_A_BUYER,
    }
)
# the rule records that call the organisation a customer or a maker of goods from minerals in
# apposition ("X, the country's biggest carmaker,"): it buys, whatever the model reads (a noun
# before the name, "steel giant X", is weaker: a steelmaker may sell its slag)
_BUYER_RECORDS = frozenset(
    {
        "not_seller.customer_apposition",
        "not_seller.consumer_apposition",
        # (one that signs with "a Canadian lithium provider")
        "not_seller.signer_with_a_seller_of_a_kind",
        # (the party a miner's offtake is signed with)
        "not_seller.offtaker_of_a_miners_offtake",
        # (the one a tender that sells is awarded to)
        "not_seller.awardee_of_a_sale_tender",
    }
)
# the name's own verb buys ("ACC will receive 60kt of anode material")
_BUYING_VERBS = frozenset(
    f"V+:{verb}"
    for verb in (
        "buy", "buys", "bought", "purchase", "purchases", "purchased",
        "import", "imports", "imported",
    )
)  # fmt: skip
_MINERAL_TIES = frozenset({"S:mineral", "shape:industry"})
# called a trader ("Swiss trader X", "X, a commodities trader"): in a mineral deal a trader
# takes the producer's output, so the model alone makes no seller of it
# (a distributor or wholesaler likewise buys to sell on)
_TRADER = frozenset(
    f"{where}:{noun}"
    for where in ("P1", "APPOS")
    for noun in ("trader", "traders", "distributor", "distributors", "wholesaler")
)
# named as the trader a deal goes to or is made with ("an offtake with commodity trading house X")
_TRADER_OBJECT = "S:trader_object"
_CONSUMER_NAME = "shape:consumer"
# Named only as a quoted officer's employer ("X (ASX: XR) executive chairman Y said the
# purchase would lift prices"): a voice in the story, no party to its deal by that alone
_ONLY_A_VOICE = "S:only_officer_employer"
# named only as another party's owner ("Y, a subsidiary of X"): a parent in passing
_ONLY_AN_OWNER = "ev:owner_only"
_WORD = re.compile(r"[^\W_][\w&'-]*")
_LEADING_THE = re.compile(r"(?:the|The)\s+")
# "Penrose Mineral Resources (PMR)": the short form the text defines right after a name
_SHORT_FORM_AFTER = re.compile(r"[ \t]*\((?P<short>[A-Z][\w&.-]{0,11})\)")
# The scorer's convention for one company's name (README of the evaluation set), used to
# join a candidate with its other mentions and, in training, with the annotation.
_KEY_SUFFIXES = frozenset(
    [
        "inc",
        "corp",
        "corporation",
        "co",
        "ltd",
        "llc",
        "plc",
        "sa",
        "ag",
        "gmbh",
        "limited",
        "company",
    ]
)


@lru_cache(maxsize=8192)  # asked for every pair of mentions (see _home)
def name_key(name: str) -> str:
    text = name.casefold().replace(".", "").strip()
    words = re.sub(r"[^\w&\s-]", " ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while words and words[-1] in _KEY_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class Candidate:
    """One organisation of a document: its mentions and the features the model reads."""

    name: str
    mentions: tuple[OrgHit, ...]
    features: frozenset[str]
    rule_supplier: bool


@Language.factory(
    "minwatch_supplier_roles",
    default_config={"model_file": MODEL_FILE, "model_sha256": MODEL_SHA256, "threshold": None},
)
def make_supplier_roles(
    nlp: Language,
    name: str,
    *,
    model_file: str,
    model_sha256: str,
    threshold: float | None,
) -> SupplierRoles:
    return SupplierRoles(
        nlp, name, model_file=model_file, model_sha256=model_sha256, threshold=threshold
    )


class SupplierRoles(PinnedModelComponent):
    data_files = (FEATURES_FILE, PLACES_FILE, CUES_FILE, SUPPLIER_CUES_FILE)
    pinned_in = "nlp/roles.py"

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        model_file: str = MODEL_FILE,
        model_sha256: str = MODEL_SHA256,
        threshold: float | None = None,
    ) -> None:
        super().__init__(
            nlp, name, model_file=model_file, model_sha256=model_sha256, threshold=threshold
        )
        # Training sets this to see every candidate before the model decides (or without one).
        self.collect: Callable[[Doc, list[Candidate]], None] | None = None
        self.enabled = True

    def compile(self) -> None:
        lexicon = self.data[FEATURES_FILE]
        # "the United States" is no short form of "United States Antimony Corp."
        names = self.data[PLACES_FILE]
        self.places = frozenset(
            name_key(p) for p in [*names["places"], *names["not_organizations"]]
        )
        self.suffixes = frozenset(lexicon["corporate_suffixes"])
        self.industry_words = frozenset(lexicon["industry_words"])
        self.mineral_name_words = frozenset(lexicon["mineral_name_words"])
        self.institution_words = frozenset(lexicon["institution_words"])
        # "Kelso's Global Procurement Company": a buyer's own purchasing arm, never a seller
        self.buying_unit_words = frozenset(lexicon["buying_unit_words"])
        self.window = int(lexicon["context_window"])
        self.officer_after = officer_after(lexicon["officer_titles"])
        # "from an undisclosed company": a line whose seller the text withholds
        self.withheld = phrase_regex(self.data[CUES_FILE]["unnamed_source_en"])
        self.trader_object = trader_object_regex(self.data[SUPPLIER_CUES_FILE]["trader_nouns_en"])
        self.exploration = phrase_regex(lexicon["exploration_words"])
        self.deal_words = phrase_regex(lexicon["deal_words_beside_exploration"])
        # ("Orsa Motors", "Halden Steel": a maker of goods made from minerals, by its name)
        self.consumer_words = frozenset(
            w.casefold() for w in self.data[SUPPLIER_CUES_FILE]["consumer_name_words_en"]
        )
        self.skip_words = frozenset(lexicon["skip_words"])
        self.determiners = frozenset(lexicon["determiners"])
        self.prepositions = frozenset(lexicon["prepositions"])
        model = self.read_model(0.5)
        self.keep_threshold = float(model["keep_threshold"]) if model else 0.2

    def process(self, doc: Doc) -> None:
        if doc.lang_ != "en":
            # Chinese texts name their parties in fixed frames the rules read
            self._spans(doc, doc._.minwatch_orgs or [], {})
            return
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        text = text_of(doc)
        candidates = self.candidates(doc, orgs)
        if self.collect is not None:
            self.collect(doc, candidates)
        if not self.enabled or not self.weights:
            self._spans(doc, orgs, {})
            return
        added: list[OrgHit] = []
        belief: dict[int, float] = {}
        demoted: set[str] = set()
        promoted: list[Candidate] = []
        # a name a line gives as its supplier (a notice's awardee) stays one of the document's
        on_lines = {name_key(s) for line in doc._.minwatch_lines or () for s in line.suppliers}
        # (read only when the model would make a seller the rules did not)
        exploring: bool | None = None
        for candidate in candidates:
            probability = self.probability(candidate.features)
            # a role the rules read from a name list or a noun ("the data provider X") is
            # theirs to keep; the model decides between seller and other
            vetoed = any(m.role not in _OPEN_ROLES for m in candidate.mentions) or bool(
                self.buying_unit_words & {w.casefold() for w in _WORD.findall(candidate.name)}
            )
            supplier = decide(
                probability,
                candidate.features,
                candidate.rule_supplier,
                threshold=self.threshold,
                keep_threshold=self.keep_threshold,
            ) and (candidate.rule_supplier or not _only_deal_counterparty(text, candidate))
            key = name_key(candidate.name)
            if candidate.rule_supplier and not supplier:
                demoted.add(key)  # and off the lines that named it, below
            supplier = not vetoed and (
                supplier or (key in on_lines and not candidate.rule_supplier)
            )
            # (an explorer's drill results sell nothing: only the rules' sellers stay)
            if supplier and not candidate.rule_supplier:
                if exploring is None:
                    exploring = self._exploration_news(doc)
                supplier = not exploring
            if supplier and not candidate.rule_supplier:
                promoted.append(candidate)
            belief.update((id(m), probability) for m in candidate.mentions)
            for mention in candidate.mentions:
                if mention.source == "entity":
                    # a name only the model read becomes an organisation mention when it
                    # supplies; the rest ("SAT", a place) stay what the rules made of them
                    if supplier:
                        mention.canonical = candidate.name
                        mention.role = "supplier"
                        added.append(mention)
                elif mention.role in _OPEN_ROLES:
                    mention.role = "supplier" if supplier else "other"
                mention.supplier = supplier
        doc._.minwatch_orgs = sorted([*orgs, *added], key=lambda m: m.start)
        if demoted and doc._.minwatch_lines:
            # a line's supplier is one of the document's: a seller the model overturned
            # leaves the lines too
            doc._.minwatch_lines = [
                replace(
                    line,
                    suppliers=tuple(s for s in line.suppliers if name_key(s) not in demoted),
                )
                for line in doc._.minwatch_lines
            ]
        if promoted and doc._.minwatch_lines:
            doc._.minwatch_lines = self._sellers_of_lines(doc, promoted)
        if doc._.minwatch_open_deals:
            doc._.minwatch_lines = self._open_deal_lines(doc)
        self._spans(doc, doc._.minwatch_orgs, belief)

    def _exploration_news(self, doc: Doc) -> bool:
        """Whether the text reports exploration in two ways or more and no deal at all."""
        text = text_of(doc)
        if doc._.minwatch_lines or doc._.minwatch_open_deals or self.deal_words.search(text):
            return False
        found = {m.group().casefold() for m in self.exploration.finditer(text)}
        return len(found) >= 2

    def _open_deal_lines(self, doc: Doc) -> list[ProcurementLine]:
        """The lines with the figure-less deal sentences the rules found no seller in, where
        the sentence names one of the document's sellers as decided now ("X also secured a
        nickel offtake contract from trader Y", X named by its short form). Per mineral: a new
        line of that seller when the document has none of the mineral; the seller of the one
        line of the mineral that names none (the deal its figures came from); else nothing
        (another seller's deal of the mineral makes this one's reading unsure)."""
        text = text_of(doc)
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        sellers = list(dict.fromkeys(o.canonical or o.text for o in orgs if o.supplier))
        lines: list[ProcurementLine] = list(doc._.minwatch_lines or [])
        for lo, hi, minerals in doc._.minwatch_open_deals:
            sentence = text[lo:hi]
            inside = {o.canonical or o.text for o in orgs if o.supplier and lo <= o.start < hi} or {
                name for name in sellers if mentioned_at(sentence, lo, name, []) is not None
            }
            if len(inside) != 1:
                continue  # no seller, or several: whose deal it is stays unread
            (seller,) = inside
            for mineral in minerals:
                same = [i for i, line in enumerate(lines) if line.mineral == mineral]
                if not same:
                    lines.append(
                        ProcurementLine(
                            mineral=mineral, suppliers=(seller,), sentence=sentence.strip()
                        )
                    )
                elif len(same) == 1 and not lines[same[0]].suppliers:
                    lines[same[0]] = replace(lines[same[0]], suppliers=(seller,))
        return lines

    def _sellers_of_lines(self, doc: Doc, promoted: list[Candidate]) -> list[ProcurementLine]:
        """A line the rules left without a seller, or gave one its sentence does not name (the
        document's main seller), takes the one seller the model found in its sentence
        ("Automaker X signed a $300 million lithium supply deal with Y"), unless the sentence
        says its seller is not named; a line whose sentence names no seller at all is the
        deal of the seller the lead is about (`_lead_seller`), where there is one."""
        text = text_of(doc)
        lead = self._lead_seller(doc)
        lines: list[ProcurementLine] = []
        for line in doc._.minwatch_lines:
            sentence = line.sentence or ""
            found = text.find(sentence) if sentence else -1
            stated = any(s.split()[0] in sentence for s in line.suppliers if s)
            # (a seller the text withholds, or describes without a name, is none of these)
            if (
                stated
                or found < 0
                or self.withheld.search(sentence)
                or DESCRIBED_SOURCE.search(sentence)
            ):
                lines.append(line)
                continue
            if line.suppliers and lead is not None and lead not in line.suppliers:
                # the rules gave the line their first seller, which may be one the text
                # names in passing; the company the lead is about, a seller as decided now,
                # is the one whose deal a sentence naming nobody tells
                lines.append(replace(line, suppliers=(lead,)))
                continue
            end = found + len(sentence)
            inside = {
                c.name
                for c in promoted
                for m in c.mentions
                if m.start >= 0 and found <= m.start < end
            }
            # (a sum with no mass is as often an investment or a grant: it takes no seller)
            money_only = line.usd is not None and line.tonnes is None
            if (
                not inside
                and not line.suppliers
                and not money_only
                and self._one_seller_only(doc, found, end)
            ):
                # "The contract is for 8,000 tonnes a year": a sentence naming nobody
                # tells the deal of the document's one seller, as the rules' own lines do
                inside = {promoted[0].name} if len(promoted) == 1 else set()
            lines.append(replace(line, suppliers=(inside.pop(),)) if len(inside) == 1 else line)
        return lines

    @staticmethod
    def _lead_seller(doc: Doc) -> str | None:
        """The seller the document is about: named first, in its lead sentence, and named
        again."""
        orgs = [m for m in doc._.minwatch_orgs or [] if m.start >= 0]
        if not orgs:
            return None
        title_end = doc._.minwatch_title_end
        body = next((m for m in orgs if m.start >= title_end), None)
        lead_end = sentence_bounds(doc, body.start)[1] if body is not None else title_end
        first = min(orgs, key=lambda m: m.start)
        if not first.supplier or first.start >= lead_end:
            return None
        name = first.canonical or first.text
        # (named again, in the title or the body, by its name or its first word)
        head = re.escape(name.split()[0])
        times = len(re.findall(rf"(?<![\w-]){head}(?![\w-])", text_of(doc)))
        return name if times >= 2 else None

    @staticmethod
    def _one_seller_only(doc: Doc, start: int, end: int) -> bool:
        """The sentence names no seller (a buyer at most: "Orsa will spend $10 million to
        import 750,000 tonnes") and is no call for offers ("plans to buy"), and the document
        has one seller."""
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        sellers = {name_key(m.canonical or m.text) for m in orgs if m.supplier}
        return (
            len(sellers) == 1
            and not any(start <= m.start < end and m.supplier for m in orgs)
            and _OPEN_PURCHASE.search(text_of(doc), start, end) is None
        )

    @staticmethod
    def _spans(doc: Doc, orgs: list[OrgHit], belief: dict[int, float]) -> None:
        """The organisations as spaCy spans, so a rule and a model are read the same way."""
        spans = []
        for org in orgs:
            if org.start < 0:
                continue  # a name known from elsewhere (a notice's awardee), not in the text
            span = doc.char_span(
                org.start,
                org.end,
                label="SUPPLIER" if org.supplier else "ORG",
                alignment_mode="expand",
            )
            if span is None:
                continue
            span._.minwatch_role = org.role
            span._.minwatch_supplier_probability = belief.get(id(org))
            span._.minwatch_canonical = org.canonical or org.text
            spans.append(span)
        doc.spans[ORG_SPANS] = spans

    # -- candidates and their features ----------------------------------------------------
    def candidates(self, doc: Doc, orgs: list[OrgHit]) -> list[Candidate]:
        """The organisations the model weighs: the rules' mentions grouped by name, and the
        names only the statistical NER found. (A short form the rules knew alone is joined
        to the full name defined before it, on the lines too.)"""
        groups: dict[str, list[OrgHit]] = {}
        for org in orgs:
            groups.setdefault(org.canonical or org.text, []).append(org)
        labels: dict[str, set[str]] = {name: set() for name in groups}
        renamed: dict[str, str] = {}
        entities: list[tuple[int, int, str]] = doc._.minwatch_entities or []
        text = text_of(doc)
        for start, end, label in entities:
            if label in _NOT_NAMES:
                continue
            start, end = _trim(text, start, end)
            if end - start < 2:
                continue
            hit = OrgHit(start, end, text[start:end], "entity")
            home = self._home(groups, hit, short_form=name_key(hit.text) not in self.places)
            if home is None:
                groups[hit.text] = [hit]
                labels[hit.text] = {label}
                # the rules' mentions of the short form defined right after the name are
                # this name's ("Penrose Mineral Resources (PMR)" when the rules knew only "PMR")
                defined = _SHORT_FORM_AFTER.match(text, end)
                short = defined.group("short") if defined else None
                # (not when the entity is the tail of a longer name: "Orsa Paints,
                # Coatings and Resins (OPCR)")
                tail = _NAME_LIST_BEFORE.search(text, max(0, start - 40), start)
                if short and short in groups and short != hit.text and tail is None:
                    for mention in groups.pop(short):
                        mention.canonical = hit.text
                        groups[hit.text].append(mention)
                    labels[hit.text] |= labels.pop(short)
                    renamed[short] = hit.text
                continue
            labels[home].add(label)
            if not any(m.start < end and start < m.end for m in groups[home]):
                groups[home].append(hit)
        candidates = []
        for name, mentions in groups.items():
            mentions.sort(key=lambda m: m.start if m.start >= 0 else 10**9)
            features = self.features(doc, name, mentions, labels[name])
            candidates.append(
                Candidate(
                    name=name,
                    mentions=tuple(mentions),
                    features=frozenset(features),
                    rule_supplier=any(m.supplier for m in mentions),
                )
            )
        if renamed and doc._.minwatch_lines:
            doc._.minwatch_lines = [
                replace(line, suppliers=tuple(renamed.get(s, s) for s in line.suppliers))
                for line in doc._.minwatch_lines
            ]
        return candidates

    @staticmethod
    def _home(
        groups: dict[str, list[OrgHit]], hit: OrgHit, *, short_form: bool = True
    ) -> str | None:
        key = name_key(hit.text)
        for name, mentions in groups.items():
            for mention in mentions:
                if mention.start < hit.end and hit.start < mention.end and mention.start >= 0:
                    return name  # the same words, whatever their bounds
                if name_key(mention.text) == key or (short_form and _same_org(hit, mention)):
                    return name
        return None

    def features(self, doc: Doc, name: str, mentions: list[OrgHit], labels: set[str]) -> set[str]:
        features = {f"ner:{label}" for label in labels}
        ruled = [m for m in mentions if m.source != "entity"]
        if ruled:
            features.add("rule")
            if any(m.supplier for m in ruled):
                features.add("rule:supplier")
            features.update(f"role:{m.role}" for m in ruled if m.role)
            features.update(f"src:{m.source}" for m in ruled)
            features.update(f"ev:{e}" for m in ruled for e in m.evidence)
            spans = {(m.start, m.end) for m in ruled}
            if any(
                record in _BUYER_RECORDS and (start, end) in spans
                for record, start, end in doc.user_data.get(FIRED, ())
            ):
                features.add(_CALLED_A_BUYER)
        elif any(sold_to(doc, m) for m in mentions):
            # (a name only the model read is a buyer where the goods go to it, as the rules'
            # mentions are: "supply its partner X with cobalt")
            features.add("ev:buyer_evidence")
        features |= self._shape(name)
        features.add(f"count={min(len(mentions), 4)}")
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        title_end = doc._.minwatch_title_end
        own = name_key(name)
        sellers = [
            o
            for o in doc._.minwatch_orgs or []
            if o.supplier and o.start >= 0 and name_key(o.canonical or o.text) != own
        ]
        placed = [m for m in mentions if m.start >= 0]
        beside_seller = 0
        for mention in placed:
            lo, hi = sentence_bounds(doc, mention.start)
            beside_seller += any(lo <= o.start < hi for o in sellers)
        body = [m for m in placed if m.start >= title_end]
        text = text_of(doc)
        if body and all(self.officer_after.match(text, m.end, m.end + 80) for m in body):
            features.add(_ONLY_A_VOICE)
        # ("an offtake with commodity trading house X": the trader the deal is made with)
        if any(self.trader_object.search(text, max(0, m.start - 60), m.start) for m in body):
            features.add(_TRADER_OBJECT)
        # the other party of a sentence whose seller the rules found is its counterparty
        if placed and beside_seller == len(placed):
            features.add("S:only_beside_seller")
        elif beside_seller:
            features.add("S:beside_seller")
        for mention in mentions:
            if mention.start < 0:
                continue
            if mention.start < title_end:
                features.add("intitle")
            lo, hi = sentence_bounds(doc, mention.start)
            if any(lo <= m.start < hi for m in minerals):
                features.add("S:mineral")
            if any(lo <= a.start < hi and a.kind == "money" for a in amounts):
                features.add("S:money")
            if any(lo <= a.start < hi and a.kind != "money" for a in amounts):
                features.add("S:mass")
            features |= self._context(doc, mention, lo, hi)
        return features

    def _shape(self, name: str) -> set[str]:
        words = _WORD.findall(name)
        lower = [w.casefold().replace(".", "") for w in words]
        shape = {f"words={min(len(words), 5)}"}
        if lower and lower[-1] in self.suffixes:
            shape.add("shape:suffix")
        if any(w in self.industry_words for w in lower):
            shape.add("shape:industry")
        if any(w in self.mineral_name_words for w in lower):
            shape.add("shape:mineral_name")
        shape.update(f"inst:{w}" for w in lower if w in self.institution_words)
        if words and words[0][:1].islower():
            shape.add("shape:lower_start")
        if name.isupper() and len(name) <= 6:
            shape.add("shape:acronym")
        if any(w in self.consumer_words for w in lower):
            shape.add(_CONSUMER_NAME)
        return shape

    def _context(self, doc: Doc, mention: OrgHit, lo: int, hi: int) -> set[str]:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        sentence = doc.char_span(lo, hi, alignment_mode="expand")
        if span is None or sentence is None or len(span) == 0:
            return set()
        first, last, s_start, s_end = span.start, span.end, sentence.start, sentence.end
        context = set()
        for token in doc[max(s_start, first - self.window) : first]:
            if token.is_alpha and token.text[:1].islower():
                context.add(f"L:{token.lower_}")
        for token in doc[last : min(s_end, last + self.window)]:
            if token.is_alpha and token.text[:1].islower():
                context.add(f"R:{token.lower_}")
        if first > s_start:
            context.add(f"P1:{_masked(doc[first - 1])}")
        else:
            context.add("sentstart")
        if last < s_end:
            context.add(f"N1:{_masked(doc[last])}")
        if first - 1 > s_start:
            context.add(f"P2:{_masked(doc[first - 2])}_{_masked(doc[first - 1])}")
        if last + 1 < s_end:
            context.add(f"N2:{_masked(doc[last])}_{_masked(doc[last + 1])}")
        # what the name does: the first content word after it, past auxiliaries and adverbs
        for token in doc[last : min(s_end, last + self.window)]:
            word = token.lower_
            if token.is_punct or word in self.skip_words or word in self.determiners:
                continue
            if token.is_alpha and token.text[:1].islower():
                context.add(f"V+:{word}")
            break
        # what governs it: a preposition before it, and the content word before that
        position = first - 1
        while position > s_start and doc[position].lower_ in self.determiners:
            position -= 1
        if position >= s_start and doc[position].lower_ in self.prepositions:
            preposition = doc[position].lower_
            context.add(f"PREP:{preposition}")
            for token in reversed(doc[max(s_start, position - self.window) : position]):
                word = token.lower_
                if token.is_alpha and token.text[:1].islower() and word not in self.skip_words:
                    context.add(f"HEAD:{word}_{preposition}")
                    break
        # what it is: the head of an apposition (", a Nevada lithium miner,")
        # (", one of the largest metals traders": one of a kind is of that kind)
        lead = last + 1
        if [t.lower_ for t in doc[lead : lead + 2]] == ["one", "of"]:
            lead += 2
        if lead < s_end and doc[last].text == "," and doc[lead].lower_ in {"a", "an", "the"}:
            head = None
            for token in doc[lead + 1 : min(s_end, lead + 1 + self.window)]:
                if token.is_punct or token.lower_ in self.prepositions:
                    break
                if token.is_alpha and token.text[:1].islower():
                    head = token.lower_
            if head:
                context.add(f"APPOS:{head}")
        return context

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SupplierRoles:
        super().from_disk(path, exclude=exclude)
        return self


def _masked(token: Token) -> str:
    """A neighbouring word as a feature: a capitalised word or a figure by its shape only, so
    that the weights learn constructions ("'s", "and", "said") and never a company's name."""
    text = token.text
    if text[:1].isupper() and not token.is_stop:  # "The", "It" stay words
        return "<Cap>"
    if text[:1].isdigit():
        return "<num>"
    return token.lower_


# "plans to buy", "is seeking", "invited offers": a buyer's call, its seller not chosen yet
_OPEN_PURCHASE = re.compile(
    r"\b(?:plans?\s+to|planned\s+to|intends?\s+to|wants?\s+to|seeks?|seeking|solicit\w*|"
    r"tender\w*|invit\w*|request\w*|would\s+like)\b",
    re.I,
)


def decide(
    probability: float,
    features: frozenset[str],
    rule_supplier: bool,
    *,
    threshold: float,
    keep_threshold: float,
) -> bool:
    """Whether a candidate supplies, from the model's belief and the rules' verdict."""
    if rule_supplier:
        # the rules read a seller; the model overturns that only when it is sure
        return probability >= keep_threshold
    # the model finds sellers the rules missed, but not against the rules' own evidence of
    # buying ("will take 20,000 tonnes", "agreed to buy ... from"), and only an organisation
    # tied to a mineral: named beside one, or named for the trade ("Corvane Mining"); a name
    # with a mineral's word alone ties nothing ("Nickel Creek Distilling")
    return (
        probability >= threshold
        and not features & _BUYING_EVIDENCE
        and not features & _BUYING_VERBS
        # "ACC will receive 60kt of anode material" buys; "X will receive A$54mn" is funded
        and not ({"V+:receive", "S:mass"} <= features and "S:money" not in features)
        and _ONLY_A_VOICE not in features
        and _ONLY_AN_OWNER not in features
        and not features & _TRADER
        and _TRADER_OBJECT not in features
        # (a maker of goods by its name, "Halden Steel", takes the minerals: the model alone
        # makes no seller of it)
        and _CONSUMER_NAME not in features
        and bool(features & _MINERAL_TIES)
    )


# "Orsa Chemicals, Energy and ": capitalised words joined by a comma or "and" run on into the
# next name
_NAME_LIST_BEFORE = re.compile(r"[A-Z][\w&'’-]*(?:,[ \t]+|,?[ \t]+(?:and|&)[ \t]+)$")


def _only_deal_counterparty(text: str, candidate: Candidate) -> bool:
    """Whether every mention of the candidate is the party a deal is made with before the
    deal's infinitive ("It has concluded a contract with X to supply 5,000 t"): the infinitive
    is the subject's. (Where the subject buys, the rules read X as the seller themselves; "with
    X to supply" with no deal's noun before is X's own supplying.)"""
    return all(
        _DEAL_WITH_BEFORE.search(text, max(0, m.start - 40), m.start)
        and _SALE_INFINITIVE_AFTER.match(text, m.end)
        for m in candidate.mentions
    )


_DEAL_WITH_BEFORE = re.compile(
    r"\b(?:contract|agreement|deal|MOU|MoU|memorandum|arrangement|offtake)\s+with\s+"
    r"(?:the\s+)?(?:[\w.-]+-based\s+)?$"
)
_SALE_INFINITIVE_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?,?\s+to\s+(?:supply|sell|deliver|provide)\b"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity's name without a leading "the" or a trailing possessive ("Ostfeld's"), nor
    what it owns after a possessive inside ("Ostfeld Resources' Tarn" is Ostfeld's site)."""
    if found := _LEADING_THE.match(text, start, end):
        start = found.end()
    if inner := _INNER_POSSESSIVE.search(text, start, end):
        end = inner.start()
    return start, before_possessive(text, start, end)


_INNER_POSSESSIVE = re.compile(r"(?<=[a-z])(?:['’]s|(?<=s)['’])[ \t]+(?=[A-Z])")
