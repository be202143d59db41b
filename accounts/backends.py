"""Authentication: Django's model backend, loading the learner's study settings with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StudyBackend(ModelBackend):
    """Every page that studies needs the learner's settings: one joined query instead of two."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("study_settings")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
