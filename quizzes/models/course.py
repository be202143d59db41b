"""The course as loaded from content/: topics with their notes, and questions.

Files are the source of truth: `load_content` writes these rows, keyed by the stable ids the
authors give, and never deletes a question (it is retired) so learners' history stays attached.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Fields a translation replaces on an instance read while another language is active.
TOPIC_TRANSLATED = ("title", "summary", "note_html", "toc_html")
# A topic's rendered note in every language: tens of kilobytes a row, read by the note page. A
# query that joins a topic for its title or its table of contents defers these.
TOPIC_NOTE = ("note_html", "note_translations")
BLUEPRINT_TRANSLATED = ("title", "description")
QUESTION_TRANSLATED = ("stem_html", "back_html", "explanation_html", "choices")


class Localized(models.Model):
    """Rows read while a language other than English is active carry that language's text.

    `from_db` swaps the translated fields in (when the row's `translations` column was read), so
    every page, selector and template shows the learner's language without knowing about it; a
    row with no translation keeps its English and says so (`untranslated`). A topic's translated
    note comes from `note_translations`, when that was read too (the note page). Such an instance
    refuses to save the swapped fields: they would overwrite the English.
    """

    shown_language = ""  # the language the instance's texts are in; "" for the English
    untranslated = False  # read in another language that has no translation of it

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if self.shown_language:
            translated = set(TOPIC_TRANSLATED + QUESTION_TRANSLATED + BLUEPRINT_TRANSLATED)
            if update_fields is None or translated & set(update_fields):
                raise ValueError(
                    f"{self!r} was read in '{self.shown_language}': its English would be lost"
                )
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        language = (translation.get_language() or "en").split("-")[0]
        if language == "en" or "translations" in instance.get_deferred_fields():
            return instance
        if instance._written_by_a_learner():
            return instance  # in the learner's own words: nothing to translate
        found = (instance.translations or {}).get(language)
        if not found:
            instance.untranslated = True
            return instance
        instance.shown_language = language
        instance._localize(found)
        return instance

    def _localize(self, found: dict) -> None:
        raise NotImplementedError

    def _written_by_a_learner(self) -> bool:
        return False


class TopicQuerySet(models.QuerySet):
    def live(self) -> TopicQuerySet:
        return self.filter(retired_at__isnull=True)


class Topic(Localized):
    """A topic of the course and its study note (one note per topic)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    order = models.IntegerField(default=0)
    summary = models.TextField(blank=True)
    note_html = models.TextField(blank=True)
    toc_html = models.TextField(blank=True)
    # Per language code, the topic's translated title and summary, the anchors of the note's
    # sections still in English (`untranslated`) and whether it is `stale`: a few hundred bytes,
    # read with every row (a question's topic on a card) to show its title in that language.
    translations = models.JSONField(default=dict, blank=True)
    # Per language code, the note as translated (note_html, toc_html), rendered and sanitised at
    # load like the English (quizzes/course/translations.py): kilobytes, so a column of its own
    # that joins defer with `note_html` (`TOPIC_NOTE`) and the note page reads.
    note_translations = models.JSONField(default=dict, blank=True)
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

    @property
    def section_toc_html(self) -> str:
        """The English table of contents: questions are matched to a section by their English
        words (`notes.section_for`), and the anchors are the same in every language."""
        return getattr(self, "_english_toc_html", None) or self.toc_html

    def _localize(self, found: dict) -> None:
        deferred = self.get_deferred_fields()
        for name in ("title", "summary"):
            if name not in deferred and found.get(name):
                setattr(self, name, found[name])
        # Sections still in English are marked in the note itself (rendered at load).
        self.untranslated = bool(found.get("untranslated"))
        if "note_translations" in deferred:
            return  # read for its title: the note, and its table of contents, stay English
        note = (self.note_translations or {}).get(self.shown_language) or {}
        if "toc_html" not in deferred:
            self._english_toc_html = self.toc_html
        for name in ("note_html", "toc_html"):
            if name not in deferred and note.get(name):
                setattr(self, name, note[name])


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


class Question(Localized):
    """One item of a bank: an exam-style question, a flashcard or a cost exercise.

    `choices` holds the answer key (`correct`, `rationale_html`): views hand templates a public
    projection before the learner answers, never this field as it is.
    """

    class Type(models.TextChoices):
        SINGLE = "single", _("Single answer")
        MULTIPLE = "multiple", _("Multiple response")
        TRUE_FALSE = "true_false", _("True or false")
        FLASHCARD = "flashcard", _("Flashcard")
        NUMERIC = "numeric", _("Numeric")
        ORDERING = "ordering", _("Ordering")
        MATCHING = "matching", _("Matching")
        SHORT = "short", _("Short answer")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    uid = models.CharField("id", max_length=100, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(max_length=20, choices=Type.choices)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True)
    stem_html = models.TextField(help_text=_("The question, or a flashcard's front."))
    back_html = models.TextField(blank=True, help_text=_("A flashcard's back."))
    choices = models.JSONField(default=list, blank=True)
    choose = models.PositiveSmallIntegerField(default=1)
    explanation_html = models.TextField(blank=True)
    references = models.JSONField(default=list, blank=True)
    exercise = models.JSONField(
        null=True, blank=True, help_text=_("A cost exercise's variables and answer.")
    )
    spec = models.JSONField(default=dict, help_text=_("The question as authored in YAML."))
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

    def _written_by_a_learner(self) -> bool:
        """A learner's own card (its owner read with it): their text, in their language."""
        return self.__dict__.get("owner_id") is not None

    def _localize(self, found: dict) -> None:
        """The translated texts; the key, kinds and order of the choices stay the English ones."""
        deferred = self.get_deferred_fields()
        for name in ("stem_html", "back_html", "explanation_html"):
            if name not in deferred and found.get(name):
                setattr(self, name, found[name])
        texts = found.get("choices") or []
        if "choices" not in deferred and len(texts) == len(self.choices or []):
            self.choices = [
                {**choice, "html": text["html"], "rationale_html": text["rationale_html"]}
                # A short answer's accepted text as typed in the language; the English stays
                # accepted too (quizzes.study.answering).
                | (
                    {"text": text["text"], "text_en": choice.get("text", "")}
                    if "text" in text
                    else {}
                )
                for choice, text in zip(self.choices, texts, strict=True)
            ]


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
