"""Django signals for PROTUS webhooks, sent by the webhook view once per event id.

Every receiver gets ``sender=ProtusWebhookEvent`` and ``event``, the verified event
(``{"id", "type", "timestamp", "data"}``). Receivers run inside the transaction that records
the event id: one that raises rolls the record back, the view answers 500 and PROTUS sends
the event again.

Example::

    from django.dispatch import receiver
    from protus.django import signals

    @receiver(signals.charge_succeeded)
    def mark_paid(sender, event, **kwargs):
        Order.objects.filter(pk=event["data"]["metadata"]["order"]).update(paid=True)

Each type of ``protus.webhooks.EVENT_TYPES`` has a module attribute with the dots made
underscores (``signals.grant_revoked``, ``signals.wallet_topped_up``, …); ``for_type(type)``
answers the same signals by type name, and one for a type this package does not know yet.
"""

from __future__ import annotations

import threading

from django.dispatch import Signal

from ..webhooks import EVENT_TYPES

#: Every verified event seen for the first time, before the signal of its type.
webhook_received = Signal()

#: An event whose id was handled already (a redelivery); its type's signal is not sent again.
webhook_duplicate = Signal()

_by_type: dict[str, Signal] = {}
_lock = threading.Lock()


def for_type(event_type: str) -> Signal:
    """The signal sent for events of ``event_type`` (``"charge.succeeded"``)."""
    with _lock:
        signal = _by_type.get(event_type)
        if signal is None:
            signal = _by_type[event_type] = Signal()
        return signal


def attribute_name(event_type: str) -> str:
    """The module attribute of a type's signal: ``"charge.succeeded"`` → ``"charge_succeeded"``."""
    return event_type.replace(".", "_")


for _type in EVENT_TYPES:
    globals()[attribute_name(_type)] = for_type(_type)
del _type
