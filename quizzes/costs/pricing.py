"""Lambda cost arithmetic: exact Decimal bills, each line with steps a learner can follow.

Rates live in `lambda_rates.toml`. Everything is computed exactly and only the total (and each
displayed line amount) is rounded to the cent, half up. No Django here: views, the management
command and the exercise checker all call the same engine.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path
from types import MappingProxyType

RATES_FILE = Path(__file__).with_name("lambda_rates.toml")
ARCHITECTURES = ("x86_64", "arm64")
MEMORY_MB = (128, 10240)
EPHEMERAL_MB = (512, 10240)
MAX_DURATION_MS = 900_000  # the 15-minute timeout
EDGE_MAX_DURATION_MS = 30_000  # origin triggers; viewer triggers stop at 5 s
MAX_REQUESTS = 10**15
MAX_PROVISIONED_HOURS = 744  # a 31-day month
BREAK_EVEN_LIMIT = 10**12
LINE_KEYS = ("requests", "duration", "ephemeral", "provisioned", "provisioned_duration")
EDGE_LINE_KEYS = ("edge_requests", "edge_duration")

MB_PER_GB = Decimal(1024)
MILLION = Decimal(1_000_000)
CENT = Decimal("0.01")
_EXACT = Context(prec=80)  # every figure here stays exact at this precision
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
_MAX_DECIMALS = 12
_TOO_LARGE_DIGITS = 20  # 10^20 is far beyond any bill; keeps int() and messages small
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


def gettext_noop(message: str) -> str:
    """Marks a line's label for translation (makemessages finds this name); pure Python, so the
    page translates it (`{% translate line.label %}`)."""
    return message


class PricingError(ValueError):
    """The only error the engine raises; `field` names the input at fault when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- formatting -----------------------------------------------------------------------------


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up, as a bill does."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_number(value: Decimal | int) -> str:
    """Digits a person reads: thousands separators, no exponent, no trailing zeros."""
    text = f"{Decimal(value).normalize(_EXACT):,f}"
    return "0" if text in ("-0", "") else text


def fmt_money(amount: Decimal) -> str:
    """`$1,234.50`: rounded to the cent."""
    return f"${to_cents(amount):,.2f}"


def fmt_price(price: Decimal) -> str:
    """`$0.20`, `$0.0000166667`: a rate with all its digits and at least two decimals."""
    text = fmt_number(price)
    decimals = len(text.partition(".")[2])
    return f"${text}" if decimals >= 2 else f"${price:,.2f}"


def _exact_money(amount: Decimal) -> str:
    """`$0.80`, or `$2.333338 ≈ $2.33` when rounding changes the figure."""
    rounded = to_cents(amount)
    if rounded == amount:
        return fmt_money(amount)
    return f"${fmt_number(amount)} ≈ {fmt_money(amount)}"


