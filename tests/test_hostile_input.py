"""No input reaches a 500: hostile values on every URL pattern, as every kind of user.

Every named URL pattern of the site must be in ROUTES (the coverage test fails when a new one is
added without it). For each route, the user who gets past its permission check sends every field
the site knows with each hostile value (as a query string and as a form, with and without htmx),
duplicated fields, files where text is expected, and a garbage body; the other users send a few.
Only Django's own admin is left out (it is not ours to harden and needs a superuser).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exams.sitting import services
from quizzes.models import Card, ImportJob, PendingUpload, Question
from quizzes.study import quiz

from .conftest import REPO
from .factories import (
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    "", "0", "-1", "-9223372036854775809", "9223372036854775808", "1e309", "nan", "inf",
    "²", "١٢٣", "alice ²", "alice 99999999999999", "x" * 5_000, "\x00", "😀",
]  # fmt: skip
SOME = ["9223372036854775808"]


def _site_fields() -> list[str]:
    """Every field name the site reads: form fields, template inputs, request keys in views."""
    from accounts import forms as account_forms
    from exams import forms as exam_forms
    from quizzes import forms as quiz_forms

    names: set[str] = {"username", "password", "password1", "password2", "email", "next",
                       "old_password", "new_password1", "new_password2", "seq"}  # fmt: skip
    for module in (account_forms, exam_forms, quiz_forms):
        for value in vars(module).values():
            names.update(getattr(value, "base_fields", {}))
    for path in (REPO / "templates").rglob("*.html"):
        names.update(re.findall(r'name="([a-z_0-9]+)"', path.read_text()))
    for folder in ("quizzes/views", "exams", "accounts"):
        for path in (REPO / folder).rglob("*.py"):
            names.update(re.findall(r'request\.(?:GET|POST)(?:\.get|\.getlist)?[(\[]"(\w+)"',
                                    path.read_text()))  # fmt: skip
    return sorted(names - {"viewport", "csrfmiddlewaretoken"})


FIELDS = _site_fields()


@pytest.fixture
def world(loaded_course):
    owner = UserFactory(username="owner", instructor=True)
    rival = UserFactory(username="rival", instructor=True)
    member = UserFactory(username="member")
    team = TeamFactory(name="Cohort", instructor=owner)
    MembershipFactory(team=team, user=member)
    blueprint = BlueprintFactory(
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1}, created_by=owner
    )
    now = timezone.now()
    attempt = services.attempt_start(user=member, blueprint=blueprint, now=now)
    team_exam = TeamExamFactory(
        team=team, blueprint=blueprint, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1), extra_minutes={str(member.pk): 5},
    )  # fmt: skip
    quiz_attempt = quiz.quiz_start(user=member, filters=quiz.Filters(count=3))
    card = Card.objects.create(
        user=member, question=Question.objects.get(uid="fx-timeout-card"), is_leech=True
    )
    pending = PendingUpload.objects.create(user=owner, files={}, targets={})
    job = ImportJob.objects.create(user=owner, name="x.gift", raw=b"", topic="limits")
    from quizzes.models import Topic
    from quizzes.study import own_cards

    own = own_cards.own_card_create(
        user=member, topic=Topic.objects.get(slug="limits"), front="Mine?", back="Yes.",
        section="", now=now,
    )  # fmt: skip
    return {
        "own": own,
        "owner": owner, "rival": rival, "member": member, "team": team, "blueprint": blueprint,
        "attempt": attempt, "team_exam": team_exam, "quiz": quiz_attempt, "card": card,
        "pending": pending, "job": job,
    }  # fmt: skip


# Route name -> (who gets past its checks, its URL arguments).
ROUTES = {
    "home": ("member", lambda w: {}),
    "topic_list": ("member", lambda w: {}),
    "note": ("member", lambda w: {"slug": "limits"}),
    "course_media": ("member", lambda w: {"name": "0" * 32 + ".png"}),
    "calculator": ("member", lambda w: {}),
    "exercise": ("member", lambda w: {"uid": "fx-requests-bill"}),
    "exercise_new": ("member", lambda w: {"uid": "fx-requests-bill"}),
    "review": ("member", lambda w: {}),
    "review_reveal": ("member", lambda w: {}),
    "review_answer": ("member", lambda w: {}),
    "review_grade": ("member", lambda w: {}),
    "review_undo": ("member", lambda w: {}),
    "review_deck": ("member", lambda w: {}),
    "review_sync": ("member", lambda w: {}),
    "service_worker": (None, lambda w: {}),
    "manifest": (None, lambda w: {}),
    "offline_page": (None, lambda w: {}),
    "quiz_start": ("member", lambda w: {}),
    "quiz": ("member", lambda w: {"pk": w["quiz"].pk}),
    "quiz_answer": ("member", lambda w: {"pk": w["quiz"].pk, "position": 1}),
    "quiz_missed": ("member", lambda w: {"pk": w["quiz"].pk}),
    "dashboard": ("member", lambda w: {}),
    "study_settings": ("member", lambda w: {}),
    "fsrs_parameters": ("member", lambda w: {"action": "optimize"}),
    "leeches": ("member", lambda w: {}),
    "leech_action": ("member", lambda w: {"pk": w["card"].pk, "action": "unsuspend"}),
    "own_cards": ("member", lambda w: {}),
    "own_card_new": ("member", lambda w: {}),
    "own_card_edit": ("member", lambda w: {"pk": w["own"].question_id}),
    "own_card_suspend": ("member", lambda w: {"pk": w["own"].question_id, "action": "suspend"}),
    "instructor_banks": ("owner", lambda w: {}),
    "bank_preview": ("owner", lambda w: {}),
    "bank_download": ("owner", lambda w: {}),
    "bank_moodle_xml": ("owner", lambda w: {}),
    "bank_upload": ("owner", lambda w: {}),
    "bank_upload_apply": ("owner", lambda w: {"pk": w["pending"].pk}),
    "bank_upload_cancel": ("owner", lambda w: {"pk": w["pending"].pk}),
    "bank_upload_job": ("owner", lambda w: {"pk": w["job"].pk}),
    "exam_list": ("member", lambda w: {}),
    "exam_start": ("member", lambda w: {"slug": "mini"}),
    "team_exam_start": ("member", lambda w: {"pk": w["team_exam"].pk}),
    "exam_attempt": ("member", lambda w: {"pk": w["attempt"].pk}),
    "exam_save": ("member", lambda w: {"pk": w["attempt"].pk, "position": 1}),
    "exam_review": ("member", lambda w: {"pk": w["attempt"].pk}),
    "exam_submit": ("member", lambda w: {"pk": w["attempt"].pk}),
    "exam_results": ("member", lambda w: {"pk": w["attempt"].pk}),
    "exam_item_review": ("member", lambda w: {"pk": w["attempt"].pk, "position": 1}),
    "team_list": ("member", lambda w: {}),
    "team_create": ("owner", lambda w: {}),
    "team_join": ("member", lambda w: {}),
    "team_join_code": ("member", lambda w: {"code": w["team"].invite_code}),
    "team": ("owner", lambda w: {"pk": w["team"].pk}),
    "team_exam_create": ("owner", lambda w: {"pk": w["team"].pk}),
    "team_board": ("owner", lambda w: {"pk": w["team"].pk, "exam_pk": w["team_exam"].pk}),
    "team_results": ("owner", lambda w: {"pk": w["team"].pk, "exam_pk": w["team_exam"].pk}),
    "team_results_csv": ("owner", lambda w: {"pk": w["team"].pk, "exam_pk": w["team_exam"].pk}),
    "item_analysis": ("owner", lambda w: {}),
    "item_analysis_refresh": ("owner", lambda w: {}),
    "blueprint_list": ("owner", lambda w: {}),
    "blueprint_new": ("owner", lambda w: {}),
    "blueprint_edit": ("owner", lambda w: {"pk": w["blueprint"].pk}),
    "signup": (None, lambda w: {}),
    "login": (None, lambda w: {}),
    "logout": ("member", lambda w: {}),
    "password_change": ("member", lambda w: {}),
    "password_change_done": ("member", lambda w: {}),
    "password_reset": (None, lambda w: {}),
    "password_reset_done": (None, lambda w: {}),
    "password_reset_confirm": (None, lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w["member"].pk)),
        "token": default_token_generator.make_token(w["member"]),
    }),
    "password_reset_complete": (None, lambda w: {}),
    "set_language": (None, lambda w: {}),
    "javascript-catalog": (None, lambda w: {}),
    "javascript-catalog-language": (None, lambda w: {"code": "es"}),
}  # fmt: skip
# Routes that end the session: log in again before each request.
RELOGIN = {"logout", "password_change"}
USERS = (None, "member", "rival", "owner")


def _named_patterns(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"every URL pattern has a name: {pattern.pattern}"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_is_covered_by_the_hostile_input_test():
    assert _named_patterns() == set(ROUTES)


def _no_5xx(response, what: str) -> None:
    assert response.status_code < 500, what


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_head_is_answered_wherever_get_is(client, world, name):
    insider, kwargs = ROUTES[name]
    if insider is not None:
        client.force_login(world[insider])
    url = reverse(name, kwargs=kwargs(world))
    get, head = client.get(url).status_code, client.head(url).status_code
    assert (get == 405) == (head == 405), (url, get, head)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_hostile_input_reaches_a_500(client, world, name):
    insider, kwargs = ROUTES[name]
    url = reverse(name, kwargs=kwargs(world))
    htmx = {"HX-Request": "true"}
    for who in USERS:
        values = HOSTILE if who == insider else SOME
        user = world[who] if who else None
        client.logout()
        if user is not None:
            client.force_login(user)

        def send(method: str, data=None, *, user=user, who=who, **extra):
            if user is not None and name in RELOGIN:
                client.force_login(user)
            response = getattr(client, method)(url, data, **extra)
            _no_5xx(response, f"{method.upper()} {url} as {who}: {str(data)[:80]}")

        for index, value in enumerate(values):
            fields = dict.fromkeys(FIELDS, value)
            headers = htmx if index % 2 else {}
            if index % 2 == 0 or who != insider:
                send("get", fields, headers=headers)
            send("post", fields, headers=headers)
        send("head")
        send("post", {field: ["1", "2", "x"] for field in FIELDS})
        files = {field: SimpleUploadedFile(f"{field}.zip", b"PK\x03\x04junk") for field in FIELDS}
        send("post", files)
        send("post", "{not json", content_type="application/json")


def test_huge_and_zero_ids_in_the_path_are_404_not_500(client, world):
    for name, (insider, kwargs) in ROUTES.items():
        args = kwargs(world)
        if not any(isinstance(v, int) for v in args.values()):
            continue
        client.force_login(world[insider])
        for big in (0, 2**63, 10**30):
            url = reverse(name, kwargs={k: big if isinstance(v, int) else v
                                        for k, v in args.items()})  # fmt: skip
            _no_5xx(client.get(url), url)
            _no_5xx(client.post(url, {"seq": "1"}), url)
