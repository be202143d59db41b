"""Moodle banks in full: GIFT with numerical and matching, Moodle XML in and out, all checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from quizzes.course.bank import parse_bank
from quizzes.course.check import check_course
from quizzes.course.importers import dump_bank, gift, moodle_xml

from .conftest import FIXTURE_COURSE, TESTS

MOODLE = TESTS / "fixtures" / "moodle"
TYPES = ["single", "true_false", "multiple", "numeric", "numeric", "numeric", "matching"]


def run(name: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except SystemExit as exit:
        return int(exit.code), out.getvalue()
    return 0, out.getvalue()


def test_a_gift_file_with_every_common_type_converts_in_full_and_passes_the_checker(tmp_path):
    out = tmp_path / "moodle.yaml"
    status, output = run("import_gift", str(MOODLE / "sample.gift"), "-o", str(out),
                         "--topic", "limits", "--tags", "dva-c02")  # fmt: skip
    assert status == 0, output
    assert output.splitlines()[-1] == "7 converted, 0 skipped"
    course = check_course([out], context_dir=FIXTURE_COURSE)
    assert course.problems == []
    assert [q.type for q in course.questions] == TYPES
    numeric = [q.spec for q in course.questions if q.type == "numeric"]
    assert [("answer" in s, "range" in s) for s in numeric] == [
        (True, False), (True, False), (False, True)
    ]  # fmt: skip


def test_a_moodle_xml_file_converts_every_mapped_type_and_names_the_rest(tmp_path):
    out = tmp_path / "moodle.yaml"
    status, output = run("import_moodle_xml", str(MOODLE / "sample.xml"), "-o", str(out),
                         "--topic", "pricing", "--tags", "dva-c02")  # fmt: skip
    assert status == 0, output
    assert f"{MOODLE / 'sample.xml'}:73: skipped: essay questions cannot be marked" in output
    assert output.splitlines()[-1] == "8 converted, 1 skipped"
    course = check_course([out], context_dir=FIXTURE_COURSE)
    assert course.problems == []
    by_id = {q.uid: q for q in course.questions}
    assert by_id["pricing-timeout-max"].topic == "limits", "the category names a topic"
    assert "concurrency" in by_id["pricing-concurrency-match"].tags, "other categories: tags"
    assert "storage" in by_id["pricing-tmp-default"].tags, "Moodle tags"
    assert by_id["pricing-max-memory"].spec["unit"] == "MB"
    assert by_id["pricing-cold-start-order"].spec["steps"][0] == "Start the execution environment"
    assert by_id["pricing-timeout-max"].choices[0].rationale == "Right: 900 seconds."


def test_a_bank_exported_as_moodle_xml_comes_back_the_same():
    result = gift.convert((MOODLE / "sample.gift").read_text(), topic="limits",
                          id_prefix="mx", tags=["dva-c02"])  # fmt: skip
    bank = parse_bank("b.yaml", dump_bank(result.questions, "limits"))
    assert bank.problems == []
    text, skipped = moodle_xml.export([q.spec for q in bank.questions])
    assert skipped == []
    back = moodle_xml.convert(text, topic="limits", id_prefix="mx", tags=["dva-c02"],
                              topics=["limits"])  # fmt: skip
    assert back.skipped == []
    again = parse_bank("b.yaml", dump_bank(back.questions, "limits"))
    assert again.problems == []
    for before, after in zip(bank.questions, again.questions, strict=True):
        assert (after.uid, after.type, after.stem) == (before.uid, before.type, before.stem)
        assert [(c.text, c.correct, c.rationale) for c in after.choices] == [
            (c.text, c.correct, c.rationale) for c in before.choices
        ]
        assert after.explanation == before.explanation


def test_export_moodle_xml_names_what_moodle_cannot_hold(tmp_path):
    out = tmp_path / "limits.xml"
    status, output = run("export_moodle_xml", str(FIXTURE_COURSE / "banks" / "limits.yaml"),
                         "-o", str(out))  # fmt: skip
    assert status == 0, output
    assert "not exported: fx-timeout-card: flashcards have no Moodle equivalent" in output
    assert out.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', "DOCTYPE"),
        ("<quiz><question type='multichoice'>", "not well-formed XML"),
        ("<questions/>", "starts with <quiz>"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_reason(text, reason):
    result = moodle_xml.convert(text, topic="limits", id_prefix="x")
    assert result.questions == [] and reason in result.skipped[0][1]


def test_the_shipped_yaml_of_an_import_is_plain_yaml():
    result = moodle_xml.convert((MOODLE / "sample.xml").read_text(), topic="limits",
                                id_prefix="x", topics=["limits"])  # fmt: skip
    assert yaml.safe_load(dump_bank(result.questions, "limits"))["topic"] == "limits"
    assert Path(MOODLE / "sample.xml").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "converted"), [("sample.gift", 7), ("sample.xml", 8), ("aiken.txt", 1)]
)
def test_the_upload_page_converts_moodle_files_shows_the_yaml_and_the_diff(
    client, loaded_course, name, converted
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quizzes.models import PendingUpload

    from .factories import UserFactory

    client.force_login(UserFactory(instructor=True))
    raw = (
        (MOODLE / name).read_bytes()
        if name != "aiken.txt"
        else b"Largest memory setting?\nA. 3,008 MB\nB. 10,240 MB\nANSWER: B\n"
    )
    upload = SimpleUploadedFile(name, raw)
    page = client.post(
        "/instructor/upload/", {"bank": upload, "topic": "pricing", "exam": "saa-c03"}
    )
    html = page.content.decode()
    assert f"{converted} question" in html and "The bank as YAML" in html
    assert "Review the changes" in html, html[html.find("<main") : html.find("<main") + 3000]
    pending = PendingUpload.objects.get()
    assert list(pending.targets.values()) == [f"uploads/{name.rsplit('.', 1)[0]}.yaml"]
    client.post(f"/instructor/upload/{pending.pk}/apply/")
    from quizzes.models import Question

    assert Question.objects.filter(source_path__startswith="uploads/").count() == converted


@pytest.mark.django_db
def test_an_import_without_a_topic_is_refused_with_a_message(client, loaded_course):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import UserFactory

    client.force_login(UserFactory(instructor=True))
    upload = SimpleUploadedFile("sample.gift", (MOODLE / "sample.gift").read_bytes())
    html = client.post("/instructor/upload/", {"bank": upload}).content.decode()
    assert "Choose the topic the imported questions belong to." in html


@pytest.mark.django_db
def test_an_instructor_downloads_a_bank_as_moodle_xml(client, loaded_course):
    from .factories import UserFactory

    client.force_login(UserFactory(instructor=True))
    response = client.get("/instructor/banks/moodle/?path=banks/limits.yaml")
    assert response["Content-Disposition"] == 'attachment; filename="limits.xml"'
    assert response["X-Not-Exported"] == "fx-timeout-card"
    back = moodle_xml.convert(response.content.decode(), topic="limits", id_prefix="fx",
                              topics=["limits"])  # fmt: skip
    assert [q["id"] for q in back.questions] == ["fx-timeout", "fx-ten-gb", "fx-tmp-tf"]
    client.force_login(UserFactory())
    assert client.get("/instructor/banks/moodle/?path=banks/limits.yaml").status_code == 403
