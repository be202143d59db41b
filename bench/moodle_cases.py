"""Questions converted of those in our Moodle-style case files, per Moodle type, in two trees.

    .venv/bin/python bench/moodle_cases.py [--before /work/wt/before] [FILE ...]

Each source question of tests/moodle_cases/ and tests/fixtures/moodle/ (or the FILEs given) is
converted alone, with the category above it, by this tree's importers and by the `--before`
tree's (run with that tree's own .venv in a subprocess), so a question is counted converted or
skipped whatever line numbers each version reports. The source type is read from the file
(XML's `type`, GIFT's answer block, Aiken is always multichoice). `expected` is what Moodle's own
importer does with it: refused for an essay (nothing to mark here), a Cloze REGEXP gap (no
equivalent) and grades outside Moodle's list; converted otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    *sorted((ROOT / "tests" / "moodle_cases").glob("cases.*")),
    *sorted((ROOT / "tests" / "fixtures" / "moodle").glob("sample.*")),
]
REFUSED_BY_MOODLE = re.compile(r"%45%|fraction=\"45\"|REGEXP")


def gift_items(text: str) -> list[tuple[str, str, bool]]:
    """(source type, text to convert alone, Moodle converts it) of each GIFT question."""
    blocks = re.split(r"\n\s*\n", text.removeprefix("\ufeff"))
    category, out = "", []
    for block in blocks:
        body = "\n".join(ln for ln in block.splitlines() if not ln.strip().startswith("//"))
        if body.strip().startswith("$CATEGORY:"):
            category, _, body = body.strip().partition("\n")
        if not body.strip():
            continue
        answers = re.search(r"(?<!\\)\{(.*?)(?<!\\)\}", body, re.S)
        inner = answers.group(1).split("####")[0].strip() if answers else ""
        if not answers:
            kind = "description"
        elif not inner:
            kind = "essay"
        elif inner.startswith("#"):
            kind = "numerical"
        elif "->" in inner:
            kind = "matching"
        elif "~" in inner:
            kind = "multichoice"
        elif inner.partition("#")[0].strip().upper() in ("T", "F", "TRUE", "FALSE"):
            kind = "truefalse"
        else:
            kind = "shortanswer"
        item = f"{category}\n\n{block}\n" if category else block + "\n"
        out.append((kind, item, kind not in ("essay", "description")
                    and not REFUSED_BY_MOODLE.search(block)))  # fmt: skip
    return out


def xml_items(text: str) -> list[tuple[str, str, bool]]:
    category, out = "", []
    for match in re.finditer(r"<question type=\"(\w+)\">.*?</question>", text, re.S):
        kind, element = match.group(1), match.group(0)
        if kind == "category":
            category = element
            continue
        item = f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{category}\n{element}\n</quiz>\n'
        kind = "multianswer (cloze)" if kind in ("cloze", "multianswer") else kind
        out.append((kind, item, kind != "essay" and not REFUSED_BY_MOODLE.search(element)))
    return out


def aiken_items(text: str) -> list[tuple[str, str, bool]]:
    blocks = re.split(r"(?im)(?<=^ANSWER:)(.*\n)", text)
    joined = ["".join(blocks[i : i + 2]) for i in range(0, len(blocks), 2)]
    return [("multichoice", block.strip() + "\n", True) for block in joined if block.strip()]


def _label(item: str) -> str:
    """A question's name (XML, GIFT) or first line (Aiken), to name it in the output."""
    for pattern in (r"<question type=\"(?!category).*?<name><text>(.*?)</text>", r"^::(.*?)::"):
        if match := re.search(pattern, item, re.S | re.M):
            return match.group(1)[:60]
    return item.strip().splitlines()[0][:60]


def run_here(paths: list[str]) -> dict:
    """In the tree whose importers are on sys.path: per (format, type), converted and skipped."""
    from quizzes.course.importers import aiken, gift, moodle_xml

    rows: dict[str, Counter] = {}
    for path in paths:
        text = Path(path).read_text("utf-8")
        suffix = Path(path).suffix
        items = {".gift": gift_items, ".xml": xml_items, ".aiken": aiken_items}[suffix](text)
        for kind, item, expected in items:
            if suffix == ".gift":
                result = gift.convert(item, topic="limits", id_prefix="limits")
            elif suffix == ".xml":
                result = moodle_xml.convert(item, topic="limits", id_prefix="limits",
                                            topics=["limits"])  # fmt: skip
            else:
                result = aiken.convert(item, topic="limits", id_prefix="limits")
            row = rows.setdefault(f"{suffix[1:].upper()} {kind}", Counter())
            row["in files"] += 1
            converted = bool(result.questions)
            row["converted"] += converted
            row["skipped"] += not converted
            row["questions out"] += len(result.questions)
            row["as Moodle"] += converted == expected
            row["expected"] += expected
            if converted != expected:
                label = _label(item)
                row.setdefault("unlike Moodle", []).append(f"{Path(path).name}: {label}")
    return {key: dict(value) for key, value in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(p) for p in DEFAULT_FILES])
    parser.add_argument("--before", default="/work/wt/before")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.json:
        sys.path.insert(0, str(Path.cwd()))
        print(json.dumps(run_here(options.files)))
        return
    trees = {"before": Path(options.before), "after": ROOT}
    counts = {}
    for name, tree in trees.items():
        done = subprocess.run(
            [str(tree / ".venv" / "bin" / "python"), __file__, "--json", *options.files],
            cwd=tree, capture_output=True, text=True, check=True,
        )  # fmt: skip
        counts[name] = json.loads(done.stdout)
    print("files:", ", ".join(str(Path(f).relative_to(ROOT)) for f in options.files))
    print(
        "| format, Moodle type | in files | Moodle converts | before: converted / skipped "
        "(as Moodle) | after: converted / skipped (as Moodle) | questions out before -> after |"
    )
    print("|---|---|---|---|---|---|")
    total = {name: Counter() for name in trees}
    for key in sorted(set(counts["before"]) | set(counts["after"])):
        cells = []
        for name in trees:
            row = counts[name].get(key, {})
            total[name].update({k: v for k, v in row.items() if k != "unlike Moodle"})
            cells.append(f"{row.get('converted', 0)} / {row.get('skipped', 0)} "
                         f"({row.get('as Moodle', 0)})")  # fmt: skip
        row = counts["after"][key]
        print(f"| {key} | {row['in files']} | {row['expected']} | {cells[0]} | {cells[1]} | "
              f"{counts['before'].get(key, {}).get('questions out', 0)} -> "
              f"{row['questions out']} |")  # fmt: skip
    b, a = total["before"], total["after"]
    for name in trees:
        for key, row in sorted(counts[name].items()):
            for item in row.get("unlike Moodle", []):
                print(f"{name}: {key} unlike Moodle: {item}")
    print(
        f"| **all** | {a['in files']} | {a['expected']} | {b['converted']} / {b['skipped']} "
        f"({b['as Moodle']}) | {a['converted']} / {a['skipped']} ({a['as Moodle']}) | "
        f"{b['questions out']} -> {a['questions out']} |"
    )


if __name__ == "__main__":
    main()
