"""Study notes: Markdown files with a YAML front matter block (title, topic, order, summary)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import markup
from .bank import SLUG, Checker, Problem, fingerprint, suggest
from .yamlsafe import LineDict, YamlError
from .yamlsafe import load as load_yaml

NOTE_KEYS = ("title", "topic", "order", "summary")


@dataclass(frozen=True)
class NoteSpec:
    path: str
    topic: str
    title: str
    order: int
    summary: str
    body: str
    body_line: int
    links: tuple[tuple[str, int], ...]
    exercises: tuple[tuple[str, int], ...]

    @property
    def fingerprint(self) -> str:
        return fingerprint([self.topic, self.title, self.order, self.summary, self.body])


def parse_note(path: str, text: str) -> tuple[NoteSpec | None, list[Problem]]:
    """Split the front matter from the body and check both."""
    checker = Checker(path)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        checker.add(
            1,
            "a note must start with a front matter block: "
            "'---', title, topic, order, summary, '---'",
        )
        return None, checker.problems
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        checker.add(1, "the front matter block is not closed with a '---' line")
        return None, checker.problems

    try:
        meta, duplicates = load_yaml("\n".join(lines[1:end]))
    except YamlError as error:
        checker.add(error.line + 1, error.message)
        return None, checker.problems
    for dup in duplicates:
        checker.add(
            dup.line + 1, f"key '{dup.key}' appears twice (first on line {dup.first_line + 1})"
        )
    if not isinstance(meta, LineDict):
        checker.add(2, "the front matter must be keys and values (title, topic, order, summary)")
        return None, checker.problems

    def line_of(key: str) -> int:
        return meta.line_of(key) + 1 if key in meta else 1

    for key in meta:
        if key not in NOTE_KEYS:
            checker.add(
                line_of(key), f"unknown key '{key}' in the front matter{suggest(key, NOTE_KEYS)}"
            )
    for key in NOTE_KEYS:
        if key not in meta or meta[key] is None or meta[key] == "":
            checker.add(1, f"missing '{key}' in the front matter")
    topic, title, summary, order = (
        meta.get("topic"),
        meta.get("title"),
        meta.get("summary"),
        meta.get("order"),
    )
    if topic is not None and not (isinstance(topic, str) and SLUG.match(topic)):
        checker.add(
            line_of("topic"), "'topic' must be a slug: lower-case letters, digits and hyphens"
        )
    for key, value in (("title", title), ("summary", summary)):
        if value is not None and not isinstance(value, str):
            checker.add(line_of(key), f"'{key}' must be text")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        checker.add(line_of("order"), f"'order' must be a whole number, got {order!r}")

    body = "\n".join(lines[end + 1 :])
    body_line = end + 2
    if not body.strip():
        checker.add(end + 1, "the note has no text after its front matter")
    if checker.problems:
        return None, checker.problems
    return (
        NoteSpec(
            path=path,
            topic=topic,
            title=title.strip(),
            order=order,
            summary=summary.strip(),
            body=body,
            body_line=body_line,
            links=tuple(markup.note_links(body, body_line)),
            exercises=tuple((uid, line + body_line - 1) for uid, line in markup.exercise_ids(body)),
        ),
        [],
    )


_TOC_LINK = re.compile(r'<a href="#([^"]+)"[^>]*>(.*?)</a>', re.S)
_WORD = re.compile(r"[a-z0-9@]{4,}")
_COMMON = frozenset(
    [
        "what",
        "when",
        "which",
        "with",
        "that",
        "this",
        "from",
        "your",
        "have",
        "does",
        "will",
        "into",
        "than",
        "they",
        "them",
        "their",
        "there",
        "about",
        "after",
        "before",
        "each",
        "most",
        "more",
        "only",
        "other",
        "over",
        "same",
        "some",
        "such",
        "then",
        "these",
        "those",
        "under",
        "what's",
        "function",
        "functions",
        "lambda",
        "aws",
    ]
)


def _words(text: str) -> set[str]:
    """Lower-case content words with a plural 's' dropped, for a rough match."""
    plain = re.sub(r"<[^>]+>", " ", text).lower()
    return {w[:-1] if w.endswith("s") else w for w in _WORD.findall(plain)} - _COMMON


def section_for(toc_html: str, text: str, tags: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """The note section (anchor, heading) whose heading shares most words with a question.

    Tags count double: authors tag questions with the words their notes use as headings. None
    when no heading shares a word, so the link goes to the top of the note instead.
    """
    words = _words(text)
    tag_words = _words(" ".join(tag.replace("-", " ") for tag in tags))
    best, best_score = None, 0.0
    for anchor, heading in _TOC_LINK.findall(toc_html):
        heading_words = _words(heading)
        if not heading_words:
            continue
        score = (len(heading_words & words) + 2 * len(heading_words & tag_words)) / len(
            heading_words
        ) ** 0.5
        if score > best_score:
            best, best_score = (anchor, re.sub(r"<[^>]+>", "", heading).strip()), score
    return best
