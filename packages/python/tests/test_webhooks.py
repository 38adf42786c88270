"""protus.webhooks.verify against vectors signed by the TypeScript `standardwebhooks` package."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import unittest
from email.message import Message
from pathlib import Path

from requests.structures import CaseInsensitiveDict

from protus import WebhookVerificationError, webhooks

REPO = Path(__file__).resolve().parents[3]
VECTORS_SCRIPT = Path(__file__).resolve().parent / "support" / "make_webhook_vectors.mjs"
SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"o" * 32).decode()
NOW = 1_714_557_600


def sign(secret: str, webhook_id: str, timestamp: int | str, body: bytes) -> str:
    """A `v1,` signature as Standard Webhooks defines it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def delivery(body: bytes, *, secret: str = SECRET, webhook_id: str = "evt_1", timestamp: int = NOW) -> dict:
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }


PING = json.dumps({"type": "ping", "timestamp": "2024-05-01T10:00:00.000Z", "data": {"n": 1}}).encode()


def reason_of(test: unittest.TestCase, payload, headers, secret, **options) -> str:
    with test.assertRaises(WebhookVerificationError) as caught:
        webhooks.verify(payload, headers, secret, **options)
    return caught.exception.reason


class StandardWebhooksVectorsTest(unittest.TestCase):
    """Deliveries signed by `new Webhook(secret).sign(id, date, body)`, as PROTUS signs them."""

    vectors: list[dict]

    @classmethod
    def setUpClass(cls) -> None:
        done = subprocess.run(
            ["node", str(VECTORS_SCRIPT)], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
        )
        cls.vectors = json.loads(done.stdout)

    @staticmethod
    def headers_of(vector: dict) -> dict:
        return {
            "webhook-id": vector["id"],
            "webhook-timestamp": str(vector["timestamp"]),
            "webhook-signature": vector["signature"],
        }

    def verify(self, vector: dict, **changes) -> dict:
        """Verifies the vector at its own time, with ``body``, ``headers``, ``secret``, ``now``
        replaced when given."""
        return webhooks.verify(
            changes.get("body", vector["body"]),
            changes.get("headers", self.headers_of(vector)),
            changes.get("secret", vector["secret"]),
            now=changes.get("now", vector["timestamp"]),
        )

    def refusal(self, vector: dict, **changes) -> str:
        with self.assertRaises(WebhookVerificationError) as caught:
            self.verify(vector, **changes)
        return caught.exception.reason

    def test_accepts_every_vector_as_bytes_and_answers_its_event(self) -> None:
        self.assertGreaterEqual(len(self.vectors), 17)
        for vector in self.vectors:
            with self.subTest(id=vector["id"], secret=vector["secret"], timestamp=vector["timestamp"]):
                event = self.verify(vector, body=vector["body"].encode("utf-8"))
                sent = json.loads(vector["body"])
                self.assertEqual(event["id"], vector["id"])
                self.assertEqual(event["type"], sent["type"])
                self.assertEqual(event["timestamp"], sent["timestamp"])
                self.assertEqual(event["data"], sent["data"])

    def test_accepts_every_vector_given_as_text(self) -> None:
        for vector in self.vectors:
            with self.subTest(id=vector["id"], timestamp=vector["timestamp"]):
                self.assertEqual(self.verify(vector)["data"], json.loads(vector["body"])["data"])

    def test_the_vectors_cover_non_ascii_and_spaced_bodies_and_unprefixed_secrets(self) -> None:
        bodies = [v["body"] for v in self.vectors]
        self.assertTrue(any("🎉" in b and "日本語" in b for b in bodies))
        self.assertTrue(any("\n  " in b for b in bodies))
        secrets = [v["secret"] for v in self.vectors if isinstance(v["secret"], str)]
        self.assertTrue(any(not secret.startswith("whsec_") for secret in secrets))

    def test_signs_exactly_as_the_typescript_package_does(self) -> None:
        for vector in self.vectors:
            if isinstance(vector["secret"], str) and vector["secret"].startswith("whsec_"):
                with self.subTest(secret=vector["secret"], id=vector["id"]):
                    body = vector["body"].encode()
                    expected = sign(vector["secret"], vector["id"], vector["timestamp"], body)
                    self.assertEqual(vector["signature"], expected)

    def test_refuses_every_vector_whose_body_was_altered(self) -> None:
        for vector in self.vectors:
            with self.subTest(id=vector["id"], timestamp=vector["timestamp"]):
                altered = vector["body"].replace('"type"', '"type" ', 1).encode()
                self.assertEqual(self.refusal(vector, body=altered), "no_matching_signature")

    def test_refuses_every_vector_whose_id_was_altered(self) -> None:
        for vector in self.vectors:
            with self.subTest(id=vector["id"], timestamp=vector["timestamp"]):
                headers = {**self.headers_of(vector), "webhook-id": vector["id"] + "x"}
                self.assertEqual(self.refusal(vector, headers=headers), "no_matching_signature")

    def test_refuses_every_vector_under_another_secret(self) -> None:
        for vector in self.vectors:
            with self.subTest(id=vector["id"], timestamp=vector["timestamp"]):
                self.assertEqual(self.refusal(vector, secret=OTHER_SECRET), "no_matching_signature")

    def test_refuses_a_vector_whose_timestamp_was_moved_by_one_second(self) -> None:
        vector = self.vectors[0]
        headers = {**self.headers_of(vector), "webhook-timestamp": str(vector["timestamp"] + 1)}
        self.assertEqual(self.refusal(vector, headers=headers), "no_matching_signature")

    def test_accepts_a_vector_up_to_300_seconds_either_way_and_refuses_it_at_301(self) -> None:
        vector = self.vectors[0]
        sent = vector["timestamp"]
        for now in (sent + 300, sent - 300, sent + 300.999):
            with self.subTest(now=now):
                self.assertEqual(self.verify(vector, now=now)["id"], vector["id"])
        self.assertEqual(self.refusal(vector, now=sent + 301), "timestamp_too_old")
        self.assertEqual(self.refusal(vector, now=sent - 301), "timestamp_too_new")

    def test_a_rotation_vector_verifies_under_either_secret_and_under_both(self) -> None:
        rotated = [v for v in self.vectors if isinstance(v["secret"], list)]
        self.assertEqual(len(rotated), 1)
        vector = rotated[0]
        newest, oldest = vector["secret"]
        self.assertEqual(len(vector["signature"].split(" ")), 2)
        for secrets in (newest, oldest, [newest, oldest], [OTHER_SECRET, oldest], (oldest,)):
            with self.subTest(secrets=secrets):
                self.assertEqual(self.verify(vector, secret=secrets)["type"], "charge.succeeded")
        self.assertEqual(self.refusal(vector, secret=[OTHER_SECRET]), "no_matching_signature")

    def test_refuses_a_vector_whose_only_signature_is_not_v1(self) -> None:
        vector = self.vectors[0]
        headers = {**self.headers_of(vector), "webhook-signature": "v2," + vector["signature"][3:]}
        self.assertEqual(self.refusal(vector, headers=headers), "no_matching_signature")

    def test_finds_the_v1_signature_among_other_versions_and_garbage(self) -> None:
        vector = self.vectors[0]
        signature = f"v2,{vector['signature'][3:]} v1,%%%not-base64 v1a,xyz {vector['signature']}"
        headers = {**self.headers_of(vector), "webhook-signature": signature}
        self.assertEqual(self.verify(vector, headers=headers)["id"], vector["id"])


