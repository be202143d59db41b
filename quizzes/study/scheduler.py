"""FSRS scheduling for stored cards: py-fsrs behind the columns our models keep.

py-fsrs has no "new" state, fuzzes with the global random generator and knows nothing of a learner's
day or exam. This module adds those: a card never reviewed is state 0, fuzz is seeded per card and
review (so the answer buttons show exactly what a review will do), a learner's day starts at 4 a.m.
in their own time zone, and no card is scheduled past the day before their exam.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fsrs
from fsrs.scheduler import FUZZ_RANGES

NEW = 0  # a card never reviewed; 1, 2, 3 are the fsrs.State values
LEARNING, REVIEW, RELEARNING = (int(state) for state in fsrs.State)
RATINGS = tuple(int(rating) for rating in fsrs.Rating)  # Again, Hard, Good, Easy = 1..4
AGAIN = int(fsrs.Rating.Again)

LEECH_LAPSES = 8
LEECH_EVERY = LEECH_LAPSES // 2  # as in Anki: flagged again every 4 lapses after the 8th
MIN_RETENTION, MAX_RETENTION = 0.80, 0.97
MIN_INTERVAL = timedelta(minutes=1)
MINUTE, HOUR, DAY = 60, 3600, 86400
DEFAULT_PARAMETERS = tuple(fsrs.Scheduler().parameters)


@dataclass(frozen=True)
class CardState:
    """Exactly the columns the Card model stores, so the model and the scheduler share one shape."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    @classmethod
    def new(cls) -> CardState:
        """A card never reviewed: no memory model yet and nothing due."""
        return cls(
            state=NEW, step=None, stability=None, difficulty=None, due=None, last_review=None
        )


@dataclass(frozen=True)
class Settings:
    """A learner's scheduling choices, checked once here so every caller can trust them."""

    desired_retention: float = 0.9
    maximum_interval: int = 36500
    exam_date: date | None = None
    time_zone: str = "UTC"
    day_start_hour: int = 4
    fuzz: bool = True
    # The learner's own FSRS parameters (21 numbers, from `optimize_fsrs`); None: FSRS's defaults.
    parameters: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.parameters is not None and len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(
                f"FSRS parameters must be {len(DEFAULT_PARAMETERS)} numbers, "
                f"not {len(self.parameters)}"
            )
        if not MIN_RETENTION <= self.desired_retention <= MAX_RETENTION:
            raise ValueError(
                f"desired_retention must be between {MIN_RETENTION} and {MAX_RETENTION}, "
                f"not {self.desired_retention}"
            )
        if self.maximum_interval < 1:
            raise ValueError(
                f"maximum_interval must be at least 1 day, not {self.maximum_interval}"
            )
        if not 0 <= self.day_start_hour <= 23:
            raise ValueError(f"day_start_hour must be 0 to 23, not {self.day_start_hour}")
        _zone(self.time_zone)


@dataclass(frozen=True)
class Outcome:
    """What one review did, with the facts the caller stores or shows."""

    card: CardState
    interval: timedelta
    lapsed: bool
    leech: bool


# --- the learner's day --------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    """The IANA zone, or a ValueError that says which name is wrong."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"{name!r} is not a time zone name such as Europe/Paris") from None


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone a learner can pick, sorted, without the legacy aliases (`US/Pacific`,
    `Etc/GMT+5`, `EST`) that name the same clocks less clearly."""
    from zoneinfo import available_timezones

    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name and name.split("/")[0] not in {"Etc", "SystemV", "US", "posixrules"}
        )
        + ["UTC"]
    )


def _utc(moment: datetime, name: str = "datetime") -> datetime:
    """The same instant in timezone.utc, the only zone py-fsrs accepts; naive is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def local_day(moment: datetime, settings: Settings) -> date:
    """The study day a moment belongs to: before 4 a.m. local time it is still the previous day."""
    local = _utc(moment).astimezone(_zone(settings.time_zone))
    if local.hour < settings.day_start_hour:
        return local.date() - timedelta(days=1)
    return local.date()


