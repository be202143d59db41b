"""In real Chromium: a review session by keyboard alone, a whole practice quiz, a double click."""

from __future__ import annotations

import html
import re

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from quizzes.costs import exercises
from quizzes.models import Card, Question, QuizAttempt, QuizItem, ReviewLog
from quizzes.study import reviews
from quizzes.study.answering import public_key

from ..factories import QuestionFactory, TopicFactory
from .conftest import screenshot
from .helpers import new_user_logged_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

GOOD, EASY = "3", "4"


def done_count(page, count: int) -> None:
    """Wait until the session says `count` reviews are done today (a grade or an undo landed)."""
    status = page.locator("#review-session .progress-row [role=status]")
    expect(status).to_contain_text(re.compile(rf"· {count} done$"))
    settled(page)


def right_indexes(page, question: Question) -> list[str]:
    """The digit keys of the right choices, read from the shown order and the answer key
    (the page's values are opaque per showing: the showing's nonce is in its token)."""
    inputs = page.locator("#review-session input[name=choice]")
    expect(inputs.first).to_be_attached()
    token = page.locator("#review-session input[name=token]").first.get_attribute("value")
    nonce = reviews.read_token(token).nonce
    right = {public_key(nonce, c["key"]) for c in question.choices if c["correct"]}
    return [
        inputs.nth(i).get_attribute("data-index")
        for i in range(inputs.count())
        if inputs.nth(i).get_attribute("value") in right
    ]


def study_card_by_keyboard(page, grade: str) -> str:
    """Answer the shown card right with keys only, then press the grade; return its uid."""
    keyboard = page.keyboard
    card = page.locator("#review-session article.review-card")
    expect(card).to_be_visible()
    stem = page.locator("#card-stem").inner_text().strip()
    kind = card.get_attribute("data-type")
    question = next(
        q
        for q in Question.objects.filter(topic__slug="limits", type=kind)
        if _plain(q.stem_html) == stem
    )
    if kind == Question.Type.FLASHCARD:
        keyboard.press("Space")
        expect(page.locator("#review-session .back")).to_be_visible()
        settled(page)
    else:
        keys = right_indexes(page, question)
        assert len(keys) == max(question.choose, 1)
        for key in keys:
            keyboard.press(key)
        for key in keys:
            expect(page.locator(f"#review-session input[data-index='{key}']")).to_be_checked()
        keyboard.press("Enter")
        expect(page.locator("#review-session .verdict")).to_contain_text("Right.")
        settled(page)
    expect(page.locator("#review-session .grade-form")).to_be_visible()
    keyboard.press(grade)
    return question.uid


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def test_a_whole_review_session_by_keyboard_alone(page, loaded_course):
    new_user_logged_in(page, "keys")
    page.goto("/review/?topic=limits")
    expect(page.get_by_role("heading", name="Review: Limits", level=1)).to_be_visible()
    # No clicks from here on: only the keyboard.

    done = 0
    seen: list[str] = []
    undone = False
    for _ in range(12):
        if page.get_by_role("heading", name=re.compile("Done for today")).is_visible():
            break
        # Good on the first showing of the first card leaves it a learning step due in 10 minutes
        # (inside the 20-minute learn-ahead): it comes back; Easy graduates the rest at once.
        grade = GOOD if not seen else EASY
        seen.append(study_card_by_keyboard(page, grade))
        done += 1
        done_count(page, done)
        if len(seen) == 2 and not undone:
            graded_uid = seen[-1]
            logs_before = ReviewLog.objects.count()
            page.keyboard.press("u")
            expect(page.locator("#review-session .notice")).to_have_text("Undone.")
            done -= 1
            done_count(page, done)
            assert "Undone: this card is back" not in page.content(), "undo reloaded the page"
            assert ReviewLog.objects.count() == logs_before - 1
            # The undone card is back, as it was before the grade: unanswered, still new.
            back = Question.objects.get(uid=graded_uid)
            expect(page.locator("#card-stem")).to_have_text(_plain(back.stem_html))
            expect(
                page.locator("#review-session .answer-form, #review-session [data-key=reveal]")
            ).to_be_visible()
            assert Card.objects.get(question=back).reps == 0
            undone = True
    expect(page.get_by_role("heading", name="Done for today in Limits.")).to_be_visible()
    assert undone

    limits = Question.objects.live().filter(topic__slug="limits")
    assert limits.count() == 4
    for question in limits:
        card = Card.objects.get(question=question, user__username="keys")
        assert card.reps >= 1, question.uid
    assert seen[0] == seen[-1], "the learning step of the first card came back ahead of time"
    doubled = ReviewLog.objects.values("token").annotate(n=Count("id")).filter(n__gt=1)
    assert not doubled.exists()
    assert ReviewLog.objects.count() == len(seen) - 1  # the undone grade left no log
    screenshot(page, "review-keyboard")
    assert not page.console_errors, page.console_errors


