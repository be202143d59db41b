"""Sitting a mock exam: the list, the attempt (one question at a time), review, submit, results.

Nothing here shows a right answer, rationale or explanation before the attempt is submitted: the
question partial only ever receives `answering.present(...)`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from quizzes.models import Question
from quizzes.selectors import with_question
from quizzes.study import answering, holds
from quizzes.views.course import HtmxHttpRequest, fragment

from . import services
from .models import GRACE, Blueprint, ExamAttempt, ExamItem, TeamExam

TEMPLATE = "exams/attempt.html"
MAX_SEQ = 2**63 - 1  # ExamItem.seq is a 64-bit column


@login_required
@require_safe
def exam_list(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    services.attempts_expire(now=now, attempts=ExamAttempt.objects.filter(user=request.user))
    attempts = ExamAttempt.objects.filter(user=request.user).select_related(
        "blueprint", "team_exam__team"
    )
    team_exams = (
        TeamExam.objects.filter(team__memberships__user=request.user, closes_at__gte=now)
        .select_related("team", "blueprint")
        .order_by("opens_at")
    )
    context = {
        "blueprints": Blueprint.objects.filter(retired_at__isnull=True),
        "attempts": attempts[:20],
        "team_exams": team_exams,
        "now": now,
    }
    return render(request, "exams/exam_list.html", context)


@login_required
@require_POST
def exam_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    blueprint = get_object_or_404(Blueprint, slug=slug, retired_at__isnull=True)
    return _start(request, blueprint, None)


@login_required
@require_POST
def team_exam_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team_exam = get_object_or_404(
        TeamExam.objects.select_related("blueprint", "team"),
        pk=pk,
        team__memberships__user=request.user,
    )
    return _start(request, team_exam.blueprint, team_exam)


def _start(
    request: HtmxHttpRequest, blueprint: Blueprint, team_exam: TeamExam | None
) -> HttpResponse:
    try:
        attempt = services.attempt_start(
            user=request.user, blueprint=blueprint, team_exam=team_exam, now=timezone.now()
        )
    except services.ExamError as error:
        messages.error(request, str(error))
        return redirect("exam_list")
    return redirect(attempt)


def _own_attempt(request: HtmxHttpRequest, pk: int) -> ExamAttempt:
    """The candidate's own attempt; anyone else's is a 404."""
    return get_object_or_404(
        ExamAttempt.objects.select_related("blueprint"), pk=pk, user=request.user
    )


def _finish_if_expired(attempt: ExamAttempt) -> bool:
    """Submit an attempt whose time ran out; True when it is (now) submitted."""
    now = timezone.now()
    if attempt.submitted_at is None and services.is_expired(attempt, now):
        services.attempt_submit(attempt=attempt, now=now, auto=True)
        attempt.refresh_from_db()
    return attempt.submitted_at is not None


def _results_redirect(request: HtmxHttpRequest, attempt: ExamAttempt) -> HttpResponse:
    url = reverse("exam_results", args=[attempt.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_safe
def attempt_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One question with the navigator and the countdown; resumes wherever the candidate was."""
    attempt = _own_attempt(request, pk)
    if _finish_if_expired(attempt):
        return _results_redirect(request, attempt)
    items = _navigator_items(attempt)
    try:
        position = int(request.GET.get("q", "1"))
    except ValueError:
        position = 1
    item = next((i for i in items if i.position == position), items[0])
    item.question = with_question(Question.objects, prefix="").get(pk=item.question_id)
    context = {
        **_attempt_context(attempt, items, item),
        "presented": answering.present(item.question, item.seed, item.choice_order),
    }
    return render(request, fragment(request, TEMPLATE, "question"), context)


def _navigator_items(attempt: ExamAttempt) -> list[ExamItem]:
    """What the navigator grid needs of every item: not 65 questions with their choices."""
    fields = ("id", "attempt_id", "question_id", "position", "seed", "choice_order", "selected",
              "flagged", "saved_at")  # fmt: skip
    return list(attempt.items.only(*fields))


def _attempt_context(attempt: ExamAttempt, items: list[ExamItem], item: ExamItem | None) -> dict:
    now = timezone.now()
    position = item.position if item else 0
    return {
        "attempt": attempt,
        "items": items,
        "item": item,
        "remaining": max(int((attempt.deadline - now).total_seconds()), 0),
        "answered": sum(i.answered for i in items),
        "flagged": sum(i.flagged for i in items),
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < len(items) else None,
    }


