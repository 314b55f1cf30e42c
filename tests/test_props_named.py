"""Named properties: MAPINAMEID, property sets, the __nameid_version1.0 map and its CRC."""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from test_props_support import corpus_messages
from test_props_support import open_ole
from test_props_support import relpath

import imsg_core
from imsg_core._storage import Storage
from imsg_core.errors import CorruptDataError
from imsg_core.errors import InvalidParameterError
from imsg_core.props import MAPINAMEID
from imsg_core.props import PS_INTERNET_HEADERS
from imsg_core.props import PS_MAPI
from imsg_core.props import PS_PUBLIC_STRINGS
from imsg_core.props import NamedPropertyMap
from imsg_core.props import PSETID_Common
from imsg_core.props import PSETID_Meeting
from imsg_core.props import bucket_stream_name
from imsg_core.props import name_crc
from imsg_core.props import property_set
from imsg_core.props.named import ENTRY_STREAM
from imsg_core.props.named import GUID_STREAM
from imsg_core.props.named import NAMEID_STORAGE
from imsg_core.props.named import STRING_STREAM


@pytest.fixture
def mem() -> Iterator[Storage]:
    with imsg_core.Session() as s:
        yield s.create_storage("mem://named")


def test_crc_is_the_non_inverted_variant() -> None:
    assert name_crc(b"123456789") == 0x2DFD2D88
    assert name_crc(b"") == 0


def test_spec_bucket_vectors() -> None:
    # spec oxmsg §7.4 test vectors
    assert bucket_stream_name(0x811C, 4, 0) == "__substg1.0_101D0102"
    crc = name_crc("Keywords".encode("utf-16-le"))
    assert crc == 0x2EDA4D3B
    assert bucket_stream_name(crc, 2, 1) == "__substg1.0_10150102"
    crc = name_crc("content-type".encode("utf-16-le"))
    assert crc == 0x0450B859
    assert bucket_stream_name(crc, 3, 1) == "__substg1.0_10170102"
    assert bucket_stream_name(0x8501, 3, 0) == "__substg1.0_10110102"


def test_property_sets_by_name() -> None:
    assert property_set("PSETID_Common") == PSETID_Common
    assert property_set("common") == PSETID_Common
    assert property_set("ps_public_strings") == PS_PUBLIC_STRINGS
    assert property_set("PUBLIC_STRINGS") == PS_PUBLIC_STRINGS
    assert property_set("PSETID_Meeting") == uuid.UUID("6ED8DA90-450B-101B-98DA-00AA003F1305")
    assert property_set("{00062008-0000-0000-C000-000000000046}") == PSETID_Common
    with pytest.raises(InvalidParameterError, match="PSETID_Nope"):
        property_set("PSETID_Nope")


def test_mapinameid_validates_and_accepts_set_names() -> None:
    assert MAPINAMEID("common", 0x8501) == MAPINAMEID(PSETID_Common, 0x8501)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError):
        MAPINAMEID(PSETID_Common, 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError):
        MAPINAMEID(PSETID_Common, -1)
    with pytest.raises(InvalidParameterError, match="NUL"):
        MAPINAMEID(PSETID_Common, "a\0b")


def test_stored_name_terminators_are_not_part_of_the_name() -> None:
    strings = struct.pack("<I", 10) + "ab\0cd".encode("utf-16-le")
    entries = struct.pack("<IHH", 0, (2 << 1) | 1, 0)
    assert NamedPropertyMap.from_streams(b"", entries, strings).names == [
        MAPINAMEID(PS_PUBLIC_STRINGS, "ab")
    ]


