"""gunicorn's settings, read from the working directory: `gunicorn studyapp.wsgi` from the repo.

3 worker processes x 4 threads (gthread): a save or a grade mostly waits on the database, so
threads keep a worker busy while one request waits, and connections are kept alive. Set
WEB_CONCURRENCY (workers) and GUNICORN_THREADS to fit the machine (workers about the number of
cores plus one). Command-line options override these.
"""

from __future__ import annotations

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
keepalive = 5
# gunicorn 25.1+ opens a control socket at ~/.gunicorn/gunicorn.ctl by default, shared by every
# gunicorn the user runs; the site needs none (older versions ignore this setting).
control_socket_disable = True
