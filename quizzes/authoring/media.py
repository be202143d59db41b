"""Course images: rows of `CourseImage`, named by their content's hash, served to pages.

App servers keep no files: an imported Moodle file's images travel with its pending upload
(base64 in `PendingUpload.images`) and become rows only when the upload is applied, in the same
transaction, so a cancelled upload leaves nothing behind. The shipped images of content/media/
are source files that `load_content` copies in (`images_load`). A name is the hash of the bytes,
so a row never changes once written and two imports of one picture share it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from pathlib import Path

from quizzes.course.importers.media import CONTENT_TYPES, MEDIA_FOLDER, image_type
from quizzes.models import CourseImage

MEDIA_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")
# A course image's name anywhere in a bank's text: what an upload may show from the database.
NAME_IN_TEXT = re.compile(rb"[0-9a-f]{32}\.(?:png|jpg|gif|webp)")


def _image(name: str, data: bytes) -> CourseImage | None:
    """A row for a well-named image whose bytes are of the type its name says, else None."""
    match = MEDIA_NAME.match(name)
    if not match or image_type(data) != match.group(1):
        return None
    return CourseImage(
        name=name, content_type=CONTENT_TYPES[match.group(1)], data=data, size=len(data)
    )


def pending_images(files: dict[str, bytes]) -> dict[str, str]:
    """An import's kept images (`media/<name>` -> bytes) as the upload keeps them (base64)."""
    kept = {}
    for path, data in files.items():
        name = path.removeprefix(f"{MEDIA_FOLDER}/")
        if _image(name, data) is not None:
            kept[name] = base64.b64encode(data).decode("ascii")
    return kept


def images_store(encoded: dict[str, str]) -> int:
    """Write an applied upload's images (name -> base64); names already stored are left as they
    are (same name, same bytes). Call inside the transaction that applies the upload."""
    rows = [_image(name, base64.b64decode(text)) for name, text in encoded.items()]
    return _insert_missing([row for row in rows if row is not None])


def images_load(root: Path) -> int:
    """Copy the shipped images of `<root>/media/` that the database lacks; returns how many."""
    folder = root / MEDIA_FOLDER
    if not folder.is_dir():
        return 0
    paths = {path.name: path for path in folder.iterdir() if MEDIA_NAME.match(path.name)}
    stored = set(CourseImage.objects.filter(name__in=list(paths)).values_list("name", flat=True))
    rows = [_image(name, paths[name].read_bytes()) for name in sorted(set(paths) - stored)]
    new = [row for row in rows if row is not None]
    CourseImage.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _insert_missing(rows: list[CourseImage]) -> int:
    if not rows:
        return 0
    stored = set(
        CourseImage.objects.filter(name__in=[row.name for row in rows]).values_list(
            "name", flat=True
        )
    )
    new = [row for row in rows if row.name not in stored]
    CourseImage.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def stored_names(texts: Iterable[bytes]) -> set[str]:
    """The course images already in the database that these bank texts name (one query)."""
    names = {match.decode() for text in texts for match in NAME_IN_TEXT.findall(text)}
    if not names:
        return set()
    return set(CourseImage.objects.filter(name__in=names).values_list("name", flat=True))


def image_for(name: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of a course image, or None for any other name (one query)."""
    if not MEDIA_NAME.match(name):
        return None
    found = CourseImage.objects.filter(name=name).values_list("content_type", "data").first()
    return (found[0], bytes(found[1])) if found else None
