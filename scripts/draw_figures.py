"""What the shipped blueprints draw: topics by DVA-C02 domain, difficulty, item kinds, averaged over
many seeded draws of this tree's `exams.blueprints.spec.draw` on a content folder's banks.

    .venv/bin/python scripts/draw_figures.py content
    .venv/bin/python scripts/draw_figures.py /work/wt/before/content --draws 1000

Why: the blueprint files state weights; this shows what a candidate is actually given once the pool
runs short in places (a short bucket borrows from its neighbours). The pool is what an exam draws
from (`exams.sitting.services.EXAM_TYPES`, every item live, no exam tag). A blueprint key that this
tree's parser retired (`explanations_after_submit`) is dropped before parsing, so older blueprints
read too. Nothing touches a database.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from cue_figures import load_questions  # noqa: E402

from exams.blueprints import spec  # noqa: E402
from quizzes.course.awsservices import is_multi_service  # noqa: E402

EXAM_TYPES = ("single", "multiple", "ordering", "matching", "short")
# The topic-to-domain map written in content/exams/*.yaml (apis and development split as there).
DOMAINS = {
    "development": {"development": 8 / 12, "deployment": 4 / 12},
    "apis": {"development": 4 / 12, "security": 8 / 12},
    "triggers": {"development": 1}, "orchestration": {"development": 1},
    "limits": {"development": 1}, "vpc": {"development": 1}, "edge": {"development": 1},
    "rds-proxy": {"development": 1}, "security": {"security": 1}, "deployment": {"deployment": 1},
    "observability": {"troubleshooting": 1}, "performance": {"troubleshooting": 1},
    "pricing": {"troubleshooting": 1},
}  # fmt: skip


def read_blueprints(content: Path) -> list[spec.BlueprintSpec]:
    found = []
    for path in sorted((content / "exams").glob("*.yaml")):
        text = "\n".join(
            line for line in path.read_text("utf-8").splitlines()
            if not line.startswith(spec.RETIRED_KEY)
        )  # fmt: skip
        blueprint, problems = spec.parse_blueprint(path.name, text)
        if problems:
            raise SystemExit(f"{path}: {problems[0]}")
        found.append(blueprint)
    return found


def measure(blueprint: spec.BlueprintSpec, questions: list, draws: int) -> list[str]:
    items = [q for q in questions if q.type in EXAM_TYPES]
    pool = [spec.Candidate(n, q.topic, q.difficulty) for n, q in enumerate(items)]
    topics, levels, kinds, domains = Counter(), Counter(), Counter(), Counter()
    multi = exam_style = 0
    for seed in range(draws):
        for n in spec.draw(blueprint, pool, random.Random(seed)):
            q = items[n]
            topics[q.topic] += 1
            levels[q.difficulty] += 1
            kinds[q.type] += 1
            for domain, part in DOMAINS.get(q.topic, {"(unmapped)": 1}).items():
                domains[domain] += part
            if q.type in ("single", "multiple"):
                exam_style += 1
                multi += is_multi_service(q.stem, *(c.text for c in q.choices))
    total = sum(topics.values())

    def shares(counter: Counter) -> str:
        return ", ".join(f"{k} {v / total:.1%}" for k, v in counter.most_common())

    per = draws
    return [
        f"{blueprint.slug}: {blueprint.questions} questions, {draws} draws (seeds 0-{draws - 1})",
        f"  domains: {shares(domains)}",
        f"  difficulty: {shares(levels)}",
        f"  topics: {shares(topics)}",
        "  per exam: " + ", ".join(f"{k} {kinds[k] / per:.1f}" for k in EXAM_TYPES if kinds[k]),
        f"  multi-service among drawn single/multiple: {multi / max(exam_style, 1):.1%}",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("content", type=Path)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    questions = load_questions(args.content)
    for blueprint in read_blueprints(args.content):
        print("\n".join(measure(blueprint, questions, args.draws)))
