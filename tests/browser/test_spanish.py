"""In real Chromium: switch the site to Spanish from the header and sit a short exam in Spanish.

Set DOCS_SCREENSHOTS=1 to write the Spanish screenshots to docs/screenshots/ (es-*.png).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.course import translations as tr
from quizzes.course.check import check_course
from quizzes.models import LearnerSettings

from ..conftest import FIXTURE_COURSE
from ..factories import BlueprintFactory
from ..test_translations import TIMEOUT_ITEM
from .conftest import screenshot
from .helpers import new_user_logged_in, settled

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

BANK = TIMEOUT_ITEM
EXERCISE = """\
fx-requests-bill:
  source: {source}
  stem: |
    Una función se ejecuta **{{requests}}** veces al mes durante {{duration_ms}} ms con 128 MB
    (x86_64). Con la capa gratuita, ¿cuál es la factura mensual en USD?
  explanation: Reste primero el millón de solicitudes gratuitas; el cómputo queda dentro de su
    capa gratuita.
  unit: USD
"""
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def spanish_course(tmp_path, settings):
    """The fixture course with one exam question translated; the other stays English."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    english = {q.uid: q for q in check_course([root], root).questions}
    bank = root / "translations" / "es" / "banks" / "limits.yaml"
    bank.parent.mkdir(parents=True)
    bank.write_text(BANK.format(timeout=tr.source_hash(english["fx-timeout"])), encoding="utf-8")
    exercise = EXERCISE.format(source=tr.source_hash(english["fx-requests-bill"]))
    (bank.parent / "pricing.yaml").write_text(exercise, encoding="utf-8")
    settings.CONTENT_DIR = root
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    BlueprintFactory(
        slug="mini", title="Mini exam", question_count=2, topic_weights={"limits": 1},
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1},
    )  # fmt: skip
    return root


def shot(page, name: str, full_page: bool = False) -> None:
    if os.environ.get("DOCS_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)
    screenshot(page, name)


def test_switch_to_spanish_and_sit_a_short_exam(page, spanish_course):
    new_user_logged_in(page, "lucia")
    page.goto("/exams/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The header's switcher: choosing Spanish is enough with JavaScript (the button without).
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(re.compile(r"/exams/$"))  # the same URL, no /es/ prefix
    expect(page.get_by_role("heading", name="Exámenes de práctica", level=1)).to_be_visible()
    assert LearnerSettings.objects.get(user__username="lucia").language == "es"
    shot(page, "es-exams")

    page.locator("li.card", has_text="Mini exam").get_by_role(
        "button", name="Comenzar o continuar"
    ).click()
    expect(page.get_by_text(re.compile(r"^Pregunta 1 de 2"))).to_be_visible()
    expect(page.locator("#countdown")).to_contain_text(re.compile(r"^\s*Tiempo restante: \d+:\d\d"))
    settled(page)
    for _position in (1, 2):
        stem = page.locator("#exam-stem")
        if "Cuánto tiempo" in stem.inner_text():
            expect(stem).not_to_have_attribute("lang", "en")
            page.locator("label.choice", has_text="15 minutos").click()
        else:  # not translated yet: English, marked as such
            expect(stem).to_have_attribute("lang", "en")
            expect(page.get_by_text("aún sin traducir")).to_be_visible()
            boxes = page.locator("input[name=choice]")
            boxes.nth(0).check()
            boxes.nth(1).check()
        expect(page.locator("#save-status")).to_contain_text("Guardada a las")
        settled(page)
        if _position == 1:
            shot(page, "es-exam-question")
            page.get_by_role("button", name="Siguiente").click()
            settled(page)
    page.get_by_role("button", name="Revisar y entregar").click()
    expect(page.get_by_role("heading", name="Revise antes de entregar")).to_be_visible()
    page.get_by_role("button", name="Entregar el examen").click()
    expect(page.get_by_role("heading", name="Mini exam: resultados")).to_be_visible()
    expect(page.get_by_text("El tiempo de espera máximo es de")).to_be_visible()
    shot(page, "es-results")
    results = page.url
    for path, heading, name in (
        ("/dashboard/", "Qué tan preparado está", "es-dashboard"),
        ("/review/", "Repaso", "es-review"),
        ("/settings/", "Configuración de estudio", "es-settings"),
        ("/teams/", "Equipos", "es-teams"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        shot(page, name)
    page.goto(results)

    # And back to English, on the same page.
    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_role("heading", name="Mini exam: results")).to_be_visible()
    assert page.console_errors == []


def test_a_visitor_whose_browser_asks_for_spanish(browser, live_server, spanish_course):
    context = browser.new_context(base_url=live_server.url, locale="es-MX", viewport=DESKTOP)
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Calculadora de costos")).to_be_visible()
    shot(page, "es-home")
    page.goto("/calculator/")
    expect(page.get_by_test_id("total")).to_contain_text(re.compile(r"^US\$[\d\xa0]+,\d\d$"))
    show_formulas(page)
    shot(page, "es-calculator", full_page=True)
    page.goto("/notes/limits/")
    expect(page.get_by_text("Esta nota aún no está traducida")).to_be_visible()
    # With JavaScript, choosing a language is enough: the button is hidden (a compact header).
    expect(page.get_by_role("button", name="Cambiar idioma")).to_be_hidden()
    context.close()
    # On a phone, the lines and their steps in Spanish.
    context = browser.new_context(base_url=live_server.url, locale="es-MX", **PHONE)
    page = context.new_page()
    page.goto("/calculator/")
    show_formulas(page)
    screenshot(page, "es-calculator-phone")
    context.close()
    # Without JavaScript the switcher is a form with a button.
    context = browser.new_context(
        base_url=live_server.url, locale="es-MX", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/notes/limits/")
    page.get_by_role("button", name="Cambiar idioma").wait_for()
    context.close()


def show_formulas(page) -> None:
    """Open each line's formula: its steps read in Spanish, numbers the Spanish way."""
    for summary in page.get_by_text("Fórmula").all():
        summary.click()
    steps = page.locator("ol.steps").first
    expect(steps).to_contain_text("Capa gratuita: las primeras 1\xa0000\xa0000 solicitudes")
    expect(page.locator("td.price").first).to_have_text("US$0,20 por millón de solicitudes")


def test_a_spanish_learner_reads_the_worked_solution_in_spanish(
    browser, live_server, spanish_course
):
    context = browser.new_context(base_url=live_server.url, locale="es-MX", viewport=DESKTOP)
    page = context.new_page()
    page.goto("/exercises/fx-requests-bill/")
    answer = page.get_by_label("Su respuesta, en dólares estadounidenses")
    expect(answer).to_have_attribute("placeholder", "p. ej. 18,74")
    answer.fill("1.2.3")
    page.get_by_role("button", name="Comprobar").click()
    expect(page.get_by_role("alert")).to_contain_text("escriba los miles en grupos de tres")
    expect(answer).to_have_value("1.2.3")
    answer.fill("0,5")  # a wrong answer: the solution and new numbers are offered
    page.get_by_role("button", name="Comprobar").click()
    expect(page.get_by_text("No exactamente.")).to_be_visible()
    solution = page.locator(".solution")
    expect(solution).to_contain_text("Solicitudes:")
    expect(solution).to_contain_text(re.compile(r"Total: US\$\d,\d\d \+ US\$0,00 = US\$\d,\d\d"))
    shot(page, "es-exercise-solution", full_page=True)
    context.close()
