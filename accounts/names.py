"""One rule for comparing user names, at sign-up, sign-in and in the log-in throttle.

A name is compared trimmed, NFKC-normalised (as Django's username field stores it) and without
case: "Candidate " and "candidate" are one account, one set of throttle counters, and a second
sign-up cannot take either.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q

MAX_LENGTH = 150  # auth.User.username


def canonical(name: str) -> str:
    """The form names are compared in (never stored: the account keeps the name as typed)."""
    return unicodedata.normalize("NFKC", name.strip())[:MAX_LENGTH].casefold()


def same_name(name: str, field: str = "username") -> Q:
    """A filter for the stored names that are `name`, trimmed and compared without case.

    Django's iexact is UPPER() on PostgreSQL (every letter) but LIKE on SQLite, which folds ASCII
    letters only: there "émile" would be another account than "Émile". A name with other letters
    is matched on SQLite with Django's REGEXP, Python's re, whose IGNORECASE folds them all.
    """
    name = name.strip()
    if connection.vendor == "sqlite" and not name.isascii():
        return Q(**{f"{field}__iregex": f"^{re.escape(name)}$"})
    return Q(**{f"{field}__iexact": name})
