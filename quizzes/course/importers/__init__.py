"""Importers from Moodle's question formats (GIFT, Aiken, Moodle XML) into our YAML bank format.

Instructors arrive with Moodle banks; converting what maps cleanly and listing what does not (with
the source line) lets them start here without retyping. Plain Python: no Django, so the
converters can be tested and reused on their own; the management commands and the upload page add
the file handling and run the course checker on the result.

`core` holds what every format shares (defaults, ids, the report, Moodle's grade rules), `html`
turns Moodle's HTML into Markdown (images kept through `media`), `output` writes the YAML.
"""

from __future__ import annotations

from ..placeholders import PLACEHOLDER_EXPLANATION, PLACEHOLDER_REFERENCE
from .core import (
    DEFAULT_REFERENCE,
    DEFAULT_TAGS,
    DIFFICULTIES,
    EXAM_TAGS,
    NO_EXPLANATION_NOTE,
    NO_UNIT_NOTE,
    Conversion,
    Defaults,
    IdMaker,
    ImportResult,
    Skip,
    guess_unit,
    moodle_number,
    slugify,
)
from .html import html_to_markdown
from .output import dump_bank, split_bank

__all__ = [
    "DEFAULT_REFERENCE", "DEFAULT_TAGS", "DIFFICULTIES", "EXAM_TAGS", "NO_EXPLANATION_NOTE",
    "NO_UNIT_NOTE", "PLACEHOLDER_EXPLANATION", "PLACEHOLDER_REFERENCE", "Conversion", "Defaults",
    "IdMaker", "ImportResult", "Skip", "dump_bank", "guess_unit", "html_to_markdown",
    "moodle_number", "slugify", "split_bank",
]  # fmt: skip
