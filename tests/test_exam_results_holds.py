"""Results while a team exam's window is open: the score and topics, never a held question's key.

Issue 23: a member who submits early (explanations after submit on, as the shipped sprint) must not
read the rationales and explanations of questions the others are still answering. Issue 26: a solo
attempt sat before the learner joined a team must not vanish: only the held questions lose their
key, and the page says which, why and until when.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Blueprint, ExamAttempt, Team, TeamExam
from exams.sitting import services
from quizzes.models import Question

from .factories import (
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
KEY = "is-correct"  # the class _feedback.html gives the right choices: the key on a page


def blueprint(slug: str, **fields) -> Blueprint:
    """Two scored questions on limits, of any difficulty, unless `fields` say otherwise."""
    defaults = {"title": slug.title(), "question_count": 2, "topic_weights": {"limits": 1},
                "difficulty_mix": {"easy": 1, "medium": 1, "hard": 1}}  # fmt: skip
    return BlueprintFactory(slug=slug, **{**defaults, **fields})


def secrets_of(attempt: ExamAttempt) -> list[str]:
    texts = []
    for question in Question.objects.filter(exam_items__attempt=attempt):
        texts.append(question.explanation_html)
        texts += [choice["rationale_html"] for choice in question.choices]
    plain = [" ".join(re.sub(r"<[^>]+>", " ", t).split()) for t in texts]
    return [p[:50] for p in plain if p]


def text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


@pytest.fixture
def team(loaded_course):
    owner = UserFactory(username="owner", instructor=True)
    return TeamFactory(name="Cohort", instructor=owner)


def schedule(team: Team, bp: Blueprint, *, closes_in: timedelta = timedelta(hours=1)) -> TeamExam:
    now = timezone.now()
    return TeamExamFactory(
        team=team, blueprint=bp, opens_at=now - timedelta(hours=1), closes_at=now + closes_in
    )


def join(team: Team, user) -> None:
    MembershipFactory(team=team, user=user)


def test_an_early_submitter_sees_score_and_topics_but_no_key_until_the_window_closes(client, team):
    member, other = UserFactory(), UserFactory()
    join(team, member), join(team, other)
    exam = schedule(team, blueprint("sprint"))
    now = timezone.now()
    mine = services.attempt_start(user=member, blueprint=exam.blueprint, now=now, team_exam=exam)
    services.attempt_submit(attempt=mine, now=now)
    client.force_login(member)
    url = f"/exams/attempt/{mine.pk}/results/"

    page = client.get(url).content.decode()
    assert "By topic" in page and "Limits" in page and "scored questions right" in page
    assert KEY not in page and not [s for s in secrets_of(mine) if s in text(page)]
    assert "window closes for everyone" in page
    assert f"{exam.closes_at:%H:%M}" in page  # when the explanations will appear
    assert "Question 1" in page and "Question 2" in page  # the questions themselves stay
    # The "wrong" filter would give marks away: held items are only "answered".
    assert "status-right" not in page and "status-wrong" not in page

    # The window closes at its time, but a member who started late is still answering.
    late = services.attempt_start(user=other, blueprint=exam.blueprint, now=now, team_exam=exam)
    TeamExam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert KEY not in page and f"{late.deadline + services.GRACE:%H:%M}" in page

    # Closed for everyone: everything shows.
    services.attempt_submit(attempt=late, now=timezone.now())
    page = client.get(url).content.decode()
    assert KEY in page and "held-note" not in page
    assert [s for s in secrets_of(mine) if s in text(page)]


def test_a_solo_result_keeps_everything_but_the_held_questions_keys_after_joining_a_team(
    client, team
):
    learner = UserFactory()
    solo_bp = blueprint("mini")
    solo = services.attempt_start(user=learner, blueprint=solo_bp, now=timezone.now())
    services.attempt_submit(attempt=solo, now=timezone.now())
    client.force_login(learner)
    url = f"/exams/attempt/{solo.pk}/results/"
    assert client.get(url).content.decode().count(KEY) >= 2  # both keys, before joining

    # Joined a team whose exam (the saa-c03 pool: one of the two questions) is being sat now.
    join(team, learner)
    exam = schedule(team, blueprint("team-saa", exam_tag="saa-c03", question_count=1,
                                    scored_count=1))  # fmt: skip
    held = solo.items.get(question__tags__name="saa-c03")
    shown = solo.items.exclude(pk=held.pk).get()
    page = client.get(url).content.decode()
    note = re.search(r'<section[^>]*id="held-note".*?</section>', page, re.S).group(0)
    assert f"Question {held.position} is in the pool of your team" in text(note)
    assert f"{exam.closes_at:%H:%M}" in note  # until when
    assert "Everything else is shown" in note
    articles = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<article[^>]*id="q(\d+)".*?</article>', page, re.S)
    }
    assert KEY not in articles[str(held.position)]
    assert "held for your team" in articles[str(held.position)]
    assert KEY in articles[str(shown.position)]  # the other question shows its key
    # Filters and topics are still there.
    assert 'class="result-filters"' in page and 'id="result-topic"' in page

    TeamExam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = client.get(url).content.decode()
    assert "held-note" not in page and page.count(KEY) >= 2


def test_the_visibility_is_decided_by_the_service(team):
    learner = UserFactory()
    join(team, learner)
    exam = schedule(team, blueprint("sprint"))
    now = timezone.now()
    attempt = services.attempt_start(user=learner, blueprint=exam.blueprint, now=now,
                                     team_exam=exam)  # fmt: skip
    services.attempt_submit(attempt=attempt, now=now)
    ids = list(attempt.items.values_list("question_id", flat=True))
    seen = services.results_visibility(attempt=attempt, user=learner, question_ids=ids, now=now)
    assert seen.team_window and seen.held == frozenset(ids) and seen.until == exam.closes_at
    after = exam.closes_at + timedelta(seconds=1)
    seen = services.results_visibility(attempt=attempt, user=learner, question_ids=ids, now=after)
    assert not seen.held and seen.until is None and all(seen.shows(i) for i in ids)


def test_practice_holds_the_pool_until_the_last_member_still_sitting_has_finished(team):
    from quizzes.study import holds

    early, late = UserFactory(), UserFactory()
    join(team, early), join(team, late)
    exam = schedule(team, blueprint("sprint"))
    now = timezone.now()
    sitting = services.attempt_start(user=late, blueprint=exam.blueprint, now=now, team_exam=exam)
    ids = list(sitting.items.values_list("question_id", flat=True))
    TeamExam.objects.filter(pk=exam.pk).update(closes_at=now - timedelta(minutes=1))
    hold = holds.practice_hold(user=early, now=now)
    assert hold.held_ids(ids) == set(ids)  # the late member is still answering them
    assert abs((hold.until - sitting.deadline).total_seconds()) < 1
    services.attempt_submit(attempt=sitting, now=now)
    assert holds.practice_hold(user=early, now=now).held_ids(ids) == set()
