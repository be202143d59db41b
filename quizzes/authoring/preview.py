"""The bank preview's checks: a file's problems and item-writing cues, cached until content changes.

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

from quizzes.course import itemlint
from quizzes.course.bank import Problem
from quizzes.course.check import BANK_SUFFIXES, check_course
from quizzes.course.translations import CONTENT_LANGUAGES

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
