"""One rule for comparing user names, at sign-up, sign-in and in the log-in throttle.

A name is compared trimmed, NFKC-normalised (as Django's username field stores it) and without
case: "Candidate " and "candidate" are one account, one set of throttle counters, and a second
sign-up cannot take either.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 150  # auth.User.username


def canonical(name: str) -> str:
    """The form names are compared in (never stored: the account keeps the name as typed)."""
    return unicodedata.normalize("NFKC", name.strip())[:MAX_LENGTH].casefold()
