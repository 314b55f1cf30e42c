"""The compound-file writer: round trips checked by our reader and by olefile (strictest mode),
structural rules (red-black directory, FAT marks, empty streams), versions, DIFAT, range lock,
sequential output."""

from __future__ import annotations

import io
import logging
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import corpus_files
from conftest import corpus_ids
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from imsg_backends.cfb.header import DIFSECT
from imsg_backends.cfb.header import ENDOFCHAIN
from imsg_backends.cfb.header import FATSECT
from imsg_backends.cfb.header import FREESECT
from imsg_backends.cfb.header import NOSTREAM
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import BytesSource
from imsg_backends.cfb.sources import FileSource
from imsg_backends.cfb.writer import plan_cfb
from imsg_backends.cfb.writer import write_cfb

from imsg_core._storage import name_sort_key
from imsg_core.backend import BytesData
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamData
from imsg_core.backend import StreamNode
from imsg_core.errors import STG
from imsg_core.errors import StorageError

olefile = pytest.importorskip("olefile")
logging.getLogger("olefile").setLevel(logging.CRITICAL)


def _readable_corpus() -> list[Path]:
    out = []
    for p in corpus_files():
        try:
            reader = CFBReader(FileSource(str(p)), owns_source=True)
            for _, node in reader.iter_streams():
                node.data.read_at(0, node.size)
            reader.close()
        except StorageError:
            continue
        out.append(p)
    return out


READABLE = _readable_corpus()


def _contents(root: StorageNode) -> dict[str, bytes | None]:
    return {
        p: (n.data.read_at(0, n.size) if isinstance(n, StreamNode) else None)
        for p, n in root.walk()
    }


def _strict_olefile(data: bytes) -> dict[str, bytes | None]:
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    try:
        out: dict[str, bytes | None] = {}
        for entry in ole.listdir(streams=True, storages=True):
            key = "/".join(entry)
            out[key] = (
                ole.openstream(entry).read()
                if ole.get_type(entry) == olefile.STGTY_STREAM
                else None
            )
        return out
    finally:
        ole.close()


def _check_round_trip(root: StorageNode, version: int | None) -> bytes:
    buf = io.BytesIO()
    layout = write_cfb(root, buf, version=version)
    data = buf.getvalue()
    assert len(data) == layout.file_size
    if version is not None:
        assert layout.version == version
    expected = _contents(root)
    again = CFBReader(BytesSource(data))
    # The only irregularity we carry over is an empty element name (POI's Notes.ole2).
    assert all("empty name" in d for d in again.defects), again.defects
    assert _contents(again.root) == expected
    theirs = _strict_olefile(data)
    for key, value in theirs.items():
        assert expected[key] == value, key
    # olefile omits storages without streams below them; every stream must be there.
    assert {k for k, v in expected.items() if v is not None} == {
        k for k, v in theirs.items() if v is not None
    }
    _check_structure(data)
    return data


def _check_structure(data: bytes) -> None:
    """Invariants strict readers (7-Zip) demand, checked from the bytes."""
    reader = CFBReader(BytesSource(data))
    h = reader.header
    assert h.minor_version == 0x3E and h.transaction_signature == 0
    ss = reader.sector_size
    fat = reader._fat
    assert fat is not None
    nsec = reader.num_sectors
    assert len(data) == (nsec + 1) * ss
    for s in reader._fat_sectors:
        assert fat[s] == FATSECT
    # Every allocated sector belongs to exactly one chain; chains end with ENDOFCHAIN.
    pointed = {v for v in fat if v < nsec}
    heads = [s for s in range(nsec) if fat[s] not in (FREESECT, FATSECT, DIFSECT)]
    starts = [s for s in heads if s not in pointed]
    seen: set[int] = set()
    for head in starts:
        s = head
        while s != ENDOFCHAIN:
            assert s not in seen
            seen.add(s)
            s = fat[s]
    assert seen == set(heads)
    # Directory: each storage's children form a valid red-black BST in §6 order.
    entries = reader.entries
    for e in entries:
        if e.type in (1, 5) and e.child != NOSTREAM:
            _check_rb(entries, e.child)
        if e.type == 2 and e.size == 0:
            assert e.start == ENDOFCHAIN
        if e.type == 1:
            assert e.start == 0 and e.size == 0
    assert entries[0].ctime == 0


