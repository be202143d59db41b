"""Reading an uploaded bank or zip of banks safely, in memory, with hard limits.

A zip is never extracted to disk: names that climb out of a folder or are absolute are refused,
and every member is read with a cap, so a zip bomb stops at the limit whatever its header claims.
A Moodle file (`.gift`, Aiken `.txt`, Moodle `.xml`) is converted to a bank first (`read_import`).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from quizzes.course import textcheck
from quizzes.course.importers import ImportResult, aiken, gift, moodle_xml, slugify, split_bank
from quizzes.course.textcheck import MAX_FILE_BYTES
from quizzes.translatable import Message, gettext_noop

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_FILES = 50
MAX_TOTAL_BYTES = 10 * 1024 * 1024
BANK_SUFFIXES = (".yaml", ".yml")
IMPORT_FORMATS = {".gift": "GIFT", ".txt": "Aiken", ".xml": "Moodle XML"}


class UploadError(ValueError):
    """An upload refused as a whole, with a message for the instructor (a Message: the page
    translates it)."""

    @property
    def message(self) -> Message | str:
        return self.args[0] if self.args else ""


def _bank_name(name: str) -> str:
    """A plain file name: no folders that climb out, no absolute paths, a .yaml suffix."""
    normal = posixpath.normpath(name.replace("\\", "/"))
    if (
        normal.startswith(("/", "../"))
        or normal == ".."
        or "/../" in f"/{normal}/"
        or ":" in normal
    ):
        raise UploadError(
            gettext_noop(
                "%(name)s is not a safe file name inside a zip: it points outside the zip",
                name=repr(name),
            )
        )
    base = posixpath.basename(normal)
    if not base.endswith(BANK_SUFFIXES):
        raise UploadError(
            gettext_noop("%(name)s is not a bank: banks are .yaml files", name=repr(name))
        )
    return base


def read_upload(name: str, raw: bytes) -> dict[str, bytes]:
    """File name -> bytes of every bank in the upload (one YAML file, or a zip of them)."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadError(
            gettext_noop(
                "the upload is %(size)s MB: the limit is 5 MB",
                size=Decimal(f"{len(raw) / 1024 / 1024:.1f}"),
            )
        )
    if name.lower().endswith(".zip"):
        return _read_zip(raw)
    return {_bank_name(name): raw}


def _read_zip(raw: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise UploadError(gettext_noop("the file is not a valid zip archive")) from None
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_FILES:
        raise UploadError(
            gettext_noop(
                "the zip holds %(count)s files: the limit is %(max)s",
                count=len(members),
                max=MAX_FILES,
            )
        )
    files: dict[str, bytes] = {}
    total = 0
    for info in members:
        name = _bank_name(info.filename)
        if name in files:
            raise UploadError(gettext_noop("two files in the zip are named %(name)s", name=name))
        try:
            with archive.open(info) as member:
                data = member.read(
                    MAX_FILE_BYTES + 1
                )  # never more than the limit, whatever the header says
        except NotImplementedError:
            raise UploadError(
                gettext_noop(
                    "%(name)s is packed with a method this site cannot read: use plain zip "
                    "(deflate)",
                    name=name,
                )
            ) from None
        except RuntimeError:  # zipfile's word for "encrypted, and no password" (after its subclass)
            raise UploadError(
                gettext_noop(
                    "%(name)s is encrypted in the zip: zip it without a password", name=name
                )
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise UploadError(
                gettext_noop(
                    "%(name)s is damaged in the zip (its data does not check out)", name=name
                )
            ) from None
        if len(data) > MAX_FILE_BYTES:
            raise UploadError(
                gettext_noop("%(name)s is over the 1 MB limit once unpacked", name=name)
            )
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise UploadError(gettext_noop("the zip unpacks to more than 10 MB: split it"))
        files[name] = data
    if not files:
        raise UploadError(gettext_noop("the zip holds no .yaml bank"))
    return files


def import_format(name: str) -> str:
    """'GIFT', 'Aiken' or 'Moodle XML' for a Moodle file's name, else ''."""
    return IMPORT_FORMATS.get(posixpath.splitext(name.lower())[1], "")


def read_import(
    name: str,
    raw: bytes,
    *,
    topic: str,
    topics: list[str],
    taken: Iterable[str] = (),
    tags: Iterable[str] = (),
    keep: Sequence[dict] = (),
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, bytes], ImportResult]:
    """A Moodle file converted to a bank named `<name>.yaml` (split into `<name>-2.yaml`, ... when
    over the file limit), with what was skipped and why.

    `taken`: the course's ids, which made ids steer clear of (an idnumber is kept as it is);
    `keep`: questions of the bank it replaces that Moodle cannot carry, kept after the others."""
    if len(raw) > MAX_FILE_BYTES:
        raise UploadError(gettext_noop("%(name)s is over the 1 MB limit", name=name))
    try:
        text = textcheck.decode(raw)
    except textcheck.TextProblem as error:
        raise UploadError(
            gettext_noop(
                "%(name)s, line %(line)s: %(problem)s",
                name=name,
                line=error.line,
                problem=error.message,
            )
        ) from None
    base = posixpath.splitext(posixpath.basename(name.replace("\\", "/")))[0]
    kind = import_format(name)
    options = {
        "topic": topic, "id_prefix": topic, "taken": taken, "tags": list(tags),
        "progress": progress,
    }  # fmt: skip
    try:
        if kind == "GIFT":
            result = gift.convert(text, topics=topics, **options)
        elif kind == "Aiken":
            result = aiken.convert(text, **options)
        elif kind == "Moodle XML":
            result = moodle_xml.convert(text, topics=topics, **options)
        else:
            raise UploadError(
                gettext_noop("%(name)s is not a Moodle file (.gift, .txt or .xml)", name=repr(name))
            )
    except ValueError as error:
        raise UploadError(error.args[0] if error.args else str(error)) from None
    if not result.questions:
        reasons: Message = gettext_noop("it is empty")
        for index, (line, why) in enumerate(result.skipped[:5]):
            reason = gettext_noop("line %(line)s: %(why)s", line=line, why=why)
            reasons = reason if not index else gettext_noop("%(first)s; %(next)s", first=reasons,
                                                            next=reason)  # fmt: skip
        raise UploadError(
            gettext_noop(
                "no question in %(name)s could be converted (%(reasons)s)",
                name=name,
                reasons=reasons,
            )
        )
    if keep:
        converted = {question["id"] for question in result.questions}
        kept = [
            {key: value for key, value in spec.items() if key != "topic" or value != topic}
            for spec in keep
            if spec.get("id") not in converted
        ]
        result.questions.extend(kept)
        result.notes.append(
            (0, gettext_noop(
                "kept %(n)s question(s) of the bank it replaces that a Moodle file cannot carry "
                "(flashcards, cost exercises)", n=len(kept),
            ))
        )  # fmt: skip
    banks = split_bank(
        result.questions, topic, source=f"Moodle {kind} file {posixpath.basename(name)}"
    )
    names = [f"{slug_name(base)}.yaml"] + [
        f"{slug_name(base)}-{n}.yaml" for n in range(2, len(banks) + 1)
    ]
    return {
        _bank_name(bank_name): bank.encode("utf-8")
        for bank_name, bank in zip(names, banks, strict=True)
    }, result


def slug_name(base: str) -> str:
    """A file name from a Moodle file's name: lower case letters, digits and hyphens."""
    return slugify(base, 60) or "imported"
