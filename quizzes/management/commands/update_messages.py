"""`update_messages`: makemessages for every language but English, with this project's options.

Templates, Python and the scripts in static/js; not the virtualenv, the collected static files,
tests, benches or vendored code; no source locations, so a string that only moves leaves the
.po files as they are (tests/test_i18n.py checks that the committed files are up to date).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORE = [".venv", "staticfiles", "tests", "bench", "content", "docs", "static/vendor", "scripts"]


def update(verbosity: int = 0) -> None:
    languages = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    for domain, extensions in (("django", ["html", "txt", "py"]), ("djangojs", ["js"])):
        call_command(
            "makemessages",
            locale=languages,
            domain=domain,
            extensions=extensions,
            ignore_patterns=IGNORE,
            no_location=True,
            no_obsolete=True,
            verbosity=verbosity,
        )


class Command(BaseCommand):
    help = "Bring locale/*/LC_MESSAGES/*.po up to date with the strings in the code."
    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        update(options["verbosity"])
