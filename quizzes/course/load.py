"""Writes: loading the checked course into the database.

The load is an upsert by stable id in one transaction: an edited question keeps its row (and so
every learner's history), a question gone from the files is retired, never deleted, and a second
run with the same files writes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from quizzes.models import Question, Tag, Topic

from .bank import Choice, QuestionSpec, fingerprint
from .check import Course
from .markup import Renderer
from .notes import NoteSpec

# Bump when rendering changes (sanitiser, Markdown extensions) so every item is rendered again.
RENDER_VERSION = 1
BATCH = 500
# Banks uploaded in the browser live under this path; a full load from the files leaves them alone.
UPLOAD_PREFIX = "uploads/"


@dataclass
class LoadReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    notes: int = 0
    questions: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired ({self.notes} notes, {self.questions} questions)"
        )


def _stored_path(path: str, root: Path) -> str:
    """Paths relative to the content folder, so they do not depend on where the command ran."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _path_finder(root: Path, stored_paths: dict[str, str]):
    def path_of(shown: str) -> str:
        return stored_paths.get(shown) or _stored_path(shown, root)

    return path_of


def _question_fingerprint(spec: QuestionSpec) -> str:
    return fingerprint([RENDER_VERSION, spec.spec])


def _note_fingerprint(note: NoteSpec) -> str:
    return fingerprint([RENDER_VERSION, note.fingerprint])


def course_load(
    *,
    course: Course,
    root: Path,
    full: bool,
    now: datetime | None = None,
    stored_paths: dict[str, str] | None = None,
) -> LoadReport:
    """Upsert a checked course. `full` means the files are the whole course: retire what is gone.

    `stored_paths` maps a bank's shown name to the path its questions are stored under (uploads).
    """
    if not course.ok:
        raise ValueError("refusing to load a course with problems; run check_content")
    now = now or timezone.now()
    renderer = Renderer()
    report = LoadReport(notes=len(course.notes), questions=len(course.questions))
    with transaction.atomic():
        _load_topics(course.notes, root=root, full=full, now=now, renderer=renderer, report=report)
        path_of = _path_finder(root, stored_paths or {})
        paths = {path_of(q.path) for q in course.questions} | set((stored_paths or {}).values())
        _load_questions(
            course.questions, path_of=path_of, scope=None if full else paths, now=now,
            renderer=renderer, report=report,
        )  # fmt: skip
    return report


def _load_topics(
    notes: list[NoteSpec], *, root: Path, full: bool, now: datetime, renderer: Renderer,
    report: LoadReport,
) -> None:  # fmt: skip
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    for note in notes:
        print_ = _note_fingerprint(note)
        topic = existing.get(note.topic)
        if topic is not None and topic.fingerprint == print_ and topic.retired_at is None:
            report.unchanged += 1
            continue
        rendered = renderer.note(note.body)
        fields = {
            "title": note.title,
            "order": note.order,
            "summary": note.summary,
            "note_html": rendered.html,
            "toc_html": rendered.toc_html,
            "source_path": _stored_path(note.path, root),
            "fingerprint": print_,
            "retired_at": None,
        }
        if topic is None:
            Topic.objects.create(slug=note.topic, **fields)
            report.added += 1
        else:
            for name, value in fields.items():
                setattr(topic, name, value)
            topic.save(update_fields=[*fields, "updated_at"])
            report.updated += 1
    if full:
        gone = Topic.objects.live().exclude(slug__in=[n.topic for n in notes])
        report.retired += gone.update(retired_at=now)


def _render_choice(choice: Choice, renderer: Renderer) -> dict:
    rendered = {
        "key": choice.key,
        "html": renderer.text(choice.text),
        "correct": choice.correct,
        "rationale_html": renderer.text(choice.rationale),
    }
    if choice.role:  # matching: prompts name their answer
        rendered["role"] = choice.role
        if choice.match:
            rendered["match"] = choice.match
    return rendered


