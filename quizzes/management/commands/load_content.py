"""`load_content [PATH ...]`: check the course, then upsert it by stable id in one transaction."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from quizzes import hooks
from quizzes.authoring.media import images_load
from quizzes.course.check import find_files
from quizzes.course.load import (
    OURS,
    THEIRS,
    LoadConflict,
    code_version,
    course_load,
    file_prints,
    folder_prints,
    record_course,
    unchanged_course,
)  # fmt: skip
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
        side = parser.add_mutually_exclusive_group()
        side.add_argument(
            "--theirs",
            action="store_const",
            const=THEIRS,
            dest="resolve",
            help="on a conflict with an edit made in the browser, the file wins",
        )
        side.add_argument(
            "--ours",
            action="store_const",
            const=OURS,
            dest="resolve",
            help="on a conflict with an edit made in the browser, the browser edit stays",
        )

    def handle(self, *args: object, paths: list[str], **options: object) -> None:
        started = time.perf_counter()
        root = Path(settings.CONTENT_DIR)
        # Loading the whole content folder makes the files the whole course: what is gone retires.
        full = not paths or any(Path(p).resolve() == root.resolve() for p in paths)
        prints = code = None
        if full and root.is_dir():
            self._migrated()
            prints = folder_prints(root)
            code = code_version(hooks.exams().content_code())
            if not options["all"] and unchanged_course(prints, code):
                self.stdout.write(
                    f"{len(prints)} files unchanged since the last load: nothing to do"
                )
                return
        course = check_paths(paths)
        if course.problems:
            print_problems(self, course)
            self.stderr.write(
                f"{len(course.problems)} problems: nothing was imported. Fix them and run again."
            )
            raise SystemExit(1)
        if prints is None:  # some files: the per-file rule for them alone
            self._migrated()
            notes, banks = find_files([Path(p) for p in paths] or [root])
            prints = file_prints(notes + banks, root)
        try:
            with transaction.atomic():
                report = course_load(
                    course=course,
                    root=root,
                    full=full,
                    prints=prints,
                    resolve=options.get("resolve") or "",
                )
                # The shipped images of content/media/, into the database the servers read.
                images = images_load(root)
        except LoadConflict as error:
            for conflict in error.conflicts:
                self.stdout.write(str(conflict))
            self.stderr.write(
                f"{len(error.conflicts)} conflict{'s' if len(error.conflicts) != 1 else ''} with "
                "edits made in the browser: nothing was imported. Download the edited bank from "
                "/instructor/banks/ and commit it, or run again with --theirs or --ours."
            )
            raise SystemExit(1) from None
        self.stdout.write(str(report))
        if images:
            self.stdout.write(f"{images} course image{'s' if images != 1 else ''} loaded")
        if course.exams or full:
            count = hooks.exams().content_load(
                parsed=course.exams, root=root, full=full, now=timezone.now(),
                translations=course.translations,
            )  # fmt: skip
            if count:
                self.stdout.write(f"{count} exam blueprint{'s' if count != 1 else ''} loaded")
        if code is not None:
            record_course(prints, code)
        if options["verbosity"] > 1:
            self.stdout.write(f"in {time.perf_counter() - started:.2f} s")

    def _migrated(self) -> None:
        """A fresh development database is migrated first; production says to migrate instead."""
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return
        if not settings.DEBUG:
            raise CommandError("The database is not migrated: run `manage.py migrate` first.")
        self.stderr.write("The development database is not migrated: migrating it first.")
        call_command("migrate", verbosity=0, interactive=False)
