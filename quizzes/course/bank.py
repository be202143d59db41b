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

from quizzes.translatable import Message, gettext_noop

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
    message: str  # a Message: English here, translated by the pages that show it

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
    return gettext_noop(" (did you mean '%(word)s'?)", word=matches[0]) if matches else ""


# Where an unknown key was found, as `Checker.unknown_keys` names it.
IN_THE_BANK = gettext_noop("the bank")
IN_A_QUESTION = gettext_noop("a question")
IN_A_CHOICE = gettext_noop("a choice")
IN_A_PAIR = gettext_noop("a pair")
IN_AN_ACCEPTED_ANSWER = gettext_noop("an accepted answer")


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

    def add(self, line: int, message: Message | str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], where: Message) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                hint = suggest(key, allowed) or suggest(key, ALL_KEYS + list(CHOICE_KEYS))
                self.add(
                    data.line_of(key),
                    gettext_noop(
                        "unknown key '%(key)s' in %(where)s%(hint)s",
                        key=key,
                        where=where,
                        hint=hint,
                    ),
                )

    def text(self, data: LineDict, key: str, *, required: bool) -> str:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, gettext_noop("missing '%(key)s'", key=key))
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(data.line_of(key), gettext_noop("'%(key)s' must be text", key=key))
            return ""
        if not value.strip():
            self.add(data.line_of(key), gettext_noop("'%(key)s' is empty", key=key))
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
        checker.add(dup.line, dup.message)

    if data is None:
        checker.add(
            1, gettext_noop("the bank is empty: expected a mapping with a 'questions' list")
        )
    elif not isinstance(data, LineDict):
        checker.add(
            1, gettext_noop("a bank must be a mapping with a 'questions' list, not a list or text")
        )
    else:
        checker.unknown_keys(data, TOP_KEYS, IN_THE_BANK)
        result.title = data.get("title") if isinstance(data.get("title"), str) else ""
        default_topic = data.get("topic")
        if default_topic is not None and not (
            isinstance(default_topic, str) and SLUG.match(default_topic)
        ):
            checker.add(data.line_of("topic"), TOPIC_SLUG)
            default_topic = None
        questions = data.get("questions")
        if questions is None:
            checker.add(data.line, gettext_noop("missing 'questions' (a list of questions)"))
        elif not isinstance(questions, LineList):
            checker.add(data.line_of("questions"), gettext_noop("'questions' must be a list"))
        elif not questions:
            checker.add(data.line_of("questions"), gettext_noop("'questions' is empty"))
        else:
            for index, item in enumerate(questions):
                spec = _parse_question(checker, item, questions.line_of(index), default_topic)
                if spec is not None:
                    result.questions.append(spec)
    result.problems = checker.problems
    return result


TOPIC_SLUG = gettext_noop("'topic' must be a topic slug such as 'limits'")


