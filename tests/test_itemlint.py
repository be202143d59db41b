"""The item-writing linter: each cue on a made-up item, shares against their limits, --strict."""

from __future__ import annotations

import textwrap

import pytest
from django.core.management import call_command

from quizzes.course.bank import parse_bank
from quizzes.course.itemlint import Limits, is_scenario, lint, lint_item, similarity, words

from .conftest import REPO

REF = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"


def bank(*items: str, topic: str = "limits") -> list:
    text = f"topic: {topic}\nquestions:\n" + "".join(textwrap.indent(item, "  ") for item in items)
    result = parse_bank("banks/t.yaml", text)
    assert result.problems == [], result.problems
    return result.questions


def single(uid: str, stem: str, key: str, *others: str, key_at: int = 0) -> str:
    texts = list(others)
    texts.insert(key_at, key)
    choices = "".join(
        f'    - text: "{t}"\n      rationale: r\n'
        + ("      correct: true\n" if i == key_at else "")
        for i, t in enumerate(texts)
    )
    return (
        f"- id: {uid}\n  type: single\n  difficulty: easy\n  tags: [dva-c02]\n"
        f'  stem: "{stem}"\n  choices:\n{choices}  explanation: e\n  references: [{REF}]\n'
    )


def true_false(uid: str, stem: str, answer: bool) -> str:
    return (
        f"- id: {uid}\n  type: true_false\n  difficulty: easy\n  tags: [dva-c02]\n"
        f'  stem: "{stem}"\n  answer: {str(answer).lower()}\n  explanation: e\n'
        f"  references: [{REF}]\n"
    )


def messages(findings) -> list[str]:
    return [f.message for f in findings]


def test_it_marks_a_key_that_is_the_longest_choice_and_by_how_much():
    [spec] = bank(
        single("q1", "How long?", "A much longer and more careful answer", "Short", "Tiny")
    )
    found, tally = lint_item(spec)
    assert tally.longest == 1 and tally.long_margin == 1
    assert any("the key is the longest choice" in m for m in messages(found))


def test_a_key_as_long_as_a_distractor_is_no_cue():
    [spec] = bank(single("q1", "Which?", "Twelve chars", "Twelve steps", "Short"))
    _, tally = lint_item(spec)
    assert tally.longest == 0


def test_all_of_the_above_is_a_warning():
    [spec] = bank(single("q1", "Which?", "All of the above", "One", "Two"))
    found, _ = lint_item(spec)
    assert [f.kind for f in found if "says" in f.message] == ["warning"]


def test_absolute_words_in_distractors_only_and_stem_echo_in_the_key_are_cues():
    [spec] = bank(
        single(
            "q1",
            "Which timeout applies to the handler?",
            "The handler timeout setting",
            "It never stops",
            "Only 3 seconds",
        )  # fmt: skip
    )
    found, tally = lint_item(spec)
    assert tally.distractor_absolute == 2 and tally.key_absolute == 0
    assert tally.key_echo == 1
    assert {"the key alone repeats words of the stem"} <= set(messages(found))


def test_a_multiple_answer_key_set_that_is_the_longest_choices_is_a_cue():
    item = (
        "- id: m1\n  type: multiple\n  choose: 2\n  difficulty: easy\n  tags: [dva-c02]\n"
        "  stem: Which two?\n  choices:\n"
        "    - {text: A long and careful right answer, correct: true, rationale: r}\n"
        "    - {text: Another long and careful right one, correct: true, rationale: r}\n"
        "    - {text: Wrong, rationale: r}\n    - {text: Nah, rationale: r}\n"
        f"  explanation: e\n  references: [{REF}]\n"
    )
    [spec] = bank(item)
    _, tally = lint_item(spec)
    assert tally.longest_set == 1


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("What is the maximum timeout of a Lambda function?", False),
        (
            "A company runs a nightly report as a Lambda function. The report now takes 20 minutes "
            "and the function times out. What should a developer do?",
            True,
        ),
        (
            "A team is deciding whether to use aliases. Which two statements about aliases are "
            "accurate? (Choose two.)",
            False,
        ),
    ],
)
def test_a_scenario_has_an_actor_a_situation_and_a_need_or_constraint(stem, expected):
    assert is_scenario(stem) is expected


def test_near_duplicate_stems_are_warned_across_banks_and_types():
    items = bank(
        single("q1", "What is the largest deployment package size for a zip upload?", "50 MB",
               "10 MB", "250 MB"),
        true_false("q2", "True or false: the largest deployment package size for a zip upload "
                   "is 50 MB.", True),
    )  # fmt: skip
    report = lint(items)
    duplicates = [f for f in report.warnings if "nearly repeats" in f.message]
    assert [f.uid for f in duplicates] == ["q2"]
    assert similarity(words(items[0].stem), words(items[1].stem)) >= 0.6


def test_shares_over_their_limits_are_warnings_for_the_topic_and_the_course():
    items = bank(
        *[single(f"q{i}", f"Question number {i} about limits?", "A much longer right answer here",
                 "No", "Nope", key_at=i % 3) for i in range(12)],
        *[true_false(f"t{i}", f"Statement {i} about quotas and memory size.", False)
          for i in range(10)],
    )  # fmt: skip
    report = lint(items)
    text = "\n".join(messages(report.warnings))
    assert "topic 'limits': the key is the uniquely longest choice in 12 of 12" in text
    assert "0 of 10 true/false answers are True" in text
    assert "the course:" in text
    assert "0 of 12 single and multiple questions are scenarios" in text


def test_a_share_of_fewer_items_than_the_minimum_is_not_judged():
    item = single("q1", "Which?", "A much longer right answer here", "Nah", "Nope")
    assert lint(bank(item), Limits(min_items=2)).warnings == []
    assert lint(bank(item), Limits(min_items=1)).warnings != []


def test_check_content_prints_warnings_and_fails_only_when_strict(tmp_path, capsys, settings):
    course = tmp_path / "content"
    (course / "notes").mkdir(parents=True)
    (course / "banks").mkdir()
    (course / "notes" / "limits.md").write_text(
        "---\ntitle: Limits\ntopic: limits\norder: 1\nsummary: s\n---\n\n## Limits\n\nText.\n"
    )
    (course / "banks" / "limits.yaml").write_text(
        "topic: limits\nquestions:\n"
        + textwrap.indent(single("q1", "Which?", "All of the above", "One", "Two"), "  ")
    )
    settings.CONTENT_DIR = course
    call_command("check_content", str(course))
    out = capsys.readouterr().out
    assert (
        "banks/limits.yaml:4: warning: choice 'a' says 'All of the above'"
        in out.replace(str(course) + "/", "")
        or "warning: choice" in out
    )
    with pytest.raises(SystemExit) as exit:
        call_command("check_content", str(course), "--strict")
    assert exit.value.code == 1


def test_the_shipped_course_passes_the_strict_check(settings, capsys):
    settings.CONTENT_DIR = REPO / "content"
    call_command("check_content", "--strict")
    assert "no problems" in capsys.readouterr().out
