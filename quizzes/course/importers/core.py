"""What the three importers share: the defaults given once for a file, ids, the report, the
checks every question goes through, and Moodle's own rules (allowed grades, categories).

Each importer only reads its format and calls `Conversion.add` for every question it finds:
the id, topic, tags, difficulty, references, placeholder explanation and the report's lines are
made here, the same way for GIFT, Aiken and Moodle XML. Pure Python: no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from quizzes.translatable import Message, Percent, figure, gettext_noop

from ..placeholders import PLACEHOLDER_EXPLANATION, PLACEHOLDER_REFERENCE
from .media import MediaStore

EXAM_TAGS = ("clf-c02", "saa-c03", "dva-c02")  # the same as quizzes.course.bank.EXAM_TAGS
DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_TAGS: tuple[str, ...] = ()  # an importer does not know the exam: the author says
DEFAULT_REFERENCE = PLACEHOLDER_REFERENCE
NO_EXPLANATION_NOTE = gettext_noop(
    "no general feedback: the explanation is a placeholder to replace"
)
NO_REFERENCE_NOTE = gettext_noop(
    "no reference: the placeholder fails `check_content --strict` until replaced"
)
NO_TAGS_NOTE = gettext_noop("no exam tag: add one of clf-c02, saa-c03, dva-c02 to 'tags'")
OTHER_FEEDBACK = gettext_noop("the feedback for any other answer is now part of the explanation")
TRUE_FALSE_FEEDBACK = gettext_noop(
    "the true/false feedback is now part of the explanation "
    "(true/false questions have no per-answer feedback here)"
)
SAME_TEXTS = gettext_noop("two items or answers have the same text (each answer is used once here)")
MAX_ID_LENGTH = 100  # the same as quizzes.course.bank.MAX_ID_LENGTH
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Our difficulty travels through Moodle as a tag; our references as the feedback's last lines.
DIFFICULTY_TAG = re.compile(r"^difficulty-(easy|medium|hard)$")
REFERENCES_HEADING = "References:"
_REFERENCES_BLOCK = re.compile(
    r"(?:\A|\n\s*\n)\s*References:\s*\n(?P<urls>(?:\s*[-*]\s+<?https://\S+?>?\s*(?:\n|\Z))+)\s*\Z"
)
# Moodle's grade options (question_bank::fraction_options_full), as percentages.
_ALLOWED = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
            16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip
ALLOWED_GRADES = tuple(sorted({*_ALLOWED, *(-value for value in _ALLOWED)}))
_EXACT_GRADES = frozenset(ALLOWED_GRADES)  # 100, 0, 50 ... as written: no search needed


PROGRESS_EVERY = 500


class Skip(Exception):
    """A question that cannot be converted; the message is the reason shown to the author."""

    @property
    def reason(self) -> Message | str:
        return self.args[0] if self.args else ""


@dataclass
class ImportResult:
    """Converted questions, ready for `dump_bank`, plus what the author must look at.

    `skipped` and `notes` are (line of the source question, reason) pairs, the reasons Messages
    (English, translated by the upload page); `media` the images kept (`media/<hash>.<ext>` ->
    bytes) that the bank's Markdown points at.
    """

    topic: str
    questions: list[dict] = field(default_factory=list)
    skipped: list[tuple[int, Message | str]] = field(default_factory=list)
    notes: list[tuple[int, Message | str]] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)

    def counts(self) -> Counter:
        """Questions converted per type of ours."""
        return Counter(question["type"] for question in self.questions)


@dataclass(frozen=True)
class Defaults:
    """The fields Moodle has no notion of, given once for the whole file."""

    topic: str
    id_prefix: str
    difficulty: str
    tags: tuple[str, ...]
    reference: str

    @classmethod
    def check(
        cls,
        *,
        topic: str,
        id_prefix: str,
        difficulty: str = "medium",
        tags: Sequence[str] = DEFAULT_TAGS,
        reference: str = DEFAULT_REFERENCE,
    ) -> Defaults:
        """Refuse bad defaults up front: one bad value would otherwise fail every question."""
        if not SLUG.match(topic or ""):
            raise ValueError(
                gettext_noop("topic %(topic)s must be a slug such as 'limits'", topic=repr(topic))
            )
        if not SLUG.match(id_prefix or "") or len(id_prefix) > MAX_ID_LENGTH // 2:
            raise ValueError(
                gettext_noop(
                    "id prefix %(prefix)s must be lower-case letters, digits and hyphens "
                    "(at most %(max)s)",
                    prefix=repr(id_prefix),
                    max=MAX_ID_LENGTH // 2,
                )
            )
        if difficulty not in DIFFICULTIES:
            raise ValueError(
                gettext_noop("difficulty must be one of %(known)s", known=list(DIFFICULTIES))
            )
        tags = tuple(tags)
        bad = [tag for tag in tags if not SLUG.match(tag)]
        if bad:
            raise ValueError(
                gettext_noop(
                    "tag %(tag)s must be lower-case letters, digits and hyphens", tag=repr(bad[0])
                )
            )
        if len(set(tags)) != len(tags):
            raise ValueError(gettext_noop("a tag is listed twice"))
        if not re.match(r"^https://[^\s/]+\S*$", reference or ""):
            raise ValueError(
                gettext_noop("reference %(url)s must be an https:// URL", url=repr(reference))
            )
        return cls(topic, id_prefix, difficulty, tags, reference)


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary within `limit`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return slug.strip("-")


class IdMaker:
    """Stable ids: the source's own id (Moodle's idnumber), else `prefix-title-slug`, else
    `prefix-N` (N = position in the source).

    An idnumber is kept as it is even when the course has it: importing a bank exported from here
    updates its questions instead of adding copies. Made ids steer clear of `taken`. Untitled
    questions are numbered by their position among all the source's questions, skipped ones
    included, so converting a type we skip today does not renumber the others later.
    """

    def __init__(self, prefix: str, taken: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self.used: set[str] = set(taken)
        self.kept: set[str] = set()

    def keep(self, idnumber: str, notes: list[Message]) -> str | None:
        """The source's id if it can be ours (a slug, once in the file), else None and a note."""
        idnumber = idnumber.strip()
        if not idnumber:
            return None
        if not SLUG.match(idnumber) or len(idnumber) > MAX_ID_LENGTH:
            notes.append(
                gettext_noop(
                    "the id '%(id)s' is not lower-case letters, digits and hyphens: a new id was "
                    "made from the name",
                    id=idnumber,
                )
            )
            return None
        if idnumber in self.kept:
            notes.append(
                gettext_noop(
                    "the id '%(id)s' is given twice in the file: a new id was made", id=idnumber
                )
            )
            return None
        self.kept.add(idnumber)
        self.used.add(idnumber)
        return idnumber

    def make(self, title: str, position: int) -> str:
        room = MAX_ID_LENGTH - len(self.prefix) - 1 - 4  # keep space for a "-NNN" suffix
        base = f"{self.prefix}-{slugify(title, room) or position}"
        uid, n = base, 1
        while uid in self.used:
            n += 1
            uid = f"{base}-{n}"
        self.used.add(uid)
        return uid


