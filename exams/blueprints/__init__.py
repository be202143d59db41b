"""Exam blueprints: the parsed file (`spec`, pure) and writing them to the database (`load`)."""
