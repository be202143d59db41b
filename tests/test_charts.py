"""Chart geometry: bars of counts get whole-number ticks; lines scale into the frame."""

from __future__ import annotations

import pytest

from quizzes.charts import bar_chart, line_chart


@pytest.fixture(autouse=True)
def fixture_course():
    """Plain module: no course needed."""


@pytest.mark.parametrize(("values", "ticks"), [
    ([0], ["0", "1", "2", "3", "4"]),
    ([2, 5], ["0", "2", "4", "6", "8"]),
    ([137], ["0", "35", "70", "105", "140"]),
])  # fmt: skip
def test_bar_ticks_are_whole_numbers(values, ticks):
    chart = bar_chart([(str(i), v) for i, v in enumerate(values)])
    assert [tick.label for tick in chart["y_ticks"]] == ticks


def test_the_tallest_bar_never_leaves_the_frame():
    chart = bar_chart([("a", 3), ("b", 7)])
    frame = chart["frame"]
    assert all(
        bar.y >= frame.top and bar.y + bar.height <= frame.baseline + 0.1 for bar in chart["bars"]
    )


def test_a_line_ends_at_the_right_edge_of_the_plot():
    chart = line_chart([("Lambda", "s", [(0, 0), (100, 10)])])
    frame = chart["frame"]
    assert chart["series"][0].last_x == frame.left + frame.plot_width
