"""The Django side of `quizzes.translatable`: a pure module's message in the active language.

Pages show a bank's problems, an importer's notes, the item-writing cues and the cost engine's
steps, rates and errors through `translated` (the `translated` template filter of
`quizzes.templatetags.i18n_messages`): the template translated, each parameter written as the
language writes it ("0,45", "1 234,5"; dollars as the site shows them, "US$2,47"). What is not a
`Message` (text an author typed, a library's own error) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
from quizzes.course.bank import Problem
from quizzes.translatable import English, Message
from studyapp.percent import percent_text


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


class Writer(English):
    """A message's writer for the active language, the cost engine's values (`text.Writer`)
    included; `units` names a unit the way the course's translation of a question does
    ("seconds" -> "segundos")."""

    def __init__(self, units: Mapping[str, str] | None = None) -> None:
        self.units = units or {}
        self.dollar = pgettext("currency symbol for US dollars", "$")

    def translate(self, template: str) -> str:
        return gettext(template)

    def decimal(self, value: Decimal) -> str:
        return number_format(value)

    def items(self, texts: Sequence[str], decimals: bool) -> str:
        # "0,45; 0,55" where a decimal comma would make "0,45, 0,55" ambiguous.
        comma = decimals and get_format("DECIMAL_SEPARATOR") == ","
        return ("; " if comma else ", ").join(texts)

    def number(self, value: Decimal | int) -> str:
        return _digits(value)

    def percent(self, share: float, places: int) -> str:
        return percent_text(number_format(round(share * 100, places), decimal_pos=places))

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

    def __init__(self, writer: English) -> None:
        self.writer = writer

    def __getattr__(self, name: str):
        method = getattr(self.writer, name)
        return lambda *args: escape(method(*args))

    def items(self, texts: Sequence[str], decimals: bool) -> str:
        return self.writer.items(texts, decimals)  # the texts are escaped already

    def code(self, expression: str) -> str:
        return format_html("<code>{}</code>", self.writer.code(expression))


def translated(value: object, units: Mapping[str, str] | None = None, *, html: bool = False) -> str:
    """`value` in the active language: a Message (or one stored as data), a Problem as
    `path:line: message`; anything else as text. `html`: as safe HTML, with an author's
    expression in `<code>` (a step of a worked solution)."""
    if isinstance(value, Problem):
        where = f"{value.path}:{value.line}: "
        return (escape(where) if html else where) + translated(value.message, units, html=html)
    if isinstance(value, Mapping) and "template" in value:
        value = Message.from_data(value)
    if not isinstance(value, Message):
        words = "" if value is None else str(value)
        return escape(words) if html else words
    # English is the messages' own writing (their str), the engine's dollars included.
    writer: English = text.ENGLISH if language() == "en" else Writer(units)
    if html:
        return mark_safe(value.written(_Html(writer)))  # every piece escaped by _Html
    return value.written(writer)


def translated_all(
    values: Iterable[object], units: Mapping[str, str] | None = None, *, html: bool = False
) -> tuple[str, ...]:
    return tuple(translated(value, units, html=html) for value in values)


def sentence(value: object) -> str:
    """`translated(value)` as a sentence on its own: a capital first letter and a full stop
    (pure modules' messages start in lower case, to follow a `path:line:`)."""
    words = translated(value)
    return f"{words[:1].upper()}{words[1:]}" + ("" if words.endswith((".", "?", "!")) else ".")


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
