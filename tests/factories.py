"""factory-boy factories for the rows tests need."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User

from quizzes.models import Question, Topic

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


__all__ = ["Group", "PASSWORD", "QuestionFactory", "TopicFactory", "UserFactory"]
