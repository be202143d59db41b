"""A converted bank as YAML, laid out like docs/authoring.md, split into files under a size.

Pure Python: no Django import."""

from __future__ import annotations

import json
import re

import yaml

from ..textcheck import MAX_FILE_BYTES

IMPORTED_HEADER = "# Imported from "  # the first line of every bank an importer writes


def _header(source: str) -> str:
    return (
        f"{IMPORTED_HEADER}{source} by the Moodle importer (quizzes/course/importers).\n"
        "# Review every question, replace placeholder explanations and references, then run\n"
        "# `manage.py check_content --strict` on this file. Keep the ids: learners' history hangs\n"
        "# on them.\n"
    )


# --- a fast writer for the shapes a question has -------------------------------------------------
# PyYAML's emitter is pure Python and took 85% of a large import; a question is only mappings,
# lists and scalars, so it is written here directly, in the same layout. Any scalar this cannot
# write plainly or as a `|` block is written as JSON, which YAML reads as a double-quoted string.

_RESOLVER = yaml.resolver.Resolver()
_PLAIN = re.compile(r"[A-Za-z0-9(/$][^\n\r\t:#]*")
# What YAML does not take as it is: characters outside its printable set, line separators, BOM.
_INDICATORS = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def _json(text: str) -> str:
    """A double-quoted YAML string: JSON, with what YAML does not print escaped too."""
    return _INDICATORS.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False)
    )


def _is_str_plain(text: str) -> bool:
    """True when `text` written bare reads back as this same string."""
    if not _PLAIN.fullmatch(text) or text != text.strip() or ": " in text or " #" in text:
        return False
    if text[-1] == ":" or _INDICATORS.search(text):
        return False
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag == "tag:yaml.org,2002:str"


def _is_flow_plain(value: object) -> bool:
    """A tag written bare inside `[...]`: a slug, as tags are."""
    return (
        isinstance(value, str)
        and bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", value))
        and (_is_str_plain(value))
    )


def _scalar(value: object, indent: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    if not isinstance(value, str):  # a float and the like: PyYAML knows their corner cases
        return yaml.safe_dump(value, explicit_end=False).removesuffix("\n...\n").strip()
    if "\n" in value and not _INDICATORS.search(value) and "\r" not in value:
        first = value.split("\n", 1)[0]
        if (
            first
            and not first[0].isspace()
            and not any(line != line.rstrip(" \t") for line in value.split("\n"))
        ):
            body = value.rstrip("\n")
            trailing = len(value) - len(body)
            chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
            pad = " " * indent
            lines = [f"{pad}{line}" if line else "" for line in body.split("\n")]
            lines += [""] * (trailing - 1 if trailing > 1 else 0)
            return f"|{chomp}\n" + "\n".join(lines)
    if value and _is_str_plain(value):
        return value
    return _json(value)


def _mapping(data: dict, indent: int, first_prefix: str) -> list[str]:
    """Lines of a mapping; its first line starts with `first_prefix` (a list's "- ")."""
    lines = []
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        lead = first_prefix if index == 0 else pad
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines.extend(_mapping(value, indent + 2, " " * (indent + 2)))
        elif isinstance(value, list) and key == "tags":
            shown = ", ".join(tag if _is_flow_plain(tag) else _json(str(tag)) for tag in value)
            lines.append(f"{lead}{key}: [{shown}]")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:" if value else f"{lead}{key}: []")
            for entry in value:
                item_pad = " " * (indent + 2)
                if isinstance(entry, dict) and entry:
                    lines.extend(_mapping(entry, indent + 4, f"{item_pad}- "))
                else:
                    lines.append(f"{item_pad}- {_scalar(entry, indent + 4)}")
        else:
            lines.append(f"{lead}{key}: {_scalar(value, indent + 2)}")
    return lines


def _question_text(question: dict) -> str:
    """One question as the lines of a `questions:` list entry."""
    return "\n".join(_mapping(question, 4, "  - ")) + "\n"


def dump_bank(questions: list[dict], topic: str, *, source: str = "a Moodle export") -> str:
    """The bank as YAML text, with a header saying where it came from and what to check."""
    return (
        _header(source)
        + f"topic: {_scalar(topic, 2)}\nquestions:\n"
        + "".join(_question_text(question) for question in questions)
    )


def split_bank(
    questions: list[dict], topic: str, *, source: str, limit: int = MAX_FILE_BYTES
) -> list[str]:
    """The bank as one YAML text per file, each under `limit` bytes (the course's file limit).

    Each question is dumped once (its size measured in its own text), so the split stays linear
    in the bank's size. One question over the limit alone still gets a file of its own: the
    checker names it."""
    header = _header(source) + f"topic: {_scalar(topic, 2)}\nquestions:\n"
    budget = limit - len(header.encode("utf-8")) - 64
    files: list[list[str]] = [[]]
    size = 0
    for question in questions:
        text = _question_text(question)
        length = len(text.encode("utf-8"))
        if files[-1] and size + length > budget:
            files.append([])
            size = 0
        files[-1].append(text)
        size += length
    return [header + "".join(parts) for parts in files]
