"""check_content against a corpus of bad files, each carrying the exact messages it must give."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.course.check import check_course, display_path

from .conftest import BAD_CONTENT, FIXTURE_COURSE
from .test_course_quality import TOPICS

BAD_FILES = sorted(p for p in BAD_CONTENT.iterdir() if p.suffix in (".yaml", ".md"))
# tests/bad_content/EXPECTED: "file:line: message" for every problem each bad file must give.
EXPECTED = [
    line.split(":", 1)
    for line in (BAD_CONTENT / "EXPECTED").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


def expected_problems(path: Path) -> list[str]:
    return [f"{display_path(path)}:{rest}" for name, rest in EXPECTED if name == path.name]


def run_check(*paths: Path, capsys) -> tuple[int, str]:
    try:
        call_command("check_content", *map(str, paths))
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, capsys.readouterr().out


def test_the_corpus_covers_every_kind_of_problem():
    assert len(BAD_FILES) >= 18
    assert all(expected_problems(path) for path in BAD_FILES), "every bad file states its messages"


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_each_bad_file_gives_exactly_its_messages(path, capsys):
    status, out = run_check(path, capsys=capsys)
    assert status == 1
    reported = [line for line in out.splitlines() if line.startswith(display_path(path) + ":")]
    assert reported == expected_problems(path)


def test_every_problem_of_every_file_is_printed_not_only_the_first(capsys):
    status, out = run_check(BAD_CONTENT, capsys=capsys)
    assert status == 1
    for path in BAD_FILES:
        for problem in expected_problems(path):
            assert problem in out


def test_the_fixture_course_is_valid_and_summarised_per_topic(capsys):
    status, out = run_check(FIXTURE_COURSE, capsys=capsys)
    assert status == 0, out
    assert "limits: 3 questions, 1 flashcards, 0 exercises" in out
    assert "pricing: 0 questions, 0 flashcards, 1 exercises" in out


def test_the_shipped_course_is_valid(settings, capsys):
    from .conftest import REPO

    settings.CONTENT_DIR = REPO / "content"
    status, out = run_check(capsys=capsys)
    assert status == 0, out
    for topic in ("overview", *TOPICS):
        assert re.search(rf"^{topic}: \d+ questions, \d+ flashcards, \d+ exercises$", out, re.M)


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_text("questions:\n" + "# padding\n" * 120_000)
    status, out = run_check(big, capsys=capsys)
    assert status == 1
    assert f"{display_path(big)}:1: file is 1.1 MB, over the 1 MB limit" in out


def test_billion_laughs_is_refused_at_the_first_alias_in_a_subprocess_that_returns(tmp_path):
    """Run in a child process with a generous limit, so a regression fails instead of hanging CI."""
    script = (
        "from pathlib import Path; from quizzes.course.yamlsafe import load, YamlError\n"
        f"text = Path({str(BAD_CONTENT / 'billion_laughs.yaml')!r}).read_text()\n"
        "try:\n    load(text)\nexcept YamlError as e:\n    print(e.line, e.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.startswith("2 YAML aliases (*a) are not allowed")


@pytest.mark.parametrize(
    ("text", "line", "anchor"),
    [("a: &x 1\nb: *x\n", 2, "x"), ("a: 1\nb: [2, *y]\n", 2, "y"), ("s: *z\n", 1, "z")],
)
def test_an_alias_is_refused_by_name_with_or_without_its_anchor(text, line, anchor):
    """A text without `&` skips the alias scan; its aliases, undefined, get the same message."""
    from quizzes.course.yamlsafe import YamlError, load

    with pytest.raises(YamlError) as refused:
        load(text)
    assert refused.value.line == line
    assert refused.value.message.startswith(f"YAML aliases (*{anchor}) are not allowed")
    assert load('s: "*z and & and **bold**"\n')[0] == {"s": "*z and & and **bold**"}


def test_a_missing_path_is_a_clear_error(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file or folder: nope.yaml"):
        call_command("check_content", "nope.yaml")


def test_a_duplicate_id_is_found_across_banks_when_one_file_is_checked():
    course = check_course([BAD_CONTENT / "duplicate_ids.yaml"], context_dir=FIXTURE_COURSE)
    messages = [str(p) for p in course.problems]
    assert any("fx-timeout" in m and "fixtures/course/banks/limits.yaml:3" in m for m in messages)


def test_banks_parsed_in_worker_processes_give_what_one_process_gives(monkeypatch):
    """`parse_banks` forks one worker per core for a large course: same questions, lines and
    problems, in the same order (here every bank is "large")."""
    from quizzes.course import check

    banks = sorted((FIXTURE_COURSE / "banks").glob("*.yaml")) + [BAD_CONTENT / "duplicate_ids.yaml"]
    serial = check.parse_banks(banks)
    monkeypatch.setattr(check, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(check.os, "cpu_count", lambda: 2)
    parallel = check.parse_banks(banks, parallel=True)
    assert [[(q.uid, q.line, q.spec) for q in questions] for _, questions, _ in parallel] == [
        [(q.uid, q.line, q.spec) for q in questions] for _, questions, _ in serial
    ]
    assert [problems for *_, problems in parallel] == [problems for *_, problems in serial]
    assert sum(len(questions) for _, questions, _ in parallel) >= 8
