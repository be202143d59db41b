"""No instructor edit is lost silently: a bank edited in the browser against load_content."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quizzes.models import LoadedFile, PendingUpload, Question

from .conftest import FIXTURE_COURSE
from .factories import UserFactory

pytestmark = pytest.mark.django_db
OLD = "The maximum timeout is **900 seconds**."


def load(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def course(tmp_path, settings):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    assert load()[0] == 0
    return root


@pytest.fixture
def instructor(client, course):
    user = UserFactory(instructor=True, username="ada")
    client.force_login(user)
    return user


def edit_in_browser(client, course, new: str) -> None:
    text = (course / "banks" / "limits.yaml").read_text().replace(OLD, new)
    upload = SimpleUploadedFile("limits.yaml", text.encode())
    client.post("/instructor/upload/", {"bank": upload})
    client.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")


def explanation() -> str:
    return Question.objects.get(uid="fx-timeout").explanation_html


def test_every_loaded_file_has_a_fingerprint_and_an_unchanged_file_is_not_read_again(course):
    assert LoadedFile.objects.filter(path="banks/limits.yaml").exists()
    before = list(Question.objects.values_list("id", "updated_at"))
    assert load()[0] == 0
    assert list(Question.objects.values_list("id", "updated_at")) == before


def test_a_browser_edit_survives_load_content_while_the_file_is_unchanged(
    client, instructor, course
):
    edit_in_browser(client, course, "Edited in the browser.")
    question = Question.objects.get(uid="fx-timeout")
    assert "Edited in the browser" in question.explanation_html
    assert question.edited_by.username == "ada" and question.edited_at is not None
    assert load()[0] == 0
    assert "Edited in the browser" in explanation()


def test_a_changed_file_that_would_overwrite_a_browser_edit_is_refused_naming_it(
    client, instructor, course
):
    edit_in_browser(client, course, "Edited in the browser.")
    bank = course / "banks" / "limits.yaml"
    bank.write_text(bank.read_text().replace(OLD, "Edited in git."))
    status, output = load()
    assert status == 1
    line = next(n for n, text in enumerate(bank.read_text().splitlines(), 1)
                if "id: fx-timeout" in text)  # fmt: skip
    assert (
        f"limits.yaml:{line}: conflict: 'fx-timeout' was edited in the browser on " in output
        and "by ada; --theirs keeps the file, --ours keeps the browser edit" in output
    )
    assert "nothing was imported" in output
    assert "Edited in the browser" in explanation()

    status, output = load("--ours")
    assert status == 0 and "browser edits kept: fx-timeout" in output
    assert "Edited in the browser" in explanation()

    bank.write_text(bank.read_text().replace("Edited in git.", "Edited in git, again."))
    assert load()[0] == 1, "the browser edit is still protected"
    assert load("--theirs")[0] == 0
    assert "Edited in git, again" in explanation()
    assert Question.objects.get(uid="fx-timeout").edited_at is None


def test_committing_the_downloaded_bank_clears_the_mark(client, instructor, course):
    edit_in_browser(client, course, "Edited in the browser.")
    page = client.get("/instructor/banks/").content.decode()
    assert "Edited in the browser, not yet in the files" in page
    assert "Download the edited bank" in page
    downloaded = client.get("/instructor/banks/download/?path=banks/limits.yaml").content
    (course / "banks" / "limits.yaml").write_bytes(downloaded)
    assert load()[0] == 0
    question = Question.objects.get(uid="fx-timeout")
    assert question.edited_at is None and "Edited in the browser" in question.explanation_html
    assert "not yet in the files" not in client.get("/instructor/banks/").content.decode()


def test_a_question_added_in_the_browser_is_not_retired_by_an_unchanged_file(
    client, instructor, course
):
    text = (course / "banks" / "limits.yaml").read_text() + (
        "  - id: up-layers\n    type: true_false\n    difficulty: easy\n    tags: [dva-c02]\n"
        "    stem: A function can use up to five layers.\n    answer: true\n"
        "    explanation: Five layers.\n    references:\n"
        "      - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html\n"
    )
    client.post("/instructor/upload/", {"bank": SimpleUploadedFile("limits.yaml", text.encode())})
    client.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    assert load()[0] == 0
    assert not Question.objects.get(uid="up-layers").is_retired
    bank = course / "banks" / "limits.yaml"
    bank.write_text(bank.read_text().replace(OLD, "Edited in git."))
    status, output = load()
    assert status == 1 and "conflict: 'up-layers'" in output