def _render_question(spec: QuestionSpec, renderer: Renderer) -> dict:
    return {
        "type": spec.type,
        "difficulty": spec.difficulty,
        "stem_html": renderer.text(spec.stem),
        "back_html": renderer.text(spec.back),
        "choices": [_render_choice(choice, renderer) for choice in spec.choices],
        "choose": spec.choose,
        "explanation_html": renderer.text(spec.explanation),
        "references": list(spec.references),
        "exercise": spec.exercise,
        "spec": spec.spec,
    }


def _load_questions(
    specs: list[QuestionSpec], *, path_of, scope: set[str] | None, now: datetime,
    renderer: Renderer, report: LoadReport,
) -> None:  # fmt: skip
    topic_ids = dict(Topic.objects.values_list("slug", "id"))
    tag_names = sorted({tag for spec in specs for tag in spec.tags})
    Tag.objects.bulk_create([Tag(name=name) for name in tag_names], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=tag_names).values_list("name", "id"))
    existing = {
        row[0]: row[1:]
        for row in Question.objects.values_list(
            "uid", "id", "fingerprint", "retired_at", "source_path", "source_line"
        )
    }

    to_create: list[Question] = []
    to_update: list[Question] = []
    moved: list[Question] = []
    for spec in specs:
        print_ = _question_fingerprint(spec)
        path = path_of(spec.path)
        row = existing.get(spec.uid)
        if row is not None and row[1] == print_ and row[2] is None:
            report.unchanged += 1
            if (row[3], row[4]) != (path, spec.line):
                moved.append(Question(id=row[0], source_path=path, source_line=spec.line))
            continue
        question = Question(
            uid=spec.uid,
            topic_id=topic_ids[spec.topic],
            source_path=path,
            source_line=spec.line,
            fingerprint=print_,
            retired_at=None,
            updated_at=now,
            **_render_question(spec, renderer),
        )
        if row is None:
            to_create.append(question)
        else:
            question.id = row[0]
            to_update.append(question)

    Question.objects.bulk_create(to_create, batch_size=BATCH)
    update_fields = [
        "topic", "type", "difficulty", "stem_html", "back_html", "choices", "choose",
        "explanation_html", "references", "exercise", "spec", "source_path", "source_line",
        "fingerprint", "retired_at", "updated_at",
    ]  # fmt: skip
    Question.objects.bulk_update(to_update, update_fields, batch_size=BATCH)
    Question.objects.bulk_update(moved, ["source_path", "source_line"], batch_size=BATCH)
    report.added += len(to_create)
    report.updated += len(to_update)

    # Tags of new and changed questions: replace their through rows in bulk.
    changed = to_create + to_update
    if changed:
        if any(q.pk is None for q in to_create):  # databases that do not return ids on insert
            ids = dict(Question.objects.values_list("uid", "id"))
            for question in to_create:
                question.pk = ids[question.uid]
        through = Question.tags.through
        for batch in _batches([q.pk for q in to_update]):
            through.objects.filter(question_id__in=batch).delete()
        tags_of = {spec.uid: spec.tags for spec in specs}
        through.objects.bulk_create(
            [
                through(question_id=q.pk, tag_id=tag_ids[tag])
                for q in changed
                for tag in tags_of[q.uid]
            ],
            batch_size=BATCH,
        )

    live_uids = {spec.uid for spec in specs}
    gone = [
        row[0]
        for uid, row in existing.items()
        if uid not in live_uids
        and row[2] is None
        and (row[3] in scope if scope is not None else not row[3].startswith(UPLOAD_PREFIX))
    ]
    for batch in _batches(gone):
        report.retired += Question.objects.filter(id__in=batch).update(
            retired_at=now, updated_at=now
        )


def _batches(items: list, size: int = BATCH) -> list[list]:
    """Keep `IN (...)` lists short: SQLite limits the number of parameters in one query."""
    return [items[i : i + size] for i in range(0, len(items), size)]
