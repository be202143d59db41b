"""Studying: FSRS scheduling, the review queue, quizzes, exercise attempts, dashboard statistics.

`scheduler` and `studystats` are pure (no Django); the rest use `quizzes.models` and `costs`.
"""