def _shown(value: object) -> str:
    """An input as an error message quotes it: strings quoted, long ones cut short."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


# --- rates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """One step of on-demand duration pricing; `up_to` is cumulative GB-s, None for the last."""

    up_to: Decimal | None
    price: Decimal


@dataclass(frozen=True)
class Rates:
    """Read-only rates from the TOML file, all exact Decimals."""

    requests_per_million: Mapping[str, Decimal]
    duration_tiers: Mapping[str, tuple[Tier, ...]]
    provisioned: Mapping[str, Decimal]
    provisioned_duration: Mapping[str, Decimal]
    provisioned_step_seconds: int
    ephemeral: Decimal
    ephemeral_included_mb: int
    free_requests: int
    free_gb_seconds: Decimal
    edge_requests_per_million: Decimal
    edge_gb_second: Decimal
    ec2_hourly: Mapping[str, Decimal]
    hours_per_month: Decimal
    sources: Mapping[str, str]
    checked: str


def _rate(table: Mapping, key: str, where: str) -> Decimal:
    value = table.get(key)
    if not isinstance(value, str) or not _NUMBER.fullmatch(value):
        raise PricingError(f"{where}.{key} must be a number written as a string, got {value!r}")
    return Decimal(value.replace(",", ""))


def _section(data: Mapping, name: str) -> Mapping:
    section = data.get(name)
    if not isinstance(section, Mapping):
        raise PricingError(f"the rates file has no [{name}] table")
    return section


def _per_arch(data: Mapping, name: str) -> Mapping[str, Decimal]:
    section = _section(data, name)
    return MappingProxyType({arch: _rate(section, arch, name) for arch in ARCHITECTURES})


def _tiers(data: Mapping, arch: str) -> tuple[Tier, ...]:
    rows = _section(data, "duration").get(arch)
    if not isinstance(rows, list) or not rows:
        raise PricingError(f"the rates file has no [[duration.{arch}]] tiers")
    tiers = []
    for index, row in enumerate(rows):
        where = f"duration.{arch}[{index}]"
        last = index == len(rows) - 1
        if last != ("up_to" not in row):
            raise PricingError(f"{where}: only the last tier has no up_to")
        tiers.append(Tier(None if last else _rate(row, "up_to", where), _rate(row, "price", where)))
    return tuple(tiers)


@functools.lru_cache(maxsize=8)
def load_rates(path: str | Path | None = None) -> Rates:
    """Read the rates file once; the result is shared, so it is read-only."""
    file = Path(path) if path is not None else RATES_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PricingError(f"cannot read the rates file {file}: {error}") from None
    free, ephemeral, edge, ec2 = (
        _section(data, n) for n in ("free_tier", "ephemeral_storage", "edge", "ec2")
    )
    hourly = ec2.get("hourly")
    if not isinstance(hourly, Mapping) or not hourly:
        raise PricingError("the rates file has no [ec2.hourly] prices")
    sources = {
        name: section["source"]
        for name, section in data.items()
        if isinstance(section, Mapping) and isinstance(section.get("source"), str)
    }
    return Rates(
        requests_per_million=_per_arch(data, "requests"),
        duration_tiers=MappingProxyType({arch: _tiers(data, arch) for arch in ARCHITECTURES}),
        provisioned=_per_arch(data, "provisioned_concurrency"),
        provisioned_duration=_per_arch(data, "provisioned_duration"),
        provisioned_step_seconds=int(
            _rate(_section(data, "provisioned_concurrency"), "billing_step_seconds", "pc")
        ),
        ephemeral=_rate(ephemeral, "price", "ephemeral_storage"),
        ephemeral_included_mb=int(_rate(ephemeral, "included_mb", "ephemeral_storage")),
        free_requests=int(_rate(free, "requests", "free_tier")),
        free_gb_seconds=_rate(free, "gb_seconds", "free_tier"),
        edge_requests_per_million=_rate(edge, "requests_per_million", "edge"),
        edge_gb_second=_rate(edge, "gb_second", "edge"),
        ec2_hourly=MappingProxyType({name: _rate(hourly, name, "ec2.hourly") for name in hourly}),
        hours_per_month=_rate(ec2, "hours_per_month", "ec2"),
        sources=MappingProxyType(sources),
        checked=str(_section(data, "meta").get("checked", "")),
    )


# --- inputs ---------------------------------------------------------------------------------


def _decimal(name: str, value: object) -> Decimal:
    """A number from Python, YAML, a form or a command line, or a PricingError naming the input."""
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip().replace("_", "")):
        number = Decimal(value.strip().replace("_", "").replace(",", ""))
    if number is None or not number.is_finite():
        raise PricingError(f"{name} must be a number, got {_shown(value)}", name)
    if number and number.adjusted() >= _TOO_LARGE_DIGITS:  # no arithmetic: 1e999999 overflows
        raise PricingError(f"{name} is too large, got {_shown(value)}", name)
    if number.normalize(_EXACT).as_tuple().exponent < -_MAX_DECIMALS:
        raise PricingError(
            f"{name} has more than {_MAX_DECIMALS} decimals, got {_shown(value)}", name
        )
    return number


def _whole(name: str, value: object, label: str | None = None) -> int:
    label = label or name
    message = f"{label} must be a whole number of 0 or more, got {_shown(value)}"
    try:
        number = _decimal(name, value)
    except PricingError as error:
        raise error if "too large" in str(error) else PricingError(message, name) from None
    if number != number.to_integral_value() or number < 0:
        raise PricingError(message, name)
    return int(number)


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise PricingError(f"{name} must be true or false, got {_shown(value)}", name)


def _arch(name: str, value: object) -> str:
    aliases = {"x86_64": "x86_64", "x86": "x86_64", "arm64": "arm64", "arm": "arm64"}
    if isinstance(value, str) and value.strip().lower() in aliases:
        return aliases[value.strip().lower()]
    raise PricingError(f"arch must be x86_64 or arm64, got {_shown(value)}", name)


def _optional_whole(name: str, value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(name, value, name.replace("_", " "))


def _optional_decimal(name: str, value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _decimal(name, value)


_COERCE = {
    "requests": _whole,
    "duration_ms": _decimal,
    "memory_mb": lambda n, v: _whole(n, v, "memory"),
    "arch": _arch,
    "ephemeral_mb": lambda n, v: _whole(n, v, "ephemeral storage"),
    "provisioned_units": _whole,
    "provisioned_hours": _decimal,
    "provisioned_requests": _optional_whole,
    "free_tier": _flag,
    "edge": _flag,
    "provisioned_duration_ms": _optional_decimal,
}


def coerce_input(name: str, value: object) -> object:
    """One engine input as the engine stores it, or a PricingError (used to check YAML literals)."""
    if name not in _COERCE:
        raise PricingError(f"unknown input {name!r}{_suggest(name, _COERCE)}", name)
    return _COERCE[name](name, value)


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Usage:
    """A month of one function's usage; values are coerced and validated on construction.

    `provisioned_duration_ms` (an addition) is the average duration of the requests served by
    provisioned concurrency, when it differs from `duration_ms` (AWS's own example does this).
    """

    requests: int
    duration_ms: Decimal
    memory_mb: int
    arch: str = "x86_64"
    ephemeral_mb: int = 512
    provisioned_units: int = 0
    provisioned_hours: Decimal = Decimal(0)
    provisioned_requests: int | None = None
    free_tier: bool = True
    edge: bool = False
    provisioned_duration_ms: Decimal | None = None

    def __post_init__(self) -> None:
        for spec in fields(self):
            object.__setattr__(
                self, spec.name, _COERCE[spec.name](spec.name, getattr(self, spec.name))
            )
        validate(self)

    @classmethod
    def from_values(cls, **values: object) -> Usage:
        """Build from loose values (form, CLI, YAML strings); anything wrong is a PricingError."""
        for name in values:
            if name not in _COERCE:
                raise PricingError(f"unknown input {name!r}{_suggest(name, _COERCE)}", name)
        for name in ("requests", "duration_ms", "memory_mb"):
            if values.get(name) is None:
                raise PricingError(f"{name} is required", name)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def pc_requests(self) -> int:
        """Requests served by provisioned concurrency."""
        if self.provisioned_requests is not None:
            return self.provisioned_requests
        return self.requests if self.provisioned_units else 0

    @property
    def on_demand_requests(self) -> int:
        return self.requests - self.pc_requests

    @property
    def billed_ms(self) -> Decimal:
        """Duration is billed in whole milliseconds, rounded up."""
        return self.duration_ms.to_integral_value(rounding=ROUND_CEILING)

    @property
    def pc_billed_ms(self) -> Decimal:
        duration = self.provisioned_duration_ms
        return self.billed_ms if duration is None else duration.to_integral_value(ROUND_CEILING)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready inputs; Decimals as strings."""
        return {spec.name: _plain(getattr(self, spec.name)) for spec in fields(self)}


def _plain(value: object) -> object:
    return format(value.normalize(_EXACT), "f") if isinstance(value, Decimal) else value


def _check_duration(name: str, value: Decimal, limit: int, what: str) -> None:
    if not 0 < value <= limit:
        raise PricingError(
            f"{what} must be more than 0 and at most {limit} ms, got {fmt_number(value)}", name
        )


def validate(usage: Usage) -> None:
    """Raise a PricingError, in words a person understands, for usage AWS would not bill."""
    if usage.requests > MAX_REQUESTS:
        raise PricingError(
            f"requests must be at most {MAX_REQUESTS:,}, got {usage.requests:,}", "requests"
        )
    low, high = MEMORY_MB
    if not low <= usage.memory_mb <= high:
        raise PricingError(
            f"memory must be between {low} and {high} MB, got {usage.memory_mb}", "memory_mb"
        )
    low, high = EPHEMERAL_MB
    if not low <= usage.ephemeral_mb <= high:
        raise PricingError(
            f"ephemeral storage must be between {low} and {high} MB, got {usage.ephemeral_mb}",
            "ephemeral_mb",
        )
    if usage.edge:
        _validate_edge(usage)
    else:
        _check_duration("duration_ms", usage.duration_ms, MAX_DURATION_MS, "duration")
    _validate_provisioned(usage)


def _validate_edge(usage: Usage) -> None:
    if usage.arch != "x86_64":
        raise PricingError("Lambda@Edge functions run on x86_64 only", "arch")
    if usage.ephemeral_mb != EPHEMERAL_MB[0]:
        raise PricingError(
            f"Lambda@Edge functions cannot have ephemeral storage above 512 MB, "
            f"got {usage.ephemeral_mb}",
            "ephemeral_mb",
        )
    if usage.provisioned_units or usage.provisioned_requests:
        raise PricingError(
            "Lambda@Edge functions cannot use provisioned concurrency", "provisioned_units"
        )
    _check_duration("duration_ms", usage.duration_ms, EDGE_MAX_DURATION_MS, "Lambda@Edge duration")


def _validate_provisioned(usage: Usage) -> None:
    hours = usage.provisioned_hours
    if not 0 <= hours <= MAX_PROVISIONED_HOURS:
        raise PricingError(
            f"provisioned_hours must be between 0 and {MAX_PROVISIONED_HOURS} "
            f"(the hours in a 31-day month), got {fmt_number(hours)}",
            "provisioned_hours",
        )
    if usage.provisioned_units and not hours:
        raise PricingError(
            f"provisioned_hours must be more than 0 when provisioned_units is set "
            f"({usage.provisioned_units:,} units)",
            "provisioned_hours",
        )
    pc = usage.provisioned_requests
    if pc and not usage.provisioned_units:
        raise PricingError(
            f"provisioned requests ({pc:,}) need provisioned_units above 0", "provisioned_units"
        )
    if pc is not None and pc > usage.requests:
        raise PricingError(
            f"provisioned requests ({pc:,}) cannot exceed total requests ({usage.requests:,})",
            "provisioned_requests",
        )
    if usage.provisioned_duration_ms is not None:
        _check_duration(
            "provisioned_duration_ms",
            usage.provisioned_duration_ms,
            MAX_DURATION_MS,
            "provisioned duration",
        )


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
            "quantity": _plain(self.quantity),
            "unit": self.unit,
            "free": _plain(self.free),
            "billable": _plain(self.billable),
            "unit_price": _plain(self.unit_price),
            "price_text": self.price_text,
            "amount": _plain(self.amount),
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
            "exact_total": _plain(self.exact_total),
            "lines": {line.key: line.to_dict() for line in self.lines},
            "usage": self.usage.to_dict(),
        }


