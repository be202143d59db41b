"""The settings page says what it does: no past exam date, the certification with its mock exam
underneath, time zones from a list, and a streak line that knows today is done."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Blueprint
from quizzes.forms import LearnerSettingsForm, target_choices
from quizzes.models import LearnerSettings, Question
from quizzes.study import reviews
from tests.factories import BlueprintFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def _post(client, **changes):
    data = {
        "desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200",
        "max_interval_days": "365", "time_zone": "UTC", "exam_date": "", "target_exam": "",
    } | changes  # fmt: skip
    return client.post("/settings/", data)


def test_a_past_exam_date_is_refused_with_a_reason_and_nothing_is_lost(client, learner):
    yesterday = timezone.now().date() - timedelta(days=2)
    response = _post(client, exam_date=yesterday.isoformat(), new_per_day="31")
    assert response.status_code == 200
    page = text_of(response)
    assert f"{yesterday:%-d %B %Y} has passed" in page
    assert 'value="31"' in page  # what was typed stays in the form
    settings = LearnerSettings.objects.get(user=learner)
    assert settings.exam_date is None and settings.new_per_day == 20


def test_today_or_a_later_exam_date_saves(client, learner):
    later = timezone.now().date() + timedelta(days=30)
    assert _post(client, exam_date=later.isoformat()).status_code == 302
    assert LearnerSettings.objects.get(user=learner).exam_date == later


def test_the_target_lists_certifications_with_their_mock_exams_underneath(client, learner):
    BlueprintFactory(
        slug="mini", title="Mini exam", difficulty_mix={"easy": 1, "medium": 1, "hard": 1}
    )
    page = client.get("/settings/").content.decode()
    for name in ("CLF-C02", "SAA-C03", "DVA-C02"):
        assert re.search(rf'<optgroup label="[^"]*\({name}\)">', page), name
    sprint = Blueprint.objects.first()
    assert f'value="dva-c02:{sprint.slug}"' in page
    assert _post(client, target_exam=f"saa-c03:{sprint.slug}").status_code == 302
    settings = LearnerSettings.objects.get(user=learner)
    assert (settings.target_certification, settings.target_exam) == ("saa-c03", sprint.slug)
    page = client.get("/settings/").content.decode()
    assert f'value="saa-c03:{sprint.slug}" selected' in page


def test_a_blueprint_tagged_for_one_certification_is_listed_under_it_only():
    choices = target_choices([("dev", "Developer set", "dva-c02"), ("all", "Any", "")])
    groups = dict(choices[1:])
    assert [v for v, _ in groups["Developer Associate (DVA-C02)"]] == ["dva-c02:dev", "dva-c02:all"]
    assert [v for v, _ in groups["Cloud Practitioner (CLF-C02)"]] == ["clf-c02:all"]


def test_an_unknown_target_is_refused():
    form = LearnerSettingsForm(
        {"desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200",
         "max_interval_days": "365", "time_zone": "UTC", "target_exam": "dva-c02:nope"},
        instance=LearnerSettings(), exams=[("real", "Real", "")],
    )  # fmt: skip
    assert not form.is_valid() and "target_exam" in form.errors


def test_time_zones_come_from_a_searchable_list_and_the_browser_may_prefill_it(client, learner):
    page = client.get("/settings/").content.decode()
    assert 'list="time-zones"' in page and '<datalist id="time-zones">' in page
    assert '<option value="Europe/Madrid">' in page and '<option value="US/Pacific">' not in page
    assert "data-browser-zone" in page  # never saved: the static script offers the browser's
    assert "<script>" not in page
    assert _post(client, time_zone="Europe/Madrid").status_code == 302
    page = client.get("/settings/").content.decode()
    assert "data-browser-zone" not in page
    response = _post(client, time_zone="Mars/Olympus")
    assert "is not a time zone name" in text_of(response)


def test_the_streak_stops_asking_once_today_is_reviewed(client, learner):
    now = timezone.now()
    question = Question.objects.exclude(type="numeric").first()
    settings = reviews.learner_settings(learner)
    reviews.review_grade(user=learner, question=question, rating=3, nonce="yesterday",
                         now=now - timedelta(days=1), settings=settings)  # fmt: skip
    page = text_of(client.get("/"))
    assert "Review today to keep it going." in page
    reviews.review_grade(user=learner, question=question, rating=3, nonce="today", now=now,
                         settings=settings)  # fmt: skip
    page = text_of(client.get("/"))
    assert "Review today to keep it going." not in page
    assert "Today counts: come back tomorrow to keep it going." in page


def test_a_folder_or_a_path_as_time_zone_is_refused_not_a_500(client, learner):
    later = (timezone.now().date() + timedelta(days=5)).isoformat()
    for zone in ("Europe", "../etc/passwd", "a" * 300):
        response = _post(client, time_zone=zone, exam_date=later)
        assert response.status_code == 200, zone
        assert "is not a time zone name" in text_of(response) or "at most" in text_of(response)
