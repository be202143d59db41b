"""A converted bank as YAML, laid out like docs/authoring.md, split into files under a size.

Pure Python: no Django import."""

from __future__ import annotations

import yaml

from ..textcheck import MAX_FILE_BYTES


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


def _header(source: str) -> str:
    return (
        f"# Imported from {source} by the Moodle importer (quizzes/course/importers).\n"
        "# Review every question, replace placeholder explanations and references, then run\n"
        "# `manage.py check_content --strict` on this file. Keep the ids: learners' history hangs\n"
        "# on them.\n"
    )


def _body(questions: list[dict], topic: str) -> str:
    laid_out = [
        {key: _FlowList(value) if key == "tags" else value for key, value in question.items()}
        for question in questions
    ]
    return yaml.dump(
        {"topic": topic, "questions": laid_out},
        Dumper=_BankDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def dump_bank(questions: list[dict], topic: str, *, source: str = "a Moodle export") -> str:
    """The bank as YAML text, with a header saying where it came from and what to check."""
    return _header(source) + _body(questions, topic)


def split_bank(
    questions: list[dict], topic: str, *, source: str, limit: int = MAX_FILE_BYTES
) -> list[str]:
    """The bank as one YAML text per file, each under `limit` bytes (the course's file limit).

    Each question is dumped once (its size measured in its own text), so the split stays linear
    in the bank's size. One question over the limit alone still gets a file of its own: the
    checker names it."""
    header = _header(source) + f"topic: {topic}\nquestions:\n"
    budget = limit - len(header.encode("utf-8")) - 64
    files: list[list[str]] = [[]]
    size = 0
    for question in questions:
        text = _body([question], topic).split("questions:\n", 1)[1]
        length = len(text.encode("utf-8"))
        if files[-1] and size + length > budget:
            files.append([])
            size = 0
        files[-1].append(text)
        size += length
    return [header + "".join(parts) for parts in files]
