"""The "shipped items must be translated" switch, and the exams' translated titles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.course import translations as tr
from quizzes.course.check import check_course

from .conftest import FIXTURE_COURSE
from .test_translations import write

BLUEPRINT = """\
slug: fx-sprint
title: Fixture sprint
description: Ten questions in 15 minutes.
questions: 10
scored: 10
duration_minutes: 15
topics:
  limits: 50
  pricing: 50
difficulty:
  easy: 50
  medium: 50
scoring: percent
pass_mark: 70
"""

NOTE = """\
---
title: {title}
summary: Traducida.
source: {source}
---
{body}"""


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """The fixture course and one exam blueprint, with nothing translated."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    (root / "exams").mkdir()
    (root / "exams/fx-sprint.yaml").write_text(BLUEPRINT, encoding="utf-8")
    return root


def translate_everything(root: Path) -> None:
    """A complete Spanish translation: every item (the stub), every note section, the exam."""
    course = check_course([root], root)
    write(root, "banks/all.yaml", tr.stub(course.questions))
    for note in course.notes:
        body = "\n".join(
            f"{head.rstrip()} {{#{anchor}}}\n{text}"
            for (head, text), (anchor, _) in zip(
                tr.split_sections(note.body)[1:], tr.english_sections(note), strict=True
            )
        )
        write(root, f"notes/{note.topic}.md", NOTE.format(
            title=note.title, source=tr.note_source_hash(note), body=body))  # fmt: skip
    write(root, "exams.yaml", EXAMS.format(source=tr.exam_source_hash(
        "Fixture sprint", "Ten questions in 15 minutes.")))  # fmt: skip


EXAMS = """\
fx-sprint:
  source: {source}
  title: Sprint de prueba
  description: Diez preguntas en 15 minutos.
"""


def run(root: Path, settings) -> None:
    settings.CONTENT_DIR = root
    call_command("check_content", str(root), "--strict")


def test_off_a_missing_translation_is_only_counted(course_dir, settings, capsys):
    assert not tr.REQUIRED_LANGUAGES  # a course says what it ships complete
    run(course_dir, settings)
    assert "translation es: notes 0 of 2 (0%)" in capsys.readouterr().out


def test_the_shipped_course_declares_spanish_complete():
    assert tr.declared_complete(Path(__file__).resolve().parent.parent / "content") == (
        frozenset({"es"}),
        [],
    )


def test_a_course_that_declares_spanish_complete_fails_on_a_missing_translation(
    course_dir, settings, capsys
):
    translate_everything(course_dir)
    (course_dir / "translations/languages.yaml").write_text("complete: [es]\n", encoding="utf-8")
    run(course_dir, settings)  # complete: passes
    bank = course_dir / "translations/es/banks/all.yaml"
    bank.write_text(bank.read_text().replace("fx-ten-gb:", "fx-ten-gb-gone:"))
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    assert "es: 'fx-ten-gb' has no translation" in capsys.readouterr().out


def test_a_bad_declaration_of_complete_languages_is_a_problem(course_dir, settings, capsys):
    (course_dir / "translations").mkdir(exist_ok=True)
    (course_dir / "translations/languages.yaml").write_text("complete: [fr]\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    assert "languages.yaml:1: complete must be a list of course languages (es)" in (
        capsys.readouterr().out
    )


def test_on_a_missing_translation_fails_check_content(course_dir, settings, capsys, monkeypatch):
    monkeypatch.setattr(tr, "REQUIRED_LANGUAGES", frozenset({"es"}))
    translate_everything(course_dir)
    run(course_dir, settings)  # complete: passes with the switch on
    out = capsys.readouterr().out
    assert "notes 2 of 2 (100%)" in out and "exams 1 of 1 (100%)" in out
    # One item, one note and the exam lose their translation: each one is a problem.
    bank = course_dir / "translations/es/banks/all.yaml"
    bank.write_text(bank.read_text().replace("fx-ten-gb:", "fx-ten-gb-gone:"))
    (course_dir / "translations/es/notes/pricing.md").unlink()
    (course_dir / "translations/es/exams.yaml").unlink()
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    out = capsys.readouterr().out
    assert "banks/limits.yaml" in out and "es: 'fx-ten-gb' has no translation" in out
    assert "notes/pricing.md:1: es: the note has no translation" in out
    assert "exams/fx-sprint.yaml:1: es: the exam 'fx-sprint' has no translated title" in out


def test_the_shares_never_round_a_missing_translation_up_to_100_percent():
    es = tr.LanguageSet("es", coverage={"flashcards": (405, 406), "notes": (1, 3), "exams": (0, 0)})
    assert es.summary_line() == (
        "translation es: flashcards 405 of 406 (99%), notes 1 of 3 (33%), exams 0 of 0 (-); 0 stale"
    )


def test_exam_titles_are_checked_like_items(course_dir, settings, capsys):
    source = tr.exam_source_hash("Fixture sprint", "Ten questions in 15 minutes.")
    write(course_dir, "exams.yaml", EXAMS.format(source=source).replace("15 minutos", "20 minutos"))
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    assert "exam 'fx-sprint': the translated description drops 15 and adds 20" in (
        capsys.readouterr().out
    )
    write(course_dir, "exams.yaml", EXAMS.format(source="0" * 12).replace("fx-sprint", "fx-sprnt"))
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    out = capsys.readouterr().out
    assert "no exam blueprint has the slug 'fx-sprnt' (did you mean 'fx-sprint'?)" in out
    write(course_dir, "exams.yaml", EXAMS.format(source="0" * 12))
    with pytest.raises(SystemExit):
        run(course_dir, settings)
    assert "exam 'fx-sprint': stale translation" in capsys.readouterr().out
    write(course_dir, "exams.yaml", EXAMS.format(source=source))
    run(course_dir, settings)
    assert "exams 1 of 1 (100%)" in capsys.readouterr().out


def test_the_exams_stub_checks_clean(course_dir, settings, capsys):
    from exams.blueprints.spec import check_blueprints

    specs, _ = check_blueprints([course_dir], {"limits", "pricing"})
    write(course_dir, "exams.yaml", tr.exams_stub(specs))
    run(course_dir, settings)
    assert "exams 1 of 1 (100%)" in capsys.readouterr().out


def test_the_anchors_of_h3_headings_are_not_read_as_figures(course_dir):
    note = course_dir / "notes/limits.md"
    note.write_text(
        note.read_text().replace("## Timeout\n", "## Timeout\n\n### SAA-C03 exam\n\nText.\n")
    )
    notes = {n.topic: n for n in check_course([course_dir], course_dir).notes}
    body = "## Tiempo de espera {#timeout}\n\n### Examen SAA-C03 {#saa-c03-exam}\n\nTexto.\n" + (
        note.read_text().split("Text.\n", 1)[1].replace("A function runs for at most", "Dura")
    )
    write(course_dir, "notes/limits.md", NOTE.format(
        title="Límites", source=tr.note_source_hash(notes["limits"]), body=body))  # fmt: skip
    course = check_course([course_dir], course_dir)
    assert course.problems == [], [str(p) for p in course.problems]
