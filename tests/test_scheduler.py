"""The FSRS adapter: learning steps, lapses and leeches, seeded fuzz, the exam cap, study days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes.study.scheduler import (
    LEARNING,
    LEECH_LAPSES,
    NEW,
    RELEARNING,
    REVIEW,
    CardState,
    Settings,
    day_start,
    interval_label,
    local_day,
    next_day_start,
    preview,
    retrievability,
    review,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PLAIN = Settings(fuzz=False)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@pytest.fixture(autouse=True)
def fixture_course():
    """Overrides the suite's Django-settings fixture: these tests need no Django."""


def mature(stability: float = 55.0, lapses: int = 0, reps: int = 10) -> CardState:
    """A Review card last seen `stability` days ago, now due."""
    return CardState(
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - timedelta(days=round(stability)),
        reps=reps,
        lapses=lapses,
    )


def graduated(settings: Settings = PLAIN) -> CardState:
    """A new card taken through both learning steps with Good."""
    card, now = CardState.new(), NOW
    for _ in range(2):
        card = review(card, GOOD, now, settings, card_id=1).card
        now = card.due
    return card


# --- learning, lapses, leeches ------------------------------------------------------------------


def test_a_new_card_rated_good_goes_through_the_ten_minute_step_then_graduates_for_days():
    first = review(CardState.new(), GOOD, NOW, PLAIN, card_id=1)
    assert (first.card.state, first.card.step, first.interval) == (
        LEARNING,
        1,
        timedelta(minutes=10),
    )
    second = review(first.card, GOOD, first.card.due, PLAIN, card_id=1)
    assert second.card.state == REVIEW and second.card.step is None
    assert second.interval >= timedelta(days=1)
    assert second.card.reps == 2 and second.card.lapses == 0


def test_a_new_card_rated_again_comes_back_after_the_one_minute_step():
    outcome = review(CardState.new(), AGAIN, NOW, PLAIN, card_id=1)
    assert (outcome.card.state, outcome.card.step, outcome.interval) == (
        LEARNING,
        0,
        timedelta(minutes=1),
    )
    assert not outcome.lapsed


def test_again_on_a_review_card_is_a_lapse_into_a_ten_minute_relearning_step():
    outcome = review(mature(lapses=2), AGAIN, NOW, PLAIN, card_id=1)
    assert outcome.lapsed and not outcome.leech
    assert (outcome.card.state, outcome.card.step) == (RELEARNING, 0)
    assert outcome.interval == timedelta(minutes=10)
    assert outcome.card.lapses == 3 and outcome.card.reps == 11


def test_again_in_learning_or_relearning_is_not_a_lapse():
    relearning = review(mature(), AGAIN, NOW, PLAIN, card_id=1).card
    again = review(relearning, AGAIN, relearning.due, PLAIN, card_id=1)
    assert not again.lapsed and again.card.lapses == 1


def test_the_eighth_lapse_flags_a_leech_and_every_fourth_after_it():
    flagged = {
        lapses + 1
        for lapses in range(16)
        if review(mature(lapses=lapses), AGAIN, NOW, PLAIN, card_id=1).leech
    }
    assert flagged == {LEECH_LAPSES, 12, 16}


def test_lapsing_eight_times_in_a_row_flags_a_leech_on_the_eighth():
    card, now, leeches = mature(), NOW, []
    for _ in range(LEECH_LAPSES):
        outcome = review(card, AGAIN, now, PLAIN, card_id=1)
        leeches.append(outcome.leech)
        relearned = review(outcome.card, GOOD, outcome.card.due, PLAIN, card_id=1).card
        card, now = relearned, relearned.due
    assert leeches == [False] * (LEECH_LAPSES - 1) + [True]
    assert card.lapses == LEECH_LAPSES


def test_easy_schedules_longer_than_good_and_good_longer_than_hard_for_a_review_card():
    intervals = preview(mature(), NOW, PLAIN, card_id=1)
    assert intervals[EASY] > intervals[GOOD] > intervals[HARD] > intervals[AGAIN]


def test_the_review_does_not_change_the_card_it_was_given():
    card = mature()
    review(card, GOOD, NOW, PLAIN, card_id=1)
    assert card == mature()


# --- seeded fuzz --------------------------------------------------------------------------------


@pytest.mark.parametrize("fuzz", [False, True])
def test_preview_shows_exactly_what_each_rating_will_schedule(fuzz):
    settings = Settings(fuzz=fuzz)
    for card in (CardState.new(), graduated(), mature(), mature(stability=400)):
        shown = preview(card, NOW, settings, card_id=42)
        done = {
            rating: review(card, rating, NOW, settings, card_id=42).interval for rating in shown
        }
        assert shown == done


