"""The introspection answers ``OAuth.introspect`` reuses for a few seconds."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

MAX_CACHED = 10_000


class IntrospectionCache:
    """Introspection answers kept for a few seconds, keyed by the token's SHA-256 (tokens never
    sit in memory as keys), never past the token's expiry, at most ``MAX_CACHED`` of them.
    Forgetting anything also keeps answers fetched before it from being stored afterwards."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        # digest -> (until, sub, answer)
        self._entries: OrderedDict[str, tuple[float, str | None, dict[str, Any]]] = OrderedDict()
        self._epoch = 0

    @staticmethod
    def key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def get(self, token: str) -> tuple[dict[str, Any] | None, int]:
        """The cached answer or None, and the epoch to hand to :meth:`put` after a lookup."""
        key = self.key(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self._clock():
                return entry[2], self._epoch
            self._entries.pop(key, None)
            return None, self._epoch

    def put(self, token: str, answer: dict[str, Any], epoch: int) -> None:
        if self._ttl <= 0:
            return
        until = self._clock() + self._ttl
        sub = None
        if answer.get("active") is True:
            sub = answer.get("sub")
            exp = answer.get("exp")
            if isinstance(exp, (int, float)) and not isinstance(exp, bool):
                until = min(until, float(exp))
        with self._lock:
            if epoch != self._epoch:
                return
            key = self.key(token)
            self._entries.pop(key, None)
            while len(self._entries) >= MAX_CACHED:
                self._entries.popitem(last=False)
            self._entries[key] = (until, sub, answer)

    def forget_account(self, account_id: str | None) -> None:
        with self._lock:
            self._epoch += 1
            if account_id is None:
                self._entries.clear()
                return
            for key in [k for k, e in self._entries.items() if e[1] == account_id]:
                del self._entries[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