def split_references(text: str) -> tuple[str, tuple[str, ...]]:
    """(explanation, references) of feedback exported from here: references are its last lines."""
    match = _REFERENCES_BLOCK.search(text)
    if not match:
        return text, ()
    urls = re.findall(r"https://[^\s>]+", match["urls"])
    exact = text.rfind(f"\n\n{REFERENCES_HEADING}\n\n")
    if exact >= match.start():  # as `join_references` wrote it: the text is kept to the byte
        return text[:exact], tuple(dict.fromkeys(urls))
    return text[: match.start()].strip(), tuple(dict.fromkeys(urls))


def join_references(text: str, references: Sequence[str]) -> str:
    """`split_references` undone: the explanation, then the references as a Markdown list."""
    if not references:
        return text
    return f"{text}\n\n{REFERENCES_HEADING}\n\n" + "\n".join(f"- {url}" for url in references)


def grade_problem(grades: Iterable[float]) -> Message | None:
    """Moodle's refusal of grades outside its list, in its words, or None."""
    bad = [
        grade
        for grade in grades
        if grade not in _EXACT_GRADES and not any(abs(grade - ok) < 0.001 for ok in ALLOWED_GRADES)
    ]
    if bad:
        return gettext_noop(
            "grades selected (%(grades)s) do not match grade options: question skipped, "
            "as Moodle does",
            grades=[figure(f"{grade / 100:g}") for grade in bad],
        )
    return None


