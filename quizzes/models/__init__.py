"""Models by concept: the course from files, the learner's reviews, and practice quizzes."""

from .authoring import ImportJob, PendingUpload
from .course import CourseImage, ExerciseAttempt, LoadedFile, Question, Tag, Topic
from .quiz import QuizAttempt, QuizItem
from .study import Card, LearnerSettings, ReviewLog

__all__ = [
    "Card", "CourseImage", "ExerciseAttempt", "ImportJob", "LearnerSettings", "LoadedFile",
    "PendingUpload",
    "Question", "QuizAttempt", "QuizItem",
    "ReviewLog", "Tag", "Topic",
]  # fmt: skip
