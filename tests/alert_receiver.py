"""A real webhook receiver on loopback for the alert tests: records every POST it gets.

`fail_first` makes it answer HTTP 500 to its first N requests (still recording them), the way
a webhook that is down for a night does.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON
    answered: int  # HTTP status the receiver answered with
    at: float = 0.0  # time.monotonic() when it arrived (the watcher's latency bench reads it)


class AlertReceiver:
    def __init__(self, *, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self._lock = threading.Lock()
        self._received: list[Received] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                status = receiver._record(self.path, dict(self.headers), raw)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _record(self, path: str, headers: dict[str, str], raw: bytes) -> int:
        with self._lock:
            status = 500 if len(self._received) < self.fail_first else 200
            self._received.append(
                Received(path, headers, json.loads(raw or b"null"), status, time.monotonic())
            )
            return status

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/hook", scheme: str = "json") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def accepted(self) -> list[Received]:
        """Requests answered 200: what the webhook's owner actually got."""
        return [r for r in self.received if r.answered == 200]

    def __enter__(self) -> AlertReceiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
