"""`translation_stub BANK.yaml [--only ID ...]`: a translation file to fill in, on stdout.

Each item of the bank with its English texts and the `source` hash of those texts, in the shape
`content/translations/<lang>/banks/<bank>.yaml` expects (docs/authoring.md#translations).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes import hooks
from quizzes.course import translations as tr
from quizzes.course.check import parse_file


class Command(BaseCommand):
    help = "Print a translation file to fill in for a bank: its items' English texts and hashes."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "bank",
            help="a bank file (content/banks/limits.yaml) or a blueprint (content/exams/x.yaml)",
        )
        parser.add_argument("--only", nargs="*", default=[], help="only these item ids")

    def handle(self, *args: object, bank: str, only: list[str], **_: object) -> None:
        path = Path(bank)
        if not path.is_file():
            raise CommandError(f"no such file: {bank}")
        if "exams" in path.parts[:-1]:  # a blueprint: its title and description (exams.yaml)
            self.stdout.write(tr.exams_stub(_blueprints(path)))
            return
        _, questions, problems = parse_file(path, is_note=False)
        if problems:
            raise CommandError(f"{len(problems)} problems in {bank}; run check_content first")
        chosen = [q for q in questions if not only or q.uid in only]
        self.stdout.write(tr.stub(chosen))


def _blueprints(path: Path) -> list:
    """The blueprint file's specs, parsed by the exams app (through quizzes.hooks)."""
    specs, problems = hooks.exams().content_check([path], set())
    specs_problems = [p for p in problems if "topic" not in p.message]
    if specs_problems or not specs:
        raise CommandError(f"{len(specs_problems)} problems in {path}; run check_content first")
    return specs
