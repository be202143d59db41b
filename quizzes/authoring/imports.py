"""Converting a Moodle file on the upload page: in the request when it is small, on the task
queue when it is large (a web worker never spends seconds on one upload).

Both ways run `import_check`: convert, check the result against the course, then either the
problems or the diff with an upload waiting for Apply (its images kept with it, written as course
images only on Apply: no file on the web server's disk). A Moodle file named like a
bank in content/banks replaces it, and keeps that bank's questions Moodle cannot hold (flashcards,
randomised cost exercises), so exporting a bank and importing it back changes nothing by itself.
"""

from __future__ import annotations

import posixpath
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from quizzes.course.bank import EXAM_TAGS
from quizzes.i18n import sentence
from quizzes.models import ImportJob, Question, Topic
from quizzes.translatable import gettext_noop

from . import changes, media, uploads

# Smaller Moodle files are converted in the request (well under a second); larger ones by a worker.
INLINE_IMPORT_BYTES = 64 * 1024


def kept_from(target: str) -> list[dict]:
    """The questions of the bank at `target` that a Moodle file cannot carry, as authored."""
    if not target.startswith("banks/"):
        return []
    rows = (
        Question.objects.live()
        .filter(source_path=target)
        .filter(
            Q(type=Question.Type.FLASHCARD)
            | Q(type=Question.Type.NUMERIC, spec__has_key="variables")
        )
    )
    return list(rows.order_by("source_line").values_list("spec", flat=True))


def import_check(
    *, user: AbstractBaseUser, name: str, raw: bytes, topic: str, exam: str, progress=None
) -> dict:
    """The upload page's context for one Moodle file; raises uploads.UploadError."""
    topics = list(Topic.objects.live().values_list("slug", flat=True))
    if topic not in topics:
        raise uploads.UploadError(gettext_noop("choose the topic the imported questions belong to"))
    base = uploads.slug_name(posixpath.splitext(posixpath.basename(name.replace("\\", "/")))[0])
    target = changes.upload_targets([f"{base}.yaml"])[f"{base}.yaml"]
    # Made ids steer clear of the course's, but not of the bank this file replaces nor the parts
    # it was split into (<name>-2.yaml, ...): importing the same file again updates its
    # questions instead of adding copies with "-2" ids.
    folder = target[: -len(f"{base}.yaml")]
    parts = rf"^{re.escape(folder + base)}(-[0-9]+)?\.yaml$"
    taken = set(Question.objects.exclude(source_path__regex=parts).values_list("uid", flat=True))
    files, result = uploads.read_import(
        name, raw, topic=topic, topics=topics, taken=taken,
        tags=[exam] if exam in EXAM_TAGS else [], keep=kept_from(target), progress=progress,
    )  # fmt: skip
    images = media.pending_images(result.media)
    imported = {
        "format": uploads.import_format(name),
        "result": result,
        "yaml": "\n".join(text.decode("utf-8") for text in files.values()),
        "counts": [(Question.Type(kind).label, n) for kind, n in sorted(result.counts().items())],
    }
    course, targets = changes.upload_check(files, images=images)
    if course.problems:
        return {"problems": course.problems, "names": list(files), "imported": imported}
    diff = changes.upload_diff(course, targets)
    pending = changes.upload_save(user=user, files=files, targets=targets, images=images)
    return {"diff": diff, "pending": pending, "targets": targets, "imported": imported}


def job_create(
    *, user: AbstractBaseUser, name: str, raw: bytes, topic: str, exam: str, language: str = ""
) -> ImportJob:
    """A large Moodle file kept for the task queue to convert (`job_run`); its report is
    written in `language`, the one the instructor read the upload page in."""
    return ImportJob.objects.create(
        user=user, name=name[:255], raw=raw, topic=topic[:60], exam=exam[:20],
        language=language[:10],
    )  # fmt: skip


def job_run(job: ImportJob) -> None:
    """Convert a queued file, saying how far it got, and keep the rendered report (in the
    language of the page that sent it: a worker has no request to ask)."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _job_run(job)


def _job_run(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.CONVERTING)

    def progress(count: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(converted=count)

    try:
        context = import_check(
            user=job.user, name=job.name, raw=bytes(job.raw), topic=job.topic, exam=job.exam,
            progress=progress,
        )  # fmt: skip
    except uploads.UploadError as error:
        job.state, job.error = ImportJob.State.FAILED, sentence(error.message)
    else:
        job.state = ImportJob.State.DONE
        job.converted = len(context["imported"]["result"].questions)
        job.pending = context.get("pending")
        job.result_html = render_to_string("quizzes/instructor/_upload_result.html", context)
    job.raw = b""
    job.save(update_fields=["state", "error", "converted", "pending", "result_html", "raw"])
