"""`minwatch_minerals`: gazetteer of critical minerals with homonym rejection.

Besides English and Chinese, `minerals.jsonl` names each mineral in the languages GDELT
returns most (`FOREIGN_LANGUAGES`). A language's names are read only in documents of that
language (`doc._.minwatch_language`, set by the Extractor); every other document keeps the
English gazetteer. In those columns a form ending in "-" is a stem: it also matches the
compounds and inflections that begin with it ("Antimon-" reads "Antimonpreis", "сурьм-"
reads "сурьмы"); any other form is a whole word (a space matches spaces or hyphens). A form
with a capital after its first letter (NdPr, РЗМ) keeps its case. The optional "context" of a
line narrows a risky form of one language: "exact_case", "reject_prev"/"reject_next" (words
that make it something else), "not" (compounds of a stem that are other words), and
"prev"/"next"/"near" (it is read only after or before one of those words, or within `near`
characters of another mineral).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from minwatch.nlp.base import MineralHit, RuleComponent, alternation, text_of

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
FOREIGN_LANGUAGES = ("de", "fr", "es", "pt", "it", "ru", "ja", "ko")
# Languages written without spaces between words: names match inside runs of text.
_UNSPACED = frozenset({"ja", "ko"})
_KATAKANA = "\u30a0-\u30ff"
_SEPARATORS = re.compile(r"[\s-]+")

if not Doc.has_extension("minwatch_language"):
    # The document's language as given to the Extractor ("de", "ru"); None reads English.
    Doc.set_extension("minwatch_language", default=None)


@dataclass(frozen=True)
class _Form:
    canonicals: tuple[str, ...]
    stem: bool
    context: dict[str, Any]


@Language.factory("minwatch_minerals", default_config={})
def make_minerals(nlp: Language, name: str) -> MineralComponent:
    return MineralComponent(nlp, name)


class MineralComponent(RuleComponent):
    data_files = ("minerals.jsonl", "homonyms.json", "units.json")

    def compile(self) -> None:
        entries: list[dict[str, Any]] = self.data["minerals.jsonl"]
        self.homonyms: dict[str, Any] = self.data["homonyms.json"]
        self.en_forms: dict[str, tuple[str, ...]] = {}
        zh_forms: dict[str, tuple[str, ...]] = {}
        for entry in entries:
            canon = tuple(entry["canonical"])
            for form in entry["en"]:
                self.en_forms[form.lower()] = canon
            for form in entry["zh"]:
                zh_forms[form] = canon
        self.zh_forms = zh_forms
        self.foreign = {lang: _ForeignGazetteer(lang, entries) for lang in FOREIGN_LANGUAGES}
        # Case-sensitive acronyms (REE, PGM) must not fire on ordinary words.
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.acronym_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        tokenizer_nlp = _english_tokenizer()
        for form in self.en_forms:
            original = next(f for e in entries for f in e["en"] if f.lower() == form)
            pattern = tokenizer_nlp.make_doc(original)
            if original.isupper() or any(c.isupper() for c in original[1:]):
                self.acronym_matcher.add(form, [pattern])
            else:
                self.matcher.add(form, [pattern])
        alternatives = sorted(zh_forms, key=len, reverse=True)
        self.zh_regex = re.compile("|".join(re.escape(a) for a in alternatives))
        self.reject_next = {
            k: [w.split() for w in v] for k, v in self.homonyms["reject_next_words"].items()
        }
        self.reject_phrases = [p.lower() for p in self.homonyms["reject_phrases"]]
        self.context_required = self.homonyms["context_required"]
        self.proper_ok = set(self.homonyms["proper_name_ok_next"])
        self.mass_units = {u.lower() for u in self.data["units.json"]["mass_units"]}
        self.material_adjectives = set(self.homonyms["material_adjectives"])
        self.zh_reject = self.homonyms["zh_reject_contexts"]
        self.classification_labels = [
            re.compile(pattern) for pattern in self.homonyms.get("classification_labels", [])
        ]
        trade = self.homonyms["form_context"]
        self.trade_forms = set(trade["forms"])
        self.trade_reach = int(trade["reach"])
        self.trade_words = re.compile(rf"\b(?:{alternation(trade['words'])})\b", re.I)

    def process(self, doc: Doc) -> None:
        foreign = self.foreign.get(doc._.minwatch_language or "")
        if doc.lang_ == "zh":
            doc._.minwatch_minerals = self._find_zh(doc)
        elif foreign is not None:
            doc._.minwatch_minerals = foreign.find(text_of(doc), doc._.minwatch_title_end)
        else:
            doc._.minwatch_minerals = self._find_en(doc)

    def _find_zh(self, doc: Doc) -> list[MineralHit]:
        text = text_of(doc)
        title_end = doc._.minwatch_title_end
        hits = []
        for match in self.zh_regex.finditer(text):
            start, end = match.span()
            window = text[max(start - 3, 0) : end + 3]
            if any(ctx in window and _covers(text, start, ctx) for ctx in self.zh_reject):
                continue
            if match.group() == "APT" and (
                _is_ascii_letter(text, start - 1) or _is_ascii_letter(text, end)
            ):
                continue
            hits.append(
                MineralHit(
                    start,
                    end,
                    match.group(),
                    self.zh_forms[match.group()],
                    in_title=start < title_end,
                )
            )
        return hits

    def _find_en(self, doc: Doc) -> list[MineralHit]:
        matches = [(s, e, self.nlp.vocab.strings[k]) for k, s, e in self.matcher(doc)]
        matches += [(s, e, self.nlp.vocab.strings[k]) for k, s, e in self.acronym_matcher(doc)]
        # Longest match wins ("antimony trioxide" over "antimony", "rare earth elements").
        matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        hits: list[MineralHit] = []
        last_end = -1
        title_end = doc._.minwatch_title_end
        title_case_lines = _title_case_line_starts(text_of(doc))
        label_ranges = [
            m.span() for regex in self.classification_labels for m in regex.finditer(text_of(doc))
        ]
        # Names the body shows to be organisations ("Tin Thornbury Batteries LLC") are names in
        # the headline too, where capitals carry no signal.
        body_names = {
            key
            for start, end, _ in matches
            if doc[start].idx >= title_end and self._is_proper_name(doc, start, end, set())
            for key in _name_keys(doc, start, end)
        }
        for start, end, form in matches:
            if start < last_end:
                continue
            span = doc[start:end]
            if any(lo <= span.start_char < hi for lo, hi in label_ranges):
                continue
            canon = self.en_forms[form]
            if self._rejected(doc, start, end, canon, title_case_lines):
                continue
            if span.text in self.trade_forms and not self._near_trade_word(doc, span.start_char):
                continue
            if span.start_char < title_end and body_names & _name_keys(doc, start, end):
                continue
            last_end = end
            hits.append(
                MineralHit(
                    span.start_char,
                    span.end_char,
                    span.text,
                    canon,
                    in_title=span.start_char < title_end,
                )
            )
        return sorted(hits + _defined_short_forms(text_of(doc), hits), key=lambda h: h.start)

    def _rejected(
        self, doc: Doc, start: int, end: int, canon: tuple[str, ...], title_case_lines: set[int]
    ) -> bool:
        name = canon[0]
        if self._measured(doc, start):
            return self._is_proper_name(doc, start, end, title_case_lines)
        following = [t for t in doc[end : end + 3] if t.text != "-"]
        next_words = [t.lower_ for t in following]
        for words in self.reject_next.get(name, []):
            if next_words[: len(words)] == words:
                return True
        if self._in_reject_phrase(doc, start, end):
            return True
        required = self.context_required.get(name)
        if required and not self._has_context(doc, start, end, required):
            return True
        return self._is_proper_name(doc, start, end, title_case_lines)

    def _near_trade_word(self, doc: Doc, start: int) -> bool:
        """A trade's acronym ("MOP", "DAP") is its product only beside a word of that trade:
        elsewhere it is a currency code, a procedure or a map."""
        text = text_of(doc)
        window = text[max(start - self.trade_reach, 0) : start + self.trade_reach]
        return self.trade_words.search(window) is not None

    def _measured(self, doc: Doc, start: int) -> bool:
        """The goods of a stated mass ("8,000 tonnes of refined lead to ...") are the
        material whatever word follows: no verb "lead to" takes a mass as its subject."""
        i = start - 1
        if i >= 0 and doc[i].lower_ in self.material_adjectives:
            i -= 1
        return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in self.mass_units

    def _in_reject_phrase(self, doc: Doc, start: int, end: int) -> bool:
        lo = doc[max(start - 3, 0)].idx
        # hyphens are tokens of their own: "nickel-and-dime" spans four tokens after the mineral
        hi_token = doc[min(end + 4, len(doc) - 1)]
        window = text_of(doc)[lo : hi_token.idx + len(hi_token.text)].lower()
        mention_start, mention_end = doc[start].idx - lo, doc[end - 1].idx + len(doc[end - 1]) - lo
        for phrase in self.reject_phrases:
            found = window.find(phrase)
            while found != -1:
                if found < mention_end and found + len(phrase) > mention_start:
                    return True
                found = window.find(phrase, found + 1)
        return False

    def _has_context(self, doc: Doc, start: int, end: int, required: dict[str, Any]) -> bool:
        next_token = next((t for t in doc[end : end + 2] if t.text != "-"), None)
        if next_token is not None and next_token.lower_ in required["next"]:
            return True
        previous = doc[start - 1] if start > 0 else None
        if previous is not None and previous.text in required["prev"]:
            return True
        # "Lead was flat", "lead fell 2%": the metal as the subject of a market verb, unless a
        # determiner makes it the other noun ("the lead was taken").
        if (
            next_token is not None
            and next_token.lower_ in required.get("next_market_verbs", [])
            and (previous is None or previous.lower_ not in required.get("determiners", []))
        ):
            return True
        reach = int(required.get("near_other_mineral_tokens", 0))
        near = doc[max(start - reach, 0) : end + reach]
        return any(t.lower_ in self.en_forms and self.en_forms[t.lower_][0] != "lead" for t in near)

    def _is_proper_name(self, doc: Doc, start: int, end: int, title_case_lines: set[int]) -> bool:
        """A capitalised mineral word inside a name ("Tin Whistle", "Northgate Antimony
        Corporation") is part of an organisation, not a mention of the mineral."""
        first = doc[start]
        if first.text.isupper() and len(first.text) > 1:
            return self._caps_heading_name(doc, start, end)
        if not first.text[:1].isupper():
            return False
        line_start = text_of(doc).rfind("\n", 0, first.idx) + 1
        if line_start in title_case_lines or first.idx < doc._.minwatch_title_end:
            return False
        after = doc[end] if end < len(doc) else None
        before = doc[start - 1] if start > 0 else None
        after_is_name = (
            after is not None
            and after.text[:1].isupper()
            and after.lower_ not in self.proper_ok
            and after.lower_ not in self.en_forms
            and not after.is_punct
        )
        before_is_name = (
            before is not None
            and before.text[:1].isupper()
            and not before.is_sent_start
            and before.lower_ not in self.en_forms
            and before.text not in {"I", "A"}
        )
        return after_is_name or before_is_name

    def _caps_heading_name(self, doc: Doc, start: int, end: int) -> bool:
        """An all-caps heading ("TIN THORNBURY BAKERY") that the text then gives as a name in
        title case ("Tin Thornbury Bakery Co.") is that name, not the mineral."""
        after = doc[end] if end < len(doc) else None
        if (
            after is None
            or not after.text.isupper()
            or not after.text.isalpha()
            or after.lower_ in self.proper_ok
            or after.lower_ in self.en_forms
        ):
            return False
        words = [t.text for t in doc[start:end]] + [after.text]
        titled = " ".join(w.capitalize() for w in words)
        return titled in text_of(doc)


class _ForeignGazetteer:
    """The names of one language other than English and Chinese, read from the text."""

    def __init__(self, language: str, entries: list[dict[str, Any]]) -> None:
        self.unspaced = language in _UNSPACED
        self.words: dict[str, _Form] = {}
        self.stems: dict[str, _Form] = {}
        pieces: list[tuple[int, str]] = []
        for entry in entries:
            canon = tuple(entry["canonical"])
            contexts = entry.get("context", {}).get(language, {})
            for raw in entry.get(language, []):
                stem = raw.endswith("-")
                name = raw.rstrip("-")
                key = _normalise(name)
                table = self.stems if stem else self.words
                if key in table:
                    continue
                context = contexts.get(key, {})
                table[key] = _Form(canon, stem, context)
                pieces.append((len(name), self._pattern(name, stem, context)))
        pieces.sort(key=lambda p: -p[0])
        self.regex = re.compile("|".join(p for _, p in pieces) or "(?!)", re.IGNORECASE)
        self.stem_keys = sorted(self.stems, key=len, reverse=True)

    def _pattern(self, name: str, stem: bool, context: dict[str, Any]) -> str:
        body = r"[\s-]+".join(re.escape(w) for w in name.split())
        if context.get("exact_case") or any(c.isupper() for c in name[1:]):
            body = f"(?-i:{body})"
        if self.unspaced:
            # A short katakana name is no part of a longer katakana word (スズ in スズキ).
            if len(name) <= 3 and re.fullmatch(f"[{_KATAKANA}]+", name):
                return f"(?<![{_KATAKANA}]){body}(?![{_KATAKANA}])"
            return body
        return rf"(?<!\w){body}" + (r"\w*" if stem else r"(?!\w)")

    def _form(self, matched: str) -> _Form | None:
        key = _normalise(matched)
        if key in self.words:
            return self.words[key]
        stem = next((s for s in self.stem_keys if key.startswith(s)), None)
        return None if stem is None else self.stems[stem]

    def find(self, text: str, title_end: int) -> list[MineralHit]:
        candidates = []
        for match in self.regex.finditer(text):
            form = self._form(match.group())
            if form is not None and not self._rejected(text, match, form.context):
                candidates.append((match, form))
        anchors = [
            (m.start(), m.end(), f.canonicals)
            for m, f in candidates
            if not {"prev", "next", "near"} & f.context.keys()
        ]
        hits = []
        for match, form in candidates:
            start, end = match.span()
            if {"prev", "next", "near"} & form.context.keys() and not self._in_context(
                text, start, end, form, anchors
            ):
                continue
            hits.append(
                MineralHit(start, end, match.group(), form.canonicals, in_title=start < title_end)
            )
        return hits

    def _rejected(self, text: str, match: re.Match[str], context: dict[str, Any]) -> bool:
        if _normalise(match.group()) in context.get("not", []):
            return True
        start, end = match.span()
        return any(self._ends(text, start, p) for p in context.get("reject_prev", [])) or any(
            self._begins(text, end, n) for n in context.get("reject_next", [])
        )

    def _in_context(
        self,
        text: str,
        start: int,
        end: int,
        form: _Form,
        anchors: list[tuple[int, int, tuple[str, ...]]],
    ) -> bool:
        context = form.context
        if any(self._ends(text, start, p) for p in context.get("prev", [])):
            return True
        if any(self._begins(text, end, n) for n in context.get("next", [])):
            return True
        reach = int(context.get("near", 0))
        return any(
            canon != form.canonicals and lo - reach <= end and start <= hi + reach
            for lo, hi, canon in anchors
        )

    def _ends(self, text: str, start: int, phrase: str) -> bool:
        """Whether the words just before `start` are `phrase`."""
        before = " ".join(text[max(start - 60, 0) : start].split()).casefold()
        if not before.endswith(phrase):
            return False
        at = len(before) - len(phrase)
        return self.unspaced or at == 0 or not before[at - 1].isalnum()

    def _begins(self, text: str, end: int, phrase: str) -> bool:
        """Whether the words just after `end` are `phrase`."""
        after = " ".join(text[end : end + 60].split()).casefold()
        if not after.startswith(phrase):
            return False
        rest = after[len(phrase) : len(phrase) + 1]
        return self.unspaced or not rest.isalnum() or not phrase[-1:].isalnum()


def _normalise(name: str) -> str:
    return " ".join(_SEPARATORS.split(name.strip())).casefold()


def _name_keys(doc: Doc, start: int, end: int) -> set[str]:
    """The mineral word with its capitalised neighbours: "tin mountain", "american lithium"."""
    keys = set()
    word = doc[start:end].text.lower()
    if start > 0 and doc[start - 1].text[:1].isupper():
        keys.add(f"{doc[start - 1].lower_} {word}")
    if end < len(doc) and doc[end].text[:1].isupper():
        keys.add(f"{word} {doc[end].lower_}")
    return keys


# "battery-grade tungsten oxide (BTO)", 'high-purity spherical graphite ("HSG")', "muriate of
# potash (MoP)": a product of the mineral given a short form in capitals, or in letters of
# which two or more are capitals, right after it
_DEFINED_SHORT_FORM = re.compile(
    r"(?:[ \t]+[a-z][\w-]*){0,3}[ \t]*\([ \t]*[\"“']?"
    r"(?P<short>[A-Z][A-Z0-9]{2,6}|[A-Z](?=[a-z]{0,4}[A-Z])[A-Za-z]{2,6})[\"”']?[ \t]*\)"
)


def _defined_short_forms(text: str, hits: list[MineralHit]) -> list[MineralHit]:
    """Later mentions of a short form the text defines for a mineral's product ("BTO",
    "HSG") are that mineral's mentions."""
    defined: dict[str, tuple[tuple[str, ...], int]] = {}
    ordered = sorted(hits, key=lambda h: h.start)
    for index, hit in enumerate(ordered):
        found = _DEFINED_SHORT_FORM.match(text, hit.end)
        if found is not None:
            # "tungsten-tin concentrate (TTC)": every mineral the product's words name
            named = list(hit.canonicals)
            # (and the minerals named between it and the bracket)
            for later in ordered[index + 1 :]:
                if later.start < found.start("short"):
                    named += later.canonicals
            before = index - 1
            while before >= 0 and re.fullmatch(
                r"[ \t-]{1,2}", text[ordered[before].end : ordered[before + 1].start]
            ):
                named = [*ordered[before].canonicals, *named]
                before -= 1
            defined.setdefault(found.group("short"), (tuple(dict.fromkeys(named)), found.end()))
    extra: list[MineralHit] = []
    for short, (canonicals, after) in defined.items():
        for use in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            if use.start() >= after and not any(
                h.start < use.end() and use.start() < h.end for h in hits
            ):
                extra.append(MineralHit(use.start(), use.end(), short, canonicals))
    return extra


def _covers(text: str, start: int, context: str) -> bool:
    lo = max(start - len(context), 0)
    return any(
        text.startswith(context, i) and i <= start < i + len(context) for i in range(lo, start + 1)
    )


def _is_ascii_letter(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalpha()


def _title_case_line_starts(text: str) -> set[int]:
    """Lines written in Title Case (headings, notice titles): capitals there carry no signal."""
    starts = set()
    offset = 0
    for line in text.split("\n"):
        words = [w for w in _WORD.findall(line) if len(w) > 3]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
            starts.add(offset)
        offset += len(line) + 1
    return starts


_TOKENIZER: Language | None = None


def _english_tokenizer() -> Language:
    global _TOKENIZER
    if _TOKENIZER is None:
        import spacy

        _TOKENIZER = spacy.blank("en")
    return _TOKENIZER
