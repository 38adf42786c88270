"""What the Django side remembers: each user's PROTUS account, and the webhook events handled."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..oauth import TokenSet


def to_datetime(epoch: float) -> dt.datetime:
    """Epoch seconds as a datetime for the database (naive local time when ``USE_TZ`` is off)."""
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
    return moment if settings.USE_TZ else timezone.make_naive(moment)


def to_epoch(moment: dt.datetime) -> float:
    """A datetime read from the database as epoch seconds."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.timestamp()


class ProtusAccount(models.Model):
    """A Django user's account at your company in PROTUS (``acct_…``): bill this id.

    ``scopes`` is what the person allows you (space-separated); ``managed`` marks the account
    of a direct user, made by ``ensure_account``, which holds ``check hold charge`` and no tokens.

    Example::

        account = request.user.protus_account
        if "charge" in account.scope_list:
            get_client().charges.create(account=account.account_id, service="svc_…")
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protus_account"
    )
    account_id = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=255, blank=True, default="")
    managed = models.BooleanField(default=False)
    access_token = models.TextField(blank=True, default="")
    refresh_token = models.TextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "PROTUS account"
        verbose_name_plural = "PROTUS accounts"

    def __str__(self) -> str:
        return self.account_id

    @property
    def scope_list(self) -> list[str]:
        """The scopes as a list: ``["check", "hold", "charge"]``."""
        return self.scopes.split()

    def has_scopes(self, *needed: str) -> bool:
        """Whether the person allows every one of ``needed``."""
        granted = set(self.scope_list)
        return all(scope in granted for scope in needed)

    def token_set(self) -> TokenSet | None:
        """The stored tokens, or None when there are none (a direct user, a revoked grant)."""
        if not self.refresh_token and not self.access_token:
            return None
        expires_at = to_epoch(self.token_expires_at) if self.token_expires_at else 0.0
        return TokenSet(
            access_token=self.access_token,
            refresh_token=self.refresh_token,
            scopes=self.scope_list,
            expires_at=expires_at,
        )

    def set_tokens(self, tokens: TokenSet | None) -> None:
        """Keeps ``tokens`` (or clears them with None); the caller saves."""
        self.access_token = tokens.access_token if tokens else ""
        self.refresh_token = (tokens.refresh_token or "") if tokens else ""
        self.token_expires_at = to_datetime(tokens.expires_at) if tokens else None


class ProtusWebhookEvent(models.Model):
    """A webhook event handled once: its ``webhook-id`` makes redeliveries duplicates."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "PROTUS webhook event"
        verbose_name_plural = "PROTUS webhook events"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
