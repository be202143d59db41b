"""In real Chromium: a short mock exam with a reload in the middle; the countdown running out."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Blueprint, ExamAttempt, ExamItem
from quizzes.models import Question

from ..factories import BlueprintFactory
from .conftest import screenshot
from .helpers import new_user_logged_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

TAGS = re.compile(r"<[^>]+>")


def make_blueprint(**fields) -> Blueprint:
    # The fixture course's limits topic has one single and one "choose two" question (the
    # true/false one is never drawn for an exam), so two questions is the whole pool.
    defaults = {"title": "Mini exam", "difficulty_mix": {"easy": 1, "medium": 1, "hard": 1}}
    return BlueprintFactory(**{**defaults, **fields})


def start_exam(page, title: str) -> ExamAttempt:
    page.goto("/exams/")
    card = page.locator("li.card", has_text=title)
    card.get_by_role("button", name="Start or resume").click()
    expect(page).to_have_url(re.compile(r"/exams/attempt/\d+/$"))
    expect(page.get_by_text(re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    settled(page)
    pk = int(re.search(r"/exams/attempt/(\d+)/", page.url).group(1))
    return ExamAttempt.objects.get(pk=pk)


def navigator_says(page, text: str) -> None:
    expect(page.locator("#navigator > p.meta").first).to_contain_text(text)
    settled(page)


def secrets_of(attempt: ExamAttempt) -> list[str]:
    """The rationale and explanation texts of the drawn questions, as plain text."""
    texts = []
    for question in Question.objects.filter(exam_items__attempt=attempt):
        texts.append(question.explanation_html)
        texts += [choice["rationale_html"] for choice in question.choices]
    plain = [" ".join(TAGS.sub(" ", html.unescape(t)).split()) for t in texts]
    return [p for p in plain if p]


def leaked(content: str, secrets: list[str]) -> list[str]:
    """The secrets found in a page's HTML, tags stripped and whitespace folded."""
    text = " ".join(TAGS.sub(" ", html.unescape(content)).split())
    return [s for s in secrets if s in text or s[:60] in text]


def test_a_whole_short_exam_with_a_reload_in_the_middle(page, loaded_course):
    make_blueprint()
    new_user_logged_in(page, "examinee")
    attempt = start_exam(page, "Mini exam")
    assert attempt.items.count() == 2
    secrets = secrets_of(attempt)
    # The fixture rationales and explanations exist, so "not leaked" below means something.
    assert any("900 seconds" in s for s in secrets), secrets
    pages = [page.content()]

    # Question 1: choose, flag; each change autosaves and the navigator follows.
    question = page.locator("#exam-question")
    first = question.locator("input[name=choice]").first
    answer_1 = first.get_attribute("value")
    first.check()
    navigator_says(page, "1 answered · 0 flagged")
    page.get_by_label("Flag for review").check()
    navigator_says(page, "1 answered · 1 flagged")
    pages.append(page.content())

    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    # (htmx adds the button's own go=next to the pushed URL: harmless, the page reads only q.)
    expect(page).to_have_url(re.compile(r"\?q=2(&|$)"))
    settled(page)
    pages.append(page.content())
    second = page.locator("#exam-question input[name=choice]").first
    answer_2 = second.get_attribute("value")
    second.check()
    navigator_says(page, "2 answered · 1 flagged")
    pages.append(page.content())

    # A reload (a crash, a closed laptop): everything saved is still there.
    page.reload()
    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    settled(page)
    expect(page.locator(f"#exam-question input[name=choice][value='{answer_2}']")).to_be_checked()
    expect(page.get_by_label("Flag for review")).not_to_be_checked()
    navigator_says(page, "2 answered · 1 flagged")
    navigator = page.get_by_role("navigation", name="Questions")
    expect(navigator.get_by_role("link", name="Question 1, answered, flagged")).to_be_visible()
    expect(navigator.get_by_role("link", name="Question 2, answered")).to_be_visible()
    expect(navigator.locator(".nav-grid .nav-cell.answered")).to_have_count(2)
    expect(navigator.locator(".nav-grid .nav-cell.flagged")).to_have_count(1)
    pages.append(page.content())

    page.get_by_role("button", name="Previous").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    settled(page)
    expect(page.locator(f"#exam-question input[name=choice][value='{answer_1}']")).to_be_checked()
    expect(page.get_by_label("Flag for review")).to_be_checked()
    pages.append(page.content())
    screenshot(page, "exam-question")

    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(page.get_by_text("2 of 2 answered")).to_be_visible()
    pages.append(page.content())

    for number, content in enumerate(pages):
        assert not leaked(content, secrets), f"page {number} shows {leaked(content, secrets)}"

    page.get_by_role("button", name="Submit the exam").click()
    expect(page).to_have_url(re.compile(rf"/exams/attempt/{attempt.pk}/results/$"))
    expect(page.get_by_role("heading", name="Mini exam: results")).to_be_visible()
    score = page.locator(".result-head .score strong")
    expect(score).to_have_text(re.compile(r"^\d{1,3}%$"))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and not attempt.auto_submitted
    assert score.text_content() == f"{attempt.score}%"
    assert attempt.scored_count == 2
    # After submitting, the key and the explanations are shown (so the check above could fail).
    assert leaked(page.content(), secrets)
    screenshot(page, "exam-results")
    assert not page.console_errors, page.console_errors


