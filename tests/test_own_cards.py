"""A learner's own flashcards, as in Anki: added from a note section or a review, edited and
suspended, scheduled like the course's cards, private, sanitised, and kept by every load."""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes.models import Card, Question, Topic
from quizzes.study import reviews
from tests.pages import text_of

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(client, front="What is the **timeout** limit?", back="15 minutes.", section=""):
    return client.post(
        "/cards/new/", {"topic": "limits", "section": section, "front": front, "back": back}
    )


def test_a_note_section_offers_a_card_about_it(client, learner):
    page = client.get("/notes/limits/").content.decode()
    assert 'action="/cards/new/"' in page and "Add a card about this" in page
    anchor, title = re.search(
        r'<option value="([a-z0-9-]+)">([^<]+)</option>', page.split('id="own-section"')[1]
    ).groups()
    assert title == "Timeout"
    form = client.get(f"/cards/new/?topic=limits&section={anchor}").content.decode()
    assert f'<option value="{anchor}" selected>' in form


def test_an_added_card_is_due_now_and_scheduled_like_the_course(client, learner):
    response = _add(client)
    assert response.status_code == 302 and response["Location"] == "/cards/"
    card = Card.objects.get(user=learner, question__owner=learner)
    assert card.question.stem_html == "<p>What is the <strong>timeout</strong> limit?</p>"
    queue = reviews.review_queue(
        user=learner, settings=reviews.learner_settings(learner), now=timezone.now()
    )
    assert queue.card.pk == card.pk  # due now, first in the queue
    settings = reviews.learner_settings(learner)
    reviews.review_grade(user=learner, question=card.question, rating=3, nonce="own-1",
                         now=timezone.now(), settings=settings)  # fmt: skip
    card.refresh_from_db()
    assert card.reps == 1 and card.state != Card.State.NEW and card.due > timezone.now()


def test_a_card_text_is_sanitised_and_a_blank_side_is_refused(client, learner):
    _add(client, front='Hi <script>alert(1)</script><img src=x onerror="alert(2)">', back="b")
    question = Question.objects.get(owner=learner)
    assert "<script" not in question.stem_html and "onerror" not in question.stem_html
    page = text_of(_add(client, front="Only a front", back="  "))
    assert "Write the back of the card" in page or "This field is required" in page
    assert "Only a front" in page  # what was typed stays
    assert Question.objects.filter(owner=learner).count() == 1


def test_edit_and_suspend_keep_the_schedule(client, learner):
    _add(client)
    card = Card.objects.get(user=learner, question__owner=learner)
    due = card.due
    response = client.post(
        f"/cards/{card.question_id}/edit/",
        {"topic": "limits", "section": "", "front": "Timeout?", "back": "900 s"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.question.stem_html == "<p>Timeout?</p>" and card.due == due
    client.post(f"/cards/{card.question_id}/suspend/")
    card.refresh_from_db()
    assert card.suspended
    queue = reviews.review_queue(
        user=learner, settings=reviews.learner_settings(learner), now=timezone.now()
    )
    assert queue.card is None or queue.card.pk != card.pk
    assert "suspended" in text_of(client.get("/cards/"))
    client.post(f"/cards/{card.question_id}/resume/")
    card.refresh_from_db()
    assert not card.suspended


def test_a_card_is_private_to_its_learner(client, learner):
    _add(client)
    mine = Question.objects.get(owner=learner)
    other = UserFactory(username="bob")
    client.force_login(other)
    assert client.get(f"/cards/{mine.pk}/edit/").status_code == 404
    assert client.post(f"/cards/{mine.pk}/suspend/").status_code == 404
    assert "What is the" not in client.get("/cards/").content.decode()
    # Not a course question: no quiz, exam, count or new-card pick sees it.
    assert not Question.objects.live().filter(pk=mine.pk).exists()
    queue = reviews.review_queue(
        user=other, settings=reviews.learner_settings(other), now=timezone.now()
    )
    assert queue.card is None or queue.card.question_id != mine.pk
    # A course question cannot be edited as one's own either.
    course = Question.objects.live().first()
    assert client.get(f"/cards/{course.pk}/edit/").status_code == 404


def test_every_load_content_keeps_own_cards(client, learner, settings):
    _add(client)
    mine = Question.objects.get(owner=learner)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", "--all", stdout=devnull)
        call_command("load_content", stdout=devnull)
    mine.refresh_from_db()
    assert mine.retired_at is None
    assert Card.objects.filter(user=learner, question=mine).exists()
    topic = Topic.objects.get(slug="limits")
    assert (
        topic.questions.filter(owner__isnull=True).count()
        == Question.objects.live().filter(topic=topic).count()
    )


def test_the_number_of_own_cards_has_a_ceiling(client, learner, monkeypatch):
    from quizzes.study import own_cards

    monkeypatch.setattr(own_cards, "MAX_CARDS", 1)
    _add(client)
    page = text_of(_add(client, front="A second one"))
    assert "the most one account keeps" in page and "A second one" in page
    assert Question.objects.filter(owner=learner).count() == 1


def test_a_review_offers_a_card_about_its_note_section(client, learner):
    page = client.get("/review/?topic=limits").content.decode()
    link = re.search(r'href="(/cards/new/\?topic=limits[^"]*)">Add a card about this', page)
    assert link, "the review card links to a new card of one's own"
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert '<option value="limits" selected>' in form


def test_the_own_card_pages_take_a_fixed_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    """Session, user, the header's two permission reads, then the page's own reads: the list is
    one query however many cards (their topic's title joined, not its note), the form two."""
    Topic.objects.filter(slug="limits").update(translations={"es": {"title": "Límites y cuotas"}})
    _add(client)
    with django_assert_max_num_queries(5):
        one = client.get("/cards/")
    for n in range(12):
        _add(client, front=f"Card {n}?")
    with django_assert_max_num_queries(5):
        many = client.get("/cards/", HTTP_ACCEPT_LANGUAGE="es")
    assert one.status_code == many.status_code == 200
    assert text_of(many).count("Límites y cuotas ·") == 13  # the topic's title, in Spanish
    with django_assert_max_num_queries(6):
        assert client.get("/cards/new/?topic=limits").status_code == 200
    with django_assert_max_num_queries(9):
        assert _add(client, front="One more?").status_code == 302
    card = Card.objects.filter(user=learner, question__owner=learner).first()
    with django_assert_max_num_queries(5):
        assert client.get(f"/cards/{card.question_id}/edit/").status_code == 200
    with django_assert_max_num_queries(4):
        response = client.post(
            f"/cards/{card.question_id}/edit/",
            {"topic": "limits", "section": "", "front": "Edited?", "back": "Yes."},
        )
        assert response.status_code == 302
    with django_assert_max_num_queries(4):
        assert client.post(f"/cards/{card.question_id}/suspend/").status_code == 302
    with django_assert_max_num_queries(4):
        assert client.post(f"/cards/{card.question_id}/resume/").status_code == 302


def test_a_spanish_learners_own_card_is_in_their_words_not_marked_untranslated(client, learner):
    """A learner's card has no translation to miss: no "not translated yet" mark, no lang="en"."""
    _add(client, front="¿Cuánto dura como máximo una función?", back="15 minutos.")
    for path in ("/cards/", "/review/?topic=limits"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "¿Cuánto dura como máximo una función?" in page, path
        assert "aún sin traducir" not in page, path
        assert not re.search(r'<(?!option)\w+[^>]* lang="en"', page), path
