"""The exam-pool rule: while a team exam's window is open, its pool is held for the team's members.

A member who has submitted must not be able to collect the key of the questions the others are
still answering, through a solo attempt of the same blueprint, a practice quiz or the reviews.
`quizzes.study.holds` applies the rule everywhere a key can show; this module says what is held.

The rule is SQL text rather than a queryset: the review queue embeds it in its one statement on
every grade, and building and compiling the same rule with the ORM cost 2.5 ms of Python a grade.
"""

from __future__ import annotations

import functools
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection

from exams.models import GRACE, Blueprint, ExamAttempt, Membership, TeamExam
from exams.sitting.services import EXAM_TYPES
from quizzes.models import Question, Tag
from quizzes.study.holds import Rule


@functools.cache
def _statements() -> tuple[str, str]:
    """(ends, held): when the learner's open team exams close for everyone, and what their
    pools hold.

    A window is open for everyone from `opens_at` until `closes_at`, and after it while a member
    who started in time (late, or with extra time) is still answering: until the last open
    attempt's deadline plus grace. A pool is `exams.sitting.services._pool`'s: the exam-type
    questions, those carrying the blueprint's exam tag when it has one. Both take (user id, now,
    now, now - grace, now - grace); `held` takes the exam types first.
    """
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (TeamExam, Membership, Blueprint, Question, Tag, Question.tags.through,
                      ExamAttempt)
    }  # fmt: skip
    exams = f"{table[TeamExam]} he JOIN {table[Membership]} hm ON hm.team_id = he.team_id"
    sitting = (
        f"FROM {table[ExamAttempt]} ha WHERE ha.team_exam_id = he.id"
        " AND ha.submitted_at IS NULL AND ha.deadline > %s"
    )
    window = (
        "hm.user_id = %s AND he.opens_at <= %s"
        f" AND (he.closes_at > %s OR EXISTS (SELECT 1 {sitting}))"
    )
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    ends = (
        f"SELECT MAX({greatest}(he.closes_at,"
        f" COALESCE((SELECT MAX(ha.deadline) {sitting}), he.closes_at)))"
        f" FROM {exams} WHERE {window}"
    )
    types = ", ".join(["%s"] * len(EXAM_TYPES))
    tagged = (
        f"SELECT 1 FROM {table[Question.tags.through]} hqt"
        f" JOIN {table[Tag]} ht ON ht.id = hqt.tag_id"
        " WHERE hqt.question_id = hq.id AND ht.name = hb.exam_tag"
    )
    held = (
        f"SELECT hq.id FROM {table[Question]} hq WHERE hq.type IN ({types}) AND EXISTS"
        f" (SELECT 1 FROM {exams} JOIN {table[Blueprint]} hb ON hb.id = he.blueprint_id"
        f" WHERE {window} AND (hb.exam_tag = '' OR EXISTS ({tagged})))"
    )
    return ends, held


def team_exam_pools(*, user: AbstractBaseUser, now: datetime) -> Rule:
    """The pools of the open team exams of the learner's teams, as one lazy rule."""
    ends, held = _statements()
    at = connection.ops.adapt_datetimefield_value(now)
    late = connection.ops.adapt_datetimefield_value(now - GRACE)
    window = (user.pk, at, at, late)
    return Rule(held=(held, (*EXAM_TYPES, *window)), ends=(ends, (late, *window)))
