"""Reviews: which card comes next, grading it (once, whatever the network does) and undo.

Every function here runs a fixed number of queries whatever the size of the deck: the queue ranks
the due cards in one query (with today's counts), and a grade touches one card and one log row.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.formats import get_format
from django.utils.translation import npgettext, pgettext_lazy

from quizzes.models import Card, LearnerSettings, Question, ReviewLog, Topic
from quizzes.models.course import TOPIC_NOTE
from quizzes.models.study import SCHEDULE_FIELDS
from quizzes.selectors import with_question

from . import holds, newcards, scheduler

# Learning steps due within this window are shown now rather than making the learner wait (Anki's
# "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)
# The number of new questions left is cached this long at most (a course loaded mid-day shows
# in the count within this time; the card shown next is always read from the database).
NEW_COUNT_TTL = 600
# Answered within this many seconds and right: Easy rather than Good.
FAST_SECONDS = 10
TOKEN_SALT = "quizzes.review"
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_LABELS = {
    AGAIN: pgettext_lazy("review grade", "Again"),
    HARD: pgettext_lazy("review grade", "Hard"),
    GOOD: pgettext_lazy("review grade", "Good"),
    EASY: pgettext_lazy("review grade", "Easy"),
}


# How an answer button says its interval, in the active language: "10m", "3d", "1.5mo" in English,
# "10 min", "3 d", "1,5 meses" in Spanish (as Anki's Spanish buttons). static/js/intervals.js says
# the same with the same strings (djangojs catalogue) for the reviews on the device.
def interval_text(delta: timedelta) -> str:
    """An answer button's interval in words of the active language ("3d"; "3 d" in Spanish)."""
    label = scheduler.interval_label(delta)
    whole, tenth = divmod(label.tenths, 10)
    number = f"{whole}{get_format('DECIMAL_SEPARATOR')}{tenth}" if tenth else str(whole)
    n = whole + (1 if tenth else 0)  # a decimal reads as a plural: "1,5 meses"
    if label.tenths == 0:
        number, n = "<1", 1  # under a minute: "<1m", "<1 min"
    if label.unit == "minute":
        text = npgettext("interval on an answer button", "%(n)sm", "%(n)sm", n)
    elif label.unit == "hour":
        text = npgettext("interval on an answer button", "%(n)sh", "%(n)sh", n)
    elif label.unit == "day":
        text = npgettext("interval on an answer button", "%(n)sd", "%(n)sd", n)
    elif label.unit == "month":
        text = npgettext("interval on an answer button", "%(n)smo", "%(n)smo", n)
    else:
        text = npgettext("interval on an answer button", "%(n)sy", "%(n)sy", n)
    return text % {"n": number}


def learner_settings(user: AbstractBaseUser) -> LearnerSettings:
    """The learner's settings: already loaded with the user by `StudyBackend`, or made now."""
    try:
        settings = user.study_settings  # joined to the user by the authentication backend
    except LearnerSettings.DoesNotExist:
        settings = None
    if settings is None:
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
    reviews_left: int = 0  # what "maximum reviews per day" still allows today

    @property
    def left(self) -> int:
        return self.due_today + self.new_left

    @property
    def progress_percent(self) -> int:
        total = self.reviewed_today + self.left
        return round(100 * self.reviewed_today / total) if total else 100


@dataclass(frozen=True)
class _Today:
    """Today's reviews: all, the new cards among them, and cards started anywhere (quiz, exam)."""

    reviewed: int
    new: int
    started: int


def _live_cards(user: AbstractBaseUser, topic: str | None) -> QuerySet[Card]:
    """Cards of live questions, tested against a list of question ids rather than a join: a join
    reads each card's question row, kilobytes of rendered HTML, only to look at `retired_at`."""
    cards = Card.objects.filter(user=user, suspended=False)
    if topic:
        live = Question.objects.live().filter(topic__slug=topic)
        return cards.filter(question_id__in=live.values("id"))
    retired = Question.objects.filter(retired_at__isnull=False)
    return cards.exclude(question_id__in=retired.values("id"))


