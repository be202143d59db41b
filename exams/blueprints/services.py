"""Writes for blueprints made in the app (those of content/exams are written by `load`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from exams.models import Blueprint


def blueprint_save(*, blueprint: Blueprint, user: AbstractBaseUser) -> Blueprint:
    """Save a blueprint from the form (unsaved); a new one is made by `user`."""
    blueprint.created_by = blueprint.created_by or user
    blueprint.save()
    return blueprint
