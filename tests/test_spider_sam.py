"""SamGovOpportunitiesSpider: real crawls over HTTP against the loopback sample server."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.sam_gov import date_windows
from minwatch.spiders.state import CrawlState
from minwatch.spiders.vocabulary import names_mineral
from tests.crawl_helpers import split_landing as landed

SENTINEL_KEY = "SENTINEL-sam-key-7f3a9c"
WINDOW = {"from_date": "2025-06-01", "until_date": "2026-05-01"}
FAST = {"DOWNLOAD_DELAY": "0"}
ANTIMONY_AWARD = "619412d11a62387ed288a349c24f7024"
CANCELLED_COBALT = "fc194d63e48ae42b86359b1471fc1f79"  # no description file in the sample
IRRELEVANT = {
    "1ce5fbb29c66f8fd80a37b161d49b8e5",  # NAVSEA ship availability
    "9df5afd74e83fd01a85e0184a588a5bc",  # janitorial services
    "56965b5516a88ec6de225913709dbb6e",  # scheduling software
}
QUOTA_BODY = json.dumps(
    {
        "code": "900804",
        "message": "Message throttled out",
        "description": "You have exceeded your quota. You can access API after "
        "2026-11-29 00:00:00+0000 UTC",
    }
)


def sample_records() -> list[dict[str, Any]]:
    payload = json.loads((SAMPLE_ROOT / "sam_gov" / "opportunities.json").read_text())
    return list(payload["opportunitiesData"])


@pytest.fixture(scope="module")
def sam_crawl(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[CrawlResult, SampleServer]]:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SAM_GOV_API_KEY", SENTINEL_KEY)
    landing_dir = tmp_path_factory.mktemp("landing")
    with SampleServer() as server:
        # DEBUG logs every request URL, so the redaction of the key is really exercised.
        result = run_crawl(
            "sam_gov",
            landing_dir=landing_dir,
            run_id="night-1",
            base_url=server.base_url,
            spider_args={**WINDOW, "limit": "3"},
            settings={**FAST, "LOG_LEVEL": "DEBUG"},
            timeout_s=120,
        )
        yield result, server
    monkeypatch.undo()


def test_crawl_finishes_and_lands_every_relevant_notice(sam_crawl: tuple[CrawlResult, Any]) -> None:
    result, _ = sam_crawl
    assert result.error is None, result.error
    assert result.returncode == 0
    assert result.landing_path == result.landing_path.parent / "night-1.jsonl"
    assert result.landing_path.parent.name == "sam_gov"
    documents, failures = landed(result)
    expected = {r["noticeId"] for r in sample_records()} - IRRELEVANT
    assert set(documents) == expected
    assert failures == []
    assert result.documents == len(expected)
    assert result.stats["finish_reason"] == "finished"


def test_antimony_award_is_parsed_by_value(sam_crawl: tuple[CrawlResult, Any]) -> None:
    documents, _ = landed(sam_crawl[0])
    award = documents[ANTIMONY_AWARD]
    assert award.format == "sam_opportunity"
    assert award.kind == "procurement"
    assert award.title == "Antimony Metal Ingot for the National Defense Stockpile"
    assert award.url == f"https://sam.gov/workspace/contract/opp/{ANTIMONY_AWARD}/view"
    assert award.published_at == datetime(2025, 9, 23, tzinfo=UTC)
    assert award.data is not None
    assert award.data["solicitationNumber"] == "SP8000-25-R-0009"
    assert award.data["award"]["amount"] == "245000000.00"
    assert award.data["award"]["awardee"]["name"] == "UNITED STATES ANTIMONY CORPORATION"
    assert award.data["description_error"] is None
    assert (
        "has awarded contract <strong>SP8000-25-D-0007</strong>" in award.data["description_html"]
    )
    assert award.data["description"].endswith(f"/noticedesc?noticeid={ANTIMONY_AWARD}")


def test_missing_description_lands_the_notice_with_the_error(
    sam_crawl: tuple[CrawlResult, Any],
) -> None:
    documents, _ = landed(sam_crawl[0])
    cancelled = documents[CANCELLED_COBALT]
    assert cancelled.data is not None
    assert cancelled.data["description_html"] is None
    assert cancelled.data["description_error"] == "Description Not Found"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"error": {"code": "404", "message": "Description Not Found"}}', "application/json"),
        ('{"description": "Description Not Found"}', "application/json"),
        ("Description Not Found", "text/plain"),
    ],
    ids=["json-error", "json-description", "plain-text"],
)
def test_description_not_found_with_http_200_lands_the_notice_as_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, content_type: str
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", SENTINEL_KEY)
    not_found = Override(status=200, body=body, headers={"Content-Type": content_type})
    one_notice = {"from_date": "2025-09-23", "until_date": "2025-09-23"}  # the antimony award
    with SampleServer(overrides={"/prod/opportunities/v1/noticedesc": not_found}) as server:
        first = run_crawl(
            "sam_gov",
            landing_dir=tmp_path / "one",
            run_id="night-1",
            base_url=server.base_url,
            spider_args=one_notice,
            settings=FAST,
            timeout_s=120,
        )
        assert first.state_path is not None
        state = CrawlState.load(first.state_path)
        second = run_crawl(
            "sam_gov",
            landing_dir=tmp_path / "two",
            run_id="night-2",
            base_url=server.base_url,
            spider_args=one_notice,
            settings=FAST,
            state=state,
            timeout_s=120,
        )
        described = [r.path for r in server.requests if "noticedesc" in r.path]
    documents, failures = landed(first)
    assert failures == []
    award = documents[ANTIMONY_AWARD]
    assert award.data is not None
    assert award.data["description_html"] is None
    assert award.data["description_error"] == "Description Not Found"
    # Seen: the next night neither asks for the description again nor lands the notice.
    assert ANTIMONY_AWARD in state.seen
    assert len(described) == 1
    assert landed(second) == ({}, [])


def test_irrelevant_notices_are_neither_landed_nor_described(
    sam_crawl: tuple[CrawlResult, SampleServer],
) -> None:
    result, server = sam_crawl
    documents, _ = landed(result)
    assert not IRRELEVANT & set(documents)
    described = {r.path for r in server.requests if "noticedesc" in r.path}
    assert not any(notice_id in path for path in described for notice_id in IRRELEVANT)


def test_pages_are_requested_by_page_index_until_total_records(
    sam_crawl: tuple[CrawlResult, SampleServer],
) -> None:
    _, server = sam_crawl
    window = (date(2025, 6, 1), date(2026, 5, 1))
    in_office = [
        r
        for r in sample_records()
        if "SP8000" in r["fullParentPathCode"].split(".")
        and window[0] <= date.fromisoformat(r["postedDate"][:10]) <= window[1]
    ]
    offsets = [
        int(r.path.split("offset=")[1].split("&")[0])
        for r in server.requests
        if "organizationCode=SP8000" in r.path
    ]
    assert len(in_office) > 3 * 2  # the sample really needs several pages at limit=3
    assert sorted(offsets) == list(range(math.ceil(len(in_office) / 3)))


def test_no_hits_search_is_an_empty_result_not_a_failure(
    sam_crawl: tuple[CrawlResult, SampleServer],
) -> None:
    result, server = sam_crawl
    no_data = [r for r in server.requests if r.status == 404 and "search" in r.path]
    assert any("ncode=331491" in r.path for r in no_data)  # no sample notice has 331491
    _, failures = landed(result)
    assert not [f for f in failures if f.http_status == 404]


def test_api_key_never_reaches_landing_log_or_stats(
    sam_crawl: tuple[CrawlResult, SampleServer],
) -> None:
    result, server = sam_crawl
    log = result.log_path.read_text()
    assert "api_key=***" in log  # DEBUG logged the request URLs, redacted
    for path in (
        result.landing_path,
        result.log_path,
        result.landing_path.with_suffix(".stats.json"),
    ):
        assert SENTINEL_KEY not in path.read_text(), path
    assert all(SENTINEL_KEY not in r.path for r in server.requests)
    assert all("api_key=***" in r.path for r in server.requests)


def test_retry_after_is_honoured_then_the_crawl_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", SENTINEL_KEY)
    busy = Override(
        status=429,
        body='{"error": {"code": "429", "message": "Too Many Requests"}}',
        headers={"Content-Type": "application/json", "Retry-After": "1"},
    )
    with SampleServer(overrides={"/opportunities/v2/search": [busy]}) as server:
        result = run_crawl(
            "sam_gov",
            landing_dir=tmp_path,
            run_id="retry",
            base_url=server.base_url,
            spider_args={"from_date": "2025-09-20", "until_date": "2025-09-25"},
            settings=FAST,
            timeout_s=120,
        )
        statuses = [r.status for r in server.requests if "search" in r.path]
    assert result.error is None, result.error
    assert statuses.count(429) == 1
    assert result.stats["minwatch/retry_after/waited_ms"] == 1000
    assert result.stats["retry/count"] == 1
    documents, failures = landed(result)
    assert set(documents) == {ANTIMONY_AWARD, "d91e8a5b9748acde6c069482b22520f2"}
    assert failures == []


def test_quota_429_stops_the_source_with_a_quota_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAM_GOV_API_KEY", SENTINEL_KEY)
    quota = Override(status=429, body=QUOTA_BODY, headers={"Content-Type": "application/json"})
    with SampleServer(overrides={"/prod/opportunities/v1/noticedesc": quota}) as server:
        result = run_crawl(
            "sam_gov",
            landing_dir=tmp_path,
            run_id="quota",
            base_url=server.base_url,
            spider_args=WINDOW,
            settings=FAST,
            timeout_s=120,
        )
        description_paths = [r.path for r in server.requests if "noticedesc" in r.path]
    assert result.error is None, result.error
    assert result.stats["finish_reason"] == "quota"
    # Not retried, and nothing more was asked of the API after the quota answer.
    assert len(description_paths) == 1
    assert result.stats["minwatch/skipped_after_stop"] >= 1
    documents, failures = landed(result)
    quota_failures = [f for f in failures if f.error == "quota"]
    assert len(quota_failures) >= 1
    assert quota_failures[0].http_status == 429
    assert quota_failures[0].message.startswith("Message throttled out: You have exceeded")
    assert "api_key" not in quota_failures[0].url
    notice = documents[quota_failures[0].source_id or ""]
    assert notice.data is not None
    assert notice.data["description_error"].startswith("quota: Message throttled out")


def test_missing_api_key_is_recorded_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAM_GOV_API_KEY", raising=False)
    with SampleServer() as server:
        result = run_crawl(
            "sam_gov",
            landing_dir=tmp_path,
            run_id="nokey",
            base_url=server.base_url,
            spider_args=WINDOW,
            settings=FAST,
            timeout_s=120,
        )
        assert server.requests == []
    _, failures = landed(result)
    assert [f.error for f in failures] == ["missing_api_key"]
    assert failures[0].message == "SAM_GOV_API_KEY is not set; the SAM.gov source cannot run."


def test_date_windows_stay_within_one_year() -> None:
    windows = date_windows(date(2024, 1, 1), date(2025, 6, 30))
    assert windows == [
        (date(2024, 1, 1), date(2024, 12, 30)),
        (date(2024, 12, 31), date(2025, 6, 30)),
    ]
    assert date_windows(date(2025, 1, 1), date(2025, 1, 1)) == [
        (date(2025, 1, 1), date(2025, 1, 1))
    ]
    with pytest.raises(ValueError, match="before from_date"):
        date_windows(date(2025, 2, 1), date(2025, 1, 1))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Antimony Metal Ingot for the National Defense Stockpile", True),
        ("Request for Information: Rare Earth Oxides", True),
        ("Cobalt Cut Cathode and Rounds", True),
        ("Janitorial and Custodial Services", False),
        ("Testing services for distinct valves", False),  # "tin" only inside words
        (None, False),
    ],
)
def test_mineral_terms_match_whole_words(title: str | None, expected: bool) -> None:
    assert names_mineral(title) is expected


@pytest.mark.parametrize(
    ("title", "relevant"),
    [
        ("Antimony Metal Ingot for the National Defense Stockpile", True),
        ("Rare-earth oxides, REE concentrate", True),
        ("Molybdenum trioxide, technical grade", True),  # a stockpile material, not scored
        ("Lead time extension for office furniture", False),  # "lead" needs context
        ("Janitorial services, Building 12", False),
    ],
)
def test_relevance_reads_the_extractors_mineral_names(title: str, relevant: bool) -> None:
    assert names_mineral(title) is relevant
