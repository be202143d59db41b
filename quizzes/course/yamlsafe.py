"""Safe YAML loading that remembers line numbers and refuses aliases.

Authors need `path:line:` in every message, so mappings and lists carry the line of each key and
item. Aliases are refused in a first pass over the parser's events, before any node is built: a
"billion laughs" file fails at its first `*alias` in constant memory instead of hanging the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from quizzes.translatable import Message, gettext_noop


class YamlError(Exception):
    """A file that cannot be read as YAML at all; `line` is 1-based."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class DuplicateKey:
    line: int
    key: str
    first_line: int

    @property
    def message(self) -> Message:
        return gettext_noop(
            "key '%(key)s' appears twice (first on line %(first)s)",
            key=self.key,
            first=self.first_line,
        )


# libyaml when PyYAML has it (about 7x faster on a large bank), pure Python otherwise.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []


def _refuse_aliases(text: str) -> None:
    """Scan the event stream, which never expands anything, for the first alias.

    Only a text with an anchor (`&`) can expand an alias; without one, an alias fails in the
    loader as undefined (`_alias_refused`), so the scan, a second parse, is skipped.
    """
    if "&" not in text:
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _alias_refused(event.start_mark.line, event.anchor)


def _alias_refused(line: int, anchor: str) -> YamlError:
    return YamlError(
        line + 1,
        gettext_noop(
            "YAML aliases (*%(anchor)s) are not allowed in course files: "
            "write the text out in full",
            anchor=anchor,
        ),
    )


def _undefined_alias(text: str, mark: yaml.Mark) -> YamlError | None:
    """The loader's "found undefined alias" as the message a refused alias gets."""
    lines = text.splitlines()
    found = (
        re.match(r"\*([^\s,\[\]{}]+)", lines[mark.line][mark.column :])
        if mark.line < len(lines)
        else None
    )
    return _alias_refused(mark.line, found.group(1)) if found else None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    data = LineDict()
    data.line = _line(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise YamlError(
                _line(key_node), gettext_noop("a mapping key must be plain text")
            ) from None
        if key in data:
            loader.duplicates.append(DuplicateKey(_line(key_node), str(key), data.key_lines[key]))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = _line(key_node)
    return data


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    data = LineList()
    data.line = _line(node)
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(_line(item))
    return data


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load(text: str) -> tuple[object, list[DuplicateKey]]:
    """Parse one YAML document; return the data and any keys given twice in one mapping."""
    loader = None
    try:
        _refuse_aliases(text)
        loader = _Loader(text)
        data = loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark is not None and (error.problem or "").startswith("found undefined alias"):
            refused = _undefined_alias(text, mark)
            if refused is not None:
                raise refused from None
        line = mark.line + 1 if mark else 1
        # PyYAML's own words ("did not find expected ','") stay as PyYAML writes them.
        reason = error.problem or str(error)
        if error.context and error.problem:
            reason = f"{error.context}: {error.problem}"
        opened = error.context_mark
        if opened is not None and mark is not None and opened.line != mark.line:
            message = gettext_noop(
                "YAML syntax error: %(reason)s (the structure opened on line %(opened)s)",
                reason=reason,
                opened=opened.line + 1,
            )
        else:
            message = gettext_noop("YAML syntax error: %(reason)s", reason=reason)
        raise YamlError(line, message) from None
    except yaml.YAMLError as error:
        raise YamlError(
            1, gettext_noop("YAML syntax error: %(reason)s", reason=str(error))
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, loader.duplicates
