"""``protus.Client`` against the real PROTUS server: money moves as the calls say, once."""

from __future__ import annotations

import time
import unittest
from typing import Any

import requests

import protus
from tests.support import people
from tests.support.fake_server import Answer, FakeServer
from tests.support.server import protus_url

REDIRECT_URI = "http://127.0.0.1:9/protus/callback"


class LosingSession(requests.Session):
    """A session that loses the answer of the next request after the server has handled it."""

    lose_next = False

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        response = super().request(method, url, *args, **kwargs)
        if self.lose_next:
            self.lose_next = False
            response.close()
            raise requests.ConnectionError("connection reset before the answer arrived")
        return response


class LiveTest(unittest.TestCase):
    """One registered company and its client for the whole class."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.base_url = protus_url()
        cls.company = people.register_company(cls.base_url)
        cls.client = cls.client_of(cls.company)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.client.close()

    @staticmethod
    def client_of(company: dict[str, str], session: requests.Session | None = None) -> protus.Client:
        return protus.Client(
            company["client_id"],
            company["client_secret"],
            protus_url(),
            session=session,
            sleep=lambda seconds: None,
        )

    def funded_account(self, amount: int, client: protus.Client | None = None) -> str:
        """A managed account of a new direct user whose wallet was topped up with ``amount``."""
        client = client or self.client
        account = client.ensure_account(people.unique("user"), email=f"{people.unique('u')}@example.com")
        topup = client.accounts.create_topup(account["id"], amount=amount)
        people.pay_checkout(topup["checkout_url"])
        self.assert_wallet(account["id"], available=amount, held=0, client=client)
        return account["id"]

    def assert_wallet(
        self, account: str, *, available: int, held: int, client: protus.Client | None = None
    ) -> None:
        balance = (client or self.client).accounts.balance(account)
        self.assertEqual((balance["available"], balance["held"]), (available, held))

    def revenue(self) -> int:
        return self.client.balance.retrieve()["available"]


class ChargesTest(LiveTest):
    def test_a_charge_takes_its_amount_from_the_wallet_and_adds_it_to_the_partner_balance(self) -> None:
        account = self.funded_account(10_000)
        service = self.client.services.create(name="Client", price=1_500)
        before = self.revenue()
        charge = self.client.charges.create(account=account, service=service["id"], quantity=2)
        self.assertEqual((charge["status"], charge["amount"], charge["quantity"]), ("succeeded", 3_000, 2))
        self.assert_wallet(account, available=7_000, held=0)
        self.assertEqual(self.revenue() - before, 3_000)
        self.assertEqual(self.client.charges.get(charge["id"])["amount"], 3_000)

    def test_a_charge_over_the_balance_raises_insufficient_funds_and_moves_nothing(self) -> None:
        account = self.funded_account(1_000)
        before = self.revenue()
        with self.assertRaises(protus.InsufficientFunds) as caught:
            self.client.charges.create(account=account, amount=5_000)
        self.assertEqual((caught.exception.status, caught.exception.code), (402, "insufficient_funds"))
        self.assertIsNotNone(caught.exception.request_id)
        self.assert_wallet(account, available=1_000, held=0)
        self.assertEqual(self.revenue(), before)
        self.assertEqual(self.client.charges.list(account=account).data, [])

    def test_a_replayed_idempotency_key_answers_the_same_charge_and_moves_money_once(self) -> None:
        account = self.funded_account(5_000)
        key = people.unique("order")
        first = self.client.charges.create(account=account, amount=1_200, idempotency_key=key)
        again = self.client.charges.create(account=account, amount=1_200, idempotency_key=key)
        self.assertEqual(again["id"], first["id"])
        self.assert_wallet(account, available=3_800, held=0)
        self.assertEqual([c["id"] for c in self.client.charges.list(account=account)], [first["id"]])

    def test_a_charge_whose_answer_was_lost_is_retried_and_applied_once(self) -> None:
        session = LosingSession()
        self.addCleanup(session.close)
        client = self.client_of(self.company, session)
        account = self.funded_account(5_000, client)
        session.lose_next = True
        charge = client.charges.create(account=account, amount=700)
        self.assertFalse(session.lose_next)
        self.assert_wallet(account, available=4_300, held=0)
        self.assertEqual([c["id"] for c in client.charges.list(account=account)], [charge["id"]])

    def test_refunds_part_of_a_charge_and_then_the_rest(self) -> None:
        account = self.funded_account(10_000)
        charge = self.client.charges.create(account=account, amount=3_000)
        before = self.revenue()
        part = self.client.refunds.create(charge["id"], amount=1_000)
        self.assertEqual((part["amount"], part["charge"]), (1_000, charge["id"]))
        self.assert_wallet(account, available=8_000, held=0)
        rest = self.client.refunds.create(charge["id"])
        self.assertEqual(rest["amount"], 2_000)
        self.assert_wallet(account, available=10_000, held=0)
        self.assertEqual(self.client.charges.get(charge["id"])["amount_refunded"], 3_000)
        self.assertEqual(before - self.revenue(), 3_000)
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.refunds.create(charge["id"], amount=1)
        refused = caught.exception
        self.assertEqual((refused.code, refused.problem["refundable"]), ("refund_exceeds_charge", 0))
        refunds = self.client.refunds.list(charge=charge["id"]).to_list(limit=10)
        self.assertEqual([r["id"] for r in refunds], [rest["id"], part["id"]])
        self.assert_wallet(account, available=10_000, held=0)


class HoldsTest(LiveTest):
    def test_a_hold_captured_in_part_takes_that_part_and_releases_the_rest(self) -> None:
        account = self.funded_account(10_000)
        before = self.revenue()
        hold = self.client.holds.create(account=account, amount=4_000, description="campaign")
        self.assertEqual(hold["status"], "pending")
        self.assert_wallet(account, available=6_000, held=4_000)
        captured = self.client.holds.capture(hold["id"], amount=1_500)
        self.assertEqual((captured["status"], captured["captured_amount"]), ("captured", 1_500))
        self.assert_wallet(account, available=8_500, held=0)
        self.assertEqual(self.revenue() - before, 1_500)
        charge = self.client.charges.get(captured["charge"]["id"])
        self.assertEqual((charge["amount"], charge["hold"]), (1_500, hold["id"]))

    def test_a_released_hold_gives_everything_back(self) -> None:
        account = self.funded_account(5_000)
        hold = self.client.holds.create(account=account, amount=3_000)
        self.assert_wallet(account, available=2_000, held=3_000)
        released = self.client.holds.release(hold["id"])
        self.assertEqual(released["status"], "released")
        self.assert_wallet(account, available=5_000, held=0)
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.holds.capture(hold["id"])
        self.assertEqual(caught.exception.status, 409)
        self.assert_wallet(account, available=5_000, held=0)
        self.assertEqual(self.client.holds.get(hold["id"])["status"], "released")


class AccountsAndListsTest(LiveTest):
    def test_ensure_account_finds_the_same_account_for_the_same_user(self) -> None:
        user = people.unique("user")
        first = self.client.ensure_account(user, email=f"{user}@example.com")
        again = self.client.ensure_account(user, email=f"{user}@example.com")
        changed = self.client.accounts.ensure(user, username="ann")
        self.assertEqual({first["id"], again["id"], changed["id"]}, {first["id"]})
        self.assertEqual((first["kind"], first["external_id"]), ("managed", user))
        self.assertEqual(self.client.accounts.get(first["id"])["id"], first["id"])

    def test_lists_a_managed_accounts_top_ups(self) -> None:
        account = self.funded_account(2_000)
        pending = self.client.accounts.create_topup(account, amount=500)
        topups = self.client.accounts.list_topups(account).data
        self.assertEqual([(t["id"], t["status"]) for t in topups[:1]], [(pending["id"], "pending")])
        self.assertEqual([(t["amount"], t["status"]) for t in topups[1:]], [(2_000, "succeeded")])
        self.assert_wallet(account, available=2_000, held=0)

    def test_iterates_a_list_across_pages_newest_first(self) -> None:
        account = self.funded_account(1_000)
        made = [self.client.charges.create(account=account, amount=n)["id"] for n in (10, 20, 30, 40, 50)]
        self.assert_wallet(account, available=850, held=0)
        first = self.client.charges.list(account=account, limit=2)
        self.assertEqual(([c["id"] for c in first.data], first.has_more), (made[::-1][:2], True))
        self.assertEqual([c["id"] for c in first], made[::-1])
        self.assertEqual([c["id"] for c in first.to_list(limit=3)], made[::-1][:3])

    def test_the_partner_balance_is_the_sum_of_its_balance_transactions(self) -> None:
        company = people.register_company(self.base_url)
        client = self.client_of(company)
        self.addCleanup(client.close)
        account = self.funded_account(10_000, client)
        charge = client.charges.create(account=account, amount=4_000)
        client.charges.create(account=account, amount=1_000)
        client.refunds.create(charge["id"], amount=500)
        self.assert_wallet(account, available=5_500, held=0, client=client)
        transactions = list(client.balance_transactions.list(limit=2))
        self.assertEqual(sorted(t["type"] for t in transactions), ["charge", "charge", "refund"])
        balance = client.balance.retrieve(currency="RUB")
        self.assertEqual(balance["available"], sum(t["net"] for t in transactions))
        self.assertEqual(balance["available"], 4_500 - sum(t["fee"] for t in transactions))


class CatalogueTest(LiveTest):
    def test_subscribes_lists_and_cancels_on_a_recurring_service(self) -> None:
        account = self.funded_account(5_000)
        monthly = {"interval": "month", "count": 1}
        pro = self.client.services.create(name="Pro", price=2_000, recurring=monthly)
        key = people.unique("pro")
        sub = self.client.subscriptions.create(account=account, service=pro["id"], idempotency_key=key)
        self.assertEqual((sub["status"], sub["amount"]), ("active", 2_000))
        self.assert_wallet(account, available=3_000, held=0)
        self.assertEqual(self.client.subscriptions.retrieve(sub["id"])["latest_charge"], sub["latest_charge"])
        listed = self.client.subscriptions.list(account=account, status="active").data
        self.assertEqual([s["id"] for s in listed], [sub["id"]])
        later = self.client.subscriptions.cancel(sub["id"])
        self.assertEqual((later["status"], later["cancel_at_period_end"]), ("active", True))
        now = self.client.subscriptions.cancel(sub["id"], at_period_end=False)
        self.assertEqual(now["status"], "canceled")
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.subscriptions.cancel(sub["id"])
        self.assertEqual((caught.exception.status, caught.exception.code), (409, "subscription_canceled"))
        self.assert_wallet(account, available=3_000, held=0)

    def test_updates_and_archives_a_service(self) -> None:
        account = self.funded_account(1_000)
        service = self.client.services.create(name="Client", price=100)
        updated = self.client.services.update(service["id"], name="New client", price=150)
        self.assertEqual((updated["name"], updated["price"]), ("New client", 150))
        self.assertEqual(self.client.charges.create(account=account, service=service["id"])["amount"], 150)
        self.client.services.update(service["id"], active=False)
        self.assertFalse(self.client.services.get(service["id"])["active"])
        self.assertIn(service["id"], [s["id"] for s in self.client.services.list(active=False)])
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.charges.create(account=account, service=service["id"])
        self.assertEqual(caught.exception.code, "service_inactive")
        self.assert_wallet(account, available=850, held=0)

    def test_reads_the_company_and_its_webhook_deliveries(self) -> None:
        company = self.client.company.get()
        self.assertEqual(
            (company["id"], company["client_id"]), (self.company["id"], self.company["client_id"])
        )
        with FakeServer() as receiver:
            receiver.handler("POST", "/hook", lambda request: Answer(200, {}))
            self.client.company.update(webhook_url=f"{receiver.url}/hook")
            self.addCleanup(self.client.company.update, webhook_url=None)
            self.assertTrue(self.client.company.webhook_endpoint()["url"].endswith("/hook"))
            ping = self.client.company.send_test_webhook()
            delivery = self.wait_for_delivery(ping["id"])
        self.assertEqual((delivery["status"], delivery["event"]["type"]), ("succeeded", "ping"))
        self.assertIn(ping["id"], [d["id"] for d in self.client.webhook_deliveries.list(type="ping")])
        self.assertEqual(len(receiver.requests_to("POST", "/hook")), 1)

    def wait_for_delivery(self, delivery_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while True:
            delivery = self.client.webhook_deliveries.get(delivery_id)
            if delivery["status"] != "pending" or time.monotonic() > deadline:
                return delivery
            time.sleep(0.05)


class PersonGrantTest(LiveTest):
    def test_a_person_without_the_charge_scope_is_refused_and_after_revoking_refused_for_good(self) -> None:
        self.client.company.update(redirect_uris=[REDIRECT_URI])
        person = people.signed_in_person(self.base_url)
        self.addCleanup(person.session.close)
        people.top_up(person, 5_000)
        request = self.client.oauth.authorization_url(REDIRECT_URI, scope="check hold charge")
        back = people.consent(person, request.url, scopes=["check", "hold"])
        sign_in = self.client.oauth.handle_callback(
            url=back, state=request.state, code_verifier=request.code_verifier, redirect_uri=REDIRECT_URI
        )
        self.assertEqual(sorted(sign_in.scopes), ["check", "hold"])
        account = sign_in.account_id
        with self.assertRaises(protus.InsufficientScope) as caught:
            self.client.charges.create(account=account, amount=1_000)
        self.assertEqual((caught.exception.status, caught.exception.scope), (403, "charge"))
        self.assert_wallet(account, available=5_000, held=0)
        hold = self.client.holds.create(account=account, amount=1_000)
        self.assertEqual(people.wallet(person)["held"], 1_000)
        self.client.holds.release(hold["id"])
        people.revoke_partner(person, self.company["client_id"])
        with self.assertRaises(protus.GrantRevoked) as revoked:
            self.client.holds.create(account=account, amount=1_000)
        self.assertEqual((revoked.exception.status, revoked.exception.code), (403, "grant_revoked"))
        wallet = people.wallet(person)
        self.assertEqual((wallet["available"], wallet["held"]), (5_000, 0))


if __name__ == "__main__":
    unittest.main()
