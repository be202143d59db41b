"""Views by concept: course pages, reviews, quizzes, the learner's dashboard and settings."""
