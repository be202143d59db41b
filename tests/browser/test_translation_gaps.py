"""An instructor sees which items of a bank have no Spanish text yet, and goes to one."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from quizzes.models import Question

from .conftest import screenshot
from .helpers import new_user_logged_in


def test_the_preview_lists_untranslated_items_and_links_to_each(page, loaded_course):
    Question.objects.filter(uid="fx-timeout").update(translations={"es": {"stale": True}})
    new_user_logged_in(page, "teacher", instructor=True)
    page.goto("/instructor/banks/preview/?path=banks/limits.yaml")
    gaps = page.locator("#untranslated-es")
    summary = gaps.locator("summary")
    expect(summary).to_have_text("Spanish: 3 of 4 items without a translation; 1 stale")
    summary.click()
    expect(gaps.get_by_text("translation_stub content/banks/limits.yaml --only ID")).to_be_visible()
    screenshot(page, "preview-translation-gaps")
    gaps.get_by_role("link", name="fx-timeout", exact=True).click()
    expect(page).to_have_url(re.compile(r"#q-fx-timeout$"))
    assert page.console_errors == []