def category(path: str, default: str, topics: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """(topic, tags) of a Moodle category path: its last part is a topic of ours, or a tag."""
    parts = [part.strip() for part in path.split("/") if part.strip()]
    parts = [part for part in parts if not part.startswith("$")]
    parts = [part for part in parts if part.lower() not in ("top", "default")]
    if not parts:
        return default, ()
    last = slugify(parts[-1], 60)
    if last in topics:
        return last, ()
    return default, (last,) if last else ()


@dataclass
class Conversion:
    """One file being converted: call `add` per source question with a function that builds it."""

    defaults: Defaults
    topics: tuple[str, ...] = ()
    taken: Iterable[str] = ()
    result: ImportResult = field(init=False)
    ids: IdMaker = field(init=False)
    media: MediaStore = field(default_factory=MediaStore)
    topic: str = field(init=False)
    category_tags: tuple[str, ...] = ()
    position: int = 0
    # Told the number of source questions read so far, every PROGRESS_EVERY (a background job
    # shows it while a large file converts).
    progress: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        self.result = ImportResult(topic=self.defaults.topic)
        self.ids = IdMaker(self.defaults.id_prefix, self.taken)
        self.topic = self.defaults.topic

    @classmethod
    def start(
        cls,
        *,
        topics: Sequence[str] = (),
        taken: Iterable[str] = (),
        progress: Callable[[int], None] | None = None,
        **defaults,
    ) -> Conversion:
        return cls(Defaults.check(**defaults), tuple(topics), taken, progress=progress)

    def enter_category(self, path: str) -> None:
        self.topic, self.category_tags = category(path, self.defaults.topic, self.topics)

    def add(self, line: int, build: Callable[[list[Message]], dict | list[dict]]) -> None:
        """Run `build(notes)` for one source question; a Skip it raises is reported with `line`."""
        self.position += 1
        if self.progress is not None and self.position % PROGRESS_EVERY == 0:
            self.progress(self.position)
        notes: list[Message] = []
        try:
            made = build(notes)
        except Skip as skip:
            self.result.skipped.append((line, skip.reason))
            return
        self.result.questions.extend(made if isinstance(made, list) else [made])
        self.result.notes.extend((line, note) for note in dict.fromkeys(notes))

    def finish(self) -> ImportResult:
        self.result.media = dict(self.media.kept)
        return self.result

    def question(
        self,
        notes: list[Message],
        *,
        qtype: str,
        stem: str,
        explanation: str,
        title: str = "",
        idnumber: str = "",
        tags: Sequence[str] = (),
        **keys: object,
    ) -> dict:
        """One question dict in the key order of docs/authoring.md; `keys` are the type's own
        (choices, choose, answer, answers, steps, pairs, tolerance, range, unit) in order."""
        if not stem.strip():
            raise Skip(NO_TEXT)
        defaults = self.defaults
        explanation, references = split_references(explanation)
        if not explanation:
            notes.append(NO_EXPLANATION_NOTE)
            explanation = PLACEHOLDER_EXPLANATION
        difficulty = defaults.difficulty
        own_tags = []
        for tag in tags:
            if match := DIFFICULTY_TAG.match(tag):
                difficulty = match.group(1)
            else:
                own_tags.append(tag)
        uid = self.ids.keep(idnumber, notes) or self.ids.make(title, self.position)
        question: dict = {"id": uid, "type": qtype}
        if self.topic != defaults.topic:
            question["topic"] = self.topic
        choose = keys.pop("choose", None)
        if choose is not None:
            question["choose"] = choose
        question["difficulty"] = difficulty
        question["tags"] = list(dict.fromkeys([*defaults.tags, *self.category_tags, *own_tags]))
        if not any(tag in EXAM_TAGS for tag in question["tags"]):
            notes.append(NO_TAGS_NOTE)
        question["stem"] = stem
        question.update((key, value) for key, value in keys.items() if value is not None)
        question["explanation"] = explanation
        question["references"] = list(references) or [defaults.reference]
        if PLACEHOLDER_REFERENCE in question["references"]:
            notes.append(NO_REFERENCE_NOTE)
        return question


# --- numbers and units --------------------------------------------------------------------------

UNIT_WORDS = (
    ("GB-s", ("gb-s", "gb-seconds", "gb-second")),
    ("USD", ("usd", "us dollars", "dollars", "$")),
    ("ms", ("ms", "milliseconds")),
    ("MB", ("mb", "megabytes")),
    ("requests", ("requests", "invocations")),
    ("%", ("%", "percent", "percentage")),
)
DEFAULT_UNIT = "number"
NO_UNIT_NOTE = gettext_noop(
    "no unit found in the question: set 'unit' (USD, requests, GB-s, ms, MB, %)"
)
NO_TEXT = gettext_noop("the question has no text")
_NUMBER_BEFORE = re.compile(r"\d[\d,.]*\s*$")
_ASKS = r"\b(?:in|as an?|how many|number of)\s+"


def _canonical(word: str) -> str:
    lower = word.lower()
    for unit, words in UNIT_WORDS:
        if lower in words:
            return unit
    return word


def guess_unit(stem: str, notes: list[Message]) -> str:
    """The unit the question asks its answer in, marked as a guess in `notes`.

    Only words that ask for the answer count ("in MB", "how many vCPUs", "as a percentage"), or a
    unit word that follows no number: "at 10,240 MB" is the unit of another number, not the
    answer's. Nothing found: 'number', with a note asking the author to set it.
    """
    lower = stem.lower()
    asked = re.search(_ASKS + r"(\$|%|[a-z][a-z0-9-]{0,19})\b", lower)
    if asked and asked.group(1) not in ("the", "a", "an", "total", "order", "each", "one"):
        start = asked.start(1)
        unit = _canonical(stem[start : start + len(asked.group(1))])
        notes.append(
            gettext_noop(
                "unit '%(unit)s' guessed from '%(words)s': check it",
                unit=unit,
                words=asked.group(0).strip(),
            )
        )
        return unit
    for unit, words in UNIT_WORDS:
        for word in words:
            end = r"\b" if word[-1].isalnum() else ""
            start = r"\b" if word[0].isalnum() else ""
            for match in re.finditer(f"{start}{re.escape(word)}{end}", lower):
                if word != "$" and _NUMBER_BEFORE.search(lower[: match.start()]):
                    continue  # "10,240 MB": another number's unit
                notes.append(
                    gettext_noop(
                        "unit '%(unit)s' guessed from the word '%(word)s': check it",
                        unit=unit,
                        word=word,
                    )
                )
                return unit
    notes.append(NO_UNIT_NOTE)
    return DEFAULT_UNIT


def moodle_number(value: str) -> int | float:
    """A Moodle number as YAML will write it: 10240 stays an int, 0.60 a float."""
    parsed = float(value.strip())
    return (
        int(parsed)
        if parsed.is_integer() and "." not in value and "e" not in value.lower()
        else parsed
    )


def numeric_extra(answer: float, tolerance: float | None, low=None, high=None) -> dict:
    """The keys of a fixed numeric question: answer and tolerance, or a range."""
    if low is not None:
        return {"range": {"min": low, "max": high}}
    return {"answer": answer, "tolerance": tolerance or 0}


def slot_problem(kind: str, count: int) -> Message | None:
    """Why an ordering or matching question would fail the bank checker (3 to 6 entries)."""
    if not 3 <= count <= 6:
        noun = gettext_noop("steps") if kind == "ordering" else gettext_noop("pairs")
        return gettext_noop(
            "a %(kind)s question here has 3 to 6 %(noun)s, this one has %(count)s",
            kind=kind,
            noun=noun,
            count=count,
        )
    return None


def yaml_scalar(text: str) -> str | int | float:
    """A choice that is a bare number is written as one (`text: 4`), as banks write it, so a
    bank exported from here comes back byte for byte; "007" or "1,000" stay text."""
    if re.fullmatch(r"-?[1-9]\d{0,15}|0", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text) and repr(float(text)) == text:
        return float(text)
    return text


def choice_problem(texts: Sequence[str]) -> Message | None:
    """Why these choices would fail the bank checker, or None: better skipped with the line."""
    if len(texts) < 2:
        return gettext_noop("a question needs at least two choices")
    if any(not text.strip() for text in texts):
        return gettext_noop("a choice has no text")
    if len(set(texts)) != len(texts):
        return gettext_noop("two choices have the same text")
    return None


_GRADE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def answer_grade(part: str, default: float = 0.0) -> tuple[float, str]:
    """An answer's grade as GIFT and Cloze write it (`=` is 100%, `%50%` a percentage, else
    `default`) and the answer after it."""
    if part.startswith("="):
        return 100.0, part[1:]
    if match := _GRADE.match(part):
        return float(match.group(1)), part[match.end() :]
    return default, part


def bank_choices(rows: Iterable[tuple[object, bool, str]]) -> list[dict]:
    """A bank's choices from (text, right, feedback) in order: `correct` only on a right one,
    `rationale` only where Moodle gave feedback (the three importers write choices alike)."""
    choices = []
    for text, correct, feedback in rows:
        choice: dict = {"text": text}
        if correct:
            choice["correct"] = True
        if feedback:
            choice["rationale"] = feedback
        choices.append(choice)
    return choices


def short_answers(
    weighted: Sequence[tuple[float, str, str]],
    notes: list[Message],
    *,
    case_sensitive: bool = False,
) -> tuple[list[dict], str]:
    """(accepted answers, feedback for any other answer) of a Moodle short-answer question from
    (grade %, answer, feedback): full-grade answers are accepted; partial and wrong ones are
    named in the report, a catch-all `*`'s feedback is returned for the explanation."""
    accepted, other = [], ""
    for grade, text, feedback in weighted:
        if grade >= 100 and text.strip():
            answer: dict = {"text": text.strip()}
            if feedback:
                answer["rationale"] = feedback
            accepted.append(answer)
        elif text.strip() == "*" and grade <= 0:
            other = feedback
        elif grade > 0:
            notes.append(
                gettext_noop(
                    "partial credit dropped: '%(text)s' (%(grade)s%%) is now marked wrong",
                    text=text,
                    grade=figure(f"{grade:g}"),
                )
            )
        elif feedback:
            notes.append(
                gettext_noop(
                    "the feedback for the wrong answer '%(text)s' was dropped: %(feedback)s",
                    text=text,
                    feedback=feedback,
                )
            )
    if not accepted:
        raise Skip(
            gettext_noop(
                "a short-answer question needs at least one answer with a %(full)s grade",
                full=Percent(1),
            )
        )
    kept: dict[str, dict] = {}
    for answer in accepted:
        same = " ".join(answer["text"].split())
        same = same if case_sensitive else same.casefold()
        if same in kept:
            notes.append(
                gettext_noop(
                    "the answer '%(text)s' is the same as '%(other)s' here (letter case and "
                    "spaces aside): dropped",
                    text=answer["text"],
                    other=kept[same]["text"],
                )
            )
        else:
            kept[same] = answer
    return list(kept.values()), other
