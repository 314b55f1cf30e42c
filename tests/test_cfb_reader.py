"""The compound-file reader: agreement with olefile on the corpus, hard cases, corruption.

olefile is the reader of record. For every corpus compound file olefile opens, our tree and
bytes must match it, with one principled exception: where olefile itself records a parsing
defect in the file, we may refuse (a ``StorageError`` naming the fault) instead of returning
what olefile guesses — and where olefile's bytes disagree with the size olefile itself
reports, it is olefile that is wrong and we must not agree with it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import struct
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import CORPUS
from conftest import corpus_files
from conftest import corpus_ids
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from imsg_backends.cfb.header import ENDOFCHAIN
from imsg_backends.cfb.header import NOSTREAM
from imsg_backends.cfb.ranges import merge_ranges
from imsg_backends.cfb.ranges import slice_spans
from imsg_backends.cfb.reader import CFBReader
from imsg_backends.cfb.sources import BytesSource
from imsg_backends.cfb.sources import FileSource
from imsg_backends.cfb.sources import SeekableSource
from imsg_backends.cfb.writer import write_cfb

from fuzz import hyp
from imsg_core.backend import BytesData
from imsg_core.backend import StorageNode
from imsg_core.backend import StreamNode
from imsg_core.errors import STG
from imsg_core.errors import StorageError

olefile = pytest.importorskip("olefile")
logging.getLogger("olefile").setLevel(logging.CRITICAL)

ALL = corpus_files()
CFB_DIRS = sorted({p.parent.name for p in ALL if p.parent.name.startswith("cfb-")})
CORRUPT = (
    corpus_files("cfb-rust-cfb-fuzzed/*")
    + corpus_files("poi/clusterfuzz-*")
    + [
        p
        for p in corpus_files("cfb-*/*")
        if p.name
        in {"FatChainLoop_v3.cfs", "ReferencesInvalidSectors.mpp", "61300.bin", "Notes.ole2"}
    ]
)


def _f(rel: str) -> Path:
    path = CORPUS / "files" / rel
    if not path.is_file():
        pytest.skip(f"corpus file {rel} is absent")
    return path


def _ours(path: Path) -> tuple[dict[str, bytes | None], dict[str, StorageError]]:
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    try:
        tree: dict[str, bytes | None] = {}
        errors: dict[str, StorageError] = {}
        for p, node in reader.root.walk():
            if isinstance(node, StreamNode):
                try:
                    tree[p] = node.data.read_at(0, node.size)
                except StorageError as exc:
                    errors[p] = exc
            else:
                tree[p] = None
        return tree, errors
    finally:
        reader.close()


def _attempt(
    path: Path,
) -> tuple[StorageError | None, tuple[dict[str, bytes | None], dict[str, StorageError]] | None]:
    try:
        return None, _ours(path)
    except StorageError as exc:
        return exc, None


def _olefile(path: Path) -> tuple[dict[str, bytes | Exception | None], dict[str, int], bool]:
    ole = olefile.OleFileIO(str(path))
    try:
        tree: dict[str, bytes | Exception | None] = {}
        sizes: dict[str, int] = {}
        for entry in ole.listdir(streams=True, storages=True):
            # A NUL ends a name (spec cfb.md §9); olefile keeps what the length field says.
            key = "/".join(part.split("\0")[0] for part in entry)
            if ole.get_type(entry) == olefile.STGTY_STREAM:
                sizes[key] = ole.get_size(entry)
                try:
                    tree[key] = ole.openstream(entry).read()
                except Exception as exc:  # olefile's own failures
                    tree[key] = exc
            else:
                tree[key] = None
        return tree, sizes, bool(ole.parsing_issues)
    finally:
        ole.close()


def _ole_files() -> list[Path]:
    return [p for p in ALL if olefile.isOleFile(str(p))]


@pytest.mark.corpus
@pytest.mark.parametrize("path", _ole_files(), ids=corpus_ids(_ole_files()))
def test_tree_and_bytes_agree_with_olefile(path: Path) -> None:
    try:
        theirs, sizes, defective = _olefile(path)
    except Exception:
        pytest.skip("olefile does not open this file")
    refused, got = _attempt(path)
    if refused is not None:
        assert defective, f"we refuse a file olefile reads without defects: {refused}"
        assert refused.hresult in (STG.STG_E_DOCFILECORRUPT, STG.STG_E_INVALIDHEADER)
        return
    assert got is not None
    ours, errors = got
    if not defective:
        assert not errors, errors
        # olefile lists storages only when they have streams below them; compare streams
        # exactly and storages one way (every storage olefile lists exists here).
        assert {k for k, v in ours.items() if v is not None} == {
            k for k, v in theirs.items() if v is not None
        }
        assert {k for k, v in theirs.items() if v is None} <= {
            k for k, v in ours.items() if v is None
        }
        for key, value in theirs.items():
            assert ours[key] == value, key
        return
    for key, value in theirs.items():
        if key in errors:
            assert errors[key].hresult == STG.STG_E_DOCFILECORRUPT
            continue
        if key not in ours:
            continue  # olefile followed a damaged link we refuse to follow
        if isinstance(value, bytes) and len(value) == sizes[key]:
            assert ours[key] == value, key
        elif isinstance(value, bytes):
            # olefile returned fewer/more bytes than it says the stream has: not the truth.
            assert ours[key] is not None
            assert len(ours[key] or b"") == sizes[key]


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL, ids=corpus_ids(ALL))
def test_every_corpus_file_opens_or_fails_cleanly(path: Path) -> None:
    """Open + read every stream: success or StorageError, never a raw exception or a hang
    (the one-second bound is the issue's hang guard, not a speed measurement)."""
    start = time.monotonic()
    refused, _ = _attempt(path)
    assert time.monotonic() - start < 1.0
    if refused is not None:
        assert refused.hresult in (STG.STG_E_DOCFILECORRUPT, STG.STG_E_INVALIDHEADER)
        assert str(path) in str(refused)


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORRUPT, ids=corpus_ids(CORRUPT))
def test_corrupt_files_name_the_fault(path: Path) -> None:
    refused, got = _attempt(path)
    if refused is not None:
        msg = str(refused)
        assert any(w in msg for w in ("sector", "entry", "name", "stream", "FAT")), msg
        return
    assert got is not None
    for exc in got[1].values():
        assert exc.hresult == STG.STG_E_DOCFILECORRUPT
        assert "stream" in str(exc) or "mini" in str(exc)


