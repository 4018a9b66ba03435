"""GDELT DOC 2.0 API (`/api/v2/doc/doc`, mode ArtList, format json) over `gdelt/artlist.json`.

Answers like the real API (sources.md §4): `{"articles": [...]}`, `{}` when nothing matches, and
errors as plain text with HTTP 200 (the wording of the error sentences here is ours). Queries:
quoted phrases, bare words and parenthesised OR groups, all ANDed, plus `sourcelang:`,
`sourcecountry:` and `domain:`; matched against the title and the article page (for
non-English articles, against the record's `_translation`, as GDELT searches translations).
Time: `timespan` (`15min`, `24h`, `7d`, `1w`, `3m`) back from the server's clock, or
`startdatetime`/`enddatetime` (YYYYMMDDHHMMSS, UTC) against `seendate`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from minwatch.sample_sources.server import RouteResult, SampleServer, route

MAX_RECORDS = 250
_TOKEN = re.compile(r'\(([^)]*)\)|"([^"]+)"|(\S+)')
_SPAN = re.compile(r"^(\d+)(min|h|d|w|m)$")
_SPAN_UNITS = {"min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "m": 30 * 86400}


def _text(status: int, message: str) -> RouteResult:
    return status, {"Content-Type": "text/html; charset=utf-8"}, message.encode("utf-8")


def _json(payload: Any) -> RouteResult:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return 200, {"Content-Type": "application/json; charset=utf-8"}, body


def _page_text(server: SampleServer, url: str) -> str:
    path = server.static_path(urlsplit(url).path)
    if path is None:
        return ""
    return re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))


def _has(haystack: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.lower())}", haystack) is not None


def query_matches(query: str, record: Mapping[str, Any], text: str) -> bool:
    haystack = " ".join(f"{record.get('title', '')} {text}".lower().split())
    for group, phrase, word in (m.groups() for m in _TOKEN.finditer(query)):
        if group is not None:
            options = [(p or w) for p, w in re.findall(r'"([^"]+)"|(\S+)', group)]
            if not any(_has(haystack, o) for o in options if o.upper() != "OR"):
                return False
        elif phrase is not None:
            if not _has(haystack, phrase):
                return False
        elif ":" in word:
            key, _, value = word.partition(":")
            field = {"sourcelang": "language", "sourcecountry": "sourcecountry"}.get(key.lower())
            if key.lower() in ("domain", "domainis"):
                if value.lower() not in str(record.get("domain", "")).lower():
                    return False
            elif field and str(record.get(field, "")).lower().replace(" ", "") != value.lower():
                return False
        elif not _has(haystack, word):
            return False
    return True


def _window(params: Mapping[str, str]) -> tuple[datetime, datetime] | str:
    start, end = params.get("startdatetime"), params.get("enddatetime")
    if start or end:
        try:
            low = datetime.strptime(start or "19790101000000", "%Y%m%d%H%M%S")
            high = datetime.strptime(end, "%Y%m%d%H%M%S") if end else datetime.now(UTC)
        except ValueError:
            return "Invalid STARTDATETIME or ENDDATETIME: use YYYYMMDDHHMMSS."
        return low.replace(tzinfo=UTC), high.replace(tzinfo=UTC) if not high.tzinfo else high
    span = _SPAN.match(params.get("timespan", "3m").strip().lower())
    if span is None:
        return "Invalid TIMESPAN: use a number followed by min, h, d, w or m."
    now = datetime.now(UTC)
    return now - timedelta(seconds=int(span.group(1)) * _SPAN_UNITS[span.group(2)]), now


@route("/api/v2/doc/doc")
def doc_search(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    query = params.get("query", "").strip()
    if len(query) < 3:
        return _text(200, "Your search was too short or contained no searchable terms.")
    if query.count("(") != query.count(")") or query.count('"') % 2:
        return _text(200, "Your query contained unbalanced parentheses or quotation marks.")
    if params.get("mode", "artlist").lower() != "artlist":
        return _text(200, "This sample of the API only implements mode=ArtList.")
    if params.get("format", "html").lower() != "json":
        return _text(200, "This sample of the API only implements format=json.")
    try:
        max_records = int(params.get("maxrecords", "75"))
    except ValueError:
        return _text(200, "Invalid MAXRECORDS.")
    window = _window(params)
    if isinstance(window, str):
        return _text(200, window)
    low, high = window
    path = server.root / "gdelt" / "artlist.json"
    records = json.loads(server.substitute(path.read_bytes())).get("articles", [])
    found = []
    for record in records:
        seen = datetime.strptime(record["seendate"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if not low <= seen <= high:
            continue
        text = record.get("_translation") or _page_text(server, record["url"])
        if query_matches(query, record, text):
            found.append({k: v for k, v in record.items() if not k.startswith("_")})
    found.sort(key=lambda r: r["seendate"], reverse=params.get("sort", "").lower() != "dateasc")
    found = found[: max(1, min(max_records, MAX_RECORDS))]
    return _json({"articles": found} if found else {})
