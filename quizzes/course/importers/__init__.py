"""Importers from Moodle's question formats (GIFT, Aiken) into our YAML bank format.

Instructors arrive with Moodle banks; converting what maps cleanly and listing what does not (with
the source line) lets them start here without retyping. Plain Python: no Django, so the
converters can be tested and reused on their own; the management commands add the file handling
and run the course checker on the result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

EXAM_TAGS = ("clf-c02", "saa-c03", "dva-c02")  # the same as quizzes.course.bank.EXAM_TAGS
DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_TAGS = ("saa-c03",)
DEFAULT_REFERENCE = "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"
PLACEHOLDER_EXPLANATION = "Imported from Moodle: add an explanation."
NO_EXPLANATION_NOTE = "no general feedback: the explanation is a placeholder to replace"
MAX_ID_LENGTH = 100  # the same as quizzes.course.bank.MAX_ID_LENGTH
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class ImportResult:
    """Converted questions, ready for `dump_bank`, plus what the author must look at.

    `skipped` and `notes` are (line of the source question, reason) pairs.
    """

    topic: str
    questions: list[dict] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


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
        difficulty: str,
        tags: Sequence[str],
        reference: str,
    ) -> Defaults:
        """Refuse bad defaults up front: one bad value would otherwise fail every question."""
        if not _SLUG.match(topic or ""):
            raise ValueError(f"topic {topic!r} must be a slug such as 'limits'")
        if not _SLUG.match(id_prefix or "") or len(id_prefix) > MAX_ID_LENGTH // 2:
            raise ValueError(
                f"id prefix {id_prefix!r} must be lower-case letters, digits and hyphens "
                f"(at most {MAX_ID_LENGTH // 2})"
            )
        if difficulty not in DIFFICULTIES:
            raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        tags = tuple(tags)
        bad = [tag for tag in tags if not _SLUG.match(tag)]
        if bad:
            raise ValueError(f"tag {bad[0]!r} must be lower-case letters, digits and hyphens")
        if len(set(tags)) != len(tags):
            raise ValueError("a tag is listed twice")
        if not any(tag in EXAM_TAGS for tag in tags):
            raise ValueError(f"tags must include an exam: one of {', '.join(EXAM_TAGS)}")
        if not re.match(r"^https://[^\s/]+\S*$", reference or ""):
            raise ValueError(f"reference {reference!r} must be an https:// URL")
        return cls(topic, id_prefix, difficulty, tags, reference)


class IdMaker:
    """Stable ids: `prefix-title-slug`, or `prefix-N` (N = position in the source) if untitled.

    Untitled questions are numbered by their position among all the source's questions, skipped
    ones included, so converting a type we skip today does not renumber the others later.
    """

    def __init__(self, prefix: str, taken: Iterable[str] = ()) -> None:
        """`taken`: ids the course already has, so an imported bank never collides with them."""
        self.prefix = prefix
        self.used: set[str] = set(taken)

    def make(self, title: str, position: int) -> str:
        room = MAX_ID_LENGTH - len(self.prefix) - 1 - 4  # keep space for a "-NNN" suffix
        base = f"{self.prefix}-{slugify(title, room) or position}"
        uid, n = base, 1
        while uid in self.used:
            n += 1
            uid = f"{base}-{n}"
        self.used.add(uid)
        return uid


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary within `limit`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return slug.strip("-")


def build_question(
    defaults: Defaults,
    uid: str,
    qtype: str,
    stem: str,
    explanation: str,
    *,
    choices: list[dict] | None = None,
    choose: int | None = None,
    answer: bool | int | float | str | None = None,
    extra: dict | None = None,
    topic: str | None = None,
    tags: Sequence[str] = (),
) -> dict:
    """One question dict in the key order of docs/authoring.md (topic comes from the file).

    `extra` holds the type's own keys (steps, pairs, tolerance, range, unit) in order;
    `topic` overrides the file's topic, `tags` are added to the default ones."""
    question: dict = {"id": uid, "type": qtype}
    if topic and topic != defaults.topic:
        question["topic"] = topic
    if choose is not None:
        question["choose"] = choose
    question["difficulty"] = defaults.difficulty
    question["tags"] = list(dict.fromkeys([*defaults.tags, *tags]))
    question["stem"] = stem
    if choices is not None:
        question["choices"] = choices
    if answer is not None:
        question["answer"] = answer
    question.update(extra or {})
    question["explanation"] = explanation
    question["references"] = [defaults.reference]
    return question


