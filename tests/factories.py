"""factory-boy factories for the rows tests need."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from exams.models import Blueprint, ExamAttempt, Membership, Team, TeamExam
from quizzes.models import Question, QuizAttempt, Topic

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def instructor(self, create: bool, extracted: bool, **kwargs: object) -> None:
        if create and extracted:
            from accounts.roles import ensure_roles

            self.groups.add(ensure_roles())
        if create:
            self.save()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").title())
    order = factory.Sequence(int)
    summary = "A topic."
    note_html = "<h2 id='intro'>Intro</h2><p>Text.</p>"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    uid = factory.Sequence(lambda n: f"q-{n}")
    topic = factory.SubFactory(TopicFactory)
    type = Question.Type.SINGLE
    difficulty = Question.Difficulty.MEDIUM
    stem_html = "<p>Which one?</p>"
    choices = factory.LazyFunction(
        lambda: [
            {"key": "a", "html": "<p>Right</p>", "correct": True, "rationale_html": ""},
            {"key": "b", "html": "<p>Wrong</p>", "correct": False, "rationale_html": ""},
        ]
    )
    explanation_html = "<p>Because.</p>"
    references = factory.LazyFunction(lambda: ["https://docs.aws.amazon.com/lambda/"])
    source_path = "banks/factory.yaml"
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")


class BlueprintFactory(factory.django.DjangoModelFactory):
    """A small exam of the fixture course: two scored questions on limits, percent scoring."""

    class Meta:
        model = Blueprint
        django_get_or_create = ("slug",)

    slug = "mini"
    title = "Mini"
    question_count = 2
    scored_count = 2
    duration_minutes = 10
    topic_weights = factory.LazyFunction(lambda: {"limits": 1})
    difficulty_mix = factory.LazyFunction(lambda: {"easy": 1})
    scoring = Blueprint.Scoring.PERCENT
    pass_mark = 50


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Cohort {n}")
    instructor = factory.SubFactory(UserFactory, instructor=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


class TeamExamFactory(factory.django.DjangoModelFactory):
    """A team's exam whose window opened an hour ago and closes in an hour."""

    class Meta:
        model = TeamExam

    team = factory.SubFactory(TeamFactory)
    blueprint = factory.SubFactory(BlueprintFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class ExamAttemptFactory(factory.django.DjangoModelFactory):
    """An attempt row with no items: for pages that list attempts. A sitting is drawn by
    `exams.sitting.services.attempt_start`."""

    class Meta:
        model = ExamAttempt

    user = factory.SubFactory(UserFactory)
    blueprint = factory.SubFactory(BlueprintFactory)
    started_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyAttribute(
        lambda a: a.started_at + timedelta(minutes=a.blueprint.duration_minutes)
    )


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizAttempt

    user = factory.SubFactory(UserFactory)
    filters = factory.LazyFunction(dict)


__all__ = [
    "PASSWORD",
    "BlueprintFactory",
    "ExamAttemptFactory",
    "Group",
    "MembershipFactory",
    "QuestionFactory",
    "QuizAttemptFactory",
    "TeamExamFactory",
    "TeamFactory",
    "TopicFactory",
    "UserFactory",
]
