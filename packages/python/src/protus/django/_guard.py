"""Who a request acts for and whether they allow enough: shared by the decorator and DRF.

A request's person comes from an ``Authorization: Bearer`` access token (introspected at
PROTUS, answers cached for a few seconds) or else from the signed-in Django user's
``ProtusAccount``. The refusals are the problem bodies of the TypeScript SDK's guard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PROBLEM_BASE = "https://protus.dev/problems/"
SCOPE_ORDER = ("check", "hold", "charge", "profile", "email")
_BEARER = re.compile(r"^Bearer\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ProtusUser:
    """The person a request acts for, left on ``request.protus`` by the guard.

    ``account_id`` is their account at your company (bill it); ``scopes`` what they allow you;
    ``via`` is ``"token"`` (a bearer token) or ``"session"`` (the signed-in user's account).
    """

    account_id: str
    scopes: list[str]
    via: str
    access_token: str | None = None
    account: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Denial:
    """A refusal: the status, the headers and the problem body to answer."""

    status: int
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass(frozen=True)
class GuardState:
    """What ``resolve`` found: the person, or None, and whether a token was presented in vain."""

    user: ProtusUser | None
    invalid_token: bool = False


def bearer_of(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    match = _BEARER.match(authorization or "")
    return match.group(1) if match else None


def resolve(request: Any) -> GuardState:
    """Finds the person behind ``request``: a bearer access token first, then the session's user."""
    from . import account_of, get_client

    token = bearer_of(request.META.get("HTTP_AUTHORIZATION"))
    if token is not None:
        info = get_client().oauth.introspect(token)
        # A refresh token is live too, but only access tokens may be presented.
        if not info.get("active") or info.get("token_type") != "Bearer":
            return GuardState(user=None, invalid_token=True)
        scopes = info.get("scopes") or str(info.get("scope") or "").split()
        return GuardState(ProtusUser(info["sub"], list(scopes), "token", access_token=token))
    account = account_of(getattr(request, "user", None))
    if account is None:
        return GuardState(user=None)
    return GuardState(ProtusUser(account.account_id, account.scope_list, "session", account=account))


def check(state: GuardState, needed: tuple[str, ...], request: Any) -> Denial | None:
    """None when the person allows every scope of ``needed``; the refusal otherwise."""
    if state.user is None:
        return unauthenticated(state.invalid_token)
    missing = [scope for scope in needed if scope not in state.user.scopes]
    if not missing:
        return None
    return insufficient_scope(state.user, missing, request)


def unauthenticated(invalid_token: bool) -> Denial:
    """401 ``unauthenticated``: nobody signed in, or the token presented is not live."""
    return Denial(
        status=401,
        headers={
            "Content-Type": "application/problem+json",
            "WWW-Authenticate": 'Bearer error="invalid_token"' if invalid_token else "Bearer",
        },
        body={
            "type": f"{PROBLEM_BASE}unauthenticated",
            "title": "Authentication is required",
            "status": 401,
            "code": "unauthenticated",
            "detail": "The access token is invalid, expired or revoked"
            if invalid_token
            else "Sign in with PROTUS first",
        },
    )


def insufficient_scope(user: ProtusUser, missing: list[str], request: Any) -> Denial:
    """403 ``insufficient_scope`` naming the missing scopes, with a URL that asks for them."""
    scope = " ".join(missing)
    many = len(missing) > 1
    headers = {"Content-Type": "application/problem+json"}
    if user.via == "token":
        headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{scope}"'
    return Denial(
        status=403,
        headers=headers,
        body={
            "type": f"{PROBLEM_BASE}insufficient_scope",
            "title": "The account did not grant the scope this needs",
            "status": 403,
            "code": "insufficient_scope",
            "detail": f"This needs the {scope} scope{'s' if many else ''}, which you did not allow. "
            f"Grant {'them' if many else 'it'} at reconsent_url.",
            "scope": scope,
            "missing_scopes": missing,
            "reconsent_url": reconsent_url(ordered(user.scopes + missing), request),
        },
    )


def ordered(scopes: list[str]) -> list[str]:
    """The scopes without repeats, known ones in PROTUS's order first."""
    unique = list(dict.fromkeys(scopes))
    return [s for s in SCOPE_ORDER if s in unique] + [s for s in unique if s not in SCOPE_ORDER]


def reconsent_url(scopes: list[str], request: Any) -> str:
    """``protus:login`` asking for ``scopes`` and coming back to where the person was."""
    query = urlencode({"scope": " ".join(scopes), "next": return_path(request)}, quote_via=quote)
    return f"{reverse('protus:login')}?{query}"


def return_path(request: Any) -> str:
    """Where to come back after signing in: the page itself, or for a form's POST the page
    that sent it (its ``Referer`` on this host), as a POST cannot be repeated by a redirect."""
    if request.method not in ("GET", "HEAD"):
        referer = request.META.get("HTTP_REFERER") or ""
        parts = urlsplit(referer)
        if parts.netloc == request.get_host() and parts.path.startswith("/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def safe_next(candidate: str | None) -> str | None:
    """``candidate`` when it is a path on this site (``/…``), else None: no open redirects."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if "\\" in candidate or not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return None
    return candidate


def wants_html(request: Any) -> bool:
    """Whether the client asked for a page (a browser) rather than JSON."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return "text/html" in accept or "application/xhtml+xml" in accept
