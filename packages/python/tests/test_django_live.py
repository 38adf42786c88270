"""``protus.django`` against the real PROTUS server: sign-in, the guard, direct users, webhooks."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests import django_settings

django_settings.configure()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client, TestCase, override_settings  # noqa: E402

import protus  # noqa: E402
import protus.django  # noqa: E402
from protus.django import ensure_account, fresh_tokens, signals  # noqa: E402
from protus.django.models import ProtusAccount  # noqa: E402
from tests.support import people  # noqa: E402
from tests.support.receiver import Receiver  # noqa: E402
from tests.support.server import protus_url  # noqa: E402

User = get_user_model()
PRICE = 1_500
#: The Django test client's host: PROTUS takes http redirect URIs on loopback hosts only.
HOST = "localhost"
REDIRECT_URI = f"http://{HOST}/protus/callback/"


_databases: Any = None
_company: dict[str, Any] = {}
_receiver: Receiver | None = None


def setUpModule() -> None:
    global _databases, _receiver
    base_url = protus_url()
    _databases = django_settings.create_test_databases()
    company = people.register_company(base_url)
    _receiver = Receiver()
    with protus.Client(company["client_id"], company["client_secret"], base_url) as client:
        client.company.update(redirect_uris=[REDIRECT_URI], webhook_url=_receiver.url)
        service = client.services.create(name="Message", price=PRICE)
    _company.update(company, base_url=base_url, service=service["id"])


def tearDownModule() -> None:
    if _receiver is not None:
        _receiver.close()
    django_settings.destroy_test_databases(_databases)


class LiveTestCase(TestCase):
    """Django configured for the company registered for this module; a browser on ``localhost``."""

    def setUp(self) -> None:
        settings = {
            "BASE_URL": _company["base_url"],
            "CLIENT_ID": _company["client_id"],
            "CLIENT_SECRET": _company["client_secret"],
            "WEBHOOK_SECRET": _company["webhook_secret"],
        }
        override = override_settings(PROTUS=settings)
        override.enable()
        self.addCleanup(override.disable)
        protus.django.get_client.cache_clear()
        self.addCleanup(protus.django.get_client.cache_clear)
        self.browser = Client(HTTP_HOST=HOST)

    def person(self) -> people.Browser:
        """A person registered and signed in to PROTUS in their own browser."""
        person = people.signed_in_person(_company["base_url"])
        self.addCleanup(person.session.close)
        return person

    def sign_in(self, person: people.Browser, path: str, scopes: list[str] | None = None):
        """Follows ``path`` of this site to PROTUS, consents as ``person`` (to ``scopes``, by
        default all those asked for), and comes back."""
        to_protus = self.browser.get(path)
        self.assertEqual(to_protus.status_code, 302, to_protus.content)
        location = to_protus["Location"]
        if scopes is None:
            scopes = parse_qs(urlsplit(location).query)["scope"][0].split()
        back = urlsplit(people.consent(person, location, scopes=scopes))
        return self.browser.get(f"{back.path}?{back.query}")

    def charge(self):
        return self.browser.post("/charge/", {"service": _company["service"]})


class SignInTests(LiveTestCase):
    def test_a_person_signs_in_and_a_guarded_view_charges_their_wallet(self) -> None:
        ann = self.person()
        people.top_up(ann, 10_000)
        landed = self.sign_in(ann, "/protus/login/?next=/clients/")
        self.assertEqual((landed.status_code, landed["Location"]), (302, "/clients/"))
        account = ProtusAccount.objects.get()
        self.assertTrue(account.account_id.startswith("acct_"))
        self.assertEqual(account.scope_list, ["check", "hold", "charge", "profile"])
        self.assertEqual(account.user.username, ann.get("/v1/me")["username"])
        info = protus.django.get_client().oauth.introspect(account.access_token)
        self.assertEqual((info["active"], info["sub"]), (True, account.account_id))
        before = people.wallet(ann)["available"]
        charged = self.charge()
        self.assertEqual(charged.status_code, 201, charged.content)
        self.assertEqual(charged.json()["account"], account.account_id)
        self.assertEqual(people.wallet(ann)["available"], before - PRICE)

    def test_the_stored_access_token_passes_the_guard_as_a_bearer_token(self) -> None:
        ann = self.person()
        self.sign_in(ann, "/protus/login/")
        user = ProtusAccount.objects.get().user
        tokens = fresh_tokens(user)
        api = Client(HTTP_HOST=HOST)
        answer = api.get("/clients/", HTTP_AUTHORIZATION=f"Bearer {tokens.access_token}")
        self.assertEqual(answer.json(), {"account": user.protus_account.account_id, "via": "token"})
        refused = api.get("/clients/", HTTP_AUTHORIZATION=f"Bearer {tokens.refresh_token}")
        self.assertEqual(refused.status_code, 401)

    def test_a_person_without_charge_is_sent_to_grant_it_and_then_passes(self) -> None:
        ann = self.person()
        people.top_up(ann, 10_000)
        self.sign_in(ann, "/protus/login/", scopes=["check", "profile"])
        self.assertEqual(ProtusAccount.objects.get().scope_list, ["check", "profile"])
        refused = self.charge()
        self.assertEqual(refused.status_code, 403)
        link = refused.json()["reconsent_url"]
        self.assertEqual(parse_qs(urlsplit(link).query)["scope"], ["check charge profile"])
        back = self.sign_in(ann, link)
        self.assertEqual(back["Location"], "/charge/")
        self.assertEqual(ProtusAccount.objects.get().scope_list, ["check", "charge", "profile"])
        before = people.wallet(ann)["available"]
        self.assertEqual(self.charge().status_code, 201)
        self.assertEqual(people.wallet(ann)["available"], before - PRICE)

    def test_a_person_who_denies_gets_the_error_page_and_no_user(self) -> None:
        ann = self.person()
        to_protus = self.browser.get("/protus/login/")
        back = urlsplit(people.consent(ann, to_protus["Location"], allow=False))
        page = self.browser.get(f"{back.path}?{back.query}")
        self.assertContains(page, "You did not allow", status_code=403)
        self.assertEqual(User.objects.count(), 0)


class DirectUserTests(LiveTestCase):
    def test_ensure_account_gives_a_direct_user_one_managed_account(self) -> None:
        bob = User.objects.create_user("bob", "bob@example.com", "password")
        first = ensure_account(bob)
        self.assertEqual(ensure_account(User.objects.get(pk=bob.pk)).account_id, first.account_id)
        remote = protus.django.get_client().accounts.get(first.account_id)
        self.assertEqual((remote["kind"], remote["external_id"]), ("managed", str(bob.pk)))
        # Even without the row, PROTUS answers the same account for the same user.
        ProtusAccount.objects.all().delete()
        self.assertEqual(ensure_account(User.objects.get(pk=bob.pk)).account_id, first.account_id)


class WebhookTests(LiveTestCase):
    def test_a_real_delivery_fires_its_signal_once_and_its_replay_is_a_duplicate(self) -> None:
        ann = self.person()
        self.sign_in(ann, "/protus/login/")
        account = ProtusAccount.objects.get()
        people.revoke_partner(ann, _company["client_id"])
        delivery = _receiver.wait_for(
            lambda e: e["type"] == "grant.revoked" and e["data"]["account"] == account.account_id
        )
        heard: list[dict] = []

        def on_revoked(sender, event, **kwargs):
            heard.append(event)

        signals.grant_revoked.connect(on_revoked)
        self.addCleanup(signals.grant_revoked.disconnect, on_revoked)
        first = self.browser.post("/protus/webhook/", delivery.body, **delivery.meta())
        self.assertEqual(first.json(), {"received": True})
        self.assertEqual([e["id"] for e in heard], [delivery.headers["webhook-id"]])
        account.refresh_from_db()
        self.assertEqual((account.scopes, account.token_set()), ("", None))
        again = self.browser.post("/protus/webhook/", delivery.body, **delivery.meta())
        self.assertEqual(again.json(), {"received": True, "duplicate": True})
        self.assertEqual(len(heard), 1)
        tampered = self.browser.post("/protus/webhook/", delivery.body + b" ", **delivery.meta())
        self.assertEqual(tampered.status_code, 400)
