"""Moodle XML to our bank format, and our banks back to Moodle XML.

Moodle XML is Moodle's main export format: a `<quiz>` of `<question type="...">` elements.
Converted: multichoice (one or several right answers), truefalse (its feedback joins the
explanation), shortanswer (our `short` type; a number answer becomes a numeric question),
numerical (tolerance and units), matching, ordering (the qtype_ordering plugin: answers listed in
the right order) and Cloze (each gap its own question, the text around it as context).
Categories map to topics (when a note has that topic) or to tags; `<tags>` become tags,
`<idnumber>` the id; general feedback becomes the explanation and answer feedback the rationales;
images in `<file>` payloads are kept as course files. Anything else is listed with the reason.

The XML is parsed with the standard library after refusing any DOCTYPE, so no entity (internal
or external) is ever expanded. Line numbers come from one pass over the text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from quizzes.translatable import Message, figure, gettext_noop

from .core import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    NO_TEXT,
    OTHER_FEEDBACK,
    SAME_TEXTS,
    TRUE_FALSE_FEEDBACK,
    Conversion,
    ImportResult,
    Skip,
    bank_choices,
    choice_problem,
    grade_problem,
    guess_unit,
    join_references,
    moodle_number,
    numeric_extra,
    short_answers,
    slot_problem,
    slugify,
    yaml_scalar,
)
from .html import html_to_markdown, plain_text
from .output import dump_bank

__all__ = ["ImportResult", "convert", "dump_bank", "export"]

CALCULATED = gettext_noop("calculated questions draw numbers by formula: write a cost exercise")
SKIPPED_TYPES = {
    "essay": gettext_noop("essay questions cannot be marked"),
    "description": gettext_noop("a description is text, not a question"),
    "calculated": gettext_noop(
        "calculated questions draw numbers by formula: write a cost exercise instead"
    ),
    "calculatedsimple": CALCULATED,
    "calculatedmulti": CALCULATED,
    "ddwtos": gettext_noop("drag-and-drop into text has no equivalent"),
    "gapselect": gettext_noop("select-missing-words questions have no equivalent"),
    "randomsamatch": gettext_noop("random short-answer matching is drawn from other questions"),
}
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_QUESTION_TAG = re.compile(r"<question\b")
_COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


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
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Convert a Moodle XML file's text. `topics` are the course's topics: a category whose last
    part names one puts its questions in that topic; any other category becomes a tag."""
    run = Conversion.start(
        topic=topic, id_prefix=id_prefix, difficulty=difficulty, tags=tags, reference=reference,
        topics=topics, taken=taken, progress=progress,
    )  # fmt: skip
    result = run.result
    if _DOCTYPE.search(text):
        result.skipped.append(
            (1, gettext_noop("the file declares a DOCTYPE or entities, which are refused"))
        )
        return run.finish()
    try:
        root = ET.fromstring(text.removeprefix("\ufeff").encode("utf-8"))
    except ET.ParseError as error:
        line = error.position[0] if error.position else 1
        result.skipped.append((line, gettext_noop("not well-formed XML: %(error)s", error=error)))
        return run.finish()
    if root.tag != "quiz":
        result.skipped.append(
            (1, gettext_noop("a Moodle XML file starts with <quiz>, not <%(tag)s>", tag=root.tag))
        )
        return run.finish()
    lines = _question_lines(text)
    for index, element in enumerate(root.findall("question")):
        line = lines[index] if index < len(lines) else 1
        qtype = element.get("type", "")
        if qtype == "category":
            run.enter_category(_text_of(element.find("category")))
            continue
        run.add(line, lambda notes, e=element, t=qtype: _convert_one(run, e, t, notes))
    return run.finish()


def _question_lines(text: str) -> list[int]:
    """The line of each `<question` tag, in order (ElementTree keeps no line numbers): one pass,
    counting only the newlines since the previous tag."""
    lines, line, last = [], 1, 0
    for match in _QUESTION_TAG.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        lines.append(line)
    return lines


def _text_of(element: ET.Element | None) -> str:
    """The `<text>` of an element (or its own text), stripped."""
    if element is None:
        return ""
    inner = element.find("text")
    value = inner.text if inner is not None else element.text
    return (value or "").strip()


class _Texts:
    """Moodle text fields of one question as Markdown; its `<file>` payloads are the images its
    HTML may show, and what cannot be kept goes to `notes`."""

    def __init__(self, run: Conversion, element: ET.Element, notes: list[Message]) -> None:
        self.run, self.notes = run, notes
        run.media.payloads = {
            file.get("name", ""): file.text or ""
            for file in element.iter("file")
            if file.get("encoding", "base64") == "base64"
        }

    def __call__(self, element: ET.Element | None) -> str:
        if element is None:
            return ""
        if element.get("format", "html") != "html":
            inner = element.find("text")
            raw = (inner.text if inner is not None else element.text) or ""
            text = raw.strip()
            # A Markdown text's last line break (YAML's `|` keeps one) comes back as written.
            if text and raw.endswith("\n") and not raw[:1].isspace():
                text += "\n"
            return text
        raw = _text_of(element)
        lost: list[Message] = []
        text = html_to_markdown(raw, self.run.media, lost)
        self.notes.extend(dict.fromkeys(lost))
        return text


