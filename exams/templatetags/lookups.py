from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from exams.blueprints.spec import score_text
from quizzes import axis
from studyapp.percent import percent_text

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping|get_item:key` for dicts keyed by ids or names."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def exam_score(score: float | None, scoring: str) -> str:
    """`attempt.score|exam_score:attempt.blueprint.scoring`: "640 / 1,000" or "72%", with the
    digits grouped and the percent sign written as the active language writes them."""
    if score is None:
        return score_text(score, scoring)
    if scoring == "percent":
        return percent_text(round(score))
    scaled, top = (number_format(n, force_grouping=True) for n in (round(score), 1000))
    return f"{scaled} / {top}"


@register.filter
def time_left(seconds: int) -> str:
    """Seconds as a person says a time left: "1 h 05 min", "12 min", "under a minute"."""
    minutes = int(seconds) // 60
    if minutes < 1:
        return gettext("under a minute")
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02} min" if hours else f"{minutes} min"


@register.filter
def usd(amount: float | None, decimals: int = 2) -> str:
    """`amount|usd` (or `|usd:4`): US dollars in the active language's number format."""
    return axis.usd(amount, decimals)
