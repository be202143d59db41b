"""Question banks: parse one YAML bank and report every problem with its line.

The format is documented in docs/authoring.md. Each question type declares its keys in one table,
so a new type (ordering, matching) is a new row plus its own checks.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import markup
from .yamlsafe import LineDict, LineList, YamlError
from .yamlsafe import load as load_yaml

EXAM_TAGS = ("clf-c02", "saa-c03", "dva-c02")
DIFFICULTIES = ("easy", "medium", "hard")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EXAM_TAG_SHAPE = re.compile(r"^[a-z]{3}-c\d\d$")
MAX_ID_LENGTH = 100

_COMMON = ("id", "type", "topic", "difficulty", "tags", "references")
# Keys each type accepts; the required ones (topic may also come from the top of the file).
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (_COMMON + ("stem", "choices", "explanation"), ("stem", "choices", "explanation")),
    "multiple": (
        _COMMON + ("stem", "choices", "choose", "explanation"),
        ("stem", "choices", "choose", "explanation"),
    ),
    "true_false": (_COMMON + ("stem", "answer", "explanation"), ("stem", "answer", "explanation")),
    "flashcard": (_COMMON + ("front", "back", "explanation"), ("front", "back")),
    "ordering": (_COMMON + ("stem", "steps", "explanation"), ("stem", "steps", "explanation")),
    "matching": (
        _COMMON + ("stem", "pairs", "distractors", "explanation"),
        ("stem", "pairs", "explanation"),
    ),
    "short": (
        _COMMON + ("stem", "answers", "case_sensitive", "explanation"),
        ("stem", "answers", "explanation"),
    ),
    "numeric": (
        _COMMON
        + ("stem", "variables", "cost", "answer", "tolerance", "range", "unit", "explanation"),
        ("stem", "explanation"),
    ),
}
ALL_KEYS = sorted({key for keys, _ in TYPES.values() for key in keys})
TOP_KEYS = ("title", "topic", "questions")
CHOICE_KEYS = ("text", "correct", "rationale")
PAIR_KEYS = ("prompt", "answer")
ANSWER_KEYS = ("text", "rationale")
MAX_SHORT_ANSWER = 100  # an accepted answer is a word or a phrase, not a paragraph
MIN_SLOTS, MAX_SLOTS = 3, 6  # ordering steps and matching pairs, as on the AWS exams
MAX_MATCH_ANSWERS = 10
MARKDOWN_KEYS = ("stem", "front", "back", "explanation")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Choice:
    """A choice; an ordering step (in the right order); a matching prompt or answer (`role`)."""

    key: str
    text: str
    correct: bool
    rationale: str = ""
    role: str = ""  # "" | "prompt" | "answer" (matching)
    match: str = ""  # a prompt's right answer key


@dataclass(frozen=True)
class QuestionSpec:
    """One question as authored; `spec` is the canonical dict the loader stores and hashes."""

    uid: str
    type: str
    topic: str
    difficulty: str
    tags: tuple[str, ...]
    stem: str
    back: str
    choices: tuple[Choice, ...]
    choose: int
    explanation: str
    references: tuple[str, ...]
    exercise: dict | None
    path: str
    line: int
    note_links: tuple[tuple[str, int], ...] = ()
    spec: dict = field(default_factory=dict, compare=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.spec)


@dataclass
class BankResult:
    path: str
    title: str = ""
    questions: list[QuestionSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def fingerprint(data: object) -> str:
    """A stable hash of authored data: equal data, equal hash, whatever the key order."""
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def suggest(word: object, known: Iterable[str]) -> str:
    """' (did you mean 'correct'?)' for a typo, else ''."""
    matches = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _plain(value: object) -> object:
    """Line-aware containers back to plain dicts and lists, for storing and hashing."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Checker:
    """Collects the problems of one file; every check reports and carries on."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], where: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                hint = suggest(key, allowed) or suggest(key, ALL_KEYS + list(CHOICE_KEYS))
                self.add(data.line_of(key), f"unknown key '{key}' in {where}{hint}")

    def text(self, data: LineDict, key: str, *, required: bool) -> str:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, f"missing '{key}'")
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(data.line_of(key), f"'{key}' must be text")
            return ""
        if not value.strip():
            self.add(data.line_of(key), f"'{key}' is empty")
            return ""
        return value.strip()


def parse_bank(path: str, text: str) -> BankResult:
    """Parse and check one bank's text. Never raises for bad content: problems are returned."""
    result = BankResult(path=path)
    checker = Checker(path)
    try:
        data, duplicates = load_yaml(text)
    except YamlError as error:
        checker.add(error.line, error.message)
        result.problems = checker.problems
        return result
    for dup in duplicates:
        checker.add(dup.line, f"key '{dup.key}' appears twice (first on line {dup.first_line})")

    if data is None:
        checker.add(1, "the bank is empty: expected a mapping with a 'questions' list")
    elif not isinstance(data, LineDict):
        checker.add(1, "a bank must be a mapping with a 'questions' list, not a list or text")
    else:
        checker.unknown_keys(data, TOP_KEYS, "the bank")
        result.title = data.get("title") if isinstance(data.get("title"), str) else ""
        default_topic = data.get("topic")
        if default_topic is not None and not (
            isinstance(default_topic, str) and SLUG.match(default_topic)
        ):
            checker.add(data.line_of("topic"), "'topic' must be a topic slug such as 'limits'")
            default_topic = None
        questions = data.get("questions")
        if questions is None:
            checker.add(data.line, "missing 'questions' (a list of questions)")
        elif not isinstance(questions, LineList):
            checker.add(data.line_of("questions"), "'questions' must be a list")
        elif not questions:
            checker.add(data.line_of("questions"), "'questions' is empty")
        else:
            for index, item in enumerate(questions):
                spec = _parse_question(checker, item, questions.line_of(index), default_topic)
                if spec is not None:
                    result.questions.append(spec)
    result.problems = checker.problems
    return result


