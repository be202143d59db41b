"""Readiness: guessing floors, the knowledge model, the exam-day projection, the score distribution,
honest mastery after a poor quiz, stored predictions, interleaved new cards, personal FSRS."""

from __future__ import annotations

import io
import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from exams.models import ExamAttempt, ReadinessSnapshot
from exams.readiness import forecast as exam_readiness
from exams.readiness import model as readiness
from exams.readiness import queries as readiness_queries
from exams.readiness.model import Answer, Params
from exams.sitting import services
from quizzes.models import Card, LearnerSettings, Question, ReviewLog
from quizzes.study import newcards, optimizer, quiz, reviews, scheduler

from .factories import BlueprintFactory, UserFactory
from .shipped import load_shipped_course

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


# --- guessing -----------------------------------------------------------------------------------


def test_the_guessing_floor_follows_the_question_type():
    assert readiness.guess_floor("single", 4) == 0.25
    assert readiness.guess_floor("true_false") == 0.5
    assert readiness.guess_floor("multiple", 5, 2) == pytest.approx(1 / 10)
    assert readiness.guess_floor("multiple", 6, 3) == pytest.approx(1 / 20)
    assert readiness.guess_floor("numeric") == 0.0
    assert readiness.guess_floor("flashcard") == 0.0


def test_a_question_never_studied_has_only_its_floor():
    assert readiness.recall_at([], 0.99, 0.25, Params()) == 0.25
    assert readiness.recall_at([], 0.99, 0.0, Params()) == 0.0


def test_a_card_only_ever_answered_wrong_is_not_known():
    """FSRS alone says about 58% a week after one wrong answer; the model stays near the floor."""
    wrong = readiness.recall_at([Answer(False)], 0.58, 0.25, Params())
    right = readiness.recall_at([Answer(True)], 0.81, 0.25, Params())
    assert wrong < 0.40 < right


def test_a_right_answer_on_a_guessable_question_is_weaker_evidence():
    params = Params(learn=0.01)  # the answer's evidence, not the feedback's teaching
    guessable, _ = readiness.trace([Answer(True)], 0.5, params)
    typed, _ = readiness.trace([Answer(True)], 0.0, params)
    assert guessable < 0.3 < typed


def test_knowledge_fades_with_the_fsrs_curve_at_the_exam():
    answers = [Answer(True), Answer(True, 0.95)]
    soon = readiness.recall_at(answers, 0.95, 0.25, Params())
    later = readiness.recall_at(answers, 0.6, 0.25, Params())
    assert 0.25 < later < soon < 1


# --- the exam-day projection --------------------------------------------------------------------


def test_the_forecast_is_for_the_exam_day_or_a_week_ahead():
    base = scheduler.Settings(time_zone="Europe/Paris")
    with_exam = scheduler.Settings(time_zone="Europe/Paris", exam_date=date(2026, 3, 20))
    past_exam = scheduler.Settings(time_zone="Europe/Paris", exam_date=date(2026, 3, 1))
    # The study day starts at 4 a.m. in Paris (3 a.m. UTC in March); the exam is at noon.
    assert readiness.exam_moment(NOW, with_exam) == datetime(2026, 3, 20, 11, tzinfo=UTC)
    assert readiness.exam_moment(NOW, base) == datetime(2026, 3, 17, 11, tzinfo=UTC)
    assert readiness.exam_moment(NOW, past_exam) == readiness.exam_moment(NOW, base)
    today = scheduler.Settings(exam_date=date(2026, 3, 10))
    assert readiness.exam_moment(NOW - timedelta(hours=4), today) == NOW  # noon UTC today
    assert readiness.exam_moment(NOW + timedelta(hours=2), today) == NOW + timedelta(hours=2)


