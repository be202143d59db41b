"""Reads about teams for their pages: who may see a team, its members' rows, its averages.

Every fetch of a team goes through `team_run_by` (its instructor), `team_visible_to` (its
instructor or a member) or a query filtered by the user, so an instructor sees only the teams
they run and a candidate never sees another member's answers.
"""

from __future__ import annotations

from datetime import datetime
from statistics import mean

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from accounts.roles import get_owned_or_404
from exams.models import ExamAttempt, ExamItem, Membership, Team, TeamExam
from exams.sitting import services
from quizzes.selectors import topic_title

STATUSES = ("not started", "in progress", "submitted")
# What a page shows for each (the keys stay English: the CSV and the CSS use them).
STATUS_LABELS = {
    "not started": gettext_lazy("not started"),
    "in progress": gettext_lazy("in progress"),
    "submitted": gettext_lazy("submitted"),
}


def teams_of(user: AbstractBaseUser) -> dict[str, QuerySet[Team]]:
    """The teams the user runs (with their size) and those they are a member of."""
    return {
        "running": Team.objects.filter(instructor=user).annotate(size=Count("memberships")),
        "member_of": Team.objects.filter(memberships__user=user),
    }


def team_run_by(user: AbstractBaseUser, pk: int) -> Team:
    """The instructor's own team, or a 404."""
    return get_owned_or_404(Team.objects, user, pk=pk)


def team_visible_to(user: AbstractBaseUser, pk: int) -> Team:
    """A team the user runs or belongs to, or a 404."""
    visible = Team.objects.filter(Q(instructor=user) | Q(memberships__user=user))
    return get_object_or_404(visible.distinct(), pk=pk)


def team_exam_of(team: Team, exam_pk: int) -> TeamExam:
    """One scheduled exam of a team already checked, or a 404."""
    return get_object_or_404(
        TeamExam.objects.select_related("blueprint", "team"), pk=exam_pk, team=team
    )


def belongs(team: Team, user: AbstractBaseUser) -> bool:
    """Whether the user runs the team or is already a member."""
    return team.instructor_id == user.pk or team.memberships.filter(user=user).exists()


def team_exams(team: Team) -> list[TeamExam]:
    return list(team.exams.select_related("blueprint"))


def members(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("user__username")


def attempts_by_exam(user: AbstractBaseUser, team: Team) -> dict[int, ExamAttempt]:
    """The member's own attempts at the team's exams, by scheduled exam."""
    mine = ExamAttempt.objects.filter(user=user, team_exam__team=team).select_related("blueprint")
    return {attempt.team_exam_id: attempt for attempt in mine}


def team_averages(team: Team) -> dict[int, dict]:
    """Per scheduled exam of the team: how many submitted and their mean score, in one query."""
    rows = (
        ExamAttempt.objects.filter(team_exam__team=team, submitted_at__isnull=False)
        .values("team_exam_id")
        .annotate(count=Count("id"), score=Avg("score"))
    )
    return {
        row["team_exam_id"]: {"count": row["count"], "score": round(row["score"])} for row in rows
    }


def _topic_results(team_exam: TeamExam) -> dict[int, dict[str, tuple[int, int]]]:
    """Per member, per topic title: (right, scored) over their submitted attempt."""
    rows = (
        ExamItem.objects.filter(
            attempt__team_exam=team_exam, scored=True, attempt__submitted_at__isnull=False
        )
        # The title in the active language (the CSV export asks for the English).
        .annotate(topic_title=topic_title("question__topic__"))
        .values("attempt__user_id", "topic_title")
        .annotate(total=Count("id"), right=Count("id", filter=Q(correct=True)))
    )
    topics: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        by_title = topics.setdefault(row["attempt__user_id"], {})
        by_title[row["topic_title"]] = (row["right"], row["total"])
    return topics


def member_rows(team_exam: TeamExam, *, now: datetime) -> list[dict]:
    """One row per member: status, answered count, attempt, per-topic results.

    Attempts past their deadline are submitted first, so a row never shows a finished sitting
    as in progress."""
    services.attempts_expire(now=now, attempts=team_exam.attempts.all())
    answered = Count("items", filter=~Q(items__selected=[]))
    attempts = {a.user_id: a for a in team_exam.attempts.annotate(answered=answered)}
    topics = _topic_results(team_exam)
    rows = []
    for membership in members(team_exam.team):
        attempt = attempts.get(membership.user_id)
        if attempt is None:
            status = "not started"
        else:
            status = "submitted" if attempt.submitted_at else "in progress"
        rows.append(
            {
                "user": membership.user,
                "attempt": attempt,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "answered": attempt.answered if attempt else 0,
                "topics": topics.get(membership.user_id, {}),
            }
        )
    return rows


def status_counts(rows: list[dict]) -> dict[str, int]:
    return {status: sum(row["status"] == status for row in rows) for status in STATUSES}


def results_table(team_exam: TeamExam, *, now: datetime) -> tuple[list[dict], list[str]]:
    """The member rows and the topic titles that appear in them, for the results and the CSV."""
    rows = member_rows(team_exam, now=now)
    return rows, sorted({title for row in rows for title in row["topics"]})


def topic_averages(rows: list[dict], titles: list[str]) -> dict[str, int | None]:
    """Per topic title, the members' mean share right (in %), None where nobody was scored."""
    averages = {}
    for title in titles:
        shares = [
            r["topics"][title][0] / r["topics"][title][1] for r in rows if title in r["topics"]
        ]
        averages[title] = round(100 * mean(shares)) if shares else None
    return averages
