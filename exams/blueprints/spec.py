"""Exam blueprints (content/exams/*.yaml): parse, check and draw, with no Django import.

A draw respects the topic weights and the difficulty mix by largest remainders, falls back to
neighbouring buckets when one runs short, and is reproducible from its random generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizzes.course.bank import SLUG, Checker, Problem, suggest
from quizzes.course.yamlsafe import LineDict, YamlError
from quizzes.course.yamlsafe import load as load_yaml

KEYS = (
    "slug",
    "title",
    "description",
    "questions",
    "scored",
    "duration_minutes",
    "topics",
    "difficulty",
    "exam_tag",
    "scoring",
    "pass_mark",
)
# A key of older blueprints: results now always show explanations after submit, except for the
# questions an open team window holds (exams.sitting.services.results_visibility).
RETIRED_KEY = "explanations_after_submit"
RETIRED_MESSAGE = (
    "explanations_after_submit is no longer used: delete it (results show explanations after "
    "submit, except questions held by an open team exam window, until it closes for everyone)"
)
SCORINGS = ("scaled", "percent")
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class BlueprintSpec:
    """An exam blueprint as parsed from its file (or read from its row by `Blueprint.as_spec`)."""

    slug: str
    title: str
    description: str
    questions: int
    scored: int
    duration_minutes: int
    topics: dict[str, float]
    difficulty: dict[str, float]
    exam_tag: str = ""
    scoring: str = "scaled"
    pass_mark: int = 720
    path: str = ""
    spec: dict = field(default_factory=dict, compare=False)


def parse_blueprint(
    path: str, text: str, known_topics: Iterable[str] = ()
) -> tuple[BlueprintSpec | None, list[Problem]]:
    checker = Checker(path)
    try:
        data, duplicates = load_yaml(text)
    except YamlError as error:
        checker.add(error.line, error.message)
        return None, checker.problems
    for dup in duplicates:
        checker.add(dup.line, f"key '{dup.key}' appears twice (first on line {dup.first_line})")
    if not isinstance(data, LineDict):
        checker.add(1, "a blueprint must be a mapping of keys (slug, title, questions, ...)")
        return None, checker.problems
    if RETIRED_KEY in data:
        checker.add(data.line_of(RETIRED_KEY), RETIRED_MESSAGE)
    checker.unknown_keys(data, (*KEYS, RETIRED_KEY), "a blueprint")
    slug = checker.text(data, "slug", required=True)
    if slug and not SLUG.match(slug):
        checker.add(data.line_of("slug"), "slug must be lower-case letters, digits and hyphens")
    title = checker.text(data, "title", required=True)
    description = checker.text(data, "description", required=False)

    def whole(key: str, low: int, high: int) -> int:
        value = data.get(key)
        if value is None:
            checker.add(data.line, f"missing '{key}'")
            return 0
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            checker.add(
                data.line_of(key),
                f"'{key}' must be a whole number from {low} to {high}, got {value!r}",
            )
            return 0
        return value

    questions = whole("questions", 1, 200)
    scored = whole("scored", 1, 200)
    if questions and scored and scored > questions:
        checker.add(
            data.line_of("scored"), f"scored ({scored}) cannot exceed questions ({questions})"
        )
    duration = whole("duration_minutes", 1, 600)
    scoring = data.get("scoring", "scaled")
    if scoring not in SCORINGS:
        checker.add(
            data.line_of("scoring"),
            f"scoring must be scaled or percent, got {scoring!r}{suggest(scoring, SCORINGS)}",
        )
    pass_range = (100, 1000) if scoring == "scaled" else (1, 100)
    pass_mark = whole("pass_mark", *pass_range)
    topics = _weights(checker, data, "topics", set(known_topics) or None)
    difficulty = _weights(checker, data, "difficulty", set(DIFFICULTIES))
    exam_tag = data.get("exam_tag") or ""
    if checker.problems:
        return None, checker.problems
    blueprint = BlueprintSpec(
        slug=slug,
        title=title,
        description=description,
        questions=questions,
        scored=scored,
        duration_minutes=duration,
        topics=topics,
        difficulty=difficulty,
        exam_tag=str(exam_tag),
        scoring=scoring,
        pass_mark=pass_mark,
        path=path,
        spec={key: data[key] for key in data},
    )
    return blueprint, []


def _weights(
    checker: Checker, data: LineDict, key: str, known: set[str] | None
) -> dict[str, float]:
    raw = data.get(key)
    if not isinstance(raw, LineDict) or not raw:
        checker.add(data.line_of(key), f"'{key}' must map each name to a weight, e.g. limits: 3")
        return {}
    weights: dict[str, float] = {}
    for name, weight in raw.items():
        line = raw.line_of(name)
        if known is not None and name not in known:
            checker.add(
                line,
                f"unknown {key[:-1] if key.endswith('s') else key} '{name}'{suggest(name, known)}",
            )
        elif not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            checker.add(line, f"weight of '{name}' must be a number of 0 or more, got {weight!r}")
        else:
            weights[str(name)] = float(weight)
    if weights and not sum(weights.values()):
        checker.add(raw.line, f"the '{key}' weights add up to 0")
    return weights


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` by weights, largest remainders first, so the parts add up exactly."""
    positive = {k: w for k, w in weights.items() if w > 0}
    if not positive or total <= 0:
        return dict.fromkeys(weights, 0)
    scale = total / sum(positive.values())
    exact = {k: w * scale for k, w in positive.items()}
    counts = {k: int(v) for k, v in exact.items()}
    order = {key: index for index, key in enumerate(weights)}
    # Largest remainder first; on a tie, the key declared first (as the author wrote them).
    by_remainder = sorted(exact, key=lambda k: (counts[k] - exact[k], order[k]))
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return {k: counts.get(k, 0) for k in weights}


