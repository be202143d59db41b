"""Reads for blueprint editing: the live blueprints, one by id, and whether saving must copy it."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.roles import owns
from exams.models import Blueprint


def live_blueprints() -> QuerySet[Blueprint]:
    return Blueprint.objects.filter(retired_at__isnull=True)


def blueprint(pk: int) -> Blueprint:
    """Any blueprint by id (another instructor's opens as a copy), or a 404."""
    # Edited and copied in English, the language of the files (a row read in another language
    # shows translated titles and refuses to be saved).
    with translation.override("en"):
        return get_object_or_404(Blueprint, pk=pk)


def copy_reason(blueprint: Blueprint, user: AbstractBaseUser, *, now: datetime) -> str | None:
    """Why saving makes a copy rather than changing this blueprint; None when it may change.

    Only its maker edits a blueprint made in the app, and not while a team is sitting it (each
    attempt keeps its draw, but the window's later starts would draw by the new weights).
    A blueprint from a file is always copied ("": nothing to explain).
    """
    if blueprint.from_file:
        return ""
    if not owns(user, blueprint):
        return gettext("This exam belongs to another instructor: saving makes your own copy.")
    sitting = blueprint.team_exams.filter(opens_at__lte=now, closes_at__gt=now).first()
    if sitting is not None:
        closes = timezone.localtime(sitting.closes_at, UTC)
        return gettext(
            "A team is sitting this exam until %(time)s on %(day)s (UTC): saving makes a copy."
        ) % {
            "time": date_format(closes, "TIME_FORMAT"),
            "day": date_format(closes, "MONTH_DAY_FORMAT"),
        }
    return None
