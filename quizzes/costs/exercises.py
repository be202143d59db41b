"""Numeric questions (`type: numeric`): drawing numbers, checking specs, solving, grading.

Most are randomised cost exercises; a numeric question without `variables` has one fixed answer
(with a tolerance) or accepts a `range`, like Moodle's numerical question. Every one has a `unit`
(USD, requests, GB-s, ...) that labels the input, parses the answer and formats the feedback.

Numbers are drawn per attempt from the ranges an author declares and the answer always comes from
the pricing engine (or a safe expression), never from a hand-written figure. `check_exercise`
runs the engine on every corner of every range so a broken exercise fails at load time, not in
front of a learner.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import itertools
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from types import MappingProxyType

from quizzes.translatable import Message, gettext_noop

from .answers import USD, Tolerance, format_amount, parse_amount, unit_problem
from .expressions import ExpressionError, evaluate, names
from .numbers import fmt_number
from .pricing import EDGE_LINE_KEYS, LINE_KEYS, Breakdown, estimate
from .text import Code, Fixed, Joined, Label, Money, Price, phrase
from .usage import PricingError, Usage, coerce_input

Value = Decimal | int | str | bool
Problem = tuple[tuple[str, ...], str]

ENGINE_INPUTS = tuple(spec.name for spec in fields(Usage))
REQUIRED_INPUTS = ("requests", "duration_ms", "memory_mb")
RESULT_KEYS = ("total", *LINE_KEYS, *EDGE_LINE_KEYS)
MAX_COMBINATIONS = 4096
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RANGE_KEYS = ("min", "max", "step")


class ExerciseError(ValueError):
    """A spec that cannot be used; `problems` lists every (key path, message)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class Variable:
    """A number drawn per attempt: `min + k × step` up to `max`, or one of `choices`."""

    name: str
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    step: Decimal | int | None = None
    choices: tuple[Value, ...] = ()

    @property
    def count(self) -> int:
        if self.choices:
            return len(self.choices)
        return int((self.maximum - self.minimum) / self.step) + 1

    def corners(self) -> tuple[Value, ...]:
        """Every choice, or the two ends of the range."""
        if self.choices:
            return tuple(dict.fromkeys(self.choices))
        return tuple(dict.fromkeys((self.minimum, self.maximum)))

    def draw(self, rng: random.Random) -> Value:
        if self.choices:
            return rng.choice(self.choices)
        return self.minimum + rng.randrange(self.count) * self.step


@dataclass(frozen=True)
class Exercise:
    """A checked numeric exercise: its variables and either engine inputs or an expression."""

    variables: tuple[Variable, ...]
    cost: Mapping[str, tuple[str, object]] | None  # input -> ("var", name) or ("literal", value)
    result: str
    answer: str | None
    tolerance: Tolerance
    unit: str = USD
    range: tuple[Decimal, Decimal] | None = None  # any answer from min to max counts

    @classmethod
    def from_spec(cls, spec: Mapping) -> Exercise:
        """Build from a question's parsed YAML; raises ExerciseError listing every problem."""
        exercise, problems = _parse(spec)
        if exercise is None:
            raise ExerciseError(problems)
        return exercise


@dataclass(frozen=True)
class Solution:
    """The expected answer and the worked steps shown after an attempt (`Message`s: a page
    translates them)."""

    answer: Decimal
    breakdown: Breakdown | None
    steps: tuple[Message, ...]
    # the answer as shown: `$18.74`, `25,000 GB-s`, `any value from 128 to 10,240 MB`
    text: Message = phrase("")


@dataclass(frozen=True)
class Grade:
    """One typed answer judged against the expected one, within the exercise's tolerance."""

    correct: bool
    given: Decimal
    expected: Decimal
    solution: Solution | None = None


# --- reading a spec -------------------------------------------------------------------------


def _suggest(word: str, options: Sequence[str]) -> Message | str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return gettext_noop("; did you mean %(word)s?", word=repr(close[0])) if close else ""


def _said(error: Exception) -> Message | str:
    """What an error says, as the Message it was raised with when it was."""
    first = error.args[0] if error.args else ""
    return first if isinstance(first, Message) else str(error)


