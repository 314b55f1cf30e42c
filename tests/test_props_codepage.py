"""Code pages for PT_STRING8: Windows -> Python codecs, the choosing rule, the decoder's
fallbacks, and the corpus's ANSI messages (checked against extract-msg where it is right)."""

from __future__ import annotations

import codecs
import contextlib
import encodings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_props_support import corpus_messages
from test_props_support import open_ole
from test_props_support import relpath
from test_props_support import truth

from imsg_core.errors import InvalidParameterError
from imsg_core.props import RawEntry
from imsg_core.props import StreamKind
from imsg_core.props import UnknownCodepageError
from imsg_core.props import ansi_codepage
from imsg_core.props import decode_string8
from imsg_core.props import encode_string8
from imsg_core.props import is_known_codepage
from imsg_core.props import message_codepage
from imsg_core.props import parse_property_stream
from imsg_core.props import python_codec
from imsg_core.props import read_value
from imsg_core.props import string8_codepages
from imsg_core.props.codepage import codec_name
from imsg_core.props.codepage import is_eight_bit

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
    from imsg_core.props.iso2022jp import decode_iso2022jp_ms
    from imsg_core.props.iso2022jp import encode_iso2022jp_ms

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


# --------------------------------------------------------------------------- the one table
# Microsoft's "Code Page Identifiers" table (learn.microsoft.com/windows/win32/intl/
# code-page-identifiers), which ../shared/spec/ names but does not reproduce: every
# identifier with its .NET name (None where the table gives none).
MS_CODE_PAGES: tuple[tuple[int, str | None], ...] = (
    (37, "IBM037"),
    (437, "IBM437"),
    (500, "IBM500"),
    (708, "ASMO-708"),
    (709, None),
    (710, None),
    (720, "DOS-720"),
    (737, "ibm737"),
    (775, "ibm775"),
    (850, "ibm850"),
    (852, "ibm852"),
    (855, "IBM855"),
    (857, "ibm857"),
    (858, "IBM00858"),
    (860, "IBM860"),
    (861, "ibm861"),
    (862, "DOS-862"),
    (863, "IBM863"),
    (864, "IBM864"),
    (865, "IBM865"),
    (866, "cp866"),
    (869, "ibm869"),
    (870, "IBM870"),
    (874, "windows-874"),
    (875, "cp875"),
    (932, "shift_jis"),
    (936, "gb2312"),
    (949, "ks_c_5601-1987"),
    (950, "big5"),
    (1026, "IBM1026"),
    (1047, "IBM01047"),
    (1140, "IBM01140"),
    (1141, "IBM01141"),
    (1142, "IBM01142"),
    (1143, "IBM01143"),
    (1144, "IBM01144"),
    (1145, "IBM01145"),
    (1146, "IBM01146"),
    (1147, "IBM01147"),
    (1148, "IBM01148"),
    (1149, "IBM01149"),
    (1200, "utf-16"),
    (1201, "unicodeFFFE"),
    (1250, "windows-1250"),
    (1251, "windows-1251"),
    (1252, "windows-1252"),
    (1253, "windows-1253"),
    (1254, "windows-1254"),
    (1255, "windows-1255"),
    (1256, "windows-1256"),
    (1257, "windows-1257"),
    (1258, "windows-1258"),
    (1361, "Johab"),
    (10000, "macintosh"),
    (10001, "x-mac-japanese"),
    (10002, "x-mac-chinesetrad"),
    (10003, "x-mac-korean"),
    (10004, "x-mac-arabic"),
    (10005, "x-mac-hebrew"),
    (10006, "x-mac-greek"),
    (10007, "x-mac-cyrillic"),
    (10008, "x-mac-chinesesimp"),
    (10010, "x-mac-romanian"),
    (10017, "x-mac-ukrainian"),
    (10021, "x-mac-thai"),
    (10029, "x-mac-ce"),
    (10079, "x-mac-icelandic"),
    (10081, "x-mac-turkish"),
    (10082, "x-mac-croatian"),
    (12000, "utf-32"),
    (12001, "utf-32BE"),
    (20000, "x-Chinese_CNS"),
    (20001, "x-cp20001"),
    (20002, "x_Chinese-Eten"),
    (20003, "x-cp20003"),
    (20004, "x-cp20004"),
    (20005, "x-cp20005"),
    (20105, "x-IA5"),
    (20106, "x-IA5-German"),
    (20107, "x-IA5-Swedish"),
    (20108, "x-IA5-Norwegian"),
    (20127, "us-ascii"),
    (20261, "x-cp20261"),
    (20269, "x-cp20269"),
    (20273, "IBM273"),
    (20277, "IBM277"),
    (20278, "IBM278"),
    (20280, "IBM280"),
    (20284, "IBM284"),
    (20285, "IBM285"),
    (20290, "IBM290"),
    (20297, "IBM297"),
    (20420, "IBM420"),
    (20423, "IBM423"),
    (20424, "IBM424"),
    (20833, "x-EBCDIC-KoreanExtended"),
    (20838, "IBM-Thai"),
    (20866, "koi8-r"),
    (20871, "IBM871"),
    (20880, "IBM880"),
    (20905, "IBM905"),
    (20924, "IBM00924"),
    (20932, "EUC-JP"),
    (20936, "x-cp20936"),
    (20949, "x-cp20949"),
    (21025, "cp1025"),
    (21027, None),
    (21866, "koi8-u"),
    (28591, "iso-8859-1"),
    (28592, "iso-8859-2"),
    (28593, "iso-8859-3"),
    (28594, "iso-8859-4"),
    (28595, "iso-8859-5"),
    (28596, "iso-8859-6"),
    (28597, "iso-8859-7"),
    (28598, "iso-8859-8"),
    (28599, "iso-8859-9"),
    (28603, "iso-8859-13"),
    (28605, "iso-8859-15"),
    (29001, "x-Europa"),
    (38598, "iso-8859-8-i"),
    (50220, "iso-2022-jp"),
    (50221, "csISO2022JP"),
    (50222, "iso-2022-jp"),
    (50225, "iso-2022-kr"),
    (50227, "x-cp50227"),
    (50229, None),
    (50930, None),
    (50931, None),
    (50933, None),
    (50935, None),
    (50936, None),
    (50937, None),
    (50939, None),
    (51932, "euc-jp"),
    (51936, "EUC-CN"),
    (51949, "euc-kr"),
    (51950, None),
    (52936, "hz-gb-2312"),
    (54936, "GB18030"),
    (57002, "x-iscii-de"),
    (57003, "x-iscii-be"),
    (57004, "x-iscii-ta"),
    (57005, "x-iscii-te"),
    (57006, "x-iscii-as"),
    (57007, "x-iscii-or"),
    (57008, "x-iscii-ka"),
    (57009, "x-iscii-ma"),
    (57010, "x-iscii-gu"),
    (57011, "x-iscii-pa"),
    (65000, "utf-7"),
    (65001, "utf-8"),
)

