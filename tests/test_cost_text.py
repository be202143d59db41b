"""The pricing engine's text in the learner's language: steps, formulas, rates and answer messages
translated, numbers written as the language writes them, numbers typed its way read as meant."""

from __future__ import annotations

import pickle
import re
from decimal import Decimal

import pytest
from django.utils import translation

from quizzes import i18n
from quizzes.costs import exercises
from quizzes.costs.pricing import estimate
from quizzes.costs.text import Code, Exact, Fixed, Joined, Money, Number, Price, Unit, phrase
from quizzes.costs.usage import Usage
from quizzes.models import ExerciseAttempt, Question, QuizItem
from quizzes.translatable import Message

from .factories import QuestionFactory, QuizAttemptFactory

NBSP = "\u00a0"
HTMX = {"HX-Request": "true"}
BASE = {
    "requests": "5000000", "duration_ms": "200", "memory_mb": "512", "arch": "x86_64",
    "ephemeral_mb": "512", "free_tier": "on", "provisioned_units": "0", "provisioned_hours": "0",
    "instance": "t3.small",
}  # fmt: skip


def spanish(value, units=None) -> str:
    with translation.override("es"):
        return i18n.translated(value, units)


def total(page: str) -> str:
    return re.search(r'data-testid="total">([^<]+)<', page).group(1)


# --- Phrases --------------------------------------------------------------------------------


def test_a_phrase_is_its_english_and_keeps_its_message_and_numbers():
    memory = phrase("Memory: %(mb)s MB ÷ %(per_gb)s = %(gb)s GB", mb=1536, per_gb=Decimal(1024),
                    gb=Decimal("1.5"))  # fmt: skip
    assert memory == "Memory: 1,536 MB ÷ 1,024 = 1.5 GB" and isinstance(memory, Message)
    assert memory.template.startswith("Memory: %(mb)s") and memory.params["mb"] == Number(1536)
    again = pickle.loads(pickle.dumps(memory))
    assert again == memory and again.params == memory.params
    # Digits grouped and units kept on their number's line by no-break spaces.
    assert spanish(memory) == f"Memoria: 1{NBSP}536{NBSP}MB ÷ 1{NBSP}024 = 1,5{NBSP}GB"


def test_spanish_writes_numbers_dollars_and_rates_its_own_way():
    assert spanish(phrase("%(n)s", n=Money(Decimal("1234.5")))) == f"US$1{NBSP}234,50"
    assert spanish(phrase("%(n)s", n=Money(Decimal("-3")))) == "-US$3,00"
    assert spanish(phrase("%(n)s", n=Price(Decimal("0.0000166667")))) == "US$0,0000166667"
    assert spanish(phrase("%(n)s", n=Price(Decimal("0.2")))) == "US$0,20"
    assert spanish(phrase("%(n)s", n=Exact(Decimal("2.333338")))) == "US$2,333338 ≈ US$2,33"
    assert spanish(phrase("%(n)s", n=Fixed(Decimal("1234.5")))) == f"1{NBSP}234,50"
    assert spanish(phrase("%(n)s", n=Decimal("-0"))) == "0"
    joined = Joined((Money(Decimal("0.8")), Money(Decimal(2))))
    assert spanish(phrase("%(n)s", n=joined)) == "US$0,80 + US$2,00"
    # An author's expression: a decimal comma, digits kept together, arguments apart with a
    # semicolon.
    code = Code("min(1000000, 0.5 * requests)")
    assert spanish(phrase("%(n)s", n=code)) == "min(1000000; 0,5 * requests)"
    assert str(phrase("%(n)s", n=code)) == "min(1000000, 0.5 * requests)"
    # A unit is translated, or named as the course's translation of the question names it.
    assert spanish(phrase("%(n)s %(unit)s", n=3, unit=Unit("requests"))) == "3 solicitudes"
    assert spanish(phrase("%(unit)s", unit=Unit("seconds")), {"seconds": "segundos"}) == "segundos"
    with translation.override("en"):
        assert i18n.translated(phrase("%(n)s", n=Money(Decimal("1234.5")))) == "$1,234.50"


