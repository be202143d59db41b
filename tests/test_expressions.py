"""The exercise-answer evaluator computes plain arithmetic exactly and refuses everything else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.costs.expressions import MAX_LENGTH, ExpressionError, evaluate, names


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("-4 + 10", "6"),
        ("+4", "4"),
        ("0.1 + 0.2", "0.3"),
        ("10 / 4", "2.5"),
        ("min(3, 1, 2)", "1"),
        ("max(3, 1, 2)", "3"),
        ("ceil(2.1)", "3"),
        ("floor(2.9)", "2"),
        ("ceil(-2.1)", "-2"),
        ("round(2.5)", "3"),
        ("round(0.125, 2)", "0.13"),
        ("1_000_000 * 2", "2000000"),
    ],
)
def test_arithmetic_is_exact_decimal(expr, expected):
    assert evaluate(expr, {}) == Decimal(expected)


def test_variables_are_substituted():
    variables = {"requests": 5_000_000, "price": Decimal("0.20")}
    assert evaluate("(requests - 1000000) * price / 1000000", variables) == Decimal("0.8")


def test_a_break_even_count_can_be_written_as_an_expression():
    variables = {"monthly": Decimal("15.184"), "per_request": Decimal("0.0000018")}
    assert evaluate("floor(monthly / per_request)", variables) == 8_435_555


def test_names_lists_the_variables_but_not_the_functions():
    assert names("ceil(a / b) + min(a, c)") == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("__import__('os')", "'__import__' is not allowed in an expression"),
        ("open('x')", "'open' is not allowed in an expression"),
        ("a.b", "attribute access is not allowed"),
        ("(1).__class__", "attribute access is not allowed"),
        ("'ab'.upper()", "attribute access is not allowed"),
        ("__builtins__", "'__builtins__' is not allowed in an expression"),
        ("2 ** 10", "'**' is not allowed in an expression"),
        ("7 // 2", "'//' is not allowed in an expression"),
        ("7 % 2", "'%' is not allowed in an expression"),
        ("a[0]", "indexing is not allowed"),
        ("1 < 2", "a comparison is not allowed"),
        ("a if b else c", "if/else is not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("[x for x in y]", "a comprehension is not allowed"),
        ("(x := 1)", ":= is not allowed"),
        ("'text'", "only numbers"),
        ("True", "only numbers"),
        ("1j", "only numbers"),
        ("1e5", "as plain digits"),
        ("0x10", "as plain digits"),
        ("~1", "only unary minus"),
        ("min(*a)", "* is not allowed"),
        ("round(1, ndigits=2)", "takes no keyword arguments"),
        ("1 +", "does not parse"),
        ("", "expression is empty"),
        ("a = 1", "does not parse"),
    ],
)
def test_anything_but_arithmetic_is_refused_with_a_clear_message(expr, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace("*", r"\*")):
        names(expr)


def test_division_by_zero_is_an_expression_error():
    with pytest.raises(ExpressionError, match="division by zero"):
        evaluate("1 / (a - a)", {"a": 3})


def test_unknown_names_are_reported_with_a_suggestion():
    with pytest.raises(ExpressionError, match="unknown name 'reqests'; did you mean 'requests'"):
        evaluate("reqests * 2", {"requests": 1})


def test_a_word_variable_cannot_be_used_as_a_number():
    with pytest.raises(ExpressionError, match="'arch' is not a number"):
        evaluate("arch + 1", {"arch": "arm64"})


def test_a_function_name_used_as_a_value_is_explained():
    with pytest.raises(ExpressionError, match="'min' is a function"):
        evaluate("min + 1", {})


def test_very_long_expressions_are_refused():
    with pytest.raises(ExpressionError, match="too long"):
        names("1 + " * (MAX_LENGTH // 4) + "1")


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(ExpressionError):
        evaluate("(" * 240 + "1" + ")" * 240, {})


def test_absurdly_large_results_are_refused():
    with pytest.raises(ExpressionError, match="more than 30 digits"):
        evaluate("a * a * a * a", {"a": 10**9})


def test_round_digits_must_be_small_whole_numbers():
    with pytest.raises(ExpressionError, match="digits must be a whole number"):
        evaluate("round(1, 0.5)", {})


@given(st.text(max_size=60))
def test_arbitrary_text_either_evaluates_or_raises_expression_error(text):
    try:
        result = evaluate(text, {"a": 1, "b": Decimal("2.5")})
    except ExpressionError:
        return
    assert isinstance(result, Decimal)


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4),
)
def test_sums_and_products_match_decimal_arithmetic(a, b):
    variables = {"a": a, "b": b}
    assert evaluate("a + b * 2 - (a - b)", variables) == a + b * 2 - (a - b)
