"""load_content: all-or-nothing, idempotent, keeps ids (and so learners' history) across edits."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes.management.commands import load_content as load_command
from quizzes.models import Question, Topic

from .conftest import BAD_CONTENT, FIXTURE_COURSE

pytestmark = pytest.mark.django_db


def load(*paths: str) -> str:
    out = StringIO()
    call_command("load_content", *paths, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def course(tmp_path, settings):
    """A writable copy of the fixture course, set as the content folder."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    return root


def test_first_load_adds_everything(course):
    assert load() == "7 added, 0 updated, 0 unchanged, 0 retired (2 notes, 5 questions)"
    assert Topic.objects.count() == 2
    assert set(Question.objects.values_list("uid", flat=True)) == {
        "fx-timeout", "fx-ten-gb", "fx-tmp-tf", "fx-timeout-card", "fx-requests-bill",
    }  # fmt: skip


def test_second_load_changes_nothing(course):
    load()
    before = list(Question.objects.values_list("id", "updated_at", "fingerprint"))
    assert load("--all") == "0 added, 0 updated, 7 unchanged, 0 retired (2 notes, 5 questions)"
    assert list(Question.objects.values_list("id", "updated_at", "fingerprint")) == before


def test_an_unchanged_course_is_not_read_again(course, django_assert_max_num_queries):
    files = sum(1 for p in course.rglob("*") if p.is_file())
    load()
    # Two to see the database is migrated, one for the files' fingerprints, two for their rows.
    with django_assert_max_num_queries(5):
        assert load() == f"{files} files unchanged since the last load: nothing to do"


def test_a_change_in_the_database_since_the_last_load_makes_it_load_again(course):
    load()
    Topic.objects.filter(slug="limits").update(retired_at=timezone.now())
    assert load().startswith("0 added, 1 updated, 6 unchanged, 0 retired")
    assert Topic.objects.get(slug="limits").retired_at is None
    # A row changed since (an edit in the browser): the load runs, and the per-file rule leaves
    # the questions of an unchanged file as they are.
    Question.objects.filter(uid="fx-timeout").update(updated_at=timezone.now())
    assert load() == "0 added, 0 updated, 7 unchanged, 0 retired (2 notes, 5 questions)"
    assert load("--all") == load("--all")  # and both run: the files are read again
    assert "unchanged since the last load" in load()


def test_a_file_removed_and_brought_back_is_read_again(course, tmp_path):
    extra = course / "banks" / "extra.yaml"
    extra.write_text((course / "banks" / "limits.yaml").read_text().replace("fx-", "ex-"))
    load()
    kept = tmp_path / "extra.yaml"
    extra.rename(kept)
    assert load().startswith("0 added, 0 updated, 7 unchanged, 4 retired")
    assert "unchanged since the last load" in load()
    kept.rename(extra)
    assert load().startswith("0 added, 4 updated, 7 unchanged, 0 retired")
    assert not Question.objects.filter(retired_at__isnull=False).exists()


def test_a_change_to_the_code_that_checks_the_course_makes_it_load_again(course, monkeypatch):
    load()
    monkeypatch.setattr(load_command, "code_version", lambda code=(): "another version")
    assert "unchanged since the last load" not in load()
    assert "unchanged since the last load" in load()


def test_a_new_or_edited_file_makes_it_load_again(course):
    load()
    (course / "notes" / "README.txt").write_text("not part of the course")
    assert "added" in load()
    bank = course / "banks" / "limits.yaml"
    bank.write_text(bank.read_text().replace("The maximum timeout is", "The hard limit is"))
    assert load().startswith("0 added, 1 updated, 6 unchanged, 0 retired")


def test_an_edited_question_keeps_its_row_and_is_counted_as_updated(course):
    load()
    original = Question.objects.get(uid="fx-timeout")
    bank = course / "banks" / "limits.yaml"
    bank.write_text(bank.read_text().replace("The maximum timeout is", "The hard limit is"))
    assert load().startswith("0 added, 1 updated, 6 unchanged, 0 retired")
    edited = Question.objects.get(uid="fx-timeout")
    assert edited.pk == original.pk
    assert "hard limit" in edited.explanation_html


def test_a_removed_question_is_retired_not_deleted_and_comes_back_with_its_row(course):
    load()
    kept_pk = Question.objects.get(uid="fx-tmp-tf").pk
    bank = course / "banks" / "limits.yaml"
    original = bank.read_text()
    start = original.index("  - id: fx-tmp-tf")
    end = original.index("  - id: fx-timeout-card")
    bank.write_text(original[:start] + original[end:])
    assert load().startswith("0 added, 0 updated, 6 unchanged, 1 retired")
    retired = Question.objects.get(uid="fx-tmp-tf")
    assert retired.pk == kept_pk and retired.is_retired
    assert Question.objects.live().count() == 4

    bank.write_text(original)
    assert load().startswith("0 added, 1 updated, 6 unchanged, 0 retired")
    assert not Question.objects.get(uid="fx-tmp-tf").is_retired


def test_loading_one_file_retires_only_what_left_that_file(course):
    load()
    extra = course / "banks" / "extra.yaml"
    extra.write_text((course / "banks" / "limits.yaml").read_text().replace("fx-", "ex-"))
    load()
    extra.write_text(extra.read_text().split("  - id: ex-ten-gb")[0])
    summary = load(str(extra))
    assert "1 added" not in summary and "3 retired" in summary
    assert Question.objects.live().filter(uid__startswith="fx-").count() == 5


def test_nothing_is_imported_when_any_file_has_a_problem(course, capsys):
    shutil.copy(BAD_CONTENT / "typo_corect.yaml", course / "banks" / "typo.yaml")
    with pytest.raises(SystemExit) as exit:
        load()
    assert exit.value.code == 1
    assert Question.objects.count() == 0 and Topic.objects.count() == 0
    err = capsys.readouterr()
    assert "nothing was imported" in err.err


def test_markdown_is_rendered_once_with_toc_tables_code_and_note_links(course):
    load()
    topic = Topic.objects.get(slug="limits")
    assert '<h2 id="timeout">' in topic.note_html
    assert "<table>" in topic.note_html
    assert (
        'class="highlight"' in topic.note_html and '<span class="k">def</span>' in topic.note_html
    )
    assert 'href="/notes/pricing/#requests"' in topic.note_html
    assert 'href="#timeout"' in topic.toc_html
    card = Question.objects.get(uid="fx-timeout-card")
    assert 'href="/notes/limits/"' in card.back_html


def test_the_answer_key_is_stored_per_choice(course):
    load()
    question = Question.objects.get(uid="fx-ten-gb")
    assert question.choose == 2
    assert [c["correct"] for c in question.choices] == [True, True, False]
    assert question.spec["id"] == "fx-ten-gb"
    assert set(question.tags.values_list("name", flat=True)) == {"saa-c03"}
    true_false = Question.objects.get(uid="fx-tmp-tf")
    assert [(c["key"], c["correct"]) for c in true_false.choices] == [
        ("true", False),
        ("false", True),
    ]


def test_tags_follow_an_edit(course):
    load()
    bank = course / "banks" / "limits.yaml"
    bank.write_text(bank.read_text().replace("tags: [saa-c03]", "tags: [saa-c03, dva-c02, memory]"))
    load()
    names = set(Question.objects.get(uid="fx-ten-gb").tags.values_list("name", flat=True))
    assert names == {"saa-c03", "dva-c02", "memory"}
