"""A small engine for context rules kept as data: who the sentence makes a seller, who not.

Each record of a rule file (`nlp/data/seller_context_rules.jsonl`) says where it looks (the
sentence's words right `before` the organisation, or right `after` it), what it looks for (a
spaCy `Matcher` token pattern under `tokens`, or, where a rule needs character detail such as
commas inside an apposition, a regular expression under `regex`), what it concludes (`verdict`:
"strong" or "weak" seller evidence, or "none": the organisation is no seller here), the facts
of the sentence it needs (`requires`: names of predicates the caller supplies, "a|b" meaning
either) and the records that block it (`unless`). Records run in file order within their
`stage`; the first that applies decides. Every record carries `examples` it must fire on and
`counter_examples` it must not fire on, with the organisation marked `[[like this]]`: each is
a parametrised test (tests/test_nlp_rulebook.py); `end_to_end_gaps` lists, with the reason,
examples the whole extractor does not yet get right. `python -m minwatch.nlp.rule_report`
reports how often each record fired on annotated sets and how often its verdict agreed with
the gold.

Regular expressions may name cue lists of `nlp/data/supplier_cues.json` as `{list_name}`; the
engine fills them in as an escaped alternation, longest first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from minwatch.nlp.base import alternation, text_of

SIDES = ("before", "after")
VERDICTS = ("strong", "weak", "none")
FIRED = "minwatch_rules_fired"  # doc.user_data key: {(record id, start, end)}
_FLAGS = {"I": re.I, "M": re.M}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

Predicate = Callable[[], bool]


class RuleFileError(ValueError):
    """A rule record that cannot run; the message names the record and the field."""


@dataclass(frozen=True)
class ContextRule:
    id: str
    stage: str
    side: str
    verdict: str
    why: str
    requires: tuple[str, ...]
    unless: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    regex: re.Pattern[str] | None
    tokens: tuple[dict[str, Any], ...] | None


@dataclass(frozen=True)
class Context:
    """Where an organisation stands in its sentence, and the facts the records may require."""

    doc: Doc
    start: int  # the organisation's characters
    end: int
    sent_start: int
    sent_end: int
    facts: Mapping[str, Predicate]


def _fill(pattern: str, cues: Mapping[str, Any], record_id: str) -> str:
    def cue_list(match: re.Match[str]) -> str:
        name = match.group(1)
        values = cues.get(name)
        if not isinstance(values, list) or not values:
            raise RuleFileError(f"rule {record_id!r}: its regex names no cue list {{{name}}}")
        return alternation(values)

    return _PLACEHOLDER.sub(cue_list, pattern)


def parse_record(record: Mapping[str, Any], cues: Mapping[str, Any]) -> ContextRule:
    record_id = str(record.get("id") or "")
    if not record_id:
        raise RuleFileError(f"a rule record has no id: {dict(record)!r:.120}")
    side, verdict = record.get("side"), record.get("verdict")
    if side not in SIDES:
        raise RuleFileError(f"rule {record_id!r}: side must be one of {SIDES}, not {side!r}")
    if verdict not in VERDICTS:
        raise RuleFileError(f"rule {record_id!r}: verdict must be in {VERDICTS}, not {verdict!r}")
    if ("regex" in record) == ("tokens" in record):
        raise RuleFileError(f"rule {record_id!r}: give exactly one of regex and tokens")
    if not record.get("examples"):
        raise RuleFileError(f"rule {record_id!r}: a rule needs at least one example")
    regex = None
    if "regex" in record:
        flags = 0
        for flag in record.get("flags", []):
            flags |= _FLAGS[flag]
        source = _fill(str(record["regex"]), cues, record_id)
        # "before" rules read the words up to the organisation, "after" rules from it
        if side == "before" and not source.endswith("$"):
            raise RuleFileError(f"rule {record_id!r}: a 'before' regex must end with $")
        try:
            regex = re.compile(source, flags)
        except re.error as exc:
            raise RuleFileError(f"rule {record_id!r}: its regex does not compile: {exc}") from exc
    tokens = tuple(record["tokens"]) if "tokens" in record else None
    return ContextRule(
        id=record_id,
        stage=str(record.get("stage") or "main"),
        side=str(side),
        verdict=str(verdict),
        why=str(record.get("why") or ""),
        requires=tuple(record.get("requires", ())),
        unless=tuple(record.get("unless", ())),
        examples=tuple(record["examples"]),
        counter_examples=tuple(record.get("counter_examples", ())),
        regex=regex,
        tokens=tokens,
    )


class RuleBook:
    """Context rules in order; `first(stage, context)` is the record that decides, if any."""

    def __init__(self, vocab: Vocab, records: Iterable[Mapping[str, Any]], cues: Mapping[str, Any]):
        self.rules = [parse_record(r, cues) for r in records]
        self.by_id = {r.id: r for r in self.rules}
        if len(self.by_id) != len(self.rules):
            ids = [r.id for r in self.rules]
            twice = next(i for i in ids if ids.count(i) > 1)
            raise RuleFileError(f"rule {twice!r} is defined twice")
        for rule in self.rules:
            for other in rule.unless:
                if other not in self.by_id:
                    raise RuleFileError(f"rule {rule.id!r}: unless names no rule {other!r}")
        self.vocab = vocab
        self.matcher = Matcher(vocab, validate=True)
        for rule in self.rules:
            if rule.tokens is not None:
                try:
                    self.matcher.add(rule.id, [list(rule.tokens)])
                except ValueError as exc:
                    raise RuleFileError(f"rule {rule.id!r}: bad token pattern: {exc}") from exc
        self.stages: dict[str, list[ContextRule]] = {}
        for rule in self.rules:
            self.stages.setdefault(rule.stage, []).append(rule)

    def regex(self, rule_id: str) -> re.Pattern[str]:
        """A regex record's pattern, for the checks outside the decision list that read it."""
        pattern = self.by_id[rule_id].regex
        if pattern is None:
            raise RuleFileError(f"rule {rule_id!r} is a token pattern, not a regex")
        return pattern

    def first(self, stage: str, context: Context) -> ContextRule | None:
        fired = context.doc.user_data.setdefault(FIRED, set())
        for rule in self.stages.get(stage, ()):
            if not self.matches(rule, context):
                continue
            # a guard that blocks a record has decided too: it is counted as firing (a guard
            # blocks where its pattern matches and the facts it requires hold)
            guard = next((g for g in rule.unless if self._blocks(g, context)), None)
            if guard is not None:
                fired.add((guard, context.start, context.end))
                continue
            if self._required(rule, context):
                fired.add((rule.id, context.start, context.end))
                return rule
        return None

    def applies(self, rule: ContextRule, context: Context) -> bool:
        if not self.matches(rule, context):
            return False
        if any(self._blocks(other, context) for other in rule.unless):
            return False
        return self._required(rule, context)

    def _blocks(self, guard_id: str, context: Context) -> bool:
        guard = self.by_id[guard_id]
        return self.matches(guard, context) and self._required(guard, context)

    @staticmethod
    def _required(rule: ContextRule, context: Context) -> bool:
        return all(any(context.facts[name]() for name in need.split("|")) for need in rule.requires)

    def matches(self, rule: ContextRule, context: Context) -> bool:
        """The pattern alone: adjacent to the organisation on the rule's side."""
        doc = context.doc
        if rule.regex is not None:
            text = text_of(doc)
            if rule.side == "before":
                return rule.regex.search(text[context.sent_start : context.start]) is not None
            return rule.regex.match(text[context.end : context.sent_end]) is not None
        first_token, start_token, end_token, last_token = _token_bounds(doc, context)
        if rule.side == "before":
            span = doc[first_token:start_token]
            edge = start_token
        else:
            span = doc[end_token:last_token]
            edge = end_token
        if not len(span):
            return False
        key = self.vocab.strings[rule.id]
        for match_id, start, end in self.matcher(span):
            if match_id != key:
                continue
            if rule.side == "before" and span.start + end == edge:
                return True
            if rule.side == "after" and span.start + start == edge:
                return True
        return False


def _token_bounds(doc: Doc, context: Context) -> tuple[int, int, int, int]:
    starts = doc.user_data.get("minwatch_token_starts")
    if starts is None:
        starts = doc.to_array("IDX").tolist()
        doc.user_data["minwatch_token_starts"] = starts
    return (
        bisect_left(starts, context.sent_start),
        bisect_left(starts, context.start),
        bisect_left(starts, context.end),
        bisect_left(starts, context.sent_end),
    )


def fired(doc: Doc) -> set[tuple[str, int, int]]:
    """The records that decided an organisation in this document, with its characters."""
    return set(doc.user_data.get(FIRED, ()))


MARK = re.compile(r"\[\[(.+?)\]\]")


def unmark(example: str) -> tuple[str, int, int]:
    """An example's text without its `[[...]]` mark, and the marked characters."""
    match = MARK.search(example)
    if match is None:
        raise RuleFileError(f"an example marks no organisation with [[...]]: {example!r}")
    text = example[: match.start()] + match.group(1) + example[match.end() :]
    return text, match.start(), match.start() + len(match.group(1))
