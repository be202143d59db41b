"""What a learner types as an answer (dollars or another unit), and how close it must be.

Typing `$18.74`, `18.74 USD` or `1,234.50` is not a mistake about Lambda pricing, so they are all
accepted; anything ambiguous or not a plain amount is refused with one clear message instead of
being marked wrong. Messages are `Message`s: the page translates them.

Numbers are read as the learner's language writes them (`language`, given by the page):

- English: a dot before the decimals; thousands grouped by commas or spaces, one kind per number
  (`1,234.5`, `1 234.5`); a decimal comma (`18,74`) is refused with a hint.
- Spanish: the site writes `1 234,5` and `US$2,47`, the course's texts `1.024 MB`, and Mexico
  `1,234.5`; all of them read as meant:
  - spaces only group thousands (`5 000 000`);
  - with both a dot and a comma, the last one is the decimal sign and the other groups by three
    (`1.234,56`, `1,234.56`);
  - a sign written more than once groups by three (`1.234.567`, `1,234,567`);
  - a sign written once is the decimal sign (`2,47`, `1,5`, and Mexico's `1.5`), except before
    exactly three digits after a first group that is not 0, where the dot groups (`1.024`, as
    Spanish groups) and the comma is the decimal (`12,345`, as the site writes it) unless the
    number cannot have three decimals: a whole number (`whole`) or dollars, whose cents are two
    digits: there the comma groups too (`US$1,234`, `1,024` requests);
  - anything else (`1.23.456`, `5 000.000` in a whole number, `1.234 567`) is refused, naming the
    form to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quizzes.translatable import Message, gettext_noop

from .text import Fixed, Money, Unit, phrase

MAX_LENGTH = 30
MESSAGE = phrase(gettext_noop("please enter a dollar amount"))
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

# Spanish: digits, dots, commas, and spaces (also no-break ones) between digits.
_SPACES = "\u0020\u00a0\u202f"
_ES_NUMBER = rf"[0-9.,](?:[0-9.,]|[{_SPACES}](?=[0-9]))*"
_ES_AMOUNT = re.compile(
    rf"""
    (?P<sign>-)?\s*
    (?:(?:US\$|\$|USD)\s*)?
    (?P<inner_sign>-)?
    (?P<number>{_ES_NUMBER})
    (?:\s*(?:US\$|\$|USD|d[oó]lares|d[oó]lar))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ES_UNIT_AMOUNT = re.compile(
    rf"(?P<sign>[-+])?\s*(?P<number>{_ES_NUMBER})\s*(?P<unit>[^0-9\s.,].*)?"
)
_FIRST_GROUP = re.compile(r"[1-9][0-9]{0,2}")

EMPTY = phrase(gettext_noop("the answer is empty"))
GROUPS = phrase(
    gettext_noop("write the thousands in groups of three, as in %(example)s"),
    example=1_234_567,
)
MIXED = phrase(
    gettext_noop("use one sign for the thousands and another for the decimals, as in %(example)s"),
    example=Fixed(Decimal("1234.5"), 1),
)


class AnswerFormatError(ValueError):
    """Text that is not an amount: str() is the unit's message (MESSAGE for dollars), `hint`
    says what is wrong with it when that is known ('' otherwise). Both are `Message`s."""

    def __init__(self, hint: str = "", *, message: str = MESSAGE) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def spanish(language: str | None) -> bool:
    """Whether `language` (a code such as "es" or "es-mx") reads numbers the Spanish way."""
    return (language or "en").split("-")[0].lower() == "es"


