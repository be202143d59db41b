"""Lambda cost arithmetic: exact Decimal bills, each line with steps a learner can follow.

Rates live in `lambda_rates.toml`. Everything is computed exactly and only the total (and each
displayed line amount) is rounded to the cent, half up. No Django here: views, the management
command and the exercise checker all call the same engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal, localcontext

from quizzes.translatable import Message, gettext_noop

from .numbers import EXACT, to_cents
from .rates import Rates, Tier, load_rates
from .text import Exact, Joined, Money, Price, Unit, phrase
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
# Each line's label, marked for translation; a page says it with `{% translate line.label %}`.
LABELS = {
    "requests": gettext_noop("Requests"),
    "duration": gettext_noop("Duration"),
    "ephemeral": gettext_noop("Ephemeral storage"),
    "provisioned": gettext_noop("Provisioned concurrency"),
    "provisioned_duration": gettext_noop("Duration on provisioned concurrency"),
    "edge_requests": gettext_noop("Lambda@Edge requests"),
    "edge_duration": gettext_noop("Lambda@Edge duration"),
}

MB_PER_GB = Decimal(1024)
MILLION = Decimal(1_000_000)
SECONDS_PER_HOUR = 3600
REQUESTS = gettext_noop("requests")
GB_S = "GB-s"


# --- the bill -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineItem:
    """One charge of the bill with the formula and the steps that produce it.

    `formula`, `steps` and `price_text` are `Message`s: English strings that a page translates.
    """

    key: str
    label: str
    quantity: Decimal
    unit: str
    free: Decimal
    billable: Decimal
    unit_price: Decimal
    amount: Decimal
    formula: Message
    steps: tuple[Message, ...]
    price_text: Message = phrase("")  # the rate as people write it: "$0.20 per 1M requests"

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
            "price_text": str(self.price_text),
            "amount": plain(self.amount),
            "rounded": str(self.rounded),
            "formula": str(self.formula),
            "steps": [str(step) for step in self.steps],
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


def _memory_step(usage: Usage) -> Message:
    return phrase(
        gettext_noop("Memory: %(mb)s MB ÷ %(per_gb)s = %(gb)s GB"),
        mb=usage.memory_mb,
        per_gb=MB_PER_GB,
        gb=_gb(usage),
    )


def _billed_step(duration: Decimal, billed: Decimal) -> Message:
    seconds = billed / 1000
    if duration == billed:
        return phrase(
            gettext_noop("Billed duration: %(billed)s ms = %(seconds)s s per request"),
            billed=billed,
            seconds=seconds,
        )
    return phrase(
        gettext_noop(
            "Billed duration: %(duration)s ms rounds up to %(billed)s ms (billed per 1 ms) "
            "= %(seconds)s s per request"
        ),
        duration=duration,
        billed=billed,
        seconds=seconds,
    )


def _line(
    key: str,
    *,
    quantity: Decimal,
    unit: str,
    price: Decimal,
    steps: Iterable[Message],
    price_text: Message,
    free: Decimal = Decimal(0),
    per: Decimal = Decimal(1),
    amount: Decimal | None = None,
    formula: Message | None = None,
    closing: Message | None = None,
) -> LineItem:
    """One charge of the bill, the one way every line is made.

    `quantity` less `free` is billable at `price` per `per` units (per 1M for requests), unless
    `amount` is given (a tiered charge). The formula reads billable x price unless one is given;
    the steps end with the same product worked out exactly, unless `closing` says otherwise.
    """
    billable = quantity - free
    if amount is None:
        amount = billable * price / per
    if per == MILLION:
        counted: object = quantity
        if free:
            counted = phrase(
                gettext_noop("(%(quantity)s − %(free)s free)"), quantity=quantity, free=free
            )
        formula = formula or phrase(
            "%(counted)s × %(price)s / 1M", counted=counted, price=Price(price)
        )
        closing = closing or phrase(
            "%(billable)s ÷ %(million)s × %(price)s = %(amount)s",
            billable=billable,
            million=MILLION,
            price=Price(price),
            amount=Exact(amount),
        )
    else:
        product = phrase(
            "%(billable)s %(unit)s × %(price)s",
            billable=billable,
            unit=Unit(unit),
            price=Price(price),
        )
        formula = formula or product
        closing = closing or phrase(
            "%(product)s = %(amount)s", product=product, amount=Exact(amount)
        )
    return LineItem(
        key=key,
        label=LABELS[key],
        quantity=quantity,
        unit=unit,
        free=free,
        billable=billable,
        unit_price=price / per,
        amount=amount,
        formula=phrase("%(formula)s = %(amount)s", formula=formula, amount=Money(amount)),
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
    steps = [phrase(gettext_noop("Requests: %(requests)s"), requests=usage.requests)]
    if pc:
        steps.append(
            phrase(
                gettext_noop(
                    "%(provisioned)s run on provisioned concurrency, %(on_demand)s on demand"
                ),
                provisioned=pc,
                on_demand=on_demand,
            )
        )
    if not usage.free_tier:
        steps.append(phrase(gettext_noop("Free tier not applied: every request is billable")))
    elif free:
        message = (
            gettext_noop(
                "Free tier: the first %(free)s on-demand requests a month are free, "
                "so %(requests)s − %(deducted)s = %(billable)s are billable"
            )
            if pc
            else gettext_noop(
                "Free tier: the first %(free)s requests a month are free, "
                "so %(requests)s − %(deducted)s = %(billable)s are billable"
            )
        )
        steps.append(
            phrase(
                message,
                free=rates.free_requests,
                requests=usage.requests,
                deducted=free,
                billable=usage.requests - free,
            )
        )
    else:
        steps.append(phrase(gettext_noop("Free tier: no on-demand requests to deduct it from")))
    return _line(
        "requests",
        quantity=Decimal(usage.requests),
        unit=REQUESTS,
        free=Decimal(free),
        price=per_million,
        per=MILLION,
        steps=steps,
        price_text=_per_million(per_million),
    )


def _per_million(price: Decimal) -> Message:
    return phrase(gettext_noop("%(price)s per 1M requests"), price=Price(price))


def _gb_s(quantity: Decimal, price: Decimal) -> Message:
    return phrase("%(quantity)s GB-s × %(price)s", quantity=quantity, price=Price(price))


def _tiered(
    quantity: Decimal, tiers: tuple[Tier, ...]
) -> tuple[Decimal, list[Message], list[Message]]:
    """Charge `quantity` GB-s through the tiers; also the formula terms and the steps."""
    amount, lower = Decimal(0), Decimal(0)
    terms: list[Message] = []
    steps: list[Message] = []
    for number, tier in enumerate(tiers, 1):
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        if upper <= lower:
            break
        part = upper - lower
        cost = part * tier.price
        amount += cost
        terms.append(_gb_s(part, tier.price))
        if tier.up_to is None:
            message, gb_s = (
                gettext_noop("Tier %(number)s (over %(gb_s)s GB-s): %(product)s = %(amount)s"),
                lower,
            )
        elif lower:
            message, gb_s = (
                gettext_noop("Tier %(number)s (next %(gb_s)s GB-s): %(product)s = %(amount)s"),
                tier.up_to - lower,
            )
        else:
            message, gb_s = (
                gettext_noop("Tier %(number)s (first %(gb_s)s GB-s): %(product)s = %(amount)s"),
                tier.up_to,
            )
        steps.append(
            phrase(message, number=number, gb_s=gb_s, product=terms[-1], amount=Exact(cost))
        )
        if tier.up_to is None:
            break
        lower = tier.up_to
    if not terms:
        terms.append(_gb_s(Decimal(0), tiers[0].price))
    return amount, terms, steps


def _compute_steps(requests: int, billed_ms: Decimal, gb: Decimal, who: str) -> list[Message]:
    """Compute time and GB-seconds: the two steps every duration-like line shows. `who` says
    which requests: `requests`, `on-demand` or nothing (Lambda@Edge)."""
    seconds = requests * billed_ms / 1000
    messages = {
        "requests": gettext_noop(
            "Compute time: %(requests)s requests × %(per_request)s s = %(seconds)s s"
        ),
        "on-demand": gettext_noop(
            "Compute time: %(requests)s on-demand requests × %(per_request)s s = %(seconds)s s"
        ),
        "": gettext_noop("Compute time: %(requests)s × %(per_request)s s = %(seconds)s s"),
    }
    return [
        phrase(messages[who], requests=requests, per_request=billed_ms / 1000, seconds=seconds),
        phrase(
            gettext_noop("GB-seconds: %(seconds)s s × %(gb)s GB = %(gb_seconds)s GB-s"),
            seconds=seconds,
            gb=gb,
            gb_seconds=seconds * gb,
        ),
    ]


def _duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, on_demand = _gb(usage), usage.on_demand_requests
    gb_seconds = on_demand * usage.billed_ms / 1000 * gb
    free = min(gb_seconds, rates.free_gb_seconds) if usage.free_tier else Decimal(0)
    billable = gb_seconds - free
    tiers = rates.duration_tiers[usage.arch]
    amount, terms, tier_steps = _tiered(billable, tiers)
    steps = [_billed_step(usage.duration_ms, usage.billed_ms), _memory_step(usage)]
    who = "on-demand" if usage.pc_requests else "requests"
    steps += _compute_steps(on_demand, usage.billed_ms, gb, who)
    if not usage.free_tier:
        steps.append(phrase(gettext_noop("Free tier not applied: every GB-s is billable")))
    elif free == gb_seconds:
        steps.append(
            phrase(
                gettext_noop(
                    "Free tier: %(gb_seconds)s GB-s is within the %(free)s free GB-s a month, "
                    "so nothing is billable"
                ),
                gb_seconds=gb_seconds,
                free=rates.free_gb_seconds,
            )
        )
    else:
        steps.append(
            phrase(
                gettext_noop(
                    "Free tier: %(gb_seconds)s − %(free)s free = %(billable)s GB-s billable"
                ),
                gb_seconds=gb_seconds,
                free=free,
                billable=billable,
            )
        )
    formula = phrase("%(terms)s", terms=Joined(tuple(terms)))
    if free and len(terms) == 1:
        formula = phrase(
            gettext_noop("(%(gb_seconds)s − %(free)s free) GB-s × %(price)s"),
            gb_seconds=gb_seconds,
            free=free,
            price=Price(tiers[0].price),
        )
    return _line(
        "duration",
        quantity=gb_seconds,
        unit=GB_S,
        free=free,
        price=tiers[0].price,
        amount=amount,
        formula=formula,
        steps=[*steps, *tier_steps],
        closing=phrase(
            gettext_noop("Duration charge (%(arch)s): %(amount)s"),
            arch=usage.arch,
            amount=Exact(amount),
        ),
        price_text=phrase(gettext_noop("%(price)s per GB-s (tiered)"), price=Price(tiers[0].price)),
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
        phrase(
            gettext_noop(
                "Extra storage: %(storage)s − %(included)s MB included = %(extra)s MB "
                "÷ %(per_gb)s = %(gb)s GB"
            ),
            storage=usage.ephemeral_mb,
            included=rates.ephemeral_included_mb,
            extra=extra_mb,
            per_gb=MB_PER_GB,
            gb=extra_gb,
        ),
        phrase(
            gettext_noop("Compute time of all %(requests)s requests: %(seconds)s s"),
            requests=usage.requests,
            seconds=seconds,
        ),
        phrase(
            gettext_noop(
                "GB-seconds: %(seconds)s s × %(gb)s GB = %(gb_seconds)s GB-s (no free tier)"
            ),
            seconds=seconds,
            gb=extra_gb,
            gb_seconds=gb_seconds,
        ),
    )
    return _line(
        "ephemeral",
        quantity=gb_seconds,
        unit=GB_S,
        price=rates.ephemeral,
        steps=steps,
        price_text=phrase(
            gettext_noop("%(price)s per GB-s above %(included)s MB"),
            price=Price(rates.ephemeral),
            included=rates.ephemeral_included_mb,
        ),
    )


def _provisioned_line(usage: Usage, rates: Rates) -> LineItem:
    step = rates.provisioned_step_seconds
    asked = usage.provisioned_hours * SECONDS_PER_HOUR
    seconds = (asked / step).to_integral_value(rounding=ROUND_CEILING) * step
    gb = _gb(usage)
    configured = usage.provisioned_units * gb
    gb_seconds = configured * seconds
    price = rates.provisioned[usage.arch]
    steps = [
        _memory_step(usage),
        phrase(
            gettext_noop("Concurrency configured: %(units)s × %(gb)s GB = %(configured)s GB"),
            units=usage.provisioned_units,
            gb=gb,
            configured=configured,
        ),
        phrase(
            gettext_noop("Time enabled: %(hours)s h × %(per_hour)s = %(seconds)s s"),
            hours=usage.provisioned_hours,
            per_hour=SECONDS_PER_HOUR,
            seconds=asked,
        ),
    ]
    if seconds != asked:
        steps.append(
            phrase(
                gettext_noop("Billed in %(minutes)s-minute steps, rounded up: %(seconds)s s"),
                minutes=step // 60,
                seconds=seconds,
            )
        )
    steps.append(
        phrase(
            gettext_noop(
                "GB-seconds: %(configured)s GB × %(seconds)s s = %(gb_seconds)s GB-s (no free tier)"
            ),
            configured=configured,
            seconds=seconds,
            gb_seconds=gb_seconds,
        )
    )
    return _line(
        "provisioned",
        quantity=gb_seconds,
        unit=GB_S,
        price=price,
        formula=phrase(
            "%(units)s × %(gb)s GB × %(seconds)s s × %(price)s",
            units=usage.provisioned_units,
            gb=gb,
            seconds=seconds,
            price=Price(price),
        ),
        steps=steps,
        price_text=phrase(gettext_noop("%(price)s per GB-s configured"), price=Price(price)),
    )


def _no_free_tier(step: Message) -> Message:
    return phrase(gettext_noop("%(step)s (no free tier)"), step=step)


def _provisioned_duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, pc = _gb(usage), usage.pc_requests
    gb_seconds = pc * usage.pc_billed_ms / 1000 * gb
    price = rates.provisioned_duration[usage.arch]
    duration = usage.provisioned_duration_ms
    compute, product = _compute_steps(pc, usage.pc_billed_ms, gb, "requests")
    steps = (
        _billed_step(usage.duration_ms if duration is None else duration, usage.pc_billed_ms),
        compute,
        _no_free_tier(product),
    )
    return _line(
        "provisioned_duration",
        quantity=gb_seconds,
        unit=GB_S,
        price=price,
        steps=steps,
        price_text=phrase(gettext_noop("%(price)s per GB-s"), price=Price(price)),
    )


def _edge_lines(usage: Usage, rates: Rates) -> list[LineItem]:
    per_million = rates.edge_requests_per_million
    requests = _line(
        "edge_requests",
        quantity=Decimal(usage.requests),
        unit=REQUESTS,
        price=per_million,
        per=MILLION,
        steps=[
            phrase(
                gettext_noop("Requests: %(requests)s (Lambda@Edge has no free tier)"),
                requests=usage.requests,
            )
        ],
        price_text=_per_million(per_million),
    )
    gb = _gb(usage)
    compute, product = _compute_steps(usage.requests, usage.billed_ms, gb, "")
    duration = _line(
        "edge_duration",
        quantity=usage.requests * usage.billed_ms / 1000 * gb,
        unit=GB_S,
        price=rates.edge_gb_second,
        steps=[
            _billed_step(usage.duration_ms, usage.billed_ms),
            _memory_step(usage),
            compute,
            phrase(gettext_noop("%(step)s (no free tier, no tiers)"), step=product),
        ],
        price_text=phrase(gettext_noop("%(price)s per GB-s"), price=Price(rates.edge_gb_second)),
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
