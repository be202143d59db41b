"""Reviews on the device: the deck it keeps, the grades it syncs, replay and the conflict rule."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from exams.models import TeamExam
from exams.sitting import services
from quizzes.models import Card, LearnerSettings, Question, ReviewLog, Topic
from quizzes.study import offline, replay, reviews, scheduler
from quizzes.study.answering import public_key
from quizzes.views.offline import precache

from .conftest import REPO
from .factories import (
    BlueprintFactory,
    MembershipFactory,
    QuestionFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SETTINGS = scheduler.Settings(fuzz=True)


# --- replay and the conflict rule (pure) ----------------------------------------------------------


def online(steps: list[tuple[int, datetime]], card_id: int = 7) -> scheduler.CardState:
    """What the card would be had every grade reached the server as it was made."""
    state = scheduler.CardState.new()
    for rating, at in sorted(steps, key=lambda step: step[1]):
        state = scheduler.review(state, rating, at, SETTINGS, card_id=card_id).card
    return state


def test_replay_applies_grades_in_the_order_they_were_made_whatever_order_they_arrive_in():
    made = [(3, NOW), (1, NOW + timedelta(days=3)), (4, NOW + timedelta(days=4))]
    arrived = [made[2], made[0], made[1]]
    steps = [replay.Step(rating, at) for rating, at in arrived]
    done = replay.replay(scheduler.CardState.new(), steps, SETTINGS, card_id=7)
    assert [step.step.at for step in done] == [at for _, at in made]
    assert done[-1].outcome.card == online(made)
    assert done[1].before == done[0].outcome.card, "each step starts where the one before ended"


def test_replay_keeps_arrival_order_for_grades_made_at_the_same_moment():
    steps = [replay.Step(1, NOW, "first"), replay.Step(4, NOW, "second")]
    assert [s.ref for s in replay.in_time_order(steps)] == ["first", "second"]


# --- the deck -------------------------------------------------------------------------------------


@pytest.fixture
def learner(loaded_course):
    user = UserFactory()
    LearnerSettings.objects.create(user=user, new_per_day=20)
    return user


def due_card(user, uid: str, *, days_ago: int = 5) -> Card:
    """A card in review, due now: graded once, `days_ago` days ago."""
    question = Question.objects.get(uid=uid)
    then = timezone.now() - timedelta(days=days_ago)
    reviews.review_grade(
        user=user, question=question, rating=3, nonce=f"seed-{uid}", now=then,
        settings=reviews.learner_settings(user),
    )  # fmt: skip
    card = Card.objects.get(user=user, question=question)
    Card.objects.filter(pk=card.pk).update(due=timezone.now() - timedelta(hours=1), state=2)
    return Card.objects.get(pk=card.pk)


@pytest.mark.django_db
def test_the_deck_holds_due_and_new_cards_with_what_grades_them_but_no_cost_exercise(learner):
    topic = Question.objects.get(uid="fx-timeout").topic
    ordering = QuestionFactory(topic=topic, type="ordering", choices=[
        {"key": "a", "html": "<p>First</p>"}, {"key": "b", "html": "<p>Then</p>"},
    ])  # fmt: skip
    matching = QuestionFactory(topic=topic, type="matching", choices=[
        {"key": "p1", "html": "<p>Sync</p>", "role": "prompt", "match": "m1"},
        {"key": "m1", "html": "<p>RequestResponse</p>", "role": "answer"},
        {"key": "m2", "html": "<p>Event</p>", "role": "answer"},
    ])  # fmt: skip
    due = due_card(learner, "fx-timeout")
    deck = offline.deck_build(user=learner, now=timezone.now())
    questions = [card["question"] for card in deck["cards"]]
    assert questions[0] == due.question_id, "due cards first"
    assert len(questions) == len(set(questions))
    kinds = {card["type"] for card in deck["cards"]}
    assert "numeric" not in kinds
    assert {"flashcard", "single", "multiple", "true_false", "ordering", "matching"} <= kinds
    single = next(c for c in deck["cards"] if c["question"] == due.question_id)
    question = Question.objects.get(pk=due.question_id)
    assert single["right"] == [
        public_key(single["nonce"], c["key"]) for c in question.choices if c["correct"]
    ]
    assert 'name="choice"' in single["front_html"]
    assert "rationale" not in single["front_html"]
    in_order = next(c for c in deck["cards"] if c["question"] == ordering.pk)
    assert in_order["right"] == {
        "1": public_key(in_order["nonce"], "a"), "2": public_key(in_order["nonce"], "b"),
    }  # fmt: skip
    matched = next(c for c in deck["cards"] if c["question"] == matching.pk)
    assert matched["right"] == {
        public_key(matched["nonce"], "p1"): public_key(matched["nonce"], "m1")
    }
    token = offline.read_deck_token(single["token"])
    assert (token.user_id, token.question_id, token.nonce) == (
        learner.pk, due.question_id, single["nonce"],
    )  # fmt: skip


@pytest.mark.django_db
def test_the_deck_keeps_to_the_days_new_card_limit(learner):
    LearnerSettings.objects.filter(user=learner).update(new_per_day=2)
    learner.refresh_from_db()
    deck = offline.deck_build(
        user=UserFactory._meta.model.objects.get(pk=learner.pk), now=timezone.now()
    )
    assert len(deck["cards"]) == 2
    assert all(card["new"] for card in deck["cards"])


@pytest.mark.django_db
def test_no_key_of_a_question_in_an_open_team_exam_or_an_open_mock_exam_reaches_the_device(
    learner,
):
    owner = UserFactory(instructor=True)
    team = TeamFactory(name="Cohort", instructor=owner)
    MembershipFactory(team=team, user=learner)
    blueprint = BlueprintFactory(
        slug="mini", title="Mini", question_count=2, topic_weights={"limits": 1},
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1},
    )  # fmt: skip
    now = timezone.now()
    exam = TeamExamFactory(
        team=team, blueprint=blueprint, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )  # fmt: skip
    due_card(learner, "fx-timeout")
    held = {q.pk for q in Question.objects.filter(type__in=("single", "multiple"))}
    sent = {card["question"] for card in offline.deck_build(user=learner, now=now)["cards"]}
    assert sent and not sent & held
    TeamExam.objects.filter(pk=exam.pk).update(closes_at=now - timedelta(minutes=1))
    solo = services.attempt_start(user=learner, blueprint=blueprint, now=now)
    in_exam = set(solo.items.values_list("question_id", flat=True))
    sent = {card["question"] for card in offline.deck_build(user=learner, now=now)["cards"]}
    assert in_exam and not sent & in_exam
    services.attempt_submit(attempt=solo, now=now)
    sent = {card["question"] for card in offline.deck_build(user=learner, now=now)["cards"]}
    assert in_exam <= sent, "once submitted, the questions come back"


# --- sync -----------------------------------------------------------------------------------------


def grades_for(deck: dict, count: int, start: datetime, rating: int = 3) -> list[dict]:
    return [
        {
            "nonce": card["nonce"], "token": card["token"], "rating": rating,
            "reviewed_at": int((start + timedelta(minutes=n)).timestamp() * 1000),
            "duration_ms": 4000,
        }
        for n, card in enumerate(deck["cards"][:count])
    ]  # fmt: skip


@pytest.mark.django_db
def test_synced_grades_land_at_their_own_moment_once(learner, django_assert_max_num_queries):
    sent_at = timezone.now() - timedelta(hours=2)
    deck = offline.deck_build(user=learner, now=sent_at)
    made = sent_at + timedelta(minutes=30)
    made = made.replace(microsecond=made.microsecond // 1000 * 1000)  # a device counts in ms
    grades = grades_for(deck, 3, made)
    # Per grade: its card's last review, then review_grade (a first grade also makes the card).
    with django_assert_max_num_queries(2 + 3 * 11):
        result = offline.grades_sync(user=learner, grades=grades, now=timezone.now())
    assert len(result.applied) == 3
    logs = ReviewLog.objects.filter(user=learner).order_by("reviewed_at")
    assert [log.reviewed_at for log in logs] == [made + timedelta(minutes=n) for n in range(3)]
    for log in logs:
        assert log.card.due > log.reviewed_at and log.card.last_review == log.reviewed_at
    again = offline.grades_sync(user=learner, grades=grades, now=timezone.now())
    assert again.applied == [] and len(again.duplicates) == 3
    assert ReviewLog.objects.filter(user=learner).count() == 3


@pytest.mark.django_db
def test_a_grade_is_taken_from_the_learner_the_card_was_sent_to_only(learner):
    deck = offline.deck_build(user=learner, now=timezone.now())
    grade = grades_for(deck, 1, timezone.now())[0]
    rival = UserFactory()
    result = offline.grades_sync(user=rival, grades=[grade], now=timezone.now())
    assert result.rejected == [{"nonce": grade["nonce"], "reason": "this card was not sent to you"}]
    forged = dict(grade, token=grade["token"][:-2] + "xx")
    other_nonce = dict(grade, nonce="0" * 32)
    bad_rating = dict(grade, rating=7)
    result = offline.grades_sync(
        user=learner, grades=[forged, other_nonce, bad_rating, "junk"], now=timezone.now()
    )
    assert len(result.rejected) == 4 and not result.applied
    assert not ReviewLog.objects.exists()


@pytest.mark.django_db
def test_a_device_clock_ahead_or_behind_lands_between_sending_and_arrival(learner):
    sent_at = timezone.now() - timedelta(hours=1)
    deck = offline.deck_build(user=learner, now=sent_at)
    early, late = grades_for(deck, 2, sent_at - timedelta(days=3))
    late["reviewed_at"] = int((timezone.now() + timedelta(days=3)).timestamp() * 1000)
    now = timezone.now()
    offline.grades_sync(user=learner, grades=[early, late], now=now)
    times = sorted(ReviewLog.objects.values_list("reviewed_at", flat=True))
    assert sent_at - timedelta(seconds=1) <= times[0] and times[1] <= now


@pytest.mark.django_db
def test_the_same_card_graded_on_two_devices_keeps_both_logs_and_replays_the_card(learner):
    """The conflict rule: a phone grades a card offline at 09:00, a laptop grades the same card
    online at 10:00; the phone syncs at 11:00. Both logs stay, in time order, and the card is as
    if the server had seen 09:00 then 10:00."""
    day = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    deck = offline.deck_build(user=learner, now=day - timedelta(minutes=5))
    phone = grades_for(deck, 1, day, rating=1)[0]
    question_id = deck["cards"][0]["question"]
    settings = reviews.learner_settings(learner)
    reviews.review_grade(
        user=learner, question_id=question_id, rating=4, nonce="laptop",
        now=day + timedelta(hours=1), settings=settings,
    )  # fmt: skip
    result = offline.grades_sync(user=learner, grades=[phone], now=day + timedelta(hours=2))
    assert result.applied == [phone["nonce"]]
    card = Card.objects.get(user=learner, question_id=question_id)
    logs = list(ReviewLog.objects.filter(card=card).order_by("reviewed_at"))
    assert [(log.rating, log.token) for log in logs] == [(1, phone["nonce"]), (4, "laptop")]
    expected = replay.replay(
        scheduler.CardState.new(),
        [replay.Step(1, day), replay.Step(4, day + timedelta(hours=1))],
        settings.scheduler_settings(),
        card_id=card.pk,
    )
    assert card.state_tuple() == expected[-1].outcome.card
    assert logs[1].card_before["stability"] == expected[1].before.stability
    assert logs[1].state_before == expected[1].before.state
    # Sent again: nothing moves.
    offline.grades_sync(user=learner, grades=[phone], now=day + timedelta(hours=3))
    assert ReviewLog.objects.filter(card=card).count() == 2
    assert Card.objects.get(pk=card.pk).state_tuple() == expected[-1].outcome.card


# --- the views ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sync_needs_a_session_and_the_csrf_token(learner):
    body = json.dumps({"grades": []})
    assert Client().post("/review/sync/", body, content_type="application/json").status_code == 401
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post("/review/sync/", body, content_type="application/json").status_code == 403
    client.get("/review/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/review/sync/", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200 and response.json()["applied"] == []
    bad = client.post(
        "/review/sync/", "{", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_deck_is_private_json(client, learner):
    assert client.get("/review/deck/").status_code == 401
    client.force_login(learner)
    response = client.get("/review/deck/")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.json()["user"] == learner.pk


@pytest.mark.django_db
def test_the_manifest_makes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["display"] == "standalone" and data["start_url"] == "/review/"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root_and_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert '"/static/css/site.css"' in body and "importScripts(" in body
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


STATIC_ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


@pytest.mark.django_db
def test_every_static_file_a_kept_page_loads_is_kept_for_offline_use(client, learner):
    """A page the worker keeps (home, reviews, notes) shows offline only with its styles, scripts
    and diagrams: each must be in the worker's precache, or it fails without a network (theme.js
    and two notes' diagrams did: a dark theme turned light, the diagrams were gone)."""
    client.force_login(learner)
    kept, _ = precache()
    paths = ["/", "/review/", "/notes/", *(f"/notes/{t.slug}/" for t in Topic.objects.all())]
    for path in paths:
        html = client.get(path).content.decode()
        assert not set(STATIC_ASSET.findall(html)) - set(kept), path
    # The shipped notes (not all loaded here) name their diagrams by path.
    shipped = {
        f"/static/{name}"
        for note in (REPO / "content" / "notes").glob("*.md")
        for name in re.findall(r"/static/([\w/.-]+\.svg)", note.read_text())
    }
    assert shipped and not shipped - set(kept)


