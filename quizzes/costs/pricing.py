"""Lambda cost arithmetic: exact Decimal bills, each line with steps a learner can follow.

Rates live in `lambda_rates.toml`. Everything is computed exactly and only the total (and each
displayed line amount) is rounded to the cent, half up. No Django here: views, the management
command and the exercise checker all call the same engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal, localcontext

from .numbers import EXACT, fmt_money, fmt_number, fmt_price, to_cents
from .rates import Rates, Tier, load_rates
from .usage import (
    MAX_PROVISIONED_HOURS,
    PricingError,
    Usage,
    parse_decimal,
    plain,
    suggestion,
)

BREAK_EVEN_LIMIT = 10**12
LINE_KEYS = ("requests", "duration", "ephemeral", "provisioned", "provisioned_duration")
EDGE_LINE_KEYS = ("edge_requests", "edge_duration")

MB_PER_GB = Decimal(1024)
MILLION = Decimal(1_000_000)


def gettext_noop(message: str) -> str:
    """Marks a line's label for translation (makemessages finds this name); pure Python, so the
    page translates it (`{% translate line.label %}`)."""
    return message


def _exact_money(amount: Decimal) -> str:
    """`$0.80`, or `$2.333338 ≈ $2.33` when rounding changes the figure."""
    rounded = to_cents(amount)
    if rounded == amount:
        return fmt_money(amount)
    return f"${fmt_number(amount)} ≈ {fmt_money(amount)}"


# --- the bill -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineItem:
    """One charge of the bill with the formula and the steps that produce it."""

    key: str
    label: str
    quantity: Decimal
    unit: str
    free: Decimal
    billable: Decimal
    unit_price: Decimal
    amount: Decimal
    formula: str
    steps: tuple[str, ...]
    price_text: str = ""  # the rate as people write it: "$0.20 per 1M requests"

    @property
    def rounded(self) -> Decimal:
        return to_cents(self.amount)

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "quantity": plain(self.quantity),
            "unit": self.unit,
            "free": plain(self.free),
            "billable": plain(self.billable),
            "unit_price": plain(self.unit_price),
            "price_text": self.price_text,
            "amount": plain(self.amount),
            "rounded": str(self.rounded),
            "formula": self.formula,
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class Breakdown:
    """A month's bill: its line items, the exact total and the total rounded once to the cent."""

    usage: Usage
    lines: tuple[LineItem, ...]
    exact_total: Decimal
    total: Decimal

    def line(self, key: str) -> LineItem | None:
        return next((line for line in self.lines if line.key == key), None)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: every Decimal as a string, `total` like "18.74"."""
        return {
            "total": str(self.total),
            "exact_total": plain(self.exact_total),
            "lines": {line.key: line.to_dict() for line in self.lines},
            "usage": self.usage.to_dict(),
        }


def estimate(usage: Usage, rates: Rates | None = None) -> Breakdown:
    """Price a month of usage line by line, exactly; round the total once."""
    rates = rates or load_rates()
    with localcontext(EXACT):
        lines = _edge_lines(usage, rates) if usage.edge else _lambda_lines(usage, rates)
        exact = sum((line.amount for line in lines), Decimal(0))
    return Breakdown(usage, tuple(lines), exact, to_cents(exact))


def _gb(usage: Usage) -> Decimal:
    return usage.memory_mb / MB_PER_GB


def _memory_step(usage: Usage) -> str:
    return f"Memory: {usage.memory_mb:,} MB ÷ 1,024 = {fmt_number(_gb(usage))} GB"


def _billed_step(duration: Decimal, billed: Decimal) -> str:
    seconds = fmt_number(billed / 1000)
    if duration == billed:
        return f"Billed duration: {fmt_number(billed)} ms = {seconds} s per request"
    return (
        f"Billed duration: {fmt_number(duration)} ms rounds up to {fmt_number(billed)} ms "
        f"(billed per 1 ms) = {seconds} s per request"
    )


def _line(
    key: str,
    label: str,
    *,
    quantity: Decimal,
    unit: str,
    price: Decimal,
    steps: Iterable[str],
    price_text: str,
    free: Decimal = Decimal(0),
    per: Decimal = Decimal(1),
    amount: Decimal | None = None,
    formula: str = "",
    closing: str = "",
) -> LineItem:
    """One charge of the bill, the one way every line is made.

    `quantity` less `free` is billable at `price` per `per` units (per 1M for requests), unless
    `amount` is given (a tiered charge). The formula reads billable x price unless one is given;
    the steps end with the same product worked out exactly, unless `closing` says otherwise.
    """
    billable = quantity - free
    if amount is None:
        amount = billable * price / per
    shown_price = fmt_price(price)
    if per == MILLION:
        counted = f"({quantity:,} − {free:,} free)" if free else f"{quantity:,}"
        formula = formula or f"{counted} × {shown_price} / 1M"
        closing = closing or f"{billable:,} ÷ 1,000,000 × {shown_price} = {_exact_money(amount)}"
    else:
        product = f"{fmt_number(billable)} {unit} × {shown_price}"
        formula = formula or product
        closing = closing or f"{product} = {_exact_money(amount)}"
    return LineItem(
        key=key,
        label=label,
        quantity=quantity,
        unit=unit,
        free=free,
        billable=billable,
        unit_price=price / per,
        amount=amount,
        formula=f"{formula} = {fmt_money(amount)}",
        steps=(*steps, closing),
        price_text=price_text,
    )


def _lambda_lines(usage: Usage, rates: Rates) -> list[LineItem]:
    lines = [_requests_line(usage, rates), _duration_line(usage, rates)]
    if usage.ephemeral_mb > rates.ephemeral_included_mb:
        lines.append(_ephemeral_line(usage, rates))
    if usage.provisioned_units:
        lines += [_provisioned_line(usage, rates), _provisioned_duration_line(usage, rates)]
    return lines


def _requests_line(usage: Usage, rates: Rates) -> LineItem:
    per_million = rates.requests_per_million[usage.arch]
    on_demand, pc = usage.on_demand_requests, usage.pc_requests
    free = min(on_demand, rates.free_requests) if usage.free_tier else 0
    steps = [f"Requests: {usage.requests:,}"]
    if pc:
        steps.append(f"{pc:,} run on provisioned concurrency, {on_demand:,} on demand")
    if not usage.free_tier:
        steps.append("Free tier not applied: every request is billable")
    elif free:
        where = "on-demand " if pc else ""
        steps.append(
            f"Free tier: the first {rates.free_requests:,} {where}requests a month are free, "
            f"so {usage.requests:,} − {free:,} = {usage.requests - free:,} are billable"
        )
    else:
        steps.append("Free tier: no on-demand requests to deduct it from")
    return _line(
        "requests",
        gettext_noop("Requests"),
        quantity=Decimal(usage.requests),
        unit=gettext_noop("requests"),
        free=Decimal(free),
        price=per_million,
        per=MILLION,
        steps=steps,
        price_text=f"{fmt_price(per_million)} per 1M requests",
    )


def _tiered(quantity: Decimal, tiers: tuple[Tier, ...]) -> tuple[Decimal, list[str], list[str]]:
    """Charge `quantity` GB-s through the tiers; also the formula terms and the steps."""
    amount, lower = Decimal(0), Decimal(0)
    terms: list[str] = []
    steps: list[str] = []
    for number, tier in enumerate(tiers, 1):
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        if upper <= lower:
            break
        part = upper - lower
        cost = part * tier.price
        amount += cost
        terms.append(f"{fmt_number(part)} GB-s × {fmt_price(tier.price)}")
        if tier.up_to is None:
            where = f"over {fmt_number(lower)} GB-s"
        elif lower:
            where = f"next {fmt_number(tier.up_to - lower)} GB-s"
        else:
            where = f"first {fmt_number(tier.up_to)} GB-s"
        steps.append(
            f"Tier {number} ({where}): {fmt_number(part)} GB-s × {fmt_price(tier.price)} "
            f"= {_exact_money(cost)}"
        )
        if tier.up_to is None:
            break
        lower = tier.up_to
    if not terms:
        terms.append(f"0 GB-s × {fmt_price(tiers[0].price)}")
    return amount, terms, steps


def _compute_steps(
    requests: int, billed_ms: Decimal, gb: Decimal, what: str = " requests"
) -> list[str]:
    """Compute time and GB-seconds: the two steps every duration-like line shows."""
    seconds = requests * billed_ms / 1000
    return [
        f"Compute time: {requests:,}{what} × {fmt_number(billed_ms / 1000)} s "
        f"= {fmt_number(seconds)} s",
        f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(gb)} GB "
        f"= {fmt_number(seconds * gb)} GB-s",
    ]


def _duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, on_demand = _gb(usage), usage.on_demand_requests
    gb_seconds = on_demand * usage.billed_ms / 1000 * gb
    free = min(gb_seconds, rates.free_gb_seconds) if usage.free_tier else Decimal(0)
    billable = gb_seconds - free
    tiers = rates.duration_tiers[usage.arch]
    amount, terms, tier_steps = _tiered(billable, tiers)
    steps = [_billed_step(usage.duration_ms, usage.billed_ms), _memory_step(usage)]
    who = " on-demand requests" if usage.pc_requests else " requests"
    steps += _compute_steps(on_demand, usage.billed_ms, gb, who)
    if not usage.free_tier:
        steps.append("Free tier not applied: every GB-s is billable")
    elif free == gb_seconds:
        steps.append(
            f"Free tier: {fmt_number(gb_seconds)} GB-s is within the "
            f"{fmt_number(rates.free_gb_seconds)} free GB-s a month, so nothing is billable"
        )
    else:
        steps.append(
            f"Free tier: {fmt_number(gb_seconds)} − {fmt_number(free)} free "
            f"= {fmt_number(billable)} GB-s billable"
        )
    formula = " + ".join(terms)
    if free and len(terms) == 1:
        formula = f"({fmt_number(gb_seconds)} − {fmt_number(free)} free) GB-s × "
        formula += fmt_price(tiers[0].price)
    return _line(
        "duration",
        gettext_noop("Duration"),
        quantity=gb_seconds,
        unit="GB-s",
        free=free,
        price=tiers[0].price,
        amount=amount,
        formula=formula,
        steps=[*steps, *tier_steps],
        closing=f"Duration charge ({usage.arch}): {_exact_money(amount)}",
        price_text=f"{fmt_price(tiers[0].price)} per GB-s (tiered)",
    )


def _all_seconds(usage: Usage) -> Decimal:
    on_demand = usage.on_demand_requests * usage.billed_ms / 1000
    return on_demand + usage.pc_requests * usage.pc_billed_ms / 1000


def _ephemeral_line(usage: Usage, rates: Rates) -> LineItem:
    extra_mb = usage.ephemeral_mb - rates.ephemeral_included_mb
    extra_gb = extra_mb / MB_PER_GB
    seconds = _all_seconds(usage)
    gb_seconds = seconds * extra_gb
    steps = (
        f"Extra storage: {usage.ephemeral_mb:,} − {rates.ephemeral_included_mb} MB included "
        f"= {extra_mb:,} MB ÷ 1,024 = {fmt_number(extra_gb)} GB",
        f"Compute time of all {usage.requests:,} requests: {fmt_number(seconds)} s",
        f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(extra_gb)} GB "
        f"= {fmt_number(gb_seconds)} GB-s (no free tier)",
    )
    return _line(
        "ephemeral",
        gettext_noop("Ephemeral storage"),
        quantity=gb_seconds,
        unit="GB-s",
        price=rates.ephemeral,
        steps=steps,
        price_text=f"{fmt_price(rates.ephemeral)} per GB-s above {rates.ephemeral_included_mb} MB",
    )


def _provisioned_line(usage: Usage, rates: Rates) -> LineItem:
    step = rates.provisioned_step_seconds
    asked = usage.provisioned_hours * 3600
    seconds = (asked / step).to_integral_value(rounding=ROUND_CEILING) * step
    gb = _gb(usage)
    configured = usage.provisioned_units * gb
    gb_seconds = configured * seconds
    price = rates.provisioned[usage.arch]
    steps = [
        _memory_step(usage),
        f"Concurrency configured: {usage.provisioned_units:,} × {fmt_number(gb)} GB "
        f"= {fmt_number(configured)} GB",
        f"Time enabled: {fmt_number(usage.provisioned_hours)} h × 3,600 = {fmt_number(asked)} s",
    ]
    if seconds != asked:
        steps.append(f"Billed in {step // 60}-minute steps, rounded up: {fmt_number(seconds)} s")
    steps.append(
        f"GB-seconds: {fmt_number(configured)} GB × {fmt_number(seconds)} s "
        f"= {fmt_number(gb_seconds)} GB-s (no free tier)"
    )
    return _line(
        "provisioned",
        gettext_noop("Provisioned concurrency"),
        quantity=gb_seconds,
        unit="GB-s",
        price=price,
        formula=(
            f"{usage.provisioned_units:,} × {fmt_number(gb)} GB × {fmt_number(seconds)} s "
            f"× {fmt_price(price)}"
        ),
        steps=steps,
        price_text=f"{fmt_price(price)} per GB-s configured",
    )


def _provisioned_duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, pc = _gb(usage), usage.pc_requests
    gb_seconds = pc * usage.pc_billed_ms / 1000 * gb
    price = rates.provisioned_duration[usage.arch]
    duration = usage.provisioned_duration_ms
    compute, product = _compute_steps(pc, usage.pc_billed_ms, gb)
    steps = (
        _billed_step(usage.duration_ms if duration is None else duration, usage.pc_billed_ms),
        compute,
        f"{product} (no free tier)",
    )
    return _line(
        "provisioned_duration",
        gettext_noop("Duration on provisioned concurrency"),
        quantity=gb_seconds,
        unit="GB-s",
        price=price,
        steps=steps,
        price_text=f"{fmt_price(price)} per GB-s",
    )


def _edge_lines(usage: Usage, rates: Rates) -> list[LineItem]:
    per_million = rates.edge_requests_per_million
    requests = _line(
        "edge_requests",
        gettext_noop("Lambda@Edge requests"),
        quantity=Decimal(usage.requests),
        unit=gettext_noop("requests"),
        price=per_million,
        per=MILLION,
        steps=[f"Requests: {usage.requests:,} (Lambda@Edge has no free tier)"],
        price_text=f"{fmt_price(per_million)} per 1M requests",
    )
    gb = _gb(usage)
    compute, product = _compute_steps(usage.requests, usage.billed_ms, gb, what="")
    duration = _line(
        "edge_duration",
        gettext_noop("Lambda@Edge duration"),
        quantity=usage.requests * usage.billed_ms / 1000 * gb,
        unit="GB-s",
        price=rates.edge_gb_second,
        steps=[
            _billed_step(usage.duration_ms, usage.billed_ms),
            _memory_step(usage),
            compute,
            f"{product} (no free tier, no tiers)",
        ],
        price_text=f"{fmt_price(rates.edge_gb_second)} per GB-s",
    )
    return [requests, duration]


# --- comparisons ----------------------------------------------------------------------------


def instance_types(rates: Rates | None = None) -> list[tuple[str, Decimal]]:
    """The EC2 instances to compare with, cheapest first, with their hourly price."""
    rates = rates or load_rates()
    return sorted(rates.ec2_hourly.items(), key=lambda item: (item[1], item[0]))


def ec2_monthly_cost(
    instance: str, rates: Rates | None = None, hours: Decimal | int | str | None = None
) -> Decimal:
    """An always-on instance's month (730 hours unless told), exact: round it for display."""
    rates = rates or load_rates()
    if instance not in rates.ec2_hourly:
        raise PricingError(
            f"unknown instance type {instance!r}{suggestion(instance, rates.ec2_hourly)}",
            "instance",
        )
    month = rates.hours_per_month if hours is None else parse_decimal("hours", hours)
    if not 0 <= month <= MAX_PROVISIONED_HOURS:
        raise PricingError(
            f"hours must be between 0 and {MAX_PROVISIONED_HOURS}, got {month}", "hours"
        )
    return rates.ec2_hourly[instance] * month