def _parse_question(
    checker: Checker, item: object, line: int, default_topic: str | None
) -> QuestionSpec | None:
    if not isinstance(item, LineDict):
        checker.add(line, "each question must be a mapping of keys (id, type, stem, ...)")
        return None
    before = len(checker.problems)

    uid = checker.text(item, "id", required=True)
    if uid and (not SLUG.match(uid) or len(uid) > MAX_ID_LENGTH):
        checker.add(
            item.line_of("id"),
            f"id '{uid}' must be lower-case letters, digits and hyphens (at most {MAX_ID_LENGTH})",
        )
    qtype = checker.text(item, "type", required=True)
    if qtype and qtype not in TYPES:
        checker.add(
            item.line_of("type"),
            f"unknown type '{qtype}'{suggest(qtype, TYPES)}; known types: {', '.join(TYPES)}",
        )
        qtype = ""
    allowed, required = TYPES.get(qtype, (tuple(ALL_KEYS), ()))
    for key in item:
        if key in ALL_KEYS and key not in allowed:
            checker.add(item.line_of(key), f"key '{key}' does not belong to a {qtype} question")
    checker.unknown_keys(item, ALL_KEYS, "a question")

    topic = item.get("topic", default_topic)
    if topic is None:
        checker.add(item.line, "missing 'topic' (set it on the question or at the top of the file)")
        topic = ""
    elif not (isinstance(topic, str) and SLUG.match(topic)):
        checker.add(item.line_of("topic"), "'topic' must be a topic slug such as 'limits'")
        topic = ""

    difficulty = checker.text(item, "difficulty", required=True)
    if difficulty and difficulty not in DIFFICULTIES:
        checker.add(
            item.line_of("difficulty"),
            f"difficulty must be one of {', '.join(DIFFICULTIES)}, got '{difficulty}'"
            f"{suggest(difficulty, DIFFICULTIES)}",
        )
    tags = _parse_tags(checker, item)
    references = _parse_references(checker, item)

    texts = {key: checker.text(item, key, required=key in required) for key in MARKDOWN_KEYS}
    if qtype != "flashcard":
        texts.pop("front")
        texts.pop("back")
    choices: tuple[Choice, ...] = ()
    choose = 1
    if qtype in ("single", "multiple"):
        choices, choose = _parse_choices(checker, item, qtype)
    elif qtype == "true_false":
        choices = _true_false(checker, item)
    elif qtype == "ordering":
        choices = _parse_steps(checker, item)
    elif qtype == "matching":
        choices = _parse_pairs(checker, item)
    elif qtype == "short":
        choices = _parse_short(checker, item)
    exercise = _parse_exercise(checker, item) if qtype == "numeric" else None
    if qtype == "short":
        exercise = {"case_sensitive": _case_sensitive(checker, item)}

    if len(checker.problems) > before or not qtype:
        return None
    stem = texts.get("front") if qtype == "flashcard" else texts.get("stem")
    spec = _plain({key: item[key] for key in item})
    spec["topic"] = topic
    links = tuple(
        link
        for key in MARKDOWN_KEYS
        if key in item and isinstance(item[key], str)
        for link in markup.note_links(item[key], item.line_of(key) + 1)
    )
    return QuestionSpec(
        uid=uid,
        type=qtype,
        topic=topic,
        difficulty=difficulty,
        tags=tags,
        stem=stem or "",
        back=texts.get("back", ""),
        choices=choices,
        choose=choose,
        explanation=texts.get("explanation", ""),
        references=references,
        exercise=exercise,
        path=checker.path,
        line=item.line,
        note_links=links,
        spec=spec,
    )


