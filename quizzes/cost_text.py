"""The pricing engine's text in the active language: its phrases translated, its numbers written
as the language writes them ("1 234,5" in Spanish; dollars as the site shows them, "US$2,47").

The engine (`quizzes.costs`) stays pure and English: its steps, formulas, rates and messages are
`Phrase`s, an English `str` with the message and its numbers. `say` writes one for the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

from quizzes.costs import text
from quizzes.costs.answers import spanish
from quizzes.costs.exercises import display_value
from quizzes.costs.numbers import EXACT, to_cents
from quizzes.costs.pricing import LABELS


def language() -> str:
    """The active language as the answer parser takes it: "es", "en"."""
    return (get_language() or "en").split("-")[0]


def _digits(value: Decimal | int, places: int | None = None) -> str:
    """A number in the active language's format, thousands grouped; all its decimals unless
    `places` is given (then rounded half up to them)."""
    number = Decimal(value)
    if places is None:
        number = number.normalize(EXACT)
        places = max(0, -number.as_tuple().exponent)
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # no "-0"
    return number_format(number, decimal_pos=places, force_grouping=True)


class Writer:
    """A `text.Writer` for the active language; `units` names a unit the way the course's
    translation of a question does ("seconds" -> "segundos")."""

    def __init__(self, units: Mapping[str, str] | None = None) -> None:
        self.units = units or {}
        self.dollar = pgettext("currency symbol for US dollars", "$")

    def translate(self, message: str) -> str:
        return gettext(message)

    def number(self, value: Decimal | int) -> str:
        return _digits(value)

    def fixed(self, value: Decimal, places: int) -> str:
        return _digits(value, places)

    def money(self, amount: Decimal) -> str:
        cents = to_cents(amount)
        sign = "-" if cents < 0 else ""
        return f"{sign}{self.dollar}{_digits(abs(cents), 2)}"

    def price(self, amount: Decimal) -> str:
        """All its digits and at least two decimals: "US$0,0000166667", "US$0,20"."""
        places = max(2, -Decimal(amount).normalize(EXACT).as_tuple().exponent)
        return f"{self.dollar}{_digits(amount, places)}"

    def unit(self, name: str) -> str:
        return self.units.get(name) or gettext(name)

    def label(self, key: str) -> str:
        return gettext(LABELS[key]) if key in LABELS else key

    def plain(self, words: str) -> str:
        return words

    def code(self, expression: str) -> str:
        # In a language with a decimal comma, a comma between arguments becomes a semicolon, as
        # a spreadsheet in that language writes min(1; 2,5).
        # Numbers keep their digits together (a space inside one would read as two numbers).
        if spanish(language()):
            expression = expression.replace(",", ";")
        return text.code_numbers(expression, self.ungrouped)

    def ungrouped(self, value: Decimal) -> str:
        digits = format(value.normalize(EXACT), "f")
        return digits.replace(".", get_format("DECIMAL_SEPARATOR"))


class _Html:
    """Another writer's text as HTML: every piece escaped, an author's expression in `<code>`."""

    def __init__(self, writer: text.Writer) -> None:
        self.writer = writer

    def __getattr__(self, name: str):
        method = getattr(self.writer, name)
        return lambda *args: escape(method(*args))

    def code(self, expression: str) -> str:
        return format_html("<code>{}</code>", self.writer.code(expression))


def say(value: object, units: Mapping[str, str] | None = None, *, html: bool = False) -> str:
    """A phrase of the engine in the active language; any other text as it is. `html`: as safe
    HTML, with an author's expression in `<code>` (a step of a worked solution)."""
    if not isinstance(value, text.Phrase):
        words = "" if value is None else str(value)
        return escape(words) if html else words
    writer: text.Writer = text.ENGLISH if language() == "en" else Writer(units)
    if html:
        return mark_safe(value.written(_Html(writer)))  # every piece escaped by _Html
    return value.written(writer)


def say_all(
    values: Iterable[object], units: Mapping[str, str] | None = None, *, html: bool = False
) -> tuple[str, ...]:
    return tuple(say(value, units, html=html) for value in values)


def stem_value(value: object) -> str:
    """A drawn number as a translated stem shows it: "5 000 000", "1,5" in Spanish."""
    if language() != "en" and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _digits(value)
    return display_value(value)


def unit_names(question) -> dict[str, str]:
    """A numeric question's unit as the course's translation names it in the active language
    ({"seconds": "segundos"}), for the feedback and as a word the learner may type."""
    if "translations" in question.get_deferred_fields():
        return {}
    unit = (question.exercise or {}).get("unit", "USD")
    found = ((question.translations or {}).get(language()) or {}).get("unit")
    return {unit: found} if found and found != unit else {}
