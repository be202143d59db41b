"""Log-in is slowed per (account, address) and per address, never locked for everyone; password
reset and sign-up are throttled per window. Refusals are a 429 with a message and Retry-After.

The limits come from settings.THROTTLE_LOGIN_DELAYS and THROTTLE_RATES; these tests set small
ones, and move time.time() by hand rather than wait.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts import throttle

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RATES = {
    "reset-address": "2/h",
    "reset-ip": "4/h",
    "signup-ip": "2/h",
}
# Three free failures per (account, address), six per address; then 2 s, doubled, up to 60 s.
DELAYS = {"login-pair": (3, 2.0, 60.0), "login-ip": (6, 2.0, 60.0)}
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


@pytest.fixture(autouse=True)
def small_rates(settings):
    settings.THROTTLE_RATES = RATES
    settings.THROTTLE_LOGIN_DELAYS = DELAYS


@pytest.fixture
def clock(monkeypatch):
    """time.time() moved by hand; the local-memory cache expires its keys by it too."""
    import time

    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def refused(response) -> bool:
    return (
        response.status_code == 429
        and int(response["Retry-After"]) > 0
        and "Too many" in response.content.decode()
    )


def log_in(client, username: str, password: str, address: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failures_slow_their_pair_with_a_delay_that_grows_never_a_lock(client, clock):
    UserFactory(username="bob")
    for _ in range(3):  # the free ones
        assert log_in(client, "bob", "nope", ATTACKER).status_code == 200
    waits = []
    for _ in range(3):
        response = log_in(client, "bob", "nope", ATTACKER)
        assert refused(response)
        waits.append(int(response["Retry-After"]))
        clock(waits[-1])
        assert log_in(client, "bob", "nope", ATTACKER).status_code == 200  # one try, then wait
    assert waits == [2, 4, 8]
    # The right password from the same address after the delay: signed in.
    clock(16)
    assert log_in(client, "bob", PASSWORD, ATTACKER).status_code == 302


def test_the_owner_signs_in_from_an_address_that_has_not_failed(client, clock):
    """The finding: 10 wrong passwords for `candidate` refused the right one from anywhere."""
    UserFactory(username="candidate")
    for name in ["candidate", "Candidate", "candidate ", " CANDIDATE"] * 5:
        log_in(client, name, "wrong", ATTACKER)
        clock(1)
    assert refused(log_in(client, "candidate", PASSWORD, ATTACKER))
    response = log_in(client, "candidate", PASSWORD, OWNER)
    assert response.status_code == 302


def test_variants_of_a_name_are_one_account_for_the_counters_and_for_signing_in(client, clock):
    UserFactory(username="bob")
    for name in ("Bob", "bob ", " BOB"):
        assert log_in(client, name, "nope", ATTACKER).status_code == 200
    assert refused(log_in(client, "bob", PASSWORD, ATTACKER))
    response = log_in(client, " Bob ", PASSWORD, OWNER)
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bob"


def test_successful_log_ins_count_nothing(client):
    UserFactory(username="bob")
    for _ in range(5):
        assert log_in(client, "bob", PASSWORD, OWNER).status_code == 302
        client.post("/accounts/logout/")


def test_one_address_trying_many_accounts_is_slowed_and_others_are_not(client, clock):
    for n in range(6):
        log_in(client, f"guess{n}", "x", ATTACKER)
    UserFactory(username="dave")
    assert refused(log_in(client, "dave", PASSWORD, ATTACKER))
    assert log_in(client, "dave", PASSWORD, OWNER).status_code == 302


def test_parallel_guesses_get_one_try_per_delay(rf, clock):
    request = rf.post("/accounts/login/", REMOTE_ADDR=ATTACKER)
    keys = throttle.login_keys(request, "bob")
    for _ in range(3):
        throttle.login_failed(keys)
    clock(2)
    assert throttle.login_wait(keys) is None  # the first takes the gate
    assert throttle.login_wait(keys) is not None  # the ones sent with it wait


def test_a_password_reset_works_while_slowed_and_clears_the_accounts_delays(client, clock):
    UserFactory(username="erin", email="erin@example.com")
    for _ in range(4):
        log_in(client, "erin", "nope", ATTACKER)
    assert refused(log_in(client, "erin", PASSWORD, ATTACKER))
    response = client.post(
        "/accounts/password_reset/", {"email": "erin@example.com"}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert log_in(client, "erin", "a-new-long-passphrase", ATTACKER).status_code == 302


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
    class Unreachable:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

            return fail

    monkeypatch.setattr(throttle, "get_usage", Unreachable().get_usage)
    monkeypatch.setattr(throttle, "cache", Unreachable())
    UserFactory(username="bob")
    for _ in range(5):
        log_in(client, "bob", "nope", ATTACKER)
    assert log_in(client, "bob", PASSWORD, ATTACKER).status_code == 302
