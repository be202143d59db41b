"""Practice quizzes: pick filters, answer one question at a time, see the summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import hooks, selectors
from quizzes.forms import QuizForm
from quizzes.models import QuizAttempt, QuizItem
from quizzes.study import answering, holds, quiz
from studyapp.htmx import HtmxHttpRequest, fragment

TEMPLATE = "quizzes/quiz.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def quiz_start(request: HtmxHttpRequest) -> HttpResponse:
    """The quiz form; `?topic=limits` from a note ticks that topic."""
    if request.method == "POST":
        form = QuizForm(request.POST, topics=selectors.quiz_topic_choices())
        if form.is_valid():
            filters = quiz.Filters(
                topics=tuple(form.cleaned_data["topics"]),
                exam=form.cleaned_data["exam"],
                difficulty=form.cleaned_data["difficulty"],
                mode=form.cleaned_data["mode"],
                count=form.cleaned_data["count"],
            )
            try:
                attempt = quiz.quiz_start(user=request.user, filters=filters)
            except quiz.NoQuestions as error:
                form.add_error(None, str(error))
            else:
                return redirect("quiz", pk=attempt.pk)
    else:
        initial = {"topics": request.GET.getlist("topic"), "mode": request.GET.get("mode", "all")}
        form = QuizForm(initial=initial, topics=selectors.quiz_topic_choices())
    recent = selectors.recent_quizzes(request.user)
    return render(request, "quizzes/quiz_start.html", {"form": form, "recent": recent})


def _attempt(request: HtmxHttpRequest, pk: int) -> QuizAttempt:
    """Only the learner's own quiz: anyone else's is a 404, not a 403 that confirms it exists."""
    return selectors.own_quiz(request.user, pk)


def _items(attempt: QuizAttempt) -> list[QuizItem]:
    return selectors.quiz_items(attempt)


@login_required
@require_safe
def quiz_page(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The next unanswered question, or the summary when every one is answered."""
    attempt = _attempt(request, pk)
    items = _items(attempt)
    current = next((item for item in items if item.answered_at is None), None)
    context = {
        "attempt": attempt,
        "items": items,
        "answered": sum(i.answered_at is not None for i in items),
    }
    if current is None:
        context["summary"] = quiz.quiz_summary(items)
    else:
        quiz.item_shown(item=current, now=timezone.now())
        context.update(
            item=current,
            presented=answering.present(current.question, current.seed, current.choice_order),
            error=_held(request, current),
        )
    return render(request, fragment(request, TEMPLATE, "step"), context)


@login_required
@require_POST
def quiz_answer(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    attempt = _attempt(request, pk)
    items = _items(attempt)
    item = next((i for i in items if i.position == position), None)
    if item is None:
        return redirect("quiz", pk=pk)
    selected = answering.decode(item.question, item.seed, request.POST.getlist("choice"))
    typed = request.POST.get("answer", "")
    presented = answering.present(item.question, item.seed, item.choice_order, selected)
    context = {"attempt": attempt, "items": items, "item": item, "presented": presented}
    if held := _held(request, item):
        context.update(error=held, answered=sum(i.answered_at is not None for i in items))
        return render(request, fragment(request, TEMPLATE, "step"), context)
    try:
        feedback = quiz.quiz_answer(item=item, selected=selected, typed=typed, now=timezone.now())
    except answering.AnswerError as error:
        context.update(error=str(error), selected=selected, typed=typed,
                       answered=sum(i.answered_at is not None for i in items))  # fmt: skip
        return render(request, fragment(request, TEMPLATE, "step"), context)
    items = _items(attempt)
    item = next(i for i in items if i.position == position)
    if all(i.answered_at is not None for i in items):
        # A finished quiz counts towards item statistics, recomputed in the background.
        hooks.exams().quiz_finished(user=request.user)
    context.update(feedback=feedback, items=items, item=item, question=item.question,
                   answered=sum(i.answered_at is not None for i in items))  # fmt: skip
    if not request.htmx:
        messages.info(
            request, _("Right.") if feedback.correct else _("Not quite: see the explanation below.")
        )
    return render(request, fragment(request, TEMPLATE, "step"), context)


@login_required
@require_safe
def quiz_missed(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every missed question with its answer key, rationales and explanation, to review them."""
    attempt = _attempt(request, pk)
    missed = [item for item in _items(attempt) if item.correct is False]
    held = holds.practice_hold(user=request.user, now=timezone.now()).held_ids(
        [item.question_id for item in missed]
    )
    if held:
        missed = [item for item in missed if item.question_id not in held]
        messages.info(
            request,
            ngettext(
                "%(n)d missed question is held for your team's exam.",
                "%(n)d missed questions are held for your team's exam.",
                len(held),
            )
            % {"n": len(held)},
        )
    reviewed = [(item, *_replay(item)) for item in missed]
    return render(request, "quizzes/quiz_missed.html", {"attempt": attempt, "reviewed": reviewed})


def _held(request: HtmxHttpRequest, item: QuizItem) -> str:
    """Why this item cannot be answered now (held for a team exam), or an empty string."""
    hold = holds.practice_hold(user=request.user, now=timezone.now())
    return hold.message() if hold.held_ids([item.question_id]) else ""


def _replay(item: QuizItem) -> tuple[answering.Presented, answering.Feedback]:
    """The item as it was shown and graded: same seed, same choice order, same answer."""
    answer = item.answer or {}
    presented = answering.present(item.question, item.seed, item.choice_order)
    feedback = answering.grade(
        item.question, item.seed, answer.get("selected", []), answer.get("typed", ""),
        order=item.choice_order, language=answer.get("language"),
    )  # fmt: skip
    return presented, feedback
