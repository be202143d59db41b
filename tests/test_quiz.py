"""Practice quizzes: filters, one question at a time, all-or-nothing marking, summary, privacy."""

from __future__ import annotations

import re

import pytest

from quizzes.costs import exercises
from quizzes.models import Card, QuizAttempt, QuizItem, ReviewLog
from quizzes.study.answering import public_key

from .factories import UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(client, loaded_course):
    user = UserFactory()
    client.force_login(user)
    return user


def start(client, **data) -> QuizAttempt:
    response = client.post("/quiz/", {"mode": "all", "count": 10, **data})
    assert response.status_code == 302, response.content.decode()
    return QuizAttempt.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def right_keys(item: QuizItem) -> list[str]:
    return [c["key"] for c in item.question.choices if c["correct"]]


def answer(client, item: QuizItem, **data) -> str:
    """Post authored keys as the page does: each as this item's opaque public key."""
    url = f"/quiz/{item.attempt_id}/answer/{item.position}/"
    if "choice" in data:
        keys = [data["choice"]] if isinstance(data["choice"], str) else data["choice"]
        data["choice"] = [public_key(item.seed, key) for key in keys]
    return client.post(url, data, headers=HTMX).content.decode()


def test_the_start_page_ticks_the_topic_from_a_note(client, learner):
    page = client.get("/quiz/?topic=limits").content.decode()
    assert re.search(r'value="limits"[^>]*checked', page)


def test_filters_choose_the_questions_and_flashcards_never_appear(client, learner):
    attempt = start(client, topics=["limits"], difficulty="easy")
    uids = set(attempt.items.values_list("question__uid", flat=True))
    assert uids == {"fx-timeout", "fx-tmp-tf"}
    attempt = start(client, exam="saa-c03")
    assert set(attempt.items.values_list("question__uid", flat=True)) == {"fx-ten-gb"}


def test_no_matching_question_is_explained_on_the_form(client, learner):
    page = client.post(
        "/quiz/", {"mode": "all", "count": 5, "topics": ["pricing"], "exam": "dva-c02"}
    )
    assert "No question matches these choices" in page.content.decode()


def test_a_whole_quiz_with_feedback_and_a_summary_per_topic(client, learner):
    attempt = start(client, topics=["limits", "pricing"])
    items = list(attempt.items.select_related("question"))
    assert len(items) == 4
    for item in items:
        page = client.get(f"/quiz/{attempt.pk}/").content.decode()
        assert f"Question {item.position} of 4" in page
        if item.question.type == "numeric":
            exercise = exercises.Exercise.from_spec(item.question.exercise)
            value = exercises.solve(exercise, exercises.draw(exercise, item.seed)).answer
            page = answer(client, item, answer=f"${value}")
        elif item.question.uid == "fx-tmp-tf":
            page = answer(client, item, choice="true")  # wrong on purpose
        else:
            page = answer(client, item, choice=right_keys(item))
        assert "Right." in page or "Not quite." in page
    page = client.get(f"/quiz/{attempt.pk}/").content.decode()
    assert "You scored 3 of 4 (75%)" in page
    assert "Review the 1 missed question" in page
    missed = client.get(f"/quiz/{attempt.pk}/missed/").content.decode()
    assert (
        "/tmp can never hold more than 512 MB." in missed
        and "512 MB is only the default." in missed
    )
    attempt.refresh_from_db()
    assert attempt.finished_at is not None


def test_multiple_response_is_all_or_nothing_and_says_how_many_to_choose(client, learner):
    attempt = start(client, exam="saa-c03")
    item = attempt.items.get()
    page = client.get(f"/quiz/{attempt.pk}/").content.decode()
    assert "Choose two." in page and 'type="checkbox"' in page
    right = right_keys(item)
    page = answer(client, item, choice=right[:1])
    assert "Choose two answers (you chose 1)." in page
    item.refresh_from_db()
    assert item.answered_at is None, "a count mistake is not a wrong mark"
    wrong = [c["key"] for c in item.question.choices if not c["correct"]]
    page = answer(client, item, choice=[right[0], wrong[0]])
    assert "Not quite." in page


def test_a_cost_exercise_takes_gibberish_without_marking_it(client, learner):
    attempt = start(client, topics=["pricing"])
    item = attempt.items.get()
    page = answer(client, item, answer="twelve bucks")
    assert "Please enter a dollar amount" in page and 'value="twelve bucks"' in page
    item.refresh_from_db()
    assert item.answered_at is None


