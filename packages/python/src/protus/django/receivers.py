"""The app's own webhook receivers: they keep the stored scopes in step with the grant."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import signals


def grant_revoked(sender: Any, event: dict, **kwargs: Any) -> None:
    """The person took your access back: forget their scopes and tokens, and cached answers."""
    from . import get_client
    from .models import ProtusAccount

    account_id = (event.get("data") or {}).get("account")
    if not account_id:
        return
    ProtusAccount.objects.filter(account_id=account_id, managed=False).update(
        scopes="", access_token="", refresh_token="", token_expires_at=None, updated_at=timezone.now()
    )
    get_client().oauth.forget_account(account_id)


def grant_changed(sender: Any, event: dict, **kwargs: Any) -> None:
    """The person allowed you (again) or changed the scopes: store the grant's scopes."""
    from .models import ProtusAccount

    data = event.get("data") or {}
    account_id, scopes = data.get("account"), data.get("scopes")
    if not account_id or not isinstance(scopes, list):
        return
    ProtusAccount.objects.filter(account_id=account_id, managed=False).update(
        scopes=" ".join(scopes), updated_at=timezone.now()
    )


def connect() -> None:
    """Connects the receivers above (once; called by the app's ``ready``)."""
    signals.for_type("grant.revoked").connect(grant_revoked, dispatch_uid="protus.grant_revoked")
    for event_type in ("grant.created", "grant.updated"):
        signals.for_type(event_type).connect(grant_changed, dispatch_uid=f"protus.{event_type}")
