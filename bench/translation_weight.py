"""What a Spanish learner's pages read from the database, and cost, against an English learner's.

    .venv/bin/python bench/translation_weight.py            # SQLite in a temporary file
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/translation_weight.py            # PostgreSQL

With PostgreSQL the script creates its own database, `lambda_study_weight_bench` (or `$BENCH_DB`),
on that server and drops it at the end: the database named in the URL is only used to connect.

The shipped course is loaded (`load_content`). Two learners, one with English saved in their
settings and one with Spanish, get the same 200 review cards due now (spread over the topics), the
same 20-question practice quiz (unanswered) and the same 65-question practice exam, half answered
and submitted. Each page is requested as its learner, in process through Django's test client with
DEBUG off: the offline deck (`GET /review/deck/`: 200 due cards and the day's 20 new ones), the
review page, the quiz page, the exam's results page, and for comparison the home page and one note
(the one page that should read a note); last, the join alone: the 200 cards read with their question
and topic as card and question lists read them (`quizzes.selectors.with_question`). Printed per
page and language: the median and p95 server time over RUNS requests (15; `RUNS=3` for a quick
look), the median CPU time of this process (steadier on a shared machine; with SQLite it includes
the database's work), the queries, the bytes of every column value the database returned (`db KB`:
text and JSON as UTF-8, counted at the cursor), and of those the topics' notes and translations
(`note KB`: `note_html`, `toc_html`, `translations` and `note_translations` of every Topic row
built), then the Spanish / English ratio of time and of bytes.

Measured at commit 786a8ea (a topic's `translations` held its rendered Spanish note, 14 to 46 KB a
row, read and parsed with every card's topic) and after (the note in `note_translations`, deferred
by every join like `note_html`), with the commands above (PostgreSQL with
`BENCH_DB=wt_i27_weight_bench`) run twice each, alternately, on a shared 2-core machine. Bytes are
exact, the Spanish learner's (the English learner's are within 1%: they read the Spanish notes
too); times are the mean of the two runs' medians, English / Spanish, and move 10-20% between runs.

    per request                 db KB          note KB       SQLite ms           PostgreSQL ms
                                before after   before after  before    after     before    after
    offline deck (200 due)        6993  1249     5907   378  264/284   212/205   266/265   249/241
    review page                     27     8       20     2  8.5/9.2   8.1/8.3    15/16     20/20
    quiz page (20 items)           495   107      379     6   11/12     10/14     18/20     19/17
    exam results (65 items)        355   105      268    28   26/28     26/26     34/36     35/37
    home                          1601   694      894    11   66/54     42/57     66/67     66/65
    200 cards joined (the join)   6530   915     5482    77   37/42     21/25     81/84     31/33

The bytes fall 2.3 to 7 times wherever topics, cards or questions are listed; the join alone takes
1.7 times less time on SQLite, 2.6 times less on PostgreSQL. A page's time moves less than the
noise, the deck's by some 20% on SQLite: it spends its time rendering 220 card fronts (45% in
templates) and previewing the four intervals (13%), not reading. The results page reads the
topics' light translations since, for their titles in Spanish (the 28 KB of note KB after).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import timedelta

import harness

BENCH = harness.prepare(database="lambda_study_weight_bench", prefix="lambda-study-weight-")

DUE_CARDS = 200
QUIZ_ITEMS = 20
RUNS = int(os.environ.get("RUNS", "15"))
SEED = 20_270_127
# The columns of a Topic row that hold a note or its translations (counted as "note KB").
NOTE_COLUMNS = ("note_html", "toc_html", "translations", "note_translations")


def weight(value) -> int:
    """Bytes of one value as the database sends it, near enough: text as UTF-8, JSON as text."""
    if value is None:
        return 0
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, dict | list):  # psycopg hands jsonb over parsed
        return len(json.dumps(value, ensure_ascii=False).encode())
    return 8


class Meter:
    """While on: the bytes of every row fetched, and of the Topic rows' note columns."""

    def __init__(self) -> None:
        self.on = False
        self.db = 0
        self.notes = 0

    def install(self) -> None:
        from django.db.backends.utils import CursorWrapper

        from quizzes.models import Topic

        meter = self

        def rows(found):
            if meter.on and found:
                meter.db += sum(weight(v) for row in found for v in row)
            return found

        def fetchone(self):
            row = self.cursor.fetchone()
            rows([row] if row is not None else [])
            return row

        def fetchmany(self, *args, **kwargs):
            return rows(self.cursor.fetchmany(*args, **kwargs))

        def fetchall(self):
            return rows(self.cursor.fetchall())

        CursorWrapper.fetchone = fetchone
        CursorWrapper.fetchmany = fetchmany
        CursorWrapper.fetchall = fetchall

        built = Topic.from_db.__func__

        def from_db(cls, db, field_names, values):
            if meter.on:
                meter.notes += sum(
                    weight(value)
                    for name, value in zip(field_names, values, strict=True)
                    if name in NOTE_COLUMNS
                )
            return built(cls, db, field_names, values)

        Topic.from_db = classmethod(from_db)

    def count(self, call) -> tuple[int, int, int]:
        """Queries, db bytes and note bytes of one call."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.db = self.notes = 0
        self.on = True
        try:
            with CaptureQueriesContext(connection) as queries:
                call()
        finally:
            self.on = False
        return len(queries), self.db, self.notes


def build() -> dict:
    """Two learners, English and Spanish, with the same cards, quiz and exam."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from exams.models import Blueprint
    from exams.sitting import services
    from quizzes.models import Card, LearnerSettings, Question
    from quizzes.study import quiz
    from quizzes.study.offline import OFFLINE_TYPES

    now = timezone.now()
    rng = random.Random(SEED)
    offline = list(
        Question.objects.live().filter(type__in=OFFLINE_TYPES).order_by("pk").values_list("pk")
    )
    due = [pk for (pk,) in rng.sample(offline, DUE_CARDS)]
    learners = {}
    for language in ("en", "es"):
        user = User.objects.create_user(f"learner-{language}", password="!unusable")
        LearnerSettings.objects.create(user=user, language=language)
        cards_rng = random.Random(SEED)
        Card.objects.bulk_create(
            Card(
                user=user,
                question_id=pk,
                state=Card.State.REVIEW,
                stability=stability,
                difficulty=5.0,
                last_review=now - timedelta(days=days),
                reps=3,
                due=now - timedelta(hours=cards_rng.randint(1, 72)),
            )  # fmt: skip
            for pk in due
            for stability, days in [(cards_rng.uniform(2, 30), cards_rng.randint(3, 40))]
        )
        practice = quiz.quiz_start(
            user=user, filters=quiz.Filters(count=QUIZ_ITEMS), rng=random.Random(SEED)
        )
        blueprint = Blueprint.objects.get(slug="lambda-practice-exam")
        attempt = services.attempt_start(
            user=user, blueprint=blueprint, now=now, rng=random.Random(SEED)
        )
        for item in attempt.items.select_related("question")[::2]:
            keys = [c["key"] for c in item.question.choices][: item.question.choose or 1]
            services.attempt_save_authored(
                attempt=attempt, position=item.position, selected=keys, flagged=False, seq=1,
                now=now,
            )  # fmt: skip
        services.attempt_submit(attempt=attempt, now=now)
        learners[language] = {"user": user, "quiz": practice.pk, "attempt": attempt.pk}
    return learners