def test_the_offline_page_follows_the_browsers_language_and_names_no_one(client, learner):
    """One copy serves whoever uses the device: no name, no token, no learner id in it; the
    worker keeps it in the language of the pages it sees (templates/offline/sw.js)."""
    client.force_login(learner)
    spanish = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in spanish and "No tiene conexión" in spanish
    assert '<html lang="en">' in english and "You are offline" in english
    for page in (spanish, english):
        assert learner.get_username() not in page and "csrf" not in page.lower()
        assert 'name="study-user"' not in page and 'href="/review/"' in page
    worker = client.get("/sw.js").content.decode()
    assert 'var FALLBACK_URL = "/offline/";' in worker and "/jsi18n/" in worker
    # The scripts' strings: a URL per language, whatever the request's own language.
    catalogue = client.get("/jsi18n/es/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Todo sincronizado" in catalogue
    assert client.get("/jsi18n/fr/").status_code == 404


@pytest.mark.django_db
def test_a_card_shown_again_after_again_is_graded_again_under_its_showings_nonce(learner):
    sent_at = timezone.now() - timedelta(hours=1)
    deck = offline.deck_build(user=learner, now=sent_at)
    first = grades_for(deck, 1, sent_at + timedelta(minutes=1), rating=1)[0]
    second = dict(first, nonce=f"{first['nonce']}-2", rating=3)
    second["reviewed_at"] += 120_000
    too_many = dict(first, nonce=f"{first['nonce']}-{offline.MAX_SHOWINGS + 1}")
    someone_elses = dict(first, nonce=f"{'1' * 32}-2")
    result = offline.grades_sync(
        user=learner, grades=[second, first, too_many, someone_elses], now=timezone.now()
    )
    assert result.applied == [first["nonce"], second["nonce"]], "in the order they were made"
    assert {r["nonce"] for r in result.rejected} == {too_many["nonce"], someone_elses["nonce"]}
    card = Card.objects.get(user=learner, question_id=deck["cards"][0]["question"])
    assert card.reps == 2 and [log.rating for log in card.logs.order_by("reviewed_at")] == [1, 3]


@pytest.mark.django_db
def test_the_deck_takes_a_fixed_number_of_queries_whatever_its_size(
    learner, django_assert_max_num_queries
):
    """Session-free count: the review queue's head (with the holds), its new-card count, the due
    cards, the unseen questions, the new ones chosen, their card rows."""
    due_card(learner, "fx-timeout")
    with django_assert_max_num_queries(6):
        small = offline.deck_build(user=learner, now=timezone.now())
    for uid in ("fx-ten-gb", "fx-tmp-tf", "fx-timeout-card"):
        due_card(learner, uid)
    topic = Question.objects.get(uid="fx-timeout").topic
    for _ in range(5):
        QuestionFactory(topic=topic)
    cache.clear()  # the queue counts unseen questions for 10 minutes: a new course shows after
    with django_assert_max_num_queries(6):
        large = offline.deck_build(user=learner, now=timezone.now())
    assert (len(small["cards"]), len(large["cards"])) == (4, 4 + 5)  # 4 due, 5 new


@pytest.mark.django_db
def test_a_spanish_deck_takes_as_many_queries_and_reads_no_note(
    learner, django_assert_max_num_queries
):
    """Each card shows its topic's title in Spanish, from the light `translations` column; the
    topics' notes (`note_html`, `note_translations`: kilobytes a row) are never read."""
    Topic.objects.filter(slug="limits").update(
        translations={
            "es": {"title": "Límites", "summary": "", "untranslated": [], "stale": False}
        },
        note_translations={"es": {"note_html": "<p>Nota.</p>" * 1000, "toc_html": "<ul></ul>"}},
    )
    for uid in ("fx-timeout", "fx-ten-gb"):
        due_card(learner, uid)
    with translation.override("es"), django_assert_max_num_queries(6) as queries:
        deck = offline.deck_build(user=learner, now=timezone.now())
    limits = [c for c in deck["cards"] if "Límites" in c["front_html"]]
    assert len(limits) >= 2 and "Limits ·" not in "".join(c["front_html"] for c in limits)
    assert "#timeout" in limits[0]["front_html"], "Read more finds the section (English toc)"
    assert not [q["sql"] for q in queries.captured_queries if "note_" in q["sql"]]
