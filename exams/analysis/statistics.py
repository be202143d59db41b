"""Item analysis data: first attempts in exams and quizzes, as rows for quizzes.authoring.itemstats.

"First attempt" as Moodle counts it: a candidate's first submitted sitting of each exam, and the
first time they answered each question in a quiz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from exams.models import Blueprint, ExamAttempt, ExamItem, ItemAnalysis, ItemStatistic, Team
from quizzes.authoring import itemstats
from quizzes.course import itemlint
from quizzes.models import Question, QuizItem
from quizzes.study import answering


def _sitting_totals(answers: Iterable[tuple[int, bool | None]]) -> dict[int, list[int]]:
    """Per sitting: [number right, number of items], the score each item is correlated with."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sitting, correct in answers:
        totals[sitting][0] += bool(correct)
        totals[sitting][1] += 1
    return totals


def exam_responses(
    *, team: Team | None = None, blueprint: Blueprint | None = None
) -> list[itemstats.Response]:
    attempts = ExamAttempt.objects.filter(submitted_at__isnull=False)
    if team is not None:
        attempts = attempts.filter(team_exam__team=team)
    if blueprint is not None:
        attempts = attempts.filter(blueprint=blueprint)
    first: dict[tuple[int, int], int] = {}
    for pk, user_id, blueprint_id in attempts.order_by("started_at").values_list(
        "pk", "user_id", "blueprint_id"
    ):
        first.setdefault((user_id, blueprint_id), pk)
    rows = ExamItem.objects.filter(attempt_id__in=list(first.values())).values_list(
        "attempt_id", "question_id", "position", "correct", "selected"
    )
    rows = list(rows)
    totals = _sitting_totals((row[0], row[3]) for row in rows)
    return [
        itemstats.Response(
            sitting=f"exam:{attempt_id}",
            question=question_id,
            slot=position,
            correct=bool(correct),
            choices=tuple(selected or ()),
            seconds=None,
            sitting_score=totals[attempt_id][0],
            sitting_items=totals[attempt_id][1],
        )
        for attempt_id, question_id, position, correct, selected in rows
    ]


def quiz_responses(*, team: Team | None = None) -> list[itemstats.Response]:
    items = QuizItem.objects.filter(answered_at__isnull=False)
    if team is not None:
        items = items.filter(attempt__user__memberships__team=team)
    rows = list(
        items.order_by("answered_at").values_list(
            "attempt_id",
            "attempt__user_id",
            "question_id",
            "position",
            "correct",
            "answer",
            "duration_ms",
        )
    )
    totals = _sitting_totals((row[0], row[4]) for row in rows)
    seen: set[tuple[int, int]] = set()
    responses = []
    for attempt_id, user_id, question_id, position, correct, answer, duration in rows:
        if (user_id, question_id) in seen:
            continue
        seen.add((user_id, question_id))
        responses.append(
            itemstats.Response(
                sitting=f"quiz:{attempt_id}",
                question=question_id,
                slot=position,
                correct=bool(correct),
                choices=tuple((answer or {}).get("selected", ())),
                seconds=duration / 1000 if duration else None,
                sitting_score=totals[attempt_id][0],
                sitting_items=totals[attempt_id][1],
            )
        )
    return responses


@dataclass
class Row:
    question: Question
    stats: itemstats.ItemStats


def item_rows(
    *, team: Team | None = None, bank: str = "", topic: str = "", tag: str = ""
) -> list[Row]:
    responses = exam_responses(team=team) + quiz_responses(team=team)
    questions = Question.objects.filter(pk__in={r.question for r in responses})
    if bank:
        questions = questions.filter(source_path=bank)
    if topic:
        questions = questions.filter(topic__slug=topic)
    if tag:
        questions = questions.filter(tags__name=tag)
    by_id = {q.pk: q for q in questions.distinct()}
    responses = [r for r in responses if r.question in by_id]
    # Ordering and matching answers are pairs, not picks: no per-choice counts for them.
    picks = {pk: q for pk, q in by_id.items() if q.type not in answering.SLOTTED}
    all_choices = {pk: [c["key"] for c in q.choices] for pk, q in picks.items()}
    right = {pk: {c["key"] for c in q.choices if c["correct"]} for pk, q in picks.items()}
    stats = itemstats.item_stats(responses, all_choices, right_choices=right)
    return [Row(by_id[s.question], s) for s in stats if s.question in by_id]


