"""The accounts of the people who use you, and managed accounts for your direct users."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from ..pagination import Page
from ._base import JSON, Resource, check_positive, given, path


def ensure_key(external_id: str, email: str | None = None, username: str | None = None) -> str:
    """The ``Idempotency-Key`` of ``accounts.ensure`` for a user's details: the same details
    always give the same key (the TypeScript SDK's too), so a repeat is a replay, and changed
    details another key that finds the same account.

    Example::

        ensure_key("user-7", "a@example.com")  # 'ensure-account-xpPuQizB…'
    """
    text = json.dumps([external_id, email, username], separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).digest()
    return "ensure-account-" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Accounts(Resource):
    """The accounts of the people who use you: PROTUS people who signed in, and managed accounts
    of your direct users."""

    def list(self, **params: Any) -> Page:
        """Your accounts, newest first, with what each spent and holds (``limit``, ``starting_after``)."""
        return self._list("/v1/accounts", params)

    def get(self, id: str) -> JSON:
        """One of your accounts, with its granted ``scopes``."""
        return self._get(path("/v1/accounts/{}", id))

    def balance(self, id: str) -> JSON:
        """Available and held funds (``{"available", "held", …}``); needs the ``check`` scope."""
        return self._get(path("/v1/accounts/{}/balance", id))

    def ensure(
        self,
        external_id: str,
        *,
        email: str | None = None,
        username: str | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """Opens or finds the managed account of a direct user. PROTUS answers the account opened
        first for a known ``external_id``; the key is derived from the user's details
        (:func:`ensure_key`), so retries and repeated calls with the same details are replays.

        Example::

            account = client.ensure_account(str(user.pk), email=user.email)
        """
        body = given(external_id=external_id, email=email, username=username)
        key = idempotency_key or ensure_key(external_id, email, username)
        return self._post("/v1/accounts", body, key)

    def create_topup(
        self, id: str, *, amount: int, return_url: str | None = None, idempotency_key: str | None = None
    ) -> JSON:
        """A top-up link for a managed account: hand ``checkout_url`` to its user. With
        ``return_url`` (on the origin of one of your redirect URIs) the payment page offers a way back.

        Example::

            topup = client.accounts.create_topup(account["id"], amount=50_000)
            redirect(topup["checkout_url"])
        """
        check_positive("amount", amount, " of minor units")
        body = given(amount=amount, return_url=return_url)
        return self._post(path("/v1/accounts/{}/topups", id), body, idempotency_key)

    def list_topups(self, id: str, **params: Any) -> Page:
        """A managed account's top-ups, newest first: pending, succeeded and failed ones."""
        return self._list(path("/v1/accounts/{}/topups", id), params)