@hypothesis_settings(max_examples=50, deadline=None)
@given(
    card_id=st.integers(min_value=1, max_value=10**9),
    reps=st.integers(min_value=1, max_value=500),
    stability=st.floats(min_value=3, max_value=3000),
)
def test_fuzzed_preview_equals_review_for_any_card(card_id, reps, stability):
    card = mature(stability=stability, reps=reps)
    shown = preview(card, NOW, Settings(), card_id=card_id)
    assert shown[GOOD] == review(card, GOOD, NOW, Settings(), card_id=card_id).interval
    assert shown[HARD] <= shown[GOOD] <= shown[EASY]


def test_fuzz_differs_between_cards_but_stays_near_the_unfuzzed_interval():
    plain = review(mature(), GOOD, NOW, PLAIN, card_id=1).interval.days
    fuzzed = {review(mature(), GOOD, NOW, Settings(), card_id=n).interval.days for n in range(40)}
    assert len(fuzzed) > 1
    assert all(abs(days - plain) <= 0.1 * plain for days in fuzzed)


def test_fuzz_ignores_the_global_random_generator():
    import random

    random.seed(1)
    first = review(mature(), GOOD, NOW, Settings(), card_id=7).interval
    random.seed(2)
    assert review(mature(), GOOD, NOW, Settings(), card_id=7).interval == first


# --- the exam cap -------------------------------------------------------------------------------


def test_a_sixty_day_card_is_due_before_the_exam_day_when_the_exam_is_in_ten_days():
    assert review(mature(), GOOD, NOW, PLAIN, card_id=1).interval >= timedelta(days=60)
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 11))
    outcome = review(mature(), GOOD, NOW, exam, card_id=1)
    day_before_exam_starts = datetime(2025, 3, 10, 4, tzinfo=UTC)
    assert NOW < outcome.card.due <= day_before_exam_starts
    assert local_day(outcome.card.due, exam) < exam.exam_date


def test_the_exam_cap_uses_the_learners_time_zone():
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 11), time_zone="Pacific/Kiritimati")
    due = review(mature(), GOOD, NOW, exam, card_id=1).card.due
    assert due <= datetime(2025, 3, 10, 4, tzinfo=ZoneInfo("Pacific/Kiritimati"))


def test_on_the_last_study_day_before_the_exam_a_review_card_is_due_the_exam_morning():
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 2))
    outcome = review(mature(), GOOD, NOW, exam, card_id=1)
    assert outcome.card.due == datetime(2025, 3, 2, 4, tzinfo=UTC)


def test_the_exam_cap_never_lengthens_a_short_interval():
    exam = Settings(fuzz=False, exam_date=date(2025, 6, 1))
    card = graduated()
    assert review(card, HARD, card.due, exam, card_id=1) == review(
        card, HARD, card.due, PLAIN, card_id=1
    )


def test_the_exam_cap_leaves_learning_and_relearning_steps_alone_even_the_day_before():
    late = datetime(2025, 3, 2, 3, 55, tzinfo=UTC)  # 5 minutes before the exam day starts
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 2))
    assert review(CardState.new(), GOOD, late, exam, card_id=1).interval == timedelta(minutes=10)
    assert review(mature(), AGAIN, late, exam, card_id=1).interval == timedelta(minutes=10)
    assert review(mature(), GOOD, late, exam, card_id=1).interval == timedelta(minutes=5)


def test_a_capped_interval_is_never_under_a_minute():
    last_second = datetime(2025, 3, 2, 3, 59, 30, tzinfo=UTC)
    exam = Settings(fuzz=False, exam_date=date(2025, 3, 2))
    assert review(mature(), GOOD, last_second, exam, card_id=1).interval == timedelta(minutes=1)


@pytest.mark.parametrize("exam_date", [date(2025, 3, 1), date(2025, 2, 1)])
def test_the_exam_cap_no_longer_applies_on_or_after_the_exam_day(exam_date):
    exam = Settings(fuzz=False, exam_date=exam_date)
    assert review(mature(), GOOD, NOW, exam, card_id=1) == review(
        mature(), GOOD, NOW, PLAIN, card_id=1
    )


def test_fuzz_and_the_exam_cap_together_still_preview_exactly():
    exam = Settings(exam_date=date(2025, 3, 20))
    shown = preview(mature(), NOW, exam, card_id=3)
    assert shown == {r: review(mature(), r, NOW, exam, card_id=3).interval for r in shown}
    assert all(
        NOW + interval <= datetime(2025, 3, 19, 4, tzinfo=UTC) for interval in shown.values()
    )


# --- study days ---------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_three_fifty_nine_local_belongs_to_the_previous_study_day(zone):
    settings = Settings(time_zone=zone)
    before = datetime(2025, 3, 10, 3, 59, tzinfo=ZoneInfo(zone))
    at = datetime(2025, 3, 10, 4, 0, tzinfo=ZoneInfo(zone))
    assert local_day(before, settings) == date(2025, 3, 9)
    assert local_day(at, settings) == date(2025, 3, 10)
    assert day_start(before, settings) == at - timedelta(days=1)
    assert day_start(at, settings) == at
    assert next_day_start(before, settings) == at


