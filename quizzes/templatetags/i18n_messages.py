"""`{{ problem|translated }}`: a pure module's message (a bank's problem, an importer's note, an
item-writing cue) in the reader's language."""

from __future__ import annotations

from django import template

from quizzes import i18n

register = template.Library()


@register.filter
def translated(value: object) -> str:
    return i18n.translated(value)
