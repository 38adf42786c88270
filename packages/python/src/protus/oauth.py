"""Sign in with PROTUS: OAuth 2.1 authorization code with PKCE S256, ``state`` and the RFC 9207
``iss`` check, token refresh, revocation, cached introspection and userinfo.

Example::

    oauth = protus.OAuth(client_id, client_secret, "https://protus.example")
    request = oauth.authorization_url("https://messages.example/protus/callback")
    session["protus"] = {"state": request.state, "code_verifier": request.code_verifier}
    # ... the browser goes to request.url and comes back to the redirect URI ...
    sign_in = oauth.handle_callback(url=callback_url, redirect_uri=redirect_uri, **session.pop("protus"))
    sign_in.account_id   # "acct_…": bill this account
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from ._http import Backoff, basic_authorization
from ._introspection_cache import IntrospectionCache
from ._version import __version__
from .errors import OAuthError

__all__ = ["AuthorizationRequest", "OAuth", "SignIn", "TokenSet", "create_pkce"]

DEFAULT_SCOPE = "check hold charge profile"


@dataclass
class TokenSet:
    """Tokens of one person's grant; keep the refresh token server-side.

    ``scopes`` is what the person granted (maybe less than asked); ``expires_at`` is when the
    access token stops working, in seconds since the epoch.

    Example::

        if tokens.expired():
            tokens = oauth.refresh(tokens.refresh_token)
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    token_type: str = "Bearer"
    scopes: list[str] = field(default_factory=list)
    expires_at: float = 0.0

    def expired(self, margin: float = 30.0, now: float | None = None) -> bool:
        """Whether the access token has expired, or will within ``margin`` seconds."""
        return (time.time() if now is None else now) >= self.expires_at - margin

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serializable data, to keep in a session or a database."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": self.token_type,
            "scopes": list(self.scopes),
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenSet:
        """The token set :meth:`to_dict` gave; ``scopes`` may also be space-separated text."""
        scopes = data.get("scopes", [])
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            token_type=data.get("token_type", "Bearer"),
            scopes=_scopes(scopes) if isinstance(scopes, str) else list(scopes),
            expires_at=float(data["expires_at"]),
        )


