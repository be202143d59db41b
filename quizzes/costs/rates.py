"""The Lambda rates: `lambda_rates.toml` read once into exact Decimals (`load_rates`).

No Django here.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from .numbers import NUMBER
from .usage import ARCHITECTURES, PricingError

RATES_FILE = Path(__file__).with_name("lambda_rates.toml")


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
    if not isinstance(value, str) or not NUMBER.fullmatch(value):
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
