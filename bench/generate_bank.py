"""Write a valid question bank of N generated questions (default 10,000) for load benchmarks.

python bench/generate_bank.py OUT.yaml [N] [--topic limits]
"""

from __future__ import annotations

import argparse
from pathlib import Path

TYPES = ("single", "multiple", "true_false", "flashcard")


def question(index: int, topic: str) -> str:
    kind = TYPES[index % len(TYPES)]
    head = (
        f"  - id: gen-{topic}-{index:05d}\n"
        f"    type: {kind}\n"
        f"    topic: {topic}\n"
        f"    difficulty: {('easy', 'medium', 'hard')[index % 3]}\n"
        f"    tags: [saa-c03, generated, batch-{index % 50}]\n"
        "    references:\n"
        "      - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html\n"
    )
    if kind == "flashcard":
        return head + (
            f'    front: "Generated card {index}, what is the **maximum** timeout?"\n'
            "    back: 900 seconds (15 minutes); the default is 3 seconds.\n"
        )
    body = (
        f"    stem: |\n      Generated question {index}.\n"
        f"      A function needs `{index % 900 + 1}` seconds.\n"
        "      Which statement is right?\n"
        "    explanation: |\n      The maximum timeout is **900 seconds**; see the quotas page.\n"
    )
    if kind == "true_false":
        return head + body + f"    answer: {'true' if index % 2 else 'false'}\n"
    choices = [("15 minutes", True), ("5 minutes", False), ("1 hour", False), ("30 seconds", False)]
    if kind == "multiple":
        choices[1] = ("900 seconds", True)
        head += "    choose: 2\n"
    lines = "".join(
        f"      - text: {text} (variant {index})\n"
        + ("        correct: true\n" if right else "")
        + f"        rationale: Rationale {index} for this choice.\n"
        for text, right in choices
    )
    return head + body + "    choices:\n" + lines


def write_bank(path: Path, count: int, topic: str = "limits") -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("questions:\n")
        for index in range(count):
            out.write(question(index, topic))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--topic", default="limits")
    args = parser.parse_args()
    write_bank(args.out, args.count, args.topic)
    print(f"wrote {args.count} questions to {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
