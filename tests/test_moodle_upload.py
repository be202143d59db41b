"""Moving a Moodle bank in through the upload page: small files in the request, large ones on the
task queue with progress, images served from the course, placeholders listed, a round trip that
updates the bank it came from."""

from __future__ import annotations

import base64
import os
import shutil
import textwrap

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quizzes.course.importers import PLACEHOLDER_REFERENCE
from quizzes.models import CourseImage, ImportJob, PendingUpload, Question

from .conftest import FIXTURE_COURSE
from .factories import UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# A 1x1 PNG, written here byte by byte.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ff3f000005fe02fe0def46b80000000049454e44ae426082"
)


@pytest.fixture
def course(tmp_path, settings):
    """A copy of the fixture course, loaded (an upload writes no file into it)."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    settings.CONTENT_DIR = root
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)
    return root


@pytest.fixture
def instructor(client, course):
    client.force_login(UserFactory(instructor=True))
    return client


def _upload(client, name: str, raw: bytes, **fields):
    data = {"bank": SimpleUploadedFile(name, raw), "topic": "limits", **fields}
    return client.post("/instructor/upload/", data, follow=True)


GIFT = """\
::vCPU::How many vCPUs does a function get at 10,240 MB? {{#6:1}}

::Picture::[html]<p>This <img src="data:image/png;base64,{png}" alt="one red dot"> is a dot.</p>\
 {{T}}
"""


def test_a_small_gift_file_converts_in_the_request_with_its_image_kept(instructor, course):
    raw = GIFT.format(png=base64.b64encode(PNG).decode()).encode()
    html = _upload(instructor, "mine.gift", raw, exam="saa-c03").content.decode()
    assert (
        "Review the changes" in html and "Converted by type: Numeric (1), True or false (1)" in html
    )
    assert "{#" not in html and "{%" not in html
    assert "1 image kept with the upload: stored as course images when you apply it" in html
    assert not (course / "media").exists()  # nothing on the web server's disk
    pending = PendingUpload.objects.get()
    [name] = pending.images
    assert base64.b64decode(pending.images[name]) == PNG
    assert f"![one red dot](media/{name})" in html
    assert not CourseImage.objects.exists()  # not before Apply
    instructor.post(f"/instructor/upload/{pending.pk}/apply/")
    assert bytes(CourseImage.objects.get(name=name).data) == PNG
    picture = Question.objects.get(uid="limits-picture")
    assert f'<img alt="one red dot" src="/media/course/{name}"' in picture.stem_html
    served = instructor.get(f"/media/course/{name}")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served.content == PNG
    assert instructor.get("/media/course/../banks/limits.yaml").status_code == 404


def test_the_preview_lists_placeholders_and_shows_a_numeric_tolerance(instructor, course):
    _upload(instructor, "mine.gift", GIFT.format(png="x").encode(), exam="saa-c03")
    instructor.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    html = instructor.get("/instructor/banks/preview/?path=uploads/mine.yaml").content.decode()
    assert "2 items still carry an importer's placeholder" in html
    assert "answer <strong>6 vCPUs</strong>, within ± 1" in html


def test_a_placeholder_reference_fails_the_strict_check_until_replaced(course, capsys):
    bank = course / "banks" / "imported.yaml"
    bank.write_text(textwrap.dedent(f"""\
        topic: limits
        questions:
          - id: imported-q
            type: true_false
            difficulty: medium
            tags: [saa-c03]
            stem: A function can run for 15 minutes.
            answer: true
            explanation: The timeout goes up to 900 seconds.
            references: [{PLACEHOLDER_REFERENCE}]
        """))  # fmt: skip
    call_command("check_content", str(course))  # loads: the placeholder is a valid URL
    with pytest.raises(SystemExit):
        call_command("check_content", str(course), "--strict")
    assert "its reference is the importer's placeholder" in capsys.readouterr().out
    bank.write_text(
        bank.read_text().replace(
            PLACEHOLDER_REFERENCE,
            "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        )
    )
    call_command("check_content", str(course), "--strict")


def test_a_large_file_converts_on_the_task_queue_with_progress(
    instructor, course, django_assert_max_num_queries
):
    raw = "\n\n".join(
        f"::Q{n}::Is {n} a number that a function could log?{{T####Yes.}}" for n in range(1500)
    ).encode()
    assert len(raw) > 64 * 1024
    response = _upload(instructor, "big.gift", raw, exam="dva-c02")
    job = ImportJob.objects.get()
    assert response.redirect_chain == [(f"/instructor/upload/import/{job.pk}/", 302)]
    # The test settings run tasks at once: the job is done when the page is first shown.
    assert job.state == ImportJob.State.DONE and job.converted == 1500 and job.raw == b""
    html = response.content.decode()
    assert "Converted from GIFT: 1500 questions" in html and "Apply" in html
    with django_assert_max_num_queries(5):  # session, user, permission, the job (no raw file)
        poll = instructor.get(f"/instructor/upload/import/{job.pk}/", **HTMX)
    assert poll["HX-Refresh"] == "true"


def test_a_job_page_shows_progress_while_it_runs_and_is_the_owners_only(instructor, client):
    job = ImportJob.objects.create(
        user=UserFactory(instructor=True), name="big.xml", raw=b"", topic="limits",
        state=ImportJob.State.CONVERTING, converted=500,
    )  # fmt: skip
    assert instructor.get(f"/instructor/upload/import/{job.pk}/").status_code == 404
    client.force_login(job.user)
    html = client.get(f"/instructor/upload/import/{job.pk}/", **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in html and "500 questions read so far" in html


def test_exporting_a_bank_and_uploading_it_back_updates_instead_of_copying(instructor, course):
    xml = instructor.get("/instructor/banks/moodle/?path=banks/limits.yaml").content
    html = _upload(instructor, "limits.xml", xml).content.decode()
    assert "banks/limits.yaml" in html and "No change" in html, html[html.find("<main") :][:3000]
    edited = xml.replace(b"the longest a Lambda", b"the longest time a Lambda", 1)
    assert edited != xml
    html = _upload(instructor, "limits.xml", edited).content.decode()
    assert "0 added" in html and "1 changed" in html and "0 retired" in html


def test_a_bank_showing_an_image_that_is_not_in_the_course_is_a_problem(course):
    from quizzes.course.check import check_course

    name = "0123456789abcdef0123456789abcdef.png"
    bank = course / "banks" / "pictures.yaml"
    bank.write_text(textwrap.dedent(f"""\
        topic: limits
        questions:
          - id: picture-q
            type: true_false
            difficulty: medium
            tags: [saa-c03]
            stem: "This ![a dot](media/{name}) is a dot."
            answer: true
            explanation: It is.
            references: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]
        """))  # fmt: skip
    problems = [p.message for p in check_course([bank], context_dir=course).problems]
    assert problems == [f"image media/{name} is not a course image: content/media/ has no {name}"]
    (course / "media").mkdir()
    (course / "media" / name).write_bytes(PNG)
    assert check_course([bank], context_dir=course).problems == []


def test_uploading_the_same_moodle_file_again_updates_its_questions(instructor, course):
    raw = GIFT.format(png="x").encode()
    _upload(instructor, "mine.gift", raw, exam="saa-c03")
    instructor.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    html = _upload(instructor, "mine.gift", raw, exam="saa-c03").content.decode()
    assert "No change" in html and "0 added" in html


def test_uploading_a_split_bank_again_updates_every_part(instructor, course, monkeypatch):
    import functools

    from quizzes.authoring import uploads

    monkeypatch.setattr(uploads, "split_bank", functools.partial(uploads.split_bank, limit=2500))
    raw = "\n\n".join(f"::Setting {n} of memory::Can it change?{{T}}" for n in range(24)).encode()
    _upload(instructor, "many.gift", raw, exam="saa-c03")
    instructor.post(f"/instructor/upload/{PendingUpload.objects.get().pk}/apply/")
    paths = set(Question.objects.filter(uid__startswith="limits-setting-")
                .values_list("source_path", flat=True))  # fmt: skip
    assert len(paths) > 2 and "uploads/many-2.yaml" in paths
    html = _upload(instructor, "many.gift", raw, exam="saa-c03").content.decode()
    assert "0 added" in html and "0 retired" in html, html[html.find("<main") :][:3000]
    assert not Question.objects.filter(uid__endswith="-2").exists()
