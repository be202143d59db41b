"""Predicted exam scores: per blueprint, from each question's chance on the exam day.

`exams.readiness.queries` gives the chance per question; this module adds what only the
exams app knows: each blueprint's pool and draw, mock exam answers as evidence, the prediction
stored on an attempt, daily snapshots for the 30-day chart and the learner's own calibration.

`predicted_for(user)` is the one selector other pages use (the signed-in home page).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from exams.blueprints import spec as blueprints
from exams.models import Blueprint, ExamAttempt, ExamItem, ReadinessSnapshot
from exams.sitting import services
from quizzes.models import LearnerSettings
from quizzes.study import reviews, scheduler

from . import model as readiness
from . import queries as readiness_queries

MIN_SITTINGS = 3  # the learner's own calibration is shown from this many sittings


def exam_answers(
    *, user: AbstractBaseUser | None = None, since: datetime | None = None
) -> list[readiness_queries.ExtraAnswer]:
    """Graded mock exam items as (user id, question id, when, right), one query."""
    items = ExamItem.objects.filter(attempt__submitted_at__isnull=False, correct__isnull=False)
    if user is not None:
        items = items.filter(attempt__user=user)
    if since is not None:
        items = items.filter(attempt__submitted_at__gte=since)
    return [
        (user_id, question_id, when, correct)
        for user_id, question_id, when, correct in items.values_list(
            "attempt__user_id", "question_id", "attempt__submitted_at", "correct"
        )
    ]


def ensure_fit() -> readiness.Params:
    """The site's fitted parameters, refitted on reviews, quizzes and exams when not cached."""
    if cache.get(readiness_queries.PARAMS_CACHE_KEY) is None:
        since = timezone.now() - timedelta(days=365)
        return readiness_queries.site_fit(exam_answers(since=since))
    return readiness_queries.site_params()


@dataclass(frozen=True)
class Prediction:
    """A blueprint's predicted score on the exam day, in the blueprint's own units."""

    blueprint: Blueprint
    forecast: readiness.ScoreForecast
    at: datetime

    def _score(self, correct: float) -> float:
        items = self.forecast.items
        if self.blueprint.scoring == Blueprint.Scoring.SCALED:
            return 100 + 900 * correct / items if items else 100
        return 100 * correct / items if items else 0

    @property
    def expected(self) -> int:
        return round(self._score(self.forecast.expected))

    @property
    def low(self) -> int:
        return round(self._score(self.forecast.low))

    @property
    def high(self) -> int:
        return round(self._score(self.forecast.high))

    @property
    def percent(self) -> float:
        return self.forecast.percent

    @property
    def low_percent(self) -> float:
        return 100 * self.forecast.low / self.forecast.items if self.forecast.items else 0.0

    @property
    def high_percent(self) -> float:
        return 100 * self.forecast.high / self.forecast.items if self.forecast.items else 0.0

    @property
    def p_pass_percent(self) -> int:
        return round(100 * self.forecast.p_pass)


def pass_correct(blueprint: Blueprint, scored: int) -> int:
    """The fewest right answers out of `scored` that reach the pass mark, as submit scores them."""
    for correct in range(scored + 1):
        if blueprint.scoring == Blueprint.Scoring.SCALED:
            score = blueprints.scaled_score(correct, scored)
        else:
            score = round(100 * correct / scored) if scored else 0
        if score >= blueprint.pass_mark:
            return correct
    return scored + 1


def predict(
    blueprint: Blueprint, recall: readiness_queries.Recall, pool: list[blueprints.Candidate]
) -> Prediction | None:
    """The score distribution of a draw from this blueprint's pool; None if the pool is empty.

    How many questions come from each (topic, difficulty) bucket does not depend on the random
    generator (only which ones do), so one draw gives the counts; each slot is then right with
    its bucket's mean chance.
    """
    pool = [c for c in pool if c.id in recall.probability]
    if not pool:
        return None
    drawn = set(blueprints.draw(blueprint.as_spec(), pool, random.Random(0)))
    counts = Counter((c.topic, c.difficulty) for c in pool if c.id in drawn)
    members: dict[tuple[str, str], list[float]] = defaultdict(list)
    for c in pool:
        members[(c.topic, c.difficulty)].append(recall.probability[c.id])
    means = {f"{t}/{d}": sum(ps) / len(ps) for (t, d), ps in members.items()}
    slots = readiness.slot_probabilities(
        {f"{t}/{d}": n for (t, d), n in counts.items()}, means, blueprint.scored_count
    )
    forecast = readiness.forecast_score(slots, pass_correct(blueprint, len(slots)))
    return Prediction(blueprint=blueprint, forecast=forecast, at=recall.at)


