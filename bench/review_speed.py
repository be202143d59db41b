"""Time "grade a card and render the next one" for a learner with a big deck, against a bare view.

    .venv/bin/python bench/review_speed.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/review_speed.py

With PostgreSQL the script creates its own database, `lambda_study_bench`, on that server and drops
it at the end: the database named in the URL is only used to connect.

One learner gets 10,000 cards in the Review state (a few hundred overdue, the rest due over the
next 60 days) and 100,000 review logs. Each measured request is what htmx sends when a grade button
is pressed: POST /review/grade/ with HX-Request, which records the grade and renders the next card.
The baseline is a bare view behind the same middleware that runs one indexed query. Prints the
median and p95 in ms, the queries per request and the ratio grade / bare. `-v` lists the queries.
"""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")

BENCH_DB = "lambda_study_bench"
WORK = Path(tempfile.mkdtemp(prefix="lambda-study-bench-"))
SERVER_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = urlsplit(SERVER_URL).scheme in ("postgres", "postgresql", "pgsql")
if POSTGRES:
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{BENCH_DB}"))
else:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")

CARDS = 10_000
LOGS = 100_000
OVERDUE = 400  # cards due now: more than the requests below use up
BATCH = 2_000
WARMUP = 10
RUNS = 200
QUERY_RUNS = 5
SEED = 20_240_601
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def create_database() -> None:
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


def build(now):
    """The learner, 10,000 single-answer questions with a Review card each, 100,000 logs."""
    from django.contrib.auth.models import User

    from quizzes.models import Card, LearnerSettings, Question, ReviewLog, Topic

    rng = random.Random(SEED)
    user = User.objects.create_user("bench", password="not-used-bench-password")
    # Enough reviews a day that the queue never runs dry during the run.
    LearnerSettings.objects.create(user=user, max_reviews_per_day=9999)
    topic = Topic.objects.create(slug="bench", title="Bench", order=1)
    choices = [
        {"key": "a", "html": "<p>Fifteen minutes</p>", "correct": True, "rationale_html": ""},
        {"key": "b", "html": "<p>Five minutes</p>", "correct": False,
         "rationale_html": "<p>The old limit.</p>"},
    ]  # fmt: skip
    Question.objects.bulk_create(
        (
            Question(
                uid=f"bench-{n:05d}",
                topic=topic,
                type=Question.Type.SINGLE,
                difficulty=Question.Difficulty.MEDIUM,
                stem_html=f"<p>Bench question {n}: the longest a Lambda invocation runs?</p>",
                choices=choices,
                explanation_html="<p>900 seconds.</p>",
                references=[
                    "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
                ],
                source_path="banks/bench.yaml",
                source_line=n,
                fingerprint=f"{n:064x}",
            )  # fmt: skip
            for n in range(CARDS)
        ),
        batch_size=BATCH,
    )
    question_ids = list(Question.objects.filter(topic=topic).values_list("pk", flat=True))
    overdue = set(rng.sample(range(CARDS), OVERDUE))
    cards = []
    for n, question_id in enumerate(question_ids):
        stability = min(max(rng.lognormvariate(math.log(15), 1.0), 0.5), 365.0)
        interval = max(stability * rng.uniform(0.8, 1.3), 1.0)
        if n in overdue:
            due = now - timedelta(days=rng.uniform(0.01, 60))
        else:
            due = now + timedelta(days=rng.uniform(1, 60))
        last_review = min(due - timedelta(days=interval), now - timedelta(hours=1))
        cards.append(
            Card(
                user=user,
                question_id=question_id,
                state=Card.State.REVIEW,
                step=None,
                stability=stability,
                difficulty=min(max(rng.gauss(5.5, 1.8), 1.0), 10.0),
                due=due,
                last_review=last_review,
                reps=rng.randint(3, 25),
                lapses=rng.choice((0, 0, 0, 0, 1, 1, 2, 3)),
            )  # fmt: skip
        )
    Card.objects.bulk_create(cards, batch_size=BATCH)
    card_ids = list(Card.objects.filter(user=user).values_list("pk", flat=True))

    def log(i: int) -> ReviewLog:
        reviewed_at = now - timedelta(days=rng.uniform(1, 365))
        interval = rng.uniform(0.5, 60)
        return ReviewLog(
            card_id=card_ids[i % len(card_ids)], user=user, rating=rng.choice((1, 3, 3, 3, 3, 4)),
            reviewed_at=reviewed_at, duration_ms=rng.randint(1_500, 40_000),
            state_before=Card.State.REVIEW, interval_before_days=interval * 0.6,
            interval_days=interval,
            card_before={"state": 2, "step": None, "stability": interval, "difficulty": 5.0,
                         "due": reviewed_at.isoformat(), "last_review": None, "reps": 3,
                         "lapses": 0, "is_leech": False, "suspended": False},
            source=ReviewLog.Source.REVIEW, token=uuid.UUID(int=rng.getrandbits(128)).hex,
        )  # fmt: skip

    for start in range(0, LOGS, BATCH):
        ReviewLog.objects.bulk_create([log(i) for i in range(start, min(start + BATCH, LOGS))])
    return user, card_ids


