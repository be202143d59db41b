"""In real Chromium: log in, open a note, and look at it."""

from __future__ import annotations

import pytest

from ..factories import PASSWORD, UserFactory
from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_candidate_logs_in_opens_a_note_and_sees_it(page, loaded_course):
    UserFactory(username="candidate")
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("candidate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Today").wait_for()
    assert page.get_by_role("button", name="Log out").is_visible()

    page.get_by_role("link", name="Notes", exact=True).click()
    page.get_by_role("link", name="Limits").first.click()
    page.get_by_role("heading", name="Limits", level=1).wait_for()
    assert page.get_by_role("navigation", name="On this page").is_visible()
    assert page.locator("table").is_visible()
    path = screenshot(page, "note-limits")
    assert path.stat().st_size > 10_000
    assert not page.console_errors, page.console_errors


def test_keyboard_focus_is_visible(page, loaded_course):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
