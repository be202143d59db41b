"""The interface in Spanish: every page, the catalogues complete, the learner's language.

The page walk renders every page of the URL list with `Accept-Language: es` (as a visitor, a
candidate and an instructor) and fails on any English string of the .po files it finds in the
page's interface; course content still in English is marked `lang="en"` and left out.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.utils import timezone

from exams.models import Blueprint
from exams.sitting import services
from quizzes.models import LearnerSettings, Topic
from quizzes.study import own_cards, quiz
from studyapp import po

from .factories import (
    BlueprintFactory,
    MembershipFactory,
    QuizAttemptFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def catalogue(domain: str = "django") -> list[po.Entry]:
    return po.messages(po.parse((LOCALE / "es" / "LC_MESSAGES" / f"{domain}.po").read_text()))


# --- The catalogues --------------------------------------------------------------------------


def test_there_is_a_spanish_catalogue_for_templates_python_and_scripts():
    assert {p.name for p in CATALOGUES} == {"django.po", "djangojs.po"}
    assert len(catalogue("django")) > 500 and len(catalogue("djangojs")) > 30


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_no_entry_is_fuzzy_or_empty(path):
    entries = po.messages(po.parse(path.read_text()))
    assert [e.msgid for e in entries if e.fuzzy] == []
    assert [e.msgid for e in entries if not e.translated] == []
    plural = [e for e in entries if e.msgid_plural]
    assert plural and all(len(e.msgstr) == 3 for e in plural)  # Spanish: one, many, other


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_translations_keep_every_placeholder_and_tag(path):
    for entry in po.messages(po.parse(path.read_text())):
        wanted = sorted(re.findall(r"%\(\w+\)[sd]|</?\w+", entry.msgid_plural or entry.msgid))
        for text in entry.msgstr:
            assert sorted(re.findall(r"%\(\w+\)[sd]|</?\w+", text)) == wanted, entry.msgid


def test_the_spanish_says_usted_not_vosotros():
    """Latin American Spanish: no "vosotros" forms in the interface."""
    vosotros = re.compile(
        r"\b(vosotros|vuestr[oa]s?|os\b|habéis|tenéis|podéis|sois|estáis)\b", re.I
    )
    found = [
        text
        for e in catalogue() + catalogue("djangojs")
        for text in e.msgstr
        if vosotros.search(text)
    ]
    assert found == []


def test_the_compiled_catalogue_is_what_msgfmt_makes():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext is not installed; the pure-Python compiler is the only one here")
    import gettext

    for path in CATALOGUES:
        out = Path(os.environ.get("TMPDIR", "/tmp")) / f"i18n-{path.stem}.mo"
        # --check: each translation keeps its msgid's format directives (python-format).
        subprocess.run([msgfmt, "--check", "-o", str(out), str(path)], check=True)
        ours = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))._catalog
        theirs = gettext.GNUTranslations(out.open("rb"))._catalog
        ours.pop(""), theirs.pop("")  # the header: msgfmt drops POT-Creation-Date
        assert ours == theirs


def test_makemessages_leaves_the_committed_catalogues_unchanged(tmp_path):
    """A new interface string without its translation fails here (and so in CI)."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is needed in CI (.ci/run installs it)")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "repo"
    for name in ("accounts", "exams", "quizzes", "studyapp", "templates", "static", "locale"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("*.mo", "vendor"))
    shutil.copy(REPO / "manage.py", copy)
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "studyapp.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "update_messages"],
        cwd=copy, env=env, check=True, capture_output=True,
    )  # fmt: skip
    for path in CATALOGUES:
        fresh = copy / path.relative_to(REPO)
        before = {
            (e.msgctxt, e.msgid, e.msgid_plural) for e in po.messages(po.parse(path.read_text()))
        }
        after = po.messages(po.parse(fresh.read_text()))
        new = [e.msgid for e in after if (e.msgctxt, e.msgid, e.msgid_plural) not in before]
        assert new == [], f"strings without a Spanish translation: run `make messages` ({path})"
        gone = before - {(e.msgctxt, e.msgid, e.msgid_plural) for e in after}
        assert gone == set(), f"strings no longer used: run `make messages` ({path})"
        assert [e.msgid for e in after if e.fuzzy or not e.translated] == []


# --- Every page in Spanish -------------------------------------------------------------------

# Interface strings that read the same in both languages, or are too short to find as words.
SAME = {"Lambda@Edge", "Id", "Cloud Practitioner (CLF-C02)", "arm64 (Graviton)",
        "Solutions Architect Associate (SAA-C03)", "Developer Associate (DVA-C02)"}  # fmt: skip
# Content, code and data, not interface: course text (marked lang="en" when untranslated) and
# what an author or a learner typed.
SKIP_CLASSES = {
    "prose", "stem", "choice-text", "rationale", "explanation", "back", "exercise-stem",
    "yaml", "stem-excerpt", "accepted-answers", "diff-old", "diff-new",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "code", "pre", "select", "textarea"}


