"""Messages the pure modules make, printed in English by commands and shown translated by pages.

A pure module cannot call Django's gettext, yet what it says (a bank's problems, an importer's
notes, the item-writing cues, an upload's refusal, the cost engine's steps and errors) is read on
pages in the reader's language as well as printed by commands. A `Message` is both: a `str`
holding the English text, so commands, logs, JSON, tests and comparisons see exactly what they
always saw, and the template and parameters it was made from, which the Django side
(`quizzes.i18n.translated`, the `translated` template filter) writes in the active language.

    gettext_noop("unknown key '%(key)s' in %(where)s", key="corect", where=...)

`gettext_noop` is the name makemessages looks for, so each template lands in the .po files.
`written(writer)` fills the template: the writer translates it and writes each parameter.
Parameters may be Messages themselves (translated in turn), lists of them (joined with ", "),
`Decimal`s (written with the reader's decimal separator), any object with its own
`written(writer)` (the cost engine's dollars, `quizzes.costs.text`, asks a writer that knows them)
or any other value (shown as is: ids, file names, what the author typed). No Django import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


def gettext_noop(template: str, /, **params: object) -> Message:
    """Mark `template` for translation and fill it in English with `params`."""
    return Message(template, params)


def figure(text: str) -> Decimal | str:
    """A number as English writes it (`f"{x:g}"`), as a parameter a page writes with its own
    decimal separator ("0,45" in Spanish); anything else (an exponent) stays as it is."""
    return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text


class English:
    """How a message is written in English (its `str`); a page's writer does the same for the
    active language, and may know more parameter types (a dollar amount, a unit)."""

    def translate(self, template: str) -> str:
        return template

    def decimal(self, value: Decimal) -> str:
        return format(value, "f")

    def items(self, texts: Sequence[str], decimals: bool) -> str:
        """Written list items joined; `decimals`: some are numbers."""
        return ", ".join(texts)

    def percent(self, share: float, places: int) -> str:
        return format(share, f".{places}%")

    def plain(self, text: str) -> str:
        return text


ENGLISH = English()


@dataclass
class Percent:
    """A share (0.3) as a parameter written as a percentage: "30%" in English, each page's own
    way in its language ("30 %" in Spanish)."""

    share: float
    places: int = 0

    def __post_init__(self) -> None:
        self.share = float(self.share)  # stored as JSON (as_data) and compared by value

    def written(self, writer: English) -> str:
        return writer.percent(self.share, self.places)


def written(value: object, writer: English) -> str:
    """One parameter as `writer` writes it."""
    if hasattr(value, "written"):  # a Message, or a parameter type with its own writing
        return value.written(writer)
    if isinstance(value, list | tuple):
        decimals = any(isinstance(v, Decimal) for v in value)
        return writer.items([written(v, writer) for v in value], decimals)
    if isinstance(value, Decimal):
        return writer.decimal(value)
    return writer.plain(str(value))


class Message(str):
    """An English message that keeps its template and parameters for translation."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        params = dict(params or {})
        message = super().__new__(cls, _fill(str(template), params, ENGLISH))
        message.template, message.params = str(template), params
        return message

    def __reduce__(self) -> tuple:  # cached with pickle: with its template, not as English
        return Message, (self.template, self.params)

    def written(self, writer: English) -> str:
        """The message as `writer` writes it: the template translated, the parameters its way."""
        return _fill(writer.translate(self.template), self.params, writer)

    def as_data(self) -> dict:
        """The message as JSON can store it (`from_data` reads it back)."""
        return {"template": self.template, "params": {k: _data(v) for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data: Mapping) -> Message:
        params = {k: _from_data(v) for k, v in (data.get("params") or {}).items()}
        return cls(str(data.get("template", "")), params)


def _fill(template: str, params: Mapping[str, object], writer: English) -> str:
    if not params:
        return template
    return template % {name: written(value, writer) for name, value in params.items()}


def _data(value: object) -> object:
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Percent):
        return {"percent": value.share, "places": value.places}
    return value


def _from_data(value: object) -> object:
    if isinstance(value, Mapping):
        if "decimal" in value:
            return Decimal(value["decimal"])
        if "percent" in value:
            return Percent(float(value["percent"]), int(value.get("places", 0)))
        return Message.from_data(value)
    if isinstance(value, list):
        return [_from_data(v) for v in value]
    return value
