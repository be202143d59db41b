"""Item analysis data: first attempts in exams and quizzes, as rows for quizzes.authoring.itemstats.

"First attempt" as Moodle counts it: a candidate's first submitted sitting of each exam, and the
first time they answered each question in a quiz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from quizzes.authoring import itemstats
from quizzes.models import Question, QuizItem
from quizzes.study import answering

from .models import Blueprint, ExamAttempt, ExamItem, Team


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
    questions = Question.objects.filter(pk__in={r.question for r in responses}).select_related(
        "topic"
    )
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
    blueprints = Blueprint.objects.filter(Q(attempts__submitted_at__isnull=False)).distinct()
    for blueprint in blueprints:
        responses = exam_responses(team=team, blueprint=blueprint)
        sittings = len({r.sitting for r in responses})
        result.append((blueprint, itemstats.alpha_by_slot(responses), sittings))
    return result
