"""One rule for comparing user names, at sign-up, sign-in and in the log-in throttle.

A name is compared trimmed, NFKC-normalised (as Django's username field stores it) and without
case: "Candidate " and "candidate" are one account, one set of throttle counters, and a second
sign-up cannot take either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import Q

MAX_LENGTH = 150  # auth.User.username
Account = TypeVar("Account")


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


def the_one(name: str, accounts: Iterable[tuple[str, Account]]) -> Account | None:
    """The account `name` means among (stored name, account) pairs: the one spelled exactly so,
    else the only one it matches trimmed and without case. Two older accounts that differ only in
    case, and a name that is exactly neither, mean no one (sign-in and the extra-time box alike)."""
    name = name.strip()
    found = [
        (stored, account) for stored, account in accounts if canonical(stored) == canonical(name)
    ]
    exact = [account for stored, account in found if stored == name]
    if exact:
        return exact[0]
    return found[0][1] if len(found) == 1 else None