class InterfaceText(HTMLParser):
    """The text a reader sees as the interface: no content in English, code or scripts."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        english = tag != "html" and attributes.get("lang") == "en"
        # A file's problems are shown as code lines, but their messages are interface.
        code = tag in SKIP_TAGS and not (tag == "pre" and "problems" in classes)
        skip = bool(code or english or classes & SKIP_CLASSES) or (
            bool(self.stack) and self.stack[-1]
        )
        for name in ("aria-label", "title", "placeholder", "alt"):
            if attributes.get(name) and not skip:
                self.parts.append(attributes[name])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def english_fragments() -> list[tuple[str, str]]:
    """(msgid, the longest run of its words) for each interface string Spanish changes."""
    found = []
    for entry in catalogue() + catalogue("djangojs"):
        if entry.msgid in SAME or entry.msgstr[0] == entry.msgid:
            continue
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            text = re.sub(r"<[^>]+>|%\(\w+\)[sd]|%%", "\x00", source)
            pieces = [" ".join(p.split()) for p in text.split("\x00")]
            # The longest piece with a word in it ("(over", not "GB-s):", which Spanish keeps).
            worded = [p for p in pieces if re.search(r"[A-Za-z]{3}", p)] or pieces
            longest = max(worded, key=len)
            # Words as a reader sees them; single words are found as whole words only.
            if len(longest) >= 4 and re.search(r"[a-z]", longest):
                found.append((entry.msgid, longest))
    return found


def english_in(text: str, fragments: list[tuple[str, str]]) -> list[str]:
    hits = []
    for msgid, fragment in fragments:
        pattern = r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])"
        if re.search(pattern, text):
            hits.append(f"{fragment!r} (from {msgid!r})")
    return hits


@pytest.fixture
def site(loaded_course):
    """A candidate with a quiz, an exam attempt and a team; an instructor who runs the team."""
    instructor = UserFactory(username="teacher", instructor=True)
    candidate = UserFactory(username="alumna")
    team = TeamFactory(name="Cohorte", instructor=instructor)
    MembershipFactory(team=team, user=candidate)
    blueprint = BlueprintFactory(
        slug="mini", title="Mini", question_count=2, topic_weights={"limits": 1}
    )
    now = timezone.now()
    team_exam = TeamExamFactory(
        team=team, blueprint=blueprint, opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(days=1),
    )  # fmt: skip
    done = services.attempt_start(user=candidate, blueprint=blueprint, now=now)
    services.attempt_submit(attempt=done, now=now)
    running = services.attempt_start(user=candidate, blueprint=blueprint, now=now)
    attempt = quiz.quiz_start(user=candidate, filters=quiz.Filters(count=2))
    own = own_cards.own_card_create(
        user=candidate, topic=Topic.objects.get(slug="limits"), front="Cold start?",
        back="First invocation.", section="", now=now,
    )  # fmt: skip
    return {
        "instructor": instructor, "candidate": candidate, "team": team, "team_exam": team_exam,
        "done": done, "running": running, "quiz": attempt, "blueprint": blueprint, "own": own,
    }  # fmt: skip


def pages(site) -> dict[str, tuple[str, str]]:
    """URL name -> (path, who): every page a GET shows, by the person who may see it."""
    t, te = site["team"].pk, site["team_exam"].pk
    return {
        "home": ("/", "candidate"),
        "topic_list": ("/notes/", ""),
        "note": ("/notes/limits/", ""),
        "calculator": ("/calculator/", ""),
        "exercise": ("/exercises/fx-requests-bill/", ""),
        "review": ("/review/", "candidate"),
        "quiz_start": ("/quiz/", "candidate"),
        "quiz": (f"/quiz/{site['quiz'].pk}/", "candidate"),
        "quiz_missed": (f"/quiz/{site['quiz'].pk}/missed/", "candidate"),
        "dashboard": ("/dashboard/", "candidate"),
        "study_settings": ("/settings/", "candidate"),
        "leeches": ("/leeches/", "candidate"),
        "own_cards": ("/cards/", "candidate"),
        "own_card_new": ("/cards/new/?topic=limits", "candidate"),
        "own_card_edit": (f"/cards/{site['own'].question_id}/edit/", "candidate"),
        "exam_list": ("/exams/", "candidate"),
        "exam_attempt": (f"/exams/attempt/{site['running'].pk}/", "candidate"),
        "exam_review": (f"/exams/attempt/{site['running'].pk}/review/", "candidate"),
        "exam_results": (f"/exams/attempt/{site['done'].pk}/results/", "candidate"),
        "team_list": ("/teams/", "instructor"),
        "team": (f"/teams/{t}/", "instructor"),
        "team_join": ("/teams/join/", "candidate"),
        "team_join_code": (f"/teams/join/{site['team'].invite_code}/", "candidate"),
        "team_board": (f"/teams/{t}/exams/{te}/board/", "instructor"),
        "team_results": (f"/teams/{t}/exams/{te}/results/", "instructor"),
        "instructor_banks": ("/instructor/banks/", "instructor"),
        "bank_preview": ("/instructor/banks/preview/?path=banks/limits.yaml", "instructor"),
        "item_analysis": ("/instructor/items/", "instructor"),
        "blueprint_list": ("/instructor/exams/", "instructor"),
        "blueprint_new": ("/instructor/exams/new/", "instructor"),
        "blueprint_edit": (f"/instructor/exams/{site['blueprint'].pk}/", "instructor"),
        "login": ("/accounts/login/", ""),
        "signup": ("/accounts/signup/", ""),
        "password_reset": ("/accounts/password_reset/", ""),
        "password_reset_done": ("/accounts/password_reset/done/", ""),
        "password_change": ("/accounts/password_change/", "candidate"),
        "password_change_done": ("/accounts/password_change/done/", "candidate"),
        "password_reset_complete": ("/accounts/reset/done/", ""),
        "offline_page": ("/offline/", "candidate"),
    }


# Pages that are not HTML pages to read, or only answer a POST (their responses are fragments
# of the pages above, rendered by the same templates) or a file download.
NOT_PAGES = {
    "course_media", "exercise_new", "review_reveal", "review_answer", "review_grade",
    "review_undo", "review_deck", "review_sync", "service_worker", "manifest", "quiz_answer",
    "fsrs_parameters", "leech_action", "bank_download", "bank_moodle_xml", "bank_upload",
    "bank_upload_job", "bank_upload_apply", "bank_upload_cancel", "exam_start", "team_exam_start",
    "exam_save", "exam_submit", "exam_item_review", "team_create", "team_exam_create",
    "team_results_csv", "item_analysis_refresh", "logout", "password_reset_confirm",
    "set_language", "javascript-catalog", "javascript-catalog-language", "own_card_suspend",
}  # fmt: skip


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns) -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if "admin" not in str(pattern.pattern):
                    walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_the_walk_covers_every_page_of_the_url_list(site):
    """A new page must be added to the walk (or named as not a page) to be checked in Spanish."""
    assert url_names() - set(pages(site)) - NOT_PAGES == set()


@pytest.mark.django_db
def test_every_page_in_spanish_shows_no_english_interface_string(client, site):
    fragments = english_fragments()
    failures = {}
    for name, (path, who) in pages(site).items():
        client.logout()
        if who:
            client.force_login(site[who])
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        assert '<html lang="es">' in html, name
        # Numbers a browser reads (SVG coordinates, progress values) never take a decimal comma.
        assert not re.search(r' (?:x|y|x1|x2|y1|y2|width|height|value|max)="[^"]*\d,\d', html), name
        for points in re.findall(r' points="([^"]*)"', html):
            assert all(re.fullmatch(r"-?[\d.]+,-?[\d.]+", pair) for pair in points.split()), name
        text = InterfaceText.of(html)
        # Spanish writes a space before the percent sign (quizzes/templatetags/percentages.py).
        hits = english_in(text, fragments) + re.findall(r"\S*\d%", str(text))
        if hits:
            failures[name] = hits
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())


# The calculator with every line the engine writes (provisioned concurrency, ephemeral storage, a
# rounded duration, the tiers; then Lambda@Edge), and an answer the engine refuses.
CALCULATOR_URLS = [
    "/calculator/?requests=900000000&duration_ms=1200.5&memory_mb=10240&arch=arm64"
    "&ephemeral_mb=2048&free_tier=on&provisioned_units=10&provisioned_hours=100.3"
    "&provisioned_requests=1000000&instance=t3.small",
    "/calculator/?requests=0&duration_ms=20&memory_mb=128&arch=x86_64&ephemeral_mb=512"
    "&provisioned_units=0&provisioned_hours=0&instance=t3.small",
    "/calculator/?requests=5000000&duration_ms=20&memory_mb=128&arch=x86_64&ephemeral_mb=512"
    "&edge=on&provisioned_units=0&provisioned_hours=0&instance=t3.small",
    "/calculator/?requests=5000000&duration_ms=20&memory_mb=128&arch=arm64&ephemeral_mb=512"
    "&edge=on&provisioned_units=0&provisioned_hours=0&instance=t3.small",
]


def shipped_exercises() -> list[str]:
    """The course's cost exercises (bills, lines, expressions, ranges, every unit) as rows of the
    fixture course, their stems left English: their own text is content, not the engine's."""
    from quizzes.course.bank import parse_bank
    from quizzes.models import Question

    from .factories import QuestionFactory

    path = REPO / "content" / "banks" / "pricing-exercises.yaml"
    result = parse_bank("pricing-exercises.yaml", path.read_text())
    topic = Question.objects.get(uid="fx-requests-bill").topic
    for spec in result.questions:
        QuestionFactory(
            uid=spec.uid, topic=topic, type="numeric", choices=[], exercise=spec.exercise,
            stem_html="<p>?</p>", explanation_html="",
        )  # fmt: skip
    return [spec.uid for spec in result.questions]


