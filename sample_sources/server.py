"""Loopback HTTP server over the bundled sample sources, in the real sources' formats.

Standard library only so a test can start one in milliseconds:

    with SampleServer() as server:
        fetch(server.base_url + "/news/mining_feed.xml")

Routes: the SAM.gov Get Opportunities v2 search (`/opportunities/v2/search` and the `/prod/`
alias) and notice-description endpoint, answering with the documented error messages; the
routes of `sample_sources.routes` (POST ones take a form body; POST elsewhere is 405); every
other path is a static file under the root with `__BASE_URL__` replaced by the server's own
base URL, ETag / Last-Modified headers and 304 answers to conditional requests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from minwatch.sample_sources import SAMPLE_ROOT

BASE_URL_TOKEN = "__BASE_URL__"
SEARCH_PATHS = ("/opportunities/v2/search", "/prod/opportunities/v2/search")
DESCRIPTION_PATHS = ("/opportunities/v1/noticedesc", "/prod/opportunities/v1/noticedesc")
TEXT_SUFFIXES = {".json", ".xml", ".html", ".htm", ".txt", ".jsonl", ".csv", ".js", ".css"}
CONTENT_TYPES = {
    ".json": "application/json",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# API routes of further source families, registered by the modules of `sample_sources.routes`
# (one module a family): path -> handler(server, query params, request headers).
RouteResult = tuple[int, dict[str, str], bytes]
RouteHandler = Callable[["SampleServer", Mapping[str, str], Mapping[str, str]], RouteResult]
EXTRA_ROUTES: dict[str, RouteHandler] = {}
# Routes answering POST only (a form-encoded body, its fields merged over the query's); a GET
# there is refused with 405, as a POST anywhere else is.
POST_ROUTES: dict[str, RouteHandler] = {}
MAX_FORM_BYTES = 64 * 1024  # a larger POST body is refused (413): the sample APIs take forms


def route(*paths: str) -> Callable[[RouteHandler], RouteHandler]:
    """Register a handler for exact URL paths (query strings are parsed for it)."""

    def register(handler: RouteHandler) -> RouteHandler:
        for path in paths:
            EXTRA_ROUTES[path] = handler
        return handler

    return register


def post_route(*paths: str) -> Callable[[RouteHandler], RouteHandler]:
    """Register a POST handler for exact URL paths; it gets the query and form fields."""

    def register(handler: RouteHandler) -> RouteHandler:
        for path in paths:
            POST_ROUTES[path] = handler
        return handler

    return register


# The real API's letter codes for `ptype`.
PTYPE_NAMES = {
    "o": "Solicitation",
    "p": "Presolicitation",
    "k": "Combined Synopsis/Solicitation",
    "a": "Award Notice",
    "r": "Sources Sought",
    "s": "Special Notice",
    "u": "Justification (J&A)",
    "i": "Intent to Bundle",
    "g": "Sale of Surplus Property",
}


@dataclass(frozen=True)
class Override:
    """A canned answer for one path (tests use it for 429s, 500s, truncated bodies...)."""

    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str  # path with query, api_key value redacted
    status: int
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when the request arrived (Retry-After tests compare)
    form: dict[str, str] = field(default_factory=dict)  # a POST's form fields


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def redact_api_key(path_with_query: str) -> str:
    parts = urlsplit(path_with_query)
    if not parts.query:
        return path_with_query
    pairs = [
        (key, "***" if key.lower() == "api_key" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return f"{parts.path}?{urlencode(pairs, safe='/:,*')}"


def _parse_mmddyyyy(value: str | None, name: str) -> date:
    if not value:
        raise ApiError(400, "400", "PostedFrom and PostedTo are mandatory")
    try:
        return datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError as exc:
        raise ApiError(
            400, "400", "Invalid Date Entered. Expected date format is MM/dd/yyyy"
        ) from exc


def _posted_date(record: Mapping[str, Any]) -> date | None:
    raw = record.get("postedDate")
    if not isinstance(raw, str) or len(raw) < 10:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


class SampleServer:
    """Serves `root` on 127.0.0.1; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        root: Path = SAMPLE_ROOT,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        overrides: Mapping[str, Override | Sequence[Override]] | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self.port = port
        # A single Override answers every hit; a sequence answers one hit each, then the
        # path is served normally again (so "429 then 200" is `[Override(429, ...)]`).
        self._fixed: dict[str, Override] = {}
        self._queued: dict[str, list[Override]] = {}
        for path, answer in (overrides or {}).items():
            if isinstance(answer, Override):
                self._fixed[path] = answer
            else:
                self._queued[path] = list(answer)
        self._lock = threading.Lock()
        self._requests: list[LoggedRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("SampleServer is not started; call start() first.")
        host, port = self._httpd.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else str(host)
        return f"http://{host_text}:{port}"

    def start(self) -> SampleServer:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="sample-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- request log ---------------------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._requests)

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._requests.append(entry)

    def _next_override(self, path: str) -> Override | None:
        with self._lock:
            if path in self._fixed:
                return self._fixed[path]
            queued = self._queued.get(path)
            return queued.pop(0) if queued else None

    # -- content -------------------------------------------------------------------------
    def substitute(self, data: bytes) -> bytes:
        return data.replace(BASE_URL_TOKEN.encode(), self.base_url.encode())

    def load_opportunities(self) -> list[dict[str, Any]]:
        path = self.root / "sam_gov" / "opportunities.json"
        if not path.exists():
            return []
        payload = json.loads(self.substitute(path.read_bytes()))
        records = payload.get("opportunitiesData", [])
        return [r for r in records if isinstance(r, dict)]

    def search(self, params: Mapping[str, str]) -> dict[str, Any]:
        if not params.get("api_key"):
            raise ApiError(401, "API_KEY_MISSING", "No api_key was supplied")
        posted_from = _parse_mmddyyyy(params.get("postedFrom"), "postedFrom")
        posted_to = _parse_mmddyyyy(params.get("postedTo"), "postedTo")
        if posted_to - posted_from > timedelta(days=366) or posted_to < posted_from:
            raise ApiError(400, "400", "Date range must be 1 year(s) apart")
        try:
            limit = int(params.get("limit", "1"))
            offset = int(params.get("offset", "0"))
        except ValueError as exc:
            raise ApiError(
                400, "400", "Limit valid range is 0-1000. Please provide valid input."
            ) from exc
        if not 0 <= limit <= 1000:
            raise ApiError(400, "400", "Limit valid range is 0-1000. Please provide valid input.")
        offset = max(offset, 0)
        matches = [
            record
            for record in self.load_opportunities()
            if self._matches(record, params, posted_from, posted_to)
        ]
        if not matches:
            raise ApiError(404, "404", "No Data found")
        page = matches[offset * limit : (offset + 1) * limit]
        echoed = {k: v for k, v in params.items() if k.lower() != "api_key"}
        return {
            "totalRecords": len(matches),
            "limit": limit,
            "offset": offset,
            "opportunitiesData": page,
            "links": [
                {
                    "rel": "self",
                    "href": f"{self.base_url}/prod/opportunities/v2/search?"
                    + urlencode(echoed, safe="/,"),
                }
            ],
        }

    @staticmethod
    def _matches(
        record: Mapping[str, Any], params: Mapping[str, str], posted_from: date, posted_to: date
    ) -> bool:
        posted = _posted_date(record)
        if posted is None or not posted_from <= posted <= posted_to:
            return False
        if ptype := params.get("ptype"):
            wanted = {PTYPE_NAMES.get(code.strip().lower()) for code in ptype.split(",")}
            if record.get("type") not in wanted:
                return False
        if (ncode := params.get("ncode")) and not (
            record.get("naicsCode") == ncode or ncode in (record.get("naicsCodes") or [])
        ):
            return False
        if (ccode := params.get("ccode")) and record.get("classificationCode") != ccode:
            return False
        if org := params.get("organizationCode"):
            segments = str(record.get("fullParentPathCode") or "").split(".")
            if org not in segments:
                return False
        if (title := params.get("title")) and title.lower() not in str(
            record.get("title") or ""
        ).lower():
            return False
        if (solnum := params.get("solnum")) and record.get("solicitationNumber") != solnum:
            return False
        return not ((notice_id := params.get("noticeid")) and record.get("noticeId") != notice_id)

    def description(self, params: Mapping[str, str]) -> dict[str, Any]:
        if not params.get("api_key"):
            raise ApiError(401, "API_KEY_MISSING", "No api_key was supplied")
        notice_id = params.get("noticeid", "")
        if not notice_id or not all(c in "0123456789abcdef" for c in notice_id):
            raise ApiError(404, "404", "Description Not Found")
        path = self.root / "sam_gov" / "descriptions" / f"{notice_id}.json"
        if not path.exists():
            raise ApiError(404, "404", "Description Not Found")
        loaded: dict[str, Any] = json.loads(self.substitute(path.read_bytes()))
        return loaded

    def static_path(self, url_path: str) -> Path | None:
        relative = url_path.lstrip("/")
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or candidate.suffix == ".py" or "__pycache__" in candidate.parts:
            return None
        return candidate


def _not_allowed(allow: str) -> RouteResult:
    return 405, {"Content-Type": "text/plain", "Allow": allow}, b"405 Method Not Allowed"


def _make_handler(server: SampleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "minwatch-sample/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            # The request log replaces the stderr log; it is what tests read.
            pass

        def do_HEAD(self) -> None:
            self._dispatch(send_body=False)

        def do_GET(self) -> None:
            self._dispatch(send_body=True)

        def do_POST(self) -> None:
            self._dispatch(send_body=True, post=True)

        def _form(self) -> tuple[dict[str, str], RouteResult | None]:
            """The POST body's form fields, or the answer refusing the body."""
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_FORM_BYTES:
                self.close_connection = True  # the body is not read: the connection is spent
                return {}, (413, {"Content-Type": "text/plain"}, b"request body too large")
            raw = self.rfile.read(length) if length else b""
            fields = parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
            return dict(fields), None

        def _dispatch(self, *, send_body: bool, post: bool = False) -> None:
            arrived_at = time.monotonic()
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            form: dict[str, str] = {}
            refused: RouteResult | None = None
            if post:
                form, refused = self._form()
                params.update(form)
            override = server._next_override(parts.path)
            if override is not None:
                status, headers, body = (
                    override.status,
                    dict(override.headers),
                    override.body_bytes(),
                )
            elif refused is not None:
                status, headers, body = refused
            elif parts.path in POST_ROUTES:
                if post:
                    handler = POST_ROUTES[parts.path]
                    status, headers, body = handler(server, params, dict(self.headers.items()))
                else:
                    status, headers, body = _not_allowed("POST")
            elif post:
                status, headers, body = _not_allowed("GET, HEAD")
            elif parts.path in SEARCH_PATHS:
                status, headers, body = self._api(server.search, params)
            elif parts.path in DESCRIPTION_PATHS:
                status, headers, body = self._api(server.description, params)
            elif parts.path in EXTRA_ROUTES:
                handler = EXTRA_ROUTES[parts.path]
                status, headers, body = handler(server, params, dict(self.headers.items()))
            else:
                status, headers, body = self._static(parts.path)
            # Logged before answering: a client that has its response finds its request in
            # the log (logging after the send raced the next read of `requests`).
            server._log(
                LoggedRequest(
                    method=self.command,
                    path=redact_api_key(self.path),
                    status=status,
                    headers=dict(self.headers.items()),
                    at=arrived_at,
                    form=form,
                )
            )
            self._send(status, headers, body if send_body else b"", len(body))

        def _api(
            self, handler: Any, params: Mapping[str, str]
        ) -> tuple[int, dict[str, str], bytes]:
            try:
                payload = handler(params)
                status = 200
            except ApiError as exc:
                payload = {"error": {"code": exc.code, "message": exc.message}}
                status = exc.status
            body = json.dumps(payload).encode("utf-8")
            return status, {"Content-Type": "application/json"}, body

        def _static(self, url_path: str) -> tuple[int, dict[str, str], bytes]:
            path = server.static_path(url_path)
            if path is None:
                body = b"<html><body><h1>404 Not Found</h1></body></html>"
                return 404, {"Content-Type": "text/html; charset=utf-8"}, body
            raw = path.read_bytes()
            # The validator follows the file, not this server's port: a real site's links
            # carry one fixed host, so its ETag does not change from night to night.
            etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
            if path.suffix in TEXT_SUFFIXES:
                raw = server.substitute(raw)
            content_type = CONTENT_TYPES.get(path.suffix) or (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            )
            modified = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
            headers = {
                "Content-Type": content_type,
                "ETag": etag,
                "Last-Modified": format_datetime(modified, usegmt=True),
            }
            if self._not_modified(etag, modified):
                return 304, headers, b""
            return 200, headers, raw

        def _not_modified(self, etag: str, modified: datetime) -> bool:
            if (if_none_match := self.headers.get("If-None-Match")) is not None:
                return etag in [tag.strip() for tag in if_none_match.split(",")] or (
                    if_none_match.strip() == "*"
                )
            if (if_modified_since := self.headers.get("If-Modified-Since")) is not None:
                try:
                    since = parsedate_to_datetime(if_modified_since)
                except (TypeError, ValueError):
                    return False
                return modified <= since
            return False

        def _send(self, status: int, headers: Mapping[str, str], body: bytes, length: int) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


def _load_route_modules() -> None:
    import importlib
    import pkgutil

    from minwatch.sample_sources import routes

    for module in pkgutil.iter_modules(routes.__path__):
        importlib.import_module(f"{routes.__name__}.{module.name}")


_load_route_modules()


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the bundled sample sources on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--root", type=Path, default=SAMPLE_ROOT)
    args = parser.parse_args(list(argv) if argv is not None else None)
    server = SampleServer(args.root, host=args.host, port=args.port).start()
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    # Route modules register with `sample_sources.server`, not with this `__main__` copy.
    from minwatch.sample_sources import server as _imported

    _imported.main()