def estimate(usage: Usage, rates: Rates | None = None) -> Breakdown:
    """Price a month of usage line by line, exactly; round the total once."""
    rates = rates or load_rates()
    with localcontext(_EXACT):
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
    billable = usage.requests - free
    amount = billable * per_million / MILLION
    steps = [f"Requests: {usage.requests:,}"]
    if pc:
        steps.append(f"{pc:,} run on provisioned concurrency, {on_demand:,} on demand")
    if not usage.free_tier:
        steps.append("Free tier not applied: every request is billable")
    elif free:
        where = "on-demand " if pc else ""
        steps.append(
            f"Free tier: the first {rates.free_requests:,} {where}requests a month are free, "
            f"so {usage.requests:,} − {free:,} = {billable:,} are billable"
        )
    else:
        steps.append("Free tier: no on-demand requests to deduct it from")
    price = fmt_price(per_million)
    steps.append(f"{billable:,} ÷ 1,000,000 × {price} = {_exact_money(amount)}")
    quantity = f"({usage.requests:,} − {free:,} free)" if free else f"{usage.requests:,}"
    return LineItem(
        key="requests",
        label=gettext_noop("Requests"),
        quantity=Decimal(usage.requests),
        unit=gettext_noop("requests"),
        free=Decimal(free),
        billable=Decimal(billable),
        unit_price=per_million / MILLION,
        amount=amount,
        formula=f"{quantity} × {price} / 1M = {fmt_money(amount)}",
        steps=tuple(steps),
        price_text=f"{price} per 1M requests",
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


def _duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, on_demand = _gb(usage), usage.on_demand_requests
    seconds = on_demand * usage.billed_ms / 1000
    gb_seconds = seconds * gb
    free = min(gb_seconds, rates.free_gb_seconds) if usage.free_tier else Decimal(0)
    billable = gb_seconds - free
    tiers = rates.duration_tiers[usage.arch]
    amount, terms, tier_steps = _tiered(billable, tiers)
    steps = [_billed_step(usage.duration_ms, usage.billed_ms), _memory_step(usage)]
    who = " on-demand" if usage.pc_requests else ""
    steps.append(
        f"Compute time: {on_demand:,}{who} requests × {fmt_number(usage.billed_ms / 1000)} s "
        f"= {fmt_number(seconds)} s"
    )
    steps.append(
        f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(gb)} GB = {fmt_number(gb_seconds)} GB-s"
    )
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
    steps += tier_steps
    steps.append(f"Duration charge ({usage.arch}): {_exact_money(amount)}")
    quantity = f"({fmt_number(gb_seconds)} − {fmt_number(free)} free) GB-s" if free else ""
    formula = " + ".join(terms)
    if quantity and len(terms) == 1:
        formula = f"{quantity} × {fmt_price(tiers[0].price)}"
    return LineItem(
        key="duration",
        label=gettext_noop("Duration"),
        quantity=gb_seconds,
        unit="GB-s",
        free=free,
        billable=billable,
        unit_price=tiers[0].price,
        amount=amount,
        formula=f"{formula} = {fmt_money(amount)}",
        steps=tuple(steps),
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
    amount = gb_seconds * rates.ephemeral
    price = fmt_price(rates.ephemeral)
    steps = (
        f"Extra storage: {usage.ephemeral_mb:,} − {rates.ephemeral_included_mb} MB included "
        f"= {extra_mb:,} MB ÷ 1,024 = {fmt_number(extra_gb)} GB",
        f"Compute time of all {usage.requests:,} requests: {fmt_number(seconds)} s",
        f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(extra_gb)} GB "
        f"= {fmt_number(gb_seconds)} GB-s (no free tier)",
        f"{fmt_number(gb_seconds)} GB-s × {price} = {_exact_money(amount)}",
    )
    return LineItem(
        key="ephemeral",
        label=gettext_noop("Ephemeral storage"),
        quantity=gb_seconds,
        unit="GB-s",
        free=Decimal(0),
        billable=gb_seconds,
        unit_price=rates.ephemeral,
        amount=amount,
        formula=f"{fmt_number(gb_seconds)} GB-s × {price} = {fmt_money(amount)}",
        steps=steps,
        price_text=f"{price} per GB-s above {rates.ephemeral_included_mb} MB",
    )


