from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyapp import po


def pytest_sessionstart(session: pytest.Session) -> None:
    """The Spanish catalogues compiled from the committed .po files, as `make install` does:
    a fresh clone runs the suite without GNU gettext and without a stale .mo."""
    for path in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        po.compile_file(path)


# Tests run in development mode (no real secret key needed); Django still runs them with DEBUG off.
os.environ.setdefault("DEBUG", "1")

TESTS = Path(__file__).parent
FIXTURE_COURSE = TESTS / "fixtures" / "course"
BAD_CONTENT = TESTS / "bad_content"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def fixture_course(settings):
    """Tests read the small fixture course unless they ask for the shipped one."""
    settings.CONTENT_DIR = FIXTURE_COURSE
    return FIXTURE_COURSE


@pytest.fixture
def loaded_course(db, fixture_course):
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    return fixture_course


@pytest.fixture
def learner(client, loaded_course):
    """A candidate signed in on `client`, over the loaded fixture course."""
    from tests.factories import UserFactory

    user = UserFactory(username="ada")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: throttling counts, the bank preview's checks, and
    values keyed by ids, which repeat between tests (the review queue's unseen counts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware does not reset
    it), so code a later test calls outside a request would answer in Spanish."""
    yield
    from django.utils import translation

    translation.deactivate()
