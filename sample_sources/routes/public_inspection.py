"""Federal Register public inspection desk over `federal_register/public_inspection/current.json`.

- `GET /api/v1/public-inspection-documents/current.json`: the desk as stored: `{"count",
  "special_filings_updated_at", "regular_filings_updated_at", "results"}`. Like the real desk
  (third-party captures [T]) it sends no ETag or Last-Modified, so a conditional GET of it is
  answered in full.
- `GET /api/v1/public-inspection-documents.json`: the search: `conditions[agencies][]`,
  `conditions[type][]` (filter codes RULE, PRORULE, NOTICE, PRESDOCU), `conditions[special_filing]`
  (1 special, 0 regular), `conditions[available_on]` (YYYY-MM-DD: filed on or before that day
  and published on or after it [I]), `per_page`, `page`. Answers `{"count", "total_pages",
  "next_page_url", "results"}`; no hit is `{"count": 0, "results": []}` [T].
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from minwatch.sample_sources.server import RouteResult, SampleServer, route

CURRENT = "federal_register/public_inspection/current.json"
# Filter codes -> the display names the records carry (as routes/federal_register.py).
TYPE_NAMES = {
    "RULE": "Rule",
    "PRORULE": "Proposed Rule",
    "NOTICE": "Notice",
    "PRESDOCU": "Presidential Document",
}


def _json(status: int, payload: Any) -> RouteResult:
    body = json.dumps(payload).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8"}, body


def _desk(server: SampleServer) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(server.substitute((server.root / CURRENT).read_bytes()))
    return loaded


@route("/api/v1/public-inspection-documents/current.json")
def current(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    return _json(200, _desk(server))


def _matches(record: Mapping[str, Any], params: Mapping[str, str]) -> bool:
    if agency := params.get("conditions[agencies][]"):
        slugs = {a.get("slug") for a in record.get("agencies") or [] if isinstance(a, dict)}
        if agency not in slugs:
            return False
    if (code := params.get("conditions[type][]")) and record.get("type") != TYPE_NAMES.get(
        code.upper()
    ):
        return False
    special = params.get("conditions[special_filing]")
    if special in ("0", "1") and (record.get("filing_type") == "special") != (special == "1"):
        return False
    if day := params.get("conditions[available_on]"):
        filed = str(record.get("filed_at") or "")[:10]
        published = str(record.get("publication_date") or "")
        if not (filed and filed <= day and (not published or published >= day)):
            return False
    return True


@route("/api/v1/public-inspection-documents.json", "/api/v1/public-inspection-documents")
def search(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    try:
        per_page = int(params.get("per_page", "20"))
        page = int(params.get("page", "1"))
    except ValueError:
        return _json(400, {"status": 400, "errors": ["per_page and page must be integers"]})
    if not 1 <= per_page <= 1000 or page < 1:
        return _json(400, {"status": 400, "errors": ["per_page must be between 1 and 1000"]})
    if day := params.get("conditions[available_on]"):
        try:
            date.fromisoformat(day)
        except ValueError:
            return _json(400, {"status": 400, "errors": [f"available_on is not a date: {day}"]})
    matches = [r for r in _desk(server).get("results", []) if _matches(r, params)]
    if not matches:
        return _json(200, {"count": 0, "results": []})
    start = (page - 1) * per_page
    next_page_url = None
    if start + per_page < len(matches):
        echoed = {**params, "page": str(page + 1)}
        next_page_url = f"{server.base_url}/api/v1/public-inspection-documents?" + urlencode(
            sorted(echoed.items())
        )
    return _json(
        200,
        {
            "count": len(matches),
            "total_pages": -(-len(matches) // per_page),
            "next_page_url": next_page_url,
            "results": matches[start : start + per_page],
        },
    )