def _provisioned_line(usage: Usage, rates: Rates) -> LineItem:
    step = rates.provisioned_step_seconds
    asked = usage.provisioned_hours * 3600
    seconds = (asked / step).to_integral_value(rounding=ROUND_CEILING) * step
    gb = _gb(usage)
    configured = usage.provisioned_units * gb
    gb_seconds = configured * seconds
    price = rates.provisioned[usage.arch]
    amount = gb_seconds * price
    steps = [
        _memory_step(usage),
        f"Concurrency configured: {usage.provisioned_units:,} × {fmt_number(gb)} GB "
        f"= {fmt_number(configured)} GB",
        f"Time enabled: {fmt_number(usage.provisioned_hours)} h × 3,600 = {fmt_number(asked)} s",
    ]
    if seconds != asked:
        steps.append(f"Billed in {step // 60}-minute steps, rounded up: {fmt_number(seconds)} s")
    steps += [
        f"GB-seconds: {fmt_number(configured)} GB × {fmt_number(seconds)} s "
        f"= {fmt_number(gb_seconds)} GB-s (no free tier)",
        f"{fmt_number(gb_seconds)} GB-s × {fmt_price(price)} = {_exact_money(amount)}",
    ]
    return LineItem(
        key="provisioned",
        label=gettext_noop("Provisioned concurrency"),
        quantity=gb_seconds,
        unit="GB-s",
        free=Decimal(0),
        billable=gb_seconds,
        unit_price=price,
        amount=amount,
        formula=(
            f"{usage.provisioned_units:,} × {fmt_number(gb)} GB × {fmt_number(seconds)} s "
            f"× {fmt_price(price)} = {fmt_money(amount)}"
        ),
        steps=tuple(steps),
        price_text=f"{fmt_price(price)} per GB-s configured",
    )


