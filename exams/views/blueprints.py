"""Blueprint editing for instructors: make an exam in the app, or copy one to change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from exams.blueprints import selectors, services
from exams.forms import BlueprintForm
from studyapp.htmx import HtmxHttpRequest

from .teams import INSTRUCTOR


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_safe
def blueprint_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "exams/blueprints.html", {"blueprints": selectors.live_blueprints()})


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def blueprint_edit(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    """Make or edit an exam in the app; a blueprint from content/exams is copied, never changed."""
    instance = None
    initial: dict = {}
    if pk is not None:
        instance = selectors.blueprint(pk)
        reason = selectors.copy_reason(instance, request.user, now=timezone.now())
        if reason is not None:
            if reason and request.method != "POST":
                messages.info(request, reason)
            initial = {field: getattr(instance, field) for field in BlueprintForm.Meta.fields}
            initial.update(
                slug=f"{instance.slug}-copy",
                title=_("%(title)s (copy)") % {"title": instance.title},
                topic_weights=instance.topic_weights,
                difficulty_mix=instance.difficulty_mix,
            )
            instance = None
    form = BlueprintForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        blueprint = services.blueprint_save(blueprint=form.save(commit=False), user=request.user)
        messages.success(
            request, _("%(exam)s is saved: teams can sit it now.") % {"exam": blueprint.title}
        )
        return redirect("blueprint_list")
    return render(request, "exams/blueprint_form.html", {"form": form, "editing": instance})
