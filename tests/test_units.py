"""Numeric answers in their unit: the label, the parser, the feedback; fixed numeric questions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from quizzes.costs.answers import AnswerFormatError, format_amount, parse_amount, unit_problem
from quizzes.costs.exercises import Exercise, check_exercise, draw, grade, solve
from quizzes.course.bank import parse_bank
from quizzes.models import Question
from quizzes.study import answering

from .conftest import REPO


def test_a_dollar_sign_is_accepted_only_for_dollars():
    assert parse_amount("$1,234.50", "USD") == Decimal("1234.50")
    assert parse_amount("14,694,170", "requests") == 14_694_170
    assert parse_amount("14694170 requests", "requests") == 14_694_170
    assert parse_amount("25,000 GB-s", "GB-s") == 25_000
    assert parse_amount("12.5%", "%") == Decimal("12.5")
    assert parse_amount("250 ms", "ms") == 250
    with pytest.raises(AnswerFormatError) as error:
        parse_amount("$25,000", "GB-s")
    assert str(error.value) == "please enter a number of GB-s, such as 2,500"
    assert "not dollars" in error.value.hint
    with pytest.raises(AnswerFormatError):
        parse_amount("25,000 MB", "GB-s")
    with pytest.raises(AnswerFormatError):
        parse_amount("12,5", "%")


def test_numbers_are_formatted_for_their_unit():
    assert format_amount(Decimal("14694170"), "requests") == "14,694,170 requests"
    assert format_amount(Decimal("25000"), "GB-s") == "25,000 GB-s"
    assert format_amount(Decimal("2083.333"), "GB-s") == "2,083.333 GB-s"
    assert format_amount(Decimal("18.7"), "USD") == "$18.70"
    assert format_amount(Decimal("-3"), "USD") == "-$3.00"
    assert format_amount(Decimal("12.5"), "%") == "12.5%"
    assert unit_problem("GB-s") == "" and unit_problem("seconds") == ""
    assert "unit must be one of" in unit_problem("two words")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["requests", "GB-s", "ms"]))
def test_a_formatted_whole_number_reads_back_as_itself(number, unit):
    assert parse_amount(format_amount(Decimal(number), unit), unit) == number


FIXED = {"stem": "Maximum memory in MB?", "answer": 10240, "tolerance": 0, "unit": "MB"}


def test_a_fixed_answer_with_a_tolerance():
    exercise = Exercise.from_spec({**FIXED, "answer": 900, "tolerance": "1%", "unit": "seconds"})
    assert exercise.variables == ()
    assert grade(exercise, {}, "905").correct
    assert not grade(exercise, {}, "910").correct
    solution = solve(exercise, {})
    assert solution.text == "900 seconds" and solution.steps == ()


def test_a_range_answer_accepts_anything_in_between():
    spec = {"stem": "Any valid memory size?", "range": {"min": 128, "max": 10240}, "unit": "MB"}
    exercise = Exercise.from_spec(spec)
    assert grade(exercise, {}, "128").correct and grade(exercise, {}, "10,240 MB").correct
    assert not grade(exercise, {}, "127").correct
    assert solve(exercise, {}).text == "any value from 128 MB to 10,240 MB"
    assert check_exercise(spec) == []
    both = check_exercise({**spec, "tolerance": 1})
    assert any("either range or tolerance" in message for _, message in both)


def test_a_cost_exercise_is_in_dollars_and_a_fixed_one_needs_no_placeholder():
    problems = check_exercise(
        {"stem": "x", "variables": {"n": {"choices": [1]}}, "cost": {"requests": "n",
         "duration_ms": 1, "memory_mb": 128}, "tolerance": 0.01, "unit": "ms"}
    )  # fmt: skip
    assert any("a cost exercise's answer is in USD" in message for _, message in problems)
    problems = check_exercise({**FIXED, "stem": "What is {n}?"})
    assert any("{n} in the stem is not a variable" in message for _, message in problems)


def test_the_bank_asks_for_a_unit_unless_the_answer_comes_from_the_pricing_engine():
    bank = """
topic: limits
questions:
  - id: memory-max
    type: numeric
    difficulty: easy
    tags: [dva-c02]
    stem: Largest memory setting, in MB?
    answer: 10240
    tolerance: 0
    explanation: 10,240 MB.
    references: [https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html]
"""
    result = parse_bank("b.yaml", bank)
    assert [p.message for p in result.problems] == [
        "missing 'unit' (USD, requests, GB-s, ms, MB, % or one word): it labels the answer"
    ]
    result = parse_bank("b.yaml", bank.replace("tolerance: 0", "tolerance: 0\n    unit: MB"))
    assert result.problems == [] and result.questions[0].exercise["unit"] == "MB"


def _shipped_numeric(settings) -> list[Question]:
    from io import StringIO

    from django.core.management import call_command

    settings.CONTENT_DIR = REPO / "content"
    call_command("load_content", str(REPO / "content" / "banks" / "pricing-exercises.yaml"),
                 str(REPO / "content" / "notes"), stdout=StringIO())  # fmt: skip
    return list(Question.objects.filter(type=Question.Type.NUMERIC))


@pytest.mark.django_db
def test_every_shipped_numeric_item_shows_its_unit_in_the_input_and_the_feedback(settings):
    questions = _shipped_numeric(settings)
    assert len(questions) >= 28
    units = set()
    for question in questions:
        exercise = Exercise.from_spec(question.exercise)
        units.add(exercise.unit)
        presented = answering.present(question, "seed-1")
        inputs = render_to_string("quizzes/_answer_inputs.html", {"presented": presented})
        expected = solve(exercise, draw(exercise, "seed-1"))
        feedback = answering.grade(question, "seed-1", [], expected.text)
        assert feedback.correct, question.uid  # the shown answer, typed back, is right
        page = render_to_string(
            "quizzes/_feedback.html", {"feedback": feedback, "question": question}
        )
        answer = re.search(r"the answer is <strong>([^<]+)</strong>", page)[1]
        if exercise.unit == "USD":
            assert "in US dollars" in inputs and re.fullmatch(r"\$[0-9,]+\.\d\d", answer)
        else:
            assert f"in {exercise.unit}" in inputs and "dollars" not in inputs
            assert "$" not in answer and answer.endswith(f" {exercise.unit}"), question.uid
            assert "." not in answer or exercise.unit != "requests", "no cents on a count"
    assert {"USD", "requests", "GB-s"} <= units


@pytest.mark.django_db
def test_the_pricing_note_labels_each_exercise_in_its_unit_and_answers_in_it(client, settings):
    from .factories import UserFactory

    _shipped_numeric(settings)
    client.force_login(UserFactory())
    page = client.get("/notes/pricing/").content.decode()
    labels = re.findall(r"Your answer, ([^<]+)</label>", page)
    assert "in GB-s" in labels and "in requests" in labels and "in US dollars" in labels
    question = Question.objects.get(uid="pricing-ex-gb-seconds-count")
    wrong = client.post(f"/exercises/{question.uid}/", {"answer": "$12"}).content.decode()
    assert "this answer is in GB-s, not dollars" in wrong
    exercise = Exercise.from_spec(question.exercise)
    from quizzes.models import ExerciseAttempt

    seed = ExerciseAttempt.objects.filter(question=question).latest("created_at").seed
    expected = solve(exercise, draw(exercise, seed)).text
    page = client.post(f"/exercises/{question.uid}/", {"answer": expected}).content.decode()
    assert f"the answer is <strong>{expected}</strong>" in page and "Right." in page
    assert expected.endswith(" GB-s") and "$" not in expected
