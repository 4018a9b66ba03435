"""Hostile or broken answers: where a crawl may go, what it may carry, what it may parse.

Scrapy already caps bodies (DOWNLOAD_MAXSIZE, also after decompression) and times out hung
servers; what it does silently is the concern here. A page or redirect may point the crawler
at a local file, the cloud metadata service or an intranet host; a request may carry an API
key to a host that is not the API; a truncated gzip stream is decompressed "as far as
possible" and a half page lands as if it were whole; a body that is not in its declared
charset is decoded into mojibake; a feed may declare XML entities that expand without limit.
Each of these becomes an exception or a finding the spider records as a FetchFailure against
its source and document.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Self
from urllib.parse import quote, quote_plus, urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse

from minwatch.spiders.urls import url_origin

# Single-byte charsets a server often declares by default for what is really UTF-8.
_SINGLE_BYTE_CHARSETS = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"})
_CHARSET_IN_CONTENT_TYPE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_HTML_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)
# Scripts that name a language on their own (Latin-script languages need more than this).
_SCRIPT_LANGUAGES = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),  # kana: before CJK, Japanese also uses kanji
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
)
_SCRIPT_SHARE = 0.3  # share of letters in one script that makes the page that language
# The schemes a crawl may fetch; everything else (file, data, ftp, s3, gopher...) is refused.
OPEN_WEB_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# XML: a DOCTYPE up to its internal subset's "[" (or its end), quoted literals taken whole.
_DOCTYPE_HEAD = re.compile(rb"<!DOCTYPE(?:[^\"'\[>]++|\"[^\"]*+\"|'[^']*+')*+", re.IGNORECASE)
_ENTITY_OPEN = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s*)?([\w.-]+)\s*(SYSTEM|PUBLIC)?", re.IGNORECASE)
# Inside an internal subset: blanks, a comment, a processing instruction, a markup declaration
# (quoted literals may hold ">"), a parameter-entity reference. One regex step per construct,
# possessive so that a failed match does not backtrack, keeps the scan linear in the subset
# whatever padding it holds.
_SUBSET_BLANKS = re.compile(rb"[ \t\r\n]*")
_SUBSET_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_SUBSET_PI = re.compile(rb"<\?.*?\?>", re.DOTALL)
_SUBSET_DECLARATION = re.compile(rb"<!(?:[^\"'>]++|\"[^\"]*+\"|'[^']*+')*+>")
_SUBSET_PE_REFERENCE = re.compile(rb"%[\w.:-]+;")
_SUBSET_END = re.compile(rb"\][ \t\r\n]*>")


class RefusedUrl(IgnoreRequest):
    """A request (or a redirect hop) whose URL is not on the open web: not http(s), no host."""


class PrivateAddressRefused(IgnoreRequest):
    """A request (usually a redirect hop) to a loopback, private or link-local address."""


class SecretRefused(IgnoreRequest):
    """A request that would carry a secret of its source to an origin the secret is not for."""


class TruncatedCompressedBody(IgnoreRequest):
    """A gzip/deflate body that ends before its compressed stream does."""


class DecompressionBombRefused(IgnoreRequest):
    """A compressed body that inflates past DOWNLOAD_MAXSIZE."""


# -- addresses ---------------------------------------------------------------------------
def _address_class(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if address.is_reserved or address.is_multicast or address.is_unspecified:
        return "reserved"
    return None


@lru_cache(maxsize=256)
def non_public_address(host: str) -> str | None:
    """ "loopback", "private", "link-local" or "reserved" when `host` is or resolves to such an
    address; None for a public address or a name that does not resolve (the download itself
    then fails with a DNS error)."""
    candidate = host.strip("[]")
    try:
        return _address_class(ipaddress.ip_address(candidate))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(candidate, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        found = _address_class(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        if found:
            return found
    return None


def url_refusal(url: str) -> str | None:
    """Why a crawl may not fetch `url` whatever its address; None when it is http(s) with a host.

    Local files (`file:`), inline data (`data:`), FTP and S3 have Scrapy download handlers of
    their own; a link to `file:///proc/self/environ` on a hostile page would land the crawl's
    own environment, API keys included.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"the URL does not parse ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in OPEN_WEB_SCHEMES:
        return f"scheme {scheme + ':' if scheme else '(none)'} is not http or https"
    if not parts.hostname:
        return "the URL has no host"
    return None