def study_day_start(day: date, settings: Settings) -> datetime:
    """When a given study day starts, in UTC; DST makes some study days 23 or 25 hours long."""
    local = datetime.combine(day, time(settings.day_start_hour), tzinfo=_zone(settings.time_zone))
    return local.astimezone(UTC)


def day_start(now: datetime, settings: Settings) -> datetime:
    """The start of the learner's current study day, in UTC, for "due today" queries."""
    return study_day_start(local_day(now, settings), settings)


def next_day_start(now: datetime, settings: Settings) -> datetime:
    """The start of the learner's next study day, in UTC: the end of "today"."""
    return study_day_start(local_day(now, settings) + timedelta(days=1), settings)


def days_until_exam(now: datetime, settings: Settings) -> int | None:
    """Study days left before the exam day (today included), or None without an exam ahead."""
    if settings.exam_date is None:
        return None
    days = (settings.exam_date - local_day(now, settings)).days
    return days if days > 0 else None


# --- py-fsrs with seeded fuzz -------------------------------------------------------------------


class _SeededScheduler(fsrs.Scheduler):
    """py-fsrs whose fuzz comes from a seed, so a preview and the review agree to the day."""

    def __init__(self, *, seed: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._seed = seed

    def _get_fuzzed_interval(self, *, interval: timedelta) -> timedelta:
        """py-fsrs's fuzz ranges, drawn from random.Random(seed) instead of the global generator."""
        days = interval.days
        if days < 2.5:
            return interval
        delta = 1.0
        for fuzz in FUZZ_RANGES:
            delta += fuzz["factor"] * max(min(float(days), fuzz["end"]) - fuzz["start"], 0.0)
        high = min(round(days + delta), self.maximum_interval)
        low = min(max(2, round(days - delta)), high)
        draw = random.Random(self._seed).random()  # one draw for all buttons keeps Hard<=Good<=Easy
        return timedelta(days=low + min(int(draw * (high - low + 1)), high - low))


def _fuzz_seed(card_id: int, reps: int) -> int:
    """A seed fixed by the card and how often it was reviewed: same review, same fuzz."""
    digest = hashlib.sha256(f"{card_id}:{reps}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@lru_cache(maxsize=64)
def _plain_scheduler(
    retention: float, maximum_interval: int, parameters: tuple[float, ...] | None = None
) -> fsrs.Scheduler:
    """An unfuzzed scheduler; it holds no per-call state, so one per setting is shared."""
    extra = {"parameters": parameters} if parameters else {}
    return fsrs.Scheduler(
        desired_retention=retention,
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
        **extra,
    )


def _scheduler(settings: Settings, maximum_interval: int, seed: int) -> fsrs.Scheduler:
    """The scheduler for one review; the fuzzed one carries its seed, so it is built per call."""
    if not settings.fuzz:
        return _plain_scheduler(settings.desired_retention, maximum_interval, settings.parameters)
    extra = {"parameters": settings.parameters} if settings.parameters else {}
    return _SeededScheduler(
        seed=seed,
        desired_retention=settings.desired_retention,
        maximum_interval=maximum_interval,
        enable_fuzzing=True,
        **extra,
    )


def _to_fsrs(card: CardState, now: datetime, card_id: int) -> fsrs.Card:
    """Our columns as a py-fsrs Card; a new card starts at learning step 0, due now."""
    if card.state == NEW:
        return fsrs.Card(card_id=card_id, due=now)
    if card.state not in (LEARNING, REVIEW, RELEARNING):
        raise ValueError(f"unknown card state {card.state}")
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due, "due") if card.due else now,
        last_review=_utc(card.last_review, "last_review") if card.last_review else None,
    )


# --- reviewing ----------------------------------------------------------------------------------


