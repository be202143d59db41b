"""Showing a question and grading an answer, the same way in reviews, quizzes and exams.

Before an answer is graded, templates get only `PublicChoice` (an opaque key and the text): the
answer key and the rationales reach a page only in `Feedback`, after grading. The keys in a page
are HMACs of the authored key with the attempt's (or showing's) seed, so neither the HTML nor the
order of the values tells which position a choice had in the bank; `decode` maps a posted answer
back to authored keys, which is what is stored and graded.

Ordering and matching answers are lists of `slot=key` (`1=b`: step b in position 1;
`p2=m4`: prompt p2 paired with answer m4), posted as one select per position or prompt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from quizzes import i18n
from quizzes.costs import exercises
from quizzes.costs.answers import USD, AnswerFormatError, unit_example, unit_label
from quizzes.costs.text import Fixed, Money, phrase
from quizzes.models import Question
from quizzes.translatable import gettext_noop

from . import short_answers

NUMBER_WORDS = {
    1: pgettext_lazy("choose N answers", "one"),
    2: pgettext_lazy("choose N answers", "two"),
    3: pgettext_lazy("choose N answers", "three"),
    4: pgettext_lazy("choose N answers", "four"),
    5: pgettext_lazy("choose N answers", "five"),
    6: pgettext_lazy("choose N answers", "six"),
}
SLOTTED = (Question.Type.ORDERING, Question.Type.MATCHING)


class AnswerError(ValueError):
    """An answer that cannot be graded as it is (nothing chosen, gibberish): not a wrong mark."""


@dataclass(frozen=True)
class PublicChoice:
    key: str
    html: str
    checked: bool = False


@dataclass(frozen=True)
class Slot:
    """One select of an ordering (a position) or matching (a prompt) question."""

    key: str  # "3" for a position; an opaque token for a prompt
    label_html: str
    selected: str = ""  # the public key of the option chosen so far


@dataclass(frozen=True)
class FeedbackChoice:
    key: str
    html: str
    correct: bool
    selected: bool
    rationale_html: str


@dataclass(frozen=True)
class FeedbackRow:
    """Ordering or matching feedback: one position (or prompt), what was given, what is right."""

    label_html: str
    given_html: str
    right_html: str
    correct: bool


@dataclass
class Presented:
    """A question as the learner sees it before answering."""

    question: Question
    stem_html: str
    choices: list[PublicChoice] = field(default_factory=list)
    input: str = "radio"  # radio | checkbox | number | text | ordering | matching | none
    instruction: str = ""
    slots: list[Slot] = field(default_factory=list)
    unit_label: str = ""
    placeholder: str = ""
    choose: int = 1
    typed: str = ""  # a short answer typed so far (an exam item's saved answer)


@dataclass
class Feedback:
    correct: bool
    choices: list[FeedbackChoice] = field(default_factory=list)
    typed: str = ""
    expected: Decimal | None = None
    steps: tuple[str, ...] = ()
    expected_text: str = ""
    rows: list[FeedbackRow] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # a short answer's accepted answers
    rationale_html: str = ""  # the feedback of the accepted answer that matched
    hint: str = ""  # why a typed answer that looks right is not ("letter case counts")


def public_key(seed: str, key: str) -> str:
    """An opaque key for one authored key in one attempt or showing (keyed with SECRET_KEY)."""
    return salted_hmac("lambda-study.choice", f"{seed}:{key}").hexdigest()[:12]


def _role(choice: dict) -> str:
    return choice.get("role", "")


def choice_order(question: Question, seed: str) -> list[str]:
    """Choice keys in an order fixed by the seed: shuffled per attempt, stable across reloads."""
    keys = [choice["key"] for choice in question.choices]
    if question.type == Question.Type.TRUE_FALSE:
        return keys
    return sorted(keys, key=lambda k: hashlib.sha256(f"{seed}:{k}".encode()).hexdigest())


def decode(question: Question, seed: str, posted: list[str]) -> list[str]:
    """Posted public keys (or `slot=key` pairs) back to authored keys; unknown ones are dropped."""
    prompts = [c["key"] for c in question.choices if _role(c) == "prompt"]
    keys = [c["key"] for c in question.choices]
    return decode_keys(question.type, seed, keys, posted, prompts)


def decode_keys(
    qtype: str, seed: str, keys: list[str], posted: list[str], prompts: list[str] = ()
) -> list[str]:
    """`decode` from the authored keys alone (an exam item's `choice_order`), so an autosave need
    not read the question's rendered choices; `prompts` (the prompts' keys) matters for matching.
    """
    by_public = {public_key(seed, key): key for key in keys}
    if qtype not in SLOTTED:
        return [by_public[value] for value in dict.fromkeys(posted) if value in by_public]
    if qtype == Question.Type.ORDERING:
        slots = {str(n): str(n) for n in range(1, len(keys) + 1)}
    else:
        slots = {public_key(seed, key): key for key in prompts}
    answer: dict[str, str] = {}
    for value in posted:
        slot, _equals, public = str(value).partition("=")
        if slot in slots and public in by_public:
            answer[slots[slot]] = by_public[public]
    return [f"{slot}={key}" for slot, key in answer.items()]


def _slot_keys(question: Question, seed: str) -> dict[str, str]:
    """Public slot name -> authored slot: positions are plain numbers, prompts are opaque."""
    if question.type == Question.Type.ORDERING:
        return {str(n): str(n) for n in range(1, len(question.choices) + 1)}
    return {public_key(seed, c["key"]): c["key"] for c in question.choices if _role(c) == "prompt"}


def _pairs(selected: list[str]) -> dict[str, str]:
    return dict(value.partition("=")[::2] for value in selected if "=" in value)


def present(
    question: Question,
    seed: str,
    order: list[str] | None = None,
    selected: list[str] | tuple[str, ...] = (),
) -> Presented:
    """The public view of a question; `selected` (authored keys) marks what was chosen so far."""
    if question.type == Question.Type.FLASHCARD:
        return Presented(question, question.stem_html, input="none")
    if question.type == Question.Type.NUMERIC:
        exercise = exercises.Exercise.from_spec(question.exercise or {})
        values = exercises.draw(exercise, seed)
        units = i18n.unit_names(question)
        return Presented(
            question,
            exercises.render_stem(question.stem_html, values, i18n.stem_value),
            input="number",
            unit_label=i18n.translated(unit_label(exercise.unit), units),
            placeholder=i18n.translated(unit_example(exercise.unit), units),
        )
    if question.type == Question.Type.SHORT:
        # The accepted answers stay on the server: the page gets a text box only.
        typed = str(selected[0]) if selected else ""
        return Presented(question, question.stem_html, input="text", typed=typed)
    by_key = {choice["key"]: choice for choice in question.choices}
    order = [key for key in (order or choice_order(question, seed)) if key in by_key]
    chosen = set(selected)
    if question.type in SLOTTED:
        return _present_slotted(question, seed, order, by_key, _pairs(list(selected)))
    presented = Presented(
        question,
        question.stem_html,
        [PublicChoice(public_key(seed, key), by_key[key]["html"], key in chosen) for key in order],
        choose=question.choose,
    )
    if question.type == Question.Type.MULTIPLE:
        presented.input = "checkbox"
        instruction = _("Choose %(n)s.") % {"n": NUMBER_WORDS.get(question.choose, question.choose)}
        # Most stems already end "(Choose two.)", as AWS writes them: say it once.
        if instruction.lower() not in question.stem_html.lower():
            presented.instruction = instruction
    return presented


def _present_slotted(
    question: Question, seed: str, order: list[str], by_key: dict, pairs: dict[str, str]
) -> Presented:
    def chosen(slot: str) -> str:
        return public_key(seed, pairs[slot]) if slot in pairs else ""

    if question.type == Question.Type.ORDERING:
        options = [PublicChoice(public_key(seed, key), by_key[key]["html"]) for key in order]
        slots = [
            Slot(str(n), _("Step %(n)d") % {"n": n}, chosen(str(n)))
            for n in range(1, len(options) + 1)
        ]
        instruction = _("Put the steps in order: choose the step for each position.")
        kind = "ordering"
    else:
        options = [
            PublicChoice(public_key(seed, key), by_key[key]["html"])
            for key in order
            if _role(by_key[key]) == "answer"
        ]
        slots = [
            Slot(public_key(seed, key), by_key[key]["html"], chosen(key))
            for key in order
            if _role(by_key[key]) == "prompt"
        ]
        instruction = _("Match each item on the left with one answer.")
        if len(options) > len(slots):
            instruction += " " + _("Some answers are not used.")
        kind = "matching"
    return Presented(
        question, question.stem_html, options, input=kind, instruction=instruction, slots=slots
    )


def is_correct(question: Question, selected: list[str]) -> bool:
    """All or nothing, as AWS scores: every right choice and nothing else, every slot right."""
    if not selected:
        return False
    if question.type == Question.Type.SHORT:  # an exam stores the typed text as its answer
        return _short_match(question, str(selected[0])) is not None
    if question.type == Question.Type.ORDERING:
        right = {str(n): c["key"] for n, c in enumerate(question.choices, 1)}
        return _pairs(selected) == right
    if question.type == Question.Type.MATCHING:
        right = {c["key"]: c["match"] for c in question.choices if _role(c) == "prompt"}
        return _pairs(selected) == right
    right_keys = {choice["key"] for choice in question.choices if choice["correct"]}
    return set(selected) == right_keys


def feedback(question: Question, selected: list[str], order: list[str], correct: bool) -> Feedback:
    """The key against what was given, whatever it was (a half-answered question included)."""
    by_key = {choice["key"]: choice for choice in question.choices}
    if question.type == Question.Type.SHORT:
        return _short_feedback(question, str(selected[0]) if selected else "")
    if question.type in SLOTTED:
        return Feedback(correct=correct, rows=_rows(question, selected, order, by_key))
    return Feedback(
        correct=correct,
        choices=[
            FeedbackChoice(
                key=key,
                html=by_key[key]["html"],
                correct=by_key[key]["correct"],
                selected=key in selected,
                rationale_html=by_key[key]["rationale_html"],
            )
            for key in order
            if key in by_key
        ],
    )


def _rows(question: Question, selected: list[str], order: list[str], by_key: dict) -> list:
    pairs = _pairs(selected)

    def html(key: str | None) -> str:
        return by_key[key]["html"] if key in by_key else "<em>{}</em>".format(_("(none)"))

    if question.type == Question.Type.ORDERING:
        return [
            FeedbackRow(
                _("Step %(n)d") % {"n": n},
                html(pairs.get(str(n))),
                c["html"],
                pairs.get(str(n)) == c["key"],
            )
            for n, c in enumerate(question.choices, 1)
        ]
    prompts = [by_key[key] for key in order if key in by_key and _role(by_key[key]) == "prompt"]
    return [
        FeedbackRow(
            p["html"],
            html(pairs.get(p["key"])),
            html(p["match"]),
            pairs.get(p["key"]) == p["match"],
        )
        for p in prompts
    ]


# The forms of a dollar amount an error message offers (Spanish: "18,74; US$18,74 o 1 234,50").
DOLLAR_EXAMPLES = phrase(
    gettext_noop("%(plain)s, %(dollars)s or %(grouped)s"),
    plain=Decimal("18.74"),
    dollars=Money(Decimal("18.74")),
    grouped=Fixed(Decimal("1234.50")),
)


def format_error(error: AnswerFormatError, unit: str, units: dict[str, str]) -> str:
    """A typed answer that is not an amount, in the learner's language: the unit's message (with
    its own example, but for dollars), what is wrong when known, examples written its way."""
    message = i18n.translated(error.message, units)
    if error.hint:
        message += f" ({i18n.translated(error.hint, units)})"
    message = message[:1].upper() + message[1:]
    if unit != USD:
        return f"{message}."
    return _("%(message)s: for example %(example)s.") % {
        "message": message,
        "example": i18n.translated(DOLLAR_EXAMPLES),
    }


def grade(
    question: Question,
    seed: str,
    selected: list[str],
    typed: str = "",
    order=None,
    language: str | None = None,
) -> Feedback:
    """Grade all-or-nothing (authored keys); raise AnswerError for an answer not complete yet.

    `language`: how a typed number is read ("2,47" in Spanish); the active one unless given (a
    quiz item graded again reads its answer in the language it was typed in)."""
    if question.type == Question.Type.NUMERIC:
        exercise = exercises.Exercise.from_spec(question.exercise or {})
        values = exercises.draw(exercise, seed)
        units = i18n.unit_names(question)
        try:
            result = exercises.grade(
                exercise, values, typed, language or i18n.language(), tuple(units.values())
            )
        except AnswerFormatError as error:
            raise AnswerError(format_error(error, exercise.unit, units)) from None
        solution = result.solution or exercises.solve(exercise, values)
        return Feedback(
            result.correct,
            typed=typed.strip(),
            expected=result.expected,
            steps=i18n.translated_all(solution.steps, units, html=True),
            expected_text=i18n.translated(solution.text, units),
        )

    if question.type == Question.Type.SHORT:
        return grade_short(question, typed)
    order = order or choice_order(question, seed)
    if question.type in SLOTTED:
        slots = _slot_keys(question, seed)
        given = _pairs(selected)
        if len([s for s in slots.values() if s in given]) < len(slots):
            raise AnswerError(
                _("Choose an answer for every position first.")
                if question.type == Question.Type.ORDERING
                else _("Choose an answer for every item first.")
            )
        if question.type == Question.Type.ORDERING and len(set(given.values())) < len(given):
            raise AnswerError(_("Each step goes in one position: a step is chosen twice."))
        return feedback(question, selected, order, is_correct(question, selected))

    keys = {choice["key"] for choice in question.choices}
    chosen = [key for key in dict.fromkeys(selected) if key in keys]
    if not chosen:
        raise AnswerError(_("Choose an answer first."))
    if question.type == Question.Type.MULTIPLE and len(chosen) != question.choose:
        word = NUMBER_WORDS.get(question.choose, question.choose)
        raise AnswerError(
            _("Choose %(word)s answers (you chose %(n)d).") % {"word": word, "n": len(chosen)}
        )
    if question.type != Question.Type.MULTIPLE and len(chosen) != 1:
        raise AnswerError(_("Choose one answer."))
    return feedback(question, chosen, order, is_correct(question, chosen))


def _short_match(question: Question, typed: str) -> int | None:
    # In another language: its accepted texts first, then the English ones (`text_en`).
    choices = [c for c in question.choices if c.get("role") == "accepted"]
    accepted = [c["text"] for c in choices] + [c["text_en"] for c in choices if c.get("text_en")]
    case_sensitive = bool((question.exercise or {}).get("case_sensitive"))
    return short_answers.match(accepted, typed, case_sensitive=case_sensitive)


def _short_feedback(question: Question, typed: str) -> Feedback:
    accepted = [c for c in question.choices if c.get("role") == "accepted"]
    index = _short_match(question, typed)
    hint = ""
    if (
        index is None
        and short_answers.match([c["text"] for c in accepted], typed, case_sensitive=False)
        is not None
    ):
        hint = _("Letter case counts in this answer.")
    return Feedback(
        correct=index is not None,
        typed=typed or _("(no answer)"),
        accepted=[c["html"] for c in accepted],
        # An index past the list is an English answer accepted in another language.
        rationale_html=accepted[index % len(accepted)]["rationale_html"]
        if index is not None
        else "",
        hint=hint,
    )


def grade_short(question: Question, typed: str) -> Feedback:
    """A typed answer against the accepted ones (short_answers: case, spaces, wildcards)."""
    typed = typed.strip()
    if not typed:
        raise AnswerError(_("Type an answer first."))
    if len(typed) > short_answers.MAX_TYPED:
        raise AnswerError(
            _("An answer here is at most %(n)d characters.") % {"n": short_answers.MAX_TYPED}
        )
    return _short_feedback(question, typed)
