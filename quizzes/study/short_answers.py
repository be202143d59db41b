"""Marking a typed short answer the way Moodle's short-answer question does.

An answer is right when it matches one accepted answer: spaces at either end are ignored and runs
of spaces count as one; letter case is ignored unless the question is case sensitive (Moodle's
`usecase`); `*` in an accepted answer stands for any text (Moodle's wildcard; `\\*` is a star).
Pure Python: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_TYPED = 200


def normalise(text: str) -> str:
    return " ".join(text.split())


def _pattern(accepted: str, case_sensitive: bool) -> re.Pattern[str]:
    pieces = re.split(r"(?<!\\)\*", normalise(accepted))
    body = ".*".join(re.escape(piece.replace("\\*", "*")) for piece in pieces)
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE)


def match(accepted: Sequence[str], typed: str, *, case_sensitive: bool) -> int | None:
    """The index of the first accepted answer `typed` matches, or None."""
    given = normalise(typed)
    if not given:
        return None
    for index, answer in enumerate(accepted):
        if _pattern(answer, case_sensitive).fullmatch(given):
            return index
    return None