def _check_rb(entries: list, root: int) -> None:  # type: ignore[type-arg]
    assert entries[root].color == 1, "tree root must be black"

    def walk(i: int, lo: object, hi: object) -> int:
        if i == NOSTREAM:
            return 1
        e = entries[i]
        key = name_sort_key(e.name)
        assert (lo is None or lo < key) and (hi is None or key < hi)  # type: ignore[operator]
        for c in (e.left, e.right):
            if e.color == 0 and c != NOSTREAM:
                assert entries[c].color == 1, "red node with a red child"
        left = walk(e.left, lo, key)
        right = walk(e.right, key, hi)
        assert left == right, "black heights differ"
        return left + (1 if e.color == 1 else 0)

    walk(root, None, None)


@pytest.mark.corpus
@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize("path", READABLE, ids=corpus_ids(READABLE))
def test_corpus_round_trip(path: Path, version: int) -> None:
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    try:
        _check_round_trip(reader.root, version)
    finally:
        reader.close()


# ---------------------------------------------------------------- random trees
SIZES = [0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 8192, 12288]
NAME_CHARS = st.characters(
    codec="utf-16", exclude_characters="/\\:!\x00", exclude_categories=("Cs",)
)
names = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=31),
    st.text(NAME_CHARS, min_size=31, max_size=31),
    st.sampled_from(["__substg1.0_0037001F", "\x05SummaryInformation", "A" * 31]),
).filter(lambda n: len(n.encode("utf-16-le")) // 2 <= 31)


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> StorageNode:
    node = StorageNode("Root Entry" if depth == 0 else draw(names))
    for _ in range(draw(st.integers(0, 6 if depth < 2 else 3))):
        name = draw(names)
        if node.get(name) is not None:
            continue
        if depth < 2 and draw(st.booleans()) and draw(st.booleans()):
            child = draw(trees(depth + 1))
            child.name = name
            node.add(child)
        else:
            size = draw(st.sampled_from(SIZES))
            seed = draw(st.integers(0, 255))
            node.add(StreamNode(name, BytesData(bytes((seed + i) & 0xFF for i in range(size)))))
    return node


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.sampled_from([None, 3, 4]))
def test_random_trees_round_trip(root: StorageNode, version: int | None) -> None:
    _check_round_trip(root, version)


def test_wide_storage_is_a_valid_red_black_tree() -> None:
    for n in (1, 2, 3, 7, 8, 100, 1000, 5000):  # 5000: past the cached tree shapes
        root = StorageNode("Root Entry")
        for i in range(n):
            root.add(StreamNode(f"s{i:04d}", BytesData(b"x")))
        _check_round_trip(root, 3)


def test_clsid_state_bits_and_times_are_written() -> None:
    import uuid
    from datetime import UTC
    from datetime import datetime

    root = StorageNode("Root Entry", clsid=uuid.UUID("00020D0B-0000-0000-C000-000000000046"))
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    sub = StorageNode("sub", uuid.UUID(int=5), state_bits=0x1234, ctime=when, mtime=when)
    root.add(sub)
    data = _check_round_trip(root, 3)
    again = CFBReader(BytesSource(data)).root
    assert again.clsid == root.clsid
    got = again.get("sub")
    assert isinstance(got, StorageNode)
    assert (got.clsid, got.state_bits, got.ctime, got.mtime) == (sub.clsid, 0x1234, when, when)


