"""The learner's saved language: kept in their settings, brought into the session.

A visitor's choice is Django's (`set_language`: a cookie); a signed-in learner's choice is also
saved in their settings, and at sign-in the saved one is put in the session, where
`accounts.middleware.LearnerLanguageMiddleware` reads it without a query.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

from accounts.middleware import SESSION_LANGUAGE
from quizzes.models import LearnerSettings


def language_save(*, request: HttpRequest, language: str) -> None:
    """The header switcher's choice, for a signed-in learner: saved, and in the session."""
    if request.user.is_authenticated and translation.check_for_language(language):
        LearnerSettings.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_LANGUAGE] = language


def remember(request: HttpRequest, language: str) -> None:
    """After the settings page saves a language ("" follows the browser again); the rest of
    this request (its confirmation message) speaks it already."""
    if language:
        request.session[SESSION_LANGUAGE] = language
        translation.activate(language)
    else:
        request.session.pop(SESSION_LANGUAGE, None)


@receiver(user_logged_in, dispatch_uid="quizzes.study.language.saved_language")
def saved_language(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """At sign-in, the language saved in the learner's settings wins from now on."""
    if request is None or not hasattr(request, "session"):
        return
    language = LearnerSettings.objects.filter(user=user).values_list("language", flat=True).first()
    remember(request, language or "")