# ------------------------------------------------------------------------- hard cases
def test_transaction_signature_is_accepted() -> None:
    reader = CFBReader(FileSource(str(_f("poi/message_1979.msg"))), owns_source=True)
    assert reader.header.transaction_signature != 0
    assert any("transaction signature" in d for d in reader.defects)
    assert reader.read_stream("__properties_version1.0")
    reader.close()


def test_version_3_header_with_4096_byte_sectors() -> None:
    path = _f("cfb-poi/BlockSize4096.zvi")
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    assert reader.major_version == 3 and reader.sector_size == 4096
    ours, errors = _ours(path)
    theirs, _, _ = _olefile(path)
    assert not errors
    assert all(ours[k] == v for k, v in theirs.items())


@pytest.mark.parametrize("rel", ["pstar/1.msg", "aspose-foss-generated/g03_large_12mb_v4.msg"])
def test_version_4_messages(rel: str) -> None:
    path = _f(rel)
    reader = CFBReader(FileSource(str(path)), owns_source=True)
    assert reader.sector_size == 4096
    ours, errors = _ours(path)
    theirs, _, _ = _olefile(path)
    assert not errors and all(ours[k] == v for k, v in theirs.items())


@pytest.mark.parametrize("size", [0, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097])
@pytest.mark.parametrize("version", [3, 4])
def test_stream_sizes_at_the_boundaries(size: int, version: int) -> None:
    path = _f(f"cfb-openmcdf/TestStream_v{version}_{size}.cfs")
    ours, errors = _ours(path)
    assert not errors
    streams = {k: v for k, v in ours.items() if v is not None}
    assert sorted(len(v) for v in streams.values() if v is not None) and any(
        len(v) == size for v in streams.values() if v is not None
    )
    theirs, _, _ = _olefile(path)
    assert all(ours[k] == v for k, v in theirs.items())


def test_short_last_block_is_zero_padded() -> None:
    path = _f("cfb-poi/ShortLastBlock.qwp")
    assert path.stat().st_size % 512 != 0
    ours, errors = _ours(path)
    theirs, _, _ = _olefile(path)
    assert not errors and all(ours[k] == v for k, v in theirs.items())


def test_only_zero_byte_streams() -> None:
    ours, errors = _ours(_f("cfb-poi/only-zero-byte-streams.ole2"))
    assert not errors
    assert all(v == b"" for v in ours.values() if v is not None)