def _parse_question(
    checker: Checker, item: object, line: int, default_topic: str | None
) -> QuestionSpec | None:
    if not isinstance(item, LineDict):
        checker.add(
            line, gettext_noop("each question must be a mapping of keys (id, type, stem, ...)")
        )
        return None
    before = len(checker.problems)

    uid = checker.text(item, "id", required=True)
    if uid and (not SLUG.match(uid) or len(uid) > MAX_ID_LENGTH):
        checker.add(
            item.line_of("id"),
            gettext_noop(
                "id '%(id)s' must be lower-case letters, digits and hyphens (at most %(max)s)",
                id=uid,
                max=MAX_ID_LENGTH,
            ),
        )
    qtype = checker.text(item, "type", required=True)
    if qtype and qtype not in TYPES:
        checker.add(
            item.line_of("type"),
            gettext_noop(
                "unknown type '%(type)s'%(hint)s; known types: %(known)s",
                type=qtype,
                hint=suggest(qtype, TYPES),
                known=list(TYPES),
            ),
        )
        qtype = ""
    allowed, required = TYPES.get(qtype, (tuple(ALL_KEYS), ()))
    for key in item:
        if key in ALL_KEYS and key not in allowed:
            checker.add(
                item.line_of(key),
                gettext_noop(
                    "key '%(key)s' does not belong to a %(type)s question", key=key, type=qtype
                ),
            )
    checker.unknown_keys(item, ALL_KEYS, IN_A_QUESTION)

    topic = item.get("topic", default_topic)
    if topic is None:
        checker.add(
            item.line,
            gettext_noop("missing 'topic' (set it on the question or at the top of the file)"),
        )
        topic = ""
    elif not (isinstance(topic, str) and SLUG.match(topic)):
        checker.add(item.line_of("topic"), TOPIC_SLUG)
        topic = ""

    difficulty = checker.text(item, "difficulty", required=True)
    if difficulty and difficulty not in DIFFICULTIES:
        checker.add(
            item.line_of("difficulty"),
            gettext_noop(
                "difficulty must be one of %(known)s, got '%(difficulty)s'%(hint)s",
                known=list(DIFFICULTIES),
                difficulty=difficulty,
                hint=suggest(difficulty, DIFFICULTIES),
            ),
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
        checker.add(
            item.line,
            gettext_noop("missing 'tags' (at least one exam: %(exams)s)", exams=list(EXAM_TAGS)),
        )
        return ()
    tags = item["tags"]
    if not isinstance(tags, LineList) or not tags:
        checker.add(
            item.line_of("tags"), gettext_noop("'tags' must be a non-empty list such as [saa-c03]")
        )
        return ()
    clean: list[str] = []
    for index, tag in enumerate(tags):
        line = tags.line_of(index)
        if not (isinstance(tag, str) and SLUG.match(tag)):
            checker.add(
                line,
                gettext_noop(
                    "tag %(tag)s must be lower-case letters, digits and hyphens", tag=repr(tag)
                ),
            )
        elif EXAM_TAG_SHAPE.match(tag) and tag not in EXAM_TAGS:
            checker.add(
                line,
                gettext_noop(
                    "unknown exam tag '%(tag)s'%(hint)s; known: %(known)s",
                    tag=tag,
                    hint=suggest(tag, EXAM_TAGS),
                    known=list(EXAM_TAGS),
                ),
            )
        elif tag in clean:
            checker.add(line, gettext_noop("tag '%(tag)s' is listed twice", tag=tag))
        else:
            clean.append(tag)
    if clean and not any(tag in EXAM_TAGS for tag in clean):
        checker.add(
            item.line_of("tags"),
            gettext_noop("tags name no exam: add one of %(exams)s", exams=list(EXAM_TAGS)),
        )
    return tuple(clean)


def _parse_references(checker: Checker, item: LineDict) -> tuple[str, ...]:
    references = item.get("references")
    if references is None:
        checker.add(
            item.line, gettext_noop("missing 'references' (at least one AWS documentation URL)")
        )
        return ()
    if isinstance(references, str):
        checker.add(item.line_of("references"), gettext_noop("'references' must be a list of URLs"))
        return ()
    if not isinstance(references, LineList) or not references:
        checker.add(
            item.line_of("references"),
            gettext_noop("'references' must be a non-empty list of URLs"),
        )
        return ()
    urls = []
    for index, url in enumerate(references):
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme != "https" or not parts.netloc or " " in url:
            checker.add(
                references.line_of(index),
                gettext_noop("reference %(url)s is not an https:// URL", url=repr(url)),
            )
        else:
            urls.append(url)
    return tuple(urls)


def _parse_choices(checker: Checker, item: LineDict, qtype: str) -> tuple[tuple[Choice, ...], int]:
    raw = item.get("choices")
    if not isinstance(raw, LineList):
        if raw is not None:
            checker.add(item.line_of("choices"), gettext_noop("'choices' must be a list"))
        return (), 1
    if len(raw) < 2:
        checker.add(item.line_of("choices"), gettext_noop("a question needs at least two choices"))
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, str):
            checker.add(
                line,
                gettext_noop(
                    "a choice must be a mapping with 'text' (and 'correct: true' if right)"
                ),
            )
            continue
        if not isinstance(entry, LineDict):
            checker.add(line, gettext_noop("a choice must be a mapping with 'text'"))
            continue
        checker.unknown_keys(entry, CHOICE_KEYS, IN_A_CHOICE)
        text = checker.text(entry, "text", required=True)
        correct = entry.get("correct", False)
        if not isinstance(correct, bool):
            checker.add(entry.line_of("correct"), _true_or_false("correct", correct))
            correct = False
        rationale = checker.text(entry, "rationale", required=False)
        if text:
            if text in seen:
                checker.add(
                    line,
                    gettext_noop(
                        "the same choice text appears twice (first on line %(first)s)",
                        first=seen[text],
                    ),
                )
            seen[text] = line
        choices.append(
            Choice(key=chr(ord("a") + index), text=text, correct=correct, rationale=rationale)
        )
    right = sum(choice.correct for choice in choices)
    line = item.line_of("choices")
    if choices and right == 0:
        checker.add(line, gettext_noop("no right answer: mark a choice with 'correct: true'"))
    choose = 1
    if qtype == "single" and right > 1:
        checker.add(
            line,
            gettext_noop(
                "a single-answer question has %(right)s choices marked correct: "
                "use 'type: multiple' with 'choose: %(right)s'",
                right=right,
            ),
        )
    if qtype == "multiple":
        value = item.get("choose")
        if value is None:
            pass  # reported as missing by the required-field check
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            checker.add(
                item.line_of("choose"),
                gettext_noop("'choose' must be a whole number, got %(value)s", value=repr(value)),
            )
        else:
            choose = value
            if right and value != right:
                mismatch = (
                    gettext_noop("choose is %(value)s but %(right)s choice is marked correct")
                    if right == 1
                    else gettext_noop(
                        "choose is %(value)s but %(right)s choices are marked correct"
                    )
                )
                checker.add(
                    item.line_of("choose"), Message(mismatch, {"value": value, "right": right})
                )
            if choices and value >= len(choices):
                checker.add(
                    item.line_of("choose"),
                    gettext_noop("choose must be less than the number of choices"),
                )
    return tuple(choices), choose