def _provisioned_duration_line(usage: Usage, rates: Rates) -> LineItem:
    gb, pc = _gb(usage), usage.pc_requests
    seconds = pc * usage.pc_billed_ms / 1000
    gb_seconds = seconds * gb
    price = rates.provisioned_duration[usage.arch]
    amount = gb_seconds * price
    duration = usage.provisioned_duration_ms
    steps = (
        _billed_step(usage.duration_ms if duration is None else duration, usage.pc_billed_ms),
        f"Compute time: {pc:,} requests × {fmt_number(usage.pc_billed_ms / 1000)} s "
        f"= {fmt_number(seconds)} s",
        f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(gb)} GB = {fmt_number(gb_seconds)} GB-s"
        " (no free tier)",
        f"{fmt_number(gb_seconds)} GB-s × {fmt_price(price)} = {_exact_money(amount)}",
    )
    return LineItem(
        key="provisioned_duration",
        label=gettext_noop("Duration on provisioned concurrency"),
        quantity=gb_seconds,
        unit="GB-s",
        free=Decimal(0),
        billable=gb_seconds,
        unit_price=price,
        amount=amount,
        formula=f"{fmt_number(gb_seconds)} GB-s × {fmt_price(price)} = {fmt_money(amount)}",
        steps=steps,
        price_text=f"{fmt_price(price)} per GB-s",
    )