def test_the_projection_uses_the_card_at_the_exam_date():
    """The same history predicts less for an exam further away."""
    state = scheduler.review(scheduler.CardState.new(), 3, NOW, scheduler.Settings(), card_id=1)
    history = readiness_queries.History([Answer(True)], state.card, NOW)
    items = {1: readiness_queries.Item(1, "t", "single", "medium", 0.25)}
    near = scheduler.Settings(exam_date=date(2026, 3, 12))
    far = scheduler.Settings(exam_date=date(2026, 5, 10))
    p_near = readiness_queries.recall_from(
        histories={1: history}, items=items, now=NOW, sched=near, params=Params()
    ).probability[1]
    p_far = readiness_queries.recall_from(
        histories={1: history}, items=items, now=NOW, sched=far, params=Params()
    ).probability[1]
    assert 0.25 < p_far < p_near


# --- the score distribution ---------------------------------------------------------------------


def _brute_force(ps: list[float]) -> list[float]:
    dist = [0.0] * (len(ps) + 1)
    for outcome in itertools.product((0, 1), repeat=len(ps)):
        mass = math.prod(p if hit else 1 - p for p, hit in zip(ps, outcome, strict=True))
        dist[sum(outcome)] += mass
    return dist


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=0, max_size=9))
def test_the_score_distribution_matches_brute_force_enumeration(ps):
    exact = readiness.score_distribution(ps)
    assert exact == pytest.approx(_brute_force(ps), abs=1e-12)
    assert sum(exact) == pytest.approx(1.0)


def test_a_small_blueprint_forecast_matches_enumeration():
    """Two topics, five scored slots: mean, 80% range and pass chance against all 32 outcomes."""
    slots = readiness.slot_probabilities({"a": 3, "b": 2}, {"a": 0.9, "b": 0.3}, scored=5)
    assert sorted(slots) == [0.3, 0.3, 0.9, 0.9, 0.9]
    forecast = readiness.forecast_score(slots, pass_correct=4)
    dist = _brute_force(slots)
    assert forecast.expected == pytest.approx(sum(c * m for c, m in enumerate(dist)))
    assert forecast.p_pass == pytest.approx(dist[4] + dist[5])
    cumulative = list(itertools.accumulate(dist))
    assert forecast.low == next(c for c, total in enumerate(cumulative) if total >= 0.1)
    assert forecast.high == next(c for c, total in enumerate(cumulative) if total >= 0.9)


def test_only_scored_slots_count_spread_in_proportion():
    slots = readiness.slot_probabilities({"a": 39, "b": 26}, {"a": 1.0, "b": 0.0}, scored=50)
    assert len(slots) == 50 and sum(slots) == 30


# --- the fit ------------------------------------------------------------------------------------


def _synthetic(params: Params, cards: int, rng: random.Random) -> list:
    histories = []
    for _ in range(cards):
        known = rng.random() < params.prior_known
        answers = []
        for index in range(rng.randint(1, 6)):
            r = None if index == 0 else rng.uniform(0.5, 1.0)
            if r is not None and known and rng.random() > r**params.forget_power:
                known = False
            right = rng.random() < ((1 - params.slip) if known else 0.25)
            answers.append(Answer(right, r))
            known = known or rng.random() < params.learn
        histories.append((answers, 0.25))
    return histories


def test_the_fit_predicts_the_logs_better_than_the_prior_and_keeps_it_without_logs():
    truth = Params(prior_known=0.3, learn=0.6, slip=0.05, forget_power=3.0)
    histories = _synthetic(truth, 1500, random.Random(4))
    fitted = readiness.fit(histories)
    assert readiness.log_loss(histories, fitted) < readiness.log_loss(histories, Params())
    assert fitted.learn > Params().learn and fitted.prior_known > Params().prior_known
    assert readiness.fit([]) == Params()


def test_stored_parameters_out_of_range_fall_back_to_the_prior():
    assert Params.from_dict({"slip": 2}) == Params()
    assert Params.from_dict(None) == Params()
    assert Params.from_dict(Params(learn=0.5).as_dict()).learn == 0.5


# --- on the site --------------------------------------------------------------------------------


