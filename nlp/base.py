"""Shared plumbing for the minwatch spaCy components.

Every component is a rule component in the style of spaCy's own `span_ruler`: keyword-only
constructor arguments, its data loaded in `initialize()` from a file in `nlp/data/`, saved and
restored by `to_disk` / `from_disk`, and errors routed through the pipeline's error handler so
that one bad document does not stop a batch.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.attrs import IDX, IS_PUNCT, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import raise_error
from thinc.types import Ints2d

DATA_DIR = Path(__file__).parent / "data"

# The marker of a list item ("- ", "• ", "2. ", "(b) ") and the item's first character: one
# reading for the extractor's seller slots, the procurement lists and the awardee lists
LIST_MARKER = r"\s*(?:[-•*▪–]|\(?[0-9a-z]{1,2}[.)])\s+"
LIST_ITEM = re.compile(LIST_MARKER + r"\S")
# "Y, a subsidiary of X": X named as another party's owner (what Y does may be X's, but the
# name alone makes X no party to the sentence's deal)
PARENT_NOUNS = r"(?:subsidiary|unit|division|affiliate|arm)"
PARENT_NAMED_BEFORE = re.compile(
    rf"\b{PARENT_NOUNS}\s+of\s+(?:the\s+)?$"
    # ("Y, which is a unit of Swiss group X": a named subsidiary's owner, by its kind; "bought
    # from an arm of metals major X", its unit unnamed, deals with X)
    rf"|,\s+(?:which\s+is\s+)?(?:a|an|the)\s+(?:[\w-]+\s+)?{PARENT_NOUNS}\s+of\s+"
    r"(?:[A-Za-z][\w-]*\s+)?(?:firm|group|company|conglomerate|giant|major|trader|miner"
    r"|producer|multinational)\s+$",
    re.I,
)


def parent_named_before(text: str, start: int, lo: int = 0) -> bool:
    """Whether the words right before `start` (none before `lo`, a sentence's start) name the
    organisation there as another party's owner (PARENT_NAMED_BEFORE)."""
    # (60 characters: ", which is a unit of Swiss group " and a short name before it)
    return PARENT_NAMED_BEFORE.search(text, max(lo, start - 60), start) is not None


# The CJK unified ideographs, as the body of a regex character class ("[{HAN}]")
HAN = "\u4e00-\u9fff"


def is_han(char: str) -> bool:
    """One character of the range HAN names (False for "" past the text's end)."""
    return len(char) == 1 and "\u4e00" <= char <= "\u9fff"


ErrorHandler = Callable[[str, Any, list[Doc], Exception], Any]


def alternation(options: Iterable[str]) -> str:
    """A regex alternation of literal options, the longest first so that it wins the match."""
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


def trader_object_regex(trader_nouns: Iterable[str]) -> re.Pattern[str]:
    """ "to ship nickel to Swiss trader X", "an offtake with commodity trading house X": the
    words before a name that make it a trader the deal goes to or is made with (its buyer),
    searched in the text that ends where the name begins."""
    return re.compile(
        r"\b(?:to|with|for)\s+(?:[\w'’.-]+\s+){0,2}(?:" + alternation(trader_nouns) + r")\s+$",
        re.I,
    )


def first_letters(phrases: Iterable[str], *, both_cases: bool = False) -> str:
    """A lookahead for the first characters of `phrases`, put before a pattern whose every
    match begins with one of them: Python's regex engine then passes over every other
    position at once instead of trying the pattern there (several times faster on a long
    text). Under re.I the class matches either case; `both_cases` spells both out for a
    pattern that is case-insensitive only in part."""
    chars = {p[0] for p in phrases if p}
    if both_cases:
        chars |= {c.swapcase() for c in chars}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])" if chars else ""


def phrase_regex(
    phrases: Iterable[str], flags: int = re.I, *, hyphen_after: bool = True, gap: str | None = None
) -> re.Pattern[str]:
    """Any of the phrases as whole words ("supplies" never inside "resupplies"). A phrase may be
    followed by a hyphen ("producer-owned") unless `hyphen_after` is false. With `gap`, a
    pattern, the phrase's words are joined by it rather than by their own spaces."""
    phrases = list(phrases)
    end = r"(?![\w])" if hyphen_after else r"(?![\w-])"
    if gap is None:
        options = alternation(phrases)
    else:
        options = "|".join(
            gap.join(re.escape(word) for word in phrase.split())
            for phrase in sorted(phrases, key=len, reverse=True)
        )
    return re.compile(rf"{first_letters(phrases)}(?<![\w-])(?:{options}){end}", flags)


