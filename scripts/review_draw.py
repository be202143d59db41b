"""Draw translated items for a review, with a seed; print each English item beside its translation.

    .venv/bin/python scripts/review_draw.py 2851 15
    .venv/bin/python scripts/review_draw.py 2851 15 --language es --content content

Why: a review of "N random translated items" is only checkable if anyone can draw the same N
again. The ids of every item translated into the language (questions, flashcards and cost
exercises) are sorted and `random.Random(seed).sample` picks N; the output shows stem, choices (the
key marked `*`), rationales, back and explanation in both languages, with the translation's file
and line. Django is set up (development settings) because the cost exercises are read through the
project's hooks; nothing touches a database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
import django  # noqa: E402

django.setup()

from quizzes.course import translations as tr  # noqa: E402
from quizzes.course.check import check_course  # noqa: E402


def show(label: str, spec) -> list[str]:
    lines = [f"--- {label}: {spec.stem.strip()}"]
    if spec.back:
        lines.append(f"    back: {spec.back.strip()}")
    for choice in spec.choices:
        lines.append(f"  {'*' if choice.correct else ' '} {choice.text.strip()}")
        if choice.rationale:
            lines.append(f"      ~ {choice.rationale.strip()}")
    if spec.explanation:
        lines.append(f"    explanation: {spec.explanation.strip()}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("--language", default="es")
    parser.add_argument("--content", default="content", type=Path)
    args = parser.parse_args()
    course = check_course([args.content], args.content)
    found = (course.translations or {}).get(args.language)
    if found is None:
        sys.exit(f"no translations in {args.language!r} under {args.content}")
    english = {spec.uid: spec for spec in course.questions}
    ids = sorted(uid for uid in english if uid in found.items)
    print(f"# {len(ids)} items in {args.language}; seed {args.seed}; {args.count} drawn")
    for uid in random.Random(args.seed).sample(ids, args.count):
        spec = english[uid]
        translated = tr.translated_spec(spec, found.items[uid])
        print(f"\n=== {uid} ({spec.type}) {translated.path}:{translated.line}")
        print("\n".join(show("en", spec) + show(args.language, translated)))


if __name__ == "__main__":
    main()
