"""The webhook log: every event PROTUS sends, as ``protus.django`` verified it."""

from django.dispatch import receiver
from django.utils.dateparse import parse_datetime
from protus.django.signals import webhook_received

from .models import WebhookLog
from .templatetags.money import money


def summary_of(event: dict) -> tuple[str, str]:
    """The account an event is about, and a line saying what happened."""
    data = event.get("data") or {}
    account = data.get("account") or (data.get("id", "") if event["type"] == "account.created" else "")
    if "amount" in data and "currency" in data:
        what = money(data["amount"], data["currency"])
        if event["type"].startswith("hold."):
            what += f" held, {money(data.get('captured_amount', 0), data['currency'])} captured"
        return account, f"{what} · {data.get('description') or ''}".rstrip(" ·")
    if "scopes" in data:
        return account, "scopes: " + " ".join(data["scopes"])
    return account, data.get("kind") or data.get("status") or ""


@receiver(webhook_received, dispatch_uid="campaigns.log_event")
def log_event(sender, event: dict, **kwargs) -> None:
    """Runs in the transaction that marks the event handled: a failure here makes PROTUS retry."""
    account, summary = summary_of(event)
    WebhookLog.objects.get_or_create(
        event_id=event["id"],
        defaults={"type": event["type"], "occurred_at": parse_datetime(event["timestamp"]),
                  "account": account, "summary": summary[:300]},
    )
