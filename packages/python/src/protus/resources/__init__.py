"""The parts of the partner API, one class each; :class:`protus.Client` holds one of every kind."""

from .accounts import Accounts, ensure_key
from .partner import Balance, BalanceTransactions, Company, Payouts, Reports, Sandbox, Services, WebhookDeliveries
from .payments import Charges, Holds, Refunds, Subscriptions

__all__ = [
    "Accounts",
    "Balance",
    "BalanceTransactions",
    "Charges",
    "Company",
    "Holds",
    "Payouts",
    "Refunds",
    "Reports",
    "Sandbox",
    "Services",
    "Subscriptions",
    "WebhookDeliveries",
    "ensure_key",
]
