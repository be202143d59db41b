"""The order of an item's saves is the server's: two devices, a skewed clock, a replay, a retry.

Each test names the answer that must win. The page gets its id from the server (`data-page` on
the countdown) and numbers its saves; no device's clock is read by the server.
"""

from __future__ import annotations

import re
import time

import pytest
from django.utils import timezone

from exams.sitting import services
from quizzes.study.answering import public_key

from .test_exams import HTMX, make_blueprint, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(client, candidate):
    """An open attempt and three of its first item's choices, as a page posts them."""
    attempt = start(candidate, make_blueprint(), now=timezone.now())
    item = attempt.items.get(position=1)
    keys = item.choice_order[:3]
    posted = {key: public_key(item.seed, key) for key in keys}
    url = f"/exams/attempt/{attempt.pk}/save/1/"

    def save(key: str, *, page: int | str, seq: int | str) -> str:
        data = {"choice": posted[key], "page": str(page), "seq": str(seq)}
        return client.post(url, data, headers=HTMX).content.decode()

    def stored() -> list[str]:
        item.refresh_from_db()
        return item.selected

    return attempt, keys, save, stored


@pytest.fixture
def candidate(client, loaded_course):
    from .factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    return user


def test_two_devices_the_answer_given_last_wins(sitting):
    attempt, (a, b, _), save, stored = sitting
    laptop, phone = 4101, 8202  # two pages, each with the id the server gave it
    assert "Saved" in save(a, page=laptop, seq=1)
    assert "Saved" in save(b, page=phone, seq=1)
    assert stored() == [b]  # winner: b, given last (on the phone)
    assert "Saved" in save(a, page=laptop, seq=2)
    assert stored() == [a]  # winner: a, given last (back on the laptop)


def test_a_skewed_clock_decides_nothing(sitting):
    """The finding: a laptop 10 minutes fast saved a, then the phone saved b; a was kept."""
    attempt, (a, b, _), save, stored = sitting
    now_us = int(time.time() * 1_000_000)
    # The old exam.js sent the device's clock as its counter: a fast clock is a big number.
    save(a, page=4101, seq=now_us + 600_000_000)
    page = save(b, page=8202, seq=now_us)
    assert stored() == [b]  # winner: b, given last
    assert "Saved" in page and "Not kept" not in page


def test_a_huge_counter_pins_nothing(sitting):
    attempt, (a, b, _), save, stored = sitting
    save(a, page=4101, seq=9223372036854775806)  # beyond the page counters: a page of its own
    save(b, page=8202, seq=1)
    assert stored() == [b]  # winner: b, given last
    save(a, page=4101, seq=services.MAX_SEQ)
    save(b, page=8202, seq=2)
    assert stored() == [b]  # winner: b, given last


def test_an_old_replayed_save_changes_nothing_and_the_page_says_what_is_kept(sitting):
    attempt, (a, b, c), save, stored = sitting
    save(a, page=4101, seq=1)
    save(b, page=4101, seq=2)
    page = save(a, page=4101, seq=1)  # the first request again, after the newer one
    assert stored() == [b]  # winner: b, the page's newer save
    assert "Not kept" in page and "Saved" not in page
    assert "Kept: choice 2" in page  # b is the second choice on the page
    assert re.search(r'id="nav-cell-1"[^>]*class="nav-cell answered', page)
    # Another device's answer in between does not let the old request back in.
    save(c, page=8202, seq=1)
    save(a, page=4101, seq=1)
    assert stored() == [c]  # winner: c, given last (on the other device)


def test_a_retried_save_is_idempotent(sitting):
    attempt, (a, b, _), save, stored = sitting
    first = save(a, page=4101, seq=1)
    again = save(a, page=4101, seq=1)  # the same request, sent twice (the answer was lost)
    assert stored() == [a]  # winner: a, the only answer given
    assert "Saved" in first and "Saved" in again and "Not kept" not in again
    item = attempt.items.get(position=1)
    assert item.seq == 1, "the retry wrote nothing"


def test_each_question_page_has_a_page_id_from_the_server(client, sitting):
    attempt, *_ = sitting
    url = f"/exams/attempt/{attempt.pk}/"
    ids = [re.search(r'data-page="(\d+)"', client.get(url).content.decode()) for _ in range(2)]
    assert all(ids) and ids[0].group(1) != ids[1].group(1)
    assert 0 < int(ids[0].group(1)) <= services.MAX_SEQ


def test_the_service_takes_one_calling_style_with_a_required_owner(sitting):
    attempt, (a, _, _), _, stored = sitting
    with pytest.raises(TypeError):
        services.attempt_save(attempt_id=attempt.pk, position=1, posted=[], flagged=False,
                              page=1, seq=1, now=timezone.now())  # fmt: skip
    from .factories import UserFactory

    with pytest.raises(services.ExamError):
        services.attempt_save(attempt_id=attempt.pk, user=UserFactory(), position=1, posted=[],
                              flagged=False, page=1, seq=1, now=timezone.now())  # fmt: skip
