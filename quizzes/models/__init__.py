"""Models by concept: the course from files, the learner's reviews, and practice quizzes."""

from .authoring import PendingUpload
from .course import ContentFile, ExerciseAttempt, Question, Tag, Topic
from .quiz import QuizAttempt, QuizItem
from .study import Card, LearnerSettings, ReviewLog

__all__ = [
    "Card", "ContentFile", "ExerciseAttempt", "LearnerSettings", "PendingUpload", "Question",
    "QuizAttempt", "QuizItem",
    "ReviewLog", "Tag", "Topic",
]  # fmt: skip
