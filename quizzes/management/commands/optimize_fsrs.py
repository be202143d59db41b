"""Fit personal FSRS parameters on learners' own review logs (fsrs-rs's optimizer).

manage.py optimize_fsrs               # every learner with enough reviews
manage.py optimize_fsrs --user NAME   # one learner
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from quizzes.study import optimizer, personal


class Command(BaseCommand):
    help = "Fit personal FSRS parameters from each learner's review log (at least 400 reviews)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", help="the username of one learner")

    def handle(self, *args, **options) -> None:
        users = get_user_model().objects.all()
        if options["user"]:
            users = users.filter(username=options["user"])
            if not users.exists():
                raise CommandError(f"no user named {options['user']!r}")
        else:
            users = users.annotate(n=Count("review_logs")).filter(n__gte=optimizer.MIN_REVIEWS)
        for user in users:
            try:
                report = personal.parameters_optimize(user=user)
            except optimizer.NotEnoughReviews as error:
                # Not a failure: the learner keeps the default parameters until there are enough.
                if options["user"]:
                    self.stdout.write(f"{user.get_username()}: {error} Nothing changed.")
                continue
            verdict = "kept the parameters in use" if report.kept_old else "new parameters saved"
            self.stdout.write(
                f"{user.get_username()}: {report.reviews} reviews, {report.items} items; "
                f"log loss {report.before.log_loss:.4f} -> {report.after.log_loss:.4f}, "
                f"RMSE {report.before.rmse:.4f} -> {report.after.rmse:.4f}: {verdict}"
            )
