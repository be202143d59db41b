"""What a learner types as an answer (dollars or another unit), and how close it must be.

Typing `$18.74`, `18.74 USD` or `1,234.50` is not a mistake about Lambda pricing, so they are all
accepted; anything ambiguous (`18,74`) or not a plain amount is refused with one clear message
instead of being marked wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_LENGTH = 30
MESSAGE = "please enter a dollar amount"
ZERO_SLACK = Decimal("0.005")  # a relative tolerance of an expected $0 still allows rounding

_AMOUNT = re.compile(
    r"""
    (?P<sign>-)?\s*
    (?:(?:US\$|\$|USD)\s*)?
    (?P<inner_sign>-)?
    (?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)
    (?:\s*(?:\$|USD))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DECIMAL_COMMA = re.compile(r"[^0-9]*[0-9]+,[0-9]{1,2}[^0-9]*")
_PERCENT = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*%")
_PLAIN = re.compile(r"\$?\s*(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


class AnswerFormatError(ValueError):
    """Text that is not an amount: str() is the unit's message (MESSAGE for dollars)."""

    def __init__(self, hint: str = "", *, message: str = MESSAGE) -> None:
        super().__init__(message)
        self.hint = hint


def parse_dollars(text: str) -> Decimal:
    """`18.74`, `$18.74`, `1,234.50`, ` 18.74 USD`, `US$18.74`, `.80` → Decimal; else an error."""
    if not isinstance(text, str):
        raise AnswerFormatError()
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        raise AnswerFormatError("the answer is empty")
    if len(cleaned) > MAX_LENGTH:
        raise AnswerFormatError("that is too long for a dollar amount")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        if _DECIMAL_COMMA.fullmatch(cleaned):
            raise AnswerFormatError("use a dot for cents, as in 18.74")
        raise AnswerFormatError()
    if match["sign"] and match["inner_sign"]:
        raise AnswerFormatError()
    try:
        amount = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise AnswerFormatError() from None
    return -amount if match["sign"] or match["inner_sign"] else amount


@dataclass(frozen=True)
class Tolerance:
    """How far an answer may be from the expected one: dollars, a percentage, or either."""

    absolute: Decimal | None = None
    percent: Decimal | None = None

    @classmethod
    def parse(cls, value: object) -> Tolerance:
        """From YAML: a number or "0.01" is dollars, "1%" is relative."""
        usage = 'give dollars such as 0.01 or a percentage such as "1%"'
        if value is None:
            raise ValueError(f"tolerance is missing: {usage}")
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise ValueError(f"tolerance must be a number or a percentage, got {value!r}: {usage}")
        if isinstance(value, str):
            text = value.strip()
            percent = _PERCENT.fullmatch(text)
            if percent:
                amount = Decimal(percent["number"])
                if amount > 100:
                    raise ValueError(f"tolerance {text} is more than 100%")
                return cls(percent=amount)
            plain = _PLAIN.fullmatch(text)
            if plain is None:
                raise ValueError(f"tolerance {value!r} is not a number or a percentage: {usage}")
            return cls(absolute=Decimal(plain["number"]))
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite() or amount < 0:
            raise ValueError(f"tolerance must be 0 or more, got {value!r}")
        return cls(absolute=amount)

    def accepts(self, given: Decimal, expected: Decimal) -> bool:
        """Inclusive on both kinds; a relative tolerance of an expected 0 allows half a cent."""
        difference = abs(given - expected)
        if self.absolute is not None and difference <= self.absolute:
            return True
        if self.percent is not None:
            if expected == 0:
                return abs(given) <= ZERO_SLACK
            return difference * 100 <= abs(expected) * self.percent
        return self.absolute is None and difference == 0

    def describe(self, unit: str = "USD") -> str:
        """`within $0.01`, `within 5 ms`, `within 1%`, or `exactly`."""
        parts = []
        if self.absolute is not None:
            if unit != "USD":
                parts.append(format_amount(self.absolute, unit))
            else:
                parts.append(
                    f"${self.absolute:,.2f}"
                    if self.absolute >= Decimal("0.01")
                    else f"${self.absolute}"
                )
        if self.percent is not None:
            parts.append(f"{self.percent.normalize():f}%")
        return f"within {' or '.join(parts)}" if parts else "exactly"


# --- units: what a number counts, for the label, the parser and the feedback ----------------

USD = "USD"
KNOWN_UNITS = ("USD", "requests", "GB-s", "ms", "MB", "%")
_UNIT_SHAPE = re.compile(r"^(?:%|[A-Za-z][A-Za-z0-9/-]{0,19})$")
# Other spellings a learner may type after the number; compared case-insensitively.
_ALIASES = {
    "requests": ("requests", "request", "req", "invocations"),
    "GB-s": ("gb-s", "gb-seconds", "gb-second", "gbs", "gb s", "gb-sec"),
    "ms": ("ms", "milliseconds", "millisecond"),
    "MB": ("mb", "megabytes"),
    "%": ("%", "percent"),
}
# Thousands separators a typed number may use, one kind per number: a comma ("5,000,000"), or a
# space as Spanish writes it and as the Spanish pages show their examples ("5 000 000", also with
# the no-break spaces Django's number formatting puts there). A decimal comma stays refused.
GROUPING = re.compile("[,\u0020\u00a0\u202f]")
_NUMBER = re.compile(
    r"""
    (?P<sign>[-+])?\s*
    (?P<number>(?:[0-9]{1,3}(?P<group>[,\u0020\u00a0\u202f])[0-9]{3}(?:(?P=group)[0-9]{3})*|[0-9]+)
        (?:\.[0-9]*)?|\.[0-9]+)
    \s*(?P<unit>[^0-9\s.,].*)?
    """,
    re.VERBOSE,
)


def unit_problem(unit: object) -> str:
    """Why a `unit:` value cannot be used, or '' when it can."""
    if not isinstance(unit, str) or not _UNIT_SHAPE.match(unit.strip()):
        return (
            f"unit must be one of {', '.join(KNOWN_UNITS)} or one word such as 'seconds', "
            f"got {unit!r}"
        )
    return ""


def unit_label(unit: str) -> str:
    """What the input's label says the answer is in."""
    if unit == USD:
        return "in US dollars"
    if unit == "%":
        return "as a percentage"
    if unit == "number":
        return "as a number"
    return f"in {unit}"


def unit_example(unit: str) -> str:
    """A placeholder that shows what to type."""
    return {USD: "e.g. 18.74", "%": "e.g. 12.5", "requests": "e.g. 1,500,000"}.get(
        unit, "e.g. 2,500"
    )


def unit_message(unit: str) -> str:
    """The one-line message for text that is not an answer in this unit."""
    if unit == USD:
        return MESSAGE
    if unit == "%":
        return "please enter a percentage, such as 12.5"
    if unit == "number":
        return "please enter a number, such as 2,500"
    return f"please enter a number of {unit}, such as 2,500"


def parse_amount(text: str, unit: str = USD) -> Decimal:
    """A typed answer in `unit`: `$` only for USD, the unit's own word (or none) for the others."""
    if unit == USD:
        return parse_dollars(text)
    message = unit_message(unit)
    if not isinstance(text, str):
        raise AnswerFormatError(message=message)
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        raise AnswerFormatError("the answer is empty", message=message)
    if len(cleaned) > MAX_LENGTH:
        raise AnswerFormatError("that is too long for an answer", message=message)
    if "$" in cleaned or "usd" in cleaned.lower():
        raise AnswerFormatError(
            f"this answer is in {unit}, not dollars: leave out the $", message=message
        )
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        if _DECIMAL_COMMA.fullmatch(cleaned):
            raise AnswerFormatError("use a dot for decimals, as in 2.5", message=message)
        raise AnswerFormatError(message=message)
    typed_unit = (match["unit"] or "").strip().lower()
    if typed_unit and typed_unit not in _ALIASES.get(unit, (unit.lower(),)):
        raise AnswerFormatError(f"this answer is in {unit}", message=message)
    amount = Decimal(GROUPING.sub("", match["number"]))
    return -amount if match["sign"] == "-" else amount


def parse_number(text: str) -> Decimal:
    """A plain number as the cost exercises read one (`5,000,000`, `1234.5`, ` 200 `): the
    calculator's boxes use this too, so both accept the same text and refuse it the same way."""
    return parse_amount(text, "number")


def format_amount(value: Decimal | int, unit: str = USD) -> str:
    """`$1,234.50`, `14,694,170 requests`, `25,000 GB-s`, `12.5%`: no cents on a count."""
    number = Decimal(value)
    if unit == USD:
        sign = "-" if number < 0 else ""
        return f"{sign}${abs(number):,.2f}"
    if number == number.to_integral_value():
        shown = f"{int(number):,}"
    else:
        shown = f"{number.normalize():,f}"
    if unit == "number":
        return shown
    return f"{shown}%" if unit == "%" else f"{shown} {unit}"