def _spanish_number(token: str, *, comma_groups: bool, message: str) -> Decimal:
    """A number written the Spanish way (see the module's docstring); `comma_groups`: a lone
    comma before three digits groups them (a whole number, dollars)."""
    spaced = any(space in token for space in _SPACES)
    for space in _SPACES[1:]:
        token = token.replace(space, " ")
    dots, commas = token.count("."), token.count(",")
    decimal, group = "", " " if spaced else ""
    if dots and commas:
        decimal = "." if token.rfind(".") > token.rfind(",") else ","
        group = "," if decimal == "." else "."
        if token.count(decimal) > 1 or spaced:
            raise AnswerFormatError(MIXED, message=message)
    elif dots or commas:
        mark = "." if dots else ","
        first, _, rest = token.partition(mark)
        three = len(rest) == 3 and bool(_FIRST_GROUP.fullmatch(first))
        if dots + commas > 1:
            if spaced:
                raise AnswerFormatError(MIXED, message=message)
            group = mark
        elif spaced:
            if len(rest) == 3 and comma_groups:  # a whole number never reads a decimal
                raise AnswerFormatError(MIXED, message=message)
            decimal = mark
        elif three and (mark == "." or comma_groups):
            group = mark
        else:
            decimal = mark
    whole, _, fraction = token.partition(decimal) if decimal else (token, "", "")
    if group and group in whole:
        if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+", whole):
            raise AnswerFormatError(GROUPS, message=message)
        whole = whole.replace(group, "")
    if not whole.isdigit() and whole:
        raise AnswerFormatError(GROUPS, message=message)
    if not fraction.isdigit() and fraction:
        raise AnswerFormatError(MIXED, message=message)
    if not whole and not fraction:
        raise AnswerFormatError(message=message)
    return Decimal(f"{whole or 0}.{fraction or 0}")


