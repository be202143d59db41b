"""A learner's own flashcards: add (from a note section or a review), list, edit, suspend."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import selectors
from quizzes.forms import OwnCardForm
from quizzes.models import Question
from quizzes.study import own_cards
from studyapp.htmx import HtmxHttpRequest


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_card_new(request: HtmxHttpRequest) -> HttpResponse:
    """Add a card about a note section (?topic=&section=) or a reviewed card (?topic=&from=)."""
    source = request.POST if request.method == "POST" else request.GET
    topic = selectors.topic_or_none(str(source.get("topic", "")))
    sections = selectors.note_sections(topic)
    initial = {"topic": topic.slug if topic else "", "section": request.GET.get("section", "")}
    form = OwnCardForm(
        request.POST if request.method == "POST" else None, initial=initial,
        topics=selectors.topic_links(), sections=sections,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and topic is not None:
        try:
            own_cards.own_card_create(
                user=request.user, topic=topic, front=form.cleaned_data["front"],
                back=form.cleaned_data["back"], section=form.cleaned_data["section"],
                now=timezone.now(),
            )  # fmt: skip
        except own_cards.OwnCardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your card is added: it is due now in your reviews."))
            return redirect("own_cards")
    return render(request, "quizzes/own_card_form.html", {"form": form, "adding": True})


@login_required
@require_safe
def own_card_list(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "quizzes/own_cards.html", {"cards": selectors.own_cards(request.user)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_card_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    card = selectors.own_card(request.user, pk)
    question: Question = card.question
    topic = question.topic
    spec = question.spec
    initial = {"topic": topic.slug, "section": spec.get("section", ""),
               "front": spec.get("front", ""), "back": spec.get("back", "")}  # fmt: skip
    form = OwnCardForm(
        request.POST if request.method == "POST" else None, initial=initial,
        topics=[(topic.slug, topic.title)], sections=selectors.note_sections(topic),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            own_cards.own_card_update(
                question=question, front=form.cleaned_data["front"], back=form.cleaned_data["back"]
            )
        except own_cards.OwnCardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Card saved; its schedule is unchanged."))
            return redirect("own_cards")
    return render(request, "quizzes/own_card_form.html", {"form": form, "card": card})


@login_required
@require_POST
def own_card_suspend(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    card = selectors.own_card(request.user, pk)
    if action not in ("suspend", "resume"):
        messages.error(request, _("Unknown action."))
        return redirect("own_cards")
    own_cards.own_card_suspend(card=card, suspended=action == "suspend")
    messages.success(
        request, _("Card suspended: it stays out of your reviews.") if action == "suspend"
        else _("Card back in your reviews."),
    )  # fmt: skip
    return redirect("own_cards")
