"""The interface language: the header's switcher, and the strings scripts show in each language."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import JavaScriptCatalog, set_language

from quizzes.study import language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, redirect to `next`); signed in, also the saved choice."""
    response = set_language(request)
    language.language_save(request=request, language=request.POST.get("language", ""))
    return response


@require_safe
def javascript_catalogue(request: HttpRequest, code: str = "") -> HttpResponse:
    """Django's JavaScript catalogue in the language the URL names (`/jsi18n/es/`), or the
    request's (`/jsi18n/`). A page links the catalogue of its own language, so the copy the
    service worker keeps for offline use is never the strings of another language."""
    if code and code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    with translation.override(code or translation.get_language()):
        return JavaScriptCatalog.as_view()(request)
