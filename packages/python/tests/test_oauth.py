"""protus.OAuth against a scripted server: what it sends, what it refuses, what it caches."""

from __future__ import annotations

import base64
import hashlib
import itertools
import string
import threading
import unittest
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, unquote_plus, urlsplit

from protus import OAuth, OAuthError
from protus.oauth import TokenSet
from tests.support.fake_server import Answer, FakeServer
from tests.support.server import free_port

_tests = itertools.count()
METADATA_PATH = "/.well-known/oauth-authorization-server"
REDIRECT_URI = "https://messages.example/protus/callback"
TOKENS = {
    "access_token": "pat_access",
    "token_type": "Bearer",
    "expires_in": 600,
    "refresh_token": "prt_refresh",
    "scope": "check charge profile",
}


def b64url_sha256(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()


class Clock:
    """A clock tests move instead of waiting."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


_server: FakeServer | None = None


def _shared_server() -> FakeServer:
    global _server
    if _server is None:
        _server = FakeServer().__enter__()
        unittest.addModuleCleanup(_server.__exit__, None, None, None)
    return _server


class OAuthTestCase(unittest.TestCase):
    """A fake PROTUS with metadata, and an OAuth client of it with an injected clock and sleep.

    One scripted server serves the whole module; each test has its own path prefix (its own
    issuer), so no answer queued by one test reaches another.
    """

    issuer_supported = True
    server: FakeServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = _shared_server()

    def setUp(self) -> None:
        self.prefix = f"/t{next(_tests)}"
        self.issuer = self.server.url + self.prefix
        self.metadata = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/oauth/authorize",
            "token_endpoint": f"{self.issuer}/oauth/token",
            "introspection_endpoint": f"{self.issuer}/oauth/introspect",
            "revocation_endpoint": f"{self.issuer}/oauth/revoke",
            "userinfo_endpoint": f"{self.issuer}/oauth/userinfo",
            "authorization_response_iss_parameter_supported": self.issuer_supported,
        }
        self.handler("GET", METADATA_PATH, lambda _request: Answer(200, self.metadata))
        self.clock = Clock()
        self.sleeps: list[float] = []
        self.oauth = self.make_oauth()

    def make_oauth(self, **options: Any) -> OAuth:
        defaults: dict[str, Any] = {"clock": self.clock, "sleep": self.sleeps.append}
        oauth = OAuth("cl_test", "secret", self.issuer + "/", **{**defaults, **options})
        self.addCleanup(oauth.close)
        return oauth

    def reply(self, method: str, path: str, status: int, json_body: Any = None, **options: Any) -> None:
        self.server.reply(method, self.prefix + path, status, json_body, **options)

    def handler(self, method: str, path: str, fn: Any) -> None:
        self.server.handler(method, self.prefix + path, fn)

    def requests_to(self, method: str, path: str) -> list:
        return self.server.requests_to(method, self.prefix + path)

    def callback(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"iss": self.issuer, **params}.items())
        return f"/protus/callback?{query}"

    def token_requests(self) -> list:
        return self.requests_to("POST", "/oauth/token")


class MetadataTest(OAuthTestCase):
    def test_fetches_the_metadata_once_for_many_calls(self) -> None:
        for _ in range(3):
            self.oauth.authorization_url(REDIRECT_URI)
        self.oauth.metadata()
        self.assertEqual(len(self.requests_to("GET", METADATA_PATH)), 1)

    def test_refuses_metadata_naming_another_issuer_than_the_one_expected(self) -> None:
        oauth = self.make_oauth(issuer="https://protus.example")
        with self.assertRaises(OAuthError) as caught:
            oauth.authorization_url(REDIRECT_URI)
        self.assertEqual(caught.exception.error, "issuer_mismatch")
        self.assertEqual(self.make_oauth(issuer=self.issuer).metadata()["issuer"], self.issuer)

    def test_a_failed_metadata_fetch_is_not_kept(self) -> None:
        self.reply("GET", METADATA_PATH, 500)
        oauth = self.make_oauth(retries=0)
        with self.assertRaises(OAuthError) as caught:
            oauth.metadata()
        self.assertEqual((caught.exception.error, caught.exception.status), ("unexpected_response", 500))
        self.assertEqual(oauth.metadata()["token_endpoint"], self.metadata["token_endpoint"])

    def test_retries_the_metadata_after_a_503_with_backoff(self) -> None:
        self.reply("GET", METADATA_PATH, 503)
        self.reply("GET", METADATA_PATH, 503)
        self.assertEqual(self.oauth.metadata()["issuer"], self.issuer)
        self.assertEqual(len(self.sleeps), 2)
        self.assertTrue(0.15 <= self.sleeps[0] <= 0.3, self.sleeps)
        self.assertTrue(0.3 <= self.sleeps[1] <= 0.6, self.sleeps)


class AuthorizationUrlTest(OAuthTestCase):
    def test_sends_a_pkce_s256_challenge_of_a_256_bit_verifier(self) -> None:
        request = self.oauth.authorization_url(REDIRECT_URI)
        query = parse_qs(urlsplit(request.url).query)
        self.assertEqual(len(request.code_verifier), 43)
        self.assertTrue(set(request.code_verifier) <= set(string.ascii_letters + string.digits + "-_"))
        self.assertEqual(len(base64.urlsafe_b64decode(request.code_verifier + "=")), 32)
        self.assertEqual(query["code_challenge"], [b64url_sha256(request.code_verifier)])
        self.assertEqual(query["code_challenge_method"], ["S256"])
        self.assertNotIn(request.code_verifier, request.url)

    def test_asks_for_a_code_for_this_client_redirect_uri_scope_and_state(self) -> None:
        request = self.oauth.authorization_url(REDIRECT_URI)
        parts = urlsplit(request.url)
        endpoint = f"{parts.scheme}://{parts.netloc}{parts.path}"
        self.assertEqual(endpoint, self.metadata["authorization_endpoint"])
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.assertEqual(query["response_type"], "code")
        self.assertEqual(query["client_id"], "cl_test")
        self.assertEqual(query["redirect_uri"], REDIRECT_URI)
        self.assertEqual(query["scope"], "check hold charge profile")
        self.assertEqual(query["state"], request.state)
        self.assertIn("scope=check+hold+charge+profile", parts.query)

    def test_makes_a_new_random_state_and_verifier_for_every_sign_in(self) -> None:
        first, second = self.oauth.authorization_url(REDIRECT_URI), self.oauth.authorization_url(REDIRECT_URI)
        self.assertNotEqual(first.state, second.state)
        self.assertNotEqual(first.code_verifier, second.code_verifier)
        self.assertGreaterEqual(len(first.state), 22)

    def test_joins_a_list_of_scopes_and_keeps_a_given_state(self) -> None:
        request = self.oauth.authorization_url(REDIRECT_URI, scope=["check", "charge"], state="s-1")
        query = parse_qs(urlsplit(request.url).query)
        self.assertEqual((query["scope"], query["state"], request.state), (["check charge"], ["s-1"], "s-1"))

    def test_does_not_show_the_verifier_in_its_repr(self) -> None:
        request = self.oauth.authorization_url(REDIRECT_URI)
        self.assertNotIn(request.code_verifier, repr(request))


class CallbackTest(OAuthTestCase):
    def reply_tokens(self, sub: str = "acct_1") -> None:
        self.reply("POST", "/oauth/token", 200, TOKENS)
        self.reply("GET", "/oauth/userinfo", 200, {"sub": sub, "preferred_username": "ann"})

    def refused(self, **callback: Any) -> OAuthError:
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(code_verifier="v", redirect_uri=REDIRECT_URI, **callback)
        self.assertEqual(self.token_requests(), [], "no token request may follow a refused callback")
        return caught.exception

    def test_signs_in_with_the_code_the_verifier_and_the_client_credentials(self) -> None:
        self.reply_tokens()
        request = self.oauth.authorization_url(REDIRECT_URI)
        sign_in = self.oauth.handle_callback(
            url=self.callback(code="c-1", state=request.state),
            state=request.state,
            code_verifier=request.code_verifier,
            redirect_uri=REDIRECT_URI,
        )
        (sent,) = self.token_requests()
        self.assertEqual(
            sent.form,
            {"grant_type": "authorization_code", "code": "c-1", "redirect_uri": REDIRECT_URI,
             "code_verifier": request.code_verifier},
        )
        basic = "Basic " + base64.b64encode(b"cl_test:secret").decode()
        self.assertEqual(sent.headers["authorization"], basic)
        self.assertEqual(sent.headers["content-type"], "application/x-www-form-urlencoded")
        (userinfo,) = self.requests_to("GET", "/oauth/userinfo")
        self.assertEqual(userinfo.headers["authorization"], "Bearer pat_access")
        self.assertEqual((sign_in.account_id, sign_in.scopes), ("acct_1", ["check", "charge", "profile"]))
        self.assertEqual(sign_in.user, {"sub": "acct_1", "preferred_username": "ann"})
        self.assertEqual(sign_in.tokens.access_token, "pat_access")

    def test_takes_the_callback_parameters_as_a_mapping_or_a_dict_of_lists(self) -> None:
        for params in ({"code": "c", "state": "s", "iss": self.issuer},
                       {"code": ["c"], "state": ["s", "other"], "iss": [self.issuer]}):
            with self.subTest(params=params):
                self.reply_tokens()
                sign_in = self.oauth.handle_callback(params=params, state="s", code_verifier="v",
                                                     redirect_uri=REDIRECT_URI)
                self.assertEqual(sign_in.account_id, "acct_1")

    def test_refuses_a_callback_with_another_state(self) -> None:
        error = self.refused(url=self.callback(code="c", state="forged"), state="expected")
        self.assertEqual((error.error, error.status), ("state_mismatch", 0))

    def test_refuses_a_callback_without_state_or_when_no_state_was_kept(self) -> None:
        self.assertEqual(self.refused(url=self.callback(code="c"), state="expected").error, "state_mismatch")
        nothing_kept = self.refused(url=self.callback(code="c", state=""), state="")
        self.assertEqual(nothing_kept.error, "state_mismatch")

    def test_refuses_a_callback_from_another_issuer(self) -> None:
        url = f"/cb?code=c&state=s&iss={'https://evil.example'}"
        self.assertEqual(self.refused(url=url, state="s").error, "issuer_mismatch")

    def test_refuses_a_callback_without_iss_when_the_server_always_sends_it(self) -> None:
        self.assertEqual(self.refused(url="/cb?code=c&state=s", state="s").error, "issuer_mismatch")

    def test_turns_access_denied_into_an_oauth_error(self) -> None:
        url = self.callback(error="access_denied", error_description="The+person+denied+access", state="s")
        error = self.refused(url=url, state="s")
        self.assertEqual((error.error, error.description, error.status),
                         ("access_denied", "The person denied access", 0))

    def test_refuses_an_error_answer_whose_state_is_not_this_sign_ins(self) -> None:
        error = self.refused(url=self.callback(error="access_denied", state="other"), state="s")
        self.assertEqual(error.error, "state_mismatch")

    def test_refuses_a_callback_without_code(self) -> None:
        self.assertEqual(self.refused(url=self.callback(state="s"), state="s").error, "missing_code")
        self.assertEqual(self.refused(url=self.callback(state="s", code=""), state="s").error, "missing_code")

    def test_sends_the_code_once_even_when_the_token_endpoint_answers_503(self) -> None:
        self.reply("POST", "/oauth/token", 503, {"error": "temporarily_unavailable"})
        self.reply("POST", "/oauth/token", 200, TOKENS)
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(url=self.callback(code="c", state="s"), state="s", code_verifier="v",
                                       redirect_uri=REDIRECT_URI)
        self.assertEqual((caught.exception.error, caught.exception.status), ("temporarily_unavailable", 503))
        self.assertEqual(len(self.token_requests()), 1)
        self.assertEqual(self.sleeps, [])

    def test_sends_the_code_once_when_the_token_endpoint_cannot_be_reached(self) -> None:
        self.metadata["token_endpoint"] = f"http://127.0.0.1:{free_port()}/oauth/token"
        with self.assertRaises(OAuthError) as caught:
            self.oauth.exchange_code("c", code_verifier="v", redirect_uri=REDIRECT_URI)
        self.assertEqual((caught.exception.error, caught.exception.status), ("connection_failed", 0))
        self.assertEqual(self.sleeps, [])

    def test_a_refused_code_is_an_oauth_error_with_the_servers_description_and_status(self) -> None:
        self.reply("POST", "/oauth/token", 400,
                          {"error": "invalid_grant", "error_description": "unknown authorization code"})
        with self.assertRaises(OAuthError) as caught:
            self.oauth.exchange_code("c", code_verifier="v", redirect_uri=REDIRECT_URI)
        error = caught.exception
        self.assertEqual((error.error, error.description, error.status),
                         ("invalid_grant", "unknown authorization code", 400))


class CredentialsTest(OAuthTestCase):
    def test_form_encodes_each_part_of_the_basic_credentials(self) -> None:
        self.reply("POST", "/oauth/revoke", 200)
        with OAuth("cl:1 é", "s+/&=%", self.issuer, sleep=self.sleeps.append) as oauth:
            oauth.revoke("t")
        (sent,) = self.requests_to("POST", "/oauth/revoke")
        scheme, encoded = sent.headers["authorization"].split(" ")
        client_id, secret = base64.b64decode(encoded).decode().split(":")
        self.assertEqual(scheme, "Basic")
        self.assertEqual((client_id, secret), ("cl%3A1+%C3%A9", "s%2B%2F%26%3D%25"))
        self.assertEqual((unquote_plus(client_id), unquote_plus(secret)), ("cl:1 é", "s+/&=%"))
        self.assertEqual(sent.form, {"token": "t"})


class TokenTest(OAuthTestCase):
    def test_reads_the_token_answer_into_a_token_set(self) -> None:
        self.reply("POST", "/oauth/token", 200, TOKENS)
        tokens = self.oauth.exchange_code("c", code_verifier="v", redirect_uri=REDIRECT_URI)
        self.assertEqual(tokens, TokenSet(access_token="pat_access", refresh_token="prt_refresh",
                                          token_type="Bearer", scopes=["check", "charge", "profile"],
                                          expires_at=self.clock.now + 600))

    def test_a_token_set_knows_when_it_expires_and_survives_a_round_trip(self) -> None:
        tokens = TokenSet("pat_a", "prt_r", "Bearer", ["check"], expires_at=1000.0)
        self.assertFalse(tokens.expired(now=969.0))
        self.assertTrue(tokens.expired(now=970.0))
        self.assertTrue(tokens.expired(margin=0, now=1000.0))
        self.assertFalse(tokens.expired(margin=0, now=999.0))
        self.assertEqual(TokenSet.from_dict(tokens.to_dict()), tokens)
        as_text = TokenSet.from_dict({**tokens.to_dict(), "scopes": "check  charge"})
        self.assertEqual(as_text.scopes, ["check", "charge"])
        self.assertNotIn("pat_a", repr(tokens))
        self.assertNotIn("prt_r", repr(tokens))

    def test_refuses_a_token_answer_without_tokens(self) -> None:
        self.reply("POST", "/oauth/token", 200, {"access_token": "pat"})
        with self.assertRaises(OAuthError) as caught:
            self.oauth.exchange_code("c", code_verifier="v", redirect_uri=REDIRECT_URI)
        self.assertEqual(caught.exception.error, "unexpected_response")

    def test_refuses_an_html_answer_as_unexpected(self) -> None:
        self.reply("POST", "/oauth/token", 200, raw=b"<html>proxy</html>")
        with self.assertRaises(OAuthError) as caught:
            self.oauth.exchange_code("c", code_verifier="v", redirect_uri=REDIRECT_URI)
        self.assertEqual((caught.exception.error, caught.exception.status), ("unexpected_response", 200))

    def test_refresh_sends_the_refresh_token_and_narrower_scope_and_retries_a_503(self) -> None:
        self.reply("POST", "/oauth/token", 503)
        self.reply("POST", "/oauth/token", 200, {**TOKENS, "scope": "check"})
        tokens = self.oauth.refresh("prt_old", scope=["check"])
        self.assertEqual(tokens.scopes, ["check"])
        self.assertEqual(len(self.sleeps), 1)
        first, second = self.token_requests()
        expected = {"grant_type": "refresh_token", "refresh_token": "prt_old", "scope": "check"}
        self.assertEqual((first.form, second.form), (expected, expected))

    def test_refresh_without_scope_sends_none(self) -> None:
        self.reply("POST", "/oauth/token", 200, TOKENS)
        self.oauth.refresh("prt_old")
        self.assertNotIn("scope", self.token_requests()[0].form)

    def test_a_refused_refresh_is_not_retried(self) -> None:
        self.reply("POST", "/oauth/token", 400, {"error": "invalid_grant", "error_description": "reused"})
        with self.assertRaises(OAuthError) as caught:
            self.oauth.refresh("prt_old")
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_grant", 400))
        self.assertEqual(len(self.token_requests()), 1)

    def test_a_refresh_that_never_reaches_the_server_gives_up_after_the_retries(self) -> None:
        self.metadata["token_endpoint"] = f"http://127.0.0.1:{free_port()}/oauth/token"
        with self.assertRaises(OAuthError) as caught:
            self.make_oauth(retries=3).refresh("prt_old")
        self.assertEqual((caught.exception.error, caught.exception.status), ("connection_failed", 0))
        self.assertEqual(len(self.sleeps), 3)

    def test_userinfo_sends_the_bearer_token_and_turns_a_401_into_an_oauth_error(self) -> None:
        self.reply("GET", "/oauth/userinfo", 200, {"sub": "acct_9", "email": "ann@example.com"})
        self.assertEqual(self.oauth.userinfo("pat_x")["sub"], "acct_9")
        self.reply("GET", "/oauth/userinfo", 401, {"error": "invalid_token"})
        with self.assertRaises(OAuthError) as caught:
            self.oauth.userinfo("pat_y")
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_token", 401))
        self.assertEqual([r.headers["authorization"] for r in self.requests_to("GET", "/oauth/userinfo")],
                         ["Bearer pat_x", "Bearer pat_y"])


class IntrospectionTest(OAuthTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.answers: dict[str, dict] = {}
        self.handler("POST", "/oauth/introspect", lambda r: Answer(200, self.answers[r.form["token"]]))
        self.handler("POST", "/oauth/revoke", lambda _r: Answer(200))

    def live(self, token: str, sub: str = "acct_1", exp: float | None = None) -> None:
        self.answers[token] = {
            "active": True, "scope": "check charge", "client_id": "cl_test", "sub": sub,
            "exp": exp if exp is not None else self.clock.now + 600, "iat": self.clock.now,
            "iss": self.issuer, "token_type": "Bearer",
        }

    def lookups(self) -> int:
        return len(self.requests_to("POST", "/oauth/introspect"))

    def test_answers_a_live_token_with_its_scopes_as_a_list(self) -> None:
        self.live("pat_1")
        info = self.oauth.introspect("pat_1")
        self.assertEqual((info["active"], info["sub"], info["scopes"]), (True, "acct_1", ["check", "charge"]))
        self.assertEqual(info["scope"], "check charge")

    def test_answers_exactly_active_false_for_a_dead_token(self) -> None:
        self.answers["pat_dead"] = {"active": False, "client_id": "cl_test"}
        self.assertEqual(self.oauth.introspect("pat_dead"), {"active": False})

    def test_reuses_an_answer_for_five_seconds_by_default(self) -> None:
        self.live("pat_1")
        for _ in range(3):
            self.oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 1)
        self.clock.now += 4.9
        self.oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 1)
        self.clock.now += 0.1
        self.oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 2)

    def test_keeps_answers_for_the_seconds_configured_and_not_at_all_with_zero(self) -> None:
        self.live("pat_1")
        oauth = self.make_oauth(introspection_cache_seconds=60)
        oauth.introspect("pat_1")
        self.clock.now += 59
        oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 1)
        uncached = self.make_oauth(introspection_cache_seconds=0)
        uncached.introspect("pat_1")
        uncached.introspect("pat_1")
        self.assertEqual(self.lookups(), 3)

    def test_never_keeps_an_answer_past_the_tokens_expiry(self) -> None:
        self.live("pat_1", exp=self.clock.now + 2)
        self.oauth.introspect("pat_1")
        self.clock.now += 1.9
        self.oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 1)
        self.clock.now += 0.1
        self.answers["pat_1"] = {"active": False}
        self.assertEqual(self.oauth.introspect("pat_1"), {"active": False})
        self.assertEqual(self.lookups(), 2)

    def test_keeps_an_inactive_answer_too(self) -> None:
        self.answers["pat_dead"] = {"active": False}
        self.oauth.introspect("pat_dead")
        self.oauth.introspect("pat_dead")
        self.assertEqual(self.lookups(), 1)

    def test_does_not_keep_a_failure(self) -> None:
        self.reply("POST", "/oauth/introspect", 401, {"error": "invalid_client"})
        self.live("pat_1")
        with self.assertRaises(OAuthError) as caught:
            self.oauth.introspect("pat_1")
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_client", 401))
        self.assertTrue(self.oauth.introspect("pat_1")["active"])
        self.assertEqual(self.lookups(), 2)

    def test_revoke_posts_the_token_and_drops_its_cached_answer(self) -> None:
        self.live("pat_1")
        self.oauth.introspect("pat_1")
        self.answers["pat_1"] = {"active": False}
        self.oauth.revoke("pat_1")
        self.assertEqual(self.oauth.introspect("pat_1"), {"active": False})
        self.assertEqual(self.lookups(), 2)
        (revoked,) = self.requests_to("POST", "/oauth/revoke")
        self.assertEqual(revoked.form, {"token": "pat_1"})

    def test_revoking_a_refresh_token_drops_the_cached_answers_of_access_tokens_too(self) -> None:
        self.live("pat_1")
        self.oauth.introspect("pat_1")
        self.answers["pat_1"] = {"active": False}
        self.oauth.revoke("prt_of_the_same_grant")
        self.assertEqual(self.oauth.introspect("pat_1"), {"active": False})

    def test_forget_account_drops_that_accounts_answers_only(self) -> None:
        self.live("pat_ann", sub="acct_ann")
        self.live("pat_bob", sub="acct_bob")
        self.oauth.introspect("pat_ann")
        self.oauth.introspect("pat_bob")
        self.oauth.forget_account("acct_ann")
        self.oauth.introspect("pat_ann")
        self.oauth.introspect("pat_bob")
        self.assertEqual(self.lookups(), 3)
        self.oauth.forget_account()
        self.oauth.introspect("pat_ann")
        self.oauth.introspect("pat_bob")
        self.assertEqual(self.lookups(), 5)

    def test_an_answer_fetched_while_its_token_was_revoked_is_not_kept(self) -> None:
        self.live("pat_1")

        def answer_then_revoke(request: Any) -> Answer:
            self.oauth.forget_account("acct_1")  # a grant.revoked webhook handled meanwhile
            return Answer(200, self.answers[request.form["token"]])

        self.handler("POST", "/oauth/introspect", answer_then_revoke)
        self.oauth.introspect("pat_1")
        self.handler("POST", "/oauth/introspect", lambda r: Answer(200, self.answers[r.form["token"]]))
        self.oauth.introspect("pat_1")
        self.assertEqual(self.lookups(), 2)

    def test_keeps_a_bounded_number_of_answers(self) -> None:
        for token in ("pat_a", "pat_b", "pat_c"):
            self.live(token)
        with mock.patch("protus._introspection_cache.MAX_CACHED", 2):
            for token in ("pat_a", "pat_b", "pat_c", "pat_c", "pat_b"):
                self.oauth.introspect(token)
            self.assertEqual(self.lookups(), 3)
            self.oauth.introspect("pat_a")
            self.assertEqual(self.lookups(), 4)

    def test_does_not_keep_tokens_themselves_in_memory(self) -> None:
        self.live("pat_secret_token")
        self.oauth.introspect("pat_secret_token")
        keys = list(self.oauth._cache._entries)
        self.assertEqual(keys, [hashlib.sha256(b"pat_secret_token").hexdigest()])

    def test_answers_many_threads_at_once(self) -> None:
        for n in range(20):
            self.live(f"pat_{n}", sub=f"acct_{n}")
        results: dict[int, str] = {}

        def look(n: int) -> None:
            for _ in range(5):
                results[n] = self.oauth.introspect(f"pat_{n}")["sub"]

        threads = [threading.Thread(target=look, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results, {n: f"acct_{n}" for n in range(20)})
        self.assertEqual(self.lookups(), 20)

    def test_a_caller_changing_an_answer_does_not_change_the_cached_one(self) -> None:
        self.live("pat_1")
        self.oauth.introspect("pat_1")["scopes"].append("hold")
        self.assertEqual(self.oauth.introspect("pat_1")["scopes"], ["check", "charge"])


class NoIssParameterTest(OAuthTestCase):
    """A server whose metadata does not promise `iss` on callbacks."""

    issuer_supported = False

    def test_accepts_a_callback_without_iss_but_still_refuses_another_iss(self) -> None:
        self.reply("POST", "/oauth/token", 200, TOKENS)
        self.reply("GET", "/oauth/userinfo", 200, {"sub": "acct_1"})
        sign_in = self.oauth.handle_callback(url="/cb?code=c&state=s", state="s", code_verifier="v",
                                             redirect_uri=REDIRECT_URI)
        self.assertEqual(sign_in.account_id, "acct_1")
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(url="/cb?code=c&state=s&iss=https://evil.example", state="s",
                                       code_verifier="v", redirect_uri=REDIRECT_URI)
        self.assertEqual(caught.exception.error, "issuer_mismatch")


if __name__ == "__main__":
    unittest.main()
