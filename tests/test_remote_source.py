"""The fsspec range source: any sequence of range reads returns exactly the object's bytes,
whatever the merging, readahead and cache eviction; requests are merged and cached."""

from __future__ import annotations

import itertools
import uuid

import fsspec
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from imsg_backends.cfb.ranges import merge_ranges
from imsg_backends.remote.source import RangeSource

from fuzz import hyp
from imsg_core.errors import STG
from imsg_core.errors import StorageError

ranges_st = st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 3000)), min_size=0, max_size=12)


def _source(data: bytes, **kw: int) -> RangeSource:
    fs = fsspec.filesystem("memory")
    path = f"/imsg-tests/source-{uuid.uuid4().hex}"
    fs.pipe_file(path, data)
    return RangeSource(fs, path, len(data), url=f"memory://{path}", **kw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(min_size=0, max_size=4000),
    calls=st.lists(ranges_st, min_size=1, max_size=6),
    gap=st.sampled_from([0, 1, 100, 8192]),
    cache=st.sampled_from([1, 700, 5000, 1 << 20]),
)
def test_reads_equal_slices_whatever_the_merging_and_eviction(
    data: bytes, calls: list[list[tuple[int, int]]], gap: int, cache: int
) -> None:
    src = _source(data, gap=gap, cache_bytes=cache)
    for ranges in calls:
        got = src.read_ranges(ranges)
        assert got == [data[o : o + n] for o, n in ranges]
    # Every fetched span lies inside the object (clamped, never past the end).
    assert all(o >= 0 and o + n <= len(data) for o, n in src.stats.spans)


@given(ranges=ranges_st, gap=st.integers(0, 500))
def test_merge_covers_every_range_and_keeps_spans_apart(
    ranges: list[tuple[int, int]], gap: int
) -> None:
    merged = merge_ranges(ranges, gap)
    for off, n in ranges:
        if n:
            assert any(s <= off and off + n <= s + m for s, m in merged)
    for (a, n), (b, _) in itertools.pairwise(merged):
        assert a + n + gap < b


def test_cached_ranges_cost_no_request() -> None:
    data = bytes(range(256)) * 64
    src = _source(data)
    src.read_ranges([(0, 512), (1024, 512)])  # one merged request (gap 512 < 8 KiB)
    assert src.stats.requests == 1
    src.read_ranges([(100, 50), (1100, 10)])
    assert src.stats.requests == 1 and src.stats.cache_hits == 2


def test_a_fetch_marked_not_sequential_neither_grows_nor_starts_a_readahead() -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    src = _source(data)
    src.read_ranges([(0, 64 << 10)], readahead=False)  # a large guess, e.g. metadata
    src.read_ranges([(64 << 10, 512)])  # continues it: no readahead, as after any small read
    assert src.stats.spans == [(0, 64 << 10), (64 << 10, 512)]
    src.read_ranges([(65 << 10, 32 << 10)])  # a bulk read of a scan...
    src.read_ranges([(97 << 10, 512)], readahead=False)  # ...a metadata read is not extended
    assert src.stats.spans[-1] == (97 << 10, 512)
    got = src.read_ranges([(98 << 10, 512)])  # and leaves the scan going: this one grows
    assert got == [data[98 << 10 : (98 << 10) + 512]]
    assert src.stats.spans[-1][1] > 512


def test_wrong_length_from_the_server_is_a_read_fault() -> None:
    data = b"x" * 1000
    src = _source(data)
    src._size = 2000  # the object shrank behind our back
    with pytest.raises(StorageError) as ei:
        src.read_ranges([(500, 1000)])
    assert ei.value.hresult == STG.STG_E_READFAULT
    assert "Range" in str(ei.value)


def test_closed_source_refuses_reads() -> None:
    src = _source(b"abc")
    src.close()
    with pytest.raises(StorageError) as ei:
        src.read_ranges([(0, 1)])
    assert ei.value.hresult == STG.STG_E_REVERTED


def test_negative_range_is_invalid() -> None:
    src = _source(b"abc")
    with pytest.raises(StorageError) as ei:
        src.read_ranges([(-1, 2)])
    assert ei.value.hresult == STG.STG_E_INVALIDPARAMETER


def _sample_cfb() -> bytes:
    import imsg_core
    from imsg_core.testing import SAMPLE_TREE
    from imsg_core.testing import build_tree

    name = f"memory://imsg-tests/fuzz-base-{uuid.uuid4().hex}.msg"
    with imsg_core.Session() as sess, sess.open_storage(name, "w") as root:
        build_tree(root, SAMPLE_TREE)
        root.commit()
    return bytes(fsspec.filesystem("memory").cat_file(name[len("memory://") :]))


_BASE: list[bytes] = []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 255)), min_size=1, max_size=12),
    pad=st.sampled_from([0, 300_000]),
)
def test_damaged_remote_files_fail_only_with_mapi_errors(
    edits: list[tuple[int, int]], pad: int
) -> None:
    """Corrupted header/FAT/directory bytes, read through the prefetching remote reader (also
    above the whole-object size, where the header-driven guesses run): open and read every
    stream either work or raise a MAPIError — never another exception."""
    import imsg_core
    from imsg_core.backend import StreamNode
    from imsg_core.backend import TreeStorage

    if not _BASE:
        _BASE.append(_sample_cfb())
    data = bytearray(_BASE[0] + bytes(pad))
    for off, value in edits:
        if off < len(data):
            data[off] = value
    path = f"/imsg-tests/fuzz-{uuid.uuid4().hex}.msg"
    fsspec.filesystem("memory").pipe_file(path, bytes(data))

    def read_all(location: bytes) -> None:
        with (
            imsg_core.Session() as sess,
            sess.open_storage(location.decode()) as root,
        ):
            assert isinstance(root, TreeStorage)
            for _, node in root.node.walk():
                if isinstance(node, StreamNode):
                    node.data.read_at(0, node.size)

    # the oracle: nothing but a MAPIError (with a message), within the time and memory bounds
    hyp.run_bounded(read_all, f"memory://{path}".encode(), memory=False)
    fsspec.filesystem("memory").rm_file(path)
