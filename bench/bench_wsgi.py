"""`gunicorn bench_wsgi` (with `--pythonpath bench`): the site with the benches' settings."""

from __future__ import annotations

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
