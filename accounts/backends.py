"""Authentication: Django's model backend, with user names compared as `accounts.names` says,
loading the learner's study settings with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts import names


class StudyBackend(ModelBackend):
    """Every page that studies needs the learner's settings: one joined query instead of two.

    "Candidate " signs in as "candidate": the name is trimmed and compared without case, as
    sign-up compares it (Django's UserCreationForm refuses a name that differs only in case).
    Two older accounts that differ only in case each keep their exact name.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ):
        users = get_user_model()
        if username is None:
            username = kwargs.get(users.USERNAME_FIELD)  # type: ignore[assignment]
        if username is None or password is None:
            return None
        name = username.strip()
        matches = list(
            users._default_manager.filter(names.same_name(name, users.USERNAME_FIELD))[:5]
        )
        user = names.the_one(name, ((match.get_username(), match) for match in matches))
        if user is None:
            # As ModelBackend: hash once anyway, so a missing name takes as long as a wrong
            # password and timing tells nothing.
            users().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("study_settings")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
