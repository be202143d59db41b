"""Moodle GIFT to our bank format.

GIFT is what most Moodle banks are exported as. This reads it the way Moodle's own importer
(question/format/gift/format.php) does: blank lines separate questions, `//` lines are comments
(which may carry `[id:...]` and `[tag:...]`), `$CATEGORY:` sets the category, the first `{...}` is
the answer block and its contents decide the question type; text after it makes the block a blank
(`_____`) in the text. Types we have (single, multiple, true/false, short answer, numerical in its
three forms with an optional catch-all, matching) are converted; the others are listed with their
line and a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from quizzes.translatable import Message, figure, gettext_noop

from .core import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    NO_TEXT,
    OTHER_FEEDBACK,
    SAME_TEXTS,
    TRUE_FALSE_FEEDBACK,
    Conversion,
    ImportResult,
    Skip,
    answer_grade,
    bank_choices,
    choice_problem,
    grade_problem,
    guess_unit,
    moodle_number,
    numeric_extra,
    short_answers,
    slot_problem,
    slugify,
)
from .html import html_to_markdown, plain_text
from .output import dump_bank

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
_ID = re.compile(r"\[id:([^\]]*)\]")
_TAG = re.compile(r"\[tag:([^\]]*)\]")

_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_TOLERANCE = re.compile(rf"^({_NUMBER})\s*(?::\s*({_NUMBER}))?$")
SKIP_ESSAY = gettext_noop("essay questions cannot be marked")


def convert(
    text: str,
    *,
    topic: str,
    id_prefix: str,
    difficulty: str = "medium",
    tags: Sequence[str] = DEFAULT_TAGS,
    reference: str = DEFAULT_REFERENCE,
    taken: Iterable[str] = (),
    topics: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Convert a GIFT file's text; raises ValueError only for bad defaults, never for content.
    `topics`: the course's topics, which a `$CATEGORY:` may name."""
    run = Conversion.start(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference,
        topics=topics, taken=taken, progress=progress,
    )  # fmt: skip
    for line, block, comments in _blocks(text.removeprefix("\ufeff")):
        if block.startswith("$CATEGORY:"):
            first, _, block = block.partition("\n")
            run.enter_category(first.removeprefix("$CATEGORY:"))
            block = block.strip()
            if not block:
                continue
        run.add(
            line, lambda notes, block=block, comments=comments: _one(run, block, comments, notes)
        )
    return run.finish()


def _blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """(line of its first non-comment line, text, its comments) of each question."""
    lines: list[str] = []
    comments: list[str] = []
    first = 0
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        stripped = raw.strip()
        if not stripped:
            if lines:
                yield first, "\n".join(lines).strip(), "\n".join(comments)
                comments = []
            lines, first = [], 0
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            lines.append(raw.rstrip())
            first = first or number


