"""Throttling for log-in, password reset and sign-up, counted in the shared cache.

django-ratelimit keeps fixed-window counters in Django's cache: with REDIS_URL every app server
counts in the same place. Log-in counts failures only (per account and per address), so a locked
account stays locked even for the right password until the window ends; reset and sign-up count
every request. A refusal is a 429 with a message and a `Retry-After`.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

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


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """429 Too Many Requests with the message and a Retry-After in seconds."""
    minutes = math.ceil(refusal.retry_after / 60)
    response = render(
        request,
        "accounts/throttled.html",
        {"message": refusal.message, "minutes": minutes},
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
