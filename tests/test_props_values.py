"""Property values: every type round-trips through write_value/read_value; on-disk layout
follows spec oxmsg §3.3/§5.1; bad values and missing streams give MAPI errors."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from test_props_support import corpus_messages
from test_props_support import open_ole
from test_props_support import property_storages
from test_props_support import relpath

import imsg_core
from imsg_core._storage import Storage
from imsg_core.errors import CorruptDataError
from imsg_core.errors import InvalidParameterError
from imsg_core.errors import MAPIError
from imsg_core.props import PROPATTR_READABLE
from imsg_core.props import ErrorValue
from imsg_core.props import FileTime
from imsg_core.props import ObjectValue
from imsg_core.props import PropType
from imsg_core.props import RawEntry
from imsg_core.props import apptime_to_datetime
from imsg_core.props import datetime_to_apptime
from imsg_core.props import delete_value_streams
from imsg_core.props import is_fixed
from imsg_core.props import make_tag
from imsg_core.props import parse_property_stream
from imsg_core.props import prop_type
from imsg_core.props import read_value
from imsg_core.props import substg_name
from imsg_core.props import tags as T
from imsg_core.props import write_value

KNOWN_TYPES = frozenset(int(t) for t in PropType)
FIXTURE_OK = HealthCheck.function_scoped_fixture
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def mem() -> Iterator[Storage]:
    with imsg_core.Session() as s:
        yield s.create_storage("mem://props")


def text(**kw: object) -> st.SearchStrategy[str]:
    # Single-valued strings lose trailing NULs on reading (Outlook stores no terminator).
    return st.text(**kw).filter(lambda t: not t.endswith("\0"))  # type: ignore[arg-type]


def _filetime(ticks: int) -> FileTime:
    return FileTime.from_ticks(ticks)


i16 = st.integers(-0x8000, 0x7FFF)
i32 = st.integers(-0x80000000, 0x7FFFFFFF)
i64 = st.integers(-(1 << 63), (1 << 63) - 1)
f32 = st.floats(width=32, allow_nan=False)
f64 = st.floats(allow_nan=False)
currency = st.integers(-(1 << 63), (1 << 63) - 1).map(lambda n: Decimal(n).scaleb(-4))
systime = st.integers(0, (1 << 63) - 1).map(_filetime)
guid = st.uuids()
binary = st.binary(max_size=300)
cp1252 = st.characters(codec="cp1252", min_codepoint=1)

STRATEGIES: dict[int, st.SearchStrategy[object]] = {
    PropType.PT_NULL: st.none(),
    PropType.PT_I2: i16,
    PropType.PT_LONG: i32,
    PropType.PT_R4: f32,
    PropType.PT_DOUBLE: f64,
    PropType.PT_CURRENCY: currency,
    PropType.PT_APPTIME: f64,
    PropType.PT_ERROR: st.integers(0, 0xFFFFFFFF).map(ErrorValue),
    PropType.PT_BOOLEAN: st.booleans(),
    PropType.PT_I8: i64,
    PropType.PT_STRING8: text(alphabet=cp1252, max_size=80),
    PropType.PT_UNICODE: text(max_size=80),
    PropType.PT_SYSTIME: systime,
    PropType.PT_CLSID: guid,
    PropType.PT_SVREID: binary,
    PropType.PT_SRESTRICT: binary,
    PropType.PT_ACTIONS: binary,
    PropType.PT_BINARY: binary,
    PropType.PT_OBJECT: st.builds(ObjectValue, st.just(0xFFFFFFFF), st.sampled_from([1, 4])),
    PropType.PT_MV_I2: st.lists(i16, max_size=10),
    PropType.PT_MV_LONG: st.lists(i32, max_size=10),
    PropType.PT_MV_R4: st.lists(f32, max_size=10),
    PropType.PT_MV_DOUBLE: st.lists(f64, max_size=10),
    PropType.PT_MV_CURRENCY: st.lists(currency, max_size=10),
    PropType.PT_MV_APPTIME: st.lists(f64, max_size=10),
    PropType.PT_MV_I8: st.lists(i64, max_size=10),
    PropType.PT_MV_STRING8: st.lists(st.text(alphabet=cp1252, max_size=30), max_size=6),
    PropType.PT_MV_UNICODE: st.lists(
        st.text(max_size=30).filter(lambda t: "\0" not in t), max_size=6
    ),
    PropType.PT_MV_SYSTIME: st.lists(systime, max_size=10),
    PropType.PT_MV_CLSID: st.lists(guid, max_size=10),
    PropType.PT_MV_BINARY: st.lists(binary, max_size=6),
}


def test_every_storable_type_has_a_strategy() -> None:
    storable = {t for t in PropType if t != PropType.PT_UNSPECIFIED}
    assert storable == set(STRATEGIES)


def _same(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, FileTime) and isinstance(b, FileTime):
        return a.ticks == b.ticks
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("ptype", list(STRATEGIES), ids=lambda t: PropType(t).name)
@SETTINGS
@given(data=st.data())
def test_value_round_trips_through_storage(mem: Storage, ptype: int, data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[ptype])
    tag = make_tag(0x8123, ptype)
    entry = write_value(mem, tag, value, codepage=1252)
    assert entry.tag == tag and len(entry.value) == 8
    # The entry survives a property-stream round trip too.
    got = read_value(mem, entry, codepage=1252)
    assert _same(got, value), (got, value)
    if is_fixed(ptype):
        assert not mem.exists(substg_name(tag))


def test_unicode_string_layout_has_no_terminator_and_size_plus_two(mem: Storage) -> None:
    e = write_value(mem, T.PR_SUBJECT, "Hi")
    assert mem.read_stream("__substg1.0_0037001F") == "Hi".encode("utf-16-le")
    assert struct.unpack("<II", e.value) == (6, 0)
    assert e.flags == 6


def test_string8_layout_size_plus_one_and_code_page(mem: Storage) -> None:
    tag = make_tag(0x0037, PropType.PT_STRING8)
    e = write_value(mem, tag, "Привет", codepage=1251)
    assert mem.read_stream("__substg1.0_0037001E") == "Привет".encode("cp1251")
    assert e.size_field == 7
    assert read_value(mem, e, codepage=[1251]) == "Привет"
    with pytest.raises(InvalidParameterError, match="code page 1252"):
        write_value(mem, tag, "Привет", codepage=1252)


def test_mv_string_layout_lengths_include_terminator(mem: Storage) -> None:
    tag = make_tag(0x8001, PropType.PT_MV_UNICODE)
    e = write_value(mem, tag, ["ab", ""])
    assert mem.read_stream(substg_name(tag)) == struct.pack("<II", 6, 2)
    assert mem.read_stream(substg_name(tag, 0)) == "ab\0".encode("utf-16-le")
    assert mem.read_stream(substg_name(tag, 1)) == b"\0\0"
    assert e.size_field == 8
    assert substg_name(tag, 1) == "__substg1.0_8001101F-00000001"


def test_mv_binary_lengths_are_8_byte_records(mem: Storage) -> None:
    tag = make_tag(0x8002, PropType.PT_MV_BINARY)
    write_value(mem, tag, [b"abc", b"de"])
    assert mem.read_stream(substg_name(tag)) == struct.pack("<IIII", 3, 0, 2, 0)


def test_rewriting_a_shorter_mv_value_removes_stale_element_streams(mem: Storage) -> None:
    tag = make_tag(0x8003, PropType.PT_MV_BINARY)
    write_value(mem, tag, [b"1", b"2", b"3"])
    e = write_value(mem, tag, [b"x"])
    assert not mem.exists(substg_name(tag, 1)) and not mem.exists(substg_name(tag, 2))
    assert read_value(mem, e) == [b"x"]
    delete_value_streams(mem, tag)
    assert [x.name for x in mem.list()] == []


def test_fixed_values_are_little_endian_in_the_entry(mem: Storage) -> None:
    assert write_value(mem, T.PR_IMPORTANCE, 2).value == b"\x02" + bytes(7)
    assert write_value(mem, T.PR_HASATTACH, True).value == b"\x01" + bytes(7)
    e = write_value(mem, T.PR_RENDERING_POSITION, 0xFFFFFFFF)  # unsigned accepted
    assert read_value(mem, e) == -1  # PT_LONG reads as MAPI's signed LONG


def test_boolean_reads_ignore_outlook_junk_padding(mem: Storage) -> None:
    # Observed in the corpus: 00 00 b7 35 (false) and 01 00 6f 00 (true).
    assert read_value(mem, RawEntry(T.PR_HASATTACH, 6, bytes.fromhex("0000b73500000000"))) is False
    assert read_value(mem, RawEntry(T.PR_HASATTACH, 6, bytes.fromhex("01006f0000000000"))) is True
    assert read_value(mem, RawEntry(T.PR_IMPORTANCE, 6, bytes.fromhex("01000000deadbeef"))) == 1


def test_systime_is_utc_and_keeps_100ns_ticks(mem: Storage) -> None:
    ft = FileTime.from_ticks(132_537_600_001_234_567)
    e = write_value(mem, T.PR_CREATION_TIME, ft)
    got = read_value(mem, e)
    assert isinstance(got, datetime) and got.tzinfo is UTC
    assert got.ticks == 132_537_600_001_234_567  # type: ignore[attr-defined]
    plain = datetime(2021, 1, 1, tzinfo=UTC)
    assert read_value(mem, write_value(mem, T.PR_CREATION_TIME, plain)) == plain
    naive = datetime(2021, 1, 1)  # taken as UTC
    assert read_value(mem, write_value(mem, T.PR_CREATION_TIME, naive)) == plain
    with pytest.raises(InvalidParameterError, match="1601"):
        write_value(mem, T.PR_CREATION_TIME, datetime(1500, 1, 1, tzinfo=UTC))


def test_systime_past_year_9999_keeps_its_ticks(mem: Storage) -> None:
    raw = struct.pack("<Q", 0x7FFFFFFFFFFFFFFF)
    got = read_value(mem, RawEntry(T.PR_CREATION_TIME, 6, raw))
    assert got.ticks == 0x7FFFFFFFFFFFFFFF  # type: ignore[attr-defined]
    assert write_value(mem, T.PR_CREATION_TIME, got).value == raw


def test_apptime_conversions() -> None:
    assert apptime_to_datetime(0.0) == datetime(1899, 12, 30, tzinfo=UTC)
    assert apptime_to_datetime(1.5) == datetime(1899, 12, 31, 12, tzinfo=UTC)
    assert datetime_to_apptime(datetime(1900, 1, 1, 6, tzinfo=UTC)) == 2.25


def test_currency_is_scaled_by_10000(mem: Storage) -> None:
    tag = make_tag(0x8004, PropType.PT_CURRENCY)
    e = write_value(mem, tag, Decimal("-1.5"))
    assert struct.unpack("<q", e.value)[0] == -15000
    assert read_value(mem, e) == Decimal("-1.5")


def test_object_entry_has_size_ffffffff_and_reserved_kind(mem: Storage) -> None:
    e = write_value(mem, T.PR_ATTACH_DATA_OBJ, ObjectValue())
    assert (e.size_field, e.reserved_field) == (0xFFFFFFFF, 1)
    assert read_value(
        mem, RawEntry(T.PR_ATTACH_DATA_OBJ, 6, struct.pack("<II", 0xFFFFFFFF, 4))
    ) == ObjectValue(0xFFFFFFFF, 4)


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        (T.PR_SUBJECT, b"bytes"),
        (T.PR_SUBJECT, 5),
        (T.PR_IMPORTANCE, "2"),
        (T.PR_IMPORTANCE, True),
        (T.PR_IMPORTANCE, 1 << 32),
        (T.PR_HASATTACH, "yes"),
        (T.PR_CREATION_TIME, 0),
        (T.PR_ENTRYID, "text"),
        (make_tag(0x8000, PropType.PT_CLSID), "not-a-uuid"),
        (make_tag(0x8000, PropType.PT_MV_LONG), 5),
        (make_tag(0x8000, PropType.PT_MV_LONG), [1, "2"]),
        (make_tag(0x8000, PropType.PT_MV_UNICODE), "abc"),
        (make_tag(0x8000, PropType.PT_R4), 1e300),
        (make_tag(0x8000, PropType.PT_NULL), 0),
        (make_tag(0x8000, PropType.PT_UNSPECIFIED), 0),
        (T.PR_ATTACH_DATA_OBJ, b""),
    ],
)
def test_type_mismatch_raises_invalid_parameter(mem: Storage, tag: int, value: object) -> None:
    with pytest.raises(InvalidParameterError) as info:
        write_value(mem, tag, value)
    assert info.value.name == "MAPI_E_INVALID_PARAMETER"
    assert f"0x{tag:08X}" in str(info.value)


def test_missing_value_stream_raises_corrupt_data_naming_it(mem: Storage) -> None:
    for tag in (T.PR_SUBJECT, T.PR_ENTRYID, make_tag(0x8000, PropType.PT_MV_LONG)):
        with pytest.raises(CorruptDataError, match=substg_name(tag)):
            read_value(
                mem,
                RawEntry(tag, 6, struct.pack("<II", 10, 0)),
                where="__recip_version1.0_#00000000",
            )
    tag = make_tag(0x8001, PropType.PT_MV_UNICODE)
    mem.write_stream(substg_name(tag), struct.pack("<I", 4))  # one element, its stream missing
    with pytest.raises(CorruptDataError, match="8001101F-00000000"):
        read_value(mem, RawEntry(tag, 6, bytes(8)))


def test_where_may_be_a_callable_evaluated_only_on_error(mem: Storage) -> None:
    calls: list[int] = []

    def where() -> str:
        calls.append(1)
        return "__attach_version1.0_#00000002"

    write_value(mem, T.PR_SUBJECT, "x")
    assert read_value(mem, RawEntry(T.PR_SUBJECT, 6, bytes(8)), where=where) == "x"
    assert calls == []
    with pytest.raises(CorruptDataError, match=r"__attach_version1\.0_#00000002"):
        read_value(mem, RawEntry(T.PR_ENTRYID, 6, bytes(8)), where=where)
    assert calls == [1]


def test_truncated_mv_streams_raise_corrupt_data(mem: Storage) -> None:
    tag = make_tag(0x8000, PropType.PT_MV_LONG)
    mem.write_stream(substg_name(tag), b"\x01\x02\x03")
    with pytest.raises(CorruptDataError, match="not a whole number"):
        read_value(mem, RawEntry(tag, 6, bytes(8)))
    tag = make_tag(0x8001, PropType.PT_MV_BINARY)
    mem.write_stream(substg_name(tag), bytes(12))
    with pytest.raises(CorruptDataError, match="multiple of 8"):
        read_value(mem, RawEntry(tag, 6, bytes(8)))


def test_strings_are_read_leniently(mem: Storage) -> None:
    # POI's blank.msg stores terminators; odd UTF-16 lengths lose the stray byte.
    mem.write_stream("__substg1.0_0037001F", "ab\0".encode("utf-16-le") + b"x")
    assert read_value(mem, RawEntry(T.PR_SUBJECT, 6, bytes(8))) == "ab"
    mem.write_stream("__substg1.0_0037001E", b"ab\0")
    assert read_value(mem, RawEntry(0x0037001E, 6, bytes(8))) == "ab"
    mem.write_stream("__substg1.0_0037001F", b"\x00\xd8")  # lone surrogate kept
    assert read_value(mem, RawEntry(T.PR_SUBJECT, 6, bytes(8))) == "\ud800"


def test_unknown_type_reads_stream_or_raw_value(mem: Storage) -> None:
    tag = make_tag(0x8000, 0x0033)
    assert read_value(mem, RawEntry(tag, 6, b"12345678")) == b"12345678"
    mem.write_stream(substg_name(tag), b"data")
    assert read_value(mem, RawEntry(tag, 6, b"12345678")) == b"data"


def test_write_value_default_flags_and_given_flags(mem: Storage) -> None:
    assert write_value(mem, T.PR_IMPORTANCE, 1).flags == 6
    assert write_value(mem, T.PR_IMPORTANCE, 1, flags=PROPATTR_READABLE).flags == 2


def test_write_to_read_only_storage_raises_storage_error() -> None:
    with imsg_core.Session() as s:
        w = s.create_storage("mem://ro")
        w.commit()
        w.close()
        ro = s.open_storage("mem://ro", "r")
        with pytest.raises(MAPIError):
            write_value(ro, T.PR_SUBJECT, "x")


@pytest.mark.corpus
def test_every_corpus_value_reads_and_round_trips(corpus_dir: object) -> None:
    """Every property of every property stream of every corpus message reads without an
    exception other than CorruptDataError, and writing what was read gives it back."""
    read = corrupt = 0
    corrupt_files: set[str] = set()
    session = imsg_core.Session()
    for path in corpus_messages():
        root = open_ole(path)
        for where, storage, kind in property_storages(root):
            _, entries = parse_property_stream(storage.read_stream("__properties_version1.0"), kind)
            mem = session.create_storage("mem://")
            for e in entries:
                try:
                    value = read_value(storage, e, codepage=[1252], where=where)
                except CorruptDataError:
                    corrupt += 1
                    corrupt_files.add(relpath(path))
                    continue
                read += 1
                if prop_type(e.tag) == PropType.PT_UNSPECIFIED or prop_type(e.tag) & 0x2000:
                    continue
                if prop_type(e.tag) not in KNOWN_TYPES:
                    continue
                again = read_value(
                    mem, write_value(mem, e.tag, value, codepage=1252), codepage=[1252]
                )
                assert _same(again, value), (relpath(path), where, hex(e.tag))
    session.close()
    assert read > 30_000
    # Values that cannot be read, decided from the bytes:
    expected = {
        # entry for PR_SENT_REPRESENTING_EMAIL_ADDRESS (0x0065001F), no stream for it
        "files/bbottema-omp/Test at sign in personal From header.msg",
    }
    fuzzed = {f for f in corrupt_files if "clusterfuzz" in f}  # fuzzer-damaged files
    assert corrupt_files - fuzzed == expected


def test_filetimes_are_independent_objects() -> None:
    a = FileTime.from_ticks(0xFFFFFFFFFFFFFFF0)
    b = FileTime.from_ticks(0xFFFFFFFFFFFFFFF1)
    c = FileTime.from_ticks(3)
    d = FileTime.from_ticks(0)
    assert (a.ticks, b.ticks, c.ticks, d.ticks) == (0xFFFFFFFFFFFFFFF0, 0xFFFFFFFFFFFFFFF1, 3, 0)
    assert FileTime.from_ticks(7).ticks == 7 and FileTime.from_ticks(0).ticks == 0
    import pickle

    assert pickle.loads(pickle.dumps(c)).ticks == 3


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ptype=st.one_of(st.sampled_from([int(t) for t in PropType]), st.integers(0, 0xFFFF)),
    value=st.binary(min_size=8, max_size=8),
    streams=st.tuples(
        st.one_of(st.none(), st.binary(max_size=64)),
        st.lists(st.binary(max_size=16), max_size=3),
    ),
    cps=st.lists(st.sampled_from([932, 950, 1251, 1252, 20127, 50220, 65001, 7]), max_size=3),
)
def test_read_value_on_arbitrary_bytes_raises_only_corrupt_data(
    mem: Storage,
    ptype: int,
    value: bytes,
    streams: tuple[bytes | None, list[bytes]],
    cps: list[int],
) -> None:
    stream, elements = streams
    tag = make_tag(0x8100, ptype)
    for e in mem.list():
        mem.destroy(e.name)
    if stream is not None:
        mem.write_stream(substg_name(tag), stream)
    for i, data in enumerate(elements):
        mem.write_stream(substg_name(tag, i), data)
    try:
        read_value(mem, RawEntry(tag, 6, value), codepage=cps, where="fuzz")
    except CorruptDataError as exc:
        message = str(exc)
        assert "fuzz" in message


any_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(1 << 70), 1 << 70),
        st.floats(),
        st.text(max_size=10),
        st.binary(max_size=10),
        st.uuids(),
        st.datetimes(timezones=st.just(UTC)),
        st.decimals(),
        st.builds(ErrorValue, st.integers(0, 0xFFFFFFFF)),
    ),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ptype=st.sampled_from([int(t) for t in PropType]), value=any_value)
def test_write_value_with_any_python_value_raises_only_invalid_parameter(
    mem: Storage, ptype: int, value: object
) -> None:
    tag = make_tag(0x8200, ptype)
    try:
        entry = write_value(mem, tag, value, codepage=1252)
    except InvalidParameterError:
        return
    read_value(mem, entry, codepage=[1252])  # whatever was accepted reads back


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.tuples(st.just(0x001F), st.text()),
        st.tuples(st.just(0x0003), st.integers(-(1 << 33), 1 << 33)),
        st.tuples(st.just(0x0003), st.booleans()),
        st.tuples(st.just(0x000B), st.one_of(st.booleans(), st.integers(-2, 2))),
        st.tuples(st.just(0x0102), st.binary(max_size=300)),
        st.tuples(st.just(0x001E), st.text(alphabet="abc\u00e9", max_size=20)),
    ),
    st.integers(0, 0xFFFF),
    st.integers(-1, 0x1_0000_0000),
)
def test_write_value_fast_cases_encode_like_the_general_path(
    case: tuple[int, object], prop_id: int, flags: int
) -> None:
    from imsg_core.props.values import StreamCollector
    from imsg_core.props.values import _write_any
    from imsg_core.props.values import write_value

    ptype, value = case
    tag = (prop_id << 16) | ptype
    outcomes = []
    for writer in (write_value, _write_any):
        sink = StreamCollector()
        try:
            entry = writer(sink, tag, value, flags=flags, codepage=1252)
        except Exception as exc:  # the same error, or the same result
            outcomes.append((type(exc), str(exc)))
        else:
            outcomes.append((entry.tag, entry.flags, bytes(entry.value), sink.streams))
    assert outcomes[0] == outcomes[1]
