"""Windows code pages for PT_STRING8 text, and the rule choosing them (spec oxmsg §6).

Which code page encodes a message's 8-bit strings, decided from the corpus:

1. ``PR_MESSAGE_CODEPAGE`` (0x3FFD0003) when present — Outlook's own declaration;
2. the ANSI code page of ``PR_MESSAGE_LOCALE_ID`` (0x3FF10003) — files without (1) store
   their strings in the writer's ANSI code page, which the locale names (POI's
   ``HTMLBodyBinary_CP1251.msg``: Internet CPID 1251, locale 1031, subject in cp1252;
   ``ASCII_CP1251_LCID1049.msg``: locale 1049, subject in cp1251 — extract-msg shows
   mojibake for the latter);
3. ``PR_INTERNET_CPID`` (0x3FDE0003) — the charset the body arrived in, often *not* that of
   the 8-bit properties (UTF-8 declared in files whose strings are cp1252);
4. Windows-1252, the commonest ANSI code page.

For ``PR_BODY_HTML`` (0x1013001E) the Internet CPID comes first: its text is the HTML as
received (POI's ``ASCII_UTF-8_CP1252_LCID1031_HTML.msg`` stores UTF-8 there).

:func:`decode_string8` tries the candidates in that order and takes the first that decodes
cleanly, never raising on bad bytes; see its docstring for the fallbacks.

This module is the one place a Windows code page number becomes a Python codec: string
properties, the HTML body (the body decoders) and RTF text
(:mod:`imsg_core.convert.rtf`) all resolve code pages through :func:`codec_name` /
:func:`python_codec`. The table covers every page of Microsoft's *Code Page Identifiers*
list that Python has a codec for, with Windows' own variant where Python has both (950 is
``cp950``, not ``big5``; 932 ``cp932``, not ``shift_jis``).
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Mapping
from collections.abc import Sequence
from encodings import normalize_encoding
from encodings.aliases import aliases as encoding_aliases

from ..errors import SCODE
from ..errors import InvalidParameterError
from ..errors import MAPIError
from .iso2022jp import decode_iso2022jp_ms
from .iso2022jp import encode_iso2022jp_ms
from .tags import PR_BODY_HTML
from .tags import PR_INTERNET_CPID
from .tags import PR_MESSAGE_CODEPAGE
from .tags import PR_MESSAGE_LOCALE_ID
from .types import prop_id

__all__ = [
    "UnknownCodepageError",
    "ansi_codepage",
    "codec_name",
    "decode_string8",
    "encode_string8",
    "is_eight_bit",
    "is_known_codepage",
    "message_codepage",
    "python_codec",
    "string8_codepages",
]

_PR_BODY_HTML_ID = prop_id(PR_BODY_HTML)


class UnknownCodepageError(MAPIError, ValueError):
    """``MAPI_E_UNKNOWN_CPID``: a code page with no Python codec."""

    default_code = SCODE.MAPI_E_UNKNOWN_CPID


#: Windows code page -> Python codecs, preferred first. Later entries are supersets tried
#: when the first fails (Microsoft's tables are wider than Python's for several pages).
#: Every page of Microsoft's "Code Page Identifiers" table that Python has a codec for
#: (tests/test_props_codepage.py checks it page by page).
_CODECS: dict[int, tuple[str, ...]] = {
    37: ("cp037",),
    437: ("cp437",),
    500: ("cp500",),
    708: ("iso8859_6",),  # ASMO-708: Python's asmo_708 alias
    720: ("cp720",),
    737: ("cp737",),
    775: ("cp775",),
    850: ("cp850",),
    852: ("cp852",),
    855: ("cp855",),
    857: ("cp857",),
    858: ("cp858",),
    860: ("cp860",),
    861: ("cp861",),
    862: ("cp862",),
    863: ("cp863",),
    864: ("cp864",),
    865: ("cp865",),
    866: ("cp866",),
    869: ("cp869",),
    874: ("cp874",),
    875: ("cp875",),
    932: ("cp932", "shift_jis_2004"),
    936: ("gbk", "gb18030"),
    949: ("cp949",),
    950: ("cp950", "big5hkscs"),
    1026: ("cp1026",),
    1140: ("cp1140",),
    1200: ("utf-16-le",),
    1201: ("utf-16-be",),
    1250: ("cp1250",),
    1251: ("cp1251",),
    1252: ("cp1252",),
    1253: ("cp1253",),
    1254: ("cp1254",),
    1255: ("cp1255",),
    1256: ("cp1256",),
    1257: ("cp1257",),
    1258: ("cp1258",),
    1361: ("johab",),
    10000: ("mac_roman",),
    # The Mac CJK pages are Shift_JIS / Big5 / EUC-KR / GB 2312 based (Python's
    # x_mac_*_chinese, x_mac_japanese and x_mac_korean aliases say the same).
    10001: ("shift_jis",),
    10002: ("big5",),
    10003: ("euc_kr",),
    10004: ("mac_arabic",),
    10006: ("mac_greek",),
    10007: ("mac_cyrillic",),
    10008: ("gb2312",),
    10010: ("mac_romanian",),
    10029: ("mac_latin2",),
    10079: ("mac_iceland",),
    10081: ("mac_turkish",),
    10082: ("mac_croatian",),
    12000: ("utf-32-le",),
    12001: ("utf-32-be",),
    20127: ("ascii",),
    20273: ("cp273",),
    20424: ("cp424",),
    20866: ("koi8_r",),
    20932: ("euc_jp",),
    20936: ("gb2312", "gbk", "gb18030"),
    21866: ("koi8_u",),
    28591: ("latin_1",),
    28592: ("iso8859_2",),
    28593: ("iso8859_3",),
    28594: ("iso8859_4",),
    28595: ("iso8859_5",),
    28596: ("iso8859_6",),
    28597: ("iso8859_7",),
    28598: ("iso8859_8",),
    28599: ("iso8859_9",),
    28603: ("iso8859_13",),
    28605: ("iso8859_15",),
    38598: ("iso8859_8",),
    50220: ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2"),
    50221: ("iso2022_jp_ext", "iso2022_jp_2"),
    50222: ("iso2022_jp_ext", "iso2022_jp_2"),
    50225: ("iso2022_kr",),
    51932: ("euc_jp", "euc_jis_2004"),
    51936: ("gb2312", "gbk"),
    51949: ("euc_kr", "cp949"),
    52936: ("hz",),
    54936: ("gb18030",),
    65000: ("utf_7",),
    65001: ("utf-8",),
}


#: Code pages whose byte values are each one character (decode never needs lookahead).
def _canonical(name: str) -> str:
    """A codec name in the form ``codecs.lookup`` reports, without importing the codec."""
    key = normalize_encoding(name).lower()
    return encoding_aliases.get(key, key)


_MULTIBYTE_CODECS = frozenset(
    _canonical(n)
    for n in (
        "cp932",
        "shift_jis",
        "big5",
        "gbk",
        "cp949",
        "cp950",
        "utf-16-le",
        "utf-16-be",
        "johab",
        "utf-32-le",
        "utf-32-be",
        "euc_jp",
        "gb2312",
        "iso2022_jp",
        "iso2022_jp_ext",
        "iso2022_kr",
        "euc_kr",
        "hz",
        "gb18030",
        "utf_7",
        "utf-8",
    )
)
_SINGLE_BYTE = frozenset(
    cp for cp, names in _CODECS.items() if _canonical(names[0]) not in _MULTIBYTE_CODECS
)
_ISO2022 = frozenset({50220, 50221, 50222, 50225})
_ISO2022_JP = frozenset({50220, 50221, 50222})
#: UTF-16/32: never the encoding of 8-bit strings, whatever a message declares.
_WIDE = frozenset({1200, 1201, 12000, 12001})
#: Pages where ASCII bytes do not mean ASCII characters (EBCDIC, UTF-16/32, UTF-7).
_NOT_ASCII_COMPATIBLE = frozenset(
    {37, 500, 875, 1026, 1140, 20273, 20424, 1200, 1201, 12000, 12001, 65000}
)


def is_known_codepage(codepage: int) -> bool:
    """True when :func:`python_codec` knows ``codepage``."""
    return int(codepage) in _CODECS


def codec_name(codepage: int | None) -> str | None:
    """The Python codec name for a Windows code page number, or ``None`` when there is none
    (unknown page, or not a number)."""
    if codepage is None:
        return None
    try:
        names = _CODECS.get(int(codepage))
    except (TypeError, ValueError):
        return None
    return names[0] if names else None


def python_codec(codepage: int) -> str:
    """The Python codec name for a Windows code page number.

    Raises:
        UnknownCodepageError: (``MAPI_E_UNKNOWN_CPID``) no codec for ``codepage``.
    """
    name = codec_name(codepage)
    if name is None:
        raise UnknownCodepageError(f"no Python codec for Windows code page {codepage!r}")
    return name


def is_eight_bit(codepage: int) -> bool:
    """True for a known code page that can hold 8-bit text (not UTF-16/UTF-32)."""
    return codepage in _CODECS and codepage not in _WIDE


@functools.cache
def _lenient_table(codepage: int) -> str | None:
    """A 256-char decoding table for a single-byte page, undefined bytes -> U+00XX.

    That is what Windows' MultiByteToWideChar does for the holes of Windows-1252
    (0x81, 0x8D, 0x8F, 0x90, 0x9D), and it makes every byte value round-trip.
    """
    if codepage not in _SINGLE_BYTE:
        return None
    name = _CODECS[codepage][0]
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode(name))
        except UnicodeDecodeError:
            chars.append(chr(b))
    if len(set(chars)) != 256:
        # A hole filled with U+00XX collides with a real mapping; keep the hole as U+FFFD.
        seen: set[str] = set()
        for i, ch in enumerate(chars):
            if ch in seen:
                chars[i] = "\ufffd"
            seen.add(ch)
    return "".join(chars)


@functools.cache
def _lenient_encoding_map(codepage: int) -> dict[int, int] | None:
    table = _lenient_table(codepage)
    if table is None:
        return None
    return {ord(ch): b for b, ch in enumerate(table) if ch != "\ufffd"}


# --- locale (LCID) -> ANSI code page ----------------------------------------------------
_LANG_ANSI: dict[int, int] = {}
for _cp, _langs in {
    1250: (0x05, 0x0E, 0x15, 0x18, 0x1B, 0x1C, 0x24, 0x1A),
    1251: (0x02, 0x19, 0x22, 0x23, 0x2F, 0x3F, 0x40, 0x44, 0x50, 0x28, 0x6D, 0x85),
    1253: (0x08,),
    1254: (0x1F, 0x2C, 0x43, 0x42),
    1255: (0x0D, 0x3D),
    1256: (0x01, 0x29, 0x20, 0x8C, 0x92, 0x80),
    1257: (0x25, 0x26, 0x27),
    1258: (0x2A,),
    874: (0x1E,),
    932: (0x11,),
    949: (0x12,),
}.items():
    for _lang in _langs:
        _LANG_ANSI[_lang] = _cp
# Locales with a sub-language that changes the script.
_LCID_ANSI: dict[int, int] = {
    0x0404: 950,  # zh-TW
    0x0804: 936,  # zh-CN
    0x0C04: 950,  # zh-HK
    0x1004: 936,  # zh-SG
    0x1404: 950,  # zh-MO
    0x0C1A: 1251,  # sr-Cyrl-CS
    0x1C1A: 1251,  # sr-Cyrl-BA
    0x201A: 1251,  # bs-Cyrl-BA
    0x281A: 1251,  # sr-Cyrl-RS
    0x301A: 1251,  # sr-Cyrl-ME
    0x0843: 1251,  # uz-Cyrl-UZ
    0x082C: 1251,  # az-Cyrl-AZ
}
# Unicode-only languages (Hindi, Tamil, Georgian, Armenian, ...): no ANSI code page.
_UNICODE_ONLY = frozenset(
    {0x39, 0x49, 0x45, 0x46, 0x47, 0x48, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x57, 0x37, 0x2B}
)


def ansi_codepage(lcid: int) -> int | None:
    """The Windows ANSI code page of a locale ID, or ``None`` (unknown or Unicode-only)."""
    lcid = int(lcid) & 0xFFFF
    if lcid in _LCID_ANSI:
        return _LCID_ANSI[lcid]
    lang = lcid & 0x3FF
    if lang == 0:
        return None
    if lang == 0x04:
        return 936
    if lang in _UNICODE_ONLY:
        return None
    return _LANG_ANSI.get(lang, 1252)


# --- choosing -------------------------------------------------------------------------
def _int_prop(props: Mapping[int, object], tag: int) -> int | None:
    value = props.get(tag)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value & 0xFFFFFFFF
    raw = getattr(value, "value", None)  # a RawEntry
    if isinstance(raw, bytes | bytearray) and len(raw) >= 4:
        return int.from_bytes(raw[:4], "little")
    return None


def string8_codepages(props: Mapping[int, object], tag: int | None = None) -> list[int]:
    """The candidate code pages, in order, for PT_STRING8 property ``tag`` of a message.

    ``props`` maps tags to values (ints) or :class:`~imsg_core.props.codec.RawEntry`
    objects; only PR_MESSAGE_CODEPAGE, PR_MESSAGE_LOCALE_ID and PR_INTERNET_CPID are
    consulted. Unknown code-page numbers and UTF-16/32 (which cannot encode 8-bit strings)
    are dropped. The list may be empty (then :func:`decode_string8` uses Windows-1252).
    """
    mcp = _int_prop(props, PR_MESSAGE_CODEPAGE)
    lcid = _int_prop(props, PR_MESSAGE_LOCALE_ID)
    icp = _int_prop(props, PR_INTERNET_CPID)
    locale_cp = ansi_codepage(lcid) if lcid is not None else None
    order = [mcp, locale_cp, icp]
    if tag is not None and (int(tag) >> 16) == _PR_BODY_HTML_ID:
        order = [icp, mcp, locale_cp]
    out: list[int] = []
    for cp in order:
        if cp is not None and is_eight_bit(cp) and cp not in out:
            out.append(cp)
    return out


def message_codepage(props: Mapping[int, object]) -> int | None:
    """The code page a message declares for its PT_STRING8 properties (first candidate)."""
    cps = string8_codepages(props)
    return cps[0] if cps else None


def _cp936_euro(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Windows code page 936 has the euro sign as the single byte 0x80; Python's gbk not."""
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start] == 0x80:
        return "\u20ac", exc.start + 1
    if isinstance(exc, UnicodeEncodeError) and exc.object[exc.start] == "\u20ac":
        return b"\x80", exc.start + 1
    raise exc


