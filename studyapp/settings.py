"""Settings for Lambda Study, driven by environment variables.

Production is the default: DEBUG is off unless DEBUG=1, and the site refuses to start without a real
SECRET_KEY. `make run` and the test suite set DEBUG=1 for local use.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable, failing loudly on a value that is neither."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    """Read a whole-number variable, failing loudly on anything else."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG off) needs a real secret key: "
            "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "quizzes",
    "exams",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "studyapp.middleware.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LearnerLanguageMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "studyapp.urls"
WSGI_APPLICATION = "studyapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Partials without a {% load %}, as in Django 6 where they are built in.
            "builtins": ["template_partials.templatetags.partials", "exams.templatetags.lookups"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A busy timeout and immediate transactions keep SQLite from failing with "database is locked"
    # when the dev server handles two requests at once. Write-ahead logging lets reads run beside
    # a write, and with synchronous=NORMAL a commit no longer waits for the disk (a power cut may
    # lose the last commits, never corrupt the file).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The first loads the learner's study settings with the user (one query, not two); Django's own
# stays listed so sessions made before it still load.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.StudyBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# E-mail (password resets): SMTP from EMAIL_HOST and friends, or any backend by EMAIL_BACKEND (for
# example anymail's). Development prints mail to the console; production refuses to start without
# a real backend, because a reset link in the log lets anyone who reads it take over the account,
# unless EMAIL_OFF=1 says on purpose that the site sends no mail (password reset then says so).
_CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_OFF = envbool("EMAIL_OFF", False)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else _CONSOLE_EMAIL
)
if EMAIL_OFF:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
elif not DEBUG and EMAIL_BACKEND in (
    _CONSOLE_EMAIL,
    "django.core.mail.backends.dummy.EmailBackend",
):
    raise ImproperlyConfigured(
        "E-mail is not configured: production would write password-reset links to the log. "
        "Set EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) or EMAIL_BACKEND, "
        "or EMAIL_OFF=1 to run without e-mail (password reset is then unavailable)."
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lambda Study <noreply@localhost>")

# The interface in English and in Spanish for Latin America ("usted"): LocaleMiddleware picks the
# language from the switcher's cookie or Accept-Language; a signed-in learner's saved language
# wins (accounts.middleware.LearnerLanguageMiddleware). URLs carry no language prefix.
# Translations: locale/<lang>/LC_MESSAGES/django.po and djangojs.po, compiled by
# `manage.py compile_translations` (pure Python, no gettext needed) at install and test time.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the site always wrote them in English ("5 December 2026"); Spanish takes Django's own.
FORMAT_MODULE_PATH = ["studyapp.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work (item statistics after each submitted exam) goes through Django's tasks API
# (django-tasks, the backport of Django 6's django.tasks) with its database backend: no extra
# service to run, and `manage.py db_worker` works the queue (`make run` starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {
    "default": (
        {
            "BACKEND": "studyapp.cache.SharedRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, sessions are read from it and written through to the database: one
# database query fewer on every signed-in request. Without one, a per-process cache would keep
# a signed-out session alive in the other processes, so sessions stay in the database alone.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Throttling (accounts/throttle.py, counted in the cache above: shared across app servers with
# REDIS_URL). "N/period" with s, m, h or d; a number before the unit multiplies it ("10/15m").
THROTTLE_RATES = {
    "reset-address": os.environ.get("THROTTLE_RESET_ADDRESS", "3/h"),
    "reset-ip": os.environ.get("THROTTLE_RESET_IP", "20/h"),
    "signup-ip": os.environ.get("THROTTLE_SIGNUP_IP", "10/h"),
}
# Log-in failures slow the next try, never lock an account for everyone: per (account, address)
# and per address, (free failures, first delay in seconds, longest delay); the delay doubles with
# each failure past the free ones.
THROTTLE_LOGIN_DELAYS = {
    "login-pair": (envint("THROTTLE_LOGIN_PAIR_FREE", 5), 2.0, 15 * 60.0),
    "login-ip": (envint("THROTTLE_LOGIN_IP_FREE", 30), 2.0, 15 * 60.0),
}
# Behind a proxy every request comes from the proxy's address: THROTTLE_IP_HEADER names the header
# that holds the client's (for example HTTP_X_FORWARDED_FOR: its last address, set by the proxy).
THROTTLE_IP_HEADER = os.environ.get("THROTTLE_IP_HEADER", "")
RATELIMIT_IP_META_KEY = "accounts.throttle.client_ip"
# A cache that answers nothing lets requests through (logged): an outage must not lock everyone out.
RATELIMIT_FAIL_OPEN = True

# Security: strict by default in production; `check --deploy` passes with production values.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The service worker (/sw.js) and the web app manifest, both from this site only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The course: Markdown notes and YAML banks, loaded into the database by `load_content`.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# In development WhiteNoise serves straight from the app folders; production uses collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
