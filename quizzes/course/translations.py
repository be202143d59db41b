"""Course translations: files keyed by item id beside the English, checked against it.

A translation lives in its own file so that translators never edit the English banks and an
English edit never conflicts with a translation:

- `content/translations/<lang>/banks/<bank>.yaml`: per item id, the translated texts (stem,
  choices' text and rationale in the English order, explanation, a card's front and back, an
  ordering item's steps, a matching item's pairs and distractors) and `source`, the hash of the
  English texts it was translated from (`source_hash`), so an English edit makes it *stale*.
- `content/translations/<lang>/exams.yaml`: per exam blueprint slug, its `title`, `description`
  and `source` (the hash of the English title and description).
- `content/translations/<lang>/notes/<slug>.md`: the translated note, with the English note's
  section anchors kept on its headings (`## Tiempo de espera {#timeout}`), so links to a
  section and "go to note section" land in the same place whatever the language.
- `content/translations/<lang>/exams.yaml`: per blueprint slug, its title and description.
- `content/translations/<lang>/glossary.yaml`: the terms AWS uses in that language and the names
  kept in English; every file above is checked against it (quizzes/course/glossary.py).

The answer key, the choice count, the references, the tags and the exercise variables stay in
the English file: a translation carries only sentences, so one item keeps one id, one card and
one review history in every language. The checks (`check_translations`) report a translation
that changes the choice count, drops or adds a number or a placeholder, names an id that does
not exist or no longer matches its English. Missing translations are counted per language;
`REQUIRED_LANGUAGES` turns them into problems once a language ships complete (issue 28).

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import markup
from .bank import Checker, Choice, Problem, QuestionSpec, fingerprint, suggest
from .glossary import Glossary, file_misuses, read_glossary
from .notes import NoteSpec, parse_note
from .yamlsafe import LineDict, LineList, YamlError
from .yamlsafe import load as load_yaml

# Languages the course is translated into; each has `content/translations/<code>/`.
CONTENT_LANGUAGES = ("es",)
# "This language ships complete": a shipped item without its translation in a language listed here
# is a problem (check_content and load_content fail), not only a count. The course says it in its
# own `translations/languages.yaml` (`complete: [es]`), so a test's fixture course or an uploaded
# bank can be English only; this constant adds languages for every course (tests set it).
REQUIRED_LANGUAGES: frozenset[str] = frozenset()
FOLDER = "translations"
LANGUAGES_FILE = "languages.yaml"
SOURCE_LENGTH = 12  # hex digits of the English texts' hash kept in a translation

# What a learner sees for a true/false item's two answers, per language, and the mark under a
# note section not translated yet (content is rendered at load, outside any request's language).
TRUE_FALSE = {"es": ("Verdadero", "Falso")}
UNTRANSLATED_MARK = {"es": "Esta sección aún no está traducida: se muestra en inglés."}
PERMALINK_TITLE = {"es": "Enlace a esta sección"}  # the headings' "#" links ("Link here")

# Keys a translated item may carry, per question type ("source" in every one).
_TEXT_KEYS: dict[str, tuple[str, ...]] = {
    "single": ("stem", "choices", "explanation"),
    "multiple": ("stem", "choices", "explanation"),
    "true_false": ("stem", "explanation"),
    "flashcard": ("front", "back", "explanation"),
    "ordering": ("stem", "steps", "explanation"),
    "matching": ("stem", "pairs", "distractors", "explanation"),
    "numeric": ("stem", "explanation", "unit"),
    # Accepted answers as a learner types them in the language; the English ones stay accepted.
    "short": ("stem", "answers", "explanation"),
}
KINDS = {
    "questions": ("single", "multiple", "true_false", "ordering", "matching", "short"),
    "flashcards": ("flashcard",),
    "exercises": ("numeric",),
}
NOTE_KEYS = ("title", "summary", "source")

# A number as written in either language: 1,000 / 1.000 / 1 000, 0.20 / 0,20. Compared as its
# digits alone, so a translation may use its own separators but not change a figure.
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Finding:
    """A translation warning (stale, unknown id): `check_content --strict` fails on it."""

    path: str
    line: int
    message: str
    kind: str = "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class ItemTranslation:
    """One item's translated texts, in the English item's shape (choices in its order)."""

    uid: str
    language: str
    path: str
    line: int
    stem: str
    back: str
    explanation: str
    choices: tuple[tuple[str, str], ...]  # (text, rationale) per English choice, same order
    unit: str
    source: str
    stale: bool


@dataclass(frozen=True)
class NoteTranslation:
    topic: str
    language: str
    path: str
    title: str
    summary: str
    body: str
    source: str
    stale: bool
    sections: tuple[str, ...] = ()  # the English anchors of the sections translated
    of: int = 0  # the English note's sections

    @property
    def complete(self) -> bool:
        return len([s for s in self.sections if s]) >= self.of


@dataclass(frozen=True)
class ExamTranslation:
    """A blueprint's translated title and description (`translations/<lang>/exams.yaml`)."""

    slug: str
    path: str
    line: int
    title: str
    description: str
    source: str
    stale: bool


