"""How much a mastery figure can be trusted: the answers it rests on, an interval, a word.

After one quiz and one exam, every topic's mastery sits near its guessing floor, so ranking topics
by mastery picks noise. Until each topic has enough answers, topics are ranked by what the learner
actually got wrong; the figures say how many answers they rest on. Pure: no Django import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ENOUGH = 10  # answers in a topic before its mastery is ranked on its own
SOLID = 30
Z_80 = 1.2816  # two-sided 80%, as the exam forecast's range


def gettext_noop(message: str) -> str:
    """Marks a word for translation (makemessages finds this name); pure Python, so the page
    translates it (`{% translate e.confidence %}`)."""
    return message


def wilson(right: int, total: int, z: float = Z_80) -> tuple[float, float]:
    """The Wilson score interval of a share right: sound for small counts, never outside 0..1."""
    if total <= 0:
        return 0.0, 1.0
    share = right / total
    centre = share + z * z / (2 * total)
    margin = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    scale = 1 + z * z / total
    return max(0.0, (centre - margin) / scale), min(1.0, (centre + margin) / scale)


def confidence_word(answers: int) -> str:
    if answers == 0:
        return gettext_noop("no answers yet")
    if answers < ENOUGH:
        return gettext_noop("little evidence")
    if answers < SOLID:
        return gettext_noop("some evidence")
    return gettext_noop("solid evidence")


@dataclass(frozen=True)
class TopicEvidence:
    """One topic's mastery with the answers behind it."""

    slug: str
    mastery: float  # the readiness model's mean chance of a right answer on the exam day
    right: int
    wrong: int

    @property
    def answers(self) -> int:
        return self.right + self.wrong

    @property
    def percent(self) -> int:
        return round(100 * self.mastery)

    @property
    def interval(self) -> tuple[int, int] | None:
        """80% interval of the share the learner answered right, in percent (None: no answers)."""
        if not self.answers:
            return None
        low, high = wilson(self.right, self.answers)
        return round(100 * low), round(100 * high)

    @property
    def confidence(self) -> str:
        return confidence_word(self.answers)

    @property
    def enough(self) -> bool:
        return self.answers >= ENOUGH


@dataclass(frozen=True)
class Ranking:
    """Topics weakest first, and whether that order comes from mastery or from wrong answers."""

    topics: list[TopicEvidence]
    by_mastery: bool

    @property
    def answers(self) -> int:
        return sum(topic.answers for topic in self.topics)

    @property
    def weakest(self) -> TopicEvidence | None:
        """The topic to study first (with no answer wrong yet: the least mastered)."""
        return self.topics[0] if self.topics else None


def rank_topics(
    slugs: Iterable[str],
    mastery: Mapping[str, float],
    tallies: Mapping[str, tuple[int, int]],
) -> Ranking:
    """Weakest first. By mastery once every topic has ENOUGH answers; until then by the answers
    got wrong (most first, then the larger wrong share), mastery and course order breaking ties.
    `slugs` come in course order."""
    topics = [
        TopicEvidence(slug, mastery.get(slug, 0.0), *tallies.get(slug, (0, 0))) for slug in slugs
    ]
    order = {topic.slug: n for n, topic in enumerate(topics)}
    by_mastery = bool(topics) and all(topic.enough for topic in topics)
    if by_mastery:
        key = lambda t: (t.mastery, order[t.slug])  # noqa: E731
    else:
        key = lambda t: (  # noqa: E731
            -t.wrong,
            -(t.wrong / t.answers if t.answers else 0),
            t.mastery,
            order[t.slug],
        )
    return Ranking(sorted(topics, key=key), by_mastery)