def test_an_answer_posted_twice_is_graded_once(client, learner):
    attempt = start(client, topics=["limits"], difficulty="easy")
    item = attempt.items.get(question__uid="fx-tmp-tf")
    answer(client, item, choice="false")
    page = answer(client, item, choice="true")
    assert "Right." in page
    item.refresh_from_db()
    assert item.correct is True
    assert ReviewLog.objects.filter(user=learner, source="quiz").count() == 1


def test_a_wrong_answer_makes_the_card_due_soon(client, learner):
    attempt = start(client, topics=["limits"], difficulty="easy")
    item = attempt.items.get(question__uid="fx-tmp-tf")
    answer(client, item, choice="true")
    card = Card.objects.get(user=learner, question=item.question)
    log = ReviewLog.objects.get(card=card)
    assert log.rating == 1 and log.source == "quiz"
    assert (card.due - log.reviewed_at).total_seconds() <= 600


def test_only_ones_i_got_wrong_and_not_seen_yet(client, learner):
    attempt = start(client, topics=["limits"], difficulty="easy")
    for item in attempt.items.all():
        answer(
            client, item, choice="true" if item.question.uid == "fx-tmp-tf" else right_keys(item)
        )
    wrong = start(client, mode="wrong")
    assert list(wrong.items.values_list("question__uid", flat=True)) == ["fx-tmp-tf"]
    unseen = start(client, mode="unseen", topics=["limits"])
    assert set(unseen.items.values_list("question__uid", flat=True)) == {"fx-ten-gb"}


def test_another_learners_quiz_is_not_found(client, learner):
    other = UserFactory()
    client.force_login(other)
    attempt = start(client, topics=["limits"])
    client.force_login(learner)
    assert client.get(f"/quiz/{attempt.pk}/").status_code == 404
    assert client.get(f"/quiz/{attempt.pk}/missed/").status_code == 404
    assert client.post(f"/quiz/{attempt.pk}/answer/1/", {"choice": "a"}).status_code == 404


def test_no_answer_key_before_answering(client, learner):
    attempt = start(client, topics=["limits"])
    for item in attempt.items.select_related("question"):
        page = client.get(f"/quiz/{attempt.pk}/").content.decode()
        body = page.split('id="quiz-step"')[1]
        assert "rationale" not in body and "is-correct" not in body
        assert "The maximum timeout is" not in body and "Memory and /tmp go up to" not in body
        answer(client, item, choice=right_keys(item) or ["false"])


def test_choose_two_is_said_once_when_the_stem_already_says_it(db):
    from quizzes.models import Question
    from quizzes.study import answering

    from .factories import QuestionFactory

    choices = [{"key": k, "html": k, "correct": k in "ab", "rationale_html": ""} for k in "abcd"]
    said = QuestionFactory(type=Question.Type.MULTIPLE, choose=2, choices=choices,
                           stem_html="<p>Which two? (Choose two.)</p>")  # fmt: skip
    assert answering.present(said, "s").instruction == ""
    unsaid = QuestionFactory(type=Question.Type.MULTIPLE, choose=2, choices=choices,
                             stem_html="<p>Which of these?</p>")  # fmt: skip
    assert answering.present(unsaid, "s").instruction == "Choose two."


def test_choice_values_in_a_quiz_page_are_opaque(client, learner):
    attempt = start(client, topics=["limits"])  # single, multiple, true/false: all have choices
    page = client.get(f"/quiz/{attempt.pk}/").content.decode()
    values = re.findall(r'name="choice" value="([^"]+)"', page)
    assert values and all(re.fullmatch(r"[0-9a-f]{12}", value) for value in values)


def test_a_quiz_page_and_an_answer_read_a_fixed_number_of_queries(
    client, learner, django_assert_max_num_queries
):
    """The page notes the first showing through the service; the answer reads the items once
    more for the summary and takes the answered item from them (it read it again by itself)."""
    attempt = start(client, topics=["limits"])
    item = attempt.items.select_related("question").order_by("position").first()
    with django_assert_max_num_queries(6):
        client.get(f"/quiz/{attempt.pk}/", headers=HTMX)
    with django_assert_max_num_queries(27):
        page = answer(client, item, choice=right_keys(item))
    assert "Right." in page
    item.refresh_from_db()
    assert item.shown_at is not None and item.duration_ms is not None
