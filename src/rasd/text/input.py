"""Turning what users hand us into text: decoding bytes, HTML pages, and clear refusals.

Offsets in the output index the text this module returns. For a plain string that is the string
itself, untouched (BOMs, entities and bidi marks are handled by normalisation, which keeps offsets);
for bytes it is the decoded string; for an HTML page it is the page's visible text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import islice

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_HTML_DOC = re.compile(r"^\s*(?:<!doctype html|<html|<\?xml)|<(?:p|div|body|article|br|span|h[1-6])\b[^>]*>", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "nav", "footer", "aside", "form", "template", "svg"}
MIN_ARABIC_LETTERS = 20


class InputError(ValueError):
    """The input is not usable text (raised with a reason a user can act on)."""


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1256 (common for Arabic sites)."""
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), notes
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), notes
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    cp = data.decode("cp1256", errors="replace")
    utf = data.decode("utf-8", errors="replace")
    if len(ARABIC_LETTER.findall(cp)) > len(ARABIC_LETTER.findall(utf)):
        notes.append("input decoded as Windows-1256 (cp1256)")
        return cp, notes
    notes.append("input is not valid UTF-8: undecodable bytes replaced with U+FFFD")
    return utf, notes


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(page: str) -> str:
    parser = _TextExtractor()
    parser.feed(page)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def looks_like_html(text: str) -> bool:
    return text.count("<") >= 3 and bool(_HTML_DOC.search(text[:5000]))  # the cheap test first


def clean_input(raw: str | bytes) -> tuple[str, list[str]]:
    """Return (text, notes) or raise InputError for empty / non-Arabic input."""
    notes: list[str] = []
    if raw is None:
        raise InputError("no text given")
    if isinstance(raw, bytes | bytearray):
        raw, notes = decode_bytes(bytes(raw))
    if not isinstance(raw, str):
        raise InputError(f"text must be str or bytes, not {type(raw).__name__}")
    text = raw
    if looks_like_html(text):
        text = html_to_text(text)
        notes.append("HTML input: offsets index the page's visible text")
    if not text.strip():
        raise InputError("empty document: no text to read")
    # counting stops at the twentieth letter: an Arabic article has thousands
    if sum(1 for _ in islice(ARABIC_LETTER.finditer(text, 0, 200000), MIN_ARABIC_LETTERS)) < MIN_ARABIC_LETTERS:
        raise InputError("not Arabic: fewer than 20 Arabic letters in the document")
    return text, notes
