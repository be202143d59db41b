"""Course translations: files keyed by id, checked against the English, loaded beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from quizzes.course import itemlint
from quizzes.course import translations as tr
from quizzes.course.check import check_course
from quizzes.course.load import course_load
from quizzes.models import Question, Topic
from quizzes.selectors import with_question

from .conftest import FIXTURE_COURSE
from .factories import BlueprintFactory

SHIPPED = Path(__file__).resolve().parent.parent / "content"

# The fixture course's timeout question in Spanish (the browser tests use it too).
TIMEOUT_ITEM = """\
fx-timeout:
  source: {timeout}
  stem: ¿Cuánto tiempo puede durar como máximo una invocación de Lambda?
  choices:
    - text: 15 minutos
      rationale: 900 segundos es el máximo.
    - text: 5 minutos
      rationale: El límite pasó de 5 a 15 minutos en 2018.
    - text: 1 hora
  explanation: El tiempo de espera máximo es de **900 segundos**.
"""

GOOD_BANK = (
    TIMEOUT_ITEM
    + """\
fx-timeout-card:
  source: {card}
  front: ¿Tiempo de espera máximo?
  back: 900 segundos.
"""
)

GOOD_NOTE = """\
---
title: Límites
summary: Los números que hay que saber.
source: {source}
---

## Tiempo de espera {{#timeout}}

