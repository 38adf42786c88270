"""``{{ amount|money:currency }}``: integer minor units as people read them (``₽1,500.00``)."""

from django import template

register = template.Library()

SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€"}


@register.filter
def money(amount: int, currency: str = "RUB") -> str:
    """Exact, never through a float: 150050 RUB is ``₽1,500.50``."""
    sign = "-" if amount < 0 else ""
    units, cents = divmod(abs(int(amount)), 100)
    return f"{sign}{SYMBOLS.get(currency, currency + ' ')}{units:,}.{cents:02d}"
