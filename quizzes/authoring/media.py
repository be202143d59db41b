"""Course images: kept in `<content>/media/` (named by their content's hash) and served to pages.

An imported Moodle file's images are written when it is converted: a name is the hash of the
bytes, so a file never changes once written and two imports of one picture share it.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from quizzes.course.importers.media import CONTENT_TYPES, MEDIA_FOLDER, image_type

MEDIA_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")


def media_dir() -> Path:
    return Path(settings.CONTENT_DIR) / MEDIA_FOLDER


def media_save(files: dict[str, bytes]) -> None:
    """Write `media/<hash>.<ext>` files (already checked by type and size by the importer)."""
    for name, data in files.items():
        base = name.removeprefix(f"{MEDIA_FOLDER}/")
        if not MEDIA_NAME.match(base) or image_type(data) is None:
            continue
        media_dir().mkdir(parents=True, exist_ok=True)
        path = media_dir() / base
        if not path.exists():
            path.write_bytes(data)


def media_file(name: str) -> tuple[Path, str] | None:
    """(path, content type) of a course image, or None for any other name."""
    match = MEDIA_NAME.match(name)
    if not match:
        return None
    path = media_dir() / name
    return (path, CONTENT_TYPES[match.group(1)]) if path.is_file() else None
