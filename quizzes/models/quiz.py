"""Practice quizzes: a drawn list of questions answered one at a time with immediate feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .course import Question


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quizzes"
    )
    filters = models.JSONField(
        default=dict, help_text=_("What the learner asked for: topics, exam, ...")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"quiz {self.pk} of {self.user}"


class QuizItem(models.Model):
    """One question of a quiz: its choice order and, for cost exercises, its seed are fixed."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="quiz_items")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    seed = models.CharField(max_length=32, blank=True)
    answer = models.JSONField(null=True, blank=True)
    correct = models.BooleanField(null=True)
    shown_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_item_per_position")
        ]
        indexes = [models.Index(fields=["question", "correct"], name="quizitem_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"
