"""Throttling for log-in, password reset and sign-up, counted in the shared cache.

Log-in is slowed, never locked for everyone: failures are counted per (account, client address)
and per address, and past a few free failures each key waits a delay that doubles with every
further failure (capped), so guessing slows to a crawl while the account's owner signs in from
any address that has not failed. A name's failures never stop its owner elsewhere: nobody can
lock someone else out. A success clears its pair; a completed password reset clears every pair
of the account (a generation number in the keys). The delay is a gate taken atomically
(`cache.add`), so parallel guesses get one try per delay, not one each.

django-axes does the (user name, address) combination, but as a fixed cool-off after a limit
(its AXES_COOLOFF_TIME sees the request, not the key's failure count), with its own
authentication backend and middleware on every request; this module keeps the counters in the
cache the site already shares (REDIS_URL) and grows the delay per key.

Reset and sign-up keep django-ratelimit's fixed-window counters, counting every request. A
refusal is a 429 with a message and a `Retry-After`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext
from django_ratelimit.core import get_usage

from accounts import names

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the last address in THROTTLE_IP_HEADER (set by our proxy) behind one."""
    candidate = ""
    if settings.THROTTLE_IP_HEADER:
        candidate = request.META.get(settings.THROTTLE_IP_HEADER, "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or "0.0.0.0"


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, and how many seconds until the window ends."""

    message: str
    retry_after: int
    login: bool = False  # a slowed log-in: the page offers the password reset


def _usage(request: HttpRequest, rate_name: str, value: str, *, increment: bool) -> dict | None:
    """The counter's state, or None when the cache cannot be reached.

    Failing open: a cache outage must not lock everyone out of logging in (nor answer a 500);
    it is logged, and the passwords are still checked.
    """
    try:
        return get_usage(
            request,
            group=rate_name,
            key=lambda group, request: value,
            rate=settings.THROTTLE_RATES[rate_name],
            increment=increment,
        )
    except Exception:  # any cache backend's connection error
        logger.warning("throttling is off: the cache cannot be reached", exc_info=True)
        return None


def blocked(request: HttpRequest, keys: dict[str, str], message: str) -> Refusal | None:
    """A refusal if any counter (rate name -> value counted) is at its limit; counts nothing."""
    for rate_name, value in keys.items():
        usage = _usage(request, rate_name, value, increment=False)
        if usage and usage["limit"] and usage["count"] >= usage["limit"]:
            return Refusal(message, max(usage["time_left"], 1))
    return None


def hit(request: HttpRequest, keys: dict[str, str]) -> None:
    """Count one attempt on every counter."""
    for rate_name, value in keys.items():
        _usage(request, rate_name, value, increment=True)


def take(request: HttpRequest, keys: dict[str, str], message: str) -> Refusal | None:
    """Refuse if a counter is at its limit; otherwise count this request."""
    refusal = blocked(request, keys, message)
    if refusal is None:
        hit(request, keys)
    return refusal


# Log-in: failures counted per key for a day after the last one.
FORGET_AFTER = 24 * 3600
LOGIN_MESSAGES = {
    "login-pair": gettext_lazy("Too many failed log-ins for this account from your address."),
    "login-ip": gettext_lazy("Too many failed log-ins from your address."),
}


@dataclass(frozen=True)
class Delay:
    """`free` failures cost nothing; then each waits `base` seconds, doubled per failure, up
    to `cap`."""

    free: int
    base: float
    cap: float

    def after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** (failures - self.free))


def login_keys(request: HttpRequest, username: str) -> dict[str, str]:
    """The log-in counters of one attempt: its (account, address) pair, and its address."""
    account = names.canonical(username)
    address = client_ip(request)
    generation = _get(f"login-gen:{_digest(account)}") or 0
    return {
        "login-pair": _digest(f"{generation}:{account}\n{address}"),
        "login-ip": address,
    }


def _digest(value: str) -> str:
    """Keys of a fixed length whatever a user name holds (cache keys refuse spaces)."""
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


def _get(key: str):
    try:
        return cache.get(key)
    except Exception:  # any cache backend's connection error: fail open, as `_usage`
        logger.warning("throttling is off: the cache cannot be reached", exc_info=True)
        return None


def login_wait(keys: dict[str, str]) -> Refusal | None:
    """A refusal while a key's delay runs; otherwise this attempt takes each key's gate."""
    now = time.time()
    for name, value in keys.items():
        delay = Delay(*settings.THROTTLE_LOGIN_DELAYS[name])
        try:
            wait = delay.after(cache.get(f"{name}:n:{value}") or 0)
            # One attempt per delay: the first to add the gate goes, the others wait for it.
            if wait and not cache.add(f"{name}:gate:{value}", now + wait, math.ceil(wait)):
                until = cache.get(f"{name}:gate:{value}") or now + wait
                return Refusal(LOGIN_MESSAGES[name], max(math.ceil(until - now), 1), login=True)
        except Exception:
            logger.warning("throttling is off: the cache cannot be reached", exc_info=True)
            return None
    return None


def login_failed(keys: dict[str, str]) -> None:
    """Count a failure on every key; past the free ones, close its gate for the next delay."""
    now = time.time()
    for name, value in keys.items():
        count = f"{name}:n:{value}"
        try:
            cache.add(count, 0, FORGET_AFTER)
            failures = cache.incr(count)
            cache.touch(count, FORGET_AFTER)
            wait = Delay(*settings.THROTTLE_LOGIN_DELAYS[name]).after(failures)
            if wait:
                cache.set(f"{name}:gate:{value}", now + wait, math.ceil(wait))
        except Exception:
            logger.warning("throttling is off: the cache cannot be reached", exc_info=True)
            return


def login_succeeded(keys: dict[str, str]) -> None:
    """The right password from this address: its pair starts again (the address's count stays)."""
    value = keys["login-pair"]
    try:
        cache.delete_many([f"login-pair:n:{value}", f"login-pair:gate:{value}"])
    except Exception:
        logger.warning("throttling is off: the cache cannot be reached", exc_info=True)


def password_was_reset(username: str) -> None:
    """Every (account, address) pair of the account starts again: the new password is the
    owner's, wherever they sign in from."""
    key = f"login-gen:{_digest(names.canonical(username))}"
    try:
        cache.add(key, 0, None)
        cache.incr(key)
    except Exception:
        logger.warning("throttling is off: the cache cannot be reached", exc_info=True)


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """429 Too Many Requests with the message and a Retry-After in seconds."""
    seconds = refusal.retry_after
    minutes = math.ceil(seconds / 60)
    wait = (
        ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
        if seconds < 60
        else ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    )
    response = render(
        request,
        "accounts/throttled.html",
        {"message": refusal.message, "wait": wait, "login": refusal.login},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Counters in a per-process cache let each app server (and worker) allow the full rate."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            checks.Warning(
                "Throttling counts in a per-process cache: each worker allows the full rate.",
                hint="Set REDIS_URL so every app server counts in one place.",
                id="accounts.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_client_address(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Behind a proxy every request has the proxy's REMOTE_ADDR: without THROTTLE_IP_HEADER the
    log-in counters would see one client, so a stranger's failures for a name would slow its
    owner from everywhere (the (account, address) pair is then per account) and 30 failures
    anywhere would slow everyone's log-in (the address is the whole site)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.THROTTLE_IP_HEADER:
        return [
            checks.Warning(
                "Behind a proxy (BEHIND_TLS_PROXY) the log-in throttle counts every client as "
                "the proxy's address: anyone's failures for a name slow its owner everywhere.",
                hint="Set THROTTLE_IP_HEADER to the header your proxy appends the client's "
                "address to (HTTP_X_FORWARDED_FOR for nginx's $proxy_add_x_forwarded_for or a "
                "load balancer that appends to X-Forwarded-For).",
                id="accounts.W002",
            )
        ]
    return []
