"""In real Chromium: an instructor uploads a bank, reads the diff and applies it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from quizzes.models import Question

from ..factories import PASSWORD, UserFactory
from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

BANK = """topic: limits
questions:
  - id: up-layers
    type: true_false
    difficulty: easy
    tags: [dva-c02]
    stem: A function can use up to five layers.
    answer: true
    explanation: Five layers per function.
    references:
      - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
"""


def test_an_instructor_uploads_a_bank_sees_the_diff_and_applies_it(page, loaded_course, tmp_path):
    UserFactory(username="teacher", instructor=True)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Banks").click()

    broken = tmp_path / "broken.yaml"
    broken.write_text(BANK.replace("answer: true", "answer: maybe"))
    page.get_by_label("Upload a bank (.yaml) or a zip of banks").set_input_files(str(broken))
    page.get_by_role("button", name="Check and show the changes").click()
    problem = "broken.yaml:8: 'answer' must be true or false, got 'maybe'"
    expect(page.get_by_text(problem)).to_be_visible()
    assert not Question.objects.filter(uid="up-layers").exists()

    page.get_by_role("link", name="Back to the banks").click()
    good = tmp_path / "layers.yaml"
    good.write_text(BANK)
    page.get_by_label("Upload a bank (.yaml) or a zip of banks").set_input_files(str(good))
    page.get_by_role("button", name="Check and show the changes").click()
    expect(page.get_by_text("1 added")).to_be_visible()
    screenshot(page, "upload-diff")
    assert not Question.objects.filter(uid="up-layers").exists(), "nothing written before apply"
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Applied: 1 added")).to_be_visible()
    expect(page.locator("#q-up-layers")).to_be_visible()
    assert Question.objects.get(uid="up-layers").source_path == "uploads/layers.yaml"
    assert not page.console_errors, page.console_errors
