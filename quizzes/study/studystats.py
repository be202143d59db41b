"""Dashboard numbers from plain rows, so each needs one query and can be tested without a database.

Every "day" here is a learner's study day: it starts at 4 a.m. in their time zone (see scheduler).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .scheduler import (
    REVIEW,
    CardState,
    Settings,
    days_until_exam,
    local_day,
    retrievability,
    study_day_start,
)

MATURE_DAYS = 21  # Anki's line between young and mature cards


def _day_starts(first: date, count: int, settings: Settings) -> list[datetime]:
    """The UTC starts of `count` consecutive study days from `first`, for bucketing by bisect."""
    return [study_day_start(first + timedelta(days=n), settings) for n in range(count)]


def forecast(
    dues: Iterable[datetime | None], now: datetime, settings: Settings, days: int = 30
) -> list[tuple[date, int]]:
    """Cards due on each of the next `days` study days; today also carries everything overdue."""
    today = local_day(now, settings)
    ends = _day_starts(today + timedelta(days=1), days, settings)
    counts = [0] * days
    for due in dues:
        if due is None:  # new cards have no due moment
            continue
        index = bisect_right(ends, _aware(due))
        if index < days:
            counts[index] += 1
    return [(today + timedelta(days=n), count) for n, count in enumerate(counts)]


def streak(review_moments: Iterable[datetime], now: datetime, settings: Settings) -> int:
    """Consecutive study days with a review, ending today, or yesterday while today has none yet."""
    studied = {local_day(moment, settings) for moment in review_moments}
    day = local_day(now, settings)
    if day not in studied:
        day -= timedelta(days=1)
    count = 0
    while day in studied:
        count += 1
        day -= timedelta(days=1)
    return count


class LogRow(NamedTuple):
    """One review as true retention needs it; state_before uses the scheduler's state numbers."""

    card_id: int
    reviewed_at: datetime
    rating: int
    state_before: int
    interval_before_days: float


@dataclass(frozen=True)
class RetentionRate:
    """Passed out of total; rate is None rather than a made-up 0 or 100 % when nothing was due."""

    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        """The share passed, or None without any review to judge by."""
        return self.passed / self.total if self.total else None

    def plus(self, passed: bool) -> RetentionRate:
        """This count with one more review."""
        return RetentionRate(self.passed + int(passed), self.total + 1)


@dataclass(frozen=True)
class Retention:
    """Anki's "true retention", split at 21 days because young cards are forgotten more often."""

    young: RetentionRate
    mature: RetentionRate
    all: RetentionRate


def _first_of_day(logs: Iterable[LogRow], settings: Settings) -> dict[tuple[int, date], LogRow]:
    """Each card's first review of each study day: later same-day repeats say nothing new."""
    first: dict[tuple[int, date], LogRow] = {}
    for log in logs:
        key = (log.card_id, local_day(log.reviewed_at, settings))
        if key not in first or log.reviewed_at < first[key].reviewed_at:
            first[key] = log
    return first


def true_retention(
    logs: Iterable[LogRow], now: datetime, settings: Settings, days: int = 30
) -> Retention:
    """Passed share of reviews of Review-state cards over the last `days` study days (today too)."""
    since = study_day_start(local_day(now, settings) - timedelta(days=days - 1), settings)
    recent = (log for log in logs if _aware(log.reviewed_at) >= since)
    young = mature = RetentionRate()
    for log in _first_of_day(recent, settings).values():
        if log.state_before != REVIEW:
            continue
        if log.interval_before_days < MATURE_DAYS:
            young = young.plus(log.rating > 1)
        else:
            mature = mature.plus(log.rating > 1)
    return Retention(
        young, mature, RetentionRate(young.passed + mature.passed, young.total + mature.total)
    )


def mastery(
    cards: Iterable[tuple[str, CardState]],
    totals: Mapping[str, int],
    now: datetime,
    threshold: float = 0.9,
) -> dict[str, float]:
    """Per topic, the share of all its live questions recalled now with at least `threshold`."""
    known = dict.fromkeys(totals, 0)
    for topic, card in cards:
        if topic in known and retrievability(card, now) >= threshold:
            known[topic] += 1
    return {
        topic: min(known[topic] / total, 1.0) if total > 0 else 0.0
        for topic, total in totals.items()
    }


@dataclass(frozen=True)
class ExamLoad:
    """How much a day of study must cover to see every card before the exam."""

    days_left: int
    reviews_due: int
    new_remaining: int
    per_day: int
    new_per_day_needed: int


def daily_load_until_exam(
    dues: Iterable[datetime | None], new_remaining: int, now: datetime, settings: Settings
) -> ExamLoad | None:
    """The daily work until the exam day, or None without an exam ahead."""
    days_left = days_until_exam(now, settings)
    if days_left is None:
        return None
    exam_starts = study_day_start(settings.exam_date, settings)
    reviews_due = sum(1 for due in dues if due is not None and _aware(due) < exam_starts)
    return ExamLoad(
        days_left=days_left,
        reviews_due=reviews_due,
        new_remaining=new_remaining,
        per_day=math.ceil((reviews_due + new_remaining) / days_left),
        new_per_day_needed=math.ceil(new_remaining / days_left),
    )


def _aware(moment: datetime) -> datetime:
    """The moment itself, once known not to be naive (comparing naive with aware would mislead)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    return moment