def _parse_tags(checker: Checker, item: LineDict) -> tuple[str, ...]:
    if "tags" not in item or item["tags"] is None:
        checker.add(item.line, "missing 'tags' (at least one exam: " + ", ".join(EXAM_TAGS) + ")")
        return ()
    tags = item["tags"]
    if not isinstance(tags, LineList) or not tags:
        checker.add(item.line_of("tags"), "'tags' must be a non-empty list such as [saa-c03]")
        return ()
    clean: list[str] = []
    for index, tag in enumerate(tags):
        line = tags.line_of(index)
        if not (isinstance(tag, str) and SLUG.match(tag)):
            checker.add(line, f"tag {tag!r} must be lower-case letters, digits and hyphens")
        elif EXAM_TAG_SHAPE.match(tag) and tag not in EXAM_TAGS:
            checker.add(
                line,
                f"unknown exam tag '{tag}'{suggest(tag, EXAM_TAGS)}; known: {', '.join(EXAM_TAGS)}",
            )
        elif tag in clean:
            checker.add(line, f"tag '{tag}' is listed twice")
        else:
            clean.append(tag)
    if clean and not any(tag in EXAM_TAGS for tag in clean):
        checker.add(item.line_of("tags"), "tags name no exam: add one of " + ", ".join(EXAM_TAGS))
    return tuple(clean)


def _parse_references(checker: Checker, item: LineDict) -> tuple[str, ...]:
    references = item.get("references")
    if references is None:
        checker.add(item.line, "missing 'references' (at least one AWS documentation URL)")
        return ()
    if isinstance(references, str):
        checker.add(item.line_of("references"), "'references' must be a list of URLs")
        return ()
    if not isinstance(references, LineList) or not references:
        checker.add(item.line_of("references"), "'references' must be a non-empty list of URLs")
        return ()
    urls = []
    for index, url in enumerate(references):
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme != "https" or not parts.netloc or " " in url:
            checker.add(references.line_of(index), f"reference {url!r} is not an https:// URL")
        else:
            urls.append(url)
    return tuple(urls)


def _parse_choices(checker: Checker, item: LineDict, qtype: str) -> tuple[tuple[Choice, ...], int]:
    raw = item.get("choices")
    if not isinstance(raw, LineList):
        if raw is not None:
            checker.add(item.line_of("choices"), "'choices' must be a list")
        return (), 1
    if len(raw) < 2:
        checker.add(item.line_of("choices"), "a question needs at least two choices")
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, str):
            checker.add(
                line, "a choice must be a mapping with 'text' (and 'correct: true' if right)"
            )
            continue
        if not isinstance(entry, LineDict):
            checker.add(line, "a choice must be a mapping with 'text'")
            continue
        checker.unknown_keys(entry, CHOICE_KEYS, "a choice")
        text = checker.text(entry, "text", required=True)
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            checker.add(
                entry.line_of("correct"), f"'correct' must be true or false, got {correct!r}"
            )
            correct = False
        rationale = checker.text(entry, "rationale", required=False)
        if text:
            if text in seen:
                checker.add(
                    line, f"the same choice text appears twice (first on line {seen[text]})"
                )
            seen[text] = line
        choices.append(
            Choice(key=chr(ord("a") + index), text=text, correct=correct, rationale=rationale)
        )
    right = sum(choice.correct for choice in choices)
    line = item.line_of("choices")
    if choices and right == 0:
        checker.add(line, "no right answer: mark a choice with 'correct: true'")
    choose = 1
    if qtype == "single" and right > 1:
        checker.add(
            line,
            f"a single-answer question has {right} choices marked correct: "
            f"use 'type: multiple' with 'choose: {right}'",
        )
    if qtype == "multiple":
        value = item.get("choose")
        if value is None:
            pass  # reported as missing by the required-field check
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            checker.add(item.line_of("choose"), f"'choose' must be a whole number, got {value!r}")
        else:
            choose = value
            if right and value != right:
                checker.add(
                    item.line_of("choose"),
                    f"choose is {value} but {right} choice{'s are' if right != 1 else ' is'} "
                    "marked correct",
                )
            if choices and value >= len(choices):
                checker.add(
                    item.line_of("choose"), "choose must be less than the number of choices"
                )
    return tuple(choices), choose


