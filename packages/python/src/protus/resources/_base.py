"""What every part of the API shares: its transport, ids in paths, times in queries, checks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import quote

from .._http import Transport
from ..pagination import Page


JSON = dict[str, Any]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: Leaves a field of an update out of the request (``None`` may mean ``null`` there).
UNSET: Any = _Unset()


def path(template: str, *ids: str) -> str:
    """``template`` with each id percent-escaped like ``encodeURIComponent``, so an id cannot
    reach another path."""
    for value in ids:
        if not isinstance(value, str) or not value:
            raise ValueError(f"an id must be a non-empty string, got {value!r}")
    return template.format(*(quote(value, safe="!*'()") for value in ids))


def iso(value: datetime | date | str) -> str:
    """A time as the API reads it: a string as given, a datetime in UTC ISO 8601 with
    milliseconds (a naive one taken as UTC), a date as its midnight UTC."""
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def query(params: Mapping[str, Any]) -> JSON:
    """A list's or report's parameters as its query: ``created_gte`` / ``created_lt`` become
    ``created[gte]`` / ``created[lt]``."""
    query: JSON = {}
    for name, value in params.items():
        if name in ("created_gte", "created_lt") and value is not None:
            query[f"created[{name.removeprefix('created_')}]"] = iso(value)
        else:
            query[name] = value
    return query


def given(**fields: Any) -> JSON:
    """The fields that were given: ``None`` (and ``UNSET``) ones are left out."""
    return {k: v for k, v in fields.items() if v is not None and v is not UNSET}


def check_positive(name: str, value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer{what}, got {value!r}")


class Resource:
    """A part of the API, calling it through the client's transport."""

    def __init__(self, http: Transport) -> None:
        self._http = http

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._http.request("GET", path, query=query(params or {}))

    def _post(self, path: str, body: JSON, idempotency_key: str | None = None) -> Any:
        if body.get("amount") is not None:
            check_positive("amount", body["amount"], " of minor units")
        return self._http.request("POST", path, body=body, idempotency_key=idempotency_key)

    def _patch(self, path: str, body: JSON) -> Any:
        return self._http.request("PATCH", path, body=body)

    def _list(self, path: str, params: Mapping[str, Any]) -> Page:
        return Page.first(lambda page_params: self._get(path, page_params), params)
