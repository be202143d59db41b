"""Writes: loading the checked course into the database.

The load is an upsert by stable id in one transaction: an edited question keeps its row (and so
every learner's history), a question gone from the files is retired, never deleted, and a second
run with the same files writes nothing.

No instructor edit is lost silently. The rule: `load_content` loads only the bank files whose
content changed since they were last loaded (a fingerprint per file, `LoadedFile`, kept by the
functions under "Per-file fingerprints" below); where a changed file would overwrite, bring back
or retire a question edited in the browser since (`Question.edited_at`), it stops, names each
conflict and imports nothing, unless told `--theirs` (the file wins) or `--ours` (the browser
edit stays). A file that catches up with the browser edit (the downloaded bank, committed)
clears the mark. On the same rows, a full load of a course in which nothing changed is skipped
before any file is parsed (`unchanged_course`; `load_content --all` loads anyway).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connections, transaction
from django.db.models import Count, Max
from django.utils import timezone

from quizzes.models import LoadedFile, Question, Tag, Topic
from quizzes.translatable import Message, gettext_noop

from . import translations as tr
from .bank import Choice, QuestionSpec, fingerprint
from .check import Course
from .markup import Renderer
from .notes import NoteSpec

# Bump when rendering changes (sanitiser, Markdown extensions) so every item is rendered again.
RENDER_VERSION = 1
BATCH = 500
# Banks uploaded in the browser live under this path; a full load from the files leaves them alone.
UPLOAD_PREFIX = "uploads/"


THEIRS, OURS = "theirs", "ours"


@dataclass(frozen=True)
class Conflict:
    """A changed file against a question edited in the browser since the file was last loaded."""

    path: str
    line: int
    uid: str
    edited_at: datetime
    edited_by: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: conflict: '{self.uid}' was edited in the browser on "
            f"{self.edited_at:%Y-%m-%d %H:%M} UTC by {self.edited_by}; --theirs keeps the file, "
            "--ours keeps the browser edit"
        )


class LoadConflict(ValueError):
    """Raised before anything is written: every conflict, for the command to print."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflicts with edits made in the browser")
        self.conflicts = conflicts


@dataclass
class LoadReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    notes: int = 0
    questions: int = 0
    files_skipped: int = 0
    translations: int = 0  # rows whose stored translations changed
    kept_browser_edits: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return str(self.summary)

    @property
    def summary(self) -> Message:
        """What the load did, in English (commands print it) and for a page to translate."""
        counts = {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "retired": self.retired, "notes": self.notes, "questions": self.questions,
        }  # fmt: skip
        text = gettext_noop(
            "%(added)s added, %(updated)s updated, %(unchanged)s unchanged, %(retired)s retired "
            "(%(notes)s notes, %(questions)s questions)",
            **counts,
        )
        if self.translations:
            text = gettext_noop(
                "%(text)s; translations updated on %(rows)s rows", text=text, rows=self.translations
            )
        if self.kept_browser_edits:
            text = gettext_noop(
                "%(text)s; browser edits kept: %(ids)s", text=text, ids=self.kept_browser_edits
            )
        return text


# --- Per-file fingerprints ------------------------------------------------------------------
# One place for "what changed since the last load": the sha256 of each file's bytes (with the
# render version) against the `LoadedFile` row written when it was last loaded.


def file_fingerprint(raw: bytes) -> str:
    return hashlib.sha256(f"{RENDER_VERSION}\n".encode() + raw).hexdigest()