def _exam_cap(now: datetime, settings: Settings) -> datetime | None:
    """The latest a Review card may fall due so it is seen again before the exam, or None."""
    if days_until_exam(now, settings) is None:
        return None
    exam_day = settings.exam_date
    cap = study_day_start(exam_day - timedelta(days=1), settings)
    if cap <= now:  # today is the last study day: the exam morning is the last chance
        cap = study_day_start(exam_day, settings)
    return max(cap, now + MIN_INTERVAL)


def _is_leech(lapsed: bool, lapses: int) -> bool:
    """Flag at the 8th lapse and every 4th after, as Anki does, so an unsuspended leech recurs."""
    return lapsed and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_EVERY == 0


def review(
    card: CardState, rating: int, now: datetime, settings: Settings, *, card_id: int
) -> Outcome:
    """Apply one rating at `now`: the card's new columns, the interval, whether it lapsed."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
    now = _utc(now, "now")
    exam_days = days_until_exam(now, settings)
    maximum = min(settings.maximum_interval, exam_days or settings.maximum_interval)
    scheduler = _scheduler(settings, maximum, _fuzz_seed(card_id, card.reps))
    after, _log = scheduler.review_card(_to_fsrs(card, now, card_id), fsrs.Rating(rating), now)
    due = after.due
    cap = _exam_cap(now, settings)
    if cap is not None and after.state == fsrs.State.Review:
        due = min(due, cap)
    lapsed = card.state == REVIEW and rating == AGAIN
    lapses = card.lapses + int(lapsed)
    state = CardState(
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=due,
        last_review=after.last_review,
        reps=card.reps + 1,
        lapses=lapses,
    )
    return Outcome(state, due - now, lapsed, _is_leech(lapsed, lapses))


def preview(
    card: CardState, now: datetime, settings: Settings, *, card_id: int
) -> dict[int, timedelta]:
    """The interval each answer button would schedule; identical to what review() will do."""
    return {
        rating: review(card, rating, now, settings, card_id=card_id).interval for rating in RATINGS
    }


def retrievability(
    card: CardState, now: datetime, parameters: tuple[float, ...] | None = None
) -> float:
    """The chance of recalling the card now (py-fsrs counts whole days); 0.0 if never seen.

    `parameters` are the learner's own FSRS parameters: their last one sets the curve's shape.
    """
    now = _utc(now, "now")
    if card.state == NEW or card.stability is None or card.last_review is None:
        return 0.0
    probe = fsrs.Card(
        card_id=0,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=now,
        last_review=_utc(card.last_review, "last_review"),
    )
    return float(_plain_scheduler(0.9, 36500, parameters).get_card_retrievability(probe, now))


# --- showing intervals --------------------------------------------------------------------------


@dataclass(frozen=True)
class IntervalLabel:
    """An interval as an answer button shows it, before it is put in words: a unit and an amount
    in tenths (10 = 1). The words are the page's (`reviews.interval_text`, and the same rule in
    static/js/intervals.js for the reviews on the device)."""

    unit: str  # "minute", "hour", "day", "month" or "year"; an amount of 0 minutes is "<1m"
    tenths: int


def interval_label(delta: timedelta) -> IntervalLabel:
    """An interval as Anki labels its buttons: "<1m", "10m", "1h", "3d", "1.5mo", "2y".

    Whole minutes, hours and days; months (of 30 days) and years in tenths. Every step is a plain
    floating-point operation that JavaScript does the same way, so the device's labels match.
    """
    seconds = delta.total_seconds()
    if seconds < MINUTE:
        return IntervalLabel("minute", 0)
    if seconds < HOUR:
        return IntervalLabel("minute", min(math.floor(seconds / MINUTE + 0.5), 59) * 10)
    if seconds < DAY:
        return IntervalLabel("hour", min(math.floor(seconds / HOUR + 0.5), 23) * 10)
    days = seconds / DAY
    if days < 30:
        return IntervalLabel("day", min(math.floor(days + 0.5), 29) * 10)
    if days < 365:
        return IntervalLabel("month", math.floor(days / 30 * 10 + 0.5))
    return IntervalLabel("year", math.floor(days / 365 * 10 + 0.5))
