"""A learner's own flashcards, as in Anki: added from a note section or a review, edited,
suspended; scheduled like the course's cards (a Card row, due at once, then FSRS), private to
the learner (`Question.owner`; `Question.objects.live()` leaves them out of everything shared),
sanitised like every text (Markdown, then nh3), and never touched by `load_content`.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quizzes.course.markup import Renderer
from quizzes.models import Card, Question, Topic

MAX_TEXT = 2000  # characters per side: a card, not a note (the form says the same)
MAX_CARDS = 5000  # per learner: far past a course's worth, short of filling the database
UID_PREFIX = "own:"  # never a bank id (bank ids are slugs), so a load cannot collide with one


class OwnCardError(ValueError):
    """What is wrong with a card's text, in words for the form."""


def _clean(front: str, back: str) -> tuple[str, str]:
    front, back = (front or "").strip(), (back or "").strip()
    if not front:
        raise OwnCardError(_("Write the front of the card: the question you want to be asked."))
    if not back:
        raise OwnCardError(_("Write the back of the card: the answer you want to recall."))
    if len(front) > MAX_TEXT or len(back) > MAX_TEXT:
        raise OwnCardError(
            _("Keep each side under %(n)s characters.")
            % {"n": number_format(MAX_TEXT, force_grouping=True)}
        )
    return front, back


def _rendered(front: str, back: str, section: str) -> dict:
    renderer = Renderer()
    return {
        "stem_html": renderer.full_text(front),
        "back_html": renderer.full_text(back),
        "spec": {"front": front, "back": back, "section": section},
    }


def own_card_create(
    *, user: AbstractBaseUser, topic: Topic, front: str, back: str, section: str, now: datetime
) -> Card:
    """A new private flashcard in `topic` (`section`: the note heading it is about), due now."""
    front, back = _clean(front, back)
    if Question.objects.filter(owner=user).count() >= MAX_CARDS:
        raise OwnCardError(
            _("You have %(n)s cards of your own, the most one account keeps.")
            % {"n": number_format(MAX_CARDS, force_grouping=True)}
        )
    with transaction.atomic():
        question = Question.objects.create(
            uid=f"{UID_PREFIX}{user.pk}:{secrets.token_hex(6)}", topic=topic,
            type=Question.Type.FLASHCARD, difficulty=Question.Difficulty.MEDIUM,
            source_path=f"own/{user.pk}", fingerprint="", owner=user,
            **_rendered(front, back, section),
        )  # fmt: skip
        return Card.objects.create(user=user, question=question, due=now)


def own_card_update(*, question: Question, front: str, back: str) -> Question:
    """New text for one of the learner's cards; its schedule and history stay."""
    front, back = _clean(front, back)
    fields = _rendered(front, back, question.spec.get("section", ""))
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=[*fields, "updated_at"])
    return question


def own_card_suspend(*, card: Card, suspended: bool) -> None:
    """Out of the reviews (or back in) without losing its history."""
    card.suspended = suspended
    card.save(update_fields=["suspended"])