def file_prints(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """Stored path (relative to the content folder) -> fingerprint of the file as it is now."""
    return {_stored_path(str(path), root): file_fingerprint(path.read_bytes()) for path in paths}


def unchanged_files(prints: dict[str, str]) -> set[str]:
    """The files whose content is exactly what was loaded last time."""
    loaded = dict(
        LoadedFile.objects.filter(path__in=list(prints)).values_list("path", "fingerprint")
    )
    return {path for path, print_ in prints.items() if loaded.get(path) == print_}


def record_loaded(prints: dict[str, str], now: datetime) -> None:
    # `code` is cleared: only a full load (`record_course`) vouches for the whole course.
    for path, print_ in prints.items():
        LoadedFile.objects.update_or_create(
            path=path, defaults={"fingerprint": print_, "code": "", "loaded_at": now}
        )


# The whole course unchanged: a full load (load_content with no path) first fingerprints every
# file of the content folder. When each matches its `LoadedFile` row, the code that checks and
# renders them is the same (`code_version`) and the database still holds what that load left
# (`_loaded_rows`), the load would change nothing, so it is skipped without reading a file
# (`unchanged_course`). Otherwise the per-file rule above applies as usual.


def folder_prints(root: Path) -> dict[str, str]:
    """Every file under the content folder (notes, banks, blueprints, anything else): a file
    added, edited or removed anywhere there makes the next full load run."""
    root = root.resolve()
    return file_prints(sorted(p for p in root.rglob("*") if p.is_file()), root)


def code_version(code: Iterable[Path] = ()) -> str:
    """The code that checks and renders the course (this package, plus `code`): a change to a
    check or the renderer makes the next full load run (and report any new problem)."""
    version = hashlib.sha256(str(RENDER_VERSION).encode())
    for source in sorted([*Path(__file__).parent.rglob("*.py"), *code]):
        version.update(source.read_bytes())
    return version.hexdigest()


def _in_folder(path: str) -> bool:
    """A stored path of a file under the content folder (not an upload, not a file elsewhere)."""
    return not path.startswith(UPLOAD_PREFIX) and not Path(path).is_absolute()


def _loaded_rows() -> dict[str, str]:
    """Per stored path, the live questions or topic it holds and their latest update."""
    rows: dict[str, str] = {}
    for model in (Question, Topic):
        found = (
            model.objects.live()
            .order_by()
            .values("source_path")
            .annotate(n=Count("id"), last=Max("updated_at"))
            .values_list("source_path", "n", "last")
        )
        for path, count, last in found:
            rows[path] = f"{count} {last.isoformat()}"
    return rows


def unchanged_course(prints: dict[str, str], code: str) -> bool:
    """True when every file of the folder is as the last full load read it (same paths, same
    fingerprints, same code) and the database still holds what that load left: a browser edit,
    an applied upload or a retired row since makes it False. One query for the fingerprints,
    two for the rows."""
    stored = {
        path: (print_, version, rows)
        for path, print_, version, rows in LoadedFile.objects.values_list(
            "path", "fingerprint", "code", "rows"
        )
    }
    if not prints or any(_in_folder(path) and path not in prints for path in stored):
        return False  # an empty folder, or a file removed since
    if any(stored.get(path, ("", "", ""))[:2] != (print_, code) for path, print_ in prints.items()):
        return False
    rows = _loaded_rows()
    return all(stored[path][2] == rows.get(path, "") for path in prints)


def record_course(prints: dict[str, str], code: str, *, now: datetime | None = None) -> None:
    """After a full load: every file's fingerprint, the code version and what the file left in
    the database; rows of files gone from the folder are dropped (a file brought back is read)."""
    now = now or timezone.now()
    rows = _loaded_rows()
    with transaction.atomic():
        gone = [
            path
            for path in LoadedFile.objects.values_list("path", flat=True)
            if _in_folder(path) and path not in prints
        ]
        for batch in _batches(gone):
            LoadedFile.objects.filter(path__in=batch).delete()
        LoadedFile.objects.bulk_create(
            [
                LoadedFile(
                    path=path,
                    fingerprint=print_,
                    code=code,
                    rows=rows.get(path, ""),
                    loaded_at=now,
                )  # fmt: skip
                for path, print_ in prints.items()
            ],
            update_conflicts=True,
            unique_fields=["path"],
            update_fields=["fingerprint", "code", "rows", "loaded_at"],
            batch_size=BATCH,
        )


# --- Loading ---------------------------------------------------------------------------------


def _stored_path(path: str, root: Path) -> str:
    """Paths relative to the content folder, so they do not depend on where the command ran."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _path_finder(root: Path, stored_paths: dict[str, str]):
    known = dict(stored_paths)

    def path_of(shown: str) -> str:
        # Once per file, not per question: resolving a path asks the file system.
        if shown not in known:
            known[shown] = _stored_path(shown, root)
        return known[shown]

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
    prints: dict[str, str] | None = None,
    resolve: str = "",
) -> LoadReport:
    """Upsert a checked course. `full` means the files are the whole course: retire what is gone.

    `stored_paths` maps a bank's shown name to the path its questions are stored under (uploads).
    `prints` (from `file_prints`, given by load_content) turns on the per-file rule: files loaded
    before with the same content are skipped, and browser edits are protected (`resolve` is
    "", THEIRS or OURS). Raises LoadConflict, having written nothing, on an unresolved conflict.
    """
    if not course.ok:
        raise ValueError("refusing to load a course with problems; run check_content")
    now = now or timezone.now()
    renderer = Renderer()
    report = LoadReport(notes=len(course.notes), questions=len(course.questions))
    path_of = _path_finder(root, stored_paths or {})
    keep: set[str] = set()
    with transaction.atomic():
        if prints is not None:
            skipped = unchanged_files(prints)
            report.files_skipped = len(skipped)
            keep = {q.uid for q in course.questions if path_of(q.path) in skipped}
            # A question added in the browser to a file that did not change is not retired.
            keep |= set(
                Question.objects.filter(
                    source_path__in=skipped, edited_at__isnull=False
                ).values_list("uid", flat=True)
            )
            keep |= _browser_edits(course, path_of, set(prints) - skipped, resolve, report)
        _load_topics(course.notes, root=root, full=full, now=now, renderer=renderer, report=report)
        paths = {path_of(q.path) for q in course.questions} | set((stored_paths or {}).values())
        _load_questions(
            course.questions, path_of=path_of, scope=None if full else paths, now=now,
            renderer=renderer, report=report, keep=keep,
        )  # fmt: skip
        if course.translations is not None:
            _load_translations(course, renderer=renderer, report=report)
        if prints is not None:
            record_loaded(prints, now)
    return report


# --- Translations ----------------------------------------------------------------------------
# Rendered and sanitised once here, like the English, into the rows' `translations` column:
# {language: {...}}; a topic's translated note goes to its own column, `note_translations`, which
# only the note page reads. A row is written only when what it stores differs from the files.


def _load_translations(course: Course, *, renderer: Renderer, report: LoadReport) -> None:
    specs = {spec.uid: spec for spec in course.questions}
    wanted: dict[str, dict] = {}
    for language, found in (course.translations or {}).items():
        for uid, item in found.items.items():
            if uid in specs:
                entry = _render_translation(specs[uid], item, renderer)
                wanted.setdefault(uid, {})[language] = entry
    changed = [
        Question(id=pk, translations=wanted.get(uid, {}))
        for uid, pk, stored in Question.objects.values_list("uid", "id", "translations")
        if (stored or {}) != wanted.get(uid, {}) and (uid in specs or stored)
    ]
    Question.objects.bulk_update(changed, ["translations"], batch_size=BATCH)
    notes = {note.topic: note for note in course.notes}
    texts_wanted: dict[str, dict] = {}
    notes_wanted: dict[str, dict] = {}
    for language, found in (course.translations or {}).items():
        for topic, translation in found.notes.items():
            if topic in notes:
                texts, note = _render_note_translation(notes[topic], translation, renderer)
                texts_wanted.setdefault(topic, {})[language] = texts
                notes_wanted.setdefault(topic, {})[language] = note
    stored_topics = Topic.objects.values_list("slug", "id", "translations", "note_translations")
    topics = [
        Topic(
            id=pk,
            translations=texts_wanted.get(slug, {}),
            note_translations=notes_wanted.get(slug, {}),
        )
        for slug, pk, texts, note in stored_topics
        if (texts or {}) != texts_wanted.get(slug, {}) or (note or {}) != notes_wanted.get(slug, {})
    ]
    Topic.objects.bulk_update(topics, ["translations", "note_translations"], batch_size=BATCH)
    report.translations += len(changed) + len(topics)


def _render_translation(spec: QuestionSpec, item: tr.ItemTranslation, renderer: Renderer) -> dict:
    if spec.type == "true_false":
        labels = tr.TRUE_FALSE.get(item.language, ("True", "False"))
        choices = [{"html": renderer.text(label), "rationale_html": ""} for label in labels]
    else:
        choices = [
            {"html": renderer.text(text), "rationale_html": renderer.text(rationale)}
            | ({"text": text} if spec.type == "short" else {})
            for text, rationale in item.choices
        ]
    return {
        "stem_html": renderer.text(item.stem),
        "back_html": renderer.text(item.back),
        "explanation_html": renderer.text(item.explanation),
        "choices": choices,
        "unit": item.unit,
        "stale": item.stale,
    }


def _render_note_translation(
    note: NoteSpec, translation: tr.NoteTranslation, renderer: Renderer
) -> tuple[dict, dict]:
    """The topic's translated texts (`Topic.translations`), then its note (`note_translations`)."""
    body, untranslated = tr.merged(note, translation)
    rendered = renderer.note(body)
    html = rendered.html
    mark = tr.UNTRANSLATED_MARK.get(translation.language, "")
    for anchor in untranslated:
        # After the heading of each section still in English: a small mark, and `lang="en"`
        # would need a wrapper the sanitiser keeps, so the mark says it in words.
        html = re.sub(
            rf'(<h2 id="{re.escape(anchor)}">.*?</h2>)',
            rf'\1<p class="untranslated" lang="{translation.language}">{mark}</p>',
            html,
            count=1,
            flags=re.S,
        )
    title = tr.PERMALINK_TITLE.get(translation.language)
    if title:
        html = html.replace('title="Link here"', f'title="{title}"')
    texts = {
        "title": translation.title,
        "summary": translation.summary,
        "untranslated": untranslated,
        "stale": translation.stale,
    }
    return texts, {"note_html": html, "toc_html": rendered.toc_html}


def _browser_edits(
    course: Course, path_of, changed: set[str], resolve: str, report: LoadReport
) -> set[str]:
    """Questions edited in the browser that the changed files would overwrite, bring back or
    retire. Raises LoadConflict unless resolved; returns the ids to leave as they are (--ours).
    """
    in_files = {q.uid: q for q in course.questions}
    # Browser edits are few: read them all rather than a long `IN` list of every changed id.
    edited = Question.objects.filter(edited_at__isnull=False).select_related("edited_by")
    conflicts: list[Conflict] = []
    caught_up: list[int] = []
    for question in edited:
        spec = in_files.get(question.uid)
        if spec is not None and path_of(spec.path) not in changed:
            continue  # its file did not change: nothing overwrites it
        if spec is None and question.source_path not in changed:
            continue  # in no file being loaded (an upload, or a file not named this time)
        same = (
            spec is not None
            and _question_fingerprint(spec) == question.fingerprint
            and question.retired_at is None
        )
        if same:
            caught_up.append(question.pk)
            continue
        who = question.edited_by.get_username() if question.edited_by else "a deleted user"
        where = (spec.path, spec.line) if spec else (question.source_path, 1)
        conflicts.append(Conflict(*where, question.uid, question.edited_at, who))
    Question.objects.filter(pk__in=caught_up).update(edited_at=None, edited_by=None)
    if not conflicts:
        return set()
    if resolve == THEIRS:
        uids = [c.uid for c in conflicts]
        Question.objects.filter(uid__in=uids).update(edited_at=None, edited_by=None)
        return set()
    if resolve == OURS:
        report.kept_browser_edits = sorted(c.uid for c in conflicts)
        return set(report.kept_browser_edits)
    raise LoadConflict(sorted(conflicts, key=lambda c: (c.path, c.line)))


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
    if choice.role:  # matching: prompts name their answer; short answers keep their text
        rendered["role"] = choice.role
        if choice.role == "accepted":
            rendered["text"] = choice.text
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
    renderer: Renderer, report: LoadReport, keep: set[str] = frozenset(),
) -> None:  # fmt: skip
    """Upsert `specs` by id; `keep` names ids to leave exactly as they are (and never retire)."""
    topic_ids = dict(Topic.objects.values_list("slug", "id"))
    tag_names = sorted({tag for spec in specs for tag in spec.tags})
    Tag.objects.bulk_create([Tag(name=name) for name in tag_names], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=tag_names).values_list("name", "id"))
    existing = {
        row[0]: row[1:]
        # A learner's own cards are not the files': never updated or retired by a load.
        for row in Question.objects.filter(owner__isnull=True).values_list(
            "uid", "id", "fingerprint", "retired_at", "source_path", "source_line"
        )
    }

    to_create: list[Question] = []
    to_update: list[Question] = []
    moved: list[Question] = []
    for spec in specs:
        if spec.uid in keep:
            report.unchanged += 1
            continue
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

    _insert(Question, to_create)
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
        if to_create:  # inserted without returning their ids
            ids = dict(Question.objects.values_list("uid", "id"))
            for question in to_create:
                question.pk = ids[question.uid]
        through = Question.tags.through
        for batch in _batches([q.pk for q in to_update]):
            through.objects.filter(question_id__in=batch).delete()
        tags_of = {spec.uid: spec.tags for spec in specs}
        _insert_tags([(q.pk, tag_ids[tag]) for q in changed for tag in tags_of[q.uid]])

    live_uids = {spec.uid for spec in specs} | keep
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


