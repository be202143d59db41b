from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Course and study"

    def ready(self) -> None:
        from quizzes.costs.exercises import check_exercise
        from quizzes.course import bank
        from quizzes.study import language  # noqa: F401  (the saved language at sign-in)

        # The course pipeline checks cost exercises without importing costs (docs/architecture.md).
        bank.use_exercise_check(check_exercise)
