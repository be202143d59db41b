"""Exam results to study from: which items a filter keeps, and the note section a question is about.

Plain data in, plain data out (no Django), so the rules are tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a label for translation (makemessages finds this name) without importing Django;
    the view shows it through gettext."""
    return message


FILTERS = {
    "all": gettext_noop("All"),
    "wrong": gettext_noop("Wrong"),
    "unanswered": gettext_noop("Unanswered"),
    "flagged": gettext_noop("Flagged"),
}
PAGE_SIZE = 10

# Tags that say which exam or what kind of question, not what the question is about.
_NOT_ABOUT = {"clf-c02", "saa-c03", "dva-c02", "misconception", "troubleshooting", "scenario"}
_TOC_LINK = re.compile(r'<a[^>]*href="#([^"]+)"[^>]*>(.*?)</a>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[a-z0-9@]+")


@dataclass(frozen=True)
class ItemState:
    """What a filter needs to know of one exam item."""

    position: int
    topic: str
    selected: bool
    correct: bool | None
    flagged: bool

    @property
    def status(self) -> str:
        if not self.selected:
            return "unanswered"
        if self.correct is None:
            return "answered"  # its mark is held with its key (a team exam's window is open)
        return "right" if self.correct else "wrong"


def keeps(show: str, topic: str, item: ItemState) -> bool:
    """Whether the filter `show` (one of FILTERS) and the topic slug ("" for any) keep the item."""
    if topic and item.topic != topic:
        return False
    if show == "wrong":
        return item.status == "wrong"
    if show == "unanswered":
        return item.status == "unanswered"
    if show == "flagged":
        return item.flagged
    return True


def counts(items: Iterable[ItemState], topic: str = "") -> dict[str, int]:
    """How many items each filter keeps, for the filter links' labels."""
    items = list(items)
    return {show: sum(keeps(show, topic, item) for item in items) for show in FILTERS}


def clean_filter(show: str | None) -> str:
    return show if show in FILTERS else "all"


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def section_anchor(toc_html: str, tags: Iterable[str]) -> str:
    """The heading of a note that best matches a question's subject tags ("" when none does).

    A heading scores one point per tag word found in its text or anchor; the first best wins, so a
    question about `memory` lands on "Compute: memory, CPU and time".
    """
    wanted: set[str] = set()
    for tag in tags:
        if tag.lower() not in _NOT_ABOUT:
            wanted |= _words(tag.replace("-", " "))
    best, best_score = "", 0
    for anchor, text in _TOC_LINK.findall(toc_html):
        heading = _words(_TAGS.sub(" ", text)) | _words(anchor.replace("-", " "))
        score = len(wanted & heading)
        if score > best_score:
            best, best_score = anchor, score
    return best
