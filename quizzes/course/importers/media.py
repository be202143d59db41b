"""Images carried by a Moodle file, kept as course files named by their content.

Moodle XML holds an image as a base64 `<file name="x.png">` payload next to the text that shows it
as `@@PLUGINFILE@@/x.png`. Each kept image becomes `media/<sha256 prefix>.<ext>` beside the banks:
the same picture imported twice is one file, and a name can never climb out of the folder. The
type comes from the first bytes, never from the name a file claims, and only raster types a
browser shows inline are kept (an SVG can carry script). Pure Python: no Django import.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

from quizzes.translatable import Message, gettext_noop

MEDIA_FOLDER = "media"
MAX_IMAGE_BYTES = 1024 * 1024  # one image
MAX_MEDIA_BYTES = 20 * 1024 * 1024  # all the images of one import
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def image_type(data: bytes) -> str | None:
    """'png', 'jpg', 'gif' or 'webp' from the file's first bytes, or None."""
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def media_name(data: bytes, ext: str) -> str:
    """The kept file's name: its content's hash, so equal images share one file."""
    return f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"


@dataclass
class MediaStore:
    """The images of one import: payloads by the name the source gives them, and those kept."""

    payloads: dict[str, str] = field(default_factory=dict)  # source name -> base64 text
    kept: dict[str, bytes] = field(default_factory=dict)  # media/<hash>.<ext> -> bytes
    total: int = 0
    limit: int = MAX_IMAGE_BYTES

    def keep(self, source_name: str) -> tuple[str | None, Message | str]:
        """(path to write in Markdown, '') for a payload kept, or (None, why it cannot be)."""
        encoded = self.payloads.get(source_name)
        name = source_name
        if encoded is None:
            return None, gettext_noop(
                "the image '%(name)s' is referenced but not in the file", name=name
            )
        too_big = gettext_noop(
            "the image '%(name)s' is over the %(limit)s KB limit",
            name=name,
            limit=self.limit // 1024,
        )
        if len(encoded) > self.limit * 4 // 3 + 8:
            return None, too_big
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            return None, gettext_noop("the image '%(name)s' is not valid base64", name=name)
        ext = image_type(data)
        if ext is None:
            return None, gettext_noop("'%(name)s' is not a PNG, JPEG, GIF or WebP image", name=name)
        if len(data) > self.limit:
            return None, too_big
        path = f"{MEDIA_FOLDER}/{media_name(data, ext)}"
        if path not in self.kept:
            if self.total + len(data) > MAX_MEDIA_BYTES:
                limit = MAX_MEDIA_BYTES // 1024 // 1024
                return None, gettext_noop(
                    "the images of this file are over %(limit)s MB together", limit=limit
                )
            self.kept[path] = data
            self.total += len(data)
        return path, ""
