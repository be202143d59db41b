"""The exam-pool rule: while a team exam's window is open, no page shows its pool's key to a member.

The attack it stops: a member submits the team exam (explanations after submit off), starts a solo
attempt of the same blueprint, submits it empty and reads the key on the results page; or marks
the pool's questions in a practice quiz or the reviews. Each path has a test here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Blueprint, ExamAttempt, TeamExam
from exams.sitting import services
from quizzes.models import Card, Question, QuizItem, Tag
from quizzes.study import holds, quiz, reviews
from quizzes.study.answering import public_key

from .factories import (
    BlueprintFactory,
    MembershipFactory,
    QuizAttemptFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
KEY = "is-correct"  # the class _feedback.html gives the right choices: the key on a page
EXAM_TYPES = ("single", "multiple")


@pytest.fixture
def sitting(loaded_course):
    """A team sitting an exam now; the member has submitted it, the outsider is in no team."""
    owner = UserFactory(username="owner", instructor=True)
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    team = TeamFactory(name="Cohort", instructor=owner)
    MembershipFactory(team=team, user=member)
    blueprint = BlueprintFactory(difficulty_mix={"easy": 1, "medium": 1, "hard": 1})
    now = timezone.now()
    team_exam = TeamExamFactory(team=team, blueprint=blueprint)
    attempt = services.attempt_start(user=member, blueprint=blueprint, now=now, team_exam=team_exam)
    services.attempt_submit(attempt=attempt, now=now)
    return {"member": member, "outsider": outsider, "blueprint": blueprint, "exam": team_exam}


def close_window(sitting) -> None:
    TeamExam.objects.filter(pk=sitting["exam"].pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )


def test_the_team_attempts_results_hold_the_key_while_the_window_is_open(client, sitting):
    client.force_login(sitting["member"])
    attempt = ExamAttempt.objects.get(team_exam=sitting["exam"])
    page = client.get(f"/exams/attempt/{attempt.pk}/results/").content.decode()
    assert KEY not in page and "window closes for everyone" in page


def test_a_solo_attempt_of_the_same_blueprint_cannot_start_while_the_window_is_open(
    client, sitting
):
    client.force_login(sitting["member"])
    response = client.post("/exams/mini/start/", follow=True)
    page = response.content.decode()
    assert "held for your team" in page
    assert not ExamAttempt.objects.filter(user=sitting["member"], team_exam=None).exists()
    close_window(sitting)
    response = client.post("/exams/mini/start/")
    solo = ExamAttempt.objects.get(user=sitting["member"], team_exam=None)
    assert response.url == f"/exams/attempt/{solo.pk}/"


def test_a_solo_attempt_started_earlier_shows_its_key_only_after_the_window(client, sitting):
    member = sitting["member"]
    earlier = timezone.now() - timedelta(hours=2)  # before the window opened: nothing was held
    solo = services.attempt_start(user=member, blueprint=sitting["blueprint"], now=earlier)
    services.attempt_submit(attempt=solo, now=timezone.now())
    client.force_login(member)
    assert KEY not in client.get(f"/exams/attempt/{solo.pk}/results/").content.decode()
    close_window(sitting)
    assert KEY in client.get(f"/exams/attempt/{solo.pk}/results/").content.decode()


def test_a_practice_quiz_leaves_the_pool_out_and_refuses_answers_to_it(client, sitting):
    member = sitting["member"]
    drawn = quiz.quiz_start(user=member, filters=quiz.Filters(count=50))
    types = set(drawn.items.values_list("question__type", flat=True))
    assert types and not types & set(EXAM_TYPES)
    with pytest.raises(quiz.NoQuestions, match="team's exam holds its questions"):
        quiz.quiz_start(user=member, filters=quiz.Filters(exam="saa-c03"))

    # A quiz drawn before the window opened still holds pool questions: they cannot be answered.
    earlier = QuizAttemptFactory(user=member)
    question = Question.objects.get(uid="fx-timeout")
    item = QuizItem.objects.create(attempt=earlier, question=question, position=1, seed="s",
                                   choice_order=[c["key"] for c in question.choices])  # fmt: skip
    client.force_login(member)
    assert "held" in client.get(f"/quiz/{earlier.pk}/").content.decode()
    right = [c["key"] for c in question.choices if c["correct"]]
    page = client.post(f"/quiz/{earlier.pk}/answer/1/", {"choice": right}).content.decode()
    assert "held" in page and KEY not in page
    item.refresh_from_db()
    assert item.answered_at is None

    # Missed earlier: the missed list leaves it out until the window closes.
    wrong = [c["key"] for c in question.choices if not c["correct"]][:1]
    QuizItem.objects.filter(pk=item.pk).update(
        answered_at=timezone.now(), correct=False, answer={"selected": wrong, "typed": ""}
    )
    assert KEY not in client.get(f"/quiz/{earlier.pk}/missed/").content.decode()
    close_window(sitting)
    assert KEY in client.get(f"/quiz/{earlier.pk}/missed/").content.decode()


def test_reviews_leave_the_pool_out_and_refuse_answers_to_it(client, sitting):
    member = sitting["member"]
    now = timezone.now()
    question = Question.objects.get(uid="fx-timeout")
    card = Card.objects.create(user=member, question=question, state=Card.State.REVIEW,
                               stability=1, difficulty=5, due=now - timedelta(days=1),
                               last_review=now - timedelta(days=2), reps=1)  # fmt: skip
    client.force_login(member)
    page = client.get("/review/").content.decode()
    assert question.stem_html not in page
    token = reviews.card_token(card, now)
    nonce = reviews.read_token(token).nonce  # a showing's choice values are opaque per showing
    right = [public_key(nonce, c["key"]) for c in question.choices if c["correct"]]
    page = client.post("/review/answer/", {"token": token, "choice": right}).content.decode()
    assert "held" in page and KEY not in page
    close_window(sitting)
    page = client.post("/review/answer/", {"token": token, "choice": right}).content.decode()
    assert KEY in page


def test_nothing_is_held_for_someone_outside_the_team(client, sitting):
    drawn = quiz.quiz_start(user=sitting["outsider"], filters=quiz.Filters(count=50))
    assert set(drawn.items.values_list("question__type", flat=True)) & set(EXAM_TYPES)
    client.force_login(sitting["outsider"])
    client.post("/exams/mini/start/")
    assert ExamAttempt.objects.filter(user=sitting["outsider"], team_exam=None).exists()


def test_the_review_queue_leaves_held_questions_out_of_due_and_new_cards(sitting):
    """The queue's one-statement ranking and its new-card pick both leave the pool out."""
    member = sitting["member"]
    now = timezone.now()
    held = set(holds.practice_hold(user=member, now=now).questions.values_list("pk", flat=True))
    assert len(held) >= 2
    # One held question due, the others never seen: neither comes up.
    Card.objects.filter(user=member).delete()
    due = Question.objects.filter(pk__in=held).first()
    Card.objects.create(user=member, question=due, state=Card.State.REVIEW, stability=1,
                        difficulty=5, reps=1, due=now - timedelta(days=1),
                        last_review=now - timedelta(days=3))  # fmt: skip
    settings = reviews.learner_settings(member)
    started = Card.objects.filter(user=member).exclude(state=Card.State.NEW)
    unseen = (
        Question.objects.live().exclude(pk__in=held).exclude(pk__in=started.values("question_id"))
    )
    queue = reviews.review_queue(user=member, settings=settings, now=now)
    assert queue.due_today == 0
    assert queue.new_left == min(settings.new_per_day, unseen.count()) > 0
    for n in range(unseen.count()):
        queue = reviews.review_queue(user=member, settings=settings, now=now)
        assert queue.card is not None and queue.card.question_id not in held
        reviews.review_grade(user=member, question=queue.card.question, rating=reviews.EASY,
                             nonce=f"held-{n}", now=now, settings=settings)  # fmt: skip
    queue = reviews.review_queue(user=member, settings=settings, now=now)
    assert queue.card is None or queue.card.question_id not in held
    close_window(sitting)
    queue = reviews.review_queue(user=member, settings=settings, now=now)
    assert queue.card.question_id == due.pk and queue.due_today == 1


