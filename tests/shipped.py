"""The shipped course in the test database, loaded by `load_content` once per test session.

`load_content` renders, lints and translates the whole course (seconds); a dozen tests need the
same result in a fresh database. The first load is dumped with `dumpdata` (only the course's own
tables, so nothing of a test's users comes along) and every later test loads that dump, which
`loaddata` restores with the same ids and, on PostgreSQL, sequences set past them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management import call_command

from .conftest import REPO

COURSE_TABLES = [
    "quizzes.Topic", "quizzes.Tag", "quizzes.Question", "quizzes.LoadedFile",
    "quizzes.CourseImage", "exams.Blueprint",
]  # fmt: skip

_dump: Path | None = None


def load_shipped_course(settings) -> None:
    """Put the shipped course (`content/`) in the database, as `load_content` would."""
    global _dump
    settings.CONTENT_DIR = REPO / "content"
    with open(os.devnull, "w") as devnull:
        if _dump is not None:
            call_command("loaddata", str(_dump), stdout=devnull)
            return
        call_command("load_content", stdout=devnull)
        handle, name = tempfile.mkstemp(prefix="shipped-course-", suffix=".json")
        os.close(handle)
        call_command("dumpdata", *COURSE_TABLES, output=name, stdout=devnull)
        _dump = Path(name)
