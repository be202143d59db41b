"""What a learner may type as a dollar amount, and how close counts as right."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.costs.answers import MESSAGE, AnswerFormatError, Tolerance, parse_dollars


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18.74", "18.74"),
        ("$18.74", "18.74"),
        ("18.7", "18.7"),
        ("1,234.50", "1234.50"),
        (" 18.74 USD", "18.74"),
        ("USD 18.74", "18.74"),
        ("usd18.74", "18.74"),
        ("$ 0.80", "0.80"),
        (".80", "0.80"),
        ("1234", "1234"),
        ("1,234", "1234"),
        ("1,234,567.89", "1234567.89"),
        ("US$18.74", "18.74"),
        ("18.74$", "18.74"),
        ("0", "0"),
        ("18.", "18"),
        ("-0.80", "-0.80"),
        ("-$0.80", "-0.80"),
        ("$-0.80", "-0.80"),
        ("\u22120.80", "-0.80"),
    ],
)
def test_these_forms_are_dollar_amounts(text, expected):
    assert parse_dollars(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "eighteen dollars",
        "18,74",
        "1,23.4",
        "1.2.3",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "1e5",
        "1E5",
        "$$18",
        "18.74 EUR",
        "--5",
        "-$-5",
        "1 234",
        "0x10",
        "1" * 31,
        "\u0661\u0668",  # Arabic-Indic digits
        "18.74; DROP TABLE",
    ],
)
def test_anything_else_is_refused_with_the_one_message(text):
    with pytest.raises(AnswerFormatError) as error:
        parse_dollars(text)
    assert str(error.value) == MESSAGE == "please enter a dollar amount"


def test_a_decimal_comma_gets_a_hint():
    with pytest.raises(AnswerFormatError) as error:
        parse_dollars("18,74")
    assert "dot" in error.value.hint


@given(st.decimals(min_value=0, max_value=10**12, places=2))
def test_every_amount_written_with_separators_reads_back(amount):
    assert parse_dollars(f"${amount:,.2f}") == amount


@given(st.text(max_size=40))
def test_arbitrary_text_is_an_amount_or_the_format_error(text):
    with contextlib.suppress(AnswerFormatError):
        assert isinstance(parse_dollars(text), Decimal)


@pytest.mark.parametrize(
    ("value", "tolerance"),
    [
        (0.01, Tolerance(absolute=Decimal("0.01"))),
        (1, Tolerance(absolute=Decimal(1))),
        (0, Tolerance(absolute=Decimal(0))),
        ("0.01", Tolerance(absolute=Decimal("0.01"))),
        ("$0.05", Tolerance(absolute=Decimal("0.05"))),
        ("1%", Tolerance(percent=Decimal(1))),
        ("0.5 %", Tolerance(percent=Decimal("0.5"))),
        (Decimal("0.02"), Tolerance(absolute=Decimal("0.02"))),
    ],
)
def test_tolerance_is_dollars_or_a_percentage(value, tolerance):
    assert Tolerance.parse(value) == tolerance


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "tolerance is missing"),
        (True, "must be a number or a percentage"),
        ([0.01], "must be a number or a percentage"),
        ("abc", "is not a number or a percentage"),
        ("-1%", "is not a number or a percentage"),
        ("150%", "more than 100%"),
        (-0.01, "must be 0 or more"),
        (float("nan"), "must be 0 or more"),
    ],
)
def test_a_bad_tolerance_is_a_clear_error(value, message):
    with pytest.raises(ValueError, match=message):
        Tolerance.parse(value)


def test_an_absolute_tolerance_is_inclusive():
    tolerance = Tolerance.parse(0.01)
    assert tolerance.accepts(Decimal("18.75"), Decimal("18.74"))
    assert tolerance.accepts(Decimal("18.73"), Decimal("18.74"))
    assert not tolerance.accepts(Decimal("18.76"), Decimal("18.74"))


def test_a_relative_tolerance_is_measured_against_the_expected_amount():
    tolerance = Tolerance.parse("1%")
    assert tolerance.accepts(Decimal("101"), Decimal("100"))
    assert tolerance.accepts(Decimal("-101"), Decimal("-100"))
    assert not tolerance.accepts(Decimal("101.01"), Decimal("100"))


def test_a_relative_tolerance_of_an_expected_zero_allows_only_half_a_cent():
    tolerance = Tolerance.parse("5%")
    assert tolerance.accepts(Decimal("0.005"), Decimal(0))
    assert not tolerance.accepts(Decimal("0.01"), Decimal(0))


def test_no_tolerance_means_exactly():
    assert Tolerance().accepts(Decimal("1.00"), Decimal("1"))
    assert not Tolerance().accepts(Decimal("1.01"), Decimal("1"))
    assert Tolerance().describe() == "exactly"


def test_tolerances_describe_themselves():
    assert Tolerance.parse(0.01).describe() == "within $0.01"
    assert Tolerance.parse("1%").describe() == "within 1%"


def test_thousands_may_be_grouped_by_spaces_as_spanish_writes_them():
    from quizzes.costs.answers import AnswerFormatError, parse_amount, parse_number

    assert parse_number("5 000 000") == parse_number("5\u00a0000\u00a0000") == 5_000_000
    assert parse_amount("1 500 GB-s", "GB-s") == 1500
    for refused in ("5 000,000", "50 00", "1,5"):
        with pytest.raises(AnswerFormatError):
            parse_number(refused)


# --- Numbers typed the Spanish way ------------------------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,47", "2.47"),  # the decimal comma the Spanish pages write
        ("US$2,47", "2.47"),
        ("$2,47", "2.47"),
        ("2,47 USD", "2.47"),
        ("2,47 dólares", "2.47"),
        (f"US${NBSP}2,47", "2.47"),
        ("1.234,56", "1234.56"),  # dot groups, comma decimals (the course's texts)
        ("1 234,56", "1234.56"),  # as the site writes it
        (f"US$1{NBSP}234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1,234.56", "1234.56"),  # Mexico: the last sign is the decimal one
        ("1,234,567.89", "1234567.89"),
        ("2.47", "2.47"),  # Mexico's decimal point, when it cannot be grouping
        ("0,80", "0.80"),
        (",80", "0.80"),
        (".80", "0.80"),
        ("1.234", "1234"),  # three digits after a dot: Spanish grouping
        ("US$1,234", "1234"),  # cents are two digits: three after a comma group
        ("0,125", "0.125"),  # a first group of 0 is never grouped
        ("18", "18"),
        ("-2,47", "-2.47"),
        ("US$-2,47", "-2.47"),
        ("\u22122,47", "-2.47"),
    ],
)
def test_spanish_dollar_amounts_read_as_meant(text, expected):
    assert parse_dollars(text, "es") == Decimal(expected)
    assert parse_dollars(text, "es-mx") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1.23.456", "write the thousands in groups of three, as in 1,234,567"),
        ("12,34,567", "write the thousands in groups of three, as in 1,234,567"),
        ("1.234,5,6", "use one sign for the thousands and another for the decimals"),
        ("1 234.567,8", "use one sign for the thousands and another for the decimals"),
        ("1.234 567", "use one sign for the thousands and another for the decimals"),
        ("US$5 000,000", "use one sign for the thousands and another for the decimals"),
        ("", "the answer is empty"),
        ("2,47 EUR", ""),
        ("abc", ""),
        ("1e5", ""),
        ("--5", ""),
        (",", ""),
    ],
)
def test_spanish_refusals_name_the_form_to_use(text, hint):
    with pytest.raises(AnswerFormatError) as error:
        parse_dollars(text, "es")
    assert str(error.value) == MESSAGE
    assert error.value.hint.startswith(hint) and (hint or not error.value.hint)


def test_english_reading_is_unchanged_by_the_spanish_one():
    assert parse_dollars("1.234") == Decimal("1.234")  # a dot is always the decimal in English
    for text in ("2,47", "1.234,56", "1 234,56"):
        with pytest.raises(AnswerFormatError):
            parse_dollars(text)
        assert parse_dollars(text, "es") in (Decimal("2.47"), Decimal("1234.56"))


@given(st.decimals(min_value=0, max_value=10**12, places=2))
def test_every_amount_written_the_spanish_ways_reads_back(amount):
    english = f"{amount:,.2f}"
    site = english.replace(",", NBSP).replace(".", ",")  # US$1 234,56
    course = english.replace(",", "·").replace(".", ",").replace("·", ".")  # 1.234,56
    for text in (f"US${site}", site, course, english, f"{amount:.2f}".replace(".", ",")):
        assert parse_dollars(text, "es") == amount, text


@given(st.integers(min_value=0, max_value=10**12))
def test_a_whole_number_grouped_any_way_reads_back_in_spanish(number):
    from quizzes.costs.answers import parse_number

    english = f"{number:,}"
    for text in (english, english.replace(",", "."), english.replace(",", NBSP), str(number)):
        assert parse_number(text, "es", whole=True) == number, text


@given(st.text(max_size=40))
def test_arbitrary_text_is_a_spanish_amount_or_the_format_error(text):
    from quizzes.costs.answers import parse_amount

    for unit in ("USD", "GB-s", "requests"):
        with contextlib.suppress(AnswerFormatError):
            assert isinstance(parse_amount(text, unit, "es", whole=unit == "requests"), Decimal)


@pytest.mark.parametrize(
    ("text", "unit", "whole", "expected"),
    [
        ("1 500 solicitudes", "requests", True, "1500"),
        ("1.500 solicitudes", "requests", True, "1500"),
        ("1,500", "requests", True, "1500"),  # a count has no decimals: Mexico's grouping
        ("14.694.170", "requests", True, "14694170"),
        ("1.024 MB", "MB", True, "1024"),
        ("1,024 MB", "MB", True, "1024"),
        ("12,5 %", "%", False, "12.5"),
        ("12,5%", "%", False, "12.5"),
        ("12,345 GB-s", "GB-s", False, "12.345"),  # a comma is the decimal, as the site writes
        ("12.345 GB-s", "GB-s", False, "12345"),  # a dot before three digits groups
        ("25 000 GB-s", "GB-s", False, "25000"),
        ("2 083,333 GB-s", "GB-s", False, "2083.333"),
        ("1,5", "ms", False, "1.5"),
        ("1.5 milisegundos", "ms", False, "1.5"),
        ("200", "number", False, "200"),
    ],
)
def test_spanish_answers_in_other_units(text, unit, whole, expected):
    from quizzes.costs.answers import parse_amount

    assert parse_amount(text, unit, "es", whole=whole) == Decimal(expected)


def test_spanish_unit_answers_are_refused_as_in_english():
    from quizzes.costs.answers import parse_amount, parse_number

    with pytest.raises(AnswerFormatError, match="a number of GB-s") as error:
        parse_amount("US$2", "GB-s", "es")
    assert error.value.hint == "this answer is in GB-s, not dollars: leave out the $"
    with pytest.raises(AnswerFormatError) as error:
        parse_amount("12,5 MB", "GB-s", "es")
    assert error.value.hint == "this answer is in GB-s"
    with pytest.raises(AnswerFormatError) as error:
        parse_number("5 000,000", "es", whole=True)  # a whole number never reads a decimal
    assert "one sign for the thousands" in error.value.hint
    assert parse_amount("90 segundos", "seconds", "es", names=("segundos",)) == 90
    with pytest.raises(AnswerFormatError):
        parse_amount("90 segundos", "seconds", "es")
