"""Readiness from the database: every live question's chance of a right answer on the exam day.

The model is in `readiness` (pure); this module reads what it needs in a fixed number of queries:
the live questions, the learner's cards, review log and quiz answers. Mock exam answers live in the
`exams` app, which passes them in (`extra`), so this package never imports it.

What counts as an answer: a review graded in the review queue, every quiz answer (right answers on
cards not due leave no review log) and every graded mock exam item. Logs written by quizzes and
exams only supply the card's FSRS state at that moment, so nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from quizzes.models import Card, LearnerSettings, Question, QuizItem, ReviewLog
from quizzes.models.study import SCHEDULE_FIELDS
from quizzes.study import scheduler

from . import model as readiness

PARAMS_CACHE_KEY = "readiness:params:v1"
PARAMS_CACHE_SECONDS = 6 * 3600
FIT_LOGS = 20_000  # the site fit reads at most this many recent reviews

# (user id, question id) or a question id: whatever keys one card's history.
Key = Hashable
ExtraAnswer = tuple[int, int, datetime, bool]  # user id, question id, when, right


@dataclass(frozen=True)
class Item:
    """What the forecast needs of a live question: its topic, type and guessing floor."""

    id: int
    topic: str
    kind: str
    difficulty: str
    floor: float


def live_items() -> dict[int, Item]:
    """Every live question with its guessing floor (one query)."""
    rows = Question.objects.live().values_list(
        "id", "topic__slug", "type", "difficulty", "choices", "choose"
    )
    return {
        pk: Item(pk, topic, kind, difficulty, readiness.guess_floor(kind, len(choices), choose))
        for pk, topic, kind, difficulty, choices, choose in rows
    }


def _state(data: dict) -> scheduler.CardState:
    """A card's columns as stored in ReviewLog.card_before."""
    values = {name: data.get(name) for name in SCHEDULE_FIELDS}
    for name in ("due", "last_review"):
        if values[name]:
            values[name] = datetime.fromisoformat(values[name])
    values["reps"] = values["reps"] or 0
    values["lapses"] = values["lapses"] or 0
    return scheduler.CardState(**values)


@dataclass
class History:
    """One card's answers in time order, and its FSRS state now (None without a scheduled card)."""

    answers: list[readiness.Answer] = field(default_factory=list)
    state: scheduler.CardState | None = None
    last_answer: datetime | None = None


def build_histories(
    logs: Iterable[tuple[Key, datetime, str, dict]],
    answers: Iterable[tuple[Key, datetime, bool]],
    states: dict[Key, scheduler.CardState],
    parameters: tuple[float, ...] | None = None,
) -> dict[Key, History]:
    """Answers per card, each with the card's FSRS retrievability at that moment.

    `logs` are (key, reviewed_at, source, card_before) in time order: the state after one log is
    the next log's card_before, or the card's state now after the last. An answer at t is faded by
    the state after the latest log before t.
    """
    timeline: dict[Key, list[tuple[datetime, dict | None]]] = defaultdict(list)
    for key, moment, _source, before in logs:
        timeline[key].append((moment, before))
    histories: dict[Key, History] = defaultdict(History)
    by_key: dict[Key, list[tuple[datetime, bool]]] = defaultdict(list)
    for key, moment, correct in answers:
        by_key[key].append((moment, correct))
    for key, rows in by_key.items():
        events = timeline.get(key, [])
        # after[i]: the card's state once log i was applied.
        after = [_state(before) for _, before in events[1:]] + [states.get(key)]
        history = histories[key]
        index = -1
        for moment, correct in sorted(rows, key=lambda row: row[0]):
            while index + 1 < len(events) and events[index + 1][0] < moment:
                index += 1
            state = after[index] if index >= 0 else None
            r = (
                scheduler.retrievability(state, moment, parameters)
                if state is not None and state.state != scheduler.NEW
                else None
            )
            history.answers.append(readiness.Answer(correct, r))
        history.last_answer = max(moment for moment, _ in rows)
    for key, state in states.items():
        if key in histories:
            histories[key].state = state
    return dict(histories)


def _learner_rows(
    user: AbstractBaseUser, extra: Iterable[ExtraAnswer]
) -> tuple[list, list, dict[int, scheduler.CardState]]:
    """The learner's logs, answers and card states, keyed by question id (three queries)."""
    states = {
        row[0]: scheduler.CardState(*row[1:])
        for row in Card.objects.filter(user=user).values_list("question_id", *SCHEDULE_FIELDS)
    }
    logs, answers = [], []
    for question_id, moment, source, before, rating in (
        ReviewLog.objects.filter(user=user)
        .order_by("reviewed_at", "pk")
        .values_list("card__question_id", "reviewed_at", "source", "card_before", "rating")
    ):
        logs.append((question_id, moment, source, before))
        if source == ReviewLog.Source.REVIEW:
            answers.append((question_id, moment, rating > 1))
    answers += QuizItem.objects.filter(attempt__user=user, answered_at__isnull=False).values_list(
        "question_id", "answered_at", "correct"
    )
    answers += [(question_id, moment, correct) for _, question_id, moment, correct in extra]
    return logs, answers, states


