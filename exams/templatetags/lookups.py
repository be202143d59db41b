from __future__ import annotations

from django import template

from exams.blueprints.spec import score_text

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping|get_item:key` for dicts keyed by ids or names."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def exam_score(score: float | None, scoring: str) -> str:
    """`attempt.score|exam_score:attempt.blueprint.scoring`: "640 / 1,000" or "72%"."""
    return score_text(score, scoring)


@register.filter
def time_left(seconds: int) -> str:
    """Seconds as a person says a time left: "1 h 05 min", "12 min", "under a minute"."""
    minutes = int(seconds) // 60
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02} min" if hours else f"{minutes} min"
