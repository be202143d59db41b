"""Reviews on the device: the day's deck it keeps, and the grades it sends back.

The deck holds the cards due before the learner's next day starts and the day's new cards within
their limits, each with what the device needs to show it and to grade it there: the public view
(`answering.present`), the key as opaque per-card values, rationales and explanation. Keys leave
the server only for those cards: never for a question held by an open team exam (`holds`), nor
for one in a mock exam the learner has open; cost exercises (graded by the pricing engine) stay
online. Each card carries a signed token (learner, question, nonce, when it was sent), so a grade
the device posts back names a card the server sent to that learner, once.

A synced grade goes through `reviews.review_grade` at the moment it was made. One made before a
grade the server already has for that card (the same card graded on two devices) is kept beside
it and the card's state replayed from both in time order (`replay`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from quizzes.course import notes
from quizzes.models import Card, LearnerSettings, Question, ReviewLog
from quizzes.models.course import TOPIC_NOTE

from . import answering, holds, newcards, replay, reviews, scheduler

DECK_SALT = "quizzes.offline.deck"
# A grade made offline may take this long to come back (a week's trip without a network).
TOKEN_MAX_AGE = timedelta(days=7)
# Grades in one sync request at most: a day's limits are far below it.
MAX_GRADES = 500
# Showings of one deck card at most (the first, then again after each Again).
MAX_SHOWINGS = 9
# Cost exercises need the pricing engine to grade, and a short answer's accepted answers would
# be a key in the page before answering: both stay online.
OFFLINE_TYPES = tuple(
    t for t in Question.Type.values if t not in (Question.Type.NUMERIC, Question.Type.SHORT)
)


# --- the deck -----------------------------------------------------------------------------------


def deck_token(*, user: AbstractBaseUser, question_id: int, nonce: str, issued: datetime) -> str:
    return signing.dumps(
        {"u": user.pk, "q": question_id, "n": nonce, "t": issued.timestamp()}, salt=DECK_SALT
    )


@dataclass(frozen=True)
class DeckCard:
    """What a deck card's token says: whose it is, which question, its nonce, when it was sent."""

    user_id: int
    question_id: int
    nonce: str
    issued: datetime


