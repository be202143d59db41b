"""The installable app: its manifest, its service worker, and the deck and sync the device uses.

The service worker is served from the site root so its scope is the whole site; its script names
the static files to keep, by their hashed names in production (WhiteNoise's manifest), and a
version that changes whenever one of them does, so a new release replaces the old cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from quizzes.study import offline

# The notes' diagrams, every one of them: a note opened online must show them offline too.
DIAGRAMS = tuple(
    sorted(
        f"diagrams/{path.name}"
        for path in (settings.BASE_DIR / "static" / "diagrams").glob("*.svg")
    )
)
# Static files every kept page may need offline: styles, scripts (theme.js too: without it a
# learner's dark theme turns light offline), icons and the notes' diagrams.
PRECACHE = (
    "css/site.css",
    "css/pygments.css",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/apple-touch-icon.png",
    "js/theme.js",
    "js/site.js",
    "js/keys.js",
    "js/choose.js",
    "js/offline.js",
    "js/intervals.js",
    "js/offline-review.js",
    "vendor/idb-keyval/idb-keyval.umd.js",
    "django_htmx/htmx-2.min.js",
    *DIAGRAMS,
)
THEME = "#b34a00"
BACKGROUND = "#fffaf5"


def _content_hash(names: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in names:
        path = finders.find(name)
        if path:
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _precache_production() -> tuple[list[str], str]:
    urls = [staticfiles_storage.url(name) for name in PRECACHE]
    return urls, hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]


def precache() -> tuple[list[str], str]:
    """The static URLs to keep and their version: hashed names in production (their hashes are
    the version), the files' contents in development, where names carry no hash."""
    if settings.DEBUG:
        return [staticfiles_storage.url(name) for name in PRECACHE], _content_hash(PRECACHE)
    return _precache_production()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: at the root, so it controls every page; revalidated on every update check."""
    urls, version = precache()
    script = render_to_string(
        "offline/sw.js",
        {
            "version": version,
            "precache": json.dumps(urls),
            "idb": json.dumps(staticfiles_storage.url("vendor/idb-keyval/idb-keyval.umd.js")),
            "fallback_url": reverse("offline_page"),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True, max_age=0)
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """/offline/: what the service worker shows for a page it does not keep, in the language of
    the browser that asked. It names no one and carries no token, so the worker keeps one copy
    for whoever uses the device, and fetches it again when the pages it sees change language."""
    return render(request, "offline/page.html")


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """/manifest.webmanifest: what an installed app is called, how it opens, its icons."""
    icons = [
        {"src": staticfiles_storage.url(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ] + [
        {"src": staticfiles_storage.url("icons/maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
        {"src": staticfiles_storage.url("favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]  # fmt: skip
    data = {
        "name": "Lambda Study",
        "short_name": "Lambda Study",
        "description": "Review AWS Lambda exam questions every day, online or offline.",
        "id": "/review/",
        "start_url": "/review/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, max_age=3600)
    return response


def _signed_out() -> JsonResponse:
    return JsonResponse({"error": _("Sign in again to sync your reviews.")}, status=401)


@require_safe
def deck(request: HttpRequest) -> JsonResponse:
    """Today's deck for the device (JSON, private): the learner's due and new cards with keys."""
    if not request.user.is_authenticated:
        return _signed_out()
    return JsonResponse(offline.deck_build(user=request.user, now=timezone.now()))


@require_POST
def sync(request: HttpRequest) -> JsonResponse:
    """Grades made on the device, applied in the order they were made (CSRF-checked POST)."""
    if not request.user.is_authenticated:
        return _signed_out()
    unreadable = JsonResponse({"error": _("The grades could not be read.")}, status=400)
    if request.content_type != "application/json":
        return unreadable  # a form's body is read by then (CSRF): only JSON is taken
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return unreadable
    grades = body.get("grades") if isinstance(body, dict) else None
    if not isinstance(grades, list):
        return unreadable
    if len(grades) > offline.MAX_GRADES:
        return JsonResponse(
            {"error": _("Send at most %(n)d grades at a time.") % {"n": offline.MAX_GRADES}},
            status=400,
        )
    result = offline.grades_sync(user=request.user, grades=grades, now=timezone.now())
    return JsonResponse(result.as_json())