def _answer_choices(page, item: QuizItem, *, wrong: bool) -> None:
    question = item.question
    right = {c["key"] for c in question.choices if c["correct"]}
    keys = [c["key"] for c in question.choices if (c["key"] not in right) == wrong]
    if wrong:
        keys = keys[: max(question.choose, 1)]
    step = page.locator("#quiz-step")
    for choice in question.choices:
        if choice["key"] in keys:
            value = public_key(item.seed, choice["key"])
            step.locator(f"input[name=choice][value='{value}']").click()


def test_a_whole_quiz_in_the_browser(page, loaded_course):
    new_user_logged_in(page, "quizzer")
    page.goto("/quiz/")
    page.get_by_label("Limits").check()
    page.get_by_label("Pricing").check()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#quiz-step")).to_be_visible()
    attempt = QuizAttempt.objects.get(user__username="quizzer")
    total = attempt.items.count()
    assert total == 4  # the flashcard is not a quiz question

    step = page.locator("#quiz-step")
    missed_uid = None
    for answered in range(total):
        expect(step.locator("form.answer-form")).to_be_visible()
        settled(page)
        meta = step.locator(".card-meta")
        expect(meta).to_contain_text(f"of {total}")
        position = int(re.search(r"Question (\d+) of", meta.inner_text()).group(1))
        item = QuizItem.objects.select_related("question").get(attempt=attempt, position=position)
        question = item.question
        if question.type == Question.Type.NUMERIC:
            box = step.get_by_label("Your answer, in US dollars")
            box.fill("lots of money")
            step.get_by_role("button", name="Check answer").click()
            expect(step.get_by_role("alert")).to_contain_text("Please enter a dollar amount")
            settled(page)
            # Nothing is lost: same question, the text typed is still there, nothing answered.
            expect(step.get_by_label("Your answer, in US dollars")).to_have_value("lots of money")
            expect(step.locator(".card-meta")).to_contain_text(f"Question {position} of")
            expect(step.get_by_role("status").first).to_have_text(f"{answered} of {total} answered")
            item.refresh_from_db()
            assert item.answered_at is None
            exercise = exercises.Exercise.from_spec(question.exercise)
            expected = exercises.solve(exercise, exercises.draw(exercise, item.seed)).answer
            step.get_by_label("Your answer, in US dollars").fill(f"${expected:,.2f}")
        else:
            wrong = question.type == Question.Type.TRUE_FALSE
            if wrong:
                missed_uid = question.uid
            _answer_choices(page, item, wrong=wrong)
        step.get_by_role("button", name="Check answer").click()
        verdict = step.locator(".verdict")
        expect(verdict).to_contain_text("Not quite." if question.uid == missed_uid else "Right.")
        if question.explanation_html:
            expect(step.locator(".explanation")).to_be_visible()
        settled(page)
        expect(step.get_by_role("status").first).to_have_text(f"{answered + 1} of {total} answered")
        last = answered + 1 == total
        step.get_by_role("link", name="See your score" if last else "Next question").click()

    assert missed_uid is not None
    summary = page.locator("section.summary")
    expect(summary.get_by_role("heading")).to_have_text("You scored 3 of 4 (75%)")
    rows = summary.locator("tbody tr")
    expect(rows.filter(has_text="Limits")).to_contain_text("2 / 3")
    expect(rows.filter(has_text="Pricing")).to_contain_text("1 / 1")
    screenshot(page, "quiz-summary")

    page.get_by_role("link", name="Review the 1 missed question").click()
    expect(page.get_by_role("heading", name="The questions you missed")).to_be_visible()
    cards = page.locator("article.review-card")
    expect(cards).to_have_count(1)
    right = cards.locator(".fb-choice.is-correct")
    expect(right).to_have_count(1)
    expect(right).to_contain_text("False")
    expect(right.get_by_text("Right answer")).to_be_attached()
    expect(cards.locator(".fb-choice.is-selected")).to_contain_text("True")
    assert QuizItem.objects.filter(attempt=attempt, correct=False).count() == 1
    assert not page.console_errors, page.console_errors