def _live_questions(topic: str | None) -> QuerySet[Question]:
    questions = Question.objects.live()
    return questions.filter(topic__slug=topic) if topic else questions


def _columns(model, leave_out: tuple[str, ...] = ()) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in leave_out]


def _from_row(model, fields: list, values: tuple):
    """A model instance from raw column values, converted as the ORM converts them."""
    converted = []
    for field, value in zip(fields, values, strict=True):
        expression = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        ):
            value = convert(value, expression, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def _whole_days_since(column: str) -> str:
    """SQL for whole days from a column to the `now` parameter, as py-fsrs counts them."""
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM (%(now)s - {column})) / 86400)"
    if connection.vendor == "sqlite":  # datetimes are ISO text in UTC
        return f"CAST(julianday(%(now)s) - julianday({column}) AS INTEGER)"
    raise NotImplementedError(f"no whole-days expression for {connection.vendor}")


def _named(sql: str, params: tuple | list, prefix: str) -> tuple[str, dict]:
    """A compiled ORM query's `%s` placeholders as named ones, to embed it in a named-style
    statement (an escaped `%%` is left as it is)."""
    names: dict[str, object] = {}
    values = iter(params)

    def name(match: re.Match) -> str:
        if match.group() == "%%":
            return "%%"
        key = f"{prefix}{len(names)}"
        names[key] = next(values)
        return f"%({key})s"

    return re.sub(r"%%|%s", name, sql), names


@dataclass
class _Head:
    """The queue's head: the least retrievable live card due before tomorrow (None: none), how
    many are due, and today's counts."""

    card: Card | None
    due_total: int
    today: _Today


