"""`import_moodle_xml FILE -o BANK.yaml --topic T`: a Moodle XML export as a bank, checked."""

from __future__ import annotations

from quizzes.course.importers import moodle_xml

from .import_gift import ImportCommand, known_topics


class Command(ImportCommand):
    help = (
        "Convert a Moodle XML file into a question bank (YAML), then check it. Categories that "
        "name a topic put their questions in it; other categories become tags."
    )
    format_name = "XML"
    convert = staticmethod(moodle_xml.convert)

    def extra_options(self) -> dict:
        return {"topics": known_topics()}
