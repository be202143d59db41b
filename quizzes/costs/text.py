"""The engine's sentences and the values in them: dollars, rates, units, an author's expression.

Every step, formula, rate and message of the cost engine is a `Message` of `quizzes.translatable`:
a `str` holding the English (so the management command, the JSON and the checks read it as
before) that keeps its template, marked with `gettext_noop`, and its parameters as values. The
types here are those parameters: each is written by a writer's method (`money`, `price`, ...), so
a page writes them as its language does (`quizzes.i18n`); the English writer is `ENGLISH`. The
engine never knows the language. No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import ClassVar, Protocol, runtime_checkable

from quizzes import translatable
from quizzes.translatable import Message

from .numbers import fmt_money, fmt_number, fmt_price, to_cents


def phrase(template: str, /, **params: object) -> Message:
    """A sentence of the engine: `phrase(gettext_noop("Memory: %(mb)s MB"), mb=512)` is the
    Message "Memory: 512 MB". Its bare numbers are figures a person reads ("5,000,000"). A
    template with no words ("%(formula)s = %(amount)s") is left unmarked: nothing to translate."""
    return Message(template, {name: _figure(value) for name, value in params.items()})


def _figure(value: object) -> object:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Number(value)
    return value


@runtime_checkable
class Writer(Protocol):
    """How one language writes the engine's values (English: `ENGLISH`)."""

    def number(self, value: Decimal | int) -> str: ...
    def fixed(self, value: Decimal, places: int) -> str: ...
    def money(self, amount: Decimal) -> str: ...
    def price(self, amount: Decimal) -> str: ...
    def unit(self, name: str) -> str: ...
    def label(self, key: str) -> str: ...
    def code(self, text: str) -> str: ...


class English(translatable.English):
    """The engine's own writing: what `str(message)` holds."""

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


ENGLISH = English()


def _writer(writer: object) -> Writer:
    """`writer` if it writes the engine's values, else the English (a message's own `str`)."""
    return writer if isinstance(writer, Writer) else ENGLISH


class _Value:
    """A value written by the writer's method named `method`, given the value's fields."""

    method: ClassVar[str]

    def written(self, writer: object) -> str:
        values = (getattr(self, field.name) for field in fields(self))
        return getattr(_writer(writer), self.method)(*values)


@dataclass(frozen=True)
class Number(_Value):
    """A figure a person reads: thousands grouped, no trailing zeros (`5,000,000`, `0.5`)."""

    method: ClassVar[str] = "number"
    value: Decimal | int


@dataclass(frozen=True)
class Money(_Value):
    """US dollars to the cent: `$1,234.50`, `-$3.00`."""

    method: ClassVar[str] = "money"
    amount: Decimal


@dataclass(frozen=True)
class Price(_Value):
    """A rate with all its digits and at least two decimals: `$0.20`, `$0.0000166667`."""

    method: ClassVar[str] = "price"
    amount: Decimal


@dataclass(frozen=True)
class Exact:
    """An exact amount: `$0.80`, or `$2.333338 ≈ $2.33` when rounding to the cent changes it."""

    amount: Decimal

    def written(self, writer: object) -> str:
        writer = _writer(writer)
        if to_cents(self.amount) == self.amount:
            return writer.money(self.amount)
        return f"{writer.price(self.amount)} ≈ {writer.money(self.amount)}"


@dataclass(frozen=True)
class Fixed(_Value):
    """A number with exactly `places` decimals and no symbol: `1,234.50`."""

    method: ClassVar[str] = "fixed"
    value: Decimal
    places: int = 2


@dataclass(frozen=True)
class Unit(_Value):
    """What a number counts: a word a page translates (`requests`), a symbol that stays (`GB-s`)."""

    method: ClassVar[str] = "unit"
    name: str


@dataclass(frozen=True)
class Label(_Value):
    """A line of the bill named by its key (`ephemeral`): the page says the line's label."""

    method: ClassVar[str] = "label"
    key: str


@dataclass(frozen=True)
class Code(_Value):
    """An author's arithmetic expression: a page writes its numbers its own way."""

    method: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class Joined:
    """Parameters written one after the other: the terms of a formula, the lines of a total."""

    parts: tuple[object, ...]
    separator: str = " + "

    def written(self, writer: object) -> str:
        parts = (translatable.written(_figure(part), writer) for part in self.parts)
        return self.separator.join(parts)


_CODE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def code_numbers(text: str, number) -> str:
    """An expression with each number literal rewritten by `number` (a writer's `code`)."""
    return _CODE_NUMBER.sub(lambda match: number(Decimal(match.group(0))), text)
