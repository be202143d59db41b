#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Production is the default for the server (studyapp/wsgi.py) and for any command run with the
production variables set. A command run with none of DEBUG, SECRET_KEY or DATABASE_URL set is
someone trying the project on a fresh clone: it uses development settings (a local SQLite file),
so every command in README works as written, and says so on stderr.
"""

import os
import sys

if __name__ == "__main__":
    if not any(os.environ.get(name) for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL")):
        os.environ["DEBUG"] = "1"
        print(
            "manage.py: no SECRET_KEY, DATABASE_URL or DEBUG set: using development settings.",
            file=sys.stderr,
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
