"""Messages against a real PROTUS server: each scenario checks the money that moved.

Run from this folder (the second path holds the shared test support of the package)::

    PYTHONPATH=../../packages/python/src:../../packages/python /usr/bin/python3 manage.py test
"""

import uuid
from io import StringIO
from urllib.parse import urlsplit

import protus
from django.core.management import call_command
from django.test import Client as Site
from django.test import TestCase, override_settings
from django.urls import reverse
from protus.django.models import ProtusAccount
from tests.support import people
from tests.support.receiver import Receiver
from tests.support.server import protus_url

from .models import Campaign, Client, WebhookLog

HOST = "localhost:8000"
ALL_SCOPES = ["check", "hold", "charge", "profile"]
RECIPIENTS = "Ann, +7 900 000-00-01\nBob, no phone\nCid, +7 900 000-00-03\nDan,\nEve, +7 900 000-00-05"


class MessagesOnProtus(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.deliveries = Receiver()
        cls.addClassCleanup(cls.deliveries.close)

    def setUp(self) -> None:
        # A company of its own for each test: the test database starts over, user ids repeat,
        # and a direct user's managed account is made once per user id and company.
        base_url = protus_url()
        company = people.register_company(base_url)
        self.protus = protus.Client(company["client_id"], company["client_secret"], base_url)
        self.enable(override_settings(PROTUS={
            "BASE_URL": base_url, "CLIENT_ID": company["client_id"],
            "CLIENT_SECRET": company["client_secret"], "WEBHOOK_SECRET": company["webhook_secret"],
        }))
        # The company's side, as the README does it: services, redirect URI, webhook URL.
        out = StringIO()
        call_command("seed_protus", site=f"http://{HOST}", webhook_url=self.deliveries.url, stdout=out)
        seeded = dict(line.split("=", 1) for line in out.getvalue().split())
        self.client_price = int(seeded["MESSAGES_CLIENT_PRICE"])
        self.campaign_price = int(seeded["MESSAGES_CAMPAIGN_PRICE"])
        self.enable(override_settings(MESSAGES={
            "CLIENT_SERVICE": seeded["MESSAGES_CLIENT_SERVICE"], "CLIENT_PRICE": self.client_price,
            "CAMPAIGN_SERVICE": seeded["MESSAGES_CAMPAIGN_SERVICE"], "CAMPAIGN_PRICE": self.campaign_price,
            "CURRENCY": "RUB",
        }))

    def enable(self, overrides: override_settings) -> None:
        overrides.enable()
        self.addCleanup(overrides.disable)

    def signed_in_with_protus(self, person: people.Browser, scopes: list[str] = ALL_SCOPES) -> Site:
        """The person's browser at Messages after "Sign in with PROTUS" and the consent page."""
        site = Site(HTTP_HOST=HOST)
        start = site.get(reverse("protus:login"))
        self.assertEqual(start.status_code, 302)
        back = urlsplit(people.consent(person, start["Location"], allow=True, scopes=scopes))
        self.assertEqual(back.path, reverse("protus:callback"))
        done = site.get(f"{back.path}?{back.query}")
        self.assertRedirects(done, reverse("home"), fetch_redirect_response=False)
        return site

    def registered(self, username: str) -> tuple[Site, str]:
        """A direct user's browser after registering, and their managed account's id."""
        site = Site(HTTP_HOST=HOST)
        password = "a long password 7"
        form = {"username": username, "password1": password, "password2": password}
        answer = site.post(reverse("register"), form)
        self.assertRedirects(answer, reverse("home"), fetch_redirect_response=False)
        account = ProtusAccount.objects.get(user__username=username)
        self.assertTrue(account.managed)
        return site, account.account_id

    def add_client(self, site: Site, name: str = "Olga", **extra):
        form = {"id": uuid.uuid4(), "name": name, "phone": "+7 900 123-45-67"}
        return site.post(reverse("add-client"), form, **extra)

    def test_a_protus_person_pays_once_a_client_and_only_for_the_campaign_messages_sent(self) -> None:
        ann = people.signed_in_person(protus_url())
        people.top_up(ann, 100_000)
        site = self.signed_in_with_protus(ann)
        self.assertContains(site.get(reverse("home")), 'balance-available">₽1,000.00<')

        form = {"id": uuid.uuid4(), "name": "Olga", "phone": "+7 900 123-45-67"}
        self.assertRedirects(site.post(reverse("add-client"), form), reverse("home"))
        site.post(reverse("add-client"), form)  # the same form sent twice
        account = Client.objects.get().account
        self.assertEqual(people.wallet(ann)["available"], 100_000 - self.client_price)
        charges = self.protus.charges.list(account=account)
        self.assertEqual([c["amount"] for c in charges], [self.client_price])

        campaign = {"id": uuid.uuid4(), "name": "Spring", "message": "Hello", "recipients": RECIPIENTS}
        page = site.post(reverse("launch-campaign"), campaign, follow=True)
        self.assertContains(page, "Spring: sent to 3 of 5")
        wallet = people.wallet(ann)
        self.assertEqual(wallet["available"], 100_000 - self.client_price - 3 * self.campaign_price)
        self.assertEqual(wallet["held"], 0)
        [hold] = self.protus.holds.list(account=account)
        self.assertEqual((hold["amount"], hold["status"]), (5 * self.campaign_price, "captured"))
        self.assertEqual(hold["captured_amount"], 3 * self.campaign_price)
        self.assertEqual(Campaign.objects.get().released, 2 * self.campaign_price)

    def test_the_mobile_app_adds_a_client_with_a_bearer_token_and_hears_refusals_as_problems(self) -> None:
        ben = people.signed_in_person(protus_url())
        people.top_up(ben, self.client_price)
        self.signed_in_with_protus(ben)
        token = ProtusAccount.objects.get().access_token

        def add(name: str):
            return Site().post(reverse("api-clients"), {"name": name, "phone": "+7 900 123-45-67"},
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

        answer = add("Olga")
        self.assertEqual(answer.status_code, 201, answer.content)
        self.assertEqual(answer.json()["amount"], self.client_price)
        refused = add("Pavel")  # the wallet holds one client's price only
        self.assertEqual((refused.status_code, refused.json()["code"]), (402, "insufficient_funds"))
        self.assertEqual(people.wallet(ben)["available"], 0)
        self.assertEqual(list(Client.objects.values_list("name", flat=True)), ["Olga"])

    def test_a_person_who_did_not_allow_charges_is_asked_for_them_and_pays_after_allowing(self) -> None:
        cat = people.signed_in_person(protus_url())
        people.top_up(cat, 10_000)
        site = self.signed_in_with_protus(cat, scopes=["check", "hold", "profile"])

        page = self.add_client(site, HTTP_ACCEPT="text/html")
        self.assertEqual(page.status_code, 403)
        link = reverse("protus:login") + "?scope=check%20hold%20charge"
        self.assertContains(page, link, status_code=403)
        token = ProtusAccount.objects.get().access_token
        api = Site().post(reverse("api-clients"), {"name": "Olga", "phone": "+7 900 123-45-67"},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual((api.status_code, api.json()["code"]), (403, "insufficient_scope"))
        self.assertEqual(people.wallet(cat)["available"], 10_000)
        self.assertFalse(Client.objects.exists())

        again = site.get(page.context["problem"]["reconsent_url"])
        back = urlsplit(people.consent(cat, again["Location"], allow=True, scopes=ALL_SCOPES))
        site.get(f"{back.path}?{back.query}")
        self.assertRedirects(self.add_client(site), reverse("home"), fetch_redirect_response=False)
        self.assertEqual(people.wallet(cat)["available"], 10_000 - self.client_price)

    def test_a_direct_user_registers_tops_up_their_balance_and_adds_a_client(self) -> None:
        site, account = self.registered("dora")
        self.assertEqual(self.protus.accounts.get(account)["kind"], "managed")
        self.assertContains(site.get(reverse("home")), 'balance-available">₽0.00<')
        checkout = site.post(reverse("top-up"), {"amount": "50000"})
        self.assertEqual(checkout.status_code, 302)
        people.pay_checkout(checkout["Location"])
        self.assertContains(site.get(reverse("home")), 'balance-available">₽500.00<')

        self.assertRedirects(self.add_client(site), reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.protus.accounts.balance(account)["available"], 50_000 - self.client_price)
        self.assertEqual(Client.objects.get().charge, self.protus.charges.list(account=account).data[0]["id"])

    def test_a_balance_too_small_shows_how_to_top_up_and_moves_nothing(self) -> None:
        site, account = self.registered("emil")
        page = self.add_client(site)
        self.assertContains(page, "not enough money on your Messages balance", status_code=402)
        self.assertContains(page, reverse("top-up"), status_code=402)
        campaign = {"id": uuid.uuid4(), "name": "Spring", "message": "Hello", "recipients": RECIPIENTS}
        self.assertEqual(site.post(reverse("launch-campaign"), campaign).status_code, 402)
        self.assertFalse(Client.objects.exists() or Campaign.objects.exists())
        self.assertEqual(self.protus.charges.list(account=account).data, [])
        self.assertEqual(self.protus.holds.list(account=account).data, [])

    def test_the_webhook_log_shows_an_event_replayed_from_a_real_delivery(self) -> None:
        site, account = self.registered("fay")
        delivery = self.deliveries.wait_for(
            lambda event: event["type"] == "account.created" and event["data"]["id"] == account
        )
        for _ in range(2):  # a redelivery is recognised, not logged twice
            answer = Site().post(reverse("protus:webhook"), delivery.body, **delivery.meta())
            self.assertLess(answer.status_code, 300)
        [event] = WebhookLog.objects.all()
        self.assertEqual((event.event_id, event.type), (delivery.event_id, "account.created"))
        self.assertEqual(event.account, account)
        page = site.get(reverse("webhook-log"))
        self.assertContains(page, delivery.event_id)
        self.assertContains(page, "account.created")
