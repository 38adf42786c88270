"""Sends calls to the PROTUS API: JSON in and out, idempotency keys, retries, problem errors."""

from __future__ import annotations

import base64
import email.utils
import json
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

import requests

from ._version import __version__
from .errors import ProtusError, problem_error

#: Failures after which the request may not have reached the server, or its answer was lost.
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)

_NOT_JSON = object()


@dataclass(frozen=True)
class Backoff:
    """How long to wait between attempts: ``base`` seconds doubled on every retry, at most ``maximum``."""

    base: float = 0.3
    maximum: float = 5.0

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """The wait after failed attempt ``attempt`` (0 for the first): exponential, with jitter
        over the upper half of the ceiling, so clients failing together spread out and none
        asks again immediately.

        Example::

            Backoff().delay(0)  # between 0.15 and 0.3
        """
        ceiling = min(self.maximum, self.base * 2**attempt)
        return ceiling / 2 + rand() * ceiling / 2


def basic_authorization(client_id: str, client_secret: str) -> str:
    """HTTP Basic client credentials; each part form-encoded first, as RFC 6749 §2.3.1 asks.

    Example::

        basic_authorization("client id", "s:cret")  # Basic Y2xpZW50K2lkOnMlM0FjcmV0
    """
    raw = f"{quote_plus(client_id, safe='')}:{quote_plus(client_secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode("ascii")


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds the server asked to wait (``Retry-After`` as seconds or an HTTP date), if any."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - now
        except (TypeError, ValueError):
            return None
    return seconds if seconds > 0 else None


def _retryable(status: int, code: str) -> bool:
    # 409 in progress: the first request with this key is still running; asking again is the cure.
    return status >= 500 or (status == 409 and code == "idempotency_request_in_progress")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Transport:
    """One client's connection to PROTUS: its session, credentials, retries and timeout."""

    def __init__(
        self,
        base_url: str,
        authorization: str,
        *,
        session: requests.Session | None = None,
        retries: int = 2,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        backoff: Backoff = Backoff(),
    ) -> None:
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ValueError(f"retries must be a non-negative integer, got {retries!r}")
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self._authorization = authorization
        self._retries = retries
        self._timeout = timeout
        self._sleep = sleep
        self._backoff = backoff

    def url(self, path: str, query: Mapping[str, Any] | None = None) -> str:
        """The absolute URL of ``path`` with the query's given (not ``None``) parameters."""
        pairs = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None]
        return self.base_url + path + (f"?{urlencode(pairs)}" if pairs else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotency_key: str | None = None,
        idempotent: bool = True,
        once: bool = False,
    ) -> Any:
        """Sends one logical call and answers its JSON.

        A POST carries ``Idempotency-Key`` (``idempotency_key`` or a random one) on every
        attempt unless ``idempotent`` is false. Network errors, 5xx and 409
        ``idempotency_request_in_progress`` are retried, unless ``once``; other refusals raise
        at once.
        """
        headers = self._headers(method, body, idempotency_key, idempotent)
        data = None if body is None else json.dumps(body).encode()
        url = self.url(path, query)
        attempt = 0
        while True:
            try:
                return self._attempt(method, url, headers, data)
            except _Retry as retry:
                if once or attempt >= self._retries:
                    raise retry.failure from retry.failure.__cause__
                self._sleep(self._backoff.delay(attempt) if retry.wait is None else retry.wait)
                attempt += 1

    def _headers(self, method: str, body: Any, key: str | None, idempotent: bool) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Authorization": self._authorization,
            "User-Agent": f"protus-python/{__version__}",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        if method == "POST" and idempotent:
            headers["Idempotency-Key"] = key if key is not None else str(uuid.uuid4())
        return headers

    def _attempt(self, method: str, url: str, headers: dict[str, str], data: bytes | None) -> Any:
        """One attempt: answers the body, raises ``_Retry`` for a failure worth another attempt
        and ``ProtusError`` for one that is not."""
        try:
            response = self.session.request(
                method, url, headers=headers, data=data, timeout=self._timeout, allow_redirects=False
            )
        except TRANSIENT as error:
            raise _Retry(_connection_failed(error)) from error
        except requests.RequestException as error:
            raise _connection_failed(error) from error
        body = _parse(response.content)
        request_id = response.headers.get("x-request-id")
        if 200 <= response.status_code < 300:
            if body is _NOT_JSON:
                raise ProtusError(
                    status=response.status_code,
                    code="unexpected_response",
                    detail="the answer is not JSON",
                    request_id=request_id,
                )
            return body
        failure = problem_error(response.status_code, None if body is _NOT_JSON else body, request_id)
        if not _retryable(response.status_code, failure.code):
            raise failure
        asked = retry_after(response.headers.get("retry-after"), time.time())
        raise _Retry(failure, None if asked is None else min(asked, self._backoff.maximum))


class _Retry(Exception):
    """A failed attempt that another attempt may cure; ``wait`` is what the server asked for."""

    def __init__(self, failure: ProtusError, wait: float | None = None) -> None:
        super().__init__(str(failure))
        self.failure = failure
        self.wait = wait


def _connection_failed(error: Exception) -> ProtusError:
    failure = ProtusError(status=0, code="connection_failed", detail=str(error) or type(error).__name__)
    failure.__cause__ = error
    return failure


def _parse(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return _NOT_JSON