@dataclass(frozen=True)
class Candidate:
    id: int
    topic: str
    difficulty: str


def draw(blueprint: BlueprintSpec, pool: Sequence[Candidate], rng: random.Random) -> list[int]:
    """Question ids for one attempt: weights respected where the pool allows, order shuffled."""
    buckets: dict[tuple[str, str], list[int]] = {}
    for candidate in sorted(pool, key=lambda c: c.id):
        buckets.setdefault((candidate.topic, candidate.difficulty), []).append(candidate.id)
    for ids in buckets.values():
        rng.shuffle(ids)
    wanted = min(blueprint.questions, len(pool))
    chosen: list[int] = []
    for topic, count in apportion(wanted, blueprint.topics).items():
        taken: list[int] = []
        for level, n in apportion(count, blueprint.difficulty).items():
            taken += _take(buckets, [(topic, level)], n)
        # A short bucket borrows from the topic's other difficulties.
        taken += _take(buckets, [(topic, level) for level in DIFFICULTIES], count - len(taken))
        chosen += taken
    if len(chosen) < wanted:
        # A short topic borrows from the blueprint's other topics, then from the rest of the pool.
        ordered = sorted(buckets, key=lambda key: (key[0] not in blueprint.topics, key))
        chosen += _take(buckets, ordered, wanted - len(chosen))
    rng.shuffle(chosen)
    return chosen


def _take(
    buckets: dict[tuple[str, str], list[int]], keys: list[tuple[str, str]], n: int
) -> list[int]:
    taken: list[int] = []
    for key in keys:
        while n > len(taken) and buckets.get(key):
            taken.append(buckets[key].pop())
    return taken


def scaled_score(correct: int, scored: int) -> int:
    """AWS reports 100 to 1,000; without AWS's equating we map the share correct linearly."""
    if scored <= 0:
        return 100
    return round(100 + 900 * correct / scored)


def score_text(score: float | None, scoring: str) -> str:
    """One format everywhere: "640 / 1,000" for scaled exams, "72%" for percent ones."""
    if score is None:
        return "–"
    if scoring == "percent":
        return f"{round(score)}%"
    return f"{round(score):,} / 1,000"


def find_blueprint_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files inside an `exams` folder, named or found below the folders named."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [
            p for p in candidates if p.suffix in (".yaml", ".yml") and "exams" in p.parts[:-1]
        ]
    return found


def check_blueprints(
    paths: Iterable[Path], known_topics: Iterable[str]
) -> tuple[list[BlueprintSpec], list[Problem]]:
    from quizzes.course.check import display_path, read_text

    specs: list[BlueprintSpec] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in find_blueprint_files(paths):
        shown = display_path(path)
        text, read_problems = read_text(path, shown)
        problems += read_problems
        if text is None:
            continue
        spec, more = parse_blueprint(shown, text, known_topics)
        problems += more
        if spec is None:
            continue
        if spec.slug in seen:
            problems.append(
                Problem(
                    shown, 1, f"duplicate blueprint slug '{spec.slug}' (also in {seen[spec.slug]})"
                )
            )
            continue
        seen[spec.slug] = shown
        specs.append(spec)
    return specs, problems