def _host_port(url: str) -> str:
    """`host:port` of `url`, the default port written out: the address the base-URL exception
    compares (an address rule, so the scheme is not part of it)."""
    return url_origin(url).partition("://")[2]


class OpenWebOnlyMiddleware:
    """The crawl's one allow-list: every request, each redirect hop included, passes it.

    Allowed: http and https URLs with a host whose address is public, plus the host:port of
    the source's configured base URL (the operator's choice: the demo and the tests serve on
    127.0.0.1). `MINWATCH_ALLOW_PRIVATE_ADDRESSES` lifts the address rule, never the scheme
    rule. Sits before RobotsTxtMiddleware (100), so a refused host is not even asked for its
    robots.txt; a redirect is rescheduled as a new request and so passes here again.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("MINWATCH_ALLOW_PRIVATE_ADDRESSES", False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        redirects = request.meta.get("redirect_urls") or []
        origin = f"redirect from {redirects[0]} to" if redirects else "request to"
        if (reason := url_refusal(request.url)) is not None:
            raise RefusedUrl(f"{origin} {_shown(request.url)} refused: {reason}")
        if self.allow_private:
            return
        base_url = getattr(self.crawler.spider, "base_url", None)
        if base_url and _host_port(request.url) == _host_port(base_url):
            return
        host = urlsplit(request.url).hostname or ""
        kind = non_public_address(host)
        if kind is None:
            return
        raise PrivateAddressRefused(
            f"{origin} {request.url} refused: {host} is a {kind} address "
            "(MINWATCH_ALLOW_PRIVATE_ADDRESSES is off)"
        )

    def process_response(self, request: Request, response: Response) -> Response:
        # RedirectMiddleware hands back a redirect to file: or data: as the 3xx response itself
        # (which would land as a bare "http_302"); the refusal says what was refused.
        if response.status not in REDIRECT_STATUSES or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get("Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if (reason := url_refusal(target)) is not None:
            raise RefusedUrl(f"redirect from {request.url} to {_shown(target)} refused: {reason}")
        return response


def _shown(url: str, limit: int = 200) -> str:
    """A URL for a message: a `data:` URL can be megabytes long."""
    return url if len(url) <= limit else url[:limit] + f"... ({len(url)} characters)"


def carries_secret(request: Request, secret: str) -> str | None:
    """Where `request` carries `secret` ("URL", "header X", "body"), quoted or not; else None."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    if any(form in request.url for form in forms):
        return "URL"
    encoded = [form.encode("utf-8") for form in forms]
    for name, values in request.headers.items():
        if any(form in value for value in values for form in encoded):
            return f"header {name.decode('latin-1')}"
    if request.body and any(form in request.body for form in encoded):
        return "body"
    return None


