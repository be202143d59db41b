"""Reads that pages share: the course's topics with how much each one holds."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Question, Topic

_LIVE = Q(questions__retired_at__isnull=True, questions__owner__isnull=True)
_KINDS = {
    "question_count": (Question.Type.SINGLE, Question.Type.MULTIPLE, Question.Type.TRUE_FALSE),
    "flashcard_count": (Question.Type.FLASHCARD,),
    "exercise_count": (Question.Type.NUMERIC,),
}


def topics_with_counts() -> QuerySet[Topic]:
    """Live topics, each annotated with its number of questions, flashcards and exercises."""
    return Topic.objects.live().annotate(
        **{
            name: Count("questions", filter=_LIVE & Q(questions__type__in=types))
            for name, types in _KINDS.items()
        }
    )


def with_question(queryset: QuerySet, prefix: str = "question") -> QuerySet:
    """Join a question and its topic, leaving out the topic's rendered note (kilobytes a row).

    `prefix` is the path to the question; an empty one means the queryset is of questions.
    """
    topic = f"{prefix}__topic" if prefix else "topic"
    return queryset.select_related(topic).defer(f"{topic}__note_html", f"{topic}__toc_html")


def topic_for_note(slug: str) -> Topic:
    return get_object_or_404(topics_with_counts(), slug=slug)


_PERMALINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
_HEADING = re.compile(r'<h[23][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[23]>', re.S)


def note_sections(topic) -> list[tuple[str, str]]:
    """A note's sections (anchor, heading text), read from its rendered HTML: what a learner can
    add a card about."""
    if topic is None:
        return []
    return [
        (anchor, re.sub(r"<[^>]+>", "", _PERMALINK.sub("", text)).strip())
        for anchor, text in _HEADING.findall(topic.note_html)
    ]
