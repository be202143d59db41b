"""Moodle's embedded answers (Cloze): one text with several gaps such as `{1:MULTICHOICE:=a~b}`.

A learner here answers one question at a time, so each gap becomes its own question: the whole
text is its context, its own gap shown in bold as `**(1) _____**`, the others as `(2) _____`.
Multiple-choice, multiple-response, short-answer and numerical gaps convert; a text with any other
gap is refused whole, with the gap named, so no half of a question is imported. Pure Python.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quizzes.translatable import Message, gettext_noop

from .core import (
    Conversion,
    Skip,
    answer_grade,
    bank_choices,
    grade_problem,
    guess_unit,
    moodle_number,
    short_answers,
)
from .html import html_to_markdown, plain_text

_GAP = re.compile(r"\{(\d*):([A-Za-z_]+):((?:\\.|[^}\\])*)\}")
_KINDS = {
    **dict.fromkeys(("MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH",
                     "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS",
                     "MCHS"), "choice"),
    **dict.fromkeys(("MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_S", "MRS",
                     "MULTIRESPONSE_HS", "MRHS"), "choice"),
    **dict.fromkeys(("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"), "short"),
    **dict.fromkeys(("NUMERICAL", "NM"), "numeric"),
}  # fmt: skip
_TOKEN = "\ue100{}\ue101"


def _parts(body: str) -> list[tuple[float, str, str]]:
    """(grade %, answer, feedback) of a gap's `=right#fb~wrong~%50%half` answers."""
    out = []
    for part in re.split(r"(?<!\\)~", body):
        weight, part = answer_grade(part.strip())
        pieces = re.split(r"(?<!\\)#", part, maxsplit=1)
        answer, feedback = pieces[0], pieces[1] if len(pieces) > 1 else ""
        clean = [re.sub(r"\\(.)", r"\1", html_to_markdown(text)) for text in (answer, feedback)]
        out.append((weight, clean[0], clean[1]))
    problem = grade_problem(weight for weight, _, _ in out)
    if problem:
        raise Skip(problem)
    return out


def _choice_keys(kind: str, parts: list[tuple[float, str, str]]) -> tuple[str, dict]:
    multi = kind.startswith(("MULTIRESPONSE", "MR"))
    right = [weight > 0 if multi else weight >= 100 for weight, _, _ in parts]
    texts = [text for _, text, _ in parts]
    if len(texts) < 2 or len(set(texts)) != len(texts) or not all(texts):
        raise Skip(gettext_noop("a multiple-choice gap needs two or more different answers"))
    if not any(right) or all(right) or (not multi and sum(right) != 1):
        raise Skip(
            gettext_noop("a multiple-choice gap needs one right answer (or, multi-response, some)")
        )
    choices = bank_choices(
        (text, correct, feedback) for (_, text, feedback), correct in zip(parts, right, strict=True)
    )
    if sum(right) == 1:
        return "single", {"choices": choices}
    return "multiple", {"choose": sum(right), "choices": choices}


def _gap_unit(context: str, token: str, notes: list[Message]) -> str:
    """A numerical gap's unit: the word right after it ("after (1) _____ seconds"), else what
    the text asks for (`guess_unit`); either way marked as a guess."""
    after = re.match(r"\s*([A-Za-z%$][A-Za-z0-9%/-]{0,19})\b", context.partition(token)[2])
    if after and after.group(1).lower() not in ("and", "or", "of", "the", "to", "in", "is"):
        notes.append(
            gettext_noop(
                "unit '%(unit)s' guessed from the word after the gap: check it",
                unit=after.group(1),
            )
        )
        return after.group(1)
    return guess_unit(context.replace(token, "_____"), notes)


def _numeric_keys(parts, unit: str) -> tuple[str, dict]:
    right = [text for weight, text, _ in parts if weight >= 100]
    if len(right) != 1:
        raise Skip(gettext_noop("a numerical gap needs one fully right answer"))
    value, _, tolerance = right[0].partition(":")
    try:
        keys = {"answer": moodle_number(value), "tolerance": abs(moodle_number(tolerance or "0"))}
    except ValueError:
        raise Skip(
            gettext_noop("'%(value)s' in a numerical gap is not a number", value=right[0])
        ) from None
    return "numeric", {**keys, "unit": unit}


def cloze_questions(
    run: Conversion, element: ET.Element, texts, notes: list[Message]
) -> list[dict]:
    """One question per gap of a Cloze question, or Skip naming the gap that cannot convert."""
    text_element = element.find("questiontext")
    raw = (text_element.findtext("text") if text_element is not None else "") or ""
    gaps = list(_GAP.finditer(raw))
    if not gaps:
        raise Skip(
            gettext_noop("a Cloze question with no gap such as {1:MULTICHOICE:=right~wrong}")
        )
    for number, gap in enumerate(gaps, 1):
        if gap.group(2).upper() not in _KINDS:
            raise Skip(
                gettext_noop(
                    "gap %(n)s is of type %(kind)s, which has no equivalent here: the Cloze "
                    "question was not imported",
                    n=number,
                    kind=gap.group(2),
                )
            )
    numbers = iter(range(1, len(gaps) + 1))
    marked = _GAP.sub(lambda _: _TOKEN.format(next(numbers)), raw)
    lost: list[str] = []
    context = html_to_markdown(marked, run.media, lost)
    notes.extend(dict.fromkeys(lost))
    general = texts(element.find("generalfeedback"))
    name = plain_text(element.findtext("name/text") or "")
    idnumber = (element.findtext("idnumber") or "").strip()
    notes.append(
        gettext_noop(
            "a Cloze question with %(n)s gap(s): each gap is now its own question, with the "
            "whole text as its context",
            n=len(gaps),
        )
    )
    questions = []
    for number, gap in enumerate(gaps, 1):
        stem = context
        for other in range(1, len(gaps) + 1):
            blank = f"({other}) _____"
            stem = stem.replace(_TOKEN.format(other), f"**{blank}**" if other == number else blank)
        stem += f"\n\nWhat goes in blank ({number}) (of {len(gaps)})?"
        kind = gap.group(2).upper()
        parts = _parts(gap.group(3))
        if _KINDS[kind] == "choice":
            qtype, keys = _choice_keys(kind, parts)
        elif _KINDS[kind] == "numeric":
            qtype, keys = _numeric_keys(parts, _gap_unit(context, _TOKEN.format(number), notes))
        else:
            case_sensitive = kind in ("SHORTANSWER_C", "SAC", "MWC")
            accepted, other = short_answers(parts, notes, case_sensitive=case_sensitive)
            qtype, keys = "short", {"answers": accepted}
            if case_sensitive:
                keys["case_sensitive"] = True
        questions.append(run.question(
            notes, qtype=qtype, stem=stem, explanation=general, title=f"{name} gap {number}",
            idnumber=f"{idnumber}-gap-{number}" if idnumber else "", **keys,
        ))  # fmt: skip
    return questions
