"""Personal FSRS parameters: fit them on one learner's review history with fsrs-rs's optimizer.

fsrs-rs-python ships the Rust optimizer as a wheel (py-fsrs's own optimizer needs torch, far too
heavy here). Its 21 FSRS-6 parameters are the ones py-fsrs 6 schedules with.

A review history becomes fsrs-rs items as the FSRS optimizer expects them: per card, its reviews
in order with the days elapsed since the previous one (study days, so a 4 a.m. day start counts);
one item per review that came at least a day after the one before, holding the history up to it.
The fit is kept only if it predicts that history at least as well as the parameters in use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import fsrs_rs_python as fsrs_rs

# FSRS needs a few hundred reviews before personal parameters beat the defaults; below this many
# the page and the command refuse and say how many more are needed.
MIN_REVIEWS = 400


@dataclass(frozen=True)
class Fit:
    """How well a set of parameters predicts a history: log loss and RMSE (binned), lower better."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Report:
    """What an optimisation did, stored on the learner's settings and shown on the page."""

    reviews: int
    items: int
    before: Fit
    after: Fit
    parameters: tuple[float, ...]
    kept_old: bool  # the fit did not improve on the parameters in use

    def as_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "items": self.items,
            "before": {"log_loss": self.before.log_loss, "rmse": self.before.rmse},
            "after": {"log_loss": self.after.log_loss, "rmse": self.after.rmse},
            "kept_old": self.kept_old,
        }


class NotEnoughReviews(ValueError):
    """Too short a history to fit: the message says how many reviews are needed."""


def items_from_reviews(reviews: Iterable[tuple[Hashable, date, int]]) -> list:
    """fsrs-rs training items from (card, study day, rating 1-4) rows."""
    by_card: dict[Hashable, list[tuple[date, int]]] = defaultdict(list)
    for card, day, rating in reviews:
        by_card[card].append((day, rating))
    items = []
    for rows in by_card.values():
        rows.sort(key=lambda row: row[0])
        history = []
        previous: date | None = None
        for day, rating in rows:
            elapsed = (day - previous).days if previous else 0
            history.append(fsrs_rs.FSRSReview(rating, elapsed))
            previous = day
            if len(history) > 1 and elapsed > 0:
                items.append(fsrs_rs.FSRSItem(list(history)))
    return items


def evaluate(parameters: Sequence[float], items: list) -> Fit:
    """Log loss and RMSE of these parameters on these items."""
    result = fsrs_rs.FSRS(list(parameters)).evaluate(items)
    return Fit(log_loss=float(result.log_loss), rmse=float(result.rmse_bins))


def optimize(reviews: Sequence[tuple[Hashable, date, int]], current: Sequence[float]) -> Report:
    """Fit parameters on this history; keep `current` if the fit does not predict it better."""
    if len(reviews) < MIN_REVIEWS:
        raise NotEnoughReviews(
            f"Personal parameters need at least {MIN_REVIEWS} reviews; you have {len(reviews)}, "
            f"so {MIN_REVIEWS - len(reviews)} more to go."
        )
    items = items_from_reviews(reviews)
    if not items:
        raise NotEnoughReviews("None of your reviews came a day or more after the one before yet.")
    before = evaluate(current, items)
    fitted = tuple(float(p) for p in fsrs_rs.FSRS(list(current)).compute_parameters(items))
    after = evaluate(fitted, items)
    if after.log_loss > before.log_loss:
        return Report(len(reviews), len(items), before, before, tuple(current), kept_old=True)
    return Report(len(reviews), len(items), before, after, fitted, kept_old=False)