def read_deck_token(token: str) -> DeckCard | None:
    try:
        data = signing.loads(str(token), salt=DECK_SALT, max_age=TOKEN_MAX_AGE)
        return DeckCard(
            int(data["u"]), int(data["q"]), str(data["n"]), datetime.fromtimestamp(data["t"], UTC)
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _exam_open_questions(user: AbstractBaseUser):
    """Questions in a mock exam the learner has open: their keys stay on the server until it is
    submitted (read through the relation's name: studying does not import exams)."""
    return Question.objects.filter(
        exam_items__attempt__user=user, exam_items__attempt__submitted_at__isnull=True
    ).values("id")


def _new_questions(
    user: AbstractBaseUser, hold: holds.Hold, settings: LearnerSettings, count: int, seed: str,
    leave_out,
) -> list[int]:  # fmt: skip
    """The day's new questions, `count` at most, drawn as the review queue draws them
    (`newcards.new_card_pick` across topics and kinds, seeded by learner, day and number)."""
    if count <= 0:
        return []
    unseen = (
        reviews._unseen_questions(user, None, hold)
        .filter(type__in=OFFLINE_TYPES)
        .exclude(pk__in=leave_out)
        .order_by("source_path", "source_line", "pk")
        .values_list("pk", "topic__slug", "type")
    )
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, slug, qtype in unseen:
        groups[(slug, newcards.kind_of(qtype))].append(pk)
    chosen = []
    for number in range(count):
        counts = {key: len(ids) for key, ids in groups.items()}
        pick = newcards.new_card_pick(counts, settings.new_card_weights or {}, f"{seed}:{number}")
        if pick is None:
            break
        slug, kind, position = pick
        chosen.append(groups[(slug, kind)].pop(position))
    return chosen


def _read_more(question: Question) -> str:
    """The note section the card comes from (as the review page links it)."""
    url = reverse("note", args=[question.topic.slug])
    spec = question.spec or {}
    text = " ".join(str(spec.get(k) or "") for k in ("stem", "front", "back", "explanation"))
    toc = question.topic.section_toc_html or ""
    section = notes.section_for(toc, text or question.stem_html, tuple(spec.get("tags") or ()))
    return f"{url}#{section[0]}" if section else url


def _key(question: Question, nonce: str) -> dict:
    """The answer key and feedback, in the card's opaque values: what the device grades with."""
    pub = {c["key"]: answering.public_key(nonce, c["key"]) for c in question.choices}
    choices = {
        pub[c["key"]]: {
            "html": c.get("html", ""),
            "correct": bool(c.get("correct")),
            "rationale_html": c.get("rationale_html", ""),
        }
        for c in question.choices
    }
    if question.type == Question.Type.ORDERING:
        right: object = {str(n): pub[c["key"]] for n, c in enumerate(question.choices, 1)}
    elif question.type == Question.Type.MATCHING:
        right = {
            pub[c["key"]]: pub[c["match"]] for c in question.choices if c.get("role") == "prompt"
        }
    else:
        right = [pub[c["key"]] for c in question.choices if c.get("correct")]
    return {"right": right, "choices": choices}


def _deck_card(
    user: AbstractBaseUser, card: Card | None, question: Question, now: datetime,
    sched: scheduler.Settings,
) -> dict:  # fmt: skip
    nonce = uuid.uuid4().hex
    presented = answering.present(question, nonce)
    state = card.state_tuple() if card is not None else scheduler.CardState.new()
    intervals = scheduler.preview(state, now, sched, card_id=card.pk if card else 0)
    entry = {
        "token": deck_token(user=user, question_id=question.pk, nonce=nonce, issued=now),
        "nonce": nonce,
        "question": question.pk,
        "type": question.type,
        "new": card is None or card.state == Card.State.NEW,
        "due": int(card.due.timestamp() * 1000) if card is not None and card.due else None,
        "front_html": render_to_string(
            "quizzes/_offline_front.html",
            {
                "question": question,
                "presented": presented,
                "read_more": _read_more(question),
                "new": card is None or card.state == Card.State.NEW,
            },
        ),  # fmt: skip
        "back_html": question.back_html,
        "explanation_html": question.explanation_html,
        "references": list(question.references or []),
        "choose": question.choose,
        "buttons": [
            {
                "rating": r,
                "label": str(label),
                # In words on the device (static/js/intervals.js), in the page's language.
                "seconds": intervals[r].total_seconds(),
            }
            for r, label in reviews.RATING_LABELS.items()
        ],
    }
    if question.type != Question.Type.FLASHCARD:
        entry.update(_key(question, nonce))
    return entry


def deck_build(*, user: AbstractBaseUser, now: datetime) -> dict:
    """The learner's deck for today: due cards (least retrievable first), then new cards, within
    the day's limits; held questions and those in an open mock exam left out."""
    settings = reviews.learner_settings(user)
    sched = settings.scheduler_settings()
    tomorrow = scheduler.next_day_start(now, sched)
    hold = holds.practice_hold(user=user, now=now)
    queue = reviews.review_queue(user=user, settings=settings, now=now)
    in_exam = _exam_open_questions(user)
    due = (
        hold.exclude(reviews._live_cards(user, None), "question__")
        .filter(due__lt=tomorrow, question__type__in=OFFLINE_TYPES)
        .exclude(state=Card.State.NEW)
        .exclude(question_id__in=in_exam)
        .select_related("question__topic")
        # The English table of contents comes (a card's "Read more"), not the notes.
        .defer(*(f"question__topic__{name}" for name in TOPIC_NOTE))
    )
    due_cards = sorted(
        due,
        key=lambda c: (
            c.due > now,  # learning steps due later today after the cards due now
            scheduler.retrievability(c.state_tuple(), now, sched.parameters),
            c.due,
        ),
    )[: queue.due_today]
    day = scheduler.local_day(now, sched)
    new_ids = _new_questions(user, hold, settings, queue.new_left, f"{user.pk}:{day}", in_exam)
    # A new card the review page shows now comes first, so the page and the deck agree.
    shown = queue.card
    if shown is not None and shown.state == Card.State.NEW and shown.question.type in OFFLINE_TYPES:
        others = [pk for pk in new_ids if pk != shown.question_id]
        new_ids = [shown.question_id, *others][: max(queue.new_left, 1)]
    questions = (
        Question.objects.select_related("topic")
        .defer(*(f"topic__{name}" for name in TOPIC_NOTE))
        .in_bulk(new_ids)
    )
    started = {
        c.question_id: c
        for c in Card.objects.filter(user=user, question_id__in=new_ids, state=Card.State.NEW)
    }
    cards = [_deck_card(user, c, c.question, now, sched) for c in due_cards]
    cards += [
        _deck_card(user, started.get(pk), questions[pk], now, sched)
        for pk in new_ids
        if pk in questions
    ]
    return {
        "version": 1,
        "user": user.pk,
        "day": day.isoformat(),
        "issued": int(now.timestamp() * 1000),
        "expires": int(tomorrow.timestamp() * 1000),
        "reviewed_today": queue.reviewed_today,
        "cards": cards,
    }


# --- the grades coming back ---------------------------------------------------------------------


@dataclass
class SyncResult:
    """What became of each posted grade, by nonce: the device forgets all three kinds."""

    applied: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"applied": self.applied, "duplicates": self.duplicates, "rejected": self.rejected}


