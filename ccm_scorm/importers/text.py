"""Reading bank files in whatever encoding they were saved in, and turning HTML or Markdown into plain text."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import SourceProblem

# Names shown to authors for the encodings they are most likely to meet.
FRIENDLY = {
    "utf_8": "UTF-8",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with BOM)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}


class EncodingError(SourceProblem, ValueError):
    """The file's text could not be read in the encoding given or found."""


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The text of `path` with Windows and old Mac line ends made Unix ones, and the encoding used."""
    data = path.read_bytes()
    text, used = decode(data, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n"), FRIENDLY.get(used.lower(), used)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise EncodingError(f"unknown encoding '{encoding}'") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise EncodingError(f"the file is not {encoding} text ({error.reason} at byte {error.start})") from None
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as error:
                raise EncodingError(
                    f"the file starts like {name} text but is not ({error.reason} at byte {error.start})"
                ) from None
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess_legacy(data)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows as a zero byte beside nearly every ASCII letter."""
    sample = data[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 3 * max(even, 1):
        return "utf-16-le"
    if even > 3 * max(odd, 1):
        return "utf-16-be"
    return None


def _guess_legacy(data: bytes) -> tuple[str, str]:
    """Not UTF-8: most likely Windows-1252 (what Excel and Notepad save in the UK).

    charset-normalizer cannot tell Latin code pages apart on a few lines of text, so
    its guess is taken only when it reads the file as another script (Cyrillic, Greek…).
    """
    import unicodedata

    import charset_normalizer

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        guessed = str(best)
        latin = all(unicodedata.name(char, "").startswith("LATIN") for char in guessed if char.isalpha())
        if western is None or not latin:
            return guessed, best.encoding
    if western is None:
        raise EncodingError("the file's encoding could not be recognised")
    return western, "cp1252"


# --- HTML and Markdown to plain text -------------------------------------------------------------

_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "pre",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "figure",
    "figcaption",
    "header",
    "footer",
}


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[str | None] = []
        self.link_text_start: list[int] = []
        self.images: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.link_text_start.append(len(self.parts))
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            self.images.append(alt)
            if alt:
                self.parts.append(f"[{alt}]")
        elif tag in _BLOCK:
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.links:
            href = self.links.pop()
            text = "".join(self.parts[self.link_text_start.pop() :]).strip()
            if href and href.startswith(("http:", "https:", "mailto:")) and href.removeprefix("mailto:") != text:
                self.parts.append(f" ({href})")
        elif tag in _BLOCK:
            self.parts.append("\n\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Plain text of `html`: paragraphs and line breaks kept, tags removed, entities decoded.

    Also returns notes about what plain text cannot hold (images)."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    text = "".join(maker.parts).replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    notes = [
        f"an image ({alt or 'no alt text'}) was left out: plain-text questions cannot show images"
        for alt in maker.images
    ]
    return text, notes


def markdown_to_text(markdown: str) -> tuple[str, list[str]]:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return html_to_text(html)


def collapse(text: str) -> str:
    """Plain GIFT text: line breaks in the file are just spaces, as in Moodle."""
    return re.sub(r"\s+", " ", text).strip()
