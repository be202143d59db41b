"""Item analysis of quiz and exam questions, after Moodle's quiz statistics report.

Plain rows in, plain numbers out, so the Django side does the querying and this stays testable.
The formulas follow Moodle's "Quiz statistics calculations" developer page and its code
(question/classes/statistics/questions/calculator.php, mod/quiz/report/statistics/classes/
calculator.php):

* facility index: mean item score over the maximum, here the share of first attempts right;
* discrimination index: Pearson correlation between the item score and the rest of the test
  (the sitting's score minus this item), so the item is not correlated with itself;
* coefficient of internal consistency (Cronbach's alpha):
  k/(k-1) * (1 - sum of the item variances / variance of the totals).

Variances: Moodle divides by S-1 (sample variance) for both the item mark variances and the test
variance (calculator.php: ``markvariancesum / (s - 1)`` and ``k2 = s * m2 / (s - 1)``), not by S.
We do the same. The S/(S-1) factor appears in numerator and denominator alike, so alpha is
identical under population variances (ddof=0); only the convention for intermediate values
differs. Pearson's r does not depend on the convention either.

Two differences from Moodle: alpha is a fraction (Moodle shows it as a percentage), and Moodle
only reports it from three attempts up, while we return it from two.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from quizzes.translatable import gettext_noop

MIN_RESPONSES = 10  # below this many first attempts an item's numbers are too noisy to flag
TOO_EASY_ABOVE = 0.95  # facility above this: nearly everyone is right, the item tells us little
TOO_HARD_BELOW = 0.2  # facility below this: no better than guessing among four or five choices
NEGATIVE_DISCRIMINATION_BELOW = 0.0  # strong learners miss it more than weak ones: a bad key?

# Stored as these English words; the item analysis page translates them.
NEGATIVE_DISCRIMINATION = str(gettext_noop("negative discrimination"))
UNPICKED_DISTRACTOR = str(gettext_noop("a distractor nobody picks"))
TOO_EASY = str(gettext_noop("too easy"))
TOO_HARD = str(gettext_noop("too hard"))


@dataclass(frozen=True)
class Response:
    """One learner's first attempt at one question inside one test sitting."""

    sitting: str  # e.g. "exam:12" or "quiz:7" (an attempt id)
    question: int  # question id
    slot: int  # position in that sitting, for per-slot alpha with randomly drawn questions
    correct: bool
    choices: tuple[str, ...]  # choice keys picked
    seconds: float | None  # time on the question, None if unknown
    sitting_score: float  # the sitting's number right over scored items, INCLUDING this item
    sitting_items: int  # number of items in the sitting


@dataclass(frozen=True)
class ItemStats:
    """What one question did across all the sittings that asked it."""

    question: int
    responses: int
    facility: float | None  # share correct (0..1)
    discrimination: float | None  # Pearson r of the 0/1 score with the rest of the sitting
    choice_counts: dict[str, int]  # picks per choice key, zero-filled from all_choices
    median_seconds: float | None
    flags: tuple[str, ...]  # human phrases: the constants above


