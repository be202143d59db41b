"""Settings come from the environment; production refuses to start without a real secret."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import REPO

STRONG_SECRET = "k3J9xq2LmP0vR7sT5wY8zA1bC4dE6fG9hI2jK5lM8nO1pQ4rS7tU0vW3"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = (
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    )
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    done = manage("check")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_production_mode_refuses_a_weak_secret_key():
    done = manage("check", SECRET_KEY="changeme")
    assert done.returncode != 0
    assert "SECRET_KEY is too weak" in done.stderr


def test_check_deploy_passes_with_no_warnings_given_production_values():
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=STRONG_SECRET, ALLOWED_HOSTS="study.example.com", DEBUG="0",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


def test_a_bad_boolean_fails_loudly():
    done = manage("check", DEBUG="maybe")
    assert done.returncode != 0
    assert "DEBUG must be 1 or 0" in done.stderr


def test_database_url_selects_postgresql_through_psycopg():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    done = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DEBUG="1",
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
    )
    assert done.stdout.strip() == "django.db.backends.postgresql"
    done = manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert done.stdout.strip() == "django.db.backends.sqlite3"
