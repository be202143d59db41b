"""The htmx helpers every app's views share: in the project, so no app imports another's views.

`HtmxHttpRequest` types the `request.htmx` that django-htmx's middleware adds; `fragment` picks
the whole page or only its partial (django-template-partials' `template#partial`).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def fragment(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The page template, or only its partial when htmx asks for a fragment."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template
