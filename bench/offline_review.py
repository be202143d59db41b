"""Key press to next card: the deck on the device against today's server round trip (Chromium).

    .venv/bin/python bench/offline_review.py

Serves the site (development settings, SQLite in a temporary folder, `runserver` on
127.0.0.1:8125) to Debian's chromium through Playwright, with one learner and 320 new flashcards.
For each of 100 grades it reveals the card, then times from the grade key's `keydown` event to the
first animation frame after the next card is in the page (the frame in which it is painted), read
in the page itself:

- server: the review page as it is, htmx posting the grade and swapping in the next card;
- device, online: "Review on this device", the next card drawn from the deck in IndexedDB;
- device, offline: the same with the network cut (`context.set_offline(True)`).

Prints the median and p99 of each in ms, to the frame and to the moment the card is in the DOM (the
work itself; the rest is waiting for the display's next frame); one frame at 60 Hz is 16.7 ms.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="lambda-study-offline-bench-"))
ENV = dict(os.environ, DEBUG="1", DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "studyapp.settings"
PORT = int(os.environ.get("BENCH_PORT", "8125"))
GRADES = 100
CARDS = 320
PASSWORD = "bench-password-offline"

MEASURE = """() => {
  window.__latencies = [];
  if (window.__measuring) return;
  window.__measuring = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "3") return;
    const started = event.timeStamp;
    const old = document.querySelector("#review-session article");
    const observer = new MutationObserver(() => {
      const now = document.querySelector("#review-session article");
      if (now && now !== old) {
        observer.disconnect();
        const inPage = performance.now() - started;
        requestAnimationFrame(() => window.__latencies.push([inPage, performance.now() - started]));
      }
    });
    observer.observe(document.querySelector("main"), { childList: true, subtree: true });
  }, true);
}"""


def setup() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from quizzes.models import LearnerSettings, Question, Topic

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench", password=PASSWORD)
    LearnerSettings.objects.create(user=user, new_per_day=CARDS, max_reviews_per_day=CARDS)
    topic = Topic.objects.create(slug="limits", title="Limits", note_html="<h2>Limits</h2>")
    Question.objects.bulk_create(
        Question(
            uid=f"bench-{n}", topic=topic, type=Question.Type.FLASHCARD, difficulty="medium",
            stem_html=f"<p>Front of card {n}: what is the limit?</p>",
            back_html=f"<p>Back of card {n}: the limit is {n}.</p>",
            explanation_html="<p>Because the documentation says so.</p>",
            source_path="bench.yaml", source_line=n, fingerprint=f"{n:064d}",
        )
        for n in range(CARDS)
    )  # fmt: skip


def wait_for_port() -> None:
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the server did not start on port {PORT}")


def grades(page, settle) -> list[float]:
    from playwright.sync_api import expect

    page.evaluate(MEASURE)
    for n in range(GRADES):
        page.keyboard.press("Space")
        expect(page.locator("#review-session [data-rating='3']")).to_be_visible()
        settle()
        page.keyboard.press("3")
        page.wait_for_function(f"window.__latencies.length > {n}")
        settle()
    return page.evaluate("window.__latencies")  # [card in the DOM, next frame] per grade


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    median = statistics.median(values)
    return f"{name:<18} median {median:7.2f} ms   p99 {p99:7.2f} ms   (n={len(values)})"


def main() -> None:
    from playwright.sync_api import expect, sync_playwright

    setup()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port()
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            # The measuring script polls with wait_for_function, which the site's CSP forbids.
            context = browser.new_context(base_url=f"http://localhost:{PORT}", bypass_csp=True)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill("bench")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.goto("/review/")

            def htmx_settled() -> None:
                busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
                expect(busy).to_have_count(0)

            server_ms = grades(page, htmx_settled)
            page.goto("/review/")
            ready = page.locator("[data-deck-status]")
            expect(ready).to_have_attribute("data-ready", "1", timeout=60_000)
            page.locator("[data-device-start]").click()
            online_ms = grades(page, lambda: None)
            context.set_offline(True)
            offline_ms = grades(page, lambda: None)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"key press to next card, {GRADES} grades each (one frame at 60 Hz: 16.7 ms)")
    print("to the frame that paints it:")
    for name, pairs in (("server (htmx)", server_ms), ("device, online", online_ms),
                        ("device, offline", offline_ms)):  # fmt: skip
        print("  " + summary(name, [frame for _, frame in pairs]))
    print("to the card in the DOM (the work itself, before waiting for the frame):")
    for name, pairs in (("server (htmx)", server_ms), ("device, online", online_ms),
                        ("device, offline", offline_ms)):  # fmt: skip
        print("  " + summary(name, [dom for dom, _ in pairs]))


if __name__ == "__main__":
    main()
