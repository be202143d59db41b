"""Dashboard numbers: forecast, streak, true retention, mastery and the load until the exam."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes.study.scheduler import LEARNING, REVIEW, CardState, Settings, review
from quizzes.study.studystats import (
    ExamLoad,
    LogRow,
    RetentionRate,
    daily_load_until_exam,
    forecast,
    mastery,
    streak,
    true_retention,
)

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # study day 10 March in UTC
UTC_DAYS = Settings(fuzz=False)
KIRITIMATI = Settings(fuzz=False, time_zone="Pacific/Kiritimati")  # UTC+14


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


def at(day: int, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
    """A moment in March 2025 in the given zone."""
    return datetime(2025, 3, day, hour, minute, tzinfo=ZoneInfo(zone))


# --- forecast -----------------------------------------------------------------------------------


def test_forecast_puts_overdue_cards_into_today_and_counts_each_later_day():
    dues = [at(1, 9), at(10, 3), at(10, 23), at(11, 3, 59), at(11, 4), at(12, 5), None]
    days = forecast(dues, NOW, UTC_DAYS, days=3)
    assert days == [(date(2025, 3, 10), 4), (date(2025, 3, 11), 1), (date(2025, 3, 12), 1)]


def test_forecast_leaves_out_cards_due_after_the_window():
    assert forecast([at(20, 12)], NOW, UTC_DAYS, days=5) == [
        (date(2025, 3, 10 + n), 0) for n in range(5)
    ]


def test_forecast_days_follow_the_learners_time_zone():
    kiritimati = "Pacific/Kiritimati"
    dues = [at(11, 3, 59, kiritimati), at(11, 4, 0, kiritimati), at(12, 10, 0, kiritimati)]
    now = at(11, 9, 0, kiritimati)  # 19:00 UTC on the 10th
    assert forecast(dues, now, KIRITIMATI, days=2) == [
        (date(2025, 3, 11), 2),
        (date(2025, 3, 12), 1),
    ]


def test_forecast_refuses_naive_due_moments():
    with pytest.raises(ValueError, match="timezone-aware"):
        forecast([datetime(2025, 3, 10)], NOW, UTC_DAYS)


# --- streak -------------------------------------------------------------------------------------


def test_streak_counts_consecutive_days_back_from_today_and_stops_at_a_gap():
    reviews = [at(10, 8), at(10, 9), at(9, 20), at(8, 5), at(6, 12)]
    assert streak(reviews, NOW, UTC_DAYS) == 3


def test_streak_still_counts_from_yesterday_while_nothing_is_reviewed_today():
    assert streak([at(9, 20), at(8, 5)], NOW, UTC_DAYS) == 2


def test_streak_is_zero_after_a_whole_day_without_reviews():
    assert streak([at(8, 5), at(7, 5)], NOW, UTC_DAYS) == 0
    assert streak([], NOW, UTC_DAYS) == 0


def test_a_review_at_three_in_the_morning_counts_for_the_day_before():
    night_owl = [at(10, 3, 30), at(8, 22)]  # 03:30 on the 10th belongs to the 9th
    assert streak(night_owl, NOW, UTC_DAYS) == 2
    assert streak([at(10, 4, 0), at(8, 22)], NOW, UTC_DAYS) == 1


def test_streak_days_follow_the_learners_time_zone():
    kiritimati = "Pacific/Kiritimati"
    reviews = [at(10, 23, 0, kiritimati), at(11, 3, 0, kiritimati), at(9, 12, 0, kiritimati)]
    assert streak(reviews, at(11, 12, 0, kiritimati), KIRITIMATI) == 2  # 10th and 9th


# --- true retention -----------------------------------------------------------------------------


def log(card_id: int, when: datetime, rating: int, state=REVIEW, interval=5.0) -> LogRow:
    return LogRow(card_id, when, rating, state, interval)


def test_true_retention_counts_only_the_first_review_of_each_card_each_day():
    logs = [
        log(1, at(10, 9), 1),  # failed first thing, so the day counts as a fail
        log(1, at(10, 9, 10), 3, state=3),  # relearning repeat: ignored
        log(1, at(10, 11), 3),  # a later same-day review: ignored
        log(1, at(9, 9), 3),  # the day before counts on its own
    ]
    retention = true_retention(logs, NOW, UTC_DAYS)
    assert retention.all == RetentionRate(passed=1, total=2)
    assert retention.all.rate == 0.5


def test_true_retention_leaves_out_new_and_learning_cards():
    logs = [
        log(1, at(10, 9), 1, state=0),
        log(2, at(10, 9), 1, state=LEARNING),
        log(3, at(10, 9), 4),
    ]
    retention = true_retention(logs, NOW, UTC_DAYS)
    assert retention.all == RetentionRate(passed=1, total=1)


def test_true_retention_splits_young_and_mature_at_21_days():
    logs = [
        log(1, at(10, 9), 3, interval=20.9),
        log(2, at(10, 9), 1, interval=3),
        log(3, at(10, 9), 2, interval=21),
        log(4, at(9, 9), 4, interval=300),
    ]
    retention = true_retention(logs, NOW, UTC_DAYS)
    assert retention.young == RetentionRate(passed=1, total=2)
    assert retention.mature == RetentionRate(passed=2, total=2)
    assert (retention.all.passed, retention.all.total, retention.all.rate) == (3, 4, 0.75)


def test_true_retention_keeps_to_the_last_thirty_study_days():
    logs = [log(1, at(10, 9), 3), log(2, datetime(2025, 2, 9, 4, tzinfo=UTC), 1)]
    logs.append(log(3, datetime(2025, 2, 9, 3, 59, tzinfo=UTC), 1))  # 8 February's study day
    assert true_retention(logs, NOW, UTC_DAYS).all == RetentionRate(passed=1, total=2)
    assert true_retention(logs, NOW, UTC_DAYS, days=1).all == RetentionRate(passed=1, total=1)


def test_true_retention_rate_is_none_without_reviews():
    retention = true_retention([], NOW, UTC_DAYS)
    assert retention.young.rate is retention.mature.rate is retention.all.rate is None


def test_first_review_of_the_day_is_found_in_unsorted_logs_across_4am():
    logs = [log(1, at(10, 5), 3), log(1, at(10, 3), 1), log(1, at(10, 4, 30), 1)]
    retention = true_retention(logs, NOW, UTC_DAYS)  # 03:00 is the 9th; 04:30 starts the 10th
    assert retention.all == RetentionRate(passed=0, total=2)


# --- mastery ------------------------------------------------------------------------------------


def freshly_reviewed(days_ago: int = 0) -> CardState:
    card = CardState(REVIEW, None, 30.0, 5.0, NOW, NOW - timedelta(days=30))
    return review(card, 3, NOW - timedelta(days=days_ago), UTC_DAYS, card_id=1).card


def test_mastery_divides_by_every_live_question_in_the_topic_studied_or_not():
    cards = [
        ("limits", freshly_reviewed()),
        ("limits", freshly_reviewed()),
        ("limits", CardState.new()),
        ("vpc", freshly_reviewed()),
    ]
    scores = mastery(cards, {"limits": 8, "vpc": 1, "edge": 5}, NOW)
    assert scores == {"limits": 0.25, "vpc": 1.0, "edge": 0.0}


def test_mastery_leaves_out_cards_that_are_probably_forgotten_by_now():
    cards = [("limits", freshly_reviewed(days_ago=400)), ("limits", freshly_reviewed())]
    assert mastery(cards, {"limits": 2}, NOW) == {"limits": 0.5}
    assert mastery(cards, {"limits": 2}, NOW, threshold=0.0) == {"limits": 1.0}


def test_mastery_ignores_topics_without_questions_and_cards_of_unknown_topics():
    assert mastery([("gone", freshly_reviewed())], {"empty": 0}, NOW) == {"empty": 0.0}


# --- load until the exam ------------------------------------------------------------------------


def test_daily_load_spreads_due_reviews_and_new_cards_over_the_days_left():
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 14))  # days left: 10th to 13th
    dues = [at(1, 9), at(12, 9), at(14, 3, 59), at(14, 4), at(20, 9), None]
    load = daily_load_until_exam(dues, 10, NOW, exam)
    assert load == ExamLoad(
        days_left=4, reviews_due=3, new_remaining=10, per_day=4, new_per_day_needed=3
    )


def test_the_day_before_the_exam_everything_left_is_due_today():
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 11))
    load = daily_load_until_exam([at(10, 20)], 5, NOW, exam)
    assert (load.days_left, load.per_day, load.new_per_day_needed) == (1, 6, 5)


@pytest.mark.parametrize("exam_date", [None, date(2025, 3, 10), date(2025, 3, 1)])
def test_no_daily_load_without_an_exam_ahead(exam_date):
    settings = Settings(fuzz=False, exam_date=exam_date)
    assert daily_load_until_exam([at(12, 9)], 10, NOW, settings) is None


def test_days_left_count_study_days_in_the_learners_zone():
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 12), time_zone="Pacific/Kiritimati")
    late_night = at(11, 3, 0, "Pacific/Kiritimati")  # still the 10th's study day there
    assert daily_load_until_exam([], 0, late_night, exam).days_left == 2
