"""Spaced repetition: a card per learner and question, every review logged, per-learner settings."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .course import Question


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Paris")


class LearnerSettings(models.Model):
    """How a learner wants to study; defaults follow Anki and FSRS."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_settings"
    )
    desired_retention = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.80), MaxValueValidator(0.97)],
        help_text=_("The chance of remembering a card when it comes due (0.80 to 0.97)."),
    )
    new_per_day = models.PositiveSmallIntegerField(
        "new cards per day", default=20, validators=[MaxValueValidator(500)]
    )
    max_reviews_per_day = models.PositiveIntegerField(
        "maximum reviews per day",
        default=200,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
    )
    max_interval_days = models.PositiveIntegerField(
        "maximum interval (days)",
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # "" follows the browser (or the switcher in the header); a code from settings.LANGUAGES wins
    # once signed in (accounts.middleware.LearnerLanguageMiddleware).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("As my browser asks"))] + list(settings.LANGUAGES),
    )
    exam_date = models.DateField(
        null=True, blank=True, help_text=_("Every card is seen again before this day.")
    )
    target_exam = models.SlugField(
        max_length=80,
        blank=True,
        help_text=_("The mock exam (blueprint slug) you prepare for: new cards lean towards it."),
    )
    target_certification = models.CharField(
        max_length=10,
        blank=True,
        help_text="The certification the target exam stands for (clf-c02, saa-c03, dva-c02).",
    )
    new_card_weights = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "Per topic, the share of the target exam's score the forecast expects to lose: "
            "new cards lean towards the largest (kept by exams.readiness)."
        ),
    )
    # Personal FSRS parameters (manage.py optimize_fsrs or the settings page); null: the defaults.
    fsrs_parameters = models.JSONField(null=True, blank=True)
    fsrs_previous_parameters = models.JSONField(
        null=True,
        blank=True,
        help_text=_("What was used before the last optimisation, to go back."),
    )
    fsrs_report = models.JSONField(
        null=True, blank=True, help_text=_("Reviews used, log loss and RMSE before and after.")
    )

    def __str__(self) -> str:
        return f"settings of {self.user}"

    def scheduler_settings(self):  # -> scheduler.Settings
        from quizzes.study.scheduler import Settings

        return Settings(
            desired_retention=self.desired_retention,
            maximum_interval=self.max_interval_days,
            exam_date=self.exam_date,
            time_zone=self.time_zone,
            parameters=tuple(self.fsrs_parameters) if self.fsrs_parameters else None,
        )


# The columns of scheduler.CardState, in its order.
SCHEDULE_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)


class Card(models.Model):
    """A learner's memory of one question, in columns FSRS needs and queries can index."""

    class State(models.IntegerChoices):
        NEW = 0, _("New")
        LEARNING = 1, _("Learning")
        REVIEW = 2, _("Review")
        RELEARNING = 3, _("Relearning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    is_leech = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="one_card_per_question")
        ]
        indexes = [
            # The review queue ranks due cards from this index alone (it covers every column the
            # ranking reads), so it never touches the table for the hundreds of cards it skips.
            # `suspended` comes after `due`: Django writes `NOT suspended`, which SQLite cannot
            # match to an index column, so the range on `due` must come first.
            models.Index(
                fields=[
                    *("user", "due", "suspended", "question"),
                    *("state", "last_review", "stability"),
                ],
                name="card_due_window",
            ),
            models.Index(fields=["user", "is_leech"], name="card_leech"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id}"

    def state_tuple(self):  # -> scheduler.CardState
        from quizzes.study.scheduler import CardState

        return CardState(*(getattr(self, name) for name in SCHEDULE_FIELDS))

    def apply(self, state) -> None:
        """Copy a scheduler.CardState onto the columns."""
        for name in SCHEDULE_FIELDS:
            setattr(self, name, getattr(state, name))


class ReviewLog(models.Model):
    """One review, kept for re-optimising FSRS parameters later and for undo."""

    class Source(models.TextChoices):
        REVIEW = "review", _("Review")
        QUIZ = "quiz", _("Quiz")
        EXAM = "exam", _("Mock exam")

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_logs"
    )
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.PositiveSmallIntegerField()
    interval_before_days = models.FloatField(
        default=0, help_text=_("Scheduled interval the card was on.")
    )
    interval_days = models.FloatField(help_text=_("The interval this review scheduled."))
    card_before = models.JSONField(
        help_text=_("The card's columns before, so the review can be undone.")
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REVIEW)
    token = models.CharField(
        max_length=40, help_text=_("Sent with the grade: a resent request is not counted twice.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_review_per_token")
        ]
        indexes = [
            models.Index(fields=["user", "-reviewed_at"], name="log_recent"),
            # Today's counts (reviews, new cards) read from the index alone.
            models.Index(
                fields=["user", "reviewed_at", "source", "state_before"], name="log_today"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id} rated {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"
