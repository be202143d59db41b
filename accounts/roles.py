"""Two roles: every signed-up user is a candidate; instructors are the members of one group."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

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


# Ownership of instructor objects, checked here and nowhere else: each model names the field that
# holds its owner (Team.instructor, Blueprint.created_by, PendingUpload.user) as OWNER_FIELD.
def owned(queryset: QuerySet, user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """Only the rows of `queryset` that `user` owns."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{queryset.model.OWNER_FIELD: user})


def get_owned_or_404(queryset: QuerySet, user: AbstractBaseUser | AnonymousUser, **lookup: object):
    """The row if `user` owns it; a 404 otherwise (not a 403 that confirms it exists)."""
    return get_object_or_404(owned(queryset, user), **lookup)


def owns(user: AbstractBaseUser | AnonymousUser, obj: Model) -> bool:
    return bool(user.is_authenticated and getattr(obj, f"{obj.OWNER_FIELD}_id") == user.pk)
