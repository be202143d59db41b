"""Moodle GIFT and Aiken importers: exact conversions, skipped types with lines, checked output."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.course.bank import parse_bank
from quizzes.course.check import check_course
from quizzes.course.importers import (
    PLACEHOLDER_EXPLANATION,
    PLACEHOLDER_REFERENCE,
    aiken,
    dump_bank,
    gift,
    html_to_markdown,
    slugify,
)

from .conftest import FIXTURE_COURSE, REPO

REF = PLACEHOLDER_REFERENCE
LIMITS_REF = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"

# A bank as Moodle exports it: comments, a category, titles, [html] text, feedback everywhere,
# and a few types we cannot convert. Line numbers matter: the tests below name them.
GIFT = """\
// question: 1001  name: Timeout max
// Exported from Moodle 4.3, course "AWS Lambda"
$CATEGORY: $course$/top/AWS Lambda/Limits

::Timeout max::[html]<p>A nightly job needs <b>20 minutes</b>. What should the team do?</p>{
\t=Split it into steps with AWS Step Functions.#Each step stays under 15 minutes.
\t~Raise the timeout to 20 minutes.#The timeout cannot exceed 900 seconds.
\t~Give it 10,240 MB of memory.
\t####A Lambda invocation runs for at most <b>900 seconds</b>.
}

// Choose two: Moodle's weights, with a penalty for the wrong one.
::Ten GB::Which two settings go up to 10,240 MB?{
\t~%50%Function memory#Yes: 128 MB to 10,240 MB.
\t~%50%Ephemeral storage (/tmp)#Yes: 512 MB to 10,240 MB.
\t~%-100%Deployment package (zip)#No: a zip uploaded directly is limited to 50 MB.
}

