"""Where today's due cards come from, so a count that moves says why: cards answered wrong in a
quiz or an exam, reviews that came due today, reviews overdue from earlier days, and the new cards
today's limit still allows; cards held back by a daily limit are counted apart.

`due_breakdown` is pure (tested without a database); `due_sources` reads its rows in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Subquery

from quizzes.models import Card, LearnerSettings, Question, ReviewLog

from . import holds, scheduler


@dataclass(frozen=True)
class DueRow:
    """One card due before tomorrow: when, and where it was last answered."""

    due: datetime
    source: str  # ReviewLog.Source of its last answer: review, quiz or exam


@dataclass(frozen=True)
class DueBreakdown:
    """Today's cards by origin; the parts add up to what the review page serves today."""

    answered_elsewhere: int  # answered (wrong) in a quiz or an exam
    due_today: int  # reviews that came due today
    overdue: int  # due before today began
    new: int  # new cards today's limit still allows
    over_review_limit: int  # due, but past "maximum reviews per day": they wait
    waiting_tomorrow: int  # met today in a quiz or exam past "new cards per day"
    new_per_day: int
    max_reviews_per_day: int

    @property
    def due(self) -> int:
        return self.answered_elsewhere + self.due_today + self.overdue

    @property
    def total(self) -> int:
        return self.due + self.new


def due_breakdown(
    rows: list[DueRow], *, day_start: datetime, reviews_left: int, new_left: int,
    waiting_tomorrow: int, settings: LearnerSettings,
) -> DueBreakdown:  # fmt: skip
    """Count `rows` by origin, the most overdue kept first when the review limit cuts the day
    (as the queue serves the least retrievable first, an overdue card is among them)."""
    ordered = sorted(rows, key=lambda row: row.due)
    kept, cut = ordered[:reviews_left], ordered[reviews_left:]
    overdue = sum(1 for row in kept if row.due < day_start)
    elsewhere = sum(1 for row in kept if row.due >= day_start and row.source != "review")
    return DueBreakdown(
        answered_elsewhere=elsewhere,
        due_today=len(kept) - overdue - elsewhere,
        overdue=overdue,
        new=new_left,
        over_review_limit=len(cut),
        waiting_tomorrow=waiting_tomorrow,
        new_per_day=settings.new_per_day,
        max_reviews_per_day=settings.max_reviews_per_day,
    )


def due_sources(
    *, user: AbstractBaseUser, settings: LearnerSettings, now: datetime, reviews_left: int,
    new_left: int,
) -> DueBreakdown:  # fmt: skip
    """Today's due cards by origin, from the review queue's limits (`queue`'s numbers): two
    queries, the due cards with their last answer's source, and the cards waiting for tomorrow."""
    sched = settings.scheduler_settings()
    day_start = scheduler.day_start(now, sched)
    tomorrow = scheduler.next_day_start(now, sched)
    last_source = ReviewLog.objects.filter(card=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    live = Card.objects.filter(user=user, suspended=False).exclude(
        question_id__in=Question.objects.filter(retired_at__isnull=False).values("id")
    )
    # Held for a team exam: out of the queue, so out of these counts too (lazy rules, no query).
    live = holds.practice_hold(user=user, now=now).exclude(live, "question__")
    rows = [
        DueRow(due, source or "review")
        for due, source in live.filter(due__lt=tomorrow)
        .annotate(source=Subquery(last_source.values("source")[:1]))
        .values_list("due", "source")
    ]
    waiting = (
        live.filter(due=tomorrow, logs__reviewed_at__gte=day_start)
        .exclude(logs__source=ReviewLog.Source.REVIEW)
        .distinct()
        .count()
    )
    return due_breakdown(
        rows, day_start=day_start, reviews_left=reviews_left, new_left=new_left,
        waiting_tomorrow=waiting, settings=settings,
    )  # fmt: skip