class HeadersTest(unittest.TestCase):
    """Header names in any case, from the mappings frameworks give."""

    def test_reads_headers_in_any_letter_case(self) -> None:
        headers = {k.upper(): v for k, v in delivery(PING).items()}
        self.assertEqual(webhooks.verify(PING, headers, SECRET, now=NOW)["type"], "ping")

    def test_reads_a_requests_case_insensitive_dict(self) -> None:
        headers = CaseInsensitiveDict({name.title(): value for name, value in delivery(PING).items()})
        self.assertEqual(webhooks.verify(PING, headers, SECRET, now=NOW)["id"], "evt_1")

    def test_reads_a_dict_of_lists(self) -> None:
        headers = {k: [v] for k, v in delivery(PING).items()}
        self.assertEqual(webhooks.verify(PING, headers, SECRET, now=NOW)["id"], "evt_1")

    def test_a_signature_split_over_two_header_values_is_joined(self) -> None:
        headers = delivery(PING)
        headers["webhook-signature"] = [sign(OTHER_SECRET, "evt_1", NOW, PING), headers["webhook-signature"]]
        self.assertEqual(webhooks.verify(PING, headers, SECRET, now=NOW)["id"], "evt_1")

    def test_reads_the_headers_of_the_standard_library_http_server(self) -> None:
        message = Message()
        for name, value in delivery(PING).items():
            message[name.title()] = value
        self.assertEqual(webhooks.verify(PING, message, SECRET, now=NOW)["type"], "ping")

    def test_reads_django_request_headers(self) -> None:
        try:
            from django.http.request import HttpHeaders
        except ImportError:  # pragma: no cover - Django is an optional extra
            self.skipTest("Django is not installed")
        meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in delivery(PING).items()}
        meta["CONTENT_TYPE"] = "application/json"
        self.assertEqual(webhooks.verify(PING, HttpHeaders(meta), SECRET, now=NOW)["type"], "ping")

    def test_refuses_a_delivery_missing_any_of_the_three_headers(self) -> None:
        for missing in ("webhook-id", "webhook-timestamp", "webhook-signature"):
            with self.subTest(missing=missing):
                headers = {k: v for k, v in delivery(PING).items() if k != missing}
                self.assertEqual(reason_of(self, PING, headers, SECRET, now=NOW), "missing_headers")
                empty = {**headers, missing: ""}
                self.assertEqual(reason_of(self, PING, empty, SECRET, now=NOW), "missing_headers")
        self.assertEqual(reason_of(self, PING, {}, SECRET, now=NOW), "missing_headers")


