"""Time the Moodle importers on 10,000 generated questions in each format (target: < 5 s each).

    .venv/bin/python bench/moodle_import.py [--count 10000]
    /work/wt/before/.venv/bin/python bench/moodle_import.py --tree /work/wt/before

For GIFT, Aiken and Moodle XML: the file is generated (a mix of the types each format has, with
feedback, a category every 100 questions and, in XML, an image every 50 questions), then timed
from text to the YAML files a bank is written as (convert, then `split_bank` under the course's
1 MB file limit; wall time and this process's CPU time, which other work on a shared
machine disturbs less), and separately the bank checker reading those files back (`parse_bank`, as
`import_*` and the upload page do after converting). Also times the XML line numbering alone on
95,000 empty questions (once quadratic). Pure Python: no database, no Django.

`--tree DIR` times another checkout's importers (an older one without `split_bank` writes one
file with `dump_bank`) on the same generated files, for a before/after figure under the same load.
The checker is given the pricing engine's exercise check, as the app and the commands give it.
"""

from __future__ import annotations

import argparse
import base64
import importlib
import inspect
import sys
import time
from pathlib import Path

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
        "0000000c4944415408d763f8ff3f000005fe02fe0def46b80000000049454e44ae426082"
    )
).decode()


def gift_text(count: int) -> str:
    blocks = []
    for n in range(count):
        if n % 100 == 0:
            blocks.append(f"$CATEGORY: $course$/top/Generated {n // 100}")
        kind = n % 4
        if kind == 0:
            body = (
                f"::Q{n}::[html]<p>Scenario {n}: which service <b>queues</b> it?</p>"
                "{=SQS#Right.~SNS#Topics.~Kinesis#Streams.####Queues decouple.}"
            )
        elif kind == 1:
            body = f"::Q{n}::Function {n} may run for 15 minutes.{{T#No.#Yes.####900 seconds.}}"
        elif kind == 2:
            body = f"::Q{n}::How many MB of memory at most, case {n}?{{#10240:0~#See quotas.}}"
        else:
            body = f"::Q{n}::Which variable names the Region ({n})?{{=AWS_REGION =aws_region}}"
        blocks.append(f"// [id:gen-{n}] [tag:saa-c03]\n{body}")
    return "\n\n".join(blocks) + "\n"


def aiken_text(count: int) -> str:
    return "".join(
        f"Which limit applies in case {n}?\nA) 6 MB\nB. 256 KB\nC) 1 MB\nANSWER: A\n\n"
        for n in range(count)
    )


def xml_text(count: int) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for n in range(count):
        if n % 100 == 0:
            parts.append(
                '<question type="category"><category><text>$course$/top/Gen '
                f"{n // 100}</text></category></question>\n"
            )
        image = (
            f'<img src="@@PLUGINFILE@@/dot.png" alt="a dot">]]></text>'
            f'<file name="dot.png" path="/" encoding="base64">{PNG}</file>'
            if n % 50 == 0
            else "]]></text>"
        )
        parts.append(
            f'<question type="multichoice"><name><text>Q{n}</text></name>'
            f'<questiontext format="html"><text><![CDATA[<p>Scenario {n}: which one?</p>{image}'
            '</questiontext><generalfeedback format="html"><text>Because.</text>'
            f"</generalfeedback><idnumber>gen-{n}</idnumber><single>true</single>"
            '<answer fraction="100"><text>SQS</text><feedback><text>Yes.</text></feedback></answer>'
            '<answer fraction="0"><text>SNS</text></answer>'
            '<answer fraction="0"><text>Kinesis</text></answer>'
            "<tags><tag><text>saa-c03</text></tag></tags></question>\n"
        )
    parts.append("</quiz>\n")
    return "".join(parts)


def _split(questions: list[dict], topic: str, source: str) -> list[str]:
    """`split_bank` where the tree has it, else the one file `dump_bank` writes."""
    importers = importlib.import_module("quizzes.course.importers")
    if hasattr(importers, "split_bank"):
        return importers.split_bank(questions, topic, source=source)
    return [importers.dump_bank(questions, topic, source=source)]


def timed(name: str, convert, text: str, **options) -> None:
    from quizzes.course.bank import parse_bank

    accepted = inspect.signature(convert).parameters
    options = {key: value for key, value in options.items() if key in accepted}
    start, cpu = time.perf_counter(), time.process_time()
    result = convert(text, topic="limits", id_prefix="gen", **options)
    files = _split(result.questions, "limits", source=f"a generated {name} file")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    parsed = [parse_bank(f"gen-{n}.yaml", bank) for n, bank in enumerate(files)]
    checked = time.perf_counter() - start
    problems = sum(len(bank.problems) for bank in parsed)
    print(
        f"{name:<11} {len(text) / 1024 / 1024:6.1f} MB in, {len(result.questions):6} questions "
        f"({len(result.skipped)} skipped) -> {len(files)} bank file(s), "
        f"{len(getattr(result, 'media', ()))} image(s): {seconds:.2f} s (CPU {cpu:.2f} s); "
        "the banks parsed and checked "
        f"(each file alone, {problems} problems): {checked:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--tree",
        default=str(Path(__file__).resolve().parent.parent),
        help="the checkout whose importers are timed (default: this one)",
    )
    options = parser.parse_args()
    count = options.count
    sys.path.insert(0, options.tree)
    from quizzes.costs.exercises import check_exercise
    from quizzes.course import bank
    from quizzes.course.importers import aiken, gift, moodle_xml

    if hasattr(bank, "use_exercise_check"):
        bank.use_exercise_check(check_exercise)
    print(f"importers of {options.tree}")
    print(f"{count:,} questions per format, from text to bank files:")
    timed("GIFT", gift.convert, gift_text(count), topics=["limits"])
    timed("Aiken", aiken.convert, aiken_text(count), tags=["saa-c03"])
    timed("Moodle XML", moodle_xml.convert, xml_text(count), topics=["limits"])
    empty = "<quiz>\n" + "<question/>\n" * 95_000 + "</quiz>"
    start = time.perf_counter()
    lines = moodle_xml._question_lines(empty)
    print(f"XML line numbers of {len(lines):,} empty questions: "
          f"{time.perf_counter() - start:.3f} s")  # fmt: skip


if __name__ == "__main__":
    main()
