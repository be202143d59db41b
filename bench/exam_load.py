"""Mock exam autosave under gunicorn and PostgreSQL: capacity, paced load, and a sitting.

    .venv/bin/python bench/exam_load.py                      # capacity, then 200 and 1,000 paced
    .venv/bin/python bench/exam_load.py --paced 200 --duration 20
    .venv/bin/python bench/exam_load.py --sitting --candidates 50 --seed 7   # the old sitting test

It creates a fresh PostgreSQL database (lambda_study_load by default: the name must start with
"lambda_study_load", and nothing else is touched), migrates it, loads the shipped course and
blueprints, creates the candidates, and serves the app with gunicorn on a free 127.0.0.1 port
(`bench_wsgi`: the site with DEBUG off plus the bare view at /bench/bare/; 3 workers x 4 threads by
default, no control socket), with the shared Redis cache of production (`--redis-url`, a Redis
database of its own: it is emptied first).

Default run, all against the same server in the same run:
1. Capacity: `--clients` connections send requests back to back for `--seconds`, first to the bare
   view (session, user, one indexed query), then autosaves. Prints requests/s of each and
   saves/s as a share of the bare view's requests/s (the target is at least 50%).
2. Paced: for each `--paced` count (200 and 1,000 by default), every candidate saves an answer
   every 1 to 3 s (uniform), as people do, for `--duration` seconds. Prints saves, p50/p99 latency,
   sends that started late (the load generator fell behind), errors, and `lost`: items whose row
   does not hold the last save sent (must be 0).

Candidates are signed in by a session made in the database and their attempts started through the
service, so neither password hashing nor drawing questions is measured. `--sitting` runs the older
test instead: candidates log in through the form, start the sprint, open questions, and save with
deliberate drops, duplicate retries and late replays, checking that every item holds the last save.
Everything has a fixed count and a global timeout; the only traffic is to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import import_module
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lambda_study_load"
DB_PREFIX = "lambda_study_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SLUG = "lambda-sprint"
PASSWORD = "load-test-password-4711"
DROP_RATE = 0.05
CHANGE_RATE = 0.3  # share of questions answered two or three times
DUPLICATE_RATE = 0.35  # share of retries sent twice
STALE_RATE = 0.35  # share of those duplicates sent late, after the candidate's newer saves
SOCKET_TIMEOUT = 30.0
DROP_TIMEOUT = 0.002  # the "timeout" kind of drop gives the server this long to answer
MAX_TRIES = 4  # per logical request: the first send and three retries

CHOOSE = re.compile(r'data-choose="(\d+)"')
CHOICE_INPUT = re.compile(
    r'<input type="(radio|checkbox)" name="choice" value="([^"]+)"', re.IGNORECASE
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Setup: a fresh database of our own, Django pointed at it


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help="the shared cache, as in production (emptied first: give a database of its own)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="global limit, seconds")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sitting", action="store_true", help="run the older sitting test")
    parser.add_argument(
        "--paced", type=int, nargs="*", default=[200, 1000], help="candidates per paced run"
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per paced run")
    parser.add_argument("--clients", type=int, default=16, help="connections for capacity")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per capacity run")
    parser.add_argument(
        "--logins-at-once",
        type=int,
        default=4,
        help="form logins in flight at a time (each is a PBKDF2 hash, ~0.25 s of CPU)",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="pause between a candidate's requests; 0 (default) is a closed loop at full speed",
    )
    args = parser.parse_args()
    if not 1 <= args.candidates <= 1000 or not all(1 <= n <= 1000 for n in args.paced):
        parser.error("--candidates and --paced must be between 1 and 1000")
    if args.timeout < 30 or args.duration > 120 or args.seconds > 60:
        parser.error("--timeout at least 30 s; --duration at most 120 s, --seconds at most 60")
    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    if url.scheme not in {"postgres", "postgresql"} or url.hostname not in LOCAL_HOSTS:
        parser.error("--database-url must be a PostgreSQL URL on 127.0.0.1")
    if not re.fullmatch(rf"{DB_PREFIX}[a-z0-9_]*", name):
        parser.error(f"the database name must start with {DB_PREFIX!r}: it is dropped at the end")
    args.db_name = name
    args.seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    return args


def admin_conninfo(database_url: str) -> str:
    """The same server, the maintenance database: where CREATE and DROP DATABASE run."""
    url = urlsplit(database_url)
    parts = [f"host={url.hostname}", f"port={url.port or 5432}", "dbname=postgres"]
    parts.append(f"user={url.username or 'postgres'}")
    if url.password:
        parts.append(f"password={url.password}")
    return " ".join(parts)


def create_database(args: argparse.Namespace) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_conninfo(args.database_url), autocommit=True) as conn:
        # A leftover of an interrupted run of this bench (the name is checked above).
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db_name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.db_name)))


def drop_database(args: argparse.Namespace) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_conninfo(args.database_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db_name))
        )


def setup_django(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CONTENT_DIR"] = str(ROOT / "content")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["REDIS_URL"] = args.redis_url
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # the bench's own Redis database: sessions and counters of an earlier run


def prepare_data(args: argparse.Namespace) -> list[tuple[str, int]]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from exams.models import Blueprint
    from quizzes.models import Question

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=StringIO(), stderr=StringIO())
    blueprint = Blueprint.objects.get(slug=SLUG)
    print(
        f"content: {Question.objects.count()} questions; {SLUG}: {blueprint.question_count} "
        f"questions, {blueprint.duration_minutes} min  ({time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=f"load{n:04d}", email=f"load{n:04d}@example.com", password=hashed)
        for n in range(
            max(args.candidates, *args.paced, 1) if not args.sitting else args.candidates
        )
    )
    users = list(
        User.objects.filter(username__startswith="load")
        .order_by("username")
        .values_list("username", "pk")
    )
    print(f"users: {len(users)}  ({time.perf_counter() - started:.1f} s)")
    return users


# gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args: argparse.Namespace, port: int, log) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DEBUG": "1",  # read by bench_settings, which then turns DEBUG off
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "SECRET_KEY": settings.SECRET_KEY,  # sessions made here must be valid there
        "DATABASE_URL": args.database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONTENT_DIR": str(ROOT / "content"),
        "LOG_LEVEL": "WARNING",
    }
    env["REDIS_URL"] = args.redis_url
    # Every candidate logs in from 127.0.0.1: the per-address log-in limit is for attackers.
    env["THROTTLE_LOGIN_IP"] = "100000/15m"
    command = [
        str(VENV_BIN / "gunicorn"), "bench_wsgi",
        "--pythonpath", f"{ROOT},{ROOT / 'bench'}",
        "-b", f"127.0.0.1:{port}",
        "-w", str(args.workers),
        "--threads", str(args.threads),
        "--graceful-timeout", "5",
    ]  # fmt: skip
    if "--no-control-socket" in gunicorn_help():
        command.append("--no-control-socket")  # newer gunicorn: no socket in ~/.gunicorn
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def gunicorn_help() -> str:
    done = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--help"], capture_output=True, text=True, timeout=30
    )
    return done.stdout


def wait_for_gunicorn(proc: subprocess.Popen, port: int, limit: float = 30.0) -> None:
    for _ in range(int(limit / 0.2)):
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port} within {limit:.0f} s")


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # the master stops its workers
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# The candidates


class Aborted(Exception):
    """The global timeout passed: stop sending."""


class Unexpected(Exception):
    """A response that is not what the request should get (counted as an error)."""


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    dropped: int = 0
    retries: int = 0
    duplicates: int = 0
    stale_replays: int = 0
    reconnects: int = 0

    def done(self, kind: str, ms: float) -> None:
        with self.lock:
            self.requests += 1
            self.latencies[kind].append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.requests += 1
            self.errors += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(text)

    def count(self, name: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)


@dataclass
class Intended:
    seq: int
    selected: list[str]
    flagged: bool


class Candidate:
    """One browser: a cookie jar, a keep-alive connection, and the answers it meant to save."""

    def __init__(
        self, username: str, port: int, rng: random.Random, stats: Stats, deadline: float,
        logins: threading.Semaphore, think: float,
    ):  # fmt: skip
        self.username = username
        self.logins = logins
        self.think = think
        self.port = port
        self.rng = rng
        self.stats = stats
        self.deadline = deadline
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.attempt_id: int | None = None
        self.intended: dict[int, Intended] = {}
        self.skipped: set[int] = set()  # items answered by no box (ordering, matching, typed)
        # The id the attempt page gives exam.js: the server orders a page's saves by its counter.
        self.page = rng.randrange(1, 2**53)
        self.finished = False

    # HTTP

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=SOCKET_TIMEOUT)
        return self.conn

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _headers(self, body: bytes | None, extra: dict[str, str]) -> dict[str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: list[tuple[str, str]] | None = None,
        expect: int,
        headers: dict[str, str] | None = None,
        drop: str | None = None,
    ) -> tuple[http.client.HTTPResponse | None, str]:
        """One request; `drop` sends it and walks away before the answer ("close" or "timeout")."""
        if time.monotonic() > self.deadline:
            raise Aborted()
        if self.think:
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
        body = urlencode(form).encode() if form is not None else None
        all_headers = self._headers(body, headers or {})
        # A keep-alive connection the server closed while idle fails at once, before anything was
        # processed: reconnect and send again (saves, starts and logins are all safe to repeat).
        for fresh in (False, True):
            reused = self.conn is not None and not fresh
            if fresh:
                self._close()
                self.stats.count("reconnects")
            conn = self._connection()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=all_headers)
                if drop == "close":
                    self._close()
                    self.stats.count("dropped")
                    return None, ""
                if drop == "timeout":
                    conn.sock.settimeout(DROP_TIMEOUT)
                    with contextlib.suppress(TimeoutError, OSError, http.client.HTTPException):
                        conn.getresponse().read()
                    self._close()  # answered or not, the client had already given up
                    self.stats.count("dropped")
                    return None, ""
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                if reused and not fresh:
                    continue
                self._close()
                raise
            except (OSError, http.client.HTTPException):
                self._close()
                raise
            ms = (time.perf_counter() - started) * 1000
            self._keep_cookies(response)
            if response.will_close:
                self._close()
            if response.status != expect:
                self.stats.error(f"{kind} {method} {path}: {response.status}")
                raise Unexpected(f"{kind}: {response.status}")
            self.stats.done(kind, ms)
            return response, text
        raise AssertionError("unreachable")

    def send_with_retries(self, kind: str, method: str, path: str, **kwargs):
        """Like the page's own retry: the same request again after a failure, a few times."""
        for attempt in range(MAX_TRIES):
            try:
                return self.send(kind, method, path, **kwargs)
            except Unexpected:
                pass
            except (OSError, http.client.HTTPException) as error:
                self.stats.error(f"{kind} {method} {path}: {type(error).__name__}: {error}")
            if attempt + 1 < MAX_TRIES:
                self.stats.count("retries")
                time.sleep(0.05 * (attempt + 1))
        raise Unexpected(f"{kind} {path}: failed {MAX_TRIES} times")

    # The sitting

    def log_in(self) -> None:
        _, page = self.send_with_retries("login page", "GET", "/accounts/login/", expect=200)
        token = CSRF_INPUT.search(page)
        if token is None or "csrftoken" not in self.cookies:
            self.stats.error("login page: no CSRF token")
            raise Unexpected("no CSRF token")
        form = [
            ("csrfmiddlewaretoken", html.unescape(token.group(1))),
            ("username", self.username),
            ("password", PASSWORD),
        ]
        # 200 password hashes at once on a small machine would measure PBKDF2, not autosave: the
        # logins queue here, and their latency is the server's time, not the queue's.
        with self.logins:
            self.send_with_retries("login", "POST", "/accounts/login/", form=form, expect=302)
        if "sessionid" not in self.cookies:
            self.stats.error("login: no session cookie")
            raise Unexpected("no session")

    def start(self) -> None:
        response, _ = self.send_with_retries(
            "start", "POST", f"/exams/{SLUG}/start/", form=[], expect=302,
            headers={"X-CSRFToken": self.cookies["csrftoken"]},
        )  # fmt: skip
        match = re.fullmatch(r"/exams/attempt/(\d+)/", urlsplit(response.headers["Location"]).path)
        if match is None:
            self.stats.error(f"start: redirected to {response.headers['Location']}")
            raise Unexpected("start went elsewhere")
        self.attempt_id = int(match.group(1))

    def question(self, position: int) -> tuple[str, list[str], int] | None:
        """Open a question as the page would (htmx fragment): its input type, its (opaque)
        choice keys and how many boxes it takes at most ("choose N"); None for an item answered
        otherwise (ordering and matching lists, a typed answer), which this test leaves out."""
        _, text = self.send_with_retries(
            "question", "GET", f"/exams/attempt/{self.attempt_id}/?q={position}", expect=200,
            headers={"HX-Request": "true", "HX-Target": "exam-question"},
        )  # fmt: skip
        found = CHOICE_INPUT.findall(text)
        if not found:
            if 'name="choice"' in text:  # a select or a text box: another type of item
                return None
            self.stats.error(f"question {position}: no choices in the page")
            raise Unexpected("no choices")
        choose = CHOOSE.search(text)
        kind = found[0][0].lower()
        return kind, [html.unescape(key) for _, key in found], int(choose[1]) if choose else 1

    def save(self, position: int, intended: Intended, *, drop: str | None = None) -> None:
        form = [("choice", key) for key in intended.selected]
        if intended.flagged:
            form.append(("flagged", "on"))
        form += [("page", str(self.page)), ("seq", str(intended.seq))]
        headers = {"X-CSRFToken": self.cookies["csrftoken"], "HX-Request": "true"}
        path = f"/exams/attempt/{self.attempt_id}/save/{position}/"
        if drop:
            self.send("save", "POST", path, form=form, expect=200, headers=headers, drop=drop)
        else:
            self.send_with_retries("save", "POST", path, form=form, expect=200, headers=headers)

    def sit(self) -> None:
        rng = self.rng
        self.log_in()
        self.start()
        # Every question once, some two or three times, all shuffled together.
        count = 20
        events = []
        for position in range(1, count + 1):
            changes = rng.choice((2, 3)) if rng.random() < CHANGE_RATE else 1
            events += [position] * changes
        rng.shuffle(events)
        shapes: dict[int, tuple[str, list[str], int]] = {}
        stale: list[tuple[int, Intended]] = []
        for seq, position in enumerate(events, start=1):
            if position not in shapes:
                shapes[position] = self.question(position)
            if shapes[position] is None:
                self.skipped.add(position)
                continue
            kind, keys, choose = shapes[position]
            if kind == "radio":
                selected = [rng.choice(keys)]
            else:  # never more than "choose N": the server refuses more (TooManyChoices)
                selected = rng.sample(keys, rng.randint(1, min(choose, len(keys))))
            intended = Intended(seq, selected, rng.random() < 0.2)
            self.intended[position] = intended  # sent from here on: it must be what is kept
            if rng.random() < DROP_RATE:
                self.save(position, intended, drop=rng.choice(("close", "timeout")))
                self.stats.count("retries")
                self.save(position, intended)
                if rng.random() < DUPLICATE_RATE:
                    self.stats.count("duplicates")
                    if rng.random() < STALE_RATE:
                        stale.append((position, intended))
                    else:
                        self.save(position, intended)
            else:
                self.save(position, intended)
        # Late duplicates: the same old seq arriving after newer saves must change nothing.
        for position, intended in stale:
            self.stats.count("stale_replays")
            self.save(position, intended)
        self.finished = True

    def run(self) -> None:
        try:
            self.sit()
        except (Aborted, Unexpected):
            pass
        except Exception as error:  # noqa: BLE001 - reported, never hidden
            self.stats.error(f"{self.username}: {type(error).__name__}: {error}")
        finally:
            self._close()


