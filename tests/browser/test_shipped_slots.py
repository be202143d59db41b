"""In real Chromium, on the shipped course: a shipped ordering item and a shipped matching item,
answered right in a quiz and in a mock exam, with the selects a learner uses.

Only these two questions are left live, so both draws must pick them: the test then proves that
the items as written in content/banks load, render, save and score end to end.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import ExamAttempt
from quizzes.models import Question, QuizAttempt, QuizItem
from quizzes.study.answering import public_key

from ..factories import BlueprintFactory
from ..shipped import load_shipped_course
from .conftest import screenshot
from .helpers import new_user_logged_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

ORDERING = "edge-request-path-order"
MATCHING = "triggers-failure-handling-match"


@pytest.fixture
def two_shipped_slots(db, settings):
    load_shipped_course(settings)
    kept = Question.objects.filter(uid__in=[ORDERING, MATCHING])
    assert sorted(kept.values_list("type", flat=True)) == ["matching", "ordering"]
    Question.objects.exclude(uid__in=[ORDERING, MATCHING]).update(retired_at=timezone.now())


def _right_values(page, question: Question, seed: str) -> list[str]:
    """The option value each select must show for the right answer, slot by slot."""
    if question.type == Question.Type.ORDERING:
        return [f"{n}={public_key(seed, c['key'])}" for n, c in enumerate(question.choices, 1)]
    matches = {
        public_key(seed, c["key"]): public_key(seed, c["match"])
        for c in question.choices
        if c.get("role") == "prompt"
    }
    slots = page.locator("select.slot-select").evaluate_all(
        "els => els.map(e => e.options[1].value.split('=')[0])"
    )
    return [f"{slot}={matches[slot]}" for slot in slots]


def _fill_slots(page, question: Question, seed: str) -> None:
    for index, value in enumerate(_right_values(page, question, seed), 1):
        page.locator(f"#slot-{index}").select_option(value)


def test_a_shipped_ordering_and_matching_item_answered_in_a_quiz(page, two_shipped_slots):
    new_user_logged_in(page, "slotquizzer")
    page.goto("/quiz/")
    page.get_by_label("Lambda@Edge").check()
    page.get_by_label("Triggers and invocation types").check()
    page.get_by_role("button", name="Start the quiz").click()
    step = page.locator("#quiz-step")
    expect(step).to_be_visible()
    attempt = QuizAttempt.objects.get(user__username="slotquizzer")
    assert attempt.items.count() == 2

    seen = set()
    for answered in range(2):
        expect(step.locator("form.answer-form")).to_be_visible()
        settled(page)
        meta = step.locator(".card-meta").inner_text()
        position = int(re.search(r"Question (\d+) of", meta).group(1))
        item = QuizItem.objects.select_related("question").get(attempt=attempt, position=position)
        expect(step.locator("select.slot-select")).to_have_count(len(_slots(item.question)))
        _fill_slots(page, item.question, item.seed)
        screenshot(page, f"quiz-shipped-{item.question.type}")
        step.get_by_role("button", name="Check answer").click()
        expect(step.locator(".verdict")).to_contain_text("Right.")
        expect(step.locator(".explanation")).to_be_visible()
        seen.add(item.question.uid)
        settled(page)
        step.get_by_role("link", name="See your score" if answered else "Next question").click()

    assert seen == {ORDERING, MATCHING}
    expect(page.locator("section.summary").get_by_role("heading")).to_have_text(
        "You scored 2 of 2 (100%)"
    )
    assert not page.console_errors, page.console_errors


def test_a_shipped_ordering_and_matching_item_answered_in_a_mock_exam(page, two_shipped_slots):
    BlueprintFactory(
        slug="shipped-slots", title="Shipped slots", question_count=2,
        topic_weights={"edge": 1, "triggers": 1}, difficulty_mix={"medium": 1, "hard": 1},
    )  # fmt: skip
    new_user_logged_in(page, "slotexaminee")
    page.goto("/exams/")
    page.locator("li.card", has_text="Shipped slots").get_by_role(
        "button", name="Start or resume"
    ).click()
    expect(page).to_have_url(re.compile(r"/exams/attempt/\d+/$"))
    attempt = ExamAttempt.objects.get(user__username="slotexaminee")
    items = list(attempt.items.select_related("question").order_by("position"))
    assert {item.question.uid for item in items} == {ORDERING, MATCHING}
    for item in items:
        expect(page.get_by_text(f"Question {item.position} of 2")).to_be_visible()
        settled(page)
        page.wait_for_load_state()  # exam.js (deferred) saves a change only once it listens
        _fill_slots(page, item.question, item.seed)
        expect(page.locator("#save-status")).to_contain_text("Saved")
        screenshot(page, f"exam-shipped-{item.question.type}")
        if item.position == 1:
            page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.get_by_text("2 of 2 scored questions right")).to_be_visible()
    screenshot(page, "exam-shipped-slots-results")
    assert not page.console_errors, page.console_errors


def _slots(question: Question) -> list[dict]:
    """The positions (ordering) or prompts (matching) that each get a select."""
    if question.type == Question.Type.ORDERING:
        return list(question.choices)
    return [c for c in question.choices if c.get("role") == "prompt"]
