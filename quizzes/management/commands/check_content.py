"""`check_content [PATH ...]`: print every problem in the course as path:line: message."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.course.check import Course, check_course


def check_paths(paths: list[str]) -> Course:
    """Check the named files or folders (the whole content folder by default), exams included."""
    from exams.blueprints import check_blueprints

    targets = [Path(p) for p in paths] or [Path(settings.CONTENT_DIR)]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise CommandError(f"no such file or folder: {', '.join(missing)}")
    course = check_course(targets, context_dir=Path(settings.CONTENT_DIR))
    topics = {note.topic for note in course.notes} | set(course.context_topics)
    course.blueprints, problems = check_blueprints(targets, topics)
    course.problems += problems
    return course


def print_problems(command: BaseCommand, course: Course) -> None:
    for problem in course.problems:
        command.stdout.write(str(problem))


class Command(BaseCommand):
    help = "Check notes and question banks; print every problem as path:line: message."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: content/)")

    def handle(self, *args: object, paths: list[str], **options: object) -> None:
        course = check_paths(paths)
        print_problems(self, course)
        for line in course.summary_lines():
            self.stdout.write(line)
        if course.problems:
            count = len(course.problems)
            self.stderr.write(f"{count} problem{'s' if count != 1 else ''} in {course.files} files")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"{course.files} files checked: no problems"))
