from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Course and study"

    def ready(self) -> None:
        from quizzes.costs.exercises import check_exercise
        from quizzes.course import bank

        # The course pipeline checks cost exercises without importing costs (docs/architecture.md).
        bank.use_exercise_check(check_exercise)
