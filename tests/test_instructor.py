"""Instructor tools: preview, upload with a diff (valid, bad, huge, hostile), apply, download."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quizzes.authoring import uploads
from quizzes.models import Card, PendingUpload, Question, ReviewLog

from .conftest import BAD_CONTENT, FIXTURE_COURSE
from .factories import QuizAttemptFactory, UserFactory

pytestmark = pytest.mark.django_db
LIMITS = (FIXTURE_COURSE / "banks" / "limits.yaml").read_text()
NEW_BANK = """topic: limits
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


@pytest.fixture
def instructor(client, loaded_course):
    user = UserFactory(instructor=True)
    client.force_login(user)
    return user


def post_file(client, name: str, data: bytes | str):
    raw = data.encode() if isinstance(data, str) else data
    return client.post("/instructor/upload/", {"bank": SimpleUploadedFile(name, raw)})


def zipped(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_instructor_pages_are_for_instructors_only(client, loaded_course):
    urls = ["/instructor/banks/", "/instructor/banks/preview/?path=banks/limits.yaml",
            "/instructor/banks/download/?path=banks/limits.yaml", "/instructor/items/"]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 302, url
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert post_file(client, "x.yaml", NEW_BANK).status_code == 403


def test_preview_shows_every_question_with_its_key_and_the_files_problems(
    client, instructor, settings, tmp_path
):
    page = client.get("/instructor/banks/preview/?path=banks/limits.yaml").content.decode()
    assert page.count('class="review-card preview-card"') == 4
    assert (
        "is-correct" in page
        and "900 seconds is the maximum." in page
        and "The maximum timeout is" in page
    )
    import shutil

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    bank = root / "banks" / "limits.yaml"
    bank.write_text(
        bank.read_text().replace(
            "        correct: true\n        rationale: 900",
            "        corect: true\n        rationale: 900",
        )
    )
    page = client.get("/instructor/banks/preview/?path=banks/limits.yaml").content.decode()
    first_card = page.split('id="q-fx-timeout"')[1].split("</article>")[0]
    assert (
        "unknown key &#x27;corect&#x27; in a choice (did you mean &#x27;correct&#x27;?)"
        in first_card
    )


def test_an_invalid_upload_lists_every_problem_and_writes_nothing(client, instructor):
    response = post_file(client, "typo.yaml", (BAD_CONTENT / "typo_corect.yaml").read_bytes())
    page = response.content.decode()
    assert response.status_code == 200, "a form with errors, as Django renders them"
    assert "typo.yaml:10: unknown key &#x27;corect&#x27; in a choice" in page
    assert "typo.yaml:8: no right answer" in page
    assert (
        not PendingUpload.objects.exists()
        and not Question.objects.filter(uid="bad-typo-corect").exists()
    )


def test_a_valid_new_bank_shows_a_diff_and_nothing_is_written_before_apply(client, instructor):
    before = Question.objects.count()
    page = post_file(client, "extra.yaml", NEW_BANK).content.decode()
    assert "1 added" in page and "up-layers" in page and "uploads/extra.yaml" in page
    assert Question.objects.count() == before
    pending = PendingUpload.objects.get()
    response = client.post(f"/instructor/upload/{pending.pk}/apply/")
    assert response.status_code == 302
    question = Question.objects.get(uid="up-layers")
    assert question.source_path == "uploads/extra.yaml"
    assert not PendingUpload.objects.exists()


def test_cancel_changes_nothing(client, instructor):
    post_file(client, "extra.yaml", NEW_BANK)
    pending = PendingUpload.objects.get()
    client.post(f"/instructor/upload/{pending.pk}/cancel/")
    assert (
        not PendingUpload.objects.exists() and not Question.objects.filter(uid="up-layers").exists()
    )


def test_replacing_a_file_bank_diffs_added_changed_with_fields_and_retired_and_keeps_history(
    client, instructor
):
    learner = UserFactory()
    edited_q = Question.objects.get(uid="fx-timeout")
    gone_q = Question.objects.get(uid="fx-tmp-tf")
    card = Card.objects.create(user=learner, question=edited_q, state=2, reps=3)
    Card.objects.create(user=learner, question=gone_q, state=2, reps=1)
    ReviewLog.objects.create(
        card=card, user=learner, rating=3, reviewed_at="2026-11-01T10:00:00Z", state_before=2,
        interval_days=4, card_before={}, token="t1",
    )  # fmt: skip
    text = LIMITS.replace(
        "The maximum timeout is **900 seconds**.", "It is **900 seconds**, never more."
    )
    start = text.index("  - id: fx-tmp-tf")
    end = text.index("  - id: fx-timeout-card")
    text = text[:start] + text[end:] + NEW_BANK.split("questions:\n")[1]
    page = post_file(client, "limits.yaml", text).content.decode()
    assert "banks/limits.yaml" in page
    assert "1 added" in page and "1 changed" in page and "1 retired" in page
    assert "<code>fx-timeout</code>: <code>explanation</code>" in page
    assert (
        '<td class="diff-old"><del>The maximum timeout</del> is **900 <del>seconds**.</del>' in page
    )
    assert '<td class="diff-new"><ins>It</ins> is **900 <ins>seconds**, never more.</ins>' in page
    assert "answered attempt" in page
    assert "<strong>1</strong> learner has" in page
    client.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    edited = Question.objects.get(uid="fx-timeout")
    assert edited.pk == edited_q.pk and "never more" in edited.explanation_html
    assert Question.objects.get(uid="fx-tmp-tf").is_retired
    assert ReviewLog.objects.filter(card__question=edited).count() == 1, "history kept"


def test_download_then_upload_changes_nothing(client, instructor):
    exported = client.get("/instructor/banks/download/?path=banks/limits.yaml")
    assert exported["Content-Disposition"] == 'attachment; filename="limits.yaml"'
    page = post_file(client, "limits.yaml", exported.content).content.decode()
    assert (
        "No change:" in page and "0 added" in page and "0 changed" in page and "0 retired" in page
    )


def test_an_id_used_by_another_bank_is_refused(client, instructor):
    text = NEW_BANK.replace("up-layers", "fx-timeout")
    page = post_file(client, "other.yaml", text).content.decode()
    assert "duplicate id &#x27;fx-timeout&#x27; (also at" in page


def test_an_oversized_upload_is_refused(client, instructor):
    page = post_file(
        client, "big.yaml", "questions: []\n" + "#" * (uploads.MAX_UPLOAD_BYTES + 10)
    ).content.decode()
    assert "over the 5 MB limit" in page


def test_yaml_aliases_in_an_upload_are_refused(client, instructor):
    page = post_file(
        client, "laughs.yaml", (BAD_CONTENT / "billion_laughs.yaml").read_bytes()
    ).content.decode()
    assert "laughs.yaml:2: YAML aliases (*a) are not allowed" in page


def test_a_zip_bomb_stops_at_the_limit():
    bomb = zipped({"bomb.yaml": b"#" * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(uploads.UploadError, match="over the 1 MB limit once unpacked"):
        uploads.read_upload("bomb.zip", bomb)


@pytest.mark.parametrize(
    "name", ["../evil.yaml", "/etc/evil.yaml", "a/../../evil.yaml", "C:\\\\evil.yaml"]
)
def test_path_traversal_names_in_a_zip_are_refused(name):
    with pytest.raises(uploads.UploadError, match="not a safe file name"):
        uploads.read_upload("banks.zip", zipped({name: NEW_BANK}))


def test_a_zip_of_banks_is_checked_as_a_whole(client, instructor):
    second = NEW_BANK.replace("up-layers", "up-env").replace(
        "five layers", "4 KB of environment variables"
    )
    page = post_file(
        client, "two.zip", zipped({"a.yaml": NEW_BANK, "b.yaml": second})
    ).content.decode()
    assert "2 added" in page
    assert "not a bank" in post_file(client, "x.zip", zipped({"notes.txt": "hi"})).content.decode()
    assert "not a valid zip" in post_file(client, "x.zip", b"PK not really").content.decode()


def test_a_full_load_from_the_files_leaves_uploaded_banks_alone(client, instructor):
    from django.core.management import call_command

    post_file(client, "extra.yaml", NEW_BANK)
    client.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    call_command("load_content", stdout=io.StringIO())
    assert not Question.objects.get(uid="up-layers").is_retired


def test_item_analysis_lists_facility_and_picks_over_first_attempts(client, instructor):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import QuizItem

    question = Question.objects.get(uid="fx-timeout")
    right = next(c["key"] for c in question.choices if c["correct"])
    wrong = next(c["key"] for c in question.choices if not c["correct"])
    now = timezone.now()
    for index in range(4):
        learner = UserFactory()
        for attempt_number in range(2):  # only the first attempt counts
            attempt = QuizAttemptFactory(user=learner)
            picked = right if index < 3 or attempt_number else wrong
            QuizItem.objects.create(
                attempt=attempt,
                question=question,
                position=1,
                seed="s",
                answer={"selected": [picked]},
                correct=picked == right,
                answered_at=now + timedelta(minutes=attempt_number),
                duration_ms=8000,
            )
    assert "Not computed yet" in client.get("/instructor/items/").content.decode()
    client.post("/instructor/items/refresh/")  # the tests' task backend runs it at once
    page = client.get("/instructor/items/").content.decode()
    assert "Figures as of" in page
    row = page.split("<code>fx-timeout</code>")[1].split("</tr>")[0]
    assert '<td class="num">4</td>' in row, "four learners' first attempts"
    assert '<td class="num">0.75</td>' in row, "facility: three of four right"
    assert f"{right}: 3" in row and f"{wrong}: 1" in row
    assert '<td class="num">8 s</td>' in row
    assert "the key is the longest choice, 11% longer than the next" in row, "the writing cue"


def test_preview_shows_each_questions_item_writing_cues_and_the_banks_shares(client, instructor):
    page = client.get("/instructor/banks/preview/?path=banks/limits.yaml").content.decode()
    card = page.split('id="q-fx-timeout"')[1].split("</article>")[0]
    assert "cue: the key is the longest choice, 11% longer than the next" in card
    assert "Item-writing cues in this bank" in page and "limits: longest key 100%" in page


FORM_BANK = """topic: limits
questions:
  - id: form-yes-key
    type: single
    difficulty: medium
    tags: [dva-c02]
    stem: An API Gateway API calls the function, which writes to DynamoDB. Is code signing slow?
    choices:
      - {text: "Yes, it adds a check", correct: true, rationale: r}
      - {text: "No, it runs at deployment", rationale: r}
      - {text: "No, it runs once", rationale: r}
      - {text: "No, never", rationale: r}
    explanation: e
    references:
      - https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
"""


def test_preview_shows_the_cues_of_form_and_the_multi_service_share(
    client, instructor, settings, tmp_path
):
    import os
    import shutil

    from django.core.management import call_command

    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    (root / "banks" / "form.yaml").write_text(FORM_BANK)
    settings.CONTENT_DIR = root
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    page = client.get("/instructor/banks/preview/?path=banks/form.yaml").content.decode()
    card = page.split('id="q-form-yes-key"')[1].split("</article>")[0]
    assert "cue: the key is the odd one out: it starts &#x27;yes&#x27;" in card
    assert "odd one out keys 100%" in page and "multi-service 100% (1 of 1)" in page


def test_preview_checks_a_bank_once_until_a_content_file_changes(
    client, instructor, settings, tmp_path, monkeypatch
):
    import shutil

    from quizzes.authoring import preview

    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    settings.CONTENT_DIR = root
    calls = []
    real = preview.check_course
    monkeypatch.setattr(preview, "check_course", lambda *a, **k: calls.append(1) or real(*a, **k))
    url = "/instructor/banks/preview/?path=banks/limits.yaml"
    client.get(url)
    client.get(url)
    assert len(calls) == 1
    note = root / "notes" / "limits.md"
    note.write_text(note.read_text() + "\nOne more line.\n")
    client.get(url)
    assert len(calls) == 2


def test_preview_lists_the_items_without_a_translation(client, instructor):
    from quizzes.course.translations import CONTENT_LANGUAGES

    assert "es" in CONTENT_LANGUAGES
    url = "/instructor/banks/preview/?path=banks/limits.yaml"
    page = client.get(url).content.decode()
    gaps = page.split('id="untranslated-es"')[1].split("</details>")[0]
    assert "Spanish: 4 of 4 items without a translation" in gaps
    assert '<a href="#q-fx-timeout"><code>fx-timeout</code></a>' in gaps
    # A translated row (as load_content stores it) leaves the list; a stale one is named stale.
    Question.objects.filter(uid="fx-timeout").update(translations={"es": {"stale": False}})
    Question.objects.filter(uid="fx-timeout-card").update(translations={"es": {"stale": True}})
    gaps = client.get(url).content.decode().split('id="untranslated-es"')[1].split("</details>")[0]
    assert "2 of 4 items without a translation; 1 stale" in gaps
    assert '#q-fx-timeout"' not in gaps.split("Stale")[0]
    assert "<code>fx-timeout-card</code>" in gaps.split("Stale")[1]
