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
from django_htmx.http import HttpResponseClientRefresh

from accounts.roles import get_owned_or_404
from quizzes.authoring import changes, imports, preview, tasks, uploads
from quizzes.course import itemlint
from quizzes.course.placeholders import placeholders
from quizzes.models import ImportJob, PendingUpload, Question, Topic
from quizzes.study import answering
from studyapp.htmx import HtmxHttpRequest

PERMISSION = "quizzes.preview_bank"
UPLOAD = "quizzes/instructor/upload.html"


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


def numeric_tolerance(exercise: dict) -> str:
    """How close a numeric answer must be, in words: the key is not only its number."""
    if "range" in exercise and isinstance(exercise["range"], dict):
        bounds = exercise["range"]
        return _("any value from %(low)s to %(high)s") % {
            "low": bounds.get("min"),
            "high": bounds.get("max"),
        }
    tolerance = exercise.get("tolerance")
    if tolerance in (None, 0, "0"):
        return _("exactly") if "answer" in exercise else ""
    return _("within ± %(tolerance)s") % {"tolerance": tolerance}


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
                # Found in the stored spec too, so an uploaded bank (no file) shows them.
                "placeholders": placeholders(question.spec or {}),
                "cues": [c for c in lint.for_item(question.uid) if "placeholder" not in c.message],
                "solution": solution,
                "tolerance": numeric_tolerance(question.exercise or {}),
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
        "with_placeholders": [e["question"].uid for e in items if e["placeholders"]],
        "translation_gaps": preview.translation_gaps(questions),
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
    """Check an uploaded bank or zip; show every problem, or the diff to apply. Writes no course.

    A Moodle file is converted first: here when small, on the task queue when large (the page
    then polls the job for its progress)."""
    file = request.FILES.get("bank")
    if file is None:
        messages.error(request, _("Choose a .yaml bank or a .zip of banks to upload."))
        return redirect("instructor_banks")
    if file.size > uploads.MAX_UPLOAD_BYTES:
        return render(request, UPLOAD, {"error": _("The upload is over the 5 MB limit.")})
    try:
        raw = file.read(uploads.MAX_UPLOAD_BYTES + 1)
        if uploads.import_format(file.name):
            topic, exam = request.POST.get("topic", ""), request.POST.get("exam", "")
            if len(raw) > imports.INLINE_IMPORT_BYTES:
                if len(raw) > uploads.MAX_FILE_BYTES:  # refused at once, not after a queue
                    raise uploads.UploadError(
                        _("%(name)s is over the 1 MB limit") % {"name": file.name}
                    )
                job = ImportJob.objects.create(
                    user=request.user, name=file.name[:255], raw=raw, topic=topic[:60],
                    exam=exam[:20],
                )  # fmt: skip
                tasks.import_convert.enqueue(job.pk)
                return redirect("bank_upload_job", pk=job.pk)
            context = imports.import_check(
                user=request.user, name=file.name, raw=raw, topic=topic, exam=exam
            )
        else:
            files = uploads.read_upload(file.name, raw)
            context = _bank_context(request, files)
    except uploads.UploadError as error:
        return render(request, UPLOAD, {"error": f"{str(error).capitalize()}."})
    return render(request, UPLOAD, context)


def _bank_context(request: HtmxHttpRequest, files: dict[str, bytes]) -> dict:
    course, targets = changes.upload_check(files)
    if course.problems:
        return {"problems": course.problems, "names": list(files)}
    diff = changes.upload_diff(course, targets)
    pending = changes.upload_save(user=request.user, files=files, targets=targets)
    return {"diff": diff, "pending": pending, "targets": targets}


@instructor_only
@require_safe
def upload_job(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A Moodle file converting in the background: its progress, then its report and diff."""
    job = get_owned_or_404(ImportJob.objects.defer("raw"), request.user, pk=pk)
    if request.htmx and job.finished:
        return HttpResponseClientRefresh()  # the whole page, with the report and its buttons
    context = {"job": job, "pending": job.pending}
    if request.htmx:
        return render(request, f"{UPLOAD}#progress", context)
    return render(request, UPLOAD, context)


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
