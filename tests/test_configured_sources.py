"""Sources switched off and added by configuration, and the Scrapy command line: real crawls
over HTTP against the loopback sample server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from minwatch.flows.nightly import source_configs
from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.configured import ADDED_SOURCES_ENV, AddedSource, export_added_sources
from minwatch.spiders.documents import read_landing
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import DEFAULT_SOURCES, SAMPLE_SPIDER_ARGS, SPIDERS
from minwatch.spiders.runner import CrawlResult, run_crawl
from tests.crawl_helpers import FAST

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    hostile_feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Local file</title><link>file:///etc/passwd</link></item>
<item><title>Intranet</title><link>http://10.0.0.1/admin/</link></item>
<item><title>Metadata</title><link>http://169.254.169.254/latest/meta-data/</link></item>
</channel></rss>"""
    overrides = {"/wire/hostile.xml": Override(body=hostile_feed)}
    with SampleServer(overrides=overrides) as running:
        yield running


def crawl(source: str, base_url: str, landing_dir: Path, **args: str) -> CrawlResult:
    return run_crawl(
        source,
        landing_dir=landing_dir,
        run_id="night-1",
        base_url=base_url,
        spider_args=args or None,
        settings=FAST,
        timeout_s=120,
    )


def landed(result: CrawlResult) -> tuple[list[RawDocument], list[FetchFailure]]:
    records = list(read_landing(result.landing_path))
    documents = [r for r in records if isinstance(r, RawDocument)]
    return documents, [r for r in records if isinstance(r, FetchFailure)]


def paths(documents: list[RawDocument]) -> set[str]:
    return {d.url.split("/", 3)[3] for d in documents}


def add(monkeypatch: pytest.MonkeyPatch, *sources: AddedSource) -> None:
    environ: dict[str, str] = {}
    export_added_sources(sources, environ)
    monkeypatch.setenv(ADDED_SOURCES_ENV, environ[ADDED_SOURCES_ENV])


