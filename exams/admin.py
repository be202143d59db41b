"""Admin for exams and teams; blueprints loaded from content/exams are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Blueprint, ExamAttempt, Membership, Team, TeamExam


@admin.register(Blueprint)
class BlueprintAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "slug",
        "question_count",
        "duration_minutes",
        "scoring",
        "pass_mark",
        "source_path",
    )
    search_fields = ("title", "slug")
    list_filter = ("scoring", ("retired_at", admin.EmptyFieldListFilter))

    def has_change_permission(self, request: HttpRequest, obj: Blueprint | None = None) -> bool:
        # Blueprints from content/exams change in git; those made in the app change here.
        if obj is not None and obj.from_file:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Blueprint | None = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "instructor", "invite_code", "created_at")
    search_fields = ("name", "instructor__username", "invite_code")
    raw_id_fields = ("instructor",)
    inlines = [MembershipInline]


@admin.register(TeamExam)
class TeamExamAdmin(admin.ModelAdmin):
    list_display = ("blueprint", "team", "opens_at", "closes_at")
    list_filter = ("blueprint",)
    search_fields = ("team__name",)


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = (
        "blueprint",
        "user",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
        "passed",
    )
    list_filter = (
        "blueprint",
        "passed",
        "auto_submitted",
        ("submitted_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("user__username",)
    raw_id_fields = ("user", "team_exam")
    list_select_related = ("blueprint", "user")
