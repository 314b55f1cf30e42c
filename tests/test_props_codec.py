"""The property stream ``__properties_version1.0``: headers, entries, leniency, corpus."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_props_support import corpus_messages
from test_props_support import open_ole
from test_props_support import property_storages
from test_props_support import relpath

from imsg_core.errors import CorruptDataError
from imsg_core.errors import InvalidParameterError
from imsg_core.props import PropertyStreamHeader
from imsg_core.props import RawEntry
from imsg_core.props import StreamKind
from imsg_core.props import build_property_stream
from imsg_core.props import parse_property_stream

u32 = st.integers(0, 0xFFFFFFFF)
entries_st = st.lists(st.builds(RawEntry, u32, u32, st.binary(min_size=8, max_size=8)), max_size=40)
kinds = st.sampled_from(list(StreamKind))


def test_header_sizes_follow_the_spec() -> None:
    assert StreamKind.TOP_LEVEL.header_size == 32
    assert StreamKind.EMBEDDED.header_size == 24
    assert StreamKind.CHILD.header_size == 8


def test_top_level_header_fields_are_at_spec_offsets() -> None:
    hdr = PropertyStreamHeader(1, 2, 3, 4)
    data = build_property_stream(hdr, [RawEntry(0x0037001F, 6, struct.pack("<II", 12, 0))])
    assert len(data) == 48
    assert data[:8] == bytes(8) and data[24:32] == bytes(8)
    assert struct.unpack_from("<IIII", data, 8) == (1, 2, 3, 4)
    assert struct.unpack_from("<II", data, 32) == (0x0037001F, 6)


def test_child_stream_has_eight_reserved_bytes_and_no_counters() -> None:
    data = build_property_stream(None, [RawEntry(0x37050003, 6, b"\x01" + bytes(7))])
    assert data[:8] == bytes(8) and len(data) == 24
    hdr, entries = parse_property_stream(data, StreamKind.CHILD)
    assert hdr == PropertyStreamHeader(kind=StreamKind.CHILD)
    assert entries == [RawEntry(0x37050003, 6, b"\x01" + bytes(7))]


@given(st.tuples(u32, u32, u32, u32), entries_st, kinds)
def test_parse_build_round_trip(
    counters: tuple[int, int, int, int], entries: list[RawEntry], kind: StreamKind
) -> None:
    hdr = PropertyStreamHeader(*counters, kind=kind)
    if kind is StreamKind.CHILD:
        hdr = PropertyStreamHeader(kind=kind)
    data = build_property_stream(hdr, entries)
    assert len(data) == kind.header_size + 16 * len(entries)
    assert parse_property_stream(data, kind) == (hdr, entries)


def test_well_formed_embedded_stream_is_never_taken_for_a_32_byte_header() -> None:
    entries = [RawEntry(0, 0, bytes(8)), RawEntry(0x0037001F, 6, bytes(8))]
    data = build_property_stream(PropertyStreamHeader(kind=StreamKind.EMBEDDED), entries)
    assert parse_property_stream(data, StreamKind.EMBEDDED)[1] == entries


def test_embedded_stream_written_with_32_byte_header_is_recognised() -> None:
    # aspose-email-foss writes embedded messages with the top-level header.
    entries = [RawEntry(0x00170003, 6, b"\x01" + bytes(7)), RawEntry(0x001A001F, 6, bytes(8))]
    data = build_property_stream(PropertyStreamHeader(2, 1, 2, 1), entries, StreamKind.TOP_LEVEL)
    hdr, got = parse_property_stream(data, StreamKind.EMBEDDED)
    assert got == entries
    assert (hdr.next_recipient_id, hdr.attachment_count) == (2, 1)


def test_trailing_partial_entry_is_ignored() -> None:
    entries = [RawEntry(0x00170003, 6, b"\x01" + bytes(7))]
    data = build_property_stream(PropertyStreamHeader(), entries) + b"\x01\x02\x03\x04"
    assert parse_property_stream(data, StreamKind.TOP_LEVEL)[1] == entries


@pytest.mark.parametrize("kind", list(StreamKind))
def test_stream_shorter_than_header_raises_corrupt_data_naming_the_place(kind: StreamKind) -> None:
    with pytest.raises(CorruptDataError) as info:
        parse_property_stream(
            bytes(kind.header_size - 1), kind, where="__attach_version1.0_#00000003"
        )
    assert "__attach_version1.0_#00000003/__properties_version1.0" in str(info.value)
    assert "offset 0" in str(info.value)
    assert info.value.name == "MAPI_E_CORRUPT_DATA"


@given(st.binary(max_size=300), kinds)
def test_any_bytes_parse_or_raise_corrupt_data_only(data: bytes, kind: StreamKind) -> None:
    try:
        _, entries = parse_property_stream(data, kind)
    except CorruptDataError:
        assert len(data) < kind.header_size
        return
    assert all(len(e.value) == 8 for e in entries)
    assert len(entries) <= len(data) // 16


def test_build_rejects_values_that_do_not_fit() -> None:
    with pytest.raises(InvalidParameterError):
        build_property_stream(None, [RawEntry(0x00170003, 6, bytes(9))])
    with pytest.raises(InvalidParameterError):
        build_property_stream(None, [RawEntry(1 << 32, 6, bytes(8))])
    with pytest.raises(InvalidParameterError):
        build_property_stream(PropertyStreamHeader(-1), [])


def test_entry_size_and_reserved_fields() -> None:
    e = RawEntry(0x3701000D, 6, struct.pack("<II", 0xFFFFFFFF, 1))
    assert (e.size_field, e.reserved_field) == (0xFFFFFFFF, 1)


@pytest.mark.corpus
def test_every_corpus_property_stream_round_trips(corpus_dir: object) -> None:
    """parse -> build gives the original bytes (reserved header bytes zeroed, a trailing
    partial entry dropped), and parse(build(x)) == x, for every property stream."""
    streams = 0
    normalised: list[str] = []
    for path in corpus_messages():
        root = open_ole(path)
        for where, storage, kind in property_storages(root):
            data = storage.read_stream("__properties_version1.0")
            hdr, entries = parse_property_stream(data, kind, where=where)
            rebuilt = build_property_stream(hdr, entries)
            assert parse_property_stream(rebuilt, kind) == (hdr, entries)
            hsize = kind.header_size
            if kind is StreamKind.EMBEDDED and (len(data) - 24) % 16 == 8 and len(data) >= 32:
                hsize = 32  # aspose's top-level header in an embedded message
            body = data[hsize : hsize + 16 * len(entries)]
            assert rebuilt[kind.header_size :] == body, f"{relpath(path)}{where}"
            expected_header = bytearray(data[: kind.header_size])
            expected_header[:8] = bytes(8)
            if kind is StreamKind.TOP_LEVEL:
                expected_header[24:32] = bytes(8)
            assert rebuilt[: kind.header_size] == bytes(expected_header), f"{relpath(path)}{where}"
            if rebuilt != data:
                normalised.append(f"{relpath(path)}{where}")
            streams += 1
    assert streams > 2000
    # Only reserved header bytes, aspose's embedded header and one stray tail differ.
    assert len(normalised) < 10, normalised
