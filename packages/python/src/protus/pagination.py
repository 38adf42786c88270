"""Pages of a PROTUS list, and iteration over every item of every page."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: Fetches one page of a list: the parameters (with ``starting_after``) in, the API's JSON out.
FetchPage = Callable[[Mapping[str, Any]], Mapping[str, Any]]


class Page:
    """One page of a list, newest first, that can also be iterated over the whole list.

    ``data`` holds this page's items (plain dicts) and ``has_more`` says whether more follow.
    Iterating the page yields every item of every page: the next page (``starting_after`` the
    last id seen, the same filters) is asked for only when the loop has used up the items it
    has, and nothing more after a ``break``. A refused page raises its ``ProtusError`` out of
    the loop.

    Example::

        page = client.charges.list(service="svc_…", limit=50)
        print(len(page.data), page.has_more)
        for charge in client.charges.list(service="svc_…"):
            if charge["created_at"] < "2026-11-01T00:00:00Z":
                break
        refunds = client.refunds.list(account="acct_…").to_list(limit=1000)
    """

    def __init__(self, body: Mapping[str, Any], fetch_page: FetchPage, params: Mapping[str, Any]) -> None:
        self.data: list[dict[str, Any]] = list(body.get("data") or [])
        self.has_more: bool = bool(body.get("has_more"))
        self._fetch_page = fetch_page
        self._params = dict(params)

    @classmethod
    def first(cls, fetch_page: FetchPage, params: Mapping[str, Any]) -> Page:
        """Fetches the first page of a list at once."""
        return cls(fetch_page(params), fetch_page, params)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.auto_paging_iter()

    def __repr__(self) -> str:
        return f"<Page of {len(self.data)} item(s), has_more={self.has_more}>"

    def auto_paging_iter(self) -> Iterator[dict[str, Any]]:
        """Every item of this page and of the pages after it, fetched as the loop reaches them."""
        data, has_more = self.data, self.has_more
        while True:
            yield from data
            # An empty page that claims more would send the same cursor forever.
            if not has_more or not data:
                return
            body = self._fetch_page({**self._params, "starting_after": data[-1]["id"]})
            data, has_more = list(body.get("data") or []), bool(body.get("has_more"))

    def to_list(self, *, limit: int) -> list[dict[str, Any]]:
        """Every item in list order, up to ``limit`` of them; fetches no page beyond the one that
        fills it. ``limit`` is required, so a long list cannot fill memory unnoticed.

        Example::

            pending = client.payouts.list(status="pending").to_list(limit=100)
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        items: list[dict[str, Any]] = []
        for item in self.auto_paging_iter():
            items.append(item)
            if len(items) >= limit:
                break
        return items
