"""``manage.py seed_protus``: the company's side of PROTUS, as Messages needs it.

Creates the services "Client" and "Campaign" (unless they exist), adds this site's redirect
URI and webhook URL to the company, and prints the lines to put in the environment.
"""

from django.core.management.base import BaseCommand
from django.urls import reverse
from protus.django import get_client

SERVICES = {"CLIENT": ("Client", 5_000), "CAMPAIGN": ("Campaign", 150)}  # ₽50.00, ₽1.50 a recipient


class Command(BaseCommand):
    help = "Creates the services of Messages at PROTUS and registers this site's URLs."

    def add_arguments(self, parser):
        parser.add_argument("--site", default="http://localhost:8000", help="where people reach Messages")
        parser.add_argument("--webhook-url", help="default: the site's protus:webhook URL")

    def handle(self, *args, site: str, webhook_url: str | None, **options):
        protus = get_client()
        site = site.rstrip("/")
        company = protus.company.get()
        redirect_uri = site + reverse("protus:callback")
        protus.company.update(
            redirect_uris=list(dict.fromkeys([*company["redirect_uris"], redirect_uri])),
            webhook_url=webhook_url or site + reverse("protus:webhook"),
        )
        existing = {s["name"]: s for s in protus.services.list(active=True, limit=100)}
        for key, (name, price) in SERVICES.items():
            service = existing.get(name) or protus.services.create(name=name, price=price, currency="RUB")
            self.stdout.write(f"MESSAGES_{key}_SERVICE={service['id']}")
            self.stdout.write(f"MESSAGES_{key}_PRICE={service['price']}")
