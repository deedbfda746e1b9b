"""Amounts of money in the reader's language: `{% load formatting %}{{ amount|money:"EUR" }}`.

Digits are grouped and the decimal mark placed as the active language writes them (Django's
formats: 125,000.00 in English, 125.000,00 in Italian and Spanish, 125 000,00 in Latvian) and
the currency shown by its symbol where it has a common one, before the amount in English and
after it elsewhere (€125,000.00; 125 000,00 €). Other currencies keep their ISO code.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "US$", "GBP": "£"}
SYMBOL_FIRST = {"en"}
# A no-break space keeps the amount and its currency on one line.
NBSP = "\u00a0"


@register.filter
def money(amount, currency: str = "") -> str:
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    places = 0 if value == value.to_integral_value() else 2
    digits = number_format(value, places, use_l10n=True, force_grouping=True)
    currency = (currency or "").upper()
    if not currency:
        return digits
    symbol = SYMBOLS.get(currency)
    language = (get_language() or "en").split("-")[0]
    if symbol and language in SYMBOL_FIRST:
        return f"{symbol}{digits}"
    return f"{digits}{NBSP}{symbol or currency}"
