"""Sign-up without account enumeration, e-mail off, CSV cells, HEAD, and private caching."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exams.sitting import services

from .factories import (
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sign_up(client, username: str, email: str):
    return client.post("/accounts/signup/", {"username": username, "email": email,
                                             "password1": "a-long-passphrase",
                                             "password2": "a-long-passphrase"})  # fmt: skip


def test_sign_up_never_says_whether_an_address_has_an_account(client):
    UserFactory(username="owner", email="taken@example.com")
    known = sign_up(client, "newcomer", "TAKEN@example.com")
    client.post("/accounts/logout/")
    unknown = sign_up(client, "another", "fresh@example.com")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, "/")
    # The address's owner is told by e-mail; the new account does not get the address.
    assert [m.to for m in mail.outbox] == [["taken@example.com"]]
    from django.contrib.auth.models import User

    assert User.objects.get(username="newcomer").email == ""
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_with_email_off_password_reset_says_it_is_unavailable(client, settings):
    settings.EMAIL_OFF = True
    UserFactory(email="reset@example.com")
    for response in (
        client.get("/accounts/password_reset/"),
        client.post("/accounts/password_reset/", {"email": "reset@example.com"}),
    ):
        assert response.status_code == 503
        assert "Password reset is unavailable" in response.content.decode()
    assert mail.outbox == []


def test_team_results_csv_cells_never_start_a_formula(client, loaded_course):
    owner = UserFactory(username="owner", instructor=True)
    team = TeamFactory(name="Cohort", instructor=owner)
    for name in ("=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)", "plain"):
        MembershipFactory(team=team, user=UserFactory(username=name))
    blueprint = BlueprintFactory()
    now = timezone.now()
    exam = TeamExamFactory(team=team, blueprint=blueprint)
    services.attempt_start(user=team.members.get(username="plain"), blueprint=blueprint, now=now,
                           team_exam=exam)  # fmt: skip
    client.force_login(owner)
    text = client.get(f"/teams/{team.pk}/exams/{exam.pk}/results.csv").content.decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(1)" in cells and "plain" in cells


def test_head_is_answered_wherever_get_is(client, loaded_course):
    for url in ("/", "/notes/", "/calculator/", "/accounts/login/", "/accounts/signup/"):
        assert client.head(url).status_code == 200, url
    client.force_login(UserFactory())
    for url in ("/review/", "/quiz/", "/dashboard/", "/exams/", "/teams/", "/settings/"):
        assert client.head(url).status_code == 200, url


def test_pages_for_a_logged_in_user_are_never_cached(client, loaded_course):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    user = UserFactory()
    client.force_login(user)
    for name in ("home", "dashboard", "review", "exam_list"):
        control = client.get(reverse(name))["Cache-Control"]
        assert "private" in control and "no-store" in control, name