class SecretOriginMiddleware:
    """Refuses a request that carries a secret to an origin that secret is not for.

    The spider names its secrets and where each may go (`BaseSpider.secret_origins`); the URL,
    every header and the body are searched. Spiders already add a key only where it belongs:
    this is the last line of defence, so it runs after every middleware that adds headers and
    again for each retry and redirect.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        destinations: Mapping[str, frozenset[str]] = (
            getattr(self.crawler.spider, "secret_origins", None) or {}
        )
        if not destinations:
            return
        origin = url_origin(request.url)
        for secret, allowed in destinations.items():
            if not secret or origin in allowed:
                continue
            where = carries_secret(request, secret)
            if where is None:
                continue
            stats = self.crawler.stats
            if stats is not None:
                stats.inc_value("minwatch/secret_refused")
            destinations_text = ", ".join(sorted(allowed)) or "no origin"
            raise SecretRefused(
                f"request to {origin} refused: it carries a secret of this source in its "
                f"{where}, and that secret may go only to {destinations_text}"
            )


# -- compressed bodies ---------------------------------------------------------------------
def check_compressed_body(body: bytes, encoding: str, max_size: int) -> str | None:
    """Why a gzip/deflate body must be refused: "truncated" or "bomb"; None when it is whole.

    Inflates in bounded steps, so checking a bomb costs at most `max_size` bytes of memory.
    """
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    if encoding not in wbits:
        return None
    inflater = zlib.decompressobj(wbits[encoding])
    produced = 0
    pending = body
    try:
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, 1 << 20)
            produced += len(chunk)
            if max_size and produced > max_size:
                return "bomb"
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            produced += len(inflater.flush())
            return "bomb" if max_size and produced > max_size else "truncated"
    except zlib.error:
        if encoding == "deflate":
            return None  # raw deflate without zlib header: Scrapy's own fallback reads it
        return "truncated"
    return None


class CompressedBodyMiddleware:
    """Sees the body before HttpCompressionMiddleware inflates it (so a priority above 590).

    Scrapy inflates a cut gzip stream as far as it goes and hands on the half page; this one
    refuses it instead, and refuses a bomb with its own error class rather than a bare
    IgnoreRequest.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.method == "HEAD" or not response.body:
            return response
        encodings = [
            e.decode("latin-1").strip().lower()
            for e in response.headers.getlist("Content-Encoding")
        ]
        if len(encodings) != 1:
            return response
        max_size = int(request.meta.get("download_maxsize", self.max_size))
        verdict = check_compressed_body(response.body, encodings[0], max_size)
        if verdict == "bomb":
            raise DecompressionBombRefused(
                f"{encodings[0]} body of {len(response.body)} B inflates past "
                f"DOWNLOAD_MAXSIZE ({max_size} B); refused as a decompression bomb"
            )
        if verdict == "truncated":
            raise TruncatedCompressedBody(
                f"{encodings[0]} body of {len(response.body)} B ends before its compressed "
                "stream does (truncated in transit)"
            )
        return response


# -- text ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DecodedBody:
    text: str
    error: str | None = None  # "invalid_encoding" | "charset_mismatch"
    message: str | None = None


def _declared_charset(response: Response) -> str | None:
    header = response.headers.get("Content-Type")
    if not header:
        return None
    found = _CHARSET_IN_CONTENT_TYPE.search(header.decode("latin-1"))
    if not found:
        return None
    try:
        return codecs.lookup(found.group(1)).name
    except LookupError:
        return None


def decode_body(response: Response) -> DecodedBody:
    """The body as text, and what was wrong with its declared charset, if anything.

    - declared UTF-8 (or nothing declared) but not valid UTF-8: decoded as windows-1252, the
      usual real encoding of such pages, and reported as `invalid_encoding`;
    - declared a single-byte charset but the body is valid UTF-8 with non-ASCII text: decoded
      as UTF-8 (random Latin-1 text is almost never valid UTF-8), reported as
      `charset_mismatch`.
    """
    body = response.body
    declared = _declared_charset(response)
    try:
        as_utf8: str | None = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        as_utf8 = None
        utf8_problem = f"byte 0x{body[exc.start]:02x} at offset {exc.start}"
    if declared in (None, "utf-8") and as_utf8 is None:
        return DecodedBody(
            text=body.decode("cp1252", errors="replace"),
            error="invalid_encoding",
            message=(
                f"body is not valid UTF-8 ({'declared' if declared else 'assumed'}): "
                f"invalid {utf8_problem}; decoded as windows-1252"
            ),
        )
    if declared in _SINGLE_BYTE_CHARSETS and as_utf8 is not None and not body.isascii():
        return DecodedBody(
            text=as_utf8,
            error="charset_mismatch",
            message=f"declared charset {declared} but the body is UTF-8; decoded as UTF-8",
        )
    if isinstance(response, TextResponse):
        return DecodedBody(text=response.text)
    return DecodedBody(text=as_utf8 if as_utf8 is not None else body.decode("cp1252", "replace"))