def _escape(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _PLACEHOLDER.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def _unescape(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text)


class _Texts:
    """GIFT texts of one question as Markdown: `[format]` prefixes read, HTML converted (its
    images and links reported in `notes`)."""

    def __init__(self, run: Conversion, notes: list[Message]) -> None:
        self.run, self.notes, self.format = run, notes, "moodle"

    def __call__(self, raw: str, *, first: bool = False) -> str:
        raw = raw.strip()
        match = _FORMAT.match(raw)
        fmt = match.group(1).lower() if match else self.format
        if match:
            raw = raw[match.end() :]
        if first:
            self.format = fmt  # the question text's format is every answer's default
        text = _unescape(raw).strip()
        if fmt == "html":
            lost: list[Message] = []
            text = html_to_markdown(text, self.run.media, lost)
            self.notes.extend(lost)
        return text


def _one(run: Conversion, block: str, comments: str, notes: list[Message]) -> dict:
    text = _escape(block)
    title = ""
    if text.startswith("::"):
        name, found, rest = text[2:].partition("::")
        if found:
            title, text = plain_text(_unescape(name)), rest.strip()
    meta = {
        "title": title,
        "idnumber": (_ID.findall(comments) or [""])[-1].strip(),
        "tags": [slug for tag in _TAG.findall(comments) if (slug := slugify(tag, 60))],
    }
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        raise Skip(gettext_noop("text without an answer block is a description, not a question"))
    if start < 0 or finish < start or "{" in text[start + 1 : finish]:
        raise Skip(gettext_noop("unbalanced braces: write a literal brace as \\{ or \\}"))
    answers = text[start + 1 : finish].strip()
    after = text[finish + 1 :].strip()
    texts = _Texts(run, notes)
    # Text after the block: the block was a blank in the sentence, as Moodle shows it.
    stem_raw = text[:start].rstrip() + (" _____ " + after if after else "")
    stem = texts(stem_raw, first=True)
    general = ""
    if "####" in answers:
        answers, _, general = answers.rpartition("####")
        answers = answers.strip()
        general = texts(general)

    if not answers:
        raise Skip(SKIP_ESSAY)
    if not stem:
        raise Skip(NO_TEXT)
    if answers.startswith("#"):
        keys, feedback = _numerical(answers[1:], texts, notes)
        keys["unit"] = guess_unit(stem, notes)
        explanation = "\n\n".join(part for part in (general, feedback) if part)
        return run.question(notes, qtype="numeric", stem=stem, explanation=explanation, **meta,
                            **keys)  # fmt: skip
    if "~" in answers:
        choices, qtype, choose = _choices(answers, texts, notes)
        return run.question(notes, qtype=qtype, stem=stem, explanation=general, **meta,
                            choose=choose, choices=choices)  # fmt: skip
    if "=" in answers and "->" in answers:
        return run.question(notes, qtype="matching", stem=stem, explanation=general, **meta,
                            **_matching(answers, texts))  # fmt: skip
    if answers.partition("#")[0].strip().upper() in _TRUE_FALSE:
        return _true_false(run, answers, texts, general, stem, meta, notes)
    accepted, other = short_answers(_weighted(answers, texts), notes)
    explanation = "\n\n".join(part for part in (general, other) if part)
    if other:
        notes.append(OTHER_FEEDBACK)
    return run.question(notes, qtype="short", stem=stem, explanation=explanation, **meta,
                        answers=accepted)  # fmt: skip


def _true_false(run, answers, texts, general, stem, meta, notes) -> dict:
    value, wrong, right = (answers.split("#", 2) + ["", ""])[:3]
    feedback = [texts(part) for part in (right, wrong)]
    extra = [part for part in feedback if part and part != general]
    explanation = general
    if extra:
        explanation = "\n\n".join([general, *extra]).strip()
        notes.append(TRUE_FALSE_FEEDBACK)
    return run.question(notes, qtype="true_false", stem=stem, explanation=explanation, **meta,
                        answer=_TRUE_FALSE[value.strip().upper()])  # fmt: skip


def _weighted(answers: str, texts: _Texts) -> list[tuple[float, str, str]]:
    """(grade %, text, feedback) of `=a#f =%50%b` answers (an answer without a grade is 100%)."""
    parts = [part.strip() for part in answers.split("=")]
    if parts and not parts[0]:
        parts = parts[1:]
    out = []
    for part in parts:
        weight, part = answer_grade(part, default=100.0)
        answer, _, feedback = part.partition("#")
        out.append((weight, texts(answer), texts(feedback)))
    problem = grade_problem(weight for weight, _, _ in out)
    if problem:
        raise Skip(problem)
    return out


def _numerical(answers: str, texts: _Texts, notes: list[Message]) -> tuple[dict, str]:
    """`1:0`, `0.60:0.005`, `128..10240`, or several `=answer`; a `~#feedback` after them is the
    feedback for any other answer (Moodle's `*` answer)."""
    answers, tilde, other = answers.partition("~")
    other_feedback = texts(other.partition("#")[2]) if tilde else ""
    if tilde and other.partition("#")[0].strip():
        notes.append(
            gettext_noop(
                "the wrong answer '%(text)s' was dropped", text=other.partition("#")[0].strip()
            )
        )
    parts = [answers]
    if answers.lstrip().startswith("="):
        weighted = []
        for part in (part for part in answers.split("=") if part.strip()):
            weight = 100.0
            if match := _WEIGHT.match(part.strip()):
                weight, part = float(match.group(1)), part.strip()[match.end() :]
            weighted.append((weight, part))
        problem = grade_problem(weight for weight, _ in weighted)
        if problem:
            raise Skip(problem)
        right = [part for weight, part in weighted if weight >= 100]
        if len(right) != 1:
            raise Skip(
                gettext_noop(
                    "a numerical question needs one fully right answer, found %(count)s",
                    count=len(right),
                )
            )
        dropped = [part.partition("#")[0].strip() for weight, part in weighted if weight < 100]
        if dropped:
            notes.append(
                gettext_noop("partially right answers dropped: %(answers)s", answers=dropped)
            )
        parts = right
    value, _, feedback = parts[0].partition("#")
    value = _unescape(value).strip()
    feedback = "\n\n".join(part for part in (texts(feedback), other_feedback) if part)
    if other_feedback:
        notes.append(OTHER_FEEDBACK)
    if match := _RANGE.match(value):
        low, high = moodle_number(match.group(1)), moodle_number(match.group(2))
        if low > high:
            raise Skip(gettext_noop("the range %(range)s runs backwards", range=value))
        return numeric_extra(0, None, low, high), feedback
    if match := _TOLERANCE.match(value):
        tolerance = abs(moodle_number(match.group(2))) if match.group(2) else 0
        return numeric_extra(moodle_number(match.group(1)), tolerance), feedback
    raise Skip(
        gettext_noop(
            "'%(value)s' is not a number, a number:tolerance or a min..max range", value=value
        )
    )


def _matching(answers: str, texts: _Texts) -> dict:
    """`=prompt -> answer` pairs; `= -> answer` (no prompt) is an extra answer, a distractor."""
    pairs, distractors = [], []
    for part in answers.split("=")[1:]:
        prompt, arrow, answer = part.partition("->")
        if not arrow:
            raise Skip(gettext_noop("a matching pair needs '->' between the item and its answer"))
        prompt, answer = texts(prompt), texts(answer)
        if not answer:
            raise Skip(gettext_noop("a matching pair has no answer"))
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    problem = slot_problem("matching", len(pairs))
    all_texts = [p["prompt"] for p in pairs] + [p["answer"] for p in pairs] + distractors
    problem = problem or (SAME_TEXTS if len(set(all_texts)) != len(all_texts) else None)
    if problem:
        raise Skip(problem)
    return {"pairs": pairs, "distractors": distractors or None}


def _choices(
    answers: str, texts: _Texts, notes: list[Message]
) -> tuple[list[dict], str, int | None]:
    """(choices, type, choose) of a multiple-choice answer block, as Moodle reads it."""
    one_answer = "=" in answers  # Moodle: an `=` answer makes it a one-answer question
    parts = answers.replace("=", "~=").split("~")
    if not parts[0].strip():
        parts = parts[1:]
    parsed: list[tuple[float, str, str]] = []
    for part in parts:
        weight, part = answer_grade(part.strip())
        answer, _, feedback = part.partition("#")
        parsed.append((weight, texts(answer), texts(feedback)))
    problem = grade_problem(weight for weight, _, _ in parsed) or choice_problem(
        [text for _, text, _ in parsed]
    )
    if problem:
        raise Skip(problem)
    return _choice_list(parsed, one_answer, notes)


def _choice_list(
    parsed, one_answer: bool, notes: list[Message]
) -> tuple[list[dict], str, int | None]:
    if one_answer:
        right = [weight >= 100 for weight, _, _ in parsed]
        if sum(right) != 1:
            raise Skip(
                gettext_noop(
                    "a one-answer question must have exactly one fully right (=) answer, "
                    "this one has %(count)s",
                    count=sum(right),
                )
            )
        partial = [
            gettext_noop("'%(text)s' (%(weight)s%%)", text=text, weight=figure(f"{weight:g}"))
            for weight, text, _ in parsed
            if 0 < weight < 100
        ]
        if partial:
            notes.append(
                gettext_noop(
                    "partial credit dropped, counted as wrong: %(answers)s", answers=partial
                )
            )
    else:
        right = [weight > 0 for weight, _, _ in parsed]
        if not any(right):
            raise Skip(gettext_noop("no answer has a positive weight, so none is right"))
        if all(right):
            raise Skip(
                gettext_noop("every answer has a positive weight, so there is nothing to choose")
            )
        weights = sorted({weight for weight, _, _ in parsed if weight > 0})
        if len(weights) > 1:
            notes.append(
                gettext_noop(
                    "the right answers had unequal weights (%(weights)s); "
                    "they now count all-or-nothing, equally",
                    weights=[
                        gettext_noop("%(weight)s%%", weight=figure(f"{w:g}")) for w in weights
                    ],
                )
            )
    choices = bank_choices(
        (text, correct, feedback)
        for (_, text, feedback), correct in zip(parsed, right, strict=True)
    )
    count = sum(right)
    if count == 1:
        return choices, "single", None
    return choices, "multiple", count
