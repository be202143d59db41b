"""Background work for instructors: converting a large Moodle file (see imports.job_run)."""

from __future__ import annotations

from django_tasks import task

from quizzes.models import ImportJob

from . import imports


@task()
def import_convert(job_id: int) -> bool:
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return False  # cancelled (deleted) or already run
    imports.job_run(job)
    return True
