"""Due counts keep the daily limits the settings promise, and the dashboard says where they come
from: answered in a quiz or exam, due today, overdue, new."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from quizzes.models import Card, LearnerSettings, ReviewLog
from quizzes.study import due, quiz, reviews

from .factories import QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY_START = datetime(2026, 12, 5, 4, tzinfo=UTC)


def test_the_breakdown_counts_each_origin_and_the_review_limit_keeps_the_oldest():
    rows = [
        due.DueRow(DAY_START - timedelta(days=2), "review"),  # overdue
        due.DueRow(DAY_START + timedelta(hours=1), "review"),  # due today
        due.DueRow(DAY_START + timedelta(hours=2), "quiz"),
        due.DueRow(DAY_START + timedelta(hours=3), "exam"),
    ]
    settings = LearnerSettings(new_per_day=20, max_reviews_per_day=3)
    counted = due.due_breakdown(
        rows, day_start=DAY_START, reviews_left=3, new_left=7, waiting_tomorrow=2,
        settings=settings,
    )  # fmt: skip
    assert (counted.overdue, counted.due_today, counted.answered_elsewhere) == (1, 1, 1)
    assert counted.over_review_limit == 1 and counted.due == 3 and counted.total == 10


def _wrong_quiz(user, count: int):
    attempt = quiz.quiz_start(user=user, filters=quiz.Filters(count=count))
    now = timezone.now()
    for item in attempt.items.select_related("question"):
        quiz.quiz_answer(item=item, selected=["b"], typed="", now=now)
    return attempt


def test_cards_met_in_a_quiz_past_the_new_card_limit_wait_for_tomorrow(client):
    topic = TopicFactory(slug="limits")
    QuestionFactory.create_batch(30, topic=topic)
    user = UserFactory(username="eager")
    LearnerSettings.objects.create(user=user, new_per_day=20)
    _wrong_quiz(user, 25)
    assert ReviewLog.objects.filter(user=user, source="quiz").count() == 25

    queue = reviews.review_queue(
        user=user, settings=reviews.learner_settings(user), now=timezone.now()
    )
    assert queue.due_today == 20  # the limit, not 25
    assert queue.new_left == 0  # the 20 new cards of the day were met in the quiz
    tomorrow = Card.objects.filter(user=user).order_by("-due").first().due
    assert Card.objects.filter(user=user, due=tomorrow).count() == 5

    client.force_login(user)
    page = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    assert "Where today's 20 cards come from" in page
    assert "<strong>20</strong> answered wrong in a quiz or a mock exam" in page
    assert "<strong>0</strong> new cards" in page
    assert "5 more from today's quizzes and exams wait until tomorrow" in page


def test_a_lower_review_limit_is_kept_and_said(client):
    topic = TopicFactory(slug="limits")
    QuestionFactory.create_batch(8, topic=topic)
    user = UserFactory(username="busy")
    LearnerSettings.objects.create(user=user, new_per_day=0, max_reviews_per_day=3)
    settings = reviews.learner_settings(user)
    long_ago = timezone.now() - timedelta(days=40)
    for question in topic.questions.all():
        reviews.review_grade(user=user, question=question, rating=3, nonce=f"n{question.pk}",
                             now=long_ago, settings=settings)  # fmt: skip
    queue = reviews.review_queue(user=user, settings=settings, now=timezone.now())
    assert queue.due_today == 3
    client.force_login(user)
    page = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    assert "<strong>3</strong> overdue from earlier days" in page
    assert "5 more due wait for a later day: they are past your maximum of 3 reviews" in page


def test_held_cards_are_left_out_of_the_breakdown_as_out_of_the_queue(monkeypatch):
    """A question held for a team exam is out of the queue: the breakdown agrees with it."""
    from quizzes.study import holds

    topic = TopicFactory(slug="limits")
    questions = QuestionFactory.create_batch(3, topic=topic)
    user = UserFactory(username="held")
    settings = LearnerSettings.objects.create(user=user)
    now = timezone.now()
    for question in questions:
        reviews.review_grade(user=user, question=question, rating=1, nonce=f"h{question.pk}",
                             now=now - timedelta(hours=1), settings=settings)  # fmt: skip
    rule = holds.Rule(
        held=("SELECT id FROM quizzes_question WHERE id = %s", (questions[0].pk,)),
        ends=("SELECT MAX(due) FROM quizzes_card WHERE user_id = %s", (user.pk,)),
    )
    monkeypatch.setattr(holds, "_PROVIDERS", [lambda user, now: rule])
    queue = reviews.review_queue(user=user, settings=settings, now=now)
    counted = due.due_sources(user=user, settings=settings, now=now,
                              reviews_left=queue.reviews_left, new_left=queue.new_left)  # fmt: skip
    assert queue.due_today == 2 and counted.due == 2
