"""A webhook endpoint on loopback that keeps every delivery PROTUS makes, byte for byte.

Example::

    with Receiver() as receiver:
        client.company.update(webhook_url=receiver.url)
        delivery = receiver.wait_for(lambda event: event["type"] == "account.created")
        django_client.post("/protus/webhook/", delivery.body, **delivery.meta())
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Delivery:
    """One webhook request PROTUS made: the exact bytes, the headers (lower-case names) and the
    status the receiver answered."""

    def __init__(self, body: bytes, headers: dict[str, str], status: int) -> None:
        self.body = body
        self.headers = headers
        self.status = status
        self.event: dict[str, Any] = json.loads(body)

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]

    def meta(self) -> dict[str, str]:
        """The headers as Django's test client takes them (``client.post(path, body, **meta)``)."""
        meta = {"content_type": self.headers.get("content-type", "application/json")}
        for name, value in self.headers.items():
            if name.startswith("webhook-"):
                meta["HTTP_" + name.upper().replace("-", "_")] = value
        return meta


class Receiver:
    """Answers 200 to every delivery, or 500 to the next ``fail_next`` ones."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.fail_next = 0
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/protus"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 30.0) -> Delivery:
        """The first delivery whose event ``wanted`` accepts, waiting until it comes."""
        return self.wait_until(lambda d: wanted(d.event), 1, timeout)[0]

    def attempts_of(self, event_id: str, count: int = 1, timeout: float = 30.0) -> list[Delivery]:
        """The first ``count`` deliveries of the event ``event_id`` (the same id on every retry)."""
        return self.wait_until(lambda d: d.event_id == event_id, count, timeout)

    def wait_until(self, wanted: Callable[[Delivery], bool], count: int, timeout: float) -> list[Delivery]:
        """The first ``count`` deliveries ``wanted`` accepts, waiting until they came."""

        def matching() -> list[Delivery] | None:
            found = [d for d in self.deliveries if wanted(d)]
            return found[:count] if len(found) >= count else None

        with self._changed:
            found = self._changed.wait_for(matching, timeout)
        if found is None:
            seen = [d.event.get("type") for d in self.deliveries]
            raise AssertionError(f"no {count} such webhook(s) in {timeout} s; received {seen}")
        return found

    def _record(self, body: bytes, headers: dict[str, str]) -> int:
        with self._changed:
            status = 500 if self.fail_next > 0 else 200
            self.fail_next = max(0, self.fail_next - 1)
            self.deliveries.append(Delivery(body, headers, status))
            self._changed.notify_all()
        return status

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                status = receiver._record(body, {k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

        return _Handler
