"""Reviews: which card comes next, grading it (once, whatever the network does) and undo.

Every function here runs a fixed number of queries whatever the size of the deck: the queue looks
at a bounded window of due cards, and a grade touches one card and one log row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from quizzes.models import Card, LearnerSettings, Question, ReviewLog
from quizzes.models.study import SCHEDULE_FIELDS
from quizzes.selectors import with_question

from . import holds, readiness, scheduler

# Learning steps due within this window are shown now rather than making the learner wait (Anki's
# "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)
# How many due cards the queue ranks by retrievability to choose the next one.
DUE_WINDOW = 200
# Answered within this many seconds and right: Easy rather than Good.
FAST_SECONDS = 10
TOKEN_SALT = "quizzes.review"
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_LABELS = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


def learner_settings(user: AbstractBaseUser) -> LearnerSettings:
    settings, _ = LearnerSettings.objects.get_or_create(user=user)
    return settings


@dataclass
class Queue:
    """What is left today and the card to show next (None when done)."""

    card: Card | None
    due_today: int
    new_left: int
    reviewed_today: int
    next_due: datetime | None = None

    @property
    def left(self) -> int:
        return self.due_today + self.new_left

    @property
    def progress_percent(self) -> int:
        total = self.reviewed_today + self.left
        return round(100 * self.reviewed_today / total) if total else 100


def _live_cards(user: AbstractBaseUser, topic: str | None) -> QuerySet[Card]:
    cards = Card.objects.filter(user=user, suspended=False, question__retired_at__isnull=True)
    return cards.filter(question__topic__slug=topic) if topic else cards


def _live_questions(topic: str | None) -> QuerySet[Question]:
    questions = Question.objects.live()
    return questions.filter(topic__slug=topic) if topic else questions


def review_queue(
    *, user: AbstractBaseUser, settings: LearnerSettings, now: datetime, topic: str | None = None
) -> Queue:
    """Due cards first (the least likely to be remembered first), then new ones up to the limit."""
    sched = settings.scheduler_settings()
    day_start = scheduler.day_start(now, sched)
    tomorrow = scheduler.next_day_start(now, sched)
    today = ReviewLog.objects.filter(
        user=user, reviewed_at__gte=day_start, source=ReviewLog.Source.REVIEW
    )
    counts = today.aggregate(
        reviewed=Count("id"),
        new=Count("id", filter=Q(state_before=Card.State.NEW)),
    )
    hold = holds.practice_hold(user=user, now=now)
    cards = hold.exclude(_live_cards(user, topic), "question__")
    learning = [Card.State.LEARNING, Card.State.RELEARNING]
    due_now = Q(state=Card.State.REVIEW, due__lt=tomorrow) | Q(state__in=learning, due__lte=now)
    reviews_left = max(settings.max_reviews_per_day - (counts["reviewed"] - counts["new"]), 0)
    # Only the scheduling columns, as plain tuples: building 200 models to show one card is waste.
    window = list(
        cards.filter(due_now)
        .order_by("due")
        .values_list("id", *SCHEDULE_FIELDS)[: min(DUE_WINDOW, reviews_left)]
    )
    # Every scheduled card due before tomorrow (new cards have no due date).
    due_count = min(cards.filter(due__lt=tomorrow).count(), reviews_left)
    new_left = max(settings.new_per_day - counts["new"], 0)

    # The least likely to be remembered first; then new cards; then learning steps due within the
    # learn-ahead limit, as Anki does when nothing else is left.
    lowest = min(
        window,
        key=lambda row: scheduler.retrievability(scheduler.CardState(*row[1:]), now),
        default=None,
    )
    card = with_question(Card.objects.filter(pk=lowest[0])).get() if lowest else None
    new_available = 0
    if new_left:
        unseen = hold.exclude(_new_questions(user, topic))
        groups = _unseen_groups(unseen)
        new_available = min(new_left, sum(groups.values()))
        if card is None and new_available:
            seed = f"{user.pk}:{scheduler.local_day(now, sched)}:{counts['new']}"
            card = _new_card(user, unseen, groups, settings.new_card_weights or {}, seed)
    if card is None:
        card = (
            with_question(cards.filter(state__in=learning, due__lte=now + LEARN_AHEAD))
            .order_by("due")
            .first()
        )
    queue = Queue(
        card=card, due_today=due_count, new_left=new_available, reviewed_today=counts["reviewed"]
    )
    if card is None:
        queue.next_due = (
            cards.filter(due__isnull=False).order_by("due").values_list("due", flat=True).first()
        )
    return queue


def _new_questions(user: AbstractBaseUser, topic: str | None) -> QuerySet[Question]:
    """Questions the learner has no scheduled card for yet."""
    started = Card.objects.filter(user=user).exclude(state=Card.State.NEW).values("question_id")
    suspended = Card.objects.filter(user=user, suspended=True).values("question_id")
    return (
        _live_questions(topic)
        .exclude(pk__in=started)
        .exclude(pk__in=suspended)
        .order_by("topic__order", "source_path", "source_line")
    )


def _unseen_groups(unseen: QuerySet[Question]) -> dict[tuple[str, str], int]:
    """How many unseen questions each (topic, kind) holds: one grouped query."""
    groups: dict[tuple[str, str], int] = {}
    for slug, kind, count in (
        unseen.order_by().values_list("topic__slug", "type").annotate(n=Count("id"))
    ):
        key = (slug, readiness.kind_of(kind))
        groups[key] = groups.get(key, 0) + count
    return groups


def _new_card(
    user: AbstractBaseUser,
    unseen: QuerySet[Question],
    groups: dict[tuple[str, str], int],
    weights: dict[str, float],
    seed: str,
) -> Card | None:
    """A new card drawn across topics and kinds (readiness.new_card_pick), same for the same
    learner, day and number of cards introduced: a reload shows the same card."""
    pick = readiness.new_card_pick(groups, weights, seed)
    if pick is None:
        return None
    topic, kind, position = pick
    chosen = unseen.filter(topic__slug=topic)
    if kind == readiness.FLASHCARDS:
        chosen = chosen.filter(type=Question.Type.FLASHCARD)
    else:
        chosen = chosen.exclude(type=Question.Type.FLASHCARD)
    question = (
        with_question(chosen, prefix="")
        .order_by("source_path", "source_line", "pk")[position : position + 1]
        .first()
    )
    if question is None:
        return None
    card, _ = Card.objects.get_or_create(user=user, question=question)
    card.question = question
    return card


def card_token(card: Card, now: datetime) -> str:
    """A signed token for one showing of a card: it makes grading idempotent and times it."""
    return signing.dumps(
        {"n": uuid.uuid4().hex, "q": card.question_id, "t": now.timestamp()}, salt=TOKEN_SALT
    )


@dataclass(frozen=True)
class Showing:
    token: str
    nonce: str
    question_id: int
    shown_at: float


def read_token(token: str) -> Showing | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=timedelta(days=2))
    except signing.BadSignature:
        return None
    return Showing(token=token, nonce=data["n"], question_id=data["q"], shown_at=data["t"])


def derived_rating(*, correct: bool, seconds: float) -> int:
    """Wrong is Again; right is Good, or Easy when answered fast."""
    if not correct:
        return AGAIN
    return EASY if seconds < FAST_SECONDS else GOOD


def review_grade(
    *, user: AbstractBaseUser, question: Question, rating: int, nonce: str, now: datetime,
    settings: LearnerSettings, duration_ms: int | None = None,
    source: str = ReviewLog.Source.REVIEW,
) -> ReviewLog:  # fmt: skip
    """Apply one rating once per nonce: a resent request finds its log and changes nothing."""
    if rating not in RATING_LABELS:
        raise ValueError(f"rating must be 1 to 4, got {rating!r}")
    try:
        with transaction.atomic():
            existing = ReviewLog.objects.filter(user=user, token=nonce).first()
            if existing is not None:
                return existing
            card, _ = Card.objects.select_for_update().get_or_create(user=user, question=question)
            before = card.state_tuple()
            outcome = scheduler.review(
                before, rating, now, settings.scheduler_settings(), card_id=card.pk
            )
            interval_before = (
                (before.due - before.last_review).total_seconds() / 86400
                if before.due and before.last_review
                else 0.0
            )
            log = ReviewLog.objects.create(
                card=card, user=user, rating=rating, reviewed_at=now, duration_ms=duration_ms,
                state_before=before.state, interval_before_days=interval_before,
                interval_days=outcome.interval.total_seconds() / 86400,
                card_before=_card_json(card), source=source, token=nonce,
            )  # fmt: skip
            card.apply(outcome.card)
            if outcome.leech:
                card.is_leech = True
                card.suspended = True
            card.save()
            return log
    except IntegrityError:
        # The same nonce raced in on another request: that one counted.
        return ReviewLog.objects.get(user=user, token=nonce)


_CARD_FIELDS = (*SCHEDULE_FIELDS, "is_leech", "suspended")


def _card_json(card: Card) -> dict:
    data = {name: getattr(card, name) for name in _CARD_FIELDS}
    for name in ("due", "last_review"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def review_undo(*, user: AbstractBaseUser) -> Card | None:
    """Put back the card of the learner's last review as it was, and forget that review."""
    with transaction.atomic():
        log = (
            ReviewLog.objects.select_for_update(of=("self", "card"))
            .filter(user=user, source=ReviewLog.Source.REVIEW)
            .select_related("card__question__topic")
            .order_by("-reviewed_at", "-pk")
            .first()
        )
        if log is None:
            return None
        card = log.card
        for name, value in log.card_before.items():
            if name in ("due", "last_review") and value:
                value = datetime.fromisoformat(value)
            setattr(card, name, value)
        card.save()
        log.delete()
        return card


def leech_reset(*, card: Card) -> None:
    """Start a leech over as a new card (its history stays in the logs)."""
    card.apply(scheduler.CardState.new())
    card.is_leech = False
    card.suspended = False
    card.save()


def leech_unsuspend(*, card: Card) -> None:
    """Keep the schedule, give the card another chance (it stays flagged as a leech)."""
    card.suspended = False
    card.save(update_fields=["suspended"])