::tmp default::The /tmp directory can never hold more than 512 MB.{FALSE#It can: 512 MB is only \
the default.#Right: it goes up to 10,240 MB.####Ephemeral storage is configurable.}

::Escapes::Which ARN names a function version\\: arn\\:aws\\:lambda\\:...\\:fn\\:3?{
\t=A qualified ARN \\= name plus version#The suffix \\#3 is not it; \\:3 is.
\t~An unqualified ARN \\{no suffix\\}
\t~An alias ARN \\~ always
}

Lambda functions can be invoked by Amazon S3 events.{T}

::Weighted::Which two lower cold-start latency?{
\t~%70%Provisioned concurrency
\t~%30%SnapStart (Java)
\t~%-50%A larger deployment package
\t~%0%More log output
}

::Ten GB::Which two quotas can AWS raise on request?{
\t~%50%Concurrent executions
\t~%50%Storage for functions and layers
\t~Maximum timeout
}

::Memory range::How much memory, in GB, can a function have at most? {#1..10}

::Price::What does 1M requests cost in USD? {#=0.20:0.01 =%50%0.2:0.1}

::Match triggers::Match each source with its invocation model.{
\t=Amazon S3 -> asynchronous
\t=Amazon SQS -> event source mapping
\t=API Gateway -> synchronous
}

::Essay::Explain when you would not use Lambda.{}

::Short::Which service runs a workflow of Lambda functions?{=Step Functions =AWS Step Functions}

::Blank::A function can run for at most {=15 ~5 ~60} minutes.
"""


def gift_result(**options):
    options = {"tags": ["saa-c03"], "topics": ["limits"], **options}
    return gift.convert(GIFT, topic="limits", id_prefix="moodle", **options)


def test_gift_single_with_html_feedback_and_general_feedback():
    question = gift_result().questions[0]
    assert question == {
        "id": "moodle-timeout-max",
        "type": "single",
        "difficulty": "medium",
        "tags": ["saa-c03"],
        "stem": "A nightly job needs **20 minutes**. What should the team do?",
        "choices": [
            {
                "text": "Split it into steps with AWS Step Functions.",
                "correct": True,
                "rationale": "Each step stays under 15 minutes.",
            },
            {
                "text": "Raise the timeout to 20 minutes.",
                "rationale": "The timeout cannot exceed 900 seconds.",
            },
            {"text": "Give it 10,240 MB of memory."},
        ],
        "explanation": "A Lambda invocation runs for at most **900 seconds**.",
        "references": [REF],
    }


def test_gift_weights_become_a_multiple_question_with_choose():
    question = gift_result().questions[1]
    assert question["id"] == "moodle-ten-gb"
    assert question["type"] == "multiple"
    assert question["choose"] == 2
    assert question["choices"] == [
        {"text": "Function memory", "correct": True, "rationale": "Yes: 128 MB to 10,240 MB."},
        {
            "text": "Ephemeral storage (/tmp)",
            "correct": True,
            "rationale": "Yes: 512 MB to 10,240 MB.",
        },
        {
            "text": "Deployment package (zip)",
            "rationale": "No: a zip uploaded directly is limited to 50 MB.",
        },
    ]
    assert question["explanation"] == PLACEHOLDER_EXPLANATION
    assert list(question) == [
        "id", "type", "choose", "difficulty", "tags", "stem", "choices", "explanation",
        "references",
    ]  # fmt: skip


def test_gift_true_false_keeps_its_feedback_in_the_explanation():
    questions = gift_result().questions
    assert questions[2] == {
        "id": "moodle-tmp-default",
        "type": "true_false",
        "difficulty": "medium",
        "tags": ["saa-c03"],
        "stem": "The /tmp directory can never hold more than 512 MB.",
        "answer": False,
        "explanation": "Ephemeral storage is configurable.\n\n"
        "Right: it goes up to 10,240 MB.\n\nIt can: 512 MB is only the default.",
        "references": [REF],
    }
    untitled = questions[4]
    assert untitled["id"] == "moodle-5"  # fifth question of the file, no title
    assert (untitled["type"], untitled["answer"]) == ("true_false", True)
    assert untitled["stem"] == "Lambda functions can be invoked by Amazon S3 events."


def test_gift_escapes_are_unescaped_and_do_not_split_answers():
    question = gift_result().questions[3]
    assert question["id"] == "moodle-escapes"
    assert question["stem"] == "Which ARN names a function version: arn:aws:lambda:...:fn:3?"
    assert question["choices"] == [
        {
            "text": "A qualified ARN = name plus version",
            "correct": True,
            "rationale": "The suffix #3 is not it; :3 is.",
        },
        {"text": "An unqualified ARN {no suffix}"},
        {"text": "An alias ARN ~ always"},
    ]


def test_gift_unequal_weights_convert_all_or_nothing_with_a_note():
    result = gift_result()
    question = result.questions[5]
    assert question["id"] == "moodle-weighted"
    assert question["choose"] == 2
    assert [c.get("correct", False) for c in question["choices"]] == [True, True, False, False]
    assert (29, "the right answers had unequal weights (30%, 70%); they now count all-or-nothing, "
            "equally") in result.notes  # fmt: skip


def test_gift_repeated_titles_get_numbered_ids():
    ids = [q["id"] for q in gift_result().questions]
    assert ids == [
        "moodle-timeout-max",
        "moodle-ten-gb",
        "moodle-tmp-default",
        "moodle-escapes",
        "moodle-5",
        "moodle-weighted",
        "moodle-ten-gb-2",
        "moodle-memory-range",
        "moodle-price",
        "moodle-match-triggers",
        "moodle-short",
        "moodle-blank",
    ]


def test_gift_numerical_in_its_three_forms_and_matching_convert():
    questions = {q["id"]: q for q in gift_result().questions}
    assert questions["moodle-memory-range"]["range"] == {"min": 1, "max": 10}
    assert questions["moodle-memory-range"]["unit"] == "GB"
    price = questions["moodle-price"]
    assert (price["answer"], price["tolerance"], price["unit"]) == (0.2, 0.01, "USD")
    assert questions["moodle-match-triggers"]["pairs"][1] == {
        "prompt": "Amazon SQS", "answer": "event source mapping"
    }  # fmt: skip
    exact = gift.convert("Layers per function? {#5:0}", topic="limits", id_prefix="x")
    assert exact.questions[0]["answer"] == 5 and exact.questions[0]["tolerance"] == 0
    assert exact.questions[0]["unit"] == "number" and "set 'unit'" in exact.notes[0][1]
    few = gift.convert("Match.{=a -> b =c -> d}", topic="limits", id_prefix="x")
    assert few.skipped == [(1, "a matching question here has 3 to 6 pairs, this one has 2")]


def test_gift_skips_what_has_no_equivalent_with_the_line_and_a_reason():
    assert gift_result().skipped == [
        (52, "essay questions cannot be marked"),
    ]
    questions = {q["id"]: q for q in gift_result().questions}
    assert questions["moodle-short"]["answers"] == [
        {"text": "Step Functions"},
        {"text": "AWS Step Functions"},
    ]
    assert questions["moodle-blank"]["stem"] == "A function can run for at most _____ minutes."


def test_gift_notes_list_every_placeholder_explanation():
    notes = gift_result().notes
    placeholders = [line for line, note in notes if "explanation is a placeholder" in note]
    assert placeholders == [13, 21, 27, 29, 36, 42, 44, 46, 54, 56]
    assert (19, "the true/false feedback is now part of the explanation (true/false questions "
            "have no per-answer feedback here)") in notes  # fmt: skip


def test_gift_defaults_are_applied_and_checked():
    result = gift_result(difficulty="hard", tags=["dva-c02", "imported"], reference=LIMITS_REF)
    assert {q["difficulty"] for q in result.questions} == {"hard"}
    assert {tuple(q["tags"]) for q in result.questions} == {("dva-c02", "imported")}
    assert {tuple(q["references"]) for q in result.questions} == {(LIMITS_REF,)}
    with pytest.raises(ValueError, match="https"):
        gift_result(reference="http://example.com")
    with pytest.raises(ValueError, match="difficulty"):
        gift_result(difficulty="trivial")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Just some text with no answers.", "description, not a question"),
        ("Broken {=a ~b", "unbalanced braces"),
        ("::T::{=a ~b}", "no text"),
        ("Both right?{=a =b ~c}", "exactly one fully right"),
        ("None right?{~%-50%a ~b}", "no answer has a positive weight"),
        ("All right?{~%50%a ~%50%b}", "nothing to choose"),
        ("Same?{=a ~a}", "two choices have the same text"),
        ("Lonely?{~a}", "at least two choices"),
        ("Empty?{~=a}", "a choice has no text"),
    ],
)
def test_gift_malformed_questions_are_skipped_not_guessed(source, reason):
    result = gift.convert(f"// c\n{source}\n", topic="limits", id_prefix="x")
    assert result.questions == []
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == 2
    assert reason in result.skipped[0][1]


def test_gift_partial_credit_in_a_one_answer_question_is_noted():
    result = gift.convert("Pick one{=a ~%50%b ~c}", topic="limits", id_prefix="x")
    assert result.questions[0]["type"] == "single"
    assert [c.get("correct", False) for c in result.questions[0]["choices"]] == [1, 0, 0]
    assert (1, "partial credit dropped, counted as wrong: 'b' (50%)") in result.notes


def test_html_becomes_markdown_text():
    html = (
        "<p>Use <strong>RDS&nbsp;Proxy</strong> &amp; <em>pooling</em>.<br>See "
        '<a href="https://docs.aws.amazon.com/x">docs</a><script>alert(1)</script></p>'
        "<ul><li>one</li><li>two</li></ul><b></b>"
    )
    assert html_to_markdown(html) == (
        "Use **RDS Proxy** & *pooling*.\nSee [docs](https://docs.aws.amazon.com/x)\n\n- one\n- two"
    )


def test_slugify_is_ascii_and_bounded():
    assert slugify("Lambda@Edge: réplicas & quotas!") == "lambda-edge-replicas-quotas"
    assert len(slugify("word " * 40, 30)) <= 30
    assert slugify("日本語") == ""


def test_dump_bank_round_trips_through_the_bank_parser():
    result = gift_result()
    text = dump_bank(result.questions, "limits")
    assert text.startswith("# Imported from")
    assert yaml.safe_load(text) == {"topic": "limits", "questions": result.questions}
    assert "    tags: [saa-c03]\n" in text
    bank = parse_bank("imported.yaml", text)
    assert bank.problems == []
    assert [q.uid for q in bank.questions] == [q["id"] for q in result.questions]


# --- Aiken ---------------------------------------------------------------------------------------

AIKEN = """\
What is the maximum timeout of a Lambda function?
A. 5 minutes
B. 15 minutes
C. 1 hour
ANSWER: B

Which service pools database connections for Lambda?
A) Amazon RDS Proxy
B) Amazon ElastiCache
C) AWS Global Accelerator
ANSWER: A

