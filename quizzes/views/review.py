"""The review session: one card at a time, swapped in place by htmx, working without JavaScript.

Every form carries the signed token of the card's showing, so a double click, a refresh or a resent
request grades a card once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from quizzes import selectors
from quizzes.course import notes
from quizzes.models import Card, Question, Topic
from quizzes.study import answering, holds, reviews, scheduler
from studyapp.htmx import HtmxHttpRequest, fragment

TEMPLATE = "quizzes/review.html"
UNDONE = "review_undone"  # session key: (question id, nonce) of a showing brought back by undo


def _topic(request: HtmxHttpRequest) -> Topic | None:
    slug = request.GET.get("topic") or request.POST.get("topic") or ""
    if not slug:
        return None
    return selectors.live_topic(slug)


def _review_url(topic: Topic | None) -> str:
    url = reverse("review")
    return f"{url}?topic={topic.slug}" if topic else url


def _buttons(card: Card, settings, now) -> list[dict]:
    intervals = scheduler.preview(
        card.state_tuple(), now, settings.scheduler_settings(), card_id=card.pk
    )
    return [
        {
            "rating": rating,
            "label": str(label),
            "interval": reviews.interval_text(intervals[rating]),
        }
        for rating, label in reviews.RATING_LABELS.items()
    ]


def _session(
    request: HtmxHttpRequest,
    topic: Topic | None,
    *,
    card: Card | None = None,
    showing: reviews.Showing | None = None,
    settings=None,
    **extra,
) -> HttpResponse:
    """The session with today's progress and a card: the one given, or the next in the queue."""
    settings = settings or reviews.learner_settings(request.user)
    now = timezone.now()
    queue = reviews.review_queue(
        user=request.user, settings=settings, now=now, topic=topic and topic.slug
    )
    context = {"queue": queue, "topic": topic, **extra}
    card = card or queue.card
    if card is not None and showing is None and UNDONE in request.session:
        # Without JavaScript, undo redirects here: the card comes back in the order it was seen.
        question_id, nonce = request.session.pop(UNDONE)
        if question_id == card.question_id:
            showing = reviews.read_token(reviews.card_token(card, now, nonce=nonce))
    if card is not None:
        token = showing.token if showing else reviews.card_token(card, now)
        nonce = (showing or reviews.read_token(token)).nonce
        context.update(
            card=card,
            token=token,
            presented=answering.present(card.question, nonce, selected=extra.get("selected", ())),
            buttons=_buttons(card, settings, now),
        )
    context["topics"] = selectors.topic_links()
    if card is not None:
        context["read_more"] = _read_more(card.question)
        # "Add a card about this" opens on the same note section.
        context["card_section"] = context["read_more"].partition("#")[2]
    return render(request, fragment(request, TEMPLATE, "session"), context)


def _read_more(question: Question) -> str:
    """The note section a card comes from: its topic's note, at the best-matching heading (the
    topic's table of contents: read with a due card, one query for a card whose join left it
    out)."""
    topic = question.topic
    url = reverse("note", args=[topic.slug])
    if "toc_html" in topic.get_deferred_fields():
        toc = selectors.topic_toc(question.topic_id)
    else:
        toc = topic.section_toc_html
    spec = question.spec or {}
    text = (
        " ".join(str(spec.get(key) or "") for key in ("stem", "front", "back", "explanation"))
        or question.stem_html
    )
    section = notes.section_for(toc or "", text, tuple(spec.get("tags") or ()))
    return f"{url}#{section[0]}" if section else url


@login_required
@require_safe
def review(request: HtmxHttpRequest) -> HttpResponse:
    """The next card: due ones first, then new ones up to today's limit."""
    return _session(request, _topic(request))


def _showing_card(request: HtmxHttpRequest) -> tuple[Card, reviews.Showing]:
    """The card a form's token was made for, and that showing (a bad token is a 404)."""
    showing = reviews.read_token(request.POST.get("token") or request.GET.get("token") or "")
    if showing is None:
        raise Http404("This card's link has expired: open the review again.")
    question = selectors.question_with_topic(showing.question_id)
    return reviews.card_for(request.user, question), showing


def _held(request: HtmxHttpRequest, card: Card) -> str:
    """Why this card cannot be answered now (held for a team exam), or an empty string."""
    hold = holds.practice_hold(user=request.user, now=timezone.now())
    return hold.message() if hold.held_ids([card.question_id]) else ""


@login_required
@require_safe
def reveal(request: HtmxHttpRequest) -> HttpResponse:
    """A flashcard's back and the four grades (GET: nothing changes until a grade is posted)."""
    card, showing = _showing_card(request)
    if held := _held(request, card):
        return _session(request, _topic(request), notice=held)
    return _session(request, _topic(request), card=card, showing=showing, revealed=True)


@login_required
@require_POST
def answer(request: HtmxHttpRequest) -> HttpResponse:
    """Check a question card's answer; the grade is posted separately, so it can change."""
    card, showing = _showing_card(request)
    if held := _held(request, card):
        return _session(request, _topic(request), notice=held)
    selected = answering.decode(card.question, showing.nonce, request.POST.getlist("choice"))
    typed = request.POST.get("answer", "")
    try:
        feedback = answering.grade(card.question, showing.nonce, selected, typed)
    except answering.AnswerError as error:
        extra = {"error": str(error), "selected": selected, "typed": typed}
    else:
        seconds = timezone.now().timestamp() - showing.shown_at
        suggested = reviews.derived_rating(correct=feedback.correct, seconds=seconds)
        extra = {"feedback": feedback, "revealed": True, "suggested": suggested}
    return _session(request, _topic(request), card=card, showing=showing, **extra)


@login_required
@require_POST
def grade(request: HtmxHttpRequest) -> HttpResponse:
    """Record a grade once, then show the next card."""
    topic = _topic(request)
    showing = reviews.read_token(request.POST.get("token") or "")
    if showing is None:
        raise Http404("This card's link has expired: open the review again.")
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    if rating not in reviews.RATING_LABELS:
        messages.error(request, _("Choose a grade: Again, Hard, Good or Easy."))
        return redirect(_review_url(topic))
    now = timezone.now()
    settings = reviews.learner_settings(request.user)
    try:
        reviews.review_grade(
            user=request.user,
            question_id=showing.question_id,
            rating=rating,
            nonce=showing.nonce,
            now=now,
            settings=settings,
            duration_ms=max(int((now.timestamp() - showing.shown_at) * 1000), 0),
        )
    except Question.DoesNotExist:
        raise Http404("This card's question is no longer in the course.") from None
    if not request.htmx:
        return redirect(_review_url(topic))
    return _session(request, topic, settings=settings)


@login_required
@require_POST
def undo(request: HtmxHttpRequest) -> HttpResponse:
    """Take back the last review and show that card again."""
    topic = _topic(request)
    card = reviews.review_undo(user=request.user)
    if request.htmx:
        if card is None:
            return _session(request, topic, notice=_("There is no review to undo."))
        # The same showing again: its choices come back in the order the learner saw.
        token = reviews.card_token(card, timezone.now(), nonce=card.shown_nonce)
        showing = reviews.read_token(token)
        return _session(request, topic, card=card, showing=showing, notice=_("Undone."))
    if card is None:
        messages.info(request, _("There is no review to undo."))
    else:
        request.session[UNDONE] = [card.question_id, card.shown_nonce]
        messages.success(request, _("Undone: this card is back as it was."))
    return redirect(_review_url(topic))