class PhraseTest:
    """Whether a text holds any of the phrases as whole words, in any case.

    The phrases are matched in the lower-cased text with a case-sensitive pattern: Python's
    regex engine runs a literal alternation much faster that way than under re.I. Where
    lower-casing changes the text's length ("İ"), the re.I pattern reads it.
    """

    def __init__(self, phrases: Iterable[str], *, hyphen_after: bool = True) -> None:
        phrases = list(phrases)
        self._lower = phrase_regex([p.lower() for p in phrases], 0, hyphen_after=hyphen_after)
        self._any_case = phrase_regex(phrases, re.I, hyphen_after=hyphen_after)

    @staticmethod
    def lowered(text: str) -> str | None:
        """`text` in lower case, or None where that moves offsets."""
        lower = text.lower()
        return lower if len(lower) == len(text) else None

    def found_in(
        self, text: str, lo: int = 0, hi: int | None = None, *, lowered: str | None = None
    ) -> bool:
        """Whether text[lo:hi] holds a phrase (`lowered`: `lowered(text)`, when the caller
        tests many parts of one text)."""
        hi = len(text) if hi is None else hi
        lower = lowered if lowered is not None else self.lowered(text)
        if lower is not None:
            return self._lower.search(lower, lo, hi) is not None
        return self._any_case.search(text, lo, hi) is not None


def load_data_file(name: str) -> Any:
    """A JSON or JSONL file from nlp/data/ (JSONL comes back as a list of objects)."""
    path = DATA_DIR / name
    text = path.read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def load_pinned_model(model_file: str, model_sha256: str, pinned_in: str) -> Any:
    """A trained model's weights from `nlp/data`, refused unless the file's SHA-256 is the one
    its component is pinned to (`pinned_in` names where the pin is written), so that a
    retrained model is adopted by a reviewed change, never by a file silently replaced."""
    path = DATA_DIR / model_file
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != model_sha256:
        raise ValueError(
            f"{path} has SHA-256 {digest}, but the pipeline is pinned to {model_sha256}: a "
            f"retrained model is adopted by updating MODEL_SHA256 in {pinned_in} after review"
        )
    return json.loads(raw)


@dataclass
class MineralHit:
    start: int
    end: int
    text: str
    canonicals: tuple[str, ...]
    in_title: bool = False


@dataclass
class AmountHit:
    """A money or mass figure; one per value (a range gives two hits sharing the span)."""

    kind: str  # "money" | "quantity"
    start: int
    end: int
    text: str
    value: float  # the figure in its own currency / in tonnes
    usd: float | None = None
    tonnes: float | None = None
    currency: str | None = None
    bound: str = "exact"
    unit_price: bool = False  # "$1,240 a tonne"
    per_year: bool = False  # "3,000 tonnes a year"
    capacity: bool = False  # "nameplate capacity of 8,400 tonnes"
    period_figure: bool = False  # a period's figure in an operating table ("2026 Q2 | 40.5")
    superseded: bool = False  # the old figure of an amended quantity
    amended_to: bool = False  # the new figure of an amendment ("cut the quantity to 6,000 t")
    minimum: bool = False  # a floor, e.g. an IDIQ's guaranteed minimum: never the deal value
    at_least: bool = False  # "at least 20,000 t": the value unless a ceiling ("up to") is stated
    excluded: bool = False  # grant, loan, equity... never a procurement value
    in_title: bool = False


@dataclass
class OrgHit:
    start: int
    end: int
    text: str
    source: str  # "rule", "ner", "known", "award_line", "zh_short" (a Chinese short name), ...
    role: str | None = None
    canonical: str | None = None
    supplier: bool = False
    aliases: list[str] = field(default_factory=list)
    # what the rules read around it ("strong", "buying_side", ...): the role model's input
    evidence: frozenset[str] = frozenset()


EXTENSIONS: dict[str, Any] = {
    "minwatch_title_end": 0,  # characters [0, title_end) are the title
    "minwatch_known_suppliers": None,
    "minwatch_minerals": None,
    "minwatch_amounts": None,
    "minwatch_orgs": None,
    "minwatch_ner_orgs": None,  # (start, end) character spans of ORG entities from the model
    "minwatch_entities": None,  # (start, end, label) of every entity the model found
    "minwatch_producer_spans": None,  # names a notice gives as acceptable producers or brands
    "minwatch_lines": None,
    # figure-less deal sentences no rule found a seller in: (start, end, minerals); a seller
    # the role model finds there makes each mineral a line of that seller
    "minwatch_open_deals": None,
    "minwatch_export_control": None,
    "minwatch_sentence_starts": None,
    "minwatch_text": None,
}