def test_stream_referenced_twice_is_refused_on_read() -> None:
    ours, errors = _ours(_f("cfb-poi/61300.bin"))
    assert "\x05SummaryInformation" in errors
    assert "referenced twice" in str(errors["\x05SummaryInformation"])
    assert ours["Workbook"]  # the undamaged streams still read


def test_declared_size_larger_than_the_file_is_refused() -> None:
    ours, errors = _ours(_f("poi/unknown_properties.msg"))
    exc = errors["__substg1.0_0040001F"]
    assert "more than the whole file" in str(exc) and "__substg1.0_0040001F" in str(exc)
    assert ours["__substg1.0_0037001F"] is not None


def test_not_a_compound_file() -> None:
    path = _f("extract-text/test.msg")
    with pytest.raises(StorageError) as ei:
        CFBReader(FileSource(str(path)), owns_source=True)
    assert ei.value.hresult == STG.STG_E_INVALIDHEADER
    assert str(path) in str(ei.value)


def test_directory_loop_is_refused() -> None:
    path = _f("cfb-rust-cfb-fuzzed/loop_in_open_2")
    with pytest.raises(StorageError) as ei:
        CFBReader(FileSource(str(path)), owns_source=True)
    assert "loop" in str(ei.value)


# ------------------------------------------------------------------- synthetic damage
def _sample_file(version: int = 3) -> bytes:
    root = StorageNode("Root Entry")
    root.add(StreamNode("big", BytesData(bytes(range(256)) * 40)))  # 10240 B: 20 sectors
    root.add(StreamNode("__substg1.0_0037001F", BytesData(b"subject!" * 100)))
    root.add(StreamNode("small2", BytesData(b"s" * 200)))
    sub = StorageNode("sub")
    sub.add(StreamNode("inner", BytesData(b"i" * 5000)))
    root.add(sub)
    buf = io.BytesIO()
    write_cfb(root, buf, version=version)
    return buf.getvalue()


def _entry_offset(data: bytes, name: str) -> int:
    """File offset of the directory entry named ``name`` (search; fine for tests)."""
    raw = name.encode("utf-16-le") + b"\0\0"
    pos = data.find(raw)
    assert pos >= 0 and pos % 128 == 0
    return pos


def _fat_offset(data: bytes, sector: int) -> int:
    first_fat = struct.unpack_from("<I", data, 0x4C)[0]
    return (first_fat + 1) * 512 + 4 * sector


def _start_of(data: bytes, name: str) -> int:
    return struct.unpack_from("<I", data, _entry_offset(data, name) + 0x74)[0]


def _read_all(data: bytes) -> dict[str, bytes]:
    reader = CFBReader(BytesSource(data, "<test>"))
    return {p: reader.read_stream(p) for p, _ in reader.iter_streams()}


def test_fat_chain_loop_names_sector_and_stream() -> None:
    data = bytearray(_sample_file())
    start = _start_of(data, "big")
    struct.pack_into("<I", data, _fat_offset(data, start + 5), start + 2)
    with pytest.raises(StorageError) as ei:
        _read_all(bytes(data))
    msg = str(ei.value)
    assert ei.value.hresult == STG.STG_E_DOCFILECORRUPT
    assert f"FAT chain loop at sector {start + 2} in stream 'big'" in msg


def test_mini_chain_loop_is_detected() -> None:
    data = bytearray(_sample_file())
    reader = CFBReader(BytesSource(bytes(data)))
    minifat_sector = reader.header.first_minifat_sector
    start = _start_of(data, "__substg1.0_0037001F")
    struct.pack_into("<I", data, (minifat_sector + 1) * 512 + 4 * (start + 3), start)
    with pytest.raises(StorageError) as ei:
        _read_all(bytes(data))
    assert "mini FAT chain loop" in str(ei.value) and "__substg1.0_0037001F" in str(ei.value)


def test_out_of_range_sector_is_detected() -> None:
    data = bytearray(_sample_file())
    start = _start_of(data, "big")
    struct.pack_into("<I", data, _fat_offset(data, start + 3), 99999)
    with pytest.raises(StorageError) as ei:
        _read_all(bytes(data))
    assert "99999" in str(ei.value) and "beyond the end" in str(ei.value)


def test_chain_shorter_than_size_is_detected() -> None:
    data = bytearray(_sample_file())
    start = _start_of(data, "big")
    struct.pack_into("<I", data, _fat_offset(data, start + 3), ENDOFCHAIN)
    with pytest.raises(StorageError) as ei:
        _read_all(bytes(data))
    assert "ends after 4 sectors but needs 20" in str(ei.value)


