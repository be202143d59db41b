"""What each page weighs on a first visit: its HTML and every static file it loads, compressed.

    .venv/bin/python bench/page_weight.py            # the shipped course in a temporary SQLite file

Loads the shipped course, makes the demo users, a quiz, a 65-question mock exam answered and
submitted, an open sprint, a team with a scheduled exam, then requests every page in PAGES (the
test `tests/test_page_weight.py` fails when a GET page of the site is missing from it). For each
page it prints the HTML's bytes raw and gzipped, the gzipped bytes of the scripts, stylesheets and
images it loads from /static/ (WhiteNoise serves them compressed and cached forever, so this is a
first visit), and the total. Exits 1 if a page's total is over LIMIT (100 KB).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sys
import tempfile
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
WORK = Path(tempfile.mkdtemp(prefix="lambda-study-weight-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'weight.sqlite3'}"
os.environ["CONTENT_DIR"] = str(ROOT / "content")

LIMIT = 100_000
ASSET = re.compile(r'(?:src|href)="(/static/[^"?#]+)')

# (URL name, who asks, path): every page a browser opens with GET. {ids} come from make_data.
PAGES = [
    ("home", None, "/"),
    ("login", None, "/accounts/login/"),
    ("signup", None, "/accounts/signup/"),
    ("password_reset", None, "/accounts/password_reset/"),
    ("password_reset_done", None, "/accounts/password_reset/done/"),
    ("password_reset_complete", None, "/accounts/reset/done/"),
    ("password_change", "candidate", "/accounts/password_change/"),
    ("password_change_done", "candidate", "/accounts/password_change/done/"),
    ("topic_list", "candidate", "/notes/"),
    ("note", "candidate", "/notes/{note}/"),
    ("calculator", "candidate", "/calculator/"),
    ("exercise", "candidate", "/exercises/{exercise}/"),
    ("review", "candidate", "/review/"),
    ("quiz_start", "candidate", "/quiz/"),
    ("quiz", "candidate", "/quiz/{quiz}/"),
    ("quiz_missed", "candidate", "/quiz/{quiz}/missed/"),
    ("dashboard", "candidate", "/dashboard/"),
    ("study_settings", "candidate", "/settings/"),
    ("leeches", "candidate", "/leeches/"),
    ("own_cards", "candidate", "/cards/"),
    ("own_card_new", "candidate", "/cards/new/?topic={note}"),
    ("own_card_edit", "candidate", "/cards/{own_card}/edit/"),
    ("exam_list", "candidate", "/exams/"),
    ("exam_attempt", "candidate", "/exams/attempt/{open_attempt}/"),
    ("exam_review", "candidate", "/exams/attempt/{open_attempt}/review/"),
    ("exam_results", "candidate", "/exams/attempt/{results_attempt}/results/"),
    ("team_list", "candidate", "/teams/"),
    ("team_join", "candidate", "/teams/join/"),
    ("team_join_code", "candidate", "/teams/join/{invite}/"),
    ("team", "instructor", "/teams/{team}/"),
    ("team_board", "instructor", "/teams/{team}/exams/{team_exam}/board/"),
    ("team_results", "instructor", "/teams/{team}/exams/{team_exam}/results/"),
    ("instructor_banks", "instructor", "/instructor/banks/"),
    ("bank_preview", "instructor", "/instructor/banks/preview/?path={largest_bank}"),
    ("item_analysis", "instructor", "/instructor/items/"),
    ("blueprint_list", "instructor", "/instructor/exams/"),
    ("blueprint_new", "instructor", "/instructor/exams/new/"),
    ("blueprint_edit", "instructor", "/instructor/exams/{blueprint}/"),
    ("bank_upload_job", "instructor", "/instructor/upload/import/{import_job}/"),
]
# Routes that are not pages: form posts, fragments, downloads, redirects, the admin.
NOT_PAGES = {
    "exercise_new", "review_reveal", "review_answer", "review_grade", "review_undo",
    "own_card_suspend",
    "quiz_answer", "leech_action", "bank_download", "bank_upload_apply", "bank_upload_cancel",
    "exam_start", "team_exam_start", "exam_save", "exam_submit", "team_results_csv", "logout",
    "password_reset_confirm", "bench_bare", "team_create",
    "team_exam_create", "bank_upload", "bank_moodle_xml", "exam_item_review", "fsrs_parameters",
    "item_analysis_refresh",
    # The language switcher (a POST that redirects) and the scripts' strings (JavaScript).
    "set_language", "javascript-catalog", "javascript-catalog-language",
    # The installable app: JSON and a worker script, not pages (the deck is read by a script).
    "manifest", "service_worker", "review_deck", "review_sync",
    # What the worker shows for a page it does not keep (fetched by the worker, not a visitor).
    "offline_page",
    # A course image: bytes from the database, named by its content.
    "course_media",
}  # fmt: skip


def make_data() -> dict[str, object]:
    """The demo users and one of everything a page shows, with the ids the paths need."""
    import random
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from exams.models import Blueprint, Membership, Team, TeamExam
    from exams.sitting import services
    from quizzes.models import ImportJob, Question, Topic
    from quizzes.study import own_cards, quiz

    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=StringIO())
    call_command("create_demo_users", "--force", stdout=StringIO())
    candidate = User.objects.get(username="candidate")
    instructor = User.objects.get(username="instructor")
    now = timezone.now()
    rng = random.Random(7)
    full = Blueprint.objects.get(slug="lambda-practice-exam")
    finished = services.attempt_start(user=candidate, blueprint=full, now=now, rng=rng)
    for item in finished.items.all():
        services.attempt_save_authored(
            attempt=finished, position=item.position, selected=item.choice_order[:1],
            flagged=False, seq=1, now=now,
        )  # fmt: skip
    services.attempt_submit(attempt=finished, now=now)
    sprint = Blueprint.objects.get(slug="lambda-sprint")
    open_attempt = services.attempt_start(user=candidate, blueprint=sprint, now=now, rng=rng)
    team = Team.objects.create(name="Cohort 1", instructor=instructor)
    Membership.objects.create(team=team, user=candidate)
    team_exam = TeamExam.objects.create(
        team=team, blueprint=sprint, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
    )  # fmt: skip
    taken = quiz.quiz_start(user=candidate, filters=quiz.Filters(count=10))
    banks = Question.objects.live().values_list("source_path", flat=True).order_by("source_path")
    largest = max(set(banks), key=list(banks).count)
    exercise = Question.objects.live().filter(type=Question.Type.NUMERIC).first()
    first_topic = Topic.objects.live().order_by("order").first()
    own = own_cards.own_card_create(
        user=candidate, topic=first_topic, front="What is the longest **timeout**?",
        back="900 seconds (15 minutes).", section="", now=now,
    )  # fmt: skip
    return {
        "own_card": own.question_id,
        "note": Topic.objects.live().order_by("order").first().slug,
        "exercise": exercise.uid,
        "quiz": taken.pk,
        "open_attempt": open_attempt.pk,
        "results_attempt": finished.pk,
        "invite": team.invite_code,
        "team": team.pk,
        "team_exam": team_exam.pk,
        "largest_bank": largest,
        "blueprint": sprint.pk,
        # A large Moodle file still converting: the progress page the upload polls.
        "import_job": ImportJob.objects.create(
            user=User.objects.get(username="instructor"),
            name="bank.xml",
            raw=b"",
            topic="limits",
            state=ImportJob.State.CONVERTING,
            converted=500,
        ).pk,
    }


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def main() -> int:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    ids = make_data()
    clients = {None: Client()}
    for username in ("candidate", "instructor"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    assets: dict[str, int] = {}
    rows = []
    for name, who, path in PAGES:
        url = path.format(**ids)
        response = clients[who].get(url)
        if response.status_code != 200:
            print(f"{name}: GET {url} answered {response.status_code}")
            return 1
        html = response.content
        static = sorted(set(ASSET.findall(html.decode())))
        for asset in static:
            if asset not in assets:
                served = clients[None].get(asset)
                body = b"".join(served.streaming_content) if served.streaming else served.content
                assets[asset] = gz(body)
        weight = gz(html) + sum(assets[a] for a in static)
        rows.append((name, url, len(html), gz(html), sum(assets[a] for a in static), weight))
    print(f"{'page':<24} {'HTML':>9} {'HTML gz':>9} {'static gz':>10} {'total gz':>9}  path")
    for name, url, raw, html_gz, static_gz, total in sorted(rows, key=lambda r: -r[-1]):
        flag = "  OVER" if total > LIMIT else ""
        print(f"{name:<24} {raw:>9,} {html_gz:>9,} {static_gz:>10,} {total:>9,}  {url}{flag}")
    print("static files (gzipped):", ", ".join(f"{a} {n:,}" for a, n in sorted(assets.items())))
    over = [row for row in rows if row[-1] > LIMIT]
    print(f"{len(rows)} pages; {len(over)} over {LIMIT // 1000} KB on a first visit")
    return 1 if over else 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(code)
