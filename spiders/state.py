"""Incremental crawl state: HTTP validators of list/feed pages and identities already landed.

The flow hands a spider its state as a JSON file (`state_path` spider argument) and stores the
state the crawl writes back; spiders never touch the warehouse. The file is the JSON object

    {"validators": {url: {"etag": ..., "last_modified": ...}},
     "seen": {source_id: fingerprint}}

URLs are canonical (see `BaseSpider.canonical_id`): no API key, no loopback port.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VALIDATOR_FIELDS = ("etag", "last_modified")
# Failures after which a page is not worth asking for again every night: the page is gone
# (the entry has already landed from the list or feed itself), or the link itself is refused
# (not http(s), a description link off the API's origin, a secret bound elsewhere) and will
# be refused again. Caps ("cap_links", "cap_documents", "parsed_too_large") are not here: the
# links they left out are reached another night.
PERMANENT_FAILURES = frozenset(
    {"http_404", "http_410", "robots_disallowed", "refused_url", "foreign_link", "secret_refused"}
)


class CrawlStateError(ValueError):
    """A state file or stored state is not shaped like a CrawlState; the message says where."""


@dataclass(frozen=True)
class CrawlState:
    validators: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    seen: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, value: Mapping[str, Any], *, where: str = "state") -> CrawlState:
        """Validate a decoded state; other keys (e.g. the flow's `run_id`) are ignored."""
        validators = value.get("validators", {})
        seen = value.get("seen", {})
        if not isinstance(validators, dict):
            raise CrawlStateError(
                f"{where}: `validators` is {type(validators).__name__}, not object"
            )
        if not isinstance(seen, dict):
            raise CrawlStateError(f"{where}: `seen` is {type(seen).__name__}, not object")
        checked: dict[str, dict[str, str]] = {}
        for url, pair in validators.items():
            if not isinstance(pair, dict) or not all(
                k in VALIDATOR_FIELDS and isinstance(v, str) for k, v in pair.items()
            ):
                raise CrawlStateError(
                    f"{where}: validators of {url!r} must be an object with string "
                    f"{' / '.join(VALIDATOR_FIELDS)}, not {pair!r}"
                )
            if pair:
                checked[url] = dict(pair)
        for source_id, fingerprint in seen.items():
            if not isinstance(fingerprint, str):
                raise CrawlStateError(
                    f"{where}: fingerprint of {source_id!r} is {type(fingerprint).__name__}, "
                    "not string"
                )
        return cls(validators=checked, seen=dict(seen))

    def to_mapping(self) -> dict[str, Any]:
        return {
            "validators": {url: dict(v) for url, v in sorted(self.validators.items())},
            "seen": dict(sorted(self.seen.items())),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_mapping(), sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, *, where: str = "state") -> CrawlState:
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise CrawlStateError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(value, dict):
            raise CrawlStateError(f"{where}: a {type(value).__name__}, not a JSON object")
        return cls.from_mapping(value, where=where)

    @classmethod
    def load(cls, path: Path) -> CrawlState:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CrawlStateError(f"state file {path} cannot be read: {exc}") from exc
        return cls.from_json(text, where=f"state file {path}")

    def dump(self, path: Path) -> None:
        """Write atomically: a crawl killed mid-write leaves the previous file or none."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        part.write_text(self.to_json(), encoding="utf-8")
        os.replace(part, path)


def fingerprint_of(value: Any) -> str:
    """A short stable hash of a JSON value (dict key order does not matter)."""
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


class IncrementalTracker:
    """A crawl's view of its state: what to skip, and what to write back at the end.

    Seen identities are committed only when a RawDocument built from the page itself has
    passed every item pipeline (landed); a document landed from its feed entry after the page
    failed is not seen, so the page is asked for again next night. Any failure other than a
    permanent one (PERMANENT_FAILURES) drops every validator, so the next night fetches the
    lists and feeds in full and reaches the pages that failed.
    """

    def __init__(self, state: CrawlState | None = None) -> None:
        self.previous = state or CrawlState()
        self.validators: dict[str, dict[str, str]] = {
            url: dict(v) for url, v in self.previous.validators.items()
        }
        self.seen: dict[str, str] = dict(self.previous.seen)
        self._pending: dict[str, str] = {}
        self.retryable_failures = 0

    def validators_for(self, url_key: str) -> Mapping[str, str]:
        return self.previous.validators.get(url_key, {})

    def is_seen(self, source_id: str, fingerprint: str) -> bool:
        return self.previous.seen.get(source_id) == fingerprint

    def record_validators(self, url_key: str, etag: str | None, last_modified: str | None) -> None:
        pair = {
            k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v is not None
        }
        if pair:
            self.validators[url_key] = pair
        else:
            self.validators.pop(url_key, None)

    def page_parsed(self, source_id: str, fingerprint: str) -> None:
        """The page of `source_id` yielded its document; it counts once the document lands."""
        self._pending[source_id] = fingerprint

    def landed(self, source_id: str) -> None:
        """A RawDocument of `source_id` passed the pipelines; seen if its page was parsed."""
        fingerprint = self._pending.pop(source_id, None)
        if fingerprint is not None:
            self.seen[source_id] = fingerprint

    def failed(self, error: str) -> None:
        if error not in PERMANENT_FAILURES:
            self.retryable_failures += 1

    def next_state(self, *, complete: bool = True) -> CrawlState:
        """The state to hand the next crawl; `complete` False when the crawl was cut short."""
        validators = self.validators if complete and not self.retryable_failures else {}
        return CrawlState(validators=validators, seen=self.seen)
