"""RTF bodies: LZFu compression (checked by the independent compressed_rtf decoder) and
HTML (de-)encapsulation (MS-OXRTFEX), on generated input and on every corpus RTF body."""

from __future__ import annotations

from pathlib import Path

import compressed_rtf
import olefile
import pytest
from conftest import corpus_files
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from imsg_core.convert import rtf
from imsg_core.errors import CorruptDataError

MESSAGES = corpus_files("**/*.msg")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode))
def test_compress_output_decompresses_to_the_input_with_an_independent_decoder(
    data: bytes,
) -> None:
    packed = rtf.compress(data)
    assert packed[8:12] == b"LZFu"
    assert compressed_rtf.decompress(packed) == data
    assert rtf.decompress(packed) == data


def test_compress_finds_repeats() -> None:
    data = b"{\\rtf1 " + b"hello world " * 500 + b"}"
    assert len(rtf.compress(data)) < len(data) // 5  # references hold at most 17 bytes


@pytest.mark.parametrize("bad", [b"", b"short", b"\xff" * 40])
def test_decompress_raises_corrupt_data_for_garbage(bad: bytes) -> None:
    with pytest.raises(CorruptDataError):
        rtf.decompress(bad)


_html_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>"),
    max_size=60,
)
_tag = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<br>",
        "<b>",
        "</b>",
        '<a href="x?a=1&amp;b=2">',
        "</a>",
        "<!-- c -->",
        '<img src="cid:i@x">',
        "<div style='a:b'>",
        "</div>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_tag | _html_text, max_size=25), st.booleans())
def test_encapsulated_html_deencapsulates_to_exactly_the_input(
    pieces: list[str], wrap: bool
) -> None:
    html = "".join(pieces)
    if wrap:
        html = f"<html><head><style>p {{x:1}}</style></head>\r\n<body>{html}</body></html>"
    doc = rtf.encapsulate_html(html)
    assert rtf.encapsulated_kind(doc) == "html"
    assert rtf.deencapsulate_html(doc) == html


def test_encapsulated_html_shows_its_text_to_rtf_readers() -> None:
    doc = rtf.encapsulate_html("<html><body><p>Fish &amp; chips</p><p>Grüße</p></body></html>")
    text = doc.decode("ascii")
    assert "\\fromhtml1" in text and "{\\*\\htmltag64}" in text
    assert "\\htmlrtf Fish & chips\\htmlrtf0" in text  # the decoded text, RTF-only
    assert "Gr\\u252?\\u223?e" in text  # shared text, Unicode escapes


def test_deencapsulation_follows_fonts_code_pages_unicode_and_htmlrtf() -> None:
    doc = (
        b"{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}"
        b"{\\f1\\fnil\\fcharset204 Tahoma;}}"
        b"{\\*\\htmltag19 <html>}{\\*\\htmltag64}"
        b"caf\\'e9 {\\f1 \\'cf\\'f0\\'e8}\\htmlrtf  RTF only\\htmlrtf0 "
        b'\\uc1\\u8364?{\\*\\mhtmltag84 <img src="x.png">}{\\*\\htmltag84 <img src="cid:1">}'
        b"\\par {\\*\\htmltag0 </html>}}"
    )
    assert rtf.deencapsulate_html(
        doc
    ) == 'caf\u00e9 \u041f\u0440\u0438€<img src="cid:1">\r\n</html>'.replace("caf", "<html>caf", 1)


def test_fromtext_is_recognised_and_html_refused() -> None:
    doc = b"{\\rtf1\\ansi\\fromtext \\deff0{\\fonttbl{\\f0 Arial;}}line one\\par line two}"
    assert rtf.encapsulated_kind(doc) == "text"
    assert rtf.deencapsulate_text(doc) == "line one\r\nline two"
    with pytest.raises(CorruptDataError):
        rtf.deencapsulate_html(doc)
    assert rtf.encapsulated_kind(b"{\\rtf1\\ansi plain}") is None
    assert rtf.encapsulated_kind(b"not rtf") is None


def _rtf_of(path: Path) -> bytes | None:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if not ole.exists("__substg1.0_10090102"):
                return None
            return rtf.decompress(ole.openstream("__substg1.0_10090102").read())
    except (OSError, CorruptDataError, Exception):  # olefile raises its own types on junk
        return None


@pytest.mark.corpus
def test_every_corpus_rtf_body_recompresses_and_every_html_one_deencapsulates() -> None:
    html_bodies = 0
    for path in MESSAGES:
        body = _rtf_of(path)
        if body is None:
            continue
        assert compressed_rtf.decompress(rtf.compress(body)) == body, path
        if rtf.encapsulated_kind(body) == "html":
            html = rtf.deencapsulate_html(body)
            assert html.strip(), path
            for leak in ("\\htmltag", "\\htmlrtf", "{\\*", "\\fonttbl", "\\par"):
                assert leak not in html, (path, leak)
            html_bodies += 1
    if MESSAGES:
        assert html_bodies >= 90  # 100 corpus messages carry \fromhtml1 RTF


def test_an_independent_deencapsulator_reads_our_rtf_back_to_the_html() -> None:
    # RTFDE comes with extract-msg (a test dependency); it is never used by the library.
    deenc = pytest.importorskip("RTFDE.deencapsulate")
    samples = [
        "<html><head><style>p{x:1}</style></head>\r\n<body><p>Hello &amp; w\u00f6rld"
        ' \U0001f600 {x} \\ tab\there</p>\n<br>line2<img src="cid:a@b"></body></html>',
        "<p>fragment without html or body, \u041f\u0440\u0438\u0432\u0435\u0442</p>",
    ]
    for path in MESSAGES:
        try:
            with olefile.OleFileIO(str(path)) as ole:
                if ole.exists("__substg1.0_10130102"):
                    samples.append(
                        ole.openstream("__substg1.0_10130102").read().decode("utf-8", "replace")
                    )
        except Exception:  # unreadable corpus files are other tests' business
            continue
    for html in samples:
        d = deenc.DeEncapsulator(rtf.encapsulate_html(html))
        d.deencapsulate()
        got = d.html.decode("utf-8") if isinstance(d.html, bytes) else d.html

        # RTFDE writes CRLF as LF and U+00A0 as &nbsp; (same HTML either way).
        def norm(text: str) -> str:
            return text.replace("&nbsp;", "\u00a0").replace("\r\n", "\n")

        assert norm(got) == norm(html), html[:80]
