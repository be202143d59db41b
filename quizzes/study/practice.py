"""Cost exercises as a learner meets them: seeded numbers per attempt, grading, worked solution.

A signed-in learner's attempt is a row (`ExerciseAttempt`), so a reload on any server shows the same
numbers; a visitor's seed lives in their session. "New numbers" starts a new attempt.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone

from quizzes import i18n
from quizzes.costs import exercises
from quizzes.costs.answers import AnswerFormatError, unit_example, unit_label
from quizzes.models import ExerciseAttempt, Question

from . import answering

SESSION_KEY = "exercise_seeds"


@dataclass
class ExerciseState:
    """Everything the exercise widget shows; `solution` only exists once an answer is graded.
    Texts are in the active language (the engine's phrases said by `i18n.translated`)."""

    question: Question
    seed: str
    stem_html: str
    typed: str = ""
    error: str = ""
    correct: bool | None = None
    expected: Decimal | None = None
    solution: exercises.Solution | None = None
    steps: tuple[str, ...] = ()
    answer_text: str = ""

    @property
    def unit(self) -> str:
        return _exercise(self.question).unit

    @property
    def unit_label(self) -> str:
        return i18n.translated(unit_label(self.unit), i18n.unit_names(self.question))

    @property
    def placeholder(self) -> str:
        return i18n.translated(unit_example(self.unit), i18n.unit_names(self.question))


def _exercise(question: Question) -> exercises.Exercise:
    return exercises.Exercise.from_spec(question.exercise or {})


def _state(question: Question, seed: str) -> ExerciseState:
    values = exercises.draw(_exercise(question), seed)
    stem = exercises.render_stem(question.stem_html, values, i18n.stem_value)
    return ExerciseState(question, seed, stem)


def _new_seed() -> str:
    return secrets.token_hex(8)


def exercise_states(request: HttpRequest, questions: list[Question]) -> dict[str, ExerciseState]:
    """The current attempt of each exercise, in one query for a signed-in learner."""
    seeds = _current_seeds(request, questions)
    return {q.uid: _state(q, seeds.get(q.pk) or _first_seed(request, q)) for q in questions}


def _current_seeds(request: HttpRequest, questions: list[Question]) -> dict[int, str]:
    """The seed of each exercise's latest attempt, by question id: rows or the visitor's session."""
    seeds: dict[int, str] = {}
    if request.user.is_authenticated:
        rows = (
            ExerciseAttempt.objects.filter(user=request.user, question__in=questions)
            .order_by("question_id", "-created_at")
            .values_list("question_id", "seed")
        )
        for question_id, seed in rows:
            seeds.setdefault(question_id, seed)
    else:
        stored = request.session.get(SESSION_KEY, {})
        seeds = {q.pk: stored[q.uid] for q in questions if q.uid in stored}
    return seeds


def _first_seed(request: HttpRequest, question: Question) -> str:
    """The first seed of an exercise: a row for a signed-in learner, the session for a visitor."""
    if request.user.is_authenticated:
        seed = _new_seed()
        ExerciseAttempt.objects.create(user=request.user, question=question, seed=seed)
        return seed
    stored = request.session.setdefault(SESSION_KEY, {})
    stored[question.uid] = _new_seed()
    request.session.modified = True
    return stored[question.uid]


def exercise_new_attempt(request: HttpRequest, question: Question) -> ExerciseState:
    """New numbers: a new attempt, never with the numbers of the one the learner has just seen."""
    seen = _current_seeds(request, [question]).get(question.pk)
    if seen is None:
        seed = _new_seed()
    else:
        seed = exercises.seed_with_other_numbers(_exercise(question), seen, _new_seed)
    if request.user.is_authenticated:
        ExerciseAttempt.objects.create(user=request.user, question=question, seed=seed)
    else:
        request.session.setdefault(SESSION_KEY, {})[question.uid] = seed
        request.session.modified = True
    return _state(question, seed)


def exercise_answer(request: HttpRequest, question: Question, typed: str) -> ExerciseState:
    """Grade an answer against the current attempt's numbers; gibberish is not a wrong mark."""
    state = exercise_states(request, [question])[question.uid]
    state.typed = typed[:40]
    exercise = _exercise(question)
    values = exercises.draw(exercise, state.seed)
    units = i18n.unit_names(question)
    try:
        grade = exercises.grade(exercise, values, typed, i18n.language(), tuple(units.values()))
    except AnswerFormatError as error:
        state.error = answering.format_error(error, exercise.unit, units)
        return state
    state.correct = grade.correct
    state.expected = grade.expected
    state.solution = grade.solution or exercises.solve(exercise, values)
    state.steps = i18n.translated_all(state.solution.steps, units, html=True)
    state.answer_text = i18n.translated(state.solution.text, units)
    if request.user.is_authenticated:
        ExerciseAttempt.objects.filter(
            user=request.user, question=question, seed=state.seed, answered_at__isnull=True
        ).update(answer=state.typed, correct=grade.correct, answered_at=timezone.now())
    return state