def _number(value: object) -> Decimal | int | None:
    """An int stays an int; floats and numeric strings become exact Decimals; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not isinstance(value, float | Decimal | str) or not number.is_finite():
        return None
    return number


def _choice(value: object) -> Value | None:
    if isinstance(value, bool | str):
        return value
    number = _number(value)
    return number if number is not None and not isinstance(value, str) else None


def _parse_variable(name: str, spec: object, problems: list[Problem]) -> Variable | None:
    path = ("variables", str(name))
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(
            (
                path,
                gettext_noop(
                    "variable name %(name)s must be lower-case letters, digits and _",
                    name=repr(name),
                ),
            )
        )
        return None
    usage = gettext_noop(
        "variable %(name)s must be {min, max, step} or {choices: [...]}", name=repr(name)
    )
    if not isinstance(spec, Mapping):
        problems.append((path, usage))
        return None
    for key in spec:
        if key not in ("choices", *_RANGE_KEYS):
            hint = _suggest(str(key), ["choices", *_RANGE_KEYS])
            problems.append(
                (
                    (*path, str(key)),
                    gettext_noop(
                        "unknown key %(key)s in variable %(name)s%(hint)s",
                        key=repr(key),
                        name=repr(name),
                        hint=hint,
                    ),
                )
            )
    if "choices" in spec:
        if any(key in spec for key in _RANGE_KEYS):
            problems.append(
                (
                    path,
                    gettext_noop(
                        "variable %(name)s: give either choices or min/max/step", name=repr(name)
                    ),
                )
            )
            return None
        return _parse_choices(name, spec["choices"], problems)
    if "min" not in spec or "max" not in spec:
        problems.append((path, usage))
        return None
    return _parse_range(name, spec, problems)


def _parse_choices(name: str, raw: object, problems: list[Problem]) -> Variable | None:
    path = ("variables", name, "choices")
    if not isinstance(raw, list) or not raw:
        problems.append(
            (
                path,
                gettext_noop(
                    "variable %(name)s: choices must be a non-empty list", name=repr(name)
                ),
            )
        )
        return None
    choices = []
    for index, item in enumerate(raw, 1):
        value = _choice(item)
        if value is None:
            problems.append(
                (
                    path,
                    gettext_noop(
                        "variable %(name)s: choice %(index)s must be a number, a word or "
                        "true/false, got %(value)s",
                        name=repr(name),
                        index=index,
                        value=repr(item),
                    ),
                )
            )
            return None
        choices.append(value)
    return Variable(name, choices=tuple(choices))


def _parse_range(name: str, spec: Mapping, problems: list[Problem]) -> Variable | None:
    values: dict[str, Decimal | int] = {}
    for key in _RANGE_KEYS:
        if key == "step" and "step" not in spec:
            continue
        number = _number(spec[key])
        if number is None:
            problems.append(
                (
                    ("variables", name, key),
                    gettext_noop(
                        "variable %(name)s: %(key)s must be a number, got %(value)s",
                        name=repr(name),
                        key=key,
                        value=repr(spec[key]),
                    ),
                )
            )
            return None
        values[key] = number
    low, high = values["min"], values["max"]
    step = values.get("step")
    if step is None:
        if not (isinstance(low, int) and isinstance(high, int)):
            problems.append(
                (
                    ("variables", name),
                    gettext_noop(
                        "variable %(name)s: a decimal range needs a step", name=repr(name)
                    ),
                )
            )
            return None
        step = 1
    if low > high:
        problems.append(
            (
                ("variables", name, "min"),
                gettext_noop(
                    "variable %(name)s: min (%(low)s) is more than max (%(high)s)",
                    name=repr(name),
                    low=fmt_number(low),
                    high=fmt_number(high),
                ),
            )
        )
        return None
    if step <= 0:
        problems.append(
            (
                ("variables", name, "step"),
                gettext_noop(
                    "variable %(name)s: step must be more than 0, got %(step)s",
                    name=repr(name),
                    step=fmt_number(step),
                ),
            )
        )
        return None
    if (high - low) % step:
        problems.append(
            (
                ("variables", name, "step"),
                gettext_noop(
                    "variable %(name)s: step %(step)s does not divide the range "
                    "%(low)s to %(high)s evenly",
                    name=repr(name),
                    step=fmt_number(step),
                    low=fmt_number(low),
                    high=fmt_number(high),
                ),
            )
        )
        return None
    if not all(isinstance(v, int) for v in (low, high, step)):
        low, high, step = Decimal(low), Decimal(high), Decimal(step)
    return Variable(name, low, high, step)


def _parse_variables(raw: object, problems: list[Problem]) -> tuple[Variable, ...]:
    if raw is None:
        problems.append(
            (
                ("variables",),
                gettext_noop(
                    "variables is missing: an exercise draws its numbers from at least one variable"
                ),
            )
        )
        return ()
    if not isinstance(raw, Mapping) or not raw:
        problems.append(
            (("variables",), gettext_noop("variables must be a non-empty mapping of names"))
        )
        return ()
    parsed = (_parse_variable(name, spec, problems) for name, spec in raw.items())
    return tuple(variable for variable in parsed if variable is not None)


def _parse_cost(
    raw: object, variables: Sequence[str], problems: list[Problem]
) -> tuple[dict[str, tuple[str, object]], str]:
    if not isinstance(raw, Mapping) or not raw:
        problems.append(
            (("cost",), gettext_noop("cost must be a mapping of the pricing engine's inputs"))
        )
        return {}, "total"
    cost: dict[str, tuple[str, object]] = {}
    for key, value in raw.items():
        key = str(key)
        if key == "result":
            continue
        if key not in ENGINE_INPUTS:
            problems.append(
                (
                    ("cost", key),
                    gettext_noop(
                        "unknown engine input %(key)s in cost%(hint)s",
                        key=repr(key),
                        hint=_suggest(key, ENGINE_INPUTS),
                    ),
                )
            )
            continue
        if isinstance(value, str) and value in variables:
            cost[key] = ("var", value)
            continue
        try:
            cost[key] = ("literal", coerce_input(key, value))
        except PricingError as error:
            message = _said(error)
            if isinstance(value, str) and _NAME.fullmatch(value):
                message = gettext_noop(
                    "%(error)s; %(value)s is not a variable either (defined: %(defined)s)%(hint)s",
                    error=message,
                    value=repr(value),
                    defined=list(variables) or gettext_noop("none"),
                    hint=_suggest(value, variables),
                )
            problems.append((("cost", key), message))
    for key in REQUIRED_INPUTS:
        if key not in raw:
            problems.append((("cost",), gettext_noop("cost is missing %(key)s", key=key)))
    return cost, _parse_result(raw.get("result", "total"), cost, problems)


def _parse_result(result: object, cost: Mapping, problems: list[Problem]) -> str:
    edge = cost.get("edge")
    keys: tuple[str, ...] = RESULT_KEYS
    if edge is None or edge == ("literal", False):
        keys = ("total", *LINE_KEYS)
    elif edge == ("literal", True):
        keys = ("total", *EDGE_LINE_KEYS)
    if not isinstance(result, str) or result not in keys:
        problems.append(
            (
                ("cost", "result"),
                gettext_noop(
                    "result must be one of %(keys)s, got %(value)s%(hint)s",
                    keys=list(keys),
                    value=repr(result),
                    hint=_suggest(str(result), keys),
                ),
            )
        )
        return "total"
    return result


def _parse_answer(raw: object, variables: Sequence[str], problems: list[Problem]) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        problems.append(
            (
                ("answer",),
                gettext_noop(
                    "answer must be an arithmetic expression, got %(value)s", value=repr(raw)
                ),
            )
        )
        return None
    expr = str(raw)
    try:
        used = names(expr)
    except ExpressionError as error:
        problems.append((("answer",), _said(error)))
        return None
    for name in sorted(used - set(variables)):
        problems.append(
            (
                ("answer",),
                gettext_noop(
                    "answer uses %(name)s, which is not a variable%(hint)s",
                    name=repr(name),
                    hint=_suggest(name, variables),
                ),
            )
        )
    return expr


def _parse(spec: Mapping) -> tuple[Exercise | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(spec, Mapping):
        return None, [((), gettext_noop("an exercise must be a mapping"))]
    fixed = "variables" not in spec
    variables = () if fixed else _parse_variables(spec.get("variables"), problems)
    declared = (
        [str(name) for name in spec.get("variables") or {}]
        if isinstance(spec.get("variables"), Mapping)
        else []
    )
    unit = spec.get("unit", USD)
    if unit_problem(unit):
        problems.append((("unit",), unit_problem(unit)))
        unit = USD
    unit = unit.strip()
    cost, result, answer, range_ = None, "total", None, None
    has_cost, has_answer = "cost" in spec, "answer" in spec
    if "range" in spec:
        range_ = _parse_range_answer(spec, fixed, problems)
    elif has_cost and has_answer:
        problems.append((("answer",), gettext_noop("give either cost or answer, not both")))
    elif not has_cost and not has_answer:
        problems.append(
            (
                (),
                gettext_noop(
                    "a numeric exercise needs cost (the pricing engine's inputs) or "
                    "answer (an arithmetic expression)"
                ),
            )
        )
    if has_cost and range_ is None:
        cost, result = _parse_cost(spec["cost"], declared, problems)
        if unit != USD:
            problems.append(
                (
                    ("unit",),
                    gettext_noop("a cost exercise's answer is in USD, not %(unit)s", unit=unit),
                )
            )
    if has_answer and not has_cost and range_ is None:
        answer = _parse_answer(spec["answer"], declared, problems)
    tolerance = None
    if range_ is not None:
        tolerance = Tolerance(absolute=Decimal(0))
    else:
        try:
            tolerance = Tolerance.parse(spec.get("tolerance"))
        except ValueError as error:
            problems.append((("tolerance",), _said(error)))
    stem = spec.get("stem")
    if isinstance(stem, str):
        for name in sorted(placeholders(stem) - set(declared)):
            problems.append(
                (
                    ("stem",),
                    gettext_noop(
                        "{%(name)s} in the stem is not a variable%(hint)s",
                        name=name,
                        hint=_suggest(name, declared),
                    ),
                )
            )
    if problems or tolerance is None:
        return None, problems
    frozen_cost = MappingProxyType(cost) if cost is not None else None
    return Exercise(variables, frozen_cost, result, answer, tolerance, unit, range_), []


def _parse_range_answer(
    spec: Mapping, fixed: bool, problems: list[Problem]
) -> tuple[Decimal, Decimal] | None:
    """`range: {min: 128, max: 10240}`: a fixed question that accepts any value in between."""
    raw = spec["range"]
    for key in ("answer", "cost", "tolerance", "variables"):
        if key in spec:
            problems.append(
                ((key,), gettext_noop("give either range or %(key)s, not both", key=key))
            )
    if not fixed:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"min", "max"}:
        problems.append((("range",), gettext_noop("range must be {min: ..., max: ...}")))
        return None
    low, high = _number(raw["min"]), _number(raw["max"])
    if low is None or high is None or isinstance(raw["min"], str) or isinstance(raw["max"], str):
        problems.append((("range",), gettext_noop("range min and max must be numbers")))
        return None
    if low > high:
        problems.append(
            (
                ("range", "min"),
                gettext_noop(
                    "range min (%(low)s) is more than max (%(high)s)", low=str(low), high=str(high)
                ),
            )
        )
        return None
    return Decimal(low), Decimal(high)


# --- checking every corner ------------------------------------------------------------------


def _combinations(variables: Sequence[Variable]) -> list[dict[str, Value]]:
    corners = [variable.corners() for variable in variables]
    total = 1
    for options in corners:
        total *= len(options)
    names_ = [variable.name for variable in variables]
    if total <= MAX_COMBINATIONS:
        return [dict(zip(names_, combo, strict=True)) for combo in itertools.product(*corners)]
    base = {name: options[0] for name, options in zip(names_, corners, strict=True)}
    combos = []
    for name, options in zip(names_, corners, strict=True):
        combos += [{**base, name: option} for option in options]
    return combos


def _describe(values: Mapping[str, Value]) -> str:
    return ", ".join(f"{name}={display_value(value)}" for name, value in values.items())


def _problem_path(exercise: Exercise, error: Exception) -> tuple[str, ...]:
    if isinstance(error, ExpressionError):
        return ("answer",)
    field = getattr(error, "field", None)
    source = (exercise.cost or {}).get(field) if field else None
    if source and source[0] == "var":
        return ("variables", source[1])
    return ("cost", field) if source else ("cost",)


def check_exercise(spec: Mapping) -> list[Problem]:
    """Every problem of an exercise spec as (key path, message); empty when it is sound.

    Beyond the structure, the engine (or the expression) must accept every corner of every
    range: each distinct error is reported once, with the first numbers that caused it.
    """
    exercise, problems = _parse(spec)
    if exercise is None:
        return problems
    failures: dict[Problem, list] = {}
    for values in _combinations(exercise.variables):
        try:
            _compute(exercise, values)
        except (PricingError, ExpressionError) as error:
            key = (_problem_path(exercise, error), str(error))
            failures.setdefault(key, [values, 0, _said(error)])[1] += 1
    for (path, _), (values, count, message) in failures.items():
        more = (
            gettext_noop(", and %(count)s more combinations", count=count - 1) if count > 1 else ""
        )
        problems.append(
            (
                path,
                gettext_noop(
                    "%(message)s (when %(values)s%(more)s)",
                    message=message,
                    values=_describe(values),
                    more=more,
                ),
            )
        )
    return problems


# --- attempts -------------------------------------------------------------------------------


def _rng(seed: str, name: str) -> random.Random:
    """Per seed and variable, via sha256 (never hash()): a new variable leaves the others be."""
    digest = hashlib.sha256(f"{seed}\x1f{name}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def draw(exercise: Exercise, seed: str) -> dict[str, Value]:
    """The numbers of one attempt; the same seed always gives the same numbers."""
    return {
        variable.name: variable.draw(_rng(seed, variable.name)) for variable in exercise.variables
    }


def seed_with_other_numbers(
    exercise: Exercise, seen: str, new_seed: Callable[[], str], tries: int = 20
) -> str:
    """A new seed whose numbers differ from those of `seen`, so that "new numbers" never shows the
    same exercise again; an exercise with one set of numbers (or very few) gets a plain new seed."""
    numbers = draw(exercise, seen)
    seed = new_seed()
    for _ in range(tries):
        if draw(exercise, seed) != numbers:
            break
        seed = new_seed()
    return seed


def placeholders(stem: str) -> set[str]:
    """The `{name}` placeholders in a stem."""
    return set(_PLACEHOLDER.findall(stem))


def display_value(value: object) -> str:
    """A drawn value as an English stem shows it: `5,000,000`, `0.5`, `true`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def render_stem(
    stem: str, values: Mapping[str, object], display: Callable[[object], str] = display_value
) -> str:
    """Put the drawn values into `{name}` placeholders (HTML-escaped); unknown names stay as is.
    `display` writes a value (a page passes its language's way of writing numbers)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return html.escape(display(values[name])) if name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, stem)


def _usage(exercise: Exercise, values: Mapping[str, object]) -> Usage:
    inputs = {
        key: values[ref] if kind == "var" else ref
        for key, (kind, ref) in (exercise.cost or {}).items()
    }
    return Usage.from_values(**inputs)


def _compute(exercise: Exercise, values: Mapping[str, object]) -> tuple[Decimal, Breakdown | None]:
    if exercise.range is not None:
        return (exercise.range[0] + exercise.range[1]) / 2, None
    if exercise.answer is not None:
        return evaluate(exercise.answer, values), None  # type: ignore[arg-type]
    breakdown = estimate(_usage(exercise, values))
    if exercise.result == "total":
        return breakdown.total, breakdown
    line = breakdown.line(exercise.result)
    return (line.rounded if line else Decimal("0.00")), breakdown


def _round_answer(value: Decimal, unit: str = USD) -> Decimal:
    """Whole numbers stay whole (a request count); money to the cent; other units to 3 places."""
    with localcontext(Context(prec=60)):  # expressions stop at 30 digits
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        if unit == USD:
            return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()


def solve(exercise: Exercise, values: Mapping[str, object]) -> Solution:
    """The expected answer with the worked solution for these numbers."""
    if exercise.range is not None:
        low, high = exercise.range
        text = phrase(
            gettext_noop("any value from %(low)s to %(high)s"),
            low=format_amount(low, exercise.unit),
            high=format_amount(high, exercise.unit),
        )
        return Solution((low + high) / 2, None, (), text)
    value, breakdown = _compute(exercise, values)
    if breakdown is None:
        answer = _round_answer(value, exercise.unit)
        text = format_amount(answer, exercise.unit)
        if not exercise.variables:  # a fixed answer: no working to show
            return Solution(answer, None, (), text)
        steps = _expression_steps(exercise.answer or "", values, value, answer)
        return Solution(answer, None, steps, text)
    if exercise.result != "total":
        line = breakdown.line(exercise.result)
        if line is None:
            return Solution(
                value,
                breakdown,
                (
                    phrase(
                        gettext_noop("This usage has no %(line)s charge: %(amount)s"),
                        line=Label(exercise.result),
                        amount=Money(Decimal(0)),
                    ),
                ),
                format_amount(value),
            )
        return Solution(
            value,
            breakdown,
            (*line.steps, _labelled(line.label, Money(line.amount))),
            format_amount(value),
        )
    steps: list[Message] = []
    for line in breakdown.lines:
        steps.append(phrase("%(label)s:", label=phrase(line.label)))
        steps += line.steps
    steps.append(_total_step(breakdown))
    return Solution(value, breakdown, tuple(steps), format_amount(value))


def _labelled(label: str, value: object) -> Message:
    """`Requests: $0.80`: a line's label (translated by a page) and its amount."""
    return phrase("%(label)s: %(value)s", label=phrase(label), value=value)


