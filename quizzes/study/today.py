"""What a signed-in learner should do next: reviews, weakest topic, streak, how ready they are.

The home page reads this in a fixed number of queries. Mastery per topic comes from the readiness
model (`exams.readiness.forecast.home_readiness`, given by the view): the mean chance of
answering each topic's questions right on the exam day, studied or not.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from quizzes import selectors
from quizzes.models import LearnerSettings, ReviewLog, Topic
from quizzes.study import evidence, reviews, scheduler, studystats
from studyapp.percent import percent_text


@dataclass(frozen=True)
class Prediction:
    """How ready the learner is, as one headline figure with a line that says what it means."""

    label: str
    figure: str
    detail: str


@dataclass(frozen=True)
class WeakTopic:
    topic: Topic
    percent: int
    evidence: evidence.TopicEvidence | None = None
    by_mastery: bool = True


@dataclass
class Today:
    due: int
    new: int
    reviewed: int
    streak: int
    studied_today: bool
    weakest: WeakTopic | None
    prediction: Prediction
    has_reviewed: bool
    settings: LearnerSettings

    @property
    def reviews_left(self) -> int:
        return self.due + self.new

    @property
    def is_new(self) -> bool:
        """Until the first review, the home page leads with three first steps."""
        return not self.has_reviewed

    @property
    def exam_set(self) -> bool:
        return self.settings.exam_date is not None


def mastery_summary(*, mastery: dict[str, float], topics: list[Topic]) -> Prediction:
    """How ready the learner is when no exam forecast can be made: mastery over the course."""
    total = sum(t.total for t in topics)
    known = sum(mastery.get(t.slug, 0.0) * t.total for t in topics)
    percent = round(100 * known / total) if total else 0
    return Prediction(
        label=gettext("Mastery"),
        figure=percent_text(percent),
        detail=gettext("mean chance of answering the course's questions right on your exam day"),
    )


def study_streak(user: AbstractBaseUser, sched: scheduler.Settings, now: datetime) -> int:
    """Days in a row with at least one review, counted in the learner's own study days."""
    return streak_status(user, sched, now)[0]


def streak_status(
    user: AbstractBaseUser, sched: scheduler.Settings, now: datetime
) -> tuple[int, bool]:
    """The streak, and whether today already counts in it (then nothing is asked of today)."""
    days = (
        ReviewLog.objects.filter(user=user, reviewed_at__gte=now - timedelta(days=400))
        .annotate(
            day=TruncDate(
                F("reviewed_at") - timedelta(hours=sched.day_start_hour),
                tzinfo=zoneinfo.ZoneInfo(sched.time_zone),
            )
        )  # fmt: skip
        .values_list("day", flat=True)
        .distinct()
    )
    starts = [scheduler.study_day_start(day, sched) for day in days]
    today = scheduler.local_day(now, sched)
    studied_today = any(scheduler.local_day(start, sched) == today for start in starts)
    return studystats.streak(starts, now, sched), studied_today


def learner_today(
    *, user: AbstractBaseUser, now: datetime, mastery: dict[str, float],
    tallies: dict[str, tuple[int, int]] | None = None,
) -> Today:  # fmt: skip
    """Today's work for the home page; `mastery` per topic slug comes from the readiness model,
    `tallies` (right, wrong answers per topic) from the same estimate: with them the weakest
    topic is the one the learner got most wrong until mastery rests on enough answers."""
    settings = reviews.learner_settings(user)
    sched = settings.scheduler_settings()
    queue = reviews.review_queue(user=user, settings=settings, now=now)
    topics = selectors.topics_with_questions()
    weakest = None
    if topics and tallies is not None:
        ranking = evidence.rank_topics(
            [t.slug for t in sorted(topics, key=lambda t: t.order)], mastery, tallies
        )
        first = ranking.weakest
        topic = next(t for t in topics if t.slug == first.slug)
        weakest = WeakTopic(topic, first.percent, first, ranking.by_mastery)
    elif topics:
        # The lowest mastery; among equals the earliest in the course, as a learner would read it.
        topic = min(topics, key=lambda t: (mastery.get(t.slug, 0.0), t.order))
        weakest = WeakTopic(topic, round(100 * mastery.get(topic.slug, 0.0)))
    has_reviewed = queue.reviewed_today > 0 or ReviewLog.objects.filter(user=user).exists()
    streak, studied_today = streak_status(user, sched, now)
    return Today(
        due=queue.due_today,
        new=queue.new_left,
        reviewed=queue.reviewed_today,
        streak=streak,
        studied_today=studied_today,
        weakest=weakest,
        prediction=mastery_summary(mastery=mastery, topics=topics),
        has_reviewed=has_reviewed,
        settings=settings,
    )
