"""The whole course: find the files, check each one, then check what spans files.

Cross-file rules live here: ids unique across banks, topics that have a note, links and embedded
exercises that point somewhere real. Files outside the ones being checked are read as context, so
checking one bank still catches an id that another bank already uses.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from quizzes.translatable import gettext_noop

from . import markup, textcheck, translations
from .bank import Problem, QuestionSpec, iter_markdown, parse_bank
from .notes import NoteSpec, parse_note

BANK_SUFFIXES = (".yaml", ".yml")
NOTE_SUFFIXES = (".md",)
# Folders under content/ that hold other kinds of YAML (exam blueprints have their own checker).
NOT_BANKS = ("exams",)
# Banks larger than this in all are parsed in worker processes when a command asks
# (`parse_banks`); the shipped course, under 1 MB, is parsed in the calling process.
PARALLEL_BYTES = 4_000_000
KIND_LABELS = {"questions": ("single", "multiple", "true_false", "ordering", "matching"),
               "flashcards": ("flashcard",),
               "exercises": ("numeric",)}  # fmt: skip


@dataclass
class Course:
    notes: list[NoteSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    context_topics: tuple[str, ...] = ()
    # What the exams app parsed from content/exams (its checker, through quizzes.hooks).
    exams: list = field(default_factory=list)
    # Per language, the translations read beside the English (None: not read, when only some
    # files were checked; the loader then leaves the stored translations as they are).
    translations: dict[str, translations.LanguageSet] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def topic_counts(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {note.topic: Counter() for note in self.notes}
        for question in self.questions:
            counts.setdefault(question.topic, Counter())[question.type] += 1
        return counts

    def summary_lines(self) -> list[str]:
        lines = []
        for topic, counter in self.topic_counts().items():
            parts = [
                f"{sum(counter[t] for t in types)} {label}" for label, types in KIND_LABELS.items()
            ]
            lines.append(f"{topic}: {', '.join(parts)}")
        return lines


def display_path(path: Path) -> str:
    """Paths as the author typed them: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(Path(path).resolve()) if relative.startswith("..") else relative


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Notes and banks named, or found below the folders named, in a stable order."""
    notes: list[Path] = []
    banks: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            if path.is_dir() and translations.FOLDER in candidate.relative_to(path).parts[:-1]:
                continue  # read by translations.read_language, against the English
            if candidate.suffix in NOTE_SUFFIXES:
                notes.append(candidate)
            elif candidate.suffix in BANK_SUFFIXES and not set(candidate.parts) & set(NOT_BANKS):
                banks.append(candidate)
    return notes, banks


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a course file within the size limit, as UTF-8 without mojibake."""
    try:
        size = path.stat().st_size
    except OSError as error:
        message = gettext_noop("cannot read the file: %(why)s", why=error.strerror)
        return None, [Problem(shown, 1, message)]
    too_big = textcheck.size_problem(size)
    if too_big:
        return None, [Problem(shown, 1, too_big)]
    return decode_text(path.read_bytes(), shown)


def decode_text(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """Bytes of a course file as text: UTF-8, within the size limit, without mojibake."""
    too_big = textcheck.size_problem(len(raw))
    if too_big:
        return None, [Problem(shown, 1, too_big)]
    try:
        text = textcheck.decode(raw)
    except textcheck.TextProblem as error:
        return None, [Problem(shown, error.line, error.message)]
    return text, [Problem(shown, line, message) for line, message in textcheck.find_mojibake(text)]


def parse_file(
    path: Path, *, is_note: bool
) -> tuple[NoteSpec | None, list[QuestionSpec], list[Problem]]:
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return None, [], problems
    if is_note:
        note, more = parse_note(shown, text)
        return note, [], problems + more
    result = parse_bank(shown, text)
    return None, result.questions, problems + result.problems


def parse_banks(
    paths: list[Path], *, parallel: bool = False
) -> list[tuple[None, list[QuestionSpec], list[Problem]]]:
    """`parse_file` over banks, in order; with `parallel`, a large set by one process per core.

    Parsing is pure Python and mostly YAML (libyaml builds the nodes, PyYAML's Python turns them
    into objects): on a 10,000-question course it is half the load, and it splits by file. The
    workers are forked, so nothing is imported again, and touch no database. Only commands ask
    for it: a web server's threads are no place to fork from.
    """
    workers = min(os.cpu_count() or 1, len(paths)) if parallel else 1
    if workers < 2 or sum(_size(path) for path in paths) < PARALLEL_BYTES:
        return [parse_file(path, is_note=False) for path in paths]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_parse_bank_file, paths))


def _parse_bank_file(path: Path) -> tuple[None, list[QuestionSpec], list[Problem]]:
    return parse_file(path, is_note=False)  # type: ignore[return-value]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported by parse_file


def check_course(
    targets: Sequence[Path], context_dir: Path | None = None, *, parallel: bool = False
) -> Course:
    """Check the files named in `targets`; read `context_dir` too, reporting only on targets.
    `parallel`: large sets of banks are parsed in worker processes (`parse_banks`)."""
    course = Course()
    target_notes, target_banks = find_files(targets)
    skip = {p.resolve() for p in target_notes + target_banks}
    context = _read_context(context_dir, skip=skip, parallel=parallel)
    for path in target_notes:
        note, _, problems = parse_file(path, is_note=True)
        course.problems.extend(problems)
        if note:
            course.notes.append(note)
    for _, questions, problems in parse_banks(target_banks, parallel=parallel):
        course.problems.extend(problems)
        course.questions.extend(questions)
    course.files = len(target_notes) + len(target_banks)
    course.notes.sort(key=lambda n: (n.order, n.topic))
    course = _finish(course, context, context_dir)
    if context_dir is not None and any(_same(t, context_dir) for t in targets):
        _check_translations(course, context_dir)
    return course


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _check_translations(course: Course, content_dir: Path) -> None:
    """The whole course was checked: read every language's translations against it."""
    course.translations = {}
    for language in translations.CONTENT_LANGUAGES:
        found = translations.read_language(
            content_dir, language, course.questions, course.notes, show=display_path
        )
        course.translations[language] = found
        course.problems.extend(found.problems)
    course.problems.sort(key=lambda p: (p.path, p.line))


