"""DLA Strategic Materials leaf: news releases and AMP tables, real crawls over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import SampleServer
from minwatch.spiders.documents import to_document
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as split

DLA = "https://www.dla.mil"
NEWS = f"{DLA}/About-DLA/News/News-Article-View/Article"
ANTIMONY = (
    f"{NEWS}/4312733/"
    "dla-awards-245-million-antimony-contract-to-united-states-antimony-corporation/"
)
COBALT = f"{NEWS}/4336518/dla-cancels-cobalt-solicitation-plans-to-reissue/"
MISSING = (
    f"{NEWS}/4355001/dla-offers-tungsten-ores-and-concentrates-under-basic-ordering-agreement/"
)
AMP_2026 = f"{DLA}/Strategic-Materials/Reports/AMP-FY2026/"
EDT = timezone(timedelta(hours=-4))


@pytest.fixture(scope="module")
def dla_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with SampleServer() as server:
        yield run_crawl(
            "dla_strategic_materials",
            landing_dir=tmp_path_factory.mktemp("landing"),
            run_id="night-1",
            base_url=server.base_url,
            spider_args=SAMPLE_SPIDER_ARGS["dla_strategic_materials"],
            settings=FAST,
            timeout_s=120,
        )


def test_news_and_amp_pages_land(dla_crawl: CrawlResult) -> None:
    assert dla_crawl.error is None, dla_crawl.error
    documents, failures = split(dla_crawl)
    assert len(documents) == 8
    kinds = sorted(d.kind for d in documents.values())
    assert kinds == ["news"] * 6 + ["procurement"] * 2
    assert all(d.format == "dla_page" for d in documents.values())
    assert [(f.error, f.source_id, f.http_status) for f in failures] == [("http_404", MISSING, 404)]
    antimony = documents[ANTIMONY]
    assert (
        antimony.title
        == "DLA awards $245 million antimony contract to United States Antimony Corporation"
    )
    assert antimony.published_at == datetime(2025, 9, 23, 10, 0, tzinfo=EDT)


def test_amp_table_becomes_text(dla_crawl: CrawlResult) -> None:
    documents, _ = split(dla_crawl)
    document = to_document(documents[AMP_2026])
    assert document.kind == "procurement"
    assert document.title == "AMP – Potential Acquisitions of New NDS Stocks – Fiscal Year 2026"
    lines = document.text.splitlines()
    assert lines[2:5] == [
        "Antimony ingots: up to 1,100 short tons",
        "Bismuth: up to 100 short tons",
        "Chromium metal: up to 4,500 short tons",
    ]
    assert "Scandium oxide: up to 6,400 kilograms" in lines
    assert "Tantalum: up to 99,000 pounds" in lines
    assert len([line for line in lines if ": up to " in line]) == 12


def test_news_release_text_keeps_the_article_only(dla_crawl: CrawlResult) -> None:
    documents, _ = split(dla_crawl)
    document = to_document(documents[COBALT])
    assert document.kind == "news"
    assert document.doc_id == f"web:{COBALT}"
    assert "up to 7,480 metric tons of cobalt over five years" in document.text
    assert "Fort Belvoir" not in document.text  # site footer
    assert "Related links" not in document.text


def test_robots_txt_of_dla_is_read_first(tmp_path: Path) -> None:
    # Served from its own root, the sample dla.mil has its own robots.txt at /robots.txt.
    with SampleServer(SAMPLE_ROOT / "dla") as server:
        result = run_crawl(
            "dla_strategic_materials",
            landing_dir=tmp_path,
            run_id="night-1",
            base_url=server.base_url,
            settings=FAST,
            timeout_s=120,
        )
        paths = [r.path for r in server.requests]
    assert result.error is None, result.error
    assert paths[0] == "/robots.txt"
    assert result.stats.get("robotstxt/response_status_count/200") == 1
    documents, _ = split(result)
    assert len(documents) == 8