def _total_step(breakdown: Breakdown) -> Message:
    rounded = [line.rounded for line in breakdown.lines]
    lines = Joined(tuple(Money(amount) for amount in rounded))
    if sum(rounded) == breakdown.total:
        return phrase(
            gettext_noop("Total: %(lines)s = %(total)s"), lines=lines, total=Money(breakdown.total)
        )
    return phrase(
        gettext_noop(
            "Total: %(lines)s = %(sum)s line by line; the bill adds the exact amounts "
            "(%(exact)s) and rounds once: %(total)s"
        ),
        lines=lines,
        sum=Money(sum(rounded)),
        exact=Price(breakdown.exact_total),
        total=Money(breakdown.total),
    )


def _show_answer(answer: Decimal) -> Decimal | int | Fixed:
    """`6,240,747` for a count, `1.80` for money."""
    if answer == answer.to_integral_value():
        return int(answer)
    return Fixed(answer, 2)


def _expression_steps(
    expr: str, values: Mapping[str, object], exact: Decimal, answer: Decimal
) -> tuple[Message, ...]:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(0)
        value = values.get(name)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format(value, "f") if isinstance(value, Decimal) else str(value)
        return name

    filled = _IDENTIFIER.sub(substitute, expr.strip())
    steps = [
        phrase(gettext_noop("Answer = %(expression)s"), expression=Code(expr.strip())),
        phrase("= %(expression)s", expression=Code(filled)),
    ]
    if exact != answer:
        with localcontext(Context(prec=60)):
            shown = exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        cut = shown != exact
        steps.append(phrase("= %(number)s…" if cut else "= %(number)s", number=shown))
    steps.append(
        phrase("≈ %(answer)s" if exact != answer else "= %(answer)s", answer=_show_answer(answer))
    )
    return tuple(steps)


WHOLE_UNITS = ("requests", "MB")  # counts and megabytes: a comma before three digits groups


def grade(
    exercise: Exercise,
    values: Mapping[str, object],
    typed: str,
    language: str = "en",
    names: tuple[str, ...] = (),
) -> Grade:
    """Right or wrong within the tolerance (or range); AnswerFormatError for text that is not
    an amount in the exercise's unit. `language` and `names`: how the learner writes numbers
    and more names of the unit (see `answers.parse_amount`)."""
    given = parse_amount(
        typed, exercise.unit, language, whole=exercise.unit in WHOLE_UNITS, names=names
    )
    solution = solve(exercise, values)
    expected = solution.answer
    if exercise.range is not None:
        low, high = exercise.range
        return Grade(low <= given <= high, given, expected, solution)
    return Grade(exercise.tolerance.accepts(given, expected), given, expected, solution)
