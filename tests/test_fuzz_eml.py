"""Fuzzing the .eml importer (MIME -> .msg) and the exporter that reads the result back.

Inputs are MIME messages assembled from hostile pieces — malformed address lists, unknown
or invalid charsets (``ytf-8``, names with NUL), broken encoded words, bad transfer
encodings, missing or repeated boundaries, message/rfc822 parts nested deep, header names
and values with control characters — plus seeds damaged byte-wise. The importer must fill
the message or raise ``MAPIError``; the export of what it built must work too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from fuzz import hyp
from fuzz import seeds
from fuzz import targets

SEEDS = seeds.eml_seeds()

ADDRESSES = [
    "a@example.com",
    "Name <a@example.com>",
    '"Quoted, Name" <q@example.com>',
    "<>",
    "<",
    "Name <",
    "@",
    "a@",
    "@b",
    "undisclosed-recipients:;",
    "group: a@b, c@d;",
    "=?utf-8?q?=C3?=",
    "a@[127.0.0.1]",
    '"unterminated <a@b>',
    "(comment) a@b",
    "a@b (comment",
    ",,,",
    "<a@b",
    "x" * 300 + "@example.com",
    "Ünïcødé <u@exämple.com>",
    "a\x00b@c.d",
]
CHARSETS = [
    "utf-8",
    "ytf-8",
    "iso-8859-1",
    "x-unknown",
    "utf-7",
    "utf-16",
    "utf\x00-8",
    "",
    "cp1252",
    "iso-2022-jp",
    "gb2312",
    "utf-8'en'",
    '"utf-8"',
    "big5",
    "ascii",
]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "binary", "x-uuencode", "bogus", ""]
TYPES = [
    "text/plain",
    "text/html",
    "text/rtf",
    "application/octet-stream",
    "image/png",
    "message/rfc822",
    "multipart/mixed",
    "multipart/alternative",
    "multipart/related",
    "multipart/signed",
    "application/pkcs7-mime",
    "message/delivery-status",
    "text",
    "/",
    "multipart/",
    "text/plain; charset",
    "application/ms-tnef",
]
FILENAMES = [
    "a.txt",
    "../../etc/passwd",
    "C:\\Windows\\x.exe",
    "CON",
    "nul.txt",
    "a\x01b",
    "=?utf-8?b?Li4vLi4vZXZpbA==?=",
    "",
    "x" * 400,
    "\u202egnp.exe",
    ".",
    "..",
]
HEADER_NAMES = [
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Importance",
    "Reply-To",
    "Sender",
    "Content-ID",
    "X-\x7fweird",
    "Received",
    "Priority",
]
HEADER_VALUES = [
    "",
    " ",
    "=?utf-8?b?invalid base64?=",
    "=?bogus?q?x?=",
    "<",
    "<>",
    "<a@b",
    "Mon, 32 Foo 99999 99:99:99 +9999",
    "Tue, 1 Jul 2025 10:00:00 +0000",
    "\x00",
    "a\r\n b",
    "=?utf-8?q?" + "=FF" * 40 + "?=",
    "high",
    "0",
    "x" * 2000,
]


def _text(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(alphabet), st.text(max_size=40))


@st.composite
def mime_part(draw: st.DrawFn, depth: int = 0) -> str:
    ctype = draw(st.sampled_from(TYPES))
    lines = [f"Content-Type: {ctype}; charset={draw(_text(CHARSETS))}"]
    if draw(st.booleans()):
        lines.append(f"Content-Transfer-Encoding: {draw(st.sampled_from(ENCODINGS))}")
    if draw(st.booleans()):
        disp = draw(st.sampled_from(["attachment", "inline", "bogus"]))
        lines.append(f'Content-Disposition: {disp}; filename="{draw(_text(FILENAMES))}"')
    if draw(st.booleans()):
        lines.append(f"Content-ID: <{draw(st.text(max_size=10))}>")
    if ctype.startswith("multipart") and depth < 6:
        boundary = draw(st.sampled_from(["b", "", "--", "x" * 80, "b b"]))
        lines[0] = f'Content-Type: {ctype}; boundary="{boundary}"'
        parts = draw(st.lists(mime_part(depth + 1), max_size=3))
        body = "".join(f"--{boundary}\r\n{p}\r\n" for p in parts)
        if draw(st.booleans()):
            body += f"--{boundary}--\r\n"
    elif ctype == "message/rfc822" and depth < 6:
        body = draw(message(depth + 1))
    else:
        body = draw(
            st.one_of(
                st.text(max_size=200), st.sampled_from(["SGVsbG8=", "=E9=", "====", "\x00\xff"])
            )
        )
    return "\r\n".join(lines) + "\r\n\r\n" + body


@st.composite
def message(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for name in ("From", "To", "Cc", "Bcc"):
        if draw(st.booleans()):
            addrs = draw(st.lists(_text(ADDRESSES), min_size=1, max_size=3))
            lines.append(f"{name}: {', '.join(addrs)}")
    for _ in range(draw(st.integers(0, 4))):
        lines.append(f"{draw(_text(HEADER_NAMES))}: {draw(_text(HEADER_VALUES))}")
    lines.append("MIME-Version: 1.0")
    return "\r\n".join(lines) + "\r\n" + draw(mime_part(depth))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@hyp.fuzz_settings(100)
@given(message())
def test_generated_mime_imports_or_fails_cleanly(text: str) -> None:
    hyp.run_bounded(targets.import_eml, _bytes(text))


@hyp.fuzz_settings(80)
@given(
    st.sampled_from(sorted(SEEDS)),
    st.lists(st.tuples(st.integers(0, 4096), st.binary(min_size=1, max_size=6)), max_size=6),
)
def test_damaged_seeds(name: str, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SEEDS[name])
    for pos, chunk in edits:
        p = pos % len(data)
        data[p : p + len(chunk)] = chunk
    hyp.run_bounded(targets.import_eml, bytes(data))


@hyp.fuzz_settings(10)
@given(st.integers(1, 60))
def test_nested_message_rfc822(depth: int) -> None:
    inner = "From: a@b\r\nSubject: leaf\r\nContent-Type: text/plain\r\n\r\nleaf\r\n"
    for i in range(depth):
        inner = f"From: a@b\r\nSubject: {i}\r\nContent-Type: message/rfc822\r\n\r\n{inner}"
    hyp.run_bounded(targets.import_eml, inner.encode())


REGRESSIONS = sorted((ROOT / "fuzz" / "regressions").glob("*/*"))


@pytest.mark.parametrize(
    "path", REGRESSIONS, ids=[f"{p.parent.name}/{p.name}" for p in REGRESSIONS]
)
def test_fuzzer_findings_stay_fixed(path: Path) -> None:
    """Every input a fuzzer once broke a parser with (``fuzz/regressions/<target>/``)."""
    target = targets.TARGETS[path.parent.name]
    hyp.run_bounded(target, path.read_bytes())