def check_texts(
    files: dict[str, bytes],
    context_dir: Path | None,
    *,
    replaces: set[Path] = frozenset(),
    images: Iterable[str] = (),
) -> Course:
    """Check uploaded banks (bytes) against the course on disk, minus the files they replace.
    `images`: course image names the upload may show besides content/media/'s files (those it
    carries and those already stored in the database)."""
    course = Course()
    context = _read_context(context_dir, skip={p.resolve() for p in replaces})
    for name, raw in files.items():
        text, problems = decode_text(raw, name)
        course.problems.extend(problems)
        if text is not None:
            result = parse_bank(name, text)
            course.problems.extend(result.problems)
            course.questions.extend(result.questions)
    course.files = len(files)
    return _finish(course, context, context_dir, images=frozenset(images))


def _read_context(context_dir: Path | None, *, skip: set[Path], parallel: bool = False) -> Course:
    """The notes and questions of the content folder, except the files being checked."""
    context = Course()
    if context_dir is None or not context_dir.is_dir():
        return context
    notes, banks = find_files([context_dir])
    for path in _unseen(notes, skip):
        note, _, _ = parse_file(path, is_note=True)
        if note:
            context.notes.append(note)
    for _, questions, _ in parse_banks(_unseen(banks, skip), parallel=parallel):
        context.questions.extend(questions)
    return context


def _finish(
    course: Course,
    context: Course,
    context_dir: Path | None = None,
    *,
    images: frozenset[str] = frozenset(),
) -> Course:
    _check_across_files(course, context)
    _check_images(course, context_dir, images)
    course.context_topics = tuple(note.topic for note in context.notes)
    course.problems.sort(key=lambda p: (p.path, p.line))
    return course


def _check_images(course: Course, context_dir: Path | None, known: frozenset[str]) -> None:
    """Every `media/<name>` image a question shows is a file beside the banks and notes (or,
    for an upload, one of the `known` names it carries or the database holds)."""
    if context_dir is None:
        return
    for question in course.questions:
        for text in iter_markdown(question):
            for image in markup.media_images(text or ""):
                name = image.removeprefix("media/")
                found = name in known or (context_dir / image).is_file()
                if not markup.MEDIA_LINK.match(image) or not found:
                    course.problems.append(
                        Problem(
                            question.path,
                            question.line,
                            gettext_noop(
                                "image %(image)s is not a course image: content/media/ has no "
                                "%(name)s",
                                image=image,
                                name=name,
                            ),
                        )
                    )


def _unseen(paths: list[Path], seen: set[Path]) -> list[Path]:
    return [p for p in paths if p.resolve() not in seen]


def _check_across_files(course: Course, context: Course) -> None:
    add = course.problems.append
    notes_by_topic: dict[str, NoteSpec] = {n.topic: n for n in context.notes}
    for note in course.notes:
        other = notes_by_topic.get(note.topic)
        if other is not None and other.path != note.path:
            message = gettext_noop(
                "topic '%(topic)s' already has a note: %(other)s",
                topic=note.topic,
                other=other.path,
            )
            add(Problem(note.path, 2, message))
        notes_by_topic[note.topic] = note
    topics = sorted(notes_by_topic)

    first_seen = {q.uid: q for q in context.questions}
    for question in course.questions:
        other = first_seen.get(question.uid)
        if other is not None:
            add(
                Problem(
                    question.path,
                    question.line,
                    gettext_noop(
                        "duplicate id '%(id)s' (also at %(path)s:%(line)s)",
                        id=question.uid,
                        path=other.path,
                        line=other.line,
                    ),
                )
            )
        else:
            first_seen[question.uid] = question
        if question.topic not in notes_by_topic:
            add(
                Problem(
                    question.path,
                    question.line,
                    gettext_noop(
                        "unknown topic '%(topic)s': no note in content/notes has it "
                        "(known: %(known)s)",
                        topic=question.topic,
                        known=topics or gettext_noop("none"),
                    ),
                )
            )
        for slug, line in question.note_links:
            if slug not in notes_by_topic:
                add(Problem(question.path, line, _missing_note(slug)))

    for note in course.notes:
        for slug, line in note.links:
            if slug not in notes_by_topic:
                add(Problem(note.path, line, _missing_note(slug)))
        for uid, line in note.exercises:
            target = first_seen.get(uid)
            if target is None:
                add(
                    Problem(
                        note.path,
                        line,
                        gettext_noop(
                            "embedded exercise '%(id)s' is not a question in any bank", id=uid
                        ),
                    )
                )
            elif target.type != "numeric":
                add(
                    Problem(
                        note.path,
                        line,
                        gettext_noop(
                            "embedded exercise '%(id)s' is a %(type)s question, not numeric",
                            id=uid,
                            type=target.type,
                        ),
                    )
                )


def _missing_note(slug: str):
    return gettext_noop("link to a note that does not exist: %(slug)s.md", slug=slug)