def test_ids_from_names_create_and_lookup() -> None:
    m = NamedPropertyMap()
    names = [MAPINAMEID(PSETID_Common, 0x8501), MAPINAMEID(PS_PUBLIC_STRINGS, "Keywords")]
    assert m.ids_from_names(names) == [None, None]
    assert m.ids_from_names(names, create=True) == [0x8000, 0x8001]
    assert m.ids_from_names(list(reversed(names)), create=True) == [0x8001, 0x8000]
    assert m.names_from_ids([0x8000, 0x80010003, 0x8002, 0x0037]) == [
        names[0],
        names[1],
        None,
        MAPINAMEID(PS_MAPI, 0x0037),
    ]
    assert m.guids == [PSETID_Common]
    assert m.items() == [(0x8000, names[0]), (0x8001, names[1])]
    # PS_MAPI numeric names are the property IDs themselves, never stored.
    assert m.ids_from_names([MAPINAMEID(PS_MAPI, 0x0037)], create=True) == [0x0037]
    assert len(m) == 2
    with pytest.raises(InvalidParameterError):
        m.ids_from_names(["Keywords"])  # type: ignore[list-item]


def test_internet_header_names_are_case_insensitive_and_stored_lowercase() -> None:
    m = NamedPropertyMap()
    [pid] = m.ids_from_names([MAPINAMEID(PS_INTERNET_HEADERS, "X-Mailer")], create=True)
    assert m.names_from_ids([pid]) == [MAPINAMEID(PS_INTERNET_HEADERS, "x-mailer")]
    assert m.ids_from_names([MAPINAMEID(PS_INTERNET_HEADERS, "X-MAILER")]) == [pid]
    # Other sets are case-sensitive.
    m.ids_from_names([MAPINAMEID(PS_PUBLIC_STRINGS, "Keywords")], create=True)
    assert m.ids_from_names([MAPINAMEID(PS_PUBLIC_STRINGS, "keywords")]) == [None]


def test_saved_layout_matches_the_spec(mem: Storage) -> None:
    m = NamedPropertyMap()
    m.ids_from_names(
        [
            MAPINAMEID(PSETID_Common, 0x8501),
            MAPINAMEID(PS_PUBLIC_STRINGS, "Keywords"),
            MAPINAMEID(PSETID_Meeting, "abc"),
        ],
        create=True,
    )
    m.save(mem)
    nid = mem.open_storage(NAMEID_STORAGE)
    assert nid.read_stream(GUID_STREAM) == PSETID_Common.bytes_le + PSETID_Meeting.bytes_le
    assert nid.read_stream(ENTRY_STREAM) == struct.pack(
        "<IHHIHHIHH", 0x8501, 3 << 1, 0, 0, (2 << 1) | 1, 1, 20, (4 << 1) | 1, 2
    )
    # "Keywords" (16 bytes) then "abc" (6 bytes) at the next 4-byte boundary (20); no tail pad.
    strings = nid.read_stream(STRING_STREAM)
    assert strings == struct.pack("<I", 16) + "Keywords".encode("utf-16-le") + struct.pack(
        "<I", 6
    ) + "abc".encode("utf-16-le")
    assert nid.read_stream("__substg1.0_10150102") == struct.pack("<II", 0x2EDA4D3B, (1 << 16) | 5)
    assert nid.read_stream("__substg1.0_10110102") == struct.pack("<II", 0x8501, 6)
    assert NamedPropertyMap.load(mem) == m


def test_empty_map_still_writes_the_three_streams(mem: Storage) -> None:
    NamedPropertyMap().save(mem)
    nid = mem.open_storage(NAMEID_STORAGE)
    assert sorted(e.name for e in nid.list()) == sorted([GUID_STREAM, ENTRY_STREAM, STRING_STREAM])
    assert all(e.size == 0 for e in nid.list())


def test_missing_map_is_empty_and_a_stream_named_like_it_is_corrupt(mem: Storage) -> None:
    assert len(NamedPropertyMap.load(mem)) == 0
    mem.write_stream(NAMEID_STORAGE, b"junk")
    with pytest.raises(CorruptDataError, match="is a stream"):
        NamedPropertyMap.load(mem)


def test_damaged_entries_become_none_and_keep_their_ids() -> None:
    entries = struct.pack("<IHH", 0x8501, 9 << 1, 0)  # GUID index 9: no such GUID
    entries += struct.pack("<IHH", 400, (2 << 1) | 1, 1)  # string offset beyond the stream
    entries += struct.pack("<IHH", 0x1234, 1 << 1, 2) + b"\x01\x02"  # stray tail
    m = NamedPropertyMap.from_streams(b"", entries, b"")
    assert m.names == [None, None, MAPINAMEID(PS_MAPI, 0x1234)]
    assert len(m.problems) == 3
    assert m.ids_from_names([MAPINAMEID(PSETID_Common, 1)], create=True) == [0x8003]


