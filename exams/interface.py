"""The exams app's side of `quizzes.hooks`: what studying pages and commands ask of exams.

Registered by `ExamsConfig.ready()`, so quizzes reaches exams without importing it
(docs/architecture.md: `exams` may use `quizzes`, never the other way).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser

from exams.analysis.tasks import statistics_refresh_later
from exams.blueprints import load, spec
from exams.readiness import forecast
from exams.sitting import selectors
from quizzes.course.bank import Problem
from quizzes.hooks import DashboardExams, HomeExams
from quizzes.models import LearnerSettings


class ExamsForQuizzes:
    """Each method is one thing a quizzes page or command needs; see `quizzes.hooks`."""

    def home(self, *, user: AbstractBaseUser, now: datetime) -> HomeExams:
        prediction, mastery, tallies = forecast.home_readiness(user, now=now)
        exam = selectors.open_attempt(user=user, now=now)
        left = selectors.seconds_left(exam, now) if exam is not None else 0
        return HomeExams(prediction, mastery, exam, left, tallies)

    def dashboard(
        self, *, user: AbstractBaseUser, now: datetime, settings: LearnerSettings
    ) -> DashboardExams:
        ready = forecast.readiness_for(user, now=now, settings=settings)
        history = (
            forecast.snapshot_history(user=user, blueprint=ready.target.blueprint, now=now)
            if ready.target
            else []
        )
        return DashboardExams(ready, history, forecast.learner_calibration(user))

    def target_choices(self, *, user: AbstractBaseUser) -> list[tuple[str, str, str]]:
        return [(b.slug, b.title, b.exam_tag) for b in forecast.sittable(user)]

    def target_changed(
        self, *, user: AbstractBaseUser, now: datetime, settings: LearnerSettings
    ) -> None:
        forecast.readiness_for(user, now=now, settings=settings)

    def quiz_finished(self, *, user: AbstractBaseUser) -> None:
        statistics_refresh_later(user=user)

    def content_check(
        self, targets: Sequence[Path], topics: set[str]
    ) -> tuple[list, list[Problem]]:
        return spec.check_blueprints(targets, topics)

    def content_load(
        self, *, parsed: list, root: Path, full: bool, now: datetime, translations=None
    ) -> int:
        count = load.blueprints_load(specs=parsed, root=root, full=full, now=now)
        if translations is not None:
            load.blueprint_translations_load(translations)
        return count

    def content_code(self) -> list[Path]:
        return [Path(spec.__file__)]