def parse_dollars(text: str, language: str = "en") -> Decimal:
    """`18.74`, `$18.74`, `1,234.50`, ` 18.74 USD`, `US$18.74`, `.80` → Decimal; else an error.
    In Spanish also `2,47`, `US$2,47`, `1.234,56`, `US$1 234,56`, `2,47 dólares`."""
    if not isinstance(text, str):
        raise AnswerFormatError()
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        raise AnswerFormatError(EMPTY)
    if len(cleaned) > MAX_LENGTH:
        raise AnswerFormatError(phrase(gettext_noop("that is too long for a dollar amount")))
    match = (_ES_AMOUNT if spanish(language) else _AMOUNT).fullmatch(cleaned)
    if match is None:
        if not spanish(language) and _DECIMAL_COMMA.fullmatch(cleaned):
            raise AnswerFormatError(
                phrase(
                    gettext_noop("use a dot for cents, as in %(example)s"),
                    example=Decimal("18.74"),
                )
            )
        raise AnswerFormatError()
    if match["sign"] and match["inner_sign"]:
        raise AnswerFormatError()
    if spanish(language):
        amount = _spanish_number(match["number"], comma_groups=True, message=MESSAGE)
    else:
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
        usage = gettext_noop('give dollars such as 0.01 or a percentage such as "1%"')
        if value is None:
            raise ValueError(gettext_noop("tolerance is missing: %(usage)s", usage=usage))
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            raise ValueError(
                gettext_noop(
                    "tolerance must be a number or a percentage, got %(value)s: %(usage)s",
                    value=repr(value),
                    usage=usage,
                )
            )
        if isinstance(value, str):
            text = value.strip()
            percent = _PERCENT.fullmatch(text)
            if percent:
                amount = Decimal(percent["number"])
                if amount > 100:
                    raise ValueError(
                        gettext_noop("tolerance %(text)s is more than 100%%", text=text)
                    )
                return cls(percent=amount)
            plain = _PLAIN.fullmatch(text)
            if plain is None:
                raise ValueError(
                    gettext_noop(
                        "tolerance %(value)s is not a number or a percentage: %(usage)s",
                        value=repr(value),
                        usage=usage,
                    )
                )
            return cls(absolute=Decimal(plain["number"]))
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite() or amount < 0:
            raise ValueError(
                gettext_noop("tolerance must be 0 or more, got %(value)s", value=repr(value))
            )
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
# And in Spanish, besides the English ones.
_SPANISH_ALIASES = {
    "requests": ("solicitudes", "solicitud", "invocaciones", "invocación", "invocacion"),
    "GB-s": ("gb-segundos", "gb-segundo", "gb segundos"),
    "ms": ("milisegundos", "milisegundo"),
    "%": ("por ciento",),
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
_EXAMPLES = {USD: Decimal("18.74"), "%": Decimal("12.5"), "requests": 1_500_000}


def unit_problem(unit: object) -> str:
    """Why a `unit:` value cannot be used, or '' when it can."""
    if not isinstance(unit, str) or not _UNIT_SHAPE.match(unit.strip()):
        return gettext_noop(
            "unit must be one of %(units)s or one word such as 'seconds', got %(unit)s",
            units=list(KNOWN_UNITS),
            unit=repr(unit),
        )
    return ""


def unit_label(unit: str) -> Message:
    """What the input's label says the answer is in."""
    if unit == USD:
        return phrase(gettext_noop("in US dollars"))
    if unit == "%":
        return phrase(gettext_noop("as a percentage"))
    if unit == "number":
        return phrase(gettext_noop("as a number"))
    return phrase(gettext_noop("in %(unit)s"), unit=Unit(unit))


def unit_example_number(unit: str) -> Decimal | int:
    """The number the placeholder and the messages show as an example."""
    return _EXAMPLES.get(unit, 2500)


def unit_example(unit: str) -> Message:
    """A placeholder that shows what to type: `e.g. 18.74`."""
    return phrase(gettext_noop("e.g. %(example)s"), example=unit_example_number(unit))


def unit_message(unit: str) -> Message:
    """The one-line message for text that is not an answer in this unit."""
    if unit == USD:
        return MESSAGE
    example = unit_example_number(unit)
    if unit == "%":
        return phrase(
            gettext_noop("please enter a percentage, such as %(example)s"), example=example
        )
    if unit == "number":
        return phrase(gettext_noop("please enter a number, such as %(example)s"), example=example)
    return phrase(
        gettext_noop("please enter a number of %(unit)s, such as %(example)s"),
        unit=Unit(unit),
        example=example,
    )


def parse_amount(
    text: str,
    unit: str = USD,
    language: str = "en",
    *,
    whole: bool = False,
    names: tuple[str, ...] = (),
) -> Decimal:
    """A typed answer in `unit`: `$` only for USD, the unit's own word (or none) for the others.

    `language`: how the learner writes numbers (see the module's docstring); `whole`: the answer
    is a whole number (a comma before three digits then groups them in Spanish); `names`: more
    words for the unit (its name in the learner's language, from the course's translation)."""
    if unit == USD:
        return parse_dollars(text, language)
    message = unit_message(unit)
    if not isinstance(text, str):
        raise AnswerFormatError(message=message)
    cleaned = text.strip().replace("\u2212", "-")
    if not cleaned:
        raise AnswerFormatError(EMPTY, message=message)
    if len(cleaned) > MAX_LENGTH:
        raise AnswerFormatError(
            phrase(gettext_noop("that is too long for an answer")), message=message
        )
    if "$" in cleaned or "usd" in cleaned.lower():
        raise AnswerFormatError(
            phrase(
                gettext_noop("this answer is in %(unit)s, not dollars: leave out the $"),
                unit=Unit(unit),
            ),
            message=message,
        )
    in_spanish = spanish(language)
    match = (_ES_UNIT_AMOUNT if in_spanish else _NUMBER).fullmatch(cleaned)
    if match is None:
        if not in_spanish and _DECIMAL_COMMA.fullmatch(cleaned):
            raise AnswerFormatError(
                phrase(
                    gettext_noop("use a dot for decimals, as in %(example)s"),
                    example=Decimal("2.5"),
                ),
                message=message,
            )
        raise AnswerFormatError(message=message)
    typed_unit = " ".join((match["unit"] or "").lower().split())
    accepted = _ALIASES.get(unit, (unit.lower(),))
    if in_spanish:
        accepted += _SPANISH_ALIASES.get(unit, ())
    accepted += tuple(" ".join(name.lower().split()) for name in names)
    if typed_unit and typed_unit not in accepted:
        raise AnswerFormatError(
            phrase(gettext_noop("this answer is in %(unit)s"), unit=Unit(unit)), message=message
        )
    if in_spanish:
        amount = _spanish_number(match["number"], comma_groups=whole, message=message)
    else:
        amount = Decimal(GROUPING.sub("", match["number"]))
    return -amount if match["sign"] == "-" else amount


def parse_number(text: str, language: str = "en", *, whole: bool = False) -> Decimal:
    """A plain number as the cost exercises read one (`5,000,000`, `1234.5`, ` 200 `): the
    calculator's boxes use this too, so both accept the same text and refuse it the same way."""
    return parse_amount(text, "number", language, whole=whole)


def format_amount(value: Decimal | int, unit: str = USD) -> Message:
    """`$1,234.50`, `14,694,170 requests`, `25,000 GB-s`, `12.5%`: no cents on a count."""
    number = Decimal(value)
    if unit == USD:
        return phrase("%(amount)s", amount=Money(number))
    if unit == "number":
        return phrase("%(number)s", number=number)
    if unit == "%":
        return phrase("%(number)s%%", number=number)
    return phrase("%(number)s %(unit)s", number=number, unit=Unit(unit))