Una función se ejecuta como máximo 900 segundos. Consulte [precios](pricing.md#requests).

| cuota | valor |
| --- | --- |
| tiempo de espera | 900 s |
"""


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """The fixture course with a Spanish translation of two items and one note section."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    english = {q.uid: q for q in check_course([root], root).questions}
    notes = {n.topic: n for n in check_course([root], root).notes}
    write(root, "banks/limits.yaml", GOOD_BANK.format(
        timeout=tr.source_hash(english["fx-timeout"]),
        card=tr.source_hash(english["fx-timeout-card"]),
    ))  # fmt: skip
    write(root, "notes/limits.md", GOOD_NOTE.format(source=tr.note_source_hash(notes["limits"])))
    return root


def write(root: Path, name: str, text: str) -> Path:
    path = root / "translations" / "es" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(root: Path):
    course = check_course([root], root)
    return course, course.translations["es"]


def messages(course) -> list[str]:
    return [p.message for p in course.problems]


def test_a_good_translation_is_counted_per_kind(course_dir):
    course, es = check(course_dir)
    assert course.problems == [] and es.findings == []
    assert es.coverage["questions"] == (1, 3)
    assert es.coverage["flashcards"] == (1, 1)
    assert es.coverage["notes"] == (1, 2)  # the fixture's limits note has one section
    assert "translation es: notes 1 of 2 (50%)" in es.summary_line()
    assert es.items["fx-timeout"].choices[1] == (
        "5 minutos",
        "El límite pasó de 5 a 15 minutos en 2018.",
    )


def test_translation_files_are_not_read_as_english_banks_or_notes(course_dir):
    course, _ = check(course_dir)
    assert {q.uid for q in course.questions} == {
        q.uid for q in check_course([FIXTURE_COURSE], FIXTURE_COURSE).questions
    }
    assert not any("translations" in n.path for n in course.notes)


def test_a_changed_choice_count_is_a_problem(course_dir):
    path = course_dir / "translations/es/banks/limits.yaml"
    path.write_text(path.read_text().replace("    - text: 1 hora\n", ""))
    course, es = check(course_dir)
    assert any("2 choices where the English has 3" in m for m in messages(course))
    assert "fx-timeout" not in es.items


def test_a_changed_number_is_a_problem(course_dir):
    path = course_dir / "translations/es/banks/limits.yaml"
    path.write_text(path.read_text().replace("**900 segundos**", "**600 segundos**"))
    course, _ = check(course_dir)
    assert any("drops 900 and adds 600" in m for m in messages(course)), messages(course)


def test_numbers_may_use_spanish_separators():
    assert tr.numbers("10,240 MB and $0.20") == tr.numbers("10.240 MB y $0,20")
    assert tr.numbers("1,000,000") == tr.numbers("1.000.000")


def test_the_key_cannot_be_translated(course_dir):
    path = course_dir / "translations/es/banks/limits.yaml"
    path.write_text(path.read_text().replace("      rationale: 900", "      correct: true\n"
                                             "      rationale: 900"))  # fmt: skip
    course, _ = check(course_dir)
    assert any("the answer key stays in the English file" in m for m in messages(course))


def test_an_unknown_id_and_a_stale_translation_are_warnings(course_dir):
    path = course_dir / "translations/es/banks/limits.yaml"
    text = path.read_text().replace("fx-timeout-card:", "fx-timeout-crad:")
    path.write_text(text)
    bank = course_dir / "banks/limits.yaml"
    bank.write_text(bank.read_text().replace("The maximum timeout", "The longest timeout"))
    course, es = check(course_dir)
    assert course.problems == []
    found = [f.message for f in es.findings]
    assert any("no item has the id 'fx-timeout-crad' (did you mean 'fx-timeout-card'?)" in m
               for m in found)  # fmt: skip
    assert any("stale translation of 'fx-timeout'" in m for m in found)
    assert es.items["fx-timeout"].stale


def test_a_note_section_needs_the_english_anchor(course_dir):
    path = course_dir / "translations/es/notes/limits.md"
    path.write_text(path.read_text().replace(" {#timeout}", ""))
    course, _ = check(course_dir)
    assert any("needs the English section's anchor" in m for m in messages(course))


def test_a_note_section_keeps_its_links(course_dir):
    path = course_dir / "translations/es/notes/limits.md"
    path.write_text(path.read_text().replace("[precios](pricing.md#requests)", "precios"))
    course, _ = check(course_dir)
    assert any("links to other notes differ" in m for m in messages(course))


def test_required_languages_turn_missing_translations_into_problems(course_dir, monkeypatch):
    assert check(course_dir)[0].problems == []
    monkeypatch.setattr(tr, "REQUIRED_LANGUAGES", frozenset({"es"}))
    course, _ = check(course_dir)
    missing = [m for m in messages(course) if "has no translation" in m]
    assert "es: 'fx-ten-gb' has no translation" in missing
    assert "es: the note has no translation" in missing  # pricing


def test_check_content_prints_the_languages_and_strict_fails_on_a_stale_one(
    course_dir, settings, capsys
):
    settings.CONTENT_DIR = course_dir
    call_command("check_content", str(course_dir), "--strict")
    out = capsys.readouterr().out
    assert "translation es: notes 1 of 2 (50%)" in out
    assert "questions 1 of 3 (33%), flashcards 1 of 1 (100%), exercises 0 of 1 (0%)" in out
    bank = course_dir / "banks/limits.yaml"
    bank.write_text(bank.read_text().replace("The maximum timeout", "The longest timeout"))
    with pytest.raises(SystemExit):
        call_command("check_content", str(course_dir), "--strict")
    assert "warning: es: stale translation of 'fx-timeout'" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_stores_the_translation_on_the_same_row(course_dir):
    course, _ = check(course_dir)
    course_load(course=course, root=course_dir, full=True)
    question = Question.objects.get(uid="fx-timeout")
    es = question.translations["es"]
    assert es["stem_html"].startswith("<p>¿Cuánto tiempo")
    assert [c["html"] for c in es["choices"]] == ["<p>15 minutos</p>", "<p>5 minutos</p>",
                                                  "<p>1 hora</p>"]  # fmt: skip
    assert "<strong>900 segundos</strong>" in es["explanation_html"]
    assert Question.objects.get(uid="fx-ten-gb").translations == {}
    topic = Topic.objects.get(slug="limits")
    texts, note = topic.translations["es"], topic.note_translations["es"]
    assert texts["title"] == "Límites" and texts["untranslated"] == []
    # The note in a column of its own: what joins read for the title stays a few hundred bytes.
    assert set(texts) == {"title", "summary", "untranslated", "stale"}
    assert 'id="timeout"' in note["note_html"] and 'href="#timeout"' in note["toc_html"]
    again = course_load(course=check(course_dir)[0], root=course_dir, full=True)
    assert again.translations == 0
    with translation.override("es"):
        topic = Topic.objects.get(slug="limits")
    # The Spanish table of contents for the reader; the English one to match a question to its
    # section ("go to note section"): the anchors are the same.
    assert "Tiempo de espera" in topic.toc_html and 'href="#timeout"' in topic.toc_html
    assert ">Timeout<" in topic.section_toc_html
    assert "900 segundos" in topic.note_html and topic.title == "Límites"
    # A question's topic joined for its title: the title in Spanish, no note read at all.
    with translation.override("es"):
        joined = with_question(Question.objects, prefix="").get(uid="fx-timeout").topic
    assert joined.title == "Límites" and joined.shown_language == "es"
    assert {"note_html", "toc_html", "note_translations"} <= joined.get_deferred_fields()


@pytest.mark.django_db
def test_a_removed_note_translation_clears_both_columns_and_shows_the_english(course_dir):
    course_load(course=check(course_dir)[0], root=course_dir, full=True)
    (course_dir / "translations/es/notes/limits.md").unlink()
    report = course_load(course=check(course_dir)[0], root=course_dir, full=True)
    assert report.translations == 1
    stored = Topic.objects.get(slug="limits")
    assert stored.translations == {} and stored.note_translations == {}
    with translation.override("es"):
        topic = Topic.objects.get(slug="limits")
    assert topic.untranslated and topic.title == "Limits" and "900 seconds" in topic.note_html


@pytest.mark.django_db
def test_a_removed_translation_is_cleared(course_dir):
    course_load(course=check(course_dir)[0], root=course_dir, full=True)
    (course_dir / "translations/es/banks/limits.yaml").unlink()
    report = course_load(course=check(course_dir)[0], root=course_dir, full=True)
    assert report.translations == 2
    assert Question.objects.get(uid="fx-timeout").translations == {}


def test_the_shipped_examples_check_clean():
    course = check_course([SHIPPED], SHIPPED)
    es = course.translations["es"]
    assert course.problems == [] and es.findings == []
    assert {"limits-timeout-long-report", "limits-card-timeout-max"} <= set(es.items)
    assert "compute-memory-cpu-and-time" in es.notes["limits"].sections


def test_the_stub_is_a_translation_file_with_current_hashes(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    english = check_course([root], root).questions
    write(root, "banks/limits.yaml", tr.stub(english))
    course, es = check(root)
    # The stub carries the English: every item reads as translated, none stale, no problem.
    assert course.problems == [] and es.findings == []
    assert set(es.items) == {q.uid for q in english}


# --- The item-writing linter in Spanish -----------------------------------------------------


def test_spanish_absolute_words_and_all_of_the_above():
    es = itemlint.SPANISH
    assert es.absolute.search("Esto funciona únicamente en us-east-1")
    assert es.absolute.search("Nunca se reintenta")
    assert es.above.search("Todas las anteriores")
    assert es.above.search("Ninguna de las opciones anteriores")
    assert not es.absolute.search("Una función con memoria")


def test_spanish_scenarios_and_stop_words():
    stem = (
        "Una empresa ejecuta un script mensual en AWS Lambda. Los datos crecieron y ahora necesita "
        "unos 25 minutos. ¿Qué debería recomendar un arquitecto de soluciones?"
    )
    assert itemlint.is_scenario(stem, itemlint.SPANISH)
    assert not itemlint.is_scenario("¿Cuál es el tiempo de espera máximo?", itemlint.SPANISH)
    assert itemlint.words("La función de la empresa", itemlint.SPANISH) == {"empresa"}
    assert itemlint.form("Configurando la memoria", itemlint.SPANISH) == "gerund"


def test_the_linter_runs_on_translated_items(course_dir):
    bank = course_dir / "banks/limits.yaml"
    bank.write_text(bank.read_text().replace("- text: 1 hour", "- text: An hour"))
    path = course_dir / "translations/es/banks/limits.yaml"
    path.write_text(
        path.read_text().replace("    - text: 1 hora", "    - text: Todas las anteriores")
    )
    course, es = check(course_dir)
    report = itemlint.lint(tr.translated_specs(course.questions, es), language="es")
    assert [w.message for w in report.warnings] == ["choice 'c' says 'Todas las anteriores'"]
    assert report.warnings[0].path.endswith("translations/es/banks/limits.yaml")


def test_a_review_draw_is_the_same_for_the_same_seed(course_dir):
    """scripts/review_draw.py: a seed draws the same items again, English beside Spanish."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "review_draw.py"
    command = [sys.executable, str(script), "7", "2", "--content", str(course_dir)]
    first, second = (subprocess.run(command, capture_output=True, text=True) for _ in range(2))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.startswith("# 2 items in es; seed 7; 2 drawn")
    assert "=== fx-timeout (single)" in first.stdout
    assert "=== fx-timeout-card (flashcard)" in first.stdout
    assert "--- es: ¿Cuánto tiempo puede durar" in first.stdout and "  * 15 minutos" in first.stdout


LONGER = ", algo que el equipo puede comprobar en los registros de la función durante las pruebas"


def test_a_length_cue_in_spanish_alone_fails_strict_and_the_spanish_shares_are_printed(
    settings, tmp_path, capsys
):
    """The English stays balanced; the Spanish keys of one topic grow longest (as a translation
    can make them), and the linter's limit on the Spanish text fails `check_content --strict`."""
    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    settings.CONTENT_DIR = root
    course = check_course([root], root)
    bank = root / "translations/es/banks/performance.yaml"
    text = bank.read_text(encoding="utf-8")
    singles = [
        spec
        for spec in tr.translated_specs(course.questions, course.translations["es"])
        if spec.topic == "performance" and spec.type == "single"
    ]
    longest = sum(itemlint.lint_item(spec)[1].longest for spec in singles)
    needed = int(itemlint.SHIPPED_LIMITS.longest_key * len(singles)) + 1 - longest
    for spec in singles:
        key = next(c for c in spec.choices if c.correct)
        if itemlint.lint_item(spec)[1].longest:
            continue
        if needed and "\n" not in key.text and text.count(key.text) == 1:
            grown = key.text.rstrip(".") + LONGER + "."
            if len(grown) > max(len(c.text) for c in spec.choices if not c.correct):
                text, needed = text.replace(key.text, grown), needed - 1
    assert needed <= 0
    bank.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("check_content", "--strict")
    out = capsys.readouterr().out
    assert "translations/es/banks/performance.yaml:1: warning: topic 'performance': the key is " \
        "the uniquely longest choice in" in out  # fmt: skip
    english = [line for line in out.splitlines() if line.startswith("content/banks/")]
    assert not [line for line in english if "warning" in line]
    spanish = out.split("item-writing cues by topic, es:\n")[1]
    assert spanish.startswith("  apis: longest key") and "\n  course: longest key" in spanish
    assert "\n  performance: longest key 3" in spanish  # over the 30% limit


# --- Exam blueprints ------------------------------------------------------------------------


def test_blueprint_titles_are_checked_and_counted(settings, tmp_path):
    from quizzes.management.commands.check_content import check_paths

    root = tmp_path / "content"
    shutil.copytree(SHIPPED, root)
    settings.CONTENT_DIR = root
    es = check_paths([]).translations["es"]
    assert es.exams["lambda-sprint"].title == "Sprint de Lambda"
    assert es.coverage["exams"] == (2, 2)
    exams = root / "translations/es/exams.yaml"
    exams.write_text(exams.read_text().replace("lambda-sprint:", "lambda-sprnt:"))
    es = check_paths([]).translations["es"]
    assert any("no exam blueprint has the slug 'lambda-sprnt'" in f.message for f in es.findings)


@pytest.mark.django_db
def test_a_blueprint_reads_in_the_learners_language_and_edits_in_english():
    from django.utils import translation

    from exams.blueprints.load import blueprint_translations_load
    from exams.models import Blueprint

    BlueprintFactory(slug="mini", title="Mini exam", description="Two questions.")
    found = tr.LanguageSet("es")
    found.exams["mini"] = tr.ExamTranslation(
        "mini", "exams.yaml", 2, "Mini examen", "Dos preguntas.", "0" * 12, stale=False
    )
    assert blueprint_translations_load({"es": found}) == 1
    assert blueprint_translations_load({"es": found}) == 0
    with translation.override("es"):
        spanish = Blueprint.objects.get(slug="mini")
    assert (spanish.title, spanish.description) == ("Mini examen", "Dos preguntas.")
    assert Blueprint.objects.get(slug="mini").title == "Mini exam"
    with pytest.raises(ValueError):
        spanish.save()
