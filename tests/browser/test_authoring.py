"""In real Chromium: a browser edit against load_content; ordering and matching by keyboard."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from exams.models import ExamAttempt
from quizzes.models import Question
from quizzes.study.answering import public_key

from ..conftest import FIXTURE_COURSE, TESTS
from ..factories import BlueprintFactory
from .conftest import screenshot
from .helpers import new_user_logged_in

pytestmark = pytest.mark.django_db(transaction=True)
OLD_STEM = "What is the longest a Lambda invocation can run?"
NEW_STEM = "How long can one Lambda invocation run, at most?"


def load(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("load_content", *args, stdout=out, stderr=out)
    except SystemExit as exit:
        return int(exit.code), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def course(tmp_path, settings):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    shutil.copy(TESTS / "fixtures" / "extra" / "ordering-matching.yaml", root / "banks")
    settings.CONTENT_DIR = root
    assert load()[0] == 0
    return root


def test_a_stem_edited_in_the_browser_survives_load_content_or_is_a_named_conflict(
    page, course, tmp_path
):
    new_user_logged_in(page, "teacher", instructor=True)
    page.goto("/instructor/banks/")
    with page.expect_download() as download:
        page.locator("tr", has_text="banks/limits.yaml").get_by_role(
            "link", name="Download YAML"
        ).click()
    edited = tmp_path / "limits.yaml"
    download.value.save_as(edited)
    edited.write_text(edited.read_text().replace(OLD_STEM, NEW_STEM))
    page.get_by_label("Upload a bank (.yaml) or a zip of banks").set_input_files(str(edited))
    page.get_by_role("button", name="Check and show the changes").click()
    expect(page.locator("td.diff-new ins").first).to_be_visible()
    screenshot(page, "upload-diff-text")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text(NEW_STEM)).to_be_visible()

    # The deploy runs load_content: the file did not change, so the browser edit stays.
    assert load()[0] == 0
    page.goto("/instructor/banks/preview/?path=banks/limits.yaml")
    expect(page.get_by_text(NEW_STEM)).to_be_visible()
    expect(page.get_by_text(OLD_STEM)).to_have_count(0)

    # Someone changes the file in git meanwhile: the load stops and names the conflict.
    bank = course / "banks" / "limits.yaml"
    bank.write_text(
        bank.read_text().replace("900 seconds is the maximum.", "Fifteen minutes is the maximum.")
    )
    status, output = load()
    assert status == 1
    assert re.search(
        r"limits\.yaml:\d+: conflict: 'fx-timeout' was edited in the browser on .* by teacher; "
        r"--theirs keeps the file, --ours keeps the browser edit",
        output,
    ), output
    assert Question.objects.get(uid="fx-timeout").stem_html.find(NEW_STEM) >= 0

    page.goto("/instructor/banks/")
    expect(page.get_by_text("Edited in the browser, not yet in the files")).to_be_visible()
    expect(page.get_by_role("link", name="Download the edited bank")).to_be_visible()
    screenshot(page, "banks-edited-in-browser")
    assert not page.console_errors, page.console_errors


def _tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def _choose_by_keyboard(page, select_id: str, value: str) -> None:
    """Arrow keys on a focused select, as a keyboard user does, until it shows `value`."""
    _tab_to(page, select_id)
    for _ in range(12):
        if page.evaluate(f"document.getElementById('{select_id}').value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} not reachable in #{select_id}")


def test_ordering_and_matching_in_a_mock_exam_by_keyboard(page, course):
    BlueprintFactory(slug="slots", title="Slots exam", topic_weights={"pricing": 1},
                     difficulty_mix={"medium": 1})  # fmt: skip
    new_user_logged_in(page, "keyboarder")
    page.goto("/exams/")
    page.locator("li.card", has_text="Slots exam").get_by_role(
        "button", name="Start or resume"
    ).click()
    expect(page).to_have_url(re.compile(r"/exams/attempt/\d+/$"))
    attempt = ExamAttempt.objects.get(user__username="keyboarder")
    for item in attempt.items.select_related("question").order_by("position"):
        expect(page.get_by_text(f"Question {item.position} of 2")).to_be_visible()
        question = item.question
        if question.type == "ordering":
            wanted = [
                f"{n}={public_key(item.seed, c['key'])}" for n, c in enumerate(question.choices, 1)
            ]
        else:
            wanted = {
                public_key(item.seed, c["key"]): public_key(item.seed, c["match"])
                for c in question.choices
                if c.get("role") == "prompt"
            }
            labels = page.locator("select.slot-select").evaluate_all(
                "els => els.map(e => e.options[1].value.split('=')[0])"
            )
            wanted = [f"{slot}={wanted[slot]}" for slot in labels]
        for index, value in enumerate(wanted, 1):
            _choose_by_keyboard(page, f"slot-{index}", value)
        expect(page.locator("#save-status")).to_contain_text("Saved")
        screenshot(page, f"exam-{question.type}")
        if item.position == 1:
            page.get_by_role("button", name="Next").focus()
            page.keyboard.press("Enter")
    # Review and submit, by keyboard.
    page.get_by_role("button", name="Review and submit").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Submit the exam").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 of 2 scored questions right")).to_be_visible()
    screenshot(page, "exam-slots-results")
    assert not page.console_errors, page.console_errors


def test_a_choose_two_exam_question_refuses_a_third_box_in_the_page(page, loaded_course):
    BlueprintFactory(title="Mini exam", difficulty_mix={"easy": 1, "medium": 1, "hard": 1})
    new_user_logged_in(page, "ticker")
    page.goto("/exams/")
    page.locator("li.card", has_text="Mini exam").get_by_role(
        "button", name="Start or resume"
    ).click()
    expect(page).to_have_url(re.compile(r"/exams/attempt/\d+/$"))
    attempt = ExamAttempt.objects.get(user__username="ticker")
    item = attempt.items.get(question__type="multiple")
    page.goto(f"/exams/attempt/{attempt.pk}/?q={item.position}")
    boxes = page.locator("#exam-question input[type=checkbox][name=choice]")
    boxes.nth(0).check()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    boxes.nth(1).check()
    boxes.nth(2).click()
    expect(page.get_by_text("Choose two: untick one before you tick another.")).to_be_visible()
    expect(boxes.nth(2)).not_to_be_checked()
    screenshot(page, "exam-choose-two")
    item.refresh_from_db()
    assert len(item.selected) <= 2
    assert not page.console_errors, page.console_errors
