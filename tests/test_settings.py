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


# What production sets besides the secret (README, "Production").
PRODUCTION = {
    "ALLOWED_HOSTS": "study.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "BEHIND_TLS_PROXY": "1",
    "THROTTLE_IP_HEADER": "HTTP_X_FORWARDED_FOR",
}


def server(**env: str) -> subprocess.CompletedProcess:
    """Import the WSGI application as gunicorn does, with a clean environment plus `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", "import studyapp.wsgi"],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    done = server()
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr
    # A command with production's database but no secret is production too.
    done = manage("check", DATABASE_URL="sqlite:////tmp/i14-never-created.sqlite3")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_production_mode_refuses_a_weak_secret_key():
    done = manage("check", SECRET_KEY="changeme")
    assert done.returncode != 0
    assert "SECRET_KEY is too weak" in done.stderr


def test_check_deploy_passes_with_no_warnings_given_production_values():
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY=STRONG_SECRET, DEBUG="0", **PRODUCTION,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


def test_check_deploy_warns_when_throttling_counts_per_process():
    env = {**PRODUCTION, "REDIS_URL": ""}
    done = manage("check", "--deploy", SECRET_KEY=STRONG_SECRET, DEBUG="0", **env)
    assert "accounts.W001" in done.stderr + done.stdout


def test_check_deploy_warns_when_behind_a_proxy_the_throttle_would_see_one_client():
    """Issue 23: without the client's address every failure counts against the proxy's, and a
    stranger's wrong passwords for a name slow its owner from everywhere."""
    env = {**PRODUCTION, "THROTTLE_IP_HEADER": ""}
    done = manage("check", "--deploy", SECRET_KEY=STRONG_SECRET, DEBUG="0", **env)
    assert "accounts.W002" in done.stderr + done.stdout
    env = {**PRODUCTION, "THROTTLE_IP_HEADER": "", "BEHIND_TLS_PROXY": ""}
    done = manage("check", "--deploy", SECRET_KEY=STRONG_SECRET, DEBUG="0", **env)
    assert "accounts.W002" not in done.stderr + done.stdout  # no proxy: REMOTE_ADDR is the client


def test_production_refuses_to_start_with_reset_links_going_to_the_log():
    base = {**PRODUCTION, "SECRET_KEY": STRONG_SECRET, "DEBUG": "0"}
    del base["EMAIL_HOST"]
    done = server(**base)
    assert done.returncode != 0 and "E-mail is not configured" in done.stderr
    console = "django.core.mail.backends.console.EmailBackend"
    done = server(**base, EMAIL_BACKEND=console)
    assert done.returncode != 0 and "E-mail is not configured" in done.stderr
    assert server(**base, EMAIL_OFF="1").returncode == 0
    assert server(**base, EMAIL_HOST="smtp.example.com").returncode == 0


def test_smtp_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    )
    done = manage(
        "shell", "--no-imports", "-c", code, SECRET_KEY=STRONG_SECRET, DEBUG="0",
        ALLOWED_HOSTS="x", EMAIL_HOST="smtp.example.com", EMAIL_PORT="465",
    )  # fmt: skip
    assert done.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.com", "465", "False", "True"
    ]  # fmt: skip


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


def test_sessions_are_read_through_the_cache_only_when_it_is_shared():
    """With Redis, sessions come from the cache (one query fewer per request) and one Redis
    client serves every call; a per-process cache would keep a signed-out session alive in the
    other processes, so without Redis sessions stay in the database."""
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('s', 1); print(settings.SESSION_ENGINE, cache.get('s'), "
        "cache._cache.get_client() is cache._cache.get_client()); cache.delete('s')"
    )
    done = manage("shell", "--no-imports", "-c", code, DEBUG="1",
                  REDIS_URL="redis://127.0.0.1:6379/7")  # fmt: skip
    assert done.stdout.split() == ["django.contrib.sessions.backends.cached_db", "1", "True"]
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    done = manage("shell", "--no-imports", "-c", code, DEBUG="1", REDIS_URL="")
    assert done.stdout.strip() == "django.contrib.sessions.backends.db"
