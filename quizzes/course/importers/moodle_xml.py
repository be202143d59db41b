"""Moodle XML to our bank format, and our banks back to Moodle XML.

Moodle XML is Moodle's main export format: a `<quiz>` of `<question type="...">` elements.
Converted: multichoice (one or several right answers), truefalse, shortanswer when its right
answer is a number (it becomes a numeric question), numerical (tolerance and units), matching,
and ordering (the qtype_ordering plugin: answers listed in the right order). Categories map to
topics (when a note has that topic) or to tags; `<tags>` become tags; general feedback becomes
the explanation and answer feedback the rationales. Anything else is listed with the reason.

The XML is parsed with the standard library after refusing any DOCTYPE, so no entity (internal
or external) is ever expanded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from decimal import Decimal

from . import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    NO_EXPLANATION_NOTE,
    PLACEHOLDER_EXPLANATION,
    Defaults,
    IdMaker,
    ImportResult,
    build_question,
    choice_problem,
    dump_bank,
    guess_unit,
    html_to_markdown,
    moodle_number,
    numeric_extra,
    slot_problem,
    slugify,
)

__all__ = ["ImportResult", "convert", "dump_bank", "export"]

SKIPPED_TYPES = {
    "essay": "essay questions cannot be marked",
    "description": "a description is text, not a question",
    "calculated": "calculated questions draw numbers by formula: write a cost exercise instead",
    "calculatedsimple": "calculated questions draw numbers by formula: write a cost exercise",
    "calculatedmulti": "calculated questions draw numbers by formula: write a cost exercise",
    "multianswer": "embedded (Cloze) questions hold several questions in one text",
    "ddwtos": "drag-and-drop into text has no equivalent",
    "gapselect": "select-missing-words questions have no equivalent",
    "randomsamatch": "random short-answer matching is drawn from other questions",
}
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class _Skip(Exception):
    """A question that cannot be converted; the message is the reason shown to the author."""


def convert(
    text: str,
    *,
    topic: str,
    id_prefix: str,
    difficulty: str = "medium",
    tags: Sequence[str] = DEFAULT_TAGS,
    reference: str = DEFAULT_REFERENCE,
    taken: Iterable[str] = (),
    topics: Sequence[str] = (),
) -> ImportResult:
    """Convert a Moodle XML file's text. `topics` are the course's topics: a category whose last
    part names one puts its questions in that topic; any other category becomes a tag."""
    defaults = Defaults.check(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference
    )
    result = ImportResult(topic=topic)
    if _DOCTYPE.search(text):
        result.skipped.append((1, "the file declares a DOCTYPE or entities, which are refused"))
        return result
    try:
        root = ET.fromstring(text.removeprefix("\ufeff").encode("utf-8"))
    except ET.ParseError as error:
        line = error.position[0] if error.position else 1
        result.skipped.append((line, f"not well-formed XML: {error}"))
        return result
    if root.tag != "quiz":
        result.skipped.append((1, f"a Moodle XML file starts with <quiz>, not <{root.tag}>"))
        return result
    lines = _question_lines(text)
    ids = IdMaker(id_prefix, taken)
    category_topic, category_tags = topic, ()
    position = 0
    for index, element in enumerate(root.findall("question")):
        line = lines[index] if index < len(lines) else 1
        qtype = element.get("type", "")
        if qtype == "category":
            category_topic, category_tags = _category(element, topic, topics)
            continue
        position += 1
        notes: list[str] = []
        try:
            question = _convert_one(
                element, qtype, position, ids, defaults, notes, category_topic, category_tags
            )
        except _Skip as skip:
            result.skipped.append((line, str(skip)))
            continue
        result.questions.append(question)
        result.notes.extend((line, note) for note in notes)
    return result


def _question_lines(text: str) -> list[int]:
    """The line of each `<question` tag, in order (ElementTree keeps no line numbers)."""
    return [text.count("\n", 0, match.start()) + 1 for match in re.finditer(r"<question\b", text)]


def _category(element: ET.Element, default: str, topics: Sequence[str]) -> tuple[str, tuple]:
    path = _text_of(element.find("category")) or ""
    parts = [part for part in path.split("/") if part and not part.startswith("$")]
    parts = [part for part in parts if part.lower() not in ("top", "default")]
    if not parts:
        return default, ()
    last = slugify(parts[-1], 60)
    if last in topics:
        return last, ()
    return default, (last,) if last else ()


def _text_of(element: ET.Element | None) -> str:
    """The `<text>` of an element (or its own text), stripped."""
    if element is None:
        return ""
    inner = element.find("text")
    value = inner.text if inner is not None else element.text
    return (value or "").strip()


def _markdown(element: ET.Element | None) -> str:
    """A Moodle text field as Markdown: HTML converted, other formats kept as written."""
    if element is None:
        return ""
    raw = _text_of(element)
    if element.get("format", "html") == "html":
        return html_to_markdown(raw)
    return raw


def _tags(element: ET.Element) -> tuple[str, ...]:
    tags = []
    for tag in element.findall("tags/tag"):
        slug = slugify(_text_of(tag), 60)
        if slug:
            tags.append(slug)
    return tuple(tags)


def _convert_one(
    element: ET.Element,
    qtype: str,
    position: int,
    ids: IdMaker,
    defaults: Defaults,
    notes: list[str],
    topic: str,
    category_tags: tuple[str, ...],
) -> dict:
    if qtype in SKIPPED_TYPES:
        raise _Skip(SKIPPED_TYPES[qtype])
    convert_type = _CONVERTERS.get(qtype)
    if convert_type is None:
        raise _Skip(f"the question type '{qtype}' has no equivalent")
    stem = _markdown(element.find("questiontext"))
    if not stem:
        raise _Skip("the question has no text")
    title = _text_of(element.find("name"))
    if title.startswith(f"{ids.prefix}-"):  # a bank exported from here: keep its ids
        title = title[len(ids.prefix) + 1 :]
    qtype_ours, keys = convert_type(element, stem, notes)
    explanation = _markdown(element.find("generalfeedback"))
    if not explanation:
        notes.append(NO_EXPLANATION_NOTE)
        explanation = PLACEHOLDER_EXPLANATION
    tags = category_tags + _tags(element)
    return build_question(
        defaults,
        ids.make(title, position),
        qtype_ours,
        stem,
        explanation,
        choices=keys.pop("choices", None),
        choose=keys.pop("choose", None),
        answer=keys.pop("answer_bool", None),
        extra=keys,
        topic=topic,
        tags=tags,
    )


def _answers(element: ET.Element) -> list[tuple[float, ET.Element]]:
    out = []
    for answer in element.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            fraction = 0.0
        out.append((fraction, answer))
    return out


def _multichoice(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    single = (_text_of(element.find("single")) or "true").lower() in ("true", "1")
    answers = _answers(element)
    texts = [_markdown(answer) for _, answer in answers]
    problem = choice_problem(texts)
    if problem:
        raise _Skip(problem)
    if single:
        right = [fraction >= 100 for fraction, _ in answers]
        if sum(right) != 1:
            raise _Skip(f"a one-answer question needs one 100% answer, this one has {sum(right)}")
        partial = [t for (f, _), t in zip(answers, texts, strict=True) if 0 < f < 100]
        if partial:
            notes.append(f"partial credit dropped, counted as wrong: {', '.join(partial)}")
    else:
        right = [fraction > 0 for fraction, _ in answers]
        if not any(right) or all(right):
            raise _Skip("the answers' grades leave nothing to choose between")
        if len({f for f, _ in answers if f > 0}) > 1:
            notes.append("the right answers had unequal grades; they now count all-or-nothing")
    choices = []
    for (_, answer), text, correct in zip(answers, texts, right, strict=True):
        choice: dict = {"text": text}
        if correct:
            choice["correct"] = True
        feedback = _markdown(answer.find("feedback"))
        if feedback:
            choice["rationale"] = feedback
        choices.append(choice)
    count = sum(right)
    if count == 1:
        return "single", {"choices": choices}
    return "multiple", {"choices": choices, "choose": count}


def _truefalse(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    for fraction, answer in _answers(element):
        if fraction >= 100:
            value = _text_of(answer).lower()
            if value in ("true", "false"):
                return "true_false", {"answer_bool": value == "true"}
    raise _Skip("a true/false question needs a 100% answer of 'true' or 'false'")


def _units(element: ET.Element, stem: str, notes: list[str]) -> str:
    for unit in element.findall("units/unit"):
        name = _text_of(unit.find("unit_name"))
        multiplier = _text_of(unit.find("multiplier")) or "1"
        if name and Decimal(multiplier) == 1:
            return name.strip() if name.strip() != "$" else "USD"
    return guess_unit(stem, notes)


def _numerical(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    answers = _answers(element)
    right = [answer for fraction, answer in answers if fraction >= 100]
    if len(right) != 1:
        raise _Skip(f"a numerical question needs one 100% answer, this one has {len(right)}")
    if len(answers) > 1:
        notes.append("other (partially right or wrong) answers dropped")
    try:
        value = moodle_number(_text_of(right[0]))
        tolerance = abs(moodle_number(_text_of(right[0].find("tolerance")) or "0"))
    except ValueError:
        raise _Skip(f"'{_text_of(right[0])}' is not a number") from None
    keys = numeric_extra(value, tolerance)
    unit = _units(element, stem, notes)
    if unit.upper() in ("USD", "$"):
        unit = "USD"
    keys["unit"] = unit
    return "numeric", keys


def _shortanswer(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    right = [answer for fraction, answer in _answers(element) if fraction >= 100]
    if len(right) == 1:
        try:
            value = moodle_number(_text_of(right[0]))
        except ValueError:
            value = None
        if value is not None:
            notes.append("a short-answer question with a number became a numeric question")
            return "numeric", {**numeric_extra(value, 0), "unit": guess_unit(stem, notes)}
    raise _Skip("short-answer questions with a text answer cannot be marked here")


def _matching(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        prompt = _markdown(sub)
        answer = _text_of(sub.find("answer"))
        if not answer:
            continue
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    problem = slot_problem("matching", len(pairs))
    texts = [p["prompt"] for p in pairs] + [p["answer"] for p in pairs] + distractors
    if not problem and len(set(texts)) != len(texts):
        problem = "two items or answers have the same text (each answer is used once here)"
    if problem:
        raise _Skip(problem)
    keys: dict = {"pairs": pairs}
    if distractors:
        keys["distractors"] = distractors
    return "matching", keys


def _ordering(element: ET.Element, stem: str, notes: list[str]) -> tuple[str, dict]:
    """The ordering plugin lists the answers in the right order (its fractions count up)."""
    answers = _answers(element)
    steps = [_markdown(answer) for _, answer in sorted(answers, key=lambda pair: pair[0])]
    problem = slot_problem("ordering", len(steps)) or choice_problem(steps)
    if problem:
        raise _Skip(problem)
    return "ordering", {"steps": steps}


_CONVERTERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "numerical": _numerical,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
}


# --- export -------------------------------------------------------------------------------------

_FRACTIONS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667"}


def export(questions: Sequence[dict]) -> tuple[str, list[tuple[str, str]]]:
    """Bank questions (as authored: the YAML dicts) as Moodle XML, plus (id, reason) for each
    question Moodle cannot hold (flashcards, randomised cost exercises). Text stays Markdown
    (Moodle's `markdown` format), so nothing is lost on the way back in."""
    root = ET.Element("quiz")
    skipped: list[tuple[str, str]] = []
    topic = None
    for question in questions:
        if question.get("topic") != topic:
            topic = question.get("topic")
            category = ET.SubElement(root, "question", type="category")
            ET.SubElement(
                ET.SubElement(category, "category"), "text"
            ).text = f"$course$/top/{topic}"
        element = _export_one(question)
        if isinstance(element, str):
            skipped.append((question.get("id", "?"), element))
            continue
        root.append(element)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", skipped


def _field(parent: ET.Element, name: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, {"format": "markdown", **attrs})
    ET.SubElement(element, "text").text = text
    return element


def _export_one(question: dict) -> ET.Element | str:
    qtype = question.get("type")
    kinds = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse",
             "numeric": "numerical", "matching": "matching", "ordering": "ordering"}  # fmt: skip
    if qtype == "flashcard":
        return "flashcards have no Moodle equivalent"
    if qtype == "numeric" and "variables" in question:
        return "randomised cost exercises draw their numbers here; Moodle cannot compute them"
    if qtype not in kinds:
        return f"type {qtype} has no Moodle equivalent"
    element = ET.Element("question", type=kinds[qtype])
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.get("id", "")
    _field(element, "questiontext", str(question.get("stem", "")))
    _field(element, "generalfeedback", str(question.get("explanation", "")))
    ET.SubElement(element, "defaultgrade").text = "1"
    if qtype in ("single", "multiple"):
        ET.SubElement(element, "single").text = "true" if qtype == "single" else "false"
        ET.SubElement(element, "shuffleanswers").text = "true"
        right = sum(1 for choice in question["choices"] if choice.get("correct"))
        for choice in question["choices"]:
            fraction = _FRACTIONS.get(right, "100") if choice.get("correct") else "0"
            if qtype == "multiple" and not choice.get("correct"):
                fraction = "-100"  # all or nothing, as here: a wrong tick costs everything
            answer = _field(element, "answer", str(choice["text"]), fraction=fraction)
            _field(answer, "feedback", str(choice.get("rationale", "")))
    elif qtype == "true_false":
        for value in ("true", "false"):
            fraction = "100" if question["answer"] is (value == "true") else "0"
            ET.SubElement(ET.SubElement(element, "answer", fraction=fraction), "text").text = value
    elif qtype == "numeric":
        if "range" in question:
            low, high = (
                Decimal(str(question["range"]["min"])),
                Decimal(str(question["range"]["max"])),
            )
            value, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value = Decimal(str(question["answer"]))
            raw = str(question.get("tolerance", 0)).strip()
            tolerance = (
                abs(value) * Decimal(raw.rstrip("%")) / 100 if raw.endswith("%") else Decimal(raw)
            )
        answer = ET.SubElement(element, "answer", fraction="100")
        ET.SubElement(answer, "text").text = format(value.normalize(), "f")
        ET.SubElement(answer, "tolerance").text = format(tolerance.normalize(), "f")
        units = ET.SubElement(element, "units")
        unit = ET.SubElement(units, "unit")
        ET.SubElement(unit, "multiplier").text = "1"
        ET.SubElement(unit, "unit_name").text = str(question.get("unit", "USD"))
    elif qtype == "matching":
        ET.SubElement(element, "shuffleanswers").text = "true"
        for pair in question["pairs"]:
            sub = _field(element, "subquestion", str(pair["prompt"]))
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = str(pair["answer"])
        for extra in question.get("distractors", []):
            sub = _field(element, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = str(extra)
    elif qtype == "ordering":
        for index, step in enumerate(question["steps"], 1):
            _field(element, "answer", str(step), fraction=str(index))
    tags = ET.SubElement(element, "tags")
    for tag in question.get("tags", []):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = str(tag)
    return element
