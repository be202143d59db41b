"""What the quizzes app needs from the exams app: a small interface that exams registers at start.

Imports go one way (docs/architecture.md, checked by import-linter): `exams` uses the models and
services of `quizzes`, and `quizzes` never imports `exams`. The few things studying shows or does
that belong to exams come through `ExamsInterface`, which `ExamsConfig.ready()` registers:

- the readiness forecast and mastery for the home page and the dashboard, and the exams a learner
  may choose as a target in the settings;
- the exam in progress, for the home page's banner;
- a finished practice quiz, which counts towards item statistics;
- the exam blueprints of the content folder, checked and loaded with the course.

The practice-hold rule is registered the same way, in `quizzes.study.holds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser

from quizzes.course.bank import Problem
from quizzes.models import LearnerSettings


@dataclass(frozen=True)
class HomeExams:
    """The home page's reading of exams: the forecast, mastery per topic, the exam in progress."""

    prediction: Any | None
    mastery: dict[str, float]
    exam: Any | None = None
    exam_seconds_left: int = 0
    # Per topic slug, (right, wrong) answers: the evidence mastery rests on (study.evidence).
    tallies: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class DashboardExams:
    """The dashboard's readiness block: the forecast, its 30-day history, the learner's calibration.

    `readiness.mastery` (topic slug -> chance of a right answer on exam day) feeds the mastery bars.
    """

    readiness: Any
    history: list = field(default_factory=list)
    calibration: Any = None


class ExamsInterface(Protocol):
    def home(self, *, user: AbstractBaseUser, now: datetime) -> HomeExams: ...

    def dashboard(
        self, *, user: AbstractBaseUser, now: datetime, settings: LearnerSettings
    ) -> DashboardExams: ...

    def target_choices(self, *, user: AbstractBaseUser) -> list[tuple[str, str, str]]:
        """(slug, title, exam tag) of the exams the learner may sit, for the settings' target
        exam: the tag places each under its certification (forms.target_choices)."""

    def target_changed(
        self, *, user: AbstractBaseUser, now: datetime, settings: LearnerSettings
    ) -> None:
        """The learner chose another target exam: new cards follow its topic weights."""

    def quiz_finished(self, *, user: AbstractBaseUser) -> None:
        """A practice quiz was finished: its answers count towards item statistics."""

    def content_check(
        self, targets: Sequence[Path], topics: set[str]
    ) -> tuple[list, list[Problem]]:
        """Parse and check the exam files among `targets` against the course's topics."""

    def content_load(
        self, *, parsed: list, root: Path, full: bool, now: datetime, translations=None
    ) -> int:
        """Write what `content_check` parsed; a full load retires what left the folder.
        `translations` (the course's, per language, when the whole folder was read): the
        blueprints' translated titles and descriptions are written too."""

    def content_code(self) -> list[Path]:
        """The source files whose change makes an unchanged content folder load again."""


_registered: list[ExamsInterface] = []


def register(interface: ExamsInterface) -> None:
    """Called once by `ExamsConfig.ready()`; a second call replaces the first."""
    _registered[:] = [interface]


def exams() -> ExamsInterface:
    """The registered interface; the exams app is an installed app of this project."""
    if not _registered:
        raise RuntimeError("The exams app has not registered quizzes.hooks (is it installed?).")
    return _registered[0]
