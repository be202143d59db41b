"""Writes for mock exams: start (or resume), autosave, submit, and auto-submit at the deadline.

The server owns the clock: the deadline is fixed when the attempt starts, saves after it (plus a
short grace) are refused, and whatever was saved is what gets graded.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from quizzes.models import Card, Question
from quizzes.study import answering, holds, reviews

from . import blueprints
from .models import GRACE, Blueprint, ExamAttempt, ExamItem, Membership, TeamExam
from .tasks import statistics_refresh_later

EXAM_TYPES = (
    Question.Type.SINGLE,
    Question.Type.MULTIPLE,
    Question.Type.ORDERING,
    Question.Type.MATCHING,
)


class ExamError(ValueError):
    """Something the candidate asked for that the rules do not allow, with a message to show."""


class TooLate(ExamError):
    pass


class TooManyChoices(ExamError):
    """More boxes ticked than "choose N" allows: nothing is saved, the earlier answer stays."""


def blueprints_load(
    *, specs: list[blueprints.Blueprint], root: Path, full: bool, now: datetime
) -> int:
    """Upsert the blueprints from content/exams by slug; retire file blueprints that are gone."""
    for spec in specs:
        fields = {
            "title": spec.title,
            "description": spec.description,
            "question_count": spec.questions,
            "scored_count": spec.scored,
            "duration_minutes": spec.duration_minutes,
            "topic_weights": spec.topics,
            "difficulty_mix": spec.difficulty,
            "exam_tag": spec.exam_tag,
            "scoring": spec.scoring,
            "pass_mark": spec.pass_mark,
            "explanations_after_submit": spec.explanations_after_submit,
            "source_path": Path(spec.path).name,
            "retired_at": None,
        }
        Blueprint.objects.update_or_create(slug=spec.slug, defaults=fields)
    if full:
        slugs = [spec.slug for spec in specs]
        Blueprint.objects.exclude(source_path="").exclude(slug__in=slugs).update(retired_at=now)
    return len(specs)


def _pool(blueprint: Blueprint, hold: holds.Hold | None = None) -> list[blueprints.Candidate]:
    questions = Question.objects.live().filter(type__in=EXAM_TYPES)
    if hold is not None:
        questions = hold.exclude(questions)
    if blueprint.exam_tag:
        questions = questions.filter(tags__name=blueprint.exam_tag)
    return [
        blueprints.Candidate(pk, topic, difficulty)
        for pk, topic, difficulty in questions.values_list("pk", "topic__slug", "difficulty")
    ]


def attempt_start(
    *,
    user: AbstractBaseUser,
    blueprint: Blueprint,
    now: datetime,
    team_exam: TeamExam | None = None,
    rng: random.Random | None = None,
) -> ExamAttempt:
    """Resume the open attempt if there is one; otherwise draw the questions and start the clock."""
    open_attempt = ExamAttempt.objects.filter(
        user=user, blueprint=blueprint, team_exam=team_exam, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    extra = 0
    if team_exam is not None:
        if not Membership.objects.filter(team=team_exam.team, user=user).exists():
            raise ExamError("This exam is for the members of its team.")
        if now < team_exam.opens_at:
            raise ExamError(f"This exam opens at {team_exam.opens_at:%H:%M on %d %B} (UTC).")
        if now > team_exam.closes_at:
            raise ExamError("This exam's window has closed.")
        if ExamAttempt.objects.filter(user=user, team_exam=team_exam).exists():
            raise ExamError("You have already sat this exam.")
        extra = team_exam.extra_for(user.pk)
    rng = rng or random.Random()
    # A solo attempt never draws a question held for one of the learner's team exams.
    hold = holds.practice_hold(user=user, now=now) if team_exam is None else None
    pool = _pool(blueprint, hold)
    ids = blueprints.draw(blueprint.as_plain(), pool, rng)
    if not ids and hold is not None and hold.until:
        raise ExamError(
            f"This exam's questions are held for your team's exam until "
            f"{hold.until:%H:%M on %d %B} (UTC): sit it after that."
        )
    if not ids:
        raise ExamError("No questions match this exam yet: load the course first.")
    unscored = set(rng.sample(range(len(ids)), max(len(ids) - blueprint.scored_count, 0)))
    questions = Question.objects.in_bulk(ids)
    try:
        with transaction.atomic():
            attempt = ExamAttempt.objects.create(
                user=user,
                blueprint=blueprint,
                team_exam=team_exam,
                started_at=now,
                deadline=now + timedelta(minutes=blueprint.duration_minutes + extra),
            )
            items = []
            for index, pk in enumerate(ids):
                seed = secrets.token_hex(8)
                items.append(
                    ExamItem(
                        attempt=attempt,
                        question_id=pk,
                        position=index + 1,
                        seed=seed,
                        choice_order=answering.choice_order(questions[pk], seed),
                        scored=index not in unscored,
                    )
                )
            ExamItem.objects.bulk_create(items)
    except IntegrityError:
        # A second tab started the same exam at the same moment: use that attempt.
        return ExamAttempt.objects.get(
            user=user, blueprint=blueprint, team_exam=team_exam, submitted_at__isnull=True
        )
    return attempt


def is_expired(attempt: ExamAttempt, now: datetime) -> bool:
    return now > attempt.deadline + GRACE


@dataclass(frozen=True)
class Saved:
    """What a save did: true when it was kept (not an older save arriving late)."""

    updated: bool
    position: int
    selected: list[str]
    flagged: bool
    saved_at: datetime | None
    # The item's navigator cell looks different (answered or flagged changed).
    cell_changed: bool

    def __bool__(self) -> bool:
        return self.updated

    @property
    def answered(self) -> bool:
        return bool(self.selected)


def _update_while_open(item_pk: int, attempt_id: int, now: datetime, **values) -> bool:
    """Write a save in one statement, only while its attempt is open and only over an older save.

    The attempt's row is locked by the statement itself (FOR UPDATE in its subquery, where the
    database has it), as `attempt_submit` locks it: a save waiting for a submit sees it submitted
    once the lock is released, so no save lands after grading. One statement in autocommit
    rather than a transaction that locks, then updates: three round trips fewer on the busiest
    request of an exam.
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    attempt = connection.ops.quote_name(ExamAttempt._meta.db_table)
    still_open = RawSQL(
        f"EXISTS (SELECT 1 FROM {attempt} oa WHERE oa.id = %s AND oa.submitted_at IS NULL"
        f" AND oa.deadline >= %s{lock})",
        (attempt_id, connection.ops.adapt_datetimefield_value(now - GRACE)),
        output_field=BooleanField(),
    )
    items = ExamItem.objects.filter(still_open, pk=item_pk, seq__lt=values["seq"])
    return bool(items.update(**values, saved_at=now))


