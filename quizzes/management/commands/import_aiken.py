"""`import_aiken FILE -o BANK.yaml --topic T`: a Moodle Aiken file as a bank, checked.

The same command as import_gift (arguments, errors, report, exit status) with the Aiken
converter, so instructors learn one workflow whatever their Moodle export looks like.
"""

from __future__ import annotations

from quizzes.course.importers import aiken
from quizzes.management.commands.import_gift import ImportCommand


class Command(ImportCommand):
    help = "Convert a Moodle Aiken file into a question bank (YAML), then check it."
    format_name = "Aiken"
    convert = staticmethod(aiken.convert)
