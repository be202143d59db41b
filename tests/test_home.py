"""The signed-in home: reviews, an exam in progress, readiness, weakest topic, streak."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import ExamAttempt
from exams.sitting import services
from quizzes.models import Question
from quizzes.study import reviews, today
from tests.pages import text_of

from .factories import PASSWORD, BlueprintFactory

pytestmark = pytest.mark.django_db


def _review(user, uid: str, rating: int, now=None) -> None:
    question = Question.objects.get(uid=uid)
    now = now or timezone.now()
    reviews.review_grade(
        user=user, question=question, rating=rating, nonce=f"{uid}-{now.timestamp()}",
        now=now, settings=reviews.learner_settings(user),
    )  # fmt: skip


def test_a_visitor_sees_the_course_not_today(client, loaded_course):
    page = text_of(client.get("/"))
    assert "Create a free account" in page
    assert "Review now" not in page and "Today" not in page


def test_a_new_learner_gets_three_first_steps_and_todays_new_cards(client, learner):
    page = text_of(client.get("/"))
    assert "Set your exam and date" in page and 'href="/settings/"' in page
    assert "Read Limits" in page and 'href="/notes/limits/"' in page
    assert "Start reviewing" in page
    assert re.search(r"<strong>0</strong> due · <strong>\d+</strong> new", page)
    assert "Review now" in page
    assert "Streak" in page and "<strong>0</strong> days" in page


def test_after_a_first_review_the_steps_give_way_and_the_streak_counts(client, learner):
    uid = Question.objects.filter(topic__slug="limits").exclude(type="numeric").first().uid
    _review(learner, uid, 1)
    page = text_of(client.get("/"))
    assert "Set your exam and date" not in page
    assert "<strong>1</strong> day" in page


def test_the_weakest_topic_is_the_least_mastered_with_study_this(client, learner):
    # Every limits question known well: pricing becomes the weakest topic.
    now = timezone.now() - timedelta(days=1)
    for question in Question.objects.filter(topic__slug="limits"):
        _review(learner, question.uid, 4, now=now)
    page = text_of(client.get("/"))
    weakest = page.split("Weakest topic", 1)[1][:400]
    assert "Pricing" in weakest and 'href="/notes/pricing/"' in weakest and "Study this" in weakest


def test_an_exam_in_progress_shows_its_time_left_and_resume(client, learner):
    blueprint = BlueprintFactory(
        title="Mini exam", duration_minutes=30, difficulty_mix={"easy": 1, "medium": 1, "hard": 1}
    )
    attempt = services.attempt_start(user=learner, blueprint=blueprint, now=timezone.now())
    page = text_of(client.get("/"))
    assert "Exam in progress" in page and "Mini exam" in page
    assert re.search(r"<strong>(29|30) min</strong> left", page)
    assert f'href="/exams/attempt/{attempt.pk}/">Resume' in page
    # Once submitted it is no longer in progress.
    services.attempt_submit(attempt=attempt, now=timezone.now())
    assert "Exam in progress" not in text_of(client.get("/"))


def test_an_expired_exam_is_not_offered_to_resume(client, learner):
    blueprint = BlueprintFactory(title="Mini exam", duration_minutes=30)
    attempt = services.attempt_start(user=learner, blueprint=blueprint, now=timezone.now())
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    assert "Exam in progress" not in text_of(client.get("/"))


def test_without_an_exam_to_forecast_the_home_shows_mastery_from_the_readiness_model(
    client, learner
):
    result = today.learner_today(user=learner, now=timezone.now(), mastery={})
    assert result.prediction.label == "Mastery" and result.prediction.figure == "0%"
    limits = Question.objects.filter(topic__slug="limits").count()
    total = Question.objects.count()
    result = today.learner_today(user=learner, now=timezone.now(), mastery={"limits": 0.5})
    assert result.prediction.figure == f"{round(100 * 0.5 * limits / total)}%"
    page = text_of(client.get("/"))
    assert "Mastery" in page and "right on your exam day" in page


def test_with_an_exam_the_home_shows_its_predicted_score_and_range(client, learner):
    BlueprintFactory(title="Mini exam", pass_mark=70)
    page = text_of(client.get("/"))
    assert "Predicted score" in page
    assert re.search(r"Mini exam on \d+ \w+: 8 times out of 10 between \d+ and \d+", page)
    assert "chance to pass if you studied nothing more" in page


def test_signed_in_home_takes_a_fixed_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    client.get("/")  # creates the learner's settings once
    with django_assert_max_num_queries(24):
        assert client.get("/").status_code == 200


def test_a_new_sign_up_lands_on_the_three_first_steps(client, loaded_course):

    response = client.post(
        "/accounts/signup/",
        {"username": "fresh", "email": "", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    page = text_of(response)
    assert response.redirect_chain[-1][0] == "/"
    assert "Three steps to start" in page and "Set your exam and date" in page


def test_topics_come_in_course_order_even_from_a_counting_query(loaded_course):
    """Meta.ordering is dropped from GROUP BY queries, so PostgreSQL once listed pricing before
    limits on the home page (its first step read "Read Pricing")."""
    from quizzes import selectors

    query = str(selectors.topics_with_counts().query)
    assert query.rstrip().endswith(
        'ORDER BY "quizzes_topic"."order" ASC, "quizzes_topic"."slug" ASC'
    )
    assert [t.slug for t in selectors.topics_with_counts()] == ["limits", "pricing"]
