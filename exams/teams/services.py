"""Writes about teams: make one, join one."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from exams.models import Membership, Team


def team_create(*, team: Team, instructor: AbstractBaseUser) -> Team:
    """Save a team from the form (unsaved), run by `instructor`."""
    team.instructor = instructor
    team.save()
    return team


def team_join(*, team: Team, user: AbstractBaseUser) -> bool:
    """Make the user a member; False when they already were."""
    _, joined = Membership.objects.get_or_create(team=team, user=user)
    return joined