def test_a_bill_reads_in_spanish_with_the_same_figures():
    usage = Usage.from_values(requests=5_000_000, duration_ms="200.5", memory_mb=1536,
                              provisioned_units=5, provisioned_hours="1.3",
                              provisioned_requests=1_000_000, ephemeral_mb=2048)  # fmt: skip
    bill = estimate(usage)
    requests = bill.line("requests")
    assert spanish(requests.price_text) == "US$0,20 por millón de solicitudes"
    assert spanish(requests.formula) == (
        f"(5{NBSP}000{NBSP}000 − 1{NBSP}000{NBSP}000 gratuitas) × US$0,20 / 1M = US$0,80"
    )
    duration = [spanish(step).replace(NBSP, " ") for step in bill.line("duration").steps]
    assert duration[0] == (
        "Duración facturada: 200,5 ms se redondea hacia arriba a 201 ms (se factura por 1 ms) "
        "= 0,201 s por solicitud"
    )
    assert duration[-1] == "Cargo por duración (x86_64): US$13,4333602 ≈ US$13,43"
    assert bill.total == Decimal("17.36")  # the figures do not depend on the language


# --- The calculator ---------------------------------------------------------------------------


def test_the_spanish_calculator_reads_numbers_typed_the_spanish_way(client):
    def spanish_total(**typed) -> str:
        page = client.get("/calculator/", {**BASE, **typed}, HTTP_ACCEPT_LANGUAGE="es")
        return total(page.content.decode())

    english = client.get("/calculator/", {**BASE, "duration_ms": "200.5", "memory_mb": "1024"},
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()  # fmt: skip
    assert total(english) == "$10.88"
    assert spanish_total(duration_ms="200,5", memory_mb="1.024") == "US$10,88"
    assert spanish_total(duration_ms="200.5", memory_mb="1 024") == "US$10,88"  # Mexico's point
    assert spanish_total(duration_ms="200,5", memory_mb="1,024") == "US$10,88"  # whole: groups
    assert spanish_total(requests="5.000.000", duration_ms="1,5") == spanish_total(
        requests="5000000", duration_ms="1.5"
    )


def test_the_spanish_calculator_refuses_a_malformed_number_in_spanish_and_keeps_it(client):
    page = client.get("/calculator/", {**BASE, "duration_ms": "1.23.456"},
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()  # fmt: skip
    assert "Escriba un número, por ejemplo 200." in page and 'value="1.23.456"' in page
    page = client.get("/calculator/", {**BASE, "requests": "2,5"},
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()  # fmt: skip
    assert f"Escriba un número entero, por ejemplo 5{NBSP}000{NBSP}000." in page


def test_the_duration_box_asks_for_a_number_not_a_whole_one(client):
    page = client.get("/calculator/", {**BASE, "duration_ms": "lots"}).content.decode()
    assert "Enter a number, for example 200." in page


def test_an_engine_rule_is_said_in_spanish_on_its_field(client):
    page = client.get("/calculator/", {**BASE, "edge": "on", "arch": "arm64"},
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()  # fmt: skip
    assert "Las funciones de Lambda@Edge solo se ejecutan en x86_64." in page


# --- Exercises --------------------------------------------------------------------------------


@pytest.fixture
def fixed_247(loaded_course) -> Question:
    """An exercise whose answer is $2.47."""
    return QuestionFactory(
        uid="fx-two-forty-seven", topic=Question.objects.get(uid="fx-requests-bill").topic,
        type=Question.Type.NUMERIC, stem_html="<p>What is the bill in USD?</p>", choices=[],
        exercise={"answer": "2.47", "tolerance": 0, "unit": "USD"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "typed", "verdict"),
    [
        ("es", "2,47", "Correcto."),
        ("es", "US$2,47", "Correcto."),
        ("es", "2.47", "Correcto."),
        ("es", "2,48", "No exactamente."),
        ("en", "2.47", "Right."),
        ("en", "$2.47", "Right."),
        ("en", "2.48", "Not quite."),
    ],
)
def test_an_answer_typed_the_learners_way_is_marked_by_its_value(
    client, learner, fixed_247, language, typed, verdict
):
    page = client.post("/exercises/fx-two-forty-seven/", {"answer": typed}, headers=HTMX,
                       HTTP_ACCEPT_LANGUAGE=language).content.decode()  # fmt: skip
    assert verdict in page
    answer = "US$2,47" if language == "es" else "$2.47"
    assert (
        f"la respuesta es <strong>{answer}</strong>" in page
        or f"the answer is <strong>{answer}" in page
    )
    attempt = ExerciseAttempt.objects.get(user=learner, question=fixed_247)
    assert attempt.correct is verdict.startswith(("Correcto", "Right")) and attempt.answer == typed


def test_an_english_learner_is_told_to_use_a_dot_and_a_spanish_one_gets_spanish(
    client, learner, fixed_247
):
    url = "/exercises/fx-two-forty-seven/"
    page = client.post(url, {"answer": "2,47"}, headers=HTMX, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Please enter a dollar amount (use a dot for cents, as in 18.74)" in page.content.decode()
    )
    page = client.post(url, {"answer": "2.4.7"}, headers=HTMX, HTTP_ACCEPT_LANGUAGE="es")
    page = page.content.decode()
    assert (
        "Escriba un monto en dólares (escriba los miles en grupos de tres, como en "
        f"1{NBSP}234{NBSP}567): por ejemplo 18,74; US$18,74 o 1{NBSP}234,50." in page
    )
    assert 'value="2.4.7"' in page  # what was typed is kept
    assert ExerciseAttempt.objects.get(user=learner, question=fixed_247).answered_at is None


def test_the_worked_solution_and_the_stem_read_in_spanish(client, learner):
    client.get("/exercises/fx-requests-bill/", HTTP_ACCEPT_LANGUAGE="es")
    attempt = ExerciseAttempt.objects.get(user=learner)
    exercise = exercises.Exercise.from_spec(attempt.question.exercise)
    values = exercises.draw(exercise, attempt.seed)
    answer = exercises.solve(exercise, values).answer
    typed = f"{answer}".replace(".", ",")
    page = client.post("/exercises/fx-requests-bill/", {"answer": typed}, headers=HTMX,
                       HTTP_ACCEPT_LANGUAGE="es").content.decode()  # fmt: skip
    assert "Correcto." in page and "Solución paso a paso" in page
    millions = f"{values['requests']:,}".replace(",", NBSP)
    assert f"<strong>{millions}</strong>" in page  # the drawn number, grouped the Spanish way
    assert f"Solicitudes: {millions}" in page and "Capa gratuita: las primeras" in page
    assert re.search(r"Total: US\$\d+,\d\d \+ US\$0,00 = US\$\d+,\d\d", page)
    assert 'lang="en"' not in page.split('class="solution"')[1]


def test_a_quiz_answer_is_graded_again_in_the_language_it_was_typed_in(client, learner):
    question = Question.objects.get(uid="fx-requests-bill")
    attempt = QuizAttemptFactory(user=learner)
    item = QuizItem.objects.create(attempt=attempt, question=question, position=1, seed="s")
    url = f"/quiz/{attempt.pk}/answer/1/"
    page = client.post(url, {"answer": "999,99"}, headers=HTMX, HTTP_ACCEPT_LANGUAGE="es")
    assert "No exactamente." in page.content.decode()
    item.refresh_from_db()
    assert item.answer["language"] == "es" and item.correct is False
    # Read back in English, the answer still reads 999.99 (not an amount English refuses).
    missed = client.get(f"/quiz/{attempt.pk}/missed/", HTTP_ACCEPT_LANGUAGE="en")
    assert missed.status_code == 200 and "You answered <strong>999,99</strong>" in (
        missed.content.decode()
    )
