"""The ``PROTUS`` setting, read on every call so ``override_settings`` takes effect at once.

Example::

    PROTUS = {
        "BASE_URL": "https://protus.example",
        "CLIENT_ID": "cl_…",
        "CLIENT_SECRET": os.environ["PROTUS_CLIENT_SECRET"],
        "WEBHOOK_SECRET": os.environ["PROTUS_WEBHOOK_SECRET"],
    }
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Keys every project sets.
REQUIRED = ("BASE_URL", "CLIENT_ID", "CLIENT_SECRET")

#: The other keys and their defaults.
DEFAULTS: dict[str, Any] = {
    "WEBHOOK_SECRET": None,
    "SCOPES": "check hold charge profile",
    "REDIRECT_URI": None,
    "LOGIN_REDIRECT_URL": None,
    "ISSUER": None,
    # Put before str(user.pk) to make a direct user's external id. Give each database that shares
    # one company (staging, a developer's machine) its own, or their users 7 share one account.
    "EXTERNAL_ID_PREFIX": "",
}


def protus_settings() -> dict[str, Any]:
    """``settings.PROTUS`` merged over :data:`DEFAULTS`.

    Raises ``ImproperlyConfigured`` naming every required key that is missing or empty.
    """
    given = getattr(settings, "PROTUS", None)
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise ImproperlyConfigured("settings.PROTUS must be a dict")
    missing = [key for key in REQUIRED if not given.get(key)]
    if missing:
        raise ImproperlyConfigured(f"settings.PROTUS lacks {', '.join(missing)}")
    return {**DEFAULTS, **given}


def webhook_secret() -> str | list[str]:
    """``PROTUS["WEBHOOK_SECRET"]``: one secret, or a list of them while rotating."""
    secret = protus_settings()["WEBHOOK_SECRET"]
    if not secret:
        raise ImproperlyConfigured("settings.PROTUS lacks WEBHOOK_SECRET, which the webhook view needs")
    return secret if isinstance(secret, str) else list(secret)


def login_redirect_url() -> str:
    """Where a sign-in lands without a ``next``: ``PROTUS["LOGIN_REDIRECT_URL"]``, else Django's."""
    return protus_settings()["LOGIN_REDIRECT_URL"] or settings.LOGIN_REDIRECT_URL