@dataclass(frozen=True)
class Recall:
    """Each live question's chance of a right answer at `at`, and which ones were studied."""

    at: datetime
    items: dict[int, Item]
    probability: dict[int, float]
    studied: frozenset[int]
    # Per question answered: (right, wrong) over every answer the model used.
    tallies: dict[int, tuple[int, int]] = field(default_factory=dict)

    def topic_tallies(self) -> dict[str, tuple[int, int]]:
        """Per topic, how many of the learner's answers were right and wrong: the evidence its
        mastery rests on (live questions only)."""
        counts: dict[str, tuple[int, int]] = {}
        for pk, (right, wrong) in self.tallies.items():
            item = self.items.get(pk)
            if item is None:
                continue
            before = counts.get(item.topic, (0, 0))
            counts[item.topic] = (before[0] + right, before[1] + wrong)
        return counts

    def topic_mastery(self) -> dict[str, float]:
        """Per topic, the mean chance over all its live questions, studied or not."""
        sums: dict[str, list[float]] = defaultdict(list)
        for pk, item in self.items.items():
            sums[item.topic].append(self.probability[pk])
        return {topic: sum(ps) / len(ps) for topic, ps in sums.items()}


def recall_for(
    *,
    user: AbstractBaseUser,
    settings: LearnerSettings,
    now: datetime,
    extra: Iterable[ExtraAnswer] = (),
    params: readiness.Params | None = None,
    items: dict[int, Item] | None = None,
) -> Recall:
    """The learner's chance of answering each live question right on their exam day."""
    sched = settings.scheduler_settings()
    logs, answers, states = _learner_rows(user, extra)
    histories = build_histories(logs, answers, states, sched.parameters)
    return recall_from(
        histories=histories,
        items=items if items is not None else live_items(),
        now=now,
        sched=sched,
        params=params or site_params(),
    )


def recall_from(
    *,
    histories: dict[Key, History],
    items: dict[int, Item],
    now: datetime,
    sched: scheduler.Settings,
    params: readiness.Params,
) -> Recall:
    """The chance per live question at the exam moment, from histories keyed by question id."""
    at = readiness.exam_moment(now, sched)
    probability = {}
    for pk, item in items.items():
        history = histories.get(pk)
        if history is None or not history.answers:
            probability[pk] = item.floor
            continue
        state = history.state
        if state is None or state.state == scheduler.NEW:
            # Answered (in an exam, say) with no card scheduled: as if reviewed Good then.
            state = scheduler.review(
                scheduler.CardState.new(), 3, history.last_answer, sched, card_id=pk
            ).card
        r = scheduler.retrievability(state, at, sched.parameters)
        probability[pk] = readiness.recall_at(history.answers, r, item.floor, params)
    studied = frozenset(pk for pk, h in histories.items() if h.answers)
    tallies = {}
    for pk, history in histories.items():
        right = sum(1 for answer in history.answers if answer.correct)
        tallies[pk] = (right, len(history.answers) - right)
    return Recall(at=at, items=items, probability=probability, studied=studied, tallies=tallies)


# --- the site's fit -----------------------------------------------------------------------------


def site_histories(
    extra: Iterable[ExtraAnswer] = (), limit: int = FIT_LOGS
) -> list[tuple[list[readiness.Answer], float]]:
    """Every learner's recent answers per card with the card's floor: what the model is fit on."""
    items = live_items()
    recent = list(
        ReviewLog.objects.order_by("-reviewed_at", "-pk").values_list(
            "user_id", "card__question_id", "reviewed_at", "source", "card_before", "rating"
        )[:limit]
    )
    if not recent:
        return []
    since = recent[-1][2]
    logs, answers = [], []
    for user_id, question_id, moment, source, before, rating in reversed(recent):
        logs.append(((user_id, question_id), moment, source, before))
        if source == ReviewLog.Source.REVIEW:
            answers.append(((user_id, question_id), moment, rating > 1))
    for user_id, question_id, moment, correct in QuizItem.objects.filter(
        answered_at__gte=since
    ).values_list("attempt__user_id", "question_id", "answered_at", "correct"):
        answers.append(((user_id, question_id), moment, correct))
    answers += [((u, q), moment, correct) for u, q, moment, correct in extra if moment >= since]
    states = {
        (row[0], row[1]): scheduler.CardState(*row[2:])
        for row in Card.objects.filter(last_review__gte=since).values_list(
            "user_id", "question_id", *SCHEDULE_FIELDS
        )
    }
    histories = build_histories(logs, answers, states)
    return [
        (history.answers, items[key[1]].floor)
        for key, history in histories.items()
        if key[1] in items and history.answers
    ]


def site_fit(extra: Iterable[ExtraAnswer] = ()) -> readiness.Params:
    """Fit the model on the site's logs and keep it in the cache for the next few hours."""
    params = readiness.fit(site_histories(extra))
    cache.set(PARAMS_CACHE_KEY, params.as_dict(), PARAMS_CACHE_SECONDS)
    return params


def site_params() -> readiness.Params:
    """The fitted parameters if a fit is cached, the prior otherwise (a page never waits for a
    fit: `exams.readiness.forecast` refits when the cache is empty)."""
    return readiness.Params.from_dict(cache.get(PARAMS_CACHE_KEY))
