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
    created_at = models.DateTimeField(auto_now_add=True)

    OWNER_FIELD = "user"  # accounts.roles.owned

    def __str__(self) -> str:
        return f"upload {self.pk} by {self.user}: {', '.join(self.files)}"
