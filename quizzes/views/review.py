"""The review session: one card at a time, swapped in place by htmx, working without JavaScript.

Every form carries the signed token of the card's showing, so a double click, a refresh or a resent
request grades a card once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import answering, reviews, scheduler
from ..models import Card, Question, Topic
from .course import HtmxHttpRequest, fragment

TEMPLATE = "quizzes/review.html"


def _topic(request: HtmxHttpRequest) -> Topic | None:
    slug = request.GET.get("topic") or request.POST.get("topic") or ""
    if not slug:
        return None
    return get_object_or_404(Topic.objects.live(), slug=slug)


def _review_url(topic: Topic | None) -> str:
    url = reverse("review")
    return f"{url}?topic={topic.slug}" if topic else url


def _buttons(card: Card, settings, now) -> list[dict]:
    intervals = scheduler.preview(
        card.state_tuple(), now, settings.scheduler_settings(), card_id=card.pk
    )
    return [
        {"rating": rating, "label": label, "interval": scheduler.format_interval(intervals[rating])}
        for rating, label in reviews.RATING_LABELS.items()
    ]


def _card_context(card: Card, *, token: str, settings, now, **extra) -> dict:
    showing = reviews.read_token(token)
    presented = answering.present(card.question, showing.nonce)
    return {
        "card": card,
        "token": token,
        "presented": presented,
        "buttons": _buttons(card, settings, now),
        **extra,
    }


def _render(
    request: HtmxHttpRequest, topic: Topic | None, context: dict, *, status: int = 200
) -> HttpResponse:
    context.setdefault("topic", topic)
    context.setdefault("topics", Topic.objects.live().only("slug", "title"))
    return render(request, fragment(request, TEMPLATE, "session"), context, status=status)


def _next(request: HtmxHttpRequest, topic: Topic | None, settings=None, **extra) -> HttpResponse:
    settings = settings or reviews.learner_settings(request.user)
    now = timezone.now()
    queue = reviews.review_queue(
        user=request.user, settings=settings, now=now, topic=topic and topic.slug
    )
    context: dict = {"queue": queue, **extra}
    if queue.card is not None:
        token = reviews.card_token(queue.card, now)
        context.update(_card_context(queue.card, token=token, settings=settings, now=now))
    return _render(request, topic, context)


@login_required
@require_GET
def review(request: HtmxHttpRequest) -> HttpResponse:
    """The next card: due ones first, then new ones up to today's limit."""
    return _next(request, _topic(request))


def _showing_card(request: HtmxHttpRequest) -> tuple[Card, str]:
    token = request.POST.get("token") or request.GET.get("token") or ""
    showing = reviews.read_token(token)
    if showing is None:
        raise Http404("This card's link has expired: open the review again.")
    question = get_object_or_404(Question, pk=showing.question_id)
    card, _ = Card.objects.select_related("question__topic").get_or_create(
        user=request.user, question=question
    )
    return card, token


@login_required
@require_GET
def reveal(request: HtmxHttpRequest) -> HttpResponse:
    """A flashcard's back and the four grades (GET: nothing changes until a grade is posted)."""
    topic = _topic(request)
    card, token = _showing_card(request)
    settings = reviews.learner_settings(request.user)
    queue = reviews.review_queue(
        user=request.user, settings=settings, now=timezone.now(), topic=topic and topic.slug
    )
    context = _card_context(
        card, token=token, settings=settings, now=timezone.now(), revealed=True, queue=queue
    )
    return _render(request, topic, context)


@login_required
@require_POST
def answer(request: HtmxHttpRequest) -> HttpResponse:
    """Check a question card's answer; the grade is posted separately, so it can change."""
    topic = _topic(request)
    card, token = _showing_card(request)
    settings = reviews.learner_settings(request.user)
    now = timezone.now()
    showing = reviews.read_token(token)
    queue = reviews.review_queue(
        user=request.user, settings=settings, now=now, topic=topic and topic.slug
    )
    context = _card_context(card, token=token, settings=settings, now=now, queue=queue)
    selected = request.POST.getlist("choice")
    typed = request.POST.get("answer", "")
    try:
        feedback = answering.grade(card.question, showing.nonce, selected, typed)
    except answering.AnswerError as error:
        context.update(error=str(error), selected=selected, typed=typed)
        return _render(request, topic, context, status=200)
    seconds = now.timestamp() - showing.shown_at
    context.update(
        feedback=feedback,
        revealed=True,
        suggested=reviews.derived_rating(correct=feedback.correct, seconds=seconds),
    )
    return _render(request, topic, context)


@login_required
@require_POST
def grade(request: HtmxHttpRequest) -> HttpResponse:
    """Record a grade once, then show the next card."""
    topic = _topic(request)
    card, token = _showing_card(request)
    showing = reviews.read_token(token)
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    if rating not in reviews.RATING_LABELS:
        messages.error(request, "Choose a grade: Again, Hard, Good or Easy.")
        return redirect(_review_url(topic))
    now = timezone.now()
    settings = reviews.learner_settings(request.user)
    reviews.review_grade(
        user=request.user,
        question=card.question,
        rating=rating,
        nonce=showing.nonce,
        now=now,
        settings=settings,
        duration_ms=max(int((now.timestamp() - showing.shown_at) * 1000), 0),
    )
    if not request.htmx:
        return redirect(_review_url(topic))
    return _next(request, topic, settings=settings)


@login_required
@require_POST
def undo(request: HtmxHttpRequest) -> HttpResponse:
    """Take back the last review and show that card again."""
    topic = _topic(request)
    card = reviews.review_undo(user=request.user)
    if card is None:
        if request.htmx:
            return _next(request, topic, notice="There is no review to undo.")
        messages.info(request, "There is no review to undo.")
        return redirect(_review_url(topic))
    if not request.htmx:
        messages.success(request, "Undone: this card is back as it was.")
        return redirect(_review_url(topic))
    settings = reviews.learner_settings(request.user)
    now = timezone.now()
    queue = reviews.review_queue(
        user=request.user, settings=settings, now=now, topic=topic and topic.slug
    )
    token = reviews.card_token(card, now)
    context = _card_context(
        card, token=token, settings=settings, now=now, queue=queue, notice="Undone."
    )
    return _render(request, topic, context)
