"""Instructor tools: bank list, preview with the answer key, upload with a diff, download."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import get_owned_or_404
from quizzes.authoring import changes, preview, uploads
from quizzes.course import itemlint
from quizzes.models import PendingUpload, Question, Topic
from quizzes.study import answering
from studyapp.htmx import HtmxHttpRequest

PERMISSION = "quizzes.preview_bank"


def instructor_only(view):
    """Log in first; then only instructors (a 403 says so, rather than a confusing 404)."""
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


@instructor_only
@require_safe
def banks(request: HtmxHttpRequest) -> HttpResponse:
    rows = (
        Question.objects.live()
        .values("source_path")
        .annotate(count=Count("id"), updated=Max("updated_at"))
        .order_by("source_path")
    )
    context = {
        "banks": rows,
        "edited": changes.browser_edits(),
        "topics": Topic.objects.live().values_list("slug", "title"),
    }
    return render(request, "quizzes/instructor/banks.html", context)


def _bank_path(request: HtmxHttpRequest) -> str:
    path = request.GET.get("path", "")
    if not path or not Question.objects.filter(source_path=path).exists():
        raise Http404("No bank has this path.")
    return path


@instructor_only
@require_safe
def bank_preview(request: HtmxHttpRequest) -> HttpResponse:
    """Every question as candidates see it, with the key, and the file's problems where they are."""
    path = _bank_path(request)
    questions = list(
        Question.objects.live()
        .filter(source_path=path)
        .select_related("topic")
        .prefetch_related("tags")
        .order_by("source_line")
    )
    problems, lint = [], itemlint.Report()
    file = Path(settings.CONTENT_DIR) / path
    if file.is_file():
        problems, lint = preview.bank_check(file)
    by_question: dict[int, list] = {q.pk: [] for q in questions}
    top = []
    for problem in problems:
        owner = next((q for q in reversed(questions) if q.source_line <= problem.line), None)
        (by_question[owner.pk] if owner else top).append(problem)
    items = []
    for question in questions:
        presented = answering.present(question, "preview")
        solution = None
        if question.type == Question.Type.NUMERIC:
            from quizzes.costs import exercises

            exercise = exercises.Exercise.from_spec(question.exercise or {})
            solution = exercises.solve(exercise, exercises.draw(exercise, "preview"))
        items.append(
            {
                "question": question,
                "presented": presented,
                "problems": by_question[question.pk],
                "cues": lint.for_item(question.uid),
                "solution": solution,
            }
        )
    context = {
        "path": path,
        "items": items,
        "top_problems": top,
        "problem_count": len(problems),
        "lint_summary": [
            line
            for line in lint.summary_lines()
            if line.startswith("  ") and "  course:" not in line
        ],
        "lint_warnings": [f for f in lint.warnings if not f.uid],
    }
    return render(request, "quizzes/instructor/preview.html", context)


@instructor_only
@require_safe
def bank_download(request: HtmxHttpRequest) -> HttpResponse:
    path = _bank_path(request)
    response = HttpResponse(
        changes.bank_yaml(path), content_type="application/x-yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{Path(path).name}"'
    return response


@instructor_only
@require_safe
def bank_moodle_xml(request: HtmxHttpRequest) -> HttpResponse:
    """The bank as Moodle XML, to move it into Moodle (flashcards and cost exercises left out)."""
    path = _bank_path(request)
    text, skipped = changes.bank_moodle_xml(path)
    response = HttpResponse(text, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{Path(path).stem}.xml"'
    if skipped:  # said in a header too, so a script can see what Moodle will not get
        response["X-Not-Exported"] = ", ".join(uid for uid, _ in skipped)[:2000]
    return response


@instructor_only
@require_POST
def upload(request: HtmxHttpRequest) -> HttpResponse:
    """Check an uploaded bank or zip; show every problem, or the diff to apply. Writes no course."""
    file = request.FILES.get("bank")
    if file is None:
        messages.error(request, _("Choose a .yaml bank or a .zip of banks to upload."))
        return redirect("instructor_banks")
    if file.size > uploads.MAX_UPLOAD_BYTES:
        return render(
            request,
            "quizzes/instructor/upload.html",
            {"error": _("The upload is over the 5 MB limit.")},
        )
    imported = None
    try:
        raw = file.read(uploads.MAX_UPLOAD_BYTES + 1)
        if uploads.import_format(file.name):
            topics = list(Topic.objects.live().values_list("slug", flat=True))
            topic = request.POST.get("topic", "")
            if topic not in topics:
                raise uploads.UploadError("choose the topic the imported questions belong to")
            taken = set(Question.objects.values_list("uid", flat=True))
            files, result = uploads.read_import(
                file.name, raw, topic=topic, topics=topics, taken=taken
            )
            imported = {"format": uploads.import_format(file.name), "result": result,
                        "yaml": next(iter(files.values())).decode("utf-8")}  # fmt: skip
        else:
            files = uploads.read_upload(file.name, raw)
    except uploads.UploadError as error:
        return render(
            request,
            "quizzes/instructor/upload.html",
            {"error": f"{str(error).capitalize()}."},
        )
    course, targets = changes.upload_check(files)
    if course.problems:
        return render(
            request,
            "quizzes/instructor/upload.html",
            {"problems": course.problems, "names": list(files), "imported": imported},
        )
    diff = changes.upload_diff(course, targets)
    pending = changes.upload_save(user=request.user, files=files, targets=targets)
    return render(
        request,
        "quizzes/instructor/upload.html",
        {"diff": diff, "pending": pending, "targets": targets, "imported": imported},
    )


def _pending(request: HtmxHttpRequest, pk: int) -> PendingUpload:
    return get_owned_or_404(PendingUpload.objects, request.user, pk=pk)


@instructor_only
@require_POST
def upload_apply(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    pending = _pending(request, pk)
    targets = dict(pending.targets)
    try:
        report = changes.upload_apply(pending=pending)
    except ValueError as error:
        messages.error(request, f"{str(error).capitalize()}.")
        return redirect("instructor_banks")
    messages.success(request, _("Applied: %(report)s.") % {"report": report})
    first = next(iter(targets.values()), None)
    if first is None:
        return redirect("instructor_banks")
    return redirect(f"{request.build_absolute_uri('/instructor/banks/preview/')}?path={first}")


@instructor_only
@require_POST
def upload_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    _pending(request, pk).delete()
    messages.info(request, _("Upload cancelled: nothing was changed."))
    return redirect("instructor_banks")
