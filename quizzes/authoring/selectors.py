"""Reads for the instructor's bank pages: the banks, one bank's questions, the upload waiting."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Max, QuerySet
from django.http import Http404

from accounts.roles import get_owned_or_404
from quizzes.models import ImportJob, PendingUpload, Question, Topic
from quizzes.selectors import topic_links, with_question


def bank_rows() -> QuerySet:
    """Each bank file with its number of live questions and when one last changed."""
    return (
        Question.objects.live()
        .values("source_path")
        .annotate(count=Count("id"), updated=Max("updated_at"))
        .order_by("source_path")
    )


def topic_choices() -> QuerySet:
    """(slug, title in the reader's language) of the live topics, for the import form."""
    return topic_links()


def bank_path(path: str) -> str:
    """`path` when a bank has it, else a 404."""
    if not path or not Question.objects.filter(source_path=path).exists():
        raise Http404("No bank has this path.")
    return path


def bank_questions(path: str) -> list[Question]:
    """The bank's live questions in file order, with topic (its title, not its note) and tags."""
    return list(
        with_question(Question.objects.live(), prefix="")
        .filter(source_path=path)
        .prefetch_related("tags")
        .order_by("source_line")
    )


def live_topic_slugs() -> list[str]:
    return list(Topic.objects.live().values_list("slug", flat=True))


def taken_uids() -> set[str]:
    """Every question id in use, retired ones too: an import must not reuse one."""
    return set(Question.objects.values_list("uid", flat=True))


def pending_upload(user: AbstractBaseUser, pk: int) -> PendingUpload:
    """The instructor's own upload waiting for Apply, or a 404."""
    return get_owned_or_404(PendingUpload.objects, user, pk=pk)


def import_job(user: AbstractBaseUser, pk: int) -> ImportJob:
    """The instructor's own Moodle conversion job (without its file), or a 404."""
    return get_owned_or_404(ImportJob.objects.defer("raw"), user, pk=pk)
