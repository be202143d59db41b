"""Exam results to learn from: filters with and without htmx, flags, add to review, note sections,
pages of ten, the pre-submit review's excerpts, and a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from exams.models import Blueprint, ExamAttempt
from exams.sitting import results, services
from quizzes.models import Card
from tests.pages import text_of

from .factories import BlueprintFactory, QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def make_blueprint(**fields) -> Blueprint:
    defaults = {"title": "Mini exam", "difficulty_mix": {"easy": 1, "medium": 1, "hard": 1}}
    return BlueprintFactory(**{**defaults, **fields})


@pytest.fixture
def candidate(client, loaded_course):
    user = UserFactory()
    client.force_login(user)
    return user


def _sit(user, *, answers: dict[int, str], flags=(), blueprint=None) -> ExamAttempt:
    """Start, answer ("right", "wrong" or leave out), flag, submit."""
    now = timezone.now()
    attempt = services.attempt_start(user=user, blueprint=blueprint or make_blueprint(), now=now)
    for item in attempt.items.select_related("question"):
        how = answers.get(item.position)
        choices = item.question.choices
        if how == "right":
            selected = [c["key"] for c in choices if c["correct"]]
        elif how == "wrong":
            selected = [c["key"] for c in choices if not c["correct"]][: item.question.choose]
        else:
            selected = []
        services.attempt_save_authored(attempt=attempt, position=item.position, selected=selected,
                                       flagged=item.position in flags, seq=1, now=now)  # fmt: skip
    return services.attempt_submit(attempt=attempt, now=now)


# The pure rules


def test_filters_keep_wrong_unanswered_flagged_and_one_topic():
    items = [
        results.ItemState(1, "limits", True, True, False),
        results.ItemState(2, "limits", True, False, True),
        results.ItemState(3, "pricing", False, False, True),
    ]
    assert [i.position for i in items if results.keeps("wrong", "", i)] == [2]
    assert [i.position for i in items if results.keeps("unanswered", "", i)] == [3]
    assert [i.position for i in items if results.keeps("flagged", "", i)] == [2, 3]
    assert [i.position for i in items if results.keeps("all", "pricing", i)] == [3]
    assert results.counts(items) == {"all": 3, "wrong": 1, "unanswered": 1, "flagged": 2}
    assert results.clean_filter("nonsense") == "all"


def test_a_question_finds_the_note_heading_its_tags_name():
    toc = (
        '<ul><li><a href="#why">Why the numbers matter</a></li>'
        '<li><a href="#compute-memory-cpu-and-time">Compute: memory, CPU and time</a></li>'
        '<li><a href="#storage-tmp">Storage: /tmp and packages</a></li></ul>'
    )
    assert results.section_anchor(toc, ["dva-c02", "memory", "misconception"]) == (
        "compute-memory-cpu-and-time"
    )
    assert results.section_anchor(toc, ["ephemeral-storage"]) == "storage-tmp"
    assert results.section_anchor(toc, ["clf-c02"]) == ""


# The page


def test_results_filter_to_wrong_answers_with_and_without_htmx(client, candidate):
    attempt = _sit(candidate, answers={1: "right", 2: "wrong"}, flags={2})
    url = f"/exams/attempt/{attempt.pk}/results/"
    page = text_of(client.get(url))
    assert "Question 1 ·" in page and "Question 2 ·" in page
    assert re.search(r'aria-current="true">All <span class="count">2</span>', page)
    assert 'Wrong <span class="count">1</span>' in page
    assert "⚑ flagged" in page

    wrong = text_of(client.get(url, {"show": "wrong"}))
    assert "Question 2 ·" in wrong and "Question 1 ·" not in wrong
    assert "<h1>" in wrong  # a whole page without JavaScript

    fragment = text_of(client.get(url, {"show": "wrong"}, headers=HTMX))
    assert fragment.lstrip().startswith('<section id="results-questions"')
    assert "Question 2 ·" in fragment and "Question 1 ·" not in fragment

    flagged = text_of(client.get(url, {"show": "flagged"}))
    assert "Question 2 ·" in flagged and "Question 1 ·" not in flagged
    none = text_of(client.get(url, {"show": "unanswered"}))
    assert "No unanswered questions." in none


def test_results_filter_by_topic_and_ignore_an_unknown_one(client, candidate):
    attempt = _sit(candidate, answers={1: "right"})
    url = f"/exams/attempt/{attempt.pk}/results/"
    assert "Question 1 ·" in text_of(client.get(url, {"topic": "limits"}))
    assert "Question 1 ·" in text_of(client.get(url, {"topic": "<script>"}))
    assert "<script>" not in client.get(url, {"topic": "<script>"}).content.decode()


def test_a_wrong_item_is_already_in_reviews_and_an_unanswered_one_can_be_added(client, candidate):
    attempt = _sit(candidate, answers={2: "wrong"})
    url = f"/exams/attempt/{attempt.pk}/results/"
    page = text_of(client.get(url))
    wrong_part = page.split("Question 2 ·", 1)[1]
    assert "In your reviews" in wrong_part.split("Read the note section")[0]
    unanswered_part = page.split("Question 1 ·", 1)[1].split("Question 2 ·")[0]
    assert "Add to review" in unanswered_part
    assert 'href="/notes/limits/' in unanswered_part and "Read the note section" in unanswered_part

    item = attempt.items.get(position=1)
    response = client.post(f"/exams/attempt/{attempt.pk}/items/1/review/", headers=HTMX)
    assert "In your reviews" in response.content.decode()
    card = Card.objects.get(user=candidate, question_id=item.question_id)
    assert card.state != Card.State.NEW
    # Twice is once; without JavaScript it comes back to the filtered list.
    response = client.post(
        f"/exams/attempt/{attempt.pk}/items/1/review/", {"next": f"{url}?show=unanswered"}
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?show=unanswered"
    response = client.post(
        f"/exams/attempt/{attempt.pk}/items/1/review/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == url
    assert Card.objects.filter(user=candidate, question_id=item.question_id).count() == 1


def test_only_a_submitted_own_attempt_can_add_to_review(client, candidate):
    now = timezone.now()
    attempt = services.attempt_start(user=candidate, blueprint=make_blueprint(), now=now)
    assert client.post(f"/exams/attempt/{attempt.pk}/items/1/review/").status_code == 404
    services.attempt_submit(attempt=attempt, now=now)
    client.force_login(UserFactory())
    assert client.post(f"/exams/attempt/{attempt.pk}/items/1/review/").status_code == 404
    assert client.get(f"/exams/attempt/{attempt.pk}/items/1/review/").status_code == 405


@pytest.mark.parametrize("size", [12, 40])
def test_a_long_exam_shows_ten_questions_a_page_in_a_fixed_number_of_queries(
    client, candidate, size, django_assert_max_num_queries
):
    topic = TopicFactory(slug="sized")
    QuestionFactory.create_batch(size, topic=topic)
    blueprint = make_blueprint(slug=f"s{size}", question_count=size, scored_count=size,
                               topic_weights={"sized": 1})  # fmt: skip
    attempt = _sit(candidate, answers={}, blueprint=blueprint)
    url = f"/exams/attempt/{attempt.pk}/results/"
    with django_assert_max_num_queries(14):
        page = text_of(client.get(url))
    assert page.count('class="review-card result-item') == 10
    assert f"Questions 1–10 of {size}" in page and "Page 1 of" in page
    last = text_of(client.get(url, {"page": "99"}))
    assert f"of {size}." in last and 'rel="prev"' in last


def test_a_spanish_learners_results_name_the_topics_in_spanish(client, candidate):
    topic = TopicFactory(slug="sized", translations={"es": {"title": "Medidas"}})
    QuestionFactory.create_batch(3, topic=topic)
    blueprint = make_blueprint(question_count=3, scored_count=3, topic_weights={"sized": 1})
    attempt = _sit(candidate, answers={1: "right"}, blueprint=blueprint)
    page = text_of(client.get(f"/exams/attempt/{attempt.pk}/results/", HTTP_ACCEPT_LANGUAGE="es"))
    by_topic = page[page.index("Por tema") :]
    assert "Medidas" in by_topic and "Sized" not in by_topic


def test_the_review_before_submit_shows_an_excerpt_and_links_to_each_question(client, candidate):
    now = timezone.now()
    attempt = services.attempt_start(user=candidate, blueprint=make_blueprint(), now=now)
    services.attempt_save_authored(
        attempt=attempt, position=1, selected=[], flagged=True, seq=1, now=now
    )
    page = text_of(client.get(f"/exams/attempt/{attempt.pk}/review/"))
    assert 'class="stem-excerpt"' in page
    first = attempt.items.select_related("question").get(position=1)
    words = re.sub(r"<[^>]+>", "", first.question.stem_html).split()[:4]
    assert " ".join(words) in page
    assert f'href="/exams/attempt/{attempt.pk}/?q=1"' in page
    assert "Flagged" in page


def test_results_are_the_candidates_own(client, candidate):
    attempt = _sit(candidate, answers={1: "right"})
    client.force_login(UserFactory())
    assert client.get(f"/exams/attempt/{attempt.pk}/results/").status_code == 404


def test_the_attempts_list_reads_scores_one_way(client, candidate):
    _sit(candidate, answers={1: "right", 2: "right"})
    scaled = make_blueprint(slug="scaled", title="Scaled", scoring="scaled", pass_mark=700)
    _sit(candidate, answers={}, blueprint=scaled)
    page = text_of(client.get("/exams/"))
    assert "100%" in page and "Pass" in page
    assert "100 / 1,000" in page and "Fail" in page
