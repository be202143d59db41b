"""The course-wide item-writing figures of any content folder, measured by this tree's linter.

    .venv/bin/python scripts/cue_figures.py content
    .venv/bin/python scripts/cue_figures.py /work/wt/before/content

Why: a cue rule added later (stem term, odd one out, figures or code alone, multi-service) has no
figure for an older course in that course's own `check_content`; this measures the older banks with
today's pure linter (`quizzes/course/itemlint.py`), so before and after are counted alike. Only the
banks are read (no notes, translations or exams); nothing touches a database.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizzes.course import itemlint  # noqa: E402
from quizzes.course.bank import parse_bank  # noqa: E402


def load_questions(content: Path) -> list:
    """Every item of every bank under `content/banks`, as the checker parses them."""
    questions = []
    for path in sorted((content / "banks").glob("*.y*ml")):
        result = parse_bank(str(path.relative_to(content.parent)), path.read_text("utf-8"))
        # Numeric exercises need the pricing engine's checker, set up by Django: not linted here.
        problems = [p for p in result.problems if "no exercise checker" not in str(p)]
        if problems:
            raise SystemExit(f"{path}: {len(problems)} problems, first: {problems[0]}")
        questions.extend(result.questions)
    return questions


def figures(questions: list) -> list[str]:
    """One line per figure: the share and the counts it rests on."""
    t = itemlint.lint(questions).course

    def line(name: str, part: int, whole: int) -> str:
        share = f"{part / whole:.1%}" if whole else "-"
        return f"{name}: {share} ({part} of {whole})"

    types = Counter(q.type for q in questions)
    return [
        f"items by type: {dict(sorted(types.items()))}",
        line("longest key (single)", t.longest, t.single),
        line("longest key by 30%+ (single)", t.long_margin, t.single),
        line("stem echo, keys (single)", t.key_echo, t.keys),
        line("stem echo, distractors", t.distractor_echo, t.distractors),
        line("stem term only the key repeats (single)", t.key_term, t.keys),
        line("stem term one distractor alone repeats", t.distractor_term, t.distractors),
        line("odd one out in form, key (single)", t.key_odd, t.keys),
        line("odd one out in form, distractors", t.distractor_odd, t.distractors),
        line("key alone with figures or code (single)", t.key_figures, t.keys),
        line("figures or code alone, distractors", t.distractor_figures, t.distractors),
        line("scenarios (single+multiple)", t.scenarios, t.exam_style),
        line("multi-service (single+multiple)", t.multi_service, t.exam_style),
        f"ordering and matching items: {t.slots}",
    ]


if __name__ == "__main__":
    for text in figures(load_questions(Path(sys.argv[1] if len(sys.argv) > 1 else "content"))):
        print(text)