def _with_requests(usage: Usage, requests: int) -> Usage:
    """The same usage with another request count; explicit provisioned requests are capped to it."""
    provisioned = usage.provisioned_requests
    if provisioned is not None:
        provisioned = min(provisioned, requests)
    return replace(usage, requests=requests, provisioned_requests=provisioned)


def cost_curve(
    usage: Usage, request_counts: Iterable[int], rates: Rates | None = None
) -> list[tuple[int, Decimal]]:
    """The monthly total (to the cent) at each request count, everything else unchanged."""
    rates = rates or load_rates()
    return [(n, estimate(_with_requests(usage, n), rates).total) for n in request_counts]


def break_even_requests(
    usage: Usage, monthly_budget: Decimal | int | str, rates: Rates | None = None
) -> int | None:
    """The most requests a month whose bill (to the cent) stays within the budget.

    None when even 10^12 requests stay within it; 0 when the bill is over budget at 0 requests
    (provisioned concurrency alone can be). The bill only grows with requests, so this bisects.
    """
    rates = rates or load_rates()
    budget = parse_decimal("monthly_budget", monthly_budget)

    def within(n: int) -> bool:
        return estimate(_with_requests(usage, n), rates).total <= budget

    low, high = 0, BREAK_EVEN_LIMIT
    if not within(low):
        return 0
    if within(high):
        return None
    while high - low > 1:  # within(low) and not within(high)
        middle = (low + high) // 2
        low, high = (middle, high) if within(middle) else (low, middle)
    return low
