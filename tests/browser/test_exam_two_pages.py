"""In real Chromium: one exam item answered from two pages whose clocks disagree.

The finding: a laptop ten minutes fast saved an answer, the candidate then answered the same item
from a phone, the page said "Saved" and the first answer was kept. The server orders the saves
now, so the answer given last is the one stored, whatever each device's clock says.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exams.models import ExamItem
from quizzes.study.answering import public_key

from .conftest import screenshot
from .helpers import new_user_logged_in, settled
from .test_exam import make_blueprint, start_exam

pytestmark = pytest.mark.django_db(transaction=True)

# Ten minutes ahead, as the laptop of the finding: every Date.now() and new Date() of the page.
FAST_CLOCK = """
(() => {
  const skew = 10 * 60 * 1000;
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class SkewedDate extends RealDate {
    constructor(...args) { if (args.length) { super(...args); } else { super(realNow() + skew); } }
    static now() { return realNow() + skew; }
  }
  window.Date = SkewedDate;
})();
"""


def choose(page, value: str) -> None:
    page.locator(f"#exam-question input[name=choice][value='{value}']").check()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    settled(page)


def test_the_answer_given_last_is_stored_when_the_second_pages_clock_is_ahead(page, loaded_course):
    make_blueprint()
    new_user_logged_in(page, "two-devices")
    attempt = start_exam(page, "Mini exam")
    item = ExamItem.objects.get(attempt=attempt, question__type="single")
    first, second, third = (public_key(item.seed, key) for key in item.choice_order[:3])
    url = f"/exams/attempt/{attempt.pk}/?q={item.position}"
    page.goto(url)
    settled(page)

    fast = page.context.new_page()
    fast.add_init_script(FAST_CLOCK)
    fast_errors: list[str] = []
    fast.on("pageerror", lambda exc: fast_errors.append(str(exc)))
    fast.goto(url)
    settled(fast)
    assert fast.evaluate("Date.now() - performance.timeOrigin - performance.now()") > 500_000

    # The page with the fast clock answers first, the page with the right clock answers last.
    choose(fast, first)
    choose(page, second)
    item.refresh_from_db()
    assert item.selected == [item.choice_order[1]]  # winner: the second choice, given last

    # And back: the fast page answers last, its clock still ten minutes ahead.
    choose(fast, third)
    item.refresh_from_db()
    assert item.selected == [item.choice_order[2]]  # winner: the third choice, given last

    # A reload of the slower page shows the answer kept.
    page.reload()
    settled(page)
    expect(page.locator(f"#exam-question input[name=choice][value='{third}']")).to_be_checked()
    screenshot(page, "exam-two-pages")
    assert not page.console_errors and not fast_errors
