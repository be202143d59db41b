"""Pages of the course: home, the list of topics and each topic's note."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    topics = list(selectors.topics_with_counts())
    totals = {
        "questions": sum(t.question_count for t in topics),
        "flashcards": sum(t.flashcard_count for t in topics),
        "exercises": sum(t.exercise_count for t in topics),
    }
    return render(
        request,
        "quizzes/home.html",
        {"topics": topics, "totals": totals, "start": topics[0] if topics else None},
    )


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/topic_list.html", {"topics": selectors.topics_with_counts()})


@require_GET
def note(request: HttpRequest, slug: str) -> HttpResponse:
    topic = selectors.topic_for_note(slug)
    return render(request, "quizzes/note.html", {"topic": topic})
