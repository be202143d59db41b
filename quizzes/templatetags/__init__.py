"""Template filters of the quizzes app."""
