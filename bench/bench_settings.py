"""Settings for the benches' servers: the site as in production (DEBUG off) plus a bare view.

Imported with DEBUG=1 in the environment, so no secret key or collected static files are needed;
then DEBUG is turned off so Django keeps no query log, as in production. Used in process and by
gunicorn (`bench_wsgi.py`, `--pythonpath bench`) in `review_speed.py` and `exam_load.py`.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "1")

from studyapp.settings import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench_urls"
