"""Instructor uploads waiting for a decision: checked and diffed, applied or cancelled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpload(models.Model):
    """Uploaded banks kept until the instructor applies or cancels: nothing else is written."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    files = models.JSONField(help_text=_("file name -> YAML text"))
    targets = models.JSONField(help_text=_("file name -> the bank path it will be stored as"))
    images = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("media name -> base64 bytes of the images it shows, stored on Apply"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    OWNER_FIELD = "user"  # accounts.roles.owned

    def __str__(self) -> str:
        return f"upload {self.pk} by {self.user}: {', '.join(self.files)}"


class ImportJob(models.Model):
    """A large Moodle file converted on the task queue, so no web request spends seconds on it.

    The page polls it (htmx) for `state` and `converted`; once done it holds the rendered
    report (`result_html`) and the upload waiting for Apply or Cancel.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        CONVERTING = "converting", _("Converting")
        CHECKING = "checking", _("Checking against the course")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    raw = models.BinaryField(help_text=_("The uploaded file, dropped once converted."))
    topic = models.CharField(max_length=60)
    exam = models.CharField(max_length=20, blank=True)
    # The report is written by a worker, in the language of the page that sent the file.
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    converted = models.PositiveIntegerField(default=0, help_text=_("Source questions read so far."))
    result_html = models.TextField(blank=True)
    error = models.TextField(blank=True)
    pending = models.ForeignKey(
        PendingUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    OWNER_FIELD = "user"  # accounts.roles.owned

    def __str__(self) -> str:
        return f"import of {self.name} by {self.user}: {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
