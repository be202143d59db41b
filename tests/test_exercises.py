"""Cost exercises: deterministic draws, specs checked corner by corner, solutions and grading."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.costs.answers import AnswerFormatError
from quizzes.costs.exercises import (
    Exercise,
    ExerciseError,
    check_exercise,
    draw,
    grade,
    placeholders,
    render_stem,
    seed_with_other_numbers,
    solve,
)
from quizzes.costs.pricing import Usage, estimate

FREE_TIER_SPEC = {
    "stem": (
        "A function configured with {memory_mb} MB of memory (x86_64) runs {requests} times a "
        "month, {duration_ms} ms each on average. What is the monthly bill in USD?"
    ),
    "variables": {
        "requests": {"min": 2_000_000, "max": 10_000_000, "step": 1_000_000},
        "duration_ms": {"choices": [100, 200, 350]},
        "memory_mb": {"choices": [128, 256, 512]},
    },
    "cost": {
        "requests": "requests",
        "duration_ms": "duration_ms",
        "memory_mb": "memory_mb",
        "arch": "x86_64",
        "free_tier": True,
        "result": "total",
    },
    "tolerance": 0.01,
}


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


def spec(**changes: object) -> dict:
    data = copy.deepcopy(FREE_TIER_SPEC)
    data.update(changes)
    return data


def paths(problems: list) -> list[tuple[str, ...]]:
    return [path for path, _ in problems]


# --- drawing --------------------------------------------------------------------------------


def test_the_documented_example_is_a_sound_exercise():
    assert check_exercise(FREE_TIER_SPEC) == []


def test_the_same_seed_always_draws_the_same_numbers():
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    assert draw(exercise, "7:3:pricing-free-tier-1") == draw(exercise, "7:3:pricing-free-tier-1")


def test_different_seeds_draw_different_numbers():
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    draws = {tuple(draw(exercise, f"7:{attempt}:q").values()) for attempt in range(20)}
    assert len(draws) >= 10


@given(st.text(max_size=30))
def test_draws_stay_on_the_declared_grid(seed):
    values = draw(Exercise.from_spec(FREE_TIER_SPEC), seed)
    assert 2_000_000 <= values["requests"] <= 10_000_000
    assert values["requests"] % 1_000_000 == 0
    assert isinstance(values["requests"], int)
    assert values["duration_ms"] in (100, 200, 350)


def test_decimal_ranges_draw_exact_decimals():
    data = spec(variables={"hours": {"min": 0.5, "max": 2, "step": 0.25}})
    data.pop("stem")
    data["cost"] = {"requests": 1, "duration_ms": 1, "memory_mb": 128}
    exercise = Exercise.from_spec(data)
    values = [draw(exercise, str(n))["hours"] for n in range(50)]
    assert all(isinstance(value, Decimal) for value in values)
    assert set(values) <= {Decimal(x) for x in ("0.5", "0.75", "1", "1.25", "1.5", "1.75", "2")}


def test_adding_a_variable_does_not_change_the_others():
    before = draw(Exercise.from_spec(FREE_TIER_SPEC), "seed")
    data = spec()
    data["variables"]["extra"] = {"choices": [1, 2, 3]}
    after = draw(Exercise.from_spec(data), "seed")
    assert {name: after[name] for name in before} == before


def test_new_numbers_differ_from_the_ones_just_seen_even_when_few_are_possible():
    data = spec(variables={"duration_ms": {"choices": [100, 200]}})
    data["stem"] = "A function runs {duration_ms} ms. What is the bill in USD?"
    data["cost"] = {"requests": 1_000_000, "duration_ms": "duration_ms", "memory_mb": 128}
    exercise = Exercise.from_spec(data)
    seen = "seen"
    same = [f"s{n}" for n in range(40) if draw(exercise, f"s{n}") == draw(exercise, seen)]
    other = next(f"o{n}" for n in range(40) if draw(exercise, f"o{n}") != draw(exercise, seen))
    offered = iter([*same[:5], other])  # five that repeat the numbers, then one that does not
    seed = seed_with_other_numbers(exercise, seen, lambda: next(offered))
    assert seed == other and draw(exercise, seed) != draw(exercise, seen)


def test_an_exercise_with_one_set_of_numbers_still_gets_a_new_seed():
    data = spec(variables={"duration_ms": {"choices": [100]}})
    data["stem"] = "A function runs {duration_ms} ms. What is the bill in USD?"
    data["cost"] = {"requests": 1_000_000, "duration_ms": "duration_ms", "memory_mb": 128}
    counter = iter(range(100))
    seed = seed_with_other_numbers(Exercise.from_spec(data), "seen", lambda: f"n{next(counter)}")
    assert seed == "n20"  # gave up after its tries, never looped forever


# --- stems ----------------------------------------------------------------------------------


def test_render_stem_uses_thousands_separators_and_leaves_unknown_names():
    stem = "<p>{requests} requests of {duration_ms} ms on {arch}, {unknown} and {Not_a_name}</p>"
    values = {"requests": 5_000_000, "duration_ms": Decimal("0.5"), "arch": "arm64"}
    assert render_stem(stem, values) == (
        "<p>5,000,000 requests of 0.5 ms on arm64, {unknown} and {Not_a_name}</p>"
    )


def test_render_stem_escapes_values_and_ignores_format_syntax():
    assert render_stem("{name} {name.attr} {0}", {"name": "<b>"}) == "&lt;b&gt; {name.attr} {0}"


def test_placeholders_finds_each_name_once():
    assert placeholders("{a} and {b_2} and {a} but not {A} or { a }") == {"a", "b_2"}


def test_a_stem_placeholder_without_a_variable_is_reported():
    problems = check_exercise(spec(stem="Runs {requests} times at {memroy_mb} MB"))
    assert problems == [
        (("stem",), "{memroy_mb} in the stem is not a variable; did you mean 'memory_mb'?")
    ]


# --- checking specs -------------------------------------------------------------------------


def test_a_memory_range_beyond_the_limit_is_caught_at_its_corner():
    data = spec()
    data["variables"]["memory_mb"] = {"min": 1024, "max": 20000, "step": 32}
    problems = check_exercise(data)
    assert paths(problems) == [("variables", "memory_mb")]
    assert "memory must be between 128 and 10240 MB, got 20000" in problems[0][1]
    assert "memory_mb=20,000" in problems[0][1]


def test_every_failing_corner_is_counted_not_repeated():
    data = spec()
    data["variables"]["memory_mb"] = {"choices": [128, 20000]}
    (problem,) = check_exercise(data)
    assert "and 5 more combinations" in problem[1]  # 2 request corners × 3 durations


@pytest.mark.parametrize(
    ("variables", "path", "message"),
    [
        (None, ("variables",), "variables is missing"),
        ({}, ("variables",), "non-empty mapping"),
        ({"requests": 5}, ("variables", "requests"), "must be {min, max, step} or {choices"),
        ({"requests": {"max": 5}}, ("variables", "requests"), "must be {min, max, step}"),
        (
            {"requests": {"min": 9, "max": 5, "step": 1}},
            ("variables", "requests", "min"),
            "min (9) is more than max (5)",
        ),
        (
            {"requests": {"min": 1, "max": 5, "step": 0}},
            ("variables", "requests", "step"),
            "step must be more than 0",
        ),
        (
            {"requests": {"min": 0, "max": 10, "step": 3}},
            ("variables", "requests", "step"),
            "does not divide the range 0 to 10 evenly",
        ),
        ({"requests": {"min": 0.5, "max": 1}}, ("variables", "requests"), "needs a step"),
        (
            {"requests": {"min": "lots", "max": 5}},
            ("variables", "requests", "min"),
            "min must be a number",
        ),
        ({"requests": {"choices": []}}, ("variables", "requests", "choices"), "non-empty list"),
        (
            {"requests": {"choices": [[1]]}},
            ("variables", "requests", "choices"),
            "choice 1 must be a number, a word or true/false",
        ),
        (
            {"requests": {"choices": [1], "min": 1}},
            ("variables", "requests"),
            "either choices or min/max/step",
        ),
        (
            {"requests": {"choice": [1]}},
            ("variables", "requests", "choice"),
            "did you mean 'choices'?",
        ),
        ({"Requests": {"choices": [1]}}, ("variables", "Requests"), "lower-case letters"),
    ],
)
def test_bad_variables_are_reported_at_their_key(variables, path, message):
    data = spec(variables=variables)
    data.pop("stem")
    data["cost"] = {"requests": 1_000_000, "duration_ms": 100, "memory_mb": 128}
    problems = check_exercise(data)
    assert path in paths(problems)
    assert any(message in text for key, text in problems if key == path)


@pytest.mark.parametrize(
    ("cost", "path", "message"),
    [
        ({"memroy_mb": 128}, ("cost", "memroy_mb"), "did you mean 'memory_mb'?"),
        (
            {"memory_mb": "memory"},
            ("cost", "memory_mb"),
            "memory must be a whole number of 0 or more, got 'memory'; 'memory' is not a variable "
            "either (defined: requests, duration_ms, memory_mb); did you mean 'memory_mb'?",
        ),
        ({"arch": "sparc"}, ("cost", "arch"), "arch must be x86_64 or arm64, got 'sparc'"),
        ({"result": "durations"}, ("cost", "result"), "did you mean 'duration'?"),
        ({"result": "edge_duration"}, ("cost", "result"), "result must be one of total, requests"),
    ],
)
def test_bad_cost_inputs_are_reported_at_their_key(cost, path, message):
    data = spec()
    data["cost"].update(cost)
    problems = check_exercise(data)
    assert any(key == path and message in text for key, text in problems), problems


def test_a_missing_engine_input_is_reported():
    data = spec()
    del data["cost"]["memory_mb"]
    assert (("cost",), "cost is missing memory_mb") in check_exercise(data)


def test_cost_and_answer_together_or_neither_are_reported():
    both = spec(answer="requests * 2")
    assert (("answer",), "give either cost or answer, not both") in check_exercise(both)
    neither = spec()
    del neither["cost"]
    assert paths(check_exercise(neither)) == [()]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("requests ** 2", "'**' is not allowed"),
        ("__import__('os')", "'__import__' is not allowed"),
        ("reqests * 2", "answer uses 'reqests', which is not a variable; did you mean 'requests'?"),
        ("requests +", "does not parse"),
        (True, "must be an arithmetic expression"),
    ],
)
def test_bad_answer_expressions_are_reported(answer, message):
    data = spec(answer=answer)
    del data["cost"]
    problems = check_exercise(data)
    assert paths(problems) == [("answer",)]
    assert message in problems[0][1]


def test_an_answer_that_divides_by_zero_at_a_corner_is_reported():
    data = spec(answer="1 / (duration_ms - 100)")
    del data["cost"]
    (problem,) = check_exercise(data)
    assert problem[0] == ("answer",)
    assert "division by zero (when" in problem[1]


@pytest.mark.parametrize(("tolerance", "message"), [(None, "missing"), ("x", "not a number")])
def test_a_missing_or_bad_tolerance_is_reported(tolerance, message):
    data = spec(tolerance=tolerance)
    if tolerance is None:
        del data["tolerance"]
    (problem,) = check_exercise(data)
    assert problem[0] == ("tolerance",) and message in problem[1]


def test_word_and_boolean_choices_are_allowed_for_arch_and_free_tier():
    data = spec()
    data["variables"]["arch"] = {"choices": ["x86_64", "arm64"]}
    data["variables"]["free_tier"] = {"choices": [True, False]}
    data["cost"].update(arch="arch", free_tier="free_tier")
    assert check_exercise(data) == []


def test_a_word_choice_for_a_number_input_fails_at_its_corner():
    data = spec()
    data["variables"]["memory_mb"] = {"choices": [128, "lots"]}
    (problem,) = check_exercise(data)
    assert problem[0] == ("variables", "memory_mb")
    assert "got 'lots'" in problem[1]


def test_lambda_at_edge_corners_are_checked_against_edge_rules():
    data = spec()
    data["variables"]["arch"] = {"choices": ["x86_64", "arm64"]}
    data["cost"].update(arch="arch", edge=True)
    (problem,) = check_exercise(data)
    assert problem[0] == ("variables", "arch")
    assert "Lambda@Edge functions run on x86_64 only" in problem[1]


def test_many_variables_check_each_corner_with_the_others_at_their_minimum():
    data = spec()
    for index in range(13):  # 2^13 corners: more than the cap
        data["variables"][f"unused_{index}"] = {"min": 0, "max": 1}
    data["variables"]["memory_mb"] = {"choices": [128, 256, 20000]}
    (problem,) = check_exercise(data)
    assert "got 20000" in problem[1]


def test_from_spec_raises_with_every_problem():
    data = spec(tolerance="x")
    data["cost"]["memroy"] = 1
    with pytest.raises(ExerciseError) as error:
        Exercise.from_spec(data)
    assert paths(error.value.problems) == [("cost", "memroy"), ("tolerance",)]


# --- solving and grading --------------------------------------------------------------------


def test_solve_matches_the_engine_and_shows_the_total():
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    values = {"requests": 5_000_000, "duration_ms": 200, "memory_mb": 256}
    solution = solve(exercise, values)
    assert solution.answer == Decimal("0.80")
    assert solution.breakdown == estimate(Usage(5_000_000, Decimal(200), 256))
    assert solution.steps[-1] == "Total: $0.80 + $0.00 = $0.80"
    assert "GB-seconds: 1,000,000 s × 0.25 GB = 250,000 GB-s" in solution.steps


def test_solve_explains_when_line_by_line_rounding_differs_from_the_bill():
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    solution = solve(exercise, {"requests": 3_220_000, "duration_ms": 1000, "memory_mb": 128})
    assert solution.answer == Decimal("0.49")
    assert "rounds once: $0.49" in solution.steps[-1]


def test_a_result_line_is_the_answer_when_asked_for():
    data = spec()
    data["cost"]["result"] = "requests"
    solution = solve(
        Exercise.from_spec(data), {"requests": 5_000_000, "duration_ms": 100, "memory_mb": 128}
    )
    assert solution.answer == Decimal("0.80")
    assert solution.steps[-1] == "Requests: $0.80"


def test_an_absent_line_is_worth_nothing():
    data = spec()
    data["cost"]["result"] = "ephemeral"
    solution = solve(
        Exercise.from_spec(data), {"requests": 5_000_000, "duration_ms": 100, "memory_mb": 128}
    )
    assert solution.answer == 0
    assert "no ephemeral charge" in solution.steps[0]


def test_an_expression_answer_is_solved_with_its_numbers_shown():
    data = spec(answer="ceil(requests / 1000000) * 2")
    del data["cost"]
    solution = solve(Exercise.from_spec(data), {"requests": 2_500_000})
    assert solution.answer == 6
    assert solution.breakdown is None
    assert solution.steps == (
        "Answer = ceil(requests / 1000000) * 2",
        "= ceil(2500000 / 1000000) * 2",
        "= 6",
    )


def test_an_expression_answer_that_is_not_whole_is_rounded_to_the_cent():
    data = spec(answer="requests / 3")
    del data["cost"]
    solution = solve(Exercise.from_spec(data), {"requests": 2})
    assert solution.answer == Decimal("0.67")
    assert solution.steps[-2:] == ("= 0.666667…", "≈ 0.67")


def test_money_from_an_expression_keeps_its_cents():
    data = spec(answer="requests * 0.0000002")
    del data["cost"]
    solution = solve(Exercise.from_spec(data), {"requests": 9_000_000})
    assert solution.steps[-1] == "= 1.80"


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("0.80", True),
        ("$0.80", True),
        ("0.81", True),
        ("0.79 USD", True),
        ("0.82", False),
        ("1.00", False),
    ],
)
def test_grading_accepts_answers_within_the_tolerance(typed, correct):
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    values = {"requests": 5_000_000, "duration_ms": 200, "memory_mb": 256}
    result = grade(exercise, values, typed)
    assert result.correct is correct
    assert result.expected == Decimal("0.80")
    assert result.given == Decimal(typed.strip(" $USD"))


def test_a_percentage_tolerance_grades_relative_to_the_answer():
    exercise = Exercise.from_spec(spec(tolerance="1%"))
    values = {"requests": 10_000_000, "duration_ms": 350, "memory_mb": 512}
    expected = solve(exercise, values).answer
    assert grade(exercise, values, str(expected * Decimal("1.009"))).correct
    assert not grade(exercise, values, str(expected * Decimal("1.02"))).correct


def test_gibberish_is_a_format_error_not_a_wrong_answer():
    exercise = Exercise.from_spec(FREE_TIER_SPEC)
    values = draw(exercise, "seed")
    with pytest.raises(AnswerFormatError, match="please enter a dollar amount"):
        grade(exercise, values, "about a dollar")
