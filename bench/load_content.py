"""Time check_content and load_content: the shipped course, then 10,000 generated questions.

    .venv/bin/python bench/load_content.py            # SQLite in a temporary file
    createdb -h 127.0.0.1 -U postgres lambda_study_bench_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lambda_study_bench_load
    .venv/bin/python bench/load_content.py

It empties the course tables of the database it is given: point it only at a scratch database.

The 10,000 questions are split across banks under the 1 MB file limit. Prints seconds per step and
the ratio of a first load to an idempotent second load (which finds every file unchanged and reads
none), and a re-load with `--all` (every file checked and compared again). `--check` also times
check_content on the generated banks (slow: item-writing lint compares items pairwise).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
WORK = Path(tempfile.mkdtemp(prefix="lambda-study-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from generate_bank import write_bank  # noqa: E402

GENERATED = 10_000
PER_FILE = 1_000


def timed(label: str, *args: str) -> float:
    out = StringIO()
    started = time.perf_counter()
    try:
        call_command(*args, stdout=out, stderr=out)
    except SystemExit:
        print(out.getvalue())
        raise
    seconds = time.perf_counter() - started
    lines = out.getvalue().strip().splitlines()
    summary = next((line for line in lines if " added, " in line), lines[-1])
    print(f"{label:<44} {seconds:8.2f} s   {summary}")
    return seconds


def main() -> None:
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    from quizzes.models import LoadedFile, Question, Topic

    Question.objects.all().delete()
    Topic.objects.all().delete()
    LoadedFile.objects.all().delete()

    shipped = ROOT / "content"
    settings.CONTENT_DIR = shipped
    timed("check_content (shipped course)", "check_content")
    first = timed("load_content (shipped course), first", "load_content")
    second = timed("load_content (shipped course), second", "load_content")
    print(f"{'first / second':<44} {first / second:8.1f} x")

    content = WORK / "content"
    # The shipped course plus the generated banks (the pricing note embeds shipped exercises).
    shutil.copytree(shipped / "notes", content / "notes")
    shutil.copytree(shipped / "banks", content / "banks")
    for part in range(GENERATED // PER_FILE):
        write_bank(content / "banks" / f"generated-{part}.yaml", PER_FILE)
        text = (content / "banks" / f"generated-{part}.yaml").read_text()
        (content / "banks" / f"generated-{part}.yaml").write_text(
            text.replace("id: gen-limits-", f"id: gen{part}-limits-")
        )
    settings.CONTENT_DIR = content
    if "--check" in sys.argv[1:]:
        # Item-writing lint compares items pairwise: on 10,000 near-identical generated items it
        # runs for many minutes, so it is left out unless asked for.
        timed(f"check_content (+{GENERATED:,} generated questions)", "check_content")
    # From an empty database: the shipped course and the generated banks in one first load.
    Question.objects.all().delete()
    Topic.objects.all().delete()
    LoadedFile.objects.all().delete()
    first = timed(f"load_content (course + {GENERATED:,}), first", "load_content")
    second = timed(f"load_content (course + {GENERATED:,}), second", "load_content")
    timed(f"load_content (course + {GENERATED:,}) --all", "load_content", "--all")
    print(f"{'first / second':<44} {first / second:8.1f} x")
    print(f"targets: first under 10 s ({first:.1f}), an unchanged re-load under 3 s ({second:.1f})")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