def _queue_head(
    user: AbstractBaseUser, topic: str | None, now: datetime, tomorrow: datetime,
    day_start: datetime, hold: holds.Hold,
) -> _Head:  # fmt: skip
    """One statement, one row: the least retrievable card due now, with how many are due before
    tomorrow, today's counts and when each team-exam hold ends.

    Every live card due before tomorrow is ranked in SQL, from the `card_due_window` index alone;
    retrievability falls as whole days elapsed / stability rises (the FSRS forgetting curve), so
    that ratio orders cards exactly as `scheduler.retrievability` does. Learning steps due later
    today rank after every card due now, the soonest first (the learn-ahead candidate). The chosen
    card's question and topic come in the same statement, left-joined so the counts come even
    when no card is due. Questions held for a team exam are left out of the ranking and the count
    by each hold rule's own subqueries, guarded by the rule's end: the held set is only computed
    while the hold is on, and the ends are read back (`hold.learned`) so no other query asks.

    Written in SQL rather than with the ORM: building this query with expressions cost more
    Python than the database takes to run it, on every grade.
    """
    card_fields = _columns(Card)
    question_fields = _columns(Question)
    # The (English) table of contents comes too: the card's "Read more" link points into it.
    topic_fields = _columns(Topic, leave_out=TOPIC_NOTE)
    ops = connection.ops
    select = ", ".join(
        [f"c.{ops.quote_name(f.column)}" for f in card_fields]
        + [f"q.{ops.quote_name(f.column)}" for f in question_fields]
        + [f"t.{ops.quote_name(f.column)}" for f in topic_fields]
    )
    params = {
        "user": user.pk,
        "now": ops.adapt_datetimefield_value(now),
        "tomorrow": ops.adapt_datetimefield_value(tomorrow),
        "day_start": ops.adapt_datetimefield_value(day_start),
        "topic": topic,
        "review": Card.State.REVIEW,
        "new": Card.State.NEW,
        "source": ReviewLog.Source.REVIEW,
    }
    live = (
        "d.question_id IN (SELECT lq.id FROM quizzes_question lq JOIN quizzes_topic lt"
        " ON lt.id = lq.topic_id WHERE lt.slug = %(topic)s AND lq.retired_at IS NULL)"
        if topic
        else "d.question_id NOT IN"
        " (SELECT rq.id FROM quizzes_question rq WHERE rq.retired_at IS NOT NULL)"
    )
    ends = []
    for number, rule in enumerate(hold.rules):
        end, end_params = _named(*rule.ends, f"end{number}_")
        held, held_params = _named(*rule.held, f"held{number}_")
        live += f" AND (({end}) IS NULL OR d.question_id NOT IN ({held}))"
        ends.append(f"({end})")
        params.update(end_params | held_params)
    due = (
        "FROM quizzes_card d WHERE d.user_id = %(user)s AND d.due < %(tomorrow)s"
        f" AND NOT d.suspended AND {live}"
    )
    due_now = "(d.state = %(review)s OR d.due <= %(now)s)"  # learning steps: only once due
    rank = f"COALESCE({_whole_days_since('d.last_review')} / NULLIF(d.stability, 0), 1e18)"
    logs = (
        "SELECT COUNT(*) FROM quizzes_reviewlog l"
        " WHERE l.user_id = %(user)s AND l.reviewed_at >= %(day_start)s"
    )
    sql = (
        f"SELECT {select}, (SELECT COUNT(*) {due}) AS due_total,"
        f" ({logs} AND l.source = %(source)s),"
        f" ({logs} AND l.source = %(source)s AND l.state_before = %(new)s),"
        f" ({logs} AND l.state_before = %(new)s)"
        + "".join(f", {end}" for end in ends)
        + " FROM (SELECT 1 AS one) head"
        f" LEFT JOIN quizzes_card c ON c.id = (SELECT d.id {due} ORDER BY"
        f" CASE WHEN {due_now} THEN 0 ELSE 1 END,"
        f" CASE WHEN {due_now} THEN {rank} ELSE 0 END DESC, d.due, d.id LIMIT 1)"
        " LEFT JOIN quizzes_question q ON q.id = c.question_id"
        " LEFT JOIN quizzes_topic t ON t.id = q.topic_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    widths = [len(card_fields), len(question_fields), len(topic_fields)]
    columns = sum(widths)
    due_total, reviewed, new, started, *held_until = row[columns:]
    hold.learned(held_until)
    head = _Head(card=None, due_total=due_total, today=_Today(reviewed, new, started))
    if row[0] is None:
        return head
    card = _from_row(Card, card_fields, row[: widths[0]])
    question = _from_row(Question, question_fields, row[widths[0] : widths[0] + widths[1]])
    question.topic = _from_row(Topic, topic_fields, row[widths[0] + widths[1] : columns])
    card.question = question
    card.due_now = card.state == Card.State.REVIEW or card.due <= now
    head.card = card
    return head


def review_queue(
    *, user: AbstractBaseUser, settings: LearnerSettings, now: datetime, topic: str | None = None
) -> Queue:
    """Due cards first (the least likely to be remembered first), then new ones up to the limit.

    A fixed number of queries whatever the deck: usually one (the due card with the counts and
    the team-exam holds), as the unseen questions per topic and kind are cached until the learner
    starts a card; a new card is one more, and its row. Held questions (`holds.practice_hold`)
    are left out of due and new cards alike.
    """
    sched = settings.scheduler_settings()
    day_start = scheduler.day_start(now, sched)
    tomorrow = scheduler.next_day_start(now, sched)
    hold = holds.practice_hold(user=user, now=now)
    head = _queue_head(user, topic, now, tomorrow, day_start, hold)
    first, today = head.card, head.today
    reviews_left = max(settings.max_reviews_per_day - (today.reviewed - today.new), 0)
    due_count = min(head.due_total, reviews_left)
    card = first if first is not None and first.due_now and reviews_left else None
    # New cards met anywhere today (a quiz, an exam) count against the same daily limit.
    new_left = max(settings.new_per_day - max(today.new, today.started), 0)
    new_available = 0
    if new_left:
        key = _new_cache_key(user, topic, day_start, today, hold)
        groups = cache.get(key)
        cached = groups is not None
        if not cached:
            groups = _unseen_groups(_unseen_questions(user, topic, hold))
            cache.set(key, groups, NEW_COUNT_TTL)
        if card is None and groups:
            seed = f"{user.pk}:{scheduler.local_day(now, sched)}:{today.new}"
            question = _next_new_question(user, topic, now, hold, groups, settings, seed)
            if question is None and cached:  # the course changed since the count: count again
                groups = _unseen_groups(_unseen_questions(user, topic, hold))
                cache.set(key, groups, NEW_COUNT_TTL)
                question = _next_new_question(user, topic, now, hold, groups, settings, seed)
            if question is not None:
                card = card_for(user, question)
        new_available = min(new_left, sum(groups.values()))
    if card is None and first is not None and not first.due_now and now + LEARN_AHEAD <= tomorrow:
        # The soonest learning step due later today: shown now if within the learn-ahead limit.
        card = first if first.due <= now + LEARN_AHEAD else None
    elif card is None:
        learning = [Card.State.LEARNING, Card.State.RELEARNING]
        cards = hold.exclude(_live_cards(user, topic), "question__")
        card = (
            with_question(cards.filter(state__in=learning, due__lte=now + LEARN_AHEAD))
            .order_by("due")
            .first()
        )
    queue = Queue(
        card=card,
        due_today=due_count,
        new_left=new_available,
        reviewed_today=today.reviewed,
        reviews_left=reviews_left,
    )
    if card is None:
        queue.next_due = (
            hold.exclude(_live_cards(user, topic), "question__")
            .filter(due__isnull=False)
            .order_by("due")
            .values_list("due", flat=True)
            .first()
        )
    return queue


def _new_cache_key(
    user: AbstractBaseUser, topic: str | None, day_start: datetime, today: _Today,
    hold: holds.Hold,
) -> str:  # fmt: skip
    """The unseen questions hold until the learner starts a card (review, quiz or exam) or a
    team exam's hold begins or ends."""
    held = f"{hold.until.timestamp():.0f}" if hold.until else ""
    return f"review:new:{user.pk}:{topic or ''}:{day_start.timestamp():.0f}:{today.started}:{held}"


def _unseen_questions(
    user: AbstractBaseUser, topic: str | None, hold: holds.Hold
) -> QuerySet[Question]:
    """Live questions the learner has not started (nor suspended), held ones left out."""
    started = Card.objects.filter(user=user).filter(~Q(state=Card.State.NEW) | Q(suspended=True))
    return hold.exclude(_live_questions(topic).exclude(pk__in=started.values("question_id")))


def _unseen_groups(unseen: QuerySet[Question]) -> dict[tuple[str, str], int]:
    """How many unseen questions each (topic, kind) holds: one grouped query."""
    groups: dict[tuple[str, str], int] = {}
    for slug, kind, count in (
        unseen.order_by().values_list("topic__slug", "type").annotate(n=Count("id"))
    ):
        key = (slug, newcards.kind_of(kind))
        groups[key] = groups.get(key, 0) + count
    return groups


def _next_new_question(
    user: AbstractBaseUser, topic: str | None, now: datetime, hold: holds.Hold,
    groups: dict[tuple[str, str], int], settings: LearnerSettings, seed: str,
) -> Question | None:  # fmt: skip
    """The next new question: the one place that decides it. Drawn across topics and kinds
    (`newcards.new_card_pick`, weighted by the learner's `new_card_weights`) from the unseen
    questions counted in `groups`; the same for the same learner, day and number of cards
    introduced (`seed`), so a reload shows the same card. One query."""
    pick = newcards.new_card_pick(groups, settings.new_card_weights or {}, seed)
    if pick is None:
        return None
    slug, kind, position = pick
    chosen = _unseen_questions(user, topic, hold).filter(topic__slug=slug)
    if kind == newcards.FLASHCARDS:
        chosen = chosen.filter(type=Question.Type.FLASHCARD)
    else:
        chosen = chosen.exclude(type=Question.Type.FLASHCARD)
    return (
        with_question(chosen, prefix="")
        .order_by("source_path", "source_line", "pk")[position : position + 1]
        .first()
    )


def card_for(user: AbstractBaseUser, question: Question) -> Card:
    """The learner's card of this question, made (new) the first time it is shown."""
    card, _ = Card.objects.get_or_create(user=user, question=question)
    card.question = question
    return card


def card_token(card: Card, now: datetime, nonce: str | None = None) -> str:
    """A signed token for one showing of a card: it makes grading idempotent and times it.

    `nonce`: the showing's own (the choices' order follows it), when a card comes back as it was
    shown, after an undo; otherwise a new one."""
    return signing.dumps(
        {"n": nonce or uuid.uuid4().hex, "q": card.question_id, "t": now.timestamp()},
        salt=TOKEN_SALT,
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
    *, user: AbstractBaseUser, question: Question | None = None, question_id: int | None = None,
    rating: int, nonce: str, now: datetime, settings: LearnerSettings,
    duration_ms: int | None = None, source: str = ReviewLog.Source.REVIEW,
) -> ReviewLog:  # fmt: skip
    """Apply one rating once per nonce: a resent request finds its log and changes nothing.

    Give the question or its id; an id with no question raises Question.DoesNotExist. Three
    statements in one transaction: lock the card, insert the log (its nonce is unique, so a resent
    grade fails there and rolls back), update the card.
    """
    if rating not in RATING_LABELS:
        raise ValueError(f"rating must be 1 to 4, got {rating!r}")
    if question is not None:
        question_id = question.pk
    try:
        with transaction.atomic():
            card = Card.objects.select_for_update().filter(user=user, question_id=question_id)
            card = card.first()
            if card is None:  # first grade of a card never shown in a review (quiz, exam)
                if question is None:
                    question = Question.objects.get(pk=question_id)
                card, _ = Card.objects.select_for_update().get_or_create(
                    user=user, question=question
                )
            before = card.state_tuple()
            sched = settings.scheduler_settings()
            outcome = scheduler.review(before, rating, now, sched, card_id=card.pk)
            if source != ReviewLog.Source.REVIEW and before.state == Card.State.NEW:
                outcome = _within_new_limit(outcome, user, settings, now)
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
            card.save(update_fields=_CARD_FIELDS)
            return log
    except IntegrityError:
        # This nonce was graded already (a resent request, or one that raced in): that one counted.
        return ReviewLog.objects.get(user=user, token=nonce)


_CARD_FIELDS = (*SCHEDULE_FIELDS, "is_leech", "suspended")


def _within_new_limit(
    outcome: scheduler.Outcome, user: AbstractBaseUser, settings: LearnerSettings, now: datetime
) -> scheduler.Outcome:
    """A card met for the first time in a quiz or an exam is one of today's new cards: past the
    learner's "new cards per day", it waits for the next study day instead of adding to today's
    reviews (44 due after one quiz and one exam broke the limit the settings promise)."""
    sched = settings.scheduler_settings()
    started = ReviewLog.objects.filter(
        user=user, reviewed_at__gte=scheduler.day_start(now, sched), state_before=Card.State.NEW
    ).count()
    tomorrow = scheduler.next_day_start(now, sched)
    if started < settings.new_per_day or outcome.card.due is None or outcome.card.due >= tomorrow:
        return outcome
    return replace(outcome, card=replace(outcome.card, due=tomorrow))


def _card_json(card: Card) -> dict:
    data = {name: getattr(card, name) for name in _CARD_FIELDS}
    for name in ("due", "last_review"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def review_undo(*, user: AbstractBaseUser) -> Card | None:
    """Put back the card of the learner's last review as it was, and forget that review.

    The card carries `shown_nonce`, the nonce of the showing that was graded, so it can be shown
    again with its choices in the order the learner saw (the order follows the nonce)."""
    with transaction.atomic():
        log = (
            ReviewLog.objects.select_for_update(of=("self", "card"))
            .filter(user=user, source=ReviewLog.Source.REVIEW)
            .select_related("card__question__topic")
            .defer(*(f"card__question__topic__{name}" for name in TOPIC_NOTE))
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
        card.shown_nonce = log.token
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