# On the spans of `doc.spans[ORG_SPANS]`: what the organisation is in the document.
SPAN_EXTENSIONS: dict[str, Any] = {
    "minwatch_role": None,  # "supplier", "buyer", "agency", "other", ...
    "minwatch_supplier_probability": None,  # the role model's belief, None without a model
    "minwatch_canonical": None,  # the name as the document first gives it in full
}
ORG_SPANS = "minwatch_organizations"


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()


# Where `doc._.minwatch_text` keeps its value (spaCy's Underscore stores extension values in
# `doc.user_data` under this key): read directly, because building a `doc._` proxy on every
# call cost more than the rest of `text_of`, asked ~400 times per document.
_TEXT_KEY = ("._.", "minwatch_text", None, None)


_POSSESSIVE_END = re.compile(r"['’]s?$")


def before_possessive(text: str, start: int, end: int) -> int:
    """Where the name `text[start:end]` ends without its possessive ("X's", "X Industries'")."""
    found = _POSSESSIVE_END.search(text, start, end)
    return found.start() if found else end


def text_of(doc: Doc) -> str:
    """The doc's text, cached: spaCy rebuilds `Doc.text` from the tokens on every access."""
    data = cast(dict[Any, Any], doc.user_data)  # typed str-keyed; spaCy keys it by tuples
    cached = data.get(_TEXT_KEY)
    if cached is None:
        cached = data[_TEXT_KEY] = doc.text
    return cached


def remember_text(doc: Doc, text: str) -> None:
    """Caches `text` as the text of `doc` made from it (rebuilding it from the tokens took as
    long as a component)."""
    cast(dict[Any, Any], doc.user_data)[_TEXT_KEY] = text


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences begin (cached on the doc)."""
    cached = doc._.minwatch_sentence_starts
    if cached is None:
        cached = [sent.start_char for sent in doc.sents]
        doc._.minwatch_sentence_starts = cached
    return cached


def sentence_bounds(doc: Doc, char: int) -> tuple[int, int]:
    starts = sentence_starts(doc)
    index = max(bisect_right(starts, char) - 1, 0)
    end = starts[index + 1] if index + 1 < len(starts) else len(text_of(doc))
    return starts[index], end


def sentence_text(doc: Doc, char: int) -> str:
    start, end = sentence_bounds(doc, char)
    return text_of(doc)[start:end].strip()


def sentence_index(doc: Doc, char: int) -> int:
    return max(bisect_right(sentence_starts(doc), char) - 1, 0)


class RuleComponent:
    """Base for the data-driven components: data lifecycle and error routing."""

    data_files: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.data: dict[str, Any] = {}
        self._error_handler: ErrorHandler = raise_error

    # -- data lifecycle -------------------------------------------------------------------
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.data = data if data is not None else {f: load_data_file(f) for f in self.data_files}
        self.compile()

    def compile(self) -> None:
        """Build matchers and regexes from self.data."""

    def ensure_ready(self) -> None:
        if not self.data:
            self.initialize()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "data.json").write_text(
            json.dumps(self.data, ensure_ascii=False), encoding="utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RuleComponent:
        self.data = json.loads((Path(path) / "data.json").read_text(encoding="utf-8"))
        self.compile()
        return self

    # -- errors ---------------------------------------------------------------------------
    def get_error_handler(self) -> ErrorHandler:
        return self._error_handler

    def set_error_handler(self, error_handler: ErrorHandler) -> None:
        self._error_handler = error_handler

    def __call__(self, doc: Doc) -> Doc:
        self.ensure_ready()
        try:
            self.process(doc)
        except Exception as exc:
            self._error_handler(self.name, self, [doc], exc)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def process(self, doc: Doc) -> None:
        raise NotImplementedError


class PinnedModelComponent(RuleComponent):
    """Base for the trained components: data files as any rule component's, plus a model's
    weights from `model_file`, refused unless they have the SHA-256 the component is pinned to
    (`model_file` "" runs it without a model, as training does)."""

    pinned_in = ""  # the module whose MODEL_SHA256 pins the file, for the refusal's message

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        model_file: str,
        model_sha256: str,
        threshold: float | None = None,
    ) -> None:
        super().__init__(nlp, name)
        self.model_file = model_file
        self.model_sha256 = model_sha256
        self.threshold_override = threshold

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        if data is None:
            data = {name: load_data_file(name) for name in self.data_files}
            data["model"] = (
                load_pinned_model(self.model_file, self.model_sha256, self.pinned_in)
                if self.model_file
                else None
            )
        super().initialize(get_examples, nlp=nlp, data=data)

    def read_model(self, default_threshold: float) -> dict[str, Any] | None:
        """Set the weights, bias and threshold (the config's override, else the model's, else
        `default_threshold`) from the loaded model; returns the model, None without one."""
        model: dict[str, Any] | None = self.data.get("model")
        self.weights: dict[str, float] = dict(model["weights"]) if model else {}
        self.bias = float(model["bias"]) if model else 0.0
        threshold = model["threshold"] if model else default_threshold
        self.threshold = float(
            self.threshold_override if self.threshold_override is not None else threshold
        )
        return model

    def probability(self, features: Iterable[str]) -> float:
        score = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        # (clamped: a long document's many words must not overflow the exponential)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@Language.factory("minwatch_sentences", default_config={})
def make_sentence_splitter(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Sentence boundaries: sentence-final punctuation, plus every line break.

    SAM.gov notices and regulations are line-structured ("Item 1. ...", "Notice ID: ..."), so a
    newline always ends a sentence; the punctuation sentencizer alone would glue a whole
    notice header into one sentence.
    """
    enders = {".", "!", "?", "。", "！", "？", "；"}

    def split(doc: Doc) -> Doc:
        # Collected, then set in one array write: assigning `token.is_sent_start` makes spaCy
        # scan the whole doc for a parse on every token, quadratic in the document's length.
        # Tokens are read as slices of the text from attribute arrays: making a `Token`
        # object for each word cost more than the decisions themselves.
        if not len(doc):
            return doc
        text = text_of(doc)
        attrs = doc.to_array([IDX, LENGTH, SPACY, IS_PUNCT]).tolist()
        zh = doc.lang_ == "zh"
        starts: list[int] = [1]
        before_previous = ""
        previous, previous_space = text[attrs[0][0] : attrs[0][0] + attrs[0][1]], attrs[0][2]
        for idx, length, space, punct in attrs[1:]:
            word = text[idx : idx + length]
            if "\n" in previous:  # spaCy keeps line breaks as tokens, never as trailing space
                is_start = True
            elif (
                previous == "."
                and word[:1].islower()
                and before_previous.lower() in _ABBREVIATED_BEFORE_LOWER
            ):
                is_start = False  # "500K lbs. of uranium": an abbreviation's full stop
            elif (
                previous in enders
                and not (previous == "." and (word[:1].isdigit() or not previous_space) and zh)
            ) or (
                previous.endswith(".")
                and len(previous) > 1
                and word[:1].isupper()
                and previous.lower() not in _ABBREVIATIONS
            ):
                is_start = not punct
            elif previous in {"”", '"', "’"} and before_previous in enders:
                is_start = True
            else:
                is_start = False
            starts.append(1 if is_start else -1)
            before_previous, previous, previous_space = previous, word, space
        if starts:
            # spaCy reads attribute arrays as uint64; -1 ("not a start") wraps and back.
            values = numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1)
            doc.from_array([SENT_START], cast(Ints2d, values))
        return doc

    return split


