"""What Messages keeps: clients and campaigns of a PROTUS account, and the webhooks it received.

Clients and campaigns belong to the PROTUS account that paid for them, so a person who signs in
on the site and the same person's mobile app (a bearer token) see the same ones. Their ids are
made by the form that creates them, and the billing calls' idempotency keys come from those ids:
a form sent twice pays once.
"""

import uuid

from django.db import models


class Client(models.Model):
    """A client of a Messages user; saved only once its charge succeeded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=20)
    charge = models.CharField(max_length=64, unique=True)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Campaign(models.Model):
    """A campaign: held for every recipient, captured for the messages that were sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    account = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=100)
    recipients = models.PositiveIntegerField()
    sent = models.PositiveIntegerField()
    hold = models.CharField(max_length=64, unique=True)
    held = models.PositiveBigIntegerField()
    captured = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def released(self) -> int:
        return self.held - self.captured


class WebhookLog(models.Model):
    """One event PROTUS sent, as the webhook log page shows it."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    account = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