def test_a_double_click_on_a_grade_counts_once(page, live_server):
    topic = TopicFactory(slug="cards", title="Cards")
    QuestionFactory(
        topic=topic, type=Question.Type.FLASHCARD, choices=[], stem_html="<p>Front?</p>",
        back_html="<p>Back.</p>",
    )  # fmt: skip
    new_user_logged_in(page, "clicker")
    page.goto("/review/?topic=cards")
    settled(page)
    page.get_by_role("link", name="Show answer").click()
    good = page.get_by_role("button", name=re.compile("^Good"))
    expect(good).to_be_visible()
    settled(page)
    good.dblclick()
    # Good on a new card is a 10-minute learning step, inside the learn-ahead: it shows again.
    done_count(page, 1)
    page.wait_for_load_state("networkidle")
    assert ReviewLog.objects.count() == 1
    assert Card.objects.get().reps == 1
    assert not page.console_errors, page.console_errors


def test_undo_brings_the_card_back_with_its_choices_in_the_order_seen(page, live_server):
    """Issue 26, point 6: the learner sees the card as it was, not its choices shuffled again."""
    topic = TopicFactory(slug="limits", title="Limits")
    QuestionFactory(topic=topic, stem_html="<p>Which one?</p>", choices=[
        {"key": k, "html": f"<p>Choice {k}</p>", "correct": k == "a", "rationale_html": ""}
        for k in "abcdef"
    ])  # fmt: skip
    new_user_logged_in(page, "undoer")
    page.goto("/review/")
    choices = page.locator("#review-session label.choice .choice-text")
    expect(choices).to_have_count(6)
    seen = choices.all_inner_texts()
    settled(page)
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#review-session .grade-form")).to_be_visible()
    settled(page)
    page.keyboard.press("3")
    expect(page.locator("#review-session .progress-row [role=status]")).to_contain_text("1 done")
    settled(page)
    page.keyboard.press("u")
    expect(page.locator("#review-session .notice")).to_have_text("Undone.")
    expect(choices).to_have_count(6)
    assert choices.all_inner_texts() == seen
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("width", [1280, 390])
def test_the_card_does_not_move_when_the_device_deck_is_ready(page, live_server, width):
    """The device bar above the card fills in once the day's deck is on the device; the card must
    not jump down under a pointer about to press "Show answer" (it made a click miss in CI)."""
    topic = TopicFactory(slug="cards", title="Cards")
    QuestionFactory(
        topic=topic, type=Question.Type.FLASHCARD, choices=[], stem_html="<p>Front?</p>",
        back_html="<p>Back.</p>",
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 844})
    new_user_logged_in(page, "steady")
    page.route("**/review/deck/", lambda route: None)  # hold the deck until the card is measured
    page.goto("/review/?topic=cards")
    card = page.locator("article.review-card")
    expect(card).to_be_visible()
    before = card.bounding_box()["y"]
    page.unroute("**/review/deck/")
    page.reload()
    expect(page.locator("[data-deck-status][data-ready='1']")).to_be_attached(timeout=20_000)
    expect(page.get_by_role("button", name="Review on this device")).to_be_visible()
    assert card.bounding_box()["y"] == before
    assert not page.console_errors, page.console_errors
