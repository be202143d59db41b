"""The header's language switcher: Django's `set_language`, saved for a signed-in learner."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from quizzes.study import language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, redirect to `next`); signed in, also the saved choice."""
    response = set_language(request)
    language.language_save(request=request, language=request.POST.get("language", ""))
    return response