def _tags(element: ET.Element) -> list[str]:
    return [slug for tag in element.findall("tags/tag") if (slug := slugify(_text_of(tag), 60))]


def _convert_one(run: Conversion, element: ET.Element, qtype: str, notes: list[Message]):
    if qtype in SKIPPED_TYPES:
        raise Skip(SKIPPED_TYPES[qtype])
    texts = _Texts(run, element, notes)
    if qtype in ("cloze", "multianswer"):
        from .cloze import cloze_questions

        return cloze_questions(run, element, texts, notes)
    convert_type = _CONVERTERS.get(qtype)
    if convert_type is None:
        raise Skip(gettext_noop("the question type '%(type)s' has no equivalent", type=qtype))
    stem = texts(element.find("questiontext"))
    if not stem:
        raise Skip(NO_TEXT)
    qtype_ours, keys = convert_type(element, stem, texts, notes)
    explanation = "\n\n".join(
        part for part in (texts(element.find("generalfeedback")), keys.pop("feedback", "")) if part
    )
    for name in _COMBINED:
        said = texts(element.find(name))
        if said:
            notes.append(
                gettext_noop(
                    "the %(name)s '%(said)s' was dropped: the explanation is shown to everyone",
                    name=name,
                    said=said,
                )
            )
    hints = [texts(hint) for hint in element.findall("hint")]
    if any(hints):
        notes.append(
            gettext_noop(
                "%(n)s hint(s) dropped: questions here have no hints", n=sum(map(bool, hints))
            )
        )
    return run.question(
        notes, qtype=qtype_ours, stem=stem, explanation=explanation,
        title=plain_text(_text_of(element.find("name"))),
        idnumber=_text_of(element.find("idnumber")), tags=_tags(element), **keys,
    )  # fmt: skip


def _answers(element: ET.Element) -> list[tuple[float, ET.Element]]:
    out = []
    for answer in element.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            raise Skip(
                gettext_noop("the grade '%(grade)s' is not a number", grade=answer.get("fraction"))
            ) from None
        out.append((fraction, answer))
    problem = grade_problem(fraction for fraction, _ in out)
    if problem:
        raise Skip(problem)
    return out