# Abbreviations spaCy splits from their full stop ("lbs", "."), read as such before a
# lower-case word
_ABBREVIATED_BEFORE_LOWER = frozenset(
    {"lb", "lbs", "oz", "kg", "kgs", "approx", "incl", "excl", "est", "vs", "av", "avg"}
)
_ABBREVIATIONS = {
    "no.",
    "co.",
    "corp.",
    "inc.",
    "ltd.",
    "u.s.",
    "st.",
    "mr.",
    "ms.",
    "dr.",
    "jr.",
    "sr.",
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "aug.",
    "sep.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
    "vs.",
    "e.g.",
    "i.e.",
    "etc.",
    "approx.",
    "u.k.",
    "n.v.",
    "s.a.",
    "p.m.",
    "a.m.",
}


@cache
def _zh_name_after_mineral() -> re.Pattern[str]:
    words = load_data_file("organizations.json")["zh_name_words_after_mineral"]
    return re.compile("|".join(map(re.escape, words)))


def spoken_of(doc: Doc, minerals: list[MineralHit], orgs: list[OrgHit]) -> list[MineralHit]:
    """The minerals the document talks about: in Chinese, where names have no capitals to set
    them apart, a mineral's character inside a company's name ("X铝业公司") is no mention,
    nor is one inside a short name no frame found ("西铝公司": a one-character mineral glued
    to a Han character before it and a company's word after it)."""
    if doc.lang_ != "zh":
        return minerals
    text = text_of(doc)
    name_after = _zh_name_after_mineral()

    def in_short_name(hit: MineralHit) -> bool:
        return (
            hit.end - hit.start == 1
            and hit.start > 0
            and is_han(text[hit.start - 1])
            and name_after.match(text, hit.end) is not None
        )

    return [
        h
        for h in minerals
        if not any(o.start <= h.start and h.end <= o.end for o in orgs) and not in_short_name(h)
    ]
