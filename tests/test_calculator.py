"""The calculator page: a plain GET form, an htmx fragment, a shareable URL, an SVG chart."""

from __future__ import annotations

import re
from decimal import Decimal

from quizzes.forms import CostForm

BASE = {
    "requests": "5000000", "duration_ms": "200", "memory_mb": "512", "arch": "x86_64",
    "ephemeral_mb": "512", "free_tier": "on", "provisioned_units": "0", "provisioned_hours": "0",
    "instance": "t3.small",
}  # fmt: skip


def total(page: str) -> str:
    return re.search(r'data-testid="total">\$([\d,.]+)<', page).group(1)


def test_an_empty_url_shows_a_default_estimate(client):
    page = client.get("/calculator/").content.decode()
    assert total(page) == "2.47"
    assert "<svg" in page and "<polyline" in page


def test_the_query_string_is_the_estimate_so_urls_can_be_shared(client):
    page = client.get("/calculator/", {**BASE, "memory_mb": "1024"}).content.decode()
    assert total(page) == "10.80"  # 1M GB-s - 400k free = 600k GB-s x $0.0000166667 + $0.80
    assert 'value="1024"' in page


def test_unchecking_the_free_tier_is_respected(client):
    data = {k: v for k, v in BASE.items() if k != "free_tier"}
    page = client.get("/calculator/", data).content.decode()
    assert total(page) == "9.33"  # $1.00 requests + 500,000 GB-s x $0.0000166667


def test_htmx_gets_only_the_estimate_fragment(client):
    response = client.get("/calculator/", BASE, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="estimate"')
    assert "<html" not in page and "<form" not in page


def test_bad_input_is_explained_and_kept(client):
    page = client.get("/calculator/", {**BASE, "memory_mb": "20000"}).content.decode()
    assert "Ensure this value is less than or equal to 10240." in page
    assert 'value="20000"' in page
    assert 'data-testid="total"' not in page


def test_an_engine_rule_is_explained_too(client):
    page = client.get("/calculator/", {**BASE, "edge": "on", "arch": "arm64"}).content.decode()
    assert "x86_64" in page and 'data-testid="total"' not in page


def test_the_ec2_comparison_has_a_break_even_and_the_numbers_as_text(client):
    page = re.sub(r"\s+", " ", client.get("/calculator/", BASE).content.decode())
    assert "A t3.small costs $0.0208 an hour: <strong>$15.18</strong> a month" in page
    assert re.search(
        r"Lambda stays cheaper up to <strong>[\d,]+</strong> invocations a month", page
    )
    assert '<table class="numbers">' in page
    assert 'role="img"' in page and '<title id="chart-title">' in page


def test_the_calculator_needs_no_database(client):
    """No django_db mark: pytest-django raises on any query, so this passing means zero queries."""
    assert client.get("/calculator/", BASE).status_code == 200


def test_letters_are_refused_as_not_a_number_rather_than_missing(client):
    page = client.get("/calculator/", {**BASE, "requests": "lots"}).content.decode()
    assert "Enter a whole number, for example 5,000,000." in page
    assert "This field is required" not in page and 'value="lots"' in page
    assert 'type="number"' not in page and 'inputmode="decimal"' in page
    page = client.get("/calculator/", {**BASE, "requests": ""}).content.decode()
    assert "Enter a number, for example 5,000,000." in page


def test_a_duration_of_zero_is_explained_in_words_on_its_field(client):
    page = re.sub(
        r"\s+", " ", client.get("/calculator/", {**BASE, "duration_ms": "0"}).content.decode()
    )
    assert "A function runs for some time: enter more than 0 ms." in page
    assert "got 0" not in page


def test_an_engine_rule_reads_as_a_sentence_on_the_field_at_fault(client):
    page = client.get("/calculator/", {**BASE, "edge": "on", "arch": "arm64"}).content.decode()
    error = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', page, re.S).group(1)
    assert re.search(r"[A-Z][^<]*x86_64[^<]*\.", error), error


def test_a_shared_url_missing_some_numbers_takes_their_defaults(client):
    page = client.get("/calculator/", {"memory_mb": "1024", "free_tier": "on"}).content.decode()
    assert "Enter a number" not in page
    assert total(page) == "10.80"  # the same as the full URL with memory 1024


def test_the_format_its_example_shows_is_accepted(client):
    """`5,000,000`, as the error message and the cost exercises write it, is 5000000."""
    plain = total(client.get("/calculator/", BASE).content.decode())
    for typed in ("5,000,000", " 5000000 ", "5,000,000.0"):
        page = client.get("/calculator/", {**BASE, "requests": typed}).content.decode()
        assert total(page) == plain, typed
    page = client.get("/calculator/", {**BASE, "duration_ms": "1,200.5"}).content.decode()
    assert 'data-testid="total"' in page


def test_the_calculator_and_the_exercises_read_numbers_alike():
    from quizzes.costs import answers

    examples = (("5,000,000", 5_000_000), ("1,234.50", Decimal("1234.50")), (".5", Decimal("0.5")))
    for text, value in examples:
        assert answers.parse_number(text) == value == answers.parse_amount(text, "number")
    form = CostForm(CostForm.defaults() | {"requests": "5,000,000", "duration_ms": "1,234.5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["requests"] == 5_000_000
    assert form.cleaned_data["duration_ms"] == Decimal("1234.5")
    for bad in ("5.000.000", "5,00", "lots", "2.5"):
        form = CostForm(CostForm.defaults() | {"requests": bad})
        assert not form.is_valid() and "requests" in form.errors, bad


def test_the_spanish_example_number_is_accepted_as_written(client):
    """The Spanish page's own example groups thousands with no-break spaces: it must parse."""
    page = client.get(
        "/calculator/", {**BASE, "requests": "lots"}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    example = re.search(r"por ejemplo ([^<]+)\.", page)[1]
    assert example.replace("\u00a0", " ").replace("\u202f", " ") == "5 000 000"
    for typed in (example, "5 000 000", "5,000,000"):
        page = client.get(
            "/calculator/", {**BASE, "requests": typed}, HTTP_ACCEPT_LANGUAGE="es"
        ).content.decode()
        assert 'role="alert"' not in page, typed
    page = client.get(
        "/calculator/", {**BASE, "requests": "5 000,000"}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert 'role="alert"' in page  # one kind of separator per number
