from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Mock exams and teams"

    def ready(self) -> None:
        from quizzes import hooks
        from quizzes.study import holds

        from .interface import ExamsForQuizzes
        from .teams.pools import team_exam_pools

        # Studying reaches exams only through what exams registers here (docs/architecture.md).
        holds.register(team_exam_pools)
        hooks.register(ExamsForQuizzes())
