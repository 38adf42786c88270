"""``protus.Client``: the partner API (``/v1``) with your client credentials."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests

from ._http import Transport, basic_authorization
from .resources import (
    Accounts,
    Balance,
    BalanceTransactions,
    Charges,
    Company,
    Holds,
    Payouts,
    Refunds,
    Reports,
    Sandbox,
    Services,
    Subscriptions,
    WebhookDeliveries,
    ensure_key,
)
from .resources._base import UNSET

if TYPE_CHECKING:
    from .oauth import OAuth

__all__ = ["UNSET", "Client", "ensure_key"]


class Client:
    """The PROTUS partner API (``/v1``), authenticated with your client credentials.

    Every POST carries an ``Idempotency-Key`` (``idempotency_key=…``, or a random one) that its
    retries reuse; network errors, 5xx and 409 ``idempotency_request_in_progress`` are retried
    ``retries`` times with exponential backoff and jitter, other refusals never. Refusals raise
    :class:`protus.ProtusError` (or a subclass such as ``InsufficientFunds``); answers are the
    API's JSON as dicts, lists a :class:`protus.pagination.Page`. Amounts are integer minor units.

    Example::

        import protus

        client = protus.Client(
            os.environ["PROTUS_CLIENT_ID"], os.environ["PROTUS_CLIENT_SECRET"], "https://protus.example"
        )
        charge = client.charges.create(account="acct_…", service="svc_…")
        for hold in client.holds.list(status="pending"):
            print(hold["id"], hold["amount"])
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        base_url: str,
        *,
        retries: int = 2,
        timeout: float = 30.0,
        issuer: str | None = None,
        introspection_cache_seconds: float = 5.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._own_session = session is None
        #: The ``requests.Session`` every call of this client (and of ``oauth``) goes through.
        self.session = session if session is not None else requests.Session()
        self._credentials = (client_id, client_secret, base_url)
        self._oauth_options = {
            "issuer": issuer,
            "introspection_cache_seconds": introspection_cache_seconds,
            "retries": retries,
            "timeout": timeout,
            "sleep": sleep,
        }
        http = Transport(
            base_url,
            basic_authorization(client_id, client_secret),
            session=self.session,
            retries=retries,
            timeout=timeout,
            sleep=sleep,
        )
        self.accounts = Accounts(http)
        self.holds = Holds(http)
        self.charges = Charges(http)
        self.refunds = Refunds(http)
        self.balance = Balance(http)
        self.balance_transactions = BalanceTransactions(http)
        self.payouts = Payouts(http)
        self.reports = Reports(http)
        self.services = Services(http)
        self.subscriptions = Subscriptions(http)
        self.sandbox = Sandbox(http)
        self.webhook_deliveries = WebhookDeliveries(http)
        self.company = Company(http)
        #: The managed account of one of your direct users, opened on first call (``accounts.ensure``).
        self.ensure_account = self.accounts.ensure

    @functools.cached_property
    def oauth(self) -> OAuth:
        """Sign in with PROTUS and tokens: a :class:`protus.OAuth` with the same credentials,
        base URL, issuer, introspection cache, session, retries, timeout and sleep."""
        from .oauth import OAuth

        return OAuth(*self._credentials, session=self.session, **self._oauth_options)

    def close(self) -> None:
        """Closes the session's connections, if the client made the session itself."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