def test_the_same_utc_moment_is_a_different_study_day_at_either_end_of_the_date_line():
    moment = datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # 06:00 on the 11th, 05:00 on the 10th
    kiritimati, pago_pago = (
        Settings(time_zone="Pacific/Kiritimati"),
        Settings(time_zone="Pacific/Pago_Pago"),
    )
    assert local_day(moment, kiritimati) == date(2025, 3, 11)
    assert local_day(moment, pago_pago) == date(2025, 3, 10)
    assert day_start(moment, kiritimati) == datetime(2025, 3, 10, 14, tzinfo=UTC)
    assert day_start(moment, pago_pago) == datetime(2025, 3, 10, 15, tzinfo=UTC)


def test_study_days_follow_the_clock_change_in_paris():
    paris = Settings(time_zone="Europe/Paris")  # clocks jump 02:00 -> 03:00 on 30 March 2025
    saturday_noon = datetime(2025, 3, 29, 12, tzinfo=UTC)
    assert day_start(saturday_noon, paris) == datetime(2025, 3, 29, 3, tzinfo=UTC)  # 04:00 CET
    assert next_day_start(saturday_noon, paris) == datetime(2025, 3, 30, 2, tzinfo=UTC)  # CEST
    short_day = next_day_start(saturday_noon, paris) - day_start(saturday_noon, paris)
    assert short_day == timedelta(hours=23)
    autumn = datetime(2025, 10, 25, 12, tzinfo=UTC)  # clocks fall back on 26 October
    assert next_day_start(autumn, paris) - day_start(autumn, paris) == timedelta(hours=25)


def test_day_start_returns_utc_datetimes():
    start = day_start(NOW, Settings(time_zone="Asia/Kolkata"))
    assert start.tzinfo is UTC and start == datetime(2025, 2, 28, 22, 30, tzinfo=UTC)


# --- retrievability -----------------------------------------------------------------------------


def test_retrievability_is_one_right_after_a_review_and_then_decreases():
    card = review(mature(), GOOD, NOW, PLAIN, card_id=1).card
    values = [retrievability(card, NOW + timedelta(days=days)) for days in (0, 1, 10, 100)]
    assert values[0] == 1.0
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    assert 0.85 < retrievability(card, card.due) < 0.95


def test_a_new_card_has_no_retrievability():
    assert retrievability(CardState.new(), NOW) == 0.0


# --- refusing bad input -------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    naive = datetime(2025, 3, 1, 12)
    with pytest.raises(ValueError, match="timezone-aware"):
        review(CardState.new(), GOOD, naive, PLAIN, card_id=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        day_start(naive, PLAIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        retrievability(mature(), naive)


def test_a_stored_naive_last_review_is_refused():
    card = CardState(REVIEW, None, 10.0, 5.0, NOW, datetime(2025, 2, 1))
    with pytest.raises(ValueError, match="last_review"):
        review(card, GOOD, NOW, PLAIN, card_id=1)


def test_aware_datetimes_in_other_zones_are_accepted_as_the_same_instant():
    paris_noon = NOW.astimezone(ZoneInfo("Europe/Paris"))
    assert review(mature(), GOOD, paris_noon, PLAIN, card_id=1) == review(
        mature(), GOOD, NOW, PLAIN, card_id=1
    )


@pytest.mark.parametrize("retention", [0.5, 0.79, 0.98, 1.0])
def test_a_desired_retention_outside_80_to_97_percent_is_refused(retention):
    with pytest.raises(ValueError, match="desired_retention"):
        Settings(desired_retention=retention)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(zone):
    with pytest.raises(ValueError, match="time zone"):
        Settings(time_zone=zone)


def test_an_unknown_rating_is_refused():
    with pytest.raises(ValueError, match="rating"):
        review(CardState.new(), 5, NOW, PLAIN, card_id=1)


def test_new_is_state_zero_with_nothing_scheduled():
    assert CardState.new() == CardState(NEW, None, None, None, None, None, 0, 0)


# --- interval labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "unit", "tenths"),
    [
        (timedelta(seconds=0), "minute", 0),  # "<1m"
        (timedelta(seconds=59), "minute", 0),
        (timedelta(minutes=1), "minute", 10),
        (timedelta(minutes=10), "minute", 100),
        (timedelta(minutes=5, seconds=30), "minute", 60),
        (timedelta(minutes=59, seconds=50), "minute", 590),
        (timedelta(hours=1), "hour", 10),
        (timedelta(hours=23, minutes=50), "hour", 230),
        (timedelta(days=1), "day", 10),
        (timedelta(days=3), "day", 30),
        (timedelta(days=29), "day", 290),
        (timedelta(days=30), "month", 10),
        (timedelta(days=45), "month", 15),
        (timedelta(days=364), "month", 121),
        (timedelta(days=365), "year", 10),
        (timedelta(days=730), "year", 20),
        (timedelta(days=548), "year", 15),
        (timedelta(days=-3), "minute", 0),
    ],
)
def test_interval_labels_round_like_anki(delta, unit, tenths):
    label = interval_label(delta)
    assert (label.unit, label.tenths) == (unit, tenths)
