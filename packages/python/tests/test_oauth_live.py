"""Sign in with PROTUS against the real server: a person consents in their browser, the partner
finishes the sign-in with protus.OAuth."""

from __future__ import annotations

import time
import unittest
from urllib.parse import parse_qs, urlsplit

import protus
from protus import OAuth, OAuthError
from protus.oauth import create_pkce
from tests.support import people
from tests.support.server import protus_url

REDIRECT_URI = "https://messages.example/protus/callback"
ASKED = "check hold charge profile"
#: A rotated refresh token presented again within this many seconds gets a fresh pair (a retry).
REFRESH_GRACE_SECONDS = 10


class LiveOAuthTest(unittest.TestCase):
    base_url: str
    company: dict[str, str]
    client: protus.Client

    @classmethod
    def setUpClass(cls) -> None:
        cls.base_url = protus_url()
        cls.company = people.register_company(cls.base_url)
        cls.client = protus.Client(cls.company["client_id"], cls.company["client_secret"], cls.base_url)
        cls.addClassCleanup(cls.client.close)
        cls.client.company.update(redirect_uris=[REDIRECT_URI])

    def setUp(self) -> None:
        self.oauth = self.client.oauth
        self.person = people.signed_in_person(self.base_url)
        self.addCleanup(self.person.session.close)

    def consent(
        self, allow: bool = True, scopes: list[str] | None = None
    ) -> tuple[protus.oauth.AuthorizationRequest, str]:
        """The person's answer to a sign-in asking for ASKED: by default they grant fewer."""
        request = self.oauth.authorization_url(REDIRECT_URI, scope=ASKED)
        granted = scopes if scopes is not None else ["check", "charge", "profile"]
        return request, people.consent(self.person, request.url, allow=allow, scopes=granted)

    def sign_in(self, scopes: list[str] | None = None) -> protus.oauth.SignIn:
        request, back = self.consent(scopes=scopes)
        return self.oauth.handle_callback(
            url=back, state=request.state, code_verifier=request.code_verifier, redirect_uri=REDIRECT_URI
        )

    def fresh_oauth(self) -> OAuth:
        """An OAuth without introspection cache, so every answer is the server's of now."""
        oauth = OAuth(self.company["client_id"], self.company["client_secret"], self.base_url,
                      introspection_cache_seconds=0)
        self.addCleanup(oauth.close)
        return oauth

    def test_a_person_signs_in_as_their_account_with_the_scopes_they_granted(self) -> None:
        sign_in = self.sign_in(scopes=["check", "charge", "profile"])
        self.assertTrue(sign_in.account_id.startswith("acct_"), sign_in.account_id)
        self.assertEqual(sign_in.scopes, ["check", "charge", "profile"])
        self.assertEqual(sign_in.tokens.scopes, ["check", "charge", "profile"])
        self.assertEqual(self.oauth.userinfo(sign_in.tokens.access_token)["sub"], sign_in.account_id)
        self.assertEqual(sign_in.user["sub"], sign_in.account_id)
        self.assertTrue(sign_in.user["preferred_username"].startswith("ann-"))
        self.assertNotIn("email", sign_in.user)
        self.assertFalse(sign_in.tokens.expired())
        self.assertAlmostEqual(sign_in.tokens.expires_at, time.time() + 600, delta=30)

    def test_the_callback_comes_back_with_the_issuer_of_the_metadata(self) -> None:
        request, back = self.consent(scopes=["check"])
        query = parse_qs(urlsplit(back).query)
        self.assertEqual(query["iss"], [self.oauth.metadata()["issuer"]])
        self.assertEqual(query["state"], [request.state])
        with OAuth("x", "y", self.base_url, issuer="https://protus.example") as other, \
                self.assertRaises(OAuthError) as caught:
            other.metadata()
        self.assertEqual(caught.exception.error, "issuer_mismatch")

    def test_a_refresh_rotates_the_pair_and_the_old_refresh_token_is_refused_after_the_grace(self) -> None:
        first = self.sign_in().tokens
        rotated_at = time.monotonic()
        second = self.oauth.refresh(first.refresh_token)
        self.assertNotEqual(second.access_token, first.access_token)
        self.assertNotEqual(second.refresh_token, first.refresh_token)
        self.assertEqual(second.scopes, ["check", "charge", "profile"])
        fresh = self.fresh_oauth()
        self.assertTrue(fresh.introspect(second.access_token)["active"])
        narrowed = self.oauth.refresh(second.refresh_token, scope=["check"])
        self.assertEqual(narrowed.scopes, ["check"])
        self.assertEqual(fresh.introspect(narrowed.access_token)["scopes"], ["check"])

        # The server keeps real time: wait out the window in which a retry gets a fresh pair.
        time.sleep(max(0.0, REFRESH_GRACE_SECONDS + 0.5 - (time.monotonic() - rotated_at)))
        with self.assertRaises(OAuthError) as caught:
            self.oauth.refresh(first.refresh_token)
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_grant", 400))
        # Reuse of a rotated token ends the grant: the newest tokens stop working too.
        self.assertEqual(fresh.introspect(narrowed.access_token), {"active": False})
        with self.assertRaises(OAuthError) as refused:
            self.oauth.refresh(narrowed.refresh_token)
        self.assertEqual(refused.exception.error, "invalid_grant")

    def test_a_refresh_retried_at_once_gets_a_new_pair_and_the_first_one_stops(self) -> None:
        first = self.sign_in().tokens
        lost = self.oauth.refresh(first.refresh_token)  # as if the answer never arrived
        retried = self.oauth.refresh(first.refresh_token)
        fresh = self.fresh_oauth()
        self.assertNotEqual(retried.access_token, lost.access_token)
        self.assertTrue(fresh.introspect(retried.access_token)["active"])
        self.assertEqual(fresh.introspect(lost.access_token), {"active": False})

    def test_introspection_is_active_then_inactive_as_soon_as_the_grant_is_revoked(self) -> None:
        sign_in = self.sign_in()
        tokens = sign_in.tokens
        info = self.oauth.introspect(tokens.access_token)
        self.assertEqual(info["active"], True)
        self.assertEqual((info["sub"], info["client_id"]), (sign_in.account_id, self.company["client_id"]))
        self.assertEqual(info["scopes"], ["check", "charge", "profile"])
        self.assertEqual(info["iss"], self.oauth.metadata()["issuer"])
        self.assertGreater(info["exp"], time.time())
        # The cached answer is dropped by revoke, well before the cache's five seconds are up.
        self.oauth.revoke(tokens.refresh_token)
        self.assertEqual(self.oauth.introspect(tokens.access_token), {"active": False})
        self.assertEqual(self.oauth.introspect(tokens.refresh_token), {"active": False})
        with self.assertRaises(OAuthError) as caught:
            self.oauth.userinfo(tokens.access_token)
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_token", 401))

    def test_a_person_who_denies_gives_access_denied_and_no_tokens(self) -> None:
        request, back = self.consent(allow=False)
        self.assertNotIn("code=", back)
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(url=back, state=request.state, code_verifier=request.code_verifier,
                                       redirect_uri=REDIRECT_URI)
        self.assertEqual((caught.exception.error, caught.exception.status), ("access_denied", 0))

    def test_a_forged_state_is_refused_before_the_code_is_spent(self) -> None:
        request, back = self.consent(scopes=["check"])
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(url=back, state="forged-" + request.state,
                                       code_verifier=request.code_verifier, redirect_uri=REDIRECT_URI)
        self.assertEqual(caught.exception.error, "state_mismatch")
        # The code was never sent: the real sign-in can still use it.
        sign_in = self.oauth.handle_callback(
            url=back, state=request.state, code_verifier=request.code_verifier, redirect_uri=REDIRECT_URI
        )
        self.assertEqual(sign_in.scopes, ["check"])

    def test_a_code_used_twice_is_refused_and_ends_the_tokens_it_gave(self) -> None:
        request, back = self.consent()
        arguments = {"url": back, "state": request.state, "code_verifier": request.code_verifier,
                     "redirect_uri": REDIRECT_URI}
        sign_in = self.oauth.handle_callback(**arguments)
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(**arguments)
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_grant", 400))
        self.assertEqual(self.fresh_oauth().introspect(sign_in.tokens.access_token), {"active": False})

    def test_a_wrong_code_verifier_is_refused(self) -> None:
        request, back = self.consent()
        with self.assertRaises(OAuthError) as caught:
            self.oauth.handle_callback(url=back, state=request.state, code_verifier=create_pkce()[0],
                                       redirect_uri=REDIRECT_URI)
        self.assertEqual(caught.exception.error, "invalid_grant")

    def test_wrong_client_credentials_are_an_invalid_client_error(self) -> None:
        oauth = OAuth(self.company["client_id"], "not the secret", self.base_url)
        self.addCleanup(oauth.close)
        with self.assertRaises(OAuthError) as caught:
            oauth.introspect("pat_anything")
        self.assertEqual((caught.exception.error, caught.exception.status), ("invalid_client", 401))


if __name__ == "__main__":
    unittest.main()
