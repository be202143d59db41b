"""`{{ value|percent }}`: a percentage as the reader's language writes it (studyapp.percent)."""

from __future__ import annotations

from django import template

from studyapp.percent import percent_text

register = template.Library()


@register.filter
def percent(value: object) -> str:
    return percent_text(value)
