"""Moodle HTML as Markdown: paragraphs, line breaks, emphasis, code, links with their targets and
images kept as course files (or named in the report when they cannot be). Pure Python."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

from quizzes.translatable import Message, gettext_noop

from .media import MediaStore

_BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS |= {"blockquote", "section", "article"}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "tt": "`"}
_DROPPED = {"script", "style", "head", "title"}
PLUGINFILE = "@@PLUGINFILE@@/"
_LINK_SCHEMES = ("https://", "http://", "mailto:")


def _alt(text: str) -> str:
    return re.sub(r"[\[\]\n]+", " ", text).strip()


class _HtmlToMarkdown(HTMLParser):
    """Keeps the text of Moodle's HTML, with what Markdown can say; `lost` names the rest."""

    def __init__(self, media: MediaStore | None, lost: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = 0
        self.pre = 0
        self.links: list[str | None] = []
        self.media = media
        self.lost = lost

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "img":
            self.out.append(self._image(dict(attrs)))
        elif tag == "a":
            self._link_start(dict(attrs).get("href") or "")

    def _link_start(self, href: str) -> None:
        if href.startswith(_LINK_SCHEMES):
            self.links.append(href.replace(" ", "%20").replace(")", "%29"))
            self.out.append("[")
            return
        self.links.append(None)
        if href and not href.startswith("#"):
            shown = unquote(href.removeprefix(PLUGINFILE))
            self.lost.append(
                gettext_noop(
                    "the link to '%(link)s' was not kept (only web links are): its text is kept",
                    link=shown,
                )
            )

    def _image(self, attrs: dict[str, str | None]) -> str:
        src, alt = (attrs.get("src") or "").strip(), _alt(attrs.get("alt") or "")
        path, why = None, ""
        if src.startswith(PLUGINFILE) and self.media is not None:
            path, why = self.media.keep(unquote(src[len(PLUGINFILE) :]))
        elif src.startswith("data:image/") and ";base64," in src and self.media is not None:
            name = gettext_noop("inline image %(n)s", n=len(self.media.payloads) + 1)
            self.media.payloads[name] = src.partition(";base64,")[2]
            path, why = self.media.keep(name)
        elif src.startswith(("https://", "http://")):
            self.lost.append(
                gettext_noop(
                    "the image %(src)s is on another site, which the site's pages do not load: "
                    "save it into media/ and link it as ![text](media/NAME)",
                    src=src,
                )
            )
            return f" [{alt or 'image'}]({src}) "
        else:
            why = gettext_noop(
                "the image '%(src)s' is not in the file",
                src=unquote(src) or gettext_noop("(no source)"),
            )
        if path is None:
            self.lost.append(
                gettext_noop("%(why)s; its text '%(alt)s' is kept", why=why, alt=alt)
                if alt
                else why
            )
            return f" {alt} " if alt else " "
        return f" ![{alt}]({path}) "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n\n")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag in _MARKS and not self.pre:
            if self.out and self.out[-1] == _MARKS[tag]:
                self.out.pop()  # <b></b>: no empty emphasis
            else:
                self.out.append(_MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        # Outside <pre>, HTML whitespace (newlines included) is one space.
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_markdown(
    html: str, media: MediaStore | None = None, lost: list[Message] | None = None
) -> str:
    """Moodle HTML as Markdown. Images found in `media` are kept there; what cannot be kept is
    added to `lost` in words (the caller puts it in the report)."""
    if "<" not in html and "&" not in html:
        # No markup and no character reference: the parser would only join the whitespace.
        # Most answers and feedback are such plain text; this keeps a large import fast.
        return " ".join(html.split())
    parser = _HtmlToMarkdown(media, lost if lost is not None else [])
    parser.feed(html)
    parser.close()
    lines: list[str] = []
    in_code = False
    for line in "".join(parser.out).split("\n"):
        if line.strip() == "```":
            in_code = not in_code
        lines.append(line.rstrip() if in_code else re.sub(r" {2,}", " ", line).strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def plain_text(html: str) -> str:
    """The words of an HTML fragment without any markup (a question's name, for its id)."""
    text = html_to_markdown(html)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)", r"\1\2", text)
    return re.sub(r"[*`_]+", "", text).strip()
