"""What a reader sees of a response, for tests that assert on the page's words."""

from __future__ import annotations

import re


def text_of(response) -> str:
    """The page with runs of white space folded, as a reader sees it."""
    return re.sub(r"\s+", " ", response.content.decode())