#: The Python codec of every listed page Python can decode. Where Python knows both a
#: generic codec and Windows' own variant, Windows' variant: 932 cp932 (not shift_jis), 936
#: gbk (not gb2312), 949 cp949 (not euc_kr), 950 cp950 (not big5), 50221/50222
#: iso2022_jp_ext (the half-width katakana forms). 1200/1201/12000/12001 name the UTF-16/32
#: byte order (.NET "utf-16"/"utf-32" are little-endian).
EXPECTED: dict[int, str] = {
    37: "cp037",
    437: "cp437",
    500: "cp500",
    708: "iso8859_6",
    720: "cp720",
    737: "cp737",
    775: "cp775",
    850: "cp850",
    852: "cp852",
    855: "cp855",
    857: "cp857",
    858: "cp858",
    860: "cp860",
    861: "cp861",
    862: "cp862",
    863: "cp863",
    864: "cp864",
    865: "cp865",
    866: "cp866",
    869: "cp869",
    874: "cp874",
    875: "cp875",
    932: "cp932",
    936: "gbk",
    949: "cp949",
    950: "cp950",
    1026: "cp1026",
    1140: "cp1140",
    1200: "utf-16-le",
    1201: "utf-16-be",
    1250: "cp1250",
    1251: "cp1251",
    1252: "cp1252",
    1253: "cp1253",
    1254: "cp1254",
    1255: "cp1255",
    1256: "cp1256",
    1257: "cp1257",
    1258: "cp1258",
    1361: "johab",
    10000: "mac_roman",
    10001: "shift_jis",
    10002: "big5",
    10003: "euc_kr",
    10004: "mac_arabic",
    10006: "mac_greek",
    10007: "mac_cyrillic",
    10008: "gb2312",
    10010: "mac_romanian",
    10029: "mac_latin2",
    10079: "mac_iceland",
    10081: "mac_turkish",
    10082: "mac_croatian",
    12000: "utf-32-le",
    12001: "utf-32-be",
    20127: "ascii",
    20273: "cp273",
    20424: "cp424",
    20866: "koi8_r",
    20932: "euc_jp",
    20936: "gb2312",
    21866: "koi8_u",
    28591: "latin_1",
    28592: "iso8859_2",
    28593: "iso8859_3",
    28594: "iso8859_4",
    28595: "iso8859_5",
    28596: "iso8859_6",
    28597: "iso8859_7",
    28598: "iso8859_8",
    28599: "iso8859_9",
    28603: "iso8859_13",
    28605: "iso8859_15",
    38598: "iso8859_8",
    50220: "iso2022_jp",
    50221: "iso2022_jp_ext",
    50222: "iso2022_jp_ext",
    50225: "iso2022_kr",
    51932: "euc_jp",
    51936: "gb2312",
    51949: "euc_kr",
    52936: "hz",
    54936: "gb18030",
    65000: "utf_7",
    65001: "utf-8",
}
_MAC_ALIASES = {10002: "x_mac_trad_chinese", 10008: "x_mac_simp_chinese"}


