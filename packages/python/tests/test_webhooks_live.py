"""protus.webhooks.verify on the exact bytes the real PROTUS server delivers to a receiver."""

from __future__ import annotations

import base64
import secrets
import time
import unittest

import protus
from protus import WebhookVerificationError, webhooks
from tests.support import people
from tests.support.receiver import Delivery, Receiver
from tests.support.server import protus_url

OTHER_SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class LiveWebhooksTest(unittest.TestCase):
    company: dict[str, str]
    client: protus.Client
    receiver: Receiver

    @classmethod
    def setUpClass(cls) -> None:
        base_url = protus_url()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.close)
        cls.company = people.register_company(base_url)
        cls.client = protus.Client(cls.company["client_id"], cls.company["client_secret"], base_url)
        cls.addClassCleanup(cls.client.close)
        cls.client.company.update(webhook_url=cls.receiver.url)

    def setUp(self) -> None:
        self.receiver.fail_next = 0

    def ping(self) -> tuple[dict, Delivery]:
        sent = self.client.company.send_test_webhook()
        event_id = sent["event"]["id"]
        return sent, self.receiver.attempts_of(event_id)[0]

    def assert_refused_with_other_secret(self, delivery: Delivery) -> None:
        with self.assertRaises(WebhookVerificationError) as caught:
            webhooks.verify(delivery.body, delivery.headers, OTHER_SECRET)
        self.assertEqual(caught.exception.reason, "no_matching_signature")

    def test_verifies_the_exact_bytes_of_a_test_ping(self) -> None:
        sent, delivery = self.ping()
        event = webhooks.verify(delivery.body, delivery.headers, self.company["webhook_secret"])
        self.assertEqual(event["id"], sent["event"]["id"])
        self.assertEqual(event["type"], "ping")
        self.assertEqual(event["data"], sent["event"]["data"])
        self.assertEqual(event["timestamp"], sent["event"]["timestamp"])
        self.assertLessEqual(abs(int(delivery.headers["webhook-timestamp"]) - time.time()), 60)
        self.assert_refused_with_other_secret(delivery)

    def test_verifies_the_delivery_with_headers_as_a_dict_and_the_body_as_text(self) -> None:
        _, delivery = self.ping()
        headers = {name.upper(): value for name, value in delivery.headers.items()}
        secrets_while_rotating = [OTHER_SECRET, self.company["webhook_secret"]]
        event = webhooks.verify(delivery.body.decode("utf-8"), headers, secrets_while_rotating)
        self.assertEqual(event["type"], "ping")

    def test_refuses_a_delivered_body_changed_by_one_byte(self) -> None:
        _, delivery = self.ping()
        changed = delivery.body.replace(b"ping", b"pinG", 1)
        self.assertNotEqual(changed, delivery.body)
        with self.assertRaises(WebhookVerificationError) as caught:
            webhooks.verify(changed, delivery.headers, self.company["webhook_secret"])
        self.assertEqual(caught.exception.reason, "no_matching_signature")

    def test_verifies_an_account_created_event_for_a_managed_account(self) -> None:
        account = self.client.ensure_account(f"user-{secrets.token_hex(4)}", email="direct@example.com")
        delivery = self.receiver.wait_for(
            lambda event: event["type"] == "account.created" and event["data"]["id"] == account["id"]
        )
        event = webhooks.verify(delivery.body, delivery.headers, self.company["webhook_secret"])
        self.assertEqual((event["type"], event["data"]["id"]), ("account.created", account["id"]))
        self.assertIn(event["type"], webhooks.EVENT_TYPES)
        self.assert_refused_with_other_secret(delivery)

    def test_a_delivery_answered_with_500_comes_again_with_the_same_id_and_verifies_again(self) -> None:
        self.receiver.fail_next = 1
        sent = self.client.company.send_test_webhook()
        failed, again = self.receiver.attempts_of(sent["event"]["id"], count=2)
        self.assertEqual((failed.status, again.status), (500, 200))
        first = webhooks.verify(failed.body, failed.headers, self.company["webhook_secret"])
        second = webhooks.verify(again.body, again.headers, self.company["webhook_secret"])
        self.assertEqual(first, second)
        self.assertEqual(failed.body, again.body)


if __name__ == "__main__":
    unittest.main()
