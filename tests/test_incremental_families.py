"""Incremental crawling of every source family, proved from the sample server's request log.

Each family is crawled three nights by real crawl subprocesses over the loopback sample server
(the third night on another port). The first crawl's state goes to the second (same sample
data), whose requests must be list, feed, index, search or API pages only (or 304s), plus any
page that failed the night before (it never landed, so it is asked for again). Then one
document changes at the source (a new list date, a new sitemap <lastmod>, a corrected Federal
Register record...) and the third night must fetch exactly that document again.

The server serves a module-wide copy of the samples; each family edits only its own files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import LoggedRequest, SampleServer
from minwatch.spiders.documents import read_landing
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST


@dataclass
class Night:
    result: CrawlResult
    requests: list[LoggedRequest]

    @property
    def state(self) -> CrawlState:
        assert self.result.state_path is not None, self.result.error
        return CrawlState.load(self.result.state_path)

    def paths(self) -> list[tuple[str, int]]:
        """(path without query, status) of every request but robots.txt, sorted."""
        return sorted(
            (r.path.split("?")[0], r.status) for r in self.requests if r.path != "/robots.txt"
        )

    def landed(self) -> tuple[dict[str, RawDocument], list[tuple[str | None, str]]]:
        documents: dict[str, RawDocument] = {}
        failures: list[tuple[str | None, str]] = []
        for record in read_landing(self.result.landing_path):
            if isinstance(record, FetchFailure):
                failures.append((record.source_id, record.error))
            else:
                documents[record.source_id] = record
        return documents, sorted(failures, key=str)


@dataclass
class Site:
    server: SampleServer
    root: Path
    landing: Path

    def crawl(
        self,
        source: str,
        run_id: str,
        state: CrawlState | None,
        server: SampleServer | None = None,
    ) -> Night:
        server = server or self.server
        before = len(server.requests)
        result = run_crawl(
            source,
            landing_dir=self.landing,
            run_id=run_id,
            base_url=server.base_url,
            spider_args=SAMPLE_SPIDER_ARGS.get(source),
            settings=FAST,
            state=state,
            timeout_s=180,
        )
        assert result.error is None, result.error
        return Night(result, server.requests[before:])

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace the one occurrence of `old` in a sample file (the source changed)."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not in {relative} exactly once"
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("samples") / "sample_root"
    shutil.copytree(SAMPLE_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with SampleServer(root=root) as server:
        yield Site(server, root, tmp_path_factory.mktemp("landing"))


def three_nights(site: Site, source: str, change: tuple[str, str, str]) -> list[Night]:
    """Two nights over the unchanged samples, then `change` (Site.edit) and a third night.

    The third night's server listens on another port, as every night's does in the flow:
    identities and fingerprints must not depend on it.
    """
    first = site.crawl(source, "night-1", None)
    second = site.crawl(source, "night-2", first.state)
    site.edit(*change)
    with SampleServer(root=site.root) as other_port:
        third = site.crawl(source, "night-3", second.state, server=other_port)
    return [first, second, third]


# -- Federal Register: API searches every night, full texts once per record version -------

FR_SEARCH = "/api/v1/documents.json"
FR_TEXT = "/federal_register/full_text/text"
# Document number -> publication date, the folder of its full text.
FR_DOCUMENTS = {
    "2025-07318": "2025/04/25", "2025-10964": "2025/06/16", "2025-13570": "2025/07/18",
    "2025-15120": "2025/08/11", "2025-17288": "2025/09/10", "2025-19422": "2025/10/28",
    "2025-21905": "2025/12/02", "2026-01377": "2026/01/27", "2026-03012": "2026/02/17",
}  # fmt: skip
HTML_ONLY = "2026-03012"  # its text rendition is missing: the HTML one is fetched
CORRECTED = "2025-19422"


def test_federal_register_fetches_full_texts_only_of_new_or_corrected_records(
    site: Site,
) -> None:
    first, second, third = three_nights(
        site,
        "federal_register",
        # A correction to one rule's effective date: its API record changes.
        (
            "federal_register/documents.json",
            '"effective_on": "2025-10-28"',
            '"effective_on": "2025-11-03"',
        ),
    )
    searches = [(FR_SEARCH, 200)] * 4  # RULE, PRORULE, NOTICE, full-text terms
    assert first.paths() == sorted(
        [
            *searches,
            *[(f"{FR_TEXT}/{day}/{n}.txt", 200 if n != HTML_ONLY else 404)
              for n, day in FR_DOCUMENTS.items()],
            (f"/federal_register/full_text/html/2026/02/17/{HTML_ONLY}.html", 200),
        ]
    )  # fmt: skip
    assert set(first.state.seen) == set(FR_DOCUMENTS)
    assert first.state.validators == {}  # the API sends no ETag or Last-Modified

    assert second.paths() == searches
    assert second.landed() == ({}, [])
    assert second.result.stats["minwatch/skipped_seen"] == len(FR_DOCUMENTS)
    assert second.state == first.state

    assert third.paths() == sorted([*searches, (f"{FR_TEXT}/2025/10/28/{CORRECTED}.txt", 200)])
    documents, failures = third.landed()
    assert list(documents) == [CORRECTED]
    assert documents[CORRECTED].data is not None
    assert documents[CORRECTED].data["effective_on"] == "2025-11-03"
    assert documents[CORRECTED].data["full_text_format"] == "text"
    assert failures == []
    changed = {n for n in FR_DOCUMENTS if third.state.seen[n] != first.state.seen[n]}
    assert changed == {CORRECTED}


# -- MOFCOM policy list (jpaas API, no validators): articles by list row -------------------

ZH = "https://www.mofcom.gov.cn"
ZH_API = "/mofcom/api-gateway/jpaas-publish-server/front/page/build/unit"
NO18_PATH = "/zwgk/zcfb/art/2025/art_9c2108ccaf754f22a34abab2fedaa944.html"
ZH_MISSING = "/zwgk/zcfb/art/2025/art_c4e6a8b0d2f44c6e8a0b2d4f6c8e0a2b.html"  # 404 in the sample


def test_mofcom_zh_fetches_only_articles_whose_list_row_changed(site: Site) -> None:
    first, second, third = three_nights(
        site,
        "mofcom_zh",
        # MOFCOM re-dates No. 18 in its list.
        ("mofcom/zwgk/zcfb/list_items.json", '"date": "2025-04-04"', '"date": "2025-04-07"'),
    )
    api_pages = [(ZH_API, 200)] * 2  # page 1 lists every item, page 2 none
    assert len([p for p in first.paths() if p[0].startswith("/mofcom/z") or "shtml" in p[0]]) == 13
    assert len(first.state.seen) == 12  # 13 listed, No. 56's page missing
    assert first.state.seen[ZH + NO18_PATH] == (
        "2025-04-04 商务部 海关总署公告2025年第18号 公布对部分中重稀土相关物项实施出口管制的决定"
    )
    assert ZH + ZH_MISSING not in first.state.seen

    # Only the API, and the page that was missing last night (it never landed).
    assert second.paths() == sorted([*api_pages, ("/mofcom" + ZH_MISSING, 404)])
    assert second.landed() == ({}, [(ZH + ZH_MISSING, "http_404")])
    assert second.result.stats["minwatch/skipped_seen"] == 12

    assert third.paths() == sorted(
        [*api_pages, ("/mofcom" + NO18_PATH, 200), ("/mofcom" + ZH_MISSING, 404)]
    )
    documents, _ = third.landed()
    assert list(documents) == [ZH + NO18_PATH]
    assert third.state.seen[ZH + NO18_PATH].startswith("2025-04-07 ")


# -- MOFCOM Security and Control Bureau (server-rendered home page) ------------------------

AQ = "https://aqygzj.mofcom.gov.cn"
NO62_PATH = "/gzdt/art/2025/art_6f9a2b3c4d5e4f6a9b0c1d2e3f4a5b61.html"  # its row has no date
NO62_TITLE = "商务部公告2025年第62号 公布对稀土相关技术实施出口管制的决定"
TRUNCATED_PATH = "/gzdt/art/2025/art_8b1c4d5e6f7a4b8c1d2e3f4a5b6c7d83.html"  # cut short
# A row links to 2024 No. 46 on the bureau's former portal, served under /aqygzj/sites/<host>.
# Linked as http://; the identity (and seen key) of a MOFCOM host is https.
PORTAL_URL = "https://exportcontrol.mofcom.gov.cn/article/zcfg/gnzcfg/gnzcfgtz/202412/1090.html"
PORTAL_PATH = "/sites/exportcontrol.mofcom.gov.cn/article/zcfg/gnzcfg/gnzcfgtz/202412/1090.html"
NO46_TITLE = "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告"


def test_mofcom_aqygzj_fetches_only_the_redated_row_and_the_page_that_failed(
    site: Site,
) -> None:
    first, second, third = three_nights(
        site,
        "mofcom_aqygzj",
        # The bureau adds the missing date to a row.
        (
            "aqygzj/index.html",
            "公布对稀土相关技术实施出口管制的决定</a></li>",
            "公布对稀土相关技术实施出口管制的决定</a><span>2025-10-09</span></li>",
        ),
    )
    # The home page, four bureau articles and one page of its former portal.
    assert len(first.paths()) == 6
    assert ("/aqygzj" + PORTAL_PATH, 200) in first.paths()
    assert first.state.seen[AQ + NO62_PATH] == f"- {NO62_TITLE}"
    assert first.state.seen[PORTAL_URL] == f"2024-12-03 {NO46_TITLE}"
    assert AQ + TRUNCATED_PATH not in first.state.seen
    # A page to retry drops the validators, so the home page is read in full next night.
    assert first.state.validators == {}

    assert second.paths() == sorted([("/aqygzj/", 200), ("/aqygzj" + TRUNCATED_PATH, 200)])
    assert second.landed() == ({}, [(AQ + TRUNCATED_PATH, "truncated_html")])
    assert second.result.stats["minwatch/skipped_seen"] == 4

    assert third.paths() == sorted(
        [("/aqygzj/", 200), ("/aqygzj" + NO62_PATH, 200), ("/aqygzj" + TRUNCATED_PATH, 200)]
    )
    documents, failures = third.landed()
    assert list(documents) == [AQ + NO62_PATH]
    assert failures == [(AQ + TRUNCATED_PATH, "truncated_html")]
    assert third.state.seen[AQ + NO62_PATH] == f"2025-10-09 {NO62_TITLE}"


# -- MOFCOM English (HTML list with validators) ---------------------------------------------

EN = "https://english.mofcom.gov.cn"
EN_LIST = "/mofcom_en/Policies/AnnouncementsOrders/"
NO61_PATH = "/Policies/AnnouncementsOrders/art/2025/art_6c8e0a2b4d6f4c8e0a2b4d6f8c0e2a4b.html"
EN_MISSING = "/Policies/AnnouncementsOrders/art/2025/art_8e0a2c4d6f8b4e0a2c4d6f8b0e2a4c6d.html"


def test_mofcom_en_answers_304_then_fetches_only_the_redated_row(site: Site) -> None:
    first, second, third = three_nights(
        site,
        "mofcom_en",
        (
            "mofcom_en/Policies/AnnouncementsOrders/index.html",
            "Relevant Overseas Rare Earth Items</a><span>[2025-10-09]</span>",
            "Relevant Overseas Rare Earth Items</a><span>[2025-10-10]</span>",
        ),
    )
    assert len(first.paths()) == 8  # the list and seven articles (one missing)
    assert list(first.state.validators) == [EN + "/Policies/AnnouncementsOrders/"]
    assert len(first.state.seen) == 6

    assert second.paths() == [(EN_LIST, 304)]
    assert second.landed() == ({}, [])

    # The list changed: the re-dated row, and the row whose page was missing.
    assert third.paths() == sorted(
        [(EN_LIST, 200), ("/mofcom_en" + NO61_PATH, 200), ("/mofcom_en" + EN_MISSING, 404)]
    )
    documents, failures = third.landed()
    assert list(documents) == [EN + NO61_PATH]
    assert failures == [(EN + EN_MISSING, "http_404")]
    assert third.state.seen[EN + NO61_PATH].startswith("2025-10-10 MOFCOM Announcement No. 61")


# -- DLA Strategic Materials (two HTML lists with validators, dated rows) -------------------

DLA = "https://www.dla.mil"
ARTICLE = "/About-DLA/News/News-Article-View/Article"
COBALT_PATH = f"{ARTICLE}/4336518/dla-cancels-cobalt-solicitation-plans-to-reissue/"
TUNGSTEN_PATH = (  # listed, but 404 in the sample
    f"{ARTICLE}/4355001/dla-offers-tungsten-ores-and-concentrates-under-basic-ordering-agreement/"
)


def test_dla_answers_304_then_fetches_only_the_redated_release(site: Site) -> None:
    first, second, third = three_nights(
        site,
        "dla_strategic_materials",
        (
            "dla/Strategic-Materials/index.html",
            '<span class="date">Oct. 24, 2025</span>',
            '<span class="date">Oct. 27, 2025</span>',
        ),
    )
    assert len(first.paths()) == 11  # two lists, seven releases (one missing), two AMPs
    assert first.state.seen[DLA + COBALT_PATH] == "Oct. 24, 2025"
    assert first.state.seen[DLA + "/Strategic-Materials/Reports/AMP-FY2026/"] == "2025-10-01"
    assert len(first.state.seen) == 8
    # A 404 is permanent: the lists keep their validators.
    assert sorted(first.state.validators) == [
        DLA + "/Strategic-Materials/",
        DLA + "/Strategic-Materials/Reports/",
    ]

    assert second.paths() == [
        ("/dla/Strategic-Materials/", 304),
        ("/dla/Strategic-Materials/Reports/", 304),
    ]
    assert second.landed() == ({}, [])

    assert third.paths() == sorted(
        [
            ("/dla/Strategic-Materials/", 200),
            ("/dla/Strategic-Materials/Reports/", 304),
            ("/dla" + COBALT_PATH, 200),
            ("/dla" + TUNGSTEN_PATH, 404),
        ]
    )
    documents, failures = third.landed()
    assert list(documents) == [DLA + COBALT_PATH]
    assert failures == [(DLA + TUNGSTEN_PATH, "http_404")]
    assert third.state.seen[DLA + COBALT_PATH] == "Oct. 27, 2025"


# -- GDELT DOC API (no validators): articles by API record ----------------------------------

GDELT_API = "/api/v2/doc/doc"
GERMANIUM = "metalsbulletin-wire.example/2025/10/germanium-refinery-arizona-financing.html"
GDELT_MISSING = "metalsbulletin-wire.example/2026/02/tungsten-apt-mine-restart-missing.html"


def test_gdelt_fetches_only_articles_whose_record_changed(site: Site) -> None:
    first, second, third = three_nights(
        site,
        "gdelt",
        # GDELT saw the article again (a later seendate).
        ("gdelt/artlist.json", '"seendate": "20251014T093000Z"', '"seendate": "20251016T120000Z"'),
    )
    queries = [(GDELT_API, 200)] * 2  # one request a query of data/gdelt_queries.txt
    assert len(first.paths()) == 2 + 16  # two queries, sixteen article pages
    assert len(first.state.seen) == 15
    assert f"https://{GDELT_MISSING}" not in first.state.seen

    # The missing page is asked for again; its ArtList record lands again meanwhile.
    assert second.paths() == sorted([*queries, (f"/gdelt/sites/{GDELT_MISSING}", 404)])
    documents, failures = second.landed()
    assert {k: d.format for k, d in documents.items()} == {f"https://{GDELT_MISSING}": "feed_entry"}
    assert failures == [(f"https://{GDELT_MISSING}", "http_404")]

    assert third.paths() == sorted(
        [*queries, (f"/gdelt/sites/{GERMANIUM}", 200), (f"/gdelt/sites/{GDELT_MISSING}", 404)]
    )
    documents, _ = third.landed()
    assert {k: d.format for k, d in documents.items()} == {
        f"https://{GERMANIUM}": "article_html",
        f"https://{GDELT_MISSING}": "feed_entry",
    }
    published = documents[f"https://{GERMANIUM}"].published_at
    assert published is not None
    assert published.isoformat() == "2025-10-16T12:00:00+00:00"


# -- News sitemaps (index read in full, children conditional, <lastmod> per article) --------

LEDGER = "https://www.metalsledger.example.com/sitemaps/news"
TANTALUM = "/2025/11/tantalum-stockpile-presolicitation.html"
BISMUTH = "/2026/03/bismuth-rfq-second-round.html"  # listed, but 404 in the sample


def test_news_sitemaps_fetch_only_the_article_with_a_new_lastmod(site: Site) -> None:
    first, second, third = three_nights(
        site,
        "news_sitemaps",
        (
            "sitemaps/news-sitemap-1.xml",
            "<loc>__BASE_URL__/sitemaps/news/2025/11/tantalum-stockpile-presolicitation.html</loc>",
            "<loc>__BASE_URL__/sitemaps/news/2025/11/tantalum-stockpile-presolicitation.html</loc>"
            "<lastmod>2026-03-14T08:00:00Z</lastmod>",
        ),
    )
    assert len(first.paths()) == 4 + 11  # index, three sitemaps, eleven articles
    assert first.state.seen[LEDGER + TANTALUM] == "2025-11-06T09:45:00+00:00"
    assert len(first.state.seen) == 10

    assert second.paths() == [
        ("/sitemaps/news-sitemap-1.xml", 304),
        ("/sitemaps/news-sitemap-2.xml", 304),
        ("/sitemaps/post-sitemap.xml", 304),
        ("/sitemaps/sitemap_index.xml", 200),
    ]
    assert second.landed() == ({}, [])

    assert third.paths() == sorted(
        [
            ("/sitemaps/news-sitemap-1.xml", 200),
            ("/sitemaps/news-sitemap-2.xml", 304),
            ("/sitemaps/post-sitemap.xml", 304),
            ("/sitemaps/sitemap_index.xml", 200),
            ("/sitemaps/news" + TANTALUM, 200),
            ("/sitemaps/news" + BISMUTH, 404),
        ]
    )
    documents, failures = third.landed()
    # the missing page's sitemap entry lands again beside its failure (not seen: asked again)
    assert {k: d.format for k, d in documents.items()} == {
        LEDGER + TANTALUM: "article_html",
        LEDGER + BISMUTH: "feed_entry",
    }
    assert documents[LEDGER + TANTALUM].data is not None
    assert documents[LEDGER + TANTALUM].data["news"]["lastmod"] == "2026-03-14T08:00:00Z"
    assert failures == [(LEDGER + BISMUTH, "http_404")]
    assert third.state.seen[LEDGER + TANTALUM] == "2026-03-14T08:00:00+00:00"
