"""Instructor authoring: preview a bank, diff an upload against the live course, apply it.

An uploaded file named like a bank in content/banks replaces that bank; any other name becomes
`uploads/<name>`, which a full `load_content` from the files leaves alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from quizzes.course.bank import Problem, QuestionSpec, fingerprint
from quizzes.course.check import Course, check_texts
from quizzes.course.importers import moodle_xml
from quizzes.course.load import UPLOAD_PREFIX, LoadReport, course_load
from quizzes.models import Card, PendingUpload, Question, QuizItem
from quizzes.translatable import gettext_noop

from . import media, textdiff


def upload_targets(names: list[str]) -> dict[str, str]:
    """Where each uploaded file will live: the file bank of the same name, else uploads/<name>."""
    banks = Path(settings.CONTENT_DIR) / "banks"
    return {
        name: f"banks/{name}" if (banks / name).exists() else f"{UPLOAD_PREFIX}{name}"
        for name in names
    }


def upload_check(
    files: dict[str, bytes], images: Iterable[str] = ()
) -> tuple[Course, dict[str, str]]:
    """Check uploaded banks as check_content checks files, plus ids used elsewhere in the DB.
    `images`: the names of the images the upload carries; a bank may also show stored ones."""
    targets = upload_targets(list(files))
    root = Path(settings.CONTENT_DIR)
    replaced = {root / path for path in targets.values() if not path.startswith(UPLOAD_PREFIX)}
    known = set(images) | media.stored_names(files.values())
    course = check_texts(files, root, replaces=replaced, images=known)
    uids = {q.uid: q for q in course.questions}
    elsewhere = Question.objects.filter(uid__in=list(uids)).exclude(
        source_path__in=list(targets.values())
    )
    for uid, path, line in elsewhere.filter(source_path__startswith=UPLOAD_PREFIX).values_list(
        "uid", "source_path", "source_line"
    ):
        question = uids[uid]
        if targets.get(question.path) == path:
            continue
        message = gettext_noop(
            "duplicate id '%(id)s' (also at %(path)s:%(line)s)", id=uid, path=path, line=line
        )
        course.problems.append(Problem(question.path, question.line, message))
    return course, targets


@dataclass
class Change:
    uid: str
    fields: list[str]  # the YAML keys that changed (or a Message: the question comes back)
    texts: list[textdiff.FieldDiff] = field(default_factory=list)


@dataclass
class Diff:
    added: list[QuestionSpec] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    learners: int = 0
    attempts: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


def upload_diff(course: Course, targets: dict[str, str]) -> Diff:
    """What applying would change, field by field, and how many learners' cards it touches."""
    diff = Diff()
    paths = list(targets.values())
    in_upload = {spec.uid for spec in course.questions}
    existing = {
        q.uid: q for q in Question.objects.filter(uid__in=[s.uid for s in course.questions])
    }
    for spec in course.questions:
        current = existing.get(spec.uid)
        if current is None:
            diff.added.append(spec)
        elif fingerprint(current.spec) != fingerprint(spec.spec) or current.retired_at is not None:
            fields = sorted(
                k
                for k in set(current.spec) | set(spec.spec)
                if current.spec.get(k) != spec.spec.get(k)
            )
            diff.changed.append(
                Change(
                    spec.uid,
                    fields or [gettext_noop("retired (comes back)")],
                    textdiff.spec_diff(current.spec, spec.spec),
                )
            )
        else:
            diff.unchanged += 1
    gone = Question.objects.live().filter(source_path__in=paths).exclude(uid__in=in_upload)
    diff.retired = sorted(gone.values_list("uid", flat=True))
    touched = [c.uid for c in diff.changed] + diff.retired
    diff.learners = Card.objects.filter(question__uid__in=touched).values("user").distinct().count()
    # Answered quiz items and exam items (through the reverse name: exams sits above us).
    diff.attempts = (
        QuizItem.objects.filter(question__uid__in=touched, answered_at__isnull=False).count()
        + Question.objects.filter(uid__in=touched, exam_items__isnull=False).count()
    )
    return diff


def upload_save(
    *,
    user: AbstractBaseUser,
    files: dict[str, bytes],
    targets: dict[str, str],
    images: dict[str, str] | None = None,
) -> PendingUpload:
    """Keep the upload (and its images, name -> base64) until Apply; Cancel deletes the row."""
    PendingUpload.objects.filter(user=user).delete()  # one pending upload per instructor
    return PendingUpload.objects.create(
        user=user,
        files={name: raw.decode("utf-8") for name, raw in files.items()},
        targets=targets,
        images=images or {},
    )


def upload_apply(*, pending: PendingUpload, now: datetime | None = None) -> LoadReport:
    """Check again (the course may have moved on), then load in one transaction.

    Every question this changes, adds or retires is marked as edited in the browser (by whom,
    when), so a later load_content from older files cannot undo it silently. The images the
    upload carries become `CourseImage` rows in the same transaction.
    """
    files = {name: text.encode("utf-8") for name, text in pending.files.items()}
    course, targets = upload_check(files, images=pending.images)
    if course.problems:
        raise ValueError(
            gettext_noop("the upload no longer passes the checks: upload it again to see why")
        )
    now = now or timezone.now()
    with transaction.atomic():
        diff = upload_diff(course, targets)
        touched = [spec.uid for spec in diff.added] + [c.uid for c in diff.changed] + diff.retired
        report = course_load(
            course=course, root=Path(settings.CONTENT_DIR), full=False, stored_paths=targets,
            now=now,
        )  # fmt: skip
        Question.objects.filter(uid__in=touched).update(edited_at=now, edited_by=pending.user)
        media.images_store(pending.images)
        pending.delete()
    return report


def upload_cancel(*, pending: PendingUpload) -> None:
    """Drop an upload waiting for Apply: nothing in the course changes."""
    pending.delete()


def browser_edits() -> list[dict]:
    """Banks with questions edited in the browser that the files do not have yet."""
    return list(
        Question.objects.filter(edited_at__isnull=False)
        .values("source_path")
        .annotate(count=Count("id"), last=Max("edited_at"))
        .order_by("source_path")
    )


def bank_moodle_xml(path: str) -> tuple[str, list[tuple[str, str]]]:
    """A live bank as Moodle XML, and (id, reason) for each question Moodle cannot hold."""
    questions = Question.objects.live().filter(source_path=path).order_by("source_line")
    return moodle_xml.export([question.spec for question in questions])


def bank_yaml(path: str) -> str:
    """A bank as YAML from the questions as authored: importing it again changes nothing."""
    questions = Question.objects.live().filter(source_path=path).order_by("source_line")
    specs = [question.spec for question in questions]
    header = (
        f"# {path}: exported from Lambda Study. Edit, check with check_content, upload again.\n"
    )
    return header + yaml.safe_dump(
        {"questions": specs}, allow_unicode=True, sort_keys=False, width=100
    )
