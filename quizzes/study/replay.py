"""The conflict rule for grades that reach the server out of time order (pure: no Django).

A learner may grade the same card on two devices, or on one device offline while another is
online; the grades reach the server in any order. The rule (docs/architecture.md): every grade is
kept as its own review log, in the order the learner made them (review time, then arrival), and
the card's state is what replaying those logs from the last state before the earliest late grade
gives. A grade that arrives in time order is the ordinary case: one step, from the card as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from . import scheduler


@dataclass(frozen=True)
class Step:
    """One grade to replay: its rating, when it was made, and an id to find its log again."""

    rating: int
    at: datetime
    ref: object = None


@dataclass(frozen=True)
class Replayed:
    """A replayed grade: the card before it, what the scheduler did, and whether it made a leech."""

    step: Step
    before: scheduler.CardState
    outcome: scheduler.Outcome


def in_time_order(steps: Iterable[Step]) -> list[Step]:
    """Steps ordered by review time; a tie keeps arrival order (the sort is stable)."""
    return sorted(steps, key=lambda step: step.at)


def replay(
    start: scheduler.CardState, steps: Iterable[Step], settings: scheduler.Settings, *,
    card_id: int,
) -> list[Replayed]:  # fmt: skip
    """Apply the steps in time order from `start`, as if the learner had been online for each."""
    state = start
    done = []
    for step in in_time_order(steps):
        outcome = scheduler.review(state, step.rating, step.at, settings, card_id=card_id)
        done.append(Replayed(step, state, outcome))
        state = outcome.card
    return done
