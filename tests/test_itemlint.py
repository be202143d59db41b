"""The item-writing linter: each cue on a made-up item, shares against their limits, --strict."""

from __future__ import annotations

import textwrap

import pytest
from django.core.management import call_command

from quizzes.course.awsservices import is_multi_service, services_named
from quizzes.course.bank import parse_bank
from quizzes.course.itemlint import (
    Limits,
    form,
    has_figures,
    is_scenario,
    lint,
    lint_item,
    odd_one_out,
    similarity,
    terms,
    words,
)

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


def test_a_distinctive_stem_term_repeated_by_the_key_alone_is_a_cue():
    # "dead-letter" in the stem, DeadLetterErrors (camelCase split) in the key only.
    [spec] = bank(
        single("q1", "Which metric counts events the function failed to send to its dead-letter "
               "queue?", "`DeadLetterErrors`", "`Throttles`", "`IteratorAge`", "`Errors`")
    )  # fmt: skip
    found, tally = lint_item(spec)
    assert tally.key_term == 1 and tally.distractor_term == 0
    assert any("only the key repeats the stem's term" in m for m in messages(found))
    assert {"dead", "letter"} <= terms("DeadLetterErrors")


def test_a_term_every_choice_repeats_or_a_common_word_is_no_cue():
    [spec] = bank(
        single("q1", "Which queue setting should the team change?", "Queue visibility timeout",
               "Queue retention period", "Queue delay", "Queue size")
    )  # fmt: skip
    _, tally = lint_item(spec)
    assert tally.key_term == 0
    assert terms("the team should change the setting") == set()


def test_the_odd_one_out_in_form_is_found_on_the_key_and_counted_on_distractors():
    yes_no = ["Yes, signing adds latency", "No, it is checked at deployment", "No, never", "No."]
    assert odd_one_out(yes_no) == 0
    assert odd_one_out(["Use A", "Use B", "Use C", "Configure D"]) == 3
    assert odd_one_out(["A queue", "The topic", "An alarm", "Polling the stream"]) == 3
    assert odd_one_out(["Use A", "Use B", "Configure C"]) is None  # three choices tell nothing
    assert odd_one_out(["Use A", "Use B", "Set C", "Configure D"]) is None
    assert (
        form("`x = 1`") == "code" and form("512 MB") == "figure" and form("Adding it") == "gerund"
    )
    [key_odd, distractor_odd] = bank(
        single("q1", "Does code signing slow invocations?", *yes_no),
        single("q2", "Does code signing slow invocations down?", "No, it is checked at "
               "deployment", "Yes, on every call", "No, only on cold starts", "No, after retries"),
    )  # fmt: skip
    found, tally = lint_item(key_odd)
    assert tally.key_odd == 1 and any("odd one out" in m for m in messages(found))
    _, tally = lint_item(distractor_odd)
    assert tally.key_odd == 0 and tally.distractor_odd == 1


def test_a_key_that_alone_has_figures_or_code_is_a_cue():
    assert has_figures("About 20% cheaper per GB-second") and has_figures("`arm64`")
    assert not has_figures("Move it to S3 on EC2 with arm64")
    [spec] = bank(
        single("q1", "Which architecture lowers the bill?", "arm64, about 20% cheaper",
               "x86 with more memory", "A larger instance", "Provisioned concurrency")
    )  # fmt: skip
    found, tally = lint_item(spec)
    assert tally.key_figures == 1 and "only the key has figures or code" in messages(found)


def test_form_cue_shares_over_their_limits_are_warnings():
    items = bank(
        *[single(f"q{i}", f"Case {i}: which answer?", f"Yes, case {i}", "No, one", "No, two",
                 "No, three", key_at=i % 4) for i in range(12)],
    )  # fmt: skip
    text = "\n".join(messages(lint(items).warnings))
    assert "the key is the odd one out in form (its first word) in 12 of 12" in text


def test_services_are_named_by_name_alias_acronym_and_iam_prefix():
    found = services_named(
        "An SQS queue, sqs:SendMessage, Amazon SNS, RDS Proxy before Aurora, CloudWatch Events, "
        "a NAT gateway, sam local invoke, samples, Lambda@Edge"
    )
    assert found == {"SQS", "SNS", "RDS", "EventBridge", "VPC", "SAM"}
    assert services_named("the lambda:InvokeFunction permission on Lambda") == frozenset()
    assert is_multi_service("Behind API Gateway, the function writes to", "DynamoDB")
    assert not is_multi_service("RDS Proxy pools connections to an Aurora cluster")


def test_the_multi_service_share_is_counted_and_reported():
    items = bank(
        single("q1", "An API Gateway API calls the function, which writes to DynamoDB. Which?",
               "A", "B"),
        single("q2", "Which memory size?", "A", "B"),
    )  # fmt: skip
    report = lint(items)
    assert report.course.multi_service == 1 and report.course.exam_style == 2
    assert "multi-service 50% (1 of 2)" in "\n".join(report.summary_lines())


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
