"""Hostile or broken answers: private-address redirects, bad gzip, lying charsets, odd languages.

Scrapy already caps bodies (DOWNLOAD_MAXSIZE, also after decompression) and times out hung
servers; what it does silently is the concern here. A truncated gzip stream is decompressed
"as far as possible" and a half page lands as if it were whole; a body that is not in its
declared charset is decoded into mojibake; a redirect may point the crawler at the cloud
metadata service. Each of these becomes an exception or a finding the spider records as a
FetchFailure against its source and document.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse

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
_DOCTYPE_WITH_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(%\s*)?([\w.-]+)\s*(SYSTEM|PUBLIC)?", re.IGNORECASE)


class PrivateAddressRefused(IgnoreRequest):
    """A request (usually a redirect hop) to a loopback, private or link-local address."""


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


class PrivateAddressMiddleware:
    """Refuses requests to non-public addresses other than the source's own configured host.

    The configured base URL is the operator's choice (the sample server is on loopback); a
    page or redirect that leads anywhere else non-public is how a hostile site reaches an
    intranet or the cloud metadata service. `MINWATCH_ALLOW_PRIVATE_ADDRESSES` lifts the rule.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allowed = crawler.settings.getbool("MINWATCH_ALLOW_PRIVATE_ADDRESSES", False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.allowed:
            return
        parts = urlsplit(request.url)
        base_url = getattr(self.crawler.spider, "base_url", None)
        if not parts.hostname or (base_url and urlsplit(base_url).netloc == parts.netloc):
            return
        kind = non_public_address(parts.hostname)
        if kind is None:
            return
        redirects = request.meta.get("redirect_urls") or []
        origin = f"redirect from {redirects[0]} to" if redirects else "request to"
        raise PrivateAddressRefused(
            f"{origin} {request.url} refused: {parts.hostname} is a {kind} address "
            "(MINWATCH_ALLOW_PRIVATE_ADDRESSES is off)"
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
def strip_entity_declarations(xml: bytes) -> tuple[bytes, list[str]]:
    """The document without a DOCTYPE internal subset, and the entities it declared.

    Entities are how a feed mounts billion-laughs expansion or reads local files and intranet
    URLs (external entities); no real RSS or Atom feed needs them. Removing the subset leaves
    references such as `&lol9;` undefined, which the feed parser keeps as text.
    """
    head = xml[:65536]
    match = _DOCTYPE_WITH_SUBSET.search(head)
    if match is None or b"<!ENTITY" not in match.group(0).upper():
        return xml, []
    declared = [
        ("external " if m.group(3) else "") + ("%" if m.group(1) else "") + m.group(2).decode()
        for m in _ENTITY_DECLARATION.finditer(match.group(0))
    ]
    return xml[: match.start()] + xml[match.end() :], declared
