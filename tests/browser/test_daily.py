"""In real Chromium, on the shipped course: a whole sprint sat by touch on a 390x844 phone, results
filtered to wrong answers, and axe-core on every main page with no serious or critical violation.

Set DOCS_SCREENSHOTS=1 to write the screenshots of the closing note to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Blueprint, ExamAttempt, ExamItem
from exams.sitting import services

from ..conftest import REPO
from ..factories import MembershipFactory, TeamExamFactory, TeamFactory, UserFactory
from ..shipped import load_shipped_course
from .axe import violations, with_axe
from .conftest import screenshot
from .helpers import log_in, settled

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
DOCS = REPO / "docs" / "screenshots"


@pytest.fixture
def shipped_course(db, settings):
    load_shipped_course(settings)


def open_page(browser, live_server, device: dict):
    context = browser.new_context(base_url=live_server.url, device_scale_factor=1, **device)
    with_axe(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return context, page


def shot(page, name: str, full_page: bool = False) -> Path:
    """A screenshot in tests/screenshots, and in docs/screenshots when DOCS_SCREENSHOTS is set."""
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)
    return screenshot(page, name)


def test_a_whole_sprint_by_touch_on_a_phone(browser, live_server, shipped_course):
    UserFactory(username="thumbs")
    context, page = open_page(browser, live_server, PHONE)
    try:
        log_in(page, "thumbs")
        assert page.evaluate("matchMedia('(hover: none)').matches")
        # Touch screens get no keyboard hints.
        page.goto("/review/")
        expect(page.locator("p.keys")).to_be_hidden()
        # A note's table of contents is folded above the text.
        page.goto("/notes/limits/")
        toc = page.locator("details.toc-box")
        expect(toc).not_to_have_attribute("open", "")
        toc.locator("summary").tap()
        expect(toc.get_by_role("link").first).to_be_visible()

        page.goto("/exams/")
        page.locator("li.card", has_text="Lambda sprint").get_by_role(
            "button", name="Start or resume"
        ).tap()
        expect(page).to_have_url(re.compile(r"/exams/attempt/\d+/$"))
        attempt = ExamAttempt.objects.get(user__username="thumbs")
        choose = dict(attempt.items.values_list("position", "question__choose"))
        total = len(choose)
        assert total == 20
        expect(page.get_by_text(f"Question 1 of {total}")).to_be_visible()
        settled(page)
        # The navigator is a drawer, closed: the question comes first.
        drawer = page.locator("#nav-drawer")
        expect(drawer).not_to_be_in_viewport()
        toggle = page.get_by_role("button", name="Questions")
        bar = page.locator(".exam-bar")

        for position in range(1, total + 1):
            expect(page.get_by_text(f"Question {position} of {total}")).to_be_visible()
            settled(page)
            question = page.locator("#exam-question")
            for choice in question.locator("label.choice").all()[: choose[position]]:
                choice.tap()
                settled(page)
            # Ordering and matching: one select per slot, each given a different option.
            for index, select in enumerate(question.locator("select.slot-select").all(), 1):
                select.select_option(index=index)
                settled(page)
            expect(page.locator("#save-status")).to_contain_text("Saved")
            if position == 3:
                page.locator("#exam-flag").tap()
                settled(page)
                expect(page.locator("#navigator > p.meta").first).to_contain_text("1 flagged")
            if position == 5:
                # Scrolled to the bottom, the timer and the flag are still on screen.
                page.mouse.wheel(0, 3000)
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                expect(page.get_by_role("timer")).to_be_in_viewport()
                expect(page.locator("#exam-flag")).to_be_in_viewport()
                # Wait out the scroll and any swap still settling, then the bar sits at the top.
                page.wait_for_function(
                    "Math.abs(document.querySelector('.exam-bar').getBoundingClientRect().y) < 2"
                )
                expect(bar).to_be_in_viewport(ratio=1)
                shot(page, "phone-exam")
            if position == 10:
                toggle.tap()
                expect(drawer).to_be_in_viewport()
                expect(toggle).to_have_attribute("aria-expanded", "true")
                screenshot(page, "phone-drawer")
                drawer.get_by_role("link", name=re.compile(r"^Question 11,")).tap()
                expect(page.get_by_text(f"Question 11 of {total}")).to_be_visible()
                expect(drawer).not_to_be_in_viewport()
                continue
            if position < total:
                page.get_by_role("button", name="Next").tap()

        assert not violations(page), violations(page)
        page.get_by_role("button", name="Review and submit").tap()
        expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
        expect(page.get_by_text(f"{total} of {total} answered")).to_be_visible()
        expect(page.locator(".stem-excerpt").first).not_to_be_empty()
        page.get_by_role("button", name="Submit the exam").tap()
        expect(page).to_have_url(re.compile(rf"/exams/attempt/{attempt.pk}/results/$"))

        attempt.refresh_from_db()
        assert attempt.submitted_at is not None
        items = ExamItem.objects.filter(attempt=attempt)
        assert all(item.selected for item in items)
        assert [item.position for item in items if item.flagged] == [3]
        wrong = sum(1 for item in items if not item.correct)
        page.get_by_role("link", name=re.compile(r"^Wrong \d+$")).tap()
        expect(page).to_have_url(re.compile(r"\?show=wrong"))
        settled(page)
        if wrong:
            expect(page.locator(".result-item .status-wrong").first).to_be_visible()
            assert page.locator(".result-item").count() == min(wrong, 10)
            assert page.locator(".result-item .status-right").count() == 0
        assert not violations(page), violations(page)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def _world() -> dict:
    """An instructor who also studies: a team with a scheduled exam, one sat exam, one open."""
    ada = UserFactory(username="ada", instructor=True)
    member = UserFactory(username="member")
    team = TeamFactory(name="Cohort A", instructor=ada)
    MembershipFactory(team=team, user=member)
    now = timezone.now()
    sprint = Blueprint.objects.get(slug="lambda-sprint")
    team_exam = TeamExamFactory(
        team=team, blueprint=sprint, opens_at=now, closes_at=now + timedelta(days=1)
    )
    sat = services.attempt_start(user=ada, blueprint=sprint, now=now)
    for item in sat.items.select_related("question")[:12]:
        keys = [c["key"] for c in item.question.choices][: item.question.choose]
        services.attempt_save_authored(attempt=sat, position=item.position, selected=keys,
                                       flagged=item.position % 4 == 0, seq=1, now=now)  # fmt: skip
    services.attempt_submit(attempt=sat, now=now)
    practice = Blueprint.objects.exclude(slug="lambda-sprint").first()
    open_attempt = services.attempt_start(user=ada, blueprint=practice, now=now)
    return {"team": team, "team_exam": team_exam, "sat": sat, "open": open_attempt}


def test_the_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, shipped_course
):
    world = _world()
    found: list[str] = []
    for device in (DESKTOP, PHONE):
        context, page = open_page(browser, live_server, device)
        try:
            log_in(page, "ada")
            phone = device is PHONE
            pages = [
                "/",
                "/notes/limits/",
                "/review/",
                "/calculator/",
                f"/exams/attempt/{world['open'].pk}/",
                f"/exams/attempt/{world['sat'].pk}/results/",
                f"/exams/attempt/{world['sat'].pk}/results/?show=wrong",
                "/dashboard/",
                f"/teams/{world['team'].pk}/",
                f"/teams/{world['team'].pk}/exams/{world['team_exam'].pk}/board/",
            ]
            for url in pages:
                page.goto(url)
                settled(page)
                found += violations(page)
                # A page wider than the screen is zoomed out on a phone and scrolls sideways.
                width = page.evaluate("document.documentElement.scrollWidth")
                viewport = device["viewport"]["width"]
                if width > viewport:
                    found.append(f"{url} is {width} px wide on a {viewport} px screen")
                if not phone and url == "/":
                    shot(page, "home-signed-in")
                if not phone and url.endswith("?show=wrong"):
                    page.evaluate("document.getElementById('questions-heading').scrollIntoView()")
                    shot(page, "results-wrong")
            page.goto("/quiz/")
            page.get_by_role("button", name="Start the quiz").click()
            expect(page).to_have_url(re.compile(r"/quiz/\d+/$"))
            found += violations(page)
            # An answer checked with nothing chosen: the message takes the focus and is read out.
            page.get_by_role("button", name=re.compile("^Check answer")).click()
            alert = page.locator("#quiz-step [role=alert]").filter(has_text=re.compile(r"\S"))
            expect(alert).to_be_focused()
            found += violations(page)
            assert not page.console_errors, page.console_errors
        finally:
            context.close()
    assert not found, "\n".join(found)


def test_an_exercise_error_takes_the_focus(page, live_server, shipped_course):
    UserFactory(username="typist")
    log_in(page, "typist")
    page.goto("/notes/pricing/")
    widget = page.locator("section.exercise").first
    widget.get_by_label("Your answer, in US dollars").fill("lots")
    widget.get_by_role("button", name="Check").click()
    alert = page.locator("section.exercise [role=alert]").first
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("for example")
    assert not page.console_errors, page.console_errors


def test_a_quiz_error_on_a_choose_two_question_takes_the_focus(page, live_server, shipped_course):
    """A "choose N" question carries an empty alert for the page's own limit message: focus goes
    to the alert that says something, not to the first one."""
    from quizzes.models import Question, QuizItem
    from quizzes.study import answering, quiz

    user = UserFactory(username="picker")
    attempt = quiz.quiz_start(user=user, filters=quiz.Filters(count=3))
    item = attempt.items.get(position=1)
    multiple = Question.objects.live().filter(type="multiple").order_by("uid").first()
    QuizItem.objects.filter(pk=item.pk).update(
        question=multiple, choice_order=answering.choice_order(multiple, item.seed)
    )
    log_in(page, "picker")
    page.goto(f"/quiz/{attempt.pk}/")
    expect(page.locator("#quiz-step [data-choose-message]")).to_be_attached()
    page.get_by_role("button", name=re.compile("^Check answer")).click()
    alert = page.locator("#quiz-step [role=alert]").filter(has_text=re.compile(r"\S"))
    expect(alert).to_be_focused()
    assert not page.console_errors, page.console_errors
