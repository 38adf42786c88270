"""Verifying the webhooks PROTUS sends (Standard Webhooks).

Every delivery carries ``webhook-id`` (the event id, the same on every retry),
``webhook-timestamp`` (unix seconds) and ``webhook-signature``: space-separated ``v1,<base64>``
HMAC-SHA256 signatures of ``id.timestamp.body`` under the company's webhook secret (one per
live secret while a secret rotates).

Example::

    from protus import webhooks, WebhookVerificationError

    def receive(request):
        try:
            event = webhooks.verify(request.body, request.headers, settings.PROTUS_WEBHOOK_SECRET)
        except WebhookVerificationError:
            return HttpResponse(status=400)
        if event["type"] == "charge.succeeded":
            orders.mark_paid(event["data"]["metadata"]["order"])
        return HttpResponse(status=200)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from collections.abc import Sequence
from typing import Any

from .errors import WebhookVerificationError

__all__ = ["EVENT_TYPES", "WebhookVerificationError", "verify"]

#: Every event type PROTUS sends, as its OpenAPI document lists them (``webhooks``).
#: ``charge.succeeded`` is also sent when a hold is captured; ``wallet.topped_up`` concerns
#: managed accounts only; ``ping`` is the test event.
EVENT_TYPES: tuple[str, ...] = (
    "account.created",
    "grant.created",
    "grant.revoked",
    "grant.updated",
    "hold.created",
    "hold.captured",
    "hold.released",
    "hold.expired",
    "charge.succeeded",
    "charge.refunded",
    "wallet.topped_up",
    "subscription.created",
    "subscription.renewed",
    "subscription.payment_failed",
    "subscription.updated",
    "subscription.canceled",
    "payout.created",
    "payout.paid",
    "payout.failed",
    "ping",
)

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_PREFIX = "whsec_"


def verify(
    payload: bytes | bytearray | memoryview | str,
    headers: Any,
    secret: str | Sequence[str],
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> dict[str, Any]:
    """Verifies a webhook and answers its event: ``{"id", "type", "timestamp", "data"}``.

    ``payload`` is the exact body received (bytes, or the text of it): a body parsed and
    serialized again no longer matches. ``headers`` is any mapping of the request's headers,
    looked up case-insensitively (Django's ``request.headers``, a plain ``dict``, requests'
    ``CaseInsensitiveDict``, ``http.server``'s headers, or a dict of lists). ``secret`` is the
    company's ``whsec_…`` secret, or several of them while you rotate yours. The timestamp must
    be within ``tolerance`` seconds of ``now`` (default: the current time) either way.

    Raises :class:`protus.WebhookVerificationError`, whose ``reason`` says why; answer 400.

    Example::

        event = protus.webhooks.verify(request.body, request.headers, [new_secret, old_secret])
    """
    webhook_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise WebhookVerificationError(
            "missing_headers", "webhook-id, webhook-timestamp and webhook-signature are required"
        )
    _check_timestamp(timestamp, tolerance, time.time() if now is None else now)
    body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not _signed(secrets, webhook_id, timestamp, body, signatures):
        raise WebhookVerificationError("no_matching_signature", "no signature matches")
    event = _event(body)
    return {
        "id": webhook_id,
        "type": event["type"],
        "timestamp": event.get("timestamp"),
        "data": event["data"],
    }


def _header(headers: Any, name: str) -> str | None:
    """The first header called ``name`` in any letter case; a list of values joined by spaces."""
    items = headers.items() if hasattr(headers, "items") else headers
    for key, value in items:
        if isinstance(key, str) and key.lower() == name:
            if isinstance(value, (list, tuple)):
                return " ".join(str(v) for v in value)
            return value if isinstance(value, str) else None
    return None


def _check_timestamp(timestamp: str, tolerance: int, now: float) -> None:
    if not _TIMESTAMP.fullmatch(timestamp):
        raise WebhookVerificationError("invalid_timestamp", "webhook-timestamp is not unix seconds")
    skew = int(now // 1) - int(timestamp)
    if skew > tolerance:
        raise WebhookVerificationError("timestamp_too_old", "the webhook is too old")
    if skew < -tolerance:
        raise WebhookVerificationError("timestamp_too_new", "the webhook is from the future")


def _key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_…`` secret: the base64 after the prefix."""
    if not isinstance(secret, str):
        raise WebhookVerificationError("invalid_secret", "the webhook secret is not text")
    encoded = secret[len(_PREFIX) :] if secret.startswith(_PREFIX) else secret
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("invalid_secret", "the webhook secret is not base64") from None
    if not key:
        raise WebhookVerificationError("invalid_secret", "the webhook secret is empty")
    return key


def _presented(signatures: str) -> list[bytes]:
    """The ``v1,`` signatures of the header, decoded; ones that are not base64 are skipped."""
    found = []
    for entry in signatures.split(" "):
        if not entry.startswith("v1,"):
            continue
        try:
            found.append(base64.b64decode(entry[3:]))
        except (binascii.Error, ValueError):
            continue
    return found


def _signed(secrets: list[str], webhook_id: str, timestamp: str, body: bytes, signatures: str) -> bool:
    """Whether one presented signature is the HMAC under one secret (compared in constant time)."""
    if not secrets:
        raise WebhookVerificationError("invalid_secret", "no webhook secret was given")
    presented = _presented(signatures)
    signed_content = f"{webhook_id}.{timestamp}.".encode() + body
    matched = False
    for secret in secrets:
        expected = hmac.new(_key(secret), signed_content, hashlib.sha256).digest()
        for candidate in presented:
            # Every pair is compared, so the time taken does not tell which one matched.
            matched |= hmac.compare_digest(candidate, expected)
    return matched


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _event(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise WebhookVerificationError("invalid_payload", "the body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookVerificationError("invalid_payload", "the body is not an event")
    if not isinstance(event.get("type"), str) or not isinstance(event.get("data"), dict):
        raise WebhookVerificationError("invalid_payload", "the body is not an event")
    return event
