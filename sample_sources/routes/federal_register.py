"""Federal Register API v1 document search over `federal_register/documents.json`.

Implements the conditions the spider uses (`conditions[agencies][]`, `conditions[type][]`,
`conditions[publication_date][gte|lte|is]`, `conditions[term]`), `order`, `per_page`, `page`
and `search_after_cursor`, with the real API's answers (sources.md §2): a zero-hit search is
just `{"count":0}`, `next_page_url` is a plain `page=N` link for small result sets and an
opaque `search_after_cursor` for larger ones, null on the last page.

The server parses the query into a dict, so a repeated parameter keeps its last value: the
spider sends one `conditions[type][]` per search. `fields[]` is not emulated: the stored
records hold exactly the fields the spider asks for.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from minwatch.sample_sources.server import RouteResult, SampleServer, route

TYPE_NAMES = {
    "RULE": "Rule",
    "PRORULE": "Proposed Rule",
    "NOTICE": "Notice",
    "PRESDOCU": "Presidential Document",
}
MAX_PER_PAGE = 1000
MAX_RESULTS = 10000  # the real API clamps `count` and refuses pages past it
# Stand-in for the real API's "big result set": above this many hits, next_page_url carries a
# search_after_cursor instead of page=N.
CURSOR_ABOVE = 4
_TERM = re.compile(r'"([^"]+)"|(\S+)')


def _json(status: int, payload: Any) -> RouteResult:
    body = json.dumps(payload).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8"}, body


def _error(message: str) -> RouteResult:
    return _json(400, {"status": 400, "errors": [message]})


def _load(server: SampleServer) -> list[dict[str, Any]]:
    path = server.root / "federal_register" / "documents.json"
    payload = json.loads(server.substitute(path.read_bytes()))
    return [r for r in payload.get("results", []) if isinstance(r, dict)]


def _full_text(server: SampleServer, record: Mapping[str, Any]) -> str:
    # Full-text search covers the document body, as on federalregister.gov.
    number = str(record.get("document_number"))
    published = str(record.get("publication_date", ""))
    year, month, day = [*published.split("-"), "", "", ""][:3]
    for kind, suffix in (("text", "txt"), ("html", "html")):
        path = (
            server.root
            / "federal_register"
            / "full_text"
            / kind
            / year
            / month
            / day
            / f"{number}.{suffix}"
        )
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def term_matches(term: str, text: str) -> bool:
    """`a OR b`, `a | b`, quoted phrases; words of one alternative must all occur."""
    haystack = " ".join(text.lower().split())
    alternatives = re.split(r"\s+(?:OR|\|)\s+", term.strip())
    for alternative in alternatives:
        words = [
            (m.group(1) or m.group(2)).strip("()").lower() for m in _TERM.finditer(alternative)
        ]
        words = [w for w in words if w]
        if words and all(
            re.search(rf"(?<!\w){re.escape(' '.join(w.split()))}(?!\w)", haystack) for w in words
        ):
            return True
    return False


def _matches(server: SampleServer, record: Mapping[str, Any], params: Mapping[str, str]) -> bool:
    if agency := params.get("conditions[agencies][]"):
        slugs = {a.get("slug") for a in record.get("agencies") or [] if isinstance(a, dict)}
        if agency not in slugs:
            return False
    if (code := params.get("conditions[type][]")) and record.get("type") != TYPE_NAMES.get(
        code.upper()
    ):
        return False
    published = date.fromisoformat(str(record.get("publication_date")))
    for key, accept in (
        ("gte", lambda bound: published >= bound),
        ("lte", lambda bound: published <= bound),
        ("is", lambda bound: published == bound),
    ):
        value = params.get(f"conditions[publication_date][{key}]")
        if value and not accept(date.fromisoformat(value)):
            return False
    if term := params.get("conditions[term]", "").strip():
        searchable = " ".join(
            str(record.get(k) or "") for k in ("title", "abstract", "action", "dates")
        )
        return term_matches(term, searchable + " " + _full_text(server, record))
    return True


def _cursor(record: Mapping[str, Any]) -> str:
    # Opaque like the real one: base64 of [sort key, document number], no padding.
    key = [str(record["publication_date"]), str(record["document_number"])]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _after_cursor(records: list[dict[str, Any]], cursor: str) -> int:
    padded = cursor + "=" * (-len(cursor) % 4)
    try:
        key = json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return -1
    for index, record in enumerate(records):
        if [record.get("publication_date"), record.get("document_number")] == key:
            return index + 1
    return -1


@route("/api/v1/documents.json", "/api/v1/documents")
def documents(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    try:
        per_page = int(params.get("per_page", "20"))
        page = int(params.get("page", "1"))
    except ValueError:
        return _error("per_page and page must be integers")
    if not 1 <= per_page <= MAX_PER_PAGE:
        return _error(f"per_page must be between 1 and {MAX_PER_PAGE}")
    for key in ("gte", "lte", "is"):
        value = params.get(f"conditions[publication_date][{key}]")
        try:
            if value:
                date.fromisoformat(value)
        except ValueError:
            return _error(f"conditions[publication_date][{key}] is not a valid date: {value}")
    matches = [r for r in _load(server) if _matches(server, r, params)]
    matches.sort(
        key=lambda r: (r["publication_date"], r["document_number"]),
        reverse=params.get("order", "relevance") != "oldest",
    )
    if not matches:
        return _json(200, {"count": 0})
    if cursor := params.get("search_after_cursor"):
        start = _after_cursor(matches, cursor)
        if start < 0:
            return _error("search_after_cursor is invalid")
    else:
        start = (page - 1) * per_page
        if start >= MAX_RESULTS:
            return _error("page is too large; narrow the search")
    results = matches[start : start + per_page]
    total_pages = -(-len(matches) // per_page)
    next_page_url = None
    if start + per_page < len(matches):
        echoed = {k: v for k, v in params.items() if k not in ("page", "search_after_cursor")}
        echoed["format"] = "json"
        if len(matches) > CURSOR_ABOVE:
            echoed["page"] = str(start // per_page + 2)
            echoed["search_after_cursor"] = _cursor(results[-1])
        else:
            echoed["page"] = str(page + 1)
        next_page_url = f"{server.base_url}/api/v1/documents?{urlencode(sorted(echoed.items()))}"
    scope = params.get("conditions[agencies][]") or "all agencies"
    return _json(
        200,
        {
            "description": f"Documents from {scope}",
            "count": min(len(matches), MAX_RESULTS),
            "total_pages": total_pages,
            "next_page_url": next_page_url,
            "results": results,
        },
    )
