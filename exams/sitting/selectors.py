"""Reads for sitting an exam: the exams page, the attempt on screen, and the home page's banner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from exams.models import GRACE, Blueprint, ExamAttempt, ExamItem, TeamExam
from quizzes.models import Card, Question, Topic
from quizzes.selectors import with_question


def open_attempt(*, user: AbstractBaseUser, now: datetime) -> ExamAttempt | None:
    """The learner's exam in progress with time left (the one ending soonest), or None."""
    return (
        ExamAttempt.objects.filter(user=user, submitted_at__isnull=True, deadline__gt=now - GRACE)
        .select_related("blueprint")
        .order_by("deadline")
        .first()
    )


def seconds_left(attempt: ExamAttempt, now: datetime) -> int:
    return max(int((attempt.deadline - now).total_seconds()), 0)


def attempts_of(user: AbstractBaseUser) -> QuerySet[ExamAttempt]:
    """The learner's attempts with their blueprint and team, newest first (the model's order)."""
    return ExamAttempt.objects.filter(user=user).select_related("blueprint", "team_exam__team")


def exam_list_for(*, user: AbstractBaseUser, now: datetime) -> dict[str, object]:
    """The exams page: the live blueprints, the learner's last attempts, their teams' exams."""
    team_exams = (
        TeamExam.objects.filter(team__memberships__user=user, closes_at__gte=now)
        .select_related("team", "blueprint")
        .order_by("opens_at")
    )
    return {
        "blueprints": Blueprint.objects.filter(retired_at__isnull=True),
        "attempts": attempts_of(user)[:20],
        "team_exams": team_exams,
    }


def live_blueprint(slug: str) -> Blueprint:
    """A blueprint anyone may sit alone, or a 404."""
    return get_object_or_404(Blueprint, slug=slug, retired_at__isnull=True)


def team_exam_for_member(*, user: AbstractBaseUser, pk: int) -> TeamExam:
    """A scheduled exam of one of the learner's teams, or a 404."""
    return get_object_or_404(
        TeamExam.objects.select_related("blueprint", "team"),
        pk=pk,
        team__memberships__user=user,
    )


def own_attempt(*, user: AbstractBaseUser, pk: int) -> ExamAttempt:
    """The candidate's own attempt; anyone else's is a 404."""
    return get_object_or_404(ExamAttempt.objects.select_related("blueprint"), pk=pk, user=user)


NAVIGATOR_FIELDS = (
    "id", "attempt_id", "question_id", "position", "seed", "choice_order", "selected",
    "flagged", "saved_at",
)  # fmt: skip


def navigator_items(attempt: ExamAttempt) -> list[ExamItem]:
    """What the navigator grid needs of every item: not 65 questions with their choices."""
    return list(attempt.items.only(*NAVIGATOR_FIELDS))


def page_question(question_id: int) -> Question:
    """The question on screen, with its topic (not the topic's rendered note)."""
    return with_question(Question.objects, prefix="").get(pk=question_id)


def stems(question_ids: list[int]) -> dict[int, str]:
    """Each question's rendered stem, for the review-before-submit list."""
    rows = Question.objects.filter(pk__in=question_ids).values_list("pk", "stem_html")
    return dict(rows)


def submitted_item(attempt: ExamAttempt, position: int) -> ExamItem:
    """One item of an attempt, with its question, or a 404."""
    return get_object_or_404(attempt.items.select_related("question"), position=position)


def item_count(attempt_id: int) -> int:
    """How many questions the attempt has (a no-script save's next or previous stays inside)."""
    return ExamItem.objects.filter(attempt_id=attempt_id).count()


RESULT_FIELDS = (
    "id", "attempt_id", "position", "seed", "choice_order", "scored", "selected", "flagged",
    "correct", "question__id", "question__topic__id", "question__topic__slug",
    "question__topic__title", "question__topic__order",
    # The topic's title in the learner's language (a few hundred bytes; the note is elsewhere).
    "question__topic__translations",
)  # fmt: skip


def result_items(attempt: ExamAttempt) -> list[ExamItem]:
    """Every item with what the score, filters and topics need: no question text or choices."""
    return list(attempt.items.select_related("question__topic").only(*RESULT_FIELDS))


@dataclass(frozen=True)
class ReviewReads:
    """What a results page shows of its page of questions, read in three queries."""

    questions: dict[int, Question]  # with topic and tags
    cards: dict[int, Card]  # the learner's own review cards, by question
    tocs: dict[int, str]  # each topic's rendered table of contents, by topic id


def review_reads(*, user: AbstractBaseUser, question_ids: list[int]) -> ReviewReads:
    questions = with_question(Question.objects, prefix="").prefetch_related("tags")
    found = questions.in_bulk(question_ids)
    cards = Card.objects.filter(user=user, question_id__in=question_ids)
    topic_ids = {question.topic_id for question in found.values()}
    tocs = Topic.objects.filter(pk__in=topic_ids).values_list("pk", "toc_html")
    return ReviewReads(found, {card.question_id: card for card in cards}, dict(tocs))
