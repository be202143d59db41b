"""In real Chromium: the calculator updates as you type; a note's exercise is answered in place."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..factories import UserFactory
from .conftest import screenshot
from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_changing_memory_updates_the_total_and_the_url(page):
    page.goto("/calculator/")
    expect(page.get_by_test_id("total")).to_have_text("$2.47")
    page.get_by_label("Memory (MB)").fill("1024")
    expect(page.get_by_test_id("total")).to_have_text("$10.80")
    expect(page).to_have_url(re.compile(r"memory_mb=1024"))  # the URL can be shared
    page.get_by_label("Apply the monthly free tier").uncheck()
    expect(page.get_by_test_id("total")).to_have_text("$17.67")
    page.get_by_label("Memory (MB)").fill("99999")
    page.get_by_text("Ensure this value is less than or equal to 10240.").wait_for()
    screenshot(page, "calculator-error")
    assert not page.console_errors, page.console_errors


def test_an_exercise_in_a_note_is_answered_without_leaving_the_note(
    page, live_server, loaded_course
):
    UserFactory(username="ex")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ex")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.goto("/notes/pricing/")
    widget = page.locator("section.exercise")
    url_before = page.url
    widget.get_by_label("Your answer, in US dollars").fill("lots")
    widget.get_by_role("button", name="Check").click()
    widget.get_by_text("Please enter a dollar amount").wait_for()
    stem = widget.locator(".exercise-stem").inner_text()
    requests = int(re.search(r"runs ([\d,]+) times", stem).group(1).replace(",", ""))
    expected = f"{(requests - 1_000_000) * 0.2 / 1_000_000:.2f}"
    page.locator("section.exercise").get_by_label("Your answer, in US dollars").fill(f"${expected}")
    page.locator("section.exercise").get_by_role("button", name="Check").click()
    page.locator("section.exercise").get_by_text("Right.").wait_for()
    assert page.locator("section.exercise").get_by_text("Worked solution").is_visible()
    assert page.url == url_before, "answered in place, no page load"
    screenshot(page, "note-exercise")
    assert not page.console_errors, page.console_errors


def test_a_wrong_answer_shows_the_steps_then_offers_new_numbers(page, live_server, loaded_course):
    """Issue 26, point 6: after the worked steps, the same numbers would only copy them."""
    UserFactory(username="again")
    log_in(page, "again")
    page.goto("/notes/pricing/")
    widget = page.locator("section.exercise")
    stem = widget.locator(".exercise-stem").inner_text()
    widget.get_by_label("Your answer, in US dollars").fill("999.99")
    widget.get_by_role("button", name="Check").click()
    expect(widget.get_by_text("Worked solution")).to_be_visible()
    expect(widget.get_by_role("button", name=re.compile("same numbers"))).to_have_count(0)
    widget.get_by_role("button", name="Try again with new numbers").click()
    expect(widget.get_by_label("Your answer, in US dollars")).to_have_value("")
    expect(widget.locator(".exercise-stem")).not_to_have_text(stem)
    assert not page.console_errors, page.console_errors
