"""The inputs of a Lambda bill: a month of one function's usage, coerced and checked.

Every value from Python, YAML, a form or a command line goes through `coerce_input`, and a
`Usage` validates itself on construction; the only error is `PricingError`, naming the input.
No Django here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_CEILING, Decimal

from quizzes.translatable import gettext_noop

from .numbers import EXACT, NUMBER
from .text import phrase

ARCHITECTURES = ("x86_64", "arm64")
MEMORY_MB = (128, 10240)
EPHEMERAL_MB = (512, 10240)
MAX_DURATION_MS = 900_000  # the 15-minute timeout
EDGE_MAX_DURATION_MS = 30_000  # origin triggers; viewer triggers stop at 5 s
MAX_REQUESTS = 10**15
MAX_PROVISIONED_HOURS = 744  # a 31-day month

_MAX_DECIMALS = 12
_TOO_LARGE_DIGITS = 20  # 10^20 is far beyond any bill; keeps int() and messages small
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


class PricingError(ValueError):
    """The only error the engine raises; `field` names the input at fault when there is one.

    `message` is the English (`str(error)`); a rule a learner can break in the calculator gives a
    `Message`, which the page translates."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _shown(value: object) -> str:
    """An input as an error message quotes it: strings quoted, long ones cut short."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


# --- inputs ---------------------------------------------------------------------------------


def parse_decimal(name: str, value: object) -> Decimal:
    """A number from Python, YAML, a form or a command line, or a PricingError naming the input."""
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and NUMBER.fullmatch(value.strip().replace("_", "")):
        number = Decimal(value.strip().replace("_", "").replace(",", ""))
    if number is None or not number.is_finite():
        raise PricingError(f"{name} must be a number, got {_shown(value)}", name)
    if number and number.adjusted() >= _TOO_LARGE_DIGITS:  # no arithmetic: 1e999999 overflows
        raise PricingError(f"{name} is too large, got {_shown(value)}", name)
    if number.normalize(EXACT).as_tuple().exponent < -_MAX_DECIMALS:
        raise PricingError(
            f"{name} has more than {_MAX_DECIMALS} decimals, got {_shown(value)}", name
        )
    return number


def _whole(name: str, value: object, label: str | None = None) -> int:
    label = label or name
    message = f"{label} must be a whole number of 0 or more, got {_shown(value)}"
    try:
        number = parse_decimal(name, value)
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
    return parse_decimal(name, value)


_COERCE = {
    "requests": _whole,
    "duration_ms": parse_decimal,
    "memory_mb": lambda n, v: _whole(n, v, "memory"),
    "arch": _arch,
    "ephemeral_mb": lambda n, v: _whole(n, v, "ephemeral storage"),
    "provisioned_units": _whole,
    "provisioned_hours": parse_decimal,
    "provisioned_requests": _optional_whole,
    "free_tier": _flag,
    "edge": _flag,
    "provisioned_duration_ms": _optional_decimal,
}


def coerce_input(name: str, value: object) -> object:
    """One engine input as the engine stores it, or a PricingError (used to check YAML literals)."""
    if name not in _COERCE:
        raise PricingError(f"unknown input {name!r}{suggestion(name, _COERCE)}", name)
    return _COERCE[name](name, value)


def suggestion(word: str, options: Iterable[str]) -> str:
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
                raise PricingError(f"unknown input {name!r}{suggestion(name, _COERCE)}", name)
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
        return {spec.name: plain(getattr(self, spec.name)) for spec in fields(self)}


def plain(value: object) -> object:
    return format(value.normalize(EXACT), "f") if isinstance(value, Decimal) else value


def _check_duration(name: str, value: Decimal, limit: int, message: str) -> None:
    if not 0 < value <= limit:
        raise PricingError(phrase(message, limit=str(limit), value=value), name)


def validate(usage: Usage) -> None:
    """Raise a PricingError, in words a person understands, for usage AWS would not bill.

    Limits and megabytes are given as `str` (digits alone, as the engine always wrote them);
    counts and durations as numbers, grouped and written the page's way."""
    if usage.requests > MAX_REQUESTS:
        raise PricingError(
            phrase(
                gettext_noop("requests must be at most %(limit)s, got %(value)s"),
                limit=MAX_REQUESTS,
                value=usage.requests,
            ),
            "requests",
        )
    low, high = MEMORY_MB
    if not low <= usage.memory_mb <= high:
        raise PricingError(
            phrase(
                gettext_noop("memory must be between %(low)s and %(high)s MB, got %(value)s"),
                low=str(low),
                high=str(high),
                value=str(usage.memory_mb),
            ),
            "memory_mb",
        )
    low, high = EPHEMERAL_MB
    if not low <= usage.ephemeral_mb <= high:
        raise PricingError(
            phrase(
                gettext_noop(
                    "ephemeral storage must be between %(low)s and %(high)s MB, got %(value)s"
                ),
                low=str(low),
                high=str(high),
                value=str(usage.ephemeral_mb),
            ),
            "ephemeral_mb",
        )
    if usage.edge:
        _validate_edge(usage)
    else:
        _check_duration(
            "duration_ms",
            usage.duration_ms,
            MAX_DURATION_MS,
            gettext_noop("duration must be more than 0 and at most %(limit)s ms, got %(value)s"),
        )
    _validate_provisioned(usage)


