"""In real Chromium: a Moodle file converted in the background, its progress polled by htmx until
the report and the diff appear; a converted image shown in the preview."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import ImportJob

from ..conftest import FIXTURE_COURSE, TESTS
from .conftest import screenshot
from .helpers import new_user_logged_in

pytestmark = pytest.mark.django_db(transaction=True)
CASES = TESTS / "moodle_cases"


@pytest.fixture
def course(tmp_path, settings):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    call_command("load_content", stdout=StringIO())
    return root


def test_a_job_page_polls_until_the_report_is_there(page, course):
    new_user_logged_in(page, "teacher", instructor=True)
    job = ImportJob.objects.create(
        user=User.objects.get(username="teacher"), name="big.xml", raw=b"", topic="limits",
        state=ImportJob.State.CONVERTING, converted=500,
    )  # fmt: skip
    page.goto(f"/instructor/upload/import/{job.pk}/")
    expect(page.get_by_text("500 questions read so far")).to_be_visible()
    ImportJob.objects.filter(pk=job.pk).update(converted=1000)
    expect(page.get_by_text("1000 questions read so far")).to_be_visible()
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE, result_html="<h1>Review the changes</h1>"
    )
    expect(page.get_by_role("heading", name="Review the changes")).to_be_visible()


def test_an_imported_image_shows_in_the_preview(page, course):
    new_user_logged_in(page, "teacher", instructor=True)
    page.goto("/instructor/banks/")
    page.get_by_label("Upload a bank (.yaml)").set_input_files(str(Path(CASES / "cases.xml")))
    page.get_by_label("Exam of imported Moodle questions").select_option("saa-c03")
    page.get_by_role("button", name="Check and show the changes").click()
    expect(page.get_by_text("1 image kept with the upload")).to_be_visible()
    screenshot(page, "moodle-import-report")
    page.get_by_role("button", name="Apply").click()
    image = page.get_by_role("img", name="An SQS queue feeding a function")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 48  # served, and allowed by the CSP
    expect(page.get_by_text("6 items still carry an importer's placeholder")).to_be_visible()
    screenshot(page, "moodle-import-preview")
