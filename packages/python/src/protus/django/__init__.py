"""PROTUS in a Django project: sign-in, the scope guard, direct users and webhooks.

Settings::

    INSTALLED_APPS = [..., "django.contrib.auth", "django.contrib.sessions", "protus.django"]
    PROTUS = {"BASE_URL": "https://protus.example", "CLIENT_ID": "cl_…",
              "CLIENT_SECRET": "…", "WEBHOOK_SECRET": "whsec_…"}
    urlpatterns = [path("protus/", include("protus.django.urls"))]

Then::

    from protus.django import get_client, ensure_account, account_of, fresh_tokens

    account = ensure_account(request.user)          # a direct user's managed account
    get_client().charges.create(account=account.account_id, service="svc_…")
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from ..client import Client
from ..errors import OAuthError

if TYPE_CHECKING:
    from ..oauth import TokenSet
    from .models import ProtusAccount

__all__ = ["account_of", "ensure_account", "fresh_tokens", "get_client", "reconsent_url"]

#: The scopes a managed account holds.
MANAGED_SCOPES = "check hold charge"

_clients: dict[tuple[Any, ...], Client] = {}
_clients_lock = threading.Lock()


def get_client() -> Client:
    """The ``protus.Client`` made from ``settings.PROTUS`` (one per process and settings).

    Example::

        balance = get_client().accounts.balance(account_of(request.user).account_id)
    """
    from .conf import protus_settings

    conf = protus_settings()
    key = (conf["BASE_URL"], conf["CLIENT_ID"], conf["CLIENT_SECRET"], conf["ISSUER"])
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = Client(conf["CLIENT_ID"], conf["CLIENT_SECRET"], conf["BASE_URL"], issuer=conf["ISSUER"])
            _clients[key] = client
        return client


def _clear_clients() -> None:
    """Closes and forgets the clients made so far (``get_client.cache_clear()``)."""
    with _clients_lock:
        made = list(_clients.values())
        _clients.clear()
    for client in made:
        client.close()


get_client.cache_clear = _clear_clients  # type: ignore[attr-defined]


def account_of(user: Any) -> ProtusAccount | None:
    """The user's PROTUS account, or None (anonymous, or never signed in with PROTUS)."""
    from .models import ProtusAccount

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.protus_account
    except ProtusAccount.DoesNotExist:
        return None


def ensure_account(user: Any) -> ProtusAccount:
    """A managed PROTUS account for a user who registered with you, made once.

    PROTUS answers the same account for the same ``user.pk`` (after ``EXTERNAL_ID_PREFIX``)
    however often this runs, and the row is made with ``get_or_create``, so concurrent first
    calls agree. A user who signed in with PROTUS keeps that account.

    Example::

        account = ensure_account(request.user)
        topup = get_client().accounts.create_topup(account.account_id, amount=50_000)
    """
    from .models import ProtusAccount

    account = account_of(user)
    if account is not None:
        return account
    email = getattr(user, user.get_email_field_name(), None) or None
    # PROTUS keeps up to 64 characters of a username.
    username = user.get_username()[:64] or None
    from .conf import protus_settings

    external_id = f"{protus_settings()['EXTERNAL_ID_PREFIX']}{user.pk}"
    remote = get_client().ensure_account(external_id=external_id, email=email, username=username)
    account, _ = ProtusAccount.objects.get_or_create(
        user=user,
        defaults={"account_id": remote["id"], "managed": True, "scopes": MANAGED_SCOPES},
    )
    return account


def fresh_tokens(user: Any, *, margin: float = 60.0) -> TokenSet | None:
    """The user's PROTUS tokens with an access token live for ``margin`` seconds more.

    A token expiring sooner is refreshed and the rotated pair saved (the row is locked meanwhile,
    so two requests never present the same refresh token). Answers None when there is nothing
    to use: no account, no tokens (a direct user), or PROTUS refused the refresh because the
    grant was revoked (the stored tokens are then cleared). Other failures raise.

    Example::

        tokens = fresh_tokens(request.user)
        if tokens:
            profile = get_client().oauth.userinfo(tokens.access_token)
    """
    from django.db import transaction

    from .models import ProtusAccount

    account = account_of(user)
    if account is None or account.token_set() is None:
        return None
    if not account.token_set().expired(margin=margin):
        return account.token_set()
    with transaction.atomic():
        locked = ProtusAccount.objects.select_for_update().get(pk=account.pk)
        tokens = locked.token_set()
        if tokens is None or not tokens.expired(margin=margin):
            return tokens
        tokens = _refresh(locked, tokens.refresh_token)
    user.protus_account = locked
    return tokens


def _refresh(account: ProtusAccount, refresh_token: str) -> TokenSet | None:
    """Rotates the pair at PROTUS and saves it; clears the tokens of a revoked grant."""
    if not refresh_token:
        return None
    try:
        tokens = get_client().oauth.refresh(refresh_token)
    except OAuthError as error:
        if error.error != "invalid_grant":
            raise
        account.set_tokens(None)
        account.save(update_fields=["access_token", "refresh_token", "token_expires_at", "updated_at"])
        return None
    account.set_tokens(tokens)
    account.save(update_fields=["access_token", "refresh_token", "token_expires_at", "updated_at"])
    return tokens


def reconsent_url(request: Any, *scopes: str) -> str:
    """A link to ``protus:login`` asking for ``scopes`` and those the person allows already,
    coming back to the page of ``request``: the link the scope guard's 403 carries, for a page
    that offers it before the person is refused.

    Example::

        allow_check = reconsent_url(request, "check")  # /protus/login/?scope=check%20charge&next=%2F
    """
    from ._guard import ordered, resolve
    from ._guard import reconsent_url as link

    person = resolve(request).user
    granted = person.scopes if person is not None else []
    return link(ordered([*granted, *scopes]), request)
