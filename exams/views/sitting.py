"""Sitting a mock exam: the list, the attempt (one question at a time), review, submit, results.

Nothing here shows a right answer, rationale or explanation before the attempt is submitted: the
question partial only ever receives `answering.present(...)`.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from exams.models import GRACE, Blueprint, ExamAttempt, ExamItem, TeamExam
from exams.readiness import forecast as readiness
from exams.sitting import results, selectors, services
from quizzes.study import answering, reviews
from studyapp.htmx import HtmxHttpRequest, fragment

TEMPLATE = "exams/attempt.html"


@login_required
@require_safe
def exam_list(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    services.attempts_expire(now=now, attempts=selectors.attempts_of(request.user))
    context = {
        **selectors.exam_list_for(user=request.user, now=now),
        "now": now,
        "zone": reviews.learner_settings(request.user).time_zone,
    }
    with timezone.override(context["zone"]):
        return render(request, "exams/exam_list.html", context)


@login_required
@require_POST
def exam_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    blueprint = selectors.live_blueprint(slug)
    return _start(request, blueprint, None)


@login_required
@require_POST
def team_exam_start(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    team_exam = selectors.team_exam_for_member(user=request.user, pk=pk)
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
    if attempt.predicted_percent is None and attempt.submitted_at is None:
        # The forecast at the start, to set against the result when it is submitted.
        readiness.attempt_predict(attempt=attempt, now=attempt.started_at)
    return redirect(attempt)


def _own_attempt(request: HtmxHttpRequest, pk: int) -> ExamAttempt:
    """The candidate's own attempt; anyone else's is a 404."""
    return selectors.own_attempt(user=request.user, pk=pk)


def _finish_if_expired(attempt: ExamAttempt) -> bool:
    """Submit an attempt whose time ran out; True when it is (now) submitted."""
    return services.finish_if_expired(attempt=attempt, now=timezone.now())


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
    item.question = selectors.page_question(item.question_id)
    context = {
        **_attempt_context(attempt, items, item),
        "presented": answering.present(
            item.question, item.seed, item.choice_order, item.selected or ()
        ),
        "page_id": _new_page_id(),
    }
    return render(request, fragment(request, TEMPLATE, "question"), context)


def _navigator_items(attempt: ExamAttempt) -> list[ExamItem]:
    """What the navigator grid needs of every item: not 65 questions with their choices."""
    return selectors.navigator_items(attempt)


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
    """Autosave one answer and flag; refused after the deadline plus grace.

    The candidate's own attempt is checked by the save itself (one query fewer on the busiest
    request of an exam): another's attempt is "no such question", a 404.
    """
    page, seq = _save_order(request)
    try:
        saved = services.attempt_save(
            attempt_id=pk,
            user=request.user,
            position=position,
            # Pages carry opaque per-attempt keys: the save decodes them to the authored keys
            # that are stored and graded.
            posted=request.POST.getlist("choice"),
            flagged=request.POST.get("flagged") == "on",
            page=page,
            seq=seq,
            now=timezone.now(),
        )
    except services.TooLate as error:
        attempt = _own_attempt(request, pk)
        _finish_if_expired(attempt)
        if request.htmx:
            response = HttpResponseClientRedirect(reverse("exam_results", args=[attempt.pk]))
            response.status_code = 409
            return response
        messages.error(request, str(error))
        return redirect("exam_results", pk=attempt.pk)
    except services.TooManyChoices as error:
        if request.htmx:
            context = {"attempt": {"pk": pk}, "save_error": str(error)}
            return render(request, "exams/attempt.html#saved", context)
        messages.error(request, str(error))
        return redirect(f"{reverse('exam_attempt', args=[pk])}?q={position}")
    except services.ExamError as error:
        raise Http404(str(error)) from None
    if not request.htmx:
        go = request.POST.get("go")
        target = reverse("exam_review", args=[pk]) if go == "review" else None
        if target is None:
            wanted = (
                position + 1 if go == "next" else position - 1 if go == "previous" else position
            )
            last = selectors.item_count(pk)
            target = f"{reverse('exam_attempt', args=[pk])}?q={min(max(wanted, 1), last)}"
        return redirect(target)
    # Only what a save can change goes back: the status line, and the saved item's navigator
    # cell as the item now is (exam.js recounts the navigator's totals from the cells); a save
    # that was not kept says so and names the answer kept.
    # The cell's links need only the attempt's id: no query for the attempt itself.
    context = {"attempt": {"pk": pk}, "item": saved, "i": saved, "saved": True}
    return render(request, "exams/attempt.html#saved", context)


def _save_order(request: HtmxHttpRequest) -> tuple[int, int]:
    """The page id the server gave the page (exam.js echoes it) and the page's save counter.

    A post without them (no script, or a value that is not one the server gave) is a page of its
    own: it lands in the order it arrives.
    """
    try:
        page, seq = int(request.POST.get("page", "")), int(request.POST.get("seq", ""))
    except ValueError:
        page = seq = 0
    if not (0 < page <= services.MAX_SEQ and 0 < seq <= services.MAX_SEQ):
        page, seq = _new_page_id(), 1
    return page, seq


def _new_page_id() -> int:
    """A page's id for ordering its saves: random, so no two pages (or devices) share one."""
    return secrets.randbelow(services.MAX_SEQ) + 1


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
    stems = selectors.stems([i.question_id for i in items])
    context["rows"] = [(i, stems.get(i.question_id, "")) for i in items]
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
    """Score, pass or fail, topics, time used; then the questions to learn from, filtered and paged.

    Only the page of questions on screen is loaded with its choices: a 65-question exam is ten
    questions at a time, filtered to wrong, unanswered, flagged or one topic (links, no script).
    """
    attempt = _own_attempt(request, pk)
    if not _finish_if_expired(attempt):
        return redirect(attempt)
    items = selectors.result_items(attempt)
    result = services.attempt_result(attempt, items)
    now = timezone.now()
    visibility = services.results_visibility(
        attempt=attempt, user=request.user, question_ids=[i.question_id for i in items], now=now
    )
    states = {item.position: _item_state(item, visibility) for item in items}
    show = results.clean_filter(request.GET.get("show"))
    topics = {item.question.topic.slug: item.question.topic for item in items}
    topic = request.GET.get("topic", "")
    topic = topic if topic in topics else ""
    kept = [item for item in items if results.keeps(show, topic, states[item.position])]
    counts = results.counts(states.values(), topic)
    paginator = Paginator(kept, results.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    reviewed = _reviewed(request, page.object_list, visibility)
    context = {
        "attempt": attempt,
        "result": result,
        "reviewed": reviewed,
        "visibility": visibility,
        "held_positions": [i.position for i in items if not visibility.shows(i.question_id)],
        "grace": GRACE,
        "show": show,
        "topic": topic,
        "topics": sorted(topics.values(), key=lambda t: t.order),
        "filters": [(key, _(label), counts[key]) for key, label in results.FILTERS.items()],
        "show_label": _(results.FILTERS.get(show, "")),
        "page": page,
        "kept": len(kept),
        "actual_percent": (
            100 * attempt.correct_count / attempt.scored_count if attempt.scored_count else 0
        ),
    }
    return render(request, fragment(request, "exams/results.html", "questions"), context)


def _item_state(item: ExamItem, visibility: services.Visibility) -> results.ItemState:
    correct = item.correct if visibility.shows(item.question_id) else None  # its mark is held
    return results.ItemState(
        item.position, item.question.topic.slug, item.answered, correct, item.flagged
    )


def _reviewed(
    request: HtmxHttpRequest, page_items: list[ExamItem], visibility: services.Visibility
) -> list[tuple]:
    """The page's items with question, key, feedback, review card and note section; a held
    question comes with the candidate's own answer only (no key, no feedback)."""
    ids = [item.question_id for item in page_items]
    reads = selectors.review_reads(user=request.user, question_ids=ids)
    rows = []
    for item in page_items:
        item.question = reads.questions[item.question_id]
        held = not visibility.shows(item.question_id)
        presented = answering.present(
            item.question, item.seed, item.choice_order, (item.selected or ()) if held else ()
        )
        anchor = results.section_anchor(
            reads.tocs.get(item.question.topic_id, ""),
            [tag.name for tag in item.question.tags.all()],
        )
        section = item.question.topic.get_absolute_url() + (f"#{anchor}" if anchor else "")
        feedback = (
            None
            if held
            else answering.feedback(
                item.question, list(item.selected or []), item.choice_order, bool(item.correct)
            )
        )
        rows.append((item, presented, feedback, reads.cards.get(item.question_id), section, held))
    return rows


@login_required
@require_POST
def item_add_to_review(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    """Put a question of a submitted attempt into the learner's reviews, due again soon."""
    attempt = _own_attempt(request, pk)
    if attempt.submitted_at is None:
        raise Http404("Submit the exam first.")
    item = selectors.submitted_item(attempt, position)
    card = services.item_to_review(item=item, user=request.user, now=timezone.now())
    if request.htmx:
        return render(
            request,
            "exams/results.html#review-state",
            {"attempt": attempt, "item": item, "card": card},
        )
    messages.success(request, _("Question %(n)s is in your reviews.") % {"n": position})
    back = request.POST.get("next", "")
    results_url = reverse("exam_results", args=[pk])
    return redirect(back if back.startswith(results_url) else results_url)
