"""Content is data from files, and never a way to run script in a learner's browser."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from quizzes.course.markup import Renderer, is_plain, sanitize
from quizzes.models import Question, Topic

from .conftest import FIXTURE_COURSE

HOSTILE = """
<script>alert('note')</script>
<img src="x" onerror="alert('img')">
[click](javascript:alert('link'))
<a href="javascript:alert(1)">raw</a>
<div onclick="alert('div')" style="background:red">styled</div>
<iframe src="https://evil.example"></iframe>
<svg><script>alert('svg')</script></svg>
<form action="https://evil.example"><input name="password"></form>
"""


def assert_inert(html: str) -> None:
    lowered = html.lower()
    for needle in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "style=",
        "<form",
        "<input",
        "<svg",
    ):
        assert needle not in lowered, f"{needle!r} survived: {html}"


def test_sanitize_removes_scripts_handlers_and_javascript_links():
    assert_inert(Renderer().text(HOSTILE))
    assert_inert(Renderer().note(HOSTILE).html)


def test_sanitize_keeps_what_a_course_page_needs():
    html = sanitize(
        '<a href="https://docs.aws.amazon.com/">AWS</a><table><tr><td>1</td></tr></table>'
    )
    assert 'href="https://docs.aws.amazon.com/"' in html and 'rel="noopener noreferrer"' in html
    assert "<td>1</td>" in html


@pytest.mark.django_db
def test_a_bank_and_a_note_carrying_script_render_inert_on_the_page(tmp_path, settings, client):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    note = root / "notes" / "limits.md"
    note.write_text(note.read_text() + "\n" + HOSTILE)
    bank = root / "banks" / "limits.yaml"
    indented = "\n".join("      " + line for line in HOSTILE.strip().splitlines())
    bank.write_text(
        bank.read_text().replace(
            "    explanation: The maximum timeout is **900 seconds**.",
            "    explanation: |\n" + indented,
        )
    )
    call_command("load_content", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    assert_inert(Question.objects.get(uid="fx-timeout").explanation_html)
    topic = Topic.objects.get(slug="limits")
    assert_inert(topic.note_html)
    page = client.get("/notes/limits/").content.decode()
    assert "alert(" not in page.split("<main")[1]


@settings_hypothesis(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1 0.,;:!?()/%$+=@'\"-_*`[]<>&#\\\n", max_size=30))
def test_a_plain_text_renders_as_markdown_would_without_markdown(text):
    """The fast path for plain one-line texts gives exactly what Markdown and nh3 give."""
    renderer = Renderer()
    if is_plain(text):
        assert renderer.text(text) == renderer.full_text(text)


def test_most_short_choices_are_plain_and_markup_is_not():
    assert is_plain("15 minutes (variant 3)") and is_plain('Lambda\'s "timeout" is 900 s.')
    for text in ("1. a list", "**bold**", "a `code` span", "<b>", "x & y", "a_b", " x", "x "):
        assert not is_plain(text), text
