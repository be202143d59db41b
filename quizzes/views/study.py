"""The learner's dashboard, settings and leeches."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import language
from exams.readiness import forecast as exam_readiness
from quizzes import axis, charts
from quizzes.forms import LearnerSettingsForm
from quizzes.models import Card, Question, ReviewLog, Topic
from quizzes.selectors import with_question
from quizzes.study import optimizer, personal, reviews, scheduler, studystats, today
from studyapp.htmx import HtmxHttpRequest


@login_required
@require_safe
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """How ready the learner is: today's work, forecast, true retention and mastery per topic."""
    user = request.user
    settings = reviews.learner_settings(user)
    sched = settings.scheduler_settings()
    now = timezone.now()
    queue = reviews.review_queue(user=user, settings=settings, now=now)

    cards = list(
        Card.objects.filter(user=user, suspended=False, question__retired_at__isnull=True)
        .exclude(state=Card.State.NEW)
        .values_list(
            "question__topic__slug",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reps",
            "lapses",
        )  # fmt: skip
    )
    states = [(row[0], scheduler.CardState(*row[1:])) for row in cards]
    since = now - timedelta(days=31)
    logs = ReviewLog.objects.filter(user=user, reviewed_at__gte=since).values_list(
        "card_id", "reviewed_at", "rating", "state_before", "interval_before_days"
    )
    log_rows = [studystats.LogRow(*row) for row in logs]

    topics = list(
        Topic.objects.live()
        .annotate(total=Count("questions", filter=Q(questions__retired_at__isnull=True)))
        .filter(total__gt=0)
    )
    ready = exam_readiness.readiness_for(user, now=now, settings=settings)
    mastery = ready.mastery
    forecast = studystats.forecast([s.due for _, s in states], now, sched)
    unseen = (
        Question.objects.live()
        .exclude(
            pk__in=Card.objects.filter(user=user)
            .exclude(state=Card.State.NEW)
            .values("question_id")
        )
        .count()
    )
    history = (
        exam_readiness.snapshot_history(user=user, blueprint=ready.target.blueprint, now=now)
        if ready.target
        else []
    )
    context = {
        "queue": queue,
        "streak": today.study_streak(user, sched, now),
        "retention": studystats.true_retention(log_rows, now, sched),
        "forecast": forecast,
        "forecast_chart": charts.bar_chart(
            [(date_format(day, "j M"), count) for day, count in forecast]
        ),
        "mastery": [(t, round(100 * mastery.get(t.slug, 0))) for t in topics],
        "readiness": ready,
        "forecast_at": ready.recall.at,
        "history": history,
        "history_chart": _history_chart(history, now),
        "calibration": exam_readiness.learner_calibration(user),
        "exam_load": studystats.daily_load_until_exam(
            [s.due for _, s in states], unseen, now, sched
        ),
        "settings": settings,
        "studied": len(states),
        "unseen": unseen,
        "leeches": Card.objects.filter(user=user, is_leech=True).count(),
    }
    return render(request, "quizzes/dashboard.html", context)


def _history_chart(history: list, now) -> dict | None:
    """The predicted score over the last 30 days as lines: expected, and the 80% interval.

    None until there are two days to join (one day is in the table below the chart)."""
    if len(history) < 2:
        return None
    start = (now - timedelta(days=30)).date()

    def points(name: str) -> list[tuple[int, float]]:
        return [((row.day - start).days, getattr(row, name)) for row in history]

    return charts.line_chart(
        [
            ("80% interval, low", "series-low", points("low_percent")),
            ("Expected", "series-expected", points("expected_percent")),
            ("80% interval, high", "series-high", points("high_percent")),
        ],
        x_label=lambda x: date_format(start + timedelta(days=round(x)), "j M"),
        y_label=axis.percent,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_settings(request: HtmxHttpRequest) -> HttpResponse:
    settings = reviews.learner_settings(request.user)
    exams = [(b.slug, b.title) for b in exam_readiness.sittable(request.user)]
    form = LearnerSettingsForm(request.POST or None, instance=settings, exams=exams)
    if request.method == "POST" and form.is_valid():
        form.save()
        language.remember(request, form.cleaned_data["language"])
        if "target_exam" in form.changed_data:
            # New cards follow the new target's topic weights from the next card on.
            exam_readiness.readiness_for(request.user, now=timezone.now(), settings=settings)
        messages.success(
            request, _("Settings saved. New intervals use them from your next review.")
        )
        return redirect("study_settings")
    context = {
        "form": form,
        "settings": settings,
        "reviews_logged": personal.review_count(request.user),
        "min_reviews": optimizer.MIN_REVIEWS,
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
    cards = with_question(Card.objects.filter(user=request.user, is_leech=True))
    return render(
        request, "quizzes/leeches.html", {"cards": cards, "limit": scheduler.LEECH_LAPSES}
    )


@login_required
@require_POST
def leech_action(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    """Reset a leech to new, or unsuspend it; only the learner's own cards."""
    card = get_object_or_404(Card, pk=pk, user=request.user, is_leech=True)
    if action == "reset":
        reviews.leech_reset(card=card)
        messages.success(request, _("The card starts over as a new card."))
    elif action == "unsuspend":
        reviews.leech_unsuspend(card=card)
        messages.success(request, _("The card is back in your reviews."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("leeches")
