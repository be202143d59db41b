"""Questions held out of practice for one learner for a while, so no page shows their key.

The rule (docs/architecture.md): while a team exam's window is open, the questions its blueprint
can draw are held for every member of that team. A held question is left out of new quizzes,
solo mock exams and the review queue, cannot be answered where it is already on screen, and no
results page shows its key, until the window closes.

Who holds what is decided by apps above this package (exams registers its rule in `ready()`),
so studying never imports exams. A rule is lazy: two SQL statements that the queries needing
them embed, so checking the rule costs no query of its own (a review grade would otherwise pay
one on every card).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, DateTimeField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext

from quizzes.models import Question

# SQL with `%s` placeholders, and its parameters.
Statement = tuple[str, tuple]


@dataclass(frozen=True)
class Rule:
    """One reason questions are held for a learner now.

    `held` selects the ids of the held questions (none while the hold is off); `ends` selects
    one datetime, when the hold ends (NULL while it is off).
    """

    held: Statement
    ends: Statement

    def off(self) -> RawSQL:
        """True while this rule holds nothing: guards `held`, which is only computed when on."""
        sql, params = self.ends
        return RawSQL(f"({sql}) IS NULL", params, output_field=BooleanField())

    def held_ids(self) -> RawSQL:
        return RawSQL(*self.held)


# A provider: (user, now) -> Rule.
Provider = Callable[..., Rule]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


_UNKNOWN = object()


class Hold:
    """The questions held for one learner now, as the rules' lazy statements.

    `exclude` and the review queue embed the rules in their own statement, guarded so that the
    held set is only computed while a hold is on; `held_ids` and `until` are one query each.
    """

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules = rules or []
        self._until: object = _UNKNOWN if self.rules else None

    def exclude(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        """The queryset without held questions; `prefix` leads from its rows to a question."""
        for rule in self.rules:
            queryset = queryset.filter(Q(rule.off()) | ~Q(**{f"{prefix}pk__in": rule.held_ids()}))
        return queryset

    @property
    def questions(self) -> QuerySet[Question]:
        """Every question held now (lazy; none when there is no rule)."""
        if not self.rules:
            return Question.objects.none()
        held = Q()
        for rule in self.rules:
            held |= Q(pk__in=rule.held_ids())
        return Question.objects.filter(held)

    def held_ids(self, question_ids: list[int]) -> set[int]:
        if not self.rules or not question_ids:
            return set()
        matched = self.questions.filter(pk__in=question_ids)
        return set(matched.values_list("pk", flat=True))

    @property
    def until(self) -> datetime | None:
        """When the last hold ends; None when nothing is held now."""
        if self._until is _UNKNOWN:
            ends = []
            with connection.cursor() as cursor:
                for rule in self.rules:
                    cursor.execute(*rule.ends)
                    ends.append(cursor.fetchone()[0])
            self.learned(ends)
        return self._until  # type: ignore[return-value]

    def learned(self, ends: list[object]) -> None:
        """Record the rules' ends, as the database returned them, in the order of `rules`: a
        caller that embedded the `ends` statements in its own query saves the query."""
        expression = Value(None, output_field=DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        known = []
        for end in ends:
            for convert in converters:
                end = convert(end, expression, connection)
            if end is not None:
                known.append(end)
        self._until = max(known) if known else None

    def message(self) -> str:
        if not self.until:
            return gettext(
                "This question is in your team's exam, so it is held: answer it after that."
            )
        return gettext(
            "This question is in your team's exam, so it is held until %(time)s on %(day)s (UTC): "
            "answer it after that."
        ) % {
            "time": date_format(self.until, "H:i"),
            "day": date_format(self.until, "MONTH_DAY_FORMAT"),
        }


def practice_hold(*, user: AbstractBaseUser | AnonymousUser, now: datetime) -> Hold:
    """What is held for this learner now, as lazy rules: no query here."""
    if not user.is_authenticated:
        return Hold()
    return Hold([provider(user=user, now=now) for provider in _PROVIDERS])
