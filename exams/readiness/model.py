"""Readiness: the chance of answering each question right on the exam day, and the exam's score.

FSRS's retrievability alone misleads as a forecast: a card answered a minute ago is at about 100%
whether the answer was right or wrong, the default curve is flat (a card failed once still shows
about 58% a week later), and a right answer on a four-choice question may be a guess. So each card
gets a small knowledge-tracing estimate that uses FSRS as its forgetting curve:

- before its first answer an item is known with a small prior chance;
- each answer updates that by Bayes, with guessing (the item's floor: 1/k for k choices) and slips;
- the feedback after each answer teaches an item not known with some chance;
- between answers, and from the last answer to the exam, knowledge fades along the card's FSRS
  retrievability raised to a fitted power (FSRS's default curve is deliberately flat).

P(right on the exam day) = known x (1 - slip) + (1 - known) x floor; a question never studied has
no memory, only its floor. The four parameters are fitted on the site's own logs by maximum a
posteriori (the prior below holds when there are few). A blueprint draw is a sum of Bernoulli
trials, so its score has a Poisson-binomial distribution, computed exactly here (no simulation).

No Django import: the bench and the tests drive it with plain rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quizzes.study.scheduler import Settings, local_day, study_day_start

NO_EXAM_DAYS = 7  # without an exam date, the forecast is for a week from today
EXAM_HOUR = (
    8  # the exam is taken this many hours after the study day starts (noon at a 4 a.m. start)
)
INTERVAL = 0.80  # the predicted score's interval: 10th to 90th percentile


# --- guessing -----------------------------------------------------------------------------------


def guess_floor(kind: str, choices: int = 0, choose: int = 1) -> float:
    """The chance of a right answer by guessing alone.

    Single answer: 1/k. True or false: 1/2. Choose N of k: 1 / C(k, N) (a guess picks N boxes).
    Numeric cost exercises and self-graded flashcards: 0 (nothing to guess from).
    """
    if kind == "true_false":
        return 0.5
    if kind == "single" and choices > 0:
        return 1 / choices
    if kind == "multiple" and choices > 0 and 0 < choose <= choices:
        return 1 / math.comb(choices, choose)
    return 0.0


# --- the knowledge model ------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """The model's four numbers; the defaults are the prior used when the site has few logs."""

    prior_known: float = 0.10  # an item is known before its first exposure
    learn: float = 0.30  # an exposure with feedback teaches an item not known
    slip: float = 0.08  # a known item answered wrong anyway
    forget_power: float = 1.5  # knowledge fades as FSRS retrievability ** power

    def as_dict(self) -> dict[str, float]:
        return {
            "prior_known": self.prior_known,
            "learn": self.learn,
            "slip": self.slip,
            "forget_power": self.forget_power,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Params:
        """Parameters stored as JSON; anything missing or out of range falls back to the prior."""
        if not data:
            return cls()
        try:
            params = cls(**{key: float(data[key]) for key in cls().as_dict() if key in data})
        except (TypeError, ValueError):
            return cls()
        return params if _valid(params) else cls()


def _valid(params: Params) -> bool:
    probabilities = (params.prior_known, params.learn, params.slip)
    return all(0 < p < 1 for p in probabilities) and 0 < params.forget_power < 50


@dataclass(frozen=True)
class Answer:
    """One answer to one card: right or not, and the card's FSRS retrievability at that moment.

    `retrievability` comes from the card's state before the answer; None for its first answer
    (nothing to forget yet) and for answers outside the review log (quiz and exam answers that
    did not reschedule the card).
    """

    correct: bool
    retrievability: float | None = None


def _clip(p: float, low: float = 1e-6, high: float = 1 - 1e-6) -> float:
    return min(max(p, low), high)


def _observe(known: float, correct: bool, floor: float, slip: float) -> float:
    """Bayes: how likely the item is known after seeing this answer."""
    if correct:
        yes, no = known * (1 - slip), (1 - known) * floor
    else:
        yes, no = known * slip, (1 - known) * (1 - floor)
    return yes / (yes + no) if yes + no > 0 else known


def _right(known: float, floor: float, slip: float) -> float:
    """P(a right answer) when the item is known with probability `known`."""
    return known * (1 - slip) + (1 - known) * floor


def trace(answers: Sequence[Answer], floor: float, params: Params) -> tuple[float, list[float]]:
    """Walk a card's answers: P(known) after the last one (feedback included), and P(right)
    predicted before each answer from the ones before it (what the fit scores)."""
    known = params.prior_known
    predicted: list[float] = []
    for index, answer in enumerate(answers):
        if index and answer.retrievability is not None:
            known *= _clip(answer.retrievability, 0.0, 1.0) ** params.forget_power
        predicted.append(_right(known, floor, params.slip))
        known = _observe(known, answer.correct, floor, params.slip)
        known += (1 - known) * params.learn
    return known, predicted


def recall_at(
    answers: Sequence[Answer], retrievability_then: float, floor: float, params: Params
) -> float:
    """P(answering right at a future moment): the card's knowledge after its answers, faded by its
    FSRS retrievability at that moment. A card never answered has only the guessing floor."""
    if not answers:
        return floor
    known, _ = trace(answers, floor, params)
    known *= _clip(retrievability_then, 0.0, 1.0) ** params.forget_power
    return _right(known, floor, params.slip)


# --- fitting on the site's logs -----------------------------------------------------------------

_PRIOR_SD = 1.0  # in logit (or log) units: the prior is worth a few dozen answers


def _to_vector(params: Params) -> list[float]:
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    return [
        logit(params.prior_known),
        logit(params.learn),
        logit(params.slip),
        math.log(params.forget_power),
    ]


def _from_vector(vector: Sequence[float]) -> Params:
    sigmoid = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    return Params(
        prior_known=_clip(sigmoid(vector[0]), 1e-3, 0.95),
        learn=_clip(sigmoid(vector[1]), 1e-3, 0.99),
        slip=_clip(sigmoid(vector[2]), 1e-3, 0.4),
        forget_power=min(max(math.exp(vector[3]), 0.1), 20.0),
    )


def log_loss(histories: Sequence[tuple[Sequence[Answer], float]], params: Params) -> float:
    """Mean log loss of predicting each answer from the card's earlier ones."""
    total, count = 0.0, 0
    for answers, floor in histories:
        _, predicted = trace(answers, floor, params)
        for answer, p in zip(answers, predicted, strict=True):
            p = _clip(p)
            total -= math.log(p if answer.correct else 1 - p)
            count += 1
    return total / count if count else 0.0


def fit(
    histories: Sequence[tuple[Sequence[Answer], float]],
    prior: Params | None = None,
    rounds: int = 5,
) -> Params:
    """The parameters that best predict each logged answer from the card's earlier answers,
    pulled towards the prior (a normal prior, sd 1, on the logit / log scale).

    A coordinate search: four parameters, a smooth objective and a few thousand answers do not
    need more. With no history the prior comes back unchanged.
    """
    prior = prior or Params()
    count = sum(len(answers) for answers, _ in histories)
    if not count:
        return prior
    centre = _to_vector(prior)

    def objective(vector: list[float]) -> float:
        penalty = sum((v - c) ** 2 for v, c in zip(vector, centre, strict=True)) / (
            2 * _PRIOR_SD**2
        )
        return log_loss(histories, _from_vector(vector)) * count + penalty

    best = list(centre)
    best_value = objective(best)
    step = 1.0
    for _ in range(rounds):
        for index in range(len(best)):
            for direction in (1, -1):
                improved = True
                while improved:
                    trial = list(best)
                    trial[index] += direction * step
                    value = objective(trial)
                    improved = value < best_value - 1e-9
                    if improved:
                        best, best_value = trial, value
        step /= 2
    return _from_vector(best)


# --- when the exam is ---------------------------------------------------------------------------


def exam_moment(now: datetime, settings: Settings) -> datetime:
    """When the forecast is for: the exam day (at noon for a 4 a.m. day start, or now if that has
    passed on the day itself), or a week ahead when no exam date is set or it has passed."""
    today = local_day(now, settings)
    exam = settings.exam_date
    day: date = exam if exam and exam >= today else today + timedelta(days=NO_EXAM_DAYS)
    return max(study_day_start(day, settings) + timedelta(hours=EXAM_HOUR), now)


# --- the score of a draw ------------------------------------------------------------------------


def score_distribution(probabilities: Iterable[float]) -> list[float]:
    """P(exactly c right) for c = 0..n when item i is right with probability p_i, independently.

    The Poisson-binomial distribution by dynamic programming: exact, O(n^2), no random draws.
    """
    dist = [1.0]
    for p in probabilities:
        p = min(max(p, 0.0), 1.0)
        nxt = [0.0] * (len(dist) + 1)
        for count, mass in enumerate(dist):
            nxt[count] += mass * (1 - p)
            nxt[count + 1] += mass * p
        dist = nxt
    return dist


def quantile(dist: Sequence[float], q: float) -> int:
    """The smallest count whose cumulative probability reaches q."""
    total = 0.0
    for count, mass in enumerate(dist):
        total += mass
        if total >= q - 1e-12:
            return count
    return len(dist) - 1


@dataclass(frozen=True)
class ScoreForecast:
    """A predicted number right out of `items`, with its 80% interval and the chance of passing."""

    items: int
    expected: float
    low: int
    high: int
    pass_correct: int
    p_pass: float
    mad: float = 0.0  # mean absolute deviation of the number right from `expected`

    @property
    def percent(self) -> float:
        return 100 * self.expected / self.items if self.items else 0.0


def forecast_score(probabilities: Sequence[float], pass_correct: int) -> ScoreForecast:
    """These items' score distribution: mean, 10th-90th percentile, P(at least pass_correct)."""
    dist = score_distribution(probabilities)
    tail = (1 - INTERVAL) / 2
    expected = sum(probabilities)
    return ScoreForecast(
        items=len(probabilities),
        expected=expected,
        low=quantile(dist, tail),
        high=quantile(dist, 1 - tail),
        pass_correct=pass_correct,
        p_pass=min(sum(dist[pass_correct:]), 1.0) if pass_correct <= len(probabilities) else 0.0,
        mad=sum(mass * abs(count - expected) for count, mass in enumerate(dist)),
    )


def slot_probabilities(
    counts: dict[str, int], bucket_means: dict[str, float], scored: int
) -> list[float]:
    """One probability per scored slot of a draw.

    A draw takes `counts[b]` items at random from bucket b, so each slot is right with the
    bucket's mean probability. Only `scored` of the slots count; they are spread over the buckets
    in proportion, largest remainders first, as the draw spreads questions over topics.
    """
    total = sum(counts.values())
    if not total:
        return []
    scored = min(scored, total)
    exact = {b: n * scored / total for b, n in counts.items()}
    taken = {b: int(v) for b, v in exact.items()}
    order = sorted(exact, key=lambda b: (taken[b] - exact[b], b))
    for bucket in order[: scored - sum(taken.values())]:
        taken[bucket] += 1
    return [bucket_means.get(b, 0.0) for b in sorted(taken) for _ in range(taken[b])]


# --- checking forecasts -------------------------------------------------------------------------


def brier(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """Mean squared error of probabilities against what happened; None without any."""
    pairs = list(pairs)
    if not pairs:
        return None
    return sum((p - float(happened)) ** 2 for p, happened in pairs) / len(pairs)


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_predicted: float | None
    observed: float | None


def calibration_table(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[CalibrationBin]:
    """Predictions grouped in equal-width bins of probability, with how often each came true."""
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, happened in pairs:
        groups[min(int(p * bins), bins - 1)].append((p, happened))
    table = []
    for index, group in enumerate(groups):
        n = len(group)
        table.append(
            CalibrationBin(
                low=index / bins,
                high=(index + 1) / bins,
                count=n,
                mean_predicted=sum(p for p, _ in group) / n if n else None,
                observed=sum(h for _, h in group) / n if n else None,
            )
        )
    return table


def points_lost(
    blueprint_weights: Mapping[str, float], mastery: Mapping[str, float]
) -> dict[str, float]:
    """Per topic, the share of an exam's score the forecast expects to lose there."""
    total = sum(w for w in blueprint_weights.values() if w > 0)
    if not total:
        return {}
    return {
        topic: round(w / total * (1 - mastery.get(topic, 0.0)), 4)
        for topic, w in blueprint_weights.items()
        if w > 0
    }