codecs.register_error("imsg-cp936", _cp936_euro)


def _strict(raw: bytes, codepage: int) -> str | None:
    if codepage in _ISO2022_JP:
        # Windows' reading first (cp932 extensions, SO/SI); Python's for JIS X 0212 etc.
        try:
            return decode_iso2022jp_ms(raw)
        except UnicodeDecodeError:
            pass
    for name in _CODECS[codepage]:
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
    if codepage == 936:
        try:
            return raw.decode("gbk", "imsg-cp936")
        except UnicodeDecodeError:
            return None
    return None


def decode_string8(raw: bytes, codepages: Sequence[int] = ()) -> str:
    """Decode 8-bit text given candidate code pages in order of preference. Never raises.

    1. ISO-2022 escape sequences with an ISO-2022 candidate: that candidate first (code
       pages 50220-50222 as Windows reads them, see :mod:`.iso2022jp`); ``ESC $ B`` without
       one: ISO-2022-JP anyway;
    2. a UTF-8 candidate (declared somewhere, e.g. PR_INTERNET_CPID) is taken when the
       bytes hold multi-byte UTF-8 and decode strictly as UTF-8 — real cp1252 text
       practically never does;
    3. each candidate in order, strictly (with wider Python codecs for Microsoft's
       supersets, e.g. cp950 then big5hkscs);
    4. a multi-byte candidate (cp932, cp950, ...) that failed: that page with U+FFFD for
       the broken sequences -- not a single-byte page, which would turn it into mojibake;
    5. otherwise UTF-8 strictly, then Windows-1252 strictly;
    6. leniently: the first single-byte candidate (or 1252) mapping undefined bytes to
       U+00XX as Windows does.

    Unknown code page numbers are ignored. The result contains no trailing NUL handling:
    callers strip terminators.
    """
    raw = bytes(raw)
    cps: list[int] = []
    for given in codepages:
        cp = int(given)
        if cp in _CODECS and cp not in cps:
            cps.append(cp)
    if not raw:
        return ""
    if raw.isascii():
        if b"\x1b" in raw or b"\x0e" in raw:
            for cp in cps:
                if cp in _ISO2022:
                    text = _strict(raw, cp)
                    if text is not None:
                        return text
            if b"\x1b$B" in raw or b"\x1b$@" in raw:
                # Undeclared ISO-2022-JP: escapes followed by real JIS text say what it is.
                try:
                    text = decode_iso2022jp_ms(raw)
                except UnicodeDecodeError:
                    text = ""
                if not text.isascii():
                    return text
        if not cps or cps[0] not in _NOT_ASCII_COMPATIBLE:
            # Plain ASCII reads the same in every ASCII-compatible page.
            return raw.decode("ascii")
    if 65001 in cps:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for cp in cps:
        text = _strict(raw, cp)
        if text is not None:
            return text
    multibyte = [cp for cp in cps if cp not in _SINGLE_BYTE and cp not in (65001, 20127)]
    if multibyte:
        if multibyte[0] in _ISO2022_JP:
            return decode_iso2022jp_ms(raw, "replace")
        return raw.decode(_CODECS[multibyte[0]][0], "replace")
    if 65001 not in cps:
        # Undeclared UTF-8: multi-byte sequences that decode strictly are no accident.
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    text = _strict(raw, 1252)
    if text is not None:
        return text
    single = next((cp for cp in cps if cp in _SINGLE_BYTE and cp != 20127), 1252)
    table = _lenient_table(single)
    assert table is not None
    return codecs.charmap_decode(raw, "replace", table)[0]


def encode_string8(text: str, codepage: int = 1252, *, where: str = "") -> bytes:
    """Encode ``text`` in ``codepage`` for a PT_STRING8 value.

    Single-byte pages also accept the U+00XX stand-ins :func:`decode_string8` produces for
    undefined bytes, so decoded values encode back to the same bytes.

    Raises:
        UnknownCodepageError: no codec for ``codepage``.
        InvalidParameterError: ``text`` has characters the code page cannot represent.
    """
    name = python_codec(codepage)
    try:
        if int(codepage) in _ISO2022_JP:
            return encode_iso2022jp_ms(text, int(codepage))
        if int(codepage) == 936:
            return text.encode("gbk", "imsg-cp936")
        return text.encode(name)
    except UnicodeEncodeError as exc:
        mapping = _lenient_encoding_map(int(codepage))
        if mapping is not None:
            try:
                return codecs.charmap_encode(text, "strict", mapping)[0]
            except UnicodeEncodeError:
                pass
        place = f" in {where}" if where else ""
        bad = exc.object[exc.start : exc.end]
        raise InvalidParameterError(
            f"character {bad!r} at index {exc.start} cannot be encoded in code page "
            f"{codepage}{place}"
        ) from None