def alphas(*, team: Team | None = None) -> list[tuple[Blueprint, float | None, int]]:
    """Cronbach's alpha per exam over first attempts; an item is a slot, as questions are drawn."""
    result = []
    # Read in English whatever the caller's language: the English title is the one stored.
    with translation.override("en"):
        blueprints = list(
            Blueprint.objects.filter(Q(attempts__submitted_at__isnull=False)).distinct()
        )
    for blueprint in blueprints:
        responses = exam_responses(team=team, blueprint=blueprint)
        sittings = len({r.sitting for r in responses})
        result.append((blueprint, itemstats.alpha_by_slot(responses), sittings))
    return result


def analysis_for(team: Team | None) -> ItemAnalysis:
    """The scope's analysis row (the whole site when `team` is None), made on first use."""
    found = ItemAnalysis.objects.filter(team=team).order_by("pk").first()
    return found or ItemAnalysis.objects.create(team=team)


def statistics_store(*, team: Team | None, requested_at: datetime) -> bool:
    """Recompute and store a scope's item statistics, unless a run begun since the request did.

    A burst of submissions at the end of a team exam enqueues one task each; the first run that
    starts after them covers them all, and the others return at once.
    """
    analysis = analysis_for(team)
    if analysis.computed_at is not None and analysis.computed_at >= requested_at:
        return False
    started = timezone.now()
    rows = item_rows(team=team)
    reliability = [
        {
            "blueprint": bp.title,
            # Its title in each language, for the reader's (ItemAnalysis.alphas_shown).
            "titles": {
                language: found["title"]
                for language, found in (bp.translations or {}).items()
                if found.get("title")
            },
            "alpha": alpha,
            "sittings": sittings,
        }
        for bp, alpha, sittings in alphas(team=team)
    ]
    with transaction.atomic():
        locked = ItemAnalysis.objects.select_for_update().get(pk=analysis.pk)
        if locked.computed_at is not None and locked.computed_at >= started:
            return False  # a run that began after this one has already stored newer figures
        locked.items.all().delete()
        ItemStatistic.objects.bulk_create(
            ItemStatistic(
                analysis=locked,
                question=row.question,
                responses=row.stats.responses,
                facility=row.stats.facility,
                discrimination=row.stats.discrimination,
                choice_counts=row.stats.choice_counts,
                median_seconds=row.stats.median_seconds,
                flags=list(row.stats.flags),
                flag_count=len(row.stats.flags),
                # Stored with their parameters, so the page shows them in its reader's language.
                cues=[cue.as_data() for cue in itemlint.item_cues(row.question.spec or {})],
            )  # fmt: skip
            for row in rows
        )
        locked.computed_at, locked.alphas = started, reliability
        locked.save(update_fields=["computed_at", "alphas"])
    return True


STORED_ORDER = {
    "flags": ("-flag_count", "question__uid"),
    "responses": ("-responses", "question__uid"),
    "facility": (F("facility").asc(nulls_last=True), "question__uid"),
    "discrimination": (F("discrimination").asc(nulls_last=True), "question__uid"),
    "id": ("question__uid",),
}


def stored_rows(
    analysis: ItemAnalysis,
    *,
    bank: str = "",
    topic: str = "",
    tag: str = "",
    flagged: bool = False,
    sort: str = "flags",
) -> QuerySet[ItemStatistic]:
    """The stored statistics of a scope, filtered and sorted by the database for one page."""
    rows = analysis.items.select_related("question__topic").only(
        *(f.name for f in ItemStatistic._meta.concrete_fields),
        "question__uid", "question__source_path", "question__topic__title",
        # The topic's title in the reader's language (a few hundred bytes; the note is elsewhere).
        "question__topic__translations",
    )  # fmt: skip
    if bank:
        rows = rows.filter(question__source_path=bank)
    if topic:
        rows = rows.filter(question__topic__slug=topic)
    if tag:
        rows = rows.filter(question__tags__name=tag).distinct()
    if flagged:
        rows = rows.filter(flag_count__gt=0)
    return rows.order_by(*STORED_ORDER.get(sort, STORED_ORDER["flags"]))