@pytest.mark.django_db
def test_the_engines_steps_formulas_and_messages_in_spanish_show_no_english(client, site):
    """The calculator's lines and an exercise's worked solution (a bill, a line, an expression),
    as a Spanish learner reads them after answering: no interface string left in English."""
    fragments = english_fragments()
    failures = {}
    for url in CALCULATOR_URLS:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert 'lang="en"' not in html.split('id="estimate"')[1], url
        if hits := english_in(InterfaceText.of(html), fragments):
            failures[url] = hits
    client.force_login(site["candidate"])
    numeric = shipped_exercises()
    assert len(numeric) > 20
    for uid in numeric:
        for typed in ("1,5", "1.2.3"):  # an answer (the worked solution), then a refusal
            html = client.post(
                f"/exercises/{uid}/", {"answer": typed}, HTTP_ACCEPT_LANGUAGE="es",
                headers={"HX-Request": "true"},
            ).content.decode()  # fmt: skip
            assert ("Solución paso a paso" in html) == (typed == "1,5"), (uid, typed)
            if hits := english_in(InterfaceText.of(html), fragments):
                failures[f"{uid} {typed}"] = hits
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_every_sentence_the_engine_writes_is_in_the_catalogue():
    """A step written without its gettext_noop would stay English on a Spanish page."""
    import itertools

    from quizzes.costs import answers
    from quizzes.costs.pricing import estimate
    from quizzes.costs.text import Joined
    from quizzes.costs.usage import Usage
    from quizzes.translatable import Message

    msgids = {e.msgid for e in catalogue()}

    def messages(value):
        if isinstance(value, Message):
            yield value.template
            for param in value.params.values():
                yield from messages(param)
        elif isinstance(value, Joined):
            for part in value.parts:
                yield from messages(part)

    found: set[str] = set()
    for requests, pc, free, edge, ephemeral in itertools.product(
        (0, 500_000, 50_000_000_000), (0, 5), (True, False), (False, True), (512, 4096)
    ):
        if edge and (pc or ephemeral > 512):
            continue
        usage = Usage.from_values(
            requests=requests, duration_ms="100.5", memory_mb=2048, free_tier=free, edge=edge,
            provisioned_units=pc, provisioned_hours="1.1" if pc else 0, ephemeral_mb=ephemeral,
            provisioned_requests=min(requests, 100) if pc else None,
        )  # fmt: skip
        for line in estimate(usage).lines:
            for text in (line.formula, line.price_text, *line.steps):
                assert isinstance(text, Message), text
                found.update(messages(text))
    for unit in (*answers.KNOWN_UNITS, "number", "seconds"):
        for text in (answers.unit_label(unit), answers.unit_example(unit),
                     answers.unit_message(unit)):  # fmt: skip
            found.update(messages(text))
    worded = {m for m in found if re.search(r"[a-z]{3,}", re.sub(r"%\(\w+\)s", "", m))}
    assert len(worded) > 40
    assert sorted(worded - msgids) == []


