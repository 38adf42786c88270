"""Your side: balance and payouts, reports, services, company, webhook deliveries, the sandbox clock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..pagination import Page
from ._base import JSON, UNSET, Resource, check_positive, given, path


class Balance(Resource):
    """What you earned and were paid."""

    def retrieve(self, *, currency: str | None = None) -> JSON:
        """Revenue ``available`` to pay out, ``pending_payouts`` and ``paid_out_total``, in one
        currency (RUB unless you name another)."""
        return self._get("/v1/balance", given(currency=currency))


class BalanceTransactions(Resource):
    """The movements of your balance: charges, refunds, payouts and their reversals."""

    def list(self, **params: Any) -> Page:
        """Every movement of your balance, newest first; filter by ``type``, ``service``,
        ``account``, ``created_gte`` / ``created_lt``."""
        return self._list("/v1/balance_transactions", params)


class Payouts(Resource):
    """Payouts of your balance; you ask for them in the dashboard."""

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``status``."""
        return self._list("/v1/payouts", params)

    def retrieve(self, id: str) -> JSON:
        """One payout (``pending``, ``paid`` or ``failed``)."""
        return self._get(path("/v1/payouts/{}", id))


class Reports(Resource):
    """Revenue reports."""

    def revenue(self, **params: Any) -> JSON:
        """Revenue by service, day or month (UTC), per currency.

        Example::

            client.reports.revenue(group_by="month", created_gte="2026-01-01T00:00:00Z")
        """
        return self._get("/v1/reports/revenue", params)


class Services(Resource):
    """Your catalogue: what you sell, at what price, once or recurring."""

    def list(self, **params: Any) -> Page:
        """Filter by ``active`` (a bool)."""
        return self._list("/v1/services", params)

    def get(self, id: str) -> JSON:
        """One service of your catalogue."""
        return self._get(path("/v1/services/{}", id))

    def create(
        self,
        *,
        name: str,
        price: int,
        currency: str | None = None,
        recurring: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """Adds a service at ``price`` minor units; ``recurring`` makes it sold as a subscription.

        Example::

            pro = client.services.create(
                name="Pro", price=29_900, recurring={"interval": "month", "count": 1}
            )
        """
        body = given(name=name, price=price, currency=currency, recurring=recurring)
        return self._post("/v1/services", body, idempotency_key)

    def update(
        self, id: str, *, name: str | None = None, price: int | None = None, active: bool | None = None
    ) -> JSON:
        """Renames, reprices, archives (``active=False``) or restores a service."""
        return self._patch(path("/v1/services/{}", id), given(name=name, price=price, active=active))


class Sandbox(Resource):
    """The sandbox clock of a server started with ``PROTUS_TEST_CLOCK=true`` (elsewhere 404)."""

    def clock(self) -> JSON:
        """The server's time now: ``{"now": …}``."""
        return self._get("/v1/sandbox/clock")

    def advance_clock(self, seconds: int) -> JSON:
        """Moves the server's time forward by ``seconds`` and answers once everything due in
        between ran. Sent once and never retried: a repeat would move the clock twice; read
        ``clock()`` after a failure.

        Example::

            client.sandbox.advance_clock(31 * 24 * 3600)
        """
        check_positive("seconds", seconds, "")
        return self._http.request(
            "POST", "/v1/sandbox/clock", body={"advance_seconds": seconds}, idempotent=False, once=True
        )


class WebhookDeliveries(Resource):
    """The events PROTUS sent (or is sending) to your webhook URL, with their attempts."""

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``status`` and ``type``."""
        return self._list("/v1/webhook-deliveries", params)

    def get(self, id: str) -> JSON:
        """One delivery with its event and attempts."""
        return self._get(path("/v1/webhook-deliveries/{}", id))

    def retry(self, id: str, *, idempotency_key: str | None = None) -> JSON:
        """Sends a delivery again within about a second."""
        return self._post(path("/v1/webhook-deliveries/{}/retry", id), {}, idempotency_key)


class Company(Resource):
    """Your company: its name, redirect URIs and webhook endpoint."""

    def get(self) -> JSON:
        """Your company as PROTUS knows it (``client_id``, ``redirect_uris``, ``webhook_url``, …)."""
        return self._get("/v1/company")

    def update(
        self, *, name: str | None = None, redirect_uris: list[str] | None = None, webhook_url: Any = UNSET
    ) -> JSON:
        """Renames the company or sets its redirect URIs (compared byte for byte) or webhook URL
        (``webhook_url=None`` removes it)."""
        body = given(name=name, redirect_uris=redirect_uris)
        if webhook_url is not UNSET:
            body["webhook_url"] = webhook_url
        return self._patch("/v1/company", body)

    def webhook_endpoint(self) -> JSON:
        """Where your webhooks go and whether that endpoint is enabled."""
        return self._get("/v1/company/webhooks")

    def send_test_webhook(self, *, idempotency_key: str | None = None) -> JSON:
        """Sends a ``ping`` event to your webhook URL."""
        return self._post("/v1/company/webhooks/test", {}, idempotency_key)