def test_the_countdown_submits_when_time_runs_out(page, loaded_course):
    make_blueprint(slug="one-minute", title="One minute", duration_minutes=1)
    new_user_logged_in(page, "hurried")
    attempt = start_exam(page, "One minute")
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    expect(page.get_by_role("timer")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/exams/attempt/{attempt.pk}/results/$"), timeout=15_000)
    expect(page.get_by_role("heading", name="One minute: results")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.submitted_at <= attempt.deadline + timedelta(seconds=5)
    assert not page.console_errors, page.console_errors


def test_an_answer_chosen_before_the_scripts_ran_is_saved_once_they_do(
    browser, live_server, loaded_course
):
    """On a slow connection the question shows before htmx listens (deferred scripts, and htmx
    processes the page only at DOMContentLoaded): the answer chosen then must still be saved."""
    # The service worker fetches the catalogue itself (to keep it for offline use), out of reach
    # of the page's routes: without it here, the page's own request is the one held.
    context = browser.new_context(base_url=live_server.url, service_workers="block")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    make_blueprint()
    new_user_logged_in(page, "slow-line")
    attempt = start_exam(page, "Mini exam")
    item = attempt.items.get(position=1)
    held = []
    # The JavaScript catalogue is a deferred script: while it is held, DOMContentLoaded waits.
    catalogue = re.compile(r"/jsi18n/")  # /jsi18n/<language>/
    page.route(catalogue, lambda route: held.append(route))
    page.goto(f"/exams/attempt/{attempt.pk}/?q=1", wait_until="commit")
    choice = page.locator("#exam-question input[name=choice]").first
    expect(choice).to_be_visible()
    assert page.evaluate("document.readyState") == "interactive" and held
    value = choice.get_attribute("value")
    choice.check()
    assert not ExamItem.objects.get(pk=item.pk).answered
    held[0].continue_()
    page.unroute(catalogue)
    navigator_says(page, "1 answered · 0 flagged")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    item.refresh_from_db()
    assert item.answered and len(item.selected) == 1
    # The save stored the choice the candidate made (the form is shuffled; compare by its key).
    expect(page.locator(f"#exam-question input[name=choice][value='{value}']")).to_be_checked()
    page.reload()
    settled(page)
    expect(page.locator(f"#exam-question input[name=choice][value='{value}']")).to_be_checked()
    assert not page.console_errors, page.console_errors
    context.close()
