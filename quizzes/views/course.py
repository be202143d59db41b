"""Pages of the course: home, the notes, and the cost calculator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quizzes import axis, hooks, selectors
from quizzes.costs import pricing
from quizzes.costs.calculator import compare_with_instance
from quizzes.course.markup import EXERCISE_SLOT_PATTERN
from quizzes.forms import CostForm
from quizzes.study import practice, today
from studyapp.htmx import HtmxHttpRequest, fragment


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The course for a visitor; for a signed-in learner, what to do next, then the course."""
    topics = list(selectors.topics_with_counts())
    totals = {
        "questions": sum(t.question_count for t in topics),
        "flashcards": sum(t.flashcard_count for t in topics),
        "exercises": sum(t.exercise_count for t in topics),
    }
    context = {"topics": topics, "totals": totals, "start": topics[0] if topics else None}
    if request.user.is_authenticated and topics:
        now = timezone.now()
        exams = hooks.exams().home(user=request.user, now=now)
        context["today"] = today.learner_today(
            user=request.user, now=now, mastery=exams.mastery, tallies=exams.tallies
        )
        context["prediction"] = exams.prediction
        if exams.exam is not None:
            context["exam"] = exams.exam
            context["exam_left"] = exams.exam_seconds_left
    return render(request, "quizzes/home.html", context)


@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/topic_list.html", {"topics": selectors.topics_with_counts()})


@require_safe
def note(request: HttpRequest, slug: str) -> HttpResponse:
    """The note, with each embedded cost exercise rendered as a working widget."""
    topic = selectors.topic_for_note(slug)
    pieces = EXERCISE_SLOT_PATTERN.split(topic.note_html)
    uids = pieces[1::2]
    found = selectors.numeric_exercises(uids)
    states = practice.exercise_states(request, list(found.values())) if found else {}
    parts = [
        ("exercise", states[piece]) if index % 2 else ("html", piece)
        for index, piece in enumerate(pieces)
        if not index % 2 or piece in states
    ]
    context = {"topic": topic, "parts": parts, "sections": selectors.note_sections(topic)}
    return render(request, "quizzes/note.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def exercise(request: HtmxHttpRequest, uid: str) -> HttpResponse:
    """One cost exercise: GET shows it with this attempt's numbers, POST grades an answer."""
    question = selectors.live_exercise(uid)
    if request.method == "POST":
        state = practice.exercise_answer(request, question, request.POST.get("answer", ""))
    else:
        state = practice.exercise_states(request, [question])[uid]
    return _render_exercise(request, state)


@require_POST
def exercise_new(request: HtmxHttpRequest, uid: str) -> HttpResponse:
    """Draw new numbers: a new attempt."""
    question = selectors.live_exercise(uid)
    state = practice.exercise_new_attempt(request, question)
    if not request.htmx:
        return redirect("exercise", uid=uid)
    return _render_exercise(request, state)


def _render_exercise(request: HtmxHttpRequest, state: practice.ExerciseState) -> HttpResponse:
    template = fragment(request, "quizzes/exercise.html", "widget")
    return render(request, template, {"state": state, "topic": state.question.topic})


@require_safe
def calculator(request: HtmxHttpRequest) -> HttpResponse:
    """The cost calculator: a GET form, so every estimate has a shareable URL."""
    form = CostForm.from_query(request.GET)
    context: dict = {"form": form}
    if form.is_valid():
        usage = form.cleaned_data["usage"]
        context["breakdown"] = pricing.estimate(usage)
        context["comparison"] = compare_with_instance(
            usage, form.cleaned_data["instance"], x_label=axis.compact, y_label=axis.dollars
        )
    return render(request, fragment(request, "quizzes/calculator.html", "estimate"), context)


@require_safe
def course_media(request: HttpRequest, name: str) -> HttpResponse:
    """A course image from the database (every app server has it): named by its content, so
    cached for a year, and a revalidation with its name as ETag is answered without a query."""
    from django.http import Http404
    from django.utils.http import parse_etags

    from quizzes.authoring.media import MEDIA_NAME, image_for

    etag = f'"{name}"'
    if MEDIA_NAME.match(name) and etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        found = image_for(name)
        if found is None:
            raise Http404("no such image")
        content_type, data = found
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