def _validate_edge(usage: Usage) -> None:
    if usage.arch != "x86_64":
        raise PricingError(phrase(gettext_noop("Lambda@Edge functions run on x86_64 only")), "arch")
    if usage.ephemeral_mb != EPHEMERAL_MB[0]:
        raise PricingError(
            phrase(
                gettext_noop(
                    "Lambda@Edge functions cannot have ephemeral storage above %(limit)s MB, "
                    "got %(value)s"
                ),
                limit=str(EPHEMERAL_MB[0]),
                value=str(usage.ephemeral_mb),
            ),
            "ephemeral_mb",
        )
    if usage.provisioned_units or usage.provisioned_requests:
        raise PricingError(
            phrase(gettext_noop("Lambda@Edge functions cannot use provisioned concurrency")),
            "provisioned_units",
        )
    _check_duration(
        "duration_ms",
        usage.duration_ms,
        EDGE_MAX_DURATION_MS,
        gettext_noop(
            "Lambda@Edge duration must be more than 0 and at most %(limit)s ms, got %(value)s"
        ),
    )


def _validate_provisioned(usage: Usage) -> None:
    hours = usage.provisioned_hours
    if not 0 <= hours <= MAX_PROVISIONED_HOURS:
        raise PricingError(
            phrase(
                gettext_noop(
                    "the hours provisioned concurrency is enabled must be between 0 and "
                    "%(limit)s (the hours in a 31-day month), got %(value)s"
                ),
                limit=str(MAX_PROVISIONED_HOURS),
                value=hours,
            ),
            "provisioned_hours",
        )
    if usage.provisioned_units and not hours:
        raise PricingError(
            phrase(
                gettext_noop(
                    "provisioned concurrency of %(units)s needs the hours it is enabled: "
                    "enter more than 0"
                ),
                units=usage.provisioned_units,
            ),
            "provisioned_hours",
        )
    pc = usage.provisioned_requests
    if pc and not usage.provisioned_units:
        raise PricingError(
            phrase(
                gettext_noop(
                    "requests served by provisioned concurrency (%(requests)s) need a "
                    "provisioned concurrency above 0"
                ),
                requests=pc,
            ),
            "provisioned_units",
        )
    if pc is not None and pc > usage.requests:
        raise PricingError(
            phrase(
                gettext_noop(
                    "provisioned requests (%(provisioned)s) cannot exceed total requests "
                    "(%(requests)s)"
                ),
                provisioned=pc,
                requests=usage.requests,
            ),
            "provisioned_requests",
        )
    if usage.provisioned_duration_ms is not None:
        _check_duration(
            "provisioned_duration_ms",
            usage.provisioned_duration_ms,
            MAX_DURATION_MS,
            gettext_noop(
                "provisioned duration must be more than 0 and at most %(limit)s ms, got %(value)s"
            ),
        )