def test_sector_shared_by_two_streams_is_detected() -> None:
    data = bytearray(_sample_file())
    big = _start_of(data, "big")
    inner = _start_of(data, "inner")
    # Make inner's second sector point into big's chain.
    struct.pack_into("<I", data, _fat_offset(data, inner), big + 1)
    reader = CFBReader(BytesSource(bytes(data)))
    reader.read_stream("big")
    with pytest.raises(StorageError) as ei:
        reader.read_stream("sub/inner")
    assert "also used by stream 'big'" in str(ei.value)


def test_declared_size_beyond_file_is_detected_without_allocating() -> None:
    data = bytearray(_sample_file())
    struct.pack_into("<Q", data, _entry_offset(data, "big") + 0x78, 0xFFFFFFFF)
    reader = CFBReader(BytesSource(bytes(data)))
    node = reader.find("big")
    assert isinstance(node, StreamNode) and node.size == 0xFFFFFFFF
    with pytest.raises(StorageError) as ei:
        node.data.read_at(0, node.size)
    assert "more than the whole file" in str(ei.value)


def test_directory_cycle_is_refused() -> None:
    data = bytearray(_sample_file())
    off = _entry_offset(data, "inner")
    sub_index = (_entry_offset(data, "sub") - _entry_offset(data, "Root Entry")) // 128
    struct.pack_into("<I", data, off + 0x44, sub_index)  # inner.left -> its own parent
    with pytest.raises(StorageError) as ei:
        CFBReader(BytesSource(bytes(data)))
    assert "reachable twice" in str(ei.value)


def test_forbidden_character_in_a_name_is_refused() -> None:
    data = bytearray(_sample_file())
    off = _entry_offset(data, "small2")
    data[off : off + 2] = "/".encode("utf-16-le")
    with pytest.raises(StorageError) as ei:
        CFBReader(BytesSource(bytes(data)))
    assert "invalid name" in str(ei.value)


def test_bad_signature_and_truncation() -> None:
    data = _sample_file()
    with pytest.raises(StorageError) as ei:
        CFBReader(BytesSource(b"x" + data[1:]))
    assert ei.value.hresult == STG.STG_E_INVALIDHEADER
    with pytest.raises(StorageError) as ei:
        CFBReader(BytesSource(data[:300]))
    assert ei.value.hresult == STG.STG_E_INVALIDHEADER


def test_junk_header_fields_are_tolerated() -> None:
    data = bytearray(_sample_file())
    struct.pack_into("<H", data, 0x18, 0x21)  # minor version
    data[0x22:0x28] = b"junk!!"  # reserved
    struct.pack_into("<I", data, 0x34, 7)  # transaction signature
    reader = CFBReader(BytesSource(bytes(data)))
    assert reader.read_stream("big") == bytes(range(256)) * 40
    assert len(reader.defects) == 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=12))
def test_random_damage_never_escapes_as_a_raw_exception(edits: list[tuple[int, int]]) -> None:
    data = bytearray(_sample_file())
    for pos, value in edits:
        data[pos % len(data)] = value

    def read_all(raw: bytes) -> None:
        reader = CFBReader(BytesSource(raw))
        for _, node in reader.iter_streams():
            with contextlib.suppress(StorageError):
                node.data.read_at(0, node.size)

    hyp.run_bounded(read_all, bytes(data))  # only a StorageError, within time and memory


