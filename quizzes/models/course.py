"""The course as loaded from content/: topics with their notes, and questions.

Files are the source of truth: `load_content` writes these rows, keyed by the stable ids the
authors give, and never deletes a question (it is retired) so learners' history stays attached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class TopicQuerySet(models.QuerySet):
    def live(self) -> TopicQuerySet:
        return self.filter(retired_at__isnull=True)


class Topic(models.Model):
    """A topic of the course and its study note (one note per topic)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    order = models.IntegerField(default=0)
    summary = models.TextField(blank=True)
    note_html = models.TextField(blank=True)
    toc_html = models.TextField(blank=True)
    # Per language code, the note as translated (title, summary, note_html, toc_html), rendered
    # and sanitised at load like the English; see quizzes/course/translations.py.
    translations = models.JSONField(default=dict, blank=True)
    source_path = models.CharField(max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("note", args=[self.slug])


class Tag(models.Model):
    """A free tag or an exam code (clf-c02, saa-c03, dva-c02) questions can be filtered by."""

    name = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet):
    def live(self) -> QuestionQuerySet:
        """The course's questions in use: not retired, and not a learner's own card (those are
        private: no quiz, exam, new-card pick or statistic may see them)."""
        return self.filter(retired_at__isnull=True, owner__isnull=True)

    def own(self, user) -> QuestionQuerySet:
        """A learner's own flashcards, as Anki lets one add: theirs alone."""
        return self.filter(owner=user, retired_at__isnull=True)


class Question(models.Model):
    """One item of a bank: an exam-style question, a flashcard or a cost exercise.

    `choices` holds the answer key (`correct`, `rationale_html`): views hand templates a public
    projection before the learner answers, never this field as it is.
    """

    class Type(models.TextChoices):
        SINGLE = "single", "Single answer"
        MULTIPLE = "multiple", "Multiple response"
        TRUE_FALSE = "true_false", "True or false"
        FLASHCARD = "flashcard", "Flashcard"
        NUMERIC = "numeric", "Numeric"
        ORDERING = "ordering", "Ordering"
        MATCHING = "matching", "Matching"
        SHORT = "short", "Short answer"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    uid = models.CharField("id", max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(max_length=20, choices=Type.choices)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True)
    stem_html = models.TextField(help_text="The question, or a flashcard's front.")
    back_html = models.TextField(blank=True, help_text="A flashcard's back.")
    choices = models.JSONField(default=list, blank=True)
    choose = models.PositiveSmallIntegerField(default=1)
    explanation_html = models.TextField(blank=True)
    references = models.JSONField(default=list, blank=True)
    exercise = models.JSONField(
        null=True, blank=True, help_text="A cost exercise's variables and answer."
    )
    spec = models.JSONField(default=dict, help_text="The question as authored in YAML.")
    # Per language code, the translated texts rendered at load (stem_html, back_html,
    # explanation_html, and per choice html and rationale_html in the same order): the same row,
    # key and history in every language (quizzes/course/translations.py).
    translations = models.JSONField(default=dict, blank=True)
    source_path = models.CharField(max_length=300)
    source_line = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when an instructor's upload changed this question in the browser; cleared when the
    # files catch up. load_content refuses to overwrite it silently (see course/load.py).
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A learner's own flashcard (quizzes.study.own_cards): private to them, never in content/,
    # so load_content leaves it alone. Null for every question of the course.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="own_questions",
    )  # fmt: skip

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "source_path", "source_line"]
        indexes = [
            models.Index(fields=["topic", "type", "retired_at"]),
            # The few retired questions, so queues leave them out without reading wide rows.
            models.Index(
                fields=["id"], condition=models.Q(retired_at__isnull=False), name="question_retired"
            ),
        ]
        permissions = [
            ("preview_bank", "Can preview banks with their answer key"),
            ("view_item_analysis", "Can see how questions perform"),
        ]

    def __str__(self) -> str:
        return self.uid

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ExerciseAttempt(models.Model):
    """One try at a cost exercise: its seed fixes the numbers drawn, so a reload shows the same."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="exercise_attempts"
    )
    seed = models.CharField(max_length=32)
    answer = models.CharField(max_length=40, blank=True)
    correct = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "question", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id} · {self.seed}"


class LoadedFile(models.Model):
    """A content file as it was last loaded: load_content reads only files whose content changed.

    The fingerprint is the sha256 of the file's bytes (with the render version); see
    `quizzes.course.load.file_fingerprint`. A full load also keeps `code` (the version of the
    code that checked and rendered the file) and `rows` (what the file left in the database: live
    rows and their latest update), so a course with nothing changed is skipped whole
    (`quizzes.course.load.unchanged_course`).
    """

    path = models.CharField(max_length=300, unique=True)
    fingerprint = models.CharField(max_length=64)
    code = models.CharField(max_length=64, blank=True)
    rows = models.CharField(max_length=100, blank=True)
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.path


class CourseImage(models.Model):
    """A course image, kept in the database so every app server serves the same bytes.

    Named by its content's hash (`<sha256 prefix>.<ext>`, as in `media/<name>` links), so a row
    never changes once written. `load_content` loads the shipped files of content/media/; an
    upload's images are written when it is applied.
    """

    name = models.CharField(max_length=40, primary_key=True)
    content_type = models.CharField(max_length=20)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes)"
