"""Faults and bad input, each against a real loopback server and a real crawl subprocess.

One nightly run crawls three sources that misbehave at once: `mining_com` reads a feed whose
entries point at pages that each fail differently (FaultServer below), `trade_atom` reads a
feed declaring billion-laughs and external entities, and `sam_gov` answers malformed JSON and
then the daily-quota 429. It runs on top of a clean night over the bundled samples, so the test
can check that nothing loaded before is lost. The landing file holds each FetchFailure; the
warehouse's `fetch_errors` and `runs` views must show the same.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from minwatch.sample_sources.server import Override, SampleServer
from minwatch.spiders.documents import read_landing
from minwatch.spiders.items import FetchFailure, RawDocument
from minwatch.spiders.registry import SAMPLE_SPIDER_ARGS
from minwatch.spiders.runner import run_crawl
from minwatch.spiders.safety import (
    check_compressed_body,
    non_public_address,
    strip_entity_declarations,
)
from tests.crawl_helpers import FAST

NIGHT = "2026-11-27"
# A hung page costs (RETRY_TIMES + 1) timeouts; keep each short.
FAULT_SETTINGS = {**FAST, "DOWNLOAD_TIMEOUT": "3"}
MINING = "https://www.mining.com"
ARTICLE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>Menu</nav><article><h1>{title}</h1>
<p>{text}</p>
<p>Traders said the antimony market stayed tight through the quarter, with ingot prices near
$52,000 per tonne in Rotterdam and buyers in Europe and the United States competing for
limited material from smelters outside China.</p>
<p>Analysts expect the Defense Logistics Agency to keep buying for the National Defense
Stockpile, adding to demand from lead-acid battery and flame-retardant makers.</p>
</article><footer>Footer</footer></body></html>"""
GERMAN = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Antimon wird knapp</title></head>
<body><article><h1>Antimon wird knapp</h1>
<p>Die Preise für Antimon sind in Rotterdam auf 52.000 Dollar je Tonne gestiegen, weil
Hütten außerhalb Chinas kaum Material liefern und die Nachfrage aus Europa wächst.</p>
<p>Händler erwarten, dass die Verteidigungsbehörde der Vereinigten Staaten weiter für ihre
Reserve kauft, während Hersteller von Bleiakkus und Flammschutzmitteln ebenfalls bestellen.</p>
</article></body></html>"""
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))
FIFTY_MB = 50 * 1024 * 1024


def article(title: str, text: str, lang: str = "en") -> bytes:
    return ARTICLE.format(title=title, text=text, lang=lang).encode("utf-8")


def bomb_body() -> bytes:
    """64 MiB of zeros as a ~64 KiB gzip stream (DOWNLOAD_MAXSIZE is 10 MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(compressor.compress(block) for _ in range(64)) + compressor.flush()


@dataclass(frozen=True)
class Page:
    """One misbehaving article page: its feed title and what the crawl must record for it."""

    slug: str
    title: str
    error: str | None  # FetchFailure.error recorded for the page; None when it must be clean
    message: str | None  # a fragment of FetchFailure.message
    landed_format: str  # "article_html" (the page was used) or "feed_entry" (the feed's text)


PAGES = (
    Page("clean", "Antimony prices hold", None, None, "article_html"),
    Page("retry-after", "Throttled page", None, None, "article_html"),
    Page("flaky", "Server errors then success", None, None, "article_html"),
    Page("hung", "A server that never answers", "timeout", "DownloadTimeoutError", "feed_entry"),
    Page(
        "gzip-cut",
        "Truncated gzip",
        "truncated",
        "ends before its compressed stream does",
        "feed_entry",
    ),
    Page(
        "cut-short", "Connection closed early", "truncated", "ResponseDataLossError", "feed_entry"
    ),
    Page(
        "fifty-mb",
        "A 50 MB page",
        "too_large",
        "larger than download max size (10485760)",
        "feed_entry",
    ),
    Page(
        "fifty-mb-streamed",
        "A 50 MB page without a length",
        "too_large",
        "DownloadCancelledError: the body grew past DOWNLOAD_MAXSIZE (10485760 B) while "
        "downloading",
        "feed_entry",
    ),
    Page(
        "bomb",
        "A decompression bomb",
        "decompression_bomb",
        "inflates past DOWNLOAD_MAXSIZE (10485760 B)",
        "feed_entry",
    ),
    Page(
        "bad-utf8",
        "Invalid UTF-8",
        "invalid_encoding",
        "body is not valid UTF-8 (declared): invalid byte 0xe9",
        "article_html",
    ),
    Page(
        "wrong-charset",
        "Wrong declared charset",
        "charset_mismatch",
        "declared charset iso8859-1 but the body is UTF-8; decoded as UTF-8",
        "article_html",
    ),
    Page(
        "pdf",
        "HTML that is a PDF",
        "not_html",
        "article page is not HTML: the body is a PDF",
        "feed_entry",
    ),
    Page(
        "redirect-private",
        "Redirect to the metadata service",
        "private_address",
        "is a loopback address (MINWATCH_ALLOW_PRIVATE_ADDRESSES is off)",
        "feed_entry",
    ),
    Page(
        "german",
        "Antimon wird knapp",
        "unexpected_language",
        "article page is in 'de'; mining_com publishes in 'en'",
        "article_html",
    ),
)
FEED_ITEM = """<item><title>{title}</title><link>__BASE__/p/{slug}/</link>
<guid isPermaLink="false">__BASE__/?p={n}</guid>
<pubDate>Sat, 2{day} Nov 2026 08:00:00 +0000</pubDate>
<description><![CDATA[Feed summary of {slug}: antimony ingots were offered at $52,000 per
tonne.]]></description></item>"""


def rss(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Fault feed</title><link>__BASE__/</link>{items}</channel></rss>"
    ).encode()


ENTITY_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY xxe SYSTEM "__BASE__/xxe-probe">
<!ENTITY passwd SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Entity feed</title><link>__BASE__/</link>
<item><title>Laughs &lol9; here</title><link>__BASE__/p/entity-one/</link>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate>
<description>Probe &xxe; and &passwd;</description></item>
<item><title>Plain entry</title><link>__BASE__/p/entity-two/</link>
<pubDate>Mon, 23 Nov 2026 09:00:00 +0000</pubDate><description>Plain.</description></item>
</channel></rss>"""
EMPTY_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nothing today</title><link>__BASE__/</link></channel></rss>"""


class FaultServer:
    """Loopback server whose pages misbehave by slug; logs every request it receives."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float]] = []
        self.release = threading.Event()  # frees hung handlers at teardown
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._bomb = bomb_body()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> FaultServer:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def paths(self) -> list[str]:
        with self._lock:
            return [path for path, _ in self.requests]

    def _hit(self, path: str) -> int:
        with self._lock:
            self.requests.append((path, time.monotonic()))
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                hit = server._hit(self.path)
                slug = self.path.strip("/").split("/")[-1]
                base = server.base_url.encode()
                if self.path == "/robots.txt":
                    return self.answer(200, b"User-agent: *\nAllow: /\n", "text/plain")
                feeds = {
                    "/feed.xml": rss(
                        "".join(
                            FEED_ITEM.format(title=p.title, slug=p.slug, n=i, day=i % 9)
                            for i, p in enumerate(PAGES)
                        )
                    ),
                    "/entities.xml": ENTITY_FEED,
                    "/empty.xml": EMPTY_FEED,
                }
                if self.path in feeds:
                    body = feeds[self.path].replace(b"__BASE__", base)
                    return self.answer(200, body, "application/rss+xml; charset=utf-8")
                behaviours: dict[str, Callable[[int], None]] = {
                    "retry-after": self.retry_after,
                    "flaky": self.flaky,
                    "hung": self.hung,
                    "gzip-cut": self.gzip_cut,
                    "cut-short": self.cut_short,
                    "fifty-mb": self.fifty_mb,
                    "fifty-mb-streamed": self.fifty_mb_streamed,
                    "bomb": self.bomb,
                    "bad-utf8": self.bad_utf8,
                    "wrong-charset": self.wrong_charset,
                    "pdf": self.pdf,
                    "redirect-private": self.redirect_private,
                    "german": self.german,
                }
                if slug in behaviours:
                    return behaviours[slug](hit)
                if self.path.startswith("/p/"):
                    return self.answer(200, article(slug, f"The {slug} page loaded whole."))
                return self.answer(404, b"not found", "text/plain")

            def answer(
                self,
                status: int,
                body: bytes,
                content_type: str = "text/html; charset=utf-8",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def retry_after(self, hit: int) -> None:
                if hit == 1:
                    return self.answer(429, b"slow down", "text/plain", {"Retry-After": "1"})
                self.answer(200, article("Throttled page", "Served after waiting."))

            def flaky(self, hit: int) -> None:
                if hit <= 2:
                    return self.answer(500 + 2 * (hit - 1), b"oops", "text/plain")
                self.answer(200, article("Server errors then success", "Third time lucky."))

            def hung(self, hit: int) -> None:
                server.release.wait(60)

            def gzip_cut(self, hit: int) -> None:
                whole = gzip.compress(article("Truncated gzip", "Never seen whole." * 200))
                self.answer(200, whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"})

            def cut_short(self, hit: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", "20000")
                self.end_headers()
                self.wfile.write(article("Connection closed early", "Half")[:400])
                self.close_connection = True

            def _stream_zeros(self) -> None:
                block = b" " * (1 << 20)
                try:
                    for _ in range(FIFTY_MB // len(block)):
                        self.wfile.write(block)
                except OSError:  # the crawler hung up once it had seen enough
                    pass
                self.close_connection = True

            def fifty_mb(self, hit: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(FIFTY_MB))
                self.end_headers()
                self._stream_zeros()

            def fifty_mb_streamed(self, hit: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Connection", "close")
                self.end_headers()
                self._stream_zeros()

            def bomb(self, hit: int) -> None:
                self.answer(200, server._bomb, headers={"Content-Encoding": "gzip"})

            def bad_utf8(self, hit: int) -> None:
                body = article("Invalid UTF-8", "Caf\x00 owners in Montr\x00al bought antimony.")
                self.answer(200, body.replace(b"\x00", b"\xe9"))

            def wrong_charset(self, hit: int) -> None:
                body = article(
                    "Wrong declared charset", "Vale's São Paulo office paid €40 million."
                )
                self.answer(200, body, "text/html; charset=iso-8859-1")

            def pdf(self, hit: int) -> None:
                self.answer(200, PDF)

            def redirect_private(self, hit: int) -> None:
                port = server.base_url.rsplit(":", 1)[1]
                target = f"http://localhost:{port}/internal/latest/meta-data/"
                self.answer(302, b"", "text/plain", {"Location": target})

            def german(self, hit: int) -> None:
                self.answer(200, GERMAN.encode("utf-8"))

        return Handler


MALFORMED_JSON = Override(
    200,
    body='{"totalRecords": 15, "opportunitiesData": [',
    headers={"Content-Type": "application/json"},
)
QUOTA = Override(
    429,
    body=json.dumps(
        {
            "code": "900804",
            "message": "Message throttled out",
            "description": "You have exceeded your quota. You can access API after "
            "2026-11-28 00:00:00+0000 UTC",
        }
    ),
    headers={"Content-Type": "application/json"},
)


def _landed(path: Path) -> tuple[dict[str, RawDocument], list[FetchFailure]]:
    documents: dict[str, RawDocument] = {}
    failures: list[FetchFailure] = []
    for record in read_landing(path):
        if isinstance(record, RawDocument):
            documents[record.source_id] = record
        else:
            failures.append(record)
    return documents, failures


def _rows(db: Path, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def fault_night(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    from minwatch.flows.nightly import NightFailed, nightly

    root = tmp_path_factory.mktemp("faults")
    db = root / "minwatch.duckdb"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SAM_GOV_API_KEY", "SENTINEL-KEY-fault-9b1e")
    try:
        with SampleServer() as clean:
            nightly(
                db=str(db),
                night=NIGHT,
                send_alerts=False,
                sources=[
                    {
                        "name": name,
                        "base_url": clean.base_url,
                        "spider_args": SAMPLE_SPIDER_ARGS.get(name, {}),
                        "settings": FAST,
                    }
                    for name in ("sam_gov", "mining_com", "trade_atom")
                ],
            )
        before = _rows(db, "SELECT doc_id, version, content_hash, text FROM document ORDER BY 1")
        started = time.monotonic()
        with (
            FaultServer() as faults,
            SampleServer(overrides={"/opportunities/v2/search": [MALFORMED_JSON, QUOTA]}) as sam,
        ):
            # sam_gov fetches nothing (a malformed search, then the quota): a failed source,
            # so the night ends Failed and its summary travels with NightFailed.
            with pytest.raises(NightFailed) as failed:
                nightly(
                    db=str(db),
                    night=NIGHT,
                    send_alerts=False,
                    sources=[
                        {"name": "sam_gov", "base_url": sam.base_url, "settings": FAST},
                        {
                            "name": "mining_com",
                            "base_url": faults.base_url,
                            "spider_args": {"feed_path": "/feed.xml"},
                            "settings": FAULT_SETTINGS,
                        },
                        {
                            "name": "trade_atom",
                            "base_url": faults.base_url,
                            "spider_args": {"feed_path": "/entities.xml"},
                            "settings": FAST,
                        },
                    ],
                )
            summary = failed.value.summary
            fault_requests = list(faults.requests)
            sam_requests = sam.requests
        yield {
            "db": db,
            "root": root,
            "before": before,
            "summary": summary,
            "requests": fault_requests,
            "sam_requests": sam_requests,
            "seconds": time.monotonic() - started,
        }
    finally:
        monkeypatch.undo()


def _landing(fault_night: dict[str, Any], source: str) -> Path:
    return fault_night["root"] / "landing" / source / f"{fault_night['summary'].run_id}.jsonl"


def test_each_faulty_page_records_its_error_and_its_entry_still_lands(
    fault_night: dict[str, Any],
) -> None:
    documents, failures = _landed(_landing(fault_night, "mining_com"))
    by_id = {f.source_id: f for f in failures}
    for page in PAGES:
        source_id = f"{MINING}/p/{page.slug}/"
        assert documents[source_id].format == page.landed_format, page.slug
        if page.error is None:
            assert source_id not in by_id, (page.slug, by_id.get(source_id))
            continue
        failure = by_id[source_id]
        assert (failure.error, page.message in failure.message) == (page.error, True), (
            page.slug,
            failure,
        )
    assert len(failures) == sum(1 for p in PAGES if p.error)
    assert len(documents) == len(PAGES)


def test_pages_read_despite_their_charset_keep_their_text(fault_night: dict[str, Any]) -> None:
    documents, _ = _landed(_landing(fault_night, "mining_com"))
    assert "Café owners in Montréal bought antimony." in (
        documents[f"{MINING}/p/bad-utf8/"].body or ""
    )
    assert "Vale's São Paulo office paid €40 million." in (
        documents[f"{MINING}/p/wrong-charset/"].body or ""
    )
    german = documents[f"{MINING}/p/german/"]
    assert (german.language, documents[f"{MINING}/p/clean/"].language) == ("de", "en")
    pdf = documents[f"{MINING}/p/pdf/"]
    assert pdf.body == "Feed summary of pdf: antimony ingots were offered at $52,000 per\ntonne."


def test_retry_after_is_honoured_and_5xx_retried_until_success(
    fault_night: dict[str, Any],
) -> None:
    requests = fault_night["requests"]
    throttled = [at for path, at in requests if path == "/p/retry-after/"]
    assert len(throttled) == 2
    assert throttled[1] - throttled[0] >= 1.0  # waited the server's second, did not hammer
    assert [path for path, _ in requests].count("/p/flaky/") == 3  # 500, 502, then 200
    # Timeouts are retried like the stock middleware does: RETRY_TIMES (3) + 1 attempts.
    assert [path for path, _ in requests].count("/p/hung/") == 4


def test_nothing_is_fetched_from_a_private_redirect_or_an_external_entity(
    fault_night: dict[str, Any],
) -> None:
    paths = [path for path, _ in fault_night["requests"]]
    assert "/p/redirect-private/" in paths
    assert not [p for p in paths if p.startswith("/internal") or "xxe" in p]


def test_entity_feed_is_refused_as_entities_and_its_entries_land_unexpanded(
    fault_night: dict[str, Any],
) -> None:
    documents, failures = _landed(_landing(fault_night, "trade_atom"))
    assert [(f.error, f.message) for f in failures] == [
        (
            "xml_entities",
            "feed declares XML entities (lol, lol1, lol2, lol3, lol9, external xxe, "
            "external passwd); refused, not expanded or fetched",
        )
    ]
    titles = sorted(d.title or "" for d in documents.values())
    assert titles == ["Laughs &lol9; here", "Plain entry"]
    assert all("root:" not in (d.body or "") for d in documents.values())


def test_sam_malformed_json_then_quota_stop_the_source_and_are_recorded(
    fault_night: dict[str, Any],
) -> None:
    _, failures = _landed(_landing(fault_night, "sam_gov"))
    assert [(f.error, f.http_status) for f in failures] == [("malformed_json", 200), ("quota", 429)]
    assert failures[0].message.startswith("page 0 of {'postedFrom': ")
    assert "is not JSON: Expecting value" in failures[0].message
    assert failures[1].message == (
        "Message throttled out: You have exceeded your quota. You can access API after "
        "2026-11-28 00:00:00+0000 UTC"
    )
    # Stopped at the quota: no request after it, so tomorrow's quota is not spent.
    searches = [r for r in fault_night["sam_requests"] if "/v2/search" in r.path]
    assert [r.status for r in searches] == [200, 429]


def test_the_run_records_every_error_in_fetch_errors_and_runs(fault_night: dict[str, Any]) -> None:
    db, run_id = fault_night["db"], fault_night["summary"].run_id
    errors = _rows(
        db,
        "SELECT source, error, count(*) FROM fetch_errors WHERE run_id = ? GROUP BY ALL "
        "ORDER BY 1, 2",
        [run_id],
    )
    expected_mining: dict[str, int] = {}
    for page in PAGES:
        if page.error:
            expected_mining[page.error] = expected_mining.get(page.error, 0) + 1
    assert errors == sorted(
        [("mining_com", e, n) for e, n in expected_mining.items()]
        + [("sam_gov", "malformed_json", 1), ("sam_gov", "quota", 1)]
        + [("trade_atom", "xml_entities", 1)]
    )
    runs = _rows(
        db,
        "SELECT source, status, fetched, failed, run_status FROM runs WHERE run_id = ? ORDER BY 1",
        [run_id],
    )
    assert runs == [
        ("mining_com", "partial", len(PAGES), sum(expected_mining.values()), "failed"),
        ("sam_gov", "failed", 0, 2, "failed"),
        ("trade_atom", "partial", 2, 1, "failed"),
    ]
    (message,) = _rows(
        db,
        "SELECT message FROM fetch_errors WHERE run_id = ? AND error = 'private_address'",
        [run_id],
    )
    assert message[0].startswith("PrivateAddressRefused: redirect from ")
    assert "/p/redirect-private/ to http://localhost:" in message[0]


def test_nothing_loaded_before_the_faulty_night_is_lost(fault_night: dict[str, Any]) -> None:
    db = fault_night["db"]
    before = fault_night["before"]
    assert len(before) == 38
    kept = _rows(
        db,
        "SELECT doc_id, version, content_hash, text FROM document WHERE doc_id IN "
        "(SELECT unnest(?)) ORDER BY 1",
        [[row[0] for row in before]],
    )
    assert kept == before
    (total,) = _rows(db, "SELECT count(*) FROM documents")
    assert total == (38 + len(PAGES) + 2,)
    # sam_gov stopped on its quota: its watermark stays where the clean night left it.
    assert _rows(db, "SELECT watermark FROM source_state WHERE source = 'sam_gov'") == [(NIGHT,)]


def test_an_empty_feed_and_an_html_page_for_a_feed_are_recorded(tmp_path: Path) -> None:
    with FaultServer() as faults:
        results = {
            path: run_crawl(
                "trade_atom",
                landing_dir=tmp_path / path.strip("/"),
                run_id="night-1",
                base_url=faults.base_url,
                spider_args={"feed_path": path},
                settings=FAST,
                timeout_s=120,
            )
            for path in ("/empty.xml", "/p/clean/")
        }
    empty = _landed(results["/empty.xml"].landing_path)
    assert empty[0] == {}
    assert [(f.error, f.message) for f in empty[1]] == [
        ("empty_feed", "the rss20 feed has no entries")
    ]
    html = _landed(results["/p/clean/"].landing_path)
    assert html[0] == {}
    # An HTML page where the feed should be is not well-formed XML: feedparser says so.
    assert [f.error for f in html[1]] == ["malformed_feed"]
    assert html[1][0].message.startswith("feed could not be parsed: <unknown>:")


def test_private_addresses_are_classified_without_a_network() -> None:
    assert non_public_address("127.0.0.1") == "loopback"
    assert non_public_address("169.254.169.254") == "link-local"
    assert non_public_address("10.1.2.3") == "private"
    assert non_public_address("[::1]") == "loopback"
    assert non_public_address("93.184.216.34") is None
    assert non_public_address("localhost") == "loopback"


def test_compressed_body_checks_by_value() -> None:
    whole = gzip.compress(b"antimony " * 1000)
    assert check_compressed_body(whole, "gzip", 10_000_000) is None
    assert check_compressed_body(whole[:-20], "gzip", 10_000_000) == "truncated"
    assert check_compressed_body(bomb_body(), "gzip", 10 * 1024 * 1024) == "bomb"
    assert check_compressed_body(b"\x00garbage", "br", 100) is None  # not ours to judge


def test_entity_declarations_are_stripped_and_named() -> None:
    stripped, names = strip_entity_declarations(ENTITY_FEED)
    assert names == ["lol", "lol1", "lol2", "lol3", "lol9", "external xxe", "external passwd"]
    assert b"<!ENTITY" not in stripped and b"<rss version" in stripped
    plain = b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN"><rss/>'
    assert strip_entity_declarations(plain) == (plain, [])