@dataclass
class AuthorizationRequest:
    """Where to send the browser (``url``), and what to keep in the person's session until the
    callback: ``state`` and the PKCE ``code_verifier``."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


@dataclass
class SignIn:
    """A finished sign-in: ``account_id`` is the person's account at your company (``acct_…``,
    bill it with this id), ``scopes`` what they granted, ``user`` the userinfo answer."""

    account_id: str
    scopes: list[str]
    tokens: TokenSet
    user: dict[str, Any]


def create_pkce() -> tuple[str, str]:
    """A PKCE pair (RFC 7636, S256): a 256-bit verifier to keep and the challenge to send.

    Example::

        code_verifier, code_challenge = create_pkce()
    """
    verifier = _b64url(secrets.token_bytes(32))
    return verifier, _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _scopes(scope: object) -> list[str]:
    return [s for s in scope.split(" ") if s] if isinstance(scope, str) else []


def _scope_text(scope: str | Sequence[str]) -> str:
    return scope if isinstance(scope, str) else " ".join(scope)


def _same_text(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _callback_params(url: str | None, params: Mapping[str, Any] | None) -> dict[str, str]:
    """The callback's parameters, each one's first value (a URL, a dict, a dict of lists or a
    Django ``QueryDict``)."""
    found: dict[str, str] = {}
    if url is not None:
        for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            found.setdefault(key, value)
        return found
    for key in params or {}:
        # A Django QueryDict answers a key's last value; its getlist gives them all.
        getlist = getattr(params, "getlist", None)
        value = getlist(key) if getlist is not None else params[key]  # type: ignore[index]
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if isinstance(value, str):
            found[key] = value
    return found


class OAuth:
    """Sign in with PROTUS, token refresh, revocation, cached introspection and userinfo.

    ``base_url`` is where your server reaches PROTUS; the server's metadata (RFC 8414, fetched
    once) names the endpoints. ``issuer`` is the issuer you expect (default: whatever the
    metadata says). Introspection answers are reused for ``introspection_cache_seconds``
    (0 turns the cache off). ``session`` is a shared ``requests.Session``. ``clock`` and
    ``sleep`` are for tests. ``protus.Client`` makes one as ``client.oauth``.

    Example::

        oauth = protus.OAuth("cl_…", "secret", "https://protus.example")
        info = oauth.introspect(bearer_token)
        if info["active"] and "charge" in info["scopes"]:
            charge_for(info["sub"])
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        base_url: str,
        *,
        issuer: str | None = None,
        introspection_cache_seconds: float = 5.0,
        session: requests.Session | None = None,
        retries: int = 2,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client_id = client_id
        self.base_url = base_url.rstrip("/")
        self.issuer = issuer
        self._authorization = basic_authorization(client_id, client_secret)
        self._own_session = session is None
        self._session = session if session is not None else requests.Session()
        self._retries = max(0, retries)
        self._timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._cache = IntrospectionCache(introspection_cache_seconds, clock)
        self._metadata: dict[str, Any] | None = None
        self._metadata_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"OAuth(client_id={self.client_id!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        """Closes the session's connections, if this object made the session itself."""
        if self._own_session:
            self._session.close()

    def __enter__(self) -> OAuth:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport ---------------------------------------------------------------------------

    def _attempt(self, method: str, url: str, headers: dict[str, str], data: bytes | None) -> Any:
        headers = {"accept": "application/json", "user-agent": f"protus-python/{__version__}", **headers}
        try:
            response = self._session.request(method, url, headers=headers, data=data, timeout=self._timeout)
            text = response.text
        except requests.RequestException as error:
            raise OAuthError("connection_failed", str(error), 0) from error
        try:
            body = response.json() if text.strip() else None
            readable = True
        except ValueError:
            body, readable = None, False
        if 200 <= response.status_code < 300 and readable:
            return body
        if isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]:
            description = body.get("error_description")
            description = description if isinstance(description, str) else None
            raise OAuthError(body["error"], description, response.status_code)
        raise OAuthError("unexpected_response", f"HTTP {response.status_code}", response.status_code)

    def _send(self, method: str, url: str, headers: dict[str, str], data: bytes | None, retried: bool) -> Any:
        """One call; when ``retried``, network errors and 5xx are tried again with backoff."""
        attempt = 0
        while True:
            try:
                return self._attempt(method, url, headers, data)
            except OAuthError as failure:
                transient = failure.status == 0 or failure.status >= 500
                if not retried or not transient or attempt >= self._retries:
                    raise
            self._sleep(Backoff().delay(attempt))
            attempt += 1

    def _form(self, url: str, params: dict[str, str], retried: bool) -> Any:
        """A form POST with the client's credentials (client_secret_basic)."""
        headers = {"authorization": self._authorization, "content-type": "application/x-www-form-urlencoded"}
        return self._send("POST", url, headers, urlencode(params).encode("ascii"), retried)

    # -- metadata ----------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """The authorization server's metadata (RFC 8414), fetched once (a failure is not kept).

        Raises :class:`OAuthError` ``issuer_mismatch`` when it names another issuer than the
        ``issuer`` given.
        """
        with self._metadata_lock:
            if self._metadata is None:
                url = f"{self.base_url}/.well-known/oauth-authorization-server"
                found = self._send("GET", url, {}, None, True)
                if not isinstance(found, dict) or not isinstance(found.get("issuer"), str):
                    raise OAuthError("unexpected_response", "the metadata names no issuer", 200)
                if self.issuer is not None and found["issuer"] != self.issuer:
                    raise OAuthError("issuer_mismatch", f"metadata names issuer {found['issuer']}")
                self._metadata = found
            return dict(self._metadata)

    def _endpoint(self, name: str) -> str:
        url = self.metadata().get(name)
        if not isinstance(url, str) or not url:
            raise OAuthError("unexpected_response", f"the metadata names no {name}")
        return url

    # -- sign-in -----------------------------------------------------------------------------

    def authorization_url(
        self, redirect_uri: str, scope: str | Sequence[str] = DEFAULT_SCOPE, state: str | None = None
    ) -> AuthorizationRequest:
        """Where to send the browser to sign in (or to grant more scopes), with PKCE (S256) and
        a random ``state``. Keep ``state`` and ``code_verifier`` in the person's session for
        :meth:`handle_callback`.

        Example::

            request = oauth.authorization_url(redirect_uri, scope=["check", "charge", "profile"])
            session["protus"] = {"state": request.state, "code_verifier": request.code_verifier}
            return redirect(request.url)
        """
        verifier, challenge = create_pkce()
        state = state if state is not None else secrets.token_urlsafe(16)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": _scope_text(scope),
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        parts = urlsplit(self._endpoint("authorization_endpoint"))
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        return AuthorizationRequest(url=url, state=state, code_verifier=verifier)

    def handle_callback(
        self,
        *,
        url: str | None = None,
        params: Mapping[str, Any] | None = None,
        state: str,
        code_verifier: str,
        redirect_uri: str,
    ) -> SignIn:
        """Finishes a sign-in at your redirect URI.

        Give the callback's ``url`` (absolute or as your framework gives it) or its query
        ``params`` (any mapping; a Django ``QueryDict`` works), and what you kept when the
        browser left. Checks ``iss`` (RFC 9207) and ``state`` (in constant time), turns an error
        answer such as ``access_denied`` into :class:`OAuthError`, exchanges the code (sent once:
        PROTUS revokes a grant whose code is used twice) and reads userinfo.

        Example::

            pending = request.session.pop("protus")
            sign_in = oauth.handle_callback(
                params=request.GET, redirect_uri=redirect_uri, **pending
            )
        """
        meta = self.metadata()
        answer = _callback_params(url, params)
        self._check_callback(meta, answer, state)
        code = answer.get("code")
        if not code:
            raise OAuthError("missing_code", "the callback has no code")
        tokens = self.exchange_code(code, code_verifier=code_verifier, redirect_uri=redirect_uri)
        user = self.userinfo(tokens.access_token)
        return SignIn(account_id=user["sub"], scopes=list(tokens.scopes), tokens=tokens, user=user)

    @staticmethod
    def _check_callback(meta: Mapping[str, Any], answer: Mapping[str, str], state: str) -> None:
        iss = answer.get("iss")
        if iss is None:
            refused = meta.get("authorization_response_iss_parameter_supported") is True
        else:
            refused = iss != meta["issuer"]
        if refused:
            raise OAuthError("issuer_mismatch", f"expected iss {meta['issuer']}, got {iss or 'none'}")
        given = answer.get("state")
        if not state or given is None or not _same_text(given, state):
            raise OAuthError("state_mismatch", "the callback does not belong to this sign-in")
        error = answer.get("error")
        if error is not None:
            raise OAuthError(error or "invalid_request", answer.get("error_description") or None)

    # -- tokens ------------------------------------------------------------------------------

    def _token_set(self, raw: Any) -> TokenSet:
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("access_token"), str)
            or not isinstance(raw.get("refresh_token"), str)
            or not isinstance(raw.get("expires_in"), (int, float))
        ):
            raise OAuthError("unexpected_response", "the token answer lacks tokens", 200)
        return TokenSet(
            access_token=raw["access_token"],
            refresh_token=raw["refresh_token"],
            token_type="Bearer",
            scopes=_scopes(raw.get("scope")),
            expires_at=self._clock() + raw["expires_in"],
        )

    def exchange_code(self, code: str, *, code_verifier: str, redirect_uri: str) -> TokenSet:
        """Tokens for an authorization code. Sent once, never retried: a code used twice makes
        PROTUS revoke the grant. :meth:`handle_callback` calls it for you."""
        params = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        return self._token_set(self._form(self._endpoint("token_endpoint"), params, False))

    def refresh(self, refresh_token: str, *, scope: str | Sequence[str] | None = None) -> TokenSet:
        """A new pair for a refresh token, which is then used up (rotation): store the new one.
        ``scope`` asks for fewer scopes than granted.

        Example::

            if tokens.expired():
                tokens = oauth.refresh(tokens.refresh_token)
        """
        params = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if scope is not None:
            params["scope"] = _scope_text(scope)
        # PROTUS answers a rotation retried within 10 s with a fresh pair, so retrying is safe.
        return self._token_set(self._form(self._endpoint("token_endpoint"), params, True))

    def revoke(self, token: str) -> None:
        """Revokes a token (RFC 7009); a refresh token takes the grant's access tokens along.
        The introspection cache is emptied at once: which cached access tokens a refresh token
        took along cannot be told from here.

        Example::

            oauth.revoke(tokens.refresh_token)
        """
        self._cache.forget_account(None)
        self._form(self._endpoint("revocation_endpoint"), {"token": token}, True)
        # An introspection that started before the revocation may have cached the old answer.
        self._cache.forget_account(None)

    def introspect(self, token: str) -> dict[str, Any]:
        """Whether a token is live and what it allows (RFC 7662): exactly ``{"active": False}``,
        or the server's answer (``sub``, ``scope``, ``exp``, …) plus ``scopes`` as a list.

        Answers are reused for ``introspection_cache_seconds``, never past the token's expiry;
        :meth:`revoke` and :meth:`forget_account` drop them sooner; failures are not kept.

        Example::

            info = oauth.introspect(bearer)
            if info["active"] and "charge" in info["scopes"]:
                charge_for(info["sub"])
        """
        cached, epoch = self._cache.get(token)
        if cached is None:
            raw = self._form(self._endpoint("introspection_endpoint"), {"token": token}, True)
            if isinstance(raw, dict) and raw.get("active") is True:
                cached = {**raw, "scopes": _scopes(raw.get("scope"))}
            else:
                cached = {"active": False}
            self._cache.put(token, cached, epoch)
        return {**cached, "scopes": list(cached["scopes"])} if cached["active"] else {"active": False}

    def forget_account(self, account_id: str | None = None) -> None:
        """Drops cached introspections of one account (on a ``grant.revoked`` webhook, say), or
        of every account when called without one.

        Example::

            @receiver(signals.grant_revoked)
            def on_revoked(sender, event, **kwargs):
                client.oauth.forget_account(event["data"]["account"])
        """
        self._cache.forget_account(account_id)

    def userinfo(self, access_token: str) -> dict[str, Any]:
        """The person behind an access token: ``sub`` (their account at your company), with
        ``preferred_username`` (scope ``profile``) and ``email`` (scope ``email``).

        Example::

            person = oauth.userinfo(tokens.access_token)
        """
        headers = {"authorization": f"Bearer {access_token}"}
        user = self._send("GET", self._endpoint("userinfo_endpoint"), headers, None, True)
        if not isinstance(user, dict) or not isinstance(user.get("sub"), str):
            raise OAuthError("unexpected_response", "userinfo names no sub", 200)
        return user
