"""Moodle Aiken to our bank format.

Aiken is the simplest Moodle format: a question, lettered options (`A. ` or `A) `), then
`ANSWER: B`. Every well-formed question becomes a `single` question; Aiken has no feedback, so each
gets a placeholder explanation and a note. A malformed question is skipped with its line, and the
next question still converts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    NO_EXPLANATION_NOTE,
    PLACEHOLDER_EXPLANATION,
    Defaults,
    IdMaker,
    ImportResult,
    build_question,
    choice_problem,
    dump_bank,
)

__all__ = ["ImportResult", "convert", "dump_bank"]

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER_LINE = re.compile(r"^ANSWER\s*:", re.IGNORECASE)
_ANSWER = re.compile(r"^ANSWER\s*:\s*([A-Za-z])\s*$", re.IGNORECASE)


@dataclass
class _Draft:
    line: int
    stem: list[str]
    options: list[tuple[str, str]] = field(default_factory=list)


def convert(
    text: str,
    *,
    topic: str,
    id_prefix: str,
    difficulty: str = "medium",
    tags: Sequence[str] = DEFAULT_TAGS,
    reference: str = DEFAULT_REFERENCE,
    taken: Iterable[str] = (),
) -> ImportResult:
    """Convert an Aiken file's text; raises ValueError only for bad defaults, never for content."""
    defaults = Defaults.check(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference
    )
    result = ImportResult(topic=topic)
    ids = IdMaker(id_prefix, taken)
    position = 0
    draft: _Draft | None = None

    def skip(draft: _Draft, reason: str) -> None:
        nonlocal position
        position += 1
        result.skipped.append((draft.line, reason))

    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        option = _OPTION.match(line)
        if _ANSWER_LINE.match(line):
            if draft is None:
                result.skipped.append((number, "an ANSWER line without a question before it"))
                continue
            position += 1
            reason = _finish(draft, _ANSWER.match(line), position, ids, defaults, result)
            if reason:
                result.skipped.append((draft.line, reason))
            draft = None
        elif option and draft is not None:
            draft.options.append((option.group(1), option.group(2).strip()))
        elif draft is not None and draft.options:
            # Question text after the options: the previous question never got its ANSWER.
            skip(draft, "no ANSWER line after the options")
            draft = _Draft(number, [line])
        elif draft is not None:
            draft.stem.append(line)  # a question may run over several lines
        else:
            draft = _Draft(number, [line])
    if draft is not None:
        skip(draft, "no ANSWER line after the options" if draft.options else "no options")
    return result


def _finish(
    draft: _Draft,
    answer: re.Match[str] | None,
    position: int,
    ids: IdMaker,
    defaults: Defaults,
    result: ImportResult,
) -> str | None:
    """Convert one complete question into `result`, or return why it cannot be."""
    if not draft.options:
        return "no options (A. or A) lines) before the ANSWER line"
    if answer is None:
        return "the ANSWER line must give one letter, such as 'ANSWER: B'"
    letters = [letter for letter, _ in draft.options]
    if len(set(letters)) != len(letters):
        return "two options have the same letter"
    letter = answer.group(1).upper()
    if letter not in letters:
        return f"ANSWER: {letter} names no option (options: {', '.join(letters)})"
    problem = choice_problem([text for _, text in draft.options])
    if problem:
        return problem
    choices: list[dict] = []
    for option_letter, text in draft.options:
        choice: dict = {"text": text}
        if option_letter == letter:
            choice["correct"] = True
        choices.append(choice)
    uid = ids.make("", position)
    stem = "\n".join(draft.stem)
    result.questions.append(
        build_question(defaults, uid, "single", stem, PLACEHOLDER_EXPLANATION, choices=choices)
    )
    result.notes.append((draft.line, NO_EXPLANATION_NOTE))
    return None
