"""Messages the pure modules make, printed in English by commands and shown translated by pages.

A pure module cannot call Django's gettext, yet what it reports (a bank's problems, an importer's
notes, the item-writing cues, an upload's refusal, a blueprint's errors) is read on instructor
pages in the reader's language as well as printed by `check_content` and the importers. A
`Message` is both: a `str` holding the English text, so commands, logs, tests and comparisons see
exactly what they always saw, and the template and parameters it was made from, which the Django
side (`quizzes.i18n.translated`, the `translated` template filter) turns into the active language.

    gettext_noop("unknown key '%(key)s' in %(where)s", key="corect", where=...)

`gettext_noop` is the name makemessages looks for, so each template lands in the .po files.
Parameters may be Messages themselves (translated in turn), lists of them (joined with ", "),
ints, `Decimal`s (written with the reader's decimal separator) or any other value (shown as is:
ids, file names, what the author typed). Pure Python: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal


def gettext_noop(template: str, /, **params: object) -> Message:
    """Mark `template` for translation and fill it in English with `params`."""
    return Message(template, params)


def figure(text: str) -> Decimal | str:
    """A number as English writes it (`f"{x:g}"`), as a parameter a page writes with its own
    decimal separator ("0,45" in Spanish); anything else (an exponent) stays as it is."""
    return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text


class Message(str):
    """An English message that keeps its template and parameters for translation."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        params = dict(params or {})
        text = template % {k: _english(v) for k, v in params.items()} if params else template
        message = super().__new__(cls, text)
        message.template, message.params = str(template), params
        return message

    def __reduce__(self) -> tuple:  # cached with pickle (the bank preview's checks)
        return Message, (self.template, self.params)

    def as_data(self) -> dict:
        """The message as JSON can store it (`from_data` reads it back)."""
        return {"template": self.template, "params": {k: _data(v) for k, v in self.params.items()}}

    @classmethod
    def from_data(cls, data: Mapping) -> Message:
        params = {k: _from_data(v) for k, v in (data.get("params") or {}).items()}
        return cls(str(data.get("template", "")), params)


def _english(value: object) -> object:
    if isinstance(value, list | tuple):
        return ", ".join(str(_english(v)) for v in value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _data(value: object) -> object:
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _from_data(value: object) -> object:
    if isinstance(value, Mapping):
        return Decimal(value["decimal"]) if "decimal" in value else Message.from_data(value)
    if isinstance(value, list):
        return [_from_data(v) for v in value]
    return value
