"""Sitting an exam: start, save, submit and deadlines (`services`), results filters (`results`)."""
