"""Chart axis labels in the active language: the pure `charts` module formats numbers the English
way; pages pass these instead, so Spanish reads "1,5 M" and "US$1.200"."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import pgettext

from studyapp.percent import percent_text


def compact(value: float) -> str:
    """1500000 -> "1.5M" in English, "1,5 M" in Spanish."""
    for size, suffix in ((1e9, pgettext("billions", "B")), (1e6, pgettext("millions", "M")),
                         (1e3, pgettext("thousands", "k"))):  # fmt: skip
        if abs(value) >= size:
            scaled = round(value / size, 1)
            decimals = 0 if scaled == int(scaled) else 1
            return f"{number_format(scaled, decimal_pos=decimals)}{suffix}"
    return number_format(value, decimal_pos=0 if value == int(value) else 2)


def dollars(value: float) -> str:
    """US dollars on an axis: whole dollars from 100 on, cents below."""
    symbol = pgettext("currency symbol for US dollars", "$")
    decimals = 0 if value >= 100 else 2
    return symbol + number_format(value, decimal_pos=decimals, force_grouping=True)


def usd(amount: float | None, decimals: int = 2) -> str:
    """An amount in US dollars, in the active language's number format: "$1,234.56" in English,
    "US$1 234,56" in Spanish (where "$" alone reads as the local peso)."""
    if amount is None:
        return "–"
    symbol = pgettext("currency symbol for US dollars", "$")
    return symbol + number_format(amount, decimal_pos=int(decimals), force_grouping=True)


def percent(value: float) -> str:
    return percent_text(number_format(round(value), decimal_pos=0))
