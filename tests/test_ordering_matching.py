"""Ordering and matching: the bank format, answering without JavaScript, exams, results."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from exams.sitting import services
from quizzes.course.bank import parse_bank
from quizzes.models import Question
from quizzes.study import answering
from quizzes.study.answering import public_key

from .conftest import FIXTURE_COURSE, TESTS
from .factories import BlueprintFactory, UserFactory

EXTRA = TESTS / "fixtures" / "extra" / "ordering-matching.yaml"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def course(tmp_path, settings, db):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    shutil.copy(EXTRA, root / "banks" / EXTRA.name)
    settings.CONTENT_DIR = root
    call_command("load_content", stdout=StringIO())
    return root


def test_the_bank_checks_steps_pairs_and_distractors():
    text = EXTRA.read_text()
    assert parse_bank("b.yaml", text).problems == []
    bad = text.replace("      - Invoke the handler\n", "").replace(
        "      - Run the function's init code outside the handler\n", ""
    )
    assert [p.message for p in parse_bank("b.yaml", bad).problems] == [
        "'steps' needs 3 to 6 entries, found 2"
    ]
    bad = text.replace("Raises the account's Regional quota", "Reserved concurrency")
    messages = [p.message for p in parse_bank("b.yaml", bad).problems]
    assert any(m.startswith("distractor is also an answer or prompt") for m in messages)
    bad = text.replace("        answer: Caps and", "        anser: Caps and")
    messages = [p.message for p in parse_bank("b.yaml", bad).problems]
    assert "unknown key 'anser' in a pair (did you mean 'answer'?)" in messages


def test_a_page_shows_the_steps_shuffled_with_opaque_keys_and_a_select_per_position(course):
    question = Question.objects.get(uid="fx-cold-start-order")
    presented = answering.present(question, "seed-1")
    assert presented.input == "ordering" and [s.key for s in presented.slots] == list("1234")
    assert all(re.fullmatch(r"[0-9a-f]{12}", c.key) for c in presented.choices)
    orders = {tuple(c.html for c in answering.present(question, f"s{n}").choices) for n in range(8)}
    assert len(orders) > 1, "the order is shuffled per seed"


def _answer(question: Question, seed: str, right: bool) -> list[str]:
    """What the selects post: `position=step` or `prompt=answer`, in public keys."""
    if question.type == Question.Type.ORDERING:
        keys = [c["key"] for c in question.choices]
        if not right:
            keys[0], keys[1] = keys[1], keys[0]
        return [f"{n}={public_key(seed, key)}" for n, key in enumerate(keys, 1)]
    prompts = [c for c in question.choices if c.get("role") == "prompt"]
    pairs = [(p["key"], p["match"]) for p in prompts]
    if not right:
        pairs[0] = (pairs[0][0], "m4")
    return [f"{public_key(seed, p)}={public_key(seed, a)}" for p, a in pairs]


def test_grading_is_all_or_nothing_and_an_incomplete_answer_is_not_marked(course):
    for uid in ("fx-cold-start-order", "fx-concurrency-match"):
        question = Question.objects.get(uid=uid)
        right = answering.decode(question, "s", _answer(question, "s", True))
        wrong = answering.decode(question, "s", _answer(question, "s", False))
        assert answering.grade(question, "s", right).correct
        feedback = answering.grade(question, "s", wrong)
        assert not feedback.correct
        assert [row.correct for row in feedback.rows].count(False) in (1, 2)
        with pytest.raises(answering.AnswerError, match="for every"):
            answering.grade(question, "s", right[:-1])
    question = Question.objects.get(uid="fx-cold-start-order")
    twice = [f"{n}=a" for n in range(1, 5)]
    with pytest.raises(answering.AnswerError, match="chosen twice"):
        answering.grade(question, "s", twice)


def test_an_exam_with_ordering_and_matching_saves_grades_and_shows_the_key_after(client, course):
    user = UserFactory()
    client.force_login(user)
    blueprint = BlueprintFactory(slug="slots", title="Slots", topic_weights={"pricing": 1},
                                 difficulty_mix={"medium": 1})  # fmt: skip
    attempt = services.attempt_start(user=user, blueprint=blueprint, now=timezone.now())
    items = list(attempt.items.select_related("question").order_by("position"))
    assert {i.question.type for i in items} == {"ordering", "matching"}
    for item in items:
        page = client.get(f"/exams/attempt/{attempt.pk}/?q={item.position}").content.decode()
        assert page.count('<select id="slot-') == (4 if item.question.type == "ordering" else 3)
        right = item.position == 1
        client.post(
            f"/exams/attempt/{attempt.pk}/save/{item.position}/",
            {"choice": _answer(item.question, item.seed, right), "seq": "1"},
            headers=HTMX,
        )
        page = client.get(f"/exams/attempt/{attempt.pk}/?q={item.position}").content.decode()
        slots = 4 if item.question.type == "ordering" else 3
        question = page.split('id="exam-question"')[1]  # not the header's language switcher
        assert question.count(" selected>") == slots, "the saved answer is shown again"
    client.post(f"/exams/attempt/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.correct_count == 1 and attempt.score == 50
    results = client.get(f"/exams/attempt/{attempt.pk}/results/").content.decode()
    assert "Right answer" in results and results.count('class="is-wrong"') >= 1
    assert "Keeps execution environments initialised ahead of requests" in results
    client.force_login(UserFactory(instructor=True))
    analysis = client.get("/instructor/items/").content.decode()
    assert "fx-cold-start-order" in analysis and "fx-concurrency-match" in analysis


def test_a_quiz_takes_ordering_and_matching_answers(client, course):
    client.force_login(UserFactory())
    response = client.post("/quiz/", {"mode": "all", "count": 10, "topics": ["pricing"]})
    attempt_id = int(response.url.strip("/").split("/")[-1])
    from quizzes.models import QuizItem

    for item in QuizItem.objects.filter(attempt_id=attempt_id).select_related("question"):
        if item.question.type not in ("ordering", "matching"):
            continue
        url = f"/quiz/{attempt_id}/answer/{item.position}/"
        page = client.post(url, {"choice": _answer(item.question, item.seed, True)},
                           headers=HTMX).content.decode()  # fmt: skip
        assert "Right." in page, page[-2000:]


def test_reviews_take_ordering_and_matching_answers_from_the_selects(client, course):
    from quizzes.study import reviews

    client.force_login(UserFactory())
    seen = set()
    for _ in range(4):
        page = client.get("/review/?topic=pricing").content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page)[1]
        showing = reviews.read_token(token)
        question = Question.objects.get(pk=showing.question_id)
        if question.type in ("ordering", "matching"):
            assert page.count('class="slot-select"') == (4 if question.type == "ordering" else 3)
            answer = _answer(question, showing.nonce, True)
            data = {"token": token, "choice": answer, "topic": "pricing"}
            checked = client.post("/review/answer/", data, headers=HTMX).content.decode()
            assert "Right." in checked, checked[-1500:]
            seen.add(question.type)
        client.post("/review/grade/", {"token": token, "rating": 3, "topic": "pricing"})
    assert seen == {"ordering", "matching"}


@pytest.mark.django_db
def test_every_shipped_ordering_and_matching_item_renders_and_grades_its_key(settings):
    """All of the course's ordering and matching items (issue 22 asks for 30 or more), not only the
    two that tests/browser/test_shipped_slots.py answers in Chromium: each shows one select per
    slot and takes its key as right, and a swapped answer as wrong."""
    from .shipped import load_shipped_course

    load_shipped_course(settings)
    questions = list(Question.objects.live().filter(type__in=["ordering", "matching"]))
    assert len(questions) >= 30
    for question in questions:
        presented = answering.present(question, "shipped")
        prompts = [c for c in question.choices if c.get("role") == "prompt"]
        expected = len(question.choices) if question.type == "ordering" else len(prompts)
        assert len(presented.slots) == expected, question.uid
        right = answering.decode(question, "shipped", _answer(question, "shipped", True))
        assert answering.grade(question, "shipped", right).correct, question.uid
        swapped = _answer(question, "shipped", True)
        if question.type == "ordering":
            swapped[:2] = [swapped[0][:2] + swapped[1][2:], swapped[1][:2] + swapped[0][2:]]
        else:  # the first two prompts exchange their answers
            (p0, a0), (p1, a1) = (entry.split("=") for entry in swapped[:2])
            swapped[:2] = [f"{p0}={a1}", f"{p1}={a0}"]
        wrong = answering.decode(question, "shipped", swapped)
        assert not answering.grade(question, "shipped", wrong).correct, question.uid
