"""Reads of the quizzes app's pages: topics, questions, quizzes and cards, each for a page or more.

Views read through these (or the selectors of a concept package) and run no query of their own.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation

from .models import Card, Question, QuizAttempt, QuizItem, Topic
from .models.course import TOPIC_NOTE

_LIVE = Q(questions__retired_at__isnull=True, questions__owner__isnull=True)
_KINDS = {
    "question_count": (Question.Type.SINGLE, Question.Type.MULTIPLE, Question.Type.TRUE_FALSE),
    "flashcard_count": (Question.Type.FLASHCARD,),
    "exercise_count": (Question.Type.NUMERIC,),
}


def topics_with_counts() -> QuerySet[Topic]:
    """Live topics, each annotated with its number of questions, flashcards and exercises; their
    notes left out (a list shows titles and summaries)."""
    return _topics_counted().defer(*TOPIC_NOTE, "toc_html")


def topics_with_questions() -> list[Topic]:
    """Live topics that have live questions, in course order, each with its number of them
    (`total`), notes left out: what the home page's mastery and the dashboard's rows weigh."""
    return list(
        Topic.objects.live()
        .defer(*TOPIC_NOTE, "toc_html")
        .annotate(total=Count("questions", filter=_LIVE))
        .filter(total__gt=0)
        .order_by("order", "slug")  # Meta.ordering does not apply to a GROUP BY query
    )


def _topics_counted() -> QuerySet[Topic]:
    # Meta.ordering is not applied to a GROUP BY query: without order_by, PostgreSQL returns the
    # topics in whatever order its aggregate plan gives (the home page's first step changed).
    return (
        Topic.objects.live()
        .annotate(
            **{
                name: Count("questions", filter=_LIVE & Q(questions__type__in=types))
                for name, types in _KINDS.items()
            }
        )
        .order_by("order", "slug")
    )


def with_question(queryset: QuerySet, prefix: str = "question") -> QuerySet:
    """Join a question and its topic, leaving out the topic's rendered note in every language
    and its table of contents (kilobytes a row): its title comes in the learner's language.

    `prefix` is the path to the question; an empty one means the queryset is of questions.
    """
    topic = f"{prefix}__topic" if prefix else "topic"
    return queryset.select_related(topic).defer(
        *(f"{topic}__{name}" for name in (*TOPIC_NOTE, "toc_html"))
    )


def topic_for_note(slug: str) -> Topic:
    """A live topic with its note, in the learner's language: the note page."""
    return get_object_or_404(_topics_counted(), slug=slug)


def live_topic(slug: str) -> Topic:
    """A live topic by slug, or a 404."""
    return get_object_or_404(Topic.objects.live(), slug=slug)


def topic_title(prefix: str = ""):
    """A topic's title in the active language, as SQL: read from its translations without the
    rest of that column (every translated note), the English where it has none. `prefix` is the
    path to the topic ("question__topic__")."""
    english = F(f"{prefix}title")
    language = (translation.get_language() or "en").split("-")[0]
    if language == "en":
        return english
    # KeyTransform on the column (KT would take the first name of the path for the JSON field).
    title = KeyTextTransform("title", KeyTransform(language, f"{prefix}translations"))
    return Coalesce(NullIf(title, Value("")), english, output_field=CharField())


def topic_links() -> QuerySet:
    """(slug, title) of the live topics in course order, the title in the learner's language:
    what a link or a choice of topic needs (lazy: a fragment that shows none reads none)."""
    return Topic.objects.live().annotate(shown=topic_title()).values_list("slug", "shown")


def quiz_topic_choices() -> list[tuple[str, str]]:
    """(slug, title) of the topics a practice quiz can draw from (the overview has no questions)."""
    return list(topic_links().exclude(slug="overview"))


def topic_toc(topic_id: int) -> str:
    """A topic's rendered table of contents, for a card whose join left it out."""
    return Topic.objects.filter(pk=topic_id).values_list("toc_html", flat=True).first() or ""


def question_with_topic(pk: int) -> Question:
    """A question (retired ones too: a card on screen may outlive its file), its topic; or 404."""
    return get_object_or_404(with_question(Question.objects, prefix=""), pk=pk)


def numeric_exercises(uids: list[str]) -> dict[str, Question]:
    """The live cost exercises among `uids`, by uid (a note's embedded exercises)."""
    found = Question.objects.live().filter(uid__in=uids, type=Question.Type.NUMERIC)
    return {question.uid: question for question in found}


def live_exercise(uid: str) -> Question:
    """One live cost exercise, or a 404."""
    return get_object_or_404(Question.objects.live(), uid=uid, type=Question.Type.NUMERIC)


def recent_quizzes(user: AbstractBaseUser) -> QuerySet[QuizAttempt]:
    """The learner's last five quizzes, with their items."""
    return QuizAttempt.objects.filter(user=user).prefetch_related("items")[:5]


def own_quiz(user: AbstractBaseUser, pk: int) -> QuizAttempt:
    """Only the learner's own quiz: anyone else's is a 404, not a 403 that confirms it exists."""
    return get_object_or_404(QuizAttempt, pk=pk, user=user)


def quiz_items(attempt: QuizAttempt) -> list[QuizItem]:
    return list(with_question(attempt.items.all()))


def leech_cards(user: AbstractBaseUser) -> QuerySet[Card]:
    return with_question(Card.objects.filter(user=user, is_leech=True))


def own_leech(user: AbstractBaseUser, pk: int) -> Card:
    """One of the learner's own leeches, or a 404."""
    return get_object_or_404(Card, pk=pk, user=user, is_leech=True)


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


def topic_or_none(slug: str) -> Topic | None:
    """A live topic by slug (its note, for the sections a card can be about), or None."""
    return Topic.objects.live().filter(slug=slug).first() if slug else None


def own_cards(user) -> QuerySet[Card]:
    """The learner's own flashcards, newest first, each with its question and its topic's title
    (`topic_title`) and nothing else of the topic: one query however many cards, and no note."""
    return (
        Card.objects.filter(user=user, question__owner=user)
        .select_related("question")
        .annotate(topic_title=topic_title("question__topic__"))
        .order_by("-question__created_at")
    )


def own_card(user, question_id: int) -> Card:
    """One of the learner's own cards by its question's id, with its topic (and the topic's
    note), or a 404 for anyone else's (another learner's or the course's)."""
    if not 0 < question_id < 2**63:  # a foreign key lookup does not range-check as a pk does
        raise Http404("No such card.")
    cards = Card.objects.filter(user=user, question__owner=user).select_related("question__topic")
    return get_object_or_404(cards, question_id=question_id)