def _edge_lines(usage: Usage, rates: Rates) -> list[LineItem]:
    per_million = rates.edge_requests_per_million
    request_amount = usage.requests * per_million / MILLION
    price = fmt_price(per_million)
    requests = LineItem(
        key="edge_requests",
        label=gettext_noop("Lambda@Edge requests"),
        quantity=Decimal(usage.requests),
        unit=gettext_noop("requests"),
        free=Decimal(0),
        billable=Decimal(usage.requests),
        unit_price=per_million / MILLION,
        amount=request_amount,
        formula=f"{usage.requests:,} × {price} / 1M = {fmt_money(request_amount)}",
        steps=(
            f"Requests: {usage.requests:,} (Lambda@Edge has no free tier)",
            f"{usage.requests:,} ÷ 1,000,000 × {price} = {_exact_money(request_amount)}",
        ),
        price_text=f"{price} per 1M requests",
    )
    gb = _gb(usage)
    seconds = usage.requests * usage.billed_ms / 1000
    gb_seconds = seconds * gb
    amount = gb_seconds * rates.edge_gb_second
    rate = fmt_price(rates.edge_gb_second)
    duration = LineItem(
        key="edge_duration",
        label=gettext_noop("Lambda@Edge duration"),
        quantity=gb_seconds,
        unit="GB-s",
        free=Decimal(0),
        billable=gb_seconds,
        unit_price=rates.edge_gb_second,
        amount=amount,
        formula=f"{fmt_number(gb_seconds)} GB-s × {rate} = {fmt_money(amount)}",
        steps=(
            _billed_step(usage.duration_ms, usage.billed_ms),
            _memory_step(usage),
            f"Compute time: {usage.requests:,} × {fmt_number(usage.billed_ms / 1000)} s "
            f"= {fmt_number(seconds)} s",
            f"GB-seconds: {fmt_number(seconds)} s × {fmt_number(gb)} GB "
            f"= {fmt_number(gb_seconds)} GB-s (no free tier, no tiers)",
            f"{fmt_number(gb_seconds)} GB-s × {rate} = {_exact_money(amount)}",
        ),
        price_text=f"{rate} per GB-s",
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
            f"unknown instance type {instance!r}{_suggest(instance, rates.ec2_hourly)}", "instance"
        )
    month = rates.hours_per_month if hours is None else _decimal("hours", hours)
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
    budget = _decimal("monthly_budget", monthly_budget)

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
