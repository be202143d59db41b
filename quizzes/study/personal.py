"""Personal FSRS parameters from the database: optimise on the learner's own log, or go back.

The fit itself is `optimizer` (pure, fsrs-rs); this reads the review log by study day and keeps
the parameters used before on the learner's settings, so one click puts them back.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from quizzes.models import ReviewLog

from . import optimizer, reviews, scheduler


def review_count(user: AbstractBaseUser) -> int:
    return ReviewLog.objects.filter(user=user).count()


def parameters_optimize(*, user: AbstractBaseUser) -> optimizer.Report:
    """Fit the learner's parameters on every review they logged (reviews, quizzes, exams).

    Raises optimizer.NotEnoughReviews below the minimum. The parameters in use are kept as the
    previous ones; when the fit does not predict the history better, nothing changes but the
    report.
    """
    settings = reviews.learner_settings(user)
    sched = settings.scheduler_settings()
    rows = [
        (card_id, scheduler.local_day(moment, sched), rating)
        for card_id, moment, rating in ReviewLog.objects.filter(user=user).values_list(
            "card_id", "reviewed_at", "rating"
        )
    ]
    current = tuple(settings.fsrs_parameters or scheduler.DEFAULT_PARAMETERS)
    report = optimizer.optimize(rows, current)
    fields = ["fsrs_report"]
    if not report.kept_old:
        settings.fsrs_previous_parameters = list(current)
        settings.fsrs_parameters = list(report.parameters)
        fields += ["fsrs_parameters", "fsrs_previous_parameters"]
    settings.fsrs_report = report.as_dict()
    settings.save(update_fields=fields)
    return report


def parameters_revert(*, user: AbstractBaseUser) -> bool:
    """Put back the parameters used before the last optimisation; False if there are none."""
    settings = reviews.learner_settings(user)
    previous = settings.fsrs_previous_parameters
    if not previous:
        return False
    is_default = tuple(previous) == scheduler.DEFAULT_PARAMETERS
    settings.fsrs_parameters = None if is_default else previous
    settings.fsrs_previous_parameters = None
    settings.fsrs_report = None
    settings.save(update_fields=["fsrs_parameters", "fsrs_previous_parameters", "fsrs_report"])
    return True
