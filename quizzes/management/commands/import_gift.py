"""`import_gift FILE -o BANK.yaml --topic T`: a Moodle GIFT export as a bank, checked.

The conversion itself is in quizzes/course/importers (no Django); this command adds what a person
at a terminal needs: clear one-line errors, the skipped questions with their source lines, and the
course checker run on the result, so a bank that would not load is known at once.
`import_aiken` is the same command with another converter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.course import textcheck
from quizzes.course.check import BANK_SUFFIXES, check_course, display_path, find_files, parse_file
from quizzes.course.importers import DEFAULT_REFERENCE, ImportResult, gift, split_bank
from quizzes.course.importers.media import MEDIA_FOLDER
from quizzes.course.importers.output import IMPORTED_HEADER

# The same cap as the upload page (quizzes.authoring.uploads.MAX_FILE_BYTES): a 50 MB file
# would otherwise run for minutes; --max-mb raises it for a big bank converted on purpose.
DEFAULT_MAX_MB = 1


def known_topics() -> list[str]:
    """The topics of the notes in settings.CONTENT_DIR (a question's topic must be one)."""
    content = Path(settings.CONTENT_DIR)
    if not content.is_dir():
        return []
    topics = []
    for path in find_files([content])[0]:
        note = parse_file(path, is_note=True)[0]
        if note is not None:
            topics.append(note.topic)
    return sorted(topics)


def part_path(out: Path, n: int) -> Path:
    """The n-th file of a bank split under the file limit: x.yaml, x-2.yaml, x-3.yaml, ..."""
    return out.with_name(f"{out.stem}-{n}{out.suffix}")


def split_parts(out: Path) -> list[Path]:
    """The parts an earlier import of `out` was split into: x-2.yaml, x-3.yaml, ... in a row,
    each written by an importer (its first line says so), so no bank of an author's is taken
    for one."""
    parts, n = [], 2
    while (path := part_path(out, n)).is_file():
        with path.open(encoding="utf-8", errors="replace") as file:
            if not file.readline().startswith(IMPORTED_HEADER):
                break
        parts.append(path)
        n += 1
    return parts


class ImportCommand(BaseCommand):
    """Shared by import_gift and import_aiken: read, convert, write, check, report."""

    format_name = "GIFT"
    convert: Callable[..., ImportResult] = staticmethod(gift.convert)
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=f"the Moodle {self.format_name} file (UTF-8 text)")
        parser.add_argument(
            "-o", "--output", required=True, help="the bank to write, e.g. content/banks/x.yaml"
        )
        parser.add_argument("--topic", help="the topic of every question: a note in content/notes")
        parser.add_argument("--id-prefix", help="start of every question id (default: the topic)")
        parser.add_argument(
            "--difficulty", default="medium", choices=("easy", "medium", "hard"), help="default"
        )
        parser.add_argument(
            "--tags",
            default="",
            help="comma-separated tags for every question, such as an exam: clf-c02, saa-c03, "
            "dva-c02 (none by default: the checker asks for one until you add it)",
        )
        parser.add_argument(
            "--max-mb", type=float, default=DEFAULT_MAX_MB,
            help=f"refuse a larger input file (default {DEFAULT_MAX_MB} MB, as on the upload page)",
        )  # fmt: skip
        parser.add_argument(
            "--reference",
            default=DEFAULT_REFERENCE,
            help="AWS documentation URL for every question",
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite the output file if it exists"
        )

    def handle(self, *args: object, **options: object) -> None:
        source = str(options["file"])
        out = Path(str(options["output"]))
        topic = self._topic(options.get("topic"))
        tags = [tag.strip() for tag in str(options["tags"]).split(",") if tag.strip()]
        self._check_output(Path(source), out, force=bool(options["force"]))
        text = self._read(source, max_bytes=int(float(str(options["max_mb"])) * 1024 * 1024))
        earlier_parts = split_parts(out)  # of an earlier import of this bank: its ids are free
        earlier = {path.resolve() for path in [out, *earlier_parts] if path.exists()}
        try:
            result = type(self).convert(
                text,
                topic=topic,
                id_prefix=str(options.get("id_prefix") or topic),
                difficulty=str(options["difficulty"]),
                tags=tags,
                reference=str(options["reference"]),
                # Not the ids of the bank being overwritten, nor of the parts it was split
                # into: a re-import updates them.
                taken={
                    q.uid
                    for q in check_course([Path(settings.CONTENT_DIR)]).questions
                    if Path(q.path).resolve() not in earlier
                },
                **self.extra_options(),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        source_name = f"Moodle {self.format_name} file {Path(source).name}"
        # A bank over the course's file limit is split: x.yaml, x-2.yaml, ...
        texts = split_bank(result.questions, topic, source=source_name)
        outputs = [out] + [part_path(out, n) for n in range(2, len(texts) + 1)]
        stale = [path for path in earlier_parts if path not in outputs]
        if not options["force"]:
            self._check_parts(outputs[1:])
        try:
            for path, bank_text in zip(outputs, texts, strict=True):
                path.write_text(bank_text, "utf-8")
            for path in stale:  # parts of an earlier, larger import of this bank
                path.unlink()
            media_dir = (
                out.parent.parent / MEDIA_FOLDER
                if out.parent.name == "banks"
                else out.parent / MEDIA_FOLDER
            )
            for name, data in result.media.items():
                media_dir.mkdir(parents=True, exist_ok=True)
                (media_dir / name.removeprefix(f"{MEDIA_FOLDER}/")).write_bytes(data)
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
        if len(outputs) > 1:
            self.stdout.write(
                f"the bank is over the course's 1 MB file limit: split into {len(outputs)} files"
            )
        for path in stale:
            self.stdout.write(f"removed {path}: a part of the earlier import of {out.name}")
        if result.media:
            self.stdout.write(f"{len(result.media)} image(s) kept in {media_dir}")

        course = check_course(outputs, context_dir=Path(settings.CONTENT_DIR))
        for problem in course.problems:
            self.stdout.write(str(problem))
        for line, reason in result.skipped:
            self.stdout.write(f"{source}:{line}: skipped: {reason}")
        for line, note in result.notes:
            self.stdout.write(f"{source}:{line}: note: {note}")
        self.stdout.write(f"{len(result.questions)} converted, {len(result.skipped)} skipped")
        if course.problems:
            count = len(course.problems)
            self.stderr.write(
                f"{display_path(out)} does not pass check_content: "
                f"{count} problem{'s' if count != 1 else ''}"
            )
            raise SystemExit(1)

    def extra_options(self) -> dict:
        """More keyword arguments for the converter (Moodle XML maps categories to topics)."""
        return {}

    def _topic(self, topic: object) -> str:
        topics = known_topics()
        choices = ", ".join(topics) or "none found"
        if not topic:
            raise CommandError(
                f"--topic is required: pick one of the topics in content/notes ({choices})"
            )
        if topics and topic not in topics:
            raise CommandError(
                f"unknown topic '{topic}': pick one of the topics in content/notes ({choices})"
            )
        return str(topic)

    def _check_output(self, source: Path, out: Path, *, force: bool) -> None:
        if out.suffix not in BANK_SUFFIXES:
            raise CommandError(f"the output {out} must end in .yaml or .yml (it is a bank)")
        if out.exists() and source.exists() and out.resolve() == source.resolve():
            raise CommandError(f"the output {out} is the input file: choose another name")
        if out.is_dir():
            raise CommandError(f"cannot write {out}: it is a folder")
        if out.exists() and not force:
            raise CommandError(f"{out} already exists: use --force to overwrite it")

    def _check_parts(self, parts: list[Path]) -> None:
        """The files a split bank adds are refused like the output itself without --force."""
        for path in parts:
            if path.exists():
                raise CommandError(
                    f"the bank is split into {len(parts) + 1} files and {path} already exists: "
                    "use --force to overwrite it"
                )

    def _read(self, source: str, *, max_bytes: int) -> str:
        try:
            size = Path(source).stat().st_size
            if size > max_bytes:
                limit = max_bytes / 1024 / 1024
                raise CommandError(
                    f"{source} is {size / 1024 / 1024:.1f} MB, over the {limit:g} MB limit: "
                    "split it, or raise the limit with --max-mb"
                )
            raw = Path(source).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {source}: {error.strerror or error}") from None
        try:
            return textcheck.decode(raw)
        except textcheck.TextProblem as error:
            raise CommandError(f"{source}:{error.line}: {error.message}") from None


class Command(ImportCommand):
    help = "Convert a Moodle GIFT file into a question bank (YAML), then check it."
    format_name = "GIFT"
    convert = staticmethod(gift.convert)

    def extra_options(self) -> dict:
        return {"topics": known_topics()}