class TimestampAndSecretTest(unittest.TestCase):
    def test_refuses_a_timestamp_that_is_not_unix_seconds(self) -> None:
        wrong = ("17145576e2", "-1", " 1714557600", "1714557600\n", "1714557600.5", "１７１４", "1" * 13)
        for timestamp in wrong:
            with self.subTest(timestamp=timestamp):
                headers = {**delivery(PING), "webhook-timestamp": timestamp}
                self.assertEqual(reason_of(self, PING, headers, SECRET, now=NOW), "invalid_timestamp")

    def test_checks_the_timestamp_against_the_current_time_by_default(self) -> None:
        import time

        now = int(time.time())
        self.assertEqual(webhooks.verify(PING, delivery(PING, timestamp=now), SECRET)["type"], "ping")
        stale = delivery(PING, timestamp=now - 3600)
        self.assertEqual(reason_of(self, PING, stale, SECRET), "timestamp_too_old")

    def test_a_smaller_tolerance_refuses_sooner(self) -> None:
        headers = delivery(PING)
        webhooks.verify(PING, headers, SECRET, now=NOW + 60, tolerance=60)
        reason = reason_of(self, PING, headers, SECRET, now=NOW + 61, tolerance=60)
        self.assertEqual(reason, "timestamp_too_old")

    def test_refuses_an_empty_or_missing_secret(self) -> None:
        for secret in ("whsec_", "", []):
            with self.subTest(secret=secret):
                self.assertEqual(reason_of(self, PING, delivery(PING), secret, now=NOW), "invalid_secret")

    def test_accepts_a_secret_whose_base64_padding_was_lost(self) -> None:
        secret = "whsec_" + base64.b64encode(b"p" * 31).decode()
        self.assertTrue(secret.endswith("="))
        event = webhooks.verify(PING, delivery(PING, secret=secret), secret.rstrip("="), now=NOW)
        self.assertEqual(event["type"], "ping")


class PayloadTest(unittest.TestCase):
    def test_refuses_a_signed_body_that_is_not_json(self) -> None:
        for body in (b"not json", b"", b"\xff\xfe", b'{"type": "ping", "data": {"n": NaN}}'):
            with self.subTest(body=body):
                self.assertEqual(reason_of(self, body, delivery(body), SECRET, now=NOW), "invalid_payload")

    def test_refuses_a_signed_json_body_that_is_not_an_event(self) -> None:
        not_events = (
            [1, 2],
            "ping",
            {"type": 1, "data": {}},
            {"type": "ping"},
            {"type": "ping", "data": None},
            {"type": "ping", "data": "x"},
            {"data": {}},
        )
        for event in not_events:
            with self.subTest(event=event):
                body = json.dumps(event).encode()
                self.assertEqual(reason_of(self, body, delivery(body), SECRET, now=NOW), "invalid_payload")

    def test_accepts_a_bytearray_or_memoryview_payload(self) -> None:
        for payload in (bytearray(PING), memoryview(PING)):
            with self.subTest(kind=type(payload).__name__):
                self.assertEqual(webhooks.verify(payload, delivery(PING), SECRET, now=NOW)["type"], "ping")

    def test_answers_a_missing_event_timestamp_as_none(self) -> None:
        body = json.dumps({"type": "ping", "data": {}}).encode()
        event = webhooks.verify(body, delivery(body), SECRET, now=NOW)
        self.assertEqual(event, {"id": "evt_1", "type": "ping", "timestamp": None, "data": {}})


class EventTypesTest(unittest.TestCase):
    def test_lists_exactly_the_event_types_of_the_openapi_document_in_its_order(self) -> None:
        document = json.loads((REPO / "packages" / "sdk" / "openapi.json").read_text("utf-8"))
        self.assertEqual(webhooks.EVENT_TYPES, tuple(document["webhooks"].keys()))


if __name__ == "__main__":
    unittest.main()
