"""The README's four snippets, run as written against the real PROTUS server.

Each ``<!-- snippet: name -->`` block of ``README.md`` is read from the file and executed: the
settings and URLs of "sign-in" configure Django, "scope-guard" and "charge" make up the view a
person's browser calls, and the receiver of "webhooks" gets a real delivery. Only the names a
snippet leaves to the partner (``CLIENT_SERVICE``, ``client``, ``Order``) and the server's address
are filled in here.
"""

from __future__ import annotations

import re
import sys
import textwrap
import types
import uuid
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from tests import django_settings

django_settings.configure()

from django.http import HttpResponse  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from django.test import Client, TestCase, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

import protus  # noqa: E402
import protus.django  # noqa: E402
from tests.support import people  # noqa: E402
from tests.support.receiver import Receiver  # noqa: E402
from tests.support.server import protus_url  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
HOST = "localhost"
PRICE = 5_000


def snippet(name: str) -> str:
    """The code of the README's block marked ``<!-- snippet: name -->``."""
    found = re.search(rf"<!-- snippet: {name} -->\n```python\n(.*?)```", README.read_text(), re.DOTALL)
    if found is None:
        raise AssertionError(f"README.md has no snippet {name!r}")
    return found.group(1)


class PaidOrders:
    """The partner's ``Order`` model as the webhook snippet uses it: records what it marks paid."""

    def __init__(self) -> None:
        self.paid: list[str] = []
        self.objects = self

    def filter(self, charge_id: str) -> PaidOrders:
        self._charge = charge_id
        return self

    def update(self, paid: bool) -> int:
        if paid:
            self.paid.append(self._charge)
        return 1


_databases: Any = None
_site: dict[str, Any] = {}


def setUpModule() -> None:
    base_url = protus_url()
    global _databases
    _databases = django_settings.create_test_databases()
    company = people.register_company(base_url)
    receiver = Receiver()
    with protus.Client(company["client_id"], company["client_secret"], base_url) as client:
        client.company.update(redirect_uris=[f"http://{HOST}/protus/callback/"], webhook_url=receiver.url)
        service = client.services.create(name="Client", price=PRICE)
    _site.update(company=company, base_url=base_url, service=service["id"], receiver=receiver)


def tearDownModule() -> None:
    _site["receiver"].close()
    django_settings.destroy_test_databases(_databases)


def settings_from_readme() -> dict[str, Any]:
    """Runs the settings half of the sign-in snippet with the company's credentials in the environment."""
    settings, _ = snippet("sign-in").split("# urls.py")
    company = _site["company"]
    environ = {
        "PROTUS_CLIENT_ID": company["client_id"],
        "PROTUS_CLIENT_SECRET": company["client_secret"],
        "PROTUS_WEBHOOK_SECRET": company["webhook_secret"],
    }
    namespace: dict[str, Any] = {"INSTALLED_APPS": []}
    with mock.patch.dict("os.environ", environ):
        exec(compile("import os\n" + settings, "README.md#sign-in", "exec"), namespace)
    # The README's server is https://protus.example; the tests' runs on loopback.
    namespace["PROTUS"]["BASE_URL"] = _site["base_url"]
    return namespace


def urls_from_readme(view: Any) -> types.ModuleType:
    """A URLconf: the sign-in snippet's urls.py, the README's view at /clients/, and a top-up page."""
    _, urls = snippet("sign-in").split("# urls.py")
    module = types.ModuleType("readme_urls")
    module.urlpatterns = [
        path("clients/", view),
        path("top-up/", lambda request: HttpResponse("top up"), name="top-up"),
    ]
    exec(compile(urls, "README.md#urls", "exec"), {"path": path, "include": include, **vars(module)})
    sys.modules[module.__name__] = module
    return module


def view_from_readme() -> Any:
    """The scope-guard snippet's view, its body the charge snippet, answering the charge's id."""
    guard = snippet("scope-guard")
    body = textwrap.indent(snippet("charge") + 'return HttpResponse(charge["id"])\n', "    ")
    source = re.sub(r"^    \.\.\..*\n", lambda _: body, guard, flags=re.MULTILINE)
    self_test = "get_client().charges.create(" in source and "@protus_scope_required" in source
    assert self_test, source
    namespace: dict[str, Any] = {
        "CLIENT_SERVICE": _site["service"],
        "client": types.SimpleNamespace(id=uuid.uuid4()),
        "redirect": redirect,
        "HttpResponse": HttpResponse,
        "__name__": "readme_views",
    }
    exec(compile(source, "README.md#scope-guard+charge", "exec"), namespace)
    return namespace["add_client"]


class ReadmeTests(TestCase):
    def setUp(self) -> None:
        readme_settings = settings_from_readme()
        self.assertIn("protus.django", readme_settings["INSTALLED_APPS"])
        urls = urls_from_readme(view_from_readme())
        override = override_settings(PROTUS=readme_settings["PROTUS"], ROOT_URLCONF=urls.__name__)
        override.enable()
        self.addCleanup(override.disable)
        protus.django.get_client.cache_clear()
        self.addCleanup(protus.django.get_client.cache_clear)
        self.browser = Client(HTTP_HOST=HOST)

    def person(self, funds: int) -> people.Browser:
        person = people.signed_in_person(_site["base_url"])
        self.addCleanup(person.session.close)
        people.top_up(person, funds)
        return person

    def sign_in(self, person: people.Browser) -> None:
        to_protus = self.browser.get("/protus/login/")
        self.assertEqual(to_protus.status_code, 302)
        back = urlsplit(people.consent(person, to_protus["Location"]))
        self.assertEqual(self.browser.get(f"{back.path}?{back.query}").status_code, 302)

    def test_the_sign_in_guard_and_charge_snippets_take_the_price_from_a_signed_in_wallet(self) -> None:
        person = self.person(20_000)
        self.sign_in(person)
        answer = self.browser.post("/clients/")
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertTrue(answer.content.decode().startswith("ch_"))
        self.assertEqual(people.wallet(person)["available"], 20_000 - PRICE)

    def test_the_charge_snippet_sends_a_person_without_the_funds_to_top_up_and_takes_nothing(self) -> None:
        person = self.person(PRICE - 1)
        self.sign_in(person)
        answer = self.browser.post("/clients/")
        self.assertEqual((answer.status_code, answer["Location"]), (302, "/top-up/"))
        wallet = people.wallet(person)
        self.assertEqual((wallet["available"], wallet["held"]), (PRICE - 1, 0))

    def test_the_webhook_snippet_marks_the_order_of_a_delivered_charge_paid(self) -> None:
        orders = PaidOrders()
        namespace: dict[str, Any] = {"Order": orders}
        exec(compile(snippet("webhooks"), "README.md#webhooks", "exec"), namespace)
        self.addCleanup(protus.django.signals.charge_succeeded.disconnect, namespace["mark_paid"])
        person = self.person(20_000)
        self.sign_in(person)
        charge_id = self.browser.post("/clients/").content.decode()
        delivery = _site["receiver"].wait_for(
            lambda event: event["type"] == "charge.succeeded" and event["data"]["id"] == charge_id
        )
        answer = self.browser.post("/protus/webhook/", delivery.body, **delivery.meta())
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(orders.paid, [charge_id])
