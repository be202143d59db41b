"""Showing a question and grading an answer, the same way in reviews, quizzes and exams.

Before an answer is graded, templates get only `PublicChoice` (key and text): the answer key and the
rationales reach a page only in `Feedback`, after grading.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from quizzes.costs import exercises
from quizzes.costs.answers import AnswerFormatError
from quizzes.models import Question

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


class AnswerError(ValueError):
    """An answer that cannot be graded as it is (nothing chosen, gibberish): not a wrong mark."""


@dataclass(frozen=True)
class PublicChoice:
    key: str
    html: str


@dataclass(frozen=True)
class FeedbackChoice:
    key: str
    html: str
    correct: bool
    selected: bool
    rationale_html: str


@dataclass
class Presented:
    """A question as the learner sees it before answering."""

    question: Question
    stem_html: str
    choices: list[PublicChoice] = field(default_factory=list)
    input: str = "radio"  # radio | checkbox | number | none (flashcards)
    instruction: str = ""


@dataclass
class Feedback:
    correct: bool
    choices: list[FeedbackChoice] = field(default_factory=list)
    typed: str = ""
    expected: Decimal | None = None
    steps: tuple[str, ...] = ()


def choice_order(question: Question, seed: str) -> list[str]:
    """Choice keys in an order fixed by the seed: shuffled per attempt, stable across reloads."""
    keys = [choice["key"] for choice in question.choices]
    if question.type == Question.Type.TRUE_FALSE:
        return keys
    return sorted(keys, key=lambda k: hashlib.sha256(f"{seed}:{k}".encode()).hexdigest())


def present(question: Question, seed: str, order: list[str] | None = None) -> Presented:
    if question.type == Question.Type.FLASHCARD:
        return Presented(question, question.stem_html, input="none")
    if question.type == Question.Type.NUMERIC:
        exercise = exercises.Exercise.from_spec(question.exercise or {})
        values = exercises.draw(exercise, seed)
        return Presented(
            question, exercises.render_stem(question.stem_html, values), input="number"
        )
    by_key = {choice["key"]: choice for choice in question.choices}
    order = order or choice_order(question, seed)
    presented = Presented(
        question,
        question.stem_html,
        [PublicChoice(key, by_key[key]["html"]) for key in order if key in by_key],
    )
    if question.type == Question.Type.MULTIPLE:
        presented.input = "checkbox"
        instruction = f"Choose {NUMBER_WORDS.get(question.choose, question.choose)}."
        # Most stems already end "(Choose two.)", as AWS writes them: say it once.
        if instruction.lower() not in question.stem_html.lower():
            presented.instruction = instruction
    return presented


def grade(
    question: Question, seed: str, selected: list[str], typed: str = "", order=None
) -> Feedback:
    """Grade all-or-nothing; raise AnswerError for an answer that cannot be graded yet."""
    if question.type == Question.Type.NUMERIC:
        exercise = exercises.Exercise.from_spec(question.exercise or {})
        values = exercises.draw(exercise, seed)
        try:
            result = exercises.grade(exercise, values, typed)
        except AnswerFormatError as error:
            raise AnswerError(
                f"{str(error).capitalize()}: for example 18.74 or $1,234.50."
            ) from None
        solution = exercises.solve(exercise, values)
        return Feedback(
            result.correct, typed=typed.strip(), expected=result.expected, steps=solution.steps
        )

    keys = {choice["key"] for choice in question.choices}
    chosen = [key for key in dict.fromkeys(selected) if key in keys]
    if not chosen:
        raise AnswerError("Choose an answer first.")
    if question.type == Question.Type.MULTIPLE and len(chosen) != question.choose:
        word = NUMBER_WORDS.get(question.choose, question.choose)
        raise AnswerError(f"Choose {word} answers (you chose {len(chosen)}).")
    if question.type != Question.Type.MULTIPLE and len(chosen) != 1:
        raise AnswerError("Choose one answer.")
    right = {choice["key"] for choice in question.choices if choice["correct"]}
    by_key = {choice["key"]: choice for choice in question.choices}
    order = order or choice_order(question, seed)
    return Feedback(
        correct=set(chosen) == right,
        choices=[
            FeedbackChoice(
                key=key,
                html=by_key[key]["html"],
                correct=by_key[key]["correct"],
                selected=key in chosen,
                rationale_html=by_key[key]["rationale_html"],
            )
            for key in order
            if key in by_key
        ],
    )