def _markdown_list(checker: Checker, item: LineDict, key: str) -> list[tuple[str, int]]:
    """A list of Markdown texts with their lines; every non-text entry is reported."""
    raw = item.get(key)
    if raw is None:
        return []  # reported as missing
    if not isinstance(raw, LineList):
        checker.add(item.line_of(key), f"'{key}' must be a list")
        return []
    texts: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, (int, float)) and not isinstance(entry, bool):
            entry = str(entry)
        if not _is_text(entry):
            checker.add(line, f"each entry of '{key}' must be text")
            continue
        text = entry.strip()
        if text in seen:
            checker.add(
                line, f"the same text appears twice in '{key}' (first on line {seen[text]})"
            )
        seen[text] = line
        texts.append((text, line))
    return texts


def _count_slots(checker: Checker, line: int, key: str, count: int) -> None:
    if count and not MIN_SLOTS <= count <= MAX_SLOTS:
        checker.add(line, f"'{key}' needs {MIN_SLOTS} to {MAX_SLOTS} entries, found {count}")


def _parse_steps(checker: Checker, item: LineDict) -> tuple[Choice, ...]:
    """Ordering: the steps as authored are the right order; pages shuffle them."""
    steps = _markdown_list(checker, item, "steps")
    _count_slots(checker, item.line_of("steps"), "steps", len(steps))
    return tuple(
        Choice(key=chr(ord("a") + index), text=text, correct=True)
        for index, (text, _) in enumerate(steps)
    )


def _parse_pairs(checker: Checker, item: LineDict) -> tuple[Choice, ...]:
    """Matching: prompts p1.., answers m1.. (the pairs' answers, then any distractors)."""
    raw = item.get("pairs")
    prompts: list[Choice] = []
    answers: list[str] = []
    if raw is not None and not isinstance(raw, LineList):
        checker.add(item.line_of("pairs"), "'pairs' must be a list of {prompt, answer}")
        raw = None
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw or []):
        line = raw.line_of(index)
        if not isinstance(entry, LineDict):
            checker.add(line, "each pair must be a mapping with 'prompt' and 'answer'")
            continue
        checker.unknown_keys(entry, PAIR_KEYS, "a pair")
        prompt = checker.text(entry, "prompt", required=True)
        answer = checker.text(entry, "answer", required=True)
        for text in (prompt, answer):
            if text and text in seen:
                checker.add(line, f"the same text appears twice (first on line {seen[text]})")
            seen.setdefault(text, line)
        if prompt and answer:
            answers.append(answer)
            prompts.append(
                Choice(
                    f"p{len(prompts) + 1}", prompt, True, role="prompt", match=f"m{len(answers)}"
                )
            )
    _count_slots(checker, item.line_of("pairs"), "pairs", len(raw or []))
    for text, line in _markdown_list(checker, item, "distractors"):
        if text in seen:
            checker.add(line, f"distractor is also an answer or prompt (line {seen[text]})")
        answers.append(text)
    if len(answers) > MAX_MATCH_ANSWERS:
        checker.add(
            item.line_of("distractors"),
            f"a matching question offers at most {MAX_MATCH_ANSWERS} answers, found {len(answers)}",
        )
    return tuple(prompts) + tuple(
        Choice(f"m{index}", text, index <= len(prompts), role="answer")
        for index, text in enumerate(answers, 1)
    )


