"""Instructor tools: read uploads safely, preview and diff a bank, apply it, item statistics.

`uploads` and `itemstats` are pure (no Django); `changes` uses `quizzes.models` and `course`.
"""