def _python_knows(cp: int, net_name: str | None) -> bool:
    """Python has a codec for the page: by its .NET name, as cpNNN, or (Mac pages) under
    the name Python's own alias table gives it."""
    names = [net_name, f"cp{cp}", _MAC_ALIASES.get(cp)]
    names += [f"mac_{(net_name or '').removeprefix('x-mac-')}"]
    # The standard library's codecs only: packages may register more (ebcdic registers
    # cp870 and friends), which the resolver does not rely on.
    return any(name and encodings.search_function(name.lower()) is not None for name in names)


@pytest.mark.parametrize(("cp", "net_name"), MS_CODE_PAGES)
def test_every_listed_code_page_python_can_decode_is_resolved(
    cp: int, net_name: str | None
) -> None:
    if cp in EXPECTED:
        assert codecs.lookup(python_codec(cp)).name == codecs.lookup(EXPECTED[cp]).name
        assert is_known_codepage(cp)
    else:
        assert not _python_knows(cp, net_name), f"{cp} ({net_name}) has a Python codec"
        assert codec_name(cp) is None
        with pytest.raises(UnknownCodepageError):
            python_codec(cp)


def test_the_expected_table_only_names_listed_pages() -> None:
    listed = {cp for cp, _ in MS_CODE_PAGES}
    assert set(EXPECTED) <= listed


@pytest.mark.parametrize(("cp", "net_name"), MS_CODE_PAGES)
def test_bodies_and_rtf_resolve_code_pages_through_the_one_table(
    cp: int, net_name: str | None
) -> None:
    from imsg_core._bodies import codec_for_codepage
    from imsg_core.convert.rtf import _codec_for

    name = codec_name(cp)
    expected = None if name is None else codecs.lookup(name).name
    assert codec_for_codepage(cp) == expected
    # RTF text is 8-bit: UTF-16/32 and unknown pages fall back to Windows-1252, and so does
    # US-ASCII (a subset of it: stray high bytes read as string properties read them).
    rtf_expected = expected if is_eight_bit(cp) and expected != "ascii" else "cp1252"
    assert codecs.lookup(_codec_for(cp)).name == rtf_expected


@pytest.mark.parametrize(
    ("cp", "text"),
    [(20866, "привет"), (28592, "zażółć"), (950, "格式測試"), (10007, "Привет"), (51949, "한국")],
)
def test_rtf_hex_escapes_decode_in_the_documents_code_page(cp: int, text: str) -> None:
    from imsg_core.convert.rtf import deencapsulate_text

    raw = text.encode(python_codec(cp))
    escaped = "".join(f"\\'{b:02x}" for b in raw)
    doc = f"{{\\rtf1\\ansi\\ansicpg{cp}\\fromtext {escaped}}}".encode("ascii")
    assert deencapsulate_text(doc) == text


def test_html_body_in_code_page_950_decodes_as_windows_does() -> None:
    from imsg_core._bodies import decode_html

    # The euro sign is 0xA3E1 in Windows' cp950 and not in plain Big5.
    data = "<p>€</p>".encode("cp950")
    assert decode_html(data, 950) == "<p>€</p>"