Which invocation type retries twice on error?
A. Synchronous
B. Asynchronous

How much ephemeral storage does a function get by default?
A) 512 MB
B) 10,240 MB
ANSWER: A

Which architecture is cheaper per GB-second?
A. x86_64
B. arm64
ANSWER: D
"""


def test_aiken_converts_single_answer_questions_and_skips_malformed_ones():
    result = aiken.convert(AIKEN, topic="limits", id_prefix="aiken", tags=["dva-c02"])
    assert result.questions[0] == {
        "id": "aiken-1",
        "type": "single",
        "difficulty": "medium",
        "tags": ["dva-c02"],
        "stem": "What is the maximum timeout of a Lambda function?",
        "choices": [
            {"text": "5 minutes"},
            {"text": "15 minutes", "correct": True},
            {"text": "1 hour"},
        ],
        "explanation": PLACEHOLDER_EXPLANATION,
        "references": [REF],
    }
    assert result.questions[1]["choices"] == [
        {"text": "Amazon RDS Proxy", "correct": True},
        {"text": "Amazon ElastiCache"},
        {"text": "AWS Global Accelerator"},
    ]
    assert result.questions[2]["stem"] == (
        "How much ephemeral storage does a function get by default?"
    )
    assert [q["id"] for q in result.questions] == ["aiken-1", "aiken-2", "aiken-4"]
    assert result.skipped == [
        (13, "no ANSWER line after the options"),
        (22, "ANSWER: D names no option (options: A, B)"),
    ]
    assert [line for line, note in result.notes if "explanation" in note] == [1, 7, 17]


def test_aiken_question_without_options_or_answer_at_the_end_is_skipped():
    result = aiken.convert("Dangling question?\n", topic="limits", id_prefix="a")
    assert result.skipped == [(1, "no options")]
    result = aiken.convert("Q?\nA. x\nB. y\nANSWER: A, B\n", topic="limits", id_prefix="a")
    assert result.skipped == [(1, "the ANSWER line must give one letter, such as 'ANSWER: B'")]


# --- Commands ------------------------------------------------------------------------------------


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if "--tags" not in args:  # an importer knows no exam: the author says which
        args = (*args, "--tags", "saa-c03")
    try:
        call_command(command, *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "lambda.gift"
    path.write_text(GIFT, encoding="utf-8")
    return path


def test_import_gift_writes_a_bank_that_passes_the_checker(gift_file, tmp_path):
    out = tmp_path / "imported.yaml"
    status, stdout, _ = run(
        "import_gift", str(gift_file), "-o", str(out), "--topic", "limits",
        "--id-prefix", "moodle", "--tags", "saa-c03,dva-c02",
    )  # fmt: skip
    assert status == 0, stdout
    assert f"{gift_file}:52: skipped: essay questions cannot be marked" in stdout
    assert f"{gift_file}:44: note: partially right answers dropped: 0.2:0.1" in stdout
    assert f"{gift_file}:13: note: no general feedback" in stdout
    assert stdout.splitlines()[-1] == "12 converted, 1 skipped"
    course = check_course([out], context_dir=FIXTURE_COURSE)
    assert course.problems == []
    assert [q.uid for q in course.questions][:2] == ["moodle-timeout-max", "moodle-ten-gb"]
    assert {q.tags for q in course.questions} == {("saa-c03", "dva-c02")}
    assert {q.topic for q in course.questions} == {"limits"}
    assert "Moodle GIFT file lambda.gift" in out.read_text(encoding="utf-8")


def test_imported_ids_steer_clear_of_the_courses_ids(gift_file, tmp_path):
    # Prefix "fx" and title "Timeout" give fx-timeout, an id the fixture course already has.
    source = tmp_path / "clash.gift"
    source.write_text("::Timeout::Max timeout?{=15 minutes ~5 minutes}\n", encoding="utf-8")
    out = tmp_path / "clash.yaml"
    status, stdout, _ = run(
        "import_gift", str(source), "-o", str(out), "--topic", "limits", "--id-prefix", "fx"
    )
    assert status == 0, stdout
    assert "id: fx-timeout-2" in out.read_text(encoding="utf-8")


def test_import_gift_exits_1_and_prints_problems_when_the_output_fails_the_checker(
    gift_file, tmp_path
):
    # Text that looks like UTF-8 read as Latin-1 converts, but the course checker refuses it.
    source = tmp_path / "mojibake.gift"
    source.write_text("::Cafe::CafÃ© timeout?{=15 minutes ~5 minutes}\n", encoding="utf-8")
    out = tmp_path / "mojibake.yaml"
    status, stdout, stderr = run(
        "import_gift", str(source), "-o", str(out), "--topic", "limits", "--id-prefix", "fx"
    )
    assert status == 1
    assert "mojibake" in stdout.lower() or "Ã©" in stdout
    assert stdout.splitlines()[-1] == "1 converted, 0 skipped"
    assert "does not pass check_content: 1 problem" in stderr


def test_import_aiken_reports_skipped_questions_with_their_lines(tmp_path):
    source = tmp_path / "bank.txt"
    source.write_text(AIKEN, encoding="utf-8")
    out = tmp_path / "aiken.yaml"
    status, stdout, _ = run("import_aiken", str(source), "-o", str(out), "--topic", "pricing")
    assert status == 0, stdout
    assert f"{source}:13: skipped: no ANSWER line after the options" in stdout
    assert f"{source}:22: skipped: ANSWER: D names no option (options: A, B)" in stdout
    assert stdout.splitlines()[-1] == "3 converted, 2 skipped"
    course = check_course([out], context_dir=FIXTURE_COURSE)
    assert course.problems == []
    assert [q.uid for q in course.questions] == ["pricing-1", "pricing-2", "pricing-4"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{src}", "-o", "{out}"], r"--topic is required: pick one of the topics in content/notes"
                                   r" \(limits, pricing\)"),
        (["{src}", "-o", "{out}", "--topic", "vpc"], "unknown topic 'vpc': pick one of"),
        (["{tmp}/missing.gift", "-o", "{out}", "--topic", "limits"], "cannot read .*missing.gift"),
        (["{src}", "-o", "{tmp}/no/such/dir/x.yaml", "--topic", "limits"], "cannot write"),
        (["{src}", "-o", "{tmp}/x.txt", "--topic", "limits"], "must end in .yaml or .yml"),
        (["{src}", "-o", "{out}", "--topic", "limits", "--reference", "ftp://x"], "https://"),
        (["{src}", "-o", "{out}", "--topic", "limits", "--id-prefix", "Bad_Prefix"], "id prefix"),
    ],
)  # fmt: skip
def test_import_gift_bad_input_is_one_clear_error(gift_file, tmp_path, args, message):
    out = tmp_path / "out.yaml"
    filled = [a.format(src=gift_file, out=out, tmp=tmp_path) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_gift", *filled, stdout=io.StringIO())
    assert not out.exists()


def test_input_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    source = tmp_path / "latin1.gift"
    source.write_bytes("::Q::Ok?{T}\n\n::R::Caf\xe9?{F}\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1.gift:3: not valid UTF-8 \(byte 0xE9"):
        call_command("import_aiken", str(source), "-o", str(tmp_path / "x.yaml"), "--topic",
                     "limits")  # fmt: skip


def test_an_existing_output_is_kept_unless_forced(gift_file, tmp_path):
    out = tmp_path / "bank.yaml"
    out.write_text("keep me", encoding="utf-8")
    args = ["import_gift", str(gift_file), "-o", str(out), "--topic", "limits"]
    with pytest.raises(CommandError, match="already exists: use --force"):
        call_command(*args, stdout=io.StringIO())
    assert out.read_text(encoding="utf-8") == "keep me"
    status, _, _ = run(*args, "--force")
    assert status == 0
    assert out.read_text(encoding="utf-8").startswith("# Imported from")


def test_from_the_shell_an_error_is_one_line_without_a_traceback(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "studyapp.test_settings"}
    env["CONTENT_DIR"] = str(FIXTURE_COURSE)
    missing = tmp_path / "missing.gift"
    done = subprocess.run(
        [sys.executable, "manage.py", "import_gift", str(missing), "-o", str(tmp_path / "x.yaml"),
         "--topic", "limits"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"CommandError: cannot read {missing}: No such file or directory"
    ]
    assert not Path(tmp_path / "x.yaml").exists()


def test_importing_into_the_same_bank_again_keeps_its_ids(gift_file, tmp_path, settings):
    course = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, course)
    settings.CONTENT_DIR = course
    out = course / "banks" / "imported.yaml"
    args = ["import_gift", str(gift_file), "-o", str(out), "--topic", "limits"]
    assert run(*args)[0] == 0
    first = [q.uid for q in check_course([out]).questions]
    assert run(*args, "--force")[0] == 0
    assert [q.uid for q in check_course([out]).questions] == first


def _small_split(monkeypatch, limit: int = 2500) -> None:
    """Bank files split at `limit` bytes instead of the course's 1 MB, to test splitting small."""
    import functools

    from quizzes.course.importers import split_bank
    from quizzes.management.commands import import_gift

    monkeypatch.setattr(import_gift, "split_bank", functools.partial(split_bank, limit=limit))