def attempt_save(
    *,
    attempt: ExamAttempt | None = None,
    attempt_id: int | None = None,
    user: AbstractBaseUser | None = None,
    position: int,
    selected: Sequence[str] = (),
    posted: list[str] | None = None,
    flagged: bool,
    seq: int,
    now: datetime,
    item: ExamItem | None = None,
) -> Saved:
    """Save one item's answer and flag; an older save (lower seq) never overwrites a newer one.

    Give the attempt, or its id and the candidate it must belong to (another's is "no such
    question"). `selected` holds authored keys; `posted` (instead) the opaque per-attempt keys a
    page sent, decoded here with the item's seed before they are checked against the item's
    authored keys (its `choice_order`). `item` may be passed when the caller has it already,
    with its question. Reads only what it needs: the item's own keys and its question's type and
    "choose N", never the question's rendered text (a matching item also reads which of its keys
    are prompts).
    """
    attempt_id = attempt.pk if attempt is not None else attempt_id
    if item is not None and item.attempt_id == attempt_id and item.position == position:
        row = {
            "pk": item.pk, "question_id": item.question_id, "seed": item.seed,
            "choice_order": item.choice_order, "selected": item.selected,
            "flagged": item.flagged, "saved_at": item.saved_at,
            "question__type": item.question.type, "question__choose": item.question.choose,
        }  # fmt: skip
    else:
        items = ExamItem.objects.filter(attempt_id=attempt_id, position=position)
        if user is not None:
            items = items.filter(attempt__user=user)
        row = items.values(
            "pk",
            "question_id",
            "seed",
            "choice_order",
            "selected",
            "flagged",
            "saved_at",
            "question__type",
            "question__choose",
        ).first()
    if row is None:
        raise ExamError("There is no such question in this attempt.")
    qtype, choose = row["question__type"], row["question__choose"]
    keys = list(row["choice_order"] or ())
    prompts: list[str] = []
    if not keys or qtype == Question.Type.MATCHING:
        # An item drawn before choice orders were kept; or matching, whose slots are its prompts.
        choices = Question.objects.values_list("choices", flat=True).get(pk=row["question_id"])
        keys = keys or [choice["key"] for choice in choices]
        prompts = [choice["key"] for choice in choices if choice.get("role") == "prompt"]
    if posted is not None:
        selected = answering.decode_keys(qtype, row["seed"], keys, posted, prompts)
    known = set(keys)
    if qtype in answering.SLOTTED:
        clean = [value for value in dict.fromkeys(selected) if value.partition("=")[2] in known]
    else:
        clean = [key for key in dict.fromkeys(selected) if key in known]
    if qtype == Question.Type.SINGLE:
        clean = clean[:1]
    if qtype == Question.Type.MULTIPLE and len(clean) > choose:
        word = answering.NUMBER_WORDS.get(choose, choose)
        raise TooManyChoices(
            f"Choose {word}: you ticked {len(clean)}. Untick one; your saved answer is unchanged."
        )
    if not _update_while_open(row["pk"], attempt_id, now, selected=clean, flagged=flagged, seq=seq):
        state = ExamAttempt.objects.only("submitted_at", "deadline").get(pk=attempt_id)
        if state.submitted_at is not None:
            raise TooLate("This attempt has been submitted: nothing more can be saved.")
        if is_expired(state, now):
            raise TooLate("Time is up: answers can no longer be saved.")
        # An older save arriving late: the item stays as it was.
        return Saved(False, position, row["selected"], row["flagged"], row["saved_at"], False)
    changed = (bool(clean), flagged) != (bool(row["selected"]), row["flagged"])
    return Saved(True, position, clean, flagged, now, changed)


