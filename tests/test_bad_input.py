"""The six inputs that reached a 500, each refused with a message; a corpus of broken uploads.

Also the owner checks on instructor objects, between two instructors.
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exams.models import Blueprint, ExamItem, TeamExam
from exams.sitting import services
from quizzes.authoring import uploads
from quizzes.models import PendingUpload
from quizzes.study.answering import public_key

from .conftest import BAD_CONTENT
from .factories import (
    BlueprintFactory,
    MembershipFactory,
    TeamExamFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
BANK = b"topic: limits\nquestions: []\n"


def zipped(data: bytes = BANK, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("bank.yaml", data)
    return buffer.getvalue()


def patched(raw: bytes, local_offset: int, central_offset: int, fmt: str, value: int) -> bytes:
    """Set one header field in both the local header and the central directory."""
    out = bytearray(raw)
    local, central = raw.index(b"PK\x03\x04"), raw.index(b"PK\x01\x02")
    struct.pack_into(fmt, out, local + local_offset, value)
    struct.pack_into(fmt, out, central + central_offset, value)
    return bytes(out)


def encrypted() -> bytes:
    return patched(zipped(), 6, 8, "<H", 0x1)


def unknown_method() -> bytes:
    return patched(zipped(), 8, 10, "<H", 42)


def bad_crc() -> bytes:
    raw = bytearray(zipped(BANK, zipfile.ZIP_STORED))
    start = raw.index(BANK)
    raw[start] ^= 0xFF
    return bytes(raw)


def bad_deflate() -> bytes:
    raw = bytearray(zipped(BANK * 50))
    header = raw.index(b"PK\x03\x04")
    name_len, extra_len = struct.unpack_from("<HH", raw, header + 26)
    data = header + 30 + name_len + extra_len
    raw[data : data + 8] = b"\xff" * 8
    return bytes(raw)


BROKEN_ZIPS = {
    "encrypted": (encrypted, "encrypted"),
    "unknown method": (unknown_method, "method"),
    "bad crc": (bad_crc, "damaged"),
    "corrupt deflate": (bad_deflate, "damaged"),
    "truncated": (lambda: zipped()[:40], "not a valid zip"),
    "empty": (lambda: b"", "not a valid zip"),
}


@pytest.fixture
def owner(client, loaded_course):
    user = UserFactory(username="owner", instructor=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("case", sorted(BROKEN_ZIPS))
def test_a_broken_zip_is_refused_with_a_message(client, owner, case):
    make, words = BROKEN_ZIPS[case]
    with pytest.raises(uploads.UploadError, match=words):
        uploads.read_upload("banks.zip", make())
    upload = SimpleUploadedFile("banks.zip", make())
    response = client.post("/instructor/upload/", {"bank": upload})
    assert response.status_code == 200 and words in response.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("path", sorted(BAD_CONTENT.iterdir()), ids=lambda p: p.name)
def test_every_broken_bank_of_the_corpus_uploads_to_a_page_of_problems(client, owner, path):
    for name, data in ((path.name, path.read_bytes()), ("banks.zip", _zip_of(path))):
        response = client.post("/instructor/upload/", {"bank": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, name


def _zip_of(path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(path.name if path.suffix in (".yaml", ".yml") else "x.yaml",
                         path.read_bytes())  # fmt: skip
    return buffer.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_damage_to_a_zip_is_an_upload_error_or_a_clean_read(data):
    raw = bytearray(zipped(BANK * 20))
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(0, len(raw) - 1))
        raw[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    try:
        files = uploads.read_upload("banks.zip", bytes(raw[:cut]))
    except uploads.UploadError:
        return
    assert all(isinstance(v, bytes) for v in files.values())


# The exam and team inputs


@pytest.fixture
def team_world(client, loaded_course):
    owner = UserFactory(username="owner", instructor=True)
    rival = UserFactory(username="rival", instructor=True)
    alice = UserFactory(username="alice")
    team = TeamFactory(name="Cohort", instructor=owner)
    MembershipFactory(team=team, user=alice)
    blueprint = BlueprintFactory(
        difficulty_mix={"easy": 1, "medium": 1, "hard": 1}, created_by=owner
    )
    return {"owner": owner, "rival": rival, "alice": alice, "team": team, "blueprint": blueprint}


def test_an_autosave_with_a_counter_beyond_64_bits_is_saved_with_the_servers_clock(
    client, team_world
):
    alice = team_world["alice"]
    attempt = services.attempt_start(user=alice, blueprint=team_world["blueprint"],
                                     now=timezone.now())  # fmt: skip
    client.force_login(alice)
    item = attempt.items.get(position=1)
    key = item.choice_order[0]
    for seq in ("9223372036854775808", "-5", "1e400"):
        shown = public_key(item.seed, key)  # pages carry opaque per-attempt keys
        response = client.post(
            f"/exams/attempt/{attempt.pk}/save/1/", {"choice": shown, "seq": seq}
        )
        assert response.status_code == 302
    item = ExamItem.objects.get(pk=item.pk)
    assert item.selected == [key] and 0 < item.seq < 2**63


@pytest.mark.parametrize("line", ["alice ²", "alice 99999999999999", "alice ١٢", "alice -5"])
def test_extra_time_that_is_not_a_sane_number_of_minutes_is_explained(client, team_world, line):
    client.force_login(team_world["owner"])
    page = client.post(f"/teams/{team_world['team'].pk}/exams/new/", {
        "blueprint": team_world["blueprint"].pk, "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-01T12:00", "extra_time": line,
    })  # fmt: skip
    assert page.status_code == 200
    assert "Line 1:" in page.content.decode()
    assert not TeamExam.objects.exists()


def blueprint_data(**changes) -> dict:
    data = {
        "title": "Made", "slug": "made", "description": "", "question_count": 2,
        "scored_count": 2, "duration_minutes": 10, "exam_tag": "", "scoring": "percent",
        "pass_mark": 50, "topics": "limits: 1", "difficulty": "easy: 1, medium: 1",
    }  # fmt: skip
    return {**data, **changes}


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf", "1e309", "1e12"])
def test_blueprint_weights_that_are_not_finite_numbers_are_explained(client, team_world, weight):
    client.force_login(team_world["owner"])
    for field in ("topics", "difficulty"):
        name = "limits" if field == "topics" else "easy"
        response = client.post(
            "/instructor/exams/new/", blueprint_data(**{field: f"{name}: {weight}"})
        )
        assert response.status_code == 200
        assert "a weight is a number from 0" in response.content.decode()
    assert not Blueprint.objects.filter(slug="made").exists()


@pytest.mark.parametrize("team", ["abc", "١", "-1", "99999999999999999999999", ""])
def test_item_analysis_with_a_bad_team_is_a_404_or_the_whole_site(client, team_world, team):
    client.force_login(team_world["owner"])
    assert client.get("/instructor/items/", {"team": team}).status_code in (200, 404)


# Owner checks between two instructors


def test_another_instructors_blueprint_is_copied_never_changed(client, team_world):
    blueprint = team_world["blueprint"]
    client.force_login(team_world["rival"])
    page = client.get(f"/instructor/exams/{blueprint.pk}/").content.decode()
    assert "belongs to another instructor" in page and "mini-copy" in page
    client.post(f"/instructor/exams/{blueprint.pk}/", blueprint_data(slug="mine", title="Mine"))
    blueprint.refresh_from_db()
    assert blueprint.title == "Mini"
    assert Blueprint.objects.get(slug="mine").created_by == team_world["rival"]


def test_the_owner_edits_in_place_but_not_while_a_team_is_sitting_it(client, team_world):
    blueprint = team_world["blueprint"]
    client.force_login(team_world["owner"])
    client.post(f"/instructor/exams/{blueprint.pk}/", blueprint_data(slug="mini", title="Renamed"))
    blueprint.refresh_from_db()
    assert blueprint.title == "Renamed"
    now = timezone.now()
    window = {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(hours=1)}
    TeamExamFactory(team=team_world["team"], blueprint=blueprint, **window)
    assert (
        "A team is sitting this exam"
        in client.get(f"/instructor/exams/{blueprint.pk}/").content.decode()
    )
    client.post(f"/instructor/exams/{blueprint.pk}/", blueprint_data(slug="mini-2", title="During"))
    blueprint.refresh_from_db()
    assert blueprint.title == "Renamed" and Blueprint.objects.filter(slug="mini-2").exists()


def test_another_instructors_upload_and_team_are_404(client, team_world):
    pending = PendingUpload.objects.create(user=team_world["owner"], files={}, targets={})
    team = team_world["team"]
    client.force_login(team_world["rival"])
    assert client.post(f"/instructor/upload/{pending.pk}/apply/").status_code == 404
    assert client.post(f"/instructor/upload/{pending.pk}/cancel/").status_code == 404
    assert PendingUpload.objects.filter(pk=pending.pk).exists()
    assert client.get(f"/teams/{team.pk}/exams/new/").status_code in (404, 405)
    assert client.get("/instructor/items/", {"team": team.pk}).status_code == 404
    client.force_login(team_world["owner"])
    assert client.get("/instructor/items/", {"team": team.pk}).status_code == 200


def test_a_nul_character_anywhere_is_a_400_before_any_view(client, loaded_course):
    """PostgreSQL refuses NUL in text: a view looking a typed value up would otherwise fail."""
    client.force_login(UserFactory(instructor=True))
    assert client.get("/instructor/banks/preview/", {"path": "a\x00b"}).status_code == 400
    assert client.get("/review/", {"topic": "\x00"}).status_code == 400
    assert client.post("/teams/join/", {"code": "x\x00"}).status_code == 400
    assert client.get("/review/").status_code == 200


def test_an_exam_scheduled_with_huge_extra_time_before_the_limit_still_starts(team_world):
    now = timezone.now()
    alice = team_world["alice"]
    exam = TeamExamFactory(
        team=team_world["team"], blueprint=team_world["blueprint"],
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1),
        extra_minutes={str(alice.pk): 99999999999999},
    )  # fmt: skip
    attempt = services.attempt_start(user=alice, blueprint=exam.blueprint, now=now, team_exam=exam)
    assert attempt.deadline == now + timedelta(minutes=10 + 24 * 60)
