"""Code pages for PT_STRING8: Windows -> Python codecs, the choosing rule, the decoder's
fallbacks, and the corpus's ANSI messages (checked against extract-msg where it is right)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_props_support import corpus_messages, open_ole, relpath, truth

from imsg_core.errors import InvalidParameterError
from imsg_core.props import (
    RawEntry,
    StreamKind,
    UnknownCodepageError,
    ansi_codepage,
    decode_string8,
    encode_string8,
    message_codepage,
    parse_property_stream,
    python_codec,
    read_value,
    string8_codepages,
)

CPID = 0x3FDE0003
MCP = 0x3FFD0003
LCID = 0x3FF10003


@pytest.mark.parametrize(
    ("cp", "codec"),
    [
        (20127, "ascii"),
        (28591, "latin_1"),
        (28605, "iso8859_15"),
        (50220, "iso2022_jp"),
        (50221, "iso2022_jp_ext"),
        (51932, "euc_jp"),
        (932, "cp932"),
        (936, "gbk"),
        (949, "cp949"),
        (950, "cp950"),
        (1250, "cp1250"),
        (1251, "cp1251"),
        (1252, "cp1252"),
        (1258, "cp1258"),
        (65001, "utf-8"),
        (20866, "koi8_r"),
        (21866, "koi8_u"),
        (10000, "mac_roman"),
        (54936, "gb18030"),
    ],
)
def test_python_codec(cp: int, codec: str) -> None:
    assert python_codec(cp) == codec


def test_unknown_code_page_is_mapi_e_unknown_cpid() -> None:
    with pytest.raises(UnknownCodepageError) as info:
        python_codec(12345)
    assert info.value.name == "MAPI_E_UNKNOWN_CPID"
    assert "12345" in str(info.value)


def test_locale_to_ansi_code_page() -> None:
    assert ansi_codepage(1049) == 1251  # ru-RU
    assert ansi_codepage(1031) == 1252  # de-DE
    assert ansi_codepage(1028) == 950  # zh-TW
    assert ansi_codepage(2052) == 936  # zh-CN
    assert ansi_codepage(1041) == 932  # ja-JP
    assert ansi_codepage(1045) == 1250  # pl-PL
    assert ansi_codepage(0x0C1A) == 1251  # sr-Cyrl
    assert ansi_codepage(1081) is None  # hi-IN: Unicode only


def test_choosing_rule_order() -> None:
    # PR_MESSAGE_CODEPAGE, then the locale's ANSI page, then PR_INTERNET_CPID.
    assert string8_codepages({MCP: 1251, CPID: 65001, LCID: 1031}) == [1251, 1252, 65001]
    assert string8_codepages({CPID: 1251, LCID: 1031}) == [1252, 1251]
    assert string8_codepages({CPID: 20127}) == [20127]
    assert string8_codepages({}) == []
    # PR_BODY_HTML holds the HTML as received: Internet code page first.
    assert string8_codepages({CPID: 65001, LCID: 1031}, 0x1013001E) == [65001, 1252]
    # Raw property-stream entries work too; unknown pages are dropped.
    raw = {MCP: RawEntry(MCP, 6, (1250).to_bytes(4, "little") + bytes(4)), CPID: 99999}
    assert string8_codepages(raw) == [1250]
    assert string8_codepages({CPID: 1200, LCID: 1049}) == [1251]  # UTF-16 is no 8-bit page
    assert message_codepage(raw) == 1250
    assert message_codepage({}) is None


@pytest.mark.parametrize(
    ("raw", "cps", "text"),
    [
        # UTF-8 declared, cp1252 bytes (POI ASCII_UTF-8_CP1252_LCID1031): not mojibake
        (b"Subject \xf6\xe4\xfc", [65001], "Subject öäü"),
        # UTF-8 declared and really UTF-8
        ("öäü".encode(), [1252, 65001], "öäü"),
        # us-ascii declared, cp1252 bytes (aspose's ANSI writer)
        (b"caf\xe9", [20127], "café"),
        (b"\xd0\xd2\xc9\xd7\xc5\xd4", [20866], "привет"),  # KOI8-R
        ("格式測試".encode("cp950"), [950], "格式測試"),  # Big5 / cp950
        ("テスト".encode("iso2022_jp"), [1252, 50220], "テスト"),  # ISO-2022-JP escapes
        ("привет".encode("cp1251"), [1251], "привет"),
        (b"plain", [], "plain"),
        # nothing declared: strict UTF-8 first, then cp1252
        ("日本".encode(), [], "日本"),
        ("日本".encode(), [20127], "日本"),
        (b"caf\xe9", [], "café"),
        (b"", [932], ""),
    ],
)
def test_decode_string8_cases(raw: bytes, cps: list[int], text: str) -> None:
    assert decode_string8(raw, cps) == text


def test_decode_string8_bad_multibyte_bytes_are_replaced_not_reinterpreted() -> None:
    # A declared double-byte page with one broken sequence stays that page.
    raw = "日本".encode("cp932") + b"\x81"
    assert decode_string8(raw, [932]) == "日本\ufffd"


def test_decode_string8_undefined_cp1252_bytes_map_like_windows() -> None:
    assert decode_string8(b"a\x81b\x9d", [1252]) == "a\x81b\x9d"
    assert encode_string8("a\x81b\x9d", 1252) == b"a\x81b\x9d"


@given(
    st.binary(max_size=60),
    st.lists(
        st.sampled_from(
            [0, 437, 932, 936, 949, 950, 1250, 1251, 1252, 20127, 20866, 28591, 50220, 65001, 99999]
        ),
        max_size=4,
    ),
)
def test_decode_string8_never_raises(raw: bytes, cps: list[int]) -> None:
    assert isinstance(decode_string8(raw, cps), str)


@given(st.binary(max_size=60))
def test_cp1252_decoding_round_trips_every_byte_string(raw: bytes) -> None:
    # Bytes that are not cp1252 but valid UTF-8 (e.g. C4 81) are read as UTF-8 by design.
    with contextlib.suppress(UnicodeDecodeError):
        raw.decode("cp1252")
        assert encode_string8(decode_string8(raw, [1252]), 1252) == raw
        return
    with contextlib.suppress(UnicodeDecodeError):
        assert decode_string8(raw, [1252]) == raw.decode("utf-8")
        return
    assert encode_string8(decode_string8(raw, [1252]), 1252) == raw


@given(
    st.binary(max_size=60), st.sampled_from([874, 1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258])
)
def test_single_byte_pages_round_trip_what_they_decode(raw: bytes, cp: int) -> None:
    try:
        raw.decode(python_codec(cp))
    except UnicodeDecodeError:
        return
    assert encode_string8(decode_string8(raw, [cp]), cp) == raw


def test_encode_string8_rejects_unrepresentable_text() -> None:
    with pytest.raises(InvalidParameterError, match="code page 1252"):
        encode_string8("日本", 1252)
    with pytest.raises(UnknownCodepageError):
        encode_string8("x", 4)


# Where extract-msg (the truth file) reads an ANSI subject wrongly, decided from the bytes:
EXTRACT_MSG_WRONG = {
    # No PR_MESSAGE_CODEPAGE; extract-msg falls back to ISO-8859-15 and shows mojibake.
    # PR_MESSAGE_LOCALE_ID 1049 (Russian) -> cp1251: "автоматически" (the file name says so).
    "files/poi/ASCII_CP1251_LCID1049.msg": "Subject автоматически Subject",
    # PR_INTERNET_CPID 950, locale 1028 (zh-TW): Big5 bytes ae e6 a6 a1 b4 fa b8 d5 = 格式測試.
    "files/poi/chinese-traditional.msg": "Alfresco MSG format testing ( MSG 格式測試 )",
}


@pytest.mark.corpus
def test_ansi_subjects_match_extract_msg_or_the_listed_corrections(corpus_dir: object) -> None:
    checked = 0
    for path in corpus_messages():
        rel = relpath(path)
        expected = truth().get(rel, {}).get("subject")
        if not isinstance(expected, str) or "clusterfuzz" in rel:
            continue
        root = open_ole(path)
        _, entries = parse_property_stream(
            root.read_stream("__properties_version1.0"), StreamKind.TOP_LEVEL
        )
        props = {e.tag: e for e in entries}
        entry = props.get(0x0037001E)
        if entry is None:
            continue
        got = read_value(root, entry, codepage=string8_codepages(props))
        # extract-msg keeps a stored terminator (POI blank.msg and older files); we strip it.
        want = EXTRACT_MSG_WRONG.get(rel, expected.rstrip("\0"))
        assert got == want, rel
        checked += 1
    assert checked >= 50


@pytest.mark.corpus
def test_ansi_declared_utf8_html_body_is_utf8(corpus_dir: object) -> None:
    # PR_BODY_HTML follows PR_INTERNET_CPID (UTF-8) while the subject is cp1252.
    root = open_ole(corpus_dir / "files/poi/ASCII_UTF-8_CP1252_LCID1031_HTML.msg")  # type: ignore[operator]
    _, entries = parse_property_stream(
        root.read_stream("__properties_version1.0"), StreamKind.TOP_LEVEL
    )
    props = {e.tag: e for e in entries}
    html = read_value(root, props[0x1013001E], codepage=string8_codepages(props, 0x1013001E))
    subject = read_value(root, props[0x0037001E], codepage=string8_codepages(props))
    assert "HTML öäü" in str(html)
    assert subject == "Subject öäü Subject"


def test_cp936_euro_sign_is_the_single_byte_0x80_as_on_windows() -> None:
    assert decode_string8(b"\x80 5", [936]) == "\u20ac 5"
    assert decode_string8("中文".encode("gbk") + b"\x80", [936]) == "中文\u20ac"
    assert encode_string8("\u20ac中", 936) == b"\x80" + "中".encode("gbk")


def test_iso2022jp_reads_nec_and_ibm_extensions_like_windows() -> None:
    # Python's iso2022_jp refuses row 13 (①, ㈱) and NEC-selected IBM rows (髙);
    # Windows code page 50220 maps them through cp932.
    raw = b"\x1b$B-!-j|b\x1b(B"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("iso2022_jp")
    assert decode_string8(raw, [50220]) == "①㈱髙"
    assert decode_string8(raw, []) == "①㈱髙"  # the escapes identify it
    assert encode_string8("①㈱髙", 50220) == raw


def test_iso2022jp_half_width_katakana_per_code_page() -> None:
    assert encode_string8("ｶﾞ", 50221) == b"\x1b(I6^\x1b(B"
    assert encode_string8("ｶﾞ", 50220) == b"\x1b$B%,\x1b(B"  # 50220 widens to ガ
    assert decode_string8(b"\x1b(I6^\x1b(B", [50221]) == "ｶﾞ"
    assert decode_string8(b"\x0e6^\x0f", [50222]) == "ｶﾞ"  # SO/SI form


def test_iso2022jp_agrees_with_python_on_every_jis_x_0208_character() -> None:
    from imsg_core.props.iso2022jp import decode_iso2022jp_ms, encode_iso2022jp_ms

    checked = 0
    for s1 in [*range(0x81, 0xA0), *range(0xE0, 0xF0)]:
        for s2 in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                ch = bytes((s1, s2)).decode("cp932")
            except UnicodeDecodeError:
                continue
            if ch.encode("cp932") != bytes((s1, s2)):
                continue  # duplicate mappings: cp932 encodes the other code
            data = encode_iso2022jp_ms(ch, 50221)
            assert decode_iso2022jp_ms(data) == ch
            with contextlib.suppress(UnicodeEncodeError):
                assert ch.encode("iso2022_jp") == data
            checked += 1
    assert checked > 7000


@given(st.binary(max_size=40))
def test_iso2022jp_decoder_never_raises_in_replace_mode(raw: bytes) -> None:
    from imsg_core.props.iso2022jp import decode_iso2022jp_ms

    assert isinstance(decode_iso2022jp_ms(raw, "replace"), str)
