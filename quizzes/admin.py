"""Admin: the course comes from files, so its rows are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Card, Question, QuizAttempt, ReviewLog, Tag, Topic

FROM_FILES = "Edit content/ in git and run load_content: files are the source of truth."


class FromFilesAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):  # type: ignore[no-untyped-def]
        extra_context = {
            **(extra_context or {}),
            "title": f"{self.model._meta.verbose_name_plural.title()} ({FROM_FILES})",
        }
        return super().changelist_view(request, extra_context)


@admin.register(Topic)
class TopicAdmin(FromFilesAdmin):
    list_display = ("slug", "title", "order", "source_path", "retired_at", "updated_at")
    search_fields = ("slug", "title")


@admin.register(Question)
class QuestionAdmin(FromFilesAdmin):
    list_display = (
        "uid",
        "topic",
        "type",
        "difficulty",
        "source_path",
        "source_line",
        "retired_at",
    )
    list_filter = (
        "topic",
        "type",
        "difficulty",
        "tags",
        ("retired_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("uid", "stem_html")
    list_select_related = ("topic",)


@admin.register(Tag)
class TagAdmin(FromFilesAdmin):
    search_fields = ("name",)


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "state", "due", "reps", "lapses", "is_leech", "suspended")
    list_filter = ("state", "is_leech", "suspended", "question__topic")
    search_fields = ("user__username", "question__uid")
    list_select_related = ("user", "question")
    raw_id_fields = ("user", "question")


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    list_display = ("card", "user", "rating", "source", "reviewed_at", "interval_days")
    list_filter = ("source", "rating")
    search_fields = ("user__username", "card__question__uid")
    raw_id_fields = ("card", "user")
    date_hierarchy = "reviewed_at"


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "created_at", "finished_at")
    search_fields = ("user__username",)
    list_filter = (("finished_at", admin.EmptyFieldListFilter),)
    raw_id_fields = ("user",)
