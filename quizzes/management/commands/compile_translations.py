"""`compile_translations`: every locale/*/LC_MESSAGES/*.po to the .mo Django reads.

Pure Python (studyapp/po.py), so it runs where GNU gettext is not installed: `make install`
and the test suite call it. `manage.py compilemessages` does the same with msgfmt.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from studyapp import po


class Command(BaseCommand):
    help = "Compile the translations (locale/*/LC_MESSAGES/*.po) to .mo files, without gettext."
    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        for root in map(Path, settings.LOCALE_PATHS):
            for path in sorted(root.glob("*/LC_MESSAGES/*.po")):
                po.compile_file(path)
                count += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"{count} catalogues compiled")
