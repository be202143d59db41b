"""403, 404 and 500 are the site's own pages, styled, with a way back."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views import defaults

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_candidate_opening_an_instructor_page_gets_the_styled_403(client, loaded_course):
    client.force_login(UserFactory(username="candidate"))
    response = client.get("/instructor/banks/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in page and "for instructors only" in page
    assert "css/site.css" in page and 'class="site-header"' in page
    assert len(page) > 1000  # the whole site page, not Django's 135-byte one


def test_an_unknown_page_gets_the_styled_404(client, loaded_course):
    response = client.get("/notes/no-such-note/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "This page does not exist" in page and "css/site.css" in page


def test_the_500_page_renders_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "css/site.css" in page
