"""Time "grade a card and render the next one" for a learner with a big deck, against a bare view.

    .venv/bin/python bench/review_speed.py            # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/review_speed.py

With PostgreSQL the script creates its own database, `lambda_study_bench` (or `$BENCH_DB`), on that
server and drops it at the end: the database named in the URL is only used to connect.

One learner gets 10,000 cards in the Review state (a few hundred overdue, the rest due over the
next 60 days) and 100,000 review logs. Each measured request is what htmx sends when a grade button
is pressed: POST /review/grade/ with HX-Request, which records the grade and renders the next card.
The baseline is a bare view behind the same middleware that runs one indexed query
(`bench/bench_urls.py`). Prints the median and p95 in ms, the queries per request and the ratio
grade / bare, first in process (Django's test client), then over HTTP through gunicorn (one worker,
one thread, a keep-alive connection), so the figure includes the server. `-v` lists the queries
and prints the top entries of a profile of the grade requests.
"""

from __future__ import annotations

import cProfile
import http.client
import io
import math
import os
import pstats
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta

import harness
from harness import ROOT

BENCH = harness.prepare(database="lambda_study_bench", prefix="lambda-study-bench-")

CARDS = 10_000
LOGS = 100_000
OVERDUE = 1_000  # cards due now: more than the requests below use up (in process, HTTP, profile)
BATCH = 2_000
WARMUP = 10
RUNS = 200
QUERY_RUNS = 5
PROFILE_RUNS = 100
HTTP_TIMEOUT = 30.0
SEED = 20_240_601
TOKEN = re.compile(r'name="token" value="([^"]+)"')


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


class HttpClient:
    """Just enough of Django's test client over one keep-alive HTTP/1.1 connection to gunicorn."""

    class Response:
        def __init__(self, status_code: int, content: bytes):
            self.status_code = status_code
            self.content = content

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        from http.cookies import SimpleCookie

        headers = {"Host": f"127.0.0.1:{self.port}", **headers}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        if response.will_close:
            raise SystemExit(f"gunicorn closed the keep-alive connection after {method} {path}")
        return self.Response(response.status, content)

    def get(self, path: str, data: dict | None = None, **_headers):
        from urllib.parse import urlencode

        return self._send("GET", f"{path}?{urlencode(data)}" if data else path, None, {})

    def post(self, path: str, data: dict, HTTP_HX_REQUEST: str = ""):  # noqa: N803 - as Django's
        from urllib.parse import urlencode

        headers = {"HX-Request": HTTP_HX_REQUEST} if HTTP_HX_REQUEST else {}
        return self._send("POST", path, urlencode(data).encode(), headers)

    def close(self) -> None:
        self.conn.close()


def measure(requests: dict[str, object]) -> dict[str, tuple[float, float]]:
    """Median and p95 (ms) of each kind of request, sent in turn so load on the machine hits all."""
    for _ in range(WARMUP):
        for request in requests.values():
            request()
    times: dict[str, list[float]] = {label: [] for label in requests}
    for _ in range(RUNS):
        for label, request in requests.items():
            started = time.perf_counter()
            request()
            times[label].append((time.perf_counter() - started) * 1000)
    return {
        label: (statistics.median(values), statistics.quantiles(values, n=20)[-1])
        for label, values in times.items()
    }


def count_queries(request, verbose: bool) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(QUERY_RUNS):
        with CaptureQueriesContext(connection) as queries:
            request()
        counts.append(len(queries))
    if verbose:
        for query in queries.captured_queries:
            print(f"    {query['time']:>6}s  {query['sql'][:160]}")
    return f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"


def report(title: str, figures: dict[str, tuple[float, float]], queries: dict[str, str]) -> None:
    print(title)
    print(f"{'':<40} {'median':>8} {'p95':>8} {'queries':>9}")
    print(f"{'':<40} {'ms':>8} {'ms':>8} {'/request':>9}")
    for label, (median, p95) in figures.items():
        print(f"{label:<40} {median:8.2f} {p95:8.2f} {queries.get(label, ''):>9}")
    (bare_median, bare_p95), (grade_median, grade_p95) = figures.values()
    print(f"{'grade / bare':<40} {grade_median / bare_median:7.1f}x {grade_p95 / bare_p95:7.1f}x")


def profile(request) -> None:
    """The top of a profile of PROFILE_RUNS grade requests (in process), by own time and in all."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_RUNS):
        request()
    profiler.disable()
    for sort in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(25)
        print(f"profile of {PROFILE_RUNS} grade requests, by {sort}:")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, log) -> subprocess.Popen:
    """One worker, one thread (gthread, so connections are kept alive), the bench settings."""
    from django.conf import settings

    env = {
        **os.environ,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": settings.SECRET_KEY,  # the session made in process must stay valid
    }
    env.pop("REDIS_URL", None)
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "bench_wsgi:application",
        "--pythonpath", f"{ROOT},{ROOT / 'bench'}",
        "-b", f"127.0.0.1:{port}", "-w", "1", "-k", "gthread", "--threads", "1",
        "--keep-alive", "60", "--graceful-timeout", "5", "--no-control-socket",
    ]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(150):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(proc)
    raise SystemExit("gunicorn did not start within 30 s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    BENCH.run(lambda: run(verbose))


def run(verbose: bool) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from quizzes.models import Card

    name = settings.DATABASES["default"]["NAME"]
    print(f"database: {connection.vendor} ({name}); DEBUG {settings.DEBUG}")
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
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")

    client = Client()
    client.force_login(user)
    rng = random.Random(SEED)

    def bare_request(client=client):
        response = client.get("/bench/bare/", {"card": rng.choice(card_ids)})
        assert response.status_code == 200, response.status_code
        return response

    grader = Grader(client)
    labels = ("bare view (one indexed query)", "grade + next card (POST /review/grade/)")
    figures = measure(dict(zip(labels, (bare_request, grader), strict=True)))
    queries = {
        labels[0]: count_queries(bare_request, verbose),
        labels[1]: count_queries(grader, verbose),
    }
    title = f"in process: {RUNS} requests each, in turn, after {WARMUP} to warm up"
    report(title, figures, queries)
    if verbose:
        profile(grader)

    connections_close()
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed below
    proc = start_gunicorn(port, log)
    try:
        http = HttpClient(port, {"sessionid": client.cookies["sessionid"].value})
        figures = measure(
            dict(zip(labels, (lambda: bare_request(http), Grader(http)), strict=True))
        )
        http.close()
        report(f"through gunicorn (1 worker, 1 thread, keep-alive): {RUNS} each", figures, {})
    except BaseException:
        log.seek(0)
        print("gunicorn log (tail):\n" + log.read()[-2000:])
        raise
    finally:
        stop_gunicorn(proc)
        log.close()


def connections_close() -> None:
    """Let gunicorn's worker have the database (SQLite: no open transaction or lock held here)."""
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