def sittable(user: AbstractBaseUser) -> list[Blueprint]:
    """Every blueprint the learner can sit: the live ones and their teams' exams (one query)."""
    return list(
        Blueprint.objects.filter(
            Q(retired_at__isnull=True) | Q(team_exams__team__memberships__user=user)
        ).distinct()
    )


def _recall(
    user: AbstractBaseUser, now: datetime, settings: LearnerSettings | None = None
) -> readiness_queries.Recall:
    settings = settings or reviews.learner_settings(user)
    return readiness_queries.recall_for(
        user=user, settings=settings, now=now, extra=exam_answers(user=user), params=ensure_fit()
    )


def _predict_all(
    recall: readiness_queries.Recall, blueprint_list: list[Blueprint]
) -> list[Prediction]:
    found = []
    pools: dict[str, list[blueprints.Candidate]] = {}  # blueprints share a pool per exam tag
    for blueprint in blueprint_list:
        if blueprint.exam_tag not in pools:
            pools[blueprint.exam_tag] = services._pool(blueprint)
        prediction = predict(blueprint, recall, pools[blueprint.exam_tag])
        if prediction is not None:
            found.append(prediction)
    return found


def predictions_for(
    user: AbstractBaseUser, *, now: datetime | None = None, blueprint_list: list | None = None
) -> list[Prediction]:
    """The predicted score on every blueprint the learner can sit (a fixed number of queries
    per blueprint, whatever the learner's history)."""
    now = now or timezone.now()
    blueprint_list = blueprint_list if blueprint_list is not None else sittable(user)
    return _predict_all(_recall(user, now), blueprint_list)


def _target(settings: LearnerSettings, candidates: list[Blueprint]) -> Blueprint | None:
    """The learner's target exam (settings), else the longest blueprint they can sit."""
    target = [b for b in candidates if b.slug == settings.target_exam]
    ordered = target or sorted(candidates, key=lambda b: (-b.question_count, b.title))
    return ordered[0] if ordered else None


def predicted_for(user: AbstractBaseUser, *, now: datetime | None = None) -> Prediction | None:
    """The predicted score on the learner's target exam (or the longest blueprint): the one
    number the signed-in home page shows. None when no blueprint has questions yet."""
    settings = reviews.learner_settings(user)
    target = _target(settings, sittable(user))
    if target is None:
        return None
    predictions = _predict_all(_recall(user, now or timezone.now(), settings), [target])
    return predictions[0] if predictions else None


def home_readiness(
    user: AbstractBaseUser, *, now: datetime
) -> tuple[Prediction | None, dict[str, float], dict[str, tuple[int, int]]]:
    """The home page's readings of one recall estimate: the target exam's forecast, mastery per
    topic (the mean chance of answering a topic's questions right on exam day) and the answers
    (right, wrong) each topic's figure rests on."""
    settings = reviews.learner_settings(user)
    recall = _recall(user, now, settings)
    target = _target(settings, sittable(user))
    predictions = _predict_all(recall, [target]) if target else []
    return (predictions[0] if predictions else None), recall.topic_mastery(), recall.topic_tallies()


@dataclass(frozen=True)
class Readiness:
    """Everything the dashboard shows about readiness, computed once per request."""

    recall: readiness_queries.Recall
    predictions: list[Prediction]
    target: Prediction | None

    @property
    def mastery(self) -> dict[str, float]:
        return self.recall.topic_mastery()