@pytest.fixture
def shipped(db, settings):
    cache.delete(readiness_queries.PARAMS_CACHE_KEY)
    load_shipped_course(settings)
    yield
    cache.delete(readiness_queries.PARAMS_CACHE_KEY)


def _quiz(user, topic: str, right: int, now: datetime) -> int:
    """Take a quiz of every exam-style question of a topic, `right` of them answered right."""
    count = Question.objects.live().filter(topic__slug=topic, type__in=quiz.QUIZ_TYPES).count()
    attempt = quiz.quiz_start(
        user=user, filters=quiz.Filters(topics=(topic,), count=count), rng=random.Random(1)
    )
    for index, item in enumerate(attempt.items.select_related("question", "attempt__user")):
        choices = item.question.choices
        keys = [c["key"] for c in choices if c["correct"]]
        if index >= right:
            wrong = [c["key"] for c in choices if not c["correct"]]
            keys = (keys[:-1] + wrong)[: len(keys)] if wrong else keys
        typed = ""
        if item.question.type in (Question.Type.ORDERING, Question.Type.MATCHING):
            keys = _slot_answer(item.question, right=index < right)
        if item.question.type == Question.Type.NUMERIC:
            keys, typed = [], "1" if index >= right else str(item.question.exercise["answer"])
        quiz.quiz_answer(item=item, selected=keys, typed=typed, now=now)
    return count


def _slot_answer(question: Question, right: bool) -> list[str]:
    """An ordering or matching answer as authored `slot=key` pairs, right or with two swapped."""
    if question.type == Question.Type.ORDERING:
        slots = [str(n) for n in range(1, len(question.choices) + 1)]
        keys = [c["key"] for c in question.choices]
    else:
        prompts = [c for c in question.choices if c.get("role") == "prompt"]
        slots, keys = [c["key"] for c in prompts], [c["match"] for c in prompts]
    if not right:
        keys[0], keys[1] = keys[1], keys[0]
    return [f"{slot}={key}" for slot, key in zip(slots, keys, strict=True)]


def test_a_23_percent_quiz_gives_an_honest_mastery_and_prediction(client, shipped):
    """The issue's scenario: a new account gets 11 of the 50 Lambda@Edge questions right."""
    user = UserFactory()
    client.force_login(user)
    now = timezone.now()
    count = _quiz(user, "edge", right=11, now=now)
    assert (
        count
        == Question.objects.live().filter(topic__slug="edge", type__in=quiz.QUIZ_TYPES).count()
    )
    assert count >= 48
    ready = exam_readiness.readiness_for(user, now=now)
    assert ready.mastery["edge"] <= 0.35
    edge_questions = [
        p for pk, p in ready.recall.probability.items() if ready.recall.items[pk].topic == "edge"
        and ready.recall.items[pk].kind in ("single", "multiple")
    ]  # fmt: skip
    assert sum(edge_questions) / len(edge_questions) <= 0.40
    full = next(p for p in ready.predictions if p.blueprint.slug == "lambda-practice-exam")
    assert full.percent < 35 and full.forecast.p_pass < 0.01
    assert full.low <= full.expected <= full.high < full.blueprint.pass_mark
    page = client.get("/dashboard/").content.decode()
    assert "Predicted score on" in page and "80% range" in page and "(your target)" not in page
    assert f"{round(100 * ready.mastery['edge'])}%" in page
    assert "studied or not" in page
    home = client.get("/").content.decode()
    assert "Predicted score" in home and "chance to pass" in home


def test_the_prediction_is_stored_at_start_and_set_against_the_result(client, shipped):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        client.post("/exams/lambda-sprint/start/")
        attempt = ExamAttempt.objects.filter(user=user, submitted_at__isnull=True).get()
        assert attempt.predicted_percent is not None
        assert attempt.predicted_low <= attempt.predicted_percent <= attempt.predicted_high
        services.attempt_submit(attempt=attempt, now=timezone.now())
        page = client.get(f"/exams/attempt/{attempt.pk}/results/").content.decode()
        assert "Predicted against actual" in page
    page = client.get("/dashboard/").content.decode()
    assert "How the forecast did for you" in page
    calibration = exam_readiness.learner_calibration(user)
    assert calibration.enough and calibration.mean_abs_error is not None


