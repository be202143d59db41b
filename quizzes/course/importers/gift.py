"""Moodle GIFT to our bank format.

GIFT is what most Moodle banks are exported as. This reads it the way Moodle's own importer
(question/format/gift/format.php) does: blank lines separate questions, `//` lines are comments,
the first `{...}` is the answer block and its contents decide the question type. Types we have
(single, multiple, true/false, numerical in its three forms, matching) are converted; the others
are listed with their line and a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

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
    guess_unit,
    html_to_markdown,
    moodle_number,
    numeric_extra,
    slot_problem,
)

__all__ = ["ImportResult", "convert", "dump_bank"]

# Escaped control characters become private-use placeholders while the text is parsed.
_ESCAPABLE = ":#={}~n"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = {chr(0xE000 + index): char for index, char in enumerate(_ESCAPABLE)}
_RESTORE[_PLACEHOLDER["n"]] = "\n"
_BACKSLASH = "\ue0ff"
_FORMAT = re.compile(r"^\[(html|markdown|moodle|plain)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_TOLERANCE = re.compile(rf"^({_NUMBER})\s*(?::\s*({_NUMBER}))?$")
SKIP_ESSAY = "essay questions cannot be marked"
SKIP_SHORT_ANSWER = "short-answer questions cannot be marked as multiple choice"
SKIP_FILL_IN = "fill-in-the-blank text is not supported"


class _Skip(Exception):
    """A question that cannot be converted; the message is the reason shown to the author."""


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
    """Convert a GIFT file's text; raises ValueError only for bad defaults, never for content."""
    defaults = Defaults.check(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference
    )
    result = ImportResult(topic=topic)
    ids = IdMaker(id_prefix, taken)
    position = 0
    for line, block in _blocks(text.removeprefix("\ufeff")):
        if block.startswith("$CATEGORY:"):
            # Moodle's categories have no equivalent: the topic is chosen for the whole file.
            block = block.partition("\n")[2].strip()
            if not block:
                continue
        position += 1
        notes: list[str] = []
        try:
            question = _convert_one(block, position, ids, defaults, notes)
        except _Skip as skip:
            result.skipped.append((line, str(skip)))
            continue
        result.questions.append(question)
        result.notes.extend((line, note) for note in notes)
    return result


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(line of its first non-comment line, text) of each blank-line-separated question."""
    lines: list[str] = []
    first = 0
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        stripped = raw.strip()
        if not stripped:
            if lines:
                yield first, "\n".join(lines).strip()
            lines, first = [], 0
        elif not stripped.startswith("//"):
            lines.append(raw.rstrip())
            first = first or number


def _escape(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _PLACEHOLDER.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def _unescape(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text)


def _text(raw: str, default_format: str) -> tuple[str, str]:
    """(Markdown text, format) of a GIFT text with an optional [format] prefix."""
    raw = raw.strip()
    match = _FORMAT.match(raw)
    fmt = match.group(1).lower() if match else default_format
    if match:
        raw = raw[match.end() :]
    text = _unescape(raw).strip()
    if fmt == "html":
        text = html_to_markdown(text)
    return text, fmt


def _convert_one(
    block: str, position: int, ids: IdMaker, defaults: Defaults, notes: list[str]
) -> dict:
    text = _escape(block)
    title = ""
    if text.startswith("::"):
        name, found, rest = text[2:].partition("::")
        if found:
            title, text = _unescape(name).strip(), rest.strip()

    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        raise _Skip("text without an answer block is a description, not a question")
    if start < 0 or finish < start or "{" in text[start + 1 : finish]:
        raise _Skip("unbalanced braces: write a literal brace as \\{ or \\}")
    if text[finish + 1 :].strip():
        raise _Skip(SKIP_FILL_IN)
    answers = text[start + 1 : finish].strip()
    stem, fmt = _text(text[:start], "moodle")
    general = ""
    if "####" in answers:
        answers, _, general = answers.rpartition("####")
        answers = answers.strip()
        general = _text(general, fmt)[0]

    if not answers:
        raise _Skip(SKIP_ESSAY)
    if not stem:
        raise _Skip("the question has no text")
    if answers.startswith("#"):
        uid = ids.make(title, position)
        extra, feedback = _numerical(answers[1:], fmt, notes)
        extra["unit"] = guess_unit(stem, notes)
        explanation = "\n\n".join(part for part in (general, feedback) if part)
        return build_question(
            defaults, uid, "numeric", stem, _explanation(explanation, notes), extra=extra
        )
    if "~" in answers:
        kind = "choice"
    elif "=" in answers and "->" in answers:
        uid = ids.make(title, position)
        extra = _matching(answers, fmt)
        return build_question(
            defaults, uid, "matching", stem, _explanation(general, notes), extra=extra
        )
    elif answers.partition("#")[0].strip() in _TRUE_FALSE:
        kind = "true_false"
    else:
        raise _Skip(SKIP_SHORT_ANSWER)

    explanation = general
    if kind == "true_false":
        value, wrong, right = (answers.split("#", 2) + ["", ""])[:3]
        feedback = [_text(part, fmt)[0] for part in (right, wrong)]
        extra = [part for part in feedback if part and part != general]
        if extra:
            explanation = "\n\n".join([general, *extra]).strip()
            notes.append(
                "the true/false feedback is now part of the explanation "
                "(true/false questions have no per-answer feedback here)"
            )
        uid = ids.make(title, position)
        return build_question(
            defaults,
            uid,
            "true_false",
            stem,
            _explanation(explanation, notes),
            answer=_TRUE_FALSE[value.strip()],
        )

    choices, qtype, choose = _choices(answers, fmt, notes)
    uid = ids.make(title, position)
    return build_question(
        defaults,
        uid,
        qtype,
        stem,
        _explanation(explanation, notes),
        choices=choices,
        choose=choose,
    )


def _numerical(answers: str, fmt: str, notes: list[str]) -> tuple[dict, str]:
    """`1:0`, `0.60:0.005`, `128..10240`, or several `=answer` (the fully right one is kept)."""
    parts = [answers]
    if answers.lstrip().startswith("="):
        parts = [part for part in answers.split("=") if part.strip()]
        weighted = []
        for part in parts:
            weight = 100.0
            if match := _WEIGHT.match(part.strip()):
                weight, part = float(match.group(1)), part.strip()[match.end() :]
            weighted.append((weight, part))
        right = [part for weight, part in weighted if weight >= 100]
        if len(right) != 1:
            raise _Skip(f"a numerical question needs one fully right answer, found {len(right)}")
        dropped = [part.partition("#")[0].strip() for weight, part in weighted if weight < 100]
        if dropped:
            notes.append(f"partially right answers dropped: {', '.join(dropped)}")
        parts = right
    value, _, feedback = parts[0].partition("#")
    value = _unescape(value).strip()
    feedback = _text(feedback, fmt)[0]
    if match := _RANGE.match(value):
        low, high = moodle_number(match.group(1)), moodle_number(match.group(2))
        if low > high:
            raise _Skip(f"the range {value} runs backwards")
        return numeric_extra(0, None, low, high), feedback
    if match := _TOLERANCE.match(value):
        tolerance = abs(moodle_number(match.group(2))) if match.group(2) else 0
        return numeric_extra(moodle_number(match.group(1)), tolerance), feedback
    raise _Skip(f"'{value}' is not a number, a number:tolerance or a min..max range")


def _matching(answers: str, fmt: str) -> dict:
    """`=prompt -> answer` pairs; `= -> answer` (no prompt) is an extra answer, a distractor."""
    pairs, distractors = [], []
    for part in answers.split("=")[1:]:
        prompt, arrow, answer = part.partition("->")
        if not arrow:
            raise _Skip("a matching pair needs '->' between the item and its answer")
        prompt, answer = _text(prompt, fmt)[0], _text(answer, fmt)[0]
        if not answer:
            raise _Skip("a matching pair has no answer")
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    problem = slot_problem("matching", len(pairs))
    texts = [p["prompt"] for p in pairs] + [p["answer"] for p in pairs] + distractors
    problem = problem or (
        "two items or answers have the same text (each answer is used once here)"
        if len(set(texts)) != len(texts)
        else None
    )
    if problem:
        raise _Skip(problem)
    extra: dict = {"pairs": pairs}
    if distractors:
        extra["distractors"] = distractors
    return extra


def _explanation(text: str, notes: list[str]) -> str:
    if text:
        return text
    notes.append(NO_EXPLANATION_NOTE)
    return PLACEHOLDER_EXPLANATION


def _choices(answers: str, fmt: str, notes: list[str]) -> tuple[list[dict], str, int | None]:
    """(choices, type, choose) of a multiple-choice answer block, as Moodle reads it."""
    one_answer = "=" in answers  # Moodle: an `=` answer makes it a one-answer question
    parts = answers.replace("=", "~=").split("~")
    if not parts[0].strip():
        parts = parts[1:]
    parsed: list[tuple[float, str, str]] = []
    for part in parts:
        part = part.strip()
        weight = 0.0
        if part.startswith("="):
            weight, part = 100.0, part[1:]
        elif match := _WEIGHT.match(part):
            weight, part = float(match.group(1)), part[match.end() :]
        answer, _, feedback = part.partition("#")
        parsed.append((weight, _text(answer, fmt)[0], _text(feedback, fmt)[0]))

    problem = choice_problem([text for _, text, _ in parsed])
    if problem:
        raise _Skip(problem)
    if one_answer:
        right = [weight >= 100 for weight, _, _ in parsed]
        if sum(right) != 1:
            raise _Skip(
                "a one-answer question must have exactly one fully right (=) answer, "
                f"this one has {sum(right)}"
            )
        partial = [f"'{text}' ({weight:g}%)" for weight, text, _ in parsed if 0 < weight < 100]
        if partial:
            notes.append(f"partial credit dropped, counted as wrong: {', '.join(partial)}")
    else:
        right = [weight > 0 for weight, _, _ in parsed]
        if not any(right):
            raise _Skip("no answer has a positive weight, so none is right")
        if all(right):
            raise _Skip("every answer has a positive weight, so there is nothing to choose")
        weights = sorted({weight for weight, _, _ in parsed if weight > 0})
        if len(weights) > 1:
            shown = ", ".join(f"{weight:g}%" for weight in weights)
            notes.append(
                f"the right answers had unequal weights ({shown}); "
                "they now count all-or-nothing, equally"
            )
    choices = []
    for (_, text, feedback), correct in zip(parsed, right, strict=True):
        choice: dict = {"text": text}
        if correct:
            choice["correct"] = True
        if feedback:
            choice["rationale"] = feedback
        choices.append(choice)
    count = sum(right)
    if count == 1:
        return choices, "single", None
    return choices, "multiple", count
