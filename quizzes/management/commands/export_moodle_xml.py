"""`export_moodle_xml BANK.yaml -o BANK.xml`: a bank as Moodle XML, to move it into Moodle."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.course.check import check_course
from quizzes.course.importers import moodle_xml


class Command(BaseCommand):
    help = "Write a question bank as Moodle XML; names each question Moodle cannot hold."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bank", help="a bank file, e.g. content/banks/limits.yaml")
        parser.add_argument("-o", "--output", required=True, help="the .xml file to write")
        parser.add_argument("--force", action="store_true", help="overwrite the output")

    def handle(self, *args: object, bank: str, output: str, force: bool, **options) -> None:
        out = Path(output)
        if out.suffix != ".xml":
            raise CommandError(f"the output {out} must end in .xml")
        if out.exists() and not force:
            raise CommandError(f"{out} already exists: use --force to overwrite it")
        if not Path(bank).is_file():
            raise CommandError(f"no such bank: {bank}")
        course = check_course([Path(bank)], context_dir=Path(settings.CONTENT_DIR))
        if course.problems:
            for problem in course.problems:
                self.stdout.write(str(problem))
            raise CommandError(f"{bank} does not pass check_content: fix it first")
        text, skipped = moodle_xml.export([question.spec for question in course.questions])
        out.write_text(text, "utf-8")
        for uid, reason in skipped:
            self.stdout.write(f"{bank}: not exported: {uid}: {reason}")
        exported = len(course.questions) - len(skipped)
        self.stdout.write(f"{exported} exported, {len(skipped)} not exported")
