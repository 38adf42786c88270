"""What ``protus.Client`` sends and how it takes the answers, against a scripted server."""

from __future__ import annotations

import base64
import unittest
from datetime import datetime, timedelta, timezone

import requests

import protus
from protus._http import Backoff
from protus.client import ensure_key
from tests.support.fake_server import Answer, FakeServer
from tests.support.server import free_port

CHARGE = {"id": "ch_1", "object": "charge", "amount": 500}


def problem(status: int, code: str, **extra: object) -> dict:
    """A problem+json body as PROTUS answers it."""
    return {
        "type": f"https://protus.dev/problems/{code}",
        "title": code,
        "status": status,
        "code": code,
        "detail": f"detail of {code}",
        "request_id": "req_1",
        **extra,
    }


class FlakySession(requests.Session):
    """A session whose first ``failures`` requests never get an answer."""

    def __init__(self, failures: int, error: Exception) -> None:
        super().__init__()
        self.failures = failures
        self.error = error

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        return super().request(method, url, *args, **kwargs)


class RecordingSession(requests.Session):
    """A session that notes the URL and timeout of every request sent through it."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.timeouts: list[object] = []

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.urls.append(url)
        self.timeouts.append(kwargs.get("timeout"))
        return super().request(method, url, *args, **kwargs)


class ClientTest(unittest.TestCase):
    """A client of a fresh scripted server, recording the waits between retries."""

    def setUp(self) -> None:
        self.server = FakeServer().__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.waits: list[float] = []
        self.client = self.make_client()

    def make_client(self, retries: int = 3, session: requests.Session | None = None) -> protus.Client:
        client = protus.Client(
            "cl_1",
            "sk_secret",
            self.server.url + "/",
            retries=retries,
            session=session,
            sleep=self.waits.append,
        )
        self.addCleanup(client.close if session is None else session.close)
        return client

    def keys(self) -> list[str | None]:
        return [r.headers.get("idempotency-key") for r in self.server.requests]


class RetriesAndKeysTest(ClientTest):
    def test_retries_a_503_with_the_same_idempotency_key_then_answers_the_charge(self) -> None:
        self.server.reply("POST", "/v1/charges", 503, problem(503, "service_unavailable"))
        self.server.reply("POST", "/v1/charges", 503, problem(503, "service_unavailable"))
        self.server.reply("POST", "/v1/charges", 201, CHARGE)
        self.assertEqual(self.client.charges.create(account="acct_1", amount=500), CHARGE)
        keys = self.keys()
        self.assertEqual(len(keys), 3)
        self.assertRegex(keys[0] or "", r"^[0-9a-f-]{36}$")
        self.assertEqual(len(set(keys)), 1)
        self.assertEqual(self.server.requests[0].json, {"account": "acct_1", "amount": 500})
        self.assertEqual(len(self.waits), 2)

    def test_retries_an_answer_lost_on_the_way_with_the_same_key(self) -> None:
        session = FlakySession(1, requests.ConnectionError("connection reset by peer"))
        client = self.make_client(session=session)
        self.server.reply("POST", "/v1/subscriptions", 201, {"id": "sub_1"})
        self.server.reply("POST", "/v1/subscriptions", 201, {"id": "sub_1"})
        self.assertEqual(client.subscriptions.create(account="acct_1", service="svc_pro")["id"], "sub_1")
        client.subscriptions.create(account="acct_1", service="svc_pro", idempotency_key="pro-u1")
        self.assertEqual(session.failures, 0)
        self.assertEqual(len(self.waits), 1)
        self.assertEqual(len(self.server.requests), 2)
        self.assertRegex(self.keys()[0] or "", r"^[0-9a-f-]{36}$")
        self.assertEqual(self.keys()[1], "pro-u1")

    def test_retries_a_timeout_of_an_attempt(self) -> None:
        session = FlakySession(2, requests.Timeout("read timed out"))
        client = self.make_client(session=session)
        self.server.reply("GET", "/v1/company", 200, {"id": "co_1"})
        self.assertEqual(client.company.get(), {"id": "co_1"})
        self.assertEqual(len(self.waits), 2)

    def test_uses_a_new_key_for_every_call_and_the_callers_key_when_given(self) -> None:
        for _ in range(3):
            self.server.reply("POST", "/v1/charges", 201, CHARGE)
        self.client.charges.create(account="acct_1", amount=500)
        self.client.charges.create(account="acct_1", amount=500)
        self.client.charges.create(account="acct_1", amount=500, idempotency_key="order-42")
        keys = self.keys()
        self.assertNotEqual(keys[0], keys[1])
        self.assertEqual(keys[2], "order-42")

    def test_retries_409_idempotency_request_in_progress_with_the_same_key(self) -> None:
        path = "/v1/holds/hold_1/capture"
        self.server.reply("POST", path, 409, problem(409, "idempotency_request_in_progress"))
        self.server.reply("POST", path, 200, {"id": "hold_1", "status": "captured"})
        self.client.holds.capture("hold_1", amount=100, idempotency_key="cap-1")
        self.assertEqual(self.keys(), ["cap-1", "cap-1"])
        self.assertEqual(self.server.requests[0].json, {"amount": 100})

    def test_never_retries_another_refusal(self) -> None:
        refusals = [
            (402, "insufficient_funds"),
            (400, "validation_failed"),
            (409, "hold_not_pending"),
            (422, "idempotency_key_reused"),
            (403, "insufficient_scope"),
        ]
        for status, code in refusals:
            with self.subTest(code=code):
                self.server.requests.clear()
                self.server.reply("POST", "/v1/charges", status, problem(status, code))
                self.server.reply("POST", "/v1/charges", 201, CHARGE)
                with self.assertRaises(protus.ProtusError) as caught:
                    self.client.charges.create(account="acct_1", amount=500)
                self.assertEqual((caught.exception.status, caught.exception.code), (status, code))
                self.assertEqual(len(self.server.requests), 1)
                self.client.charges.create(account="acct_1", amount=500)  # takes the queued 201
        self.assertEqual(self.waits, [])

    def test_waits_as_long_as_retry_after_asks_up_to_five_seconds(self) -> None:
        self.server.reply("GET", "/v1/company", 503, raw=b"busy", headers={"retry-after": "2"})
        self.server.reply("GET", "/v1/company", 503, raw=b"busy", headers={"retry-after": "120"})
        self.server.reply("GET", "/v1/company", 200, {"id": "co_1"})
        self.client.company.get()
        self.assertEqual(self.waits, [2.0, 5.0])

    def test_reads_retry_after_given_as_an_http_date(self) -> None:
        later = datetime.now(timezone.utc) + timedelta(seconds=3)
        header = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
        self.server.reply("GET", "/v1/company", 503, raw=b"busy", headers={"retry-after": header})
        self.server.reply("GET", "/v1/company", 200, {"id": "co_1"})
        self.client.company.get()
        self.assertEqual(len(self.waits), 1)
        self.assertTrue(1.0 < self.waits[0] <= 3.0, self.waits)

    def test_backs_off_exponentially_with_jitter_when_no_time_is_named(self) -> None:
        for _ in range(3):
            self.server.reply("GET", "/v1/company", 500, problem(500, "internal_error"))
        self.server.reply("GET", "/v1/company", 200, {"id": "co_1"})
        self.client.company.get()
        for wait, ceiling in zip(self.waits, [0.3, 0.6, 1.2], strict=True):
            self.assertTrue(ceiling / 2 <= wait <= ceiling, (wait, ceiling))

    def test_backoff_doubles_up_to_its_ceiling_within_the_upper_half(self) -> None:
        backoff = Backoff(base=0.1, maximum=1.0)
        self.assertEqual([backoff.delay(n, lambda: 1.0) for n in range(5)], [0.1, 0.2, 0.4, 0.8, 1.0])
        self.assertEqual([backoff.delay(n, lambda: 0.0) for n in range(5)], [0.05, 0.1, 0.2, 0.4, 0.5])

    def test_gives_up_with_connection_failed_when_the_connection_is_refused(self) -> None:
        nobody = f"http://127.0.0.1:{free_port()}"
        client = protus.Client("cl_1", "sk", nobody, retries=2, sleep=self.waits.append)
        self.addCleanup(client.close)
        with self.assertRaises(protus.ProtusError) as caught:
            client.charges.create(account="acct_1", amount=500)
        self.assertEqual((caught.exception.status, caught.exception.code), (0, "connection_failed"))
        self.assertIsInstance(caught.exception.__cause__, requests.ConnectionError)
        self.assertEqual(len(self.waits), 2)

    def test_gives_up_after_the_retries_with_the_last_server_error(self) -> None:
        client = self.make_client(retries=1)
        self.server.reply("GET", "/v1/accounts/acct_1", 500, problem(500, "internal_error"))
        self.server.reply("GET", "/v1/accounts/acct_1", 502, raw=b"<html>bad gateway</html>")
        self.server.reply("GET", "/v1/accounts/acct_1", 200, {"id": "acct_1"})
        with self.assertRaises(protus.ProtusError) as caught:
            client.accounts.get("acct_1")
        self.assertEqual((caught.exception.status, caught.exception.code), (502, "service_unavailable"))
        self.assertEqual(len(self.server.requests), 2)

    def test_gives_every_attempt_the_whole_timeout(self) -> None:
        session = RecordingSession()
        client = protus.Client(
            "cl_1", "sk", self.server.url, timeout=7.5, session=session, sleep=self.waits.append
        )
        self.addCleanup(session.close)
        self.server.reply("POST", "/v1/charges", 503, problem(503, "service_unavailable"))
        self.server.reply("POST", "/v1/charges", 201, CHARGE)
        client.charges.create(account="acct_1", amount=500)
        self.assertEqual(session.timeouts, [7.5, 7.5])

    def test_does_not_follow_a_redirect(self) -> None:
        self.server.reply("POST", "/v1/charges", 302, raw=b"", headers={"location": "/login"})
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.charges.create(account="acct_1", amount=500)
        self.assertEqual((caught.exception.code, caught.exception.status), ("unexpected_response", 302))
        self.assertEqual([r.path for r in self.server.requests], ["/v1/charges"])

    def test_sends_a_clock_move_once_without_a_key(self) -> None:
        self.server.reply("POST", "/v1/sandbox/clock", 503, problem(503, "service_unavailable"))
        self.server.reply("POST", "/v1/sandbox/clock", 200, {"now": "later"})
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.sandbox.advance_clock(60)
        self.assertEqual(caught.exception.code, "service_unavailable")
        self.assertEqual(len(self.server.requests), 1)
        self.assertEqual(self.server.requests[0].json, {"advance_seconds": 60})
        self.assertEqual(self.keys(), [None])

    def test_never_resends_a_clock_move_whose_answer_was_lost(self) -> None:
        session = FlakySession(1, requests.ConnectionError("socket hang up"))
        client = self.make_client(session=session)
        with self.assertRaises(protus.ProtusError) as caught:
            client.sandbox.advance_clock(60)
        self.assertEqual(caught.exception.code, "connection_failed")
        self.assertEqual((self.waits, self.server.requests), ([], []))


class ErrorsTest(ClientTest):
    def test_raises_the_subclass_of_each_common_code_with_its_details(self) -> None:
        cases = [
            (402, "insufficient_funds", protus.InsufficientFunds),
            (403, "insufficient_scope", protus.InsufficientScope),
            (403, "grant_revoked", protus.GrantRevoked),
            (402, "spending_limit_exceeded", protus.SpendingLimitExceeded),
        ]
        for status, code, kind in cases:
            with self.subTest(code=code):
                body = problem(status, code, scope="charge")
                self.server.reply("POST", "/v1/charges", status, body, headers={"x-request-id": "req_h"})
                with self.assertRaises(kind) as caught:
                    self.client.charges.create(account="acct_1", amount=500)
                error = caught.exception
                self.assertEqual(
                    (error.code, error.status, error.detail), (code, status, f"detail of {code}")
                )
                self.assertEqual((error.problem, error.request_id), (body, "req_1"))
        self.assertEqual(caught.exception.problem["scope"], "charge")

    def test_names_the_missing_scope_of_insufficient_scope(self) -> None:
        self.server.reply("POST", "/v1/holds", 403, problem(403, "insufficient_scope", scope="hold"))
        with self.assertRaises(protus.InsufficientScope) as caught:
            self.client.holds.create(account="acct_1", amount=100)
        self.assertEqual(caught.exception.scope, "hold")

    def test_gives_field_errors_of_validation_failed(self) -> None:
        errors = [{"pointer": "/amount", "message": "must be >= 1"}]
        self.server.reply("POST", "/v1/charges", 400, problem(400, "validation_failed", errors=errors))
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.charges.create(account="acct_1", service="svc_1")
        self.assertIs(type(caught.exception), protus.ProtusError)
        self.assertEqual(caught.exception.errors, errors)

    def test_gives_codes_to_answers_that_are_not_problems(self) -> None:
        client = self.make_client(retries=0)
        self.server.reply("GET", "/v1/company", 502, raw=b"<html>bad gateway</html>")
        self.server.reply("GET", "/v1/company", 418, raw=b"teapot")
        with self.assertRaises(protus.ProtusError) as caught:
            client.company.get()
        self.assertEqual((caught.exception.code, caught.exception.status), ("service_unavailable", 502))
        with self.assertRaises(protus.ProtusError) as caught:
            client.company.get()
        self.assertEqual((caught.exception.code, caught.exception.status), ("unexpected_response", 418))

    def test_refuses_a_success_that_is_not_json(self) -> None:
        self.server.reply("GET", "/v1/company", 200, raw=b"<html>welcome to the captive portal</html>")
        with self.assertRaises(protus.ProtusError) as caught:
            self.client.company.get()
        self.assertEqual((caught.exception.code, caught.exception.status), ("unexpected_response", 200))
        self.assertEqual(len(self.server.requests), 1)

    def test_refuses_amounts_that_are_not_positive_integers_before_sending_anything(self) -> None:
        for amount in (1.5, -1, 0, True, "100"):
            with self.subTest(amount=amount):
                with self.assertRaises(ValueError):
                    self.client.charges.create(account="acct_1", amount=amount)  # type: ignore[arg-type]
                with self.assertRaises(ValueError):
                    self.client.refunds.create("ch_1", amount=amount)  # type: ignore[arg-type]
                with self.assertRaises(ValueError):
                    self.client.accounts.create_topup("acct_1", amount=amount)  # type: ignore[arg-type]
                with self.assertRaises(ValueError):
                    self.client.sandbox.advance_clock(amount)  # type: ignore[arg-type]
        self.assertEqual(self.server.requests, [])

    def test_refuses_an_empty_id_that_would_address_another_endpoint(self) -> None:
        with self.assertRaises(ValueError):
            self.client.charges.get("")
        self.assertEqual(self.server.requests, [])


class RequestsTest(ClientTest):
    def test_authenticates_with_basic_client_credentials_each_part_form_encoded(self) -> None:
        client = protus.Client("client id", "s:cret/+", self.server.url, sleep=self.waits.append)
        self.addCleanup(client.close)
        self.server.reply("GET", "/v1/company", 200, {})
        client.company.get()
        headers = self.server.requests[0].headers
        scheme, _, encoded = headers["authorization"].partition(" ")
        self.assertEqual(scheme, "Basic")
        self.assertEqual(base64.b64decode(encoded).decode(), "client+id:s%3Acret%2F%2B")
        self.assertEqual(headers["user-agent"], f"protus-python/{protus.__version__}")
        self.assertEqual(headers["accept"], "application/json")

    def test_sends_a_creation_range_as_created_gte_and_created_lt(self) -> None:
        for _ in range(3):
            self.server.reply("GET", "/v1/charges", 200, {"data": [], "has_more": False})
        moscow = timezone(timedelta(hours=3))
        self.client.charges.list(service="svc_1", created_gte=datetime(2026, 11, 1, tzinfo=timezone.utc))
        self.client.charges.list(created_gte=datetime(2026, 11, 1, 3, 0, 0, 250_000, tzinfo=moscow))
        self.client.charges.list(created_lt="2026-12-01T00:00:00+03:00", created_gte=None)
        self.server.reply("GET", "/v1/reports/revenue", 200, {"data": []})
        self.client.reports.revenue(group_by="day", created_lt=datetime(2026, 12, 1))
        self.assertEqual(
            [r.query for r in self.server.requests],
            [
                {"service": "svc_1", "created[gte]": "2026-11-01T00:00:00.000Z"},
                {"created[gte]": "2026-11-01T00:00:00.250Z"},
                {"created[lt]": "2026-12-01T00:00:00+03:00"},
                {"group_by": "day", "created[lt]": "2026-12-01T00:00:00.000Z"},
            ],
        )

    def test_escapes_ids_in_paths(self) -> None:
        self.server.reply("GET", "/v1/charges/ch_1%2F..%2F..%2Fcompany", 200, {"id": "x"})
        self.server.reply("GET", "/v1/accounts/acct%201%3Fx%3D1/balance", 200, {"available": 0})
        self.client.charges.get("ch_1/../../company")
        self.client.accounts.balance("acct 1?x=1")
        self.assertEqual(
            [r.path for r in self.server.requests],
            ["/v1/charges/ch_1%2F..%2F..%2Fcompany", "/v1/accounts/acct%201%3Fx%3D1/balance"],
        )
        self.assertEqual(self.server.requests[1].query, {})

    def test_sends_booleans_in_the_query_as_the_api_spells_them(self) -> None:
        self.server.reply("GET", "/v1/services", 200, {"data": [], "has_more": False})
        self.client.services.list(active=False, limit=5)
        self.assertEqual(self.server.requests[0].query, {"active": "false", "limit": "5"})

    def test_derives_the_ensure_key_from_the_users_details(self) -> None:
        account = {"id": "acct_1", "kind": "managed"}
        for _ in range(4):
            self.server.reply("POST", "/v1/accounts", 200, account)
        self.client.ensure_account("user-7", email="a@example.com")
        self.client.ensure_account("user-7", email="a@example.com")
        self.client.accounts.ensure("user-7", email="b@example.com")
        self.client.accounts.ensure("user-7", idempotency_key="mine")
        keys = self.keys()
        # The key the TypeScript SDK derives for the same user, so both find the same account.
        self.assertEqual(keys[0], "ensure-account-xpPuQizBJ5Gy6-me1u6h72ASXDW9tezD21KdnSVg0hU")
        self.assertEqual(keys[1], keys[0])
        self.assertNotIn(keys[2], (keys[0], None))
        self.assertEqual(keys[3], "mine")
        self.assertEqual(self.server.requests[0].json, {"external_id": "user-7", "email": "a@example.com"})

    def test_derives_the_typescript_sdks_key_for_details_beyond_ascii(self) -> None:
        key = ensure_key("user-7", "a@example.com", 'Ann Ünïcode "q" \u2028')
        self.assertEqual(key, "ensure-account-S8tsVjqfGr9qGHXjhtEDUW-eCwm47VrVN3uRuHqYpNQ")

    def test_sends_no_key_on_get_and_patch(self) -> None:
        self.server.reply("GET", "/v1/holds", 200, {"data": [], "has_more": False})
        self.server.reply("PATCH", "/v1/services/svc_1", 200, {"id": "svc_1"})
        self.client.holds.list(account="acct_1", limit=5, starting_after=None)
        self.client.services.update("svc_1", active=False)
        self.assertEqual(self.keys(), [None, None])
        self.assertEqual(self.server.requests[0].query, {"account": "acct_1", "limit": "5"})
        self.assertEqual(self.server.requests[1].json, {"active": False})
        self.assertEqual(self.server.requests[1].headers["content-type"], "application/json")

    def test_removes_the_webhook_url_only_when_asked_with_none(self) -> None:
        self.server.reply("PATCH", "/v1/company", 200, {})
        self.server.reply("PATCH", "/v1/company", 200, {})
        self.client.company.update(name="Messages")
        self.client.company.update(webhook_url=None)
        self.assertEqual(
            [r.json for r in self.server.requests], [{"name": "Messages"}, {"webhook_url": None}]
        )


#: Each call of the client and the request it makes: method, path, JSON body (None: no body).
ENDPOINTS = [
    (lambda c: c.accounts.get("acct_1"), "GET", "/v1/accounts/acct_1", None),
    (lambda c: c.accounts.balance("acct_1"), "GET", "/v1/accounts/acct_1/balance", None),
    (
        lambda c: c.accounts.create_topup("acct_1", amount=5000, return_url="https://m.example/a"),
        "POST",
        "/v1/accounts/acct_1/topups",
        {"amount": 5000, "return_url": "https://m.example/a"},
    ),
    (
        lambda c: c.holds.create(account="acct_1", service="svc_1", quantity=3, expires_in=600),
        "POST",
        "/v1/holds",
        {"account": "acct_1", "service": "svc_1", "quantity": 3, "expires_in": 600},
    ),
    (lambda c: c.holds.get("hold_1"), "GET", "/v1/holds/hold_1", None),
    (lambda c: c.holds.capture("hold_1"), "POST", "/v1/holds/hold_1/capture", {}),
    (lambda c: c.holds.release("hold_1"), "POST", "/v1/holds/hold_1/release", {}),
    (
        lambda c: c.charges.create(account="acct_1", amount=100, description="d", metadata={"order": "7"}),
        "POST",
        "/v1/charges",
        {"account": "acct_1", "amount": 100, "description": "d", "metadata": {"order": "7"}},
    ),
    (lambda c: c.charges.get("ch_1"), "GET", "/v1/charges/ch_1", None),
    (lambda c: c.refunds.create("ch_1"), "POST", "/v1/charges/ch_1/refunds", {}),
    (lambda c: c.refunds.create("ch_1", amount=50), "POST", "/v1/charges/ch_1/refunds", {"amount": 50}),
    (lambda c: c.balance.retrieve(), "GET", "/v1/balance", None),
    (lambda c: c.payouts.retrieve("po_1"), "GET", "/v1/payouts/po_1", None),
    (lambda c: c.reports.revenue(group_by="month"), "GET", "/v1/reports/revenue", None),
    (lambda c: c.services.get("svc_1"), "GET", "/v1/services/svc_1", None),
    (
        lambda c: c.services.create(name="Pro", price=29_900, recurring={"interval": "month", "count": 1}),
        "POST",
        "/v1/services",
        {"name": "Pro", "price": 29_900, "recurring": {"interval": "month", "count": 1}},
    ),
    (lambda c: c.services.update("svc_1", name="Client", price=15_000), "PATCH", "/v1/services/svc_1",
     {"name": "Client", "price": 15_000}),
    (
        lambda c: c.subscriptions.create(account="acct_1", service="svc_pro", quantity=2),
        "POST",
        "/v1/subscriptions",
        {"account": "acct_1", "service": "svc_pro", "quantity": 2},
    ),
    (lambda c: c.subscriptions.retrieve("sub_1"), "GET", "/v1/subscriptions/sub_1", None),
    (lambda c: c.subscriptions.cancel("sub_1"), "POST", "/v1/subscriptions/sub_1/cancel", {}),
    (
        lambda c: c.subscriptions.cancel("sub_1", at_period_end=False),
        "POST",
        "/v1/subscriptions/sub_1/cancel",
        {"at_period_end": False},
    ),
    (lambda c: c.sandbox.clock(), "GET", "/v1/sandbox/clock", None),
    (lambda c: c.webhook_deliveries.get("whd_1"), "GET", "/v1/webhook-deliveries/whd_1", None),
    (lambda c: c.webhook_deliveries.retry("whd_1"), "POST", "/v1/webhook-deliveries/whd_1/retry", {}),
    (lambda c: c.company.get(), "GET", "/v1/company", None),
    (
        lambda c: c.company.update(
            redirect_uris=["https://m.example/cb"], webhook_url="https://m.example/wh"
        ),
        "PATCH",
        "/v1/company",
        {"redirect_uris": ["https://m.example/cb"], "webhook_url": "https://m.example/wh"},
    ),
    (lambda c: c.company.webhook_endpoint(), "GET", "/v1/company/webhooks", None),
    (lambda c: c.company.send_test_webhook(), "POST", "/v1/company/webhooks/test", {}),
]


class EndpointsTest(ClientTest):
    def test_calls_each_endpoint_of_the_api_with_its_body_and_answers_its_json(self) -> None:
        for call, method, path, body in ENDPOINTS:
            with self.subTest(method=method, path=path, body=body):
                self.server.requests.clear()
                answer = {"id": "x_1", "path": path}
                self.server.reply(method, path, 200, answer)
                self.assertEqual(call(self.client), answer)
                [request] = self.server.requests
                self.assertEqual((request.method, request.path, request.json), (method, path, body))
                self.assertEqual(request.headers.get("idempotency-key") is not None, method == "POST")

    def test_pages_every_list_of_the_client_after_its_last_id(self) -> None:
        lists = [
            ("/v1/accounts", lambda c: c.accounts.list()),
            ("/v1/accounts/acct_1/topups", lambda c: c.accounts.list_topups("acct_1")),
            ("/v1/holds", lambda c: c.holds.list()),
            ("/v1/charges", lambda c: c.charges.list()),
            ("/v1/refunds", lambda c: c.refunds.list()),
            ("/v1/services", lambda c: c.services.list(active=True)),
            ("/v1/subscriptions", lambda c: c.subscriptions.list()),
            ("/v1/webhook-deliveries", lambda c: c.webhook_deliveries.list(status="failed")),
            ("/v1/balance_transactions", lambda c: c.balance_transactions.list()),
            ("/v1/payouts", lambda c: c.payouts.list()),
        ]
        for path, make_list in lists:
            with self.subTest(path=path):
                self.server.requests.clear()
                self.server.reply("GET", path, 200, {"data": [{"id": "x_2"}], "has_more": True})
                self.server.reply("GET", path, 200, {"data": [{"id": "x_1"}], "has_more": False})
                self.assertEqual([item["id"] for item in make_list(self.client)], ["x_2", "x_1"])
                self.assertEqual([r.path for r in self.server.requests], [path, path])
                self.assertEqual(self.server.requests[1].query.get("starting_after"), "x_2")


class OAuthTest(ClientTest):
    def test_signs_in_with_the_same_credentials_base_url_and_session(self) -> None:
        session = RecordingSession()
        client = self.make_client(session=session)
        metadata = {
            "issuer": self.server.url,
            "authorization_endpoint": f"{self.server.url}/oauth/authorize",
            "token_endpoint": f"{self.server.url}/oauth/token",
            "introspection_endpoint": f"{self.server.url}/oauth/introspect",
            "revocation_endpoint": f"{self.server.url}/oauth/revoke",
            "userinfo_endpoint": f"{self.server.url}/oauth/userinfo",
            "code_challenge_methods_supported": ["S256"],
        }
        self.server.handler("GET", "/.well-known/oauth-authorization-server", lambda r: Answer(200, metadata))
        self.server.reply("POST", "/oauth/introspect", 200, {"active": False})
        self.server.reply("GET", "/v1/company", 200, {})
        client.company.get()
        self.assertIsInstance(client.oauth, protus.OAuth)
        self.assertIs(client.oauth, client.oauth)
        self.assertEqual(client.oauth.introspect("tok_1")["active"], False)
        [introspection] = self.server.requests_to("POST", "/oauth/introspect")
        basic = self.server.requests[0].headers["authorization"]
        self.assertEqual(introspection.headers.get("authorization"), basic)
        self.assertIn(f"{self.server.url}/oauth/introspect", session.urls)
        request = client.oauth.authorization_url("https://m.example/cb")
        self.assertTrue(request.url.startswith(f"{self.server.url}/oauth/authorize?"), request.url)


if __name__ == "__main__":
    unittest.main()
