"""PROTUS for Python partners.

``protus.Client`` calls the billing API with your client credentials, ``protus.OAuth`` signs
people in with PROTUS, ``protus.webhooks.verify`` checks the events PROTUS sends, and
``protus.django`` puts all three into a Django project.

Example::

    import protus

    client = protus.Client("cl_…", "secret", "https://protus.example")
    charge = client.charges.create(account="acct_…", service="svc_…")
"""

from . import webhooks
from ._version import __version__
from .client import Client
from .errors import (
    GrantRevoked,
    InsufficientFunds,
    InsufficientScope,
    OAuthError,
    ProtusError,
    SpendingLimitExceeded,
    WebhookVerificationError,
)
from .oauth import OAuth

__all__ = [
    "Client",
    "GrantRevoked",
    "InsufficientFunds",
    "InsufficientScope",
    "OAuth",
    "OAuthError",
    "ProtusError",
    "SpendingLimitExceeded",
    "WebhookVerificationError",
    "__version__",
    "webhooks",
]
