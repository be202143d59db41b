"""In real Chromium: an instructor whose language is Spanish reads a bank's problems and
item-writing cues, a Moodle import's report and the item analysis, all in Spanish.

Set DOCS_SCREENSHOTS=1 to write docs/screenshots/es-instructor-preview.png, es-import-report.png
and es-item-analysis.png.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import LearnerSettings, Question, QuizItem

from ..conftest import FIXTURE_COURSE
from ..factories import PASSWORD, QuizAttemptFactory, UserFactory
from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GIFT = Path(__file__).resolve().parents[1] / "moodle_cases" / "cases.gift"

WRITING = """topic: limits
questions:
  - id: writing-signing
    type: single
    difficulty: medium
    tags: [dva-c02]
    stem: Code signing is on for a function. When does Lambda check the signature?
    choices:
      - text: When the code is deployed, before the new version can be published
        correct: true
      - text: Never
        rationale: It does check it.
      - text: Only on a cold start
        rationale: The check is at deployment.
      - text: All of the above
        rationale: One of them is right.
    explanation: Lambda checks the signature when the code package is deployed.
    references:
      - https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html

  - id: writing-layers
    type: single
    difficulty: easy
    tags: [dva-c02]
    stem: How many layers can a function use?
    choices:
      - text: Five
        correct: true
      - text: Ten
      - text: Fifteen
    explanation: A function can use up to five layers.
    references:
      - https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
"""


@pytest.fixture
def course(tmp_path, settings):
    """The fixture course plus a bank with item-writing faults, loaded; then a typo in its second
    question (the live course keeps the version that passed)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    (root / "banks" / "writing.yaml").write_text(WRITING)
    settings.CONTENT_DIR = root
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    bank = root / "banks" / "writing.yaml"
    bank.write_text(
        bank.read_text().replace("Five\n        correct: true", "Five\n        corect: true")
    )
    return root


def first_attempts() -> None:
    """Forty learners' quizzes: one question everyone gets right (too easy, distractors nobody
    picks), two that the stronger half and the weaker half get right in turn (negative
    discrimination against each other)."""
    questions = {q.uid: q for q in Question.objects.filter(uid__startswith="fx-")}

    def key(uid: str, right: bool) -> list[str]:
        choices = questions[uid].choices
        picked = [c["key"] for c in choices if c["correct"] == right]
        return picked if right else picked[:1]

    now = timezone.now()
    for n in range(40):
        attempt = QuizAttemptFactory(user__username=f"estudiante{n}")
        answers = {"fx-timeout": True, "fx-tmp-tf": n < 20, "fx-ten-gb": n >= 20}
        for position, (uid, right) in enumerate(answers.items(), start=1):
            QuizItem.objects.create(
                attempt=attempt, question=questions[uid], position=position, seed="s",
                answer={"selected": key(uid, right)}, correct=right, answered_at=now,
                duration_ms=6000 + 1000 * position,
            )  # fmt: skip


def shot(page, name: str) -> None:
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)
    screenshot(page, name)


def test_a_spanish_instructor_reads_problems_cues_import_notes_and_flags_in_spanish(page, course):
    teacher = UserFactory(username="profesora", instructor=True)
    LearnerSettings.objects.create(user=teacher, language="es")
    # The login page follows the browser (English); her settings say Spanish.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("profesora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()

    page.goto("/instructor/banks/preview/?path=banks/writing.yaml")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#q-writing-layers .problems")).to_contain_text(
        "clave desconocida 'corect' en una opción (¿quiso decir 'correct'?)"
    )
    card = page.locator("#q-writing-signing")
    expect(card.locator(".cues")).to_contain_text(
        "advertencia: la opción 'd' dice 'All of the above'"
    )
    expect(card.locator(".cues")).to_contain_text("pista: la clave es la opción más larga")
    page.locator(".lint-summary summary").click()
    expect(page.locator(".lint-summary")).to_contain_text("limits: clave más larga 100\xa0%")
    shot(page, "es-instructor-preview")

    page.goto("/instructor/banks/")
    page.locator("#bank-file").set_input_files(str(GIFT))
    page.get_by_label("Tema de las preguntas importadas de Moodle").select_option("limits")
    page.get_by_label("Examen de las preguntas importadas de Moodle").select_option("saa-c03")
    page.get_by_role("button", name="Comprobar y mostrar los cambios").click()
    report = page.locator("#imported-title").locator("..")
    expect(report).to_contain_text("Convertido de GIFT: 7 preguntas; omitidas: 1")
    expect(report).to_contain_text(
        "línea 17: omitida: las calificaciones elegidas (0,45; 0,55) no coinciden"
    )
    expect(report).to_contain_text("nota: unidad 'seconds' deducida de 'in seconds': revísela")
    shot(page, "es-import-report")

    first_attempts()
    page.goto("/instructor/items/")
    page.get_by_role("button", name="Recalcular ahora").click()  # the tests run the task at once
    expect(page.get_by_text("Las estadísticas se están recalculando")).to_be_visible()
    page.goto("/instructor/items/?flagged=1")
    table = page.locator(".items-table")
    expect(table).to_contain_text("un distractor que nadie elige; demasiado fácil")
    expect(table).to_contain_text("discriminación negativa")
    expect(table).to_contain_text("verdadero: 20 · falso: 20")
    expect(table).to_contain_text(
        "la clave es la opción más larga, 11\xa0% más larga que la siguiente"
    )
    shot(page, "es-item-analysis")
    assert page.console_errors == []