def _insert(model, objects: list) -> None:
    """Insert new rows, prepared by their fields as `bulk_create` prepares them (`_write`).

    `bulk_create` built the statement in Python, and on PostgreSQL psycopg built each column's
    array value by value: 3.8 s of a 10,000-question load, against about a second here. Ids
    are not set on `objects`.
    """
    db = connections[model.objects.db]  # the wrapper itself: `connection` is a proxy
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    rows = ([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields] for obj in objects)
    _write(db, model._meta.db_table, [f.column for f in fields], rows)


def _insert_tags(pairs: list[tuple[int, int]]) -> None:
    """(question id, tag id) rows of the tags' through table."""
    through = Question.tags.through
    _write(
        connections[through.objects.db], through._meta.db_table, ["question_id", "tag_id"], pairs
    )


def _write(db, table: str, columns: list[str], rows: Iterable) -> None:
    """COPY on PostgreSQL; one prepared INSERT run for every row elsewhere."""
    table = db.ops.quote_name(table)
    names = ", ".join(db.ops.quote_name(column) for column in columns)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def _batches(items: list, size: int = BATCH) -> list[list]:
    """Keep `IN (...)` lists short: SQLite limits the number of parameters in one query."""
    return [items[i : i + size] for i in range(0, len(items), size)]
