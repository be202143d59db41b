from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Mock exams and teams"

    def ready(self) -> None:
        from quizzes.study import holds

        from .teams.pools import team_exam_pools

        # Studying applies the exam-pool rule without importing exams (docs/architecture.md).
        holds.register(team_exam_pools)
