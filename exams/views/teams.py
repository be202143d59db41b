"""Teams: instructors run them and schedule exams; members join with a code and see averages.

Every view fetches the team through `_run_by_me` or `_member_of`, so an instructor sees only the
teams they run and a candidate never sees another member's answers.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from statistics import mean

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Avg, Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import get_owned_or_404, is_instructor
from exams.blueprints.spec import score_text
from exams.forms import JoinForm, TeamExamForm, TeamForm
from exams.models import ExamAttempt, ExamItem, Membership, Team, TeamExam
from exams.sitting import services
from quizzes.study import reviews
from studyapp.htmx import HtmxHttpRequest, fragment

INSTRUCTOR = "quizzes.preview_bank"
# A member's state in a scheduled exam (the keys stay English: the CSV and the CSS use them).
STATUS_LABELS = {
    "not started": gettext_lazy("not started"),
    "in progress": gettext_lazy("in progress"),
    "submitted": gettext_lazy("submitted"),
}


def _run_by_me(request: HtmxHttpRequest, pk: int) -> Team:
    return get_owned_or_404(Team.objects, request.user, pk=pk)


def _member_of(request: HtmxHttpRequest, pk: int) -> Team:
    return get_object_or_404(Team, pk=pk, memberships__user=request.user)


def _zone(request: HtmxHttpRequest) -> str:
    """The signed-in user's time zone (study settings): times are typed and shown in it."""
    return reviews.learner_settings(request.user).time_zone


@login_required
@require_safe
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "running": Team.objects.filter(instructor=request.user).annotate(size=Count("memberships")),
        "member_of": Team.objects.filter(memberships__user=request.user),
        "create_form": TeamForm(instructor=request.user) if is_instructor(request.user) else None,
        "join_form": JoinForm(),
    }
    return render(request, "exams/team_list.html", context)


@login_required
@permission_required(INSTRUCTOR, raise_exception=True)
@require_POST
def team_create(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST, instructor=request.user)
    if not form.is_valid():
        errors = form.errors.get("name") or ["Give the team a name."]
        messages.error(request, errors[0])
        return redirect("team_list")
    team = form.save(commit=False)
    team.instructor = request.user
    team.save()
    return redirect(team)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_join(request: HtmxHttpRequest, code: str = "") -> HttpResponse:
    """The invite link shows the team and a Join button; the code can also be typed in."""
    form = JoinForm(request.POST or ({"code": code} if code else None))
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["code"]
        if team.instructor_id == request.user.pk:
            messages.info(
                request, _("You run %(team)s: members join with this code.") % {"team": team.name}
            )
            return redirect(team)
        _membership, joined = Membership.objects.get_or_create(team=team, user=request.user)
        if joined:
            messages.success(request, _("You joined %(team)s.") % {"team": team.name})
        else:
            messages.info(request, _("You are already a member of %(team)s.") % {"team": team.name})
        return redirect(team)
    team = form.cleaned_data["code"] if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "team": team,
        "already": team is not None
        and (
            team.instructor_id == request.user.pk
            or team.memberships.filter(user=request.user).exists()
        ),
    }
    return render(request, "exams/team_join.html", context)


@login_required
@require_safe
def team_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    visible = Team.objects.filter(Q(instructor=request.user) | Q(memberships__user=request.user))
    team = get_object_or_404(visible.distinct(), pk=pk)
    running = team.instructor_id == request.user.pk
    exams = list(team.exams.select_related("blueprint"))
    zone = _zone(request)
    context = {"team": team, "running": running, "exams": exams, "zone": zone}
    if running:
        context["members"] = team.memberships.select_related("user").order_by("user__username")
        context["schedule_form"] = TeamExamForm(
            team=team,
            zone=zone,
            initial={
                "opens_at": timezone.now().replace(second=0, microsecond=0),
                "closes_at": (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0),
            },
        )
        context["invite_url"] = _invite_url(request, team)
    else:
        mine = ExamAttempt.objects.filter(user=request.user, team_exam__team=team).select_related(
            "blueprint"
        )
        context["my_attempts"] = {a.team_exam_id: a for a in mine}
        context["averages"] = _averages(team)
    # Times are shown (and typed) in the user's own zone, stored in UTC.
    with timezone.override(zone):
        return render(request, "exams/team.html", context)


def _invite_url(request: HtmxHttpRequest, team: Team) -> str:
    return request.build_absolute_uri(reverse("team_join_code", args=[team.invite_code]))


@login_required
@require_POST
def team_exam_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = _run_by_me(request, pk)
    zone = _zone(request)
    with timezone.override(zone):
        # The typed times are read in the instructor's zone and stored in UTC.
        form = TeamExamForm(request.POST, team=team, zone=zone)
        if form.is_valid():
            exam = form.save()
            messages.success(request, _("%(exam)s is scheduled.") % {"exam": exam.blueprint.title})
            return redirect("team_board", pk=team.pk, exam_pk=exam.pk)
        exams = list(team.exams.select_related("blueprint"))
        members = team.memberships.select_related("user")
        context = {
            "team": team,
            "running": True,
            "exams": exams,
            "members": members,
            "schedule_form": form,
            "zone": zone,
            "invite_url": _invite_url(request, team),
        }
        return render(request, "exams/team.html", context)


