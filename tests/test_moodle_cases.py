"""Moodle's own import cases, as files of our own writing in tests/moodle_cases/: each converts the
way Moodle reads it, and what cannot be kept is named per question."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.course.bank import parse_bank
from quizzes.course.importers import PLACEHOLDER_REFERENCE, aiken, dump_bank, gift, moodle_xml
from quizzes.course.importers.core import guess_unit
from quizzes.course.importers.media import MediaStore, image_type

CASES = Path(__file__).resolve().parent / "moodle_cases"
TOPICS = ["limits", "pricing"]


def _convert(name: str):
    text = (CASES / name).read_text("utf-8")
    if name.endswith(".gift"):
        return gift.convert(text, topic="limits", id_prefix="limits", topics=TOPICS)
    if name.endswith(".xml"):
        return moodle_xml.convert(text, topic="limits", id_prefix="limits", topics=TOPICS)
    return aiken.convert(text, topic="limits", id_prefix="limits")


@pytest.fixture(scope="module")
def xml():
    result = _convert("cases.xml")
    return result, {q["id"]: q for q in result.questions}


@pytest.fixture(scope="module")
def gift_cases():
    result = _convert("cases.gift")
    return result, {q["id"]: q for q in result.questions}


def test_numerical_with_a_catch_all_wrong_answer_converts(gift_cases):
    result, questions = gift_cases
    question = questions["limits-range"]
    assert (question["answer"], question["tolerance"], question["unit"]) == (10240, 2, "MB")
    assert "Far off: see the quotas page." in question["explanation"]


def test_aiken_options_without_a_space_after_the_letter_convert():
    result = _convert("cases.aiken")
    assert not result.skipped
    assert [c["text"] for c in result.questions[0]["choices"]] == ["6 MB", "256 KB", "1 MB"]
    assert result.questions[0]["choices"][0]["correct"] is True


def test_gift_idnumber_tags_difficulty_and_markdown_format(gift_cases):
    _, questions = gift_cases
    question = questions["timeout-max"]
    assert question["difficulty"] == "hard"
    assert question["tags"] == ["lambda-limits", "saa-c03"]  # the category, then its own tags
    assert question["stem"].startswith("What is the **longest** timeout")
    assert question["explanation"] == "Fifteen minutes."


def test_gift_short_answer_with_several_answers_and_a_partial_one(gift_cases):
    result, questions = gift_cases
    question = questions["limits-runtime-name"]
    assert question["type"] == "short"
    assert question["answers"] == [{"text": "python3.12", "rationale": "Right."},
                                   {"text": "Python 3.12"}]  # fmt: skip
    assert question["stem"] == "Which **runtime** identifier runs Python 3.12?"
    assert any("partial credit dropped: 'py312'" in note for _, note in result.notes)


def test_true_false_feedback_is_kept_from_gift_and_from_xml(gift_cases, xml):
    assert "Right: 15 minutes at most." in gift_cases[1]["limits-tf"]["explanation"]
    explanation = xml[1]["limits-tf-feedback"]["explanation"]
    assert "Yes: 900 seconds." in explanation and "It can: 900 seconds." in explanation


def test_invalid_grades_are_refused_as_moodle_refuses_them(gift_cases, xml):
    for result in (gift_cases[0], xml[0]):
        refused = [why for _, why in result.skipped if "do not match grade options" in why]
        assert refused == [
            "grades selected (0.45, 0.55) do not match grade options: question skipped, "
            "as Moodle does"
        ]


def test_a_names_html_never_ends_up_in_an_id(gift_cases, xml):
    ids = [*gift_cases[1], *xml[1]]
    assert not [uid for uid in ids if "strong" in uid]
    assert "limits-bold-name" in gift_cases[1]


def test_xml_general_and_per_answer_feedback_tags_idnumber_and_category(xml):
    result, questions = xml
    question = questions["limits-diagram"]
    assert "topic" not in question  # the category names the file's topic
    assert question["tags"] == ["saa-c03", "queues"]
    assert question["explanation"] == "Lambda polls the queue."
    assert question["choices"][1]["rationale"] == "SNS has topics."
    assert any("correctfeedback" in note for _, note in result.notes)


def test_images_are_kept_as_course_files_and_links_keep_their_targets(xml):
    result, questions = xml
    stem = questions["limits-diagram"]["stem"]
    [path] = result.media
    assert path.startswith("media/") and path.endswith(".png")
    assert f"![An SQS queue feeding a function]({path}) shows a queue" in stem
    assert "[the SQS page](https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html)" in stem
    assert image_type(result.media[path]) == "png"


def test_an_image_that_cannot_be_kept_is_named_in_the_report(xml):
    result, questions = xml
    assert "[chart](https://example.com/mem.png)" in questions["limits-memory"]["stem"]
    assert any("https://example.com/mem.png" in note for _, note in result.notes)


def test_an_image_is_checked_by_its_content_and_its_size():
    store = MediaStore(limit=64)
    store.payloads = {
        "fake.png": base64.b64encode(b"<svg onload=alert(1)>").decode(),
        "big.gif": base64.b64encode(b"GIF89a" + b"x" * 100).decode(),
        "bad.png": "not base64!",
    }
    assert store.keep("fake.png") == (None, "'fake.png' is not a PNG, JPEG, GIF or WebP image")
    assert "over the" in store.keep("big.gif")[1]
    assert "not valid base64" in store.keep("bad.png")[1]
    assert "not in the file" in store.keep("missing.png")[1]
    assert store.kept == {}


def test_short_answer_from_xml_keeps_case_rules_and_other_feedback(xml):
    question = xml[1]["limits-env-var"]
    assert question["type"] == "short" and question["case_sensitive"] is True
    assert [a["text"] for a in question["answers"]] == ["AWS_REGION", "AWS_DEFAULT_REGION"]
    assert question["explanation"].endswith("Look at the reserved variables.")


def test_cloze_gaps_become_questions_or_the_cloze_is_refused_with_the_reason(xml):
    result, questions = xml
    first, second = questions["limits-cloze-gap-1"], questions["limits-cloze-gap-2"]
    assert first["type"] == "numeric" and first["answer"] == 900
    assert first["unit"] == "seconds"  # the word after its gap, marked as a guess
    assert "after **(1) _____** seconds and is triggered by (2) _____." in first["stem"]
    assert first["stem"].endswith("What goes in blank (1) (of 2)?")
    assert second["type"] == "single" and second["choices"][0] == {
        "text": "SQS", "correct": True, "rationale": "Yes"
    }  # fmt: skip
    assert any("each gap is now its own question" in note for _, note in result.notes)
    assert (57, "gap 1 is of type REGEXP, which has no equivalent here: the Cloze question was "
            "not imported") in result.skipped  # fmt: skip


def test_a_unit_is_never_guessed_from_another_numbers_words():
    notes: list[str] = []
    assert guess_unit("How many vCPUs does a function get at 10,240 MB?", notes) == "vCPUs"
    assert "guessed" in notes[0]
    notes.clear()
    assert guess_unit("A function has 10,240 MB. What is the answer?", notes) == "number"
    assert "set 'unit'" in notes[0]


def test_unknown_tags_stay_empty_and_the_reference_is_a_marked_placeholder(xml):
    question = xml[1]["limits-tf-feedback"]
    assert question["tags"] == []
    assert question["references"] == [PLACEHOLDER_REFERENCE]


@pytest.mark.parametrize("name", ["cases.gift", "cases.xml", "cases.aiken"])
def test_every_converted_case_parses_as_a_bank_once_tagged(name):
    result = _convert(name)
    for question in result.questions:
        if "saa-c03" not in question["tags"]:
            question["tags"].append("saa-c03")
    bank = parse_bank("cases.yaml", dump_bank(result.questions, "limits"))
    assert bank.problems == []
    assert len(bank.questions) == len(result.questions)


def test_the_xml_line_numbers_come_from_one_pass():
    text = "<quiz>\n" + "<question type='essay'/>\n" * 3 + "</quiz>"
    assert moodle_xml._question_lines(text) == [2, 3, 4]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
_SCALAR = st.one_of(_TEXT, st.integers(-(10**9), 10**9), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    stem=st.one_of(_TEXT, st.lists(st.text(max_size=20), min_size=2, max_size=4).map("\n".join)),
    tags=st.lists(_TEXT, max_size=3),
    choices=st.lists(st.fixed_dictionaries({"text": _SCALAR}, optional={"rationale": _TEXT}),
                     max_size=4),
    extra=st.dictionaries(st.sampled_from(["answer", "unit", "explanation"]), _SCALAR),
)  # fmt: skip
def test_the_bank_writer_reads_back_as_what_it_wrote(stem, tags, choices, extra):
    question = {"id": "x", "stem": stem, "tags": tags, "choices": choices, **extra}
    question["range"] = {"min": 1, "max": 2.5}
    loaded = yaml.safe_load(dump_bank([question], "limits"))
    assert loaded == {"topic": "limits", "questions": [question]}


def test_answers_that_differ_only_by_case_are_one_answer_unless_case_counts():
    text = "Which variable names the Region?{=AWS_REGION =aws_region}"
    result = gift.convert(text, topic="limits", id_prefix="x")
    assert result.questions[0]["answers"] == [{"text": "AWS_REGION"}]
    assert "is the same as 'AWS_REGION'" in result.notes[0][1]


def test_notes_and_questions_show_course_images_from_the_media_url():
    from quizzes.course.markup import Renderer

    name = "0123456789abcdef0123456789abcdef.png"
    renderer = Renderer()
    note = renderer.note(f"## Flow\n\n![A queue feeding a function](media/{name})\n").html
    assert f'<img alt="A queue feeding a function" src="/media/course/{name}"' in note
    stem = renderer.text(f"The diagram ![a queue](media/{name}) shows it.")
    assert f'src="/media/course/{name}"' in stem
    assert 'src="media/evil.svg"' in renderer.text("![x](media/evil.svg)")  # not rewritten


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<&")))
def test_plain_text_takes_the_short_way_to_the_same_markdown(text):
    from quizzes.course.importers import html_to_markdown

    # An element the converter ignores sends the same text through the HTML parser.
    assert html_to_markdown(text) == html_to_markdown(text + "<span></span>")


def test_grades_are_allowed_as_written_or_within_a_thousandth():
    from quizzes.course.importers.core import grade_problem

    assert grade_problem([100.0, 0.0, -50.0, 33.33333, 33.3333, 83.333]) is None
    assert "0.45" in str(grade_problem([45.0, 100.0]))