@dataclass
class TopicResult:
    slug: str
    title: str
    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@dataclass
class Result:
    attempt: ExamAttempt
    topics: list[TopicResult] = field(default_factory=list)

    @property
    def time_used(self) -> timedelta:
        end = self.attempt.submitted_at or self.attempt.deadline
        return min(end, self.attempt.deadline) - self.attempt.started_at

    @property
    def time_used_text(self) -> str:
        """ "1:05:09" or "12:40": whole seconds, as a clock shows them."""
        seconds = int(self.time_used.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _grade_item(item: ExamItem) -> bool:
    return answering.is_correct(item.question, list(item.selected or []))


def attempt_submit(*, attempt: ExamAttempt, now: datetime, auto: bool = False) -> ExamAttempt:
    """Grade what was saved, once; wrong answers come back soon in the candidate's reviews."""
    with transaction.atomic():
        locked = (
            ExamAttempt.objects.select_for_update().select_related("blueprint").get(pk=attempt.pk)
        )
        if locked.submitted_at is not None:
            return locked
        items = list(locked.items.select_related("question"))
        for item in items:
            item.correct = _grade_item(item)
        ExamItem.objects.bulk_update(items, ["correct"])
        scored = [item for item in items if item.scored]
        correct = sum(item.correct for item in scored)
        blueprint = locked.blueprint
        if blueprint.scoring == Blueprint.Scoring.SCALED:
            score = blueprints.scaled_score(correct, len(scored))
        else:
            score = round(100 * correct / len(scored)) if scored else 0
        locked.correct_count, locked.scored_count, locked.score = correct, len(scored), score
        locked.passed = score >= blueprint.pass_mark
        locked.submitted_at = min(now, locked.deadline + GRACE) if auto else now
        locked.auto_submitted = auto
        locked.save()
        settings = reviews.learner_settings(locked.user)
        for item in items:
            if item.selected and not item.correct:
                reviews.review_grade(
                    user=locked.user,
                    question=item.question,
                    rating=reviews.AGAIN,
                    nonce=f"exam-{item.pk}",
                    now=now,
                    settings=settings,
                    source="exam",
                )
    statistics_refresh_later(team_id=locked.team_exam.team_id if locked.team_exam_id else None)
    return locked


def item_to_review(*, item: ExamItem, user: AbstractBaseUser, now: datetime) -> Card:
    """An exam question into the learner's reviews, due again soon; the same nonce as the submit's,
    so a wrong answer already sent there (or a second click) changes nothing."""
    reviews.review_grade(
        user=user,
        question=item.question,
        rating=reviews.AGAIN,
        nonce=f"exam-{item.pk}",
        now=now,
        settings=reviews.learner_settings(user),
        source="exam",
    )
    return Card.objects.get(user=user, question=item.question)


def attempts_expire(*, now: datetime, attempts=None) -> int:
    """Submit every open attempt whose time ran out (the candidate may never come back)."""
    expired = (attempts if attempts is not None else ExamAttempt.objects).filter(
        submitted_at__isnull=True, deadline__lt=now - GRACE
    )
    count = 0
    for attempt in expired:
        attempt_submit(attempt=attempt, now=now, auto=True)
        count += 1
    return count


def attempt_result(attempt: ExamAttempt, items: list[ExamItem]) -> Result:
    by_topic: dict[str, TopicResult] = defaultdict(lambda: TopicResult("", ""))
    for item in items:
        if not item.scored:
            continue
        topic = item.question.topic
        row = by_topic[topic.slug]
        row.slug, row.title = topic.slug, topic.title
        row.total += 1
        row.correct += bool(item.correct)
    return Result(attempt, sorted(by_topic.values(), key=lambda r: r.title))
