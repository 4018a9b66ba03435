"""MOFCOM's jpaas "build unit" API, which fills the JavaScript-built 政策发布 list.

`GET /mofcom/api-gateway/jpaas-publish-server/front/page/build/unit?...&paramJson={"pageNo":N,
"pageSize":M}` answers `{"success": true, "data": {"html": "<li>…</li>…"}}` with the items of
`mofcom/zwgk/zcfb/list_items.json`; a page past the end has an html without items. Like the
real API it refuses (403) a request without the list page as Referer, and answers
`{"success": false, ...}` to unknown page or site ids.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from minwatch.sample_sources.server import RouteResult, SampleServer, route

SITE_PREFIX = "/mofcom"
API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
REFERER_SUFFIX = "/zwgk/zcfb/index.html"
EXPECTED = {
    "webId": "8f43c7ad3afc411fb56f281724b73708",
    "pageId": "fc8bdff48fa345a48b651c1285b70b8f",
    "tplSetId": "52551ea0e2c14bca8c84792f7aa37ead",
}
_JSON = {"Content-Type": "application/json;charset=UTF-8"}


def _answer(payload: object, status: int = 200) -> RouteResult:
    return status, dict(_JSON), json.dumps(payload, ensure_ascii=False).encode("utf-8")


@route(SITE_PREFIX + API_PATH)
def build_unit(
    server: SampleServer, params: Mapping[str, str], headers: Mapping[str, str]
) -> RouteResult:
    referer = next((v for k, v in headers.items() if k.lower() == "referer"), "")
    if not referer.split("?")[0].endswith(REFERER_SUFFIX):
        body = b"<html><body><h1>403 Forbidden</h1></body></html>"
        return 403, {"Content-Type": "text/html"}, body
    for key, value in EXPECTED.items():
        if params.get(key) != value:
            return _answer({"success": False, "code": "500", "message": f"{key}参数错误"})
    try:
        paging = json.loads(params.get("paramJson", ""))
        page_no, page_size = int(paging["pageNo"]), int(paging["pageSize"])
    except (ValueError, KeyError, TypeError):
        return _answer({"success": False, "code": "500", "message": "paramJson参数错误"})
    if page_no < 1 or not 1 <= page_size <= 100:
        return _answer({"success": False, "code": "500", "message": "分页参数错误"})
    listing = json.loads((server.root / "mofcom/zwgk/zcfb/list_items.json").read_text("utf-8"))
    items = listing["items"][(page_no - 1) * page_size : page_no * page_size]
    rows = "".join(
        f'<li><a href="{html.escape(item["href"])}" title="{html.escape(item["title"])}" '
        f'target="_blank">{html.escape(item["title"])}</a><span>[{item["date"]}]</span></li>'
        for item in items
    )
    return _answer({"success": True, "data": {"html": f'<ul class="txtList_01">{rows}</ul>'}})