@pytest.mark.django_db
def test_the_error_pages_in_spanish_show_no_english_interface_string(client, site, monkeypatch):
    """403, 404 and 500 have no URL name, so the walk above cannot reach them: each is asked for
    here by a Spanish browser and by a learner whose saved language is Spanish (whatever their
    browser says), and read as the walk reads a page."""
    from quizzes import selectors

    LearnerSettings.objects.update_or_create(user=site["candidate"], defaults={"language": "es"})

    def broken():
        raise RuntimeError("a bug in a selector")

    monkeypatch.setattr(selectors, "topics_with_counts", broken)  # /notes/ answers a 500
    client.raise_request_exception = False
    fragments = english_fragments()
    cases = [
        ("/instructor/banks/", "candidate", "es", 403),
        ("/instructor/banks/", "candidate", "en", 403),
        ("/no-such-page/", "", "es", 404),
        ("/quiz/999999/", "candidate", "en", 404),
        ("/notes/", "", "es", 500),
        ("/notes/", "candidate", "en", 500),
    ]
    failures = {}
    for path, who, browser, status in cases:
        client.logout()
        if who:
            client.force_login(site[who])
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=browser)
        assert response.status_code == status, (path, who, response.status_code)
        html = response.content.decode()
        assert '<html lang="es">' in html and "css/site.css" in html, (status, who)
        hits = english_in(InterfaceText.of(html), fragments)
        if hits:
            failures[f"{status} {path} ({who or 'visitor'})"] = hits
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())
    # The check finds English on the same pages in English: it is not vacuous.
    client.logout()
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english_in(InterfaceText.of(english), fragments)


def test_the_walk_finds_english_it_should(client, site):
    """The check itself: the same pages in English are full of the strings it looks for."""
    html = client.get("/notes/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "'Study notes'" in " ".join(english_in(InterfaceText.of(html), english_fragments()))


def test_untranslated_content_is_marked_and_kept_out_of_the_check(client, site):
    html = client.get("/notes/limits/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<article class="note prose" aria-labelledby="note-title" lang="en">' in html
    assert "Esta nota aún no está traducida" in html
    assert "A function runs for at most 900 seconds" not in InterfaceText.of(html)


@pytest.mark.django_db
def test_topic_titles_in_lists_and_choices_are_in_the_learners_language(client, site):
    """The review's topic filter, the quiz's topic choices and the card form's topics read the
    translated title (from the translations column, without the notes it also holds)."""
    Topic.objects.filter(slug="limits").update(
        translations={"es": {"title": "Límites y cuotas", "summary": "", "note_html": ""}}
    )
    client.force_login(site["candidate"])
    for path in ("/review/", "/quiz/", "/cards/new/?topic=limits"):
        spanish = client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert re.search(r'value="limits"[^>]*>\s*Límites y cuotas<', spanish) or (
            re.search(r'value="limits"[^>]*>.*?Límites y cuotas', spanish, re.S)
        ), path
        assert "Límites y cuotas" not in english, path


# --- Choosing the language -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_first_visit_follows_accept_language(client):
    assert (
        '<html lang="es">'
        in client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    )
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


@pytest.mark.django_db
def test_the_switcher_works_without_signing_in_and_urls_stay_the_same(client):
    page = client.get("/notes/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/notes/"})
    assert response.status_code == 302 and response["Location"] == "/notes/"
    assert "Notas de estudio" in client.get("/notes/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/notes/"})
    assert "Study notes" in client.get("/notes/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_the_switcher_needs_a_post_with_its_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/i18n/setlang/").status_code == 405
    assert strict.post("/i18n/setlang/", {"language": "es"}).status_code == 403


