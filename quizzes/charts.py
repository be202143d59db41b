"""Geometry for server-rendered SVG charts: the templates draw, this module only scales numbers.

No chart library runs in the browser; the same numbers are given to the page as a table for screen
readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = int | float | Decimal


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    css_class: str
    points: str  # "x,y x,y ..." for <polyline points="...">
    last_x: float
    last_y: float


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Number


@dataclass(frozen=True)
class Frame:
    """The plotting area inside a viewBox, leaving room for axis labels."""

    width: int = 640
    height: int = 320
    left: int = 64
    right: int = 36
    top: int = 16
    bottom: int = 40

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def baseline(self) -> float:
        return self.top + self.plot_height


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 times a power of ten at or above value, so axes end on round numbers."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value * 0.999999:
            return candidate
    return 10 ** (exponent + 1)


def compact(value: float) -> str:
    """1500000 -> 1.5M, for axis labels."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:g}"


def dollars(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def line_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[Number, Number]]]],
    *,
    frame: Frame | None = None,
    x_label=compact,
    y_label=dollars,
    ticks: int = 5,
) -> dict:
    """Scale (x, y) series into a frame; returns polylines and axis ticks for a template."""
    frame = frame or Frame()
    xs = [float(x) for _, _, points in series for x, _ in points]
    ys = [float(y) for _, _, points in series for _, y in points]
    x_max = max(xs, default=1.0) or 1.0
    y_max = nice_ceiling(max(ys, default=1.0))

    def sx(x: Number) -> float:
        return round(frame.left + float(x) / x_max * frame.plot_width, 1)

    def sy(y: Number) -> float:
        return round(frame.baseline - float(y) / y_max * frame.plot_height, 1)

    drawn = []
    for name, css_class, points in series:
        coords = [(sx(x), sy(y)) for x, y in points]
        drawn.append(
            Series(
                name=name,
                css_class=css_class,
                points=" ".join(f"{x},{y}" for x, y in coords),
                last_x=coords[-1][0] if coords else frame.left,
                last_y=coords[-1][1] if coords else frame.baseline,
            )
        )
    return {
        "frame": frame,
        "series": drawn,
        "x_ticks": [
            Tick(sx(x_max * i / ticks), x_label(x_max * i / ticks)) for i in range(ticks + 1)
        ],
        "y_ticks": [
            Tick(sy(y_max * i / ticks), y_label(y_max * i / ticks)) for i in range(ticks + 1)
        ],
    }


def bar_chart(values: Sequence[tuple[str, Number]], *, frame: Frame | None = None) -> dict:
    """Vertical bars, one per (label, value), for forecasts and per-topic scores."""
    frame = frame or Frame()
    # Counts: a top that is a multiple of 4 (at least 4) keeps all 4 ticks on whole numbers.
    top = 4 * math.ceil(max([4.0, *(float(v) for _, v in values)]) / 4)
    count = max(len(values), 1)
    slot = frame.plot_width / count
    width = max(slot * 0.7, 1.0)
    bars = []
    for index, (label, value) in enumerate(values):
        height = float(value) / top * frame.plot_height
        bars.append(
            Bar(
                x=round(frame.left + index * slot + (slot - width) / 2, 1),
                y=round(frame.baseline - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=label,
                value=value,
            )
        )
    y_ticks = [
        Tick(round(frame.baseline - frame.plot_height * i / 4, 1), f"{top * i / 4:,.0f}")
        for i in range(5)
    ]
    return {"frame": frame, "bars": bars, "y_ticks": y_ticks}