name_st = st.builds(
    MAPINAMEID,
    st.sampled_from([PS_PUBLIC_STRINGS, PSETID_Common, PSETID_Meeting, PS_INTERNET_HEADERS]),
    st.one_of(
        st.integers(0, 0xFFFFFFFF),
        st.text(st.characters(blacklist_characters="\0"), min_size=1, max_size=20),
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(name_st, max_size=30))
def test_random_maps_round_trip_through_streams(names: list[MAPINAMEID]) -> None:
    m = NamedPropertyMap()
    ids = m.ids_from_names(names, create=True)
    streams = m.to_streams()
    again = NamedPropertyMap.from_streams(
        streams[GUID_STREAM], streams[ENTRY_STREAM], streams[STRING_STREAM]
    )
    assert again.names == m.names and not again.problems
    assert again.ids_from_names(names) == ids
    # Every name sits in exactly the bucket its key says.
    records = 0
    for stream, data in streams.items():
        if not stream.startswith("__substg1.0_10"):
            continue
        for off in range(0, len(data), 8):
            key, word = struct.unpack_from("<II", data, off)
            records += 1
            assert bucket_stream_name(key, (word & 0xFFFF) >> 1, word & 1) == stream
    assert records == len(m)


@given(st.binary(max_size=64), st.binary(max_size=80), st.binary(max_size=80))
def test_any_stream_bytes_load_without_raising(g: bytes, e: bytes, s: bytes) -> None:
    m = NamedPropertyMap.from_streams(g, e, s)
    assert len(m) == len(e) // 8


# Files whose saved map differs from the original in more than Outlook's junk padding,
# decided from the bytes:
BUCKET_DIFFERENCES = {
    # aspose-email-foss hashes "X-Custom-Header" (PS_PUBLIC_STRINGS) to 0x82C61098, which is
    # neither the spec CRC (0x82C22E2D) nor the CRC of any case variant: an aspose bug.
    "files/aspose-foss-generated/g02_medium_5x100k.msg",
}


@pytest.mark.corpus
def test_every_corpus_map_round_trips(corpus_dir: object) -> None:
    """Load each corpus map, save it into a memory storage, reload: identical names, GUIDs,
    entry stream and bucket records; string streams equal up to padding bytes."""
    loaded = names = 0
    bucket_diffs: set[str] = set()
    with imsg_core.Session() as session:
        for path in corpus_messages():
            root = open_ole(path)
            m = NamedPropertyMap.load(root)
            if "clusterfuzz" in str(path):
                continue  # fuzzer-damaged maps: covered by the damaged-entry tests
            mem = session.create_storage("mem://")
            m.save(mem)
            again = NamedPropertyMap.load(mem)
            assert again == m and not again.problems, relpath(path)
            loaded += 1
            names += len(m)
            if not root.exists(NAMEID_STORAGE) or not len(m):
                continue
            orig = root.open_storage(NAMEID_STORAGE)
            new = mem.open_storage(NAMEID_STORAGE)
            assert new.read_stream(ENTRY_STREAM) == orig.read_stream(ENTRY_STREAM), relpath(path)
            assert new.read_stream(GUID_STREAM) == orig.read_stream(GUID_STREAM), relpath(path)
            old_buckets = {
                e.name.upper(): sorted(_records(orig.read_stream(e.name)))
                for e in orig.list()
                if e.name.upper().startswith("__SUBSTG1.0_10") and e.size
            }
            new_buckets = {
                e.name.upper(): sorted(_records(new.read_stream(e.name)))
                for e in new.list()
                if e.name.upper().startswith("__SUBSTG1.0_10")
            }
            if old_buckets != new_buckets:
                bucket_diffs.add(relpath(path))
    assert loaded > 150 and names > 3000
    assert bucket_diffs == BUCKET_DIFFERENCES


def _records(data: bytes) -> list[bytes]:
    return [data[i : i + 8] for i in range(0, len(data) - 7, 8)]