def _multichoice(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    single = (_text_of(element.find("single")) or "true").lower() in ("true", "1")
    answers = _answers(element)
    choice_texts = [texts(answer) for _, answer in answers]
    problem = choice_problem(choice_texts)
    if problem:
        raise Skip(problem)
    if single:
        right = [fraction >= 100 for fraction, _ in answers]
        if sum(right) != 1:
            raise Skip(
                gettext_noop(
                    "a one-answer question needs one 100%% answer, this one has %(count)s",
                    count=sum(right),
                )
            )
        partial = [t for (f, _), t in zip(answers, choice_texts, strict=True) if 0 < f < 100]
        if partial:
            notes.append(
                gettext_noop(
                    "partial credit dropped, counted as wrong: %(answers)s", answers=partial
                )
            )
    else:
        right = [fraction > 0 for fraction, _ in answers]
        if not any(right) or all(right):
            raise Skip(gettext_noop("the answers' grades leave nothing to choose between"))
        if len({f for f, _ in answers if f > 0}) > 1:
            notes.append(
                gettext_noop("the right answers had unequal grades; they now count all-or-nothing")
            )
    choices = bank_choices(
        (yaml_scalar(text), correct, texts(answer.find("feedback")))
        for (_, answer), text, correct in zip(answers, choice_texts, right, strict=True)
    )
    count = sum(right)
    if count == 1:
        return "single", {"choices": choices}
    return "multiple", {"choose": count, "choices": choices}


def _truefalse(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    answers = _answers(element)
    for fraction, answer in answers:
        if fraction >= 100:
            value = _text_of(answer).lower()
            if value in ("true", "false"):
                said = [texts(other.find("feedback")) for _, other in answers]
                said = list(dict.fromkeys(part for part in said if part))
                if said:
                    notes.append(TRUE_FALSE_FEEDBACK)
                return "true_false", {"answer": value == "true", "feedback": "\n\n".join(said)}
    raise Skip(gettext_noop("a true/false question needs a 100% answer of 'true' or 'false'"))


def _units(element: ET.Element, stem: str, notes: list[Message]) -> str:
    for unit in element.findall("units/unit"):
        name = _text_of(unit.find("unit_name"))
        multiplier = _text_of(unit.find("multiplier")) or "1"
        if name and Decimal(multiplier) == 1:
            return name.strip() if name.strip() != "$" else "USD"
    return guess_unit(stem, notes)


def _numerical(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    answers = _answers(element)
    right = [answer for fraction, answer in answers if fraction >= 100]
    if len(right) != 1:
        raise Skip(
            gettext_noop(
                "a numerical question needs one 100%% answer, this one has %(count)s",
                count=len(right),
            )
        )
    other = ""
    for fraction, answer in answers:
        if answer is right[0]:
            continue
        if _text_of(answer) == "*" and fraction <= 0:
            other = texts(answer.find("feedback"))
        else:
            notes.append(
                gettext_noop(
                    "the answer '%(text)s' (%(grade)s%%) was dropped",
                    text=_text_of(answer),
                    grade=figure(f"{fraction:g}"),
                )
            )
    try:
        value = moodle_number(_text_of(right[0]))
        tolerance = abs(moodle_number(_text_of(right[0].find("tolerance")) or "0"))
    except ValueError:
        raise Skip(gettext_noop("'%(value)s' is not a number", value=_text_of(right[0]))) from None
    keys = numeric_extra(value, tolerance)
    unit = _units(element, stem, notes)
    keys["unit"] = "USD" if unit.upper() in ("USD", "$") else unit
    feedback = "\n\n".join(p for p in (texts(right[0].find("feedback")), other) if p)
    if other:
        notes.append(OTHER_FEEDBACK)
    return "numeric", {**keys, "feedback": feedback}


def _shortanswer(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    answers = _answers(element)
    right = [answer for fraction, answer in answers if fraction >= 100]
    if len(right) == 1 and len(answers) == 1:
        try:
            value = moodle_number(_text_of(right[0]))
        except ValueError:
            value = None
        if value is not None:
            notes.append(
                gettext_noop("a short-answer question with a number became a numeric question")
            )
            return "numeric", {**numeric_extra(value, 0), "unit": guess_unit(stem, notes)}
    weighted = [
        (fraction, _text_of(answer), texts(answer.find("feedback"))) for fraction, answer in answers
    ]
    case_sensitive = (_text_of(element.find("usecase")) or "0") in ("1", "true")
    accepted, other = short_answers(weighted, notes, case_sensitive=case_sensitive)
    keys: dict = {"answers": accepted}
    if case_sensitive:
        keys["case_sensitive"] = True
    if other:
        notes.append(OTHER_FEEDBACK)
        keys["feedback"] = other
    return "short", keys


def _matching(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    pairs, distractors = [], []
    for sub in element.findall("subquestion"):
        prompt = texts(sub)
        answer = _text_of(sub.find("answer"))
        if not answer:
            continue
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    problem = slot_problem("matching", len(pairs))
    all_texts = [p["prompt"] for p in pairs] + [p["answer"] for p in pairs] + distractors
    if not problem and len(set(all_texts)) != len(all_texts):
        problem = SAME_TEXTS
    if problem:
        raise Skip(problem)
    return "matching", {"pairs": pairs, "distractors": distractors or None}


def _ordering(element: ET.Element, stem: str, texts: _Texts, notes: list[Message]):
    """The ordering plugin lists the answers in the right order (its fractions count up)."""
    answers = []
    for answer in element.findall("answer"):
        try:
            answers.append((float(answer.get("fraction", "0")), answer))
        except ValueError:
            raise Skip(
                gettext_noop(
                    "the position '%(position)s' is not a number", position=answer.get("fraction")
                )
            ) from None
    steps = [texts(answer) for _, answer in sorted(answers, key=lambda pair: pair[0])]
    problem = slot_problem("ordering", len(steps)) or choice_problem(steps)
    if problem:
        raise Skip(problem)
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
             "numeric": "numerical", "matching": "matching", "ordering": "ordering",
             "short": "shortanswer"}  # fmt: skip
    if qtype == "flashcard":
        return "flashcards have no Moodle equivalent"
    if qtype == "numeric" and "variables" in question:
        return "randomised cost exercises draw their numbers here; Moodle cannot compute them"
    if qtype not in kinds:
        return f"type {qtype} has no Moodle equivalent"
    element = ET.Element("question", type=kinds[qtype])
    ET.SubElement(ET.SubElement(element, "name"), "text").text = question.get("id", "")
    _field(element, "questiontext", str(question.get("stem", "")))
    # Moodle has no references: they travel as the feedback's last lines (read back on import).
    feedback = join_references(str(question.get("explanation", "")), question.get("references", []))
    _field(element, "generalfeedback", feedback)
    ET.SubElement(element, "defaultgrade").text = "1"
    ET.SubElement(element, "idnumber").text = question.get("id", "")
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
    elif qtype == "short":
        ET.SubElement(element, "usecase").text = "1" if question.get("case_sensitive") else "0"
        for accepted in question["answers"]:
            answer = _field(element, "answer", str(accepted["text"]), fraction="100")
            answer.set("format", "moodle_auto_format")
            _field(answer, "feedback", str(accepted.get("rationale", "")))
    elif qtype == "ordering":
        for index, step in enumerate(question["steps"], 1):
            _field(element, "answer", str(step), fraction=str(index))
    tags = ET.SubElement(element, "tags")
    # Moodle has no difficulty: it travels as a tag (read back on import).
    for tag in [*question.get("tags", []), f"difficulty-{question.get('difficulty', 'medium')}"]:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = str(tag)
    return element
