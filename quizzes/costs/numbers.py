"""Exact decimals and how a person reads them: the number format of every cost page and message.

No Django here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

EXACT = Context(prec=80)  # every figure of the engine stays exact at this precision
NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up, as a bill does."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_number(value: Decimal | int) -> str:
    """Digits a person reads: thousands separators, no exponent, no trailing zeros."""
    text = f"{Decimal(value).normalize(EXACT):,f}"
    return "0" if text in ("-0", "") else text


def fmt_money(amount: Decimal) -> str:
    """`$1,234.50`: rounded to the cent."""
    return f"${to_cents(amount):,.2f}"


def fmt_price(price: Decimal) -> str:
    """`$0.20`, `$0.0000166667`: a rate with all its digits and at least two decimals."""
    text = fmt_number(price)
    decimals = len(text.partition(".")[2])
    return f"${text}" if decimals >= 2 else f"${price:,.2f}"
