"""Timed mock exams (blueprints, attempts, items) and teams that sit them together."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from quizzes.models import Question
from quizzes.models.course import BLUEPRINT_TRANSLATED, Localized

if TYPE_CHECKING:
    from .blueprints.spec import BlueprintSpec

# Answers that arrive this long after the deadline still count: slow networks, a last click.
GRACE = timedelta(seconds=5)
# A day: more is a typo, and a huge number would overflow the deadline at every start.
MAX_EXTRA_MINUTES = 24 * 60


class Blueprint(Localized):
    """What an exam draws: size, time, topic weights, difficulty mix, scoring."""

    class Scoring(models.TextChoices):
        SCALED = "scaled", _("Scaled 100-1,000")
        PERCENT = "percent", _("Percent")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Per language code, the title and description of content/translations/<lang>/exams.yaml;
    # rows read in that language show them (quizzes.models.course.Localized).
    translations = models.JSONField(default=dict, blank=True)
    question_count = models.PositiveSmallIntegerField()
    scored_count = models.PositiveSmallIntegerField()
    duration_minutes = models.PositiveSmallIntegerField()
    topic_weights = models.JSONField(default=dict)
    difficulty_mix = models.JSONField(default=dict)
    exam_tag = models.CharField(max_length=20, blank=True)
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.SCALED)
    pass_mark = models.PositiveSmallIntegerField()
    source_path = models.CharField(
        max_length=300, blank=True, help_text=_("Empty when made in the app.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    OWNER_FIELD = "created_by"  # accounts.roles.owned: only its maker changes it

    class Meta:
        ordering = ["question_count", "title"]

    def __str__(self) -> str:
        return self.title

    def _localize(self, found: dict) -> None:
        deferred = self.get_deferred_fields()
        for name in BLUEPRINT_TRANSLATED:
            if name not in deferred and found.get(name):
                setattr(self, name, found[name])

    @property
    def from_file(self) -> bool:
        return bool(self.source_path)

    def as_spec(self) -> BlueprintSpec:
        """The same exam as the pure `BlueprintSpec` that `draw` takes."""
        from .blueprints.spec import BlueprintSpec

        return BlueprintSpec(
            slug=self.slug,
            title=self.title,
            description=self.description,
            questions=self.question_count,
            scored=self.scored_count,
            duration_minutes=self.duration_minutes,
            topics=self.topic_weights,
            difficulty=self.difficulty_mix,
            exam_tag=self.exam_tag,
            scoring=self.scoring,
            pass_mark=self.pass_mark,
        )


# No 0/o, 1/l/i: a code read aloud or copied from a slide is typed right.
INVITE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _invite_code() -> str:
    """Eight lower-case letters and digits as `abcd-efgh`; codes are matched ignoring case."""
    letters = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


class Team(models.Model):
    """A class or a cohort, run by one instructor."""

    name = models.CharField(max_length=120)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="teams_run"
    )
    invite_code = models.CharField(max_length=16, unique=True, default=_invite_code)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    OWNER_FIELD = "instructor"  # accounts.roles.owned

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "instructor", name="one_team_name_per_instructor"
            ),
            models.UniqueConstraint(Lower("invite_code"), name="invite_code_unique_any_case"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("team", args=[self.pk])


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class TeamExam(models.Model):
    """A mock exam scheduled for a team: a window to start in, extra time for named members."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="exams")
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="team_exams")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    extra_minutes = models.JSONField(default=dict, help_text=_("user id -> extra minutes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return f"{self.blueprint} for {self.team}"

    def extra_for(self, user_id: int) -> int:
        """Extra minutes for one member, capped: a row saved before the limit still starts."""
        return min(int(self.extra_minutes.get(str(user_id), 0)), MAX_EXTRA_MINUTES)


class ExamAttempt(models.Model):
    """One sitting. The deadline is set by the server when it starts and never moves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    blueprint = models.ForeignKey(Blueprint, on_delete=models.PROTECT, related_name="attempts")
    team_exam = models.ForeignKey(
        TeamExam, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    scored_count = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Scaled or percent.")
    )
    passed = models.BooleanField(null=True)
    # The forecast made at the start (exams.readiness.forecast), to show predicted against actual.
    predicted_percent = models.FloatField(null=True, blank=True)
    predicted_low = models.FloatField(null=True, blank=True)
    predicted_high = models.FloatField(null=True, blank=True)
    predicted_pass = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One open attempt per exam per candidate (solo, and per team sitting).
            models.UniqueConstraint(
                fields=["user", "blueprint"],
                condition=Q(submitted_at__isnull=True, team_exam__isnull=True),
                name="one_open_solo_attempt",
            ),
            models.UniqueConstraint(
                fields=["user", "team_exam"],
                condition=Q(submitted_at__isnull=True, team_exam__isnull=False),
                name="one_open_team_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint} by {self.user} at {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exam_attempt", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class ExamItem(models.Model):
    """One question of an attempt, drawn for good: its position, choice order and scoring."""

    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="exam_items")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    seed = models.CharField(max_length=32)
    scored = models.BooleanField(default=True)
    selected = models.JSONField(default=list)
    flagged = models.BooleanField(default=False)
    seq = models.BigIntegerField(
        default=0, help_text=_("The item's version: one more for every save written.")
    )
    marks = models.JSONField(
        default=dict,
        help_text=_(
            "Page id -> the highest save counter written from it: a page's older save "
            "(a retry, a late request) never wins over its newer one."
        ),
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_exam_item_per_position"
            )
        ]
        indexes = [models.Index(fields=["question", "correct"], name="examitem_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def answered(self) -> bool:
        return bool(self.selected)


class ItemAnalysis(models.Model):
    """When the item statistics of a scope (the whole site, or one team) were last computed.

    Statistics read every first attempt, so they are computed in the background after each
    submitted exam or finished quiz (exams/analysis/tasks.py), never while an instructor waits
    for a page.
    """

    team = models.OneToOneField(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="item_analysis"
    )
    computed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the last run began.")
    )
    alphas = models.JSONField(default=list, help_text=_("Cronbach's alpha per blueprint."))

    def __str__(self) -> str:
        return f"Item analysis of {self.team or 'the whole site'}"

    def alphas_shown(self) -> list[dict]:
        """The stored alphas with each exam's title in the active language (stored with its
        translations at compute time; rows stored before that keep their English title)."""
        language = (translation.get_language() or "en").split("-")[0]
        return [
            {**row, "blueprint": (row.get("titles") or {}).get(language) or row["blueprint"]}
            for row in self.alphas
        ]


class ItemStatistic(models.Model):
    """One question's statistics in one scope, as of its `ItemAnalysis.computed_at`."""

    analysis = models.ForeignKey(ItemAnalysis, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    responses = models.PositiveIntegerField()
    facility = models.FloatField(null=True)
    discrimination = models.FloatField(null=True)
    choice_counts = models.JSONField(default=dict)
    median_seconds = models.FloatField(null=True)
    flags = models.JSONField(default=list)
    flag_count = models.PositiveSmallIntegerField(default=0, help_text=_("len(flags), to sort by."))
    cues = models.JSONField(
        default=list, help_text=_("Item-writing cues of the question as loaded.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["analysis", "question"], name="one_statistic_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in {self.analysis_id}: {self.responses} responses"


class ReadinessSnapshot(models.Model):
    """A learner's predicted score on one blueprint, kept once a study day for the 30-day chart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readiness_snapshots"
    )
    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    expected_percent = models.FloatField()
    low_percent = models.FloatField()
    high_percent = models.FloatField()
    p_pass = models.FloatField()

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "blueprint", "day"], name="one_snapshot_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.blueprint_id} · {self.day}"