# Running and checking


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _saved_rows(by_attempt: dict):
    """Each item's saved row, with a function from the opaque keys a page posted to the
    authored keys the server should have stored (`answering.decode_keys`, with the item's seed)."""
    from exams.models import ExamItem
    from quizzes.study import answering

    rows = ExamItem.objects.filter(attempt_id__in=list(by_attempt)).values_list(
        "attempt_id", "position", "selected", "flagged", "seq", "seed", "choice_order",
        "question__type",
    )  # fmt: skip
    for attempt_id, position, selected, flagged, seq, seed, order, kind in rows.iterator():

        def stored(posted, seed=seed, order=order, kind=kind) -> list[str]:
            return answering.decode_keys(kind, seed, list(order), posted)

        yield attempt_id, position, selected, flagged, seq, stored


def verify(candidates: list[Candidate]) -> tuple[int, int, int]:
    """(items checked, lost, not reached): lost = an item that does not hold the last save sent."""

    by_attempt = {c.attempt_id: c for c in candidates if c.attempt_id is not None}
    checked = lost = 0
    seen = set()
    samples = []
    for attempt_id, position, selected, flagged, seq, stored in _saved_rows(by_attempt):
        seen.add((attempt_id, position))
        wanted = by_attempt[attempt_id].intended.get(position)
        if wanted is None:
            continue
        checked += 1
        if (selected, flagged) != (stored(wanted.selected), wanted.flagged):
            lost += 1
            if len(samples) < 5:
                samples.append(
                    f"  attempt {attempt_id} #{position}: saved {selected} flagged={flagged} "
                    f"version {seq}; sent last {wanted.selected} flagged={wanted.flagged} "
                    f"seq={wanted.seq}"
                )
    for candidate in by_attempt.values():
        for position in candidate.intended:
            if (candidate.attempt_id, position) not in seen:
                lost += 1
                samples.append(f"  attempt {candidate.attempt_id} #{position}: no such item")
    not_reached = sum(20 - len(c.intended) - len(c.skipped) for c in candidates)
    for line in samples[:5]:
        print(line)
    return checked, lost, not_reached


