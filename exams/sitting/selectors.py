"""Reads about exams that pages outside this app share (the home page's exam in progress)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from exams.models import GRACE, ExamAttempt


def open_attempt(*, user: AbstractBaseUser, now: datetime) -> ExamAttempt | None:
    """The learner's exam in progress with time left (the one ending soonest), or None."""
    return (
        ExamAttempt.objects.filter(user=user, submitted_at__isnull=True, deadline__gt=now - GRACE)
        .select_related("blueprint")
        .order_by("deadline")
        .first()
    )


def seconds_left(attempt: ExamAttempt, now: datetime) -> int:
    return max(int((attempt.deadline - now).total_seconds()), 0)
