"""Settings for the test suite: development mode, so no real secret key is needed."""

import os

os.environ.setdefault("DEBUG", "1")

from studyapp.settings import *  # noqa: E402, F403

# Hashing a password properly takes a third of a second by design; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run at once, inside the request or call that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
