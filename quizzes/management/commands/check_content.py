"""`check_content [PATH ...] [--strict] [--cues]`: each problem as path:line: message.

Item-writing warnings (quizzes/course/itemlint.py) are printed too; `--strict` makes them fail.
Checking the whole content folder also checks each language's translations
(quizzes/course/translations.py): their problems, stale or unknown ids (warnings), the linter
on the translated texts, and per language how much is translated.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes import hooks
from quizzes.course import itemlint
from quizzes.course import translations as tr
from quizzes.course.check import Course, check_course, display_path


def check_paths(paths: list[str]) -> Course:
    """Check the named files or folders (the whole content folder by default), exams included."""
    targets = [Path(p) for p in paths] or [Path(settings.CONTENT_DIR)]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise CommandError(f"no such file or folder: {', '.join(missing)}")
    course = check_course(targets, context_dir=Path(settings.CONTENT_DIR), parallel=True)
    topics = {note.topic for note in course.notes} | set(course.context_topics)
    course.exams, problems = hooks.exams().content_check(targets, topics)
    course.problems += problems
    for found in (course.translations or {}).values():  # the whole course: its exams' texts too
        before = len(found.problems)
        tr.read_exams(found, Path(settings.CONTENT_DIR), course.exams, show=display_path)
        course.problems += found.problems[before:]
    return course


def print_problems(command: BaseCommand, course: Course) -> None:
    for problem in course.problems:
        command.stdout.write(str(problem))


class Command(BaseCommand):
    help = "Check notes and question banks; print every problem as path:line: message."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="files or folders (default: content/)")
        parser.add_argument(
            "--strict", action="store_true", help="item-writing warnings count as problems"
        )
        parser.add_argument(
            "--cues", action="store_true", help="also list every item's length and wording cues"
        )

    def handle(self, *args: object, paths: list[str], strict: bool, cues: bool, **_: object):
        course = check_paths(paths)
        print_problems(self, course)
        report = itemlint.lint(course.questions)
        shown = report.findings if cues else report.warnings
        for finding in sorted(shown, key=lambda f: (f.path, f.line)):
            self.stdout.write(str(finding))
        translated = self._translations(course, cues)
        warnings = len(report.warnings) + sum(len(t.warnings) for t in translated.values())
        for line in course.summary_lines() + report.summary_lines():
            self.stdout.write(line)
        for language, found in (course.translations or {}).items():
            self.stdout.write(found.summary_line())
            lint = translated[language].lint
            self.stdout.write(f"item-writing cues by topic, {language}:")
            for line in [*lint.topic_summaries(), lint.course_summary()]:
                self.stdout.write(f"  {line}")
        failures = len(course.problems) + (warnings if strict else 0)
        if failures:
            what = "problem" if not strict else "problem or warning"
            plural = "s" if failures != 1 else ""
            self.stderr.write(f"{failures} {what}{plural} in {course.files} files")
            raise SystemExit(1)
        warned = f", {warnings} item-writing or translation warnings" if warnings else ""
        self.stdout.write(self.style.SUCCESS(f"{course.files} files checked: no problems{warned}"))

    def _translations(self, course: Course, cues: bool) -> dict[str, _Translated]:
        """Print each language's warnings and its linter findings; return, per language, its
        warnings and the linter's shares on the translated texts (the same limits as English)."""
        translated = {}
        for language, found in (course.translations or {}).items():
            lint = itemlint.lint(tr.translated_specs(course.questions, found), language=language)
            shown = [*found.findings, *(lint.findings if cues else lint.warnings)]
            for finding in sorted(shown, key=lambda f: (f.path, f.line)):
                self.stdout.write(str(finding))
            translated[language] = _Translated(lint, [*found.findings, *lint.warnings])
        return translated


class _Translated(NamedTuple):
    lint: itemlint.Report  # the linter on the translated texts, for its shares
    warnings: list  # the language's own warnings and the linter's
