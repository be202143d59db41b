"""The shipped course read by a Spanish learner: every row of it in Spanish once loaded, a
practice exam and a quiz with no question in English, and one schedule per card whichever
language the learner reviews in (issue 28's "Done when")."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from exams.models import Blueprint, ExamAttempt
from quizzes.models import Card, LearnerSettings, Question, ReviewLog, Topic
from quizzes.study.reviews import read_token

from .factories import UserFactory
from .shipped import load_shipped_course

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
ENGLISH_MARKS = ("aún sin traducir", 'class="untranslated', 'lang="en">')


@pytest.fixture
def shipped(settings):
    load_shipped_course(settings)


def english_in(page: str) -> list[str]:
    """The marks a page puts on course text shown in English (the switcher's own 'English'
    option is the one lang="en" a Spanish page has)."""
    page = re.sub(r'<option value="en"[^>]*>[^<]*</option>', "", page)
    return [mark for mark in ENGLISH_MARKS if mark in page]


def test_every_shipped_row_is_loaded_with_its_spanish(shipped):
    questions = Question.objects.filter(owner=None).only("uid", "translations")
    assert questions.count() >= 1000  # questions, flashcards and exercises
    missing = [q.uid for q in questions if "es" not in (q.translations or {})]
    stale = [q.uid for q in questions if (q.translations or {}).get("es", {}).get("stale")]
    assert (missing, stale) == ([], [])
    for topic in Topic.objects.all():
        spanish = topic.translations.get("es")
        assert spanish and spanish["untranslated"] == [] and not spanish["stale"], topic.slug
    for blueprint in Blueprint.objects.all():
        assert blueprint.translations.get("es", {}).get("title"), blueprint.slug


def spanish_learner(client):
    user = UserFactory()
    LearnerSettings.objects.update_or_create(user=user, defaults={"language": "es"})
    client.force_login(user)  # the saved language goes in the session
    return user


def test_a_spanish_learner_sits_the_practice_exam_with_no_question_in_english(client, shipped):
    user = spanish_learner(client)
    blueprint = Blueprint.objects.get(slug="lambda-practice-exam")
    client.post(f"/exams/{blueprint.slug}/start/")
    attempt = ExamAttempt.objects.get(user=user, blueprint=blueprint)
    first = client.get(f"/exams/attempt/{attempt.pk}/").content.decode()
    count = int(re.search(r"Pregunta 1 de (\d+)", first).group(1))
    assert count == blueprint.question_count
    for position in range(1, count + 1):
        page = client.get(f"/exams/attempt/{attempt.pk}/?q={position}").content.decode()
        assert f"Pregunta {position} de {count}" in page
        assert english_in(page) == [], position


def test_a_spanish_learners_quiz_of_every_topic_shows_no_question_in_english(client, shipped):
    spanish_learner(client)
    slugs = list(Topic.objects.exclude(slug="overview").values_list("slug", flat=True))
    response = client.post("/quiz/", {"topics": slugs, "count": 20, "mode": "all"})
    assert response.status_code == 302, response.content.decode()[:2000]
    for position in range(1, 21):
        page = client.get(response.url, {"q": position}).content.decode()
        assert english_in(page) == [], position


def token_of(page: str) -> str:
    """The card's token: in the answer form, or, for a flashcard not yet shown, in its reveal link
    (which card comes first depends on the learner's id and the day)."""
    field = re.search(r'name="token" value="([^"]+)"', page)
    if field:
        return field.group(1)
    return unquote(re.search(r"token=([^&\"]+)", page).group(1))


def card_uid(page: str) -> int:
    return read_token(token_of(page)).question_id


def test_switching_language_keeps_every_cards_schedule_and_history(client, shipped):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):  # three cards reviewed in English
        page = client.get("/review/", headers={"Accept-Language": "en"}).content.decode()
        client.post("/review/grade/", {"token": token_of(page), "rating": "3"}, headers=HTMX)
    fields = ("pk", "question_id", "state", "due", "stability", "difficulty", "reps", "lapses")
    before = list(Card.objects.filter(user=user).order_by("pk").values(*fields))
    assert sum(card["reps"] for card in before) == 3
    english_next = client.get("/review/").content.decode()

    client.post("/i18n/setlang/", {"language": "es", "next": "/review/"})
    assert LearnerSettings.objects.get(user=user).language == "es"
    assert list(Card.objects.filter(user=user).order_by("pk").values(*fields)) == before
    spanish_next = client.get("/review/").content.decode()
    assert "Repaso" in spanish_next and english_in(spanish_next) == []
    question = card_uid(spanish_next)
    assert question == card_uid(english_next)  # the same card comes next, in Spanish
    client.post("/review/grade/", {"token": token_of(spanish_next), "rating": "3"}, headers=HTMX)

    client.post("/i18n/setlang/", {"language": "en", "next": "/review/"})
    graded = Card.objects.get(user=user, question_id=question)  # one card per question
    assert graded.pk in {card["pk"] for card in before} and graded.reps == 1
    assert ReviewLog.objects.filter(user=user).count() == 4
