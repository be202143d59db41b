"""Markdown to safe HTML, done once when content is loaded, never per request.

Everything an author writes goes through nh3 with an allow-list, so `<script>`, event attributes and
`javascript:` links in a note or a bank never reach a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

NOTE_URL = "/notes/{slug}/"
MEDIA_URL = "/media/course/"
# `media/<hash>.png`: a course image beside the banks and notes, as an importer writes it.
MEDIA_LINK = re.compile(r"^(?:\./|\.\./)?media/([0-9a-f]{32}\.(?:png|jpg|gif|webp))$")

# `pricing.md`, `./pricing.md#gb-seconds`: a link to another note, as written in an editor.
NOTE_LINK = re.compile(r"^(?:\./)?(?P<slug>[a-z0-9][a-z0-9-]*)\.md(?P<anchor>#[\w-]*)?$")
# Markdown links in source text, to check their targets with a line number.
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# ```exercise pricing-free-tier-1``` or the id on the line after the fence.
EXERCISE_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*exercise[ \t]*(?P<inline>[^\n`]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
EXERCISE_SLOT = '<div class="exercise-slot" data-exercise="{uid}"></div>'
EXERCISE_SLOT_PATTERN = re.compile(
    r'<div class="exercise-slot" data-exercise="([a-z0-9-]+)"></div>'
)

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "code": {"class"},
    "span": {"class"},
    "pre": {"class"},
    "div": {"class", "data-exercise"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Keep only the tags, attributes and URL schemes a course page needs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        allowed_classes={"a": {"headerlink"}},
    )


class _NoteLinks(Treeprocessor):
    """Point `pricing.md#x` links at the note's page, `media/x.png` images at the course's."""

    def run(self, root: etree.Element) -> None:
        for anchor in root.iter("a"):
            match = NOTE_LINK.match(anchor.get("href", ""))
            if match:
                anchor.set("href", NOTE_URL.format(slug=match["slug"]) + (match["anchor"] or ""))
        for image in root.iter("img"):
            match = MEDIA_LINK.match(image.get("src", ""))
            if match:
                image.set("src", MEDIA_URL + match.group(1))


class _NoteLinkExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_NoteLinks(md), "note_links", 1)


def _markdown(*, toc: bool) -> markdown.Markdown:
    extensions: list[str | Extension] = [
        "tables",
        "fenced_code",
        "sane_lists",
        "attr_list",
        CodeHiliteExtension(css_class="highlight", guess_lang=False),
        _NoteLinkExtension(),
    ]
    if toc:
        extensions.append(TocExtension(toc_depth="2-3", permalink="#", permalink_title="Link here"))
    return markdown.Markdown(extensions=extensions, output_format="html")


@dataclass(frozen=True)
class RenderedNote:
    html: str
    toc_html: str
    exercises: tuple[str, ...]


# One line of words and plain punctuation: no character Markdown or HTML gives a meaning to
# (`*_[]<>&\\`{}|#~` and friends), not a list ("1. ") and no edge spaces. Such a text renders to
# itself in a paragraph, so most choices and rationales skip Markdown (most of a big load's time).
_PLAIN = re.compile(r"(?!\d+\.(?:\s|$))[A-Za-z0-9][A-Za-z0-9 ,.;:!?()/%$+=@'\"-]*")


def is_plain(source: str) -> bool:
    """True when Markdown would only wrap the text in a paragraph (see `_PLAIN`)."""
    return bool(_PLAIN.fullmatch(source)) and not source.endswith(" ")


class Renderer:
    """Reuses one Markdown instance per kind: building one per text would dominate load time."""

    def __init__(self) -> None:
        self._inline = _markdown(toc=False)
        self._note = _markdown(toc=True)
        # Texts repeat across a bank ("See the quotas page.", "True"): each is rendered once.
        self._rendered: dict[str, str] = {}

    def text(self, source: str) -> str:
        """A question's stem, choice, rationale or explanation."""
        if not source:
            return ""
        if is_plain(source):
            return f"<p>{source}</p>"
        html = self._rendered.get(source)
        if html is None:
            html = self._rendered[source] = sanitize(self._inline.reset().convert(source))
        return html

    def full_text(self, source: str) -> str:
        """`text` always through Markdown and the sanitiser (tests compare the two)."""
        return sanitize(self._inline.reset().convert(source)) if source else ""

    def note(self, source: str) -> RenderedNote:
        exercises: list[str] = []

        def slot(match: re.Match[str]) -> str:
            uid = (match["inline"].strip() or match["body"].strip()).split()[0]
            exercises.append(uid)
            return "\n" + EXERCISE_SLOT.format(uid=uid) + "\n"

        source = EXERCISE_FENCE.sub(slot, source)
        md = self._note.reset()
        html = md.convert(source)
        toc = getattr(md, "toc", "")
        has_headings = bool(getattr(md, "toc_tokens", []))
        return RenderedNote(
            html=sanitize(html),
            toc_html=sanitize(toc) if has_headings else "",
            exercises=tuple(exercises),
        )


def exercise_ids(source: str) -> list[tuple[str, int]]:
    """Ids of the exercises a note embeds, with the line of their fence (1-based)."""
    found = []
    for match in EXERCISE_FENCE.finditer(source):
        words = (match["inline"].strip() or match["body"].strip()).split()
        line = source.count("\n", 0, match.start()) + 1
        found.append((words[0] if words else "", line))
    return found


def note_links(source: str, first_line: int = 1) -> list[tuple[str, int]]:
    """Slugs of the notes a Markdown text links to, with their line numbers."""
    found = []
    for offset, line in enumerate(source.splitlines()):
        for target in MARKDOWN_LINK.findall(line):
            match = NOTE_LINK.match(target)
            if match:
                found.append((match["slug"], first_line + offset))
    return found


MEDIA_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?:\./|\.\./)?(media/[^)\s>]+)>?")


def media_images(source: str) -> list[str]:
    """The course images (`media/<name>`) a Markdown text shows."""
    return MEDIA_IMAGE.findall(source)
