"""`load_content [PATH ...]`: check the course, then upsert it by stable id in one transaction."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from quizzes.course.load import course_files, course_files_save, course_load, unchanged_course
from quizzes.management.commands.check_content import check_paths, print_problems


class Command(BaseCommand):
    help = "Check and load notes and banks; imports nothing if any file has a problem."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: content/)")
        parser.add_argument(
            "--all",
            action="store_true",
            help="check and load every file even when nothing changed since the last load",
        )

    def handle(self, *args: object, paths: list[str], **options: object) -> None:
        started = time.perf_counter()
        root = Path(settings.CONTENT_DIR)
        # Loading the whole content folder makes the files the whole course: what is gone retires.
        full = not paths or any(Path(p).resolve() == root.resolve() for p in paths)
        files = None
        if full and root.is_dir():
            from exams import blueprints

            files = course_files(root, code=[Path(blueprints.__file__)])
            if not options["all"] and unchanged_course(files):
                self.stdout.write(
                    f"{len(files)} files unchanged since the last load: nothing to do"
                )
                return
        course = check_paths(paths)
        if course.problems:
            print_problems(self, course)
            self.stderr.write(
                f"{len(course.problems)} problems: nothing was imported. Fix them and run again."
            )
            raise SystemExit(1)
        report = course_load(course=course, root=root, full=full)
        self.stdout.write(str(report))
        if course.blueprints or full:
            from django.utils import timezone

            from exams.services import blueprints_load

            count = blueprints_load(
                specs=course.blueprints,
                root=Path(settings.CONTENT_DIR),
                full=full,
                now=timezone.now(),
            )
            if count:
                self.stdout.write(f"{count} exam blueprint{'s' if count != 1 else ''} loaded")
        if files is not None:
            course_files_save(files)
        if options["verbosity"] > 1:
            self.stdout.write(f"in {time.perf_counter() - started:.2f} s")