def _parse_short(checker: Checker, item: LineDict) -> tuple[Choice, ...]:
    """Short answer: the accepted answers (any one is right), each with an optional rationale."""
    raw = item.get("answers")
    if raw is None:
        return ()  # reported as missing
    if not isinstance(raw, LineList) or not raw:
        checker.add(
            item.line_of("answers"), "'answers' must be a list of {text} (accepted answers)"
        )
        return ()
    answers: list[Choice] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
            entry_text, rationale = str(entry).strip(), ""
        elif isinstance(entry, LineDict):
            checker.unknown_keys(entry, ANSWER_KEYS, "an accepted answer")
            entry_text = checker.text(entry, "text", required=True)
            rationale = checker.text(entry, "rationale", required=False)
        else:
            checker.add(line, "an accepted answer must be text or a mapping with 'text'")
            continue
        if not entry_text:
            checker.add(line, "an accepted answer is empty")
            continue
        if len(entry_text) > MAX_SHORT_ANSWER or "\n" in entry_text:
            checker.add(
                line, f"an accepted answer is one line of at most {MAX_SHORT_ANSWER} characters"
            )
        folded = " ".join(entry_text.split())
        folded = folded if item.get("case_sensitive") is True else folded.casefold()
        if folded in seen:
            checker.add(line, f"the same answer appears twice (first on line {seen[folded]})")
        seen[folded] = line
        answers.append(Choice(chr(ord("a") + index), entry_text, True, rationale, role="accepted"))
    return tuple(answers)


def _case_sensitive(checker: Checker, item: LineDict) -> bool:
    value = item.get("case_sensitive", False)
    if not isinstance(value, bool):
        checker.add(
            item.line_of("case_sensitive"), f"'case_sensitive' must be true or false, got {value!r}"
        )
        return False
    return value


def _true_false(checker: Checker, item: LineDict) -> tuple[Choice, ...]:
    answer = item.get("answer")
    if answer is None:
        return ()  # reported as missing
    if not isinstance(answer, bool):
        checker.add(item.line_of("answer"), f"'answer' must be true or false, got {answer!r}")
        return ()
    return (Choice("true", "True", answer is True), Choice("false", "False", answer is False))


# A numeric question is a cost exercise, checked against the pricing engine by
# `quizzes.costs.exercises.check_exercise`. `course` and `costs` never import each other
# (docs/architecture.md, an import-linter contract), so `QuizzesConfig.ready()` hands the checker
# in; without one, a numeric question is reported, never loaded unchecked.
ExerciseCheck = Callable[[Mapping], list[tuple[tuple, str]]]
_exercise_checks: list[ExerciseCheck] = []


def use_exercise_check(check: ExerciseCheck) -> None:
    """Check numeric questions with `check` (spec -> [(key path, message)])."""
    _exercise_checks[:] = [check]


def _parse_exercise(checker: Checker, item: LineDict) -> dict | None:
    """Numeric cost exercises are checked by the registered checker (the pricing engine's)."""
    spec = {
        key: item[key]
        for key in ("stem", "variables", "cost", "answer", "tolerance", "range", "unit")
        if key in item
    }
    if "unit" not in item and "cost" not in item:  # a cost exercise is in USD
        checker.add(
            item.line,
            "missing 'unit' (USD, requests, GB-s, ms, MB, % or one word): it labels the answer",
        )
    if not _exercise_checks:
        checker.add(item.line, "numeric exercises cannot be checked: no exercise checker is set")
        return _plain(spec)
    for keys, message in _exercise_checks[0](spec):
        checker.add(_line_of_path(item, keys), message)
    return _plain(spec)


def _line_of_path(data: LineDict, keys: Iterable[object]) -> int:
    """The line of the deepest key of a path like ('variables', 'requests', 'max') that exists."""
    line = data.line
    node: object = data
    for key in keys:
        in_dict = isinstance(node, LineDict) and key in node
        in_list = isinstance(node, LineList) and isinstance(key, int) and key < len(node)
        if in_dict or in_list:
            line = node.line_of(key)
            node = node[key]
        else:
            break
    return line


def iter_markdown(spec: QuestionSpec) -> Iterator[str]:
    """Every Markdown text of a question, for checks that read them all."""
    yield from (spec.stem, spec.back, spec.explanation)
    for choice in spec.choices:
        yield choice.text
        yield choice.rationale
