"""The exam-pool rule: while a team exam's window is open, its pool is held for the team's members.

A member who has submitted must not be able to collect the key of the questions the others are
still answering, through a solo attempt of the same blueprint, a practice quiz or the reviews.
`quizzes.study.holds` applies the rule everywhere a key can show; this module says what is held.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from .models import TeamExam
from .services import EXAM_TYPES


def pool_filter(exam_tag: str) -> Q:
    """Every question a blueprint with this tag can draw (the same pool as `services._pool`)."""
    condition = Q(type__in=EXAM_TYPES)
    return condition & Q(tags__name=exam_tag) if exam_tag else condition


def team_exam_pools(*, user: AbstractBaseUser, now: datetime) -> list[tuple[Q, datetime]]:
    """The pools of the open team exams of the learner's teams, with when each window closes."""
    rows = TeamExam.objects.filter(
        team__memberships__user=user, opens_at__lte=now, closes_at__gt=now
    ).values_list("blueprint__exam_tag", "closes_at")
    return [(pool_filter(tag), closes_at) for tag, closes_at in rows]
