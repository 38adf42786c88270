"""A scripted HTTP server on loopback, for unit tests that check what the package sends.

Example::

    with FakeServer() as server:
        server.reply("POST", "/v1/charges", 503)
        server.reply("POST", "/v1/charges", 201, {"id": "ch_1"})
        protus.Client("cl", "secret", server.url).charges.create(account="acct_1", amount=100)
        assert len(server.requests) == 2
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str
    #: Each query parameter's last value.
    query: dict[str, str]
    #: Header names in lower case.
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        """An ``application/x-www-form-urlencoded`` body, each field's last value."""
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass
class Answer:
    status: int
    json_body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


Handler = Callable[[Request], Answer]


class FakeServer:
    """Answers queued per (method, path), then computed ones; 404 JSON for anything else."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._queued: dict[tuple[str, str], deque[Answer]] = {}
        self._handlers: dict[tuple[str, str], Handler] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(
        self,
        method: str,
        path: str,
        status: int,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        """Queues one answer; answers for the same method and path come out in order."""
        with self._lock:
            queue = self._queued.setdefault((method, path), deque())
            queue.append(Answer(status, json_body, dict(headers or {}), raw))

    def handler(self, method: str, path: str, fn: Handler) -> None:
        """Answers every request to (method, path) that no queued answer takes with ``fn``."""
        self._handlers[(method, path)] = fn

    def requests_to(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def _answer(self, request: Request) -> Answer:
        key = (request.method, request.path)
        with self._lock:
            self.requests.append(request)
            queue = self._queued.get(key)
            if queue:
                return queue.popleft()
        fn = self._handlers.get(key)
        if fn is not None:
            return fn(request)
        return Answer(404, {"status": 404, "code": "not_found", "detail": f"{request.method} {request.path}"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes; without this, Nagle holds the body back.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                answer = fake._answer(request)
                if answer.raw is not None:
                    body, kind = answer.raw, "text/html"
                elif answer.json_body is not None:
                    body = json.dumps(answer.json_body).encode()
                    kind = "application/problem+json" if answer.status >= 400 else "application/json"
                else:
                    body, kind = b"", "application/json"
                self.send_response(answer.status)
                headers = {"content-type": kind, **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

        return _Handler