def looks_like_html(response: Response) -> str | None:
    """Why the answer to a page request is not an HTML page; None when it is one."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    head = response.body[:4096]
    if not head.strip():
        return "the body is empty"
    if b"\x00" in head or head.startswith(b"%PDF"):
        kind = "a PDF" if head.startswith(b"%PDF") else "binary data"
        return f"the body is {kind} (Content-Type {content_type or 'absent'})"
    if content_type and not any(t in content_type for t in ("html", "xml", "text/plain")):
        return f"Content-Type is {content_type}"
    if not _HTML_MARKERS.search(head):
        return f"no HTML markup in the first {len(head)} bytes (Content-Type {content_type})"
    return None


def page_language(html: str | bytes) -> str | None:
    """ISO 639-1 code of a page: its `<html lang>` if any, else a script that dominates it.

    None when neither tells (a Latin-script page without `lang`).
    """
    raw = html.encode("utf-8", errors="replace") if isinstance(html, str) else html
    if declared := _HTML_LANG.search(raw[:8192]):
        return declared.group(1).decode("ascii").lower()
    text = html if isinstance(html, str) else html.decode("utf-8", errors="replace")
    text = re.sub(r"<[^>]*>", " ", text)
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    for code, script in _SCRIPT_LANGUAGES:
        if len(script.findall(text)) / len(letters) >= _SCRIPT_SHARE:
            return code
    return None


# -- XML -----------------------------------------------------------------------------------
class EntityDeclarationsRefused(ValueError):
    """XML whose entity declarations cannot all be removed: it must not reach any parser."""


def _internal_subset_end(xml: bytes, position: int) -> int | None:
    """Offset just past the `]>` closing the internal subset that starts at `position` (just
    after its "["); None when the subset holds anything else than markup declarations."""
    while True:
        position = _SUBSET_BLANKS.match(xml, position).end()  # type: ignore[union-attr]
        # The construct is chosen by its first bytes, and one that does not end is the end of
        # the scan: retrying another construct there could rescan the rest again and again.
        if xml.startswith(b"<!--", position):
            construct = _SUBSET_COMMENT
        elif xml.startswith(b"<?", position):
            construct = _SUBSET_PI
        elif xml.startswith(b"<!", position):
            construct = _SUBSET_DECLARATION
        elif xml.startswith(b"%", position):
            construct = _SUBSET_PE_REFERENCE
        elif xml.startswith(b"]", position):
            construct = _SUBSET_END
        else:
            return None
        found = construct.match(xml, position)
        if found is None:
            return None
        if construct is _SUBSET_END:
            return found.end()
        position = found.end()


def strip_entity_declarations(xml: bytes) -> tuple[bytes, list[str]]:
    """The document without its DOCTYPE internal subset, and the entities it declared.

    Entities are how a feed mounts billion-laughs expansion or reads local files and intranet
    URLs (external entities); no real RSS or Atom feed needs them. Removing the subset leaves
    references such as `&lol9;` undefined, which the feed parser keeps as text. The whole body
    is searched, however much padding comes first. Raises EntityDeclarationsRefused when an
    `<!ENTITY` remains that no removable subset holds (an unterminated or garbled subset, a
    declaration outside one): such a body must not be parsed at all.
    """
    if _ENTITY_OPEN.search(xml) is None:
        return xml, []
    kept: list[bytes] = []
    declared: list[str] = []
    cursor = 0
    for head in _DOCTYPE_HEAD.finditer(xml):
        if head.start() < cursor or xml[head.end() : head.end() + 1] != b"[":
            continue
        end = _internal_subset_end(xml, head.end() + 1)
        if end is None:
            raise EntityDeclarationsRefused(
                f"the DOCTYPE internal subset at byte {head.start()} does not end in well-formed "
                "markup declarations, so its entity declarations cannot be removed"
            )
        subset = xml[head.end() : end]
        declared += [
            ("external " if m.group(3) else "") + ("%" if m.group(1) else "") + m.group(2).decode()
            for m in _ENTITY_DECLARATION.finditer(subset)
        ]
        # The DOCTYPE goes whole: its name and external ID mean nothing without the subset.
        kept.append(xml[cursor : head.start()])
        cursor = end
    stripped = b"".join([*kept, xml[cursor:]]) if kept else xml
    if (left := _ENTITY_OPEN.search(stripped)) is not None:
        raise EntityDeclarationsRefused(
            f"an <!ENTITY declaration at byte {left.start()} of what remains lies outside any "
            "DOCTYPE internal subset that could be removed"
        )
    return stripped, declared
