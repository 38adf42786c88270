"""What Messages bills through PROTUS: a charge per client, a hold then a capture per campaign."""

import re
import uuid

from django.conf import settings
from protus.django import get_client

from .models import Campaign, Client

PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")


class TakenId(Exception):
    """The id a form sent belongs to another account's client or campaign."""


def add_client(account: str, *, id: uuid.UUID, name: str, phone: str) -> Client:
    """Charges the "Client" service, then saves the client; raises the charge's ProtusError.

    The key is the new client's id, so a form sent twice (or a retry after a lost answer)
    is charged once.
    """
    known = Client.objects.filter(pk=id).first()
    if known:
        if known.account != account:
            raise TakenId(id)
        return known
    charge = get_client().charges.create(
        account=account,
        service=settings.MESSAGES["CLIENT_SERVICE"],
        description=f"Client {name}",
        metadata={"phone": phone},
        idempotency_key=f"client-{id}",
    )
    client, _ = Client.objects.get_or_create(
        pk=id,
        defaults=dict(account=account, name=name, phone=phone, charge=charge["id"],
                      amount=charge["amount"], currency=charge["currency"]),
    )
    return client


def parse_recipients(text: str) -> list[tuple[str, str]]:
    """One recipient a line, ``Name, phone``; answers (name, phone) pairs."""
    lines = (line.strip() for line in text.splitlines())
    return [tuple(part.strip() for part in (line.split(",", 1) + [""])[:2]) for line in lines if line]


def send(recipients: list[tuple[str, str]], message: str) -> int:
    """The SMS gateway, simulated: a recipient without a valid phone number cannot be reached."""
    return sum(1 for _, phone in recipients if PHONE.match(phone))


def launch_campaign(account: str, *, id: uuid.UUID, name: str, message: str,
                    recipients: list[tuple[str, str]]) -> Campaign:
    """Holds the price of every recipient, sends, then captures only what was sent (the capture
    releases the rest), or releases the whole hold when nothing was sent."""
    known = Campaign.objects.filter(pk=id).first()
    if known:
        if known.account != account:
            raise TakenId(id)
        return known
    protus = get_client()
    hold = protus.holds.create(
        account=account,
        service=settings.MESSAGES["CAMPAIGN_SERVICE"],
        quantity=len(recipients),
        description=f"Campaign {name}",
        expires_in=3600,  # should Messages never get to capture it, the money comes back in an hour
        idempotency_key=f"campaign-{id}",
    )
    sent = send(recipients, message)
    if sent:
        unit = hold["amount"] // hold["quantity"]  # the price the hold was made at
        done = protus.holds.capture(hold["id"], amount=unit * sent, idempotency_key=f"campaign-{id}-capture")
    else:
        done = protus.holds.release(hold["id"], idempotency_key=f"campaign-{id}-release")
    campaign, _ = Campaign.objects.get_or_create(
        pk=id,
        defaults=dict(account=account, name=name, recipients=len(recipients), sent=sent, hold=hold["id"],
                      held=hold["amount"], captured=done["captured_amount"], currency=hold["currency"]),
    )
    return campaign