def run_load(args, users, port: int, deadline: float) -> tuple[list[Candidate], Stats, float, bool]:
    stats = Stats()
    logins = threading.Semaphore(max(args.logins_at_once, 1))
    candidates = [
        Candidate(
            username,
            port,
            random.Random(args.seed * 100_003 + n),
            stats,
            deadline,
            logins,
            args.think_ms / 1000,
        )
        for n, (username, _) in enumerate(users)
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(candidates), thread_name_prefix="candidate") as pool:
        futures = [pool.submit(c.run) for c in candidates]
        _, pending = wait(futures, timeout=max(deadline - time.monotonic(), 1) + SOCKET_TIMEOUT)
    elapsed = time.perf_counter() - started
    timed_out = bool(pending) or time.monotonic() > deadline
    return candidates, stats, elapsed, timed_out


def report(candidates, stats: Stats, elapsed: float, timed_out: bool) -> bool:
    all_ms = [ms for values in stats.latencies.values() for ms in values]
    saves = stats.latencies.get("save", [])
    print(f"candidates: {len(candidates)} ({sum(c.finished for c in candidates)} finished)")
    print(f"requests: {stats.requests + stats.dropped}")
    print(
        f"  answered {stats.requests}: "
        + ", ".join(f"{kind} {len(v)}" for kind, v in sorted(stats.latencies.items()))
    )
    print(
        f"  deliberately dropped {stats.dropped} ({100 * stats.dropped / max(len(saves), 1):.1f}% "
        f"of saves), retries {stats.retries}, duplicate retries {stats.duplicates} "
        f"(late replays {stats.stale_replays}), keep-alive reconnects {stats.reconnects}"
    )
    print(f"elapsed s: {elapsed:.1f}")
    print(f"requests/s: {(stats.requests + stats.dropped) / elapsed:.0f}")
    print(
        f"latency ms p50/p99 (all answered): {percentile(all_ms, 0.5):.1f} / "
        f"{percentile(all_ms, 0.99):.1f}"
    )
    for kind in ("save", "question", "start", "login"):
        values = stats.latencies.get(kind, [])
        print(
            f"  {kind:<9} p50/p99: {percentile(values, 0.5):.1f} / {percentile(values, 0.99):.1f}"
        )
    print(f"errors: {stats.errors}")
    for sample in stats.error_samples:
        print(f"  {sample}")
    checked, lost, not_reached = verify(candidates)
    skipped = sum(len(c.skipped) for c in candidates)
    print(f"items checked: {checked}, not reached: {not_reached}, other types left out: {skipped}")
    print(f"lost: {lost}")
    if timed_out:
        print("TIMED OUT: the global limit passed before every candidate finished")
    return lost == 0 and stats.errors == 0 and not_reached == 0 and not timed_out


