"""In real Chromium, the study side for a Spanish learner: the answer buttons' intervals said the
same way by the server and by the device, the reviews with the network cut, the offline fallback
page, and a switch of language that leaves nothing of the old language on the device.

Set DOCS_SCREENSHOTS=1 to write docs/screenshots/es-review-phone.png and es-offline.png.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from quizzes.models import LearnerSettings
from quizzes.study import reviews

from ..conftest import REPO
from ..factories import PASSWORD, UserFactory
from ..test_i18n import InterfaceText, english_fragments, english_in
from . import test_daily
from .test_daily import PHONE, shot

shipped_course = test_daily.shipped_course  # the fixture: the shipped course, loaded

pytestmark = pytest.mark.django_db(transaction=True)

# Durations around every boundary and rounding step of the labels, and a sweep of the rest.
SECONDS = sorted(
    {0, 1, 29.5, 59.9, 60, 89.9, 90, 149.99, 150, 3540, 3569.9, 3570, 3599, 3600, 5399, 5400,
     84600, 86399, 86400, 129599, 129600, 2548800, 2548799, 2592000, 3240000, 3887999, 3888000,
     31449600, 31535999, 31536000, 47304000, 47347200, 3153600000}
    | {round(1.37**n, 3) for n in range(80)}
)  # fmt: skip
UNITS = r"(?:<1|\d+(?:,\d)?) (?:min|h|d|mes|meses|año|años)"


def test_the_device_says_every_interval_as_the_server_does(browser, client):
    """static/js/intervals.js with Django's JavaScript catalogue against reviews.interval_text,
    in both languages, over every boundary of the labels."""
    script = (REPO / "static" / "js" / "intervals.js").read_text()
    for language in ("en", "es"):
        catalogue = client.get(f"/jsi18n/{language}/").content.decode()
        page = browser.new_page()
        page.set_content(f'<html lang="{language}"><body></body></html>')
        page.add_script_tag(content=catalogue)
        page.add_script_tag(content=script)
        device = page.evaluate("s => s.map(window.lambdaIntervals.text)", SECONDS)
        page.close()
        with translation.override(language):
            server = [reviews.interval_text(timedelta(seconds=s)) for s in SECONDS]
        assert device == server, language
        if language == "es":
            assert all(re.fullmatch(UNITS, label) for label in server), server
            assert {"<1 min", "1 min", "1 h", "1 d", "1 mes", "1,5 meses", "1 año"} <= set(server)
        else:
            assert {"<1m", "1m", "1h", "1d", "1mo", "1.5mo", "1y"} <= set(server)


def no_english(page) -> list[str]:
    """The English interface strings in what the page shows now (course text marked lang="en"
    and code left out, as the Spanish page walk reads a page)."""
    return english_in(InterfaceText.of(page.content()), english_fragments())


def answer(page, device: bool) -> None:
    """Answer the card on screen with whatever comes first (the device grades anything)."""
    session = "#review-session "
    shown = "article[data-device-card]" if device else "article.review-card"
    card = page.locator(session + shown)
    expect(card).to_be_visible()
    kind = card.get_attribute("data-type")
    if kind == "flashcard":
        page.locator(session + "[data-key=reveal]").click()
    else:
        if page.locator(session + "select[name=choice]").count():
            selects = page.locator(session + "select[name=choice]")
            for i in range(selects.count()):
                selects.nth(i).select_option(index=i + 1)
        elif page.locator(session + "input[name=answer]").count():
            page.locator(session + "input[name=answer]").fill("1")
        else:
            choose = 2 if kind == "multiple" else 1
            for label in page.locator(session + "label.choice").all()[:choose]:
                label.click()
        page.locator(session + "[data-key=submit]").click()
    expect(page.locator(session + ".grade-form")).to_be_visible()


def eventually(read, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while not (value := read()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def cached_text(page, cache: str, url: str) -> str:
    return page.evaluate(
        """([cache, url]) => caches.open(cache).then(c => c.match(url))
            .then(r => r ? r.text() : "")""",
        [cache, url],
    )


def test_a_spanish_learner_reviews_offline_in_spanish_and_a_switch_leaves_no_old_language(
    browser, live_server, shipped_course
):
    user = UserFactory(username="viajera")
    LearnerSettings.objects.create(user=user, new_per_day=12)
    context = browser.new_context(
        base_url=live_server.url, device_scale_factor=1, locale="es-419", **PHONE
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("viajera")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").last.click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()

    # The phone's header keeps to its two rows in Spanish too (the account row never wraps).
    assert page.locator("header.site-header").bounding_box()["height"] <= 844 / 9

    # Online: the answer side of a card, its buttons in Spanish.
    page.goto("/review/")
    deck_status = page.locator("[data-deck-status]")
    expect(deck_status).to_have_attribute("data-ready", "1", timeout=30_000)
    expect(deck_status).to_have_text("12 tarjetas listas para repasar sin conexión.")
    answer(page, device=False)
    card = page.locator("#review-session article.review-card")
    question = int(card.get_attribute("data-question"))
    online = page.locator("#review-session .grade-interval").all_inner_texts()
    assert all(re.fullmatch(UNITS, label) for label in online), online
    assert no_english(page) == []
    page.evaluate("window.scrollTo(0, document.querySelector('.grade-form').offsetTop - 300)")
    shot(page, "es-review-phone")
    # The device says the same for the same card, from the deck's seconds.
    on_device = page.evaluate(
        """q => idbKeyval.get("deck").then(deck => deck.cards.filter(c => c.question === q)[0]
            .buttons.map(b => lambdaIntervals.text(b.seconds)))""",
        question,
    )
    assert on_device == online

    # Offline: the page, its scripts' strings and the deck come from the device.
    context.set_offline(True)
    page.reload()
    expect(page.locator("#review-session article[data-device-card]")).to_be_visible()
    expect(page.locator("#review-session .progress-row [role=status]")).to_contain_text(
        "Por hacer en este dispositivo"
    )
    answer(page, device=True)
    expect(page.get_by_text("¿Qué tan bien la sabía?")).to_be_visible()
    labels = page.locator("#review-session .grade-interval").all_inner_texts()
    assert labels and all(re.fullmatch(UNITS, label) for label in labels), labels
    assert no_english(page) == []
    page.locator("#review-session [data-rating='3']").click()
    expect(page.locator("[data-sync-status]")).to_have_text("1 repaso esperando sincronizarse")
    answer(page, device=True)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "es-offline")
    page.keyboard.press("u")  # nothing graded on this card yet: the last grade is taken back
    expect(page.get_by_text("Deshecho.")).to_be_visible()
    expect(page.locator("[data-sync-status]")).to_have_text("Todo sincronizado")
    assert no_english(page) == []

    # A page never opened online: the fallback, in Spanish.
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="No tiene conexión")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    assert no_english(page) == []

    # Back online, the learner switches to English: the fallback and the kept pages follow.
    context.set_offline(False)
    page.goto("/notes/limits/")
    page.get_by_label("Idioma").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    pages = f"pages-{user.pk}"
    assert eventually(lambda: 'lang="en"' in cached_text(page, "offline-page", "/offline/"))
    review_url = f"{live_server.url}/review/"
    assert eventually(lambda: '<html lang="en">' in cached_text(page, pages, review_url))
    kept = page.evaluate(
        "c => caches.open(c).then(cache => cache.keys()).then(keys => keys.map(k => k.url))", pages
    )
    for url in kept:
        assert '<html lang="en">' in cached_text(page, pages, url), url
    page.goto("/review/")  # online, the deck is taken again in English
    expect(deck_status).to_have_attribute("data-ready", "1", timeout=30_000)
    context.set_offline(True)
    page.goto("/settings/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.goto("/review/")
    expect(page.locator("#review-session .progress-row [role=status]")).to_contain_text(
        "left on this device"
    )
    answer(page, device=True)
    labels = page.locator("#review-session .grade-interval").all_inner_texts()
    assert labels and all(re.fullmatch(r"(?:<1|\d+(?:\.\d)?)(?:m|h|d|mo|y)", x) for x in labels)
    assert "Por hacer" not in page.content()
    assert not errors, errors
    context.close()
