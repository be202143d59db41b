"""The calculator page's numbers: the estimate, the EC2 comparison and the chart's series."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from quizzes import charts

from . import pricing
from .usage import Usage

CHART_POINTS = 40
# Room on the left for the longest dollar label, Spanish's "US$50,00" included.
CHART_FRAME = charts.Frame(left=80)


@dataclass(frozen=True)
class Comparison:
    instance: str
    hourly: Decimal
    monthly: Decimal
    break_even: int | None
    chart: dict
    table: list[tuple[int, Decimal, Decimal]]


def compare_with_instance(
    usage: Usage, instance: str, *, x_label=charts.compact, y_label=charts.dollars
) -> Comparison:
    """Lambda's bill against an always-on instance, over a range of monthly invocations.
    `x_label`, `y_label`: the axis labels' formats (the page passes its language's)."""
    monthly = pricing.ec2_monthly_cost(instance)
    hourly = dict(pricing.instance_types())[instance]
    break_even = pricing.break_even_requests(usage, monthly)
    span = max(usage.requests * 2, (break_even or 0) * 2, 1_000_000)
    counts = [round(span * i / CHART_POINTS) for i in range(CHART_POINTS + 1)]
    lambda_costs = pricing.cost_curve(usage, counts)
    chart = charts.line_chart(
        [
            ("Lambda", "series-lambda", lambda_costs),
            (instance, "series-ec2", [(counts[0], monthly), (counts[-1], monthly)]),
        ],
        frame=CHART_FRAME,
        x_label=x_label,
        y_label=y_label,
    )
    step = CHART_POINTS // 5
    table = [(n, cost, monthly) for n, cost in lambda_costs[::step]]
    return Comparison(instance, hourly, monthly, break_even, chart, table)
