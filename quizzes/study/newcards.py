"""Which new card comes next: a seeded draw over topics and kinds, weighted by the points lost.

The weights per topic (`LearnerSettings.new_card_weights`) are set by the readiness forecast
(`exams.readiness.forecast`); this module only draws from them, so studying reads no exam code.
No Django import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

FLASHCARDS, QUESTIONS = "flashcard", "question"  # the two kinds new cards alternate between


def kind_of(question_type: str) -> str:
    """Flashcards on one side, every exam-style question type on the other."""
    return FLASHCARDS if question_type == FLASHCARDS else QUESTIONS


def _unit(seed: str) -> float:
    """A number in [0, 1) fixed by the seed."""
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") / 2**64


def weighted_pick(weights: Sequence[tuple[object, float]], seed: str) -> object | None:
    """One key, chosen with probability proportional to its weight by a hash of `seed`.

    The same seed always gives the same key, so a reload shows the same card.
    """
    positive = [(key, w) for key, w in weights if w > 0]
    if not positive:
        return None
    point = _unit(seed) * sum(w for _, w in positive)
    for key, weight in positive:
        point -= weight
        if point < 0:
            return key
    return positive[-1][0]


def new_card_pick(
    unseen: Mapping[tuple[str, str], int], topic_weights: Mapping[str, float], seed: str
) -> tuple[str, str, int] | None:
    """Which new card comes next: (topic, kind, position among that group's unseen cards).

    `unseen` counts the cards not yet studied per (topic, kind). A topic's weight (the points the
    forecast loses there; equal when nothing is known yet) is shared equally by its kinds, so
    flashcards and exam-style questions alternate and every topic comes up. The seed (learner,
    day, cards introduced so far) fixes the choice: a reload shows the same card.
    """
    known = [w for w in topic_weights.values() if w > 0]
    # Topics outside the target exam, or with nothing left to lose, still come up now and then.
    least = min(known) / 4 if known else 1.0
    kinds_per_topic: dict[str, int] = {}
    for (topic, _kind), count in unseen.items():
        if count > 0:
            kinds_per_topic[topic] = kinds_per_topic.get(topic, 0) + 1
    groups = [
        ((topic, kind), max(topic_weights.get(topic, 0.0), least) / kinds_per_topic[topic])
        for (topic, kind), count in sorted(unseen.items())
        if count > 0
    ]
    chosen = weighted_pick(groups, seed)
    if chosen is None:
        return None
    topic, kind = chosen
    return topic, kind, int(_unit(seed + ":position") * unseen[chosen])
