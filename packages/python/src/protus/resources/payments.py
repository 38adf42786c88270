"""Moving money: holds, charges, refunds and subscriptions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..pagination import Page
from ._base import JSON, Resource, given, path


class Holds(Resource):
    """Reserve funds first, take what was used, give back the rest."""

    def create(
        self,
        *,
        account: str,
        amount: int | None = None,
        service: str | None = None,
        quantity: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, str] | None = None,
        expires_in: int | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """Reserves ``amount``, or ``quantity`` of a ``service``; needs ``hold``.

        Example::

            hold = client.holds.create(account=account_id, service="svc_campaign", quantity=100)
        """
        body = given(
            account=account,
            amount=amount,
            service=service,
            quantity=quantity,
            description=description,
            metadata=None if metadata is None else dict(metadata),
            expires_in=expires_in,
        )
        return self._post("/v1/holds", body, idempotency_key)

    def get(self, id: str) -> JSON:
        """One hold as it is now (``pending``, ``captured``, ``released`` or ``expired``)."""
        return self._get(path("/v1/holds/{}", id))

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``account``, ``service``, ``status``, ``created_gte`` / ``created_lt``."""
        return self._list("/v1/holds", params)

    def capture(self, id: str, *, amount: int | None = None, idempotency_key: str | None = None) -> JSON:
        """Takes all of the hold, or ``amount`` of it (the rest is released); needs ``charge``.

        Example::

            client.holds.capture(hold["id"], amount=sent * price)
        """
        return self._post(path("/v1/holds/{}/capture", id), given(amount=amount), idempotency_key)

    def release(self, id: str, *, idempotency_key: str | None = None) -> JSON:
        """Gives the held funds back; needs ``hold``."""
        return self._post(path("/v1/holds/{}/release", id), {}, idempotency_key)


class Charges(Resource):
    """Money taken at once."""

    def create(
        self,
        *,
        account: str,
        amount: int | None = None,
        service: str | None = None,
        quantity: int | None = None,
        description: str | None = None,
        metadata: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """Takes ``amount``, or ``quantity`` of a ``service``; needs ``charge``. A refusal raises
        ``ProtusError`` (``InsufficientFunds``, ``InsufficientScope``, ``GrantRevoked``,
        ``SpendingLimitExceeded``, …).

        Example::

            charge = client.charges.create(
                account=account_id, service="svc_…", idempotency_key=f"client-{client_pk}"
            )
        """
        body = given(
            account=account,
            amount=amount,
            service=service,
            quantity=quantity,
            description=description,
            metadata=None if metadata is None else dict(metadata),
        )
        return self._post("/v1/charges", body, idempotency_key)

    def get(self, id: str) -> JSON:
        """One charge, with ``amount_refunded`` so far."""
        return self._get(path("/v1/charges/{}", id))

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``account``, ``service``, ``status``, ``created_gte`` / ``created_lt``.

        Example::

            client.charges.list(service="svc_…", created_gte=datetime(2026, 11, 1, tzinfo=timezone.utc))
        """
        return self._list("/v1/charges", params)


class Refunds(Resource):
    """Money given back from a charge."""

    def create(
        self, charge_id: str, *, amount: int | None = None, idempotency_key: str | None = None
    ) -> JSON:
        """Refunds what is left of a charge, or ``amount`` of it."""
        return self._post(path("/v1/charges/{}/refunds", charge_id), given(amount=amount), idempotency_key)

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``charge``, ``account``, ``service``, ``created_gte`` / ``created_lt``."""
        return self._list("/v1/refunds", params)


class Subscriptions(Resource):
    """Recurring services: PROTUS charges the first period at once and every next one when due."""

    def create(
        self,
        *,
        account: str,
        service: str,
        quantity: int | None = None,
        metadata: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """Starts a subscription and charges its first period; needs ``charge``. A refusal raises
        like ``charges.create`` and leaves no subscription.

        Example::

            sub = client.subscriptions.create(
                account=account_id, service=pro["id"], idempotency_key=f"pro-{user.pk}"
            )
        """
        body = given(
            account=account,
            service=service,
            quantity=quantity,
            metadata=None if metadata is None else dict(metadata),
        )
        return self._post("/v1/subscriptions", body, idempotency_key)

    def retrieve(self, id: str) -> JSON:
        """One subscription as it is now (``status``, ``current_period_end``, ``next_charge_at``)."""
        return self._get(path("/v1/subscriptions/{}", id))

    def list(self, **params: Any) -> Page:
        """Newest first; filter by ``account``, ``status`` or ``service``."""
        return self._list("/v1/subscriptions", params)

    def cancel(
        self, id: str, *, at_period_end: bool | None = None, idempotency_key: str | None = None
    ) -> JSON:
        """Cancels at the end of the paid period (the default) or at once (``at_period_end=False``).
        No refund; a canceled one raises 409 ``subscription_canceled``."""
        return self._post(
            path("/v1/subscriptions/{}/cancel", id), given(at_period_end=at_period_end), idempotency_key
        )
