"""Home, the topic list and note pages: content, security headers, and a fixed number of queries."""

from __future__ import annotations

import re

import pytest

from tests.pages import text_of

from .factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_the_course_holds_and_where_to_start(client, loaded_course):
    page = text_of(client.get("/"))
    assert "<strong>2</strong> topics" in page
    assert "<strong>3</strong> questions" in page
    assert "<strong>1</strong> flashcard<" in page  # singular, as the plural forms say
    assert 'href="/notes/limits/"' in page and "Start with Limits" in page


def test_home_explains_how_to_load_a_course_when_none_is_loaded(client):
    assert "No course is loaded yet" in client.get("/").content.decode()


def test_topic_list_shows_every_topic_in_order_with_counts(client, loaded_course):
    page = text_of(client.get("/notes/"))
    assert page.index("Limits") < page.index("Pricing")
    assert "3 questions · 1 flashcard" in page


def test_note_page_has_the_note_its_table_of_contents_and_counts(client, loaded_course):
    page = text_of(client.get("/notes/limits/"))
    assert '<h2 id="timeout">' in page
    assert 'aria-label="On this page"' in page
    assert "3 questions" in page and "1 flashcard" in page


def test_an_unknown_or_retired_note_is_a_404(client, loaded_course):
    from django.utils import timezone

    from quizzes.models import Topic

    assert client.get("/notes/nope/").status_code == 404
    Topic.objects.filter(slug="pricing").update(retired_at=timezone.now())
    assert client.get("/notes/pricing/").status_code == 404


def test_retired_questions_are_not_counted(client):
    topic = TopicFactory(slug="limits")
    QuestionFactory(topic=topic)
    from django.utils import timezone

    QuestionFactory(topic=topic, retired_at=timezone.now())
    assert "1 question ·" in text_of(client.get("/notes/"))


@pytest.mark.parametrize("topics", [2, 20])
def test_home_and_notes_take_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, topics
):
    for index in range(topics):
        topic = TopicFactory(slug=f"t{index}")
        QuestionFactory.create_batch(3, topic=topic)
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/notes/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/notes/t0/").status_code == 200


def test_pages_send_a_strict_content_security_policy(client, loaded_course):
    response = client.get("/notes/limits/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, loaded_course):
    for url in ("/", "/notes/", "/notes/limits/", "/accounts/login/", "/accounts/signup/"):
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page and " style=" not in page, url


def test_htmx_is_served_locally_and_the_csrf_header_is_set_once_on_body(client, loaded_course):
    page = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert "https://" not in page.split("</head>")[0]
    assert page.count('hx-headers=\'{"x-csrftoken"') == 1