def bare(request):
    """One indexed query behind the same middleware: the floor for any page of the site."""
    from django.http import HttpResponse

    from quizzes.models import Card

    card = Card.objects.filter(user=request.user, pk=int(request.GET["card"])).first()
    return HttpResponse(f"card {card.pk if card else None}")


def mount_bare_view() -> str:
    from django.urls import clear_url_caches, path

    from studyapp import urls

    urls.urlpatterns.append(path("bench/bare/", bare, name="bench_bare"))
    clear_url_caches()
    return "/bench/bare/"


class Grader:
    """Grades the card on show and keeps the token of the next one, as the page does."""

    def __init__(self, client):
        self.client = client
        self.token = self._fresh_token()

    def _fresh_token(self) -> str:
        page = self.client.get("/review/").content.decode()
        match = TOKEN.search(page)
        if match is None:
            raise SystemExit("GET /review/ showed no card: the deck ran dry")
        return match.group(1)

    def __call__(self):
        response = self.client.post(
            "/review/grade/", {"token": self.token, "rating": "3"}, HTTP_HX_REQUEST="true"
        )
        if response.status_code != 200:
            raise SystemExit(f"POST /review/grade/ answered {response.status_code}")
        match = TOKEN.search(response.content.decode())
        self.token = match.group(1) if match else self._fresh_token()
        return response


def measure(label: str, request, verbose: bool) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        request()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        request()
        times.append((time.perf_counter() - started) * 1000)
    counts = []
    for _ in range(QUERY_RUNS):
        with CaptureQueriesContext(connection) as queries:
            request()
        counts.append(len(queries))
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
    print(f"{label:<40} {median:8.2f} {p95:8.2f} {spread:>9}")
    if verbose:
        for query in queries.captured_queries:
            print(f"    {query['time']:>6}s  {query['sql'][:160]}")
    return median, p95, counts[-1]


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    if POSTGRES:
        create_database()
    try:
        run(verbose)
    finally:
        if POSTGRES:
            drop_database()
        shutil.rmtree(WORK, ignore_errors=True)


def run(verbose: bool) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from quizzes.models import Card

    # Production behaviour: DEBUG keeps every query in memory and slows each one down a little.
    settings.DEBUG = False
    name = settings.DATABASES["default"]["NAME"]
    print(f"database: {connection.vendor} ({name})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    user, card_ids = build(timezone.now())
    due = Card.objects.filter(user=user, due__lte=timezone.now()).count()
    print(
        f"built {len(card_ids):,} cards ({due} due now) and {LOGS:,} review logs "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(user)
    bare_url = mount_bare_view()
    rng = random.Random(SEED)

    def bare_request():
        response = client.get(bare_url, {"card": rng.choice(card_ids)})
        assert response.status_code == 200, response.status_code
        return response

    print(f"{RUNS} requests each, after {WARMUP} to warm up")
    print(f"{'':<40} {'median':>8} {'p95':>8} {'queries':>9}")
    print(f"{'':<40} {'ms':>8} {'ms':>8} {'/request':>9}")
    bare_median, bare_p95, _ = measure("bare view (one indexed query)", bare_request, verbose)
    grade_median, grade_p95, _ = measure(
        "grade + next card (POST /review/grade/)", Grader(client), verbose
    )
    print(f"{'grade / bare':<40} {grade_median / bare_median:7.1f}x {grade_p95 / bare_p95:7.1f}x")


if __name__ == "__main__":
    main()
