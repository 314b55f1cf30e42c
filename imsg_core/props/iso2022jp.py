"""ISO-2022-JP as Windows speaks it (code pages 50220/50221/50222).

Python's ``iso2022_jp`` codecs follow RFC 1468 strictly: JIS X 0208 rows only. Windows maps
the JIS two-byte area through code page 932, so Japanese mail written by Outlook carries the
NEC special characters of row 13 (circled digits ①, ㈱, ∑ ...) and the NEC-selected IBM
extensions (rows 89-92, e.g. 髙) that Python refuses. This module converts each two-byte
JIS pair to Shift_JIS and decodes it with ``cp932``, which is what Windows does.

Escape sequences understood: ``ESC ( B`` (ASCII), ``ESC ( J`` (JIS-Roman, read as ASCII),
``ESC ( I`` (half-width katakana), ``ESC $ @`` and ``ESC $ B`` (JIS X 0208), ``SO``/``SI``
(half-width katakana shift, code page 50222) and raw bytes 0xA1..0xDF (8-bit katakana).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_iso2022jp_ms", "encode_iso2022jp_ms"]

_ESC = 0x1B
_SO = 0x0E
_SI = 0x0F
_ASCII, _KANA, _JIS = 0, 1, 2
_MODES = {b"(B": _ASCII, b"(J": _ASCII, b"(I": _KANA, b"$@": _JIS, b"$B": _JIS}
_TO_ESC = {_ASCII: b"\x1b(B", _KANA: b"\x1b(I", _JIS: b"\x1b$B"}


_HALFWIDTH_RUN = re.compile("[\uff61-\uff9f]+")
# Sound marks left alone after NFKC become the spacing forms cp932 has.
_SPACING_MARKS = str.maketrans({"\u3099": "\u309b", "\u309a": "\u309c"})


def _widen(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group()).translate(_SPACING_MARKS)


def _jis_to_sjis(j1: int, j2: int) -> bytes:
    s1 = ((j1 - 0x21) >> 1) + 0x81
    if s1 > 0x9F:
        s1 += 0x40
    if j1 & 1:
        s2 = j2 - 0x21 + 0x40
        if s2 >= 0x7F:
            s2 += 1
    else:
        s2 = j2 - 0x21 + 0x9F
    return bytes((s1, s2))


def _sjis_to_jis(s1: int, s2: int) -> tuple[int, int] | None:
    if 0xE0 <= s1 <= 0xEF:
        s1 -= 0x40
    elif not 0x81 <= s1 <= 0x9F:
        return None  # user-defined / IBM areas have no JIS position
    j1 = (s1 - 0x81) * 2 + 0x21
    if s2 >= 0x9F:
        return j1 + 1, s2 - 0x9F + 0x21
    return j1, s2 - 0x40 + 0x21 - (1 if s2 >= 0x80 else 0)


def decode_iso2022jp_ms(raw: bytes, errors: str = "strict") -> str:
    """Decode Windows ISO-2022-JP. ``errors`` is ``"strict"`` (raise UnicodeDecodeError)
    or ``"replace"`` (U+FFFD for bytes that mean nothing)."""
    out: list[str] = []
    mode = _ASCII
    shifted = False
    i = 0
    n = len(raw)

    def bad(start: int, end: int, why: str) -> None:
        if errors == "strict":
            raise UnicodeDecodeError("iso2022_jp_ms", raw, start, end, why)
        out.append("\ufffd")

    while i < n:
        b = raw[i]
        if b == _ESC:
            seq = raw[i + 1 : i + 3]
            if seq in _MODES:
                mode = _MODES[seq]
                i += 3
                continue
            bad(i, i + 1, "unknown escape sequence")
            i += 1
            continue
        if b == _SO:
            shifted = True
            i += 1
            continue
        if b == _SI:
            shifted = False
            i += 1
            continue
        if 0xA1 <= b <= 0xDF:  # 8-bit half-width katakana
            out.append(bytes((b,)).decode("cp932"))
            i += 1
            continue
        if b >= 0x80:
            bad(i, i + 1, "8-bit byte outside katakana")
            i += 1
            continue
        if (mode == _KANA or shifted) and 0x21 <= b <= 0x5F:
            out.append(bytes((b + 0x80,)).decode("cp932"))
            i += 1
            continue
        if mode == _JIS and 0x21 <= b <= 0x7E:
            if i + 1 >= n or not 0x21 <= raw[i + 1] <= 0x7E:
                bad(i, i + 1, "truncated JIS X 0208 pair")
                i += 1
                continue
            try:
                out.append(_jis_to_sjis(b, raw[i + 1]).decode("cp932"))
            except UnicodeDecodeError:
                bad(i, i + 2, "JIS pair with no character")
            i += 2
            continue
        out.append(chr(b))
        i += 1
    return "".join(out)


def encode_iso2022jp_ms(text: str, codepage: int = 50220) -> bytes:
    """Encode for Windows code page 50220 (half-width katakana widened), 50221
    (``ESC ( I``) or 50222 (the same; SO/SI is accepted on reading only).

    Raises:
        UnicodeEncodeError: a character with no JIS X 0208 / cp932 position.
    """
    if codepage == 50220:
        text = _HALFWIDTH_RUN.sub(_widen, text)
    out = bytearray()
    mode = _ASCII
    for pos, ch in enumerate(text):
        if ord(ch) < 0x80:
            want, data = _ASCII, ch.encode("ascii")
        else:
            try:
                sj = ch.encode("cp932")
            except UnicodeEncodeError:
                raise UnicodeEncodeError(
                    "iso2022_jp_ms", text, pos, pos + 1, "not in code page 932"
                ) from None
            if len(sj) == 1 and 0xA1 <= sj[0] <= 0xDF:
                want, data = _KANA, bytes((sj[0] - 0x80,))
            else:
                pair = _sjis_to_jis(sj[0], sj[1]) if len(sj) == 2 else None
                if pair is None or not all(0x21 <= x <= 0x7E for x in pair):
                    raise UnicodeEncodeError(
                        "iso2022_jp_ms", text, pos, pos + 1, "no JIS X 0208 position"
                    )
                want, data = _JIS, bytes(pair)
        if want != mode:
            out += _TO_ESC[want]
            mode = want
        out += data
    if mode != _ASCII:
        out += _TO_ESC[_ASCII]
    return bytes(out)