def measure(meter: Meter, call) -> dict:
    """Time `call` RUNS times after a warm-up (wall and CPU), then count what one call reads.
    `call` returns the bytes it sends (a page's HTML), or 0."""
    size = call()
    times, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    queries, db, notes = meter.count(call)
    return {
        "median": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[-1],
        "cpu": statistics.median(cpu),
        "queries": queries,
        "db": db,
        "notes": notes,
        "size": size,
    }


def page(client, path: str):
    def get() -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return len(response.content)

    return get


def joined_cards(user, language: str):
    """The learner's due cards with question and topic, as pages join them (`with_question`)."""
    from django.utils import translation

    from quizzes.models import Card
    from quizzes.selectors import with_question

    def read() -> int:
        with translation.override(language):
            list(with_question(Card.objects.filter(user=user)))
        return 0

    return read


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from quizzes.models import Topic

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    learners = build()
    note = "orchestration"
    sizes = sorted(
        (len(json.dumps(t, ensure_ascii=False).encode()), slug)
        for slug, t in Topic.objects.values_list("slug", "translations")
    )
    print(
        f"shipped course: {Topic.objects.count()} topics; Topic.translations per row "
        f"{sizes[0][0]:,} to {sizes[-1][0]:,} bytes as JSON ({sizes[-1][1]})"
    )
    meter = Meter()
    meter.install()
    clients = {}
    for language, data in learners.items():
        clients[language] = Client()
        clients[language].force_login(data["user"])  # the saved language goes in the session
    pages = [
        (f"offline deck ({DUE_CARDS} due)", "/review/deck/"),
        ("review page", "/review/"),
        (f"quiz page ({QUIZ_ITEMS} items)", "/quiz/{quiz}/"),
        ("exam results (65 items)", "/exams/attempt/{attempt}/results/"),
        ("home", "/"),
        (f"note ({note})", f"/notes/{note}/"),
    ]
    print(f"{RUNS} requests each after one warm-up, in process, DEBUG off; ms, cpu: this process")
    header = f"{'page':<26} {'lang':<4} {'median':>7} {'p95':>7} {'cpu':>7} {'queries':>7}"
    print(f"{header} {'db KB':>8} {'note KB':>8} {'KB html':>8}")
    for label, url in [*pages, (f"{DUE_CARDS} cards joined", None)]:
        found = {}
        for language, data in learners.items():
            if url is None:  # the join alone: what every card or question list reads
                call = joined_cards(data["user"], language)
            else:
                call = page(clients[language], url.format(**data))
            found[language] = result = measure(meter, call)
            print(
                f"{label:<26} {language:<4} {result['median']:7.1f} {result['p95']:7.1f}"
                f" {result['cpu']:7.1f} {result['queries']:>7} {result['db'] / 1024:8.1f}"
                f" {result['notes'] / 1024:8.1f} {result['size'] / 1024:8.1f}"
            )
        en, es = found["en"], found["es"]
        print(
            f"{'':<26} es/en time {es['median'] / en['median']:.2f}x,"
            f" cpu {es['cpu'] / en['cpu']:.2f}x, db bytes {es['db'] / max(en['db'], 1):.2f}x"
        )


def main() -> None:
    BENCH.run(run)


if __name__ == "__main__":
    main()
