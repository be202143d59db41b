"""The exams app's pages, split by what they serve: sitting, teams, item analysis, blueprints."""
