"""Checks on the raw text of course files: UTF-8, mojibake and size.

One of the seed documents was stored as UTF-8 read as Mac Roman ("Ejecuci√≥n"); a loader that
meets such text must say so rather than publish it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from quizzes.translatable import Message, gettext_noop

MAX_FILE_BYTES = 1024 * 1024

# Runs of two or more non-ASCII characters: every mojibake of a multi-byte UTF-8 character is one.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_WRONG_DECODINGS = (("cp1252", "Windows-1252"), ("latin-1", "Latin-1"), ("mac_roman", "Mac Roman"))
MAX_MOJIBAKE_REPORTS = 10


class TextProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def size_problem(size: int, limit: int = MAX_FILE_BYTES) -> Message | None:
    """Say why a file is too large to load, or None."""
    if size <= limit:
        return None
    return gettext_noop(
        "file is %(size)s MB, over the %(limit)s MB limit: split it into smaller files",
        size=Decimal(f"{size / 1024 / 1024:.1f}"),
        limit=limit // 1024 // 1024,
    )


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a leading BOM is dropped), naming the line of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise TextProblem(
            line,
            gettext_noop(
                "not valid UTF-8 (byte %(byte)s at column %(column)s): save the file as UTF-8",
                byte=f"0x{raw[error.start]:02X}",
                column=column,
            ),
        ) from None
    return text.removeprefix("\ufeff")


def _repair(run: str) -> tuple[str, str] | None:
    for codec, name in _WRONG_DECODINGS:
        try:
            repaired = run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != run and len(repaired) < len(run):
            return repaired, name
    return None


def find_mojibake(text: str) -> list[tuple[int, Message]]:
    """Lines whose text looks like UTF-8 that was decoded with a one-byte code page."""
    found: list[tuple[int, Message]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _NON_ASCII_RUN.finditer(line):
            repair = _repair(match.group())
            if repair is None:
                continue
            repaired, codec = repair
            found.append(
                (
                    number,
                    gettext_noop(
                        "text looks like mojibake (UTF-8 read as %(codec)s): "
                        "%(found)s should probably be %(repaired)s",
                        codec=codec,
                        found=repr(match.group()),
                        repaired=repr(repaired),
                    ),
                )
            )
            break
    if len(found) > MAX_MOJIBAKE_REPORTS:
        hidden = len(found) - MAX_MOJIBAKE_REPORTS
        last_line = found[MAX_MOJIBAKE_REPORTS][0]
        found = found[:MAX_MOJIBAKE_REPORTS]
        found.append((last_line, gettext_noop("... and %(n)s more lines with mojibake", n=hidden)))
    return found
