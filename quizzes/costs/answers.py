"""What a learner types as a dollar amount, and how close it must be to count as right.

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
    """Text that is not a dollar amount; str() is always MESSAGE, `hint` may say more."""

    def __init__(self, hint: str = "") -> None:
        super().__init__(MESSAGE)
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

    def describe(self) -> str:
        """`within $0.01`, `within 1%`, or `exactly`."""
        parts = []
        if self.absolute is not None:
            parts.append(
                f"${self.absolute:,.2f}"
                if self.absolute >= Decimal("0.01")
                else f"${self.absolute}"
            )
        if self.percent is not None:
            parts.append(f"{self.percent.normalize():f}%")
        return f"within {' or '.join(parts)}" if parts else "exactly"
