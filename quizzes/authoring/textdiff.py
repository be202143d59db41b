"""What an upload changes in a question, field by field, with the changed words marked.

Pure (no Django): two authored specs in, a list of `FieldDiff` out, each with the old and new text
as HTML (escaped, with `<del>` and `<ins>` around the words that differ).
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from quizzes.translatable import Message, gettext_noop

# Keys shown as text first, in this order; others (tags, references, ...) follow by name.
TEXT_KEYS = ("stem", "front", "back", "choices", "steps", "pairs", "distractors", "answer",
             "explanation")  # fmt: skip


# What one entry of a list is called in a label ("choice 2 text"); other lists by their key.
ENTRY_NAMES = {
    "choices": gettext_noop("choice"),
    "steps": gettext_noop("step"),
    "pairs": gettext_noop("pair"),
}


@dataclass(frozen=True)
class FieldDiff:
    label: str  # a YAML key, or a Message naming an entry of a list
    old_html: str
    new_html: str


def _flatten(spec: dict) -> dict[str | Message, str]:
    """A question spec as labelled texts: `stem`, `choice 2 text`, `choice 2 rationale`, ..."""
    flat: dict[str | Message, str] = {}
    keys = [k for k in TEXT_KEYS if k in spec] + sorted(k for k in spec if k not in TEXT_KEYS)
    for key in keys:
        value = spec[key]
        if isinstance(value, list):
            entry = ENTRY_NAMES.get(key, key)
            for index, item in enumerate(value, 1):
                if isinstance(item, dict):
                    for name, text in item.items():
                        label = gettext_noop(
                            "%(entry)s %(n)s %(field)s", entry=entry, n=index, field=name
                        )
                        flat[label] = _text(text)
                else:
                    flat[gettext_noop("%(entry)s %(n)s", entry=entry, n=index)] = _text(item)
            if not value:
                flat[key] = ""
        else:
            flat[key] = _text(value)
    return flat


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value).strip()


def mark_words(old: str, new: str) -> tuple[str, str]:
    """Old and new as escaped HTML, the words only in old in <del>, only in new in <ins>.

    Compared word by word; runs of white space show as one space."""
    a, b = old.split(), new.split()
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = html.escape(" ".join(a[i1:i2])), html.escape(" ".join(b[j1:j2]))
        if op == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(f"<del>{before}</del>")
        if after:
            right.append(f"<ins>{after}</ins>")
    return " ".join(left), " ".join(right)


def spec_diff(old: dict, new: dict) -> list[FieldDiff]:
    """Every labelled text that differs between two specs, in reading order."""
    before, after = _flatten(old), _flatten(new)
    labels = list(after) + [label for label in before if label not in after]
    diffs = []
    for label in labels:
        if before.get(label, "") != after.get(label, ""):
            diffs.append(FieldDiff(label, *mark_words(before.get(label, ""), after.get(label, ""))))
    return diffs