def test_an_added_feed_is_crawled_like_the_coded_one(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(monkeypatch, AddedSource("metals_wire", "feed", server.base_url, "/news/trade_atom.xml"))
    added = crawl("metals_wire", server.base_url, tmp_path)
    coded = crawl("trade_atom", server.base_url, tmp_path)
    assert added.error is None, added.error
    assert added.landing_path == tmp_path.resolve() / "metals_wire" / "night-1.jsonl"
    documents, failures = landed(added)
    coded_documents, _ = landed(coded)
    assert failures == []
    assert len(documents) == 8
    assert paths(documents) == paths(coded_documents)
    assert {(d.source, d.kind, d.format, d.language) for d in documents} == {
        ("metals_wire", "news", "article_html", "en")
    }
    assert all(d.body and "<html" in d.body.lower() for d in documents)


def test_an_added_news_sitemap_is_crawled_like_the_coded_one(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SAMPLE_SPIDER_ARGS["news_sitemaps"]["list_path"]
    add(monkeypatch, AddedSource("ore_ledger", "news_sitemap", server.base_url, index))
    added = crawl("ore_ledger", server.base_url, tmp_path)
    coded = crawl("news_sitemaps", server.base_url, tmp_path, list_path=index)
    assert added.error is None, added.error
    documents, failures = landed(added)
    coded_documents, coded_failures = landed(coded)
    assert len(documents) == len(coded_documents) > 0
    assert paths(documents) == paths(coded_documents)
    assert {d.source for d in documents} == {"ore_ledger"}
    assert [f.error for f in failures] == [f.error for f in coded_failures]


def test_an_added_feed_keeps_the_allow_list(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(monkeypatch, AddedSource("wire", "feed", server.base_url, "/wire/hostile.xml"))
    result = crawl("wire", server.base_url, tmp_path)
    assert result.error is None, result.error
    documents, failures = landed(result)
    # As for a coded feed: no page is fetched; an entry whose page is refused lands from the
    # feed itself, a non-http(s) link not at all.
    assert sorted((d.format, d.url) for d in documents) == [
        ("feed_entry", "http://10.0.0.1/admin/"),
        ("feed_entry", "http://169.254.169.254/latest/meta-data/"),
    ]
    assert sorted((f.error, f.url.replace("file:///", "file://")) for f in failures) == [
        ("private_address", "http://10.0.0.1/admin/"),
        ("private_address", "http://169.254.169.254/latest/meta-data/"),
        ("refused_url", "file://etc/passwd"),
    ]


def test_a_badly_named_added_source_is_refused_by_its_crawl(
    server: SampleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        ADDED_SOURCES_ENV,
        json.dumps(
            [{"name": "wire", "family": "feed", "base_url": "gopher://x", "path": "/f.xml"}]
        ),
    )
    result = crawl("wire", "", tmp_path)
    assert result.error is not None
    assert "has no usable `default_base_url` or `base_url` ('gopher://x')" in result.error


def test_the_night_crawls_what_the_settings_enable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "minwatch.toml").write_text(
        '[sources.gdelt]\nenabled = false\n\n[sources.mining_com]\nbase_url = "https://m.example"\n'
        '\n[sources.metals_wire]\nfamily = "feed"\nbase_url = "https://wire.example"\n'
        'path = "/rss"\nlanguage = "de"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MINWATCH_CONFIG", str(tmp_path / "minwatch.toml"))
    # set (not deleted) first, so that the teardown removes what source_configs() exports and
    # no later test in this process sees the added source
    monkeypatch.setenv(ADDED_SOURCES_ENV, "")
    configs = source_configs()
    assert [c.name for c in configs] == [
        *(n for n in DEFAULT_SOURCES if n != "gdelt"),
        "metals_wire",
    ]
    urls = {c.name: c.base_url for c in configs if c.base_url}
    assert urls == {"mining_com": "https://m.example", "metals_wire": "https://wire.example"}
    assert json.loads(os.environ[ADDED_SOURCES_ENV]) == [
        {
            "base_url": "https://wire.example",
            "download_delay": 2.0,
            "family": "feed",
            "language": "de",
            "name": "metals_wire",
            "path": "/rss",
        }
    ]
    # Named on the command line, a switched-off source still runs; the environment's URL wins.
    monkeypatch.setenv("MINWATCH_MINING_COM_BASE_URL", "https://env.example")
    assert [(c.name, c.base_url) for c in source_configs(["gdelt", "mining_com"])] == [
        ("gdelt", None),
        ("mining_com", "https://env.example"),
    ]


# --- the Scrapy command line -------------------------------------------------------------------


def scrapy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MINWATCH_")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "scrapy"), *args],
        cwd=REPO,
        env=environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=180,
    )


def comparable(path: Path) -> list[tuple[Any, ...]]:
    return sorted(
        (r.type, r.source, r.source_id, r.url, getattr(r, "body", None), getattr(r, "error", None))
        for r in read_landing(path)
    )


def test_scrapy_list_shows_every_source_and_the_added_ones(tmp_path: Path) -> None:
    (tmp_path / "minwatch.toml").write_text(
        '[sources.metals_wire]\nfamily = "feed"\nbase_url = "https://wire.example"\n'
        'path = "/rss"\n',
        encoding="utf-8",
    )
    done = scrapy("list", env={"MINWATCH_CONFIG": str(tmp_path / "minwatch.toml")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == sorted([*SPIDERS, "metals_wire"])
    assert set(DEFAULT_SOURCES) < set(SPIDERS)


def test_scrapy_crawl_lands_what_a_night_lands(
    server: SampleServer, tmp_path: Path, sam_api_key: str
) -> None:
    window = {"from_date": "2025-09-01", "until_date": "2026-11-27"}
    night = crawl("sam_gov", server.base_url, tmp_path / "night", **window)
    assert night.error is None, night.error
    out = tmp_path / "scrapy" / "%(name)s.jsonl"
    done = scrapy(
        "crawl",
        "sam_gov",
        "-a",
        f"base_url={server.base_url}",
        "-a",
        f"from_date={window['from_date']}",
        "-a",
        f"until_date={window['until_date']}",
        "-s",
        f"MINWATCH_LANDING_PATH={out}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        env={"SAM_GOV_API_KEY": sam_api_key},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    landing = tmp_path / "scrapy" / "sam_gov.jsonl"
    assert night.documents > 10
    assert comparable(landing) == comparable(night.landing_path)
    assert sam_api_key not in done.stderr + done.stdout
    assert sam_api_key not in landing.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_feed_added_beside_the_warehouse_is_loaded_by_the_night_once(
    server: SampleServer, tmp_path: Path
) -> None:
    """What a newcomer does: a minwatch.toml beside the warehouse, `minwatch run` from cron's
    folder, twice."""
    (tmp_path / "minwatch.toml").write_text(
        f'[sources.metals_wire]\nfamily = "feed"\nbase_url = "{server.base_url}"\n'
        'path = "/news/trade_atom.xml"\ndownload_delay = 0\n',
        encoding="utf-8",
    )
    db = tmp_path / "minwatch.duckdb"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MINWATCH_")}
    environ["PYTHONPATH"] = str(REPO)
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()

    def minwatch(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "minwatch.flows.cli", *args],
            cwd=elsewhere,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def loaded() -> list[Any]:
        query = "SELECT source, count(*) AS n FROM documents GROUP BY source"
        done = minwatch("sql", "--db", str(db), query, "--format", "json")
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    first = minwatch("run", "--db", str(db), "--source", "metals_wire")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert re.search(r"^metals_wire +ok +8 +8 ", first.stdout, re.M), first.stdout
    assert loaded() == [{"source": "metals_wire", "n": 8}]
    second = minwatch("run", "--db", str(db), "--source", "metals_wire")
    assert second.returncode == 0, second.stderr[-3000:]
    assert re.search(r"^metals_wire +ok +0 +0 +0 +0 +0 ", second.stdout, re.M), second.stdout
    assert loaded() == [{"source": "metals_wire", "n": 8}]
