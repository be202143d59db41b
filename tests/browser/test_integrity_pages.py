"""In real Chromium: what a candidate sees of issue 23's fixes, with bad input tried on each page.

A save that arrives late says it was not kept; a results page during a team window shows the
score and says when the explanations come; sign-up refuses bad input without losing it and never
says whether an address is known; a slowed log-in says how long to wait.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Blueprint, ExamItem
from exams.sitting import services
from quizzes.study.answering import public_key

from ..factories import (
    PASSWORD,
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)
from .conftest import screenshot
from .helpers import log_in, new_user_logged_in, settled
from .test_exam import make_blueprint, start_exam

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_late_older_save_says_it_was_not_kept_and_shows_the_answer_kept(page, loaded_course):
    make_blueprint()
    new_user_logged_in(page, "late-save")
    attempt = start_exam(page, "Mini exam")
    item = ExamItem.objects.get(attempt=attempt, question__type="single")
    page.goto(f"/exams/attempt/{attempt.pk}/?q={item.position}")
    settled(page)
    first, second = (public_key(item.seed, key) for key in item.choice_order[:2])
    for value in (first, second):
        page.locator(f"#exam-question input[name=choice][value='{value}']").check()
        expect(page.locator("#save-status")).to_contain_text("Saved")
        settled(page)
    # The page's first request again, arriving after its second (a network replay).
    page_id = page.locator("#countdown").get_attribute("data-page")
    page.evaluate(
        """([url, choice, pageId]) => htmx.ajax("POST", url, {target: "#save-status",
            swap: "outerHTML", values: {choice: choice, page: pageId, seq: "1"}})""",
        [f"/exams/attempt/{attempt.pk}/save/{item.position}/", first, page_id],
    )
    status = page.locator("#save-status")
    expect(status).to_contain_text("Not kept")
    expect(status).to_contain_text("Kept: choice 2")
    settled(page)
    item.refresh_from_db()
    assert item.selected == [item.choice_order[1]]
    screenshot(page, "exam-save-not-kept")


def _team_sitting(loaded_course, member_name: str):
    owner = UserFactory(username=f"{member_name}-owner", instructor=True)
    team = TeamFactory(name="Cohort", instructor=owner)
    member = UserFactory(username=member_name)
    MembershipFactory(team=team, user=member)
    blueprint = BlueprintFactory(
        slug="sprint", title="Team sprint", question_count=2, topic_weights={"limits": 1},
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1},
    )  # fmt: skip
    now = timezone.now()
    exam = TeamExamFactory(team=team, blueprint=blueprint, opens_at=now - timedelta(hours=1),
                           closes_at=now + timedelta(hours=1))  # fmt: skip
    return team, member, exam


def test_results_in_a_team_window_show_the_score_and_when_explanations_come(page, loaded_course):
    team, member, exam = _team_sitting(loaded_course, "early")
    now = timezone.now()
    attempt = services.attempt_start(user=member, blueprint=exam.blueprint, now=now,
                                     team_exam=exam)  # fmt: skip
    services.attempt_submit(attempt=attempt, now=now)
    log_in(page, "early")
    page.goto(f"/exams/attempt/{attempt.pk}/results/")
    expect(page.get_by_role("heading", name="By topic")).to_be_visible()
    note = page.locator("#held-note")
    expect(note).to_contain_text("window closes for everyone")
    expect(note).to_contain_text(f"{exam.closes_at:%H:%M}")
    expect(page.locator(".is-correct, .rationale, .explanation")).to_have_count(0)
    # Bad input on the filters: an unknown filter, topic and page fall back, no key appears.
    page.goto(f"/exams/attempt/{attempt.pk}/results/?show=right&topic=%3Cscript%3E&page=-9")
    expect(page.locator(".is-correct, .rationale, .explanation")).to_have_count(0)
    expect(page.locator("#results-summary")).to_contain_text("Questions 1–2 of 2")
    screenshot(page, "results-team-window")


def test_a_solo_result_after_joining_a_team_names_the_held_questions(page, loaded_course):
    learner = UserFactory(username="joiner")
    solo_bp = make_blueprint()
    solo = services.attempt_start(user=learner, blueprint=solo_bp, now=timezone.now())
    services.attempt_submit(attempt=solo, now=timezone.now())
    team, _, exam = _team_sitting(loaded_course, "someone")
    Blueprint.objects.filter(pk=exam.blueprint_id).update(exam_tag="saa-c03")
    MembershipFactory(team=team, user=learner)
    held = solo.items.get(question__tags__name="saa-c03")
    log_in(page, "joiner")
    page.goto(f"/exams/attempt/{solo.pk}/results/")
    expect(page.locator("#held-note")).to_contain_text(f"Question {held.position} is in the pool")
    expect(page.locator(f"#q{held.position} .is-correct")).to_have_count(0)
    other = 3 - held.position
    expect(page.locator(f"#q{other} .is-correct").first).to_be_visible()
    screenshot(page, "results-solo-held")


def test_sign_up_with_bad_input_keeps_it_and_an_existing_address_is_not_told(page, loaded_course):
    UserFactory(username="taken", email="known@example.com")
    page.goto("/accounts/signup/")
    form = page.locator("form.form")
    page.get_by_label("Username").fill("  TAKEN ")
    page.get_by_label("E-mail (optional)").fill("ada@b")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("other")
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This user name is not available")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("  TAKEN ")  # as typed: nothing lost
    expect(page.get_by_label("E-mail (optional)")).to_have_value("ada@b")
    screenshot(page, "signup-bad-input")
    # An address that has an account: signed up and in, as with any other address.
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("E-mail (optional)").fill("known@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert "known@example.com" not in page.content()
    assert User.objects.get(username="newcomer").email == ""


def test_a_slowed_log_in_says_how_long_to_wait_and_another_account_is_not_slowed(
    page, loaded_course, settings
):
    settings.THROTTLE_LOGIN_DELAYS = {"login-pair": (2, 30.0, 900.0), "login-ip": (50, 2.0, 900.0)}
    UserFactory(username="victim")
    for name in ("victim", "Victim ", "VICTIM"):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Try again in \d+ seconds"))
    screenshot(page, "login-slowed")
    UserFactory(username="bystander")
    log_in(page, "bystander")
