"""`bench/page_weight.py` weighs every page: a new GET page must be added to its list."""

from __future__ import annotations

import ast

from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import REPO


def _bench_lists() -> tuple[list, set]:
    """PAGES and NOT_PAGES as written in the bench (read, not imported: it sets up Django)."""
    tree = ast.parse((REPO / "bench" / "page_weight.py").read_text())
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id in ("PAGES", "NOT_PAGES"):
            found[target.id] = ast.literal_eval(node.value)
    return found["PAGES"], found["NOT_PAGES"]


def _url_names(patterns, skip=("admin",)) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in skip and pattern.app_name not in skip:
                names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_page_of_the_site_is_weighed_or_said_not_to_be_a_page():
    pages, not_pages = _bench_lists()
    weighed = {name for name, _, _ in pages}
    missing = _url_names(get_resolver().url_patterns) - weighed - not_pages
    assert not missing, f"add these pages to PAGES in bench/page_weight.py: {sorted(missing)}"
    assert not weighed & not_pages


def test_static_files_are_compressed_and_named_by_their_content_in_production():
    """WhiteNoise serves hashed names with a far-future cache header, gzip and brotli files."""
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {"SECRET_KEY": "k3J9xq2LmP0vR7sT5wY8zA1bC4dE6fG9hI2jK5lM8nO1pQ4rS7tU0vW3", "PATH": ""}
    env["EMAIL_OFF"] = "1"  # production refuses to start with no e-mail configured
    done = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "studyapp.settings", "DEBUG": "0"},
    )  # fmt: skip
    assert done.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage", (
        done.stderr
    )
