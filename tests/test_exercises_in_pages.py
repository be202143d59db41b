"""Cost exercises in the browser's terms: seeded numbers per attempt, grading, worked solution."""

from __future__ import annotations

import re

import pytest

from quizzes.costs import exercises
from quizzes.models import ExerciseAttempt, Question

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def stem_numbers(page: str) -> str:
    return re.search(r"runs <strong>([\d,]+)</strong> times a month for (\d+) ms", page).group(0)


def expected_answer(user, uid="fx-requests-bill") -> str:
    attempt = ExerciseAttempt.objects.filter(user=user, question__uid=uid).latest("created_at")
    question = attempt.question
    exercise = exercises.Exercise.from_spec(question.exercise)
    return str(exercises.solve(exercise, exercises.draw(exercise, attempt.seed)).answer)


def test_the_note_embeds_a_working_exercise_widget(client, learner):
    page = client.get("/notes/pricing/").content.decode()
    assert 'class="exercise"' in page and 'name="answer"' in page
    assert "{requests}" not in page, "the stem shows drawn numbers, not placeholders"
    assert 'hx-post="/exercises/fx-requests-bill/"' in page


def test_the_same_attempt_always_shows_the_same_numbers(client, learner):
    first = stem_numbers(client.get("/notes/pricing/").content.decode())
    for _ in range(3):
        assert stem_numbers(client.get("/notes/pricing/").content.decode()) == first
        assert stem_numbers(client.get("/exercises/fx-requests-bill/").content.decode()) == first
    assert ExerciseAttempt.objects.filter(user=learner).count() == 1


def test_a_new_attempt_draws_new_numbers(client, learner):
    seen = {stem_numbers(client.get("/notes/pricing/").content.decode())}
    for _ in range(8):
        page = client.post("/exercises/fx-requests-bill/new/", headers=HTMX).content.decode()
        seen.add(stem_numbers(page))
    assert len(seen) > 1
    assert ExerciseAttempt.objects.filter(user=learner).count() == 9


def test_a_right_answer_in_any_usual_format_is_marked_right_with_the_worked_solution(
    client, learner
):
    client.get("/notes/pricing/")
    answer = expected_answer(learner)
    page = client.post(
        "/exercises/fx-requests-bill/", {"answer": f" ${answer} USD"}, headers=HTMX
    ).content.decode()
    assert "Right." in page and "Worked solution" in page
    assert "free" in page.lower()
    attempt = ExerciseAttempt.objects.get(user=learner)
    assert attempt.correct is True and attempt.answered_at is not None


def test_a_wrong_answer_is_marked_wrong_and_shows_the_right_one(client, learner):
    client.get("/notes/pricing/")
    answer = expected_answer(learner)
    page = client.post(
        "/exercises/fx-requests-bill/", {"answer": "999.99"}, headers=HTMX
    ).content.decode()
    assert "Not quite." in page and f"${answer}" in page


def test_gibberish_asks_for_a_dollar_amount_and_keeps_what_was_typed(client, learner):
    client.get("/notes/pricing/")
    page = client.post(
        "/exercises/fx-requests-bill/", {"answer": "about ten"}, headers=HTMX
    ).content.decode()
    assert "Please enter a dollar amount" in page
    assert 'value="about ten"' in page
    assert ExerciseAttempt.objects.get(user=learner).answered_at is None


def test_no_answer_or_solution_is_in_the_page_before_answering(client, learner):
    client.get("/notes/pricing/")
    answer = expected_answer(learner)
    for url in ("/notes/pricing/", "/exercises/fx-requests-bill/"):
        page = client.get(url).content.decode()
        widget = page[page.index('<section class="exercise"') :].split("</section>")[0]
        assert "Worked solution" not in page
        assert f"${answer}" not in widget and f">{answer}<" not in widget


def test_visitors_can_practise_with_numbers_kept_in_their_session(client, loaded_course):
    first = stem_numbers(client.get("/notes/pricing/").content.decode())
    assert stem_numbers(client.get("/notes/pricing/").content.decode()) == first
    page = client.post(
        "/exercises/fx-requests-bill/", {"answer": "1.00"}, headers=HTMX
    ).content.decode()
    assert "Worked solution" in page
    assert stem_numbers(page) == first
    assert ExerciseAttempt.objects.count() == 0


def test_without_javascript_the_answer_form_posts_to_a_full_page(client, learner):
    client.get("/notes/pricing/")
    page = client.post("/exercises/fx-requests-bill/", {"answer": "1"}).content.decode()
    assert "<html" in page and "Worked solution" in page
    response = client.post("/exercises/fx-requests-bill/new/")
    assert response.status_code == 302 and response.url == "/exercises/fx-requests-bill/"


def test_posts_need_a_csrf_token(loaded_course):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/exercises/fx-requests-bill/", {"answer": "1"}).status_code == 403
    assert strict.post("/exercises/fx-requests-bill/new/").status_code == 403


def test_only_live_numeric_questions_are_exercises(client, learner):
    assert client.get("/exercises/fx-timeout/").status_code == 404
    Question.objects.filter(uid="fx-requests-bill").update(retired_at="2026-01-01T00:00:00Z")
    assert client.get("/exercises/fx-requests-bill/").status_code == 404


def test_the_note_page_takes_a_fixed_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    client.get("/notes/pricing/")
    with django_assert_max_num_queries(8):
        client.get("/notes/pricing/")


def test_new_numbers_are_never_the_numbers_just_seen(client, learner):
    """fx-requests-bill has 16 sets of numbers: a bare new seed repeats them 1 time in 16."""
    question = Question.objects.get(uid="fx-requests-bill")
    exercise = exercises.Exercise.from_spec(question.exercise)
    client.get("/notes/pricing/")
    for _ in range(12):
        seen = ExerciseAttempt.objects.filter(user=learner).latest("created_at").seed
        client.post("/exercises/fx-requests-bill/new/", headers=HTMX)
        newest = ExerciseAttempt.objects.filter(user=learner).latest("created_at").seed
        assert exercises.draw(exercise, newest) != exercises.draw(exercise, seen)


def test_after_a_wrong_answer_new_numbers_are_offered(client, learner):
    """The worked steps are on screen after a wrong answer: the same numbers would be a copy."""
    client.get("/notes/pricing/")
    page = client.post(
        "/exercises/fx-requests-bill/", {"answer": "999.99"}, headers=HTMX
    ).content.decode()
    assert "Try again with new numbers" in page and "same numbers" not in page
    assert 'hx-post="/exercises/fx-requests-bill/new/"' in page
    assert page.count("/exercises/fx-requests-bill/new/") == 2  # one form: action and hx-post
    seeds = set(ExerciseAttempt.objects.filter(user=learner).values_list("seed", flat=True))
    again = client.post("/exercises/fx-requests-bill/new/", headers=HTMX).content.decode()
    assert 'name="answer"' in again and "Not quite." not in again
    newest = ExerciseAttempt.objects.filter(user=learner).latest("created_at")
    assert newest.seed not in seeds
    right = client.post(
        "/exercises/fx-requests-bill/", {"answer": expected_answer(learner)}, headers=HTMX
    ).content.decode()
    assert "Right." in right and "Try again with new numbers" not in right
    assert "Try it with new numbers" in right
    first = ExerciseAttempt.objects.filter(user=learner).order_by("created_at").first()
    assert first.answer == "999.99" and first.correct is False
