"""Server time of the heaviest pages at ten times today's data: 1,000 learners, 10,000 attempts.

    .venv/bin/python bench/heavy_pages.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/heavy_pages.py

With PostgreSQL the script creates its own database, `lambda_study_heavy_bench`, and drops it.

The shipped course is loaded, then 1,000 learners sit 6,000 mock exams (the 20-question sprint) and
finish 4,000 ten-question quizzes; one learner also sits the 65-question practice exam. The item
statistics are computed once, as the background task does after a submission (its time is printed:
it is worker time, not page time). Then each page is requested as its user would, in-process
through Django's test client with DEBUG off, and the median and p95 server time and the queries
per request are printed against the 100 ms target.
"""

from __future__ import annotations

import os
import random
import statistics
import time

import harness

BENCH = harness.prepare(
    database="lambda_study_heavy_bench", prefix="lambda-study-heavy-", settings="studyapp.settings"
)

LEARNERS = 1_000
EXAM_ATTEMPTS = 6_000
QUIZ_ATTEMPTS = 4_000
QUIZ_ITEMS = 10
RUNS = 20
TARGET_MS = 100
SEED = 20_261_128


def build() -> dict:
    """Learners, attempts and items in bulk; returns the objects the pages are asked about."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from accounts.roles import ensure_roles
    from exams.models import Blueprint, ExamAttempt, ExamItem
    from exams.sitting import services
    from quizzes.models import Question, QuizAttempt, QuizItem

    rng = random.Random(SEED)
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"learner{n:04d}", password="!unusable") for n in range(LEARNERS)
    )
    questions = list(
        Question.objects.live()
        .exclude(type__in=["flashcard", "numeric"])
        .values_list("pk", "choices", "choose")
    )
    sprint = Blueprint.objects.get(slug="lambda-sprint")
    attempts = ExamAttempt.objects.bulk_create(
        ExamAttempt(
            user=users[n % LEARNERS],
            blueprint=sprint,
            started_at=now,
            deadline=now,
            submitted_at=now,
            correct_count=0,
            scored_count=20,
            score=0,
            passed=False,
        )  # fmt: skip
        for n in range(EXAM_ATTEMPTS)
    )
    exam_items = []
    for attempt in attempts:
        for position, (pk, choices, choose) in enumerate(rng.sample(questions, 20), start=1):
            picks = rng.sample(choices, choose or 1)
            exam_items.append(
                ExamItem(
                    attempt=attempt,
                    question_id=pk,
                    position=position,
                    seed="s",
                    choice_order=[c["key"] for c in choices],
                    selected=[c["key"] for c in picks],
                    correct=all(c["correct"] for c in picks),
                    saved_at=now,
                )  # fmt: skip
            )
    ExamItem.objects.bulk_create(exam_items, batch_size=5_000)
    quizzes = QuizAttempt.objects.bulk_create(
        QuizAttempt(user=users[n % LEARNERS], finished_at=now) for n in range(QUIZ_ATTEMPTS)
    )
    quiz_items = []
    for quiz in quizzes:
        for position, (pk, choices, choose) in enumerate(rng.sample(questions, QUIZ_ITEMS), 1):
            picks = rng.sample(choices, choose or 1)
            quiz_items.append(
                QuizItem(
                    attempt=quiz,
                    question_id=pk,
                    position=position,
                    seed="s",
                    answer={"selected": [c["key"] for c in picks], "typed": ""},
                    correct=all(c["correct"] for c in picks),
                    answered_at=now,
                    duration_ms=rng.randint(4_000, 90_000),
                )  # fmt: skip
            )
    QuizItem.objects.bulk_create(quiz_items, batch_size=5_000)

    learner = users[0]
    full = Blueprint.objects.get(slug="lambda-practice-exam")
    attempt = services.attempt_start(user=learner, blueprint=full, now=now)
    for item in attempt.items.select_related("question")[::2]:
        keys = [c["key"] for c in item.question.choices][: item.question.choose or 1]
        services.attempt_save_authored(
            attempt=attempt, position=item.position, selected=keys, flagged=False, seq=1, now=now
        )
    services.attempt_submit(attempt=attempt, now=now)
    instructor = User.objects.create_user("bench-instructor", password="not-used")
    instructor.groups.add(ensure_roles())
    return {"learner": learner, "instructor": instructor, "attempt": attempt, "quiz": quizzes[0]}


def measure(label: str, client, url: str) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (and the first, cold request's size)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
    flag = "" if median <= TARGET_MS else "  over target"
    print(
        f"{label:<34} {median:8.1f} {p95:8.1f} {len(queries):>8} {len(response.content) // 1024:>6}"
        f"{flag}"
    )
    return median, p95, len(queries), len(response.content)


def run() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from exams.analysis import statistics as analysis

    settings.DEBUG = False
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    data = build()
    print(
        f"built {LEARNERS:,} learners, {EXAM_ATTEMPTS:,} exam and {QUIZ_ATTEMPTS:,} quiz attempts "
        f"in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    analysis.statistics_store(team=None, requested_at=timezone.now())
    print(f"item statistics, background task: {time.perf_counter() - started:.2f} s (worker time)")

    instructor, learner = Client(), Client()
    instructor.force_login(data["instructor"])
    learner.force_login(data["learner"])
    print(f"{RUNS} requests each after one warm-up; target {TARGET_MS} ms server time")
    print(f"{'':<34} {'median':>8} {'p95':>8} {'queries':>8} {'KB':>6}")
    print(f"{'':<34} {'ms':>8} {'ms':>8} {'':>8} {'html':>6}")
    pages = [
        ("bank preview (vpc, 48 questions)", instructor,
         "/instructor/banks/preview/?path=banks/vpc.yaml"),
        ("item analysis (site-wide)", instructor, "/instructor/items/"),
        ("item analysis, sorted by facility", instructor, "/instructor/items/?sort=facility"),
        ("results, 65-question exam", learner, f"/exams/attempt/{data['attempt'].pk}/results/"),
        ("quiz missed list", learner, f"/quiz/{data['quiz'].pk}/missed/"),
    ]  # fmt: skip
    worst = max(measure(label, client, url)[0] for label, client, url in pages)
    print(f"slowest median: {worst:.1f} ms ({'within' if worst <= TARGET_MS else 'over'} target)")


def main() -> None:
    BENCH.run(run)


if __name__ == "__main__":
    main()
