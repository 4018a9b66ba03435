"""The export-control portal's column list API (edi_ecms), which fills its article lists.

`POST <portal>/edi_ecms_web_front/front/column/getColumnList` with the form body
`pageNumber=<n>&columnID=<id>` answers `{"pageInfo": {"rows": [{"title", "url",
"publishTimeStr", "source", "id"}, ...]}}` (the shape a public scraper of the real portal
reads [T]) with the rows of `<portal>/edi_ecms_web_front/front/column/columns/<id>.json`, a
recorded page-1 answer, `PAGE_SIZE` rows a page; a page past the end, or a column without a
recording, has no rows. The portal is served where the bureau's home page links to it
(`/aqygzj/sites/exportcontrol.mofcom.gov.cn`). The real API's page size and its answer to a
bad form are not known [I]: here 10 rows, and HTTP 400 for a missing or non-numeric field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from minwatch.sample_sources.server import RouteResult, SampleServer, post_route

PORTAL = "/aqygzj/sites/exportcontrol.mofcom.gov.cn"
API_PATH = "/edi_ecms_web_front/front/column/getColumnList"
COLUMNS_DIR = "edi_ecms_web_front/front/column/columns"
PAGE_SIZE = 10


@post_route(PORTAL + API_PATH)
def column_list(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    try:
        page_number, column = int(params["pageNumber"]), int(params["columnID"])
    except (KeyError, ValueError):
        return 400, {"Content-Type": "text/plain"}, b"pageNumber and columnID are required"
    recorded = server.root / PORTAL.lstrip("/") / COLUMNS_DIR / f"{column}.json"
    rows: list[object] = []
    if recorded.is_file() and page_number >= 1:
        answer = json.loads(recorded.read_text(encoding="utf-8"))
        rows = answer["pageInfo"]["rows"][(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE]
    body = json.dumps({"pageInfo": {"rows": rows}}, ensure_ascii=False).encode("utf-8")
    return 200, {"Content-Type": "application/json;charset=UTF-8"}, body
