"""What a reader of an Arabic page sees that is not Arabic: Latin digits and English words
outside plates, codes and people's names (which keep their own script)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose text is a plate, a code, an address or a person's name.
KEPT_CLASSES = {"plate", "code", "person"}
KEPT_TAGS = {"script", "style", "code", "bdi", "noscript", "svg", "head"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")  # CAM-01, CAM-ENTRY, EMP-042
ACRONYMS = {"CSV", "JSON", "HMAC", "MQTT", "API", "VIP", "RTSP", "ISAPI", "ANPR", "IP"}
LATIN_DIGITS = re.compile(r"[0-9]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is its text kept as it is
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        kept = tag in KEPT_TAGS or bool(classes & KEPT_CLASSES) or (bool(self.stack) and self.stack[-1])
        self.stack.append(kept)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return [CODE.sub("", chunk) for chunk in parser.chunks]


def latin_digits(html: str) -> list[str]:
    return [chunk for chunk in visible_text(html) if LATIN_DIGITS.search(chunk)]


def english_words(html: str) -> list[str]:
    return [chunk for chunk in visible_text(html) if set(ENGLISH_WORD.findall(chunk)) - ACRONYMS]
