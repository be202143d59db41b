"""Content is data from files, and never a way to run script in a learner's browser."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command

from quizzes.course.markup import Renderer, sanitize
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
