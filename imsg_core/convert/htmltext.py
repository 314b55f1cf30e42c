"""HTML helpers of the ``.eml`` conversion: a plain-text rendering of HTML (for ``PR_BODY``
when a message has only HTML) and the bytes and code page ``PR_HTML`` is stored in."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

__all__ = ["html_bytes", "html_to_text", "meta_charset"]


class _TextExtractor(HTMLParser):
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "tr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "blockquote",
            "pre",
            "hr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html_text: str) -> str:
    """A plain-text rendering of ``html_text`` (for ``PR_BODY`` when a message has only
    HTML): tags dropped, block elements on their own lines, CRLF line ends."""
    parser = _TextExtractor()
    try:
        parser.feed(html_text)
        parser.close()
    except Exception:  # HTMLParser is lenient; never let odd markup fail a conversion
        return re.sub(r"<[^>]*>", "", html_text)
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\r\n".join(out).strip("\r\n")


def meta_charset(html_text: str) -> str | None:
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", html_text, re.I)
    return m.group(1).lower() if m else None


def html_bytes(html_text: str) -> tuple[bytes, int | None]:
    """HTML bytes in the charset the HTML declares (so every reader decodes it the same),
    else UTF-8; with the code page to put in PR_INTERNET_CPID (``None``: leave unset)."""
    declared = meta_charset(html_text)
    if declared:
        try:
            info = codecs.lookup(declared)
        except LookupError:
            info = None
        if info is not None and info.name != "utf-8":
            return html_text.encode(info.name, "xmlcharrefreplace"), None
    return html_text.encode("utf-8"), 65001
