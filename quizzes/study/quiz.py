"""Practice quizzes: draw questions by filters, answer one at a time, feed the learner's cards."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quizzes import i18n
from quizzes.models import Card, Question, QuizAttempt, QuizItem

from . import answering, holds, reviews
from .scores import TopicScore, topic_scores

QUIZ_TYPES = (
    Question.Type.SINGLE,
    Question.Type.MULTIPLE,
    Question.Type.TRUE_FALSE,
    Question.Type.NUMERIC,
    Question.Type.ORDERING,
    Question.Type.MATCHING,
    Question.Type.SHORT,
)


class NoQuestions(ValueError):
    """The filters match no question: the form says so and keeps the choices."""


@dataclass(frozen=True)
class Filters:
    topics: tuple[str, ...] = ()
    exam: str = ""
    difficulty: str = ""
    mode: str = "all"  # all | wrong | unseen
    count: int = 10

    def as_dict(self) -> dict:
        return {"topics": list(self.topics), "exam": self.exam, "difficulty": self.difficulty,
                "mode": self.mode, "count": self.count}  # fmt: skip


def _candidates(user: AbstractBaseUser, filters: Filters) -> QuerySet[Question]:
    questions = Question.objects.live().filter(type__in=QUIZ_TYPES)
    if filters.topics:
        questions = questions.filter(topic__slug__in=filters.topics)
    if filters.exam:
        questions = questions.filter(tags__name=filters.exam)
    if filters.difficulty:
        questions = questions.filter(difficulty=filters.difficulty)
    if filters.mode == "wrong":
        questions = questions.filter(pk__in=_missed_question_ids(user))
    elif filters.mode == "unseen":
        questions = questions.exclude(
            pk__in=Card.objects.filter(user=user)
            .exclude(state=Card.State.NEW)
            .values("question_id")
        ).exclude(pk__in=QuizItem.objects.filter(attempt__user=user).values("question_id"))
    return questions.distinct()


def _missed_question_ids(user: AbstractBaseUser) -> set[int]:
    """Questions whose latest quiz answer was wrong, or whose card has lapsed."""
    latest: dict[int, bool] = {}
    answered = QuizItem.objects.filter(attempt__user=user, answered_at__isnull=False)
    for question_id, correct in answered.order_by("answered_at").values_list(
        "question_id", "correct"
    ):
        latest[question_id] = correct
    lapsed = Card.objects.filter(user=user, lapses__gt=0).values_list("question_id", flat=True)
    return {pk for pk, correct in latest.items() if correct is False} | set(lapsed)


def quiz_start(
    *, user: AbstractBaseUser, filters: Filters, rng: random.Random | None = None
) -> QuizAttempt:
    """Draw up to `count` matching questions at random; each keeps its choice order and seed."""
    hold = holds.practice_hold(user=user, now=timezone.now())
    ids = list(hold.exclude(_candidates(user, filters)).values_list("pk", flat=True))
    if not ids and hold.until:
        raise NoQuestions(
            _(
                "No question matches these choices while your team's exam holds its questions "
                "(until %(time)s on %(day)s UTC). Widen the topics or the filters."
            )
            % {
                "time": date_format(hold.until, "H:i"),
                "day": date_format(hold.until, "MONTH_DAY_FORMAT"),
            }
        )
    if not ids:
        raise NoQuestions(_("No question matches these choices. Widen the topics or the filters."))
    rng = rng or random.Random()
    chosen = rng.sample(ids, min(filters.count, len(ids)))
    questions = Question.objects.in_bulk(chosen)
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(user=user, filters=filters.as_dict())
        items = []
        for position, pk in enumerate(chosen, start=1):
            seed = secrets.token_hex(8)
            items.append(
                QuizItem(
                    attempt=attempt,
                    question_id=pk,
                    position=position,
                    seed=seed,
                    choice_order=answering.choice_order(questions[pk], seed),
                )  # fmt: skip
            )
        QuizItem.objects.bulk_create(items)
    return attempt


def item_shown(*, item: QuizItem, now: datetime) -> None:
    """Note when a question was first shown, so its answer's duration can be measured."""
    if item.shown_at is None:
        item.shown_at = now
        item.save(update_fields=["shown_at"])


def quiz_answer(
    *, item: QuizItem, selected: list[str], typed: str, now: datetime
) -> answering.Feedback:
    """Grade once; a second post of the same item shows the first result and changes nothing."""
    question = item.question
    if item.answered_at is not None:
        return answering.grade(question, item.seed, item.answer.get("selected", []),
                               item.answer.get("typed", ""), order=item.choice_order,
                               language=item.answer.get("language"))  # fmt: skip
    feedback = answering.grade(question, item.seed, selected, typed, order=item.choice_order)
    answer = {"selected": selected, "typed": typed.strip()}
    if typed.strip():  # a typed number is read as its language writes it ("2,47" in Spanish)
        answer["language"] = i18n.language()
    with transaction.atomic():
        updated = QuizItem.objects.filter(pk=item.pk, answered_at__isnull=True).update(
            answer=answer,
            correct=feedback.correct,
            answered_at=now,
            duration_ms=int((now - item.shown_at).total_seconds() * 1000)
            if item.shown_at
            else None,
        )
        if updated:
            _feed_card(item, feedback.correct, now)
            if not item.attempt.items.filter(answered_at__isnull=True).exists():
                QuizAttempt.objects.filter(pk=item.attempt_id).update(finished_at=now)
    return feedback


def _feed_card(item: QuizItem, correct: bool, now: datetime) -> None:
    """A wrong answer makes the card due again soon; a right one counts only if the card was due."""
    user = item.attempt.user
    card = Card.objects.filter(user=user, question=item.question).first()
    if (
        correct
        and card is not None
        and card.state != Card.State.NEW
        and card.due
        and card.due > now
    ):
        return
    reviews.review_grade(
        user=user, question=item.question, rating=reviews.GOOD if correct else reviews.AGAIN,
        nonce=f"quiz-{item.pk}", now=now, settings=reviews.learner_settings(user),
        source="quiz",
    )  # fmt: skip


@dataclass
class Summary:
    right: int
    total: int
    topics: list[TopicScore] = field(default_factory=list)
    missed: list[QuizItem] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def quiz_summary(items: list[QuizItem]) -> Summary:
    return Summary(
        right=sum(bool(item.correct) for item in items),
        total=len(items),
        topics=topic_scores(items),
        missed=[item for item in items if item.correct is False],
    )
