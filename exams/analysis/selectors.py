"""Reads for the item-analysis page: the team it is scoped to and the choices of its filters."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404

from accounts.roles import get_owned_or_404, owned
from exams.models import Team
from quizzes.models import Question, Topic


def team_named(user: AbstractBaseUser, value: str) -> Team | None:
    """The instructor's own team named by a query or form value (None when none is named)."""
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise Http404("No such team.")
    return get_owned_or_404(Team.objects, user, pk=int(value))


def filter_choices(user: AbstractBaseUser) -> dict[str, object]:
    """The instructor's teams, the banks and the live topics the page can be filtered by."""
    return {
        "teams": owned(Team.objects, user),
        "banks": Question.objects.values_list("source_path", flat=True)
        .distinct()
        .order_by("source_path"),
        # The title in the reader's language (`translations` is a few hundred bytes a topic).
        "topics": Topic.objects.live().only("slug", "title", "translations"),
    }
