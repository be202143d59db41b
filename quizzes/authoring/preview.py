"""The bank preview: a file's problems and item-writing cues (cached until content changes), and
the page that shows them under each question.

Checking one bank means reading the whole content folder (ids, topics and links span files), which
takes a few hundred milliseconds; the preview is opened again and again while an instructor edits.
The result is kept in the shared cache under a key made of every content file's hash, so any edit
anywhere in content/ (or a deploy) makes a new key, and every app server shares the work.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import gettext

from quizzes import cost_text
from quizzes.costs import exercises
from quizzes.course import itemlint
from quizzes.course.bank import Problem
from quizzes.course.check import BANK_SUFFIXES, check_course
from quizzes.course.placeholders import placeholders
from quizzes.course.translations import CONTENT_LANGUAGES
from quizzes.models import Question
from quizzes.study import answering

CACHE_SECONDS = 24 * 3600


def content_signature(root: Path) -> str:
    """A hash of every note and bank under `root`, by path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and (path.suffix in BANK_SUFFIXES or path.suffix == ".md"):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def bank_check(file: Path) -> tuple[list[Problem], itemlint.Report]:
    """The problems of one bank file (checked against the course) and its item-writing report."""
    root = Path(settings.CONTENT_DIR)
    key = f"bank-check:{file.relative_to(root)}:{content_signature(root)}"
    found = cache.get(key)
    if found is None:
        checked = check_course([file], context_dir=root)
        found = (checked.problems, itemlint.lint(checked.questions))
        cache.set(key, found, CACHE_SECONDS)
    return found


def numeric_tolerance(exercise: dict) -> str:
    """How close a numeric answer must be, in words: the key is not only its number."""
    if "range" in exercise and isinstance(exercise["range"], dict):
        bounds = exercise["range"]
        return gettext("any value from %(low)s to %(high)s") % {
            "low": _figure(bounds.get("min")),
            "high": _figure(bounds.get("max")),
        }
    tolerance = exercise.get("tolerance")
    if tolerance in (None, 0, "0"):
        return gettext("exactly") if "answer" in exercise else ""
    return gettext("within ± %(tolerance)s") % {"tolerance": _figure(tolerance)}


def _figure(value: object) -> object:
    """A number as the reader's language writes it ("0,01" in Spanish); anything else as is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value)
    return value


def _solution(question: Question) -> dict[str, object] | None:
    """A numeric exercise solved for the preview's fixed draw, its answer and steps in the active
    language; None for other questions."""
    if question.type != Question.Type.NUMERIC:
        return None
    exercise = exercises.Exercise.from_spec(question.exercise or {})
    solution = exercises.solve(exercise, exercises.draw(exercise, "preview"))
    units = cost_text.unit_names(question)
    return {
        "text": cost_text.say(solution.text, units),
        "steps": cost_text.say_all(solution.steps, units, html=True),
    }


def bank_preview(path: str, questions: list[Question]) -> dict[str, object]:
    """The preview page of one bank: each question as candidates see it, with its key, its
    problems and cues placed under it (a problem above the first question stays on top)."""
    problems, lint = [], itemlint.Report()
    file = Path(settings.CONTENT_DIR) / path
    if file.is_file():
        problems, lint = bank_check(file)
    by_question: dict[int, list] = {q.pk: [] for q in questions}
    top = []
    for problem in problems:
        owner = next((q for q in reversed(questions) if q.source_line <= problem.line), None)
        (by_question[owner.pk] if owner else top).append(problem)
    items = [
        {
            "question": question,
            "presented": answering.present(question, "preview"),
            "problems": by_question[question.pk],
            # Found in the stored spec too, so an uploaded bank (no file) shows them.
            "placeholders": placeholders(question.spec or {}),
            "cues": [c for c in lint.for_item(question.uid) if "placeholder" not in c.message],
            "solution": _solution(question),
            "tolerance": numeric_tolerance(question.exercise or {}),
        }
        for question in questions
    ]
    return {
        "path": path,
        "items": items,
        "top_problems": top,
        "problem_count": len(problems),
        "lint_summary": lint.topic_summaries() + lint.bank_summaries(path),
        "lint_warnings": [f for f in lint.warnings if not f.uid],
        "with_placeholders": [e["question"].uid for e in items if e["placeholders"]],
        "translation_gaps": translation_gaps(questions),
    }


def translation_gaps(questions) -> list[dict]:
    """Per course language, the bank's items with no translation or a stale one, read from the
    rows (an uploaded bank may be English only: it is listed, not refused)."""
    from django.utils.translation import get_language_info

    gaps = []
    for language in CONTENT_LANGUAGES:
        stored = [(q.uid, (q.translations or {}).get(language)) for q in questions]
        missing = [uid for uid, entry in stored if not entry]
        stale = [uid for uid, entry in stored if entry and entry.get("stale")]
        if missing or stale:
            name = get_language_info(language)["name_translated"]
            gaps.append({"language": language, "name": name, "missing": missing, "stale": stale})
    return gaps