def readiness_for(
    user: AbstractBaseUser, *, now: datetime, settings: LearnerSettings | None = None
) -> Readiness:
    """Predictions on every blueprint, today's snapshot kept, and the topic weights new cards
    follow brought up to date (the points the target exam loses per topic).

    A fixed number of queries whatever the number of blueprints or the learner's history
    (plus a few once every few hours, when the site's fit is refreshed)."""
    settings = settings or reviews.learner_settings(user)
    recall = _recall(user, now, settings)
    candidates = sittable(user)
    predictions = _predict_all(recall, candidates)
    target_blueprint = _target(settings, [p.blueprint for p in predictions])
    target = next((p for p in predictions if p.blueprint == target_blueprint), None)
    snapshot_save(user=user, predictions=predictions, now=now, settings=settings)
    weights = (
        readiness.points_lost(target.blueprint.topic_weights, recall.topic_mastery())
        if target
        else {}
    )
    if weights != settings.new_card_weights:
        settings.new_card_weights = weights
        settings.save(update_fields=["new_card_weights"])
    return Readiness(recall=recall, predictions=predictions, target=target)


def snapshot_save(
    *,
    user: AbstractBaseUser,
    predictions: list[Prediction],
    now: datetime,
    settings: LearnerSettings | None = None,
) -> None:
    """Keep today's predictions: one row per blueprint and study day, updated in place (three
    queries whatever the number of blueprints)."""
    settings = settings or reviews.learner_settings(user)
    day = scheduler.local_day(now, settings.scheduler_settings())
    existing = {
        row.blueprint_id: row for row in ReadinessSnapshot.objects.filter(user=user, day=day)
    }
    fields = ("expected_percent", "low_percent", "high_percent", "p_pass")
    new, changed = [], []
    for p in predictions:
        values = (p.percent, p.low_percent, p.high_percent, p.forecast.p_pass)
        row = existing.get(p.blueprint.pk)
        if row is None:
            new.append(
                ReadinessSnapshot(
                    user=user,
                    blueprint=p.blueprint,
                    day=day,
                    **dict(zip(fields, values, strict=True)),
                )  # fmt: skip
            )
        elif tuple(getattr(row, name) for name in fields) != values:
            for name, value in zip(fields, values, strict=True):
                setattr(row, name, value)
            changed.append(row)
    if new:
        ReadinessSnapshot.objects.bulk_create(new, ignore_conflicts=True)
    if changed:
        ReadinessSnapshot.objects.bulk_update(changed, fields)


def snapshot_history(
    *, user: AbstractBaseUser, blueprint: Blueprint, now: datetime, days: int = 30
) -> list[ReadinessSnapshot]:
    """The last `days` days of one blueprint's predictions, oldest first."""
    since = (now - timedelta(days=days)).date()
    return list(
        ReadinessSnapshot.objects.filter(user=user, blueprint=blueprint, day__gt=since).order_by(
            "day"
        )
    )


def attempt_predict(*, attempt: ExamAttempt, now: datetime) -> None:
    """Store the forecast for this attempt when it starts, to compare with the result."""
    found = predictions_for(attempt.user, now=now, blueprint_list=[attempt.blueprint])
    if not found:
        return
    p = found[0]
    attempt.predicted_percent = p.percent
    attempt.predicted_low = p.low_percent
    attempt.predicted_high = p.high_percent
    attempt.predicted_pass = p.forecast.p_pass
    attempt.save(
        update_fields=["predicted_percent", "predicted_low", "predicted_high", "predicted_pass"]
    )


@dataclass(frozen=True)
class Calibration:
    """The learner's sittings with a stored prediction: predicted against actual."""

    rows: list[tuple[ExamAttempt, float, float]]  # attempt, predicted %, actual %
    mean_abs_error: float | None
    brier: float | None
    inside: int  # sittings whose actual score fell inside the 80% interval

    @property
    def enough(self) -> bool:
        return len(self.rows) >= MIN_SITTINGS


def learner_calibration(user: AbstractBaseUser) -> Calibration:
    """How the learner's past forecasts did against their submitted sittings (one query)."""
    attempts = list(
        ExamAttempt.objects.filter(
            user=user, submitted_at__isnull=False, predicted_percent__isnull=False
        )
        .select_related("blueprint")
        .order_by("-submitted_at")[:50]
    )
    rows, pairs, inside = [], [], 0
    for a in attempts:
        actual = 100 * (a.correct_count or 0) / a.scored_count if a.scored_count else 0.0
        rows.append((a, a.predicted_percent, actual))
        pairs.append((a.predicted_pass, bool(a.passed)))
        inside += a.predicted_low <= actual <= a.predicted_high
    mae = sum(abs(p - q) for _, p, q in rows) / len(rows) if rows else None
    return Calibration(rows=rows, mean_abs_error=mae, brier=readiness.brier(pairs), inside=inside)
