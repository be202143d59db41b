"""Reads that pages share: the course's topics with how much each one holds."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Card, Question, Topic

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


def live_topics() -> list[Topic]:
    """The live topics in course order (what a learner's own card can be about)."""
    return list(Topic.objects.live().order_by("order"))


def own_cards(user) -> QuerySet[Card]:
    """The learner's own flashcards with their topic, newest first."""
    return (
        Card.objects.filter(user=user, question__owner=user)
        .select_related("question__topic")
        .order_by("-question__created_at")
    )


def own_card(user, question_id: int) -> Card:
    """One of the learner's own cards by its question's id, or a 404 for anyone else's (another
    learner's or the course's)."""
    if not 0 < question_id < 2**63:  # a foreign key lookup does not range-check as a pk does
        raise Http404("No such card.")
    return get_object_or_404(own_cards(user), question_id=question_id)
