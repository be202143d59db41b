"""Background work: item statistics, recomputed after each submitted exam or finished quiz.

Enqueued through Django's tasks API (django-tasks); in production and under `make run` the
database backend keeps the queue and `manage.py db_worker` runs it, in tests the immediate
backend runs each task at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django_tasks import task

from exams.models import Membership, Team

from . import statistics as analysis


@task()
def item_statistics_refresh(team_id: int | None, requested_at: str) -> bool:
    """Recompute one scope's item statistics (the whole site when `team_id` is None)."""
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    if team_id is not None and team is None:
        return False  # the team was deleted since
    return analysis.statistics_store(team=team, requested_at=datetime.fromisoformat(requested_at))


def statistics_refresh_later(
    *, team_id: int | None = None, user: AbstractBaseUser | None = None
) -> None:
    """Ask for fresh statistics of the whole site and of one team, or of every team of `user`."""
    team_ids: set[int | None] = {None, team_id}
    if user is not None:
        team_ids.update(Membership.objects.filter(user=user).values_list("team_id", flat=True))
    now = timezone.now().isoformat()
    for team_id in sorted(team_ids, key=lambda pk: pk or 0):
        item_statistics_refresh.enqueue(team_id, now)