def _true_or_false(key: str, value: object) -> Message:
    return gettext_noop(
        "'%(key)s' must be true or false, got %(value)s", key=key, value=repr(value)
    )


def _markdown_list(checker: Checker, item: LineDict, key: str) -> list[tuple[str, int]]:
    """A list of Markdown texts with their lines; every non-text entry is reported."""
    raw = item.get(key)
    if raw is None:
        return []  # reported as missing
    if not isinstance(raw, LineList):
        checker.add(item.line_of(key), gettext_noop("'%(key)s' must be a list", key=key))
        return []
    texts: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, (int, float)) and not isinstance(entry, bool):
            entry = str(entry)
        if not _is_text(entry):
            checker.add(line, gettext_noop("each entry of '%(key)s' must be text", key=key))
            continue
        text = entry.strip()
        if text in seen:
            checker.add(
                line,
                gettext_noop(
                    "the same text appears twice in '%(key)s' (first on line %(first)s)",
                    key=key,
                    first=seen[text],
                ),
            )
        seen[text] = line
        texts.append((text, line))
    return texts


def _count_slots(checker: Checker, line: int, key: str, count: int) -> None:
    if count and not MIN_SLOTS <= count <= MAX_SLOTS:
        checker.add(
            line,
            gettext_noop(
                "'%(key)s' needs %(min)s to %(max)s entries, found %(count)s",
                key=key,
                min=MIN_SLOTS,
                max=MAX_SLOTS,
                count=count,
            ),
        )


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
        checker.add(
            item.line_of("pairs"), gettext_noop("'pairs' must be a list of {prompt, answer}")
        )
        raw = None
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw or []):
        line = raw.line_of(index)
        if not isinstance(entry, LineDict):
            checker.add(
                line, gettext_noop("each pair must be a mapping with 'prompt' and 'answer'")
            )
            continue
        checker.unknown_keys(entry, PAIR_KEYS, IN_A_PAIR)
        prompt = checker.text(entry, "prompt", required=True)
        answer = checker.text(entry, "answer", required=True)
        for text in (prompt, answer):
            if text and text in seen:
                checker.add(
                    line,
                    gettext_noop(
                        "the same text appears twice (first on line %(first)s)", first=seen[text]
                    ),
                )
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
            checker.add(
                line,
                gettext_noop(
                    "distractor is also an answer or prompt (line %(first)s)", first=seen[text]
                ),
            )
        answers.append(text)
    if len(answers) > MAX_MATCH_ANSWERS:
        checker.add(
            item.line_of("distractors"),
            gettext_noop(
                "a matching question offers at most %(max)s answers, found %(count)s",
                max=MAX_MATCH_ANSWERS,
                count=len(answers),
            ),
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
            item.line_of("answers"),
            gettext_noop("'answers' must be a list of {text} (accepted answers)"),
        )
        return ()
    answers: list[Choice] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        line = raw.line_of(index)
        if isinstance(entry, (str, int, float)) and not isinstance(entry, bool):
            entry_text, rationale = str(entry).strip(), ""
        elif isinstance(entry, LineDict):
            checker.unknown_keys(entry, ANSWER_KEYS, IN_AN_ACCEPTED_ANSWER)
            entry_text = checker.text(entry, "text", required=True)
            rationale = checker.text(entry, "rationale", required=False)
        else:
            checker.add(
                line, gettext_noop("an accepted answer must be text or a mapping with 'text'")
            )
            continue
        if not entry_text:
            checker.add(line, gettext_noop("an accepted answer is empty"))
            continue
        if len(entry_text) > MAX_SHORT_ANSWER or "\n" in entry_text:
            checker.add(
                line,
                gettext_noop(
                    "an accepted answer is one line of at most %(max)s characters",
                    max=MAX_SHORT_ANSWER,
                ),
            )
        folded = " ".join(entry_text.split())
        folded = folded if item.get("case_sensitive") is True else folded.casefold()
        if folded in seen:
            checker.add(
                line,
                gettext_noop(
                    "the same answer appears twice (first on line %(first)s)", first=seen[folded]
                ),
            )
        seen[folded] = line
        answers.append(Choice(chr(ord("a") + index), entry_text, True, rationale, role="accepted"))
    return tuple(answers)


def _case_sensitive(checker: Checker, item: LineDict) -> bool:
    value = item.get("case_sensitive", False)
    if not isinstance(value, bool):
        checker.add(item.line_of("case_sensitive"), _true_or_false("case_sensitive", value))
        return False
    return value


def _true_false(checker: Checker, item: LineDict) -> tuple[Choice, ...]:
    answer = item.get("answer")
    if answer is None:
        return ()  # reported as missing
    if not isinstance(answer, bool):
        checker.add(item.line_of("answer"), _true_or_false("answer", answer))
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
            gettext_noop(
                "missing 'unit' (USD, requests, GB-s, ms, MB, % or one word): it labels the answer"
            ),
        )
    if not _exercise_checks:
        checker.add(
            item.line,
            gettext_noop("numeric exercises cannot be checked: no exercise checker is set"),
        )
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
