"""The Django side of `quizzes.translatable`: a pure module's message in the active language.

Pages show a bank's problems, an importer's notes, the item-writing cues and the like through
`translated` (the `translated` template filter of `quizzes.templatetags.i18n_messages`); what
is not a `Message` (text an author typed, a library's own error) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext

from quizzes.course.bank import Problem
from quizzes.translatable import Message


def translated(value: object) -> str:
    """`value` in the active language: a Message (or one stored as data), a Problem as
    `path:line: message`; anything else as text."""
    if isinstance(value, Problem):
        return f"{value.path}:{value.line}: {translated(value.message)}"
    if isinstance(value, Mapping) and "template" in value:
        value = Message.from_data(value)
    if not isinstance(value, Message):
        return "" if value is None else str(value)
    template = gettext(value.template)
    if not value.params:
        return template
    return template % {key: _param(param) for key, param in value.params.items()}


def _param(value: object) -> object:
    if isinstance(value, Message | Mapping):
        return translated(value)
    if isinstance(value, list | tuple):
        # "0,45; 0,55" where a decimal comma would make "0,45, 0,55" ambiguous.
        decimals = any(isinstance(v, Decimal) for v in value)
        separator = "; " if decimals and get_format("DECIMAL_SEPARATOR") == "," else ", "
        return separator.join(str(_param(v)) for v in value)
    if isinstance(value, Decimal):
        return number_format(value)
    return value


def sentence(value: object) -> str:
    """`translated(value)` as a sentence on its own: a capital first letter and a full stop
    (pure modules' messages start in lower case, to follow a `path:line:`)."""
    text = translated(value)
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith((".", "?", "!")) else ".")
