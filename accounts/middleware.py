"""No cache keeps a page for a logged-in user: it shows their data, or an answer key."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

# The signed-in learner's saved language, kept in the session at sign-in and when saved, so
# choosing the language costs no query on a page.
SESSION_LANGUAGE = "study_language"


class LearnerLanguageMiddleware:
    """A signed-in learner's saved language wins over the cookie and Accept-Language.

    LocaleMiddleware (before authentication) chose from the switcher's cookie or the browser;
    this one, after it, switches to the language saved in the learner's settings, if any.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = ""
        if request.user.is_authenticated:
            language = request.session.get(SESSION_LANGUAGE, "")
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a logged-in user.

    A shared proxy must not serve one learner's results to another, and the browser must not
    keep an exam's key on disk for the next person at a shared computer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