@dataclass
class LanguageSet:
    """Everything read for one language: items by id, notes by topic, and what was found."""

    language: str
    items: dict[str, ItemTranslation] = field(default_factory=dict)
    notes: dict[str, NoteTranslation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (done, of)
    glossary: Glossary | None = None
    exams: dict[str, ExamTranslation] = field(default_factory=dict)
    exams_of: int = 0  # the English blueprints, once `read_exams` has run
    required: bool = False  # ships complete: a missing translation is a problem

    def summary_line(self) -> str:
        parts = []
        for kind, (done, total) in self.coverage.items():
            parts.append(f"{kind} {done} of {total} ({_share(done, total)})")
        stale = sum(1 for f in self.findings if "stale" in f.message)
        return f"translation {self.language}: {', '.join(parts)}; {stale} stale"


def _share(done: int, total: int) -> str:
    """A whole percentage rounded down: 405 of 406 is 99%, never a '100%' that hides a gap."""
    return f"{done * 100 // total}%" if total else "-"


# --- The English side ------------------------------------------------------------------------


def source_texts(spec: QuestionSpec) -> dict:
    """The English texts a translation renders: what `source_hash` covers."""
    return {
        "stem": spec.stem,
        "back": spec.back,
        "explanation": spec.explanation,
        "choices": [[c.text, c.rationale] for c in spec.choices if spec.type != "true_false"],
        "unit": str((spec.exercise or {}).get("unit", "")),
    }


def source_hash(spec: QuestionSpec) -> str:
    return fingerprint(source_texts(spec))[:SOURCE_LENGTH]


def note_source_hash(note: NoteSpec) -> str:
    return fingerprint([note.title, note.summary, note.body])[:SOURCE_LENGTH]


def numbers(text: str) -> Counter:
    """The figures of a text as digit strings ("1,000" and "1.000" both "1000"); URLs left out."""
    text = _URL.sub(" ", text)
    return Counter(re.sub(r"\D", "", found) for found in _NUMBER.findall(text))


def placeholders(text: str) -> set[str]:
    """An exercise stem's `{variable}` slots: a translation keeps each one."""
    return set(_PLACEHOLDER.findall(text))


# --- Reading one language --------------------------------------------------------------------


def translation_root(content_dir: Path, language: str) -> Path:
    return content_dir / FOLDER / language


def declared_complete(content_dir: Path, *, show=str) -> tuple[frozenset[str], list[Problem]]:
    """The languages `translations/languages.yaml` says the course ships complete in."""
    path = content_dir / FOLDER / LANGUAGES_FILE
    if not path.is_file():
        return frozenset(), []
    try:
        data, _ = load_yaml(path.read_text(encoding="utf-8"))
    except YamlError as error:
        return frozenset(), [Problem(show(path), error.line, error.message)]
    complete = data.get("complete", []) if isinstance(data, dict) else None
    if not isinstance(complete, list) or not all(c in CONTENT_LANGUAGES for c in complete):
        known = ", ".join(CONTENT_LANGUAGES)
        return frozenset(), [
            Problem(show(path), 1, f"complete must be a list of course languages ({known})")
        ]
    return frozenset(complete), []


def read_language(
    content_dir: Path,
    language: str,
    english: Sequence[QuestionSpec],
    notes: Sequence[NoteSpec],
    *,
    show=str,
) -> LanguageSet:
    """Read and check every translation file of one language against the English course.

    `show` turns a path into the form messages print (relative to where the command ran).
    """
    found = LanguageSet(language)
    declared, problems = declared_complete(content_dir, show=show)
    found.problems.extend(problems)
    found.required = language in REQUIRED_LANGUAGES or language in declared
    root = translation_root(content_dir, language)
    found.glossary, problems = read_glossary(root, language, show=show)
    found.problems.extend(problems)
    by_uid = {spec.uid: spec for spec in english}
    for path in sorted((root / "banks").glob("*.y*ml")) if root.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        _read_bank(found, show(path), text, by_uid)
        _glossary_terms(found, show(path), text, yaml=True)
    notes_by_topic = {note.topic: note for note in notes}
    for path in sorted((root / "notes").glob("*.md")) if root.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        _read_note(found, show(path), text, notes_by_topic)
        _glossary_terms(found, show(path), text, yaml=False)
        if Path(path).stem in found.notes:
            _note_names(found, text, notes_by_topic[Path(path).stem])
    for uid, item in found.items.items():
        _item_names(found, by_uid[uid], item)
    _coverage(found, english, notes)
    return found


# --- The glossary: terms to avoid, AWS names to keep -----------------------------------------


def _glossary_terms(found: LanguageSet, shown: str, text: str, *, yaml: bool) -> None:
    if found.glossary is None:
        return
    for misuse in file_misuses(found.glossary, text, yaml=yaml):
        found.findings.append(Finding(shown, misuse.line, misuse.message(found.language)))


def _lost_names(found: LanguageSet, shown: str, line: int, where: str, english: str, text: str):
    if found.glossary is None or not text:
        return
    for name in found.glossary.lost_names(english, text):
        found.findings.append(
            Finding(shown, line, f"{found.language}: {where} drops the AWS name '{name}' that the "
                    "English has (keep it as AWS writes it)")
        )  # fmt: skip


def _item_names(found: LanguageSet, spec: QuestionSpec, item: ItemTranslation) -> None:
    """Each translated field keeps the AWS names of its English field (glossary `keep`)."""
    where = f"'{spec.uid}'"
    fields = [("stem", spec.stem, item.stem), ("back", spec.back, item.back),
              ("explanation", spec.explanation, item.explanation)]  # fmt: skip
    if spec.type != "true_false":
        for index, (choice, (text, rationale)) in enumerate(zip(spec.choices, item.choices,
                                                                strict=False)):  # fmt: skip
            fields.append((f"choice {index + 1}", choice.text, text))
            fields.append((f"choice {index + 1} rationale", choice.rationale, rationale))
    for label, english, text in fields:
        _lost_names(found, item.path, item.line, f"{where} {label}", english, text)


def _note_names(found: LanguageSet, text: str, note: NoteSpec) -> None:
    """Each translated note section keeps the AWS names of its English section."""
    translation = found.notes[note.topic]
    anchors = ["", *(anchor for anchor, _ in english_sections(note))]
    english = dict(zip(anchors, (body for _, body in split_sections(note.body)), strict=False))
    lines = text.split("\n")
    for head, body in split_sections(translation.body):
        match = _EXPLICIT_ID.search(head)
        anchor = match[1] if match else ""
        if anchor not in english or (not head and not body.strip()):
            continue
        line = next((n for n, t in enumerate(lines, 1) if head and t.strip() == head.strip()), 1)
        where = f"section '#{anchor}'" if anchor else "the note's introduction"
        _lost_names(found, translation.path, line, where, english[anchor], body)
    _lost_names(found, translation.path, 1, "the title", note.title, translation.title)
    _lost_names(found, translation.path, 1, "the summary", note.summary, translation.summary)


def _coverage(found: LanguageSet, english: Sequence[QuestionSpec], notes) -> None:
    required = found.required
    done = [found.notes[n.topic] for n in notes if n.topic in found.notes]
    found.coverage["notes"] = (sum(t.complete for t in done), len(notes))
    found.coverage["note sections"] = (
        sum(len([s for s in t.sections if s]) for t in done),
        sum(len(english_sections(n)) for n in notes),
    )
    for kind, types in KINDS.items():
        items = [spec for spec in english if spec.type in types]
        found.coverage[kind] = (sum(spec.uid in found.items for spec in items), len(items))
        if required:
            for spec in items:
                if spec.uid not in found.items:
                    found.problems.append(
                        Problem(spec.path, spec.line,
                                f"{found.language}: '{spec.uid}' has no translation")
                    )  # fmt: skip
    if required:
        for note in notes:
            if note.topic not in found.notes or not found.notes[note.topic].complete:
                found.problems.append(
                    Problem(note.path, 1, f"{found.language}: the note has no translation")
                )


def _keyed_file(
    found: LanguageSet, checker: Checker, text: str, *, key: str, shape: str
) -> LineDict | None:
    """A translation file's mapping (id or slug -> texts), or None after saying why it is not one:
    a YAML error, or not a mapping. A key given twice is reported and the file still read."""
    try:
        data, duplicates = load_yaml(text)
    except YamlError as error:
        found.problems.append(Problem(checker.path, error.line, error.message))
        return None
    for dup in duplicates:
        checker.add(
            dup.line, f"{key} '{dup.key}' is translated twice (first on line {dup.first_line})"
        )
    if not isinstance(data, LineDict):
        checker.add(1, shape)
        found.problems.extend(checker.problems)
        return None
    return data


def _read_bank(found: LanguageSet, shown: str, text: str, by_uid: dict) -> None:
    checker = Checker(shown)
    data = _keyed_file(
        found, checker, text, key="id",
        shape="a translation file is a mapping of item ids to their translated texts",
    )  # fmt: skip
    if data is None:
        return
    for uid, entry in data.items():
        line = data.line_of(uid)
        spec = by_uid.get(uid)
        if spec is None:
            found.findings.append(
                Finding(shown, line, f"{found.language}: no item has the id '{uid}'"
                        f"{suggest(uid, by_uid)}; remove or rename this translation")
            )  # fmt: skip
            continue
        if not isinstance(entry, LineDict):
            checker.add(line, f"'{uid}' must be a mapping of translated texts (stem, choices, ...)")
            continue
        item = _read_item(checker, found.language, spec, entry)
        if item is not None:
            found.items[uid] = item
            if item.stale:
                found.findings.append(
                    Finding(shown, line, f"{found.language}: stale translation of '{uid}': the "
                            f"English changed since it was translated (source {item.source}, "
                            f"now {source_hash(spec)})")
                )  # fmt: skip
    found.problems.extend(checker.problems)


def _read_item(
    checker: Checker, language: str, spec: QuestionSpec, entry: LineDict
) -> ItemTranslation | None:
    before = len(checker.problems)
    where = f"{language}: '{spec.uid}'"
    allowed = (*_TEXT_KEYS[spec.type], "source")
    for key in entry:
        if key not in allowed:
            extra = (
                " (the answer key stays in the English file)"
                if key in ("correct", "answer", "choose")
                else suggest(key, allowed)
            )
            checker.add(entry.line_of(key), f"{where}: '{key}' cannot be translated here{extra}")
    source = checker.text(entry, "source", required=True)
    texts = {}
    for key in ("stem", "front", "back", "explanation", "unit"):
        if key in allowed:
            english = _english_field(spec, key)
            texts[key] = checker.text(entry, key, required=bool(english))
            if texts[key] and not english:
                checker.add(entry.line_of(key), f"{where}: '{key}' is not in the English item")
            _same_figures(checker, entry.line_of(key), where, key, english, texts[key])
    choices = _read_choices(checker, where, spec, entry)
    if spec.type == "numeric":
        missing = placeholders(spec.stem) - placeholders(texts.get("stem", ""))
        extra = placeholders(texts.get("stem", "")) - placeholders(spec.stem)
        for name in sorted(missing):
            checker.add(entry.line_of("stem"), f"{where}: the stem lost the placeholder {{{name}}}")
        for name in sorted(extra):
            checker.add(entry.line_of("stem"), f"{where}: unknown placeholder {{{name}}}")
    if len(checker.problems) > before:
        return None
    return ItemTranslation(
        uid=spec.uid,
        language=language,
        path=checker.path,
        line=entry.line,
        stem=texts.get("front") or texts.get("stem", ""),
        back=texts.get("back", ""),
        explanation=texts.get("explanation", ""),
        choices=choices,
        unit=texts.get("unit", ""),
        source=source,
        stale=source != source_hash(spec),
    )


def _english_field(spec: QuestionSpec, key: str) -> str:
    if key in ("stem", "front"):
        return spec.stem
    if key == "unit":
        return str((spec.exercise or {}).get("unit", ""))
    return getattr(spec, key)


def _same_figures(checker: Checker, line: int, where: str, key: str, english: str, text: str):
    if not text or not english:
        return
    lost = numbers(english) - numbers(text)
    added = numbers(text) - numbers(english)
    if lost or added:
        parts = []
        if lost:
            parts.append("drops " + ", ".join(sorted(lost.elements())))
        if added:
            parts.append("adds " + ", ".join(sorted(added.elements())))
        checker.add(
            line, f"{where}: the translated {key} {' and '.join(parts)} (figures must match)"
        )


def _read_choices(
    checker: Checker, where: str, spec: QuestionSpec, entry: LineDict
) -> tuple[tuple[str, str], ...]:
    """The translated choices, in the English choices' order: choices, steps, or pairs then
    distractors (a matching item's prompts, then its answers, as the English `choices`)."""
    if spec.type in ("single", "multiple"):
        raw = _entries(checker, where, entry, "choices", spec.choices, ("text", "rationale"))
        return tuple(raw)
    if spec.type == "short":
        return tuple(
            _entries(checker, where, entry, "answers", spec.choices, ("text", "rationale"))
        )
    if spec.type == "ordering":
        return tuple(_entries(checker, where, entry, "steps", spec.choices, None))
    if spec.type == "matching":
        prompts = [c for c in spec.choices if c.role == "prompt"]
        answers = [c for c in spec.choices if c.role == "answer"]
        pairs = _entries(checker, where, entry, "pairs", prompts, ("prompt", "answer"),
                         english_pair=answers)  # fmt: skip
        distractors = _entries(checker, where, entry, "distractors", answers[len(prompts) :], None)
        return (
            tuple((prompt, "") for prompt, _ in pairs)
            + tuple((answer, "") for _, answer in pairs)
            + tuple(distractors)
        )
    return ()


def _entries(
    checker: Checker,
    where: str,
    entry: LineDict,
    key: str,
    english: Sequence[Choice],
    fields: tuple[str, str] | None,
    english_pair: Sequence[Choice] = (),
) -> list[tuple[str, str]]:
    """A list of translated entries, one per English one (text, second text)."""
    raw = entry.get(key)
    if raw is None:
        if english:
            checker.add(entry.line, f"{where}: missing '{key}' ({len(english)} in the English)")
        return []
    if not isinstance(raw, LineList):
        checker.add(entry.line_of(key), f"{where}: '{key}' must be a list")
        return []
    if len(raw) != len(english):
        checker.add(
            entry.line_of(key),
            f"{where}: {len(raw)} {key} where the English has {len(english)} "
            "(same count, same order)",
        )
        return []
    found: list[tuple[str, str]] = []
    for index, (value, choice) in enumerate(zip(raw, english, strict=True)):
        line = raw.line_of(index)
        label = f"{where}: {key} {index + 1}"
        if fields is None:
            text = str(value).strip() if isinstance(value, (str, int, float)) else ""
            if not text:
                checker.add(line, f"{label} must be text")
            _same_figures(checker, line, label, "text", choice.text, text)
            found.append((text, ""))
            continue
        if not isinstance(value, LineDict):
            checker.add(line, f"{label} must be a mapping with '{fields[0]}'")
            continue
        if "correct" in value:
            checker.add(value.line_of("correct"),
                        f"{label}: 'correct' cannot be translated (the answer key stays in the "
                        "English file)")  # fmt: skip
        checker.unknown_keys(value, (*fields, "correct"), f"{label}")
        first = checker.text(value, fields[0], required=True)
        english_second = english_pair[index].text if english_pair else choice.rationale
        second = checker.text(value, fields[1], required=bool(english_second))
        if second and not english_second:
            checker.add(value.line_of(fields[1]), f"{label}: the English has no {fields[1]}")
        _same_figures(checker, line, label, fields[0], choice.text, first)
        _same_figures(checker, line, label, fields[1], english_second, second)
        found.append((first, second))
    return found


def split_sections(body: str) -> list[tuple[str, str]]:
    """A note's body as (heading line, text) per `## ` section, outside code fences; the text
    before the first heading is the section with an empty heading."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    fence = ""
    for line in body.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            mark = stripped[:3]
            fence = "" if fence == mark else (fence or mark)
        if not fence and line.startswith("## "):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return [(head, "\n".join(lines)) for head, lines in sections]


_EXPLICIT_ID = re.compile(r"\{#([\w-]+)\}\s*$")
_H3 = re.compile(r"(?m)^### .*$")
_ANCHORS = re.compile(r"(?m)\{#[\w-]+\}[ \t]*$")  # every heading's anchor, h2 and h3


def english_sections(note: NoteSpec) -> list[tuple[str, list[str]]]:
    """The English note's sections: (h2 anchor, its h3 anchors), as the site renders them."""
    md = markup.Renderer()._note.reset()
    md.convert(markup.EXERCISE_FENCE.sub("", note.body))
    return [(t["id"], [c["id"] for c in t["children"]]) for t in md.toc_tokens if t["level"] == 2]


def _read_note(found: LanguageSet, shown: str, text: str, english: dict[str, NoteSpec]) -> None:
    """A translated note: front matter `title`, `summary`, `source`, then any of the English
    note's `## ` sections, each heading with the English anchor (`## Límites {#limits}`) and its
    `### ` headings likewise. Sections not translated yet are shown in English (see `merged`)."""
    checker = Checker(shown)
    slug = Path(shown).stem
    note = english.get(slug)
    if note is None:
        found.findings.append(
            Finding(shown, 1, f"{found.language}: no note has the topic '{slug}'"
                    f"{suggest(slug, english)}; the file name is the English note's")
        )  # fmt: skip
        return
    # Parse as a note, with topic and order lent by the English so the parser's checks apply.
    meta_source = _front_matter_value(text, "source")
    lent = re.sub(r"(?m)^source:.*$", f"topic: {note.topic}", text, count=1)
    lent = lent.replace("\n---", f"\norder: {note.order}\n---", 1)
    parsed, problems = parse_note(shown, lent)
    if problems or parsed is None:
        found.problems.extend(problems)
        return
    if not meta_source:
        checker.add(1, f"{found.language}: missing 'source' in the front matter")
    body_line = parsed.body_line - 1
    wanted = dict(english_sections(note))
    english_texts = (text for _, text in split_sections(note.body))
    english_parts = dict(zip(["", *wanted], english_texts, strict=False))
    sections: dict[str, str] = {}
    line = body_line
    for head, section in split_sections(parsed.body):
        where = f"{found.language}: section '{head[3:].strip()}'"
        anchor = ""
        if head:
            match = _EXPLICIT_ID.search(head)
            anchor = match[1] if match else ""
            if not match:
                checker.add(line, f"{where} needs the English section's anchor, as in "
                            "'## Título {#anchor}'")  # fmt: skip
            elif anchor not in wanted:
                checker.add(line, f"{where}: the English note has no section '#{anchor}' "
                            f"(known: {', '.join(wanted)})")  # fmt: skip
            elif anchor in sections:
                checker.add(line, f"{where}: '#{anchor}' is translated twice")
            else:
                subs = [_EXPLICIT_ID.search(h) for h in _H3.findall(section)]
                if [m[1] if m else "" for m in subs] != wanted[anchor]:
                    need = ", ".join("#" + a for a in wanted[anchor]) or "(none)"
                    checker.add(line, f"{where}: its ### headings need the English anchors {need}")
        english_text = english_parts.get(anchor, "")
        if anchor or section.strip():
            _same_extras(checker, line, where, english_text, section)
            _same_figures(checker, line, where, "text", english_text, _ANCHORS.sub("", section))
            sections[anchor] = head + "\n" + section if head else section
        line += section.count("\n") + (1 if head else 0)
    found.problems.extend(checker.problems)
    if checker.problems:
        return
    current = note_source_hash(note)
    translation = NoteTranslation(
        topic=note.topic, language=found.language, path=shown, title=parsed.title,
        summary=parsed.summary, body=parsed.body, source=meta_source, stale=meta_source != current,
        sections=tuple(sections), of=len(wanted),
    )  # fmt: skip
    found.notes[note.topic] = translation
    if translation.stale:
        found.findings.append(
            Finding(shown, 1, f"{found.language}: stale translation of the note '{note.topic}': "
                    f"the English changed since (source {meta_source}, now {current})")
        )  # fmt: skip


def _same_extras(checker: Checker, line: int, where: str, english: str, text: str) -> None:
    """A translated section embeds the same exercises and links to the same notes."""
    if sorted(u for u, _ in markup.exercise_ids(english)) != sorted(
        u for u, _ in markup.exercise_ids(text)
    ):
        checker.add(line, f"{where}: its embedded exercises differ from the English section's")
    if sorted(s for s, _ in markup.note_links(english)) != sorted(
        s for s, _ in markup.note_links(text)
    ):
        checker.add(line, f"{where}: its links to other notes differ from the English section's")


def merged(note: NoteSpec, translation: NoteTranslation) -> tuple[str, list[str]]:
    """The body a learner reads in the translation's language: each translated section, and the
    English one where there is none yet; with the anchors of the sections left in English."""
    english = split_sections(note.body)
    anchors = ["", *(anchor for anchor, _ in english_sections(note))]
    translated = dict(split_sections(translation.body))
    by_anchor = {}
    for head, text in translated.items():
        if not head and not text.strip():
            continue
        match = _EXPLICIT_ID.search(head)
        by_anchor[match[1] if match else ""] = head + "\n" + text if head else text
    parts, untranslated = [], []
    for anchor, (head, text) in zip(anchors, english, strict=False):
        if anchor in by_anchor:
            parts.append(by_anchor[anchor])
        else:
            if anchor:
                untranslated.append(anchor)
            parts.append(head + "\n" + text if head else text)
    return "\n".join(parts), untranslated


def _front_matter_value(text: str, key: str) -> str:
    match = re.search(rf"(?m)^{key}:\s*(\S+)\s*$", text.split("\n---", 1)[0])
    return match[1].strip("'\"") if match else ""


# --- Exam blueprints: title and description ------------------------------------------------

EXAMS_FILE = "exams.yaml"


def exam_source_hash(title: str, description: str) -> str:
    return fingerprint([title, description])[:SOURCE_LENGTH]


def read_exams(found: LanguageSet, content_dir: Path, blueprints: Sequence, *, show=str) -> None:
    """Read `translations/<lang>/exams.yaml`: per blueprint slug, `source` (the hash of the
    English title and description), `title` and `description`; checked like an item (unknown
    slug and stale are warnings, a changed figure is a problem) and counted as "exams"."""
    by_slug = {spec.slug: spec for spec in blueprints}
    found.exams_of = len(by_slug)
    path = translation_root(content_dir, found.language) / EXAMS_FILE
    if path.is_file():
        shown = show(path)
        text = path.read_text(encoding="utf-8")
        _read_exams_file(found, shown, text, by_slug)
        _glossary_terms(found, shown, text, yaml=True)
    if by_slug:
        found.coverage["exams"] = (len(found.exams), len(by_slug))
    if found.required:
        for slug, spec in by_slug.items():
            if slug not in found.exams:
                found.problems.append(Problem(spec.path, 1, f"{found.language}: the exam "
                                              f"'{slug}' has no translated title"))  # fmt: skip


def _read_exams_file(found: LanguageSet, shown: str, text: str, by_slug: dict) -> None:
    checker = Checker(shown)
    data = _keyed_file(
        found, checker, text, key="exam",
        shape="exams.yaml is a mapping of blueprint slugs to title and description",
    )  # fmt: skip
    if data is None:
        return
    for slug, entry in data.items():
        line = data.line_of(slug)
        spec = by_slug.get(slug)
        if spec is None:
            found.findings.append(
                Finding(
                    shown,
                    line,
                    f"{found.language}: no exam blueprint has "
                    f"the slug '{slug}'{suggest(slug, by_slug)}",
                )
            )
            continue
        if not isinstance(entry, LineDict):
            checker.add(line, f"'{slug}' must be a mapping of source, title and description")
            continue
        before = len(checker.problems)
        where = f"{found.language}: exam '{slug}'"
        checker.unknown_keys(entry, ("source", "title", "description"), where)
        source = checker.text(entry, "source", required=True)
        title = checker.text(entry, "title", required=True)
        description = checker.text(entry, "description", required=bool(spec.description))
        _same_figures(checker, entry.line_of("title"), where, "title", spec.title, title)
        _same_figures(checker, entry.line_of("description"), where, "description",
                      spec.description, description)  # fmt: skip
        if len(checker.problems) > before:
            continue
        current = exam_source_hash(spec.title, spec.description)
        found.exams[slug] = ExamTranslation(slug, shown, line, title, description, source,
                                            stale=source != current)  # fmt: skip
        if source != current:
            found.findings.append(
                Finding(
                    shown,
                    line,
                    f"{where}: stale translation: the English "
                    f"changed since (source {source}, now {current})",
                )
            )
        for label, english, translated in (
            ("title", spec.title, title),
            ("description", spec.description, description),
        ):
            _lost_names(found, shown, line, f"exam '{slug}' {label}", english, translated)
    found.problems.extend(checker.problems)


def exams_stub(blueprints: Iterable) -> str:
    """`exams.yaml` to fill in: each blueprint's English title and description and hash."""
    out = ["# Translate title and description; keep every figure. Leave `source` as it is."]
    for spec in blueprints:
        out.append(f"{spec.slug}:")
        out.append(f"  source: {exam_source_hash(spec.title, spec.description)}")
        out += _block("title", spec.title, 2)
        if spec.description:
            out += _block("description", spec.description, 2)
        out.append("")
    return "\n".join(out)


# --- Using a translation ---------------------------------------------------------------------


def translated_spec(spec: QuestionSpec, item: ItemTranslation) -> QuestionSpec:
    """The English item with the translated texts: the same id, key, tags and references
    (for the linter and the loader)."""
    if spec.type == "true_false":
        choices = spec.choices
    else:
        choices = tuple(
            replace(choice, text=text, rationale=rationale)
            for choice, (text, rationale) in zip(spec.choices, item.choices, strict=True)
        )
    return replace(
        spec, stem=item.stem, back=item.back, explanation=item.explanation, choices=choices,
        path=item.path, line=item.line,
    )  # fmt: skip


def translated_specs(english: Iterable[QuestionSpec], found: LanguageSet) -> list[QuestionSpec]:
    return [
        translated_spec(spec, found.items[spec.uid]) for spec in english if spec.uid in found.items
    ]


# --- A translator's starting point -----------------------------------------------------------


def stub(specs: Iterable[QuestionSpec]) -> str:
    """A translation file to fill in: each item's English texts and its current `source` hash.

    Written as YAML by hand (block scalars) so the English reads as in the banks.
    """
    out = [
        "# Translate the texts below; keep ids, the order and the count of choices, every figure",
        "# and {placeholder}. `source` is the hash of the English translated: leave it as it is.",
    ]
    for spec in specs:
        out.append(f"{spec.uid}:")
        out.append(f"  source: {source_hash(spec)}")
        first = "front" if spec.type == "flashcard" else "stem"
        out += _block(first, spec.stem, 2)
        if spec.type == "flashcard":
            out += _block("back", spec.back, 2)
        if spec.type in ("single", "multiple"):
            out.append("  choices:")
            for choice in spec.choices:
                out += _block("text", choice.text, 6, bullet=True)
                if choice.rationale:
                    out += _block("rationale", choice.rationale, 6)
        elif spec.type == "ordering":
            out.append("  steps:")
            out += [f"    - {_scalar(c.text)}" for c in spec.choices]
        elif spec.type == "matching":
            prompts = [c for c in spec.choices if c.role == "prompt"]
            answers = [c for c in spec.choices if c.role == "answer"]
            out.append("  pairs:")
            for prompt, answer in zip(prompts, answers, strict=False):
                out.append(f"    - prompt: {_scalar(prompt.text)}")
                out.append(f"      answer: {_scalar(answer.text)}")
            if answers[len(prompts) :]:
                out.append("  distractors:")
                out += [f"    - {_scalar(c.text)}" for c in answers[len(prompts) :]]
        if spec.explanation:
            out += _block("explanation", spec.explanation, 2)
        if spec.type == "numeric" and (spec.exercise or {}).get("unit"):
            out.append(f"  unit: {_scalar(str(spec.exercise['unit']))}")
        out.append("")
    return "\n".join(out)


def _scalar(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(key: str, text: str, indent: int, *, bullet: bool = False) -> list[str]:
    pad = " " * indent
    head = f"{' ' * (indent - 2)}- {key}:" if bullet else f"{pad}{key}:"
    if "\n" not in text.strip():
        return [f"{head} {_scalar(text)}"]
    return [f"{head} |"] + [f"{pad}  {line}" if line else "" for line in text.strip().split("\n")]