# Capacity and paced load: candidates signed in by a session row, attempts started in process


@dataclass
class Sitter:
    """One candidate with an open attempt: a keep-alive connection and what it last saved."""

    username: str
    attempt_id: int
    # position -> (question type, the page's opaque choice keys, "choose N")
    shapes: dict[int, tuple[str, list[str], int]]
    cookies: dict[str, str]
    rng: random.Random
    seq: int = 0
    page: int = 0  # the id the attempt page gives exam.js (drawn at the first save)
    intended: dict[int, Intended] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, port: int, method: str, path: str, body: bytes | None = None) -> int:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=SOCKET_TIMEOUT)
        headers = {
            "Host": f"127.0.0.1:{port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-CSRFToken": self.cookies["csrftoken"],
            "HX-Request": "true",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for fresh in (False, True):  # an idle keep-alive connection the server closed: reconnect
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                if response.will_close:
                    self.close()
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if fresh:
                    raise
                self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=SOCKET_TIMEOUT)
        raise AssertionError("unreachable")

    def next_save(self) -> tuple[str, bytes]:
        """A random answer to a random question, with a rising seq, as exam.js sends it."""
        position = self.rng.choice(sorted(self.shapes))
        kind, keys, choose = self.shapes[position]
        if kind == "single":
            selected = [self.rng.choice(keys)]
        else:
            selected = self.rng.sample(keys, self.rng.randint(1, min(choose, len(keys))))
        self.seq += 1
        self.page = self.page or self.rng.randrange(1, 2**53)
        intended = Intended(self.seq, selected, self.rng.random() < 0.2)
        self.intended[position] = intended
        form = [("choice", key) for key in selected]
        form += [("page", str(self.page)), ("seq", str(intended.seq))]
        if intended.flagged:
            form.append(("flagged", "on"))
        return f"/exams/attempt/{self.attempt_id}/save/{position}/", urlencode(form).encode()

    def save(self, port: int) -> int:
        return self.request(port, "POST", *self.next_save())

    def raw_save(self, port: int) -> bytes:
        """The next save as the bytes of an HTTP/1.1 request, for the event-loop client."""
        path, body = self.next_save()
        cookies = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
            f"X-CSRFToken: {self.cookies['csrftoken']}\r\nHX-Request: true\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def prepare_sitters(args: argparse.Namespace, users: list[tuple[str, int]]) -> list[Sitter]:
    """A session and an open attempt of the sprint for every candidate, made in process."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from exams.models import Blueprint, ExamItem
    from exams.sitting import services
    from quizzes.study import answering

    # The site's own session store, as a log-in writes it (through the cache, with Redis).
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806
    started = time.perf_counter()
    blueprint = Blueprint.objects.get(slug=SLUG)
    sitters = []
    for n, user in enumerate(User.objects.filter(username__startswith="load").order_by("pk")):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        attempt = services.attempt_start(
            user=user, blueprint=blueprint, now=timezone.now(), rng=random.Random(n)
        )
        items = ExamItem.objects.filter(attempt=attempt).values_list(
            "position", "question__type", "choice_order", "seed", "question__choose"
        )
        cookies = {"sessionid": session.session_key, "csrftoken": get_random_string(32)}
        sitters.append(
            Sitter(
                user.username,
                attempt.pk,
                {
                    p: (t, [answering.public_key(seed, key) for key in keys], choose)
                    for p, t, keys, seed, choose in items
                },  # the opaque keys the page would post
                cookies,
                random.Random(args.seed * 100_003 + n),
            )  # fmt: skip
        )
    print(f"sessions and attempts: {len(sitters)}  ({time.perf_counter() - started:.1f} s)")
    return sitters


def capacity(port: int, sitters: list[Sitter], kind: str, seconds: float) -> tuple[int, int]:
    """Requests answered 200, and errors, with every sitter sending back to back for `seconds`."""
    end = time.monotonic() + seconds
    done = errors = 0
    lock = threading.Lock()

    def loop(sitter: Sitter) -> None:
        nonlocal done, errors
        while time.monotonic() < end:
            try:
                if kind == "bare":
                    status = sitter.request(port, "GET", "/bench/bare/?card=1")
                else:
                    status = sitter.save(port)
            except (OSError, http.client.HTTPException):
                status = 0
                sitter.close()
            with lock:
                done += status == 200
                errors += status != 200

    with ThreadPoolExecutor(max_workers=len(sitters)) as pool:
        list(pool.map(loop, sitters))
    return done, errors


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response: (status, whether the server closes the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() == "close"


def paced(port: int, sitters: list[Sitter], duration: float, rng: random.Random) -> dict:
    """Each sitter saves every 1 to 3 s for `duration` seconds; latencies from send to answer.

    One event loop sends for every candidate, each on its own keep-alive connection: a thread
    per candidate in this process competed with the server for the two cores and measured its
    own waits for the GIL as latency.
    """
    return asyncio.run(_paced(port, sitters, duration, rng))


async def _paced(port: int, sitters: list[Sitter], duration: float, rng: random.Random) -> dict:
    loop = asyncio.get_running_loop()
    start = loop.time()
    end = start + duration
    latencies: list[float] = []
    result = {"errors": 0, "late": 0}

    async def candidate(sitter: Sitter, first: float) -> None:
        streams = None
        when = start + first
        while when <= end:
            pause = when - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            elif pause < -0.1:
                result["late"] += 1
            request = sitter.raw_save(port)
            sent = time.perf_counter()
            status, closing = 0, True
            for fresh in (streams is None, True):  # an idle connection the server closed: again
                try:
                    if streams is None:
                        streams = await asyncio.open_connection("127.0.0.1", port)
                    streams[1].write(request)
                    status, closing = await asyncio.wait_for(
                        _read_response(streams[0]), SOCKET_TIMEOUT
                    )
                    break
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    if streams is not None:
                        streams[1].close()
                        streams = None
                    if fresh:
                        break
            latencies.append((time.perf_counter() - sent) * 1000)
            result["errors"] += status != 200
            if closing and streams is not None:
                streams[1].close()
                streams = None
            when += rng.uniform(1.0, 3.0)
        if streams is not None:
            streams[1].close()

    await asyncio.gather(*(candidate(sitter, rng.uniform(0, 3)) for sitter in sitters))
    result.update(latencies=latencies, elapsed=loop.time() - start)
    return result


def lost_saves(sitters: list[Sitter]) -> int:
    """Items whose row does not hold the last save its candidate sent."""

    by_attempt = {s.attempt_id: s for s in sitters}
    lost = 0
    for attempt_id, position, selected, flagged, _version, stored in _saved_rows(by_attempt):
        wanted = by_attempt[attempt_id].intended.get(position)
        if wanted is not None and (selected, flagged) != (stored(wanted.selected), wanted.flagged):
            lost += 1
    return lost


def settle() -> None:
    """Analyse and checkpoint after the bulk setup, as autovacuum and the checkpointer would
    within a minute, so they do not run in the middle of the first measurement."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def run_capacity_and_paced(args: argparse.Namespace, users, port: int, deadline: float) -> bool:
    sitters = prepare_sitters(args, users)
    settle()
    clients = sitters[: args.clients]
    print(f"capacity: {len(clients)} connections back to back, {args.seconds:.0f} s each")
    bare, bare_errors = capacity(port, clients, "bare", args.seconds)
    saves, save_errors = capacity(port, clients, "save", args.seconds)
    bare_rate, save_rate = bare / args.seconds, saves / args.seconds
    print(f"  bare view   {bare_rate:8.0f} requests/s  (errors {bare_errors})")
    print(f"  autosave    {save_rate:8.0f} saves/s     (errors {save_errors})")
    print(f"  saves / bare {save_rate / max(bare_rate, 1e-9):7.2f}   (target: at least 0.50)")
    ok = bare_errors == 0 and save_errors == 0
    rng = random.Random(args.seed)
    for count in args.paced:
        if time.monotonic() + args.duration > deadline:
            print(f"paced {count}: skipped, the global timeout would pass")
            ok = False
            continue
        for sitter in sitters:
            sitter.close()  # each run opens its own connections
        result = paced(port, sitters[:count], args.duration, rng)
        values = result["latencies"]
        lost = lost_saves(sitters)
        print(
            f"paced {count} candidates (a save every 1-3 s each, {args.duration:.0f} s): "
            f"{len(values)} saves, {len(values) / result['elapsed']:.0f}/s, "
            f"p50 {percentile(values, 0.5):.1f} ms, p99 {percentile(values, 0.99):.1f} ms, "
            f"late sends {result['late']}, errors {result['errors']}, lost {lost}"
        )
        ok = ok and lost == 0 and result["errors"] == 0
    for sitter in sitters:
        sitter.close()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return ok


def main() -> int:
    args = parse_args()
    deadline = time.monotonic() + args.timeout
    print(f"database: {args.db_name} on 127.0.0.1 (fresh); seed {args.seed}")
    proc = None
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in the finally below
    ok = False
    created = False
    try:
        create_database(args)
        created = True
        setup_django(args)
        users = prepare_data(args)
        port = free_port()
        proc = start_gunicorn(args, port, log)
        wait_for_gunicorn(proc, port)
        print(f"gunicorn: 127.0.0.1:{port}, {args.workers} workers x {args.threads} threads")
        if args.sitting:
            candidates, stats, elapsed, timed_out = run_load(args, users, port, deadline)
            ok = report(candidates, stats, elapsed, timed_out)
        else:
            ok = run_capacity_and_paced(args, users, port, deadline)
    finally:
        stop_gunicorn(proc)
        if not ok or os.environ.get("SHOW_LOG"):
            log.seek(0)
            tail = log.read()[-6000:]
            if tail.strip():
                print("gunicorn log (tail):\n" + tail)
        log.close()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            drop_database(args)
            print(f"dropped {args.db_name}")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
