"""GDELT DOC 2.0 spider: real crawls over HTTP against the loopback sample server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.settings import Settings

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders import settings as project_settings
from minwatch.spiders.documents import to_document
from minwatch.spiders.gdelt import GdeltDocSpider, clean_title, language_codes
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import split_landing

WINDOW = {"from_date": "2025-09-01", "until_date": "2026-03-31"}
CHILE = "https://andes-mineria.example/noticias/2025/11/chile-litio-codelco-sqm-produccion.html"
JOGMEC = "https://asiaminerals-review.example/news/2025/11/japan-jogmec-rare-earth-stockpile-release.html"
MISSING = "https://metalsbulletin-wire.example/2026/02/tungsten-apt-mine-restart-missing.html"
GRAPHITE = (
    "https://asiaminerals-review.example/news/2025/10/"
    "china-graphite-anode-export-licences-delayed.html"
)
NICKEL = "https://asiaminerals-review.example/news/2026/01/indonesia-nickel-quota-cut.html"


def crawl(
    server: SampleServer, landing: Path, settings: dict[str, str] | None = None, **args: str
) -> CrawlResult:
    return run_crawl(
        "gdelt",
        landing_dir=landing,
        run_id="night-1",
        base_url=server.base_url,
        spider_args={**WINDOW, **args},
        settings={"DOWNLOAD_DELAY": "0", **(settings or {})},
        timeout_s=120,
    )


def split(result: CrawlResult) -> tuple[dict[str, RawDocument], list[FetchFailure]]:
    return split_landing(result, once=True)


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with SampleServer() as server:
        yield crawl(server, tmp_path_factory.mktemp("landing"))


def test_articles_of_every_query_land_once_under_their_real_urls(landed: CrawlResult) -> None:
    assert landed.error is None, landed.error
    documents, failures = split(landed)
    # 15 article pages, and the ArtList record of the article whose page is missing.
    assert len(documents) == 16
    assert {urlhost.split("/")[2] for urlhost in documents} == {
        "metalsbulletin-wire.example",
        "asiaminerals-review.example",
        "andes-mineria.example",
        "rohstoff-kurier.example",  # another CMS, a German article
        # one site a language, each in its own kind of template (found via `_translation`)
        "upday.example",
        "correiobraziliense.example",
        "comunicati-stampa.example",
        "1prime.example",
        "news.livedoor.example",
        "fnnews.example",
    }
    articles = {k for k, d in documents.items() if d.format == "article_html"}
    assert articles == set(documents) - {MISSING}
    assert all(d.kind == "news" for d in documents.values())
    assert [(f.error, f.http_status, f.source_id) for f in failures] == [("http_404", 404, MISSING)]


def test_a_missing_article_page_lands_its_artlist_record(landed: CrawlResult) -> None:
    documents, _ = split(landed)
    record = documents[MISSING]
    assert record.format == "feed_entry"
    assert record.title == "Sangdong tungsten mine starts shipping APT feedstock"
    assert record.published_at == datetime(2026, 2, 11, 10, 15, tzinfo=UTC)
    assert record.language == "en"
    assert record.body is None
    assert record.url.endswith(
        "/metalsbulletin-wire.example/2026/02/tungsten-apt-mine-restart-missing.html"
    )
    assert record.data is not None
    assert record.data["page_error"] == "http_404"
    assert record.data["domain"] == "metalsbulletin-wire.example"
    assert record.data["gdelt"]["sourcecountry"] == "United States"
    # It loads as a document: the title is all it says, analysed once.
    document = to_document(record)
    assert document.doc_id == f"web:{MISSING}"
    assert (document.title, document.text) == (record.title, "")


def test_a_missing_page_is_asked_for_again_the_next_night(tmp_path: Path) -> None:
    with SampleServer() as server:
        first = crawl(server, tmp_path / "one")
        assert first.state_path is not None
        before = len(server.requests)
        second = run_crawl(
            "gdelt",
            landing_dir=tmp_path / "two",
            run_id="night-2",
            base_url=server.base_url,
            spider_args=WINDOW,
            settings={"DOWNLOAD_DELAY": "0"},
            state=CrawlState.load(first.state_path),
            timeout_s=120,
        )
        pages = [r.path for r in server.requests[before:] if "/gdelt/sites/" in r.path]
    assert MISSING not in CrawlState.load(first.state_path).seen
    assert len(CrawlState.load(first.state_path).seen) == 15
    # Night 2 asks the API, then only the page that failed; its record lands again.
    assert pages == [
        "/gdelt/sites/metalsbulletin-wire.example/2026/02/tungsten-apt-mine-restart-missing.html"
    ]
    documents, failures = split(second)
    assert [(d.source_id, d.format) for d in documents.values()] == [(MISSING, "feed_entry")]
    assert [f.error for f in failures] == ["http_404"]
    assert second.state_path is not None
    assert MISSING not in CrawlState.load(second.state_path).seen


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            Override(
                403, "<html><body>Subscribe to read</body></html>", {"Content-Type": "text/html"}
            ),
            "http_403",
        ),
        (Override(200, b"%PDF-1.7\n%binary", {"Content-Type": "application/pdf"}), "not_html"),
    ],
)
def test_a_paywalled_or_not_html_page_lands_its_record(
    tmp_path: Path, answer: Override, error: str
) -> None:
    path = urlsplit(NICKEL).netloc + urlsplit(NICKEL).path
    with SampleServer(overrides={f"/gdelt/sites/{path}": answer}) as server:
        result = crawl(server, tmp_path, queries="Sulawesi")
    documents, failures = split(result)
    assert [(f.error, f.source_id) for f in failures] == [(error, NICKEL)]
    record = documents[NICKEL]
    assert record.format == "feed_entry" and record.data is not None
    assert record.data["page_error"] == error
    assert record.title == "Indonesia cuts 2026 nickel ore quota to 250 million tonnes"
    assert result.state_path is not None
    assert NICKEL not in CrawlState.load(result.state_path).seen


def test_fields_by_value(landed: CrawlResult) -> None:
    documents, _ = split(landed)
    chile = documents[CHILE]
    assert chile.language == "es"
    assert chile.title == "Chile: Codelco y SQM elevan la producción de litio a 280.000 toneladas"
    assert chile.published_at == datetime(2025, 11, 18, 15, 0, tzinfo=UTC)
    assert chile.data is not None and chile.data["gdelt"]["sourcecountry"] == "Chile"
    assert "280.000 toneladas de carbonato de litio" in to_document(chile).text
    jogmec = documents[JOGMEC]
    assert jogmec.language == "en"
    assert jogmec.title == "Japan's JOGMEC to release rare earth stocks to magnet makers"
    assert jogmec.published_at == datetime(2025, 11, 12, 2, 30, tzinfo=UTC)
    text = to_document(jogmec).text
    assert "up to 30 tonnes of dysprosium oxide and 5 tonnes of terbium oxide" in text
    assert "We use cookies" not in text and "Most read" not in text


# One article a language (sample_sources/README.md: renderings of real articles): its URL,
# language code, GDELT's source country, cleaned title, and a sentence of its own text.
OTHER_LANGUAGES = [
    (
        "https://upday.example/fr/international/"
        "la-chine-suspend-les-restrictions-dexportation-de-metaux-strategiques-vers-les-usa/3x6cdtd/",
        "fr",
        "France",
        "La Chine suspend les restrictions d'exportation de métaux stratégiques vers les USA",
        "les restrictions d'exportation de gallium, de germanium et d'antimoine",
    ),
    (
        "https://correiobraziliense.example/mundo/2026/03/7374663-a-ofensiva-bilionaria-dos-eua-"
        "para-ficar-com-os-minerais-criticos-do-brasil-e-deixar-china-para-tras.html",
        "pt",
        "Brazil",
        "A ofensiva bilionária dos EUA para ficar com os minerais críticos do Brasil — e deixar "
        "China para trás",
        "Entre os minerais críticos estão o lítio, o cobalto e o nióbio",
    ),
    (
        "https://comunicati-stampa.example/2025/12/"
        "mercato-del-tungsteno-la-cina-ha-dato-scaccomatto-a-usa-e-ue/",
        "it",
        "Italy",
        "Mercato del tungsteno, la Cina ha dato scaccomatto a USA e UE",
        "Il consumo annuo è di circa 2.500 tonnellate.",
    ),
    (
        "https://1prime.example/20251009/knr-863331176.html",
        "ru",
        "Russia",
        "Китай введет экспортный контроль на редкоземельные элементы",
        "гольмием, эрбием, тулием, европием, иттербием",
    ),
    (
        "https://news.livedoor.example/topics/detail/30349197/",
        "ja",
        "Japan",
        "中国国有企業、レアアース新規契約停止 日本向け初確認",
        "日本の2024年のレアアース輸入先に占める中国の割合は71.9%だった。",
    ),
    (
        "https://fnnews.example/news/202511091454166765/",
        "ko",
        "South Korea",
        "中, 갈륨·게르마늄·안티몬·흑연 對美 수출통제 1년 유예",
        "제2항의 시행을 내년 11월 27일까지 중단한다고 발표했다.",
    ),
]


@pytest.mark.parametrize(("url", "language", "country", "title", "sentence"), OTHER_LANGUAGES)
def test_articles_in_other_languages_land_with_their_language(
    landed: CrawlResult, url: str, language: str, country: str, title: str, sentence: str
) -> None:
    documents, _ = split(landed)
    record = documents[url]
    assert record.format == "article_html"
    assert (record.language, record.title) == (language, title)
    assert record.data is not None and record.data["gdelt"]["sourcecountry"] == country
    document = to_document(record)
    assert document.language == language
    assert sentence in document.text
    # The page's chrome is not its text.
    for chrome in ("À lire aussi", "Leia também", "Articoli correlati", "Читайте также",
                   "関連ニュース", "많이 본 뉴스"):  # fmt: skip
        assert chrome not in document.text


def test_empty_answer_means_no_hits(tmp_path: Path) -> None:
    with SampleServer() as server:
        result = crawl(server, tmp_path, from_date="2024-01-01", until_date="2024-01-31")
        answers = [r for r in server.requests if r.path.startswith("/api/v2/doc/doc")]
    assert result.error is None, result.error
    assert split(result) == ({}, [])
    assert len(answers) == 2 and all("startdatetime=20240101000000" in r.path for r in answers)


def test_plain_text_error_is_recorded_and_the_other_query_goes_on(tmp_path: Path) -> None:
    refusal = Override(
        status=200,
        body="Please limit requests to one every 5 seconds or contact us for larger queries.",
        headers={"Content-Type": "text/html"},
    )
    with SampleServer(overrides={"/api/v2/doc/doc": [refusal]}) as server:
        result = crawl(server, tmp_path, queries='"spherical graphite"||Sulawesi')
    assert result.error is None, result.error
    documents, failures = split(result)
    (failure,) = failures
    assert failure.error == "api_error"
    assert failure.http_status == 200
    assert "Please limit requests to one every 5 seconds" in failure.message
    # Whichever query was refused, the other one's article landed.
    assert set(documents) == ({NICKEL} if "graphite" in failure.url else {GRAPHITE})


def test_malformed_json_is_recorded(tmp_path: Path) -> None:
    broken = Override(
        status=200,
        body='{"articles": [{"url": "https://',
        headers={"Content-Type": "application/json"},
    )
    with SampleServer(overrides={"/api/v2/doc/doc": broken}) as server:
        result = crawl(server, tmp_path, queries="Sulawesi")
    documents, failures = split(result)
    assert documents == {}
    assert [f.error for f in failures] == ["malformed_json"]


def test_api_host_is_limited_to_one_request_per_5_seconds() -> None:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    GdeltDocSpider.update_settings(settings)
    # Scrapy keys download slots by host: the API's slot is its real host name.
    api_host = urlsplit(GdeltDocSpider.default_base_url).hostname
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        api_host: {"concurrency": 1, "delay": 5.0, "jitter": 0}
    }
    # Article pages on other hosts keep the ordinary per-domain politeness.
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1


def test_title_cleaning_and_language_names() -> None:
    assert clean_title("Caso Ana María : Trasladan , hoy ( video )") == (
        "Caso Ana María: Trasladan, hoy (video)"
    )
    assert clean_title("China ' s gallium exports fall") == "China's gallium exports fall"
    assert language_codes()["spanish"] == "es"
    assert language_codes()["chinese"] == "zh"
