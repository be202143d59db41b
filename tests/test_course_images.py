"""Course images live in the database, not on an app server's disk: an upload keeps its images
until Apply writes them (Cancel leaves nothing), load_content copies the shipped content/media/
files in, and /media/course/<name> serves them from one query with long-lived cache headers."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.authoring import imports
from quizzes.models import CourseImage, ImportJob, PendingUpload

from .conftest import FIXTURE_COURSE
from .factories import UserFactory

pytestmark = pytest.mark.django_db
# A 1x1 PNG, written here byte by byte.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ff3f000005fe02fe0def46b80000000049454e44ae426082"
)
PNG_NAME = f"{hashlib.sha256(PNG).hexdigest()[:32]}.png"
PNG_BASE64 = base64.b64encode(PNG).decode()
GIFT = f"""\
::Picture::[html]<p>This <img src="data:image/png;base64,{PNG_BASE64}" alt="one red dot"> is a dot.\
</p> {{T}}
"""


@pytest.fixture
def course(tmp_path, settings):
    """A copy of the fixture course in a tmp CONTENT_DIR, loaded."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    call_command("load_content", stdout=io.StringIO())
    return root


@pytest.fixture
def instructor(client, course):
    client.force_login(UserFactory(instructor=True))
    return client


def _files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _upload(client, raw: bytes = GIFT.encode()):
    data = {"bank": SimpleUploadedFile("pics.gift", raw), "topic": "limits", "exam": "saa-c03"}
    return client.post("/instructor/upload/", data, follow=True)


def test_an_upload_keeps_its_images_and_apply_writes_them_as_rows(instructor, course):
    before = _files(course)
    assert "Review the changes" in _upload(instructor).content.decode()
    pending = PendingUpload.objects.get()
    assert pending.images == {PNG_NAME: base64.b64encode(PNG).decode()}
    assert not CourseImage.objects.exists()
    instructor.post(f"/instructor/upload/{pending.pk}/apply/")
    image = CourseImage.objects.get()
    assert (image.name, image.content_type, image.size) == (PNG_NAME, "image/png", len(PNG))
    assert bytes(image.data) == PNG
    assert not PendingUpload.objects.exists()
    assert _files(course) == before  # no file written under CONTENT_DIR by the web upload


def test_applying_the_same_image_twice_keeps_one_row(instructor, course):
    for _ in range(2):
        _upload(instructor)
        instructor.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    assert list(CourseImage.objects.values_list("name", flat=True)) == [PNG_NAME]


def test_cancel_leaves_no_image_row_and_no_file(instructor, course):
    before = _files(course)
    _upload(instructor)
    pending = PendingUpload.objects.get()
    instructor.post(f"/instructor/upload/{pending.pk}/cancel/")
    assert not PendingUpload.objects.exists() and not CourseImage.objects.exists()
    assert _files(course) == before
    assert instructor.get(f"/media/course/{PNG_NAME}").status_code == 404


def test_apply_failing_after_the_load_writes_no_image(instructor, course, monkeypatch):
    """Images are written in the apply's transaction: a failure later rolls them back too."""
    _upload(instructor)
    pending = PendingUpload.objects.get()

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PendingUpload, "delete", fail)
    from quizzes.authoring.changes import upload_apply

    with pytest.raises(RuntimeError):
        upload_apply(pending=pending)
    assert not CourseImage.objects.exists()


def test_a_queued_import_keeps_its_images_with_the_pending_upload(instructor, course):
    before = _files(course)
    user = UserFactory(instructor=True)
    job = ImportJob.objects.create(
        user=user, name="pics.gift", raw=GIFT.encode(), topic="limits", exam="saa-c03"
    )
    imports.job_run(job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.error
    assert set(job.pending.images) == {PNG_NAME}
    assert not CourseImage.objects.exists() and _files(course) == before


def test_a_yaml_upload_may_show_an_image_already_stored(instructor, course):
    CourseImage.objects.create(name=PNG_NAME, content_type="image/png", data=PNG, size=len(PNG))
    bank = f"""\
topic: limits
questions:
  - id: stored-picture
    type: true_false
    difficulty: medium
    tags: [saa-c03]
    stem: "This ![a dot](media/{PNG_NAME}) is a dot."
    answer: true
    explanation: It is one red pixel.
    references: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]
"""
    html = instructor.post(
        "/instructor/upload/", {"bank": SimpleUploadedFile("pics.yaml", bank.encode())},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "Review the changes" in html and "not a course image" not in html
    missing = bank.replace(PNG_NAME, "0" * 32 + ".png")
    html = instructor.post(
        "/instructor/upload/", {"bank": SimpleUploadedFile("pics.yaml", missing.encode())},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "is not a course image" in html


def test_an_image_is_served_from_the_database_in_one_query(client, course):
    """Anonymous here: for a logged-in user PrivatePagesMiddleware adds `private, no-store`."""
    CourseImage.objects.create(name=PNG_NAME, content_type="image/png", data=PNG, size=len(PNG))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/media/course/{PNG_NAME}")
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{PNG_NAME}"'
    assert len(queries) == 1 and "courseimage" in queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/media/course/{PNG_NAME}", HTTP_IF_NONE_MATCH=f'"{PNG_NAME}"')
    assert again.status_code == 304 and again["ETag"] == f'"{PNG_NAME}"'
    assert not [q for q in queries.captured_queries if "courseimage" in q["sql"]]


def test_unknown_or_odd_names_are_not_found_and_writes_are_refused(client, course):
    client.force_login(UserFactory())
    for name in ("0" * 32 + ".png", "x.png", PNG_NAME.upper(), "..%2Fbanks%2Flimits.yaml"):
        assert client.get(f"/media/course/{name}").status_code == 404
    assert client.post(f"/media/course/{PNG_NAME}").status_code == 405


def test_load_content_loads_the_shipped_images_once(course):
    media = course / "media"
    media.mkdir()
    (media / PNG_NAME).write_bytes(PNG)
    (media / ("1" * 32 + ".png")).write_bytes(b"not a picture")  # skipped: not a PNG
    (media / "README.txt").write_text("not an image")
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert "1 course image loaded" in out.getvalue()
    assert list(CourseImage.objects.values_list("name", flat=True)) == [PNG_NAME]
    created = CourseImage.objects.get().created_at
    out = io.StringIO()
    call_command("load_content", "--all", stdout=out)
    assert "course image" not in out.getvalue()
    assert CourseImage.objects.get().created_at == created


def test_load_content_restores_a_missing_row_even_on_a_partial_load(course):
    media = course / "media"
    media.mkdir()
    (media / PNG_NAME).write_bytes(PNG)
    call_command("load_content", str(course / "banks"), stdout=io.StringIO())
    assert CourseImage.objects.filter(name=PNG_NAME).exists()