def test_the_rule_holds_the_blueprints_pool_only_while_the_window_is_open(sitting):
    """The rule's SQL holds what `services._pool` draws: every exam-type question for a blueprint
    without an exam tag, those with its tag otherwise; nothing before or after the window."""
    member, exam = sitting["member"], sitting["exam"]
    now = timezone.now()

    def held(at=now, user=member) -> set[int]:
        return set(holds.practice_hold(user=user, now=at).questions.values_list("pk", flat=True))

    every = set(Question.objects.filter(type__in=services.EXAM_TYPES).values_list("pk", flat=True))
    assert held() == every
    assert holds.practice_hold(user=member, now=now).until == exam.closes_at
    tag = Tag.objects.filter(questions__type__in=services.EXAM_TYPES).order_by("name").first()
    Blueprint.objects.filter(pk=exam.blueprint_id).update(exam_tag=tag.name)
    pool = {
        candidate.id for candidate in services._pool(Blueprint.objects.get(pk=exam.blueprint_id))
    }
    assert 0 < len(pool) < len(every)
    assert held() == pool
    assert held(at=exam.opens_at - timedelta(seconds=1)) == set()
    assert held(at=exam.closes_at) == set()
    assert held(user=sitting["outsider"]) == set()
    assert holds.practice_hold(user=member, now=exam.closes_at).until is None
