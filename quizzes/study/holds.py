"""Questions held out of practice for one learner for a while, so no page shows their key.

The rule (docs/architecture.md): while a team exam's window is open, the questions its blueprint
can draw are held for every member of that team. A held question is left out of new quizzes,
solo mock exams and the review queue, cannot be answered where it is already on screen, and no
results page shows its key, until the window closes.

Who holds what is decided by apps above this package (exams registers its rule in `ready()`),
so studying never imports exams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from quizzes.models import Question

# A rule: (user, now) -> [(a filter on Question, when that hold ends)].
Provider = Callable[..., list[tuple[Q, datetime]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


@dataclass(frozen=True)
class Hold:
    """The questions held for one learner now (None: none), and when the last hold ends."""

    questions: QuerySet[Question] | None = None
    until: datetime | None = None

    def __bool__(self) -> bool:
        return self.questions is not None

    def exclude(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        """The queryset without held questions; `prefix` leads from its rows to a question."""
        if self.questions is None:
            return queryset
        return queryset.exclude(**{f"{prefix}pk__in": self.questions.values("pk")})

    def held_ids(self, question_ids: list[int]) -> set[int]:
        if self.questions is None or not question_ids:
            return set()
        return set(self.questions.filter(pk__in=question_ids).values_list("pk", flat=True))

    def message(self) -> str:
        when = f" until {self.until:%H:%M on %d %B} (UTC)" if self.until else ""
        return f"This question is in your team's exam, so it is held{when}: answer it after that."


def practice_hold(*, user: AbstractBaseUser | AnonymousUser, now: datetime) -> Hold:
    """What is held for this learner now: one query per rule, and none for anonymous visitors."""
    if not user.is_authenticated:
        return Hold()
    filters = [rule for provider in _PROVIDERS for rule in provider(user=user, now=now)]
    if not filters:
        return Hold()
    combined = Q()
    for condition, _ in filters:
        combined |= condition
    return Hold(
        questions=Question.objects.filter(combined).distinct(),
        until=max(until for _, until in filters),
    )
