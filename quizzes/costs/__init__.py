"""Cost exercises: the Lambda pricing engine and rates, the calculator, exercises, typed answers.

Pure Python with Decimal arithmetic, no Django import; may use `quizzes.charts` for chart geometry.
"""
