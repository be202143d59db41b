"""Gettext catalogues without GNU gettext: read a .po file, write the .mo Django loads.

`compile_translations` uses this, so `make install` and the test suite need no `msgfmt` on a
fresh machine; the checks the project asks of a catalogue (no fuzzy entry, no empty
translation, placeholders kept) read the same parse. Pure Python: no Django import.
"""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The id as the .mo file stores it: context, EOT, then the id (and the plural id)."""
        base = self.msgid + ("\x00" + self.msgid_plural if self.msgid_plural else "")
        return f"{self.msgctxt}\x04{base}" if self.msgctxt is not None else base

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")


def parse(text: str) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first; obsolete (#~) ones marked."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if target is not None:
                finish()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if target is not None and not obsolete:
                finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            if target is None:
                current.line = number
            current.obsolete = current.obsolete or obsolete
            value = ast.literal_eval(literal)
            if keyword == "msgstr":
                slot = int(index or 0)
                while len(current.msgstr) <= slot:
                    current.msgstr.append("")
                current.msgstr[slot] = value
                target = ("msgstr", slot)
            else:
                setattr(current, keyword, value)
                target = (keyword, 0)
            continue
        if line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            name, slot = target
            if name == "msgstr":
                current.msgstr[slot] += value
            else:
                setattr(current, name, getattr(current, name) + value)
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    """The live entries: not the header, not obsolete."""
    return [e for e in entries if (e.msgid or e.msgctxt) and not e.obsolete]


def mo_bytes(entries: list[Entry]) -> bytes:
    """A little-endian .mo file of the translated, non-fuzzy entries (and the header)."""
    pairs = sorted(
        (e.key.encode(), "\x00".join(e.msgstr).encode())
        for e in entries
        if not e.obsolete and (not e.msgid and not e.msgctxt or (e.translated and not e.fuzzy))
    )
    count = len(pairs)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables, blob = [], b""
    for column in (0, 1):
        table = []
        for pair in pairs:
            table.append((len(pair[column]), data_at + len(blob)))
            blob += pair[column] + b"\x00"
        tables.append(table)
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    index = b"".join(struct.pack("<2I", *cell) for table in tables for cell in table)
    return header + index + blob


def compile_file(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(parse(po.read_text(encoding="utf-8"))))
    return mo
