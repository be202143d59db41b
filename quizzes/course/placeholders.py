"""What an importer writes where it had to guess or knows nothing: one place, so the checker can
find every placeholder left in a bank and `check_content --strict` fails until it is replaced.

Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping

from quizzes.translatable import Message, gettext_noop

# A real page (so the normal check passes and the bank loads) with a fragment that marks it.
PLACEHOLDER_REFERENCE = (
    "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html#replace-this-imported-placeholder"
)
PLACEHOLDER_EXPLANATION = "Imported from Moodle: add an explanation."


def placeholders(spec: Mapping) -> list[Message]:
    """What in one authored question still carries an importer's placeholder, in words."""
    found = []
    if PLACEHOLDER_REFERENCE in (spec.get("references") or ()):
        found.append(
            gettext_noop(
                "its reference is the importer's placeholder: cite the page that says this"
            )
        )
    if str(spec.get("explanation", "")).strip() == PLACEHOLDER_EXPLANATION:
        found.append(
            gettext_noop("its explanation is the importer's placeholder: explain the answer")
        )
    return found
