"""The learner's dashboard, settings and leeches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import hooks, selectors
from quizzes.forms import LearnerSettingsForm
from quizzes.study import language, optimizer, personal, reviews, scheduler
from quizzes.study.dashboard import dashboard_for
from studyapp.htmx import HtmxHttpRequest


@login_required
@require_safe
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """How ready the learner is: today's work, forecast, true retention and mastery per topic."""
    context = dashboard_for(user=request.user, now=timezone.now())
    return render(request, "quizzes/dashboard.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_settings(request: HtmxHttpRequest) -> HttpResponse:
    settings = reviews.learner_settings(request.user)
    exams = hooks.exams().target_choices(user=request.user)
    form = LearnerSettingsForm(request.POST or None, instance=settings, exams=exams)
    if request.method == "POST" and form.is_valid():
        form.save()
        language.remember(request, form.cleaned_data["language"])
        if "target_exam" in form.changed_data:
            # New cards follow the new target's topic weights from the next card on.
            hooks.exams().target_changed(user=request.user, now=timezone.now(), settings=settings)
        messages.success(
            request, _("Settings saved. New intervals use them from your next review.")
        )
        return redirect("study_settings")
    context = {
        "form": form,
        "settings": settings,
        "reviews_logged": personal.review_count(request.user),
        "min_reviews": optimizer.MIN_REVIEWS,
        "time_zones": scheduler.time_zone_names(),
        # Never saved: the page offers the browser's own zone (static/js/site.js).
        "suggest_browser_zone": settings.time_zone == "UTC" and not form.is_bound,
    }
    return render(request, "quizzes/settings.html", context)


@login_required
@require_POST
def fsrs_parameters(request: HtmxHttpRequest, action: str) -> HttpResponse:
    """Optimise the learner's FSRS parameters on their own history, or go back to the old ones."""
    if action == "optimize":
        try:
            report = personal.parameters_optimize(user=request.user)
        except optimizer.NotEnoughReviews as error:
            messages.error(request, str(error))
        else:
            if report.kept_old:
                messages.info(request, _("A fit on your history did not predict it better: your "
                                         "parameters stay as they were."))  # fmt: skip
            else:
                messages.success(
                    request, _("Your own FSRS parameters are in use from the next review.")
                )
    elif action == "revert":
        if personal.parameters_revert(user=request.user):
            messages.success(request, _("The parameters you used before are back."))
        else:
            messages.error(request, _("There are no earlier parameters to go back to."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("study_settings")


@login_required
@require_safe
def leeches(request: HtmxHttpRequest) -> HttpResponse:
    cards = selectors.leech_cards(request.user)
    return render(
        request, "quizzes/leeches.html", {"cards": cards, "limit": scheduler.LEECH_LAPSES}
    )


@login_required
@require_POST
def leech_action(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """Reset a leech to new, or unsuspend it; only the learner's own cards."""
    card = selectors.own_leech(request.user, pk)
    if action == "reset":
        reviews.leech_reset(card=card)
        messages.success(request, _("The card starts over as a new card."))
    elif action == "unsuspend":
        reviews.leech_unsuspend(card=card)
        messages.success(request, _("The card is back in your reviews."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("leeches")
