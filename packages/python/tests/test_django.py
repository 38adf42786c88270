"""Unit tests of ``protus.django`` with a stubbed PROTUS client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from tests import django_settings

django_settings.configure()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import TestCase, override_settings  # noqa: E402

import protus  # noqa: E402
import protus.errors  # noqa: E402
import protus.django  # noqa: E402
from protus.django import account_of, conf, ensure_account, fresh_tokens, signals  # noqa: E402
from protus.django.models import ProtusAccount, ProtusWebhookEvent  # noqa: E402
from protus.oauth import AuthorizationRequest, SignIn, TokenSet  # noqa: E402
from tests.support.fake_server import FakeServer  # noqa: E402

User = get_user_model()
SECRET = django_settings.PROTUS["WEBHOOK_SECRET"]
_databases = None


def setUpModule() -> None:
    global _databases
    _databases = django_settings.create_test_databases()


def tearDownModule() -> None:
    django_settings.destroy_test_databases(_databases)


def stub_client() -> mock.MagicMock:
    """A stand-in for ``protus.Client``: every call is recorded, answers are set per test."""
    client = mock.MagicMock(spec_set=["oauth", "ensure_account", "charges"])
    client.oauth = mock.MagicMock(
        spec_set=["authorization_url", "handle_callback", "introspect", "forget_account", "refresh"]
    )
    return client


def tokens(access: str = "pat_1", refresh: str = "prt_1", expires_in: float = 600.0) -> TokenSet:
    return TokenSet(
        access_token=access,
        refresh_token=refresh,
        scopes=["check", "hold", "charge", "profile"],
        expires_at=time.time() + expires_in,
    )


def sign_in(account_id: str = "acct_ann", scopes=("check", "hold", "charge", "profile"), **user) -> SignIn:
    info = {"sub": account_id, "preferred_username": "ann", **user}
    return SignIn(account_id=account_id, scopes=list(scopes), tokens=tokens(), user=info)


def signed(event_type: str, data: dict, event_id: str = "msg_1", secret: str = SECRET) -> tuple[bytes, dict]:
    """A webhook body and its Standard Webhooks headers, as the test client takes them."""
    body = json.dumps({"type": event_type, "timestamp": "2026-01-01T00:00:00Z", "data": data}).encode()
    timestamp = str(int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "HTTP_WEBHOOK_ID": event_id,
        "HTTP_WEBHOOK_TIMESTAMP": timestamp,
        "HTTP_WEBHOOK_SIGNATURE": "v1," + base64.b64encode(digest).decode(),
    }
    return body, headers


class StubbedClientTestCase(TestCase):
    """Each test gets ``self.protus``, the client ``get_client()`` answers."""

    def setUp(self) -> None:
        self.protus = stub_client()
        patcher = mock.patch("protus.django.get_client", return_value=self.protus)
        patcher.start()
        self.addCleanup(patcher.stop)

    def user_with_account(self, username: str = "ann", scopes: str = "check profile") -> object:
        user = User.objects.create_user(username, f"{username}@example.com", "password")
        ProtusAccount.objects.create(user=user, account_id=f"acct_{username}", scopes=scopes)
        return user

    def receive(self, signal) -> list[dict]:
        """The events ``signal`` is sent with during the test."""
        events: list[dict] = []

        def receiver(sender, event, **kwargs):
            events.append(event)

        signal.connect(receiver, weak=False)
        self.addCleanup(signal.disconnect, receiver)
        return events


class SettingsTests(TestCase):
    def test_missing_required_settings_are_all_named(self) -> None:
        with override_settings(PROTUS={"BASE_URL": "http://127.0.0.1:9"}):
            with self.assertRaisesRegex(ImproperlyConfigured, "CLIENT_ID, CLIENT_SECRET"):
                conf.protus_settings()

    def test_the_client_is_made_once_from_the_settings_and_again_when_they_change(self) -> None:
        first = protus.django.get_client()
        self.assertIs(protus.django.get_client(), first)
        self.assertEqual(first.oauth.client_id, "cl_tests")
        other = {**django_settings.PROTUS, "CLIENT_ID": "cl_other"}
        with override_settings(PROTUS=other):
            self.assertEqual(protus.django.get_client().oauth.client_id, "cl_other")


class LoginTests(StubbedClientTestCase):
    def test_login_keeps_the_sign_in_in_the_session_and_sends_the_browser_to_protus_with_pkce(self) -> None:
        metadata = {
            "issuer": "http://protus.test",
            "authorization_endpoint": "http://protus.test/oauth/authorize",
            "token_endpoint": "http://protus.test/oauth/token",
        }
        with FakeServer() as server:
            server.reply("GET", "/.well-known/oauth-authorization-server", 200, metadata)
            session = requests.Session()
            self.addCleanup(session.close)
            self.protus.oauth = protus.OAuth("cl_tests", "secret", server.url, session=session)
            response = self.client.get("/protus/login/", {"next": "/clients/?page=2"})
        self.assertEqual(response.status_code, 302)
        location = urlsplit(response["Location"])
        self.assertEqual(location.netloc, "protus.test")
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        self.assertEqual(query["redirect_uri"], "http://testserver/protus/callback/")
        self.assertEqual(query["scope"], "check hold charge profile")
        self.assertEqual(query["code_challenge_method"], "S256")
        kept = self.client.session["protus_sign_in"][query["state"]]
        challenge = base64.urlsafe_b64encode(hashlib.sha256(kept["code_verifier"].encode()).digest())
        self.assertEqual(query["code_challenge"], challenge.rstrip(b"=").decode())
        self.assertEqual(kept["redirect_uri"], "http://testserver/protus/callback/")
        self.assertEqual(kept["next"], "/clients/?page=2")

    def test_login_asks_for_the_scopes_the_link_names(self) -> None:
        self.protus.oauth.authorization_url.return_value = AuthorizationRequest("http://protus.test/a", "s1", "v1")
        self.client.get("/protus/login/", {"scope": "check charge"})
        self.protus.oauth.authorization_url.assert_called_once_with(
            "http://testserver/protus/callback/", scope="check charge", state=None
        )

    def test_login_uses_the_configured_redirect_uri(self) -> None:
        self.protus.oauth.authorization_url.return_value = AuthorizationRequest("http://protus.test/a", "s1", "v1")
        settings = {**django_settings.PROTUS, "REDIRECT_URI": "https://messages.example/protus/callback/"}
        with override_settings(PROTUS=settings):
            self.client.get("/protus/login/")
        self.assertEqual(
            self.protus.oauth.authorization_url.call_args.args[0], "https://messages.example/protus/callback/"
        )

    def test_login_answers_only_get(self) -> None:
        self.assertEqual(self.client.post("/protus/login/").status_code, 405)


class CallbackTests(StubbedClientTestCase):
    def start(self, state: str = "st_1", next: str | None = None) -> None:
        self.protus.oauth.authorization_url.return_value = AuthorizationRequest(
            "http://protus.test/oauth/authorize", state, f"verifier-{state}"
        )
        self.client.get("/protus/login/", {"next": next} if next else {})

    def test_callback_creates_a_user_with_the_account_and_tokens_and_signs_them_in(self) -> None:
        self.start(next="/clients/")
        self.protus.oauth.handle_callback.return_value = sign_in(email="ann@example.com")
        response = self.client.get("/protus/callback/", {"code": "c1", "state": "st_1", "iss": "x"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/clients/")
        call = self.protus.oauth.handle_callback.call_args.kwargs
        self.assertEqual(call["state"], "st_1")
        self.assertEqual(call["code_verifier"], "verifier-st_1")
        self.assertEqual(call["redirect_uri"], "http://testserver/protus/callback/")
        self.assertEqual(call["params"]["code"], "c1")
        account = ProtusAccount.objects.get(account_id="acct_ann")
        self.assertEqual(account.user.username, "ann")
        self.assertEqual(account.user.email, "ann@example.com")
        self.assertFalse(account.user.has_usable_password())
        self.assertEqual(account.scope_list, ["check", "hold", "charge", "profile"])
        self.assertEqual(account.token_set().access_token, "pat_1")
        self.assertEqual(account.token_set().refresh_token, "prt_1")
        self.assertFalse(account.managed)
        self.assertEqual(int(self.client.session["_auth_user_id"]), account.user.pk)

    def test_a_second_sign_in_finds_the_same_user_and_a_new_person_gets_a_free_username(self) -> None:
        User.objects.create_user("ann", "other@example.com", "password")
        self.start()
        self.protus.oauth.handle_callback.return_value = sign_in()
        self.client.get("/protus/callback/", {"code": "c1", "state": "st_1"})
        first = ProtusAccount.objects.get(account_id="acct_ann").user
        self.assertEqual(first.username, "ann-2")
        self.assertEqual(first.email, "")
        self.client.logout()
        self.start("st_2")
        self.protus.oauth.handle_callback.return_value = sign_in(scopes=["check"])
        self.client.get("/protus/callback/", {"code": "c2", "state": "st_2"})
        self.assertEqual(User.objects.count(), 2)
        self.assertEqual(int(self.client.session["_auth_user_id"]), first.pk)
        self.assertEqual(ProtusAccount.objects.get(account_id="acct_ann").scope_list, ["check"])

    def test_callback_links_the_account_to_the_user_signed_in_already(self) -> None:
        bob = User.objects.create_user("bob", "bob@example.com", "password")
        self.client.force_login(bob)
        self.start()
        self.protus.oauth.handle_callback.return_value = sign_in()
        self.client.get("/protus/callback/", {"code": "c1", "state": "st_1"})
        self.assertEqual(ProtusAccount.objects.get(account_id="acct_ann").user, bob)
        self.assertEqual(User.objects.count(), 1)
        self.assertTrue(User.objects.get(pk=bob.pk).has_usable_password())

    def test_the_state_of_a_sign_in_works_once(self) -> None:
        self.start()
        self.protus.oauth.handle_callback.return_value = sign_in()
        self.assertEqual(self.client.get("/protus/callback/", {"code": "c1", "state": "st_1"}).status_code, 302)
        again = self.client.get("/protus/callback/", {"code": "c1", "state": "st_1"})
        self.assertEqual(again.status_code, 400)
        self.assertContains(again, "expired or was used already", status_code=400)
        self.assertEqual(self.protus.oauth.handle_callback.call_count, 1)

    def test_two_sign_ins_started_in_two_tabs_both_finish(self) -> None:
        self.start("st_1", next="/one/")
        self.start("st_2", next="/two/")
        self.protus.oauth.handle_callback.return_value = sign_in()
        self.assertEqual(self.client.get("/protus/callback/", {"state": "st_1", "code": "a"})["Location"], "/one/")
        self.assertEqual(self.client.get("/protus/callback/", {"state": "st_2", "code": "b"})["Location"], "/two/")

    def test_a_next_leading_off_the_site_is_replaced_by_the_login_redirect_url(self) -> None:
        self.protus.oauth.handle_callback.return_value = sign_in()
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
            with self.subTest(target=target):
                self.start("st_x", next=target)
                response = self.client.get("/protus/callback/", {"code": "c", "state": "st_x"})
                self.assertEqual(response["Location"], "/home/")

    def test_a_person_who_denies_gets_the_error_page_with_403_and_is_not_signed_in(self) -> None:
        self.start(next="/clients/")
        self.protus.oauth.handle_callback.side_effect = protus.OAuthError("access_denied", "The person denied")
        response = self.client.get("/protus/callback/", {"error": "access_denied", "state": "st_1"})
        self.assertContains(response, "You did not allow", status_code=403)
        self.assertContains(response, "/protus/login/?next=%2Fclients%2F", status_code=403)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(User.objects.count(), 0)

    def test_a_forged_answer_gets_the_error_page_with_400(self) -> None:
        self.start()
        self.protus.oauth.handle_callback.side_effect = protus.OAuthError("issuer_mismatch", "expected iss")
        response = self.client.get("/protus/callback/", {"code": "c", "state": "st_1", "iss": "http://evil"})
        self.assertContains(response, "issuer_mismatch", status_code=400)
        self.assertEqual(ProtusAccount.objects.count(), 0)


class ScopeGuardTests(StubbedClientTestCase):
    def test_nobody_signed_in_gets_401_unauthenticated(self) -> None:
        response = self.client.get("/clients/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(response["WWW-Authenticate"], "Bearer")
        self.assertEqual(response.json()["code"], "unauthenticated")

    def test_a_browser_with_nobody_signed_in_is_sent_to_sign_in_and_back(self) -> None:
        response = self.client.get("/clients/?page=2", HTTP_ACCEPT="text/html,*/*")
        self.assertEqual(response.status_code, 302)
        location = urlsplit(response["Location"])
        self.assertEqual(location.path, "/protus/login/")
        query = parse_qs(location.query)
        self.assertEqual(query["next"], ["/clients/?page=2"])
        self.assertEqual(query["scope"], ["check hold charge profile"])

    def test_a_missing_scope_gets_403_with_a_link_asking_for_the_granted_and_missing_scopes(self) -> None:
        self.client.force_login(self.user_with_account(scopes="profile check"))
        response = self.client.get("/clients/?page=2")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertNotIn("WWW-Authenticate", response)
        problem = response.json()
        self.assertEqual(problem["code"], "insufficient_scope")
        self.assertEqual(problem["scope"], "charge")
        self.assertEqual(problem["missing_scopes"], ["charge"])
        self.assertEqual(
            problem["reconsent_url"], "/protus/login/?scope=check%20charge%20profile&next=%2Fclients%2F%3Fpage%3D2"
        )

    def test_a_browser_missing_a_scope_gets_a_page_with_the_reconsent_link(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check"))
        response = self.client.get("/clients/", HTTP_ACCEPT="text/html")
        self.assertContains(response, 'href="/protus/login/?scope=check%20charge&amp;next=%2Fclients%2F"', status_code=403)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")

    def test_a_form_post_missing_a_scope_comes_back_to_the_page_that_sent_it(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check"))
        response = self.client.post("/charge/", {"service": "svc_1"}, HTTP_REFERER="http://testserver/clients/new/")
        self.assertEqual(parse_qs(urlsplit(response.json()["reconsent_url"]).query)["next"], ["/clients/new/"])
        foreign = self.client.post("/charge/", {"service": "svc_1"}, HTTP_REFERER="https://evil.example/x")
        self.assertEqual(parse_qs(urlsplit(foreign.json()["reconsent_url"]).query)["next"], ["/charge/"])

    def test_a_person_who_allows_the_scope_is_let_through_with_their_account(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check hold charge"))
        response = self.client.get("/clients/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"account": "acct_ann", "via": "session"})
        self.protus.oauth.introspect.assert_not_called()

    def test_a_live_bearer_access_token_is_let_through_as_its_account(self) -> None:
        self.protus.oauth.introspect.return_value = {
            "active": True, "token_type": "Bearer", "sub": "acct_tok", "scopes": ["check", "charge"]
        }
        response = self.client.get("/clients/", HTTP_AUTHORIZATION="Bearer pat_live")
        self.assertEqual(response.json(), {"account": "acct_tok", "via": "token"})
        self.protus.oauth.introspect.assert_called_once_with("pat_live")

    def test_a_bearer_token_missing_a_scope_gets_403_with_the_scope_in_www_authenticate(self) -> None:
        self.protus.oauth.introspect.return_value = {
            "active": True, "token_type": "Bearer", "sub": "acct_tok", "scopes": ["check"]
        }
        response = self.client.get("/clients/", HTTP_AUTHORIZATION="Bearer pat_live")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer error="insufficient_scope", scope="charge"')

    def test_a_refresh_token_or_a_dead_token_is_refused_as_invalid_even_for_a_signed_in_user(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check hold charge"))
        answers = [
            {"active": True, "token_type": "refresh_token", "sub": "acct_ann", "scopes": ["charge"]},
            {"active": False},
        ]
        for answer in answers:
            with self.subTest(answer=answer):
                self.protus.oauth.introspect.return_value = answer
                response = self.client.get("/clients/", HTTP_AUTHORIZATION="Bearer prt_x", HTTP_ACCEPT="text/html")
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response["WWW-Authenticate"], 'Bearer error="invalid_token"')
                self.assertIn("invalid, expired or revoked", response.json()["detail"])


class PermissionTests(StubbedClientTestCase):
    def test_nobody_signed_in_gets_the_same_401_problem_from_drf(self) -> None:
        response = self.client.get("/api/clients/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], "Bearer")
        self.assertEqual(response.json()["code"], "unauthenticated")
        self.assertEqual(response.json()["status"], 401)

    def test_a_missing_scope_gets_the_same_403_problem_from_drf(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check charge"))
        response = self.client.get("/api/clients/")
        self.assertEqual(response.status_code, 403)
        problem = response.json()
        self.assertEqual(problem["code"], "insufficient_scope")
        self.assertEqual(problem["status"], 403)
        self.assertEqual(problem["missing_scopes"], ["hold"])
        self.assertEqual(problem["reconsent_url"], "/protus/login/?scope=check%20hold%20charge&next=%2Fapi%2Fclients%2F")

    def test_drf_lets_a_person_with_the_scopes_through(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check hold charge"))
        response = self.client.get("/api/clients/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"account": "acct_ann", "via": "session"})

    def test_drf_takes_a_bearer_token_and_refuses_a_dead_one(self) -> None:
        self.protus.oauth.introspect.return_value = {
            "active": True, "token_type": "Bearer", "sub": "acct_tok", "scopes": ["hold", "charge"]
        }
        self.assertEqual(
            self.client.get("/api/clients/", HTTP_AUTHORIZATION="Bearer pat_a").json(),
            {"account": "acct_tok", "via": "token"},
        )
        self.protus.oauth.introspect.return_value = {"active": False}
        dead = self.client.get("/api/clients/", HTTP_AUTHORIZATION="Bearer pat_b")
        self.assertEqual(dead.status_code, 401)
        self.assertEqual(dead["WWW-Authenticate"], 'Bearer error="invalid_token"')


    def test_drf_answers_a_protus_refusal_raised_by_a_view_with_the_problem_protus_sent(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check hold charge"))
        problem = {"type": "https://protus.dev/problems/insufficient_funds", "status": 402,
                   "code": "insufficient_funds", "detail": "available 50, needs 100"}
        self.protus.charges.create.side_effect = protus.errors.problem_error(402, problem, "req_1")
        response = self.client.post("/api/clients/")
        self.assertEqual((response.status_code, response["Content-Type"]), (402, "application/problem+json"))
        self.assertEqual(response.json(), problem)

    def test_drf_leaves_a_failure_of_protus_itself_to_django_as_a_500(self) -> None:
        self.client.force_login(self.user_with_account(scopes="check hold charge"))
        self.protus.charges.create.side_effect = protus.ProtusError(status=0, code="connection_failed")
        with self.assertRaises(protus.ProtusError):
            self.client.post("/api/clients/")


class WebhookTests(StubbedClientTestCase):
    def post(self, body: bytes, headers: dict):
        return self.client.post("/protus/webhook/", body, content_type="application/json", **headers)

    def test_a_valid_event_is_recorded_and_its_signals_sent_once(self) -> None:
        received, typed = self.receive(signals.webhook_received), self.receive(signals.charge_succeeded)
        body, headers = signed("charge.succeeded", {"object": "charge", "id": "ch_1"})
        response = self.post(body, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"received": True})
        self.assertEqual([e["data"]["id"] for e in typed], ["ch_1"])
        self.assertEqual(received, typed)
        self.assertEqual(typed[0]["id"], "msg_1")
        self.assertEqual(typed[0]["type"], "charge.succeeded")
        self.assertTrue(ProtusWebhookEvent.objects.filter(event_id="msg_1", type="charge.succeeded").exists())

    def test_a_redelivered_event_is_answered_as_a_duplicate_without_the_signals(self) -> None:
        typed, duplicates = self.receive(signals.for_type("charge.succeeded")), self.receive(signals.webhook_duplicate)
        body, headers = signed("charge.succeeded", {"object": "charge", "id": "ch_1"})
        self.post(body, headers)
        again = self.post(body, headers)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json(), {"received": True, "duplicate": True})
        self.assertEqual(len(typed), 1)
        self.assertEqual([e["id"] for e in duplicates], ["msg_1"])

    def test_a_bad_signature_gets_400_and_nothing_is_recorded(self) -> None:
        received = self.receive(signals.webhook_received)
        body, headers = signed("charge.succeeded", {"id": "ch_1"}, secret="whsec_" + base64.b64encode(b"x" * 24).decode())
        response = self.post(body, headers)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"received": False, "error": "no_matching_signature"})
        unsigned = self.post(body, {})
        self.assertEqual(unsigned.json()["error"], "missing_headers")
        self.assertEqual(received, [])
        self.assertEqual(ProtusWebhookEvent.objects.count(), 0)

    def test_both_secrets_of_a_rotation_are_accepted(self) -> None:
        new = "whsec_" + base64.b64encode(b"n" * 24).decode()
        body, headers = signed("ping", {}, secret=SECRET)
        with override_settings(PROTUS={**django_settings.PROTUS, "WEBHOOK_SECRET": [new, SECRET]}):
            self.assertEqual(self.post(body, headers).status_code, 200)

    def test_a_receiver_that_raises_gets_500_and_the_redelivery_is_handled(self) -> None:
        calls: list[str] = []

        def flaky(sender, event, **kwargs):
            calls.append(event["id"])
            if len(calls) == 1:
                raise RuntimeError("the database of orders is down")

        signals.hold_captured.connect(flaky)
        self.addCleanup(signals.hold_captured.disconnect, flaky)
        body, headers = signed("hold.captured", {"id": "hold_1"}, event_id="msg_flaky")
        failed = self.post(body, headers)
        self.assertEqual(failed.status_code, 500)
        self.assertFalse(ProtusWebhookEvent.objects.filter(event_id="msg_flaky").exists())
        retried = self.post(body, headers)
        self.assertEqual(retried.json(), {"received": True})
        self.assertEqual(calls, ["msg_flaky", "msg_flaky"])
        self.assertTrue(ProtusWebhookEvent.objects.filter(event_id="msg_flaky").exists())

    def test_get_is_not_allowed(self) -> None:
        response = self.client.get("/protus/webhook/")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "POST")

    def test_grant_revoked_forgets_the_stored_scopes_and_tokens_and_cached_introspections(self) -> None:
        user = self.user_with_account(scopes="check hold charge")
        account = user.protus_account
        account.set_tokens(tokens())
        account.save()
        body, headers = signed("grant.revoked", {"object": "grant", "account": "acct_ann", "scopes": []})
        self.assertEqual(self.post(body, headers).status_code, 200)
        account.refresh_from_db()
        self.assertEqual((account.scopes, account.token_set()), ("", None))
        self.protus.oauth.forget_account.assert_called_once_with("acct_ann")

    def test_grant_created_and_updated_store_the_grants_scopes(self) -> None:
        self.user_with_account(scopes="check")
        data = {"object": "grant", "account": "acct_ann", "scopes": ["check", "charge"], "monthly_limit": None}
        body, headers = signed("grant.updated", data, event_id="msg_u")
        self.post(body, headers)
        self.assertEqual(ProtusAccount.objects.get(account_id="acct_ann").scopes, "check charge")
        body, headers = signed("grant.created", {**data, "scopes": ["check", "hold"]}, event_id="msg_c")
        self.post(body, headers)
        self.assertEqual(ProtusAccount.objects.get(account_id="acct_ann").scopes, "check hold")

    def test_every_event_type_has_its_signal_attribute(self) -> None:
        for event_type in protus.webhooks.EVENT_TYPES:
            self.assertIs(getattr(signals, event_type.replace(".", "_")), signals.for_type(event_type))


class DirectUserTests(StubbedClientTestCase):
    def test_ensure_account_makes_one_managed_account_and_asks_protus_once(self) -> None:
        bob = User.objects.create_user("bob", "bob@example.com", "password")
        self.protus.ensure_account.return_value = {"id": "acct_bob", "object": "account"}
        first = ensure_account(bob)
        second = ensure_account(User.objects.get(pk=bob.pk))
        self.assertEqual((first.pk, first.account_id), (second.pk, "acct_bob"))
        self.assertTrue(first.managed)
        self.assertEqual(first.scope_list, ["check", "hold", "charge"])
        self.protus.ensure_account.assert_called_once_with(
            external_id=str(bob.pk), email="bob@example.com", username="bob"
        )
        self.assertEqual(account_of(bob), first)

    def test_ensure_account_puts_the_configured_prefix_before_the_users_id(self) -> None:
        dan = User.objects.create_user("dan")
        self.protus.ensure_account.return_value = {"id": "acct_dan"}
        with override_settings(PROTUS={**django_settings.PROTUS, "EXTERNAL_ID_PREFIX": "staging-"}):
            ensure_account(dan)
        self.assertEqual(self.protus.ensure_account.call_args.kwargs["external_id"], f"staging-{dan.pk}")

    def test_reconsent_url_asks_for_the_scope_and_those_granted_and_comes_back(self) -> None:
        self.client.force_login(self.user_with_account(scopes="charge profile"))
        self.assertEqual(
            self.client.get("/reconsent/?tab=2").json()["url"],
            "/protus/login/?scope=check%20charge%20profile&next=%2Freconsent%2F%3Ftab%3D2",
        )

    def test_ensure_account_of_a_user_without_email_sends_none(self) -> None:
        carl = User.objects.create_user("carl")
        self.protus.ensure_account.return_value = {"id": "acct_carl"}
        ensure_account(carl)
        self.assertIsNone(self.protus.ensure_account.call_args.kwargs["email"])

    def test_ensure_account_keeps_the_account_of_a_person_signed_in_with_protus(self) -> None:
        user = self.user_with_account()
        self.assertEqual(ensure_account(user).account_id, "acct_ann")
        self.protus.ensure_account.assert_not_called()

    def test_fresh_tokens_answers_live_tokens_as_stored(self) -> None:
        user = self.user_with_account()
        user.protus_account.set_tokens(tokens(expires_in=600))
        user.protus_account.save()
        self.assertEqual(fresh_tokens(user).access_token, "pat_1")
        self.protus.oauth.refresh.assert_not_called()

    def test_fresh_tokens_refreshes_an_expiring_token_and_keeps_the_rotated_pair(self) -> None:
        user = self.user_with_account()
        user.protus_account.set_tokens(tokens(expires_in=20))
        user.protus_account.save()
        self.protus.oauth.refresh.return_value = tokens("pat_2", "prt_2")
        self.assertEqual(fresh_tokens(user).access_token, "pat_2")
        self.protus.oauth.refresh.assert_called_once_with("prt_1")
        stored = ProtusAccount.objects.get(account_id="acct_ann").token_set()
        self.assertEqual((stored.access_token, stored.refresh_token), ("pat_2", "prt_2"))
        self.assertEqual(fresh_tokens(User.objects.get(pk=user.pk)).access_token, "pat_2")
        self.assertEqual(self.protus.oauth.refresh.call_count, 1)

    def test_fresh_tokens_of_a_revoked_grant_clears_them_and_answers_none(self) -> None:
        user = self.user_with_account()
        user.protus_account.set_tokens(tokens(expires_in=-5))
        user.protus_account.save()
        self.protus.oauth.refresh.side_effect = protus.OAuthError("invalid_grant", "revoked", 400)
        self.assertIsNone(fresh_tokens(user))
        self.assertIsNone(ProtusAccount.objects.get(account_id="acct_ann").token_set())

    def test_fresh_tokens_of_a_direct_user_or_anonymous_is_none(self) -> None:
        bob = User.objects.create_user("bob")
        ProtusAccount.objects.create(user=bob, account_id="acct_bob", managed=True, scopes="check hold charge")
        self.assertIsNone(fresh_tokens(bob))
        self.assertIsNone(fresh_tokens(None))


class LoginRequiredMiddlewareTests(TestCase):
    def test_the_sign_in_and_webhook_views_and_guarded_views_are_left_open_to_it(self) -> None:
        from protus.django import views
        from tests import django_urls

        for view in (views.protus_login, views.protus_callback, views.protus_webhook, django_urls.clients):
            with self.subTest(view=view.__name__):
                self.assertIs(view.login_required, False)


class MigrationTests(TestCase):
    def test_the_migrations_match_the_models(self) -> None:
        out = io.StringIO()
        try:
            call_command("makemigrations", "protus", check=True, dry_run=True, stdout=out, stderr=out)
        except SystemExit:
            self.fail(f"the models have changes without a migration:\n{out.getvalue()}")