@login_required
@require_POST
def attempt_save(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    """Autosave one answer and flag; refused after the deadline plus grace."""
    attempt = _own_attempt(request, pk)
    try:
        seq = int(request.POST.get("seq") or 0)
    except ValueError:
        seq = 0
    if not 0 < seq <= MAX_SEQ:
        seq = 0  # not a counter exam.js sends (or beyond the column): the server's clock instead
    try:
        services.attempt_save(
            attempt=attempt,
            position=position,
            selected=request.POST.getlist("choice"),
            flagged=request.POST.get("flagged") == "on",
            # The same unit as exam.js (microseconds), so a post without the script is not older.
            seq=seq or int(timezone.now().timestamp() * 1_000_000),
            now=timezone.now(),
        )
    except services.TooLate as error:
        _finish_if_expired(attempt)
        if request.htmx:
            response = HttpResponseClientRedirect(reverse("exam_results", args=[attempt.pk]))
            response.status_code = 409
            return response
        messages.error(request, str(error))
        return redirect("exam_results", pk=attempt.pk)
    except services.ExamError as error:
        raise Http404(str(error)) from None
    items = _navigator_items(attempt)
    item = next(i for i in items if i.position == position)
    if not request.htmx:
        go = request.POST.get("go")
        target = reverse("exam_review", args=[pk]) if go == "review" else None
        if target is None:
            wanted = (
                position + 1 if go == "next" else position - 1 if go == "previous" else position
            )
            target = f"{reverse('exam_attempt', args=[pk])}?q={min(max(wanted, 1), len(items))}"
        return redirect(target)
    context = {**_attempt_context(attempt, items, item), "saving": True}
    return render(request, "exams/attempt.html#saved", context)


@login_required
@require_safe
def attempt_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Before submitting: every question's status, to jump back or submit."""
    attempt = _own_attempt(request, pk)
    if _finish_if_expired(attempt):
        return _results_redirect(request, attempt)
    items = _navigator_items(attempt)
    context = _attempt_context(attempt, items, None)
    context["unanswered"] = len(items) - context["answered"]
    return render(request, "exams/review.html", context)


@login_required
@require_POST
def attempt_submit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    now = timezone.now()
    # The countdown posts this at the deadline: then the submission is automatic.
    services.attempt_submit(attempt=attempt, now=now, auto=now >= attempt.deadline)
    return _results_redirect(request, attempt)


@login_required
@require_safe
def attempt_results(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Score, pass or fail, topics, time used; then every question with the key, once submitted."""
    attempt = _own_attempt(request, pk)
    if not _finish_if_expired(attempt):
        return redirect(attempt)
    items = list(with_question(attempt.items.all()))
    result = services.attempt_result(attempt, items)
    window_open = attempt.team_exam is not None and timezone.now() < attempt.team_exam.closes_at
    show_review = attempt.blueprint.explanations_after_submit or not window_open
    if attempt.team_exam is None and show_review:
        # A solo attempt shows no key of a question held for one of the learner's team exams.
        hold = holds.practice_hold(user=request.user, now=timezone.now())
        show_review = not hold.held_ids([item.question_id for item in items])
    reviewed = []
    if show_review:
        for item in items:
            presented = answering.present(item.question, item.seed, item.choice_order)
            reviewed.append((item, presented, _feedback(item)))
    context = {
        "attempt": attempt,
        "result": result,
        "reviewed": reviewed,
        "show_review": show_review,
        "grace": GRACE,
    }
    return render(request, "exams/results.html", context)


def _feedback(item: ExamItem) -> answering.Feedback:
    """The key against what was saved, whatever it was (a half-answered "choose two" included)."""
    by_key = {choice["key"]: choice for choice in item.question.choices}
    return answering.Feedback(
        correct=bool(item.correct),
        choices=[
            answering.FeedbackChoice(
                key,
                by_key[key]["html"],
                by_key[key]["correct"],
                key in item.selected,
                by_key[key]["rationale_html"],
            )
            for key in item.choice_order
            if key in by_key
        ],
    )