@dataclass(frozen=True)
class Grade:
    """One grade as the device recorded it, checked against the token the server signed."""

    card: DeckCard
    rating: int
    at: datetime
    duration_ms: int | None
    nonce: str  # the card's nonce; "<nonce>-<n>" for its n-th showing (shown again after Again)


class GradeError(ValueError):
    """A posted grade the server cannot take (the message says why)."""


def _as_grade(user: AbstractBaseUser, raw: object, now: datetime) -> Grade:
    if not isinstance(raw, dict):
        raise GradeError("not a grade")
    card = read_deck_token(raw.get("token", ""))
    if card is None:
        raise GradeError("this card's token is not valid or has expired")
    nonce = raw.get("nonce")
    if card.user_id != user.pk or not _showing_of(card.nonce, nonce):
        raise GradeError("this card was not sent to you")
    rating = raw.get("rating")
    if (
        not isinstance(rating, int)
        or isinstance(rating, bool)
        or rating not in reviews.RATING_LABELS
    ):
        raise GradeError("the rating must be 1 to 4")
    moment = raw.get("reviewed_at")
    if not isinstance(moment, int | float) or isinstance(moment, bool) or moment != moment:
        raise GradeError("the review time is missing")
    try:
        at = datetime.fromtimestamp(moment / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise GradeError("the review time is not a date") from None
    # A device clock may be off: a grade lands between the deck's sending and its arrival.
    at = min(max(at, card.issued), now)
    duration = raw.get("duration_ms")
    if not isinstance(duration, int) or isinstance(duration, bool) or not 0 <= duration < 2**31:
        duration = None
    return Grade(card, rating, at, duration, nonce)


def _showing_of(card_nonce: str, nonce: object) -> bool:
    """The card's own nonce, or that nonce with the number of a later showing (2 to MAX_SHOWINGS):
    the device shows a card again after Again, as the review page does with a learning step."""
    if not isinstance(nonce, str):
        return False
    if nonce == card_nonce:
        return True
    head, _, number = nonce.rpartition("-")
    return head == card_nonce and number.isdigit() and 2 <= int(number) <= MAX_SHOWINGS


def grades_sync(*, user: AbstractBaseUser, grades: list, now: datetime) -> SyncResult:
    """Apply posted grades in the order they were made, each at its own moment, once per nonce."""
    result = SyncResult()
    checked: list[tuple[Grade, str]] = []
    for raw in grades[:MAX_GRADES]:
        nonce = str(raw.get("nonce", "")) if isinstance(raw, dict) else ""
        try:
            checked.append((_as_grade(user, raw, now), nonce))
        except GradeError as error:
            result.rejected.append({"nonce": nonce, "reason": str(error)})
    checked.sort(key=lambda pair: pair[0].at)
    settings = reviews.learner_settings(user)
    known = set(
        ReviewLog.objects.filter(user=user, token__in=[n for _, n in checked]).values_list(
            "token", flat=True
        )
    )
    for grade, nonce in checked:
        if nonce in known:
            result.duplicates.append(nonce)
            continue
        try:
            grade_apply(user=user, grade=grade, settings=settings)
        except Question.DoesNotExist:
            result.rejected.append({"nonce": nonce, "reason": "this question left the course"})
            continue
        known.add(nonce)
        result.applied.append(nonce)
    return result


def grade_apply(*, user: AbstractBaseUser, grade: Grade, settings: LearnerSettings) -> ReviewLog:
    """One grade at its own moment: after the card's last review, through `review_grade`;
    before it, kept in time order and the card replayed (`replay_from`)."""
    question_id = grade.card.question_id
    last = (
        Card.objects.filter(user=user, question_id=question_id)
        .values_list("last_review", flat=True)
        .first()
    )
    if last is not None and last > grade.at:
        with transaction.atomic():
            late = _insert_late(user=user, grade=grade, settings=settings)
        if late is not None:
            return late
    return reviews.review_grade(
        user=user, question_id=question_id, rating=grade.rating, nonce=grade.nonce,
        now=grade.at, settings=settings, duration_ms=grade.duration_ms,
    )  # fmt: skip


def _state(data: dict) -> scheduler.CardState:
    values = {name: data.get(name) for name in scheduler.CardState.__dataclass_fields__}
    for name in ("due", "last_review"):
        if values[name]:
            values[name] = datetime.fromisoformat(values[name])
    return scheduler.CardState(**values)


def _as_json(state: scheduler.CardState, is_leech: bool, suspended: bool) -> dict:
    data = {name: getattr(state, name) for name in scheduler.CardState.__dataclass_fields__}
    for name in ("due", "last_review"):
        data[name] = data[name].isoformat() if data[name] else None
    return data | {"is_leech": is_leech, "suspended": suspended}


def _insert_late(
    *, user: AbstractBaseUser, grade: Grade, settings: LearnerSettings
) -> ReviewLog | None:
    """A grade made before the card's last review: a log of its own, and every log from there on
    replayed in time order from the card as it was before the first of them. None when no log
    after it is left to replay from (an undone review): the caller grades it in order."""
    card = Card.objects.select_for_update().get(user=user, question_id=grade.card.question_id)
    later = list(
        ReviewLog.objects.filter(card=card, reviewed_at__gt=grade.at).order_by("reviewed_at", "pk")
    )
    if not later:
        return None
    start = later[0].card_before
    try:
        with transaction.atomic():
            log = ReviewLog.objects.create(
                card=card, user=user, rating=grade.rating, reviewed_at=grade.at,
                duration_ms=grade.duration_ms, state_before=0, interval_days=0, card_before={},
                source=ReviewLog.Source.REVIEW, token=grade.nonce,
            )  # fmt: skip
    except IntegrityError:
        return ReviewLog.objects.get(user=user, token=grade.nonce)
    steps = [replay.Step(log.rating, log.reviewed_at, log)]
    steps += [replay.Step(other.rating, other.reviewed_at, other) for other in later]
    is_leech, suspended = bool(start.get("is_leech")), bool(start.get("suspended"))
    done = replay.replay(_state(start), steps, settings.scheduler_settings(), card_id=card.pk)
    for step in done:
        row: ReviewLog = step.step.ref  # type: ignore[assignment]
        before = step.before
        row.state_before = before.state
        row.card_before = _as_json(before, is_leech, suspended)
        row.interval_before_days = (
            (before.due - before.last_review).total_seconds() / 86400
            if before.due and before.last_review
            else 0.0
        )
        row.interval_days = step.outcome.interval.total_seconds() / 86400
        if step.outcome.leech:
            is_leech = suspended = True
    ReviewLog.objects.bulk_update(
        [step.step.ref for step in done],
        ["state_before", "card_before", "interval_before_days", "interval_days"],
    )
    card.apply(done[-1].outcome.card)
    card.is_leech, card.suspended = is_leech, suspended
    card.save(update_fields=reviews._CARD_FIELDS)
    return log
