"""The dashboard's reading: today's work, the review forecast, true retention, mastery, readiness.

One selector, `dashboard_for`, so the view only renders; the readiness block (forecast, its
history, the learner's calibration) comes from the exams app through `quizzes.hooks`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils.formats import date_format

from quizzes import axis, charts, hooks, selectors
from quizzes.models import Card, Question, ReviewLog
from quizzes.models.study import SCHEDULE_FIELDS

from . import due, evidence, reviews, scheduler, studystats, today


def _studied_states(user: AbstractBaseUser) -> list[scheduler.CardState]:
    """The schedule of every card the learner has studied (suspended and retired ones aside)."""
    rows = (
        Card.objects.filter(user=user, suspended=False, question__retired_at__isnull=True)
        .exclude(state=Card.State.NEW)
        .values_list(*SCHEDULE_FIELDS)
    )
    return [scheduler.CardState(*row) for row in rows]


def _recent_logs(user: AbstractBaseUser, now: datetime) -> list[studystats.LogRow]:
    since = now - timedelta(days=31)
    logs = ReviewLog.objects.filter(user=user, reviewed_at__gte=since).values_list(
        "card_id", "reviewed_at", "rating", "state_before", "interval_before_days"
    )
    return [studystats.LogRow(*row) for row in logs]


def _unseen_count(user: AbstractBaseUser) -> int:
    studied = Card.objects.filter(user=user).exclude(state=Card.State.NEW).values("question_id")
    return Question.objects.live().exclude(pk__in=studied).count()


def dashboard_for(*, user: AbstractBaseUser, now: datetime) -> dict[str, object]:
    """Everything the dashboard shows, as its template's context."""
    settings = reviews.learner_settings(user)
    sched = settings.scheduler_settings()
    queue = reviews.review_queue(user=user, settings=settings, now=now)
    states = _studied_states(user)
    log_rows = _recent_logs(user, now)
    topics = selectors.topics_with_questions()
    exams = hooks.exams().dashboard(user=user, now=now, settings=settings)
    # Each topic with the answers its mastery rests on, weakest first (study.evidence).
    ranking = evidence.rank_topics(
        [t.slug for t in topics], exams.readiness.mastery, exams.readiness.recall.topic_tallies()
    )
    by_slug = {t.slug: t for t in topics}
    dues = [state.due for state in states]
    forecast = studystats.forecast(dues, now, sched)
    unseen = _unseen_count(user)
    return {
        "queue": queue,
        "due": due.due_sources(
            user=user,
            settings=settings,
            now=now,
            reviews_left=queue.reviews_left,
            new_left=queue.new_left,
        ),  # fmt: skip
        "streak": today.study_streak(user, sched, now),
        "retention": studystats.true_retention(log_rows, now, sched),
        "forecast": forecast,
        "forecast_chart": charts.bar_chart(
            [(date_format(day, "j M"), count) for day, count in forecast]
        ),
        "mastery": [(by_slug[e.slug], e) for e in ranking.topics],
        "ranking": ranking,
        "evidence_enough": evidence.ENOUGH,
        "readiness": exams.readiness,
        "forecast_at": exams.readiness.recall.at,
        "history": exams.history,
        "history_chart": history_chart(exams.history, now),
        "calibration": exams.calibration,
        "exam_load": studystats.daily_load_until_exam(dues, unseen, now, sched),
        "settings": settings,
        "studied": len(states),
        "unseen": unseen,
        "leeches": Card.objects.filter(user=user, is_leech=True).count(),
    }


def history_chart(history: list, now: datetime) -> dict | None:
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