def test_a_split_bank_imported_again_keeps_the_ids_of_every_part(tmp_path, settings, monkeypatch):
    course = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, course)
    settings.CONTENT_DIR = course
    _small_split(monkeypatch)
    source = tmp_path / "many.gift"
    source.write_text(
        "\n\n".join(f"::Setting {n} of memory::Can it change?{{T}}" for n in range(24)), "utf-8"
    )
    out = course / "banks" / "many.yaml"
    args = ["import_gift", str(source), "-o", str(out), "--topic", "limits"]
    status, stdout, _ = run(*args)
    assert status == 0, stdout
    parts = sorted(out.parent.glob("many*.yaml"))
    assert len(parts) > 2 and "split into" in stdout
    first = [q.uid for q in check_course(parts).questions]
    assert sorted(first) == sorted(f"limits-setting-{n}-of-memory" for n in range(24))

    kept = out.read_text("utf-8")
    out.unlink()
    with pytest.raises(CommandError, match="many-2.yaml already exists: use --force"):
        run(*args)  # the parts are refused like the bank itself
    out.write_text(kept, "utf-8")
    status, stdout, _ = run(*args, "--force")
    assert status == 0, stdout
    assert sorted(out.parent.glob("many*.yaml")) == parts
    assert [q.uid for q in check_course(parts).questions] == first


def test_a_smaller_import_of_a_split_bank_removes_its_parts(tmp_path, settings, monkeypatch):
    course = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, course)
    settings.CONTENT_DIR = course
    _small_split(monkeypatch)
    source = tmp_path / "many.gift"
    questions = [f"::Setting {n}::Can setting {n} be changed?{{T}}" for n in range(24)]
    source.write_text("\n\n".join(questions), "utf-8")
    out = course / "banks" / "many.yaml"
    args = ["import_gift", str(source), "-o", str(out), "--topic", "limits", "--force"]
    assert run(*args)[0] == 0
    authors = course / "banks" / f"many-{len(list(out.parent.glob('many*.yaml'))) + 1}.yaml"
    authors.write_text("topic: limits\nquestions: []\n", "utf-8")  # not an importer's part
    source.write_text("\n\n".join(questions[:3]), "utf-8")
    status, stdout, _ = run(*args)
    assert status == 0, stdout
    left = sorted(path.name for path in out.parent.glob("many*.yaml"))
    assert left == sorted(["many.yaml", authors.name])
    assert "removed" in stdout and "a part of the earlier import of many.yaml" in stdout
    assert len(check_course([out]).questions) == 3
