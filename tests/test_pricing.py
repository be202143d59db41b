"""The pricing engine against AWS's own worked examples, its properties, and its error messages.

Sources: the examples on https://aws.amazon.com/lambda/pricing/ (read November 2026 from a stored
copy of the page), two from an earlier version of the same page, and two AWS blog posts. Each test
says which, and whether that example applies the free tier. Where AWS's published figure does not
follow from the rates in quizzes/costs/lambda_rates.toml, the test asserts what the rates give.
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.costs.numbers import to_cents
from quizzes.costs.pricing import (
    Breakdown,
    break_even_requests,
    cost_curve,
    ec2_monthly_cost,
    estimate,
    instance_types,
)
from quizzes.costs.rates import RATES_FILE, load_rates
from quizzes.costs.usage import PricingError, Usage

PRICING_PAGE = "https://aws.amazon.com/lambda/pricing/"


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


def bill(**values: object) -> Breakdown:
    return estimate(Usage.from_values(**values))


def cents(breakdown: Breakdown) -> dict[str, str]:
    return {line.key: str(line.rounded) for line in breakdown.lines}


# --- AWS's worked examples ------------------------------------------------------------------


def test_mobile_backend_example_costs_2_73_with_the_free_tier():
    """Pricing page, "Lambda Ephemeral Storage Pricing", Example 1: Mobile application backend.

    3M requests, 120 ms, 1536 MB, x86; free tier applied: $2.33 compute + $0.40 requests = $2.73.
    """
    breakdown = bill(requests=3_000_000, duration_ms=120, memory_mb=1536)
    duration = breakdown.line("duration")
    assert duration.quantity == 540_000
    assert duration.free == 400_000
    assert duration.billable == 140_000
    assert cents(breakdown) == {"requests": "0.40", "duration": "2.33"}
    assert breakdown.total == Decimal("2.73")


def test_telemetry_example_costs_249_49_without_the_free_tier():
    """Pricing page, Example 2: Enriching streaming telemetry (no free tier in AWS's sums).

    7.44M requests, 2 s, 1024 MB, x86: $1.49 requests + $248.00 compute = $249.49.
    """
    breakdown = bill(requests=7_440_000, duration_ms=2000, memory_mb=1024, free_tier=False)
    assert breakdown.line("requests").amount == Decimal("1.488")
    assert cents(breakdown) == {"requests": "1.49", "duration": "248.00"}
    assert breakdown.total == Decimal("249.49")


def test_ephemeral_storage_example_costs_106_41():
    """Pricing page, Example 3: ML on customer support tickets (free tier applied).

    6M requests, 280 ms, 4096 MB, 2048 MB ephemeral storage, x86:
    $105.33 compute + $1.00 requests + $0.08 ephemeral storage = $106.41.
    """
    breakdown = bill(requests=6_000_000, duration_ms=280, memory_mb=4096, ephemeral_mb=2048)
    assert breakdown.line("ephemeral").quantity == 2_520_000
    assert cents(breakdown) == {"requests": "1.00", "duration": "105.33", "ephemeral": "0.08"}
    assert breakdown.total == Decimal("106.41")


def test_provisioned_concurrency_launch_example_costs_19_96():
    """Pricing page, "Provisioned Concurrency Pricing", Example 1: Mobile application launch.

    3M requests at 1536 MB: 500,000 of them at 100 ms on 100 units of provisioned concurrency for
    8 hours, the other 2.5M at 120 ms on demand. AWS deducts the free tier from the on-demand part
    (although the same page says the free tier does not apply to such functions):
    $18 provisioned + $0.40 requests + $0.73 provisioned duration + $0.83 on-demand = $19.96.
    """
    breakdown = bill(
        requests=3_000_000,
        duration_ms=120,
        memory_mb=1536,
        provisioned_units=100,
        provisioned_hours=8,
        provisioned_requests=500_000,
        provisioned_duration_ms=100,
    )
    assert breakdown.line("provisioned").quantity == 4_320_000
    assert breakdown.line("provisioned_duration").quantity == 75_000
    assert breakdown.line("duration").quantity == 450_000
    assert cents(breakdown) == {
        "requests": "0.40",
        "duration": "0.83",
        "provisioned": "18.00",
        "provisioned_duration": "0.73",
    }
    assert breakdown.total == Decimal("19.96")


def test_cyber_monday_example_costs_32_26_with_every_request_on_provisioned_concurrency():
    """Pricing page, "Provisioned Concurrency Pricing", Example 2: Cyber Monday.

    2M requests, 280 ms, 4096 MB, 7 units for 24 hours, all on provisioned concurrency, so no free
    tier applies: $10.08 + $21.78 + $0.40 = $32.26.
    """
    for free_tier in (True, False):
        breakdown = bill(
            requests=2_000_000,
            duration_ms=280,
            memory_mb=4096,
            provisioned_units=7,
            provisioned_hours=24,
            free_tier=free_tier,
        )
        assert breakdown.line("provisioned").quantity == 2_419_200
        assert cents(breakdown) == {
            "requests": "0.40",
            "duration": "0.00",
            "provisioned": "10.08",
            "provisioned_duration": "21.78",
        }
        assert breakdown.total == Decimal("32.26")


def test_lambda_at_edge_example_costs_6_63():
    """Pricing page, "Lambda@Edge Pricing" example: 10M requests of 10 ms at 128 MB, no free tier.

    $0.63 compute ($0.00000625125 per 128 MB-second) + $6.00 requests = $6.63.
    """
    breakdown = bill(requests=10_000_000, duration_ms=10, memory_mb=128, edge=True)
    assert breakdown.line("edge_duration").amount == Decimal("0.625125")
    assert cents(breakdown) == {"edge_requests": "6.00", "edge_duration": "0.63"}
    assert breakdown.total == Decimal("6.63")


def test_earlier_lambda_at_edge_example_of_50_ms_costs_9_13():
    """The same page's earlier Lambda@Edge example: 10M requests of 50 ms: $3.13 + $6.00 = $9.13."""
    breakdown = bill(requests=10_000_000, duration_ms=50, memory_mb=128, edge=True)
    assert cents(breakdown) == {"edge_requests": "6.00", "edge_duration": "3.13"}
    assert breakdown.total == Decimal("9.13")


def test_earlier_512_mb_example_gives_18_73_at_todays_rate_not_the_published_18_74():
    """Earlier version of the pricing page, Example 1: 3M requests, 1 s, 512 MB, free tier applied.

    AWS published $18.34 + $0.40 = $18.74 using the old rate of $0.00001667 per GB-s. At the
    reference rate of $0.0000166667, 1,100,000 GB-s cost $18.33337, so the bill is $18.73.
    """
    breakdown = bill(requests=3_000_000, duration_ms=1000, memory_mb=512)
    assert breakdown.line("duration").billable == 1_100_000
    assert cents(breakdown) == {"requests": "0.40", "duration": "18.33"}
    assert breakdown.total == Decimal("18.73")


def test_earlier_128_mb_example_costs_11_63():
    """Earlier version of the pricing page, Example 2: 30M requests, 200 ms, 128 MB, free tier.

    $5.83 compute + $5.80 requests = $11.63 (the same at the old and the current rate).
    """
    breakdown = bill(requests=30_000_000, duration_ms=200, memory_mb=128)
    assert breakdown.line("duration").billable == 350_000
    assert cents(breakdown) == {"requests": "5.80", "duration": "5.83"}
    assert breakdown.total == Decimal("11.63")


def test_durable_functions_example_compute_on_arm64_costs_421_34():
    """Pricing page, "Lambda Durable Functions Pricing" example, its Lambda part (free tier).

    1M executions of 32 s in two invocations each at 1 GB on Arm: 2M requests averaging 16 s.
    Compute (32M − 400,000 free) GB-s × $0.0000133334 = $421.34; requests (2M − 1M) = $0.20.
    """
    breakdown = bill(requests=2_000_000, duration_ms=16_000, memory_mb=1024, arch="arm64")
    assert cents(breakdown) == {"requests": "0.20", "duration": "421.34"}


def test_streaming_example_compute_and_requests_match():
    """Pricing page, "Lambda HTTP Response Stream Pricing" example, its Lambda part (free tier).

    3M requests, 500 ms, 1536 MB: $30.83 compute + $0.40 requests (streaming is priced apart).
    """
    breakdown = bill(requests=3_000_000, duration_ms=500, memory_mb=1536)
    assert cents(breakdown) == {"requests": "0.40", "duration": "30.83"}


def test_tenant_isolation_example_compute_is_333_33_not_the_published_333_34():
    """Pricing page, "Tenant Isolation Pricing" example, without the free tier as AWS computes it.

    20M GB-s × $0.0000166667 = $333.334, which rounds to $333.33; AWS prints $333.34.
    """
    breakdown = bill(requests=10_000_000, duration_ms=2000, memory_mb=1024, free_tier=False)
    assert breakdown.line("duration").amount == Decimal("333.334")
    assert cents(breakdown) == {"requests": "2.00", "duration": "333.33"}


def test_one_millisecond_billing_blog_example_costs_40():
    """AWS News Blog, "New for AWS Lambda – 1ms Billing Granularity Adds Cost Savings" (2020).

    60M invocations of 28 ms at 1 GB, free tier left out as in the post: $12 + $28 = $40.
    """
    breakdown = bill(requests=60_000_000, duration_ms=28, memory_mb=1024, free_tier=False)
    assert cents(breakdown) == {"requests": "12.00", "duration": "28.00"}
    assert breakdown.total == Decimal("40.00")


# --- the seed documents' errors, tiers and rounding -----------------------------------------


def test_five_million_requests_cost_80_cents_with_the_free_tier():
    """The seed said $1.00: the first million requests are free."""
    assert bill(requests=5_000_000, duration_ms=1, memory_mb=128).line("requests").rounded == (
        Decimal("0.80")
    )


def test_250000_gb_seconds_are_inside_the_free_tier():
    """5M × 256 MB × 200 ms is 250,000 GB-s, not a $1.67 charge."""
    duration = bill(requests=5_000_000, duration_ms=200, memory_mb=256).line("duration")
    assert duration.quantity == 250_000
    assert duration.amount == 0


def test_x86_tiers_apply_to_twenty_billion_gb_seconds():
    """6B × $0.0000166667 + 9B × $0.000015 + 5B × $0.0000133334 = $301,667.20."""
    breakdown = bill(requests=1_000_000_000, duration_ms=2000, memory_mb=10240, free_tier=False)
    duration = breakdown.line("duration")
    assert duration.quantity == 20_000_000_000
    assert duration.amount == Decimal("301667.2")
    assert any(step.startswith("Tier 3") for step in duration.steps)


def test_arm64_tiers_apply_to_twenty_billion_gb_seconds():
    """7.5B × $0.0000133334 + 11.25B × $0.0000120001 + 1.25B × $0.0000106667 = $248,335.00."""
    breakdown = bill(
        requests=1_000_000_000, duration_ms=2000, memory_mb=10240, arch="arm64", free_tier=False
    )
    assert breakdown.line("duration").amount == Decimal("248335.000")


def test_tiers_apply_after_the_free_tier():
    """10B GB-s less 400,000 free: 6B in tier 1 and the rest in tier 2."""
    duration = bill(requests=1_000_000_000, duration_ms=1000, memory_mb=10240).line("duration")
    tier_2 = Decimal(10_000_000_000 - 400_000 - 6_000_000_000)
    expected = 6_000_000_000 * Decimal("0.0000166667") + tier_2 * Decimal("0.000015")
    assert duration.amount == expected


def test_duration_is_billed_in_whole_milliseconds_rounded_up():
    fractional = bill(requests=1_000_000, duration_ms="199.2", memory_mb=1024, free_tier=False)
    whole = bill(requests=1_000_000, duration_ms=200, memory_mb=1024, free_tier=False)
    assert fractional.line("duration").amount == whole.line("duration").amount
    assert "rounds up to 200 ms" in fractional.line("duration").steps[0]


def test_provisioned_concurrency_is_billed_in_five_minute_steps():
    one_hour_and_a_bit = bill(
        requests=0, duration_ms=100, memory_mb=1024, provisioned_units=1, provisioned_hours="1.01"
    )
    assert one_hour_and_a_bit.line("provisioned").quantity == 65 * 60


def test_ephemeral_storage_line_is_left_out_at_512_mb():
    assert bill(requests=1, duration_ms=1, memory_mb=128).line("ephemeral") is None


def test_the_total_is_rounded_once_not_line_by_line():
    """$0.444 + $0.0416667: line by line $0.44 + $0.04 = $0.48, but the bill is $0.49."""
    breakdown = bill(requests=3_220_000, duration_ms=1000, memory_mb=128)
    assert [line.rounded for line in breakdown.lines] == [Decimal("0.44"), Decimal("0.04")]
    assert breakdown.exact_total == sum(line.amount for line in breakdown.lines)
    assert breakdown.total == Decimal("0.49")


def test_to_dict_is_json_ready_with_decimal_strings():
    data = bill(requests=5_000_000, duration_ms=200, memory_mb=256).to_dict()
    assert data["total"] == "0.80"
    assert data["lines"]["requests"]["formula"] == (
        "(5,000,000 − 1,000,000 free) × $0.20 / 1M = $0.80"
    )
    assert data["lines"]["duration"]["billable"] == "0"
    assert all(isinstance(step, str) for step in data["lines"]["duration"]["steps"])


# --- properties -----------------------------------------------------------------------------

ARCH = st.sampled_from(["x86_64", "arm64"])
DURATION = st.decimals(min_value=1, max_value=900_000, places=1)
MEMORY = st.integers(128, 10240)


@st.composite
def usages(draw: st.DrawFn) -> dict[str, object]:
    values: dict[str, object] = {
        "requests": draw(st.integers(0, 10**10)),
        "duration_ms": draw(DURATION),
        "memory_mb": draw(MEMORY),
        "arch": draw(ARCH),
        "ephemeral_mb": draw(st.integers(512, 10240)),
        "free_tier": draw(st.booleans()),
    }
    if draw(st.booleans()):
        values["provisioned_units"] = draw(st.integers(1, 1000))
        values["provisioned_hours"] = draw(st.decimals(min_value=1, max_value=744, places=2))
        values["provisioned_requests"] = draw(st.integers(0, values["requests"]))
    return values


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(usages())
def test_cost_is_never_negative(values):
    breakdown = bill(**values)
    assert breakdown.total >= 0
    assert all(line.amount >= 0 for line in breakdown.lines)


@PROPERTY
@given(usages(), st.integers(0, 10**9))
def test_cost_never_falls_when_requests_grow(values, extra):
    more = {**values, "requests": values["requests"] + extra}
    assert bill(**more).exact_total >= bill(**values).exact_total


@PROPERTY
@given(usages(), DURATION)
def test_cost_never_falls_when_duration_grows(values, other):
    low, high = sorted((values["duration_ms"], other))
    assert bill(**{**values, "duration_ms": high}).exact_total >= (
        bill(**{**values, "duration_ms": low}).exact_total
    )


@PROPERTY
@given(usages(), MEMORY)
def test_cost_never_falls_when_memory_grows(values, other):
    low, high = sorted((values["memory_mb"], other))
    assert bill(**{**values, "memory_mb": high}).exact_total >= (
        bill(**{**values, "memory_mb": low}).exact_total
    )


@PROPERTY
@given(usages())
def test_free_tier_never_increases_a_bill(values):
    with_free = bill(**{**values, "free_tier": True})
    without = bill(**{**values, "free_tier": False})
    assert with_free.exact_total <= without.exact_total


@PROPERTY
@given(usages())
def test_arm64_is_never_dearer_than_x86(values):
    arm = bill(**{**values, "arch": "arm64"})
    x86 = bill(**{**values, "arch": "x86_64"})
    assert arm.exact_total <= x86.exact_total


@PROPERTY
@given(usages())
def test_total_is_the_sum_of_the_exact_lines_rounded_once(values):
    breakdown = bill(**values)
    with localcontext(Context(prec=80)):  # the engine's amounts are exact; so must the sum be
        assert breakdown.exact_total == sum(line.amount for line in breakdown.lines)
    assert breakdown.total == to_cents(breakdown.exact_total)
    assert breakdown.line("requests") and breakdown.line("duration")


@PROPERTY
@given(st.integers(0, 10**10), DURATION.filter(lambda d: d <= 30_000), MEMORY)
def test_lambda_at_edge_has_exactly_two_lines_and_no_free_tier(requests, duration, memory):
    breakdown = bill(requests=requests, duration_ms=duration, memory_mb=memory, edge=True)
    assert [line.key for line in breakdown.lines] == ["edge_requests", "edge_duration"]
    assert all(line.free == 0 for line in breakdown.lines)


# --- comparisons ----------------------------------------------------------------------------


def test_ec2_monthly_cost_is_hourly_price_times_730_hours():
    hourly = dict(instance_types())["t3.small"]
    assert ec2_monthly_cost("t3.small") == hourly * 730
    assert ec2_monthly_cost("t3.small", hours=24) == hourly * 24


def test_instance_types_are_cheapest_first():
    prices = [price for _, price in instance_types()]
    assert prices == sorted(prices)
    assert {"t4g.micro", "t3.micro", "m5.large"} <= {name for name, _ in instance_types()}


def test_unknown_instance_type_suggests_a_known_one():
    with pytest.raises(PricingError, match="did you mean 't3.small'"):
        ec2_monthly_cost("t3.smal")


def test_break_even_is_the_last_request_count_within_budget():
    usage = Usage(requests=1, duration_ms=Decimal(200), memory_mb=512)
    budget = ec2_monthly_cost("t3.small")
    count = break_even_requests(usage, budget)
    assert count is not None
    (_, at), (_, after) = cost_curve(usage, [count, count + 1])
    assert at <= budget < after


def test_break_even_is_none_when_no_request_count_reaches_the_budget():
    usage = Usage(requests=1, duration_ms=Decimal(1), memory_mb=128)
    assert break_even_requests(usage, Decimal(10**9)) is None


def test_break_even_is_zero_when_provisioned_concurrency_alone_is_over_budget():
    usage = Usage(
        requests=1,
        duration_ms=Decimal(100),
        memory_mb=10240,
        provisioned_units=100,
        provisioned_hours=Decimal(744),
    )
    assert break_even_requests(usage, Decimal(5)) == 0


def test_cost_curve_caps_explicit_provisioned_requests_at_each_count():
    usage = Usage.from_values(
        requests=2_000_000,
        duration_ms=100,
        memory_mb=1024,
        provisioned_units=10,
        provisioned_hours=10,
        provisioned_requests=1_000_000,
    )
    curve = cost_curve(usage, [0, 500_000, 2_000_000])
    assert [n for n, _ in curve] == [0, 500_000, 2_000_000]
    assert curve[0][1] < curve[1][1] < curve[2][1]


def test_rates_come_from_the_toml_file_as_exact_decimals():
    rates = load_rates()
    assert rates.duration_tiers["x86_64"][0].price == Decimal("0.0000166667")
    assert rates.free_gb_seconds == 400_000
    assert rates.hours_per_month == 730
    assert rates.sources["requests"] == PRICING_PAGE


def test_a_broken_rates_file_is_a_clear_error(tmp_path):
    text = RATES_FILE.read_text(encoding="utf-8").replace('price = "0.000015"', "price = 0.000015")
    path = tmp_path / "rates.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PricingError, match=r"duration.x86_64\[1\].price must be a number written"):
        load_rates(path)


# --- validation messages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"memory_mb": 20000}, "memory must be between 128 and 10240 MB, got 20000"),
        ({"requests": -5}, "requests must be a whole number of 0 or more, got -5"),
        ({"requests": "2.5"}, "requests must be a whole number of 0 or more, got '2.5'"),
        ({"duration_ms": "abc"}, "duration_ms must be a number, got 'abc'"),
        ({"duration_ms": 0}, "duration must be more than 0 and at most 900000 ms, got 0"),
        ({"duration_ms": 900_001}, "duration must be more than 0 and at most 900000 ms"),
        ({"arch": "sparc"}, "arch must be x86_64 or arm64, got 'sparc'"),
        ({"ephemeral_mb": 100}, "ephemeral storage must be between 512 and 10240 MB, got 100"),
        ({"free_tier": "maybe"}, "free_tier must be true or false, got 'maybe'"),
        ({"edge": True, "arch": "arm64"}, "Lambda@Edge functions run on x86_64 only"),
        ({"edge": True, "ephemeral_mb": 1024}, "cannot have ephemeral storage above 512 MB"),
        (
            {"edge": True, "provisioned_units": 1, "provisioned_hours": 1},
            "Lambda@Edge functions cannot use provisioned concurrency",
        ),
        ({"edge": True, "duration_ms": 31_000}, "Lambda@Edge duration must be more than 0"),
        (
            {"provisioned_units": 5, "provisioned_hours": 1, "provisioned_requests": 5_000_000},
            "provisioned requests (5,000,000) cannot exceed total requests (1,000,000)",
        ),
        ({"provisioned_units": 5}, "provisioned concurrency of 5 needs the hours it is enabled"),
        ({"provisioned_requests": 10}, "need a provisioned concurrency above 0"),
        ({"provisioned_units": 1, "provisioned_hours": 800}, "between 0 and 744"),
        ({"memroy_mb": 512}, "unknown input 'memroy_mb'; did you mean 'memory_mb'?"),
    ],
)
def test_bad_input_gets_a_message_a_person_understands(values, message):
    with pytest.raises(PricingError) as error:
        bill(**{"requests": 1_000_000, "duration_ms": 100, "memory_mb": 512, **values})
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "requests is too large"),
        (1e300, "requests is too large"),
        ("1e5", "requests must be a whole number"),
        ("NaN", "requests must be a whole number"),
    ],
)
def test_absurd_numbers_are_refused_cheaply(value, message):
    with pytest.raises(PricingError, match=message):
        bill(requests=value, duration_ms=1, memory_mb=128)


def test_a_duration_with_a_thousand_decimals_is_refused():
    with pytest.raises(PricingError, match="duration_ms has more than 12 decimals"):
        bill(requests=1, duration_ms=Decimal("1e-1000"), memory_mb=128)


def test_the_error_names_the_input_at_fault():
    with pytest.raises(PricingError) as error:
        bill(requests=1, duration_ms=1, memory_mb=64)
    assert error.value.field == "memory_mb"


def test_missing_required_input_is_reported_by_name():
    with pytest.raises(PricingError, match="memory_mb is required"):
        Usage.from_values(requests=1, duration_ms=1)


def test_form_and_command_line_strings_are_accepted():
    usage = Usage.from_values(
        requests="5,000,000",
        duration_ms="200",
        memory_mb="256",
        arch="arm",
        free_tier="on",
        provisioned_requests="",
    )
    assert (usage.requests, usage.duration_ms, usage.arch) == (5_000_000, Decimal(200), "arm64")
    assert usage.free_tier is True and usage.provisioned_requests is None