@pytest.mark.django_db
def test_the_saved_language_wins_after_sign_in(client, loaded_course):
    from .factories import PASSWORD

    user = UserFactory(username="hablante")
    LearnerSettings.objects.create(user=user, language="es")
    client.post("/accounts/login/", {"username": "hablante", "password": PASSWORD})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page
    client.post("/accounts/logout/")
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_the_settings_page_saves_the_language_and_the_switcher_saves_it_too(client, loaded_course):
    user = UserFactory(username="ana")
    client.force_login(user)
    form = client.get("/settings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="language"' in form and "As my browser asks" in form
    data = {"desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200",
            "max_interval_days": "365", "time_zone": "UTC", "language": "es"}  # fmt: skip
    response = client.post("/settings/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Configuración guardada" in response.content.decode()
    assert LearnerSettings.objects.get(user=user).language == "es"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert LearnerSettings.objects.get(user=user).language == "en"
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


# --- Formats ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_dates_and_money_follow_the_language(client):
    query = "?requests=5000000&duration_ms=200&memory_mb=512&arch=x86_64&ephemeral_mb=512"
    es = client.get("/calculator/" + query + "&free_tier=on", HTTP_ACCEPT_LANGUAGE="es")
    en = client.get("/calculator/" + query + "&free_tier=on", HTTP_ACCEPT_LANGUAGE="en")
    es_text, en_text = InterfaceText.of(es.content.decode()), InterfaceText.of(en.content.decode())
    total_es = re.search(r"Total (US\$[\d.,\xa0]+) por mes", es_text)[1]
    total_en = re.search(r"Total (\$[\d.,]+) per month", en_text)[1]
    # The same amount of US dollars, written as each language writes numbers.
    spanish = total_es.removeprefix("US$").replace("\xa0", "").replace(",", ".")
    assert "," in total_es and spanish == total_en.removeprefix("$").replace(",", "")
    # The note writes its figures as the Spanish numbers on the page do: a no-break space groups.
    assert re.search(r"\b400\s000 GB-s", es_text) and "400,000 GB-s" in en_text


def test_the_exam_score_and_time_left_read_in_spanish():
    from django.utils import translation

    from exams.templatetags.lookups import exam_score, time_left, usd

    with translation.override("es"):
        # Django's Spanish groups thousands with a no-break space and writes a decimal comma.
        assert exam_score(720, "scaled") == "720 / 1\xa0000"
        assert time_left(20) == "menos de un minuto"
        assert usd(1234.5) == "US$1\xa0234,50"
        assert exam_score(71.6, "percent") == "72\xa0%"
    with translation.override("en"):
        assert exam_score(720, "scaled") == "720 / 1,000"
        assert usd(1234.5) == "$1,234.50"
        assert exam_score(71.6, "percent") == "72%"


@pytest.mark.django_db
def test_a_spanish_learner_reads_a_translated_question_on_the_same_card(client, tmp_path):
    """One question, one id and one card in every language; English with a mark when the
    language has no translation of it."""
    from quizzes.models import Question

    shutil.copytree(REPO / "content", tmp_path / "content")
    from django.conf import settings as django_settings
    from django.core.management import call_command

    django_settings.CONTENT_DIR = tmp_path / "content"
    call_command("load_content", verbosity=0)
    english = Question.objects.get(uid="limits-timeout-long-report")
    from django.utils import translation

    # The whole course is translated now: a question whose translation is missing (an upload
    # in English only, a course that ships a new item first in English) is made here.
    untranslated = "limits-timeout-default-3s"
    Question.objects.filter(uid=untranslated).update(translations={})
    with translation.override("es"):
        spanish = Question.objects.get(uid="limits-timeout-long-report")
        other = Question.objects.get(uid=untranslated)
    assert spanish.pk == english.pk and spanish.shown_language == "es"
    assert "conciliación mensual" in spanish.stem_html and "reconciliation" in english.stem_html
    assert [c["key"] for c in spanish.choices] == [c["key"] for c in english.choices]
    assert [c["correct"] for c in spanish.choices] == [c["correct"] for c in english.choices]
    assert other.untranslated and not other.shown_language
    with pytest.raises(ValueError):
        spanish.save()  # it would write Spanish over the English


# --- Messages made at run time ---------------------------------------------------------------
# The walk above finds English of the .po files; a message a pure module makes at run time (a
# bank's problem, an importer's note, an item-writing cue, an upload's refusal) is English in
# the code. These pages are rendered with such messages on them, and checked against the
# catalogues and against every English sentence written in the pure modules' code, marked for
# translation or not.

CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
PURE_MODULES = next(c for c in CONTRACTS["contracts"] if c["id"] == "pure")["source_modules"]
# Two words or more: "too easy" is a message, "limits" could be a slug.
SENTENCE = re.compile(r"[A-Za-z]{3,}[,:;]? [a-z'(]{3,}")


def _module_files(name: str) -> list[Path]:
    path = REPO / Path(*name.split("."))
    return sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


def _literals(tree: ast.AST) -> list[str]:
    """The string literals of a module that are not docstrings, f-strings in their parts."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            docstrings.update(id(part) for part in node.values)
            found.extend(p.value for p in node.values if isinstance(p, ast.Constant))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            found.append(node.value)
    return found


def pure_module_fragments() -> list[tuple[str, str]]:
    """(literal, a run of its words) for each English sentence written in a pure module."""
    found = []
    for path in (p for m in PURE_MODULES for p in _module_files(m)):
        for literal in _literals(ast.parse(path.read_text())):
            if "|" in literal or "\\" in literal or "(?" in literal:
                continue  # a pattern, not a message
            text = re.sub(r"%\(\w+\)[\d.]*[sdrfg%]|%%|\{[^}]*\}", "\x00", literal)
            for piece in (" ".join(p.split()).strip(" .,:;'") for p in text.split("\x00")):
                if len(piece) >= 8 and SENTENCE.search(piece):
                    found.append((f"{path.name}: {literal[:60]}", piece))
    return found


TRUE_FALSE_BANK = "topic: limits\nquestions:\n" + "".join(
    f"""  - id: tf-{n}
    type: true_false
    difficulty: easy
    tags: [dva-c02]
    stem: A function can keep {n} files in /tmp between two invocations of the same instance.
    answer: true
    explanation: The execution environment is reused.
    references: [https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html]
"""
    for n in range(10)
)
FORM_BANK = """topic: limits
questions:
  - id: form-yes-key
    type: single
    difficulty: medium
    tags: [dva-c02]
    stem: An API Gateway API calls the function, which writes to DynamoDB. Is code signing slow?
    choices:
      - {text: "Yes, it adds a check at every deployment of the code", correct: true}
      - {text: "No, it runs once", rationale: r}
      - {text: "No, never", rationale: r}
      - {text: "All of the above", rationale: r}
    explanation: e
    references: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html]
"""
MOODLE_CASES = REPO / "tests" / "moodle_cases"


@pytest.fixture
def busy(site, tmp_path, settings):
    """The site with what instructors, teams and exams show at run time: banks with problems,
    warnings and cues, item statistics with flags, a team exam open with members answering."""
    from django.core.management import call_command

    from quizzes.models import Question, QuizItem

    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    (root / "banks" / "form.yaml").write_text(FORM_BANK)
    (root / "banks" / "truefalse.yaml").write_text(TRUE_FALSE_BANK)
    settings.CONTENT_DIR = root
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    limits = root / "banks" / "limits.yaml"  # a problem the live course does not have yet
    right = "correct: true\n        rationale: 900"
    limits.write_text(limits.read_text().replace(right, "corect" + right.removeprefix("correct")))
    # Forty first attempts, all right: too easy, and distractors nobody picks.
    question = Question.objects.get(uid="fx-timeout")
    right = next(c["key"] for c in question.choices if c["correct"])
    for n in range(40):
        attempt = QuizAttemptFactory(user__username=f"quiz{n}")
        QuizItem.objects.create(
            attempt=attempt, question=question, position=1, seed="s", correct=True,
            answer={"selected": [right]}, answered_at=timezone.now(), duration_ms=5000,
        )  # fmt: skip
    # A team exam open now: one member answering, one submitted (its results held), one not
    # started; the candidate's saved language is Spanish.
    team, blueprint, now = site["team"], site["blueprint"], timezone.now()
    # A solo exam of one "choose two" question, started before the team's window opened.
    multiple = BlueprintFactory(
        slug="two", title="Dos", question_count=1, scored_count=1, topic_weights={"limits": 1},
        difficulty_mix={"medium": 1}, exam_tag="saa-c03",
    )  # fmt: skip
    choose_two = services.attempt_start(user=site["candidate"], blueprint=multiple, now=now)
    open_exam = TeamExamFactory(
        team=team, blueprint=blueprint, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )  # fmt: skip
    early, late = UserFactory(username="temprano"), UserFactory(username="tarde")
    for user in (early, late):
        MembershipFactory(team=team, user=user)
    held = services.attempt_start(user=early, blueprint=blueprint, now=now, team_exam=open_exam)
    services.attempt_submit(attempt=held, now=now)
    for user in (site["candidate"], early):
        LearnerSettings.objects.update_or_create(user=user, defaults={"language": "es"})
    # A topic and an exam translated into Spanish, with English titles the check knows
    # (TRANSLATED_TITLES): a page that reads only the English `title` shows them.
    Topic.objects.filter(slug="limits").update(
        title="Quotas and limits", translations={"es": {"title": "Cuotas y límites"}}
    )
    Blueprint.objects.filter(pk=blueprint.pk).update(
        title="Mini mock exam", translations={"es": {"title": "Miniexamen de prueba"}}
    )
    return {**site, "root": root, "open_exam": open_exam, "early": early, "held": held,
            "choose_two": choose_two}  # fmt: skip


TRANSLATED_TITLES = [("topic title", "Quotas and limits"), ("exam title", "Mini mock exam")]
# A cost exercise whose check fails: a range backwards, a step of 0, and memory the engine
# refuses for every combination.
PRICING_BANK = (REPO / "tests" / "fixtures" / "course" / "banks" / "pricing.yaml").read_text()
BROKEN_EXERCISE = PRICING_BANK.replace(
    "duration_ms: {choices: [10, 20]}", "duration_ms: {min: 20, max: 10, step: 0}"
) + PRICING_BANK.removeprefix("topic: pricing\nquestions:\n").replace(
    "id: fx-requests-bill", "id: fx-requests-low-memory"
).replace("memory_mb: 128", "memory_mb: 64")


def _choices(html: str) -> list[str]:
    return re.findall(r'name="choice" value="([^"]+)"', html)


def run_time_pages(client, busy) -> dict[str, str]:
    """Name -> the Spanish page (or fragment) as each person meets it, messages included."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from quizzes.authoring import imports
    from quizzes.models import PendingUpload

    from .factories import PASSWORD

    es = {"HTTP_ACCEPT_LANGUAGE": "es"}
    htmx = {**es, "HTTP_HX_REQUEST": "true"}
    got: dict[str, str] = {}

    def upload(name: str, raw: bytes, **fields) -> str:
        data = {"bank": SimpleUploadedFile(name, raw), "topic": "limits", **fields}
        return client.post("/instructor/upload/", data, follow=True, **es).content.decode()

    client.force_login(busy["instructor"])
    for bank in ("limits", "form", "truefalse"):
        url = f"/instructor/banks/preview/?path=banks/{bank}.yaml"
        got[f"preview {bank}"] = client.get(url, **es).content.decode()
    bad = (REPO / "tests" / "bad_content" / "typo_corect.yaml").read_bytes()
    got["upload with problems"] = upload("typo.yaml", bad)
    got["upload refused"] = upload("banks.zip", b"PK\x03\x04 not a zip")
    got["upload, cost exercise problems"] = upload("costs.yaml", BROKEN_EXERCISE.encode())
    got["banks"] = client.get("/instructor/banks/", **es).content.decode()
    got["import refused"] = upload("empty.gift", b"// nothing here\n")
    for case in ("cases.gift", "cases.aiken", "cases.xml"):
        name = case.replace(".aiken", ".txt")
        got[f"import {case}"] = upload(name, (MOODLE_CASES / case).read_bytes(), exam="saa-c03")
    changed = (busy["root"] / "banks" / "pricing.yaml").read_text().replace("stem: ", "stem: A ", 1)
    got["upload diff"] = upload("pricing.yaml", changed.encode())
    pending = PendingUpload.objects.get(user=busy["instructor"])
    got["upload applied"] = client.post(
        f"/instructor/upload/{pending.pk}/apply/", follow=True, **es
    ).content.decode()
    # A large file's report is made by a worker, where no request says the language.
    raw = (MOODLE_CASES / "cases.gift").read_bytes()
    with translation.override("es"):
        job = imports.job_create(user=busy["instructor"], name="big.gift", raw=raw,
                                 topic="limits", exam="", language="es")  # fmt: skip
    with translation.override("en"):
        imports.job_run(job)
    got["import job"] = client.get(f"/instructor/upload/import/{job.pk}/", **es).content.decode()
    client.post("/instructor/items/refresh/", **es)
    got["item analysis"] = client.get("/instructor/items/", **es).content.decode()
    got["item analysis, flagged"] = client.get(
        "/instructor/items/?flagged=1&sort=facility", **es
    ).content.decode()
    wrong = {"title": "Mal", "slug": "Mal Slug", "question_count": "5", "scored_count": "9",
             "duration_minutes": "0", "scoring": "percent", "pass_mark": "700",
             "topics": "limits: 3, vpc: 2", "difficulty": "easy: x"}  # fmt: skip
    got["blueprint errors"] = client.post("/instructor/exams/new/", wrong, **es).content.decode()
    got["blueprint errors, weights"] = client.post(
        "/instructor/exams/new/", {**wrong, "topics": "limits: -1", "difficulty": "hard"}, **es
    ).content.decode()
    file_blueprint = BlueprintFactory(
        slug="file-exam", title="Archivo", scoring=Blueprint.Scoring.SCALED,
        source_path="exams/x.yaml",
    )  # fmt: skip
    got["blueprint copy"] = client.get(
        f"/instructor/exams/{file_blueprint.pk}/", **es
    ).content.decode()
    got["team without a name"] = client.post(
        "/teams/new/", {"name": " "}, follow=True, **es
    ).content.decode()
    t, open_exam = busy["team"].pk, busy["open_exam"].pk
    got["schedule errors"] = client.post(f"/teams/{t}/exams/new/", {
        "blueprint": busy["blueprint"].pk, "opens_at": "2026-12-01T12:00",
        "closes_at": "2026-12-01T09:00", "extra_time": "nadie 30\nalumna 9999\nx",
    }, **es).content.decode()  # fmt: skip
    got["team"] = client.get(f"/teams/{t}/", **es).content.decode()
    got["board mid-window"] = client.get(
        f"/teams/{t}/exams/{open_exam}/board/", **es
    ).content.decode()
    got["board poll"] = client.get(f"/teams/{t}/exams/{open_exam}/board/", **htmx).content.decode()
    got["team results mid-window"] = client.get(
        f"/teams/{t}/exams/{open_exam}/results/", **es
    ).content.decode()
    client.logout()

    # A member whose saved language is Spanish signs in, whatever the browser asks.
    client.post("/accounts/login/", {"username": "temprano", "password": PASSWORD})
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    got["member's team"] = client.get(f"/teams/{t}/", **en).content.decode()
    got["held results"] = client.get(
        f"/exams/attempt/{busy['held'].pk}/results/", **en
    ).content.decode()
    got["join, bad code"] = client.post("/teams/join/", {"code": "nope"}, **en).content.decode()
    got["join again"] = client.post(
        "/teams/join/", {"code": busy["team"].invite_code}, follow=True, **en
    ).content.decode()
    got["exam list"] = client.get("/exams/", **en).content.decode()
    client.logout()

    client.post("/accounts/login/", {"username": "alumna", "password": PASSWORD})
    running = busy["running"]
    page = client.get(f"/exams/attempt/{running.pk}/", **en).content.decode()
    got["exam question"] = page
    save = f"/exams/attempt/{running.pk}/save/1/"
    hx = {**en, "HTTP_HX_REQUEST": "true"}
    choices = _choices(page)
    client.post(save, {"choice": choices[1], "page": "7", "seq": "2"}, **hx)
    got["save not kept"] = client.post(
        save, {"choice": choices[0], "page": "7", "seq": "1", "flagged": "on"}, **hx
    ).content.decode()
    got["save kept"] = client.post(
        save, {"choice": choices[0], "page": "7", "seq": "3"}, **hx
    ).content.decode()
    two = busy["choose_two"].pk
    question = client.get(f"/exams/attempt/{two}/", **en).content.decode()
    assert "data-choose" in question
    got["too many choices"] = client.post(
        f"/exams/attempt/{two}/save/1/",
        {"choice": _choices(question), "page": "8", "seq": "1"},
        **hx,
    ).content.decode()
    got["review before submit"] = client.get(
        f"/exams/attempt/{running.pk}/review/", **en
    ).content.decode()
    services.attempt_submit(attempt=running, now=running.deadline, auto=True)
    got["auto-submitted results"] = client.get(
        f"/exams/attempt/{running.pk}/results/", **en
    ).content.decode()
    got["saved after submit"] = client.post(
        save, {"choice": choices[0], "page": "7", "seq": "9"}, follow=True, **en
    ).content.decode()
    return got


@pytest.mark.django_db
def test_instructor_team_and_exam_messages_made_at_run_time_are_spanish(client, busy):
    fragments = english_fragments() + pure_module_fragments() + TRANSLATED_TITLES
    failures = {}
    got = run_time_pages(client, busy)
    for name, html in got.items():
        # What a message quotes from the author's file ('Your answer is correct.') is theirs.
        text = re.sub(r"'[^'\n]{0,200}'", "''", InterfaceText.of(html))
        # So are an exercise's variables with the numbers that failed ("requests=2,000,000").
        text = re.sub(r"\b[a-z_]+=[^\s,)]+", "", text)
        hits = english_in(text, fragments)
        # A count of one with a plural word ("1 agregadas", "1 preguntas").
        hits += re.findall(r"(?<![\d.,])1 [a-záéíóú]+(?:adas|idas|ados|idos|preguntas)\b", text)
        if hits:
            failures[name] = hits
    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())
    # The translated titles are there to be seen: topic rows, filters and averages, the
    # upload form's topics, the exam of the internal consistency.
    for name in ("item analysis", "team results mid-window", "banks", "preview limits"):
        assert "Cuotas y límites" in got[name], name
    assert "Miniexamen de prueba" in got["item analysis"]
    assert "1 cambiada" in InterfaceText.of(got["upload diff"])
    problems = got["upload, cost exercise problems"]
    assert "es mayor que max" in problems and "combinaciones más" in problems


def test_the_run_time_check_finds_english_it_should(client, busy):
    """The check itself: it knows the pure modules' sentences whether they are in the .po or
    not, and finds them on the same pages in English."""
    found = {piece for _, piece in pure_module_fragments()}
    in_po = {e.msgid for e in catalogue()}
    assert {"too easy", "the file is not a valid zip archive", "unknown key"} <= found
    # A sentence a pure module writes without a mark is known too (notes are checked by the
    # commands only, so their messages are not in the catalogue).
    note = "a note must start with a front matter block"
    assert any(note in piece for piece in found) and not any(note in m for m in in_po)
    client.force_login(busy["instructor"])
    page = client.get(
        "/instructor/banks/preview/?path=banks/limits.yaml", HTTP_ACCEPT_LANGUAGE="en"
    )
    hits = " ".join(english_in(InterfaceText.of(page.content.decode()), pure_module_fragments()))
    assert "'unknown key'" in hits and "'longest key'" in hits
