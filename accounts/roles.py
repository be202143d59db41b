"""Two roles: every signed-up user is a candidate; instructors are the members of one group."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

INSTRUCTOR_GROUP = "instructor"
# app_label.codename: what an instructor may do beyond a candidate.
INSTRUCTOR_PERMISSIONS = (
    "quizzes.preview_bank",
    "quizzes.view_item_analysis",
    "quizzes.view_question",
    "quizzes.view_topic",
)


def ensure_roles() -> Group:
    """Create the instructor group with its permissions; safe to run any number of times."""
    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    wanted = []
    for name in INSTRUCTOR_PERMISSIONS:
        app_label, codename = name.split(".")
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            wanted.append(permission)
    group.permissions.add(*wanted)
    return group


def is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm("quizzes.preview_bank"))