def test_a_snapshot_a_day_feeds_the_30_day_chart(client, shipped):
    user = UserFactory()
    client.force_login(user)
    now = timezone.now()
    for days_ago in (3, 1):
        exam_readiness.readiness_for(user, now=now - timedelta(days=days_ago))
    client.get("/dashboard/")
    client.get("/dashboard/")  # a second visit the same day updates, never duplicates
    rows = ReadinessSnapshot.objects.filter(user=user, blueprint__slug="lambda-practice-exam")
    assert rows.count() == 3
    page = client.get("/dashboard/").content.decode()
    assert 'class="series series-expected"' in page and "How the prediction for" in page


def test_dashboard_queries_do_not_grow_with_blueprints_or_history(client, shipped):
    user = UserFactory()
    client.force_login(user)
    client.get("/dashboard/")  # settings row, the site's fit in the cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    _quiz(user, "edge", right=30, now=timezone.now())
    BlueprintFactory(slug="extra", title="Extra", question_count=10, scored_count=10,
                     topic_weights={"edge": 1}, difficulty_mix={"medium": 1},
                     scoring="scaled", pass_mark=700)  # fmt: skip
    client.get("/dashboard/")  # as above: the quiz started cards, so the new-card count is redone
    with CaptureQueriesContext(connection) as large:
        client.get("/dashboard/")

    def reads(context) -> int:
        return sum(q["sql"].startswith("SELECT") for q in context.captured_queries)

    # The same reads; the writes are today's snapshots and the topic weights, each a single
    # query whatever the number of blueprints.
    assert reads(large) == reads(small)
    assert len(large) <= len(small) + 3


def test_review_on_day_one_mixes_topics_and_kinds_and_a_reload_shows_the_same_card(shipped):
    user = UserFactory()
    settings_row = reviews.learner_settings(user)
    now = timezone.now()
    first = reviews.review_queue(user=user, settings=settings_row, now=now).card
    again = reviews.review_queue(user=user, settings=settings_row, now=now).card
    assert first.question_id == again.question_id
    seen = []
    for n in range(12):
        card = reviews.review_queue(user=user, settings=settings_row, now=now).card
        seen.append(card.question)
        reviews.review_grade(user=user, question=card.question, rating=reviews.GOOD,
                             nonce=f"n{n}", now=now, settings=settings_row)  # fmt: skip
        now += timedelta(seconds=30)
    assert len({q.topic_id for q in seen}) >= 3
    assert {newcards.kind_of(q.type) for q in seen} == {"flashcard", "question"}


def test_new_cards_lean_towards_the_topics_that_lose_the_most_points():
    unseen = {("a", "question"): 50, ("b", "question"): 50}
    weights = {"a": 0.9, "b": 0.1}
    picks = [newcards.new_card_pick(unseen, weights, f"s{n}")[0] for n in range(400)]
    assert 0.8 < picks.count("a") / 400 < 0.97
    assert readiness.points_lost({"a": 3, "b": 1}, {"a": 0.5, "b": 1.0}) == {"a": 0.375, "b": 0.0}
    # A topic with nothing left to lose, or outside the target, still comes up now and then.
    rare = [newcards.new_card_pick(unseen, {"a": 1.0, "b": 0.0}, f"r{n}")[0] for n in range(400)]
    assert 0 < rare.count("b") < 120
    assert newcards.new_card_pick(unseen, {"a": 0.0, "b": 0.0}, "all mastered") is not None
    assert newcards.new_card_pick({}, {}, "nothing left") is None


# --- personal FSRS parameters -------------------------------------------------------------------