def item_stats(
    responses: Iterable[Response],
    all_choices: Mapping[int, Sequence[str]],
    *,
    right_choices: Mapping[int, Set[str]],
    min_responses: int = MIN_RESPONSES,
) -> list[ItemStats]:
    """Per-question statistics, by question id, for every question answered or listed in choices.

    `right_choices` is keyword-only so it cannot be swapped silently with `all_choices`; a
    question missing from it just never gets the distractor flag. A question answered twice in
    one sitting raises ValueError: the statistics assume first attempts only, as Moodle does.
    """
    by_question: dict[int, list[Response]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for response in responses:
        key = (response.sitting, response.question)
        if key in seen:
            raise ValueError(
                f"question {response.question} appears twice in sitting {response.sitting}; "
                "pass first attempts only"
            )
        seen.add(key)
        _check_score(response)
        by_question[response.question].append(response)
    return [
        _one_item(
            question,
            by_question.get(question, []),
            all_choices.get(question, ()),
            right_choices.get(question),
            min_responses,
        )
        for question in sorted(set(all_choices) | set(by_question))
    ]


def _check_score(response: Response) -> None:
    """Catch a sitting score that excludes this item or exceeds the sitting, which skews r."""
    rest = response.sitting_score - _score(response)
    if rest < 0 or response.sitting_score > response.sitting_items:
        raise ValueError(
            f"sitting {response.sitting}: score {response.sitting_score} cannot include "
            f"question {response.question} ({'right' if response.correct else 'wrong'}) "
            f"out of {response.sitting_items} items"
        )


def _score(response: Response) -> float:
    """The item's mark: items are scored right or wrong, one point each."""
    return 1.0 if response.correct else 0.0


def _one_item(
    question: int,
    responses: list[Response],
    choices: Sequence[str],
    right: Set[str] | None,
    min_responses: int,
) -> ItemStats:
    """Statistics for one question's first attempts."""
    count = len(responses)
    scores = [_score(response) for response in responses]
    facility = math.fsum(scores) / count if count else None
    discrimination = _pearson(
        scores, [response.sitting_score - _score(response) for response in responses]
    )
    choice_counts = dict.fromkeys(choices, 0)
    for response in responses:
        for key in set(response.choices):  # a key listed twice was still picked once
            choice_counts[key] = choice_counts.get(key, 0) + 1
    seconds = [
        response.seconds
        for response in responses
        if response.seconds is not None and not math.isnan(response.seconds)
    ]
    flags: list[str] = []
    if count >= min_responses:
        if discrimination is not None and discrimination < NEGATIVE_DISCRIMINATION_BELOW:
            flags.append(NEGATIVE_DISCRIMINATION)
        if right is not None and any(
            choice_counts[key] == 0 for key in choices if key not in right
        ):
            flags.append(UNPICKED_DISTRACTOR)
        if facility is not None and facility > TOO_EASY_ABOVE:
            flags.append(TOO_EASY)
        if facility is not None and facility < TOO_HARD_BELOW:
            flags.append(TOO_HARD)
    return ItemStats(
        question=question,
        responses=count,
        facility=facility,
        discrimination=discrimination,
        choice_counts=choice_counts,
        median_seconds=statistics.median(seconds) if seconds else None,
        flags=tuple(flags),
    )


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, None when undefined, computed from sums so integer scores give exact zeros."""
    n = len(xs)
    if n < 2 or min(xs) == max(xs) or min(ys) == max(ys):
        return None
    sum_x, sum_y = math.fsum(xs), math.fsum(ys)
    sxx = n * math.fsum(x * x for x in xs) - sum_x * sum_x
    syy = n * math.fsum(y * y for y in ys) - sum_y * sum_y
    sxy = n * math.fsum(x * y for x, y in zip(xs, ys, strict=True)) - sum_x * sum_y
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _sample_variance(values: Sequence[float]) -> float:
    """Variance over n-1, Moodle's convention (see the module docstring)."""
    n = len(values)
    total = math.fsum(values)
    return (n * math.fsum(v * v for v in values) - total * total) / (n * (n - 1))


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a sittings x items score matrix; None where it is undefined.

    k/(k-1) * (1 - sum of item variances / variance of totals), variances over n-1 like Moodle
    (the same alpha as over n). Ragged rows raise ValueError rather than guess at missing items.
    """
    rows = [list(row) for row in matrix]
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if any(len(row) != k for row in rows):
        raise ValueError("every sitting needs a score for every item")
    if k < 2:
        return None
    totals = [math.fsum(row) for row in rows]
    if min(totals) == max(totals):
        return None
    item_variance = math.fsum(_sample_variance([row[i] for row in rows]) for i in range(k))
    return k / (k - 1) * (1 - item_variance / _sample_variance(totals))


def alpha_by_slot(responses: Iterable[Response]) -> float | None:
    """Cronbach's alpha over positions, as Moodle does when slots draw random questions.

    Only sittings that answered every slot seen count, since alpha needs a full matrix. Pass
    one test's sittings: slots of unrelated tests would be mixed as if they were the same.
    """
    by_sitting: dict[str, dict[int, float]] = defaultdict(dict)
    for response in responses:
        slots = by_sitting[response.sitting]
        if response.slot in slots:
            raise ValueError(
                f"slot {response.slot} appears twice in sitting {response.sitting}; "
                "pass first attempts only"
            )
        slots[response.slot] = _score(response)
    all_slots = sorted({slot for slots in by_sitting.values() for slot in slots})
    matrix = [
        [slots[slot] for slot in all_slots]
        for slots in by_sitting.values()
        if len(slots) == len(all_slots)
    ]
    return cronbach_alpha(matrix)
