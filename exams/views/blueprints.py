"""Blueprint editing for instructors: make an exam in the app, or copy one to change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import owns
from exams.forms import BlueprintForm
from exams.models import Blueprint
from studyapp.htmx import HtmxHttpRequest

from .teams import INSTRUCTOR


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_safe
def blueprint_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "exams/blueprints.html",
        {"blueprints": Blueprint.objects.filter(retired_at__isnull=True)},
    )


def _copy_reason(blueprint: Blueprint, user: AbstractBaseUser) -> str | None:
    """Why saving makes a copy rather than changing this blueprint; None when it may change.

    Only its maker edits a blueprint made in the app, and not while a team is sitting it (each
    attempt keeps its draw, but the window's later starts would draw by the new weights).
    """
    if blueprint.from_file:
        return ""
    if not owns(user, blueprint):
        return _("This exam belongs to another instructor: saving makes your own copy.")
    sitting = blueprint.team_exams.filter(
        opens_at__lte=timezone.now(), closes_at__gt=timezone.now()
    ).first()
    if sitting is not None:
        return (
            f"A team is sitting this exam until {sitting.closes_at:%H:%M on %d %B} (UTC): "
            "saving makes a copy."
        )
    return None


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def blueprint_edit(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    """Make or edit an exam in the app; a blueprint from content/exams is copied, never changed."""
    instance = None
    initial: dict = {}
    if pk is not None:
        # Edited and copied in English, the language of the files (a row read in another
        # language shows translated titles and refuses to be saved).
        with translation.override("en"):
            instance = get_object_or_404(Blueprint, pk=pk)
        reason = _copy_reason(instance, request.user)
        if reason is not None:
            if reason and request.method != "POST":
                messages.info(request, reason)
            initial = {field: getattr(instance, field) for field in BlueprintForm.Meta.fields}
            initial.update(
                slug=f"{instance.slug}-copy",
                title=f"{instance.title} (copy)",
                topic_weights=instance.topic_weights,
                difficulty_mix=instance.difficulty_mix,
            )
            instance = None
    form = BlueprintForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        blueprint = form.save(commit=False)
        blueprint.created_by = blueprint.created_by or request.user
        blueprint.save()
        messages.success(
            request, _("%(exam)s is saved: teams can sit it now.") % {"exam": blueprint.title}
        )
        return redirect("blueprint_list")
    return render(request, "exams/blueprint_form.html", {"form": form, "editing": instance})
