"""Moodle Aiken to our bank format.

Aiken is the simplest Moodle format: a question, lettered options (`A. `, `A) `, or with no space
after the letter, `A)Text`, as Moodle reads them), then `ANSWER: B`. Every well-formed question
becomes a `single` question; Aiken has no feedback, so each gets a placeholder explanation and a
note. A malformed question is skipped with its line, and the next question still converts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from quizzes.translatable import Message, gettext_noop

from .core import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    Conversion,
    ImportResult,
    Skip,
    choice_problem,
)
from .output import dump_bank

__all__ = ["ImportResult", "convert", "dump_bank"]

_OPTION = re.compile(r"^([A-Z])[.)]\s*(\S.*)$")
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
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Convert an Aiken file's text; raises ValueError only for bad defaults, never for content."""
    run = Conversion.start(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference,
        taken=taken, progress=progress,
    )  # fmt: skip
    draft: _Draft | None = None

    def skip(draft: _Draft, reason: Message) -> None:
        run.add(draft.line, lambda notes: _raise(reason))

    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        option = _OPTION.match(line)
        if _ANSWER_LINE.match(line):
            if draft is None:
                run.result.skipped.append(
                    (number, gettext_noop("an ANSWER line without a question before it"))
                )
                continue
            answer = _ANSWER.match(line)
            run.add(draft.line, lambda notes, d=draft, a=answer: _finish(run, d, a, notes))
            draft = None
        elif option and draft is not None:
            draft.options.append((option.group(1), option.group(2).strip()))
        elif draft is not None and draft.options:
            # Question text after the options: the previous question never got its ANSWER.
            skip(draft, NO_ANSWER)
            draft = _Draft(number, [line])
        elif draft is not None:
            draft.stem.append(line)  # a question may run over several lines
        else:
            draft = _Draft(number, [line])
    if draft is not None:
        skip(draft, NO_ANSWER if draft.options else gettext_noop("no options"))
    return run.finish()


NO_ANSWER = gettext_noop("no ANSWER line after the options")


def _raise(reason: Message) -> dict:
    raise Skip(reason)


def _finish(run: Conversion, draft: _Draft, answer: re.Match[str] | None, notes) -> dict:
    """One complete question, or Skip with why it cannot be."""
    if not draft.options:
        raise Skip(gettext_noop("no options (A. or A) lines) before the ANSWER line"))
    if answer is None:
        raise Skip(gettext_noop("the ANSWER line must give one letter, such as 'ANSWER: B'"))
    letters = [letter for letter, _ in draft.options]
    if len(set(letters)) != len(letters):
        raise Skip(gettext_noop("two options have the same letter"))
    letter = answer.group(1).upper()
    if letter not in letters:
        raise Skip(
            gettext_noop(
                "ANSWER: %(letter)s names no option (options: %(letters)s)",
                letter=letter,
                letters=letters,
            )
        )
    problem = choice_problem([text for _, text in draft.options])
    if problem:
        raise Skip(problem)
    choices: list[dict] = []
    for option_letter, text in draft.options:
        choice: dict = {"text": text}
        if option_letter == letter:
            choice["correct"] = True
        choices.append(choice)
    return run.question(notes, qtype="single", stem="\n".join(draft.stem), explanation="",
                        choices=choices)  # fmt: skip
