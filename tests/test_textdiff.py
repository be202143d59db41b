"""The upload diff shows the text: old and new side by side with the changed words marked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizzes.authoring.textdiff import mark_words, spec_diff


def test_changed_words_are_marked_and_the_rest_is_kept():
    old, new = mark_words("The maximum timeout is 900 seconds.", "The hard limit is 900 seconds.")
    assert old == "The <del>maximum timeout</del> is 900 seconds."
    assert new == "The <ins>hard limit</ins> is 900 seconds."


def test_text_is_escaped_before_marking():
    old, new = mark_words("<script>x</script>", "<b>y</b>")
    assert "<script>" not in old and "&lt;script&gt;" in old and "&lt;b&gt;y&lt;/b&gt;" in new


def test_a_spec_diff_names_stems_choices_rationales_and_explanations():
    old = {"stem": "Pick one.", "choices": [{"text": "A", "rationale": "Because A."},
           {"text": "B", "correct": True}], "explanation": "Same."}  # fmt: skip
    new = {"stem": "Pick the best one.", "choices": [{"text": "A", "rationale": "Since A."},
           {"text": "B", "correct": True}], "explanation": "Same."}  # fmt: skip
    diffs = spec_diff(old, new)
    assert [d.label for d in diffs] == ["stem", "choice 1 rationale"]
    assert diffs[0].new_html == "Pick <ins>the best</ins> one."


@given(st.text(max_size=60), st.text(max_size=60))
def test_removing_the_marks_gives_back_the_escaped_texts(a, b):
    import html

    old, new = mark_words(a, b)
    assert old.replace("<del>", "").replace("</del>", "") == html.escape(" ".join(a.split()))
    assert new.replace("<ins>", "").replace("</ins>", "") == html.escape(" ".join(b.split()))
