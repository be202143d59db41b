"""The dashboard, settings and their checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Card, LearnerSettings, Question
from quizzes.study import reviews, scheduler

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_today_forecast_retention_and_mastery(client, learner):
    now = timezone.now()
    settings = reviews.learner_settings(learner)
    question = Question.objects.get(uid="fx-timeout")
    for day, rating in ((0, 4), (9, 3)):
        reviews.review_grade(user=learner, question=question, rating=rating, nonce=f"d{day}",
                             now=now - timedelta(days=20 - day), settings=settings)  # fmt: skip
    page = client.get("/dashboard/").content.decode()
    assert "How ready you are" in page
    assert "Cards due per day for the next 30 days" in page and "<rect" in page
    assert "True retention, last 30 days" in page
    assert "1 / 1" in page, "one review of a Review-state card, remembered"
    assert "Limits" in page and 'aria-label="Limits: ' in page


def test_an_exam_date_shows_the_daily_load_until_then(client, learner):
    settings = reviews.learner_settings(learner)
    settings.exam_date = (timezone.now() + timedelta(days=10)).date()
    settings.save()
    page = client.get("/dashboard/").content.decode()
    assert "Until your exam on" in page and "study days left" in page


def test_the_dashboard_needs_login_and_a_fixed_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    now = timezone.now()
    reviewed = {"state": 2, "stability": 5, "difficulty": 5, "reps": 2, "due": now,
                "last_review": now - timedelta(days=4)}  # fmt: skip
    Card.objects.bulk_create(
        [Card(user=learner, question=q, **reviewed) for q in Question.objects.all()]
    )
    # 25 (one asks which team exams hold questions) plus 6 when the site's readiness fit is
    # refreshed (an empty cache, as here).
    with django_assert_max_num_queries(31):
        assert client.get("/dashboard/").status_code == 200
    client.logout()
    assert client.get("/dashboard/").status_code == 302


def test_settings_are_saved_and_bad_values_explained(client, learner):
    good = {"desired_retention": "0.85", "new_per_day": "30", "max_reviews_per_day": "150",
            "max_interval_days": "180", "time_zone": "Europe/Paris", "exam_date": ""}  # fmt: skip
    assert client.post("/settings/", good).status_code == 302
    saved = LearnerSettings.objects.get(user=learner)
    assert saved.desired_retention == 0.85 and saved.time_zone == "Europe/Paris"
    page = client.post(
        "/settings/", {**good, "desired_retention": "0.99", "time_zone": "Mars/Olympus"}
    )
    text = page.content.decode()
    assert "Ensure this value is less than or equal to 0.97." in text
    assert "is not a time zone name" in text
    assert 'value="Mars/Olympus"' in text


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati"])
def test_the_streak_counts_consecutive_study_days_in_the_learners_zone(client, learner, zone):
    settings = reviews.learner_settings(learner)
    settings.time_zone = zone
    settings.save()
    question = Question.objects.get(uid="fx-timeout")
    # An hour into each study day, so no review falls across the 4 a.m. boundary.
    today_start = scheduler.day_start(timezone.now(), settings.scheduler_settings())
    for days_ago in (0, 1, 2, 4):  # a gap three days ago ends the streak at 3
        for n in range(2):  # two reviews a day count once
            reviews.review_grade(
                user=learner,
                question=question,
                rating=3,
                nonce=f"s{days_ago}-{n}",
                now=today_start - timedelta(days=days_ago) + timedelta(hours=1, minutes=n),
                settings=settings,
            )
    page = client.get("/dashboard/").content.decode()
    assert '<span class="stat-value">3</span><span class="stat-label">day streak</span>' in page


def test_settings_number_boxes_carry_the_limits_the_server_applies(client, db):
    import re

    client.force_login(UserFactory())
    page = client.get("/settings/").content.decode()
    assert re.search(r'name="new_per_day"[^>]*max="500"', page) or re.search(
        r'max="500"[^>]*name="new_per_day"', page
    )
    assert re.search(
        r'max="9999"[^>]*name="max_reviews_per_day"|name="max_reviews_per_day"[^>]*max="9999"', page
    )