# ---------------------------------------------------------------- big files
_BASE = bytes(range(251)) * ((1 << 20) // 251 + 2)


class PatternData(StreamData):
    """A large stream that never exists whole: byte i is i % 251 (misaligned with sectors,
    so a misplaced sector shows)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self.largest = 0

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, n: int) -> bytes:
        n = max(0, min(n, self._size - offset))
        self.largest = max(self.largest, n)
        parts = []
        while n > 0:
            take = min(n, 1 << 20)
            start = offset % 251
            parts.append(_BASE[start : start + take])
            offset += take
            n -= take
        return b"".join(parts)


def test_difat_is_used_for_large_v3_files() -> None:
    root = StorageNode("Root Entry")
    data_obj = PatternData(9 << 20)  # 9 MiB > 109 FAT sectors x 128 x 512
    root.add(StreamNode("big", data_obj))
    root.add(StreamNode("small", BytesData(b"s" * 100)))
    buf = io.BytesIO()
    layout = write_cfb(root, buf, version=3)
    assert layout.difat_sectors and len(layout.fat_sectors) > 109
    assert data_obj.largest <= 1 << 20  # pulled in chunks, never whole
    data = buf.getvalue()
    reader = CFBReader(BytesSource(data))
    assert reader.read_stream("big") == data_obj.read_at(0, 9 << 20)
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("small").read() == b"s" * 100
    _check_structure(data)


def test_version_is_chosen_automatically_above_the_v3_limit() -> None:
    root = StorageNode("Root Entry")
    root.add(StreamNode("huge", PatternData(3 << 30)))
    layout = plan_cfb(root)
    assert layout.version == 4 and layout.lock_sector is not None
    with pytest.raises(StorageError) as ei:
        plan_cfb(root, 3)
    assert ei.value.hresult == STG.STG_E_DOCFILETOOLARGE
    small = StorageNode("Root Entry")
    small.add(StreamNode("x", BytesData(b"1")))
    assert plan_cfb(small).version == 3


class DiscardSink:
    """Counts bytes and keeps only the range-lock sector region (no seeking possible)."""

    def __init__(self, keep_from: int, keep_len: int) -> None:
        self.pos = 0
        self.keep_from = keep_from
        self.kept = bytearray()
        self.keep_len = keep_len

    def write(self, data: bytes | memoryview) -> int:
        n = len(data)
        lo = max(self.pos, self.keep_from)
        hi = min(self.pos + n, self.keep_from + self.keep_len)
        if lo < hi:
            self.kept += bytes(memoryview(data)[lo - self.pos : hi - self.pos])
        self.pos += n
        return n


class RepeatData(StreamData):
    def __init__(self, size: int) -> None:
        self._size = size
        self._chunk = b"\xab" * (1 << 20)

    @property
    def size(self) -> int:
        return self._size

    def read_at(self, offset: int, n: int) -> bytes:
        n = max(0, min(n, self._size - offset))
        return self._chunk[:n] if n <= len(self._chunk) else b"\xab" * n


def test_range_lock_sector_past_2_gb() -> None:
    root = StorageNode("Root Entry")
    root.add(StreamNode("huge", RepeatData((2 << 30) + 8192)))
    layout = plan_cfb(root)
    lock = layout.lock_sector
    assert layout.version == 4 and lock is not None
    assert (lock + 1) * 4096 <= 0x7FFFFF00 < (lock + 2) * 4096
    sink = DiscardSink((lock + 1) * 4096, 4096)
    write_cfb(root, sink)  # type: ignore[arg-type]
    assert sink.pos == layout.file_size
    assert sink.kept == bytes(4096)  # the lock sector holds no data
    extents = layout.entries[1].extents
    assert all(not (a <= lock < a + k) for a, k in extents)


def test_v3_files_never_need_the_range_lock() -> None:
    root = StorageNode("Root Entry")
    root.add(StreamNode("x", RepeatData(100 << 20)))
    assert plan_cfb(root, 3).lock_sector is None


def test_invalid_names_are_refused() -> None:
    root = StorageNode("Root Entry")
    root.add(StreamNode("x" * 32, BytesData(b"1")))
    with pytest.raises(StorageError) as ei:
        write_cfb(root, io.BytesIO())
    assert ei.value.hresult == STG.STG_E_INVALIDNAME


def test_data_shorter_than_its_size_is_a_read_fault() -> None:
    class Short(StreamData):
        @property
        def size(self) -> int:
            return 10000

        def read_at(self, offset: int, n: int) -> bytes:
            return b"x" * min(n, max(0, 5000 - offset))

    root = StorageNode("Root Entry")
    root.add(StreamNode("short", Short()))
    with pytest.raises(StorageError) as ei:
        write_cfb(root, io.BytesIO())
    assert ei.value.hresult == STG.STG_E_READFAULT
    assert "'short'" in str(ei.value)


def test_output_is_written_front_to_back_without_seeking() -> None:
    class AppendOnly:
        def __init__(self) -> None:
            self.buf = bytearray()

        def write(self, data: bytes | memoryview) -> int:
            self.buf += data
            return len(data)

    root = StorageNode("Root Entry")
    root.add(StreamNode("a", BytesData(b"a" * 5000)))
    root.add(StreamNode("b", BytesData(b"b" * 50)))
    sink = AppendOnly()
    write_cfb(root, sink)  # type: ignore[arg-type]
    assert CFBReader(BytesSource(bytes(sink.buf))).read_stream("a") == b"a" * 5000


@pytest.mark.skipif(shutil.which("7z") is None, reason="7-Zip (p7zip-full) is not installed")
@pytest.mark.parametrize("version", [3, 4])
def test_7zip_accepts_our_files(tmp_path: Path, version: int) -> None:
    paths = [p for p in READABLE if p.suffix in (".msg", ".cfs")][:6]
    if not paths:
        pytest.skip("../shared/corpus is absent")
    for p in paths:
        reader = CFBReader(FileSource(str(p)), owns_source=True)
        out = tmp_path / f"{p.stem}.v{version}.msg"
        with out.open("wb") as fh:
            write_cfb(reader.root, fh, version=version)
        reader.close()
        res = subprocess.run(["7z", "t", str(out)], capture_output=True, text=True, check=False)
        assert res.returncode == 0 and "Everything is Ok" in res.stdout, (p, res.stdout)


def test_header_fields() -> None:
    root = StorageNode("Root Entry")
    root.add(StreamNode("a", BytesData(b"a" * 10)))
    for version in (3, 4):
        buf = io.BytesIO()
        write_cfb(root, buf, version=version)
        data = buf.getvalue()
        minor, major, order, shift, mshift = struct.unpack_from("<HHHHH", data, 0x18)
        assert (minor, major, order, mshift) == (0x3E, version, 0xFFFE, 6)
        assert shift == (9 if version == 3 else 12)
        ndir = struct.unpack_from("<I", data, 0x28)[0]
        assert ndir == (0 if version == 3 else 1)
        assert struct.unpack_from("<I", data, 0x38)[0] == 4096
        if version == 4:
            assert data[512:4096] == bytes(4096 - 512)


def _reference_sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """spec cfb.md §6 spelled out: length in UTF-16 code units, then the units upper-cased
    with the simple 1:1 mapping (surrogate halves unchanged)."""
    raw = name.encode("utf-16-le", "surrogatepass")
    units = [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw), 2)]
    upper = []
    for u in units:
        up = chr(u).upper() if not 0xD800 <= u <= 0xDFFF else chr(u)
        upper.append(ord(up) if len(up) == 1 and ord(up) <= 0xFFFF else u)
    return len(units), tuple(upper)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=12))
def test_name_sort_key_orders_and_collides_like_the_spec(names: list[str]) -> None:
    ours = sorted(names, key=name_sort_key)
    assert [_reference_sort_key(n) for n in ours] == sorted(map(_reference_sort_key, names))
    for a in names:
        for b in names:
            assert (name_sort_key(a) == name_sort_key(b)) == (
                _reference_sort_key(a) == _reference_sort_key(b)
            )
