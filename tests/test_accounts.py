"""Sign up, log in and out, change and reset a password; the instructor role."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from accounts.roles import INSTRUCTOR_GROUP, is_instructor

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_candidate_and_logs_them_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "email": "Ada@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.com"
    assert not is_instructor(user)
    assert client.get("/").context["user"] == user


def test_sign_up_with_bad_input_keeps_what_was_typed_and_says_why(client):
    UserFactory(username="taken", email="taken@example.com")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "taken",
            "email": "TAKEN@example.com",
            "password1": "short",
            "password2": "other",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This user name is not available" in page
    assert "e-mail address already exists" not in page  # never says whether an address is known
    assert "didn’t match" in page or "didn't match" in page
    assert 'value="taken"' in page


def test_log_in_and_log_out_with_post(client):
    UserFactory(username="bob")
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bob"
    assert client.get("/accounts/logout/").status_code == 405, "logging out needs a POST (CSRF)"
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_says_so(client):
    UserFactory(username="bob")
    page = client.post("/accounts/login/", {"username": "bob", "password": "nope"}).content.decode()
    assert "Please enter a correct username and password" in page


def test_password_change_needs_login_and_works(client):
    assert client.get("/accounts/password_change/").status_code == 302
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="reset@example.com")
    client.post("/accounts/password_reset/", {"email": "reset@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/reset/[^\s]+/", mail.outbox[0].body).group()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase")


def test_the_instructor_group_carries_the_instructor_permissions():
    instructor = UserFactory(instructor=True)
    assert instructor.groups.filter(name=INSTRUCTOR_GROUP).exists()
    instructor = User.objects.get(pk=instructor.pk)  # fresh permission cache
    assert is_instructor(instructor)
    assert instructor.has_perm("quizzes.view_item_analysis")
    assert not is_instructor(UserFactory())


def test_demo_users_are_created_with_the_printed_passwords(capsys, settings):
    settings.DEBUG = True
    call_command("create_demo_users")
    out = capsys.readouterr().out
    for name in ("candidate", "instructor"):
        password = re.search(rf"{name}\s+password: (\S+)", out).group(1)
        assert User.objects.get(username=name).check_password(password)
    assert is_instructor(User.objects.get(username="instructor"))
    assert not is_instructor(User.objects.get(username="candidate"))


def test_demo_users_are_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1 only"):
        call_command("create_demo_users")


def test_sign_up_without_an_email_works_and_says_what_the_email_is_for(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "E-mail (optional)" in page and "Only for password resets" in page
    response = client.post(
        "/accounts/signup/",
        {"username": "noemail", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="noemail").email == ""
    # Two accounts without an e-mail are not "the same address".
    client.logout()
    response = client.post(
        "/accounts/signup/",
        {"username": "noemail2", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302


def test_an_address_with_an_account_gets_the_same_answer_as_a_new_one(client):
    """No enumeration of addresses: the page and redirect are the same, the owner is e-mailed."""
    UserFactory(username="owner", email="known@example.com")
    answers = []
    for name, address in (("first", "known@example.com"), ("second", "fresh@example.com")):
        client.logout()
        data = {"username": name, "email": address, "password1": PASSWORD, "password2": PASSWORD}
        response = client.post("/accounts/signup/", data)
        answers.append((response.status_code, response["Location"]))
    assert answers[0] == answers[1] == (302, "/")
    assert User.objects.get(username="first").email == ""  # the address stays with its owner
    assert [m.to for m in mail.outbox] == [["known@example.com"]]
    assert "It already belongs to an account" in mail.outbox[0].body


@pytest.mark.parametrize("variant", ["Taken", " taken ", "TAKEN"])
def test_a_taken_name_in_another_case_or_with_spaces_is_taken(client, variant):
    UserFactory(username="taken")
    data = {"username": variant, "email": "", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "This user name is not available" in response.content.decode()
    assert User.objects.filter(username__iexact="taken").count() == 1


def test_a_new_name_is_stored_trimmed(client):
    client.post("/accounts/signup/", {"username": "  Grace  ", "email": "",
                                      "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    assert User.objects.filter(username="Grace").exists()
    client.logout()
    response = client.post("/accounts/login/", {"username": "grace ", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("variant", ["émile", " ÉMILE ", "Émile"])
def test_a_name_with_accents_is_compared_without_case_at_sign_up_and_sign_in(client, variant):
    """Issue 23: names are compared without case everywhere, accented letters included. SQLite's
    LIKE (Django's iexact there) folds only ASCII letters: "émile" was a second account beside
    "Émile", and "émile" could not sign in as "Émile", while the throttle counted them as one."""
    UserFactory(username="Émile")
    data = {"username": variant, "email": "", "password1": PASSWORD, "password2": PASSWORD}
    page = client.post("/accounts/signup/", data).content.decode()
    assert "This user name is not available" in page
    assert User.objects.count() == 1
    response = client.post("/accounts/login/", {"username": variant, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "Émile"


def test_a_name_means_the_account_spelled_so_else_the_only_one_without_case():
    from accounts.names import the_one

    accounts = [("Ada", 1), ("ada", 2), ("Émile", 3)]
    assert the_one("ada", accounts) == 2  # spelled exactly so
    assert the_one(" ADA ", accounts) is None  # two accounts differ only in case: no one
    assert the_one("émile", accounts) == 3  # the only one, without case
    assert the_one("nobody", accounts) is None
