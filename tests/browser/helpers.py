"""What the browser tests share: logging in through the form, and waiting for htmx to settle."""

from __future__ import annotations

from playwright.sync_api import expect

from ..factories import PASSWORD, UserFactory


def log_in(page, username: str) -> None:
    """Log an existing user in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def new_user_logged_in(page, username: str, **fields) -> None:
    """Make a user (factory fields such as instructor=True) and log them in."""
    UserFactory(username=username, **fields)
    log_in(page, username)


def settled(page) -> None:
    """Wait until htmx has sent, swapped and settled: only then are the new forms htmx forms.

    Until the settle (20 ms after a swap) the swapped-in content is not processed yet, and a key or
    click lands on a plain form that makes a full page load instead.
    """
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)