def _team_exam(request: HtmxHttpRequest, pk: int, exam_pk: int) -> TeamExam:
    team = _run_by_me(request, pk)
    return get_object_or_404(
        TeamExam.objects.select_related("blueprint", "team"), pk=exam_pk, team=team
    )


def _rows(team_exam: TeamExam) -> list[dict]:
    """One row per member: status, answered count, score, per-topic results."""
    services.attempts_expire(now=timezone.now(), attempts=team_exam.attempts.all())
    attempts = {
        a.user_id: a
        for a in team_exam.attempts.annotate(answered=Count("items", filter=~Q(items__selected=[])))
    }
    topic_rows = (
        ExamItem.objects.filter(
            attempt__team_exam=team_exam, scored=True, attempt__submitted_at__isnull=False
        )
        .values("attempt__user_id", "question__topic__title")
        .annotate(total=Count("id"), right=Count("id", filter=Q(correct=True)))
    )
    topics: dict[int, dict[str, tuple[int, int]]] = {}
    for row in topic_rows:
        topics.setdefault(row["attempt__user_id"], {})[row["question__topic__title"]] = (
            row["right"],
            row["total"],
        )
    rows = []
    for membership in team_exam.team.memberships.select_related("user").order_by("user__username"):
        attempt = attempts.get(membership.user_id)
        status = (
            "not started"
            if attempt is None
            else "submitted"
            if attempt.submitted_at
            else "in progress"
        )
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


def _averages(team: Team) -> dict[int, dict]:
    """Per scheduled exam of the team: how many submitted and their mean score, in one query."""
    rows = (
        ExamAttempt.objects.filter(team_exam__team=team, submitted_at__isnull=False)
        .values("team_exam_id")
        .annotate(count=Count("id"), score=Avg("score"))
    )
    return {
        row["team_exam_id"]: {"count": row["count"], "score": round(row["score"])} for row in rows
    }


def _table(team_exam: TeamExam) -> tuple[list[dict], list[str]]:
    """The member rows and the topic titles that appear in them, for the results and the CSV."""
    rows = _rows(team_exam)
    return rows, sorted({title for row in rows for title in row["topics"]})


@login_required
@require_safe
def team_board(request: HtmxHttpRequest, pk: int, exam_pk: int) -> HttpResponse:
    """Who has not started, who is answering (and how far), who has submitted; htmx polls it."""
    team_exam = _team_exam(request, pk, exam_pk)
    rows = _rows(team_exam)
    context = {
        "team": team_exam.team,
        "team_exam": team_exam,
        "rows": rows,
        "counts": {
            s: sum(r["status"] == s for r in rows)
            for s in ("not started", "in progress", "submitted")
        },
        "now": timezone.now(),
    }
    return render(request, fragment(request, "exams/board.html", "board"), context)


@login_required
@require_safe
def team_results(request: HtmxHttpRequest, pk: int, exam_pk: int) -> HttpResponse:
    team_exam = _team_exam(request, pk, exam_pk)
    rows, titles = _table(team_exam)
    averages = {}
    for title in titles:
        shares = [
            r["topics"][title][0] / r["topics"][title][1] for r in rows if title in r["topics"]
        ]
        averages[title] = round(100 * mean(shares)) if shares else None
    context = {
        "team": team_exam.team,
        "team_exam": team_exam,
        "rows": rows,
        "titles": titles,
        "averages": averages,
        "overall": _averages(team_exam.team).get(team_exam.pk, {"count": 0, "score": None}),
    }
    return render(request, "exams/team_results.html", context)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FormulaSafeWriter:
    """CSV rows a spreadsheet will not run: a cell that starts like a formula gets a quote first.

    A member picks their own username (`-2+3`, `@SUM(A1)` are valid), and the instructor opens
    the file in a spreadsheet: without the quote, the cell would be evaluated there.
    """

    def __init__(self, writer) -> None:
        self.writer = writer

    def writerow(self, values: list[object]) -> None:
        self.writer.writerow(
            [f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]
        )


@login_required
@require_safe
def team_results_csv(request: HtmxHttpRequest, pk: int, exam_pk: int) -> HttpResponse:
    team_exam = _team_exam(request, pk, exam_pk)
    rows, titles = _table(team_exam)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-{pk}-exam-{exam_pk}.csv"'
    writer = FormulaSafeWriter(csv.writer(response))
    writer.writerow(["username", "status", "answered", "score", "passed", *titles])
    for row in rows:
        attempt = row["attempt"]
        submitted = attempt is not None and attempt.submitted_at is not None
        writer.writerow(
            [
                row["user"].username,
                row["status"],
                row["answered"],
                score_text(attempt.score, team_exam.blueprint.scoring) if submitted else "",
                ("pass" if attempt.passed else "fail") if submitted else "",
                *[
                    f"{row['topics'][t][0]}/{row['topics'][t][1]}" if t in row["topics"] else ""
                    for t in titles
                ],
            ]
        )
    return response
