"""A language's glossary (`content/translations/<lang>/glossary.yaml`): the terms AWS uses.

Two checks keep a translated course reading like the AWS documentation in that language:

- **terms**: each English concept, the term to use and the terms not to use ("concurrencia
  reservada" where AWS writes "simultaneidad reservada"). A term to avoid found in a translation
  is reported with its file and line (`misuses`). Code spans, fenced code, URLs, AWS names of
  the keep list and a term's own `allow` phrases are not searched; an English gloss in
  parentheses right after the Spanish term ("tiempo de espera (timeout)") is allowed.
- **keep**: service, feature, API, metric and error names written as AWS writes them. Where the
  English text of a field has the name, its translation must have it too (`lost_names`). A name
  marked `code: true` is required only where the English writes it as code (`Invoke`), since
  elsewhere it is a common word ("Invoke the function").

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .bank import Checker, Problem
from .yamlsafe import LineDict, LineList, YamlError
from .yamlsafe import load as load_yaml

FILE = "glossary.yaml"

_FENCE = re.compile(r"(?ms)^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$")
_CODE = re.compile(r"`[^`\n]+`")
_URL = re.compile(r"https?://[^\s)>\]]+|\]\([^)\s]+\)")
_ANCHOR = re.compile(r"\{#[\w-]+\}")  # a heading's English anchor: `## ... {#timeout}`


@dataclass(frozen=True)
class Term:
    en: str
    use: str
    avoid: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Name:
    name: str
    code: bool = False  # required only where the English writes it as `code`


@dataclass(frozen=True)
class Misuse:
    """A term to avoid, found at `line` of a text (1-based, counted in the text searched)."""

    line: int
    found: str
    term: Term

    def message(self, language: str) -> str:
        return (
            f"{language}: glossary: '{self.found}' where the AWS documentation writes "
            f"'{self.term.use}' (for '{self.term.en}')"
        )


@dataclass(frozen=True)
class Glossary:
    language: str
    terms: tuple[Term, ...] = ()
    keep: tuple[Name, ...] = ()

    def misuses(self, text: str) -> list[Misuse]:
        """Each term to avoid in `text`, with its line, outside code, URLs and AWS names."""
        masked = self._masked(text)
        spans: dict[tuple[int, int], Misuse] = {}
        for term in self.terms:
            blanked = _blank(masked, (_phrase(p) for p in term.allow))
            for avoid in term.avoid:
                for match in _phrase(avoid).finditer(blanked):
                    if _glossed(blanked, match.start(), match.end()):
                        continue
                    line = text.count("\n", 0, match.start()) + 1
                    found = Misuse(line, text[match.start() : match.end()], term)
                    spans.setdefault(match.span(), found)
        return sorted(_widest(spans), key=lambda m: (m.line, m.found))

    def lost_names(self, english: str, text: str) -> list[str]:
        """The keep-list names the English has and the translation dropped or respelled."""
        lost = []
        for name in self.keep:
            pattern = _name(name.name)
            where = " ".join(_CODE.findall(english)) if name.code else _URL.sub(" ", english)
            if pattern.search(where) and not pattern.search(_URL.sub(" ", text)):
                lost.append(name.name)
        return lost

    def _masked(self, text: str) -> str:
        """The text with code, URLs and keep-list names blanked (same length, same lines)."""
        text = _blank(text, (_FENCE, _CODE, _URL, _ANCHOR))
        return _blank(text, (_name(name.name) for name in self.keep))


def _widest(spans: dict[tuple[int, int], Misuse]) -> list[Misuse]:
    """One warning per place: a term inside a wider one found at the same place is left out
    ('concurrencia' inside 'concurrencia reservada' names the same fault twice)."""
    return [
        misuse
        for (start, end), misuse in spans.items()
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
    ]


def _blank(text: str, patterns: Iterable[re.Pattern]) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return text


def _phrase(words: str) -> re.Pattern:
    """A phrase as a case-insensitive pattern: whole words, any spacing (a line may wrap it)."""
    parts = [re.escape(word) for word in words.split()]
    # Not inside an identifier either: `Runtime.ExitError`, `index.handler` are names, not prose.
    before, after = r"(?<![\w@-])(?<!\w\.)", r"(?![\w@-]|\.\w)"
    return re.compile(before + r"\s+".join(parts) + after, re.IGNORECASE)


def _name(name: str) -> re.Pattern:
    """An AWS name as written: case-sensitive, whole words, any spacing (a line may wrap it)."""
    parts = [re.escape(word) for word in name.split()]
    return re.compile(r"(?<![\w@])" + r"\s+".join(parts) + r"(?![\w@])")


def _glossed(text: str, start: int, end: int) -> bool:
    """`(timeout)` right after a term: an English gloss in parentheses, which is allowed."""
    return text[start - 1 : start] == "(" and text[end : end + 1] == ")"


def parse_glossary(shown: str, text: str, language: str) -> tuple[Glossary | None, list[Problem]]:
    checker = Checker(shown)
    try:
        data, duplicates = load_yaml(text)
    except YamlError as error:
        return None, [Problem(shown, error.line, error.message)]
    for dup in duplicates:
        checker.add(dup.line, f"key '{dup.key}' appears twice (first on line {dup.first_line})")
    if not isinstance(data, LineDict):
        checker.add(1, "a glossary is a mapping with 'terms' and 'keep'")
        return None, checker.problems
    checker.unknown_keys(data, ("terms", "keep"), "a glossary")
    terms = _terms(checker, data.get("terms"), data.line_of("terms") if "terms" in data else 1)
    keep = _keep(checker, data.get("keep"), data.line_of("keep") if "keep" in data else 1)
    if checker.problems:
        return None, checker.problems
    return Glossary(language, tuple(terms), tuple(keep)), []


def _words(checker: Checker, entry: LineDict, key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        checker.add(entry.line_of(key), f"'{key}' must be a list of terms")
        return ()
    return tuple(v.strip() for v in value)


def _terms(checker: Checker, raw: object, line: int) -> list[Term]:
    if raw is None:
        return []
    if not isinstance(raw, LineList):
        checker.add(line, "'terms' must be a list of {en, use, not}")
        return []
    terms = []
    for index, entry in enumerate(raw):
        where = raw.line_of(index)
        if not isinstance(entry, LineDict):
            checker.add(where, "a term is a mapping with 'en', 'use' and optionally 'not', 'allow'")
            continue
        checker.unknown_keys(entry, ("en", "use", "not", "allow"), "a glossary term")
        en = checker.text(entry, "en", required=True)
        use = checker.text(entry, "use", required=True)
        avoid = _words(checker, entry, "not")
        clash = [a for a in avoid if _phrase(a).search(use)]
        if clash:
            checker.add(where, f"'{en}': the term to use '{use}' contains '{clash[0]}' from 'not'")
        terms.append(Term(en, use, avoid, _words(checker, entry, "allow")))
    return terms


def _keep(checker: Checker, raw: object, line: int) -> list[Name]:
    if raw is None:
        return []
    if not isinstance(raw, LineList):
        checker.add(line, "'keep' must be a list of names")
        return []
    names = []
    for index, entry in enumerate(raw):
        if isinstance(entry, str) and entry.strip():
            names.append(Name(entry.strip()))
        elif isinstance(entry, LineDict) and isinstance(entry.get("name"), str):
            checker.unknown_keys(entry, ("name", "code"), "a kept name")
            names.append(Name(entry["name"].strip(), bool(entry.get("code", False))))
        else:
            checker.add(raw.line_of(index), "a kept name is text, or {name: ..., code: true}")
    return names


def read_glossary(root: Path, language: str, *, show=str) -> tuple[Glossary | None, list[Problem]]:
    """The language's glossary file, if it has one (no glossary: nothing is checked)."""
    path = root / FILE
    if not path.is_file():
        return None, []
    return parse_glossary(show(path), path.read_text(encoding="utf-8"), language)


def file_misuses(glossary: Glossary, text: str, *, yaml: bool) -> list[Misuse]:
    """Misuses in a whole translation file; in YAML, comment lines and hashes are not read."""
    if yaml:
        text = "\n".join(
            "" if line.lstrip().startswith("#") or line.lstrip().startswith("source:") else line
            for line in text.split("\n")
        )
    else:  # a note's front matter: only its title and summary are text
        text = re.sub(r"(?m)^source:.*$", "", text)
    return glossary.misuses(text)