UNIT_WORDS = (
    ("GB-s", ("gb-s", "gb-seconds", "gb-second")),
    ("USD", ("usd", "us dollars", "dollars", "$")),
    ("ms", ("ms", "milliseconds")),
    ("MB", ("mb", "megabytes")),
    ("requests", ("requests", "invocations")),
    ("%", ("%", "percent", "percentage")),
)
DEFAULT_UNIT = "number"
NO_UNIT_NOTE = "no unit found in the question: set 'unit' (USD, requests, GB-s, ms, MB, %)"


def guess_unit(stem: str, notes: list[str]) -> str:
    """The unit a numerical question's text names ("in MB" first, then any unit word), or
    'number' with a note asking the author to set it."""
    lower = stem.lower()
    for prefix in (r"\b(?:in|as an?|how many)\s+", ""):
        for unit, words in UNIT_WORDS:
            for word in words:
                end = r"\b" if word[-1].isalnum() else ""
                start = r"\b" if word[0].isalnum() and not prefix else ""
                if re.search(f"{prefix}{start}{re.escape(word)}{end}", lower):
                    return unit
    named = re.search(r"\bin ([A-Za-z][A-Za-z0-9-]{0,19})\s*[?.,)]", stem)
    if named and named.group(1).lower() not in ("the", "a", "an", "total", "order"):
        return named.group(1)  # "in GB?", "in seconds,": a free word is a unit too
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


def slot_problem(kind: str, count: int) -> str | None:
    """Why an ordering or matching question would fail the bank checker (3 to 6 entries)."""
    if not 3 <= count <= 6:
        noun = "steps" if kind == "ordering" else "pairs"
        return f"a {kind} question here has 3 to 6 {noun}, this one has {count}"
    return None


def choice_problem(texts: Sequence[str]) -> str | None:
    """Why these choices would fail the bank checker, or None: better skipped with the line."""
    if len(texts) < 2:
        return "a question needs at least two choices"
    if any(not text.strip() for text in texts):
        return "a choice has no text"
    if len(set(texts)) != len(texts):
        return "two choices have the same text"
    return None


# --- HTML to Markdown ---------------------------------------------------------------------------

_BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS |= {"blockquote", "section", "article"}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`"}
_DROPPED = {"script", "style", "head", "title"}


class _HtmlToMarkdown(HTMLParser):
    """Keeps the text of Moodle's HTML, with the little formatting Markdown can say."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = 0
        self.pre = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "img":
            self.out.append(dict(attrs).get("alt") or "")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href if href.startswith("https://") else None)
            if self.links[-1]:
                self.out.append("[")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag in _MARKS and not self.pre:
            if self.out and self.out[-1] == _MARKS[tag]:
                self.out.pop()  # <b></b>: no empty emphasis
            else:
                self.out.append(_MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        # Outside <pre>, HTML whitespace (newlines included) is one space.
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_markdown(html: str) -> str:
    """Moodle HTML as Markdown-ish text: paragraphs, line breaks, bold, italics, code, links."""
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    lines: list[str] = []
    in_code = False
    for line in "".join(parser.out).split("\n"):
        if line.strip() == "```":
            in_code = not in_code
        lines.append(line.rstrip() if in_code else line.strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- YAML output --------------------------------------------------------------------------------


class _BankDumper(yaml.SafeDumper):
    """SafeDumper laid out like docs/authoring.md: indented lists, `|` blocks, `tags: [a, b]`."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _FlowList(list):
    """A list written on one line (tags)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_BankDumper.add_representer(str, _represent_str)
_BankDumper.add_representer(_FlowList, _represent_flow)


def dump_bank(questions: list[dict], topic: str, *, source: str = "a Moodle export") -> str:
    """The bank as YAML text, with a header saying where it came from and what to check."""
    header = (
        f"# Imported from {source} by the Moodle importer (quizzes/course/importers).\n"
        "# Review every question, replace placeholder explanations and references, then run\n"
        "# `manage.py check_content` on this file. Keep the ids: learners' history hangs on them.\n"
    )
    laid_out = [
        {key: _FlowList(value) if key == "tags" else value for key, value in question.items()}
        for question in questions
    ]
    body = yaml.dump(
        {"topic": topic, "questions": laid_out},
        Dumper=_BankDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return header + body
