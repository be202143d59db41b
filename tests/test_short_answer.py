"""The `short` question type: typed answers marked as Moodle marks them, the same way in reviews,
quizzes and exams, with no accepted answer in a page before answering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string

from exams.sitting import services
from quizzes.course.bank import parse_bank
from quizzes.models import Question, Topic
from quizzes.study import answering
from quizzes.study.short_answers import match

from .factories import BlueprintFactory, QuestionFactory, UserFactory

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
BANK = """\
topic: limits
questions:
  - id: env-region
    type: short
    difficulty: medium
    tags: [dva-c02]
    stem: Which environment variable holds the function's Region?
    answers:
      - text: AWS_REGION
        rationale: Lambda sets it.
      - AWS_DEFAULT_REGION
    case_sensitive: true
    explanation: Reserved variables.
    references: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html]
"""


@pytest.mark.parametrize(
    ("accepted", "typed", "case_sensitive", "expected"),
    [
        (["Step Functions"], "  step   functions ", False, 0),
        (["Step Functions"], "step functions", True, None),
        (["Step Functions"], "Step Functions", True, 0),
        (["SQS", "Amazon SQS"], "amazon sqs", False, 1),
        (["*Step Functions"], "AWS Step Functions", False, 0),
        (["a\\*b"], "a*b", False, 0),
        (["a\\*b"], "axxb", False, None),
        (["SQS"], "SNS", False, None),
        (["SQS"], "   ", False, None),
    ],
)
def test_a_typed_answer_matches_as_moodle_matches_it(accepted, typed, case_sensitive, expected):
    assert match(accepted, typed, case_sensitive=case_sensitive) == expected


def test_the_checker_reads_a_short_question_and_names_its_problems():
    bank = parse_bank("short.yaml", BANK)
    assert bank.problems == []
    [question] = bank.questions
    assert [c.text for c in question.choices] == ["AWS_REGION", "AWS_DEFAULT_REGION"]
    assert question.exercise == {"case_sensitive": True}
    bad = BANK.replace("case_sensitive: true", "case_sensitive: maybe").replace(
        "      - AWS_DEFAULT_REGION\n", "      - aws_region\n"
    )
    messages = [p.message for p in parse_bank("short.yaml", bad).problems]
    assert "'case_sensitive' must be true or false, got 'maybe'" in messages
    assert any("the same answer appears twice" in m for m in messages)


def _short(**fields) -> Question:
    return QuestionFactory(
        type=Question.Type.SHORT,
        stem_html="<p>Which variable names the Region?</p>",
        choices=[
            {"key": "a", "html": "<p>AWS_REGION</p>", "text": "AWS_REGION", "correct": True,
             "rationale_html": "<p>Lambda sets it.</p>", "role": "accepted"},
            {"key": "b", "html": "<p>AWS_DEFAULT_REGION</p>", "text": "AWS_DEFAULT_REGION",
             "correct": True, "rationale_html": "", "role": "accepted"},
        ],
        exercise={"case_sensitive": False},
        **fields,
    )  # fmt: skip


@pytest.mark.django_db
def test_reviews_and_quizzes_grade_a_typed_answer_with_its_feedback():
    question = _short()
    feedback = answering.grade(question, "seed", [], "  aws_region ")
    assert feedback.correct and feedback.rationale_html == "<p>Lambda sets it.</p>"
    assert feedback.accepted == ["<p>AWS_REGION</p>", "<p>AWS_DEFAULT_REGION</p>"]
    wrong = answering.grade(question, "seed", [], "REGION")
    assert not wrong.correct and wrong.rationale_html == "" and wrong.hint == ""
    question.exercise = {"case_sensitive": True}
    cased = answering.grade(question, "seed", [], "aws_region")
    assert not cased.correct and cased.hint == "Letter case counts in this answer."
    question.exercise = {"case_sensitive": False}
    with pytest.raises(answering.AnswerError, match="Type an answer first"):
        answering.grade(question, "seed", [], "   ")
    with pytest.raises(answering.AnswerError, match="at most 200"):
        answering.grade(question, "seed", [], "x" * 201)


@pytest.mark.django_db
def test_no_accepted_answer_is_in_the_page_before_answering():
    question = _short()
    presented = answering.present(question, "seed")
    assert presented.input == "text" and presented.choices == []
    html = render_to_string("quizzes/_answer_inputs.html", {"presented": presented})
    assert 'name="answer"' in html and "AWS_REGION" not in html


@pytest.mark.django_db
def test_an_exam_saves_the_typed_text_and_grades_it_the_same_way(loaded_course):
    limits = Topic.objects.get(slug="limits")
    Question.objects.filter(topic=limits).update(retired_at=T0)
    for difficulty in ("easy", "medium"):
        _short(topic=limits, difficulty=difficulty)
    user = UserFactory()
    blueprint = BlueprintFactory(
        slug="mini", title="Mini", question_count=2, scored_count=2, topic_weights={"limits": 1},
        difficulty_mix={"easy": 1, "medium": 1},
    )  # fmt: skip
    attempt = services.attempt_start(user=user, blueprint=blueprint, now=T0)
    saved = services.attempt_save(
        attempt_id=attempt.pk, user=user, position=1, posted=["  aws_default_region "],
        flagged=False, page=1, seq=1, now=T0,
    )  # fmt: skip
    assert saved.selected == ["aws_default_region"]
    services.attempt_save(attempt_id=attempt.pk, user=user, position=2, posted=["REGION"],
                          flagged=False, page=1, seq=1, now=T0)  # fmt: skip
    done = services.attempt_submit(attempt=attempt, now=T0 + timedelta(minutes=3))
    assert (done.correct_count, done.scored_count) == (1, 2)
    first = attempt.items.get(position=1)
    presented = answering.present(first.question, first.seed, first.choice_order, first.selected)
    assert presented.typed == "aws_default_region"
    feedback = answering.feedback(first.question, first.selected, first.choice_order, True)
    assert feedback.correct and feedback.typed == "aws_default_region"
