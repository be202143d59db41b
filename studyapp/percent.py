"""Percentages as the reader's language writes them: "72%" in English, "72 %" in Spanish.

Spanish (the RAE, and AWS's own Spanish pages) puts a space between the number and the sign; a
no-break space here, so the sign never starts a line. The translated sentences that carry a
percentage write it the same way in the catalogue.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import pgettext


def percent_text(value: object) -> str:
    """`value` (a number, or a number a filter already wrote) followed by the percent sign."""
    if value is None or value == "":
        return "–"
    number = value if isinstance(value, str) else number_format(value)
    return pgettext("a percentage; %(n)s is the number", "%(n)s%%") % {"n": number}
