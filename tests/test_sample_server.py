"""The loopback sample server: SAM API answers, static files, conditional GETs, overrides."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from minwatch.sample_sources.server import Override, SampleServer

KEY = "server-test-key"


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer() as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def search(server: SampleServer, query: str) -> tuple[int, Any]:
    status, _, body = get(f"{server.base_url}/opportunities/v2/search?{query}")
    return status, json.loads(body)


def test_search_pages_by_page_index(server: SampleServer) -> None:
    query = f"api_key={KEY}&postedFrom=06/01/2025&postedTo=05/01/2026&organizationCode=SP8000"
    status, first = search(server, query + "&limit=5&offset=0")
    _, second = search(server, query + "&limit=5&offset=1")
    assert status == 200
    assert first["totalRecords"] == 15  # the SP8000 notices in the sample
    assert (first["limit"], first["offset"], len(first["opportunitiesData"])) == (5, 0, 5)
    first_ids = {r["noticeId"] for r in first["opportunitiesData"]}
    second_ids = {r["noticeId"] for r in second["opportunitiesData"]}
    assert len(second_ids) == 5 and not first_ids & second_ids
    assert KEY not in json.dumps(first)
    assert first["opportunitiesData"][0]["description"].startswith(server.base_url)


def test_search_filters(server: SampleServer) -> None:
    base = f"api_key={KEY}&postedFrom=01/01/2025&postedTo=12/31/2025&limit=100"
    _, award = search(server, base + "&ptype=a&ncode=331492")
    assert [r["solicitationNumber"] for r in award["opportunitiesData"]] == ["SP8000-25-R-0009"]
    _, titled = search(server, base + "&title=scandium")
    assert [r["noticeId"] for r in titled["opportunitiesData"]] == [
        "d91e8a5b9748acde6c069482b22520f2"
    ]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("postedFrom=01/01/2025&postedTo=02/01/2025", 401, "No api_key was supplied"),
        (f"api_key={KEY}&postedTo=02/01/2025", 400, "PostedFrom and PostedTo are mandatory"),
        (
            f"api_key={KEY}&postedFrom=2025-01-01&postedTo=02/01/2025",
            400,
            "Invalid Date Entered. Expected date format is MM/dd/yyyy",
        ),
        (
            f"api_key={KEY}&postedFrom=01/01/2024&postedTo=02/01/2025",
            400,
            "Date range must be 1 year(s) apart",
        ),
        (
            f"api_key={KEY}&postedFrom=01/01/2025&postedTo=02/01/2025&limit=1001",
            400,
            "Limit valid range is 0-1000. Please provide valid input.",
        ),
        (f"api_key={KEY}&postedFrom=01/01/2020&postedTo=02/01/2020", 404, "No Data found"),
    ],
)
def test_search_errors_use_the_documented_messages(
    server: SampleServer, query: str, status: int, message: str
) -> None:
    got_status, payload = search(server, query)
    assert (got_status, payload["error"]["message"]) == (status, message)


def test_description_and_its_not_found_answer(server: SampleServer) -> None:
    url = f"{server.base_url}/prod/opportunities/v1/noticedesc?api_key={KEY}&noticeid="
    status, _, body = get(url + "619412d11a62387ed288a349c24f7024")
    assert status == 200
    assert "SP8000-25-D-0007" in json.loads(body)["description"]
    status, _, body = get(url + "fc194d63e48ae42b86359b1471fc1f79")
    assert (status, json.loads(body)["error"]["message"]) == (404, "Description Not Found")


def test_static_files_substitute_base_url_and_answer_conditional_gets(
    server: SampleServer,
) -> None:
    url = f"{server.base_url}/news/mining_feed.xml"
    status, headers, body = get(url)
    assert status == 200
    assert headers["Content-Type"] == "application/xml"
    assert b"__BASE_URL__" not in body
    assert f"{server.base_url}/news/articles/".encode() in body
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    page = get(f"{server.base_url}/news/articles/gold-price-record-central-bank-buying/")
    assert page[0] == 200 and page[1]["Content-Type"] == "text/html; charset=utf-8"
    assert get(f"{server.base_url}/news/articles/nope/")[0] == 404
    assert get(f"{server.base_url}/server.py")[0] == 404
    assert get(f"{server.base_url}/../pyproject.toml")[0] == 404


def test_request_log_redacts_the_key(server: SampleServer) -> None:
    get(f"{server.base_url}/opportunities/v2/search?api_key={KEY}&limit=1")
    logged = server.requests[-1]
    assert logged.method == "GET"
    assert logged.path == "/opportunities/v2/search?api_key=***&limit=1"
    assert logged.status == 400
    assert all(KEY not in r.path for r in server.requests)


def test_queued_overrides_answer_once_each_then_the_real_route() -> None:
    busy = Override(status=429, body="slow down", headers={"Retry-After": "3"})
    with SampleServer(overrides={"/robots.txt": [busy, busy]}) as server:
        answers = [get(f"{server.base_url}/robots.txt") for _ in range(3)]
    assert [a[0] for a in answers] == [429, 429, 200]
    assert answers[0][1]["Retry-After"] == "3"
    assert b"Disallow: /wp-admin/" in answers[2][2]


EXPORTCONTROL_API = (
    "/aqygzj/sites/exportcontrol.mofcom.gov.cn/edi_ecms_web_front/front/column/getColumnList"
)


def post_form(url: str, form: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url,
        data=form.encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_export_control_portal_answers_its_column_list_to_a_posted_form(
    server: SampleServer,
) -> None:
    url = server.base_url + EXPORTCONTROL_API
    status, headers, body = post_form(url, "pageNumber=1&columnID=15")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    # Newest first: 2025 No. 10 (whose page is the SSI failure page), then 2024 No. 33.
    ssi_row, row = json.loads(body)["pageInfo"]["rows"]
    assert (ssi_row["id"], ssi_row["url"], ssi_row["publishTimeStr"]) == (
        1105,
        "/article/zcfg/gnzcfg/zcfggzqd/202502/1105.html",
        "2025-02-04 16:30:00",
    )
    assert row == {
        "id": 1024,
        "title": "商务部 海关总署公告2024年第33号 关于对锑等物项实施出口管制的公告",
        "url": "/article/zcfg/gnzcfg/zcfggzqd/202408/1024.html",
        "publishTimeStr": "2024-08-26 10:15:00",
        "source": "安全与管制局",
    }
    # Past the last page, and a column without a recording: no rows.
    assert json.loads(post_form(url, "pageNumber=2&columnID=15")[2]) == {"pageInfo": {"rows": []}}
    assert json.loads(post_form(url, "pageNumber=1&columnID=13")[2]) == {"pageInfo": {"rows": []}}
    assert post_form(url, "pageNumber=one&columnID=15")[0] == 400
    assert post_form(url, "columnID=15")[0] == 400
    # The API takes POST only; POST to a static file is refused.
    status, headers, _ = get(url)
    assert (status, headers["Allow"]) == (405, "POST")
    assert post_form(server.base_url + "/robots.txt", "a=1")[0] == 405
    logged = [r for r in server.requests if r.path == EXPORTCONTROL_API and r.method == "POST"]
    assert logged[0].form == {"pageNumber": "1", "columnID": "15"}
