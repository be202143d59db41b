"""Log-in, password reset and sign-up are throttled in the cache, with a message and Retry-After.

The limits come from settings.THROTTLE_RATES; these tests set small ones. Nothing here waits for a
window to pass: the counters are asserted, never the clock.
"""

from __future__ import annotations

import pytest
from django.core import mail

from accounts import throttle

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RATES = {
    "login-account": "3/15m",
    "login-ip": "6/15m",
    "reset-address": "2/h",
    "reset-ip": "4/h",
    "signup-ip": "2/h",
}


@pytest.fixture(autouse=True)
def small_rates(settings):
    settings.THROTTLE_RATES = RATES


def refused(response) -> bool:
    return (
        response.status_code == 429
        and int(response["Retry-After"]) > 0
        and "Too many" in response.content.decode()
    )


def test_an_account_is_locked_after_failed_log_ins_even_for_the_right_password(client):
    UserFactory(username="bob")
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "bob", "password": "nope"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert refused(response)
    assert int(response["Retry-After"]) <= 15 * 60
    assert not client.get("/").context["user"].is_authenticated
    # Another account from elsewhere is not affected.
    UserFactory(username="carol")
    other = client.post(
        "/accounts/login/", {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_successful_log_ins_count_nothing(client):
    UserFactory(username="bob")
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code
            == 302
        )
        client.post("/accounts/logout/")


def test_one_address_trying_many_accounts_is_stopped(client):
    for n in range(6):
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "x"})
    UserFactory(username="dave")
    assert refused(client.post("/accounts/login/", {"username": "dave", "password": PASSWORD}))


def test_password_reset_is_throttled_per_address(client):
    UserFactory(email="reset@example.com")
    for _ in range(2):
        assert (
            client.post("/accounts/password_reset/", {"email": "reset@example.com"}).status_code
            == 302
        )
    assert refused(client.post("/accounts/password_reset/", {"email": "reset@example.com"}))
    assert len(mail.outbox) == 2


def test_sign_up_is_throttled_per_address(client):
    for n in range(2):
        data = {"username": f"new{n}", "email": f"n{n}@example.com", "password1": "x"}
        client.post("/accounts/signup/", data)
    response = client.post("/accounts/signup/", {"username": "new9", "email": "n9@example.com",
                                                 "password1": "a-long-passphrase",
                                                 "password2": "a-long-passphrase"})  # fmt: skip
    assert refused(response)


def test_behind_a_proxy_the_clients_address_is_the_last_one_the_proxy_added(rf, settings):
    settings.THROTTLE_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert throttle.client_ip(request) == "203.0.113.7"
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not an address", REMOTE_ADDR="10.0.0.1")
    assert throttle.client_ip(request) == "10.0.0.1"
    settings.THROTTLE_IP_HEADER = ""
    assert throttle.client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "127.0.0.1"


def test_a_cache_outage_lets_log_ins_through_rather_than_failing(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(throttle, "get_usage", unreachable)
    UserFactory(username="bob")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "bob", "password": "nope"})
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
