"""Item analysis: facility, discrimination, Cronbach's alpha and the flags, checked by hand."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

import pytest

from quizzes.authoring.itemstats import (
    MIN_RESPONSES,
    NEGATIVE_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    UNPICKED_DISTRACTOR,
    ItemStats,
    Response,
    alpha_by_slot,
    cronbach_alpha,
    item_stats,
)


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


def responses_from(
    rows: Sequence[str],
    questions: Sequence[int],
    *,
    wrong: Mapping[tuple[int, int], str] | None = None,
    prefix: str = "quiz",
) -> list[Response]:
    """Responses from rows like "1101" (one per sitting, one digit per question, "1" = right).

    A right answer picks "a"; a wrong one picks "b" unless `wrong[(row, question)]` says else.
    """
    wrong = wrong or {}
    built = []
    for row_number, row in enumerate(rows, start=1):
        score = row.count("1")
        for slot, (question, digit) in enumerate(zip(questions, row, strict=True), start=1):
            correct = digit == "1"
            built.append(
                Response(
                    sitting=f"{prefix}:{row_number}",
                    question=question,
                    slot=slot,
                    correct=correct,
                    choices=("a",) if correct else (wrong.get((row_number, question), "b"),),
                    seconds=None,
                    sitting_score=score,
                    sitting_items=len(questions),
                )
            )
    return built


ABC = ("a", "b", "c")


def stats_by_question(
    responses: list[Response], choices: Sequence[str] = ABC, **kwargs
) -> dict[int, ItemStats]:
    """item_stats keyed by question, every question offering `choices` with "a" right."""
    questions = {response.question for response in responses}
    found = item_stats(
        responses,
        dict.fromkeys(questions, choices),
        right_choices={question: {"a"} for question in questions},
        **kwargs,
    )
    return {item.question: item for item in found}


# --- the worked example ---------------------------------------------------------------------
#
# Five sittings, four questions (ids 1..4 in slots 1..4), 1 = right:
#
#               q1  q2  q3  q4 | total T
#   quiz:1       1   1   1   1 |   4
#   quiz:2       1   1   1   0 |   3
#   quiz:3       1   0   1   0 |   2
#   quiz:4       1   0   0   1 |   2
#   quiz:5       0   0   0   0 |   0
#
# Facility = right / 5:  q1 4/5 = 0.8,  q2 2/5 = 0.4,  q3 3/5 = 0.6,  q4 2/5 = 0.4.
#
# Discrimination = Pearson r between the item score x and the rest score y = T - x, with
#   r = (n*Sxy - Sx*Sy) / sqrt((n*Sxx - Sx^2) * (n*Syy - Sy^2)),  n = 5
# (S = sum over the five sittings; Sxx = sum of x^2 and so on).
#
#   q1: x = 1 1 1 1 0   y = 4-1 3-1 2-1 2-1 0-0 = 3 2 1 1 0
#       Sx = 4, Sy = 7, Sxy = 3+2+1+1 = 7, Sxx = 4, Syy = 9+4+1+1 = 15
#       r = (35 - 28) / sqrt((20 - 16) * (75 - 49)) = 7 / sqrt(4 * 26) = 7 / sqrt(104) = 0.68641
#   q2: x = 1 1 0 0 0   y = 3 2 2 2 0
#       Sx = 2, Sy = 9, Sxy = 3+2 = 5, Sxx = 2, Syy = 9+4+4+4 = 21
#       r = (25 - 18) / sqrt((10 - 4) * (105 - 81)) = 7 / sqrt(144) = 7/12 = 0.58333
#   q3: x = 1 1 1 0 0   y = 3 2 1 2 0
#       Sx = 3, Sy = 8, Sxy = 3+2+1 = 6, Sxx = 3, Syy = 9+4+1+4 = 18
#       r = (30 - 24) / sqrt((15 - 9) * (90 - 64)) = 6 / sqrt(156) = 0.48038
#   q4: x = 1 0 0 1 0   y = 3 3 2 1 0
#       Sx = 2, Sy = 9, Sxy = 3+1 = 4, Sxx = 2, Syy = 9+9+4+1 = 23
#       r = (20 - 18) / sqrt((10 - 4) * (115 - 81)) = 2 / sqrt(204) = 0.14003
#
# Cronbach's alpha = k/(k-1) * (1 - sum of item variances / variance of T), k = 4.
#   Sum of squares about the mean, SS = Sx - Sx^2/n for a 0/1 item:
#     q1 4 - 16/5 = 0.8,  q2 2 - 4/5 = 1.2,  q3 3 - 9/5 = 1.2,  q4 1.2;  together 4.4
#   T = 4 3 2 2 0: mean 2.2, SS = (16+9+4+4+0) - 11^2/5 = 33 - 24.2 = 8.8
#   Over n-1 = 4 (Moodle's sample variance): items 1.1, T 2.2
#   Over n = 5 (population variance):        items 0.88, T 1.76 -- the same ratio, 0.5
#   alpha = 4/3 * (1 - 0.5) = 2/3 = 0.66667 either way.
#
# Wrong picks (a is right, b and c are distractors):
#   q1: quiz:5 b                         -> a 4, b 1, c 0  (c never picked)
#   q2: quiz:3 b, quiz:4 c, quiz:5 b     -> a 2, b 2, c 1
#   q3: quiz:4 b, quiz:5 c               -> a 3, b 1, c 1
#   q4: quiz:2 b, quiz:3 c, quiz:5 c     -> a 2, b 1, c 2

WORKED_ROWS = ["1111", "1110", "1010", "1001", "0000"]
WORKED_WRONG = {(4, 2): "c", (5, 3): "c", (3, 4): "c", (5, 4): "c"}


def worked_example() -> list[Response]:
    """The five sittings in the comment above."""
    return responses_from(WORKED_ROWS, [1, 2, 3, 4], wrong=WORKED_WRONG)


def test_worked_example_facility_discrimination_and_choice_counts():
    stats = stats_by_question(worked_example())

    assert [stats[q].responses for q in (1, 2, 3, 4)] == [5, 5, 5, 5]
    assert [stats[q].facility for q in (1, 2, 3, 4)] == pytest.approx([0.8, 0.4, 0.6, 0.4])
    assert stats[1].discrimination == pytest.approx(7 / math.sqrt(104))
    assert stats[1].discrimination == pytest.approx(0.68641, abs=1e-5)
    assert stats[2].discrimination == pytest.approx(7 / 12)
    assert stats[3].discrimination == pytest.approx(6 / math.sqrt(156))
    assert stats[3].discrimination == pytest.approx(0.48038, abs=1e-5)
    assert stats[4].discrimination == pytest.approx(2 / math.sqrt(204))
    assert stats[4].discrimination == pytest.approx(0.14003, abs=1e-5)
    assert stats[1].choice_counts == {"a": 4, "b": 1, "c": 0}
    assert stats[2].choice_counts == {"a": 2, "b": 2, "c": 1}
    assert stats[3].choice_counts == {"a": 3, "b": 1, "c": 1}
    assert stats[4].choice_counts == {"a": 2, "b": 1, "c": 2}
    assert all(stats[q].median_seconds is None for q in (1, 2, 3, 4))


def test_worked_example_discrimination_agrees_with_the_standard_library():
    stats = stats_by_question(worked_example())
    for q, rests in {1: [3, 2, 1, 1, 0], 2: [3, 2, 2, 2, 0], 3: [3, 2, 1, 2, 0]}.items():
        scores = [int(row[q - 1]) for row in WORKED_ROWS]
        assert stats[q].discrimination == pytest.approx(statistics.correlation(scores, rests))


def test_worked_example_flags_only_once_there_are_enough_responses():
    assert all(item.flags == () for item in stats_by_question(worked_example()).values())

    stats = stats_by_question(worked_example(), min_responses=5)
    assert stats[1].flags == (UNPICKED_DISTRACTOR,)  # nobody picked c
    assert [stats[q].flags for q in (2, 3, 4)] == [(), (), ()]


def test_worked_example_alpha_from_the_matrix_and_by_slot():
    matrix = [[int(digit) for digit in row] for row in WORKED_ROWS]
    assert cronbach_alpha(matrix) == pytest.approx(2 / 3)
    assert alpha_by_slot(worked_example()) == pytest.approx(2 / 3)


def test_alpha_is_the_same_under_population_and_sample_variances():
    matrix = [[int(digit) for digit in row] for row in WORKED_ROWS]
    columns = list(zip(*matrix, strict=True))
    totals = [sum(row) for row in matrix]
    for variance in (statistics.pvariance, statistics.variance):
        ratio = sum(variance(column) for column in columns) / variance(totals)
        assert 4 / 3 * (1 - ratio) == pytest.approx(cronbach_alpha(matrix))


def test_alpha_by_slot_pools_randomly_drawn_questions_and_skips_incomplete_sittings():
    # Same scores as the worked example, but slot 2 drew question 20 or 21 at random, and a
    # sixth sitting that never reached slot 4 is left out of the matrix.
    responses = [
        Response(
            sitting=r.sitting,
            question=(21 if r.sitting in {"quiz:2", "quiz:5"} else 20)
            if r.slot == 2
            else r.question,
            slot=r.slot,
            correct=r.correct,
            choices=r.choices,
            seconds=r.seconds,
            sitting_score=r.sitting_score,
            sitting_items=r.sitting_items,
        )
        for r in worked_example()
    ]
    responses += responses_from(["111"], [1, 2, 3], prefix="quiz-unfinished")
    assert alpha_by_slot(responses) == pytest.approx(2 / 3)


# --- flags ----------------------------------------------------------------------------------


def test_item_everyone_gets_right_has_no_discrimination_and_is_too_easy_at_min_responses():
    rows = ["11", "10"] * (MIN_RESPONSES // 2)  # question 1 always right, question 2 half
    stats = stats_by_question(responses_from(rows, [1, 2]), choices=("a", "b"))
    assert stats[1].responses == MIN_RESPONSES
    assert stats[1].facility == 1.0
    assert stats[1].discrimination is None  # the item's score does not vary
    assert stats[1].flags == (UNPICKED_DISTRACTOR, TOO_EASY)

    one_short = stats_by_question(responses_from(rows[1:], [1, 2]), choices=("a", "b"))
    assert one_short[1].flags == ()


def test_distractor_nobody_picks_is_flagged_but_an_unpicked_right_answer_is_not():
    # Question 1 offers a (right), b, c, d (right); nobody picks c or d.
    rows = ["10", "01"] * 5
    responses = responses_from(rows, [1, 2])
    choices = {1: ("a", "b", "c", "d"), 2: ("a", "b")}
    found = item_stats(responses, choices, right_choices={1: {"a", "d"}, 2: {"a"}})
    assert found[0].choice_counts == {"a": 5, "b": 5, "c": 0, "d": 0}
    assert UNPICKED_DISTRACTOR in found[0].flags
    assert UNPICKED_DISTRACTOR not in found[1].flags

    everything_picked = item_stats(responses, choices, right_choices={1: {"a", "c", "d"}})
    assert UNPICKED_DISTRACTOR not in everything_picked[0].flags
    assert everything_picked[1].flags == (NEGATIVE_DISCRIMINATION,)  # its keys are unknown


def test_negatively_discriminating_item_is_flagged():
    # Question 1 is right exactly when questions 2 and 3 are wrong: rest 0 when right, 2 when
    # wrong, so r = -1. Questions 2 and 3 each have rest 1 in every sitting: r undefined.
    rows = ["100", "011"] * 5
    stats = stats_by_question(responses_from(rows, [1, 2, 3]))
    assert stats[1].discrimination == pytest.approx(-1.0)
    assert NEGATIVE_DISCRIMINATION in stats[1].flags
    assert stats[2].discrimination is None
    assert NEGATIVE_DISCRIMINATION not in stats[2].flags

    few = stats_by_question(responses_from(rows[:-1], [1, 2, 3]))
    assert few[1].discrimination == pytest.approx(-1.0)
    assert few[1].flags == ()  # nine responses: below MIN_RESPONSES


def test_too_hard_below_one_in_five_right_but_not_at_it():
    one_right = stats_by_question(responses_from(["11"] + ["01"] * 9, [1, 2]), choices=("a", "b"))
    assert one_right[1].facility == pytest.approx(0.1)
    assert TOO_HARD in one_right[1].flags
    two_right = stats_by_question(
        responses_from(["11"] * 2 + ["01"] * 8, [1, 2]), choices=("a", "b")
    )
    assert two_right[1].facility == pytest.approx(0.2)
    assert TOO_HARD not in two_right[1].flags


# --- other numbers --------------------------------------------------------------------------


def timed(seconds: list[float | None]) -> list[Response]:
    """One response per sitting to question 1, with the given times."""
    return [
        Response(f"exam:{n}", 1, 1, True, ("a",), value, 1, 1) for n, value in enumerate(seconds)
    ]


@pytest.mark.parametrize(
    ("seconds", "median"),
    [
        ([None, 30.0, 10.0, None, 20.0], 20.0),
        ([40.0, None, 10.0, 30.0, 20.0], 25.0),  # even count: mean of the middle two
        ([None, None], None),
    ],
)
def test_median_seconds_ignores_unknown_times(seconds, median):
    (item,) = item_stats(timed(seconds), {1: ("a", "b")}, right_choices={1: {"a"}})
    assert item.median_seconds == median


def test_question_nobody_answered_still_gets_a_row():
    (item,) = item_stats([], {7: ("a", "b")}, right_choices={7: {"a"}})
    assert item == ItemStats(7, 0, None, None, {"a": 0, "b": 0}, None, ())


def test_discrimination_needs_two_responses():
    item = item_stats(responses_from(["10"], [1, 2]), {}, right_choices={})[0]
    assert item.facility == 1.0
    assert item.discrimination is None


def test_a_question_twice_in_one_sitting_is_refused():
    response = worked_example()[0]
    with pytest.raises(ValueError, match="first attempts only"):
        item_stats([response, response], {}, right_choices={})
    with pytest.raises(ValueError, match="first attempts only"):
        alpha_by_slot([response, response])


def test_a_sitting_score_that_leaves_out_a_right_item_is_refused():
    response = Response("quiz:1", 1, 1, True, ("a",), None, sitting_score=0, sitting_items=4)
    with pytest.raises(ValueError, match="cannot include"):
        item_stats([response], {}, right_choices={})


@pytest.mark.parametrize(
    "matrix",
    [
        [],  # no sittings
        [[1, 0, 1]],  # one sitting
        [[1], [0], [1]],  # one item
        [[1, 0], [0, 1], [1, 0]],  # every total is 1: no variance to explain
    ],
)
def test_alpha_is_none_when_undefined(matrix):
    assert cronbach_alpha(matrix) is None


def test_alpha_refuses_a_ragged_matrix():
    with pytest.raises(ValueError, match="every item"):
        cronbach_alpha([[1, 0], [1]])


def test_alpha_by_slot_is_none_without_complete_sittings():
    assert alpha_by_slot([]) is None
    assert alpha_by_slot(responses_from(["10"], [1, 2])) is None
