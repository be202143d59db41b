"""Teams: instructors run them and schedule exams; members join with a code and see averages.

Every view fetches the team through `exams.teams.selectors` (`team_run_by`, `team_visible_to`),
so an instructor sees only the teams they run and a candidate never sees another member's answers.
"""

from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import is_instructor
from exams.blueprints.spec import score_text
from exams.forms import JoinForm, TeamExamForm, TeamForm
from exams.models import Team, TeamExam
from exams.teams import selectors, services
from quizzes.study import reviews
from studyapp.htmx import HtmxHttpRequest, fragment

INSTRUCTOR = "quizzes.preview_bank"


def _zone(request: HtmxHttpRequest) -> str:
    """The signed-in user's time zone (study settings): times are typed and shown in it."""
    return reviews.learner_settings(request.user).time_zone


def _invite_url(request: HtmxHttpRequest, team: Team) -> str:
    return request.build_absolute_uri(reverse("team_join_code", args=[team.invite_code]))


def _team_exam(request: HtmxHttpRequest, pk: int, exam_pk: int) -> TeamExam:
    """A scheduled exam of a team the instructor runs, or a 404."""
    return selectors.team_exam_of(selectors.team_run_by(request.user, pk), exam_pk)


@login_required
@require_safe
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        **selectors.teams_of(request.user),
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
        errors = form.errors.get("name") or [_("Give the team a name.")]
        messages.error(request, errors[0])
        return redirect("team_list")
    team = services.team_create(team=form.save(commit=False), instructor=request.user)
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
        if services.team_join(team=team, user=request.user):
            messages.success(request, _("You joined %(team)s.") % {"team": team.name})
        else:
            messages.info(request, _("You are already a member of %(team)s.") % {"team": team.name})
        return redirect(team)
    team = form.cleaned_data["code"] if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "team": team,
        "already": team is not None and selectors.belongs(team, request.user),
    }
    return render(request, "exams/team_join.html", context)


@login_required
@require_safe
def team_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_visible_to(request.user, pk)
    running = team.instructor_id == request.user.pk
    zone = _zone(request)
    context = {"team": team, "running": running, "exams": selectors.team_exams(team), "zone": zone}
    if running:
        now = timezone.now()
        context["members"] = selectors.members(team)
        context["schedule_form"] = TeamExamForm(
            team=team,
            zone=zone,
            initial={
                "opens_at": now.replace(second=0, microsecond=0),
                "closes_at": (now + timedelta(days=7)).replace(second=0, microsecond=0),
            },
        )
        context["invite_url"] = _invite_url(request, team)
    else:
        context["my_attempts"] = selectors.attempts_by_exam(request.user, team)
        context["averages"] = selectors.team_averages(team)
    # Times are shown (and typed) in the user's own zone, stored in UTC.
    with timezone.override(zone):
        return render(request, "exams/team.html", context)


@login_required
@require_POST
def team_exam_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_run_by(request.user, pk)
    zone = _zone(request)
    with timezone.override(zone):
        # The typed times are read in the instructor's zone and stored in UTC.
        form = TeamExamForm(request.POST, team=team, zone=zone)
        if form.is_valid():
            exam = form.save()
            messages.success(request, _("%(exam)s is scheduled.") % {"exam": exam.blueprint.title})
            return redirect("team_board", pk=team.pk, exam_pk=exam.pk)
        context = {
            "team": team,
            "running": True,
            "exams": selectors.team_exams(team),
            "members": selectors.members(team),
            "schedule_form": form,
            "zone": zone,
            "invite_url": _invite_url(request, team),
        }
        return render(request, "exams/team.html", context)


@login_required
@require_safe
def team_board(request: HtmxHttpRequest, pk: int, exam_pk: int) -> HttpResponse:
    """Who has not started, who is answering (and how far), who has submitted; htmx polls it."""
    team_exam = _team_exam(request, pk, exam_pk)
    now = timezone.now()
    rows = selectors.member_rows(team_exam, now=now)
    context = {
        "team": team_exam.team,
        "team_exam": team_exam,
        "rows": rows,
        "counts": selectors.status_counts(rows),
        "now": now,
    }
    return render(request, fragment(request, "exams/board.html", "board"), context)


@login_required
@require_safe
def team_results(request: HtmxHttpRequest, pk: int, exam_pk: int) -> HttpResponse:
    team_exam = _team_exam(request, pk, exam_pk)
    rows, titles = selectors.results_table(team_exam, now=timezone.now())
    overall = selectors.team_averages(team_exam.team).get(team_exam.pk)
    context = {
        "team": team_exam.team,
        "team_exam": team_exam,
        "rows": rows,
        "titles": titles,
        "averages": selectors.topic_averages(rows, titles),
        "overall": overall or {"count": 0, "score": None},
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
    # An export is English data, like its headers: the topics' English titles.
    with translation.override("en"):
        rows, titles = selectors.results_table(team_exam, now=timezone.now())
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
