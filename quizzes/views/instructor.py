"""Instructor tools: bank list, preview with the answer key, upload with a diff, download."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from quizzes.authoring import changes, imports, preview, selectors, tasks, uploads
from quizzes.i18n import sentence, translated
from quizzes.models import PendingUpload
from studyapp.htmx import HtmxHttpRequest

PERMISSION = "quizzes.preview_bank"
UPLOAD = "quizzes/instructor/upload.html"


def instructor_only(view):
    """Log in first; then only instructors (a 403 says so, rather than a confusing 404)."""
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


@instructor_only
@require_safe
def banks(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "banks": selectors.bank_rows(),
        "edited": changes.browser_edits(),
        "topics": selectors.topic_choices(),
    }
    return render(request, "quizzes/instructor/banks.html", context)


def _bank_path(request: HtmxHttpRequest) -> str:
    return selectors.bank_path(request.GET.get("path", ""))


@instructor_only
@require_safe
def bank_preview(request: HtmxHttpRequest) -> HttpResponse:
    """Every question as candidates see it, with the key, and the file's problems where they are."""
    path = _bank_path(request)
    context = preview.bank_preview(path, selectors.bank_questions(path))
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
                job = imports.job_create(
                    user=request.user, name=file.name, raw=raw, topic=topic, exam=exam,
                    language=request.LANGUAGE_CODE,
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
        return render(request, UPLOAD, {"error": sentence(error.message)})
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
    job = selectors.import_job(request.user, pk)
    if request.htmx and job.finished:
        return HttpResponseClientRefresh()  # the whole page, with the report and its buttons
    context = {"job": job, "pending": job.pending}
    if request.htmx:
        return render(request, f"{UPLOAD}#progress", context)
    return render(request, UPLOAD, context)


def _pending(request: HtmxHttpRequest, pk: int) -> PendingUpload:
    return selectors.pending_upload(request.user, pk)


@instructor_only
@require_POST
def upload_apply(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    pending = _pending(request, pk)
    targets = dict(pending.targets)
    try:
        report = changes.upload_apply(pending=pending)
    except ValueError as error:
        messages.error(request, sentence(error.args[0] if error.args else ""))
        return redirect("instructor_banks")
    messages.success(request, _("Applied: %(report)s.") % {"report": translated(report.summary)})
    first = next(iter(targets.values()), None)
    if first is None:
        return redirect("instructor_banks")
    return redirect(f"{request.build_absolute_uri('/instructor/banks/preview/')}?path={first}")


@instructor_only
@require_POST
def upload_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    changes.upload_cancel(pending=_pending(request, pk))
    messages.info(request, _("Upload cancelled: nothing was changed."))
    return redirect("instructor_banks")
