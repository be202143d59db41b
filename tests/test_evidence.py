"""Topics told apart: each mastery says how many answers it rests on, with an interval and a word,
and topics are ranked by what the learner got wrong until mastery rests on enough answers."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from quizzes.models import Question
from quizzes.study import evidence, quiz

from .factories import BlueprintFactory, UserFactory


def test_few_answers_rank_topics_by_what_was_got_wrong_not_by_noise():
    mastery = {"limits": 0.16, "pricing": 0.12, "vpc": 0.15}
    tallies = {"limits": (1, 4), "pricing": (2, 0), "vpc": (0, 1)}
    ranking = evidence.rank_topics(["limits", "pricing", "vpc"], mastery, tallies)
    assert not ranking.by_mastery
    assert [t.slug for t in ranking.topics] == ["limits", "vpc", "pricing"]
    assert ranking.weakest.slug == "limits" and ranking.weakest.confidence == "little evidence"


def test_enough_answers_everywhere_rank_by_mastery():
    tallies = {"a": (10, 5), "b": (30, 2)}
    ranking = evidence.rank_topics(["a", "b"], {"a": 0.6, "b": 0.3}, tallies)
    assert ranking.by_mastery and [t.slug for t in ranking.topics] == ["b", "a"]
    assert ranking.topics[0].confidence == "solid evidence"


def test_the_interval_is_wide_on_three_answers_and_narrows_with_more():
    few = evidence.TopicEvidence("a", 0.2, right=1, wrong=2)
    many = evidence.TopicEvidence("a", 0.2, right=100, wrong=200)
    assert few.interval[1] - few.interval[0] > 40
    assert many.interval[1] - many.interval[0] < 10
    assert evidence.TopicEvidence("a", 0.2, 0, 0).interval is None


@given(st.integers(0, 500), st.integers(0, 500))
def test_the_wilson_interval_holds_the_observed_share(right, wrong):
    total = right + wrong
    low, high = evidence.wilson(right, total)
    assert 0 <= low <= high <= 1
    if total:
        assert low - 1e-9 <= right / total <= high + 1e-9


@pytest.mark.django_db
def test_the_dashboard_names_the_evidence_and_ranks_by_wrong_answers(client, loaded_course):
    BlueprintFactory(
        slug="mini", title="Mini exam", topic_weights={"limits": 1},
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1},
    )  # fmt: skip
    user = UserFactory(username="poor")
    attempt = quiz.quiz_start(user=user, filters=quiz.Filters(topics=("pricing",), count=3))
    for item in attempt.items.select_related("question"):
        wrong = [c["key"] for c in item.question.choices if not c.get("correct")][:1]
        typed = "0.01" if item.question.type == "numeric" else ""
        quiz.quiz_answer(item=item, selected=wrong, typed=typed, now=timezone.now())
    answered = attempt.items.count()
    client.force_login(user)
    page = re.sub(r"\s+", " ", client.get("/dashboard/").content.decode())
    assert "Ranked by the answers you got wrong" in page
    prediction = page.split('id="prediction-title"', 1)[1].split("</p>", 1)[0]
    assert f"<strong>{answered} answer" in prediction and "too few to say much yet" in prediction
    mastery = page.split('id="mastery-title"', 1)[1]
    # Pricing, where every answer was wrong, comes first, and says what it rests on.
    assert mastery.index("Pricing") < mastery.index("Limits")
    assert f"based on {answered} answer{'s' if answered > 1 else ''}, {answered} wrong" in mastery
    assert "little evidence" in mastery and "(80% interval)" in mastery
    assert "no answers yet: a guess" in mastery
    home = re.sub(r"\s+", " ", client.get("/").content.decode())
    weakest = home.split("Weakest topic", 1)[1][:600]
    assert "Pricing" in weakest and f"Based on {answered} answer" in weakest
    assert Question.objects.filter(topic__slug="pricing").exists()
