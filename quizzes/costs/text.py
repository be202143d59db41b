"""The engine's sentences: English for a script, a message and its numbers for a page.

Every step, formula, rate and message of the cost engine is a `Phrase`: a `str` holding the English
(so the management command, the JSON and the checks read it as before) that also keeps its
message, marked with `gettext_noop`, and its parameters as numbers. A page translates the message
and writes each parameter as its language writes numbers (`quizzes.cost_text`); the engine never
knows the language. No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .numbers import fmt_money, fmt_number, fmt_price, to_cents


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds this name); the page translates it."""
    return message


@dataclass(frozen=True)
class Money:
    """US dollars to the cent: `$1,234.50`, `-$3.00`."""

    amount: Decimal


@dataclass(frozen=True)
class Price:
    """A rate with all its digits and at least two decimals: `$0.20`, `$0.0000166667`."""

    amount: Decimal


@dataclass(frozen=True)
class Exact:
    """An exact amount: `$0.80`, or `$2.333338 ≈ $2.33` when rounding to the cent changes it."""

    amount: Decimal


@dataclass(frozen=True)
class Fixed:
    """A number with exactly `places` decimals and no symbol: `1,234.50`."""

    value: Decimal
    places: int = 2


@dataclass(frozen=True)
class Unit:
    """What a number counts: a word a page translates (`requests`), a symbol that stays (`GB-s`)."""

    name: str


@dataclass(frozen=True)
class Label:
    """A line of the bill named by its key (`ephemeral`): the page says the line's label."""

    key: str


@dataclass(frozen=True)
class Code:
    """An author's arithmetic expression: a page writes its numbers its own way."""

    text: str


@dataclass(frozen=True)
class Joined:
    """Parameters written one after the other: the terms of a formula, the lines of a total."""

    parts: tuple[object, ...]
    separator: str = " + "


class Writer(Protocol):
    """How one language writes the parameters of a phrase (English: `ENGLISH`)."""

    def translate(self, message: str) -> str: ...
    def number(self, value: Decimal | int) -> str: ...
    def fixed(self, value: Decimal, places: int) -> str: ...
    def money(self, amount: Decimal) -> str: ...
    def price(self, amount: Decimal) -> str: ...
    def unit(self, name: str) -> str: ...
    def label(self, key: str) -> str: ...
    def code(self, text: str) -> str: ...
    def plain(self, text: str) -> str: ...


class English:
    """The engine's own writing: what `str(phrase)` holds."""

    def translate(self, message: str) -> str:
        return message

    def number(self, value: Decimal | int) -> str:
        return fmt_number(value)

    def fixed(self, value: Decimal, places: int) -> str:
        return f"{value:,.{places}f}"

    def money(self, amount: Decimal) -> str:
        return f"-{fmt_money(-amount)}" if amount < 0 else fmt_money(amount)

    def price(self, amount: Decimal) -> str:
        return fmt_price(amount)

    def unit(self, name: str) -> str:
        return name

    def label(self, key: str) -> str:
        return key

    def code(self, text: str) -> str:
        return text

    def plain(self, text: str) -> str:
        return text


ENGLISH = English()


def write(value: object, writer: Writer) -> str:
    """One parameter as `writer` writes it."""
    if isinstance(value, Phrase):
        return value.written(writer)
    if isinstance(value, bool):
        return writer.plain(str(value))
    if isinstance(value, Decimal | int):
        return writer.number(value)
    if isinstance(value, Money):
        return writer.money(value.amount)
    if isinstance(value, Price):
        return writer.price(value.amount)
    if isinstance(value, Exact):
        if to_cents(value.amount) == value.amount:
            return writer.money(value.amount)
        return f"{writer.price(value.amount)} ≈ {writer.money(value.amount)}"
    if isinstance(value, Fixed):
        return writer.fixed(value.value, value.places)
    if isinstance(value, Unit):
        return writer.unit(value.name)
    if isinstance(value, Label):
        return writer.label(value.key)
    if isinstance(value, Code):
        return writer.code(value.text)
    if isinstance(value, Joined):
        return value.separator.join(write(part, writer) for part in value.parts)
    return writer.plain(str(value))


def _fill(message: str, params: Mapping[str, object], writer: Writer) -> str:
    if not params:
        return message
    return message % {name: write(value, writer) for name, value in params.items()}


class Phrase(str):
    """A sentence of the engine: the English as a `str`, with its message and parameters.

    `Phrase(gettext_noop("Memory: %(mb)s MB"), mb=512)` is the str "Memory: 512 MB";
    `written(writer)` is the same sentence in the writer's language. A message with no words
    ("%(formula)s = %(amount)s") is left unmarked: there is nothing to translate in it.
    """

    message: str
    params: Mapping[str, object]

    def __new__(cls, message: str, **params: object) -> Phrase:
        phrase = super().__new__(cls, _fill(message, params, ENGLISH))
        phrase.message = message
        phrase.params = params
        return phrase

    def __reduce__(self) -> tuple:  # pickled (a cached page) with its message, not as English
        return (_phrase, (self.message, dict(self.params)))

    def written(self, writer: Writer) -> str:
        """The sentence as `writer` writes it: the message translated, the numbers its way."""
        return _fill(writer.translate(self.message), self.params, writer)


def _phrase(message: str, params: dict[str, object]) -> Phrase:
    return Phrase(message, **params)


_CODE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def code_numbers(text: str, number) -> str:
    """An expression with each number literal rewritten by `number` (a writer's `code`)."""
    return _CODE_NUMBER.sub(lambda match: number(Decimal(match.group(0))), text)