# ------------------------------------------------------------------------ I/O batching
class CountingSource:
    def __init__(self, inner: BytesSource) -> None:
        self.inner = inner
        self.calls: list[Sequence[tuple[int, int]]] = []

    @property
    def size(self) -> int:
        return self.inner.size

    def read_ranges(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        self.calls.append(list(ranges))
        return self.inner.read_ranges(ranges)

    def describe(self) -> str:
        return "<counting>"

    def close(self) -> None:
        pass


def test_a_stream_is_read_with_one_call_and_one_range() -> None:
    src = CountingSource(BytesSource(_sample_file()))
    reader = CFBReader(src)
    opened = len(src.calls)
    assert opened <= 3  # header, FAT, directory
    assert reader.read_stream("big") == bytes(range(256)) * 40
    assert len(src.calls) == opened + 1
    assert len(src.calls[-1]) == 1  # 20 contiguous sectors, one range


def test_lazy_fat_reads_only_the_fat_sectors_it_needs() -> None:
    # 10 MB stream: v3 needs 160 FAT sectors (and DIFAT); only few are read lazily.
    root = StorageNode("Root Entry")
    root.add(StreamNode("a", BytesData(b"a" * 100)))
    root.add(StreamNode("huge", BytesData(b"\x07" * (10 << 20))))
    buf = io.BytesIO()
    layout = write_cfb(root, buf, version=3)
    assert len(layout.fat_sectors) > 109 and layout.difat_sectors
    src = CountingSource(BytesSource(buf.getvalue()))
    reader = CFBReader(src, lazy_fat=True, cache_mini_stream=False)
    fat_bytes = sum(length for call in src.calls for _, length in call)
    assert fat_bytes < 10 * 512  # header, a DIFAT sector, a FAT sector, the directory
    assert reader.read_stream("a") == b"a" * 100
    eager = CountingSource(BytesSource(buf.getvalue()))
    CFBReader(eager)
    assert sum(length for call in eager.calls for _, length in call) > 150 * 512


def test_file_and_file_object_sources_agree(tmp_path: Path) -> None:
    data = _sample_file(4)
    path = tmp_path / "x.cfb"
    path.write_bytes(data)
    ranges = [(5000, 100), (0, 8), (4096, 4096), (len(data) - 10, 50), (len(data) + 5, 4)]
    expected = [data[o : o + n] for o, n in ranges]
    fs = FileSource(str(path))
    assert fs.read_ranges(ranges) == expected
    fs.close()
    with path.open("rb") as fh:
        fs2 = SeekableSource(fh)
        assert fs2.read_ranges(ranges) == expected
    assert BytesSource(data).read_ranges(ranges) == expected
    with pytest.raises(StorageError):
        fs.read_ranges([(0, 1)])  # closed


def test_coalesce_merges_touching_ranges() -> None:
    ranges = [(100, 10), (0, 50), (50, 50), (200, 1)]
    spans = merge_ranges(ranges)
    assert spans == [(0, 110), (200, 1)]
    # where each range lies: (span 0, at 100), (0, 0), (0, 50), (span 1, at 0)
    data = [bytes(range(110)), b"X"]
    where = [(0, 100), (0, 0), (0, 50), (1, 0)]
    expected = [data[si][rel : rel + n] for (si, rel), (_, n) in zip(where, ranges, strict=True)]
    assert slice_spans(ranges, spans, data) == expected


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as ei:
        FileSource(str(tmp_path / "nope.msg"))
    assert ei.value.hresult == STG.STG_E_FILENOTFOUND


def _outcome(path: Path, lazy: bool, cache: bool) -> object:
    try:
        reader = CFBReader(
            FileSource(str(path)), owns_source=True, lazy_fat=lazy, cache_mini_stream=cache
        )
    except StorageError as exc:
        return ("refused", str(exc))
    out: dict[str, object] = {}
    for p, node in reader.iter_streams():
        try:
            out[p] = node.data.read_at(0, node.size)
            if node.size > 100:  # a read in the middle, across sector boundaries
                out[p + "#mid"] = node.data.read_at(37, node.size - 74)
        except StorageError as exc:
            out[p] = str(exc)
    reader.close()
    return out


@pytest.mark.corpus
def test_lazy_fat_and_uncached_mini_stream_agree_with_eager_mode(corpus_dir: Path) -> None:
    for path in ALL:
        assert _outcome(path, True, False) == _outcome(path, False, True), path


def test_misordered_and_unbalanced_sibling_trees_are_read_whole() -> None:
    root = StorageNode("Root Entry")
    names = [f"stream{i:02d}" for i in range(9)]
    for n in names:
        root.add(StreamNode(n, BytesData(n.encode())))
    buf = io.BytesIO()
    write_cfb(root, buf)
    data = bytearray(buf.getvalue())
    base = _entry_offset(bytes(data), "Root Entry")
    # Rebuild the sibling tree as a right-leaning list in reverse order (mis-ordered,
    # unbalanced, all red): every entry must still be found.
    order = [(_entry_offset(bytes(data), n) - base) // 128 for n in reversed(names)]
    struct.pack_into("<I", data, base + 0x4C, order[0])
    for i, idx in enumerate(order):
        off = base + idx * 128
        data[off + 0x43] = 0
        struct.pack_into("<I", data, off + 0x44, NOSTREAM)
        struct.pack_into("<I", data, off + 0x48, order[i + 1] if i + 1 < len(order) else 0)
    reader = CFBReader(BytesSource(bytes(data)))
    assert {p: reader.read_stream(p) for p, _ in reader.iter_streams()} == {
        n: n.encode() for n in names
    }
