"""Scores per topic: one type for a practice quiz's summary and a mock exam's results.

Plain Python (no Django): any answered item with `.correct` and `.question.topic` will do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class TopicScore:
    slug: str
    title: str
    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def topic_scores(items: Iterable[Any]) -> list[TopicScore]:
    """Right answers over items per topic, by topic title."""
    by_topic: dict[str, TopicScore] = {}
    for item in items:
        topic = item.question.topic
        score = by_topic.setdefault(topic.slug, TopicScore(topic.slug, topic.title))
        score.total += 1
        score.correct += bool(item.correct)
    return sorted(by_topic.values(), key=lambda score: score.title)
