"""Writes for mock exams: start (or resume), autosave, submit, and auto-submit at the deadline.

The server owns the clock: the deadline is fixed when the attempt starts, saves after it (plus a
short grace) are refused, and whatever was saved is what gets graded.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exams.analysis.tasks import statistics_refresh_later
from exams.blueprints import spec as blueprints
from exams.models import GRACE, Blueprint, ExamAttempt, ExamItem, Membership, TeamExam
from quizzes.models import Card, Question
from quizzes.study import answering, holds, reviews, short_answers
from quizzes.study.scores import TopicScore, topic_scores

EXAM_TYPES = (
    Question.Type.SINGLE,
    Question.Type.MULTIPLE,
    Question.Type.ORDERING,
    Question.Type.MATCHING,
    Question.Type.SHORT,
)


class ExamError(ValueError):
    """Something the candidate asked for that the rules do not allow, with a message to show."""


class TooLate(ExamError):
    pass


class TooManyChoices(ExamError):
    """More boxes ticked than "choose N" allows: nothing is saved, the earlier answer stays."""


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
            raise ExamError(_("This exam is for the members of its team."))
        if now < team_exam.opens_at:
            raise ExamError(
                _("This exam opens at %(time)s on %(day)s (UTC).") % _when(team_exam.opens_at)
            )
        if now > team_exam.closes_at:
            raise ExamError(_("This exam's window has closed."))
        if ExamAttempt.objects.filter(user=user, team_exam=team_exam).exists():
            raise ExamError(_("You have already sat this exam."))
        extra = team_exam.extra_for(user.pk)
    rng = rng or random.Random()
    # A solo attempt never draws a question held for one of the learner's team exams.
    hold = holds.practice_hold(user=user, now=now) if team_exam is None else None
    pool = _pool(blueprint, hold)
    ids = blueprints.draw(blueprint.as_spec(), pool, rng)
    if not ids and hold is not None and hold.until:
        raise ExamError(
            _(
                "This exam's questions are held for your team's exam until %(time)s on %(day)s "
                "(UTC): sit it after that."
            )
            % _when(hold.until)
        )
    if not ids:
        raise ExamError(_("No questions match this exam yet: load the course first."))
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
            # Cached once committed, so the first save need not read them (`_item_facts`).
            transaction.on_commit(lambda: _cache_item_facts(attempt.pk))
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
    """What a save did and what the item holds now.

    `updated`: this save was written. `kept`: the item holds what this save sent (written now,
    or by the same save arriving twice: a retry). A save that is not kept was older than one
    its page had already sent; `selected`, `flagged` and `saved_at` are then the answer kept.
    `keys` is the item's authored keys in page order, to name the kept choices.
    """

    updated: bool
    position: int
    selected: list[str]
    flagged: bool
    saved_at: datetime | None
    kept: bool = True
    keys: tuple[str, ...] = ()
    qtype: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.selected)

    @property
    def kept_text(self) -> str:
        """The kept answer as the page shows it: "choice 2", "choices 1 and 3", "no answer"."""
        if not self.selected:
            return _("no answer")
        numbers = sorted(self.keys.index(key) + 1 for key in self.selected if key in self.keys)
        if self.qtype in answering.SLOTTED or not numbers:
            return _("the answer saved then")
        words = [str(n) for n in numbers]
        listed = words[0]
        if len(words) > 1:
            listed = _("%(first)s and %(last)s") % {
                "first": ", ".join(words[:-1]),
                "last": words[-1],
            }
        return ngettext("choice %(n)s", "choices %(n)s", len(words)) % {"n": listed}


# How long what a save reads of an attempt's items stays cached: longer than any sitting.
ITEM_FACTS_TTL = 24 * 3600


def _facts_key(attempt_id: int) -> str:
    return f"exam:items:{attempt_id}"


def _item_facts(attempt_id: int, position: int, *, fresh: bool = False) -> dict | None:
    """What a save must know of an item, none of which changes once the attempt is drawn: its
    row, seed, question type and "choose N", its authored keys in page order, a matching item's
    prompts, and whose attempt it is.

    Cached for every item of the attempt when it is drawn, or at its first save, so a save
    reads nothing before it writes. The cache may be per process and may outlive an attempt
    (ids are reused on SQLite): the save's own statement checks the item's seed, and a save
    that finds the facts wrong reads them `fresh`.
    """
    if not (0 < attempt_id < 2**63 and 0 < position < 2**31):
        return None  # beyond the columns: no such item (and no query the database refuses)
    facts = None if fresh else cache.get(_facts_key(attempt_id))
    if facts is None:
        facts = _cache_item_facts(attempt_id)
    return facts.get(position)


def _cache_item_facts(attempt_id: int) -> dict[int, dict]:
    """Read the facts of every item of the attempt, by position, and cache them."""
    rows = list(
        ExamItem.objects.filter(attempt_id=attempt_id).values(
            "position", "pk", "question_id", "seed", "choice_order", "question__type",
            "question__choose", "attempt__user_id",
        )
    )  # fmt: skip
    # Matching slots are its prompts; an item drawn before choice orders were kept takes the
    # question's own order.
    need_choices = [
        row["question_id"]
        for row in rows
        if not row["choice_order"] or row["question__type"] == Question.Type.MATCHING
    ]
    choices_of = dict(
        Question.objects.filter(pk__in=need_choices).values_list("pk", "choices")
    ) if need_choices else {}  # fmt: skip
    facts = {}
    for row in rows:
        choices = choices_of.get(row["question_id"], [])
        facts[row["position"]] = {
            "pk": row["pk"], "type": row["question__type"], "choose": row["question__choose"],
            "seed": row["seed"], "user_id": row["attempt__user_id"],
            "keys": list(row["choice_order"] or ()) or [choice["key"] for choice in choices],
            "prompts": [choice["key"] for choice in choices if choice.get("role") == "prompt"],
        }  # fmt: skip
    if facts:  # nothing is remembered of an attempt that does not exist (yet)
        cache.set(_facts_key(attempt_id), facts, ITEM_FACTS_TTL)
    return facts


# A page's save counter goes up to here: a JSON-safe integer in every database.
MAX_SEQ = 2**53 - 1


def _marks_sql(vendor: str) -> tuple[str, str]:
    """(the SET of a page's mark, the WHERE that it is higher) on `ExamItem.marks`, a JSON
    object of page id -> the highest save counter the item has seen from that page."""
    if vendor == "postgresql":
        return (
            "marks = marks || jsonb_build_object(%s::text, %s::bigint)",
            "COALESCE((marks ->> %s)::bigint, 0) < %s",
        )
    return "marks = json_set(marks, %s, %s)", "COALESCE(json_extract(marks, %s), 0) < %s"


def _update_while_open(
    attempt_id: int, facts: dict, now: datetime, *, page: int, seq: int, **values
) -> bool:
    """Write a save in one statement, only while its attempt is open and only if its page has
    sent nothing newer for this item.

    The order of an item's saves is the server's: a save lands unless the page that sent it
    already had a save with the same or a higher counter written here (a retry, or an older
    request arriving late). Saves from different pages (two devices, a reload) land in the
    order they arrive, so the last answer given wins whatever the devices' clocks say. `seq`
    becomes the item's version: one more per save written.

    The attempt's row is locked by the statement itself (FOR UPDATE in its subquery, where the
    database has it), as `attempt_submit` locks it: a save waiting for a submit sees it submitted
    once the lock is released, so no save lands after grading. One statement in autocommit
    rather than a transaction that locks, then updates: three round trips fewer on the busiest
    request of an exam. The item must still be the one the cached facts describe: its id in
    this attempt, with the same random seed. Written in SQL: the ORM took a fifth of a save's
    Python to build it.
    """
    ops = connection.ops
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    item, attempt = (ops.quote_name(m._meta.db_table) for m in (ExamItem, ExamAttempt))
    selected = ExamItem._meta.get_field("selected").get_db_prep_save(values["selected"], connection)
    set_mark, mark_below = _marks_sql(connection.vendor)
    mark = str(page) if connection.vendor == "postgresql" else f'$."{page}"'
    sql = (
        f"UPDATE {item} SET selected = %s, flagged = %s, seq = seq + 1, saved_at = %s, {set_mark}"
        f" WHERE id = %s AND attempt_id = %s AND seed = %s AND {mark_below}"
        f" AND EXISTS (SELECT 1 FROM {attempt} oa WHERE oa.id = %s"
        f" AND oa.submitted_at IS NULL AND oa.deadline >= %s{lock})"
    )
    params = [
        selected, values["flagged"], ops.adapt_datetimefield_value(now), mark, seq,
        facts["pk"], attempt_id, facts["seed"], mark, seq,
        attempt_id, ops.adapt_datetimefield_value(now - GRACE),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _clean_answer(facts: dict, selected: Sequence[str], posted: list[str] | None) -> list[str]:
    """The authored keys to store: decoded from the page's opaque keys, known to the item, one
    for a single answer; more boxes than "choose N" is refused (TooManyChoices)."""
    qtype, choose, keys = facts["type"], facts["choose"], facts["keys"]
    if qtype == Question.Type.SHORT:  # the typed text is the answer (at most 200 characters)
        given = posted if posted is not None else list(selected)
        typed = " ".join(str(given[0]).split()) if given else ""
        return [typed[: short_answers.MAX_TYPED]] if typed else []
    if posted is not None:
        selected = answering.decode_keys(qtype, facts["seed"], keys, posted, facts["prompts"])
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
            _("Choose %(word)s: you ticked %(n)d. Untick one; your saved answer is unchanged.")
            % {"word": word, "n": len(clean)}
        )
    return clean


def attempt_save(
    *,
    attempt_id: int,
    user: AbstractBaseUser,
    position: int,
    posted: list[str],
    flagged: bool,
    page: int,
    seq: int,
    now: datetime,
) -> Saved:
    """Save one item's answer and flag, as a page sent them, for the candidate who owns it.

    `posted` holds the opaque per-attempt keys of the page, decoded here with the item's seed
    before they are checked against its authored keys. `page` is the id the server gave the
    page and `seq` the page's own counter: see `_update_while_open` for the order of saves.
    Another candidate's attempt is "no such question". A save that lands is one statement
    after the cached facts of its item (`_item_facts`); a refused one reads why.
    """
    return _save(attempt_id, user.pk, position, flagged, page, seq, now, posted=posted)


def attempt_save_authored(
    *,
    attempt: ExamAttempt,
    position: int,
    selected: Sequence[str],
    flagged: bool,
    now: datetime,
    page: int = 0,
    seq: int = 1,
) -> Saved:
    """`attempt_save` with authored keys, for the attempt's own candidate: tests, benches and
    fixtures that answer without a page (page 0 is theirs)."""
    return _save(attempt.pk, attempt.user_id, position, flagged, page, seq, now, selected=selected)


def _save(
    attempt_id: int,
    user_id: int,
    position: int,
    flagged: bool,
    page: int,
    seq: int,
    now: datetime,
    *,
    selected: Sequence[str] = (),
    posted: list[str] | None = None,
) -> Saved:
    if not (0 <= page <= MAX_SEQ and 0 < seq <= MAX_SEQ):
        raise ExamError(_("This save has no valid page or counter."))
    for fresh in (False, True):
        facts = _item_facts(attempt_id, position, fresh=fresh)
        if facts is None or facts["user_id"] != user_id:
            continue
        clean = _clean_answer(facts, selected, posted)
        about = {"keys": tuple(facts["keys"]), "qtype": facts["type"]}
        written = _update_while_open(
            attempt_id, facts, now, page=page, seq=seq, selected=clean, flagged=flagged
        )
        if written:
            return Saved(True, position, clean, flagged, now, **about)
        stored = (
            ExamItem.objects.filter(pk=facts["pk"], attempt_id=attempt_id, seed=facts["seed"])
            .values("selected", "flagged", "saved_at")
            .first()
        )
        if stored is None:
            continue  # facts of an attempt since deleted, its id reused: read them again
        state = ExamAttempt.objects.only("submitted_at", "deadline").get(pk=attempt_id)
        if state.submitted_at is not None:
            raise TooLate(_("This attempt has been submitted: nothing more can be saved."))
        if is_expired(state, now):
            raise TooLate(_("Time is up: answers can no longer be saved."))
        # Its page had sent this save or a newer one already: a retry leaves the item as it
        # is (and is kept when it says the same); an older save changes nothing.
        kept = list(stored["selected"] or []) == clean and stored["flagged"] == flagged
        return Saved(
            False, position, list(stored["selected"] or []), stored["flagged"],
            stored["saved_at"], kept=kept, **about,
        )  # fmt: skip
    raise ExamError(_("There is no such question in this attempt."))


@dataclass
class Result:
    attempt: ExamAttempt
    topics: list[TopicScore] = field(default_factory=list)

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


def _when(moment) -> dict[str, str]:
    """A moment as the messages say it: "%(time)s on %(day)s" in the active language."""
    return {"time": date_format(moment, "H:i"), "day": date_format(moment, "MONTH_DAY_FORMAT")}


def _grade_item(item: ExamItem) -> bool:
    return answering.is_correct(item.question, list(item.selected or []))


def finish_if_expired(*, attempt: ExamAttempt, now: datetime) -> bool:
    """Submit an attempt whose time ran out (read again once submitted); True when submitted."""
    if attempt.submitted_at is None and is_expired(attempt, now):
        attempt_submit(attempt=attempt, now=now, auto=True)
        attempt.refresh_from_db()
    return attempt.submitted_at is not None


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


@dataclass(frozen=True)
class Visibility:
    """Which questions of a submitted attempt may show their key, rationales and explanation now.

    `held`: the question ids whose key stays hidden (the score and topic figures never do);
    `until`: when the last of them is released; `team_window`: the attempt's own team exam is
    still being sat by someone, so every one of its questions is held.
    """

    held: frozenset[int] = frozenset()
    until: datetime | None = None
    team_window: bool = False

    def shows(self, question_id: int) -> bool:
        return question_id not in self.held


def team_window_end(*, team_exam: TeamExam) -> datetime:
    """When a team exam's window closes for everyone: nobody starts after `closes_at`, and who
    started before it (late, or with extra time) answers until their deadline plus grace."""
    last = ExamAttempt.objects.filter(team_exam=team_exam, submitted_at__isnull=True).aggregate(
        last=Max("deadline")
    )["last"]
    return max(team_exam.closes_at, last + GRACE) if last else team_exam.closes_at


def results_visibility(
    *, attempt: ExamAttempt, user: AbstractBaseUser, question_ids: list[int], now: datetime
) -> Visibility:
    """What a submitted attempt's results may show its candidate now.

    A question held for one of the learner's team exams shows no key, rationale or explanation
    until that window closes for everyone (a member who submits early must not read what the
    others are still answering), whether the attempt is the team's or a solo one sat before the
    learner joined. A team attempt holds all its questions while its own window is open.
    """
    held: set[int] = set()
    ends: list[datetime] = []
    team_window = False
    if attempt.team_exam_id is not None:
        end = team_window_end(team_exam=attempt.team_exam)
        if now < end:
            held |= set(question_ids)
            ends.append(end)
            team_window = True
    hold = holds.practice_hold(user=user, now=now)
    pool = hold.held_ids(question_ids)
    if pool:
        held |= pool
        if hold.until:
            ends.append(hold.until)
    return Visibility(frozenset(held), max(ends) if ends else None, team_window)


def attempt_result(attempt: ExamAttempt, items: list[ExamItem]) -> Result:
    """The attempt's scores per topic, over its scored items."""
    return Result(attempt, topic_scores(item for item in items if item.scored))