def _history(user, reviews_wanted: int) -> None:
    """A generated history: cards reviewed on their schedule by a learner who forgets faster
    than FSRS's defaults expect."""
    rng = random.Random(7)
    sched = scheduler.Settings(fuzz=False)
    questions = list(Question.objects.live()[:60])
    logs, written = [], 0
    for question in questions:
        card = Card.objects.create(user=user, question=question)
        state = scheduler.CardState.new()
        moment = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(hours=rng.randint(0, 300))
        stability = 0.7
        while written < reviews_wanted and moment < datetime(2026, 1, 1, tzinfo=UTC):
            elapsed = (moment - state.last_review).days if state.last_review else None
            right = elapsed is None or rng.random() < math.exp(-elapsed / stability)
            rating = 3 if right else 1
            stability = stability * 2.2 if right else 0.7
            outcome = scheduler.review(state, rating, moment, sched, card_id=card.pk)
            logs.append(ReviewLog(card=card, user=user, rating=rating, reviewed_at=moment,
                                  state_before=state.state, interval_days=1, card_before={},
                                  token=f"g{written}"))  # fmt: skip
            state = outcome.card
            moment = max(state.due, moment + timedelta(days=1))
            written += 1
        if written >= reviews_wanted:
            break
    ReviewLog.objects.bulk_create(logs)


def test_optimize_fsrs_fits_the_learners_history_and_can_go_back(client, shipped):
    user = UserFactory()
    _history(user, 600)
    out = io.StringIO()
    call_command("optimize_fsrs", user=user.username, stdout=out)
    assert "log loss" in out.getvalue() and "new parameters saved" in out.getvalue()
    row = LearnerSettings.objects.get(user=user)
    assert row.fsrs_parameters and tuple(row.fsrs_parameters) != scheduler.DEFAULT_PARAMETERS
    assert row.fsrs_report["after"]["log_loss"] <= row.fsrs_report["before"]["log_loss"]
    assert tuple(row.fsrs_previous_parameters) == scheduler.DEFAULT_PARAMETERS
    # The scheduler uses them.
    assert row.scheduler_settings().parameters == tuple(row.fsrs_parameters)
    client.force_login(user)
    page = client.get("/settings/").content.decode()
    assert "your own parameters" in page and "Log loss" in page
    client.post("/settings/fsrs/revert/")
    row.refresh_from_db()
    assert row.fsrs_parameters is None


def test_optimize_fsrs_refuses_a_short_history_with_the_count_needed(client, shipped):
    user = UserFactory()
    _history(user, 50)
    out = io.StringIO()
    call_command("optimize_fsrs", user=user.username, stdout=out)
    assert f"at least {optimizer.MIN_REVIEWS} reviews" in out.getvalue()
    assert "Nothing changed." in out.getvalue()
    with pytest.raises(CommandError, match="no user named"):
        call_command("optimize_fsrs", user="nobody-here")
    client.force_login(user)
    response = client.post("/settings/fsrs/optimize/", follow=True)
    assert f"at least {optimizer.MIN_REVIEWS} reviews" in response.content.decode()


def test_personal_parameters_change_the_schedule_and_the_curve():
    own = list(scheduler.DEFAULT_PARAMETERS)
    own[2] = 0.5  # the initial stability after Good
    own[20] = 0.5  # the forgetting curve's decay
    plain = scheduler.Settings(fuzz=False)
    personal_settings = scheduler.Settings(fuzz=False, parameters=tuple(own))
    default_card = scheduler.review(scheduler.CardState.new(), 3, NOW, plain, card_id=1).card
    own_card = scheduler.review(
        scheduler.CardState.new(), 3, NOW, personal_settings, card_id=1
    ).card
    assert own_card.stability == 0.5 != default_card.stability
    later = NOW + timedelta(days=3)
    assert scheduler.retrievability(default_card, later, tuple(own)) != (
        scheduler.retrievability(default_card, later)
    )
    with pytest.raises(ValueError, match="21 numbers"):
        scheduler.Settings(parameters=(1.0, 2.0))
